"""The dataset card (release/README.md) and the datasheet's generated blocks, rendered from stats."""

from __future__ import annotations

import heapq
import itertools
import re
from typing import Any

import yaml

from corpus.params import PublishParams
from corpus.record import LEDGER_SCHEMA, RECORD_SCHEMA, SPLITS, load_json_schema
from corpus.release.research import balance_block, contamination_block
from corpus.release.research import markdown_table as _table
from corpus.release.stats import ColumnMap

BLOCK = re.compile(r"(<!-- generated:(?P<name>[a-z_]+) -->\n)(?P<body>.*?)(<!-- /generated:(?P=name) -->)", re.DOTALL)


class DatasheetError(ValueError):
    """The datasheet template is missing a generated block publish needs, or names an unknown one."""


def size_category(n: int) -> str:
    for limit, label in ((1_000, "n<1K"), (10_000, "1K<n<10K"), (100_000, "10K<n<100K"),
                         (1_000_000, "100K<n<1M"), (10_000_000, "1M<n<10M")):
        if n < limit:
            return label
    return "10M<n<100M"


def _dataset_info(config: str, schema: Any, splits: dict[str, int], sizes: dict[str, dict[str, int]]
                  ) -> dict[str, Any]:
    """`dataset_info` of a config: features, and per split its rows and bytes (`num_bytes`: the uncompressed size
    of its Parquet data, close to its size in Arrow; `download_size`: the files' size)."""
    import datasets  # ~0.6 s: imported when the card is written, not while publish starts its GX helper

    size = {name: sizes.get(name, {}) for name in splits}
    info = datasets.DatasetInfo(
        features=datasets.Features.from_arrow_schema(schema),
        splits=datasets.SplitDict({name: datasets.SplitInfo(name, num_bytes=size[name].get("num_bytes", 0),
                                                            num_examples=n) for name, n in splits.items()}),
        download_size=sum(s.get("download_size", 0) for s in size.values()),
        dataset_size=sum(s.get("num_bytes", 0) for s in size.values()),
    )._to_yaml_dict()
    return {"config_name": config, **info}


def card_metadata(stats: dict[str, Any], params: PublishParams, data_files: dict[str, str]) -> dict[str, Any]:
    release = f"release {stats['version']}, fingerprint sha256:{stats['fingerprint']}"
    splits, segments, sizes = loadable_splits(stats), stats["ledger"]["segments"], stats.get("sizes", {})
    return {
        "pretty_name": params.pretty_name,
        "language": ["ko"],
        "license": params.license,
        "task_categories": ["text-generation", "text-classification"],
        "size_categories": [size_category(stats["articles"])],
        "tags": ["korean", "news", "provenance", "deduplicated"],
        # `description` is a builder parameter `datasets` hashes into its cache key, which for a local folder
        # with configs comes from this YAML alone: without the fingerprint, a rebuilt release with the same
        # split sizes would load the rows cached from the one before.
        "configs": [
            *([{"config_name": "default", "default": True,
                "data_files": [{"split": split, "path": data_files[split]} for split in splits],
                "description": release}] if splits else []),
            *([{"config_name": "ledger", "data_files": [{"split": "train", "path": data_files["ledger"]}],
                "description": release}] if segments else []),
        ],
        "dataset_info": [
            *([_dataset_info("default", RECORD_SCHEMA, splits, sizes)] if splits else []),
            *([_dataset_info("ledger", LEDGER_SCHEMA, {"train": segments}, {"train": sizes.get("ledger", {})})]
              if segments else []),
        ],
    }


def loadable_splits(stats: dict[str, Any]) -> dict[str, int]:
    """The splits that have rows: `datasets` cannot load a split of no rows, so an empty one is left out of the
    card's configs (and reported: `empty_splits`)."""
    return {split: n for split, n in stats["splits"].items() if n}


def empty_splits(stats: dict[str, Any]) -> list[str]:
    return [split for split in SPLITS if not stats["splits"].get(split)]


TABLE_ROWS = 50  # rows a composition table shows before it sums up the rest


def _counts_table(header: tuple[str, str], counts: dict[str, int] | ColumnMap, what: str) -> str:
    """A (name, articles) table; past TABLE_ROWS rows, the largest ones and a row for the rest (stats.json
    has them all), so a corpus of 200k raw files does not make a card of megabytes."""
    if len(counts) <= TABLE_ROWS:
        return _table(header, list(counts.items()))
    largest = heapq.nsmallest(TABLE_ROWS, counts.items(), key=lambda row: (-row[1], row[0]))
    others = sum(counts.values()) - sum(n for _, n in largest)
    return _table(header, [*largest, (f"… {len(counts) - TABLE_ROWS} more {what} (all in stats.json)", others)])


