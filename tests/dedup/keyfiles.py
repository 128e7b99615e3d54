"""Dedup keys files (`keys-<unit>-NNNNN.parquet`) written straight from signatures, for the corpus-wide step."""

import hashlib
from datetime import datetime

import pyarrow as pa
import pyarrow.parquet as pq

from corpus.dedup.keys import index_table, key_schema, signature_array
from corpus.dedup.minhash import band_keys


def hex_of(value, digits):
    return hashlib.sha256(str(value).encode()).hexdigest()[:digits]


def write_keys(folder, sigs, spans, names, config, ids=None, texts=None):
    """Keys files of records 0…n-1, one per unit span; ids and text keys derive from `ids` / `texts` (one
    value a record) or from the record number."""
    folder.mkdir(exist_ok=True)
    keys = band_keys(sigs, config)
    for unit, (start, stop) in zip(names, spans, strict=True):
        rows = range(start, stop)
        table = pa.table({
            "id": [hex_of(ids[i] if ids else i, 24) for i in rows], "segment_id": [f"s{i}" for i in rows],
            "text_key": [hex_of(f"text {texts[i] if texts else i}", 32) for i in rows],
            "is_truncated": [i % 3 == 0 for i in rows], "n_chars": [100 + i for i in rows],
            "published_at": pa.array([datetime(2025, 1, 1 + i % 28) if i % 2 else None for i in rows],
                                     pa.timestamp("s")),
            "signature": signature_array(sigs[start:stop], config.num_perm),
            **{f"band_{b:03d}": keys[start:stop, b] for b in range(config.bands)},
        })
        pq.write_table(table.cast(key_schema(config)), folder / f"keys-{unit}-00000.parquet")


def write_index(path, keys_folder, keep, config):
    """A MinHash index file of the records in `keys_folder`'s keys files (in unit order) that `keep` marks."""
    keys = pa.concat_tables(pq.read_table(file, columns=["id", "signature"])
                            for file in sorted(keys_folder.glob("keys-*.parquet")))
    pq.write_table(index_table(keys, keep, config), path)
