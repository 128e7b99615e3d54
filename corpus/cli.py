"""The `corpus` command: thin wrappers over the pipeline and stage functions."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import click
import typer
from typer.core import TyperGroup

from corpus import __version__
from corpus.errors import UsageError
from corpus.stages import STAGE_ORDER, StagePaths

DEBUG_ENV = "CORPUS_DEBUG"


class Commands(TyperGroup):
    """A user's mistake (corpus.errors.UsageError) is one line on stderr and exit status 2; with `--debug` (or
    CORPUS_DEBUG=1) it is raised with its traceback."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except UsageError as error:
            if os.environ.get(DEBUG_ENV):
                raise
            click.echo(f"error: {error}", err=True)
            ctx.exit(2)


app = typer.Typer(
    cls=Commands,
    help="Build, check and publish the Korean news corpus: raw dumps in, a Hugging Face dataset folder out.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_show_locals=False,
    rich_markup_mode=None,  # plain click help: rich alone took ~150 ms of `corpus --help`
)


@app.callback()
def options(debug: Annotated[bool, typer.Option("--debug", help="Show the traceback of any error.")] = False) -> None:
    if debug:
        os.environ[DEBUG_ENV] = "1"


def params_file(given: Path | None) -> Path | None:
    """The params file a command reads: the one named (which must exist), else params.yaml here if there is
    one, else none (the package defaults, said on stderr)."""
    if given is not None:
        if not given.is_file():
            raise UsageError(f"params file {given} does not exist" if not given.exists()
                             else f"params {given} is not a file")
        return given
    if Path("params.yaml").is_file():
        return Path("params.yaml")
    typer.echo(f"params: no params.yaml in {Path.cwd()}; using the package defaults (corpus/params.py)", err=True)
    return None


ParamsOption = Annotated[Path | None, typer.Option("--params", help="params.yaml with one key per stage "
                                                   "(default: ./params.yaml, else the package defaults).")]
WorkersOption = Annotated[int | None, typer.Option(help="Processes for the local executor (default: one per core).")]
ExecutorOption = Annotated[str | None, typer.Option(help="local (default) or dask (see CORPUS_DASK_SCHEDULER).")]


def _choose_executor(workers: int | None, executor: str | None) -> None:
    from corpus.plumbing.executors import EXECUTOR_ENV, executor_name
    from corpus.plumbing.executors.local import WORKERS_ENV

    if workers is not None:
        os.environ[WORKERS_ENV] = str(workers)
    if executor is not None:
        os.environ[EXECUTOR_ENV] = executor
    try:
        executor_name()
    except ValueError as error:
        raise UsageError(str(error)) from None


@app.command()
def run(
    input_dir: Annotated[Path, typer.Option("--input", help="Folder of raw files (any mix of shapes).")],
    output_dir: Annotated[Path, typer.Option("--output", help="Where to write the release folder.")],
    params: ParamsOption = None,
    metrics: Annotated[Path | None, typer.Option(help="Also write each stage's counters here.")] = None,
    cache: Annotated[Path | None, typer.Option(help="Reuse and keep unit results here (incremental).")] = None,
    work: Annotated[str | None, typer.Option(help="Keep stage folders here: a folder or an fsspec URL "
                                             "(s3://…); default: a temporary folder.")] = None,
    workers: WorkersOption = None,
    executor: ExecutorOption = None,
) -> None:
    """Run every stage on any folder of raw files, without DVC, and write a release folder."""
    from corpus.plumbing.executors.warm import prestarted

    # GX's import (in a helper) is a small build's longest wait: it starts before the pipeline's own imports
    with prestarted("corpus.validation"):
        from corpus.pipeline import run_all

        _choose_executor(workers, executor)
        results = run_all(input_dir, output_dir, params_file(params), metrics, cache, work)
    typer.echo(f"release written to {output_dir}: {results['publish']['articles']} articles")


@app.command()
def stage(
    name: Annotated[str, typer.Argument(help=f"One of: {', '.join(STAGE_ORDER)}.")],
    input_dir: Annotated[Path, typer.Option("--input", help="Raw files (read by ingest).")] = Path("seeds"),
    work: Annotated[Path, typer.Option(help="Folder holding one sub-folder per stage output.")] = Path("data"),
    release: Annotated[Path, typer.Option(help="Release folder (written by publish).")] = Path("release"),
    params: ParamsOption = None,
    metrics: Annotated[Path | None, typer.Option(help="Write the stage's counters as JSON here.")] = None,
    cache: Annotated[str, typer.Option(envvar="CORPUS_CACHE", help="Unit results kept for incremental rebuilds; "
                                       "'' turns the cache off.")] = ".corpus-cache",
    workers: WorkersOption = None,
    executor: ExecutorOption = None,
) -> None:
    """Run one stage (what each `dvc.yaml` stage calls)."""
    from corpus.pipeline import run_stage

    _choose_executor(workers, executor)
    run_stage(name, StagePaths(input_dir, work, release, cache=cache or None), params_file(params), metrics)


