"""`python -m corpus`: the CLI. DVC runs the stage commands with whatever `python` comes first on PATH; when
that interpreter lacks the package's dependencies (`.venv/bin/dvc repro` without an activated venv), the
command runs again under the project's own environment, `.venv/`, if there is one."""

import os
import sys
from pathlib import Path

try:
    from corpus.cli import main
except ModuleNotFoundError as missing:
    project_python = Path(__file__).resolve().parent.parent / ".venv" / "bin" / "python"
    if project_python.exists() and Path(sys.executable).resolve() != project_python.resolve():
        os.execv(project_python, [str(project_python), "-m", "corpus", *sys.argv[1:]])
    sys.exit(f"error: {missing.name} is not installed for {sys.executable}: run `python3 tasks.py build`, "
             "or `pip install -e .` in the environment you use")

main()
