"""HTML article pages: the article's text, and its metadata by trust (corpus.fields.page_meta).

The text comes from the first of these that holds an article's worth of it:
1. trafilatura's main text of the page, with photo captions taken out first (`<figcaption>`, elements whose
   class names a caption);
2. the JSON-LD `articleBody`;
3. the article a script-rendered page ships in its scripts: the longest string of HTML paragraphs there
   (frameworks that render in the browser send the article as data, not as markup);
4. the page's densest block of paragraph text, links discounted (pages trafilatura cannot read, e.g. two
   documents saved into one file).
A page none of them finds an article in (a section front, a search-results page) is a list of links: one
`link_list` segment that the ledger records as dropped, with why.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Iterator
from typing import Any

from corpus.fields.page_meta import PageMeta, json_ld_articles, page_meta
from corpus.formats.base import Line, Segment
from corpus.params import IngestParams
from corpus.sources import Source

HTML_SUFFIXES = (".html", ".htm", ".xhtml", ".shtml")
_CAPTION = re.compile(r"caption|img_desc|photo_desc|image_desc|img-desc|photo-desc|figcaption", re.IGNORECASE)
_STRING = re.compile(r'"((?:[^"\\\n]|\\.){400,})"')
_PLACEHOLDER = re.compile(r"\$\$[A-Z_]+\$\$")
BLOCKS = ("p", "div", "br", "li", "h2", "h3", "h4", "tr", "section", "article", "blockquote")
NOT_CONTENT = ("script", "style", "noscript", "nav", "header", "footer", "aside", "button", "select",
               "iframe", "svg", "template")


class Html:
    name = "html"

    def detect(self, source: Source) -> str | None:
        if source.suffix in HTML_SUFFIXES:
            return f"html: the file name ends in {source.suffix}"
        head = source.head[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
        if head.startswith((b"<!doctype html", b"<html")) or (head.startswith(b"<") and b"<html" in head[:512]):
            return "html: the file starts like an HTML page"
        return None

    def segment(self, source: Source, params: IngestParams) -> Iterator[Segment]:
        import lxml.html

        data = source.read_bytes()
        page = data.decode(source.encoding, errors="replace")
        lines = source.all_lines()
        whole = Line(1, lines[0].start, lines[-1].end, "") if lines else Line(1, 0, len(data), "")
        try:
            tree = parse(page)
        except (lxml.html.etree.ParserError, ValueError):
            yield Segment(first=whole, last=whole, body="", raw=None, error="not a readable HTML page")
            return
        meta = page_meta(tree)
        text, how = article_text(tree, page, params.min_html_article_chars)
        if len(text) < params.min_html_article_chars:
            yield Segment(first=whole, last=whole, body="", role="link_list", title=meta.title, raw=None,
                          note=f"a page of {meta.links} links and {len(text)} characters of article text "
                               f"(section front or search results), not an article")
            return
        yield Segment(
            first=whole, last=whole, body=text, title=meta.title, date_text=meta.published,
            publisher=meta.publisher, reporters=meta.reporters, section=meta.section, url=meta.url,
            note=f"text from {how}",
        )


def article_text(tree: Any, page: str, enough: int) -> tuple[str, str]:
    """The article's text and where it came from (the first source, in trust order, with `enough` of it)."""
    import trafilatura  # heavy; imported only when a corpus has HTML

    pruned = _without_captions(parse(page))  # parsed anew: a copy of the tree would keep only its first root
    extracted = trafilatura.bare_extraction(pruned, with_metadata=False, include_comments=False,
                                            include_tables=False, favor_precision=True, deduplicate=False)
    text = ((extracted.as_dict().get("text") if extracted is not None else None) or "").strip()
    if len(text) >= enough:
        return text, "the page's main text (trafilatura)"
    for how, find in (("the JSON-LD articleBody", _json_ld_body), ("the article data in the page's scripts",
                                                                    _script_article),
                      ("the page's densest block of paragraphs", _densest_block)):
        found = find(pruned if find is _densest_block else tree, page)
        if len(found) >= enough:
            return found, how
    return text, "the page's main text (trafilatura)"


def parse(page: str) -> Any:
    import lxml.html

    return lxml.html.fromstring(page.encode("utf-8"))


def _without_captions(tree: Any) -> Any:
    for element in tree.xpath("//figcaption"):
        element.drop_tree()
    for element in [e for e in tree.xpath("//*[@class or @id]")
                    if _CAPTION.search(" ".join(filter(None, (e.get("class"), e.get("id")))))]:
        element.drop_tree()
    return tree


def _json_ld_body(tree: Any, page: str) -> str:
    return next((article["articleBody"].strip() for article in json_ld_articles(tree)
                 if isinstance(article.get("articleBody"), str)), "")


def _script_article(tree: Any, page: str) -> str:
    """The longest JSON string literal of HTML paragraphs in the page's scripts, as text."""
    best = ""
    for script in tree.xpath("//script[not(@src)]/text()"):
        if "\\u003cp" not in script and "<p" not in script:
            continue
        for match in _STRING.finditer(script):
            try:
                value = json.loads(f'"{match.group(1)}"')
            except json.JSONDecodeError:
                continue
            if "<p" in value and len(value) > len(best):
                best = value
    return fragment_text(best) if best else ""


def _densest_block(tree: Any, page: str) -> str:
    """The element holding the most paragraph text of its own, links discounted (text in <a> counts against)."""
    # The whole document (xpath, not iter): two pages saved into one file put the second beside the first root.
    for element in tree.xpath("//script|//style"):  # not nav or noscript: a broken page nests content there
        element.drop_tree()
    best, score = None, 0
    for element in tree.xpath("//div|//article|//section|//td|//main"):
        text = len(" ".join(element.text_content().split()))
        linked = sum(len(" ".join(a.text_content().split())) for a in element.iter("a"))
        if text > 0 and (text - 2 * linked) > score and element.find(".//p") is not None:
            best, score = element, text - 2 * linked
    return _block_text(best) if best is not None else ""


def fragment_text(markup: str) -> str:
    """The paragraphs of an HTML fragment, one a line, captions out."""
    import lxml.html

    try:
        tree = lxml.html.fromstring(_PLACEHOLDER.sub("", markup))
    except (lxml.html.etree.ParserError, ValueError):
        return ""
    return _block_text(_without_captions(tree))


def _block_text(element: Any) -> str:
    element = copy.deepcopy(element)
    for child in list(element.iter(*NOT_CONTENT)):
        child.drop_tree()
    for child in element.iter(*BLOCKS):
        child.tail = "\n" + (child.tail or "")
        if child.tag != "br":
            child.text = "\n" + (child.text or "")
    lines = (" ".join(line.replace("\xa0", " ").split()) for line in element.text_content().splitlines())
    return "\n".join(line for line in lines if line)


__all__ = ["Html", "PageMeta", "article_text", "fragment_text"]
