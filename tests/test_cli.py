import os
import shutil
import subprocess
import sys

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
