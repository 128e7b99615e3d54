"""Golden outputs: the cleaned record of every seed article, reviewed by eye and checked in.

A change to any rule that alters a seed article fails here; if the change is intended, regenerate with
`UPDATE_GOLDEN=1 python3 tasks.py test tests/stages/test_golden.py`, read the diff, and commit it.
"""

import json
import os
from collections import Counter

from corpus.params import CleanParams, IngestParams
from corpus.stages.clean import clean_segment, resolve_steps
from corpus.stages.ingest import run
from tests.conftest import PARAMS, ROOT, SEEDS

GOLDEN = ROOT / "tests" / "golden" / "seed_articles.json"


def _cleaned_seed_articles() -> list[dict]:
    from corpus.params import load_stage_params

    params: CleanParams = load_stage_params("clean", PARAMS)
    steps = resolve_steps(params.steps)
    records = []
    for segment in run(SEEDS, load_stage_params("ingest", PARAMS) or IngestParams(), Counter()):
        outcome = clean_segment(segment, steps, params)
        if outcome.record is None:
            continue
        record, provenance = outcome.record, outcome.record["provenance"]
        records.append({
            "source": f"{provenance['source_path']}:{provenance['line_start']}-{provenance['line_end']}",
            "id": record["id"],
            "title": record["title"],
            "publisher": record["publisher"],
            "reporters": record["reporters"],
            "published_at": record["published_at"].isoformat() if record["published_at"] else None,
            "section": record["section"],
            "is_truncated": record["is_truncated"],
            "text": record["text"],
        })
    return records


def test_every_seed_article_matches_its_reviewed_golden_output():
    actual = _cleaned_seed_articles()
    if os.environ.get("UPDATE_GOLDEN"):
        GOLDEN.write_text(json.dumps(actual, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    expected = json.loads(GOLDEN.read_text(encoding="utf-8"))
    assert [a["source"] for a in actual] == [e["source"] for e in expected]
    for got, want in zip(actual, expected, strict=True):
        assert got == want, f"{got['source']} changed"
