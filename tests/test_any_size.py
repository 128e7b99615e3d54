"""Any size builds: 0 to 30 articles, any split fractions, splits left empty by hashing — a valid release that
`load_dataset` reads, with empty splits left out of the card and reported, never a failed build."""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

import yaml
from datasets import load_dataset
from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st

from corpus.pipeline import run_all
from corpus.record import SPLITS
from tests.conftest import SEEDS

SENTENCE = re.compile(r"[^.!?]+[.!?]")
SENTENCES = sorted({s.strip() for path in sorted(SEEDS.glob("*.txt"))
                    for s in SENTENCE.findall(" ".join(path.read_text(encoding="utf-8").split()))
                    if len(s.strip()) > 40})


def articles(n: int, seed: int) -> list[str]:
    """n distinct article lines of seed sentences (eight each, so no two are near-duplicates)."""
    rng = random.Random(seed)
    return [f"[뉴스21/홍길동 기자] {index}번째 소식이다. " + " ".join(rng.sample(SENTENCES, 8)) for index in range(n)]


def build(tmp_path: Path, lines: list[str], fractions: tuple[float, float, float], files: int = 1) -> Path:
    raw, release = tmp_path / "raw", tmp_path / "release"
    raw.mkdir()
    for number in range(files):
        chunk = lines[number::files]
        (raw / f"{number:02d}.txt").write_text("\n".join(chunk) + "\n" if chunk else "", encoding="utf-8")
    train, validation, test = fractions
    params = tmp_path / "params.yaml"
    params.write_text(yaml.safe_dump({"split": {"train": train, "validation": validation, "test": test}}),
                      encoding="utf-8")
    run_all(raw, release, params)
    return release


def card(release: Path) -> dict:
    return yaml.safe_load((release / "README.md").read_text(encoding="utf-8").split("---\n")[1])


fraction = st.sampled_from([0.0, 0.05, 0.1, 0.5, 0.8, 1.0])


# A build takes seconds: a dozen examples, and no shrinking (the failing example is printed as drawn).
@settings(max_examples=12, deadline=None, phases=[Phase.explicit, Phase.generate],
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@example(n=0, fractions=(0.8, 0.1, 0.1), seed=0, files=1)
@example(n=1, fractions=(0.8, 0.1, 0.1), seed=0, files=1)
@example(n=2, fractions=(0.8, 0.1, 0.1), seed=0, files=2)
@example(n=3, fractions=(0.0, 0.0, 1.0), seed=0, files=3)
@given(n=st.integers(0, 30), fractions=st.tuples(fraction, fraction, fraction).filter(lambda f: sum(f) > 0),
       seed=st.integers(0, 2**16), files=st.integers(1, 3))
def test_any_number_of_articles_and_any_fractions_build_a_loadable_release(tmp_path_factory, n, fractions, seed,
                                                                             files):
    release = build(tmp_path_factory.mktemp("size"), articles(n, seed), fractions, files)
    stats = json.loads((release / "stats.json").read_text(encoding="utf-8"))
    assert stats["articles"] == n == sum(stats["splits"].values())
    assert stats["ledger"]["kept"] == n
    empty = [split for split in SPLITS if not stats["splits"][split]]
    assert stats["empty_splits"] == empty
    configs = {config["config_name"]: config for config in card(release)["configs"]}
    if n:
        listed = [entry["split"] for entry in configs["default"]["data_files"]]
        assert listed == [split for split in SPLITS if stats["splits"][split]]
        loaded = load_dataset(str(release))
        assert {split: len(rows) for split, rows in loaded.items()} == {s: r for s, r in stats["splits"].items() if r}
    else:
        assert "default" not in configs
    if stats["ledger"]["segments"]:
        assert len(load_dataset(str(release), "ledger")["train"]) == stats["ledger"]["segments"]
    if empty:
        assert "no articles fell into" in (release / "DATASHEET.md").read_text(encoding="utf-8")


def test_a_train_only_split_builds_with_the_other_splits_reported_empty(tmp_path):
    release = build(tmp_path, articles(5, 1), (1.0, 0.0, 0.0))
    stats = json.loads((release / "stats.json").read_text(encoding="utf-8"))
    assert stats["splits"] == {"train": 5, "validation": 0, "test": 0}
    assert stats["empty_splits"] == ["validation", "test"]
    assert list(load_dataset(str(release))) == ["train"]


def test_a_build_where_every_segment_is_dropped_is_a_release_of_its_ledger(tmp_path):
    release = build(tmp_path, ["짧다."], (0.8, 0.1, 0.1))
    stats = json.loads((release / "stats.json").read_text(encoding="utf-8"))
    assert stats["articles"] == 0 and stats["ledger"]["segments"] == 1
    ledger = load_dataset(str(release))["train"]  # the only config left: the ledger
    assert ledger[0]["fate"] != "kept" and ledger[0]["reasons"]
