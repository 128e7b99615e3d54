from corpus.plumbing.progress import interactive, progress


def test_progress_is_quiet_in_ci_and_passes_items_through(monkeypatch, capsys):
    monkeypatch.setenv("CI", "true")
    assert not interactive()
    assert list(progress(iter(range(5)), total=5, unit="article", desc="clean")) == [0, 1, 2, 3, 4]
    assert capsys.readouterr().err == ""


def test_on_a_terminal_the_bar_shows_articles_and_their_rate(monkeypatch, capsys):
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.setattr("corpus.plumbing.progress.interactive", lambda: True)
    results = [{"rows": 1200}, {"rows": 800}]
    assert list(progress(iter(results), total=2, unit="unit", desc="dedup", articles=lambda r: r["rows"])) == results
    err = capsys.readouterr().err
    assert "2/2" in err and "2,000 articles" in err and "articles/s" in err
