"""The card and datasheet a researcher reads first: right numbers, plots named and linked, no stale claim."""

import json

import numpy as np
import pyarrow.parquet as pq
import yaml
from PIL import Image

from corpus.release.card import profile


def _card(release):
    return (release / "README.md").read_text(encoding="utf-8")


def test_dataset_info_gives_each_split_its_rows_and_bytes(seed_release):
    metadata = yaml.safe_load(_card(seed_release).split("---\n")[1])
    [default] = [info for info in metadata["dataset_info"] if info["config_name"] == "default"]
    for split in default["splits"]:
        files = sorted((seed_release / "data").glob(f"{split['name']}-*.parquet"))
        uncompressed = sum(pq.read_metadata(f).row_group(i).total_byte_size for f in files
                           for i in range(pq.read_metadata(f).num_row_groups))
        assert split["num_bytes"] == uncompressed > 0
    assert default["download_size"] == sum(f.stat().st_size for f in (seed_release / "data").glob("*.parquet"))


def test_the_card_links_the_plots_and_the_field_docs_it_ships(seed_release):
    card = _card(seed_release)
    for name in ("lengths", "months", "publishers"):
        assert f"(plots/{name}.png)" in card and (seed_release / "plots" / f"{name}.csv").is_file()
    assert "schema/README.md" in card
    for name in ("README.md", "record.schema.json", "ledger.schema.json"):
        assert (seed_release / "schema" / name).is_file()


def test_the_publisher_plot_names_the_outlets_in_a_font_with_hangul(seed_release):
    rows = (seed_release / "plots" / "publishers.csv").read_text(encoding="utf-8").splitlines()
    assert rows[0] == "publisher,articles" and any(row.startswith("뉴스21,") for row in rows)
    image = np.asarray(Image.open(seed_release / "plots" / "publishers.png").convert("L"))
    assert (image < 128).mean() > 0.01  # bars and labels drawn (a font without Hangul draws empty boxes)


def test_no_cleaning_figure_is_a_negative_removal(seed_release):
    for text in (_card(seed_release), (seed_release / "DATASHEET.md").read_text(encoding="utf-8")):
        rows = [row for row in text.split("characters (net)")[1].split("\n\n")[0].splitlines() if row.startswith("| ")]
        figures = [row.split("|")[3].strip() for row in rows]
        assert figures and all(figure.split()[0].isdigit() for figure in figures), figures
        assert any("sentence_spacing_v1" in row and "added" in row for row in rows)


def test_the_claims_about_the_data_are_computed_from_it(seed_release):
    stats = json.loads((seed_release / "stats.json").read_text(encoding="utf-8"))
    card, datasheet = _card(seed_release), (seed_release / "DATASHEET.md").read_text(encoding="utf-8")
    for sentence in profile(stats):
        assert sentence in card and sentence in datasheet
    assert "national dailies" not in card + datasheet
    assert "<CARD>" in datasheet and "<ACCOUNT>" in datasheet


def test_a_profile_of_an_empty_release_says_so():
    stats = {"articles": 0, "publishers": {}, "months": {}, "truncated": 0, "text_chars": {}}
    assert profile(stats) == ["This release holds no article: every raw segment was dropped, quarantined or "
                              "folded (the ledger says why)."]
