"""Duplicate detection: exact (normalized-text hash) now; MinHash near-duplicates plug in beside it."""
