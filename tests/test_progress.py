from corpus.progress import interactive, progress


def test_progress_is_quiet_in_ci_and_passes_items_through(monkeypatch, capsys):
    monkeypatch.setenv("CI", "true")
    assert not interactive()
    assert list(progress(iter(range(5)), total=5, unit="article", desc="clean")) == [0, 1, 2, 3, 4]
    assert capsys.readouterr().err == ""
