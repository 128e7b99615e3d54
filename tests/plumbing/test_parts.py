import csv
import io
import itertools

import pytest

from corpus.plumbing.parts import align, plan_parts


def test_a_file_under_two_parts_is_one_window_and_larger_ones_tile_it():
    assert plan_parts(150, 100) == [(0, 150)]
    assert plan_parts(420, 100) == [(0, 100), (100, 200), (200, 300), (300, 420)]  # a short tail joins
    assert plan_parts(460, 100)[-1] == (400, 460)


def _windows(data: bytes, part: int, quote: bytes | None = None, skip: int = 0):
    stream = io.BytesIO(data)
    return [align(stream, nominal, len(data), skip=skip, quote=quote) for nominal in plan_parts(len(data), part)]


def test_windows_start_past_a_newline_tile_the_file_and_count_lines():
    data = b"".join(b"line %d %s\n" % (i, b"x" * (i % 7)) for i in range(200))
    windows = _windows(data, 97)
    assert windows[0].start == 0 and windows[-1].end == len(data) and windows[-1].last
    for before, after in itertools.pairwise(windows):
        assert before.end == after.start and data[after.start - 1:after.start] == b"\n"
        assert after.first_line == data[:after.start].count(b"\n") + 1
        assert data[after.start:].startswith(b"line %d " % (after.first_line - 1))


@pytest.mark.parametrize("part", [13, 50, 97, 300])
def test_a_csv_window_never_starts_inside_a_quoted_multi_line_field(part):
    rows = [["id", "text"]] + [[str(i), f'문단 {i}\n"인용" 둘째 줄\n셋째'] for i in range(60)]
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    data = buffer.getvalue().encode()
    header = data.index(b"\n") + 1
    windows = _windows(data, part, quote=b'"', skip=header)
    assert windows[0].start == header and windows[-1].end == len(data)
    read = []
    for window in windows:
        read += list(csv.reader(io.StringIO(data[window.start:window.end].decode()), strict=True))
    assert read == rows[1:]


def test_an_empty_window_is_allowed_when_a_record_outgrows_its_part():
    data = b"a\n" + b"b" * 500 + b"\nc\n"
    windows = _windows(data, 100)
    assert [w.start for w in windows] == sorted(w.start for w in windows)
    assert b"".join(data[w.start:w.end] for w in windows) == data
