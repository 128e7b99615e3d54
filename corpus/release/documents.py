"""The release documents that take heavy libraries to write: the dataset card (`datasets`), the Croissant
metadata (mlcroissant) and the plots (matplotlib), ~1 s of imports and ~2 s of rendering.

Publish writes them in a helper process that imports this module, and so those libraries, while the data
files are written (corpus.plumbing.executors.warm). They depend on the release's stats and data digests
alone, so the process they are written in changes no byte.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import datasets  # noqa: F401  (imported with this module, to be loaded before it is called: see above)
import matplotlib
import mlcroissant  # noqa: F401
import numpy as np

from corpus.params import PublishParams
from corpus.release.card import render_card
from corpus.release.citation import croissant, write_croissant
from corpus.release.plots import write_plots

matplotlib.use("Agg")
import matplotlib.pyplot  # the backend chosen first, as plots.py does


def write_documents(release: Path, params: PublishParams, stats: dict[str, Any], digests: dict[str, str],
                    data_files: dict[str, str], length_counts: np.ndarray) -> None:
    """croissant.json, README.md (the card) and plots/ into the release folder."""
    write_croissant(release / "croissant.json", croissant(release, params, stats, stats["fingerprint"], digests))
    (release / "README.md").write_text(render_card(stats, params, data_files), encoding="utf-8")
    write_plots(release / "plots", stats, length_counts)
