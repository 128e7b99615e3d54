"""Releases: semver tags over the DVC-tracked release folder, their diffs, and fetching a past one.

MAJOR = schema or split-assignment change, MINOR = articles added, PATCH = text fixes. A release is
the git tag `vX.Y.Z` on the commit whose dvc.lock pins the release folder; its data lives in the DVC
cache and remote, so `corpus get X.Y.Z` can materialize it years later.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import yaml

from corpus.record import SPLITS

SEMVER = re.compile(r"^(\d+)\.(\d+)\.(\d+)$")


class ReleaseError(RuntimeError):
    """A release cannot be made (dirty tree, stale build, failed checks, version not greater)."""


def parse_version(text: str) -> tuple[int, int, int]:
    match = SEMVER.match(text.removeprefix("v"))
    if match is None:
        raise ReleaseError(f"{text!r} is not a semantic version X.Y.Z")
    major, minor, patch = (int(part) for part in match.groups())
    return major, minor, patch


def tool(name: str) -> str:
    """A program the package runs (dvc, git): the one installed beside the running interpreter (the venv the
    package is in, whether or not it is activated), else the one on PATH."""
    beside = Path(sys.executable).parent / name
    if beside.exists():
        return str(beside)
    found = shutil.which(name)
    if found is None:
        raise ReleaseError(f"`{name}` is not installed (looked beside {sys.executable} and on PATH)")
    return found


def tool_environment() -> dict[str, str]:
    """The environment for the programs the package runs: the running interpreter's folder first on PATH, so
    the stage commands `dvc repro` starts (`python -m corpus …`) run with this package's dependencies."""
    folder = str(Path(sys.executable).parent)
    return dict(os.environ, PATH=folder + os.pathsep + os.environ.get("PATH", ""))


def run(command: Sequence[str], cwd: Path) -> str:
    command = [tool(command[0]), *command[1:]]
    result = subprocess.run(command, cwd=cwd, capture_output=True, text=True, env=tool_environment())
    if result.returncode != 0:
        shown = " ".join([Path(command[0]).name, *command[1:]])
        raise ReleaseError(f"`{shown}` failed: {result.stderr.strip() or result.stdout.strip()}")
    return result.stdout


def released_versions(repo: Path) -> list[str]:
    tags = run(["git", "tag", "--list", "v*"], repo).split()
    versions = [tag.removeprefix("v") for tag in tags if SEMVER.match(tag.removeprefix("v"))]
    return sorted(versions, key=parse_version)


def get_release(repo: Path, version: str, out: Path) -> Path:
    """Materialize the release folder of a tagged version (via DVC: cache or remote) at `out` itself — a path
    relative to the current folder, absent, empty or a release this package wrote (replaced), never nested."""
    from corpus.release.marker import check_replaceable

    parse_version(version)
    if f"v{version}" not in {f"v{v}" for v in released_versions(repo)}:
        raise ReleaseError(f"no release v{version}; released: {', '.join(released_versions(repo)) or 'none'}")
    out = out.absolute()
    check_replaceable(out, "--out")
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".corpus-get-", dir=out.parent) as scratch:
        fetched = Path(scratch) / "release"
        run(["dvc", "get", str(repo.absolute()), "release", "--rev", f"v{version}", "-o", str(fetched)], repo)
        if out.exists():
            shutil.rmtree(out)
        fetched.rename(out)
    return out


def article_digests(release: Path) -> dict[str, dict[str, str]]:
    """split → {id: sha256 of text+title}, read from the release's Parquet files."""
    digests: dict[str, dict[str, str]] = {}
    for split in SPLITS:
        rows: dict[str, str] = {}
        for path in sorted((release / "data").glob(f"{split}-*.parquet")):
            table = pq.read_table(path, columns=["id", "title", "text"])
            for id_, title, text in zip(*(table.column(c).to_pylist() for c in ("id", "title", "text")), strict=True):
                rows[id_] = hashlib.sha256(f"{title}\0{text}".encode()).hexdigest()
        digests[split] = rows
    return digests


def diff_releases(old: Path, new: Path) -> dict[str, Any]:
    """Ids added, removed and changed per split, and ids that moved split (should never happen)."""
    before, after = article_digests(old), article_digests(new)
    old_split = {id_: split for split, rows in before.items() for id_ in rows}
    new_split = {id_: split for split, rows in after.items() for id_ in rows}
    report: dict[str, Any] = {"splits": {}}
    for split in SPLITS:
        added = sorted(set(after[split]) - set(old_split))
        removed = sorted(set(before[split]) - set(new_split))
        changed = sorted(i for i in set(before[split]) & set(after[split]) if before[split][i] != after[split][i])
        report["splits"][split] = {"added": added, "removed": removed, "changed": changed}
    report["moved"] = sorted(i for i in set(old_split) & set(new_split) if old_split[i] != new_split[i])
    return report


