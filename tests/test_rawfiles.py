import os

from corpus.plumbing.digests import stat_of
from corpus.rawfiles import RawFile, count_input, scan_input


def _tree(root):
    (root / "b" / "deep").mkdir(parents=True)
    (root / ".hidden").mkdir()
    (root / "outside").mkdir()
    for name in ("a.txt", "b/deep/x.html", "b/c.txt", ".dot.txt", ".hidden/y.txt", "outside/z.txt"):
        (root / name).write_text(name, encoding="utf-8")
    (root / "b" / "linked").symlink_to(root / "outside")  # a symlinked folder: one entry, not walked into
    (root / "b" / "broken").symlink_to(root / "missing.txt")
    (root / "b" / "alias.txt").symlink_to(root / "a.txt")
    return root


def test_every_file_and_symlink_in_path_order_without_dotfiles(tmp_path):
    found = list(scan_input(_tree(tmp_path)))
    assert [raw.relative for raw in found] == [
        "a.txt", "b/alias.txt", "b/broken", "b/c.txt", "b/deep/x.html", "b/linked", "outside/z.txt",
    ]
    assert [raw.relative for raw in found if raw.symlink] == ["b/alias.txt", "b/broken", "b/linked"]


def test_each_file_carries_the_stat_of_what_it_leads_to(tmp_path):
    found = {raw.relative: raw for raw in scan_input(_tree(tmp_path))}
    assert found["a.txt"].stat == stat_of(tmp_path / "a.txt") and found["a.txt"].size == len("a.txt")
    assert found["b/alias.txt"].stat == stat_of(tmp_path / "a.txt")  # followed
    assert found["b/broken"] == RawFile("b/broken", True, None) and found["b/broken"].size == 0


def test_the_same_files_as_a_pathlib_walk(tmp_path):
    root = _tree(tmp_path)
    expected = sorted(
        path.relative_to(root).as_posix() for path in root.rglob("*")
        if not any(part.startswith(".") for part in path.relative_to(root).parts)
        and (path.is_file() or path.is_symlink())
        and os.path.realpath(path.parent) == str(path.parent)  # not under a symlinked folder
    )
    assert [raw.relative for raw in scan_input(root)] == expected


def test_files_come_in_path_order_where_folder_names_are_prefixes_of_other_names(tmp_path):
    names = ["a/x.txt", "a.txt", "a-b/y.txt", "a0", "ab/c/d.txt", "ab.txt", "ab/c.txt", "b", "a/b/c.txt"]
    for name in names:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(name, encoding="utf-8")
    found = [raw.relative for raw in scan_input(tmp_path)]
    assert found == sorted(names)  # "a-b/…" < "a.txt" < "a/…" < "a0": "/" sorts between "." and "0"
    assert count_input(tmp_path) == len(names)
    assert all(raw.stat is None for raw in scan_input(tmp_path, stat=False))


def test_files_are_found_as_the_walk_goes(tmp_path):
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "x.txt").write_text("x", encoding="utf-8")
    walk = scan_input(tmp_path)
    assert next(walk).relative == "a/x.txt"
    (tmp_path / "b" / "later.txt").write_text("y", encoding="utf-8")  # b is not listed yet
    assert [raw.relative for raw in walk] == ["b/later.txt", "b/x.txt"]
