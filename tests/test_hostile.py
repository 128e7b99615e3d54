"""Hostile inputs through the whole pipeline: no crash, bounded memory, a clear ledger entry for each bad
file, and every good file still processed."""

import gzip
import os
import resource
import subprocess
import sys

import pyarrow.parquet as pq
import pytest

from tests.conftest import SEED_FILES, SEEDS

pytestmark = pytest.mark.slow
SNIPPETS = (SEEDS / SEED_FILES["snippets"]).read_bytes()
LISTING = (SEEDS / SEED_FILES["listing"]).read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def hostile_build(tmp_path_factory):
    root = tmp_path_factory.mktemp("hostile")
    raw = root / "raw"
    raw.mkdir()
    outside = root / "secret.txt"
    outside.write_bytes(SNIPPETS)
    files = {
        "empty.txt": b"",
        "binary.bin": bytes(range(256)) * 64,
        "nul bytes.txt": SNIPPETS.replace("광주시는".encode(), "광주\x00시는".encode(), 1),
        "invalid-utf8.txt": SNIPPETS.replace("정읍시가".encode(), b"\xff\xfe" + "정읍시가".encode(), 1),
        "한글 파일명.txt": SNIPPETS.decode().replace("광주시", "대전시").encode("cp949"),
        "utf16.txt": LISTING.encode("utf-16"),
        "one-line-50mb.txt": "가나다라마바사 ".encode() * (50 * 1024 * 1024 // 22),
        "deep.html": ("<html><body>" + "<div>" * 10_000 + "본문입니다. " * 50 + "</div>" * 10_000
                      + "</body></html>").encode(),
        "bomb.txt.gz": gzip.compress(b"\0" * (60 << 20)),
        "broken.csv": 'title,text\n"ok","첫 기사 본문이다. 내용이 이어진다."\n"bad","닫히지 않은 "따옴표\n'.encode(),
        "name\nwith newline.txt": SNIPPETS,
        "dots..in..name.txt": SNIPPETS,
        "copy of snippets.txt": SNIPPETS,
    }
    for name, data in files.items():
        (raw / name).write_bytes(data)
    for name in SEED_FILES.values():  # enough distinct articles that no split is empty
        (raw / name).write_bytes((SEEDS / name).read_bytes())
    (raw / "escape.txt").symlink_to(outside)
    params = root / "params.yaml"
    params.write_text((SEEDS.parent / "params.yaml").read_text(encoding="utf-8").replace(
        "max_decompressed_bytes: 4294967296", "max_decompressed_bytes: 20971520"), encoding="utf-8")
    release = root / "release"
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    result = subprocess.run([sys.executable, "-m", "corpus", "run", "--input", str(raw), "--output", str(release),
                             "--params", str(params)], capture_output=True, text=True,
                            env=dict(os.environ, GX_ANALYTICS_ENABLED="false"))
    peak_mb = max(before, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) / 1024
    return result, release, peak_mb


def _ledger(release):
    return pq.read_table(release / "ledger").to_pylist()


def _fates(release, name):
    return [(row["fate"], " ".join(row["reasons"])) for row in _ledger(release)
            if row["provenance"]["source_path"] == name]


def test_the_build_completes_with_bounded_memory(hostile_build):
    result, release, peak_mb = hostile_build
    assert result.returncode == 0, result.stderr[-2000:]
    assert (release / "checksums.sha256").exists()
    assert peak_mb < 1500, f"peak RSS {peak_mb:.0f} MB"


@pytest.mark.parametrize(("name", "reason"), [
    ("empty.txt", "empty file"),
    ("binary.bin", "undecodable: binary file"),
    ("one-line-50mb.txt", "line 1 longer than max_line_bytes"),
    ("bomb.txt.gz", "decompression bomb refused"),
    ("escape.txt", "refused: a symlink that leads outside the input folder"),
    ("broken.csv", "broken CSV at line 3"),
    ("invalid-utf8.txt", "line 3 is not valid utf-8"),
])
def test_each_bad_file_has_a_ledger_entry_saying_why(hostile_build, name, reason):
    _, release, _ = hostile_build
    assert any(fate == "quarantined" and reason in why for fate, why in _fates(release, name)), _fates(release, name)


def test_deep_html_is_ledgered_not_crashed(hostile_build):
    _, release, _ = hostile_build
    [(fate, why)] = _fates(release, "deep.html")
    assert fate in {"kept", "dropped:link_list"} and (fate == "kept" or "not an article" in why)


def test_good_and_odd_files_are_all_processed(hostile_build):
    _, release, _ = hostile_build
    for name in ("nul bytes.txt", "한글 파일명.txt", "utf16.txt", "name\nwith newline.txt", "dots..in..name.txt"):
        fates = [fate for fate, _ in _fates(release, name)]
        assert fates and all(f == "kept" or f.startswith("duplicate_of:") for f in fates), (name, fates)
    # the invalid line is quarantined alone; the file's three other snippets are read
    assert sum(1 for fate, _ in _fates(release, "invalid-utf8.txt") if fate != "quarantined") == 3


def test_the_same_file_under_two_names_is_one_article_each(hostile_build):
    _, release, _ = hostile_build
    copies = [fate for fate, _ in _fates(release, "copy of snippets.txt")]
    assert len(copies) == 4 and sum(1 for f in copies if f.startswith("duplicate_of:")) >= 3
