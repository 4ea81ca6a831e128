"""The click command line: a thin shell that parses options, calls the library and formats output.

stdout carries data (tables or JSON); stderr carries logs, progress and errors. Library errors
(``HakemistoError``) become one line on stderr and a non-zero exit, never a traceback.
"""

from __future__ import annotations

import json
import sys
import threading
from dataclasses import replace
from pathlib import Path
from typing import Any

import click

from hakemisto import __version__
from hakemisto.app import (
    DocumentNotFound,
    Hakemisto,
    HakemistoError,
    IndexLockedError,
    InvalidValue,
    NoPageSplits,
    Settings,
    SourcesFileError,
    escape_controls,
    load_settings,
)

# Library errors carry their data (code, value, limits); these are their words on the command line,
# where the value came from a flag. Anything not listed is said with the library's own message.
CLI_WORDS = {
    "bad_amount": "--min-amount must be a number of euros from 0 to {max}, not {value}",
    "bad_year": "--year must be from {min} to {max}, not {value}",
    "bad_limit": "--limit must be between 1 and {max}, not {value}",
    "bad_page": "--page must be 1 or more, not {value}",
    "bad_smtp_port": "--smtp '{value}': the port must be a number (HOST[:PORT])",
    "bad_smtp": "--smtp '{value}': expected HOST[:PORT], e.g. localhost:25",
}


def error_words(exc: HakemistoError) -> str:
    """A library error in the command line's words (flags, commands to try)."""
    if isinstance(exc, IndexLockedError) and exc.lock_path is not None:
        waited = f" after waiting {exc.waited:g} s" if exc.waited else ""
        return (f"the index {exc.index_dir} is being written by {exc.holder}{waited}; "
                f"try again later or pass --wait SECONDS (lock file {exc.lock_path})")
    if isinstance(exc, SourcesFileError):
        if exc.code == "sources_unreadable":
            return f"{exc}; check the --sources path"
        return f"{exc} or leave out --sources"
    if isinstance(exc, DocumentNotFound):
        return f"{exc}; find ids with: hakemisto search --json"
    if isinstance(exc, NoPageSplits):
        return (f"{exc.path}: give DOCS_DIR too, or a page-set root with dev/ and heldout/ "
                "(each holding gold/ and docs/)")
    if isinstance(exc, InvalidValue) and exc.code == "unknown_source":
        return f"{exc} (see `hakemisto sources`)"
    template = CLI_WORDS.get(getattr(exc, "code", "") or "")
    if template:
        try:
            return template.format(**exc.params)
        except (KeyError, IndexError, ValueError):
            pass
    return str(exc)


# Library notes carry their data (``core.notes.Note``: code, params); these are their words on the
# command line, where a filter is a flag. Anything not listed is said with the library's own text.
_LANGUAGE = {"fi": "Finnish", "sv": "Swedish"}
NOTE_WORDS = {
    "empty_index": "The index is empty: build it with 'hakemisto ingest corpus/'.",
    "without_filter": "Without {flag} {value} there are {n} hits: drop that filter.",
    "without_filter_partial": "Without {flag} {value} there are {n} hits for {words}, none of them with {missing}.",
    "other_lang": "{n} hits in {language} pages: try --lang {lang}.",
    "filters_exclude": "No page matches these filters together; drop one of {flags}.",
    "beyond_last_page": "Page {page} is past the last page: there are {total} results on {pages} page{plural}; "
                        "use --page {pages}.",
    "no_match": "No indexed page matches these filters; try without --query, or another --programme or --funder.",
    "links_disagree": "{finding} (hakemisto check --repair fixes it)",
    "older_than_since": "older than --since",
    "not_modified_since": "not modified since --since",
}


def _flag(name: str) -> str:
    return "--" + name.replace("_", "-")


def note_words(note: object) -> str:
    """A library note in the command line's words (its flags and commands); plain strings as they are."""
    code = getattr(note, "code", "") or ""
    params = dict(getattr(note, "params", {}) or {})
    if code == "leftovers":
        return str(note).replace("(optimizing or repairing the index removes them)",
                                 "(hakemisto optimize or check --repair removes them)")
    if code == "before_repair":
        return f"before repair: {note_words(params.get('problem', ''))}"
    template = NOTE_WORDS.get(code)
    if not template:
        return str(note)
    if "filter" in params:
        params["flag"] = _flag(str(params["filter"]))
    params["flags"] = ", ".join(_flag(n) for n in params.get("names", ()))
    params["language"] = _LANGUAGE.get(str(params.get("lang", "")), "")
    params["plural"] = "s" if isinstance(params.get("pages"), int) and params["pages"] > 1 else ""
    try:
        return template.format(**params)
    except (KeyError, IndexError, ValueError):
        return str(note)


def _terminated(signum: int, frame: object) -> None:
    """End now, like SIGKILL but with a word: the index is only changed by an atomic commit (a half
    written segment is removed by the next writer), the kernel frees the writer lock, and spaCy's
    workers get SIGKILL (unwinding instead could hang on their multiprocessing queues)."""
    import multiprocessing
    import os

    for child in multiprocessing.active_children():
        child.kill()
    os.write(2, b"Terminated.\n")
    os._exit(128 + signum)


def _exit_on_sigterm() -> None:
    """SIGTERM ends the run at once, workers included (see ``_terminated``)."""
    import signal
    import threading

    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, _terminated)


# Commands defined in other modules, imported only when named (or listed by --help): a cold
# `hakemisto search` must not pay for babel, rapidfuzz and the project records (issue 17).
LAZY_COMMANDS = {
    "projects": "cli_projects", "contacts": "cli_projects", "eval-projects": "cli_projects",
    "digest": "cli_watch", "watch": "cli_watch", "export": "cli_scale",
}


