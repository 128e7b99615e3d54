from corpus.units import ALONE_BYTES, plan_units


def _files(names, size=100):
    return [(name, size) for name in names]


def test_a_large_file_is_a_unit_of_its_own_and_small_files_are_grouped():
    units = plan_units([("a.txt", 10), ("b.txt", 10), ("big.jsonl", ALONE_BYTES), ("c.txt", 10)])
    assert ("big.jsonl",) in [unit.files for unit in units]
    assert [f for unit in units for f in unit.files] == ["a.txt", "b.txt", "big.jsonl", "c.txt"]
    assert [unit.name for unit in units] == [f"{i:05d}" for i in range(len(units))]


def test_groups_end_at_path_boundaries_so_a_new_file_changes_only_its_own_group():
    names = [f"page-{i:04d}.html" for i in range(400)]
    before = {unit.files for unit in plan_units(_files(names))}
    assert 10 < len(before) < 60  # about one group per 16 files
    after = {unit.files for unit in plan_units(_files(sorted([*names, "page-0200a.html"])))}
    assert len(before - after) == 1 and len(after - before) == 1
    [changed] = after - before
    assert "page-0200a.html" in changed


def test_no_files_no_units():
    assert plan_units([]) == []
