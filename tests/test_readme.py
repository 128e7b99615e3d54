"""The README's commands, run the way it writes them: `.venv/bin/…` from the repository, without an activated
venv (PATH holds only the system's programs and a Python without the package), and its shown output checked."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, project_copy

pytestmark = pytest.mark.slow
VENV = Path(sys.executable).parent.parent
SYSTEM_PATH = "/usr/local/bin:/usr/bin:/bin"
README = (ROOT / "README.md").read_text(encoding="utf-8")
# What the README writes in place of a real path.
PLACEHOLDERS = {"path/to/raw": "seeds", "path/to/mybuild": "../mybuild"}


def readme_commands() -> list[tuple[str, list[str]]]:
    """Each `.venv/bin/…` command of the README's bash blocks, with the output lines shown after a `$ ` one."""
    commands: list[tuple[str, list[str]]] = []
    for block in re.findall(r"```bash\n(.*?)```", README, re.DOTALL):
        for line in block.splitlines():
            command = re.sub(r"\s+#.*$", "", line.removeprefix("$ ")).strip()
            if command.startswith(".venv/bin/"):
                command = re.sub(r"\s*\[[^\]]*\]", "", command)  # optional arguments
                for placeholder, real in PLACEHOLDERS.items():
                    command = command.replace(placeholder, real)
                commands.append((command, []))
            elif commands and line.strip() and not line.startswith(("python3", ".venv")) and "$ " in block:
                commands[-1][1].append(line)
    return commands


def _run(repo: Path, command: str) -> subprocess.CompletedProcess:
    env = {key: value for key, value in os.environ.items() if key not in ("VIRTUAL_ENV", "PYTHONPATH")}
    env |= {"PATH": SYSTEM_PATH, "GX_ANALYTICS_ENABLED": "false", "HF_DATASETS_OFFLINE": "1", "HF_HUB_OFFLINE": "1",
            "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t", "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@t"}
    return subprocess.run(command, shell=True, cwd=repo, env=env, capture_output=True, text=True)


@pytest.fixture(scope="module")
def repo(tmp_path_factory) -> Path:
    """A copy of the project with `.venv` beside it, built with `.venv/bin/dvc repro` and released once."""
    target = project_copy(tmp_path_factory.mktemp("readme") / "repo", ("metrics/", "dvc.lock", "CHANGELOG", "CITATION"))
    (target / ".venv").symlink_to(VENV)
    (target / ".gitignore").write_text((ROOT / ".gitignore").read_text(encoding="utf-8") + ".venv\n", encoding="utf-8")
    for step in ("git init -q", ".venv/bin/dvc repro", "git add -A", "git commit -qm build",
                 ".venv/bin/corpus release 1.0.0 -m first"):
        result = _run(target, step)
        assert result.returncode == 0, f"{step}:\n{result.stdout}\n{result.stderr}"
    return target


def test_the_readme_has_commands_to_run():
    names = [command.split()[1] for command, _ in readme_commands()]
    assert {"inspect", "run", "why", "release", "get", "diff", "cite"} <= set(names)


def test_every_readme_command_works_as_written_without_an_activated_venv(repo):
    for command, shown in readme_commands():
        result = _run(repo, command)
        assert result.returncode == 0, f"{command}:\n{result.stdout}\n{result.stderr}"
        assert "Traceback" not in result.stderr, command
        for line in shown:  # the output the README shows is the output the build gives
            assert line.strip() in result.stdout, f"{command}: README shows {line!r}, the build prints\n{result.stdout}"


def test_dvc_metrics_show_a_few_columns_a_stage(repo):
    shown = _run(repo, ".venv/bin/dvc metrics show").stdout
    header = shown.splitlines()[0].split()
    assert {"in", "out", "seconds", "per_second"} <= set(header) and len(header) <= 10, shown
    assert "rule_" not in shown and "format_" not in shown


def test_dvc_plots_show_draws_the_release_composition(repo):
    result = _run(repo, ".venv/bin/dvc plots show")
    assert result.returncode == 0 and "No plots were loaded" not in result.stdout + result.stderr
    page = (repo / "dvc_plots" / "index.html").read_text(encoding="utf-8")
    for plot in ("publishers", "months", "lengths"):
        assert f"release_plots_{plot}_csv" in page
    assert "\\ub274\\uc2a421" in page  # the data: publishers by name (뉴스21, JSON-escaped)


def test_get_writes_where_it_is_told_relative_to_the_current_folder_and_never_nests(repo, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    for _ in range(2):  # the second time into the release the first one wrote
        result = _run(elsewhere, f"{repo}/.venv/bin/corpus get 1.0.0 --out getdir --repo {repo}")
        assert result.returncode == 0, result.stderr
    assert (elsewhere / "getdir" / "README.md").is_file() and not (elsewhere / "getdir" / "release").exists()
    assert not (repo / "getdir").exists()
    (elsewhere / "mine").mkdir()
    (elsewhere / "mine" / "notes.txt").write_text("mine", encoding="utf-8")
    refused = _run(elsewhere, f"{repo}/.venv/bin/corpus get 1.0.0 --out mine --repo {repo}")
    assert refused.returncode == 2 and (elsewhere / "mine" / "notes.txt").read_text(encoding="utf-8") == "mine"


def test_the_changelog_says_whose_date_it_gives_and_params_keep_no_trailing_spaces(repo):
    changelog = (repo / "CHANGELOG.md").read_text(encoding="utf-8")
    assert "(date of the released commit)" in changelog
    assert not any(line != line.rstrip() for line in (repo / "params.yaml").read_text(encoding="utf-8").splitlines())
