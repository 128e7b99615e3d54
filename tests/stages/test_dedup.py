"""Dedup and splits end to end on the seeds plus planted duplicates (real pipeline, real load_dataset)."""

import random
import shutil
from collections import Counter

import numpy as np
import pyarrow.parquet as pq
import yaml
from datasets import load_dataset

from corpus.dedup import partitions
from corpus.dedup.bands import Part
from corpus.params import DedupParams
from corpus.pipeline import run_all
from corpus.stages.dedup import config_of, find_duplicates
from tests.conftest import PARAMS, SEED_FILES, SEEDS
from tests.dedup.keyfiles import write_index, write_keys

LINES = (SEEDS / SEED_FILES["snippets_bylined"]).read_text(encoding="utf-8").splitlines()
LISTING_TEXT = (SEEDS / SEED_FILES["listing"]).read_text(encoding="utf-8")


def _edited(text: str, rate: float, seed: int) -> str:
    rng = random.Random(seed)
    chars = list(text)
    for _ in range(int(len(chars) * rate)):
        position = rng.randrange(40, len(chars))
        chars[position] = rng.choice("가나다라마바사")
    return "".join(chars)


def _build(tmp_path, name, files: dict[str, str], params: dict | None = None):
    raw = tmp_path / f"{name}-raw"
    raw.mkdir()
    for seed in SEED_FILES.values():
        shutil.copy(SEEDS / seed, raw / seed)
    for file_name, text in files.items():
        (raw / file_name).write_text(text, encoding="utf-8")
    params_file = PARAMS
    if params:
        document = yaml.safe_load(PARAMS.read_text(encoding="utf-8"))
        for stage, values in params.items():
            document[stage].update(values)
        params_file = tmp_path / f"{name}-params.yaml"
        params_file.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    release = tmp_path / name
    run_all(raw, release, params_file)
    return release


def _ledger(release):
    return {row["segment_id"]: row for row in pq.read_table(release / "ledger").to_pylist()}


def test_a_reprint_with_a_few_edits_is_folded_into_the_original(tmp_path):
    reprint = "뉴스21 홍길동 기자 | " + _edited(LINES[3].split("| ", 1)[1], 0.02, seed=3)
    release = _build(tmp_path, "r", {"reprint.txt": reprint + "\n"})
    ledger = _ledger(release).values()
    [duplicate] = [row for row in ledger if row["fate"].startswith("duplicate_of:")]
    assert duplicate["reasons"][0].startswith("near-duplicate: estimated Jaccard")
    rows = [r for split in load_dataset(str(release)).values() for r in split]
    assert len(rows) == 26
    [representative] = [r for r in rows if r["id"] == duplicate["fate"].split(":")[1]]
    assert representative["dedup"]["cluster_size"] == 2


def test_a_released_article_stays_representative_in_the_next_build(tmp_path):
    first = _build(tmp_path, "v1", {})
    released_ids = {r["id"] for split in load_dataset(str(first)).values() for r in split}
    # A fuller copy of a released, truncated snippet arrives later: on its own merits it would win.
    fuller = LINES[0] + " 이어지는 문장이 더 있다. 마지막 문장도 온전하게 끝났다."
    second = _build(tmp_path, "v2", {"later.txt": fuller + "\n"},
                    params={"dedup": {"previous_index": str(first)}})
    later = [row for row in _ledger(second).values() if row["provenance"]["source_path"] == "later.txt"]
    assert later[0]["fate"].startswith("duplicate_of:") and later[0]["fate"].split(":")[1] in released_ids
    without_index = _build(tmp_path, "v2b", {"later.txt": fuller + "\n"})
    later = [row for row in _ledger(without_index).values() if row["provenance"]["source_path"] == "later.txt"]
    assert later[0]["fate"] == "kept"


def _splits(release):
    return {row["id"]: split for split, rows in load_dataset(str(release)).items() for row in rows}


