"""The Datasette plugin of `corpus explore`: Korean search on the articles table, links between articles,
segments and clusters, and the pages Datasette has no view for (an article over its raw text, the datasheet).

Registered by corpus.explore.serve on the Datasette it starts; every hook is a no-op for a Datasette without
the `corpus-explore` plugin config, so nothing leaks into another instance in the same process.
"""

from __future__ import annotations

import functools
import json
from collections import OrderedDict
from pathlib import Path
from typing import Any

from datasette import Response, hookimpl
from datasette.filters import FilterArguments
from markupsafe import Markup, escape

from corpus.explore import search
from corpus.explore.raw import RawFolder, pieces, rule_action, rule_label

NAME = "corpus-explore"
DATABASE = "corpus"
KEEP_ANSWERS = 32  # the file is immutable: a query's rows are kept while its facets, sorts and pages are browsed
_ANSWERS: OrderedDict[tuple[str, str], search.Answer] = OrderedDict()
QUERY = "_q"  # Datasette reads a plain name as a column filter


def _config(datasette: Any) -> dict[str, Any] | None:
    return datasette.plugin_config(NAME)


@functools.cache
def _raw_folder(root: str | None, params_file: str | None) -> RawFolder:
    from corpus.params import load_stage_params

    return RawFolder(Path(root) if root else None, load_stage_params("ingest", params_file))


@hookimpl
def filters_from_request(request: Any, database: str, table: str, datasette: Any) -> Any:
    """`?q=국회 예산` on the articles table: the rows holding every term (corpus.explore.search)."""
    if not _config(datasette) or database != DATABASE or table != "articles" or not request.args.get(QUERY):
        return None

    async def found() -> FilterArguments:
        query = request.args.get(QUERY)
        db = datasette.get_database(DATABASE)
        result = _ANSWERS.get((db.path, query))
        if result is None:
            result = await db.execute_fn(lambda conn: search.answer(conn, query))
            _ANSWERS[(db.path, query)] = result
            while len(_ANSWERS) > KEEP_ANSWERS:
                _ANSWERS.popitem(last=False)
        notes = [f"“{term}” is too short to search (two characters or more)" for term in result.skipped]
        if result.rowids is None:
            return FilterArguments([], human_descriptions=notes, extra_context={"corpus_query": query})
        clause, value = search.rowid_filter(result.rowids)
        terms = " and ".join(f"“{term}”" for term in result.terms)
        return FilterArguments([clause], {"corpus_found": value}, [f"holding {terms}", *notes],
                               {"corpus_query": query})

    return found


@hookimpl
def render_cell(row: Any, value: Any, column: str, table: str, database: str, datasette: Any) -> Any:
    """Links to the pages of this plugin: an article's title to its page, a ledger row's fate to its segment's
    raw text, cluster and segment ids to theirs (Datasette links primary keys to its own row page)."""
    if not _config(datasette) or database != DATABASE:
        return None
    if table == "articles" and column == "title":
        return _link(f"/-/article/{row['id']}", value or "(no title)")
    if table == "ledger" and column == "fate":
        return _link(f"/-/segment/{row['segment_id']}", value)
    if value is not None and column == "cluster_id":
        return _link(f"/-/article/{value}", value)
    if value is not None and table == "articles" and column == "segment_id":
        return _link(f"/-/segment/{value}", value)
    return None


def _link(href: str, text: str) -> Markup:
    return Markup(f'<a href="{escape(href)}">{escape(text)}</a>')


@hookimpl
def extra_template_vars(template: str, datasette: Any, request: Any) -> Any:
    config = _config(datasette)
    if not config or template != "index.html":
        return None

    async def front_page() -> dict[str, Any]:
        db = datasette.get_database(DATABASE)
        info = dict((await db.execute("SELECT key, value FROM release_info")).rows)
        return {"corpus": front_page_facts(Path(config["release"]), info, config.get("raw"))}

    return front_page


