"""The web application: server-rendered pages and a JSON API over ``search``, ``report`` and ``index``.

A thin shell: every route validates its parameters (one Pydantic model shared by the page and the
API, so both accept exactly what the CLI accepts), calls the library and renders. Nothing here can
write the index or start a crawl: the only methods served are GET and HEAD.
"""

from __future__ import annotations

import os
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from functools import cache
from pathlib import Path
from typing import Annotated, Any, Literal

import anyio.to_thread
from fastapi import APIRouter, FastAPI, Query, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, PackageLoader, select_autoescape
from pydantic import BaseModel, ConfigDict, Field, model_validator
from starlette.datastructures import MutableHeaders
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from hakemisto import __version__
from hakemisto.app import (
    EURO_COLUMNS,
    LRU,
    MAX_AMOUNT,
    MAX_LIMIT,
    TABLE_COLUMNS,
    UNKNOWN_REGION,
    Filters,
    Hakemisto,
    HakemistoError,
    IndexMissingError,
    Project,
    ProjectFilters,
    ProjectSet,
    Report,
    SearchResults,
    Settings,
    UsageError,
    all_regions,
    reason_text,
    render_csv,
    resolve_filter,
    table_rows,
    to_csv,
    to_xlsx,
)
from hakemisto.web import present

MAX_QUERY_CHARS = 200
MAX_PAGE_SIZE = 50
MAX_PAGE = 200
DEFAULT_CACHE_SIZE = 256
CPU_THREADS = int(os.environ.get("HAKEMISTO_WEB_THREADS", "1"))
LANG_COOKIE = "hakemisto_lang"
LANG_COOKIE_AGE = 365 * 24 * 3600
STATIC_DIR = Path(__file__).parent / "static"

SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
        "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
}

assert MAX_PAGE_SIZE <= MAX_LIMIT


