"""A bounded fuzz run of every parser: arbitrary bytes and text in every shape never crash ingest, and
every span lies inside the (decompressed) file."""

import gzip
import tempfile
from collections import Counter
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from corpus.formats import FORMATS
from corpus.params import IngestParams
from corpus.stages.ingest import run

NEWSY = st.text(alphabet=st.one_of(st.sampled_from(list("광주시가 협약을 밝혔다.\n\t,\"'-[]<>{}:=|▲•0123456789")),
                                   st.characters()), max_size=400)
NAMES = st.sampled_from(["a.txt", "b.csv", "c.jsonl", "d.html", "e.tsv", "f.txt.gz", "g.parquet", "h"])
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _ingest(name: str, data: bytes, params: IngestParams) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(gzip.compress(data) if name.endswith(".gz") else data)
        for row in run(Path(folder), params, Counter()):
            provenance = row["provenance"]
            assert 0 <= provenance["byte_start"] <= provenance["byte_end"]
            if provenance["source_format"] != "parquet" and not row["error"]:
                assert provenance["byte_end"] <= max(len(data), 1) + 3


@SETTINGS
@given(NAMES, st.binary(max_size=600))
def test_arbitrary_bytes_never_crash_ingest(name, data):
    _ingest(name, data, IngestParams())


@SETTINGS
@given(NAMES, NEWSY, st.sampled_from(["utf-8", "utf-16", "cp949"]))
def test_arbitrary_text_never_crashes_ingest(name, text, encoding):
    _ingest(name, text.encode(encoding, errors="ignore"), IngestParams())


@SETTINGS
@given(st.sampled_from(FORMATS.names()), NEWSY)
def test_every_forced_shape_survives_arbitrary_text(shape, text):
    _ingest("x.dat", text.encode("utf-8", errors="ignore"), IngestParams(formats={"*": shape}))
