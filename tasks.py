#!/usr/bin/env python3
"""The README's two commands, on a machine with only Python 3.11+:

    python3 tasks.py build   # make or reuse .venv, install the package, run `dvc repro` (seeds/ -> release/)
    python3 tasks.py test    # make or reuse .venv, install the package with test tools, run the test suite
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
STAMP = VENV / ".installed-from"


def ensure_environment() -> dict[str, str]:
    """Create the virtual environment once; reinstall only when pyproject.toml changed."""
    if not (BIN / "python").exists():
        print(f"creating {VENV}", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if not STAMP.exists() or STAMP.read_text() != wanted:
        pip = [str(BIN / "python"), "-m", "pip", "install", "--disable-pip-version-check", "-q"]
        subprocess.run([*pip, "--upgrade", "pip"], check=True)
        subprocess.run([*pip, "-e", f"{ROOT}[dev]"], check=True)
        STAMP.write_text(wanted)
    env = dict(os.environ, PATH=f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}", VIRTUAL_ENV=str(VENV))
    env.setdefault("GX_ANALYTICS_ENABLED", "false")
    env.setdefault("HF_DATASETS_OFFLINE", "1")
    env.setdefault("HF_HUB_OFFLINE", "1")
    return env


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in {"build", "test"}:
        print(__doc__)
        return 2
    env = ensure_environment()
    if argv[0] == "build":
        command = [str(BIN / "dvc"), "repro", *argv[1:]]
    else:
        command = [str(BIN / "python"), "-m", "pytest", *argv[1:]]
    return subprocess.run(command, cwd=ROOT, env=env).returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
