import re

from corpus.rules import STEPS, load_all
from tests.conftest import ROOT


def test_every_registered_step_is_documented_in_the_readme():
    load_all()
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"^\| `([a-z_]+_v\d+)` \|", readme, flags=re.MULTILINE))
    assert set(STEPS.names()) <= documented, f"undocumented steps: {set(STEPS.names()) - documented}"


def test_every_registered_step_has_a_docstring():
    load_all()
    assert all((STEPS.get(name).__doc__ or "").strip() for name in STEPS.names())
