"""fieldreport's Datasette plugin: event pages with evidence, timeline and map,
review with sign-in, and one error shape. Registered by ``create_app``."""

from __future__ import annotations

import sqlite3
from typing import Any

from datasette import hookimpl
from datasette.utils.asgi import Base400, Response
from markupsafe import Markup, escape

from . import pages
from .errors import MARKER, error_body, normalize_errors, response_parts, wants_json

PLUGIN = "fieldreport"
# Browsing actions a private instance refuses to anonymous visitors.
_READ_ACTIONS = {
    "view-instance", "view-database", "view-table", "view-query", "execute-sql", "view-database-download",
}

_SECRET_COLUMNS = {("users", "salt"), ("users", "password_hash"), ("web_secret", "secret")}


def plugin_config(datasette: Any) -> dict[str, Any]:
    return datasette.plugin_config(PLUGIN) or {}


@hookimpl
def register_routes(datasette: Any) -> list[tuple[str, Any]]:
    return pages.ROUTES


@hookimpl
def asgi_wrapper(datasette: Any) -> Any:
    return normalize_errors


@hookimpl
def handle_exception(datasette: Any, request: Any, exception: Exception) -> Any:
    async def inner() -> Response:
        if isinstance(exception, Base400):
            status, message = exception.status, str(exception.args[0] if exception.args else exception)
        elif isinstance(exception, pages.HTTPError):
            status, message = exception.status, exception.message
        elif hasattr(exception, "status") and hasattr(exception, "message"):  # DatasetteError
            status, message = int(exception.status), str(exception.message)
        else:
            import traceback

            traceback.print_exception(exception)
            status, message = 500, f"internal error: {type(exception).__name__}: {exception}"
        return error_response(request, status, message)

    return inner


@hookimpl
def forbidden(request: Any, message: str) -> Response:
    return error_response(request, 403, f"forbidden: {message}; sign in at /-/login if you have an account")


def error_response(request: Any, status: int, message: str) -> Response:
    body = error_body(status, message)
    as_json = wants_json(request.path, dict(request.headers), request.query_string)
    ctype, payload = response_parts(body, as_json)
    return Response(payload, status=status, content_type=ctype.decode(), headers={MARKER.decode(): "1"})


@hookimpl
def permission_allowed(datasette: Any, actor: Any, action: str, resource: Any) -> bool | None:
    if plugin_config(datasette).get("private") and not actor and action in _READ_ACTIONS:
        return False
    return None


@hookimpl
def prepare_connection(conn: sqlite3.Connection) -> None:
    """Password hashes and the signing secret never leave the database through
    Datasette (table pages, SQL, JSON): reads of them yield NULL."""

    def authorizer(action: int, arg1: Any, arg2: Any, dbname: Any, source: Any) -> int:
        if action == sqlite3.SQLITE_READ and (arg1, arg2) in _SECRET_COLUMNS:
            return sqlite3.SQLITE_IGNORE
        return sqlite3.SQLITE_OK

    conn.set_authorizer(authorizer)


@hookimpl
def render_cell(value: Any, column: str, table: str) -> Any:
    """event_id in evidence, sources and the review tables links to the event page."""
    if column == "event_id" and table != "events" and isinstance(value, str) and value:
        return event_link(value)
    return None


@hookimpl
def extra_css_urls() -> list[str]:
    return ["/fieldreport-static/fieldreport.css"]


@hookimpl
def extra_body_script(view_name: str, table: str | None, database: str | None) -> str:
    if view_name == "table" and table == "events":
        # A link from the table (with its filters) to the timeline and map of the same selection.
        return (
            "document.addEventListener('DOMContentLoaded', () => {"
            " const anchor = document.querySelector('p.export-links') || document.querySelector('.table-wrapper');"
            " if (!anchor) return;"
            " const bar = document.createElement('p'); bar.className = 'fr-selection-links';"
            " const a = document.createElement('a'); a.id = 'fr-timeline-link';"
            " a.href = '/-/timeline' + location.search; a.textContent = 'Timeline and map of this selection';"
            " bar.appendChild(a); anchor.parentNode.insertBefore(bar, anchor); });"
        )
    return ""


@hookimpl
def menu_links(datasette: Any, actor: Any) -> list[dict[str, str]]:
    links = [{"href": "/-/timeline", "label": "Timeline and map"}]
    if not actor:
        links.append({"href": "/-/login", "label": "Sign in to review"})
    return links


@hookimpl
def table_actions(datasette: Any, table: str, request: Any) -> list[dict[str, str]]:
    if table != "events":
        return []
    query = f"?{request.query_string}" if request and request.query_string else ""
    return [{"href": f"/-/timeline{query}", "label": "Timeline and map of this selection"}]


def event_link(event_id: str) -> Markup:
    return Markup(f'<a href="/-/event/{escape(event_id)}">{escape(event_id)}</a>')