def render_diff(report: dict[str, Any], old: str, new: str) -> str:
    lines = [f"Changes from {old} to {new}:", "", "| split | added | removed | changed |", "|---|---|---|---|"]
    for split, change in report["splits"].items():
        lines.append(f"| {split} | {len(change['added'])} | {len(change['removed'])} | {len(change['changed'])} |")
    if report["moved"]:
        lines.append(f"\nArticles that changed split (a MAJOR change): {len(report['moved'])}")
    return "\n".join(lines) + "\n"


def expected_bump(report: dict[str, Any]) -> str:
    """What semver says the diff is: major (split moves), minor (articles added), patch (text fixes)."""
    if report["moved"]:
        return "major"
    if any(change["added"] for change in report["splits"].values()):
        return "minor"
    return "patch"


@contextmanager
def release_lock(repo: Path) -> Iterator[None]:
    """One `corpus release` at a time per repository (DVC's own lock guards `dvc repro`)."""
    lock_path = repo / ".dvc" / "tmp" / "corpus-release.lock"
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    with lock_path.open("w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise ReleaseError("another `corpus release` is running in this repository") from None
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def release(repo: Path, version: str, message: str = "", hub: str | None = None) -> str:
    """Check, rebuild with the new version, write the CHANGELOG, commit, tag and push the data; with
    `hub` (ORG/NAME) also upload the release folder to the Hugging Face Hub and tag it there."""
    with release_lock(repo):
        return _release(repo, version, message, hub)


def _release(repo: Path, version: str, message: str, hub: str | None) -> str:
    new = parse_version(version)
    previous = released_versions(repo)
    if previous and new <= parse_version(previous[-1]):
        raise ReleaseError(f"{version} is not greater than the last release {previous[-1]}")
    if run(["git", "status", "--porcelain"], repo).strip():
        raise ReleaseError("the git tree is not clean: commit or stash first")
    status = run(["dvc", "status", "--json"], repo).strip()
    if status not in ("{}", ""):
        raise ReleaseError(f"`dvc status` is not clean (run `dvc repro` and commit): {status}")
    checks = repo / "release" / "validation" / "release.json"
    if not checks.exists():
        raise ReleaseError("no validated build: release/validation/release.json is missing (run `dvc repro`)")
    date = run(["git", "log", "-1", "--format=%cs"], repo).strip()  # the released commit's: builds reproduce
    params_file = repo / "params.yaml"
    _set_publish_params(params_file, version=version, release_date=date)
    run(["dvc", "repro"], repo)
    entry = f"## {version} — {date} (date of the released commit)\n\n{message + chr(10) + chr(10) if message else ''}"
    if previous:
        with tempfile.TemporaryDirectory() as scratch:
            old = get_release(repo, previous[-1], Path(scratch) / "old")
            report = diff_releases(old, repo / "release")
        entry += render_diff(report, previous[-1], version)
        bump = expected_bump(report)
        entry += f"\nSemver: the data changes call for a {bump} release.\n"
    else:
        entry += "First release.\n"
    changelog = repo / "CHANGELOG.md"
    body = changelog.read_text(encoding="utf-8").removeprefix("# Changelog\n\n") if changelog.exists() else ""
    changelog.write_text(f"# Changelog\n\n{entry}\n{body}", encoding="utf-8")
    (repo / "CITATION.cff").write_text((repo / "release" / "CITATION.cff").read_text(encoding="utf-8"),
                                       encoding="utf-8")
    run(["git", "add", "params.yaml", "dvc.lock", "CHANGELOG.md", "CITATION.cff", "metrics"], repo)
    run(["git", "commit", "-m", f"Release {version}" + (f": {message}" if message else "")], repo)
    run(["git", "tag", "-a", f"v{version}", "-m", f"Release {version}"], repo)
    run(["dvc", "push"], repo)
    if hub:
        upload_to_hub(repo / "release", hub, version)
    return entry


def upload_to_hub(folder: Path, repo_id: str, version: str) -> None:
    """Upload the release folder as a dataset repo and tag the commit `vX.Y.Z` (needs HF_TOKEN)."""
    from huggingface_hub import HfApi

    api = HfApi()
    api.create_repo(repo_id, repo_type="dataset", exist_ok=True)
    commit = api.upload_folder(repo_id=repo_id, repo_type="dataset", folder_path=str(folder),
                               commit_message=f"Release {version}")
    api.create_tag(repo_id, repo_type="dataset", tag=f"v{version}", revision=commit.oid)


def _set_publish_params(path: Path, **values: str) -> None:
    """Update publish keys in params.yaml in place, keeping its comments."""
    text = path.read_text(encoding="utf-8")
    for key, value in values.items():
        pattern = re.compile(rf"^(  {key}:)[^\n#]*(#?)", re.MULTILINE)
        if not pattern.search(text):
            raise ReleaseError(f"params.yaml has no publish.{key}")
        rendered = yaml.safe_dump(value).splitlines()[0]
        text = pattern.sub(lambda m, rendered=rendered: f"{m.group(1)} {rendered}" + ("  #" if m.group(2) else ""),
                           text, count=1)
    path.write_text(text, encoding="utf-8")
