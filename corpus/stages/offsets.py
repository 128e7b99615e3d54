"""Segment positions of files read in parts.

Every part of a file numbers its segments from 0 (it cannot know how many the parts before it hold); ingest
writes, once every part is in, how many segments come before each part (`segment_index_offsets.json` in its
folder), and the stages that copy a segment's provenance — clean for the records, publish for the ledger —
add the offset, so `provenance.segment_index` is the segment's position in the whole file.
"""

from __future__ import annotations

import json

import pyarrow as pa
import pyarrow.compute as pc

from corpus.plumbing.storage import AnyPath

OFFSETS = "segment_index_offsets.json"


def write_offsets(folder: AnyPath, offsets: dict[str, int]) -> None:
    if offsets:
        (folder / OFFSETS).write_text(json.dumps(offsets, sort_keys=True) + "\n", encoding="utf-8")


def read_offsets(folder: AnyPath) -> dict[str, int]:
    """unit → segments before it in its file (units absent: 0)."""
    path = folder / OFFSETS
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def offset_of(offsets: dict[str, int], unit: str) -> int:
    """A unit's offset; a sub-unit (`00012_00003`) shares its unit's, since one job numbered them all."""
    return offsets.get(unit.partition("_")[0], 0)


def shifted(rows: pa.RecordBatch, offset: int) -> pa.RecordBatch:
    """The rows with `offset` added to their provenance's segment_index."""
    if not offset:
        return rows
    column = rows.schema.get_field_index("provenance")
    provenance = rows.column(column)
    fields = list(provenance.type)
    children = [pc.add(provenance.field(f.name), pa.scalar(offset, f.type)) if f.name == "segment_index"
                else provenance.field(f.name) for f in fields]
    arrays = list(rows.columns)
    arrays[column] = pa.StructArray.from_arrays(children, fields=fields, mask=provenance.is_null())
    return pa.RecordBatch.from_arrays(arrays, schema=rows.schema)
