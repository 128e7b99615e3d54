"""Cleaning steps: pure, registered under versioned names, selected and ordered in params.yaml.

A step maps a Draft (the text plus the fields found so far) to a new Draft. Most steps only rewrite
the text; they are plain `str -> str` functions registered with `text_rule`. A change of behaviour is
a new name (`boilerplate_v2`), never an edit of an existing one.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

from corpus.registry import Registry


class Draft(NamedTuple):
    """An article being cleaned: its text and the fields found so far (immutable; steps return new ones)."""

    text: str
    title: str | None = None
    publisher: str | None = None
    reporters: tuple[str, ...] = ()
    date_text: str | None = None
    section: str | None = None
    url: str | None = None


Step = Callable[[Draft], Draft]
STEPS: Registry[Step] = Registry("cleaning step")


def text_rule(name: str) -> Callable[[Callable[[str], str]], Callable[[str], str]]:
    """Register a `str -> str` rule as a step under `name`; the function itself stays a plain rule."""

    def register(rule: Callable[[str], str]) -> Callable[[str], str]:
        def step(draft: Draft) -> Draft:
            text = rule(draft.text)
            return draft if text is draft.text else draft._replace(text=text)

        step.__doc__ = rule.__doc__
        STEPS.add(name)(step)
        return rule

    return register


def load_all() -> None:
    """Import every module that registers steps (registration happens at import)."""
    from corpus.rules import boilerplate, byline, credits, headline, layout, normalize, pii  # noqa: F401