def _shapes_table(shapes: dict[str, str] | ColumnMap) -> str:
    """How each raw file was read: the shape detection chose and its evidence (all in stats.json)."""
    items = list(itertools.islice(shapes.items(), TABLE_ROWS))
    rows = [(f"`{path}`", evidence.replace("|", "/")) for path, evidence in items]
    if len(shapes) > TABLE_ROWS:
        rows.append((f"… {len(shapes) - TABLE_ROWS} more raw files", "all in stats.json, `shapes`"))
    return _table(("raw file", "read as (shape: evidence)"), rows or [("none", "")])


def _fields_table() -> str:
    properties = load_json_schema("record.schema.json")["properties"]
    return _table(
        ("field", "type", "meaning"),
        [(f"`{field.name}`", f"`{field.type}`", properties[field.name].get("description", "see schema/README.md"))
         for field in RECORD_SCHEMA],
    ) + ("\n\nEvery field, nested ones included, is documented in `schema/README.md`; the contracts themselves are "
         "`schema/record.schema.json` and `schema/ledger.schema.json` (all shipped with this release).")


def render_blocks(stats: dict[str, Any]) -> dict[str, str]:
    """Markdown for every generated block, each number taken from stats.json."""
    ledger = stats["ledger"]
    return {
        "summary": (
            f"Release **{stats['version']}**: **{stats['articles']}** articles "
            f"(train {stats['splits']['train']}, validation {stats['splits']['validation']}, "
            f"test {stats['splits']['test']}) from **{ledger['segments']}** raw segments in "
            f"**{len(stats['sources_sha256'])}** raw files." + _empty_split_warning(stats)
        ),
        "composition": "\n\n".join([
            _table(("split", "articles"), list(stats["splits"].items())),
            _counts_table(("publisher", "articles"), stats["publishers"], "publishers"),
            _table(("month (KST)", "articles"), list(stats["months"].items())),
            _counts_table(("raw file", "articles"), stats["sources"], "raw files"),
            _shapes_table(stats.get("shapes", {})),
        ]),
        "lengths": _table(("statistic", "characters of text"), list(stats["text_chars"].items()))
        + f"\n\nTruncated by the crawler (`is_truncated`): **{stats['truncated']}** of {stats['articles']}.",
        "accounting": "\n\n".join([
            _table(("fate", "segments"), [(k, ledger[k]) for k in ("segments", "kept", "quarantined", "duplicate",
                                                                  "dropped", "taken_down", "contaminated")]),
            _table(("fate detail", "segments"), list(stats["fates"].items())),
            _table(("quarantine reason", "rows"), list(stats["quarantine_reasons"].items()) or [("none", 0)]),
        ]),
        "cleaning": _table(
            ("rule", "documents changed", "characters (net)"),
            [(rule, v["documents"], _net(v["chars_removed"])) for rule, v in stats["cleaning"].items()],
        ),
        "profile": "\n".join(f"- {sentence}" for sentence in profile(stats)),
        "contamination": contamination_block(stats.get("contamination", {})),
        "balance": balance_block(stats.get("balance", {})),
        "fields": _fields_table(),
        "plots": "\n\n".join([
            "![Histogram of text lengths](plots/lengths.png)",
            "![Articles per month](plots/months.png)",
            "![Articles per publisher](plots/publishers.png)",
            "The counts behind them: `plots/lengths.csv`, `plots/months.csv`, `plots/publishers.csv` (what "
            "`dvc plots show` and `dvc plots diff` draw across revisions).",
        ]),
    }


def _net(chars_removed: int) -> str:
    """What a rule did to the text's length: removed, or added (a space between glued sentences)."""
    return f"{chars_removed} removed" if chars_removed >= 0 else f"{-chars_removed} added"


def profile(stats: dict[str, Any]) -> list[str]:
    """What this release holds, in sentences computed from its stats (the card's and datasheet's only claims
    about the data)."""
    articles = stats["articles"]
    if not articles:
        return ["This release holds no article: every raw segment was dropped, quarantined or folded (the "
                "ledger says why)."]
    publishers = dict(stats["publishers"].items()) if len(stats["publishers"]) <= 10_000 else {}
    named = {name: n for name, n in publishers.items() if name != "(unknown)"}
    top = heapq.nsmallest(5, named.items(), key=lambda row: (-row[1], row[0]))
    share = sum(n for _, n in top) / articles
    months = [month for month in stats["months"] if month != "(unknown)"]
    undated = stats["months"].get("(unknown)", 0)
    sentences = [
        f"{len(named)} outlet(s) named; the largest: " + ", ".join(f"{name} ({n})" for name, n in top)
        + f" — {share:.0%} of the articles." + (f" {publishers.get('(unknown)', 0)} article(s) name no outlet."
                                               if publishers.get("(unknown)") else ""),
        (f"Published from {months[0]} to {months[-1]} (KST)" if months else "No article is dated")
        + (f"; {undated} article(s) undated." if undated and months else "."),
        f"{stats['truncated']} of {articles} articles ({stats['truncated'] / articles:.0%}) were cut by the crawler "
        "(`is_truncated`): use them for language modelling with care, not as summarization targets.",
        f"Text length: median {stats['text_chars']['median']} characters, {stats['text_chars']['min']}–"
        f"{stats['text_chars']['max']}.",
    ]
    return sentences