class HakemistoGroup(click.Group):
    """Turns library errors into one clear line and the error's exit code."""

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in LAZY_COMMANDS:
            import importlib

            importlib.import_module(f"{__package__}.{LAZY_COMMANDS[cmd_name]}")  # registers on `main`
        return super().get_command(ctx, cmd_name)

    def list_commands(self, ctx: click.Context) -> list[str]:
        for name in LAZY_COMMANDS:
            self.get_command(ctx, name)
        return super().list_commands(ctx)

    def invoke(self, ctx: click.Context) -> Any:
        _exit_on_sigterm()
        try:
            return super().invoke(ctx)
        except HakemistoError as exc:
            click.echo(f"Error: {error_words(exc)}", err=True)
            ctx.exit(exc.exit_code)
        except KeyboardInterrupt:
            click.echo("Interrupted.", err=True)
            ctx.exit(130)
        except OSError as exc:  # a full disk, a read-only or vanished directory: one line, not a traceback
            where = f"{exc.filename}: " if exc.filename else ""
            click.echo(f"Error: {where}{exc.strerror or exc}", err=True)
            ctx.exit(1)


def get_settings(ctx: click.Context, **overrides: Any) -> Settings:
    """Settings for this invocation: the group's options plus the command's own overrides."""
    base: dict[str, Any] = dict(ctx.find_root().obj or {})
    base.update({k: v for k, v in overrides.items() if v is not None})
    config = base.pop("config_file", None)
    return load_settings(config, **base)


def get_app(ctx: click.Context, **overrides: Any) -> Hakemisto:
    """The library façade over this invocation's settings (see ``get_settings``)."""
    return Hakemisto(get_settings(ctx, **overrides))


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


def _sources_option(func: Any) -> Any:
    return click.option(
        "--sources",
        "sources_file",
        type=click.Path(dir_okay=False, path_type=Path),
        default=None,
        help="A sources TOML file replacing the built-in registry (add `include_builtin = true` to extend it; "
        "the built-in include/exclude patterns are inherited unless it says `inherit_patterns = false`).",
    )(func)


def corpus_dir_option(func: Any) -> Any:
    return click.option(
        "--corpus-dir",
        type=click.Path(file_okay=False, path_type=Path),
        default=None,
        help="Corpus directory; snapshots go to <corpus>/crawl (default: ./corpus, or $HAKEMISTO_CORPUS_DIR).",
    )(func)


def page_budget_option(func: Any) -> Any:
    return click.option(
        "--max-pages",
        type=click.IntRange(1),
        default=None,
        help="Page budget per source for this run (default: page_budget setting, 2000); the rest waits for the next run.",
    )(func)


def wait_option(func: Any) -> Any:
    """``--wait SECONDS``: how long a writer waits for another writer's index lock before exit 3."""
    return click.option(
        "--wait",
        "lock_wait",
        type=click.FloatRange(min=0, max=7 * 24 * 3600),
        default=None,
        metavar="SECONDS",
        help="Wait up to this long for another writer of the index to finish (default 0: exit 3 at once).",
    )(func)


def cluster_options(func: Any) -> Any:
    """``--cluster`` / ``--workers``: where extraction runs (default in-process; see distributed.py)."""
    func = click.option(
        "--workers", "local_workers", default=None, metavar="local:N",
        help="Extract on a Dask LocalCluster of N worker processes on this machine (e.g. local:2).",
    )(func)
    return click.option(
        "--cluster", default=None, metavar="tcp://HOST:PORT",
        help="Extract on an existing Dask scheduler's workers (or cluster = \"…\" in hakemisto.toml).",
    )(func)


def cluster_setting(cluster: str | None, local_workers: str | None) -> str | None:
    """The ``cluster`` setting from the two flags (None: keep the config file's), checked early."""
    if cluster and local_workers:
        raise click.UsageError("give either --cluster or --workers, not both")
    value = cluster or local_workers
    if value is None:
        return None
    if local_workers and not local_workers.startswith("local"):
        value = f"local:{local_workers}"
    from hakemisto.app import parse_cluster

    parse_cluster(value)
    return value


