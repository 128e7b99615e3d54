"""Crashes mid-build and rebuilds elsewhere must not change a single byte of the release."""

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from corpus.stages import STAGE_ORDER
from tests.conftest import ROOT, SEEDS

pytestmark = pytest.mark.slow


def _workspace(folder: Path) -> Path:
    """Seeds, params, datasheet template and takedown list in a folder of their own."""
    folder.mkdir(parents=True)
    shutil.copytree(SEEDS, folder / "seeds")
    for name in ("params.yaml", "DATASHEET.md", "takedown.yaml"):
        shutil.copy(ROOT / name, folder / name)
    return folder


def _env(**extra: str) -> dict[str, str]:
    return dict(os.environ, GX_ANALYTICS_ENABLED="false", **extra)


def _stage(folder: Path, name: str, env: dict[str, str] | None = None) -> subprocess.Popen:
    command = [sys.executable, "-m", "corpus", "stage", name, "--input", "seeds", "--work", "data",
               "--release", "release", "--params", "params.yaml"]
    return subprocess.Popen(command, cwd=folder, env=env or _env(), stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)


def _build(folder: Path, env: dict[str, str] | None = None) -> bytes:
    for name in STAGE_ORDER:
        process = _stage(folder, name, env)
        _, stderr = process.communicate()
        assert process.returncode == 0, stderr.decode()[-2000:]
    return (folder / "release" / "checksums.sha256").read_bytes()


def test_two_builds_in_different_places_and_environments_are_byte_identical(tmp_path):
    first = _build(_workspace(tmp_path / "a" / "one"), _env(PYTHONHASHSEED="0", LC_ALL="C", TZ="UTC"))
    second = _build(_workspace(tmp_path / "b" / "elsewhere" / "two"),
                    _env(PYTHONHASHSEED="4242", LC_ALL="C.UTF-8", TZ="America/New_York"))
    assert first == second


def test_sigkill_inside_every_stage_then_rerun_gives_the_same_release(tmp_path):
    reference = _build(_workspace(tmp_path / "reference"))
    folder = _workspace(tmp_path / "crashing")
    rng = random.Random(20261122)
    for name in STAGE_ORDER:
        process = _stage(folder, name)
        time.sleep(rng.uniform(0.3, 2.5))  # imports take ~1-2 s: the kill lands at varied points
        process.send_signal(signal.SIGKILL)
        process.wait()
        if name == "publish":
            release = folder / "release"
            assert not release.exists() or (release / "checksums.sha256").exists()  # never half a release
        rerun = _stage(folder, name)
        _, stderr = rerun.communicate()
        assert rerun.returncode == 0, stderr.decode()[-2000:]
    assert (folder / "release" / "checksums.sha256").read_bytes() == reference


def test_output_is_identical_for_any_worker_count(tmp_path):
    one = _build(_workspace(tmp_path / "w1"), _env(CORPUS_WORKERS="1"))
    two = _build(_workspace(tmp_path / "w2"), _env(CORPUS_WORKERS="2"))
    assert one == two
