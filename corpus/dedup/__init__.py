"""Duplicate detection: exact keys, MinHash near-duplicates, clusters as connected components, the release index."""

# The MinHash index a release ships, release/dedup/minhash-index-NNNNN-of-NNNNN.parquet (id + signature of every
# article kept), so the next build can dedup against it:
INDEX_STEM = "minhash-index"
MINHASH_KEY = "corpus.minhash"  # its metadata: the signature params, checked when it is read back
INDEX_COMPRESSION = {"id": "zstd", "signature": "none"}  # MinHash values are near-random: zstd gains ~5%
