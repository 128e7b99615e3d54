import json

import jsonschema
import pytest
import yaml

from corpus.release.citation import apa, bibtex, data_fingerprint
from tests.conftest import ROOT

CFF_SCHEMA = json.loads((ROOT / "tests" / "fixtures" / "cff-schema-1.2.0.json").read_text(encoding="utf-8"))


def test_citation_cff_is_valid_against_the_cff_1_2_schema(seed_release):
    document = yaml.safe_load((seed_release / "CITATION.cff").read_text(encoding="utf-8"))
    jsonschema.validate(document, CFF_SCHEMA)
    assert document["version"] == "1.0.0"
    assert document["identifiers"][0]["value"] == f"sha256:{data_fingerprint(seed_release)}"


def test_fingerprint_is_printed_in_the_card_and_stats(seed_release):
    fingerprint = data_fingerprint(seed_release)
    assert f"sha256:{fingerprint}" in (seed_release / "README.md").read_text(encoding="utf-8")
    assert json.loads((seed_release / "stats.json").read_text(encoding="utf-8"))["fingerprint"] == fingerprint


def test_croissant_is_valid_and_mlcroissant_reads_every_article(seed_release, monkeypatch):
    mlc = pytest.importorskip("mlcroissant")
    monkeypatch.chdir(seed_release)
    dataset = mlc.Dataset(jsonld=str(seed_release / "croissant.json"))
    records = list(dataset.records("articles"))
    assert len(records) == 26
    document = json.loads((seed_release / "croissant.json").read_text(encoding="utf-8"))
    assert document["rai:personalSensitiveInformation"]
    assert document["conformsTo"].startswith("http://mlcommons.org/croissant/")


def test_bibtex_and_apa_carry_version_and_fingerprint(seed_release):
    document = yaml.safe_load((seed_release / "CITATION.cff").read_text(encoding="utf-8"))
    entry = bibtex(document)
    assert entry.startswith("@misc{korean_news_corpus_1_0_0,") and "version = {1.0.0}" in entry
    assert document["identifiers"][0]["value"] in entry
    assert "(Version 1.0.0) [Data set]" in apa(document)


def test_plots_are_embedded_in_the_datasheet(seed_release):
    datasheet = (seed_release / "DATASHEET.md").read_text(encoding="utf-8")
    for name in ("lengths", "months", "publishers"):
        assert f"(plots/{name}.png)" in datasheet
        assert (seed_release / "plots" / f"{name}.png").read_bytes().startswith(b"\x89PNG")
