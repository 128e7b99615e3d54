"""`corpus explore`: a read-only web view of a release, served by Datasette over a SQLite file derived from it.

- `database`: the release → one SQLite file (sqlite-utils), cached by the release's fingerprint;
- `search`: the Korean full-text index (FTS5 trigram, built in shards) and how a query is answered from it;
- `raw`: a segment's raw body read again from its raw file, and the cleaning edits laid over it;
- `plugin`: the Datasette hooks (the search filter, links, the article, segment and datasheet pages);
- `serve`: the Datasette app on a loopback port.
"""