class ResponseHeaders:
    """Security headers on every response, plus ``Server-Timing`` (the app's own time, which the
    benchmark reads; queueing in the client is not the server's time). Plain ASGI: no extra task."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in SECURITY_HEADERS.items():
                    headers[name] = value
                headers["Server-Timing"] = f"app;dur={(time.perf_counter() - started) * 1000:.1f}"
            await send(message)

        await self.app(scope, receive, send_with_headers)


# --- parameters: one model per page, shared with its API twin -----------------------------------


class _Params(BaseModel):
    """Unknown parameters are refused (422), and empty form fields mean 'not given'."""

    model_config = ConfigDict(extra="forbid")

    @model_validator(mode="before")
    @classmethod
    def _blank_is_missing(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        cleaned: dict[str, Any] = {}
        for key, value in data.items():
            if isinstance(value, list):
                value = [v for v in value if not (isinstance(v, str) and not v.strip())]
            elif isinstance(value, str) and not value.strip():
                continue
            cleaned[key] = value
        return cleaned


class SearchParams(_Params):
    q: str = Field("", max_length=MAX_QUERY_CHARS, description="Search words, Finnish or Swedish, any inflection.")
    region: list[Annotated[str, Field(max_length=100)]] = Field(
        default_factory=list, max_length=30,
        description="County: fi or sv name in any form, a municipality (Vaasa), ä/ö optional. Repeat for several (any matches).")
    lang: Literal["fi", "sv"] | None = Field(None, description="Only documents in this language.")
    funder: list[Annotated[str, Field(max_length=100)]] = Field(
        default_factory=list, max_length=30,
        description="Funder: id, acronym or full fi/sv name (STM, Sosiaali- ja terveysministeriö). Repeatable.")
    programme: list[Annotated[str, Field(max_length=100)]] = Field(
        default_factory=list, max_length=30,
        description="Programme: id or full fi/sv name (RRP, Suomen kestävän kasvun ohjelma). Repeatable.")
    year: int | None = Field(None, ge=1900, le=2100, description="Published or funded in this year.")
    min_amount: float | None = Field(None, ge=0, le=MAX_AMOUNT, allow_inf_nan=False,
                                     description="Only documents with a euro amount at least this large.")
    sort: Literal["relevance", "date", "amount"] = Field(
        "relevance", description="Order: best match, newest first, or largest euro amount first.")
    limit: int = Field(10, ge=1, le=MAX_PAGE_SIZE, description="Results per page.")
    page: int = Field(1, ge=1, le=MAX_PAGE, description="Result page.")

    def filters(self) -> Filters:
        return Filters(self.region or None, self.lang, self.funder or None, self.programme or None,
                       self.year, self.min_amount)

    def as_query(self) -> dict[str, Any]:
        """The parameters that differ from the defaults, for building links."""
        return self.model_dump(exclude_defaults=True)


class ReportParams(_Params):
    programme: str | None = Field(None, max_length=100, description="Programme: RRP, KATI…")
    funder: str | None = Field(None, max_length=100, description="Funder id: STM, ESR…")
    region: list[str] = Field(default_factory=list, max_length=30, description="Counties (repeat the parameter).")
    q: str | None = Field(None, max_length=MAX_QUERY_CHARS, description="Only documents matching these words.")

    def as_query(self) -> dict[str, Any]:
        return self.model_dump(exclude_defaults=True)


class ProjectsParams(_Params):
    programme: str | None = Field(None, max_length=100, description="Programme: RRP, KATI…")
    region: str | None = Field(None, max_length=100, description="County, fi or sv name.")
    funder: str | None = Field(None, max_length=100, description="Funder id: STM, ESR…")
    year: int | None = Field(None, ge=1900, le=2100, description="Running or funded in this year.")
    status: Literal["planned", "applied", "started", "ongoing", "ended"] | None = Field(None, description="State.")
    sort: Literal["county", "granted", "period", "name"] = Field("county", description="Sort column.")
    order: Literal["asc", "desc"] = Field("asc", description="Sort direction.")

    def as_query(self) -> dict[str, Any]:
        return self.model_dump(exclude_defaults=True)


class ContactsParams(_Params):
    region: str | None = Field(None, max_length=100, description="County, fi or sv name.")
    project: str | None = Field(None, max_length=200, description="Project name (any language) or id.")


class NoParams(_Params):
    """For pages that take no parameters: anything given is a mistake worth saying."""


# --- the shell: settings, UI language, rendering ---------------------------------------------------


def _settings(request: Request) -> Settings:
    return request.app.state.settings


def _app(request: Request) -> Hakemisto:
    """The library façade over this server's index: the routes call it and nothing below it."""
    return request.app.state.hakemisto


def _ui_lang(request: Request) -> str:
    return present.pick_ui_lang(request.cookies.get(LANG_COOKIE), request.headers.get("accept-language"))


