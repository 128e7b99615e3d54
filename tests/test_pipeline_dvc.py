"""End to end: the real `dvc repro` in a fresh copy of the repo, loaded with the real `load_dataset`."""

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from datasets import load_dataset

from tests.conftest import ROOT, SEED_FILES

pytestmark = pytest.mark.slow


def _project_files() -> list[str]:
    listed = subprocess.run(["git", "ls-files", "--cached", "--others", "--exclude-standard"], cwd=ROOT,
                            capture_output=True, text=True, check=True)
    return [name for name in listed.stdout.splitlines() if (ROOT / name).is_file()]


@pytest.fixture(scope="module")
def repo(tmp_path_factory) -> Path:
    target = tmp_path_factory.mktemp("clone") / "repo"
    for name in _project_files():
        (target / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, target / name)
    for stale in ("dvc.lock", "metrics"):
        shutil.rmtree(target / stale, ignore_errors=True) if (target / stale).is_dir() else (target / stale).unlink(
            missing_ok=True)
    subprocess.run(["git", "init", "-q"], cwd=target, check=True)
    return target


BIN = Path(sys.executable).parent
ENV = dict(os.environ, PATH=f"{BIN}{os.pathsep}{os.environ['PATH']}", GX_ANALYTICS_ENABLED="false")


def _dvc(repo: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(BIN / "dvc"), *args], cwd=repo, env=ENV, capture_output=True, text=True)


@contextmanager
def _split_fractions(repo: Path, train: str, validation: str) -> Iterator[None]:
    """params.yaml with other split fractions for the duration of the block."""
    params = repo / "params.yaml"
    original = params.read_text(encoding="utf-8")
    params.write_text(original.replace("train: 0.8", f"train: {train}").replace("validation: 0.1",
                                                                              f"validation: {validation}"),
                      encoding="utf-8")
    try:
        yield
    finally:
        params.write_text(original, encoding="utf-8")


@pytest.fixture(scope="module")
def built(repo: Path) -> Path:
    result = _dvc(repo, "repro")
    assert result.returncode == 0, result.stdout + result.stderr
    return repo


def test_dvc_repro_builds_a_loadable_release(built):
    dataset = load_dataset(str(built / "release"))
    sources = [r["provenance"]["source_path"] for split in dataset.values() for r in split]
    assert {name: sources.count(name) for name in SEED_FILES.values()} == {
        SEED_FILES["snippets"]: 4, SEED_FILES["page_newsk21"]: 1, SEED_FILES["snippets_bylined"]: 10,
        SEED_FILES["page_tvseoul"]: 1, SEED_FILES["listing"]: 10,
    }
    assert list(dataset["train"].features) == ["id", "title", "text", "publisher", "reporters", "published_at",
                                               "section", "url", "is_truncated", "quality", "dedup", "contamination",
                                               "provenance"]
    ledger = load_dataset(str(built / "release"), "ledger")["train"]
    assert ledger.num_rows == 35 and ledger["fate"].count("kept") == 26


def test_every_stage_writes_its_metrics(built):
    for stage in ("ingest", "clean", "validate", "dedup", "split", "publish"):
        assert (built / "metrics" / f"{stage}.json").is_file()


def test_second_repro_runs_nothing_and_status_is_clean(built):
    again = _dvc(built, "repro")
    assert again.returncode == 0
    assert "Running stage" not in again.stdout
    status = _dvc(built, "status")
    assert "up to date" in status.stdout


def test_changing_a_stage_param_reruns_from_that_stage_on(built):
    with _split_fractions(built, "0.7", "0.2"):
        result = _dvc(built, "repro")
        assert result.returncode == 0, result.stderr
        ran = [line for line in result.stdout.splitlines() if line.startswith("Running stage")]
        assert ran == ["Running stage 'split':", "Running stage 'publish':"]


def test_two_builds_at_once_do_not_corrupt_each_other(built):
    try:
        with _split_fractions(built, "0.75", "0.15"):
            first, second = (subprocess.Popen([str(BIN / "dvc"), "repro"], cwd=built, env=ENV, text=True,
                                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT) for _ in range(2))
            outputs = [process.communicate()[0] for process in (first, second)]
            codes = [first.returncode, second.returncode]
            assert 0 in codes
            for code, output in zip(codes, outputs, strict=True):
                assert code == 0 or "lock" in output.lower(), output
            assert _dvc(built, "repro").returncode == 0
            assert "up to date" in _dvc(built, "status").stdout
            assert load_dataset(str(built / "release"))["train"].num_rows > 0
    finally:
        _dvc(built, "repro")
