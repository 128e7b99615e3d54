"""Large files read in parts by several jobs: the same release as reading each file whole."""

import csv
import io
import json

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from corpus.pipeline import run_all
from corpus.plumbing.shards import unit_names
from tests.conftest import PARAMS, checksums, seed_path


def _articles() -> list[str]:
    lines = [line for key in ("snippets", "snippets_bylined")
             for line in seed_path(key).read_text(encoding="utf-8").splitlines() if line.strip()]
    return [f"{line}\n{line[::-1][:200]}" for line in lines]  # two paragraphs, each article distinct


def _raw(folder):
    articles = _articles()
    folder.mkdir()
    records = [{"title": f"기사 {i}", "text": text, "date": f"2024-03-{i % 28 + 1:02d}"}
               for i, text in enumerate(articles)]
    (folder / "export.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records),
                                         encoding="utf-8")
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["title", "text", "date"])
    for record in records:  # multi-line quoted bodies, with quotes inside
        writer.writerow([record["title"], record["text"].replace("\n", '\n"인용"\n'), record["date"]])
    (folder / "export.csv").write_text(buffer.getvalue(), encoding="utf-8")
    (folder / "lines.txt").write_text("\n".join(a.replace("\n", "  ") for a in articles) + "\n", encoding="utf-8")
    pq.write_table(pa.Table.from_pylist(records), folder / "export.parquet", row_group_size=3)
    stray = buffer.getvalue().replace("기사 3,", 'a "stray quote 3,', 1)  # parity is off from here: read whole
    (folder / "stray.csv").write_text(stray, encoding="utf-8")


@pytest.fixture
def parted(monkeypatch):
    import corpus.plumbing.parts
    import corpus.plumbing.units
    import corpus.stages.validate

    def read_in_parts(part_bytes):
        monkeypatch.setattr(corpus.plumbing.units, "ALONE_BYTES", 1)
        monkeypatch.setattr(corpus.plumbing.parts, "PART_BYTES", part_bytes)
        # The row Data Docs list GX's runs, one a group of units: held to one group, as for any plan whose rows
        # fit one run and whose unit keys fall on no group boundary.
        monkeypatch.setattr(corpus.stages.validate, "GROUP_EVERY", 1 << 40)
        monkeypatch.setattr(corpus.stages.validate, "HALF_FULL_EVERY", 1 << 40)
    return read_in_parts


def test_files_read_in_parts_build_the_release_of_files_read_whole(tmp_path, parted, monkeypatch):
    _raw(tmp_path / "raw")
    whole = run_all(tmp_path / "raw", tmp_path / "whole", PARAMS, work=str(tmp_path / "work-whole"))
    results = {}
    for part_bytes, workers in ((1500, "2"), (700, "1")):
        parted(part_bytes)
        monkeypatch.setenv("CORPUS_WORKERS", workers)
        name = f"parts-{part_bytes}"
        results[name] = run_all(tmp_path / "raw", tmp_path / name, PARAMS, work=str(tmp_path / f"work-{name}"))
        assert len(unit_names(tmp_path / f"work-{name}" / "ingest", "segments")) > 5 * 4
        assert checksums(tmp_path / name) == checksums(tmp_path / "whole")
        assert results[name] == whole


def test_every_segment_keeps_its_position_in_the_whole_file(tmp_path, parted):
    _raw(tmp_path / "raw")
    parted(700)
    run_all(tmp_path / "raw", tmp_path / "out", PARAMS, work=str(tmp_path / "work"))
    ledger = pq.read_table(tmp_path / "out" / "ledger").to_pylist()
    by_file = {}
    for row in ledger:
        by_file.setdefault(row["provenance"]["source_path"], []).append(row["provenance"])
    assert set(by_file) == {"export.jsonl", "export.csv", "lines.txt", "export.parquet", "stray.csv"}
    for path, provenance in by_file.items():
        provenance.sort(key=lambda p: p["byte_start"])
        assert [p["segment_index"] for p in provenance] == list(range(len(provenance))), path
        assert len(provenance) == len(_articles()), path
    lines = [p["line_start"] for p in sorted(by_file["lines.txt"], key=lambda p: p["byte_start"])]
    assert lines == list(range(1, len(lines) + 1))
    units_of = {}
    for shard in (tmp_path / "work" / "ingest").glob("segments-*.parquet"):
        for provenance in pq.read_table(shard, columns=["provenance"]).column("provenance").to_pylist():
            units_of.setdefault(provenance["source_path"], set()).add(shard.name.split("-")[1])
    assert all(len(units_of[path]) > 4 for path in ("export.jsonl", "export.csv", "lines.txt", "export.parquet"))
    assert len(units_of["stray.csv"]) == 1  # a part's end fell inside a quoted field: the file was read whole
