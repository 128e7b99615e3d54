"""Digests remembered by stat: unchanged raw files are not read again to be hashed; changed ones are."""

import os
import time

import pytest

import corpus.sources
import corpus.stages.ingest.jobs
from corpus.pipeline import run_all
from corpus.plumbing.digests import RACY_NS, DigestBook, stat_of
from tests.conftest import PARAMS, checksums


@pytest.fixture
def reads(monkeypatch):
    """Counts raw file snapshots (every read of a raw file goes through one) in this process."""
    monkeypatch.setenv("CORPUS_WORKERS", "1")
    seen = []
    for module in (corpus.sources, corpus.stages.ingest.jobs):
        original = module.snapshot
        monkeypatch.setattr(module, "snapshot", lambda path, params, original=original: seen.append(path.name)
                            or original(path, params))
    return seen


def _age(folder, seconds=3600):
    past = time.time() - seconds
    for path in folder.iterdir():
        os.utime(path, (past, past))


def test_unchanged_files_are_not_read_again_and_the_release_is_the_same(several_units, tmp_path, reads):
    _age(several_units)
    cache = tmp_path / "cache"
    run_all(several_units, tmp_path / "first", PARAMS, cache=cache)
    assert len(reads) == len(list(several_units.iterdir()))
    reads.clear()
    run_all(several_units, tmp_path / "second", PARAMS, cache=cache)
    assert reads == []
    assert checksums(tmp_path / "first") == checksums(tmp_path / "second")


def test_a_file_rewritten_with_the_same_size_and_mtime_is_read_again(several_units, tmp_path, reads):
    _age(several_units)
    cache = tmp_path / "cache"
    run_all(several_units, tmp_path / "first", PARAMS, cache=cache)
    target = several_units / "half.txt"
    text, seen = target.read_text(encoding="utf-8"), target.stat()
    time.sleep(0.01)
    target.write_text(text.replace("기자", "특파", 1), encoding="utf-8")  # same byte length, new content
    os.utime(target, ns=(seen.st_atime_ns, seen.st_mtime_ns))  # the old mtime put back, as `cp -p` would
    assert (target.stat().st_size, target.stat().st_mtime_ns) == (seen.st_size, seen.st_mtime_ns)
    reads.clear()
    run_all(several_units, tmp_path / "after", PARAMS, cache=cache)
    assert reads.count("half.txt") >= 1 and set(reads) == {"half.txt"}
    run_all(several_units, tmp_path / "cold", PARAMS)
    assert checksums(tmp_path / "after") == checksums(tmp_path / "cold") != checksums(tmp_path / "first")


def test_a_file_hashed_right_after_it_was_written_is_not_trusted(tmp_path):
    path = tmp_path / "fresh.txt"
    path.write_text("기사", encoding="utf-8")
    book = DigestBook(str(tmp_path / "cache"))
    book.remember([(str(path.absolute()), stat_of(path), time.time_ns(), "a" * 64)])
    now = lambda: {str(path.absolute()): stat_of(path)}  # noqa: E731
    assert book.trusted(now()) == {}  # modified less than RACY_NS before hashing began
    book.remember([(str(path.absolute()), stat_of(path), time.time_ns() + RACY_NS, "a" * 64)])
    assert book.trusted(now()) == {str(path.absolute()): "a" * 64}
    assert book.trusted({str(path.absolute()): None}) == {}  # cannot be stat'ed now
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns - 1))
    assert book.trusted(now()) == {}  # the stat moved
    assert DigestBook(None).trusted(now()) == {}