@app.command()
def why(
    query: Annotated[str, typer.Argument(help="An article id, a segment id, or a raw file path[:line].")],
    release: Annotated[Path, typer.Option(help="The release folder to ask.")] = Path("release"),
) -> None:
    """Say what happened to an article or raw segment: published where, or why not."""
    from corpus.plumbing.deferred import arrow_without_pandas
    from corpus.release.why import explain

    arrow_without_pandas()  # ~0.25 s: `why` reads no pandas frame
    if not (release / "ledger").is_dir():
        raise UsageError(f"{release} is not a release folder (it has no ledger/): build one first "
                         "(`python3 tasks.py build`), or name one with --release")
    answers = explain(release, query)
    if not answers:
        typer.echo(f"nothing in {release}/ledger matches {query!r}", err=True)
        raise typer.Exit(1)
    typer.echo("\n\n".join(answers))


@app.command()
def inspect(
    paths: Annotated[list[Path], typer.Argument(help="Raw files or folders of them.")],
    segments: Annotated[int, typer.Option(help="Segments to show per file, cleaned.")] = 3,
    params: ParamsOption = None,
) -> None:
    """Show how raw files will be read, without building: each file's shape and the evidence for it, its
    segment count, and its first segments with the fields cleaning reads off them."""
    from corpus.inspect import inspect_file, raw_files, render
    from corpus.params import load_stage_params

    chosen = params_file(params)
    ingest, clean = load_stage_params("ingest", chosen), load_stage_params("clean", chosen)
    reports = (render(inspect_file(path, folder, ingest, clean, segments)) for path, folder in raw_files(paths))
    for number, report in enumerate(reports):
        typer.echo(("\n" if number else "") + report)


@app.command()
def explore(
    release: Annotated[Path, typer.Argument(help="The release folder.")] = Path("release"),
    port: Annotated[int, typer.Option(help="Port on 127.0.0.1, the only address it listens on (0: any free one).")]
    = 8001,
    raw: Annotated[Path | None, typer.Option(help="The raw folder the release was built from, to show each "
                                             "article's raw text (default: ./seeds when there is one).")] = None,
    params: ParamsOption = None,
    cache: Annotated[Path | None, typer.Option(envvar="CORPUS_EXPLORE_CACHE", help="Where the SQLite file is kept, "
                                               "one per release fingerprint (default: ~/.cache/korean-news-corpus/"
                                               "explore).")] = None,
    workers: WorkersOption = None,
) -> None:
    """Browse a release in the web browser (Datasette, read-only, local only): Korean search and facets, each
    article over its raw text with every cleaning edit marked, the ledger, plots, datasheet and Data Docs."""
    from corpus.explore.serve import explore as serve_release
    from corpus.plumbing.executors.local import worker_count

    if raw is None and Path("seeds").is_dir():
        raw = Path("seeds")
    chosen = params_file(params)
    serve_release(release, port, raw, chosen, cache, workers or worker_count(), lambda line: typer.echo(line, err=True),
                  typer.echo)


@contextmanager
def refusals(prefix: str = "") -> Iterator[None]:
    """A ReleaseError (no such version, dirty tree, …) becomes a one-line message and exit status 1."""
    from corpus.release.versioning import ReleaseError

    try:
        yield
    except ReleaseError as error:
        typer.echo(f"{prefix}{error}", err=True)
        raise typer.Exit(1) from None


@app.command("release")
def make_release(
    version: Annotated[str, typer.Argument(help="X.Y.Z, greater than the last release.")],
    message: Annotated[str, typer.Option("--message", "-m", help="What this release is about.")] = "",
    repo: Annotated[Path, typer.Option(help="The project repository.")] = Path("."),
    hub: Annotated[str | None, typer.Option(help="Also upload to this Hugging Face dataset repo (ORG/NAME).")] = None,
) -> None:
    """Cut a release: check git/DVC/validation, rebuild, CHANGELOG with the diff, commit, tag, dvc push."""
    from corpus.release.versioning import release

    with refusals("release refused: "):
        typer.echo(release(repo.resolve(), version, message, hub))


@app.command()
def get(
    version: Annotated[str, typer.Argument(help="A released version X.Y.Z.")],
    out: Annotated[Path, typer.Option(help="Folder to write the release to.")],
    repo: Annotated[Path, typer.Option(help="The project repository.")] = Path("."),
) -> None:
    """Materialize a past release (through DVC) so that load_dataset(OUT) gives exactly that version."""
    from corpus.release.versioning import get_release

    with refusals():
        written = get_release(repo.resolve(), version, out)
    typer.echo(f"release {version} written to {written}")


