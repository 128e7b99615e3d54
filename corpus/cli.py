"""The `corpus` command: thin wrappers over the pipeline and stage functions."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from corpus import __version__
from corpus.stages import STAGE_ORDER, StagePaths

app = typer.Typer(
    help="Build, check and publish the Korean news corpus: raw dumps in, a Hugging Face dataset folder out.",
    no_args_is_help=True,
    add_completion=False,
)

ParamsOption = Annotated[Path, typer.Option("--params", help="params.yaml with one key per stage.")]


@app.command()
def run(
    input_dir: Annotated[Path, typer.Option("--input", help="Folder of raw files (any mix of shapes).")],
    output_dir: Annotated[Path, typer.Option("--output", help="Where to write the release folder.")],
    params: ParamsOption = Path("params.yaml"),
    metrics: Annotated[Path | None, typer.Option(help="Also write each stage's counters here.")] = None,
) -> None:
    """Run every stage on any folder of raw files, without DVC, and write a release folder."""
    from corpus.pipeline import run_all

    results = run_all(input_dir, output_dir, params, metrics)
    typer.echo(f"release written to {output_dir}: {results['publish']['articles']} articles")


@app.command()
def stage(
    name: Annotated[str, typer.Argument(help=f"One of: {', '.join(STAGE_ORDER)}.")],
    input_dir: Annotated[Path, typer.Option("--input", help="Raw files (read by ingest).")] = Path("seeds"),
    work: Annotated[Path, typer.Option(help="Folder holding one sub-folder per stage output.")] = Path("data"),
    release: Annotated[Path, typer.Option(help="Release folder (written by publish).")] = Path("release"),
    params: ParamsOption = Path("params.yaml"),
    metrics: Annotated[Path | None, typer.Option(help="Write the stage's counters as JSON here.")] = None,
) -> None:
    """Run one stage (what each `dvc.yaml` stage calls)."""
    from corpus.pipeline import run_stage

    run_stage(name, StagePaths(input_dir, work, release), params, metrics)


@app.command()
def why(
    query: Annotated[str, typer.Argument(help="An article id, a segment id, or a raw file path[:line].")],
    release: Annotated[Path, typer.Option(help="The release folder to ask.")] = Path("release"),
) -> None:
    """Say what happened to an article or raw segment: published where, or why not."""
    from corpus.release.why import explain

    answers = explain(release, query)
    if not answers:
        typer.echo(f"nothing in {release}/ledger matches {query!r}", err=True)
        raise typer.Exit(1)
    typer.echo("\n\n".join(answers))


@app.command("schema-docs")
def schema_docs() -> None:
    """Regenerate schema/README.md from the JSON Schemas."""
    from corpus.record import SCHEMA_DIR
    from corpus.schema_docs import render_schema_readme

    (SCHEMA_DIR / "README.md").write_text(render_schema_readme(), encoding="utf-8")
    typer.echo(f"wrote {SCHEMA_DIR / 'README.md'}")


@app.command()
def version() -> None:
    """Print the package version."""
    typer.echo(__version__)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
