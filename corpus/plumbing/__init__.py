"""How the work runs, not what it decides: storage (local folders or fsspec URLs), Parquet shards between
stages, raw-file units, the content-addressed result cache, the digest book, external sorting, executors,
progress and deferred imports.

Nothing here knows about news, articles or rules: the domain (record, formats, fields, text) and the
policy (params, rules, quality, dedup, release) import plumbing, never the other way round.
"""
