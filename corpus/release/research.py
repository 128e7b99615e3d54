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
