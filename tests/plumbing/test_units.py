import re

from corpus.plumbing.units import ALONE_BYTES, UNIT_NAME, UnitNames, plan_units


def _files(names, size):
    return [(name, size) for name in names]


def test_a_large_file_is_a_unit_of_its_own_and_small_files_are_grouped():
    units = list(plan_units([("a.txt", 10), ("b.txt", 10), ("big.jsonl", ALONE_BYTES), ("c.txt", 10)]))
    assert [unit.files for unit in units] == [("a.txt", "b.txt"), ("big.jsonl",), ("c.txt",)]
    assert [unit.name for unit in units] == ["00000", "00001", "00002"]


def test_groups_end_at_path_boundaries_so_a_new_file_changes_only_its_own_group():
    names = [f"page-{i:05d}.html" for i in range(2000)]
    before = {unit.files for unit in plan_units(_files(names, 64 << 10))}  # 125 MiB of 64 KiB pages
    assert 10 < len(before) < 40  # 4 MiB, then about 16 files more: ~80 pages a group
    after = {unit.files for unit in plan_units(_files(sorted([*names, "page-01000a.html"]), 64 << 10))}
    assert len(before - after) == 1 and 1 <= len(after - before) <= 2  # its group, at most split in two
    assert any("page-01000a.html" in files for files in after - before)


def test_a_group_never_grows_past_its_size_cap():
    units = list(plan_units(_files([f"p{i:05d}" for i in range(3000)], 64 << 10)))
    assert max(len(unit.files) for unit in units) * (64 << 10) <= 16 << 20


def test_no_files_no_units():
    assert list(plan_units([])) == []


def test_sub_unit_names_sort_between_the_unit_and_the_next_and_read_back():
    names = UnitNames("00012")
    written = [names[index] for index in range(12)]
    assert written[:2] == ["00012", "00012_00001"]
    assert sorted([*written, "00011", "00013"]) == ["00011", *written, "00013"]
    assert [names.index(name) for name in written] == list(range(12))
    assert "00012_00003" in names and "00013" not in names and "00012_00000" not in names
    assert all("-" not in name and re.fullmatch(UNIT_NAME, name) for name in written)
