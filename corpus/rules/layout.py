"""whitespace_v1: the final paragraph layout of the published text."""

from __future__ import annotations

from corpus.rules import text_rule


@text_rule("whitespace_v1")
def whitespace_v1(text: str) -> str:
    """Each non-blank line is a paragraph: stripped, and separated from the next by one blank line."""
    return "\n\n".join(line.strip() for line in text.split("\n") if line.strip())
