import hashlib
import json
import re

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import yaml
from datasets import load_dataset
from huggingface_hub import DatasetCard

from corpus.pipeline import run_all
from corpus.release.parquet_set import read_sources
from tests.conftest import PARAMS, SEED_FILES, SEEDS, checksums, seed_path


def test_release_loads_with_datasets_as_three_splits(seed_release):
    dataset = load_dataset(str(seed_release))
    assert set(dataset) == {"train", "validation", "test"}
    assert sum(split.num_rows for split in dataset.values()) == 26
    assert all(split.num_rows > 0 for split in dataset.values())
    assert dataset["train"].features["published_at"].dtype == "timestamp[s, tz=Asia/Seoul]"


def test_release_streams(seed_release):
    streamed = load_dataset(str(seed_release), streaming=True)
    first = next(iter(streamed["train"]))
    assert set(first) >= {"id", "text", "provenance", "quality", "dedup"}


def test_rows_per_seed_file(seed_release):
    rows = load_dataset(str(seed_release))
    sources = [r["provenance"]["source_path"] for split in rows.values() for r in split]
    assert {name: sources.count(name) for name in set(sources)} == {
        SEED_FILES["snippets"]: 4, SEED_FILES["page_newsk21"]: 1, SEED_FILES["snippets_bylined"]: 10,
        SEED_FILES["page_tvseoul"]: 1, SEED_FILES["listing"]: 10,
    }


def test_ledger_accounts_for_every_segment(seed_release):
    ledger = load_dataset(str(seed_release), "ledger")["train"]
    stats = json.loads((seed_release / "stats.json").read_text(encoding="utf-8"))
    assert ledger.num_rows == stats["ledger"]["segments"] == 35
    fates = ledger["fate"]
    assert fates.count("kept") == stats["articles"] == 26
    assert fates.count("dropped:sidebar_teaser") == 9
    totals = stats["ledger"]
    assert totals["segments"] == sum(totals[k] for k in ("kept", "quarantined", "duplicate", "dropped", "taken_down"))


def test_card_parses_and_declares_both_configs(seed_release):
    card = DatasetCard.load(seed_release / "README.md")
    assert card.data.language == ["ko"]
    assert [c["config_name"] for c in card.data.configs] == ["default", "ledger"]


def test_datasheet_numbers_come_from_stats(seed_release):
    stats = json.loads((seed_release / "stats.json").read_text(encoding="utf-8"))
    datasheet = (seed_release / "DATASHEET.md").read_text(encoding="utf-8")
    assert f"**{stats['articles']}** articles" in datasheet
    for publisher, count in stats["publishers"].items():
        assert f"| {publisher} | {count} |" in datasheet
    assert "<!-- generated:composition -->\n<!--" not in datasheet  # every block was filled


def test_checksums_cover_every_file(seed_release):
    manifest = (seed_release / "checksums.sha256").read_text(encoding="utf-8").splitlines()
    listed = {}
    for line in manifest:
        digest, name = re.fullmatch(r"([0-9a-f]{64})  (.+)", line).groups()
        listed[name] = digest
    files = {p.relative_to(seed_release).as_posix() for p in seed_release.rglob("*") if p.is_file()}
    assert set(listed) == files - {"checksums.sha256"}
    for name, digest in listed.items():
        assert hashlib.sha256((seed_release / name).read_bytes()).hexdigest() == digest


def test_each_release_file_names_the_raw_files_of_its_own_rows(seed_release):
    stats = json.loads((seed_release / "stats.json").read_text(encoding="utf-8"))
    named = {}
    for path in sorted((seed_release / "data").glob("*.parquet")) + sorted((seed_release / "ledger").glob("*.parquet")):
        metadata = pq.read_schema(path).metadata
        sources = read_sources(path)
        rows = pq.read_table(path, columns=["provenance"]).column("provenance").to_pylist()
        assert sources == {row["source_path"]: row["source_sha256"] for row in rows}
        assert len(metadata[b"corpus.params_sha256"]) == 64
        named |= sources
    assert named == stats["sources_sha256"] and set(named) == set(SEED_FILES.values())


def test_the_minhash_index_holds_each_published_article_once(seed_release):
    files = sorted((seed_release / "dedup").glob("minhash-index-*-of-*.parquet"))
    index = pa.concat_tables(pq.read_table(path) for path in files)
    published = pa.concat_tables(pq.read_table(path, columns=["id"]) for path in (seed_release / "data").glob("*"))
    assert sorted(index.column("id").to_pylist()) == sorted(published.column("id").to_pylist())
    assert index.schema.field("signature").type == pa.list_(pa.uint32(), 128)
    assert pq.read_schema(files[0]).metadata[b"corpus.minhash"] == b"5:32:4:1729"


@pytest.mark.slow
def test_rebuild_is_byte_identical(seed_release, tmp_path):
    again = tmp_path / "release"
    run_all(SEEDS, again, PARAMS)
    assert (again / "checksums.sha256").read_bytes() == (seed_release / "checksums.sha256").read_bytes()


@pytest.mark.slow
def test_sorting_through_bucket_files_gives_the_same_release(seed_release, tmp_path, monkeypatch):
    monkeypatch.setattr("corpus.plumbing.sorting.BUCKET_ROWS", 4)  # split and ledger rows go through 7-9 bucket files
    again = tmp_path / "release"
    run_all(SEEDS, again, PARAMS)
    assert (again / "checksums.sha256").read_bytes() == (seed_release / "checksums.sha256").read_bytes()


