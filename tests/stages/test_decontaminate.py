"""Decontaminate, end to end: articles holding a KLUE dev item are ledgered `contaminated:<benchmark>:<item id>`
and dropped or flagged by policy; the ledger still gives every segment one fate; the card, datasheet and
stats count them per benchmark."""

import json
import shutil

import pyarrow.parquet as pq
import pytest
import yaml
from datasets import load_dataset

from benchmarks.synthetic import seed_sentences
from corpus.errors import UsageError
from corpus.pipeline import run_all
from corpus.release.why import explain
from corpus.stages import decontaminate
from tests.conftest import PARAMS, ROOT, SEED_FILES, checksums, seed_path

KLUE = ROOT / "tests" / "fixtures" / "klue"
NER_0 = ("경찰은 또 성매매 알선 자금을 관리한 박씨의 딸(32)과 성매매 여성 김모(33)씨 등 16명을 같은 혐의로 "
         "불구속 입건했다.")
DP_0 = "'K팝스타3’ 유희열이 홍정희의 탈락에 눈물을 흘렸다."


def _params(tmp_path, **changes):
    document = yaml.safe_load(PARAMS.read_text(encoding="utf-8"))
    for spec in document["decontaminate"]["against"].values():
        spec["paths"] = [str(ROOT / path) for path in spec["paths"]]
    document["decontaminate"].update(changes)
    path = tmp_path / "params.yaml"
    path.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    return path


def _raw(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    for key in ("snippets_bylined", "listing"):
        shutil.copy(seed_path(key), raw / SEED_FILES[key])
    prose = seed_sentences()
    lines = [
        f"뉴스21 장병기 기자 | {prose[0]} {prose[1]} {NER_0} {prose[2]} {prose[3]}",  # embedded, verbatim
        f"뉴스21 장병기 기자 | {prose[4]} {DP_0.replace(' ', '')} {prose[5]} {prose[6]}",  # re-spaced
    ]
    (raw / "copies.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return raw


def _ledger(release):
    return pq.read_table(release / "ledger").to_pylist()


def test_drop_removes_each_article_holding_an_item_and_ledgers_it_with_the_overlap(tmp_path):
    release = tmp_path / "release"
    run_all(_raw(tmp_path), release, _params(tmp_path, policy="drop"))
    contaminated = {row["fate"]: row["reasons"] for row in _ledger(release) if row["fate"].startswith("contaminated:")}
    assert set(contaminated) == {"contaminated:klue-ner:klue-ner-v1_dev_00000-wikitree",
                                 "contaminated:klue-dp:klue-dp-v1_dev_00000_wikitree"}
    reason = contaminated["contaminated:klue-ner:klue-ner-v1_dev_00000-wikitree"][0]
    assert "overlap 1.00" in reason and "character 13-grams" in reason and "removed (policy drop)" in reason
    stats = json.loads((release / "stats.json").read_text(encoding="utf-8"))
    assert stats["ledger"]["contaminated"] == 2 and stats["ledger"]["published"] == stats["articles"]
    assert stats["ledger"]["segments"] == sum(stats["ledger"][k] for k in
                                              ("kept", "quarantined", "duplicate", "dropped", "taken_down",
                                               "contaminated"))
    assert {name: b["articles"] for name, b in stats["contamination"]["benchmarks"].items()} == {
        "klue-dp": 1, "klue-ner": 1, "klue-nli": 0}
    texts = [row["text"] for split in load_dataset(str(release)).values() for row in split]
    assert not any("불구속 입건했다" in text for text in texts)
    for document in ("README.md", "DATASHEET.md"):
        page = (release / document).read_text(encoding="utf-8")
        assert "| klue-ner | 40 | 40 | 1 |" in page and "| klue-nli | 15 | 15 | 0 |" in page, document


def test_flag_publishes_the_article_naming_the_hit_and_the_ledger_still_says_contaminated(tmp_path):
    release = tmp_path / "release"
    run_all(_raw(tmp_path), release, _params(tmp_path, policy="flag"))
    rows = [row for split in load_dataset(str(release)).values() for row in split]
    flagged = [row for row in rows if row["contamination"] is not None]
    assert [(r["contamination"]["benchmark"], r["contamination"]["overlap"]) for r in
            sorted(flagged, key=lambda r: r["contamination"]["benchmark"])] == [("klue-dp", 1.0), ("klue-ner", 1.0)]
    fates = [row["fate"] for row in _ledger(release)]
    assert sum(fate.startswith("contaminated:") for fate in fates) == 2
    stats = json.loads((release / "stats.json").read_text(encoding="utf-8"))
    assert stats["articles"] == stats["ledger"]["published"] == stats["ledger"]["kept"] + 2
    (segment,) = [row["segment_id"] for row in _ledger(release) if row["fate"].startswith("contaminated:klue-ner")]
    (story,) = explain(release, segment)
    assert "holds item klue-ner-v1_dev_00000-wikitree of the benchmark klue-ner, published in the" in story


def test_a_benchmark_glob_that_finds_nothing_stops_the_run_before_any_stage(tmp_path):
    document = yaml.safe_load(PARAMS.read_text(encoding="utf-8"))
    document["decontaminate"]["against"] = {"mine": {"paths": ["nowhere/*.jsonl"], "text": ["question"]}}
    params = tmp_path / "params.yaml"
    params.write_text(yaml.safe_dump(document), encoding="utf-8")
    with pytest.raises(UsageError, match=r"decontaminate\.against\.mine: nowhere/\*\.jsonl matches no file"):
        run_all(_raw(tmp_path), tmp_path / "release", params)
    assert not (tmp_path / "release").exists()


def test_the_index_archive_is_read_back_and_its_bytes_depend_only_on_the_arrays():
    import io

    import numpy as np

    from corpus.stages.decontaminate import npz_bytes

    arrays = {"hashes": np.arange(7, dtype=np.uint64), "items": np.array([3, 1], dtype=np.int32)}
    packed = npz_bytes(**arrays)
    stored = np.load(io.BytesIO(packed))
    assert all((stored[name] == array).all() for name, array in arrays.items())
    assert packed == npz_bytes(**arrays) and packed[4] == 20  # no zip64 header: no patch-release difference


def test_the_release_does_not_depend_on_how_many_articles_are_looked_up_at_once(tmp_path, monkeypatch):
    """Hits are per article: a batch (BATCH_ROWS, chosen for memory) only groups the look-ups."""
    raw, params = _raw(tmp_path), _params(tmp_path, policy="flag")
    run_all(raw, tmp_path / "whole", params)
    monkeypatch.setattr(decontaminate, "BATCH_ROWS", 2)
    run_all(raw, tmp_path / "pairs", params)
    assert checksums(tmp_path / "whole") == checksums(tmp_path / "pairs")
    rows = [row for split in load_dataset(str(tmp_path / "pairs")).values() for row in split]
    assert sum(row["contamination"] is not None for row in rows) == 2  # both hits found, two articles at a time