def test_adding_raw_files_never_moves_an_article_to_another_split(tmp_path):
    before = _splits(_build(tmp_path, "a", {}))
    sentences = [s.strip() + "." for s in LISTING_TEXT.split(".") if len(s.strip()) > 40]
    extra = {f"new-{i}.txt": " ".join(sentences[i * 3 : i * 3 + 3]) + "\n" for i in range(6)}
    after = _splits(_build(tmp_path, "b", extra))
    assert all(after[article] == split for article, split in before.items())
    assert len(after) == len(before) + 6


def test_input_order_and_file_names_do_not_change_splits(tmp_path):
    plain = _splits(_build(tmp_path, "plain", {}))
    raw = tmp_path / "renamed-raw"
    raw.mkdir()
    for index, seed in enumerate(reversed(list(SEED_FILES.values()))):
        shutil.copy(SEEDS / seed, raw / f"z{index}-{seed[::-1]}")
    run_all(raw, tmp_path / "renamed", PARAMS)
    assert _splits(tmp_path / "renamed") == plain


def test_temporal_mode_puts_the_latest_period_in_test(tmp_path):
    temporal = {"split": {"mode": "temporal", "test_from": "2025-12-17T00:00:00+09:00"}}
    release = _build(tmp_path, "t", {}, params=temporal)
    dataset = load_dataset(str(release))
    assert all(row["published_at"] is not None and row["published_at"].isoformat() >= "2025-12-17"
               for row in dataset["test"])
    assert len(dataset["test"]) == 8  # the listing entries dated 12-17 and 12-18


def test_the_corpus_wide_step_decides_the_same_a_key_range_partition_at_a_time(tmp_path, monkeypatch):
    config = config_of(DedupParams())
    rng = np.random.default_rng(8)
    sigs = rng.integers(0, 2**32, size=(300, config.num_perm), dtype=np.uint32)
    copied = rng.choice(150, size=90, replace=False)
    sigs[150:240] = sigs[copied]
    flips = rng.random((90, config.num_perm)) < 0.1  # near copies: ~90% of values kept
    sigs[150:240][flips] = rng.integers(0, 2**32, size=int(flips.sum()), dtype=np.uint32)
    ids, texts = list(range(300)), list(range(300))
    for copy, original in zip(range(150, 180), copied[:30], strict=True):
        texts[copy] = original  # the same normalized text
    for copy, original in zip(range(180, 200), copied[30:50], strict=True):
        ids[copy] = original  # the same article id
    extra = rng.integers(0, 2**32, size=(20, config.num_perm), dtype=np.uint32)
    earlier = np.vstack([sigs[:40], extra, sigs[250:260]])  # an earlier release: 20 of its articles are gone
    write_keys(tmp_path / "earlier", earlier, [(0, 70)], ["u"], config,
               ids=[*range(40), *range(1000, 1020), *range(250, 260)], texts=list(range(70)))
    write_index(tmp_path / "index.parquet", tmp_path / "earlier", np.ones(70, bool), config)
    names, spans = ["u0", "u1", "u2"], [(0, 120), (120, 200), (200, 300)]
    write_keys(tmp_path / "out", sigs, spans, names, config, ids=ids, texts=texts)
    parts = [Part(name, stop - start) for name, (start, stop) in zip(names, spans, strict=True)]

    def decided():
        found = find_duplicates(tmp_path / "out", names, parts, config, str(tmp_path / "index.parquet"))
        d = found.decisions
        notices = d.notices(0, 300, [f"s{i}" for i in d.duplicates])
        return found.anchors, d.duplicates.tolist(), d.grouped.tolist(), d.sizes.tolist(), d.clusters, notices

    whole = decided()
    reasons = Counter(removal["reasons"][0].split(" with ")[0].split(" 0.")[0] for removal in whole[5])
    assert whole[0] == 20 and sum(reasons.values()) >= 80
    assert set(reasons) == {"exact: same article id", "exact: same normalized text",
                            "near-duplicate: estimated Jaccard"}
    monkeypatch.setattr(partitions, "PARTITION_ROWS", 16)  # ~20 partitions of each key column
    monkeypatch.setattr(partitions, "CHUNK_ROWS", 7)
    assert decided() == whole
