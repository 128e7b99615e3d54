import os
import shutil
import subprocess
import sys

import pytest
from datasets import load_dataset

from tests.conftest import PARAMS, SEED_FILES, seed_path


def _corpus(*args, cwd=None):
    env = dict(os.environ, GX_ANALYTICS_ENABLED="false")
    return subprocess.run([sys.executable, "-m", "corpus", *args], capture_output=True, text=True, cwd=cwd, env=env)


def test_help_explains_every_command():
    result = _corpus("--help")
    assert result.returncode == 0
    for command in ("run", "stage", "version"):
        assert command in result.stdout
    assert "--input" in _corpus("run", "--help").stdout


def test_corpus_run_builds_a_release_from_any_folder(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    for key in ("snippets_bylined", "listing"):
        shutil.copy(seed_path(key), raw / SEED_FILES[key])
    result = _corpus("run", "--input", str(raw), "--output", str(tmp_path / "out"), "--params", str(PARAMS),
                     cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "20 articles" in result.stdout
    dataset = load_dataset(str(tmp_path / "out"))
    assert sum(split.num_rows for split in dataset.values()) == 20


def test_unknown_stage_is_a_clear_error(tmp_path):
    result = _corpus("stage", "tokenize", "--work", str(tmp_path))
    assert result.returncode != 0
    assert "unknown stage 'tokenize'" in result.stderr + str(result.exception if hasattr(result, "exception") else "")


def _mistake(result, message):
    """A user's mistake: one line naming it on stderr, exit status 2, no traceback."""
    assert result.returncode == 2, result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip() and not line.startswith("params:")]
    assert len(lines) == 1 and lines[0].startswith("error: ") and message in lines[0], result.stderr
    assert "Traceback" not in result.stderr


def _raw(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(seed_path("snippets_bylined"), raw / "a.txt")
    return raw


def test_a_missing_input_folder_is_one_line_and_status_2(tmp_path):
    _mistake(_corpus("run", "--input", "nowhere", "--output", "out", cwd=tmp_path),
             "input folder nowhere does not exist")


def test_why_without_a_release_is_one_line_and_status_2(tmp_path):
    _mistake(_corpus("why", "seeds/a.txt:3", cwd=tmp_path), "release is not a release folder")


def test_an_input_that_is_a_file_is_one_line_and_status_2(tmp_path):
    raw = _raw(tmp_path)
    _mistake(_corpus("run", "--input", str(raw / "a.txt"), "--output", "out", cwd=tmp_path), "is a file, not a folder")


def test_an_empty_input_folder_is_one_line_and_status_2(tmp_path):
    (tmp_path / "empty").mkdir()
    _mistake(_corpus("run", "--input", "empty", "--output", "out", cwd=tmp_path), "holds no raw files")


def test_an_output_inside_the_input_is_refused_so_a_release_is_never_read_as_news(tmp_path):
    raw = _raw(tmp_path)
    _mistake(_corpus("run", "--input", str(raw), "--output", str(raw / "release"), cwd=tmp_path),
             "is inside the input folder")
    assert not (raw / "release").exists()


def test_an_input_inside_the_output_is_refused(tmp_path):
    raw = _raw(tmp_path)
    _mistake(_corpus("run", "--input", str(raw), "--output", str(tmp_path), cwd=tmp_path), "is inside the output")


def test_an_output_folder_of_someone_s_own_files_is_refused_and_left_alone(tmp_path):
    raw, notes = _raw(tmp_path), tmp_path / "mynotes"
    notes.mkdir()
    (notes / "thesis.txt").write_text("important", encoding="utf-8")
    _mistake(_corpus("run", "--input", str(raw), "--output", str(notes), cwd=tmp_path), "is not a release")
    assert (notes / "thesis.txt").read_text(encoding="utf-8") == "important"


def test_a_release_this_package_wrote_is_replaced(tmp_path):
    raw = _raw(tmp_path)
    for _ in range(2):
        result = _corpus("run", "--input", str(raw), "--output", "out", "--params", str(PARAMS), cwd=tmp_path)
        assert result.returncode == 0, result.stderr
    assert (tmp_path / "out" / ".corpus-release").is_file()


def test_a_params_file_that_does_not_exist_is_one_line_and_status_2(tmp_path):
    _mistake(_corpus("run", "--input", str(_raw(tmp_path)), "--output", "out", "--params", "my-parms.yaml",
                     cwd=tmp_path), "params file my-parms.yaml does not exist")


@pytest.mark.parametrize(("document", "message"), [
    ("clean:\n  stepz: [normalize_v1]\n", "clean: unknown key(s) ['stepz']"),
    ("split:\n  train: lots\n", "split.train: expected a number, got 'lots'"),
    ("split:\n  train: -1\n", "split.train: a split fraction cannot be negative"),
    ("ingest:\n  on_bad_input: ignore\n", "ingest.on_bad_input: 'ignore' is not one of 'quarantine', 'error'"),
    ("clean:\n  steps: [normalize_v9]\n", "unknown cleaning step 'normalize_v9'"),
    ("dedupe: {}\n", "unknown stage key(s) ['dedupe']"),
])
def test_a_bad_params_key_or_value_is_named_in_one_line_with_status_2(tmp_path, document, message):
    (tmp_path / "bad.yaml").write_text(document, encoding="utf-8")
    _mistake(_corpus("run", "--input", str(_raw(tmp_path)), "--output", "out", "--params", "bad.yaml", cwd=tmp_path),
             message)
    assert not (tmp_path / "out").exists()  # refused before any stage ran


def test_debug_shows_the_traceback_of_a_mistake(tmp_path):
    result = _corpus("--debug", "run", "--input", "nowhere", "--output", "out", cwd=tmp_path)
    assert result.returncode != 0 and "Traceback" in result.stderr and "UsageError" in result.stderr


def test_a_run_outside_a_repo_says_it_used_the_package_defaults(tmp_path):
    result = _corpus("run", "--input", str(_raw(tmp_path)), "--output", "out", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "no params.yaml in" in result.stderr and "package defaults" in result.stderr


def test_inspect_shows_each_file_s_shape_evidence_segments_and_fields_without_building(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    for key in ("snippets_bylined", "page_newsk21"):
        shutil.copy(seed_path(key), raw / SEED_FILES[key])
    result = _corpus("inspect", str(raw), "--segments", "1", "--params", str(PARAMS), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "line_snippets: a byline or credit on many lines" in out and "segments  10: 10 article" in out
    assert "page_dump: a dateline on a line of its own" in out and "segments  8: 1 article, 7 teaser" in out
    assert "publisher    뉴스21" in out and "published_at 2024-03-07T19:33:20+09:00" in out
    assert not any(tmp_path.glob("**/*.parquet"))  # nothing was built


def test_cite_of_a_folder_that_was_never_released_warns(seed_release, tmp_path):
    result = _corpus("cite", "--release", str(seed_release), "--format", "cff", cwd=tmp_path)
    assert result.returncode == 0 and "was not cut by `corpus release`" in result.stderr
    missing = _corpus("cite", "--release", str(tmp_path / "nothing"), cwd=tmp_path)
    _mistake(missing, "is not a release (no CITATION.cff)")


def test_a_benchmark_without_the_text_field_named_is_one_line_and_status_2(tmp_path):
    (tmp_path / "bench.jsonl").write_text('{"id": "1", "question": "질문"}\n', encoding="utf-8")
    (tmp_path / "params.yaml").write_text(
        "decontaminate:\n  against:\n    mine: {paths: [bench.jsonl], text: [context], id: id}\n", encoding="utf-8")
    result = _corpus("run", "--input", str(_raw(tmp_path)), "--output", str(tmp_path / "out"), "--params",
                     str(tmp_path / "params.yaml"), cwd=tmp_path)
    _mistake(result, "record 0 has no text field 'context'")
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("groups", ["one", "several"])
def test_a_run_loads_gx_and_the_document_libraries_in_helpers_and_writes_the_same_release(tmp_path, monkeypatch,
                                                                                         groups):
    """`corpus run` starts helpers that import GX and the card and plot libraries while the first stages work:
    the validate groups (several on a pool forked from the helper) and the release checks run in the GX
    helper, the card and plots in the other, so the run's own process never imports them; the release is the
    one a single process writes."""
    import corpus.release.documents
    import corpus.validation  # loaded here, the helpers' calls run in this process
    from corpus.pipeline import run_all

    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(seed_path("snippets"), raw / SEED_FILES["snippets"])
    params = tmp_path / "params.yaml"
    text = PARAMS.read_text(encoding="utf-8")
    params.write_text(text if groups == "one" else text.replace("batch_rows: 20000", "batch_rows: 5"),
                      encoding="utf-8")
    parts = "" if groups == "one" else ("import corpus.plumbing.parts, corpus.plumbing.units\n"
                                        "corpus.plumbing.units.ALONE_BYTES = 1\n"
                                        "corpus.plumbing.parts.PART_BYTES = 1024\n")
    probe = (f"import sys\nfrom pathlib import Path\n{parts}from corpus.pipeline import run_all\n"
             f"run_all(Path({str(raw)!r}), Path({str(tmp_path / 'helped')!r}), Path({str(params)!r}),"
             f" work={str(tmp_path / 'work')!r})\n"
             "print(sorted({'great_expectations', 'matplotlib', 'datasets', 'mlcroissant'} & set(sys.modules)))\n")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=tmp_path,
                          env=dict(os.environ, GX_ANALYTICS_ENABLED="false"))
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1] == "[]"
    assert (len(list((tmp_path / "work" / "validate").glob("gx-*.json"))) > 1) == (groups == "several")
    if groups == "several":  # the row Data Docs list the GX runs: the same units here
        import corpus.plumbing.parts
        import corpus.plumbing.units

        monkeypatch.setattr(corpus.plumbing.units, "ALONE_BYTES", 1)
        monkeypatch.setattr(corpus.plumbing.parts, "PART_BYTES", 1024)
    run_all(raw, tmp_path / "alone", params)
    helped, alone = ((tmp_path / name / "checksums.sha256").read_text() for name in ("helped", "alone"))
    assert helped == alone and "README.md" in helped and "plots/" in helped
