"""Dedup: fold exact and near-duplicate articles into one representative per cluster.

Clusters join records that share an article id, a normalized-text hash, or a verified MinHash pair;
an earlier release's index (`dedup.previous_index`) joins in too, and a released article always stays
its cluster's representative. The others are ledgered as `duplicate_of:<representative id>`.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from corpus.dedup import INDEX_FILE
from corpus.dedup.clusters import cluster
from corpus.dedup.exact import Candidate, exact_key
from corpus.dedup.minhash import MinHashConfig, estimated_jaccard, fold, near_duplicate_pairs, signatures
from corpus.params import DedupParams, chain_sha256
from corpus.record import RECORD_SCHEMA, REMOVAL_SCHEMA
from corpus.shards import ShardWriter, fresh_directory, read_batches, read_chain
from corpus.stages import StagePaths

DEDUP_TYPE = RECORD_SCHEMA.field("dedup").type
KEY_COLUMNS = ["id", "text", "is_truncated", "quality", "published_at", "provenance"]


def index_schema(num_perm: int) -> pa.Schema:
    return pa.schema([pa.field("id", pa.string(), nullable=False),
                      pa.field("signature", pa.list_(pa.uint32(), num_perm), nullable=False)])


def config_of(params: DedupParams) -> MinHashConfig:
    return MinHashConfig(shingle=params.shingle, bands=params.bands, rows=params.rows, jaccard=params.jaccard,
                         seed=params.seed)


def collect(source: Path, config: MinHashConfig) -> tuple[list[Candidate], list[str], np.ndarray]:
    """One narrow tuple and one MinHash signature per record, in record order (the text is not kept)."""
    candidates, segment_ids, blocks = [], [], []
    for batch in read_batches(source, "records", columns=KEY_COLUMNS):
        texts = [fold(text) for text in batch.column("text").to_pylist()]
        n_chars = pc.struct_field(batch.column("quality"), "n_chars").to_pylist()
        segment_ids += pc.struct_field(batch.column("provenance"), "segment_id").to_pylist()
        for id_, text, truncated, chars, published in zip(
            batch.column("id").to_pylist(), texts, batch.column("is_truncated").to_pylist(), n_chars,
            batch.column("published_at").to_pylist(), strict=True,
        ):
            candidates.append(Candidate(id_, exact_key(text), truncated, chars, published))
        blocks.append(signatures(texts, config, folded=True))
    stacked = np.vstack(blocks) if blocks else np.zeros((0, config.num_perm), dtype=np.uint32)
    return candidates, segment_ids, stacked


def load_index(path: str, config: MinHashConfig) -> tuple[list[str], np.ndarray]:
    """Ids and signatures of an earlier release (a release folder or its index file); none if unset."""
    if not path:
        return [], np.zeros((0, config.num_perm), dtype=np.uint32)
    file = Path(path) / "dedup" / INDEX_FILE if Path(path).is_dir() else Path(path)
    table = pq.read_table(file)
    stored = table.schema.metadata or {}
    expected = f"{config.shingle}:{config.bands}:{config.rows}:{config.seed}".encode()
    if stored.get(b"corpus.minhash") != expected:
        raise ValueError(f"{file}: MinHash index built with {stored.get(b'corpus.minhash')!r}, params say {expected!r}")
    flat = pc.list_flatten(table.column("signature")).to_numpy()
    return table.column("id").to_pylist(), flat.astype(np.uint32).reshape(len(table), config.num_perm)


def duplicate_reason(member: Candidate, best: Candidate, similarity: float) -> str:
    if member.id == best.id:
        return "exact: same article id"
    if member.text_key == best.text_key:
        return "exact: same normalized text"
    return f"near-duplicate: estimated Jaccard {similarity:.2f} with {best.id}"


def main(paths: StagePaths, params: DedupParams) -> dict[str, Any]:
    source = paths.stage("validate")
    output = fresh_directory(paths.stage("dedup"))
    chain = chain_sha256(read_chain(source, "records"), params)
    config = config_of(params)
    candidates, segment_ids, sigs = collect(source, config)
    current = len(candidates)
    released_ids, released_sigs = load_index(params.previous_index, config)
    present = {candidate.id for candidate in candidates}
    absent = [i for i, id_ in enumerate(released_ids) if id_ not in present]
    # Released articles missing from this input still anchor their clusters (rank first, never emitted).
    candidates += [Candidate(released_ids[i], f"released:{released_ids[i]}", False, 0, None) for i in absent]
    sigs = np.vstack([sigs, released_sigs[absent]]) if absent else sigs
    representative = cluster(candidates, near_duplicate_pairs(sigs, config), frozenset(released_ids))
    sizes = Counter(representative[:current])
    counts: Counter[str] = Counter(total=current)
    kept_index = []
    with (
        ShardWriter(output, "records", RECORD_SCHEMA, chain=chain) as records,
        ShardWriter(output, "removed", REMOVAL_SCHEMA, chain=chain) as removed,
    ):
        position = 0
        for batch in read_batches(source, "records"):
            keep = []
            for index in range(position, position + batch.num_rows):
                best = representative[index]
                keep.append(best == index)
                if best == index:
                    kept_index.append(index)
                    continue
                reason = duplicate_reason(candidates[index], candidates[best],
                                          estimated_jaccard(sigs[index], sigs[best]))
                removed.write([{"segment_id": segment_ids[index], "article_id": candidates[index].id,
                                "fate": f"duplicate_of:{candidates[best].id}", "reasons": [reason]}])
                counts["dropped_duplicate_" + reason.split(":")[0].replace("-", "_")] += 1
            kept = batch.filter(pa.array(keep))
            dedup = [{"cluster_id": candidates[i].id, "cluster_size": sizes[i]}
                     for i, k in enumerate(keep, start=position) if k]
            records.write(kept.append_column("dedup", pa.array(dedup, type=DEDUP_TYPE)))
            counts["kept"] += kept.num_rows
            position += batch.num_rows
    write_index(output / INDEX_FILE, [candidates[i].id for i in kept_index], sigs[kept_index], config)
    counts["clusters_with_duplicates"] = sum(1 for size in sizes.values() if size > 1)
    counts["released_anchors"] = len(absent)
    return dict(sorted(counts.items()))


def write_index(path: Path, ids: list[str], sigs: np.ndarray, config: MinHashConfig) -> None:
    """The compact MinHash index a release ships, so the next build can dedup against it."""
    order = np.argsort(np.asarray(ids, dtype=object), kind="stable") if ids else np.zeros(0, dtype=int)
    schema = index_schema(config.num_perm).with_metadata(
        {"corpus.minhash": f"{config.shingle}:{config.bands}:{config.rows}:{config.seed}"}
    )
    flat = pa.array(sigs[order].reshape(-1) if len(ids) else np.zeros(0, dtype=np.uint32), type=pa.uint32())
    signature = pa.FixedSizeListArray.from_arrays(flat, config.num_perm)
    table = pa.Table.from_arrays([pa.array([ids[i] for i in order], type=pa.string()), signature], schema=schema)
    pq.write_table(table, path, compression="zstd")
