import pyarrow as pa
import pyarrow.compute as pc
from hypothesis import given, settings
from hypothesis import strategies as st

from corpus.validation import LEAK_GATES, LEAK_PATTERNS, _leaks

# Pieces that make and break the leak patterns: addresses, phone numbers, masks whole and cut, Korean text.
PIECES = ["kim@ex.com", "a@b", "@", "010-1234-5678", "011 123 4567", "01", "9", "-", "<", ">", "<PHONE>",
          "<PHON", "PHONE>", "<EMAIL", "EMAIL>", "CARD", " ", "\n", "기사", "전화 "]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(st.none(), st.lists(st.sampled_from(PIECES), max_size=8).map("".join)), max_size=12))
def test_gated_leak_search_finds_what_the_full_scan_finds(texts):
    column = pa.chunked_array([pa.array(texts, pa.string())])
    for name, pattern in LEAK_PATTERNS.items():
        full_scan = pc.struct_field(pc.extract_regex(column, pattern), "found").to_pylist()
        assert _leaks(column, pattern, LEAK_GATES[name]).to_pylist() == full_scan, name


def test_every_leak_pattern_has_its_gates():
    assert LEAK_GATES.keys() == LEAK_PATTERNS.keys()
