"""Releases end to end in a temporary git + DVC repository: release, add data, release, get, diff, takedown, cite."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
import yaml
from datasets import load_dataset

from corpus.release.versioning import _set_publish_params, parse_version
from tests.conftest import ROOT, SEED_FILES, project_copy

pytestmark = pytest.mark.slow
CFF_SCHEMA = json.loads((ROOT / "tests" / "fixtures" / "cff-schema-1.2.0.json").read_text(encoding="utf-8"))
BIN = Path(sys.executable).parent


def _sh(repo: Path, *command: str, check: bool = True) -> subprocess.CompletedProcess:
    env = dict(os.environ, PATH=f"{BIN}{os.pathsep}{os.environ['PATH']}", GX_ANALYTICS_ENABLED="false",
               GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@t", GIT_COMMITTER_NAME="t", GIT_COMMITTER_EMAIL="t@t")
    result = subprocess.run(list(command), cwd=repo, env=env, capture_output=True, text=True)
    if check and result.returncode != 0:
        raise AssertionError(f"{command} failed:\n{result.stdout}\n{result.stderr}")
    return result


def _corpus(repo: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    return _sh(repo, str(BIN / "python"), "-m", "corpus", *args, check=check)


@pytest.fixture(scope="module")
def repo(tmp_path_factory) -> Path:
    target = project_copy(tmp_path_factory.mktemp("releases") / "repo",
                          ("metrics/", "dvc.lock", "CHANGELOG", "CITATION"))
    _sh(target, "git", "init", "-q")
    _sh(target, "dvc", "repro")
    _sh(target, "git", "add", "-A")
    _sh(target, "git", "commit", "-qm", "build")
    return target


def _commit_all(repo: Path, message: str) -> None:
    _sh(repo, "dvc", "repro")
    _sh(repo, "git", "add", "-A")
    _sh(repo, "git", "commit", "-qm", message)


def _ids(folder: Path) -> dict[str, str]:
    return {row["id"]: split for split, rows in load_dataset(str(folder)).items() for row in rows}


def test_release_lifecycle(repo, tmp_path):
    first = _corpus(repo, "release", "1.0.0", "-m", "first release")
    assert "First release." in first.stdout
    assert _sh(repo, "git", "tag").stdout.split() == ["v1.0.0"]
    assert yaml.safe_load((repo / "CITATION.cff").read_text(encoding="utf-8"))["version"] == "1.0.0"
    v1 = _ids(repo / "release")

    refused = _corpus(repo, "release", "0.9.0", check=False)
    assert refused.returncode == 1 and "not greater than the last release 1.0.0" in refused.stderr
    (repo / "seeds" / "scratch.txt").write_text("x", encoding="utf-8")
    dirty = _corpus(repo, "release", "1.0.1", check=False)
    assert dirty.returncode == 1 and "git tree is not clean" in dirty.stderr
    (repo / "seeds" / "scratch.txt").unlink()

    new_article = (
        "정부는 22일 인공지능 기본법 시행령 제정안을 입법예고한다고 밝혔다. "
        "시행령은 고영향 인공지능의 범위와 사업자의 책무를 구체화했다. "
        "정부는 업계 의견을 수렴해 내년 초 시행할 계획이라고 덧붙였다.\n"
    )
    (repo / "seeds" / "005_new.txt").write_text(new_article, encoding="utf-8")
    _commit_all(repo, "add a raw file")
    second = _corpus(repo, "release", "1.1.0", "-m", "one more article")
    assert re.search(r"\| (train|validation|test) \| 1 \| 0 \| 0 \|", second.stdout)
    assert "call for a minor release" in second.stdout
    v11 = _ids(repo / "release")
    assert len(v11) == len(v1) + 1
    assert all(v11[article] == split for article, split in v1.items())  # no article changed split

    old = tmp_path / "v1"
    _corpus(repo, "get", "1.0.0", "--out", str(old))
    assert _ids(old) == v1  # exactly the old rows, after 1.1.0 exists

    diff = _corpus(repo, "diff", "1.0.0", "1.1.0").stdout
    assert "Changes from 1.0.0 to 1.1.0" in diff

    victim = sorted(v1)[0]
    (repo / "takedown.yaml").write_text(yaml.safe_dump([{"id": victim, "reason": "publisher request",
                                                          "date": "2026-11-22"}]), encoding="utf-8")
    _commit_all(repo, "takedown request")
    _corpus(repo, "release", "1.1.1", "-m", "takedown")
    assert victim not in _ids(repo / "release")
    ledger = load_dataset(str(repo / "release"), "ledger")["train"]
    assert any(row["fate"] == "taken_down" and "publisher request" in row["reasons"][0] for row in ledger)

    for version in ("1.0.0", "1.1.0", "1.1.1"):
        bib = _corpus(repo, "cite", "--version", version, "--format", "bibtex").stdout
        assert re.fullmatch(r"@misc\{[\w]+,\n(  \w+ = \{.+\},?\n)+\}\n", bib), bib
        assert f"version = {{{version}}}" in bib and "sha256:" in bib
        cff = yaml.safe_load(_corpus(repo, "cite", "--version", version, "--format", "cff").stdout)
        jsonschema.validate(cff, CFF_SCHEMA)
        assert cff["version"] == version


def test_params_edit_keeps_comments(tmp_path):
    path = tmp_path / "params.yaml"
    path.write_text("publish:\n  version: 0.1.0  # semver\n  release_date: \"\"   # set by release\n",
                    encoding="utf-8")
    _set_publish_params(path, version="1.2.3", release_date="2026-11-22")
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert document == {"publish": {"version": "1.2.3", "release_date": "2026-11-22"}}
    assert "# semver" in path.read_text(encoding="utf-8")
    assert parse_version("v1.2.3") == (1, 2, 3)
    assert SEED_FILES


def test_a_second_release_at_the_same_time_is_refused(tmp_path):
    from corpus.release.versioning import ReleaseError, release_lock

    refused = pytest.raises(ReleaseError, match="another `corpus release` is running")
    with release_lock(tmp_path), refused, release_lock(tmp_path):
        pass
