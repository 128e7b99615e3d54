"""A real release for the explorer: the seeds, with a copyright notice in a bylined snippet (the seeds have
none) and a file repeating that snippet's file (exact duplicates), built with the repo's params."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from corpus.pipeline import run_all
from tests.conftest import PARAMS, SEED_FILES, SEEDS

NOTICE = "<저작권자 ⓒ 데일리굿타임 무단전재 및 재배포금지>"
BYLINE = "데일리굿타임 유종운 기자 |"
WORD = "던필드그룹"  # in the bylined snippet that carries the notice


@dataclass(frozen=True)
class Explored:
    raw: Path
    release: Path
    cache: Path


def with_notice(line: str) -> str:
    """The notice after the snippet's second sentence, where credits_v1 must cut it and keep the rest."""
    first = line.index("다. ", line.index("다. ") + 3) + 3
    return line[:first] + NOTICE + " " + line[first:]


@pytest.fixture(scope="session")
def explored(tmp_path_factory: pytest.TempPathFactory) -> Explored:
    root = tmp_path_factory.mktemp("explore")
    raw = root / "raw"
    raw.mkdir()
    for name in SEED_FILES.values():
        shutil.copy(SEEDS / name, raw / name)
    bylined = raw / SEED_FILES["snippets_bylined"]
    lines = bylined.read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith(BYLINE) and WORD in lines[0]
    lines[0] = with_notice(lines[0])
    bylined.write_text("\n".join(lines) + "\n", encoding="utf-8")
    (raw / "z-copy.txt").write_text("\n".join(lines[:2]) + "\n", encoding="utf-8")
    release = root / "release"
    run_all(raw, release, PARAMS)
    return Explored(raw, release, root / "cache")


def explore_command(explored: Explored, *options: str) -> list[str]:
    return [sys.executable, "-m", "corpus", "explore", str(explored.release), "--raw", str(explored.raw),
            "--params", str(PARAMS), "--cache", str(explored.cache), *options]


@contextmanager
def running(command: list[str], timeout: float = 120) -> Iterator[tuple[str, list[str]]]:
    """`corpus explore` started as a user starts it, on a free port (--port 0): its URL once it is listening,
    and the lines it said on stderr (whether it built or reused the file); stopped afterwards."""
    process = subprocess.Popen([*command, "--port", "0"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               env=dict(os.environ, GX_ANALYTICS_ENABLED="false"))
    try:
        deadline = time.monotonic() + timeout
        url = process.stdout.readline().strip()
        assert url.startswith("http://127.0.0.1:"), process.stderr.read()
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(url, timeout=5).close()
                break
            except OSError:
                time.sleep(0.1)
        said = []
        while not said or not said[-1].startswith("exploring"):
            said.append(process.stderr.readline().strip())
        yield url, said
    finally:
        process.terminate()
        process.wait(timeout=30)
        process.stdout.close()
        process.stderr.close()


@pytest.fixture(scope="session")
def explorer(explored: Explored) -> Iterator[str]:
    """The URL of one explorer over the test release, for the whole session."""
    with running(explore_command(explored)) as (url, _):
        yield url
