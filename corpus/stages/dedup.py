"""Dedup: fold exact duplicates into one representative article per cluster; the rest are ledgered."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from corpus.dedup.exact import Candidate, exact_clusters, exact_key
from corpus.params import DedupParams, chain_sha256
from corpus.record import RECORD_SCHEMA, REMOVAL_SCHEMA
from corpus.shards import ShardWriter, fresh_directory, read_batches, read_chain
from corpus.stages import StagePaths

DEDUP_TYPE = RECORD_SCHEMA.field("dedup").type
KEY_COLUMNS = ["id", "text", "is_truncated", "quality", "published_at", "provenance"]


def collect_candidates(source: Any) -> tuple[list[Candidate], list[str]]:
    """One narrow tuple per record (no text kept), in record order."""
    candidates, segment_ids = [], []
    for batch in read_batches(source, "records", columns=KEY_COLUMNS):
        n_chars = pc.struct_field(batch.column("quality"), "n_chars").to_pylist()
        segments = pc.struct_field(batch.column("provenance"), "segment_id").to_pylist()
        for row, chars, segment in zip(batch.to_pylist(), n_chars, segments, strict=True):
            candidates.append(
                Candidate(row["id"], exact_key(row["text"]), row["is_truncated"], chars, row["published_at"])
            )
            segment_ids.append(segment)
    return candidates, segment_ids


def main(paths: StagePaths, params: DedupParams) -> dict[str, Any]:
    source = paths.stage("validate")
    output = fresh_directory(paths.stage("dedup"))
    chain = chain_sha256(read_chain(source, "records"), params)
    candidates, segment_ids = collect_candidates(source)
    representative = exact_clusters(candidates)
    sizes = Counter(representative)
    counts: Counter[str] = Counter(total=len(candidates))
    with (
        ShardWriter(output, "records", RECORD_SCHEMA, chain=chain) as records,
        ShardWriter(output, "removed", REMOVAL_SCHEMA, chain=chain) as removed,
    ):
        position = 0
        for batch in read_batches(source, "records"):
            keep = []
            for offset in range(batch.num_rows):
                index = position + offset
                best = representative[index]
                keep.append(best == index)
                if best != index:
                    same_id = candidates[best].id == candidates[index].id
                    reason = "exact: same article id" if same_id else "exact: same normalized text"
                    removed.write([{
                        "segment_id": segment_ids[index], "article_id": candidates[index].id,
                        "fate": f"duplicate_of:{candidates[best].id}", "reasons": [reason],
                    }])
                    counts["dropped_duplicate_exact"] += 1
            kept = batch.filter(pa.array(keep))
            dedup = [{"cluster_id": candidates[i].id, "cluster_size": sizes[i]}
                     for i, k in enumerate(keep, start=position) if k]
            records.write(kept.append_column("dedup", pa.array(dedup, type=DEDUP_TYPE)))
            counts["kept"] += kept.num_rows
            position += batch.num_rows
    counts["clusters_with_duplicates"] = sum(1 for size in sizes.values() if size > 1)
    return dict(sorted(counts.items()))
