"""Route handlers: the event page, timeline + map, sign-in and review actions.

Each handler reads through Datasette's connections (``execute_fn``) and
writes through its single write connection (``execute_write_fn``), so the web
app and Datasette's own views never fight over the SQLite file.
"""

from __future__ import annotations

import json
import sqlite3
from collections import defaultdict
from datetime import date, timedelta
from typing import Any
from urllib.parse import urlencode, urlsplit

from datasette.filters import Filters
from datasette.utils import escape_fts, tilde_decode
from datasette.utils.asgi import Forbidden, Response

from ..errors import UsageError
from ..store import EVENT_COLUMNS
from . import auth, review
from .highlight import FIELD_GROUPS, Span, field_group, highlight

REVIEWER_KEY = "fieldreport_reviewer"
EVENT_TYPE_COLOURS = {
    "Battles": "#c0392b", "Explosions/Remote violence": "#e67e22", "Violence against civilians": "#8e44ad",
    "Protests": "#2980b9", "Riots": "#16a085", "Strategic developments": "#7f8c8d",
}
MAX_MAP_POINTS = 5000  # distinct places; beyond this the map shows the busiest ones


class HTTPError(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


# --- helpers -------------------------------------------------------------------

def _database(datasette: Any) -> Any:
    return datasette.get_database()


async def _ensure_can_read(datasette: Any, request: Any) -> None:
    db = _database(datasette)
    await datasette.ensure_permissions(request.actor, [
        ("view-table", (db.name, "events")), ("view-database", db.name), "view-instance",
    ])
    if not await datasette.permission_allowed(request.actor, "view-instance", default=True):
        raise Forbidden("sign in to browse this database")


def _reviewer(datasette: Any, request: Any) -> str:
    """The signed-in reviewer's name, or 403. The account must still exist in the database."""
    actor = request.actor or {}
    name = actor.get("id") if actor.get(REVIEWER_KEY) else None
    if not name:
        raise HTTPError(403, "review actions need a signed-in reviewer: sign in at /-/login")
    conn = sqlite3.connect(_database(datasette).path)
    try:
        if not auth.user_exists(conn, name):
            raise HTTPError(403, f"reviewer {name!r} no longer exists; sign in again")
    finally:
        conn.close()
    return name


def _as_json(request: Any) -> bool:
    accept = request.headers.get("accept", "")
    return (request.url_vars.get("format") == "json" or request.args.get("_format") == "json"
            or ("application/json" in accept and "text/html" not in accept))


def _safe_href(url: str | None) -> str | None:
    """Links from article metadata only when they are plain web addresses."""
    if not url:
        return None
    return url if urlsplit(url).scheme in ("http", "https") else None


def _json_value(text: str | None) -> Any:
    try:
        return json.loads(text) if text is not None else None
    except ValueError:
        return text


# --- the event page ------------------------------------------------------------

def load_event(conn: sqlite3.Connection, event_id: str) -> dict[str, Any]:
    row = review.event_row(conn, event_id)
    if row is None:
        raise HTTPError(404, f"no event {event_id!r} in this database")
    has_web = conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'audit'").fetchone() is not None
    evidence = [
        {"field": f, "article_id": a, "start": s, "end": e, "text": t}
        for f, a, s, e, t in conn.execute(
            'SELECT field, article_id, start, "end", text FROM evidence WHERE event_id = ? ORDER BY rowid', (event_id,))
    ]
    sources = []
    for article_id, url, title, publisher, published, text in conn.execute(
        "SELECT s.article_id, s.url, s.title, s.publisher, s.published, a.text FROM sources s"
        " LEFT JOIN articles a ON a.article_id = s.article_id WHERE s.event_id = ?"
        " ORDER BY s.published, s.article_id", (event_id,),
    ).fetchall():
        spans = [Span(e["field"], e["start"], e["end"]) for e in evidence if e["article_id"] == article_id]
        sources.append({
            "article_id": article_id, "url": url, "href": _safe_href(url), "title": title,
            "publisher": publisher, "published": published, "text": text,
            "highlighted": highlight(text or "", spans),
            "fields": sorted({s.field for s in spans}),
        })
    reasons = dict(map(tuple, _json_value(row.get("null_reasons")) or []))
    return {
        "event": row,
        "evidence": evidence,
        "sources": sources,
        "null_reasons": reasons,
        "status": review.status(conn, event_id) if has_web else None,
        "edits": review.edited_fields(conn, event_id) if has_web else {},
        "audit": [
            dict(a, before=_json_value(a["before"]), after=_json_value(a["after"]))
            for a in (review.audit_rows(conn, event_id) if has_web else [])
        ],
    }


async def event_page(datasette: Any, request: Any) -> Response:
    await _ensure_can_read(datasette, request)
    event_id = tilde_decode(request.url_vars["event_id"])
    data = await _database(datasette).execute_fn(lambda conn: load_event(conn, event_id))
    if _as_json(request):
        sources = [{k: v for k, v in s.items() if k not in ("highlighted", "href")} for s in data["sources"]]
        return Response.json({"ok": True, **data, "sources": sources}, default=str)
    actor = request.actor or {}
    fields = [
        {"name": name, "value": data["event"].get(name), "edit": data["edits"].get(name),
         "null_reason": data["null_reasons"].get(name), "group": field_group(name),
         "evidence": [e for e in data["evidence"] if e["field"] == name]}
        for name in EVENT_COLUMNS if name != "null_reasons"
    ]
    return Response.html(await datasette.render_template(
        "fieldreport_event.html",
        {**data, "fields": fields, "database": _database(datasette).name,
         "reviewer": actor.get("id") if actor.get(REVIEWER_KEY) else None,
         "editable_fields": review.EDITABLE_FIELDS, "groups": sorted(set(FIELD_GROUPS.values()) | {"other"}),
         "event_id": event_id},
        request=request, view_name="fieldreport_event",
    ))


async def row_redirect(datasette: Any, request: Any) -> Response:
    """Datasette's events row page becomes the event page (``.json`` stays Datasette's)."""
    if request.url_vars["database"] != _database(datasette).name:
        raise HTTPError(404, f"no database {request.url_vars['database']!r}")
    return Response.redirect(f"/-/event/{request.url_vars['pks']}")


# --- review --------------------------------------------------------------------

async def review_action(datasette: Any, request: Any) -> Response:
    if request.method != "POST":
        raise HTTPError(405, "review actions are POST forms on the event page")
    reviewer = _reviewer(datasette, request)
    event_id = tilde_decode(request.url_vars["event_id"])
    form = await request.post_vars()
    action = form.get("action", "")

    def act(conn: sqlite3.Connection) -> tuple[str, str]:
        if action in ("approve", "reject"):
            new_status = {"approve": "approved", "reject": "rejected"}[action]
            review.set_status(conn, event_id, new_status, reviewer)
            return event_id, f"event {new_status}"
        if action == "edit":
            done = review.edit_field(conn, event_id, form.get("field", ""), form.get("value"), reviewer)
            changed = ", ".join(done) or "nothing (same value)"
            return event_id, f"edited {changed}"
        if action == "merge":
            kept = review.merge(conn, event_id, form.get("other_id", "").strip(), reviewer)
            return kept, f"merged {form.get('other_id')} into {kept}"
        if action == "split":
            new = review.split(conn, event_id, form.get("article_id", ""), reviewer)
            return new, f"split article {form.get('article_id')} into event {new}"
        raise review.ReviewError(f"unknown action {action!r}; use approve, reject, edit, merge or split")

    try:
        target, message = await _database(datasette).execute_write_fn(act, block=True)
    except UsageError as exc:  # ReviewError, or fieldreport.merge refusing a merge or split
        raise HTTPError(getattr(exc, "status", 400), str(exc)) from exc
    if _as_json(request):
        return Response.json({"ok": True, "event_id": target, "message": message})
    datasette.add_message(request, message)
    return _see_other(f"/-/event/{target}")


def _see_other(location: str) -> Response:
    return Response("", status=303, headers={"Location": location})


# --- sign in -------------------------------------------------------------------

async def login(datasette: Any, request: Any) -> Response:
    error = None
    if request.method == "POST":
        form = await request.post_vars()
        name, password = form.get("username", "").strip(), form.get("password", "")
        conn = sqlite3.connect(_database(datasette).path)
        try:
            ok = auth.check_password(conn, name, password) if _has_users(conn) else False
        finally:
            conn.close()
        if ok:
            target = form.get("next") or "/"
            if not target.startswith("/") or target.startswith("//"):
                target = "/"
            response = _see_other(target)
            response.set_cookie("ds_actor", datasette.sign({"a": {"id": name, REVIEWER_KEY: True}}, "actor"),
                                httponly=True, samesite="lax")
            return response
        error = "Wrong user name or password."
    html = await datasette.render_template(
        "fieldreport_login.html", {"error": error, "next": request.args.get("next", "")},
        request=request, view_name="fieldreport_login",
    )
    return Response.html(html, status=401 if error else 200)


def _has_users(conn: sqlite3.Connection) -> bool:
    return conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'users'").fetchone() is not None


# --- the selection: Datasette's own filter syntax --------------------------------

def selection(args: Any) -> tuple[str, dict[str, Any], list[tuple[str, str]]]:
    """WHERE clause for the events table from Datasette-style query args (``country=Iraq``,
    ``event_date__gte=2020-01-01``, ``_search=mosul``...). Unknown columns are ignored."""
    all_pairs = ([(k, v) for k in args.keys() for v in args.getlist(k)] if hasattr(args, "getlist")
                 else list(args.items()))
    pairs = [(k, v) for k, v in all_pairs if not k.startswith("_") and k.split("__")[0] in EVENT_COLUMNS]
    bits, params = Filters(sorted(pairs)).build_where_clauses("events")
    search = args.get("_search", "").strip()
    if search:
        bits.append("rowid IN (SELECT rowid FROM events_fts WHERE events_fts MATCH :search)")
        params["search"] = escape_fts(search)
        pairs.append(("_search", search))
    return (" WHERE " + " AND ".join(bits)) if bits else "", params, pairs


def _bucket(days: int) -> str:
    # Bars stay at least ~2 px wide on a 1000 px chart.
    return "day" if days <= 400 else "week" if days <= 2800 else "month"


def _bucket_key(day: str, bucket: str) -> str:
    if bucket == "day":
        return day
    d = date.fromisoformat(day)
    if bucket == "week":
        return (d - timedelta(days=d.weekday())).isoformat()
    return d.replace(day=1).isoformat()


def load_timeline(conn: sqlite3.Connection, where: str, params: dict[str, Any], has_fts: bool) -> dict[str, Any]:
    if "events_fts" in where and not has_fts:
        raise HTTPError(400, "full-text search is not set up; restart fieldreport serve to build it")
    # One scan each, both answered from covering indexes (schema.WEB_INDEXES).
    rows = conn.execute(
        f"SELECT event_date, event_type, count(*) FROM events {where} GROUP BY 1, 2 ORDER BY 1", params,
    ).fetchall()
    per_day = [r for r in rows if r[0] is not None]
    undated = sum(r[2] for r in rows if r[0] is None)
    # Events at one place share the gazetteer's coordinates: one marker per place.
    points = conn.execute(
        f"SELECT latitude, longitude, min(location), count(*), min(country) FROM events {where}"
        f"{' AND' if where else ' WHERE'} latitude IS NOT NULL AND longitude IS NOT NULL"
        f" GROUP BY 1, 2 ORDER BY 4 DESC LIMIT {MAX_MAP_POINTS}", params,
    ).fetchall()
    return {"per_day": per_day, "undated": undated, "points": points}


def chart(per_day: list[tuple[str, str, int]], width: int = 1000, height: int = 220) -> dict[str, Any]:
    """Stacked bars per day (or week / month on long ranges) by event type, as SVG rectangles."""
    valid = []
    for day, event_type, count in per_day:
        try:
            date.fromisoformat(day)
        except (TypeError, ValueError):
            continue
        valid.append((day, event_type, count))
    if not valid:
        return {"bars": [], "bucket": "day", "max": 0, "width": width, "height": height, "ticks": []}
    first, last = date.fromisoformat(valid[0][0]), date.fromisoformat(valid[-1][0])
    bucket = _bucket((last - first).days + 1)
    stacks: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for day, event_type, count in valid:
        stacks[_bucket_key(day, bucket)][event_type or "?"] += count
    keys = sorted(stacks)
    start = date.fromisoformat(keys[0])
    span = (date.fromisoformat(keys[-1]) - start).days + {"day": 1, "week": 7, "month": 31}[bucket]
    top = max(sum(s.values()) for s in stacks.values())
    scale = (height - 20) / top
    bar_width = max(1.0, width * {"day": 1, "week": 7, "month": 28}[bucket] / span - 1)
    bars = []
    for key in keys:
        x = width * (date.fromisoformat(key) - start).days / span
        y = height
        for event_type in sorted(stacks[key], key=lambda t: list(EVENT_TYPE_COLOURS).index(t)
                                 if t in EVENT_TYPE_COLOURS else 99):
            count = stacks[key][event_type]
            h = count * scale
            y -= h
            bars.append({"x": round(x, 2), "y": round(y, 2), "w": round(bar_width, 2), "h": round(h, 2),
                         "colour": EVENT_TYPE_COLOURS.get(event_type, "#444"), "label":
                         f"{key}: {count} {event_type}", "key": key, "event_type": event_type, "count": count})
    ticks = [{"x": round(width * i / 6, 2), "label": (start + timedelta(days=span * i // 6)).isoformat(),
              "anchor": "start" if i == 0 else "end" if i == 6 else "middle"} for i in range(7)]
    return {"bars": bars, "bucket": bucket, "max": top, "width": width, "height": height, "ticks": ticks}


async def timeline(datasette: Any, request: Any) -> Response:
    await _ensure_can_read(datasette, request)
    db = _database(datasette)
    where, params, pairs = selection(request.args)
    has_fts = "events_fts" in await db.table_names()
    data = await db.execute_fn(lambda conn: load_timeline(conn, where, params, has_fts))
    totals: dict[str, int] = defaultdict(int)
    for _, event_type, count in data["per_day"]:
        totals[event_type] += count
    points = [{"lat": lat, "lon": lon, "location": loc, "count": n, "country": c}
              for lat, lon, loc, n, c in data["points"]]
    if _as_json(request):
        return Response.json({
            "ok": True, "filters": pairs, "undated": data["undated"],
            "per_day": [{"date": d, "event_type": t, "count": n} for d, t, n in data["per_day"]],
            "totals": dict(totals), "points": points,
        })
    config = datasette.plugin_config("fieldreport") or {}
    table_query = urlencode(pairs)
    return Response.html(await datasette.render_template(
        "fieldreport_timeline.html",
        {"chart": chart(data["per_day"]), "totals": sorted(totals.items(), key=lambda kv: -kv[1]),
         "total": sum(totals.values()) + data["undated"], "undated": data["undated"], "filters": pairs,
         "points": points, "colours": EVENT_TYPE_COLOURS, "database": db.name,
         "table_url": f"/{db.name}/events" + (f"?{table_query}" if table_query else ""),
         "json_url": "/-/timeline.json" + (f"?{table_query}" if table_query else ""),
         "tile_url": config.get("tile_url") or "/fieldreport-static/blank-tile.png",
         "tile_attribution": config.get("tile_attribution") or "no background map (offline)",
         "leaflet_js": datasette.urls.static_plugins("datasette-leaflet", "leaflet-v1.7.1.js"),
         "leaflet_css": datasette.urls.static_plugins("datasette-leaflet", "leaflet-v1.7.1.css"),
         "cluster_js": datasette.urls.static_plugins("datasette-cluster-map", "leaflet.markercluster.min.js"),
         "cluster_css": datasette.urls.static_plugins("datasette-cluster-map", "leaflet.markercluster.css")},
        request=request, view_name="fieldreport_timeline",
    ))


ROUTES = [
    (r"^/-/event/(?P<event_id>[^/]+?)/review$", review_action),
    (r"^/-/event/(?P<event_id>[^/]+?)(\.(?P<format>json))?$", event_page),
    (r"^/-/timeline(\.(?P<format>json))?$", timeline),
    (r"^/-/login$", login),
    (r"^/(?P<database>[^/.]+)/events/(?P<pks>[^/.]+)$", row_redirect),
]
