"""Datasheet plots (PNG): text lengths, articles per month, articles per publisher.

Rendered with matplotlib's Agg backend and no PNG metadata, so the bytes depend only on the data.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

PNG_METADATA = {"Software": None}  # no version or date stamp: identical data gives identical files


def _figure(title: str):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plt.rcParams["svg.hashsalt"] = "corpus"
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
    # Outlet names are Hangul; the default font may lack glyphs, so bars are labelled by rank and the
    # datasheet table next to the plot gives the names.
    publishers = {f"{rank}": count for rank, count in enumerate(stats["publishers"].values(), start=1)}
    _bar(folder / "publishers.png", "Articles per publisher (rank; names in the table)", publishers, "publisher rank")
    return {"lengths": "plots/lengths.png", "months": "plots/months.png", "publishers": "plots/publishers.png"}
