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
    if "balance" in stats:
        balance_plot(folder, stats["balance"]["distributions"])
    return {"lengths": "plots/lengths.png", "months": "plots/months.png", "publishers": "plots/publishers.png",
            "balance": "plots/balance.png"}


BALANCE_VALUES = 8  # values a balance panel draws (the most frequent overall); the rest are summed in one


def balance_plot(folder: Path, distributions: dict[str, dict[str, dict[str, int]]]) -> None:
    """One panel a dimension: each split's share of articles per value, side by side; and the counts as CSV."""
    plt, figure, _ = _figure("")
    plt.close(figure)
    splits = list(distributions)
    dimensions = list(next(iter(distributions.values()), {}))
    figure, panels = plt.subplots(len(dimensions), 1, figsize=(7, 2.4 * len(dimensions)), dpi=100, squeeze=False)
    rows = []
    for panel, dimension in zip(panels[:, 0], dimensions, strict=True):
        overall: dict[str, int] = {}
        for split in splits:
            for value, n in distributions[split][dimension].items():
                overall[value] = overall.get(value, 0) + n
        ranked = sorted(overall, key=lambda v: (-overall[v], v))
        shown, rest = ranked[:BALANCE_VALUES], ranked[BALANCE_VALUES:]
        labels = shown + ([f"… {len(rest)} more"] if rest else [])
        width = 0.8 / max(len(splits), 1)
        for i, split in enumerate(splits):
            counts = distributions[split][dimension]
            values = [counts.get(v, 0) for v in shown] + ([sum(counts.get(v, 0) for v in rest)] if rest else [])
            total = sum(counts.values()) or 1
            panel.bar(np.arange(len(labels)) + i * width, [v / total for v in values], width, label=split)
            rows += [(dimension, label, split, v) for label, v in zip(labels, values, strict=True)]
        panel.set_xticks(np.arange(len(labels)) + width * (len(splits) - 1) / 2, labels, rotation=30, ha="right",
                         fontsize=7)
        panel.set_title(dimension, fontsize=9)
        panel.set_ylabel("share")
    if len(dimensions):
        panels[0, 0].legend(fontsize=7)
    figure.tight_layout()
    figure.savefig(folder / "balance.png", format="png", metadata=PNG_METADATA)
    plt.close(figure)
    import csv

    with (folder / "balance.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(("dimension", "value", "split", "articles"))
        writer.writerows(rows)


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
