"""Clean: segments → records. Runs the configured steps, reads fields, flags truncation, scores quality."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa

from corpus.errors import ParamsError
from corpus.fields.dates import parse_kst
from corpus.params import CleanParams
from corpus.plumbing.cache import cached, job_key
from corpus.plumbing.shards import ShardWriter, read_batches, read_unit_key, rows_to_table
from corpus.plumbing.storage import AnyPath
from corpus.quality import THRESHOLDS, photo_item, quality_problems, quality_signals, quality_signals_batch
from corpus.record import EDITS_TYPE, REMOVAL_SCHEMA, WORK_SCHEMA
from corpus.registry import UnknownNameError
from corpus.rules import STEPS, Draft, Step, load_all
from corpus.rules.edits import recording, to_source
from corpus.rules.normalize import normalize_v1
from corpus.rules.pii import MASKS
from corpus.stages import StagePaths, UnitJob, map_units
from corpus.stages.offsets import offset_of, read_offsets, shifted
from corpus.text.sentences import ends_like_a_sentence, ends_punctuated, punctuates

EDITS_SCHEMA = pa.schema([pa.field("segment_id", pa.string(), nullable=False), pa.field("edits", EDITS_TYPE)])
ELLIPSIS_END = ("...", "…", "..")


@dataclass(frozen=True, slots=True)
class Outcome:
    """What cleaning one segment produced: a record, or a removal, plus the edits made on the way."""

    record: dict[str, Any] | None
    removal: dict[str, Any] | None
    edits: list[dict[str, Any]]


def resolve_steps(names: tuple[str, ...]) -> list[tuple[str, Step]]:
    load_all()
    return [(name, STEPS.get(name)) for name in names]


class UnrecordedEditError(RuntimeError):
    """A step changed the text without logging its edits through corpus.rules.edits."""


def apply_steps(draft: Draft, steps: list[tuple[str, Step]]) -> tuple[Draft, list[dict[str, Any]]]:
    """Run the steps in order; for each step that changed the text, what it removed and where in the raw body."""
    edits = []
    with recording() as passes:
        for name, step in steps:
            before, first_pass = draft.text, len(passes)
            draft = step(draft)
            if len(passes) == first_pass:
                if draft.text != before:
                    raise UnrecordedEditError(f"{name} changed the text without recording its edits")
                continue
            spans = [
                span
                for j in range(first_pass, len(passes))
                for span in to_source(passes, j, [(e.start, e.end) for e in passes[j]])
            ]
            edits.append({"rule": name, "chars_removed": len(before) - len(draft.text), "spans": _merge(spans)})
    return draft, edits


def _merge(spans: list[tuple[int, int]]) -> list[dict[str, int]]:
    merged: list[list[int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [{"start": start, "end": end} for start, end in merged]


def is_truncated(text: str, cut_hint: bool) -> bool:
    """Cut by the crawler: the shape says so (fixed-width line, teaser), or it ends in an ellipsis that stands
    for the rest, or the body stops without a sentence ending — punctuation, or a Korean final ending in a text
    that does not punctuate its sentences (one that does and ends `…계획이다` lost its period to the cut)."""
    stripped = text.rstrip()
    if cut_hint or stripped.endswith(ELLIPSIS_END):
        return True
    if ends_punctuated(stripped):
        return False
    return not ends_like_a_sentence(stripped) or punctuates(stripped)


@dataclass(frozen=True, slots=True)
class Prepared:
    """A segment through its cleaning steps, waiting for the quality gate."""

    segment: dict[str, Any]
    draft: Draft
    edits: list[dict[str, Any]]


def prepare_segment(segment: dict[str, Any], steps: list[tuple[str, Step]], params: CleanParams) -> Outcome | Prepared:
    """Run the steps on an article segment; other segments (errors, link lists, teasers) and what cleaning
    empties leave here with their fate."""
    provenance = segment["provenance"]
    removal = {"segment_id": segment["segment_id"], "article_id": segment["article_id"]}
    if segment["error"]:
        return Outcome(None, {**removal, "fate": "quarantined", "reasons": [segment["error"]]}, [])
    if provenance["role"] == "link_list":
        return Outcome(None, {**removal, "fate": "dropped:link_list", "reasons": [segment["note"]]}, [])
    if provenance["role"] == "teaser" and not params.keep_teasers:
        reason = "a cut preview of another article in the page's sidebar, not this page's article"
        return Outcome(None, {**removal, "fate": "dropped:sidebar_teaser", "reasons": [reason]}, [])
    draft = Draft(
        text=segment["body"],
        title=segment["title"],
        publisher=segment["publisher"],
        reporters=tuple(segment["reporters"] or ()),
        date_text=segment["date_text"],
        section=segment["section"],
        url=segment["url"],
    )
    draft, edits = apply_steps(draft, steps)
    if not draft.text.strip():
        reason = "nothing left after cleaning: " + ", ".join(e["rule"] for e in edits)
        return Outcome(None, {**removal, "fate": "dropped:empty_after_cleaning", "reasons": [reason]}, edits)
    return Prepared(segment, draft, edits)


def finish_segment(prepared: Prepared, signals: dict[str, Any], params: CleanParams) -> Outcome:
    """The quality gate, then the record."""
    segment, draft, edits = prepared.segment, prepared.draft, prepared.edits
    removal = {"segment_id": segment["segment_id"], "article_id": segment["article_id"]}
    if not params.keep_photo_captions and (photo := photo_item(draft.title, draft.text, signals["n_sentences"])):
        return Outcome(None, {**removal, "fate": "dropped:photo_caption", "reasons": [photo]}, edits)
    if problems := quality_problems(signals, params.quality):
        return Outcome(None, {**removal, "fate": "dropped:quality", "reasons": problems}, edits)
    record = {
        "id": segment["article_id"],
        "title": _tidy(draft.title),
        "text": draft.text,
        "publisher": _tidy(draft.publisher),
        "reporters": list(draft.reporters),
        "published_at": parse_kst(draft.date_text),
        "section": _tidy(draft.section),
        "url": draft.url,
        "is_truncated": is_truncated(draft.text, segment["cut_hint"]),
        "quality": signals,
        "provenance": segment["provenance"],
    }
    return Outcome(record, None, edits)


def clean_segment(segment: dict[str, Any], steps: list[tuple[str, Step]], params: CleanParams) -> Outcome:
    prepared = prepare_segment(segment, steps, params)
    if isinstance(prepared, Outcome):
        return prepared
    return finish_segment(prepared, quality_signals(prepared.draft.text), params)


def _tidy(value: str | None) -> str | None:
    return " ".join(normalize_v1(value).split()) or None if value else None


@dataclass(frozen=True)
class CleanedBatch:
    records: pa.Table
    removed: pa.Table
    edits: pa.Table
    counts: Counter[str]


RECORD_FIELDS = pa.schema([field for field in WORK_SCHEMA if field.name != "provenance"])


def clean_batch(batch: pa.RecordBatch, params: CleanParams, chain: str) -> CleanedBatch:
    """Clean every segment of a batch; pure, so it can run in any process.

    Cleaning reads only the role of a segment's provenance; the provenance itself goes from the segments
    to the records as an Arrow column (with this stage's params hash), never through Python dicts.
    """
    steps = resolve_steps(params.steps)
    counts: Counter[str] = Counter()
    columns = batch.drop_columns(["provenance"]).to_pydict()
    provenance = batch.column("provenance")
    roles = provenance.field("role").to_pylist()
    prepared = [
        prepare_segment({name: values[index] for name, values in columns.items()} | {"provenance": {"role": role}},
                        steps, params)
        for index, role in enumerate(roles)
    ]
    signals = iter(quality_signals_batch([p.draft.text for p in prepared if isinstance(p, Prepared)]))
    records, kept, removed, edits = [], [], [], []
    for index, step in enumerate(prepared):
        outcome = finish_segment(step, next(signals), params) if isinstance(step, Prepared) else step
        counts["total"] += 1
        if outcome.record is not None:
            records.append(outcome.record)
            kept.append(index)
            masks_in = outcome.record["text"].count if "<" in outcome.record["text"] else lambda mask: 0
            for mask in MASKS:
                counts[f"masked_{mask.strip('<>').lower()}"] += masks_in(mask)
        else:
            assert outcome.removal is not None
            removed.append(outcome.removal)
            counts[outcome.removal["fate"].replace(":", "_")] += 1
        for edit in outcome.edits:
            counts[f"rule_{edit['rule']}_documents"] += 1
            counts[f"rule_{edit['rule']}_chars_removed"] += edit["chars_removed"]
        edits.append({"segment_id": columns["segment_id"][index], "edits": outcome.edits})
    counts["kept"] += len(kept)
    record_table = rows_to_table(records, RECORD_FIELDS).append_column(
        WORK_SCHEMA.field("provenance"), [_with_params_hash(provenance.take(pa.array(kept, pa.int64())), chain)]
    )
    return CleanedBatch(
        record_table, rows_to_table(removed, REMOVAL_SCHEMA), rows_to_table(edits, EDITS_SCHEMA), counts
    )


def _with_params_hash(provenance: pa.StructArray, chain: str) -> pa.StructArray:
    fields = list(provenance.type)
    children = [
        pa.array([chain] * len(provenance), pa.string())
        if field.name == "params_sha256"
        else provenance.field(field.name)
        for field in fields
    ]
    return pa.StructArray.from_arrays(children, fields=fields)


@dataclass(frozen=True)
class CleanJob(UnitJob[CleanParams]):
    index_offset: int = 0  # segments before this unit in its raw file, when the file was read in parts


def clean_unit(job: CleanJob) -> dict[str, Any]:
    """Clean one unit's segments into `records-`, `removed-` and `edits-<unit>-NNNNN.parquet`, or take them
    from the cache; returns the unit's counters."""
    offset = [f"segment_index+{job.index_offset}"] if job.index_offset else []
    key = job_key("clean", read_unit_key(job.source, f"segments-{job.unit}"), job.chain, *offset)
    return cached("clean", key, job.cache, job.output, [job.unit], lambda: _clean_unit(job, key))


def _clean_unit(job: CleanJob, key: str) -> tuple[list[AnyPath], dict[str, Any]]:
    counts: Counter[str] = Counter()
    with (
        ShardWriter(job.output, f"records-{job.unit}", WORK_SCHEMA, chain=job.chain, unit_key=key) as records,
        ShardWriter(job.output, f"removed-{job.unit}", REMOVAL_SCHEMA, chain=job.chain, unit_key=key) as removed,
        ShardWriter(job.output, f"edits-{job.unit}", EDITS_SCHEMA, chain=job.chain, unit_key=key) as edits,
    ):
        for batch in read_batches(job.source, f"segments-{job.unit}"):
            cleaned = clean_batch(shifted(batch, job.index_offset), job.params, job.chain)
            records.write(cleaned.records)
            removed.write(cleaned.removed)
            edits.write(cleaned.edits)
            counts.update(cleaned.counts)
    return records.paths + removed.paths + edits.paths, {"counts": dict(counts)}


def check_params(params: CleanParams, config_dir: Path | None = None) -> None:
    """Names in params that nothing is registered under: a ParamsError before any work (`config_dir`: where
    params' relative paths are resolved; clean's params name no file)."""
    try:
        resolve_steps(params.steps)
    except UnknownNameError as error:
        raise ParamsError(f"clean.steps: {error}") from None
    if unknown := sorted(set(params.quality) - set(THRESHOLDS)):
        raise ParamsError(f"clean.quality: unknown threshold(s) {unknown}; known: {sorted(THRESHOLDS)}")


def main(paths: StagePaths, params: CleanParams) -> dict[str, Any]:
    check_params(params)
    offsets = read_offsets(paths.stage("ingest"))
    counts = map_units(paths, "clean", "ingest", "segments", params, clean_unit,
                       lambda unit, *fields: CleanJob(unit, *fields, offset_of(offsets, unit)))
    return {k: counts[k] for k in sorted(counts)}
