"""What an HTML article page says about itself, each field taken from the most trustworthy place that states it.

Trust, field by field (the first that gives a usable value wins):

- **title**: JSON-LD `headline` > `og:title` > `twitter:title` > `meta title`/`headline` > `<h1>` > `<title>`; then a
  tail naming the site, the outlet or the section after a separator (`… | 한국일보`, `…-정치ㅣ한국일보`) and a tail
  of SEO keywords (`…, 나주시, 전라남도 나주, Naju City`: pieces the keywords meta lists, or three short pieces and
  more) are cut.
- **published** (keeps the time of day, in KST): JSON-LD `datePublished` > `article:published_time` and other
  `…published_time`/`date` metas > `<time datetime>` > `data-*` attributes naming a date or time; a value
  with a time of day is preferred to a date-only one for the same day.
- **publisher** — the outlet that wrote the article, not the site that shows a copy: JSON-LD `publisher` >
  an author meta naming an organisation (`og:article:author` `이데일리 | 네이버`: the part that is not the site)
  > `twitter:creator` > `dd:publisher` > `og:site_name` > `twitter:site`. The site's own name (`og:site_name`,
  `twitter:site`) is kept apart, so a portal is never the outlet when the page names another.
- **reporters**: JSON-LD `author` > elements marked as a byline (class, id or itemprop naming journalist,
  reporter, byline, writer or author) > author metas (`dable:author`, `author`) — names only.
- **section**: JSON-LD `articleSection` > `article:section` > other section/category metas.
- **url**: `<link rel=canonical>` > `og:url` > JSON-LD `url`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from corpus.fields.dates import parse_kst
from corpus.fields.reporters import is_person_name, reporter_names

ARTICLE_TYPES = ("NewsArticle", "Article", "ReportageNewsArticle", "AnalysisNewsArticle", "BlogPosting", "WebPage")
_TITLE_SEPARATORS = re.compile(r"\s*(?:\s[|\-–—:·]\s|[|ㅣ｜]|\s-|-\s)\s*")
_HANDLE = re.compile(r"^@|^https?://|\.(?:com|co\.kr|kr|net)\b", re.IGNORECASE)
_TIME = re.compile(r"\d{1,2}:\d{2}")
_DATE_ATTRIBUTE = re.compile(r"^data-(?:[\w-]*(?:date|time|publish|(?<![a-z])dt(?![a-z]))[\w-]*)$")
_WRITER_ATTRIBUTE = re.compile(r"^data-[\w-]*(?:writer|reporter|byline|author|journalist)[\w-]*$")
_LABELS = ("등록일", "등록일시", "작성일", "작성일시", "게시일", "게시일자", "보도일", "보도일자", "기사입력", "입력",
           "발행일")
_BYLINE_MARK = re.compile(r"journalist|reporter|byline|writer|author|기자", re.IGNORECASE)
_MODIFIED = re.compile(r"modif|updat|edit|(?:^|-)re-|redeploy", re.IGNORECASE)
SEO_PIECE_CHARS = 25  # a keyword piece is short


@dataclass
class PageMeta:
    title: str | None = None
    publisher: str | None = None
    site: str | None = None  # the name of the site showing the page (may be a portal)
    reporters: list[str] = field(default_factory=list)
    published: str | None = None  # as the page gives it (a value parse_kst reads)
    section: str | None = None
    url: str | None = None
    links: int = 0


def page_meta(tree: Any) -> PageMeta:
    meta = _metas(tree)
    article = next(json_ld_articles(tree), {})
    site = _first(meta.get("og:site_name"), _not_handle(meta.get("twitter:site")))
    publisher = _first(
        _name_of(article.get("publisher")),
        *(_organisation(meta.get(key), site) for key in ("article:publisher", "og:article:author", "article:author")),
        _not_handle(meta.get("twitter:creator")), meta.get("dd:publisher"), site,
    )
    names = [name for name in (publisher, site) if name]
    found = PageMeta(site=site, publisher=publisher, links=len(tree.xpath("//a[@href]")))
    found.section = _first(_scalar(article.get("articleSection")), meta.get("article:section"),
                           meta.get("dd:category"), meta.get("content_category"), meta.get("section"))
    found.title = clean_title(_first(
        article.get("headline"), meta.get("og:title"), meta.get("twitter:title"), meta.get("title"),
        meta.get("headline"), _text(tree.find(".//h1")), _text(tree.find(".//title")),
    ), [*names, meta.get("twitter:site"), found.section], _keywords(meta))
    found.published = published_time([
        article.get("datePublished"), meta.get("article:published_time"), meta.get("og:article:published_time"),
        *(meta.get(key) for key in sorted(meta) if key.endswith("published_time") and not key.startswith("article")),
        meta.get("pubdate"), meta.get("publishdate"), meta.get("date"), meta.get("article.published"),
        *tree.xpath("//time/@datetime"), *_date_attributes(tree), *_labelled_dates(tree),
    ])
    found.reporters = list(reporter_names(_people(article.get("author")), names)
                           or reporter_names(_byline_texts(tree), names)
                           or reporter_names(_writer_attributes(tree), names)
                           or reporter_names([meta.get("dable:author"), meta.get("author"),
                                              meta.get("article:author")], names))
    found.url = _first(next(iter(tree.xpath("//link[@rel='canonical']/@href")), None), meta.get("og:url"),
                       _scalar(article.get("url")))
    return found


def clean_title(title: str | None, names: list[str | None], keywords: set[str]) -> str | None:
    """The headline without a tail naming the site, outlet or section, and without a tail of SEO keywords."""
    if not title:
        return None
    title = " ".join(title.split())
    known = {" ".join(name.split()) for name in names if name}
    tail = re.compile(r"\s*[|\-–—:·ㅣ｜]\s*(?:" + "|".join(map(re.escape, sorted(known, key=len, reverse=True)))
                      + r")\s*$") if known else None
    while tail is not None and (cut := tail.search(title)) and cut.start() > 0:
        title = title[: cut.start()]
    pieces = [piece.strip() for piece in title.split(",")]
    keep = len(pieces) - _seo_tail(pieces, keywords | known)
    return ", ".join(pieces[:keep]) if keep < len(pieces) else title


def _seo_tail(pieces: list[str], listed: set[str]) -> int:
    """How many comma-separated pieces at the end of a title are an appended keyword list: pieces the page's
    keywords (or names) list; or, all short, from a piece that repeats an earlier one (`나주시, …, 나주시, 전라남도
    나주`); or three short pieces or more with one in Latin letters (`…, Naju City, …`)."""
    short = 0
    for piece in reversed(pieces[1:]):
        if len(piece) > SEO_PIECE_CHARS:
            break
        short += 1
    tail = pieces[len(pieces) - short :]
    listed_tail = 0
    for piece in reversed(tail):
        if piece not in listed:
            break
        listed_tail += 1
    repeated = next((short - index for index, piece in enumerate(tail)
                     if piece in pieces[: len(pieces) - short + index]), 0)
    if repeated or listed_tail:
        return max(repeated, listed_tail)
    return short if short >= 3 and any(re.fullmatch(r"[A-Za-z][A-Za-z ]+", piece) for piece in tail) else 0


def published_time(candidates: list[Any]) -> str | None:
    """The most trusted date that parses; one with a time of day over a date-only one of the same day."""
    dated = [str(value) for value in candidates if value and parse_kst(str(value)) is not None]
    if not dated:
        return None
    first = dated[0]
    if _TIME.search(first):
        return first
    day = parse_kst(first).date()
    return next((value for value in dated[1:] if _TIME.search(value) and parse_kst(value).date() == day), first)


def json_ld_articles(tree: Any) -> Iterator[dict[str, Any]]:
    for script in tree.xpath("//script[@type='application/ld+json']/text()"):
        try:
            data = json.loads(script)
        except json.JSONDecodeError:
            continue
        items = data if isinstance(data, list) else data.get("@graph", [data]) if isinstance(data, dict) else []
        for item in items:
            kind = item.get("@type") if isinstance(item, dict) else None
            kinds = kind if isinstance(kind, list) else [kind]
            if any(k in ARTICLE_TYPES[:-1] for k in kinds):
                yield item


def _metas(tree: Any) -> dict[str, str]:
    found: dict[str, str] = {}
    for element in tree.iter("meta"):
        key, content = element.get("property") or element.get("name") or element.get("itemprop"), element.get("content")
        if key and content and content.strip() and key not in found:
            found[key.strip()] = content.strip()
    return found


def _keywords(meta: dict[str, str]) -> set[str]:
    values = ",".join(meta.get(key, "") for key in ("keywords", "news_keywords", "article:tag"))
    return {piece.strip() for piece in values.split(",") if piece.strip()}


def _date_attributes(tree: Any) -> list[str]:
    """Values of `data-*date*`/`data-*time*` attributes, publication before modification."""
    values = [(bool(_MODIFIED.search(name)), value) for element in tree.iter()
              for name, value in element.attrib.items() if _DATE_ATTRIBUTE.match(name)]
    return [value for _, value in sorted(values, key=lambda item: item[0])]


def _labelled_dates(tree: Any) -> list[str]:
    """Dates a board page prints beside a label (`<th>등록일</th><td>2025-06-05</td>`, `입력 2024.03.07 19:33`)."""
    found = []
    for element in tree.xpath("//th|//dt|//td|//span|//em|//strong|//li|//p|//div[not(*)]"):
        label = " ".join((element.text or "").split()).lstrip("-•·▪* ")
        if label.rstrip(" :：") in _LABELS:
            following = element.getnext()
            value = " ".join(following.text_content().split()) if following is not None else ""
            value = value or " ".join((element.tail or "").split())
            if value and len(value) <= 40:
                found.append(value)
        elif any(label.startswith(name) for name in _LABELS) and len(label) <= 40:
            found.append(label)
    return found[:4]


def _writer_attributes(tree: Any) -> list[str]:
    return [value for element in tree.xpath("//*[@*]") for name, value in element.attrib.items()
            if _WRITER_ATTRIBUTE.match(name) and value.strip()][:4]


def _byline_texts(tree: Any) -> list[str]:
    """Short texts of elements marked as bylines, innermost first."""
    texts = []
    for element in tree.iter():
        if not isinstance(element.tag, str):
            continue
        marks = " ".join(filter(None, (element.get("class"), element.get("id"), element.get("itemprop"),
                                       element.get("rel"))))
        if marks and _BYLINE_MARK.search(marks):
            text = " ".join(element.text_content().split())
            if text and len(text) <= 80:
                texts.append(text)
    return texts[:6]


def _organisation(value: str | None, site: str | None) -> str | None:
    """An outlet an author-like meta names: `이데일리 | 네이버` → 이데일리 (the part that is not the site)."""
    if not value or _HANDLE.search(value):
        return None
    parts = [part.strip() for part in re.split(r"[|｜]", value) if part.strip()]
    parts = [part for part in parts if not (site and (part in site or site in part))]
    if not parts or is_person_name(parts[0]) or reporter_names([parts[0]]):
        return None
    return parts[0]


def _name_of(value: Any) -> str | None:
    if isinstance(value, list):
        return next((name for item in value if (name := _name_of(item))), None)
    if isinstance(value, dict):
        return _scalar(value.get("name"))
    return value if isinstance(value, str) and not _HANDLE.search(value) else None


def _people(value: Any) -> list[str]:
    if isinstance(value, list):
        return [name for item in value for name in _people(item)]
    if isinstance(value, dict):
        return _people(value.get("name"))
    return [value] if isinstance(value, str) else []


def _scalar(value: Any) -> str | None:
    if isinstance(value, list):
        return next((item for item in value if isinstance(item, str) and item.strip()), None)
    return value if isinstance(value, str) and value.strip() else None


def _not_handle(value: str | None) -> str | None:
    return None if not value or _HANDLE.search(value) else value


def _text(element: Any) -> str | None:
    return " ".join(element.text_content().split()) or None if element is not None else None


def _first(*values: str | None) -> str | None:
    return next((value.strip() for value in values if value and value.strip()), None)
