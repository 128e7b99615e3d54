"""What a researcher asks of a release beyond its composition: is a benchmark in it (decontamination),
and are its splits alike (split balance). Markdown blocks for the card and the datasheet, from stats.json."""

from __future__ import annotations

from typing import Any


def markdown_table(header: tuple[str, ...], rows: list[tuple[Any, ...]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def contamination_block(contamination: dict[str, Any]) -> str:
    """Per benchmark: its files, its items and the articles that hold one."""
    benchmarks = contamination.get("benchmarks", {})
    if not benchmarks:
        return "No benchmark was checked for (`decontaminate.against` names none)."
    unit = "character" if contamination["unit"] == "char" else "eojeol"
    policy = ("removed from the release (policy `drop`)" if contamination["policy"] == "drop"
              else "published with `contamination` naming the hit (policy `flag`)")
    total = sum(b["articles"] for b in benchmarks.values())
    lines = [
        f"Every article was checked for the items of {len(benchmarks)} benchmark(s): an article holding at least "
        f"{contamination['min_overlap']:.0%} of an item's distinct {unit} {contamination['n']}-grams (letters and "
        f"digits only, so re-spacing and punctuation do not hide it) is ledgered as "
        f"`contaminated:<benchmark>:<item id>` and {policy}. **{total}** article(s) held one.",
        "",
        markdown_table(("benchmark", "items", "items long enough to index", "articles holding one"),
               [(name, b["items"], b["items_indexed"], b["articles"]) for name, b in sorted(benchmarks.items())]),
        "",
        "Benchmark files (sha256):",
        "",
        *[f"- {name}: `{f['path']}` `{f['sha256']}`" for name, b in sorted(benchmarks.items()) for f in b["files"]],
    ]
    return "\n".join(lines)


def balance_block(balance: dict[str, Any]) -> str:
    """The divergence of every pair of splits in every dimension, and what the gate is."""
    if not balance.get("pairs"):
        return "No split balance was computed."
    rows = [(p["dimension"], p["splits"], f"{p['divergence']:.4f}", f"{p['chance']:.4f}", f"{p['excess']:.4f}",
             "yes" if p["gated"] else "no") for p in balance["pairs"]]
    return "\n".join([
        "Jensen–Shannon divergence (bits: 0 = the same mix, 1 = nothing in common) between the splits' "
        "distributions of publisher, section, month (KST), length bucket and truncation; *chance* is what two "
        "samples of their sizes from one distribution differ by (about (k − 1)(1/n₁ + 1/n₂) / 8 ln 2 for k "
        f"values); the release checks fail when a gated pair's excess passes **{balance['bound']}** bits (a pair "
        f"is gated when both splits hold at least {balance['min_articles']} articles and its dimension is in "
        f"`publish.balance_gate`: {', '.join(balance['gate']) or 'none'}).",
        "",
        markdown_table(("dimension", "splits", "divergence", "chance", "excess", "gated"), rows),
        "",
        "![Split balance](plots/balance.png)",
        "",
        "Each split's distributions: `balance` in `stats.json`; the plot's counts: `plots/balance.csv`.",
    ])
