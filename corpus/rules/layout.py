"""whitespace_v1: the final paragraph layout of the published text."""

from __future__ import annotations

import re

from corpus.rules import text_rule
from corpus.rules.edits import Edit, apply, sub

_NEWLINE_RUN = re.compile(r"\n+")


@text_rule("whitespace_v1")
def whitespace_v1(text: str) -> str:
    """Each non-blank line is a paragraph: stripped, and separated from the next by one blank line."""
    if " \n" in text or "\n " in text or text[:1] == " " or text[-1:] == " " or "\t" in text:
        text = apply(_line_edge_spaces(text), text)
    if "\n" not in text:
        return text
    text = apply(_outer_newlines(text), text)
    if "\n\n\n" not in text and text.count("\n") == 2 * text.count("\n\n"):
        return text  # every newline run is already one blank line
    return sub(_NEWLINE_RUN, "\n\n", text)


def _outer_newlines(text: str) -> list[Edit]:
    """The newlines at the start and at the end (what `^\n+|\n+$` matches, found without a regex scan that
    tries the alternation at every position)."""
    lead = len(text) - len(text.lstrip("\n"))
    if lead == len(text):
        return [Edit(0, lead, "")]
    trail = len(text) - len(text.rstrip("\n"))
    return [edit for edit in (Edit(0, lead, ""), Edit(len(text) - trail, len(text), "")) if edit.end > edit.start]


def _line_edge_spaces(text: str) -> list[Edit]:
    """Spaces and tabs at the start and end of each line (a line-by-line scan: a regex anchored at line
    ends tries every space of the text)."""
    edits, offset = [], 0
    for line in text.split("\n"):
        if line:
            body = line.strip(" \t")
            if not body:
                edits.append(Edit(offset, offset + len(line), ""))
            elif len(body) != len(line):
                lead = len(line) - len(line.lstrip(" \t"))
                if lead:
                    edits.append(Edit(offset, offset + lead, ""))
                if (trail := len(line) - lead - len(body)):
                    edits.append(Edit(offset + len(line) - trail, offset + len(line), ""))
        offset += len(line) + 1
    return edits


# A Korean sentence end glued to the next sentence ("밝혔다.이번"), as listing crawlers leave them. One
# pattern per ending: a pattern that starts with a literal is scanned several times faster than one
# that starts with a character class. The Hangul before the ending is checked in `_spaced`.
_GLUED_SENTENCES = [re.compile(ending + r"[.?!](?=[가-힣‘“「『(\[])") for ending in "다요죠"]


def _spaced(match: re.Match[str]) -> str:
    before = match.string[match.start() - 1 : match.start()]
    return match.group() + " " if "가" <= before <= "힣" else match.group()


@text_rule("sentence_spacing_v1")
def sentence_spacing_v1(text: str) -> str:
    """Puts a space between a Korean sentence end (…다. …요? …죠!) and the next sentence when a crawler
    glued them together ("밝혔다.이번 성과교류회는" → "밝혔다. 이번 성과교류회는")."""
    for glued in _GLUED_SENTENCES:
        text = sub(glued, _spaced, text)
    return text