def front_page_facts(release: Path, info: dict[str, str], raw: str | None) -> dict[str, Any]:
    """What the front page links to: the release's plots, datasheet, card and Data Docs that exist."""
    plots = sorted(path.name for path in (release / "plots").glob("*.png"))
    docs = [(label, f"/release/validation/{name}/index.html") for label, name in
            (("row expectations", "rows"), ("release expectations", "release"))
            if (release / "validation" / name / "index.html").is_file()]
    return {"release": str(release), "info": info, "ledger": json.loads(info.get("ledger") or "{}"), "plots": plots,
            "data_docs": docs, "raw": raw, "has_datasheet": (release / "DATASHEET.md").is_file()}


async def _one(db: Any, sql: str, params: dict[str, Any]) -> dict[str, Any] | None:
    rows = (await db.execute(sql, params)).rows
    return dict(rows[0]) if rows else None


async def segment_context(datasette: Any, segment_id: str) -> dict[str, Any] | None:
    """Everything the segment page shows: its ledger row, raw body with the edits, the article it became
    (text, split, quality), and its duplicate cluster with each member's fate."""
    config, db = _config(datasette), datasette.get_database(DATABASE)
    segment = await _one(db, "SELECT l.*, f.shape_evidence FROM ledger l LEFT JOIN raw_files f USING (source_path) "
                                 "WHERE l.segment_id = :s", {"s": segment_id})
    if segment is None:
        return None
    edits = json.loads(segment["edits"])
    article = None
    if segment["fate"] == "kept":
        article = await _one(db, "SELECT a.*, t.text FROM articles a JOIN article_text t ON t.n = a.rowid "
                                 "WHERE a.id = :id", {"id": segment["article_id"]})
    members = []
    if segment["cluster_id"]:
        members = [dict(row) for row in (await db.execute(
            "SELECT segment_id, article_id, fate, reasons, title, source_path, line_start FROM ledger "
            "WHERE cluster_id = :c ORDER BY fate != 'kept', source_path, segment_index", {"c": segment["cluster_id"]}
        )).rows]
    raw = _raw_folder(config.get("raw"), config.get("params")).body(segment)
    rules = [{"rule": e["rule"], "label": rule_label(e["rule"]), "action": rule_action(e["rule"]),
              "chars": e["chars_removed"], "spans": len(e["spans"])} for e in edits]
    return {"segment": segment, "reasons": json.loads(segment["reasons"]), "article": article, "members": members,
            "raw": raw, "pieces": pieces(raw.text, edits) if raw.text is not None else [], "rules": rules,
            "reporters": json.loads(article["reporters"]) if article else []}


async def segment_page(datasette: Any, request: Any) -> Response:
    context = await segment_context(datasette, request.url_vars["segment_id"])
    if context is None:
        return Response.html(f"no segment {escape(request.url_vars['segment_id'])} in this release", status=404)
    return Response.html(await datasette.render_template("corpus_segment.html", context, request=request))


async def article_page(datasette: Any, request: Any) -> Response:
    db = datasette.get_database(DATABASE)
    row = await _one(db, "SELECT segment_id FROM articles WHERE id = :id", {"id": request.url_vars["article_id"]})
    if row is None:
        return Response.html(f"no article {escape(request.url_vars['article_id'])} in this release", status=404)
    context = await segment_context(datasette, row["segment_id"])
    return Response.html(await datasette.render_template("corpus_segment.html", context, request=request))


async def datasheet_page(datasette: Any, request: Any) -> Response:
    from markdown_it import MarkdownIt

    path = Path(_config(datasette)["release"]) / "DATASHEET.md"
    html = MarkdownIt("commonmark").enable("table").render(path.read_text(encoding="utf-8"))
    return Response.html(await datasette.render_template("corpus_datasheet.html", {"datasheet": Markup(html)},
                                                         request=request))


@hookimpl
def register_routes(datasette: Any) -> list[tuple[str, Any]]:
    if not _config(datasette):
        return []
    return [(r"^/-/segment/(?P<segment_id>[0-9a-f]+)$", segment_page),
            (r"^/-/article/(?P<article_id>[0-9a-f]+)$", article_page),
            (r"^/-/datasheet$", datasheet_page)]
