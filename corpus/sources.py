"""Raw files as the formats see them: decompressed (bounded), hashed, encoding-detected, read as lines.

Compressed inputs (.gz .bz2 .xz .zst, recognised by their magic bytes) are expanded into a spooled
temporary file, never into one string, and refused once they exceed `max_decompressed_bytes`. Byte
spans of segments refer to the decompressed stream; `sha256` is of the file as stored.
"""

from __future__ import annotations

import bz2
import gzip
import hashlib
import lzma
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import zstandard
from charset_normalizer import from_bytes

from corpus.params import IngestParams
from corpus.plumbing.parts import Window, align


class UndecodableError(ValueError):
    """The bytes are not text in any encoding we can detect."""


@dataclass(slots=True)
class Line:
    number: int  # 1-based line number in the file
    start: int  # byte offset of the first byte of the line
    end: int  # byte offset just past the line's text (newline and CR excluded)
    text: str
    # Every detector and shape asks for it, several times a line: computed once.
    stripped: str = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        self.stripped = self.text.strip()


def detect_encoding(data: bytes) -> str:
    """UTF-8 first (the common case), then BOMs, then charset-normalizer (CP949 / EUC-KR / …)."""
    if data.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    if data.count(b"\x00") > len(data) // 100:  # text holds a stray NUL at most; UTF-16 would have its mark here
        raise UndecodableError("binary file: NUL bytes and no UTF-16 byte order mark")
    try:
        data.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        pass
    lenient = data.decode("utf-8", errors="replace")
    if lenient.count("\ufffd") <= max(8, len(lenient) // 200):
        return "utf-8"  # UTF-8 with a few bad bytes: the lines holding them are quarantined one by one
    if b"\x00" in data:
        raise UndecodableError("binary file: NUL bytes and no UTF-16 byte order mark")
    best = from_bytes(data).best()
    if best is None:
        raise UndecodableError("no text encoding fits the bytes (charset-normalizer found none)")
    return best.encoding


def split_lines(data: bytes, encoding: str) -> list[Line]:
    """Decode into lines, keeping each line's byte span in the raw file."""
    if encoding.replace("_", "-").startswith("utf-16"):
        return _split_utf16(data)
    offset = 3 if encoding == "utf-8-sig" else 0
    codec = "utf-8" if encoding == "utf-8-sig" else encoding
    pieces = data[offset:].split(b"\n")
    try:
        texts = data[offset:].decode(codec).split("\n")
    except UnicodeDecodeError:
        texts = []  # find the line at fault below
    if len(texts) != len(pieces):  # an undecodable line, or a codec whose bytes can hold 0x0A mid-character
        texts = [_decode_line(raw, codec, number, encoding) for number, raw in enumerate(pieces, start=1)]
    lines = []
    for number, (raw, text) in enumerate(zip(pieces, texts, strict=True), start=1):
        end = offset + len(raw)
        if raw.endswith(b"\r"):
            lines.append(Line(number, offset, end - 1, text[:-1]))
        else:
            lines.append(Line(number, offset, end, text))
        offset = end + 1
    if lines and not lines[-1].text and lines[-1].start == len(data):
        lines.pop()  # the file ended with a newline
    return lines


def _decode_line(raw: bytes, codec: str, number: int, encoding: str) -> str:
    try:
        return raw.decode(codec)
    except UnicodeDecodeError as error:
        raise UndecodableError(f"line {number} is not valid {encoding}: {error.reason}") from None


def _split_utf16(data: bytes) -> list[Line]:
    little = not data.startswith(b"\xfe\xff")
    codec = "utf-16-le" if little else "utf-16-be"
    try:
        text = data[2:].decode(codec)
    except UnicodeDecodeError as error:
        raise UndecodableError(f"not valid UTF-16: {error.reason}") from None
    lines, offset = [], 2
    for number, piece in enumerate(text.split("\n"), start=1):
        width = len(piece.encode(codec))
        content = piece[:-1] if piece.endswith("\r") else piece
        lines.append(Line(number, offset, offset + len(content.encode(codec)), content))
        offset += width + 2
    if lines and not lines[-1].text and lines[-1].start == len(data):
        lines.pop()
    return lines


SAMPLE_BYTES = 1 << 20
CHUNK = 1 << 20
COMPRESSIONS = {
    b"\x1f\x8b": ("gzip", ".gz", gzip.open),
    b"BZh": ("bzip2", ".bz2", bz2.open),
    b"\xfd7zXZ\x00": ("xz", ".xz", lzma.open),
    b"\x28\xb5\x2f\xfd": ("zstd", ".zst", lambda f: zstandard.ZstdDecompressor().stream_reader(f)),
}


def _codec(encoding: str) -> str:
    return "utf-8" if encoding == "utf-8-sig" else encoding


class BadSourceError(ValueError):
    """The file cannot be read as text at all; the message is the ledger reason. `sha256` is the file's
    hash when it was read far enough to know it."""

    def __init__(self, reason: str, sha256: str = "") -> None:
        super().__init__(reason)
        self.sha256 = sha256


@dataclass(frozen=True, slots=True)
class LineError:
    """A line that could not be read (undecodable, or longer than max_line_bytes)."""

    number: int
    start: int
    end: int
    reason: str


@dataclass
class Source:
    relative: str
    sha256: str
    size: int  # decompressed bytes
    compression: str | None
    name: str  # file name without the compression suffix, for detection by extension
    stream: IO[bytes]
    params: IngestParams
    head: bytes = b""
    _encoding: str | None = field(default=None, repr=False)
    _bytes: bytes | None = field(default=None, repr=False)
    _sample_lines: list[Line] | None = field(default=None, repr=False)
    _all_lines: list[Line] | None = field(default=None, repr=False)
    memo: dict[str, Any] = field(default_factory=dict, repr=False)  # what the shapes work out once per file
    part: tuple[int, int] | None = None  # read only the records that start in this nominal byte window

    def window(self, skip: int, quote: bytes | None = None) -> Window:
        """The part's window, moved to record boundaries (corpus.plumbing.parts); the whole file without a part."""
        if self.part is None:
            return Window(skip, self.size, 1, True)
        return align(self.stream, self.part, self.size, skip=skip, quote=quote)

    @property
    def encoding(self) -> str:
        """Detected on the first MiB (cut back to the last complete line)."""
        if self._encoding is None:
            sample = self.head
            if len(sample) >= SAMPLE_BYTES and b"\n" in sample:
                sample = sample[: sample.rindex(b"\n") + 1]
            self._encoding = detect_encoding(sample)
        return self._encoding

    @property
    def suffix(self) -> str:
        return Path(self.name).suffix.lower()

    def read_bytes(self) -> bytes:
        """The whole (decompressed) file, for page-like shapes; refused past max_document_bytes."""
        if self._bytes is None:
            if self.size > self.params.max_document_bytes:
                raise BadSourceError(
                    f"too large for a whole-page shape: {self.size} bytes > max_document_bytes "
                    f"{self.params.max_document_bytes}"
                )
            self.stream.seek(0)
            self._bytes = self.stream.read()
        return self._bytes

    def sample_lines(self) -> list[Line]:
        """The complete lines of the first MiB, decoded, for detection (bad bytes replaced)."""
        if self._sample_lines is None:
            self._sample_lines = self._decode_sample()
        return self._sample_lines

    def _decode_sample(self) -> list[Line]:
        sample = self.head
        if len(sample) >= SAMPLE_BYTES and b"\n" in sample:
            sample = sample[: sample.rindex(b"\n") + 1]
        try:
            lines = split_lines(sample, self.encoding)
            if len(sample) == self.size:  # the sample is the whole file, decoded strictly: all_lines too
                self._all_lines = lines
            return lines
        except UndecodableError:
            return split_lines(sample.decode(_codec(self.encoding), errors="replace").encode(), "utf-8")

    def all_lines(self) -> list[Line]:
        """Every line at once (page-like shapes, files up to max_document_bytes)."""
        if self._all_lines is None:
            self._all_lines = split_lines(self.read_bytes(), self.encoding)
        return self._all_lines

    def lines(self) -> Iterator[Line | LineError]:
        """Lines one at a time with their byte spans; memory bounded by max_line_bytes."""
        encoding = self.encoding
        if encoding.replace("_", "-").startswith("utf-16"):
            yield from self.all_lines()
            return
        self.sample_lines()
        if self.part is None and self._all_lines is not None and all(line.end - line.start < self.params.max_line_bytes
                                               for line in self._all_lines):
            yield from self._all_lines  # a small file: already decoded whole for detection
            return
        codec = "utf-8" if encoding == "utf-8-sig" else encoding
        window = self.window(3 if encoding == "utf-8-sig" else 0)
        offset = window.start
        self.stream.seek(offset)
        limit = self.params.max_line_bytes
        number = window.first_line - 1
        while offset < window.end:
            raw = self.stream.readline(limit + 1)
            if not raw:
                return
            number += 1
            start = offset
            if len(raw) > limit and not raw.endswith(b"\n"):
                offset += len(raw) + _skip_rest_of_line(self.stream)
                yield LineError(number, start, offset, f"line {number} longer than max_line_bytes {limit}")
                continue
            offset += len(raw)
            content = raw[:-1] if raw.endswith(b"\n") else raw
            content = content[:-1] if content.endswith(b"\r") else content
            try:
                yield Line(number, start, start + len(content), content.decode(codec))
            except UnicodeDecodeError as error:
                yield LineError(
                    number,
                    start,
                    start + len(content),
                    f"line {number} is not valid {encoding}: {error.reason} at byte {error.start}",
                )

    def close(self) -> None:
        self.stream.close()


def _skip_rest_of_line(stream: IO[bytes]) -> int:
    skipped = 0
    while True:
        chunk = stream.readline(CHUNK)
        skipped += len(chunk)
        if not chunk or chunk.endswith(b"\n"):
            return skipped


def open_source(path: Path, relative: str, params: IngestParams, taken: Snapshot | None = None) -> Source:
    """Snapshot the file (hashing the very bytes that will be read, so a file changing underneath us
    cannot make provenance lie), expand it if compressed (bounded), keep the first MiB for detection.
    A snapshot already `taken` (see `snapshot`) is read instead of the file."""
    if taken is None:
        stored = path.stat().st_size
        if stored > params.max_file_bytes:
            raise BadSourceError(f"file too large: {stored} bytes > max_file_bytes {params.max_file_bytes}")
        taken = snapshot(path, params)
    snapshot_file, sha = taken.copy, taken.sha256
    snapshot_file.seek(0)
    try:
        magic = snapshot_file.read(8)
        snapshot_file.seek(0)
        compression = next((spec for prefix, spec in COMPRESSIONS.items() if magic.startswith(prefix)), None)
        name = path.name
        if compression is None:
            stream: IO[bytes] = snapshot_file
            size = snapshot_file.seek(0, 2)
            snapshot_file.seek(0)
        else:
            kind, suffix, opener = compression
            name = name[: -len(suffix)] if name.lower().endswith(suffix) else name
            try:
                stream, size = _expand(snapshot_file, opener, params, kind)
            finally:
                snapshot_file.close()
        head = stream.read(SAMPLE_BYTES)
        stream.seek(0)
        if not head.strip():
            stream.close()
            raise BadSourceError("empty file")
        return Source(relative, sha, size, compression[0] if compression else None, name, stream, params, head)
    except BadSourceError as error:
        raise BadSourceError(str(error), sha) from None


@dataclass(frozen=True)
class Snapshot:
    copy: IO[bytes]
    sha256: str


def snapshot(path: Path, params: IngestParams) -> Snapshot:
    """A private copy of the file (in memory up to 64 MiB, then on disk) and the sha256 of that copy."""
    digest = hashlib.sha256()
    spool = tempfile.SpooledTemporaryFile(max_size=64 << 20)  # noqa: SIM115 (returned to the caller)
    with path.open("rb") as raw:
        while chunk := raw.read(CHUNK):
            digest.update(chunk)
            spool.write(chunk)
            if spool.tell() > params.max_file_bytes:
                spool.close()
                raise BadSourceError(f"file grew past max_file_bytes {params.max_file_bytes} while being read")
    spool.seek(0)
    return Snapshot(spool, digest.hexdigest())


def _expand(raw: IO[bytes], opener, params: IngestParams, kind: str) -> tuple[IO[bytes], int]:
    spool = tempfile.SpooledTemporaryFile(max_size=64 << 20)  # noqa: SIM115 (handed to the Source, closed there)
    size = 0
    try:
        with opener(raw) as expanded:
            while chunk := expanded.read(CHUNK):
                size += len(chunk)
                if size > params.max_decompressed_bytes:
                    raise BadSourceError(
                        f"decompression bomb refused: {kind} expands past max_decompressed_bytes "
                        f"{params.max_decompressed_bytes}"
                    )
                spool.write(chunk)
    except (OSError, EOFError, lzma.LZMAError, zstandard.ZstdError) as error:
        spool.close()
        raise BadSourceError(f"corrupt {kind} stream: {error}") from None
    except BadSourceError:
        spool.close()
        raise
    spool.seek(0)
    return spool, size


__all__ = ["BadSourceError", "LineError", "Snapshot", "Source", "UndecodableError", "open_source", "snapshot"]
