"""whitespace_v1: the final paragraph layout of the published text."""

from __future__ import annotations

import re

from corpus.rules import text_rule
from corpus.rules.edits import sub

_LINE_EDGE_SPACE = re.compile(r"^[ \t]+|[ \t]+$", re.MULTILINE)
_OUTER_NEWLINES = re.compile(r"^\n+|\n+$")
_NEWLINE_RUN = re.compile(r"\n+")


@text_rule("whitespace_v1")
def whitespace_v1(text: str) -> str:
    """Each non-blank line is a paragraph: stripped, and separated from the next by one blank line."""
    if " \n" in text or "\n " in text or text[:1] == " " or text[-1:] == " " or "\t" in text:
        text = sub(_LINE_EDGE_SPACE, "", text)
    if "\n" not in text:
        return text
    text = sub(_OUTER_NEWLINES, "", text)
    return sub(_NEWLINE_RUN, "\n\n", text)