def _empty_split_warning(stats: dict[str, Any]) -> str:
    empty = empty_splits(stats)
    if not empty:
        return ""
    names = ", ".join(f"`{split}`" for split in empty)
    return (f"\n\n> **Warning:** no articles fell into {names} (too few articles for the split fractions, or a "
            f"fraction of 0), so {'it is' if len(empty) == 1 else 'they are'} left out of the card's configs: "
            f"`datasets` cannot load a split without rows.")


def fill_blocks(template: str, blocks: dict[str, str]) -> str:
    found = {match["name"] for match in BLOCK.finditer(template)}
    unknown = found - set(blocks)
    if unknown:
        raise DatasheetError(f"datasheet names unknown generated block(s) {sorted(unknown)}; known: {sorted(blocks)}")
    return BLOCK.sub(lambda m: f"{m.group(1)}{blocks[m['name']]}\n{m.group(4)}", template)


def render_card(stats: dict[str, Any], params: PublishParams, data_files: dict[str, str]) -> str:
    metadata = yaml.safe_dump(card_metadata(stats, params, data_files), allow_unicode=True, sort_keys=False)
    blocks = render_blocks(stats)
    return f"""---
{metadata}---

# {params.pretty_name}

{blocks["summary"]}

Korean news articles cleaned, validated with Great Expectations, deduplicated and split so that
near-identical copies never straddle train and test. Every row carries its provenance: the raw file,
its sha256 and the byte span the article came from. Every raw segment, kept or not, is in the ledger.

## Load

```python
from datasets import load_dataset
ds = load_dataset("path/to/this/folder")            # train / validation / test
ledger = load_dataset("path/to/this/folder", "ledger")  # the fate of every raw segment
```

## Uses

Intended: pre-training and adaptation of Korean language models; studies of Korean news language,
outlets and bylines; evaluation sets without train/test leakage (near-duplicates share a split).
Not intended: identifying or profiling people; treating press releases or regional outlets as
representative of Korean public opinion; summarization targets from rows with `is_truncated`.

## Dataset structure

{blocks["fields"]}

## Composition

{blocks["composition"]}

## Text lengths

{blocks["lengths"]}

## Accounting: what happened to every raw segment

{blocks["accounting"]}

## What cleaning removed

{blocks["cleaning"]}

## Decontamination

{blocks["contamination"]}

## Split balance

{blocks["balance"]}

## Validation

The row-level Great Expectations suite `{stats["validation"]["suite"]}` ({stats["validation"]["expectations"]}
expectations) ran on every row: {stats["validation"]["rows_passed"]} passed, {stats["validation"]["rows_quarantined"]}
were quarantined (reasons in the ledger). The release-level suites (unique ids, disjoint splits, ledger
conservation) passed{"; empty splits were reported as warnings" if empty_splits(stats) else ""}.

- GX Data Docs of the row suite: [validation/rows/index.html](validation/rows/index.html)
- GX Data Docs of the release checks: [validation/release/index.html](validation/release/index.html)
- Summaries: `validation/rows.json`, `validation/release.json`, and `validation` in `stats.json`.

## Dataset creation

Raw files are the visible text of Korean news pages as saved by crawlers (line snippets, article pages,
listing pages, HTML, tabular exports). The pipeline cuts them into articles with byte-span provenance,
normalizes Unicode, extracts bylines and dates, removes page furniture, masks personal data (e-mail,
phone, resident, card and account numbers), validates every row with Great Expectations, and folds
exact and near-duplicates. See `DATASHEET.md` for the full datasheet.

## Bias, risks and limitations

The corpus holds whatever raw files its maintainers gathered; it makes no claim to represent Korean news as
a whole. What this release holds:

{blocks["profile"]}

Reporter names in bylines are kept as public information; e-mail addresses, phone, resident registration,
card and account numbers are masked. Takedown requests are honoured by every later release
(`takedown.yaml`).

## Plots

{blocks["plots"]}

## Versioning and provenance

- Release fingerprint: `sha256:{stats["fingerprint"]}` (sha256 of the checksum manifest of `data/`,
  `ledger/` and `dedup/`; cite it with the version)
- Pipeline version: `{stats["pipeline_version"]}`
- Params hash chain: `{stats["params_sha256"]}`
- Record schema fingerprint: `{stats["schema_fingerprint"]}`
- The datasheet is in `DATASHEET.md`; sizes and counts in `stats.json`; checksums in `checksums.sha256`;
  machine-readable metadata in `croissant.json` (MLCommons Croissant); citation in `CITATION.cff`.

## Citation

Cite the version and its fingerprint (`corpus cite --version {stats["version"]} --format bibtex`); see
`CITATION.cff`.
"""
