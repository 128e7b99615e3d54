"""headline_v1: the headline repeated as the body's first paragraph, as pages and exports often repeat it."""

from __future__ import annotations

import re

from corpus.rules import STEPS, Draft
from corpus.rules.edits import cut

_NOT_WORDS = re.compile(r"[\W_]+")
MAX_HEADLINE_LINE = 300


def same_words(one: str, other: str) -> bool:
    """The same words, whatever the spacing, quotes and punctuation between them."""
    return _NOT_WORDS.sub("", one) == _NOT_WORDS.sub("", other) != ""


@STEPS.add("headline_v1")
def headline_v1(draft: Draft) -> Draft:
    """Drops the first paragraph when it repeats the headline (the same words, whatever the spacing, quotes or
    punctuation): the title is a field of its own, not the body's opening."""
    if not draft.title:
        return draft
    text = draft.text
    lead = len(text) - len(text.lstrip())
    end = text.find("\n", lead)
    end = len(text) if end == -1 else end
    first = text[lead:end]
    if len(first) > MAX_HEADLINE_LINE or not same_words(first, draft.title) or not text[end:].strip():
        return draft
    return draft._replace(text=cut(text, lead, end))
