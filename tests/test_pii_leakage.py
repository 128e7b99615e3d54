"""Planted personal data must not survive into any published text; look-alike numbers must."""

import re

from datasets import load_dataset

from corpus.pipeline import run_all
from tests.conftest import PARAMS, ROOT, SEED_FILES, SEEDS

FIXTURES = ROOT / "tests" / "fixtures" / "pii"
PLANTED = [
    "hong.gildong@example.co.kr", "010-1234-5678", "02-123-4567", "031.987.6543", "+82 10 9876 5432",
    "+82-2-555-0199", "900101-1234567", "4111 1111 1111 1111", "3782-822463-10005", "123-45-678901",
    "press_team+news@gov.example.kr", "010 2222 3333", "062-613-1234", "tips@news21.example.com", "010.4444.5555",
    "851231-2345678", "110-123-456789",
]
KEPT = ["2025-12-18", "2026.01.06", "09:05:03", "19:33:20", "10조원", "1,268명", "50만7431건", "1억 1000만원",
        "70%", "2024-0312-0001-77", "2024고합123", "5000포인트", "3.35%", "12.15~16", "300여 명", "16명"]
# Independent detectors (not the ones the pipeline uses) for anything that still looks like PII.
LEAK = re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+|\b01\d[-. ]?\d{3,4}[-. ]?\d{4}\b|\b\d{6}-[1-4]\d{6}\b")


def test_no_planted_pii_survives_and_no_lookalike_is_masked(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    for name in SEED_FILES.values():
        (raw / name).write_bytes((SEEDS / name).read_bytes())
    for fixture in FIXTURES.glob("*.txt"):
        (raw / fixture.name).write_bytes(fixture.read_bytes())
    run_all(raw, tmp_path / "release", PARAMS)
    texts = [row["text"] for split in load_dataset(str(tmp_path / "release")).values() for row in split]
    published = "\n".join(texts)
    assert [value for value in PLANTED if value in published] == []
    assert LEAK.findall(published) == []
    assert "<EMAIL>" in published and "<PHONE>" in published and "<RRN>" in published
    assert "<CARD>" in published and "<ACCOUNT>" in published
    assert [value for value in KEPT if value not in published] == []
