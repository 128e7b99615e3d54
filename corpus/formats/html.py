"""HTML article pages: main text by trafilatura, metadata from OpenGraph, JSON-LD NewsArticle and <time>.

A page whose extractable text is too short to be an article (a section front, a search-results page)
is a list of links: it yields one `link_list` segment that the ledger records as dropped, with why.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from corpus.formats.base import Line, Segment
from corpus.params import IngestParams
from corpus.sources import Source

HTML_SUFFIXES = (".html", ".htm", ".xhtml", ".shtml")


class Html:
    name = "html"

    def detect(self, source: Source) -> bool:
        if source.suffix in HTML_SUFFIXES:
            return True
        head = source.head[:2048].lstrip().lower()
        return head.startswith((b"<!doctype html", b"<html")) or b"<html" in head[:512]

    def segment(self, source: Source, params: IngestParams) -> Iterator[Segment]:
        import trafilatura  # heavy; imported only when a corpus has HTML

        data = source.read_bytes()
        page = data.decode(source.encoding, errors="replace")
        lines = source.all_lines()
        whole = Line(1, lines[0].start, lines[-1].end, "") if lines else Line(1, 0, len(data), "")
        extracted = trafilatura.bare_extraction(
            page, with_metadata=True, include_comments=False, include_tables=False, favor_precision=True,
            deduplicate=False,
        )
        document = extracted.as_dict() if extracted is not None else {}
        text = (document.get("text") or "").strip()
        meta = page_metadata(page)
        title = meta.get("title") or document.get("title")
        if len(text) < params.min_html_article_chars:
            links = meta.get("links", 0)
            yield Segment(first=whole, last=whole, body="", role="link_list", title=title, raw=None,
                          note=f"a page of {links} links and {len(text)} characters of article text "
                               f"(section front or search results), not an article")
            return
        reporters = meta.get("authors") or ([document["author"]] if document.get("author") else [])
        yield Segment(
            first=whole, last=whole, body=text, title=title,
            date_text=meta.get("published") or document.get("date"),
            publisher=meta.get("publisher") or document.get("sitename"),
            reporters=[name for name in reporters if name],
            section=meta.get("section") or next(iter(document.get("categories") or []), None),
            url=meta.get("url") or document.get("url"),
        )


def page_metadata(page: str) -> dict[str, Any]:
    """Canonical URL, headline, outlet, section, authors and publication time from the page's metadata."""
    import lxml.html

    try:
        tree = lxml.html.fromstring(page.encode("utf-8"))
    except (lxml.html.etree.ParserError, ValueError):
        return {}
    meta = {m.get("property") or m.get("name"): m.get("content") for m in tree.iter("meta") if m.get("content")}
    found: dict[str, Any] = {
        "url": next(iter(tree.xpath("//link[@rel='canonical']/@href")), None) or meta.get("og:url"),
        "title": meta.get("og:title"),
        "publisher": meta.get("og:site_name"),
        "section": meta.get("article:section"),
        "published": meta.get("article:published_time")
        or next(iter(tree.xpath("//time/@datetime")), None),
        "links": len(tree.xpath("//a[@href]")),
    }
    for article in _json_ld_articles(tree):
        found["title"] = article.get("headline") or found["title"]
        found["published"] = article.get("datePublished") or found["published"]
        found["section"] = article.get("articleSection") or found["section"]
        publisher = article.get("publisher")
        found["publisher"] = (publisher.get("name") if isinstance(publisher, dict) else publisher) or found["publisher"]
        authors = article.get("author")
        authors = authors if isinstance(authors, list) else [authors] if authors else []
        found["authors"] = [a.get("name") if isinstance(a, dict) else a for a in authors]
    return {key: value for key, value in found.items() if value}


def _json_ld_articles(tree: Any) -> Iterator[dict[str, Any]]:
    for script in tree.xpath("//script[@type='application/ld+json']/text()"):
        try:
            data = json.loads(script)
        except json.JSONDecodeError:
            continue
        for item in data if isinstance(data, list) else data.get("@graph", [data]):
            if isinstance(item, dict) and item.get("@type") in ("NewsArticle", "Article", "ReportageNewsArticle"):
                yield item
