"""CLI commands over project records: ``projects``, ``contacts`` and ``eval-projects``.

Kept apart from ``cli.py`` (which registers them) so the project commands read as one unit; the
commands are thin: the records, tables and formats live in ``projects``, ``export`` and ``fmt``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from hakemisto.app import (
    EURO_COLUMNS,
    STATUSES,
    TABLE_COLUMNS,
    Person,
    Project,
    UsageError,
    format_eur,
    reason_text,
    table_rows,
    to_csv,
    to_xlsx,
)
from hakemisto.cli import echo_json, get_app, index_dir_option, main


def _write_out(data: str | bytes, output: Path | None) -> None:
    """Text to stdout, or to FILE; binary (xlsx) only to a file."""
    if output is None:
        if isinstance(data, bytes):
            raise UsageError("--format xlsx writes a workbook: give --output FILE.xlsx")
        click.echo(data, nl=False)
        return
    try:
        if isinstance(data, bytes):
            output.write_bytes(data)
        else:
            output.write_text(data, encoding="utf-8", newline="")
    except OSError as exc:
        raise UsageError(f"cannot write {output}: {exc.strerror or exc}") from None
    click.echo(f"wrote {output}", err=True)


def _project_table(rows: list[Project]) -> str:
    lines = []
    for p in rows:
        lead = p.lead_contact
        money = [f"granted {format_eur(p.granted_eur)}" if p.granted_eur else "granted –"]
        for role in ("applied", "budget", "cost"):
            if p.total(role):
                money.append(f"{role} {format_eur(p.total(role))}")
        head = f"{p.region or '(national)'} · {p.name}"
        if p.names or p.acronyms:
            head += f"  (also: {'; '.join((*p.acronyms, *p.names))})"
        lines.append(head)
        lines.append(f"  programmes: {', '.join(p.programmes) or '–'}   period: {p.period or '–'}"
                     f"   status: {p.status or '–'}")
        lines.append("  " + ", ".join(money))
        if lead:
            lines.append("  contact: " + ", ".join(x for x in (lead.name, lead.title, lead.phone, lead.email) if x))
        for a in p.amounts:
            mark = "counted" if a.counted else f"not counted: {reason_text(a.reason)}"
            lines.append(f"    {format_eur(a.eur)} {a.role or '?'} ({a.text}) [{mark}] {a.link}")
        for page in p.pages:
            lines.append(f"  page: {page.title} [{page.lang}] {page.link}")
        lines.append("")
    return "\n".join(lines).replace("\u00a0", " ")


@main.command()
@click.option("--programme", help="Only projects of this programme (RRP, KATI, 'Tulevaisuuden sote-keskus').")
@click.option("--region", help="Only this county (fi or sv name).")
@click.option("--funder", help="Only projects with this funder id (STM, NextGenerationEU/RRF, ESR…).")
@click.option("--year", type=int, help="Only projects running or funded in this year.")
@click.option("--status", type=click.Choice(STATUSES), help="Only projects in this state.")
@click.option("--format", "fmt_name", type=click.Choice(["table", "json", "csv", "xlsx"]), default="table",
              show_default=True, help="csv: ';' and a BOM for Finnish Excel; xlsx: a workbook (needs --output).")
@click.option("--json", "as_json", is_flag=True, help="Same as --format json.")
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path), help="Write to FILE instead of stdout.")
@index_dir_option
@click.pass_context
def projects(ctx: click.Context, programme: str | None, region: str | None, funder: str | None,
             year: int | None, status: str | None, fmt_name: str, as_json: bool, output: Path | None,
             index_dir: Path | None) -> None:
    """One row per project: county, name, programme, period, granted / applied / budget €, lead contact.

    Only granted money of a county's own projects is a granted sum; applied, budget and cost money
    has its own columns, and every amount left out says why.

    \b
    Example:
      hakemisto projects --programme RRP
      hakemisto projects --region Pohjanmaa --format csv --output pohjanmaa.csv
      hakemisto projects --programme RRP --format xlsx --output rrp.xlsx
    """
    chosen = get_app(ctx, index_dir=index_dir).projects(programme=programme, region=region, funder=funder, year=year,
                                                        status=status)
    filters, rows = chosen.filters, chosen.projects
    fmt_name = "json" if as_json else fmt_name
    if fmt_name == "json":
        data: str | bytes = json.dumps({"filters": vars(filters), "projects": [p.to_dict() for p in rows]},
                                       ensure_ascii=False, default=str) + "\n"
    elif fmt_name == "csv":
        data = to_csv(TABLE_COLUMNS, table_rows(rows))
    elif fmt_name == "xlsx":
        data = to_xlsx(TABLE_COLUMNS, table_rows(rows), sheet="projects", euro_columns=EURO_COLUMNS)
    else:
        data = _project_table(rows) or "No project matches these filters.\n"
        data = f"{len(rows)} projects\n\n" + data
    _write_out(data, output)


CONTACT_COLUMNS = ("name", "titles", "projects", "organization", "region", "phone", "email", "last_seen", "pages")


def _contact_rows(people: list[Person]) -> list[list[Any]]:
    return [[p.name, "; ".join(p.titles), "; ".join(p.project_names), "; ".join(p.organizations),
             "; ".join(p.regions), p.phone, p.email, p.last_seen, " ".join(p.pages)] for p in people]


@main.command()
@click.option("--region", help="Only people seen on this county's pages (fi or sv name).")
@click.option("--project", help="Only people of the projects matching this name (any language, acronym).")
@click.option("--json", "as_json", is_flag=True, help="A JSON list, one object per person.")
@click.option("--csv", "as_csv", is_flag=True, help="';'-separated with a BOM, for Finnish Excel.")
@index_dir_option
@click.pass_context
def contacts(ctx: click.Context, region: str | None, project: str | None, as_json: bool, as_csv: bool,
             index_dir: Path | None) -> None:
    """The contact directory: one row per person across pages and languages.

    \b
    Example:
      hakemisto contacts --region Keski-Pohjanmaa
      hakemisto contacts --project "Prima Botnia" --json
    """
    people = get_app(ctx, index_dir=index_dir).contacts(region=region, project=project)
    if as_json:
        from dataclasses import asdict

        echo_json([asdict(p) for p in people])
    elif as_csv:
        click.echo(to_csv(CONTACT_COLUMNS, _contact_rows(people)), nl=False)
    else:
        if not people:
            click.echo("No contact matches these filters.")
        for p in people:
            click.echo(", ".join(x for x in (p.name, "; ".join(p.titles), "; ".join(p.organizations),
                                               p.phone, p.email) if x))
            if p.project_names:
                click.echo(f"  projects: {'; '.join(p.project_names)}")
            click.echo(f"  last seen {p.last_seen or '–'} on {len(p.pages)} page(s): {' '.join(p.pages)}")


@main.command("eval-projects")
@click.argument("split_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--docs", "docs_dir", type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="Pages to extract (default: SPLIT_DIR/docs).")
@click.option("--json", "as_json", is_flag=True, help="Scores as JSON.")
@click.option("--show-heldout-details", is_flag=True,
              help="Also list project names for a split under a 'heldout' directory (default: counts only).")
@click.pass_context
def eval_projects(ctx: click.Context, split_dir: Path, docs_dir: Path | None, as_json: bool,
                  show_heldout_details: bool) -> None:
    """Project records of SPLIT_DIR/docs against SPLIT_DIR/projects-*.json: recall, precision, granted € within 1 %.

    Precision is given strict and by the gold README's rule (a record known only by its programme's
    name that matches no gold project is neither required nor penalised). A split under a 'heldout'
    directory prints numbers only: missed / extra / matched projects as counts, never their names.

    \b
    Example:
      hakemisto eval-projects tests/pages/dev
      hakemisto eval-projects tests/pages/heldout --json
    """
    scores = get_app(ctx).eval_projects(split_dir, docs_dir, show_heldout_details)
    if as_json:
        echo_json(scores)
        return
    click.echo(f"gold projects {scores['gold']}, records {scores['records']}, matched {scores['matched']}")
    click.echo(f"recall {scores['recall']:.3f}  precision {scores['precision']:.3f} (strict), "
               f"{scores['precision_readme_rule']:.3f} (gold README rule: {scores['programme_only_unmatched']} "
               f"programme-only records left out)  granted within 1 %: {scores['granted_within_1pct']:.3f} "
               f"({scores['granted_checked']} matched projects; "
               f"{scores['granted_within_1pct_stated']:.3f} of the {scores['granted_stated_checked']} with a stated grant)")
    if not isinstance(scores["missed"], list):
        click.echo(f"  held out: {scores['missed']} missed, {scores['unmatched_records']} not in gold "
                   "(names not shown)")
        return
    for miss in scores["missed"]:
        click.echo(f"  missed: {miss}")
    for extra in scores["unmatched_records"][:20]:
        click.echo(f"  not in gold: {extra}")
