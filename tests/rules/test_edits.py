import re

from hypothesis import given
from hypothesis import strategies as st

from corpus.rules.edits import cut, keep_lines, recording, sub, to_source


def _removed_in_source(source, passes):
    """Every edit of every pass, mapped back to the source: (start, end, text the edit replaced)."""
    found = []
    for index, edits in enumerate(passes):
        spans = to_source(passes, index, [(e.start, e.end) for e in edits])
        found += [(a, b, source[a:b]) for a, b in spans]
    return found


def test_spans_of_later_passes_point_at_the_raw_characters():
    source = "데일리굿타임 유종운 기자 | 연락처 010-1234-5678  로\n▲ 사진 설명\n본문 끝."
    with recording() as passes:
        text = cut(source, 0, len("데일리굿타임 유종운 기자 | "))
        text = sub(re.compile(r" {2,}"), " ", text)
        text = keep_lines(text, lambda line: not line.startswith("▲"))
        text = sub(re.compile(r"010-\d{4}-\d{4}"), "<PHONE>", text)
    assert text == "연락처 <PHONE> 로\n본문 끝."
    removed = _removed_in_source(source, passes)
    assert (0, 16, "데일리굿타임 유종운 기자 | ") in removed
    assert any(t == "▲ 사진 설명\n" for _, _, t in removed)
    assert any(t == "010-1234-5678" for _, _, t in removed)
    assert any(t == "  " for _, _, t in removed)


def test_nothing_is_logged_outside_a_recording_block_or_when_nothing_changes():
    assert sub(re.compile("x"), "y", "abc") == "abc"
    with recording() as passes:
        sub(re.compile("b"), "b", "abc")
    assert passes == []


@given(st.text(alphabet="ab \n가", max_size=60))
def test_deleting_the_mapped_spans_from_the_source_gives_the_cleaned_text(source):
    with recording() as passes:
        text = sub(re.compile(r" +"), "", source)
        text = keep_lines(text, lambda line: "가" not in line)
    deleted = set()
    for start, end, _ in _removed_in_source(source, passes):
        assert 0 <= start <= end <= len(source)
        deleted.update(range(start, end))
    assert "".join(ch for i, ch in enumerate(source) if i not in deleted) == text
