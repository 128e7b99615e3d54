"""Records of tabular and JSON exports → segments: which column or key holds which field, and its value.

Columns are matched by name against `ingest.columns` in params.yaml: case, spaces, `_` and `-` aside
(`기사 제목` is `기사제목`, `Article` is `article`), exactly first, then by containment (`news_title`,
`article_body`, `상세페이지URL`). A JSON record's fields may be nested (`{"parsed_data": {"title": […]}}`):
its leaves are matched by their own key, the shallowest first. Values are read the way exports write
them: one-element lists (`["제목"]`), people as `{"name": …}` objects, HTML where text was expected.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from typing import Any

from corpus.fields.reporters import reporter_names
from corpus.formats.base import Line, Segment
from corpus.formats.html import fragment_text

FIELDS = ("title", "text", "date", "url", "section", "publisher", "reporters")
_NAME_NOISE = re.compile(r"[\s_\-.]+")
_URL_OR_EMAIL = re.compile(r"^(?:https?://|www\.)|^[\w.+-]+@[\w-]+\.|^[\w-]+(?:\.[\w-]+)+/?$", re.IGNORECASE)
_IMAGE = re.compile(r"\.(?:jpe?g|png|gif|webp|svg|bmp)(?:[?#]|$)|/(?:images?|img|logo)s?/", re.IGNORECASE)
_MARKUP = re.compile(r"<(?:p|div|br|span|html|body|article|!doctype)[\s>/]", re.IGNORECASE)
MAX_DEPTH = 4


def normalized_name(name: str) -> str:
    return _NAME_NOISE.sub("", str(name)).lower()


def column_map(names: list[str], columns: dict[str, list[str]]) -> dict[str, str]:
    """field → the column holding it: the first accepted name present (case, spaces, `_`, `-` aside), else
    the first column whose name contains an accepted name. A column serves one field."""
    return dict(_column_map(tuple(names), tuple((field, tuple(names)) for field, names in columns.items())))


@functools.lru_cache(maxsize=4096)  # the records of an export share a few key sets: worked out once each
def _column_map(names: tuple[str, ...], accepted_names: tuple[tuple[str, tuple[str, ...]], ...]
                ) -> tuple[tuple[str, str], ...]:
    columns = dict(accepted_names)
    normalized = {name: normalized_name(name) for name in names}
    found: dict[str, str] = {}
    for contains in (False, True):
        for field_name in FIELDS:
            if field_name in found or field_name not in columns:
                continue
            for accepted in (normalized_name(a) for a in columns[field_name]):
                match = next((name for name in names if name not in found.values() and (
                    accepted in normalized[name] if contains and len(accepted) >= 2 else normalized[name] == accepted
                )), None)
                if match is not None:
                    found[field_name] = match
                    break
    return tuple(found.items())


def leaves(record: dict[str, Any], prefix: str = "", depth: int = 0) -> Iterator[tuple[str, str, int, Any]]:
    """(path, own key, depth, value) of a JSON record's fields, shallow ones first; a list of objects holding
    `name` (authors, publishers) is a leaf, as is any list of scalars."""
    nested = []
    for key, value in record.items():
        path = f"{prefix}{key}"
        if isinstance(value, dict) and depth < MAX_DEPTH and not _named(value):
            nested.append((path, value))
        else:
            yield path, str(key), depth, value
    for path, value in nested:
        yield from leaves(value, path + ".", depth + 1)


def nested_map(record: dict[str, Any], columns: dict[str, list[str]]) -> dict[str, str]:
    """field → the path of the leaf holding it, by the leaf's own key (column_map), the shallowest leaf first;
    text that is HTML markup only when no leaf holds plain text."""
    found = list(leaves(record))
    by_path = {path: value for path, _, _, value in found}
    found = [leaf for leaf in found if not _is_image_link(leaf[3])]  # an image's or logo's URL is not the article's
    plain = [(path, key) for path, key, _, value in found if not _is_markup(value)]
    marked = [(path, key) for path, key, _, value in found if _is_markup(value)]
    mapping: dict[str, str] = {}
    for candidates in (plain, marked):
        keys = [key for _, key in candidates]
        for field_name, key in column_map(list(dict.fromkeys(keys)), columns).items():
            if field_name not in mapping:
                mapping[field_name] = next(path for path, own in candidates if own == key
                                           and path not in mapping.values())
    return {field_name: path for field_name, path in mapping.items() if by_path.get(path) not in (None, "", [])}


def value_at(record: dict[str, Any], path: str) -> Any:
    value: Any = record
    for part in path.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    return value


def scalar(value: Any) -> str | None:
    """A field's text: a string, a number, the only element of a list, or an object's name."""
    if isinstance(value, list):
        items = [scalar(item) for item in value]
        items = [item for item in items if item]
        return items[0] if len(items) == 1 else (" ".join(items) if items else None)
    if isinstance(value, dict):
        return scalar(value.get("name"))
    if value is None or isinstance(value, bool):
        return None
    text = str(value).strip()
    return text or None


def people(value: Any) -> list[str]:
    if isinstance(value, list):
        return [name for item in value for name in people(item)]
    if isinstance(value, dict):
        return people(value.get("name"))
    return [str(value)] if value not in (None, "") else []


def record_segment(values: dict[str, Any], mapping: dict[str, str], first: Line, last: Line, raw: str,
                   read: Any = None) -> Segment:
    """A segment from one record: `values` by column (or path, with `read`), `mapping` field → column."""
    read = read or (lambda record, column: record.get(column))

    def value(field_name: str) -> Any:
        return read(values, mapping[field_name]) if field_name in mapping else None

    body = value("text")
    if isinstance(body, list):
        body = "\n".join(part for part in (scalar(item) for item in body) if part)
    elif isinstance(body, dict):
        body = scalar(body)
    if isinstance(body, str) and _is_markup(body):
        body = fragment_text(body)
    publisher = scalar(value("publisher"))
    reporters = list(reporter_names(people(value("reporters")), [publisher] if publisher else []))
    return Segment(
        first=first, last=last, body="" if body is None else str(body), role="row", raw=raw,
        title=scalar(value("title")), date_text=scalar(value("date")), url=scalar(value("url")),
        section=scalar(value("section")),
        publisher=None if publisher and _URL_OR_EMAIL.search(publisher) else publisher,  # a homepage: not a name
        reporters=reporters,
    )


def missing_text(mapping: dict[str, str], names: list[str], columns: dict[str, list[str]]) -> str | None:
    if "text" in mapping:
        return None
    return (f"no text column: none of {columns.get('text')} among the columns {names} "
            f"(map yours under ingest.columns.text)")


def _is_image_link(value: Any) -> bool:
    return isinstance(value, str) and value.startswith(("http", "//")) and _IMAGE.search(value) is not None


def _named(value: dict[str, Any]) -> bool:
    return "name" in value and len(value) <= 4


def _is_markup(value: Any) -> bool:
    return isinstance(value, str) and len(value) > 40 and _MARKUP.search(value[:2000]) is not None
