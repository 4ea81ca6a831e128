"""Atom feeds of the change digest: ``/feeds/digest.atom`` and ``/feeds/watch/{name}.atom``.

Read only, like the rest of the web app: a watch's feed shows the recent entries its filter selects
and never moves the watch's delivery mark (that belongs to ``hakemisto watch run``). Entry ids are
stable (``urn:hakemisto:change:<run+document hash>``), so feed readers never repeat an entry.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from hakemisto.app import NAME_RE, Hakemisto, UsageError, labels, render_atom

ATOM_TYPE = "application/atom+xml; charset=utf-8"
MAX_ENTRIES = 200

feeds = APIRouter(include_in_schema=False)


class FeedParams(BaseModel):
    model_config = ConfigDict(extra="forbid")

    region: list[str] = Field(default_factory=list, max_length=30)
    programme: list[str] = Field(default_factory=list, max_length=10)
    q: str | None = Field(None, max_length=500)
    lang: Literal["fi", "sv"] = "fi"
    days: int = Field(30, ge=1, le=3650)


class WatchFeedParams(BaseModel):
    model_config = ConfigDict(extra="forbid")

    lang: Literal["fi", "sv"] | None = None
    days: int = Field(30, ge=1, le=3650)


def _hakemisto(request: Request) -> Hakemisto:
    return request.app.state.hakemisto


def _atom(request: Request, digest_title: str, feed_id: str, filt: Any, days: int, lang: str) -> Response:
    since = datetime.now(UTC) - timedelta(days=days)
    digest = _hakemisto(request).feed_digest(filt, since=since, lang=lang, title=digest_title,
                                             max_entries=MAX_ENTRIES)
    body = render_atom(digest, feed_id=feed_id, self_url=str(request.url), link=str(request.base_url))
    return Response(body, media_type=ATOM_TYPE)


@feeds.get("/feeds/digest.atom")
def digest_feed(request: Request, params: Annotated[FeedParams, Query()]) -> Response:
    """What changed in the last ``days`` days, for any county/programme/query selection."""
    filt = _hakemisto(request).digest_filter([r for r in params.region if r.strip()],
                                             [p for p in params.programme if p.strip()], params.q)
    key = "|".join([*filt.regions, "", *filt.programmes, "", filt.query or ""])
    return _atom(request, labels(params.lang)["title"], f"urn:hakemisto:digest:{key}", filt, params.days, params.lang)


@feeds.get("/feeds/watch/{name}.atom")
def watch_feed(request: Request, name: str, params: Annotated[WatchFeedParams, Query()]) -> Response:
    """A saved search as a feed (the watch's own language unless ``lang`` says otherwise)."""
    try:
        if not NAME_RE.match(name):
            raise UsageError(f"no watch named '{name}'")
        watch = _hakemisto(request).watch(name, read_only=True)
    except UsageError as exc:
        raise StarletteHTTPException(404, str(exc)) from None
    lang = params.lang or watch.lang
    title = labels(lang)["watch_title"].format(name=watch.name)
    return _atom(request, title, f"urn:hakemisto:watch:{watch.name}", watch.filter, params.days, lang)
