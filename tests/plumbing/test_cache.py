"""Incremental rebuilds: unit results come from the cache, and the release is byte-identical to a cold build."""

import hashlib
import json

import pytest

from corpus.pipeline import run_all
from corpus.plumbing.cache import ResultCache, package_source_sha256
from tests.conftest import PARAMS, ROOT, checksums, seed_path


def _entries(cache, stage):
    return {path.name for path in (cache / stage).glob("*/*") if path.is_dir()}


def test_the_code_hash_covers_every_source_file_of_the_package():
    """A rule change anywhere in corpus/ must miss the cache, not only a change beside the cache module."""
    package = ROOT / "corpus"
    digest = hashlib.sha256()
    for path in sorted(package.rglob("*.py")):
        digest.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes())
    assert any(path.parts[-2] == "rules" for path in package.rglob("*.py"))
    assert package_source_sha256() == digest.hexdigest()


def test_a_warm_rebuild_is_byte_identical_and_recomputes_nothing(several_units, tmp_path):
    cache = tmp_path / "cache"
    cold = run_all(several_units, tmp_path / "cold", PARAMS)
    first = run_all(several_units, tmp_path / "first", PARAMS, cache=cache)
    stored = {stage: _entries(cache, stage) for stage in ("ingest", "clean", "validate", "dedup-keys", "dedup")}
    assert len(stored["ingest"]) == len(list(several_units.iterdir())) > 1
    second = run_all(several_units, tmp_path / "second", PARAMS, cache=cache)
    assert {stage: _entries(cache, stage) for stage in stored} == stored  # every job was a hit
    assert checksums(tmp_path / "cold") == checksums(tmp_path / "first") == checksums(tmp_path / "second")
    assert cold == first == second  # the counters too


def test_a_new_file_is_the_only_unit_recomputed(several_units, tmp_path):
    cache = tmp_path / "cache"
    run_all(several_units, tmp_path / "before", PARAMS, cache=cache)
    before = _entries(cache, "clean")
    (several_units / "new.txt").write_text(seed_path("snippets").read_text(encoding="utf-8")[::-1], encoding="utf-8")
    run_all(several_units, tmp_path / "after", PARAMS, cache=cache)
    assert len(_entries(cache, "clean") - before) == 1
    run_all(several_units, tmp_path / "cold", PARAMS)
    assert checksums(tmp_path / "after") == checksums(tmp_path / "cold")


def test_a_file_changed_in_place_is_read_again(several_units, tmp_path):
    cache = tmp_path / "cache"
    run_all(several_units, tmp_path / "before", PARAMS, cache=cache)
    target = several_units / "half.txt"
    target.write_text(target.read_text(encoding="utf-8").replace("기자", "특파원"), encoding="utf-8")
    run_all(several_units, tmp_path / "after", PARAMS, cache=cache)
    run_all(several_units, tmp_path / "cold", PARAMS)
    assert checksums(tmp_path / "after") == checksums(tmp_path / "cold") != checksums(tmp_path / "before")


@pytest.mark.parametrize("damage", ["truncate", "delete"])
def test_a_damaged_entry_is_recomputed_not_served(several_units, tmp_path, damage):
    cache = tmp_path / "cache"
    run_all(several_units, tmp_path / "first", PARAMS, cache=cache)
    for shard in (cache / "clean").glob("*/*/records-*.parquet"):
        shard.unlink() if damage == "delete" else shard.write_bytes(shard.read_bytes()[:100])
    run_all(several_units, tmp_path / "second", PARAMS, cache=cache)
    assert checksums(tmp_path / "first") == checksums(tmp_path / "second")


def test_an_entry_keeps_unit_names_out_so_a_shifted_unit_still_hits(tmp_path):
    output, entry_cache = tmp_path / "out", ResultCache(tmp_path / "cache")
    output.mkdir()
    shard = output / "records-00003-00000.parquet"
    shard.write_bytes(b"rows")
    entry_cache.store("clean", "k" * 64, [shard], ["00003"], {"counts": {"kept": 1}})
    [stored] = (tmp_path / "cache" / "clean").glob("*/*/records-*")
    assert stored.name == "records-#0-00000.parquet"
    assert json.loads((stored.parent / "result.json").read_text())["result"] == {"counts": {"kept": 1}}
    moved = tmp_path / "moved"
    moved.mkdir()
    assert entry_cache.fetch("clean", "k" * 64, moved, ["00007"]) == {"counts": {"kept": 1}}
    assert (moved / "records-00007-00000.parquet").read_bytes() == b"rows"
    assert ResultCache(None).fetch("clean", "k" * 64, moved, ["00007"]) is None


def test_prune_removes_only_what_no_stage_folder_uses(several_units, tmp_path):
    from typer.testing import CliRunner

    from corpus.cli import app
    from corpus.plumbing.cache import BAND_BOOK, usage

    cache, work = tmp_path / "cache", str(tmp_path / "work")
    run_all(several_units, tmp_path / "first", PARAMS, cache=cache, work=work)
    assert all(numbers["unlinked_entries"] == 0 for numbers in usage(cache).values())
    assert (cache / BAND_BOOK / "LATEST").exists() and BAND_BOOK not in usage(cache)  # a book, not entries
    target = several_units / "half.txt"
    target.write_text(target.read_text(encoding="utf-8") + target.read_text(encoding="utf-8"), encoding="utf-8")
    run_all(several_units, tmp_path / "second", PARAMS, cache=cache, work=work)
    assert usage(cache)["ingest"]["unlinked_entries"] == 1  # the old half.txt unit
    result = CliRunner().invoke(app, ["cache", "prune", "--cache", str(cache)])
    assert result.exit_code == 0 and result.output.startswith("removed ")
    assert all(numbers["unlinked_entries"] == 0 for numbers in usage(cache).values())
    assert (cache / BAND_BOOK / "LATEST").exists()  # prune leaves the book
    kept = {stage: _entries(cache, stage) for stage in ("ingest", "clean")}
    run_all(several_units, tmp_path / "third", PARAMS, cache=cache, work=work)
    assert {stage: _entries(cache, stage) for stage in kept} == kept
    assert checksums(tmp_path / "second") == checksums(tmp_path / "third")


def test_a_file_rewritten_between_hashing_and_reading_is_not_cached(several_units, tmp_path, monkeypatch):
    import corpus.stages.ingest.jobs

    monkeypatch.setenv("CORPUS_WORKERS", "1")
    # what the hash saw; no snapshot taken, so the file is read (and hashed) again, as a large file is
    jobs = corpus.stages.ingest.jobs
    monkeypatch.setattr(jobs, "fingerprint", lambda *args: jobs.Fingerprint("0" * 64))
    run_all(several_units, tmp_path / "release", PARAMS, cache=tmp_path / "cache")
    assert _entries(tmp_path / "cache", "ingest") == set()  # the bytes read were not the bytes hashed
    assert _entries(tmp_path / "cache", "clean")  # later stages key on what ingest did write