def _templates() -> Environment:
    env = Environment(
        loader=PackageLoader("hakemisto.web", "templates"),
        autoescape=select_autoescape(["html", "svg"], default=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(
        eur=present.format_eur,
        num=present.format_int,
        date=present.format_date,
        datetime=present.format_datetime,
        bytes=present.format_bytes,
        safe_url=present.safe_url,
        snippet=present.snippet_html,
        doc_path=present.doc_path,
    )
    env.globals.update(page_url=present.page_url, version=__version__, note_text=present.note_text,
                       county_of=resolve_filter)
    return env


def render(request: Request, template: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    ui = _ui_lang(request)
    here = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    html = request.app.state.templates.get_template(template).render(
        t=present.texts()[ui], ui=ui, here=here, path=request.url.path, **context
    )
    return HTMLResponse(html, status_code=status_code)


def _is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def _validation_messages(exc: RequestValidationError) -> list[dict[str, Any]]:
    """Pydantic's errors, with the two a planner meets most said plainly."""
    out: list[dict[str, Any]] = []
    for error in exc.errors():
        loc = [str(part) for part in error.get("loc", ())]
        name = loc[-1] if loc else "?"
        item = {"loc": loc, "type": error.get("type"), "msg": error.get("msg", "")}
        if error.get("type") == "extra_forbidden":
            item["msg"] = f"unknown parameter '{name}'"
        elif error.get("type") == "string_too_long":
            item["msg"] = f"'{name}' is too long: {error.get('msg', '')}"
        else:
            item["msg"] = f"'{name}': {item['msg']}"
        out.append(item)
    return out


async def _on_validation_error(request: Request, exc: RequestValidationError) -> Response:
    errors = _validation_messages(exc)
    if _is_api(request):
        return JSONResponse({"detail": errors}, status_code=422)
    t = present.texts()[_ui_lang(request)]
    return render(request, "error.html", 422, kind="bad_request",
                  messages=[present.validation_text(e, t) for e in exc.errors()])


async def _on_library_error(request: Request, exc: HakemistoError) -> Response:
    status = 400 if isinstance(exc, UsageError) else 503 if isinstance(exc, IndexMissingError) else 500
    if _is_api(request):
        body: dict[str, Any] = {"detail": str(exc)}
        if getattr(exc, "code", ""):
            body.update(code=exc.code, params=exc.params)
        return JSONResponse(body, status_code=status)
    kind = "index_missing" if status == 503 else "bad_request" if status == 400 else "unavailable"
    # The library's English text stays out of the fi/sv page: usage errors are said in the UI language.
    messages = [present.error_text(exc, present.texts()[_ui_lang(request)])] if status == 400 else []
    return render(request, "error.html", status, kind=kind, messages=messages)


async def _on_http_error(request: Request, exc: StarletteHTTPException) -> Response:
    if _is_api(request) or exc.status_code not in (404, 405):
        return JSONResponse({"detail": exc.detail}, status_code=exc.status_code, headers=exc.headers)
    return render(request, "error.html", exc.status_code, kind="not_found", messages=[])


# --- library calls (the only places the routes touch the core) -------------------------------------




def _search(request: Request, params: SearchParams) -> SearchResults:
    hk = _app(request)
    key = ("search", hk.generation(), params.model_dump_json())
    return request.app.state.cache.get(key, lambda: hk.search(
        params.q, params.filters(), limit=params.limit, page=params.page, sort=params.sort))


def _report(request: Request, params: ReportParams) -> Report:
    hk = _app(request)
    key = ("report", hk.generation(), params.model_dump_json())
    return request.app.state.cache.get(key, lambda: hk.report(
        programme=params.programme, funder=params.funder, regions=params.region or None, query=params.q))


def _records(request: Request) -> ProjectSet:
    hk = _app(request)
    return request.app.state.cache.get(("projects", hk.generation()), hk.project_records)


def _projects(request: Request, params: ProjectsParams) -> tuple[ProjectFilters, list[Project]]:
    """The records the filters select, in the asked order (the same for the page, the API and files)."""
    chosen = _app(request).projects(programme=params.programme, region=params.region, funder=params.funder,
                                    year=params.year, status=params.status, sort=params.sort,
                                    descending=params.order == "desc", records=_records(request))
    return chosen.filters, chosen.projects


def _project_file_name(params: ProjectsParams, ext: str) -> str:
    name = "-".join(["hakemisto-hankkeet", *(str(v) for v in (params.programme, params.region, params.year) if v)])
    return "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in name) + "." + ext


@cache
def _region_names() -> dict[str, str]:
    """Canonical (fi) county name → Swedish name, for the Swedish interface."""
    return {r.canonical: r.sv for r in all_regions()}


# --- pages ---------------------------------------------------------------------------------------------

pages = APIRouter(include_in_schema=False)


@pages.get("/", response_class=HTMLResponse)
def search_page(request: Request, params: Annotated[SearchParams, Query()]) -> HTMLResponse:
    results = _search(request, params)
    return render(request, "search.html", params=params, query=params.as_query(), results=results,
                  region_names=_region_names(), max_query=MAX_QUERY_CHARS)


@pages.get("/documents/{doc_id:path}", response_class=HTMLResponse)
def document_page(request: Request, doc_id: str, params: Annotated[NoParams, Query()]) -> HTMLResponse:
    doc = _app(request).document(doc_id)
    if doc is None:
        raise StarletteHTTPException(404, f"no document with id '{doc_id}'")
    return render(request, "document.html", doc=doc, region_names=_region_names())


@pages.get("/report", response_class=HTMLResponse)
def report_page(request: Request, params: Annotated[ReportParams, Query()]) -> HTMLResponse:
    report = _report(request, params)
    chart = present.bar_chart([(r.region, r.total_eur) for r in report.regions if r.total_eur])
    return render(request, "report.html", params=params, query=params.as_query(), report=report, chart=chart,
                  region_names=_region_names(), reason=reason_text, unknown_region=UNKNOWN_REGION)


@pages.get("/report.csv")
def report_csv(request: Request, params: Annotated[ReportParams, Query()]) -> Response:
    body = render_csv(_report(request, params))
    name = "-".join(["hakemisto-raportti", *(v for v in (params.programme, params.funder) if v)])
    safe_name = "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in name)
    return Response(body, media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{safe_name}.csv"'})


@pages.get("/projects", response_class=HTMLResponse)
def projects_page(request: Request, params: Annotated[ProjectsParams, Query()]) -> HTMLResponse:
    filters, rows = _projects(request, params)
    records = _records(request)
    choices = {
        "programmes": sorted({x for p in records.projects for x in p.programmes}),
        "funders": sorted({x for p in records.projects for x in p.funders}),
        "regions": [r for r in _region_names() if any(p.region == r for p in records.projects)],
    }
    return render(request, "projects.html", params=params, query=params.as_query(), rows=rows,
                  filters=filters, choices=choices, region_names=_region_names(),
                  granted_total=sum(p.granted_eur for p in rows if p.region))


@pages.get("/projects.csv")
def projects_csv(request: Request, params: Annotated[ProjectsParams, Query()]) -> Response:
    _, rows = _projects(request, params)
    body = to_csv(TABLE_COLUMNS, table_rows(rows))
    return Response(body.encode("utf-8"), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{_project_file_name(params, "csv")}"'})


@pages.get("/projects.xlsx")
def projects_xlsx(request: Request, params: Annotated[ProjectsParams, Query()]) -> Response:
    _, rows = _projects(request, params)
    body = to_xlsx(TABLE_COLUMNS, table_rows(rows), sheet="projects", euro_columns=EURO_COLUMNS)
    return Response(body, media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    headers={"Content-Disposition": f'attachment; filename="{_project_file_name(params, "xlsx")}"'})


@pages.get("/projects/{project_id}", response_class=HTMLResponse)
def project_page(request: Request, project_id: str, params: Annotated[NoParams, Query()]) -> HTMLResponse:
    record = _app(request).project(project_id, records=_records(request))
    if record is None:
        raise StarletteHTTPException(404, f"no project with id '{project_id}'")
    return render(request, "project.html", p=record, region_names=_region_names(), reason=reason_text)


@pages.get("/contacts", response_class=HTMLResponse)
def contacts_page(request: Request, params: Annotated[ContactsParams, Query()]) -> HTMLResponse:
    people = _app(request).contacts(region=params.region, project=params.project, records=_records(request))
    return render(request, "contacts.html", params=params, people=people, region_names=_region_names())


@pages.get("/about", response_class=HTMLResponse)
def about_page(request: Request, params: Annotated[NoParams, Query()]) -> HTMLResponse:
    hk = _app(request)
    try:
        stats = hk.stats()
    except IndexMissingError:
        stats = None
    run = hk.last_run()
    return render(request, "about.html", stats=stats, run=run,
                  region_names=_region_names())


@pages.get("/lang/{code}")
def switch_language(code: Literal["fi", "sv"], next: str = "/") -> RedirectResponse:
    """Remember the interface language in a cookie (works without JavaScript), then go back."""
    response = RedirectResponse(present.safe_next(next), status_code=303)
    response.set_cookie(LANG_COOKIE, code, max_age=LANG_COOKIE_AGE, samesite="lax", httponly=True)
    return response


# --- JSON API --------------------------------------------------------------------------------------------

api = APIRouter(prefix="/api", tags=["api"])


@api.get("/search", summary="Search (same parameters as `hakemisto search`)")
def api_search(request: Request, params: Annotated[SearchParams, Query()]) -> dict[str, Any]:
    return _search(request, params).to_dict()


@api.get("/facets", summary="Facet counts of a search (region, funders, programmes, years, lang)")
def api_facets(request: Request, params: Annotated[SearchParams, Query()]) -> dict[str, Any]:
    results = _search(request, params.model_copy(update={"limit": 1, "page": 1}))
    return {"query": results.query, "total": results.total, "filters": results.filters, "facets": results.facets}


@api.get("/report", summary="Regional report (same parameters as `hakemisto report`)")
def api_report(request: Request, params: Annotated[ReportParams, Query()]) -> dict[str, Any]:
    return jsonable_encoder(_report(request, params).to_dict())


@api.get("/projects", summary="Project records (same filters as `hakemisto projects`)")
def api_projects(request: Request, params: Annotated[ProjectsParams, Query()]) -> dict[str, Any]:
    filters, rows = _projects(request, params)
    return jsonable_encoder({"filters": vars(filters),
                             "projects": [p.to_dict() for p in rows]})


@api.get("/projects/{project_id}", summary="One project record with every amount, reason, contact and page")
def api_project(request: Request, project_id: str, params: Annotated[NoParams, Query()]) -> dict[str, Any]:
    record = _app(request).project(project_id, records=_records(request))
    if record is None:
        raise StarletteHTTPException(404, f"no project with id '{project_id}'; list them with /api/projects")
    return jsonable_encoder(record.to_dict())


@api.get("/contacts", summary="The contact directory (same filters as `hakemisto contacts`)")
def api_contacts(request: Request, params: Annotated[ContactsParams, Query()]) -> list[dict[str, Any]]:
    from dataclasses import asdict

    people = _app(request).contacts(region=params.region, project=params.project, records=_records(request))
    return jsonable_encoder([asdict(p) for p in people])


@api.get("/documents/{doc_id:path}", summary="One document with its extracted facts")
def api_document(request: Request, doc_id: str, params: Annotated[NoParams, Query()]) -> dict[str, Any]:
    doc = _app(request).document(doc_id)
    if doc is None:
        raise StarletteHTTPException(404, f"no document with id '{doc_id}'; find ids with /api/search")
    return jsonable_encoder(doc.to_dict())


@api.get("/health", summary="Is the index there, and how many documents does it hold")
def api_health(request: Request, params: Annotated[NoParams, Query()]) -> JSONResponse:
    try:
        documents = _app(request).document_count()
    except IndexMissingError as exc:
        return JSONResponse({"status": "no-index", "detail": str(exc), "version": __version__}, status_code=503)
    return JSONResponse({"status": "ok", "documents": documents, "version": __version__})


# --- the application -----------------------------------------------------------------------------------


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Run at most ``threads`` (default 1, ``HAKEMISTO_WEB_THREADS``) page computations at once.

    Searching and rendering are pure Python, so threads only take turns on the GIL: four interleaved
    requests all finish late (measured p95 134 ms at 4 concurrent clients) where queued ones finish
    one after another. Waiting for a slot counts in the ``Server-Timing`` the benchmark reads.
    """
    anyio.to_thread.current_default_thread_limiter().total_tokens = app.state.threads
    yield


def create_app(settings: Settings, cache_size: int = DEFAULT_CACHE_SIZE, threads: int = CPU_THREADS) -> FastAPI:
    """The application over the index in ``settings.index_dir`` (read only); ``cache_size`` recent
    searches and reports are kept per index generation (0 turns the cache off); ``threads`` pages are
    computed at once (more only helps when a request waits on disk rather than the CPU)."""
    app = FastAPI(
        title="hakemisto",
        version=__version__,
        description="Search and regional report over Finnish wellbeing services counties' development "
        "projects (fi/sv). Read only.",
        docs_url=None,
        redoc_url=None,
        openapi_url="/api/openapi.json",
        lifespan=_lifespan,
    )
    app.state.settings = settings
    app.state.hakemisto = Hakemisto(settings)
    app.state.templates = _templates()
    app.state.cache = LRU(cache_size)
    app.state.threads = max(1, threads)
    app.add_exception_handler(RequestValidationError, _on_validation_error)
    app.add_exception_handler(HakemistoError, _on_library_error)
    app.add_exception_handler(StarletteHTTPException, _on_http_error)

    app.add_middleware(ResponseHeaders)
    app.include_router(pages)
    app.include_router(api)
    from hakemisto.web.feeds import feeds

    app.include_router(feeds)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    return app

