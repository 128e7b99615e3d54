"""Korean news corpus: raw dumps in, a validated, deduplicated, citable Hugging Face dataset out."""

import os
from importlib.metadata import PackageNotFoundError, version

# Great Expectations must never phone home from a build (no network in CI, and none needed).
os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")

try:
    __version__ = version("korean-news-corpus")
except PackageNotFoundError:  # running from a source tree that was not installed
    __version__ = "0.0.0+source"