@app.command()
def diff(
    old: Annotated[str, typer.Argument(help="Older version X.Y.Z.")],
    new: Annotated[str, typer.Argument(help="Newer version X.Y.Z.")],
    repo: Annotated[Path, typer.Option(help="The project repository.")] = Path("."),
) -> None:
    """Articles added, removed and changed per split between two releases."""
    import tempfile

    from corpus.release.versioning import diff_releases, get_release, render_diff

    with tempfile.TemporaryDirectory() as scratch, refusals():
        before = get_release(repo.resolve(), old, Path(scratch) / "old")
        after = get_release(repo.resolve(), new, Path(scratch) / "new")
        typer.echo(render_diff(diff_releases(before, after), old, new))


@app.command()
def cite(
    version: Annotated[str | None, typer.Option(help="A released version; default: the release folder.")] = None,
    fmt: Annotated[str, typer.Option("--format", help="bibtex, apa or cff.")] = "bibtex",
    release: Annotated[Path, typer.Option(help="The release folder (when no version is given).")] = Path("release"),
    repo: Annotated[Path, typer.Option(help="The project repository.")] = Path("."),
) -> None:
    """Print how to cite a release: version, date and fingerprint."""
    import tempfile

    import yaml

    from corpus.release.citation import apa, bibtex
    from corpus.release.versioning import get_release

    with tempfile.TemporaryDirectory() as scratch, refusals():
        folder = get_release(repo.resolve(), version, Path(scratch) / "r") if version else release
        if not (folder / "CITATION.cff").is_file():
            raise UsageError(f"{folder} is not a release (no CITATION.cff): build one, or name --version X.Y.Z")
        text = (folder / "CITATION.cff").read_text(encoding="utf-8")
    if not version and "date-released" not in text:
        typer.echo(f"warning: {folder} was not cut by `corpus release` (no version date): cite it with its "
                   "fingerprint, or cite a released version (--version X.Y.Z)", err=True)
    formats = {"cff": lambda: text, "bibtex": lambda: bibtex(yaml.safe_load(text)),
               "apa": lambda: apa(yaml.safe_load(text))}
    if fmt not in formats:
        typer.echo(f"unknown format {fmt!r}; known: {', '.join(formats)}", err=True)
        raise typer.Exit(2)
    typer.echo(formats[fmt](), nl=False)


@app.command("schema-docs")
def schema_docs() -> None:
    """Regenerate schema/README.md from the JSON Schemas."""
    from corpus.record import SCHEMA_DIR
    from corpus.schema_docs import render_schema_readme

    (SCHEMA_DIR / "README.md").write_text(render_schema_readme(), encoding="utf-8")
    typer.echo(f"wrote {SCHEMA_DIR / 'README.md'}")


cache_app = typer.Typer(help="The result cache of unit jobs that makes rebuilds incremental.", no_args_is_help=True,
                        rich_markup_mode=None)
app.add_typer(cache_app, name="cache")
CacheOption = Annotated[Path, typer.Option(envvar="CORPUS_CACHE", help="The cache folder.")]


@cache_app.command("info")
def cache_info(cache: CacheOption = Path(".corpus-cache")) -> None:
    """Entries and size per stage; 'unlinked' entries are used by no current stage folder."""
    from corpus.plumbing.cache import usage

    for stage, numbers in usage(cache).items():
        typer.echo(f"{stage}: {numbers['entries']} entries, {numbers['bytes'] / 1e6:,.1f} MB, "
                   f"{numbers['unlinked_entries']} unlinked")


@cache_app.command("prune")
def cache_prune(cache: CacheOption = Path(".corpus-cache")) -> None:
    """Remove the entries no stage folder uses any more (what only older builds needed)."""
    from corpus.plumbing.cache import prune

    removed, freed = prune(cache)
    typer.echo(f"removed {removed} entries, {freed / 1e6:,.1f} MB")


@cache_app.command("clear")
def cache_clear(cache: CacheOption = Path(".corpus-cache")) -> None:
    """Remove the whole cache: the next build starts cold (and gives the same bytes)."""
    import shutil

    shutil.rmtree(cache, ignore_errors=True)
    typer.echo(f"removed {cache}")


@app.command()
def version() -> None:
    """Print the package version."""
    typer.echo(__version__)


def main() -> None:
    """The console script: the command, then its status without the interpreter's teardown (~0.2 s)."""
    from corpus.plumbing.exiting import exit_now

    try:
        app()
    except SystemExit as done:
        exit_now(done.code)
    exit_now()


if __name__ == "__main__":
    main()