def report_dir_option(func: Any) -> Any:
    return click.option(
        "--report-dir",
        type=click.Path(file_okay=False, path_type=Path),
        default=None,
        help="Where nightly run reports are written and read (default: <index>/runs, or $HAKEMISTO_REPORT_DIR).",
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


# --- foundation: ingest, search, show, stats ------------------------------------------------------


class Progress:
    """A bar per stage on a terminal (one per source while crawling), plain lines otherwise (cron mails
    stay readable: a crawl prints every 50 pages). Always on stderr; safe from the crawl threads."""

    def __init__(self, enabled: bool = True) -> None:
        self.enabled = enabled
        self.tty = sys.stderr.isatty()
        self._bars: dict[str, Any] = {}
        self._last: dict[str, int] = {}
        self._lock = threading.Lock()

    def __call__(self, stage: str, done: int, total: int) -> None:
        if not self.enabled or total <= 0:
            return
        with self._lock:
            if self.tty:
                bar = self._bars.get(stage)
                if bar is None:
                    bar = click.progressbar(length=total, label=stage, file=sys.stderr)
                    bar.__enter__()
                    self._bars[stage] = bar
                    self._last[stage] = 0
                bar.length = max(total, done)  # a crawl learns its total as it goes
                bar.update(done - self._last.get(stage, 0))
                if done >= total:
                    bar.__exit__(None, None, None)
                    del self._bars[stage]
            elif not stage.startswith("crawl ") or done >= total or done % 50 == 0:
                click.echo(f"{stage}: {done}/{total}", err=True)
            self._last[stage] = done


def _skip_lines(skipped: list) -> None:
    for skip in skipped:
        click.echo(f"skipped {skip.path}: {skip.reason}", err=True)


@main.command()
@click.argument("paths", nargs=-1, required=True)
@index_dir_option
@wait_option
@cluster_options
@click.option("--json", "as_json", is_flag=True, help="Print the run summary as JSON.")
@click.option("--quiet", is_flag=True, help="No progress output.")
@click.pass_context
def ingest(
    ctx: click.Context,
    paths: tuple[str, ...],
    index_dir: Path | None,
    lock_wait: float | None,
    cluster: str | None,
    local_workers: str | None,
    as_json: bool,
    quiet: bool,
) -> None:
    """Load files, directories or globs into the index (text dumps, HTML, JSONL, crawl snapshots).

    Unchanged documents (same content hash and pipeline version) are not processed again. Bad
    files (binary, empty, too large, unreadable) are skipped and named; the index is written in one
    atomic commit, so a failed or interrupted run leaves it as it was.

    \b
    Example:
      hakemisto ingest corpus/
      hakemisto ingest 'pages/**/*.html' export.jsonl --index-dir /srv/hakemisto/index
      hakemisto ingest corpus/ --workers local:2
      hakemisto ingest corpus/ --cluster tcp://10.0.0.5:8786
    """
    app = get_app(ctx, index_dir=index_dir, lock_wait=lock_wait, cluster=cluster_setting(cluster, local_workers))
    settings = app.settings
    report = app.ingest(paths, progress=Progress(enabled=not quiet))
    _skip_lines(report.skipped)
    if as_json:
        echo_json(report.to_dict())
        return
    summary = (
        f"{report.seen} documents: {report.new} new, {report.changed} changed, {report.unchanged} unchanged"
        f"; {len(report.skipped)} skipped"
    )
    if report.rebuilt:
        summary += f" (index rebuilt: {report.rebuild_reason})"
    click.echo(f"{summary}. Index: {settings.index_dir}")


def _echo(text: str) -> None:
    """Print text that came from documents: control characters shown as escapes, never sent raw."""
    click.echo(escape_controls(text))


def _style_snippet(snippet: str) -> str:
    from hakemisto.app import MARK_END, MARK_START, plain_snippet

    # Escape document text between the highlight markers (which are control characters themselves).
    snippet = MARK_START.join(
        MARK_END.join(escape_controls(piece) for piece in part.split(MARK_END)) for part in snippet.split(MARK_START)
    )
    if sys.stdout.isatty():
        return snippet.replace(MARK_START, "\x1b[1;33m").replace(MARK_END, "\x1b[0m")
    return plain_snippet(snippet, "[", "]")


class _OneShot:
    """A one-shot query process's start-up settings (issue 17: cold `hakemisto search`), undone on exit
    so a process that runs several commands (tests, scripts) keeps Python's defaults:

    - the cyclic garbage collector is paused for the command: importing the engine and answering one
      query allocate ~1 M objects that all live to the end, and the collector walked them ~110 times
      (40–75 ms of a 0.5 s search); reference counting still frees everything acyclic; and when the
      process ends, its last collection skips them too (``gc.freeze`` at exit: ~30 ms);
    - NumPy is imported with one OpenBLAS thread (unless ``OPENBLAS_NUM_THREADS`` is set): the search
      does no linear algebra, and starting the BLAS thread pool cost ~30 ms CPU. The variable is
      restored after the import, so child processes see the user's environment.
    """

    def __enter__(self) -> None:
        import atexit
        import gc
        import os

        self.collecting = gc.isenabled()
        gc.disable()
        atexit.register(gc.freeze)  # at exit: the teardown's collection then skips these objects
        if "numpy" not in sys.modules and "OPENBLAS_NUM_THREADS" not in os.environ:
            os.environ["OPENBLAS_NUM_THREADS"] = "1"
            try:
                import numpy  # noqa: F401
            finally:
                del os.environ["OPENBLAS_NUM_THREADS"]

    def __exit__(self, *exc: object) -> None:
        import gc

        if self.collecting:
            # What the command allocated joins the oldest generation without a collection (the first
            # young collection after ``enable`` would otherwise walk all of it: ~30 ms).
            gc.freeze()
            gc.unfreeze()
            gc.enable()


def _format_eur(value: float) -> str:
    from hakemisto.app import format_eur

    return format_eur(value, "fi").replace("\u00a0", " ")


@main.command()
@click.argument("query", required=False, default="")
@click.option("--region", "regions", multiple=True,
              help="Only this county: fi or sv name in any form, a municipality (Vaasa → Pohjanmaa), ä/ö optional. Repeat for several.")
@click.option("--lang", type=click.Choice(["fi", "sv"]), help="Only documents in this language.")
@click.option("--funder", "funders", multiple=True,
              help="Only documents naming this funder: id, acronym or full fi/sv name (STM, 'Sosiaali- ja terveysministeriö'). Repeatable.")
@click.option("--programme", "programmes", multiple=True,
              help="Only documents in this programme: id or full fi/sv name (RRP, 'Suomen kestävän kasvun ohjelma'). Repeatable.")
@click.option("--year", type=int, help="Only documents published or funded in this year.")
@click.option("--min-amount", type=float, help="Only documents with a euro amount at least this large.")
@click.option("--sort", type=click.Choice(["relevance", "date", "amount"]), default="relevance", show_default=True,
              help="Order: best match, newest first, or largest euro amount first.")
@click.option("--limit", type=int, default=10, show_default=True, help="Results per page.")
@click.option("--page", type=int, default=1, show_default=True, help="Result page.")
@index_dir_option
@click.option("--json", "as_json", is_flag=True, help="Machine-readable results with facets.")
@click.pass_context
def search(
    ctx: click.Context,
    query: str,
    regions: tuple[str, ...],
    lang: str | None,
    funders: tuple[str, ...],
    programmes: tuple[str, ...],
    year: int | None,
    min_amount: float | None,
    sort: str,
    limit: int,
    page: int,
    index_dir: Path | None,
    as_json: bool,
) -> None:
    """Search the index; Finnish and Swedish words in any inflection.

    Plain words: a page matches any of them and ranks higher the more it has. Operators (capitals
    only): a AND b (both), NOT a (without), "quoted words" (that phrase, in either language); OR is
    the default. A repeated filter matches any of its values; different filters must all match.

    \b
    Example:
      hakemisto search "RRP hoitotakuu"
      hakemisto search projektbyrån --lang sv
      hakemisto search hoitovelka --funder STM --region Päijät-Häme --json
      hakemisto search '"kotona asuminen" NOT Helsinki' --region Vaasa --region Kainuu --sort date
    """
    with _OneShot():
        _search(ctx, query, regions, lang, funders, programmes, year, min_amount, sort, limit, page, index_dir, as_json)


def _search(ctx: click.Context, query: str, regions: tuple[str, ...], lang: str | None, funders: tuple[str, ...],
            programmes: tuple[str, ...], year: int | None, min_amount: float | None, sort: str, limit: int,
            page: int, index_dir: Path | None, as_json: bool) -> None:
    """`hakemisto search`'s work: the query and its output (see ``search``)."""
    results = get_app(ctx, index_dir=index_dir).search(
        query, regions=regions, lang=lang, funders=funders, programmes=programmes, year=year, min_amount=min_amount,
        limit=limit, page=page, sort=sort)
    if as_json:
        echo_json({**results.to_dict(), "notes": [note_words(n) for n in results.notes]})
        return
    for name, values in results.resolved.items():
        asked = results.filters.get(name) or []
        if [v.casefold() for v in asked] != [v.casefold() for v in values]:
            click.echo(f"--{name} {', '.join(asked)} → {', '.join(values)}", err=True)
    if not results.hits:
        if results.beyond_last_page:
            click.echo(f"No results on page {page}.")
        else:
            click.echo(f"No results for '{query}'." if query.strip() else "No results.")
        if results.suggestion:
            click.echo(f"Did you mean: {results.suggestion}")
        for note in results.notes:
            click.echo(note_words(note))
        return
    first = (page - 1) * limit + 1
    order = "" if sort == "relevance" else f", sorted by {sort}"
    related = f", {results.related} of them related pages without the query words" if results.related else ""
    click.echo(f"{results.total} results; showing {first}–{first + len(results.hits) - 1}{related} "
               f"(page {page} of {results.pages}{order})")
    if results.suggestion:
        click.echo(f"Did you mean: {results.suggestion}")
    for n, hit in enumerate(results.hits, first):
        click.echo("")
        click.secho(escape_controls(f"{n}. {hit.title}" + ("  (related: no query word)" if hit.related else "")),
                    bold=True)
        published = f" · {hit.published[:10]}" if hit.published else ""
        _echo(f"   {hit.region or 'region unknown'} · {hit.lang}{published} · {hit.url or hit.path or hit.id}")
        click.echo(f"   {_style_snippet(hit.snippet)}")
        if hit.matched:
            _echo("   matched: " + "; ".join(f"{k} {', '.join(v)}" for k, v in hit.matched.items()))
        if hit.funders or hit.programmes:
            _echo(f"   funders: {', '.join(hit.funders) or '–'} · programmes: {', '.join(hit.programmes) or '–'}")
        if hit.amounts:
            _echo("   amounts: " + "; ".join(f"{a['text']} ({_format_eur(a['eur'])})" for a in hit.amounts[:4]))
        for contact in hit.contacts[:3]:
            bits = [contact["name"], contact.get("title"), contact.get("phone"), contact.get("email")]
            _echo("   contact: " + ", ".join(b for b in bits if b))
        if hit.twin:
            _echo(f"   other language: {hit.twin}")
        if hit.also_at:
            _echo(f"   also published at: {', '.join(hit.also_at)}")
    if results.facets:
        click.echo("")
        for name, counts in results.facets.items():
            if counts:
                click.echo(f"{name}: " + ", ".join(f"{k} ({v})" for k, v in list(counts.items())[:10]))


@main.command()
@click.argument("doc_id")
@index_dir_option
@click.option("--json", "as_json", is_flag=True, help="The whole document with its facts as JSON.")
@click.pass_context
def show(ctx: click.Context, doc_id: str, index_dir: Path | None, as_json: bool) -> None:
    """Show one indexed document: metadata, extracted facts and text.

    \b
    Example:
      hakemisto show seeds/002_244ef9beec10c723.txt
    """
    doc = get_app(ctx, index_dir=index_dir).require_document(doc_id)
    if as_json:
        echo_json(doc.to_dict())
        return
    click.secho(escape_controls(doc.title), bold=True)
    for label, value in (
        ("id", doc.id),
        ("url", doc.url),
        ("path", doc.path),
        ("language", doc.lang),
        ("region", doc.region),
        ("published", doc.published.date().isoformat() if doc.published else None),
        ("modified", doc.modified.date().isoformat() if doc.modified else None),
        ("twin", doc.twin),
    ):
        if value:
            _echo(f"{label}: {value}")
    if doc.facts:
        facts = doc.facts
        for label, values in (
            ("funders", facts.funders),
            ("programmes", facts.programmes),
            ("projects", facts.projects),
            ("persons", facts.persons),
            ("organisations", facts.organizations),
        ):
            if values:
                _echo(f"{label}: {', '.join(values)}")
        for amount in facts.amounts:
            _echo(f"amount: {amount.text} = {_format_eur(amount.eur)}")
        for c in facts.contacts:
            _echo("contact: " + ", ".join(b for b in (c.name, c.title, c.phone, c.email, c.organization) if b))
    click.echo("")
    _echo(doc.text)


@main.command()
@index_dir_option
@click.option("--json", "as_json", is_flag=True, help="Statistics as JSON.")
@click.pass_context
def stats(ctx: click.Context, index_dir: Path | None, as_json: bool) -> None:
    """Index size and document counts per language and region.

    \b
    Example:
      hakemisto stats --json
    """
    from dataclasses import asdict

    result = get_app(ctx, index_dir=index_dir).stats()
    if as_json:
        echo_json(asdict(result))
        return
    click.echo(f"index: {result.index_dir} ({result.size_bytes / 1e6:.1f} MB, {result.segments} segments)")
    click.echo(f"documents: {result.documents}; pipeline version {result.pipeline_version}")
    click.echo("languages: " + ", ".join(f"{k} {v}" for k, v in result.by_lang.items()))
    click.echo("regions: " + ", ".join(f"{k} {v}" for k, v in result.by_region.items()))


# --- entities: extract, eval-extract, entities (issue 3) ---------------------------------------------


@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--json", "as_json", is_flag=True, help="JSON Lines: one gold-schema object per document.")
@click.pass_context
def extract(ctx: click.Context, paths: tuple[str, ...], as_json: bool) -> None:
    """Extract funders, programmes, euro amounts, contacts, persons and the region of documents.

    Output follows the gold schema (../shared/gold/README.md) plus organizations, dates and spans.

    \b
    Example:
      hakemisto extract corpus/seeds --json
      hakemisto extract page.html
    """
    from hakemisto.app import gold_record

    extraction = get_app(ctx).extract(paths)
    _skip_lines(extraction.skipped)
    for doc in extraction.documents:
        record = gold_record(doc)
        if as_json:
            echo_json(record)
            continue
        click.echo(f"{record['doc']}  [{record['lang']}]  region: {record['region'] or '-'}"
                   f"  twin: {record['twin'] or '-'}")
        click.echo(f"  funders: {', '.join(record['funders']) or '-'}")
        click.echo(f"  programmes: {', '.join(record['programmes']) or '-'}")
        for a in record["amounts"]:
            extra = ", ".join(str(a[k]) for k in ("qualifier", "year", "funder", "project") if a.get(k))
            click.echo(f"  amount: {a['text']} = {_format_eur(a['eur'])}" + (f" ({extra})" if extra else ""))
        for c in record["contacts"]:
            click.echo("  contact: " + ", ".join(
                str(c[k]) for k in ("name", "title", "phone", "email", "organization") if c.get(k)))
        click.echo(f"  persons: {', '.join(record['persons']) or '-'}")
        click.echo(f"  projects: {', '.join(record['projects']) or '-'}")


@main.command("eval-extract")
@click.argument("gold_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.argument("docs_dir", required=False, type=click.Path(exists=True, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Scores as JSON (a page set: one object per split).")
@click.option("--show-heldout-details", is_flag=True,
              help="Also name the documents of a held-out split (default: numbers only).")
@click.pass_context
def eval_extract(ctx: click.Context, gold_dir: Path, docs_dir: Path | None, as_json: bool,
                 show_heldout_details: bool) -> None:
    """Score extraction against gold files: per-field P / R / F1 and accuracies.

    With GOLD_DIR and DOCS_DIR: the documents of DOCS_DIR against the gold of GOLD_DIR. With one
    page-set root (a directory holding dev/ and heldout/, each with gold/ and docs/): every split is
    extracted on its own and the headline figures are printed side by side, then each split in full.
    Scoring rules of ../shared/gold/README.md; documents are paired by file stem (or JSONL record id).

    \b
    Example:
      hakemisto eval-extract ../shared/gold/seeds corpus/seeds
      hakemisto eval-extract tests/pages --json
    """
    from hakemisto.app import format_report, format_side_by_side

    scored = get_app(ctx).eval_extract(gold_dir, docs_dir)
    _skip_lines(scored.skipped)
    reports = scored.reports
    details = {name: show_heldout_details or name not in scored.heldout for name in reports}
    if docs_dir is not None:
        report = reports["gold"]
        echo_json(report.to_dict(details["gold"])) if as_json else click.echo(format_report(report, details["gold"]))
        return
    if as_json:
        echo_json({name: {**r.to_dict(details[name]), "headline": {k: round(v, 4) for k, v in r.headline().items()}}
                   for name, r in reports.items()})
        return
    click.echo(format_side_by_side(reports))
    for name, report in reports.items():
        click.echo(f"\n== {name}\n{format_report(report, details[name])}")


@main.command()
@click.option("--type", "kind", type=click.Choice(["person", "org", "funder", "programme"]), default=None,
              help="Only entities of this type.")
@click.option("--region", default=None, help="Only entities in documents about this county.")
@index_dir_option
@click.option("--json", "as_json", is_flag=True, help="JSON Lines: one canonical entity per line.")
@click.pass_context
def entities(ctx: click.Context, kind: str | None, region: str | None, index_dir: Path | None,
             as_json: bool) -> None:
    """List canonical entities in the index with their variants and document counts.

    \b
    Example:
      hakemisto entities --type funder
      hakemisto entities --type person --region Päijät-Häme --json
    """
    app = get_app(ctx, index_dir=index_dir)
    for entity in app.entities(kind=kind, region=region):
        if as_json:
            echo_json(entity.to_dict())
        else:
            variants = "; ".join(v for v in entity.variants if v != entity.name)
            click.echo(f"{entity.type:<9} {entity.name}  ({entity.doc_count} docs)"
                       + (f"  variants: {variants}" if variants else ""))


# --- search quality: eval-search (issue 7) -------------------------------------------------------


@main.command("eval-search")
@click.option("--analyzer", "kind", type=click.Choice(["voikko", "snowball"]), default="voikko",
              show_default=True, help="Analyzers the temporary index is built with.")
@click.option("--no-glossary", is_flag=True, help="Search without fi↔sv glossary expansion.")
@click.option("--set", "sets", type=click.Choice(["legacy", "dev", "heldout"]), multiple=True,
              help="Only these query sets (repeatable; default: all three).")
@click.option("--relevance-dir", type=click.Path(path_type=Path), default=Path("tests/relevance"), show_default=True,
              help="The legacy collection: queries.toml and docs/ (relative to the current directory).")
@click.option("--pages-dir", type=click.Path(path_type=Path), default=Path("tests/pages"), show_default=True,
              help="The page set: queries.toml, collection.txt and the pages it lists.")
@click.option("--seeds-dir", type=click.Path(path_type=Path), default=Path("corpus/seeds"), show_default=True,
              help="The seed pages that belong to the legacy collection.")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable figures per set, per query and overall.")
@click.option("--show-heldout-details", is_flag=True,
              help="Also print the held-out queries' text and ranked pages (default: ids and numbers only).")
def eval_search(kind: str, no_glossary: bool, sets: tuple[str, ...], relevance_dir: Path, pages_dir: Path,
                seeds_dir: Path, as_json: bool, show_heldout_details: bool) -> None:
    """Measure search quality: nDCG@10 and recall@20 per query, reported per query set.

    Sets: 'legacy' (42 queries over tests/relevance, written with the analyzers), 'dev' and
    'heldout' (planner queries over the realistic page set tests/pages, split by a fixed hash of
    the query id; tune on dev only). Each collection is indexed into a temporary directory and the
    queries run through the real search with their filters. The collections are read from the
    folders given (by default the repository's, relative to the current directory).

    \b
    Example:
      hakemisto eval-search
      hakemisto eval-search --set dev --set heldout --json
      hakemisto eval-search --set legacy --analyzer snowball --no-glossary
      hakemisto eval-search --set dev --pages-dir ~/hakemisto/tests/pages
    """
    from hakemisto.app import format_sets

    results = Hakemisto.eval_search(sets, kind=kind, glossary=not no_glossary, relevance_dir=relevance_dir,
                                    pages_dir=pages_dir, seeds_dir=seeds_dir)
    hidden = frozenset() if show_heldout_details else frozenset({"heldout"})
    if as_json:
        echo_json({"analyzer": kind, "glossary": not no_glossary,
                   "sets": {name: ev.to_dict(details=name not in hidden) for name, ev in results.items()}})
    else:
        click.echo(format_sets(results, hidden))


# --- nightly job and maintenance: nightly, runs, optimize, check (issue 5) -----------------------


def _nightly_paths(paths: tuple[Path, ...]) -> tuple[Path, ...]:
    """Extra corpus paths: ``--path`` options plus ``$HAKEMISTO_NIGHTLY_PATHS`` (os.pathsep-separated)."""
    import os

    env = [Path(p) for p in os.environ.get("HAKEMISTO_NIGHTLY_PATHS", "").split(os.pathsep) if p]
    return tuple(env) + paths


@main.command()
@click.option("--no-crawl", is_flag=True, help="Skip the crawl; re-index what is already on disk.")
@click.option("--region", "regions", multiple=True, help="Crawl only this county (repeatable).")
@click.option(
    "--path",
    "paths",
    multiple=True,
    type=click.Path(path_type=Path),
    help="Also load this file or directory (repeatable; also $HAKEMISTO_NIGHTLY_PATHS).",
)
@click.option("--watch", "run_watches", is_flag=True,
              help="After a successful ingest, deliver every saved search (see `hakemisto watch`).")
@report_dir_option
@index_dir_option
@corpus_dir_option
@page_budget_option
@_sources_option
@wait_option
@cluster_options
@click.option("--json", "as_json", is_flag=True, help="Print the run report as JSON instead of the summary.")
@click.option("--quiet", is_flag=True, help="No progress output.")
@click.pass_context
def nightly(
    ctx: click.Context,
    no_crawl: bool,
    regions: tuple[str, ...],
    paths: tuple[Path, ...],
    run_watches: bool,
    report_dir: Path | None,
    index_dir: Path | None,
    corpus_dir: Path | None,
    max_pages: int | None,
    sources_file: Path | None,
    lock_wait: float | None,
    cluster: str | None,
    local_workers: str | None,
    as_json: bool,
    quiet: bool,
) -> None:
    """Crawl, re-index what changed, remove what is gone, and write a run report.

    Loads everything under the corpus directory (seeds, shipped files, crawl snapshots). Unchanged
    documents are not processed again; documents whose file or source is gone are removed after the
    grace period (grace_days). One job at a time.

    \b
    Exit codes: 0 ok, 1 finished with some failures, 2 the job failed,
                3 another writer holds the index (--wait SECONDS waits for it).
    \b
    Example:
      hakemisto nightly
      hakemisto nightly --no-crawl --json
      hakemisto nightly --region Pirkanmaa --report-dir /var/log/hakemisto
      hakemisto nightly --watch
      hakemisto nightly --sources my-sources.toml --corpus-dir /srv/corpus --max-pages 500
      hakemisto nightly --no-crawl --cluster tcp://10.0.0.5:8786
    """
    from hakemisto.app import summary_lines

    app = get_app(ctx, index_dir=index_dir, report_dir=report_dir, corpus_dir=corpus_dir,
                  sources_file=sources_file, page_budget=max_pages, lock_wait=lock_wait,
                  cluster=cluster_setting(cluster, local_workers))  # fmt: skip
    if no_crawl and regions:
        click.echo("note: --region only selects what is crawled; with --no-crawl it has no effect", err=True)
    log = None if quiet else (lambda line: click.echo(line, err=True))
    report = app.update(crawl=not no_crawl, regions=regions, extra_paths=_nightly_paths(paths), watch=run_watches,
                        progress=Progress(enabled=not quiet), log=log)
    if as_json:
        echo_json(report.to_dict())
    else:
        for line in summary_lines(report.to_dict()):
            click.echo(line)
    ctx.exit(report.exit_code)


@main.command()
@click.option("--last", type=click.IntRange(min=1), default=10, show_default=True, help="How many runs.")
@report_dir_option
@index_dir_option
@click.option("--json", "as_json", is_flag=True, help="The full reports as a JSON list.")
@click.pass_context
def runs(ctx: click.Context, last: int, report_dir: Path | None, index_dir: Path | None, as_json: bool) -> None:
    """Past nightly runs, newest last: status, counts, index size.

    \b
    Example:
      hakemisto runs --last 3
      hakemisto runs --last 1 --json
    """
    app = get_app(ctx, index_dir=index_dir, report_dir=report_dir)
    settings = app.settings
    reports = app.runs(last)
    if as_json:
        echo_json(reports)
        return
    if not reports:
        click.echo(f"No runs recorded in {settings.runs_dir}.")
        return
    for report in reports:
        counts = report.get("counts") or {}
        after = ((report.get("index") or {}).get("after") or {}).get("documents", "?")
        total = (report.get("stages") or {}).get("total")
        took = f"{total:7.1f} s" if isinstance(total, (int, float)) else "      –  "
        click.echo(
            f"{report.get('started')}  {report.get('status', '?'):<22} {took}  "
            f"new {counts.get('new', 0)} changed {counts.get('changed', 0)} removed {counts.get('removed', 0)} "
            f"unchanged {counts.get('unchanged', 0)} failed {counts.get('failed', 0)}  docs {after}"
            + ("  rebuilt" if report.get("rebuilt") else "")
        )


@main.command()
@index_dir_option
@wait_option
@click.pass_context
def optimize(ctx: click.Context, index_dir: Path | None, lock_wait: float | None) -> None:
    """Merge the index's segments into one (searches get faster after many nightly commits).

    Readers keep searching during the merge; the result is committed atomically.

    \b
    Example:
      hakemisto optimize --index-dir /srv/hakemisto/index
    """
    app = get_app(ctx, index_dir=index_dir, lock_wait=lock_wait)
    settings = app.settings
    done = app.optimize()
    before, after, removed, pruned = done.before, done.after, done.removed, done.pruned
    if pruned:
        click.echo(f"pruned {pruned} change-log run(s) older than {settings.changes_keep_days:g} days", err=True)
    if removed:
        click.echo(f"removed {len(removed)} leftover file(s) of an earlier crash: {', '.join(removed[:10])}")
    click.echo(
        f"optimized {settings.index_dir}: {before.segments} → {after.segments} segments, "
        f"{before.size_bytes / 1e6:.1f} → {after.size_bytes / 1e6:.1f} MB, {after.documents} documents"
    )


@main.command()
@click.option("--no-corpus", is_flag=True, help="Only check the index itself, not that it matches the corpus.")
@click.option("--path", "paths", multiple=True, type=click.Path(path_type=Path), help="Extra corpus path (as for nightly).")
@click.option("--repair", is_flag=True, help="Relink documents whose twin/duplicate links are wrong; remove crash leftovers.")
@index_dir_option
@wait_option
@click.option("--json", "as_json", is_flag=True, help="The findings as JSON.")
@click.pass_context
def check(
    ctx: click.Context,
    no_corpus: bool,
    paths: tuple[Path, ...],
    repair: bool,
    index_dir: Path | None,
    lock_wait: float | None,
    as_json: bool,
) -> None:
    """Verify the index: it opens, every stored document is whole, twin and duplicate links agree
    with a fresh computation, no crash left files behind, and it matches the corpus.

    Exits 1 and lists the problems when anything is wrong; --repair fixes links and leftovers
    (it takes the index's writer lock).

    \b
    Example:
      hakemisto check
      hakemisto check --no-corpus --json
      hakemisto check --repair --wait 600
    """
    app = get_app(ctx, index_dir=index_dir, lock_wait=lock_wait)
    settings = app.settings
    result = app.check(corpus=not no_corpus, extra_paths=_nightly_paths(paths), repair=repair)
    if as_json:
        echo_json({**result.to_dict(), "problems": [note_words(p) for p in result.problems],
                   "notes": [note_words(n) for n in result.notes]})
    else:
        click.echo(f"{settings.index_dir}: {result.documents} documents; " + ("ok" if result.ok else "PROBLEMS"))
        for line in result.repaired:
            click.echo(f"repaired: {line}")
        for problem in result.problems:
            click.echo(f"problem: {note_words(problem)}")
        for note in result.notes:
            click.echo(f"note: {note_words(note)}")
    ctx.exit(0 if result.ok else 1)


# --- web: serve (issue 6) -----------------------------------------------------------------------------


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on (keep 127.0.0.1 unless a proxy fronts it).")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True, help="Port to listen on.")
@click.option("--cache-size", type=click.IntRange(0), default=256, show_default=True,
              help="Recent searches and reports kept per index version and per worker (0 = off).")
@click.option("--workers", type=click.IntRange(1, 64), default=1, show_default=True,
              help="Server processes sharing the port (one core each; each keeps its own result cache).")
@index_dir_option
@click.pass_context
def serve(ctx: click.Context, host: str, port: int, cache_size: int, workers: int, index_dir: Path | None) -> None:
    """Serve the search, document, report and status pages and the JSON API (read only).

    Pages are in Finnish and Swedish; the API is described at /api/openapi.json.

    \b
    Example:
      hakemisto serve
      hakemisto serve --port 8080 --index-dir /srv/hakemisto/index
      hakemisto serve --workers 2        # both cores of a 2-core machine
      then open http://127.0.0.1:8000/?q=RRP
    """
    from hakemisto.web.serve import run

    settings = get_settings(ctx, index_dir=index_dir)
    click.echo(f"hakemisto: serving {settings.index_dir} on http://{host}:{port}/ with {workers} "
               f"process{'es' if workers > 1 else ''} (Ctrl-C stops)", err=True)
    try:
        run(settings, host, port, cache_size, workers)
    except OSError as exc:
        raise click.ClickException(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from exc


# --- planner report: report (issue 7) -------------------------------------------------------------


@main.command()
@click.option("--programme", help="Only pages in this programme (RRP, KATI, 'Tulevaisuuden sote-keskus').")
@click.option("--funder", help="Only pages naming this funder id (STM, NextGenerationEU/RRF, ESR…).")
@click.option("--region", "regions", multiple=True, help="Only these counties (repeatable; fi or sv name).")
@click.option("--query", help="Only pages matching these search words.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json", "csv", "markdown"]),
    default="table",
    show_default=True,
    help="Output format.",
)
@index_dir_option
@click.pass_context
def report(
    ctx: click.Context,
    programme: str | None,
    funder: str | None,
    regions: tuple[str, ...],
    query: str | None,
    fmt: str,
    index_dir: Path | None,
) -> None:
    """What other regions did: per county the pages, projects, funders, euro amounts, themes and contacts.

    Every county is listed, those without matching pages as such. An amount found on a Finnish page
    and its Swedish twin, or on a republished copy, is counted once in the totals.

    \b
    Example:
      hakemisto report --programme RRP
      hakemisto report --programme RRP --region Kainuu --region Österbotten --format markdown
      hakemisto report --funder STM --query hoitovelka --format csv > stm.csv
    """
    from hakemisto.app import RENDERERS

    result = get_app(ctx, index_dir=index_dir).report(programme=programme, funder=funder, regions=regions, query=query)
    if fmt == "json":
        echo_json({**result.to_dict(), "notes": [note_words(n) for n in result.notes]})
        return
    text = RENDERERS[fmt](replace(result, notes=tuple(note_words(n) for n in result.notes)))
    click.echo(text if fmt == "csv" else escape_controls(text), nl=False)


