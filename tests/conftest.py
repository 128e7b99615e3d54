from __future__ import annotations

from pathlib import Path

import pytest

from corpus.params import IngestParams
from corpus.pipeline import run_all
from corpus.sources import Source, open_source

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
PARAMS = ROOT / "params.yaml"
SEED_FILES = {
    "snippets": "000_7b70312ab5bbecbc.txt",
    "page_newsk21": "001_ecd383afc86f028b.txt",
    "snippets_bylined": "002_2ff2273f9822e349.txt",
    "page_tvseoul": "003_9b36fcd55b089c15.txt",
    "listing": "004_d5a24d5faf909770.txt",
}


@pytest.fixture(scope="session")
def seed_release(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The release built from seeds/ with the repo's params, once per test session."""
    release = tmp_path_factory.mktemp("seed-build") / "release"
    run_all(SEEDS, release, PARAMS)
    return release


def project_copy(target: Path, leave_out: tuple[str, ...] = ()) -> Path:
    """The project's files as git sees them (tracked, and untracked but not ignored) copied to `target`, but
    those under `leave_out` prefixes."""
    import shutil
    import subprocess

    listed = subprocess.run(["git", "ls-files", "--cached", "--others", "--exclude-standard"], cwd=ROOT,
                            capture_output=True, text=True, check=True).stdout.splitlines()
    for name in listed:
        if (ROOT / name).is_file() and not name.startswith(leave_out):
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, target / name)
    return target


def seed_path(key: str) -> Path:
    return SEEDS / SEED_FILES[key]


def open_raw(path: Path, params: IngestParams | None = None) -> Source:
    """A raw file opened the way ingest opens it."""
    return open_source(path, path.name, params or IngestParams())


def raw_file(folder: Path, name: str, data: bytes | str) -> Path:
    path = folder / name
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def checksums(release: Path) -> str:
    return (release / "checksums.sha256").read_text(encoding="utf-8")


@pytest.fixture
def several_units(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The seeds plus three files made from them, each raw file its own unit (the plan's size threshold is
    lowered), so stages run several unit jobs."""
    import shutil

    import corpus.plumbing.units

    monkeypatch.setattr(corpus.plumbing.units, "ALONE_BYTES", 1)
    raw = tmp_path / "raw"
    raw.mkdir()
    for name in SEED_FILES.values():
        shutil.copy(SEEDS / name, raw / name)
    lines = seed_path("snippets_bylined").read_text(encoding="utf-8").splitlines()
    (raw / "reversed.txt").write_text("\n".join(reversed(lines)) + "\n", encoding="utf-8")  # exact duplicates
    (raw / "half.txt").write_text("\n".join(lines[::2]) + "\n", encoding="utf-8")
    (raw / "z-copy.txt").write_bytes(seed_path("snippets").read_bytes())
    return raw
