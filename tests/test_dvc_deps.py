"""dvc.yaml declares, for every stage, each package module the stage runs: otherwise DVC would not rerun a
stage whose code changed, and its output would silently come from the old code."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.conftest import ROOT

STAGES = yaml.safe_load((ROOT / "dvc.yaml").read_text(encoding="utf-8"))["stages"]


def _modules_loaded_by(stage: str) -> set[str]:
    """Package source files (relative to the repo) that importing the stage module loads."""
    script = (f"import json, sys; import corpus.stages.{stage}; "
              "print(json.dumps(sorted(m.__file__ for n, m in sys.modules.items() "
              "if n.startswith('corpus') and getattr(m, '__file__', None))))")
    files = json.loads(subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True,
                                      cwd=ROOT).stdout)
    return {str(Path(f).resolve().relative_to(ROOT)) for f in files}


@pytest.mark.parametrize("stage", list(STAGES))
def test_every_module_a_stage_runs_is_a_dependency(stage):
    deps = STAGES[stage]["deps"]
    missing = sorted(path for path in _modules_loaded_by(stage)
                     if not any(path == dep or path.startswith(dep.rstrip("/") + "/") for dep in deps))
    assert not missing, f"dvc.yaml stage {stage} runs these modules without declaring them: {missing}"
