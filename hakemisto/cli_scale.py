"""CLI for the scale-out path: ``export --format opensearch`` (templates + ``_bulk`` files).

Kept apart from ``cli.py`` (which registers it) so the OpenSearch export reads as one unit; the
mapping, conversion and validation live in ``opensearch.py``. Dask extraction is an option of
``ingest`` and ``nightly`` (``--cluster`` / ``--workers``), not a command.
"""

from __future__ import annotations

from pathlib import Path

import click

from hakemisto.cli import echo_json, get_app, index_dir_option, main


@main.command("export")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["opensearch"]), default="opensearch", show_default=True,
              help="Target: OpenSearch index templates and NDJSON _bulk files.")
@index_dir_option
@click.option("--json", "as_json", is_flag=True, help="Print what was written as JSON.")
@click.pass_context
def export_command(ctx: click.Context, directory: Path, fmt: str, index_dir: Path | None, as_json: bool) -> None:
    """Write the index as OpenSearch index templates and _bulk files (pages and project records).

    Text fields carry hakemisto's own analysis (voikko lemmas, hyphen parts, Swedish stems) as
    whitespace-separated terms, so OpenSearch matches what the Whoosh index matches. Every bulk
    line is checked against its template before the command reports success. Load the result with
    DIRECTORY/load.sh URL (see docs/scale.md).

    \b
    Example:
      hakemisto export --format opensearch /tmp/hakemisto-opensearch
      sh /tmp/hakemisto-opensearch/load.sh http://127.0.0.1:9200
    """
    report = get_app(ctx, index_dir=index_dir).export_opensearch(directory)
    if as_json:
        echo_json({**report.to_dict(), "format": fmt, "valid": True})
        return
    click.echo(f"{report.pages} pages and {report.projects} project records in {len(report.files) - 3} bulk "
               f"file(s), 2 index templates and load.sh in {directory}; every line checked against its template.")
