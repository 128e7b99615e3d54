"""Datasheet plots (PNG) and the counts behind them (CSV, for `dvc plots`): text lengths, articles per month,
articles per publisher.

Rendered with matplotlib's Agg backend and no PNG metadata, so the bytes depend only on the data; labels in
NanumGothic (shipped in the koreanize-matplotlib wheel), which has the Hangul glyphs matplotlib's default
font lacks, so outlets are drawn by name.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

PNG_METADATA = {"Software": None}  # no version or date stamp: identical data gives identical files


PLOTTED_PUBLISHERS = 30  # bars a publisher plot draws; the rest are summed in one


def korean_font() -> str:
    """The family name of a font with Hangul, registered with matplotlib from the koreanize-matplotlib wheel."""
    import importlib.util

    from matplotlib import font_manager

    spec = importlib.util.find_spec("koreanize_matplotlib")
    assert spec is not None and spec.origin is not None, "koreanize-matplotlib is a dependency"
    path = Path(spec.origin).parent / "fonts" / "NanumGothic.ttf"
    font_manager.fontManager.addfont(str(path))
    return font_manager.FontProperties(fname=str(path)).get_name()


def _figure(title: str):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plt.rcParams["svg.hashsalt"] = "corpus"
    plt.rcParams["font.family"] = korean_font()
    plt.rcParams["axes.unicode_minus"] = False  # NanumGothic has no U+2212
    figure, axes = plt.subplots(figsize=(7, 3.2), dpi=100)
    axes.set_title(title)
    return plt, figure, axes


def _bar(path: Path, title: str, counts: dict[str, int], xlabel: str) -> None:
    plt, figure, axes = _figure(title)
    labels = list(counts)
    axes.bar(range(len(labels)), list(counts.values()), color="#3b6ea5")
    axes.set_xticks(range(len(labels)), labels, rotation=45, ha="right", fontsize=8)
    axes.set_xlabel(xlabel)
    axes.set_ylabel("articles")
    figure.tight_layout()
    figure.savefig(path, format="png", metadata=PNG_METADATA)
    plt.close(figure)


def length_histogram(length_counts: np.ndarray, bins: int = 30) -> tuple[np.ndarray, np.ndarray]:
    """np.histogram of the text lengths, from how many articles have each length (`length_counts[n]`)."""
    lengths = np.flatnonzero(length_counts)
    if not len(lengths):
        return np.histogram(np.zeros(1), bins=bins)
    counts, edges = np.histogram(lengths, bins=bins, weights=length_counts[lengths])
    return counts.astype(np.int64), edges


def write_plots(folder: Path, stats: dict[str, Any], length_counts: np.ndarray) -> dict[str, str]:
    """Write the PNGs into folder; return plot name → file name relative to the release. `length_counts[n]`:
    the articles whose text has n characters."""
    folder.mkdir(parents=True, exist_ok=True)
    plt, figure, axes = _figure("Text length (characters)")
    # Binned here, so matplotlib draws 30 bars instead of taking in a million values.
    counts, edges = length_histogram(length_counts)
    axes.hist(edges[:-1], bins=edges, weights=counts, color="#3b6ea5")
    axes.set_xlabel("characters of text")
    axes.set_ylabel("articles")
    figure.tight_layout()
    figure.savefig(folder / "lengths.png", format="png", metadata=PNG_METADATA)
    plt.close(figure)
    _bar(folder / "months.png", "Articles per month (KST)", stats["months"], "month")
    publishers = top_publishers(stats["publishers"])
    _bar(folder / "publishers.png", "Articles per publisher", publishers, "publisher")
    _csv(folder / "lengths.csv", ("characters", "articles"), zip(edges[:-1].round().astype(int).tolist(),
                                                                   counts.tolist(), strict=True))
    _csv(folder / "months.csv", ("month", "articles"), stats["months"].items())
    _csv(folder / "publishers.csv", ("publisher", "articles"), publishers.items())
    return {"lengths": "plots/lengths.png", "months": "plots/months.png", "publishers": "plots/publishers.png"}


def top_publishers(publishers: Any) -> dict[str, int]:
    """The largest publishers (as many as a plot can label), the rest summed up as one bar."""
    ranked = sorted(publishers.items(), key=lambda row: (-row[1], row[0]))
    top = dict(ranked[:PLOTTED_PUBLISHERS])
    rest = sum(n for _, n in ranked[PLOTTED_PUBLISHERS:])
    return top | ({f"… {len(ranked) - PLOTTED_PUBLISHERS} more": rest} if rest else {})


def _csv(path: Path, header: tuple[str, str], rows: Any) -> None:
    import csv

    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
