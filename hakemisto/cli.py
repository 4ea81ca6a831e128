"""The click command line: a thin shell that parses options, calls the library and formats output.

stdout carries data (tables or JSON); stderr carries logs, progress and errors. Library errors
(``HakemistoError``) become one line on stderr and a non-zero exit, never a traceback.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from . import __version__
from .config import Settings, load_settings
from .errors import HakemistoError


class HakemistoGroup(click.Group):
    """Turns library errors into one clear line and the error's exit code."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except HakemistoError as exc:
            click.echo(f"Error: {exc}", err=True)
            ctx.exit(exc.exit_code)
        except KeyboardInterrupt:
            click.echo("Interrupted.", err=True)
            ctx.exit(130)


def get_settings(ctx: click.Context, **overrides: Any) -> Settings:
    """Settings for this invocation: the group's options plus the command's own overrides."""
    base: dict[str, Any] = dict(ctx.find_root().obj or {})
    base.update({k: v for k, v in overrides.items() if v is not None})
    config = base.pop("config_file", None)
    return load_settings(config, **base)


def echo_json(data: Any) -> None:
    """One JSON document on stdout (UTF-8, no ASCII escaping: names keep their ä and ö)."""
    click.echo(json.dumps(data, ensure_ascii=False, default=str))


def index_dir_option(func: Any) -> Any:
    return click.option(
        "--index-dir",
        type=click.Path(file_okay=False, path_type=Path),
        default=None,
        help="Index directory (default: ./index, or $HAKEMISTO_INDEX).",
    )(func)


@click.group(cls=HakemistoGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="hakemisto")
@click.option(
    "--config",
    "config_file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Settings file (default: ./hakemisto.toml, or $HAKEMISTO_CONFIG).",
)
@click.pass_context
def main(ctx: click.Context, config_file: Path | None) -> None:
    """Search Finland's wellbeing services counties' development projects (fi/sv).

    \b
    Example:
      hakemisto ingest corpus/
      hakemisto search "RRP hoitotakuu" --region Keski-Pohjanmaa
    """
    ctx.obj = {"config_file": config_file}


def run() -> None:  # pragma: no cover - console entry for `python -m hakemisto`
    sys.exit(main())
