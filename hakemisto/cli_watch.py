"""CLI commands for what is new: ``digest`` and the ``watch`` group (saved searches).

Kept apart from ``cli.py`` (which registers them); the commands are thin: the change log, digests and
watches live in ``changes``, ``digest`` and ``watch``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from hakemisto.cli import echo_json, get_app, index_dir_option, main

# --- what is new: digest and saved searches (issue 18) -------------------------------------------


def _since_option(func: Any) -> Any:
    return click.option(
        "--since",
        "since",
        default=None,
        metavar="DATE",
        help="Changes recorded on or after this date or time (ISO, e.g. 2026-11-30 or 2026-11-30T06:00).",
    )(func)


def _parse_since(value: str | None) -> Any:
    """'2026-11-30' or an ISO time → aware datetime (UTC when no zone is given)."""
    from datetime import UTC, datetime

    if value is None:
        return None
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        raise click.BadParameter(f"'{value}' is not a date; write e.g. 2026-11-30", param_hint="--since") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _digest_filter_options(func: Any) -> Any:
    func = click.option("--query", "query", default=None, help="Only documents this search query matches.")(func)
    func = click.option("--programme", "programmes", multiple=True,
                        help="Only this programme, any known name (repeatable: any of them).")(func)
    func = click.option("--region", "regions", multiple=True,
                        help="Only this county, any known name (repeatable: any of them).")(func)
    return func


_LANG_OPTION = click.option("--lang", type=click.Choice(["fi", "sv"]), default="fi", show_default=True,
                            help="Language of the digest's headings and labels.")


@main.command()
@_since_option
@click.option("--since-last-run", is_flag=True, help="Only what the most recent ingest or nightly run changed.")
@_digest_filter_options
@click.option("--format", "fmt", type=click.Choice(["text", "json", "markdown", "atom"]), default="text",
              show_default=True, help="Output format.")
@click.option("--json", "as_json", is_flag=True, help="Same as --format json.")
@_LANG_OPTION
@index_dir_option
@click.pass_context
def digest(ctx: click.Context, since: str | None, since_last_run: bool, regions: tuple[str, ...],
           programmes: tuple[str, ...], query: str | None, fmt: str, as_json: bool, lang: str,
           index_dir: Path | None) -> None:
    """What is new or changed: new projects, new sums (by role), new contacts, pages changed and gone.

    Grouped by county, then project, each line with its link and source sentence. Reads the change
    log that every ingest and nightly run keeps beside the index.

    \b
    Example:
      hakemisto digest --since-last-run
      hakemisto digest --since 2026-11-01 --region Österbotten --programme RRP --lang sv
      hakemisto digest --since 2026-11-01 --query hoitotakuu --format atom > uutta.atom
    """
    from hakemisto.app import render

    app = get_app(ctx, index_dir=index_dir)
    if since and since_last_run:
        raise click.UsageError("give --since or --since-last-run, not both")
    result = app.digest(since=_parse_since(since), since_last_run=since_last_run, regions=regions,
                        programmes=programmes, query=query, lang=lang, label=since)
    click.echo(render(result, "json" if as_json else fmt), nl=False)


@main.group()
def watch() -> None:
    """Saved searches that deliver what is new: add, list, remove, run.

    \b
    Example:
      hakemisto watch add rrp-pohjanmaa --programme RRP --region Pohjanmaa
      hakemisto watch run
    """


@watch.command("add")
@click.argument("name")
@_digest_filter_options
@_LANG_OPTION
@click.option("--mail-to", default=None, metavar="ADDRESS", help="Deliver by e-mail to this address.")
@click.option("--smtp", default=None, metavar="HOST[:PORT]", help="SMTP server for --mail-to.")
@index_dir_option
@click.option("--json", "as_json", is_flag=True, help="Print the saved watch as JSON.")
@click.pass_context
def watch_add(ctx: click.Context, name: str, regions: tuple[str, ...], programmes: tuple[str, ...],
              query: str | None, lang: str, mail_to: str | None, smtp: str | None, index_dir: Path | None,
              as_json: bool) -> None:
    """Save a search; `watch run` then delivers what changes from now on.

    \b
    Example:
      hakemisto watch add kotihoito --query kotihoito --region "Etelä-Savo" --lang fi
      hakemisto watch add rrp --programme RRP --mail-to suunnittelija@example.fi --smtp localhost:25
    """
    app = get_app(ctx, index_dir=index_dir)
    settings = app.settings
    saved = app.watch_add(name, regions=regions, programmes=programmes, query=query, lang=lang, mail_to=mail_to,
                          smtp=smtp)
    if as_json:
        echo_json(saved.to_dict())
    else:
        click.echo(f"saved watch '{saved.name}' in {settings.index_dir}")


@watch.command("list")
@index_dir_option
@click.option("--json", "as_json", is_flag=True, help="The watches as a JSON list.")
@click.pass_context
def watch_list(ctx: click.Context, index_dir: Path | None, as_json: bool) -> None:
    """The saved searches and what each has delivered.

    \b
    Example:
      hakemisto watch list --json
    """
    saved = get_app(ctx, index_dir=index_dir).watches()
    if as_json:
        echo_json([w.to_dict() for w in saved])
        return
    if not saved:
        click.echo("No saved watches. Add one with: hakemisto watch add NAME --query ...")
    for w in saved:
        what = "; ".join(bit for bit in (
            f"query {w.filter.query!r}" if w.filter.query else "",
            f"region {', '.join(w.filter.regions)}" if w.filter.regions else "",
            f"programme {', '.join(w.filter.programmes)}" if w.filter.programmes else "",
        ) if bit) or "everything"
        where = f", mail to {w.mail_to}" if w.mail_to else ""
        click.echo(f"{w.name}: {what} [{w.lang}{where}]; delivered {w.delivered}, last run {w.last_run or 'never'}")


@watch.command("remove")
@click.argument("name")
@index_dir_option
@click.pass_context
def watch_remove(ctx: click.Context, name: str, index_dir: Path | None) -> None:
    """Delete a saved search.

    \b
    Example:
      hakemisto watch remove kotihoito
    """
    get_app(ctx, index_dir=index_dir).watch_remove(name)
    click.echo(f"removed watch '{name}'")


@watch.command("run")
@click.argument("name", required=False)
@click.option("--since-last-run", is_flag=True,
              help="Deliver what arrived since this watch last delivered (the default).")
@_since_option
@click.option("--format", "fmt", type=click.Choice(["text", "json", "markdown", "atom"]), default="text",
              show_default=True, help="How a printed digest is written.")
@click.option("--mail-to", default=None, metavar="ADDRESS", help="Mail the digest here instead of printing it.")
@click.option("--smtp", default=None, metavar="HOST[:PORT]", help="SMTP server for --mail-to.")
@index_dir_option
@click.option("--json", "as_json", is_flag=True, help="Results (and digests) as JSON.")
@click.pass_context
def watch_run(ctx: click.Context, name: str | None, since_last_run: bool, since: str | None, fmt: str,
              mail_to: str | None, smtp: str | None, index_dir: Path | None, as_json: bool) -> None:
    """Deliver each saved search's digest (or one's) and remember what was delivered.

    Nothing arrives twice: the watch remembers the last change-log run it delivered. A failed
    delivery (e.g. the mail server is down) leaves its entries for the next run and exits 1.
    --since DATE previews the past without moving that mark.

    \b
    Example:
      hakemisto watch run
      hakemisto watch run rrp --mail-to suunnittelija@example.fi --smtp localhost:25
      hakemisto watch run kotihoito --since 2026-11-01 --format markdown
    """
    from hakemisto.app import render

    app = get_app(ctx, index_dir=index_dir)
    if since and since_last_run:
        raise click.UsageError("give --since or --since-last-run, not both")
    if (mail_to is None) != (smtp is None):
        raise click.UsageError("--mail-to and --smtp go together")
    if smtp:
        app.check_smtp(smtp)
    names = [name] if name else [w.name for w in app.watches()]
    if name:
        app.watch(name)
    printed: list[str] = []

    def deliver(w: Any, dg: Any) -> str:
        to, server = (mail_to, smtp) if mail_to else (w.mail_to, w.smtp)
        if to and server:
            if not dg.count:
                return "nothing new to mail"
            return app.mail_digest(dg, name=w.name, mail_to=to, smtp=server)
        printed.append(render(dg, fmt, feed_id=f"urn:hakemisto:watch:{w.name}"))
        return "stdout"

    results = [app.watch_run(n, deliver, since=_parse_since(since)) for n in names]
    if as_json:
        echo_json([r.to_dict() for r in results])
    else:
        for text in printed:
            click.echo(text, nl=False)
        for r in results:
            line = f"watch {r.name}: {r.entries} entries → {r.target}" if r.delivered else \
                f"watch {r.name}: NOT delivered ({r.error}); its entries stay for the next run"
            click.echo(line, err=True)
    if not names:
        click.echo("No saved watches. Add one with: hakemisto watch add NAME --query ...", err=True)
    ctx.exit(0 if all(r.delivered for r in results) else 1)