# --- crawler: sources, crawl (issue 4) ----------------------------------------------------------------


@main.command("sources")
@_sources_option
@click.option("--check", "check_file", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Validate this sources file and show what each include/exclude rule admits.")
@click.option("--url", "urls", multiple=True, help="With --check: a URL to try against the rules (repeatable).")
@corpus_dir_option
@click.option("--json", "as_json", is_flag=True, help="Print the registry (or the check) as JSON.")
@click.pass_context
def sources_command(ctx: click.Context, sources_file: Path | None, check_file: Path | None,
                    urls: tuple[str, ...], corpus_dir: Path | None, as_json: bool) -> None:  # fmt: skip
    """List the crawl sources: 21 wellbeing services counties, Helsinki and Innokylä.

    Unverified entries (domain not confirmed) are marked with '?'. With --check FILE the file is
    validated and every include/exclude rule (own or inherited from the built-in defaults) is shown
    with the URLs it matches among the source's seeds, sitemaps, already crawled URLs and --url.

    \b
    Example:
      hakemisto sources
      hakemisto sources --json
      hakemisto sources --sources my-sources.toml
      hakemisto sources --check my-sources.toml --url https://oma.example/sv/aktuellt/x
    """
    from hakemisto.app import source_to_dict

    if check_file is not None:
        checked = get_app(ctx, corpus_dir=corpus_dir).check_sources(check_file, urls)
        registry, results = checked.sources, checked.results
        if as_json:
            echo_json({"file": str(check_file), "ok": True, "sources": results})
            return
        click.echo(f"{check_file}: {len(registry)} source(s), valid")
        for result in results:
            click.echo(f"[{result['source']}] {len(result['urls'])} known URL(s)")
            for rule in result["rules"]:
                click.echo(f"  {rule['kind']:<7} {rule['pattern']!r} ({rule['origin']}): {len(rule['matches'])} match")
                for url in rule["matches"][:5]:
                    click.echo(f"      {url}")
            for verdict in result["urls"]:
                click.echo(f"  {'+' if verdict['followed'] else '-'} {verdict['url']}  ({verdict['reason']})")
        return
    registry = get_app(ctx, sources_file=sources_file).sources()
    if as_json:
        echo_json([source_to_dict(s) for s in registry.values()])
        return
    for s in registry.values():
        mark = " " if s.verified else "?"
        click.echo(f"{mark} {s.key:<18} {s.name_fi:<18} {s.name_sv or '–':<22} {', '.join(s.domains)}")
    click.echo(f"{len(registry)} sources ('?' = domain not verified)", err=True)


@main.command()
@click.option("--region", "regions", multiple=True, help="Only this region or source key (repeatable; fi or sv name).")
@page_budget_option
@click.option("--since", type=click.DateTime(["%Y-%m-%d"]), default=None, help="Skip pages last changed before this date (YYYY-MM-DD).")
@_sources_option
@index_dir_option
@corpus_dir_option
@wait_option
@click.option("--no-ingest", is_flag=True, help="Only store snapshots; do not update the index.")
@click.option("--json", "as_json", is_flag=True, help="Print the crawl summary as JSON.")
@click.pass_context
def crawl(
    ctx: click.Context,
    regions: tuple[str, ...],
    max_pages: int | None,
    since: Any,
    sources_file: Path | None,
    index_dir: Path | None,
    corpus_dir: Path | None,
    lock_wait: float | None,
    no_ingest: bool,
    as_json: bool,
) -> None:
    """Fetch new and changed pages politely into corpus/crawl, then index them.

    Obeys robots.txt (and its Crawl-delay), waits between requests to one host, retries
    timeouts/429/5xx with backoff, and sends ETag / If-Modified-Since so unchanged pages cost a 304.
    An interrupted crawl resumes where it stopped. Unreachable sources are named, one line each,
    and make the exit code 1.

    \b
    Example:
      hakemisto crawl --region Pohjanmaa --max-pages 50
      hakemisto crawl --since 2024-01-01 --json
      hakemisto crawl --sources my-sources.toml --no-ingest
      hakemisto crawl --corpus-dir /srv/corpus --max-pages 200
    """
    app = get_app(ctx, sources_file=sources_file, index_dir=index_dir, corpus_dir=corpus_dir,
                  page_budget=max_pages, lock_wait=lock_wait)  # fmt: skip
    quiet_log = as_json and not sys.stderr.isatty()
    run = app.crawl(
        regions,
        since=since,
        ingest=not no_ingest,
        log=None if quiet_log else (lambda msg: click.echo(msg, err=True)),
        progress=Progress(enabled=not quiet_log),
    )
    report = run.crawl
    data = report.to_dict()
    ingest_summary = run.ingest.to_dict() if run.ingest is not None else None
    data["ingest"] = ingest_summary
    for source in report.unreachable:
        click.echo(f"unreachable: {source.source}: {source.unreachable}", err=True)
    if as_json:
        echo_json(data)
    else:
        reasons = ", ".join(f"{note_words(k)} {v}" for k, v in data["skipped_by_reason"].items()) or "none"
        click.echo(
            f"{data['sources']} sources, {data['requests']} requests: {data['fetched']} fetched, "
            f"{data['not_modified']} not modified (304), {data['stored']} stored, {data['unchanged']} unchanged, "
            f"{data['skipped']} skipped ({reasons}), {len(data['failed'])} failed"
            + (f", {data['pending']} left for the next run" if data["pending"] else "")
        )
        if ingest_summary is not None:
            click.echo(f"index: {ingest_summary.get('new', 0)} new, {ingest_summary.get('changed', 0)} changed documents")
    if report.unreachable:
        ctx.exit(1)


# Command groups kept in their own modules register themselves on ``main`` when imported.
# cli_projects, cli_scale, cli_watch add their commands when first named (LAZY_COMMANDS).
