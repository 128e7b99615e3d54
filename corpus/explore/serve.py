"""Serve a release's explorer file with Datasette on a loopback port: read-only (the file is opened immutable,
downloads and writes off), bound to 127.0.0.1 and nothing else, the release folder mounted for its plots,
datasheet and Data Docs."""

from __future__ import annotations

import errno
import json
import socket
from pathlib import Path
from typing import Any

from corpus.errors import UsageError

HOST = "127.0.0.1"  # never another interface: the explorer has no authentication
TEMPLATES = Path(__file__).resolve().parent / "templates"


def listening_socket(port: int) -> socket.socket:
    """A socket bound to the loopback address and the port (0: a free one), or a UsageError saying why not."""
    if not 0 <= port <= 65535:
        raise UsageError(f"port {port} is not a TCP port: give 1–65535, or 0 for any free one")
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        sock.bind((HOST, port))
    except OSError as error:
        sock.close()
        if error.errno == errno.EADDRINUSE:
            raise UsageError(f"port {port} on {HOST} is in use: pick another with --port (0: any free one)") from None
        if error.errno == errno.EACCES:
            raise UsageError(f"port {port} needs privileges to open: pick one above 1023 with --port") from None
        raise
    sock.listen(128)
    return sock


def metadata(release: Path, raw: Path | None, params: Path | None, title: str) -> dict[str, Any]:
    """Datasette metadata: titles, facets, column docs, and the plugin's config (where the release and its raw
    files are)."""
    return {
        "title": title,
        "plugins": {"corpus-explore": {"release": str(release), "raw": str(raw) if raw else None,
                                       "params": str(params) if params else None}},
        "databases": {"corpus": {"tables": {
            "articles": {
                "title": "Articles",
                "description": "Every published article. Search with the box (Korean substrings, two characters "
                               "or more); click an id for the article over its raw text.",
                "facets": ["publisher", "section", "split", "month", "is_truncated"],
                "label_column": "title",
            },
            "ledger": {
                "title": "Ledger",
                "description": "Every raw segment and its fate. Filter by fate, reason or source file; click a "
                               "segment id for its raw text.",
                "facets": ["fate_group", "reason", "source_path", "fate"],
                "label_column": "title",
            },
            "article_text": {"hidden": True},
            "search_tails": {"hidden": True},
            "release_info": {"title": "About the release"},
        }}},
    }


def app(database: Path, release: Path, raw: Path | None, params: Path | None) -> Any:
    """The Datasette ASGI app over the explorer file, with the plugin registered."""
    from datasette.app import Datasette
    from datasette.plugins import pm

    from corpus.explore import plugin

    if not pm.is_registered(plugin):
        pm.register(plugin, name=plugin.NAME)
    from corpus.explore.database import read_info

    title = f"Korean news corpus: {release.name}"
    info = read_info(database)
    counts = json.loads(info.get("table_counts", "{}"))
    inspected = {"corpus": {"hash": info.get("fingerprint"), "size": database.stat().st_size, "file": str(database),
                            "tables": {name: {"count": count} for name, count in counts.items()}}}
    datasette = Datasette(
        immutables=[str(database)],
        inspect_data=inspected,
        metadata=metadata(release.resolve(), raw.resolve() if raw else None, params, title),
        template_dir=str(TEMPLATES),
        static_mounts=[("release", str(release.resolve()))],
        settings={"sql_time_limit_ms": 5_000, "facet_time_limit_ms": 2_000, "truncate_cells_html": 160,
                  "suggest_facets": False, "allow_download": False, "default_page_size": 50,
                  "num_sql_threads": 2},
    )
    return datasette


def serve(datasette: Any, sock: socket.socket) -> None:
    """Serve until interrupted, on the socket already bound (so the URL printed is the one that answers)."""
    import uvicorn

    config = uvicorn.Config(datasette.app(), log_level="warning", lifespan="on")
    uvicorn.Server(config).run(sockets=[sock])


def explore(release: Path, port: int, raw: Path | None, params: Path | None, cache: Path | None, workers: int,
            say: Any, announce: Any) -> None:
    """`corpus explore`: check what was asked, bind the port, build or reuse the explorer file, serve; `say`
    tells progress, `announce` the URL."""
    import time

    from corpus.explore.database import check_release, database_for, default_cache

    sock = listening_socket(port)
    try:
        check_release(release)
        if raw is not None and not raw.is_dir():
            raise UsageError(f"raw folder {raw} does not exist" if not raw.exists() else f"raw {raw} is not a folder")
        started = time.perf_counter()
        database, built = database_for(release, cache or default_cache(), workers)
        say(f"{'built' if built else 'reusing'} {database}" + (f" in {time.perf_counter() - started:.1f} s"
                                                                if built else ""))
        datasette = app(database, release, raw, params)
        announce(f"http://{HOST}:{sock.getsockname()[1]}/")
        say(f"exploring {release} read-only; Ctrl-C stops")
        serve(datasette, sock)
    finally:
        sock.close()