def test_a_row_lost_between_stages_breaks_the_conservation_check(tmp_path):
    from corpus.pipeline import run_stage
    from corpus.release.ledger import ConservationError
    from corpus.stages import StagePaths

    paths = StagePaths(SEEDS, tmp_path / "work", tmp_path / "release")
    for stage in ("ingest", "clean", "validate", "dedup", "decontaminate", "split"):
        run_stage(stage, paths, PARAMS)
    shard = next((tmp_path / "work" / "split").glob("train-*.parquet"))
    table = pq.read_table(shard)
    pq.write_table(table.slice(1), shard)  # a bug that silently loses one row
    with pytest.raises(ConservationError, match=r"1 segment\(s\) with no fate"):
        run_stage("publish", paths, PARAMS)
    assert not (tmp_path / "release").exists()  # nothing half-published


def test_adding_a_raw_file_re_encodes_only_the_release_files_it_falls_in(several_units, tmp_path):
    """Release files are cut along units: with small files, the ones holding only old units are reused. A raw file
    that sorts last changes only the last file group of each kind (two when the group reached its size)."""
    document = yaml.safe_load(PARAMS.read_text(encoding="utf-8"))
    document["publish"]["rows_per_shard"] = 8
    params = tmp_path / "params.yaml"
    params.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    cache = tmp_path / "cache"
    run_all(several_units, tmp_path / "before", params, cache=cache)
    before = {path.parent.name for path in (cache / "publish").glob("*/*/result.json")}
    (several_units / "zz-new.txt").write_text(seed_path("snippets").read_text(encoding="utf-8")[::-1] + "\n",
                                              encoding="utf-8")
    run_all(several_units, tmp_path / "after", params, cache=cache)
    added = {path.parent.name for path in (cache / "publish").glob("*/*/result.json")} - before
    assert len(before) > 8 and 0 < len(added) <= 2 * 5  # each split, the ledger, the index: its last groups
    for kind in ("data/train", "data/validation", "data/test", "ledger/ledger", "dedup/minhash-index"):
        old, new = (sorted(p.read_bytes() for p in (tmp_path / side).glob(f"{kind}-*.parquet"))
                    for side in ("before", "after"))
        kept = [blob for blob in new if blob in old]
        assert len(new) - len(kept) <= 2, kind  # at most the last two files of a kind are new bytes
        assert len(kept) >= len(old) - 2, kind
    run_all(several_units, tmp_path / "cold", params)
    assert checksums(tmp_path / "after") == checksums(tmp_path / "cold")


def test_a_composition_table_sums_up_past_its_row_limit():
    from corpus.release.card import TABLE_ROWS, _counts_table

    counts = {f"raw/{i:06d}.html": 1 + (i % 7) for i in range(TABLE_ROWS * 40)}
    table = _counts_table(("raw file", "articles"), counts, "raw files").splitlines()
    assert len(table) == 2 + TABLE_ROWS + 1
    shown = [line.split(" | ") for line in table[2:-1]]
    assert all(int(articles.rstrip(" |")) == 7 for _, articles in shown)  # the largest first
    assert table[-1].startswith(f"| … {TABLE_ROWS * 39} more raw files (all in stats.json) | ")
    assert int(table[-1].rsplit(" | ", 1)[1].rstrip(" |")) + 7 * TABLE_ROWS == sum(counts.values())
    few = dict(list(counts.items())[:3])
    assert _counts_table(("raw file", "articles"), few, "raw files").count("\n") == 4  # under the limit: as is


def test_a_rebuilt_release_of_the_same_sizes_loads_its_own_rows_not_cached_ones(tmp_path):
    # pii_v2 and pii_v3 publish the same articles in the same splits; only a card number's text differs.
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "card.txt").write_text(
        "[뉴스21/김영희 기자] 시는 법인카드(3782-822463-10005) 결제분은 카드사로 돌려준다고 밝혔다. "
        "환불 신청은 다음 달부터 시청 누리집에서 받으며 처리에는 2주가량 걸린다고 설명했다.\n", encoding="utf-8")
    for name in SEED_FILES.values():
        (raw / name).write_bytes((SEEDS / name).read_bytes())
    texts = {}
    for pii in ("pii_v2", "pii_v3"):
        params = tmp_path / f"{pii}.yaml"
        params.write_text(PARAMS.read_text(encoding="utf-8").replace("    - pii_v3\n", f"    - {pii}\n"),
                          encoding="utf-8")
        release = tmp_path / pii / "release"  # same folder name: `datasets` names its cache after it
        run_all(raw, release, params)
        dataset = load_dataset(str(release), cache_dir=str(tmp_path / "hf-cache"))
        texts[pii] = [row["text"] for split in dataset.values() for row in split if "법인카드" in row["text"]]
    assert len(texts["pii_v2"]) == len(texts["pii_v3"]) == 1
    assert "3782-822463-10005" in texts["pii_v2"][0] and "(<CARD>)" in texts["pii_v3"][0]


def test_the_datasheet_and_card_report_split_balance_with_its_plot(seed_release):
    stats = json.loads((seed_release / "stats.json").read_text(encoding="utf-8"))
    pairs = {(p["dimension"], p["splits"]) for p in stats["balance"]["pairs"]}
    assert ("month", "train~test") in pairs and len(pairs) == 15
    assert set(stats["balance"]["distributions"]) == {"train", "validation", "test"}
    for page in ("DATASHEET.md", "README.md"):
        text = (seed_release / page).read_text(encoding="utf-8")
        assert "| publisher | train~validation |" in text and "![Split balance](plots/balance.png)" in text
    assert (seed_release / "plots" / "balance.png").read_bytes().startswith(b"\x89PNG")
    assert (seed_release / "plots" / "balance.csv").read_text(encoding="utf-8").startswith("dimension,value,split")
