import bz2
import gzip
import lzma

import pytest
import zstandard

from corpus.params import IngestParams
from corpus.sources import BadSourceError, LineError, open_source
from tests.conftest import raw_file, seed_path

SNIPPETS = seed_path("snippets").read_bytes()


@pytest.mark.parametrize(("name", "compress", "kind"), [
    ("a.txt.gz", gzip.compress, "gzip"),
    ("a.txt.bz2", bz2.compress, "bzip2"),
    ("a.txt.xz", lzma.compress, "xz"),
    ("a.txt.zst", lambda data: zstandard.ZstdCompressor().compress(data), "zstd"),
])
def test_compressed_files_are_expanded_with_spans_in_the_expanded_bytes(tmp_path, name, compress, kind):
    source = open_source(raw_file(tmp_path, name, compress(SNIPPETS)), name, IngestParams())
    assert (source.compression, source.name, source.size) == (kind, "a.txt", len(SNIPPETS))
    lines = [line for line in source.lines() if not isinstance(line, LineError)]
    assert len(lines) == 4
    assert SNIPPETS[lines[1].start : lines[1].end].decode() == lines[1].text


def test_a_decompression_bomb_is_refused_without_expanding_it(tmp_path):
    bomb = raw_file(tmp_path, "bomb.txt.gz", gzip.compress(b"\0" * (50 << 20)))
    with pytest.raises(BadSourceError, match="decompression bomb refused: gzip expands past"):
        open_source(bomb, "bomb.txt.gz", IngestParams(max_decompressed_bytes=10 << 20))


def test_a_corrupt_stream_is_a_clear_error(tmp_path):
    broken = raw_file(tmp_path, "x.gz", gzip.compress(SNIPPETS)[:-40])
    with pytest.raises(BadSourceError, match="corrupt gzip stream"):
        open_source(broken, "x.gz", IngestParams())


def test_cp949_text_is_decoded_line_by_line(tmp_path):
    text = "광주시가 인공지능 실증도시 조성에 박차를 가한다. 시는 협약을 맺었다고 밝혔다.\n" * 30
    source = open_source(raw_file(tmp_path, "a.txt", text.encode("cp949")), "a.txt", IngestParams())
    assert source.encoding in {"cp949", "euc_kr"}
    assert next(source.lines()).text == text.split("\n")[0]


def test_an_invalid_utf8_line_is_reported_alone(tmp_path):
    data = SNIPPETS.split(b"\n")
    data[2] = data[2][:50] + b"\xff\xfe" + data[2][50:]
    source = open_source(raw_file(tmp_path, "a.txt", b"\n".join(data)), "a.txt", IngestParams())
    assert source.encoding == "utf-8"
    lines = list(source.lines())
    assert [type(line).__name__ for line in lines] == ["Line", "Line", "LineError", "Line"]
    assert lines[2].reason.startswith("line 3 is not valid utf-8")


def test_a_line_longer_than_the_limit_is_skipped_not_read(tmp_path):
    data = b"x" * 5000 + b"\n" + SNIPPETS
    source = open_source(raw_file(tmp_path, "a.txt", data), "a.txt", IngestParams(max_line_bytes=1000))
    first, *rest = list(source.lines())
    assert isinstance(first, LineError) and first.reason == "line 1 longer than max_line_bytes 1000"
    assert (first.start, first.end) == (0, 5001)
    assert len(rest) == 4 and rest[0].start == 5001


def test_empty_and_binary_files(tmp_path):
    with pytest.raises(BadSourceError, match="empty file"):
        open_source(raw_file(tmp_path, "e.txt", b"  \n\n"), "e.txt", IngestParams())
    binary = open_source(raw_file(tmp_path, "b.bin", bytes(range(256)) * 64), "b.bin", IngestParams())
    with pytest.raises(ValueError, match="NUL"):
        binary.encoding  # noqa: B018


def test_a_file_rewritten_while_being_read_is_hashed_as_read(tmp_path):
    import hashlib
    import threading

    path = tmp_path / "moving.txt"
    versions = [SNIPPETS, SNIPPETS.replace("광주".encode(), "대전".encode()), SNIPPETS[: len(SNIPPETS) // 2]]
    path.write_bytes(versions[0])
    stop = threading.Event()

    def rewrite() -> None:
        turn = 0
        while not stop.is_set():
            path.write_bytes(versions[turn % len(versions)])
            turn += 1

    writer = threading.Thread(target=rewrite)
    writer.start()
    try:
        for _ in range(50):
            try:
                source = open_source(path, "moving.txt", IngestParams())
            except BadSourceError:
                continue  # caught mid-rewrite with nothing in it: an empty file, said so
            data = source.read_bytes() if source.size < (1 << 20) else b""
            assert hashlib.sha256(data).hexdigest() == source.sha256  # provenance matches what was read
            source.close()
    finally:
        stop.set()
        writer.join()
