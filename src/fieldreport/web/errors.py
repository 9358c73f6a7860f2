"""One shape for every error response, HTML or JSON.

JSON:  {"ok": false, "status": 403, "title": "Forbidden", "error": "one readable sentence"}
HTML:  the same four facts in ``<main class="fieldreport-error" data-status="403">`` with
       ``<h1>`` = title and ``<p class="error-message">`` = error.

``handle_exception`` (Datasette hook) renders exceptions in this shape; the
ASGI wrapper ``normalize_errors`` re-shapes error responses made elsewhere
(asgi-csrf's 403 page, Datasette's JSON 400s) so that no client sees another.
"""

from __future__ import annotations

import json
import re
from html import unescape
from http import HTTPStatus
from typing import Any

from markupsafe import escape

MARKER = b"x-fieldreport-error"


def title_for(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


def error_body(status: int, message: str, title: str | None = None) -> dict[str, Any]:
    return {"ok": False, "status": status, "title": title or title_for(status), "error": message}


def wants_json(path: str, headers: dict[str, str], query: str = "") -> bool:
    if path.split("?")[0].endswith(".json") or "_format=json" in query:
        return True
    accept = headers.get("accept", "")
    return "application/json" in accept and "text/html" not in accept


def render_html(body: dict[str, Any]) -> str:
    """A self-contained page: error pages must render even when templates or the database fail."""
    return (
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        f"<title>{body['status']} {escape(body['title'])} · fieldreport</title>"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
        "<link rel=\"stylesheet\" href=\"/fieldreport-static/fieldreport.css\"></head>"
        "<body class=\"fieldreport-error-page\"><nav class=\"fr-nav\"><a href=\"/\">fieldreport</a></nav>"
        f"<main class=\"fieldreport-error\" data-status=\"{body['status']}\">"
        f"<h1>{escape(body['title'])}</h1>"
        f"<p class=\"error-message\">{escape(body['error'])}</p>"
        f"<p class=\"error-status\">HTTP {body['status']}</p>"
        "</main></body></html>"
    )


def response_parts(body: dict[str, Any], as_json: bool) -> tuple[bytes, bytes]:
    """(content type, payload) of an error response."""
    if as_json:
        return b"application/json; charset=utf-8", json.dumps(body).encode("utf-8")
    return b"text/html; charset=utf-8", render_html(body).encode("utf-8")


def _message_from(payload: bytes, content_type: str, status: int) -> str:
    text = payload.decode("utf-8", "replace")
    if "json" in content_type:
        try:
            data = json.loads(text)
            if isinstance(data, dict):
                for key in ("error", "message", "errors"):
                    if data.get(key):
                        value = data[key]
                        return "; ".join(map(str, value)) if isinstance(value, list) else str(value)
        except ValueError:
            pass
    stripped = re.sub(r"(?is)<(script|style|title|h1)\b.*?</\1>", " ", text)
    stripped = " ".join(unescape(re.sub(r"<[^>]+>", " ", stripped)).split())
    return stripped[:500] or title_for(status)


def normalize_errors(app: Any) -> Any:
    """ASGI wrapper: any response with status >= 400 not already in our shape is re-shaped."""

    async def wrapped(scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await app(scope, receive, send)
            return
        state: dict[str, Any] = {"start": None, "chunks": []}

        async def capture(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                headers = {k.lower(): v for k, v in message.get("headers", [])}
                if message["status"] >= 400 and MARKER not in headers:
                    state["start"] = message
                    return
                await send(message)
            elif message["type"] == "http.response.body" and state["start"] is not None:
                state["chunks"].append(message.get("body", b""))
                if not message.get("more_body"):
                    await send_reshaped()
            else:
                await send(message)

        async def send_reshaped() -> None:
            start = state["start"]
            status = start["status"]
            old = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in start.get("headers", [])}
            req = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
            content_type = old.get("content-type", "")
            body = error_body(status, _message_from(b"".join(state["chunks"]), content_type, status))
            as_json = "json" in content_type or wants_json(scope.get("path", ""), req,
                                                           scope.get("query_string", b"").decode("latin-1"))
            ctype, payload = response_parts(body, as_json)
            keep = [(k, v) for k, v in start.get("headers", [])
                    if k.lower() not in (b"content-type", b"content-length")]
            await send({
                "type": "http.response.start", "status": status,
                "headers": keep + [(b"content-type", ctype), (b"content-length", str(len(payload)).encode()),
                                   (MARKER, b"1")],
            })
            await send({"type": "http.response.body", "body": payload})

        await app(scope, receive, capture)

    return wrapped
