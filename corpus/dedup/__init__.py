"""Duplicate detection: exact keys, MinHash near-duplicates, clusters as connected components, the release index."""

INDEX_FILE = "minhash-index.parquet"  # shipped in release/dedup/; the next build dedups against it
