"""Review actions (approve, reject, edit a field, merge, split), their audit
trail, and ``reapply``: reviewer edits survive the pipeline rewriting an event.

Every action writes one ``audit`` row per changed value: who, when, the value
before and the value after, as JSON. Edits are also kept in ``review_edits``
(the reviewer's current value per event and field) so that ``reapply(store)``
can put them back after ``fieldreport run`` replaces the event row.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import fields
from datetime import datetime, timezone
from functools import lru_cache
from importlib import resources as package_files
from typing import Any

from ..errors import UsageError
from ..records import Event
from ..store import EVENT_COLUMNS, Store
from .schema import ensure_web_tables

MODALITIES = ("actual", "generic", "forecast", "hypothetical", "negated")
_NOT_EDITABLE = {"event_id", "article_id", "null_reasons"}
EDITABLE_FIELDS = tuple(name for name in EVENT_COLUMNS if name not in _NOT_EDITABLE)
_TYPES = {f.name: str(f.type) for f in fields(Event)}


class ReviewError(UsageError):
    """A review action that cannot be done as asked (HTTP 400 / 404 / 409)."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


@lru_cache(maxsize=1)
def taxonomy() -> dict[str, dict[str, str]]:
    """ACLED event type -> {sub-event type: disorder type}."""
    text = package_files.files("fieldreport.data").joinpath("acled_taxonomy.json").read_text(encoding="utf-8")
    return json.loads(text)["event_types"]


def event_row(db: sqlite3.Connection, event_id: str) -> dict[str, Any] | None:
    cur = db.execute("SELECT * FROM events WHERE event_id = ?", (event_id,))
    row = cur.fetchone()
    return None if row is None else dict(zip([c[0] for c in cur.description], row))


def _require_event(db: sqlite3.Connection, event_id: str) -> dict[str, Any]:
    row = event_row(db, event_id)
    if row is None:
        raise ReviewError(f"no event {event_id!r}", status=404)
    return row


def _audit(db: sqlite3.Connection, reviewer: str, action: str, event_id: str,
           field: str | None, before: Any, after: Any, at: str) -> None:
    db.execute(
        "INSERT INTO audit (at, reviewer, action, event_id, field, before, after) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (at, reviewer, action, event_id, field, json.dumps(before), json.dumps(after)),
    )


def status(db: sqlite3.Connection, event_id: str) -> dict[str, Any] | None:
    row = db.execute("SELECT status, reviewer, at FROM review WHERE event_id = ?", (event_id,)).fetchone()
    return None if row is None else {"status": row[0], "reviewer": row[1], "at": row[2]}


def set_status(db: sqlite3.Connection, event_id: str, new_status: str, reviewer: str) -> None:
    """Approve or reject an event. Rejected events stay in ``events``; ``review`` says so."""
    if new_status not in ("approved", "rejected"):
        raise ReviewError(f"status must be approved or rejected, not {new_status!r}")
    ensure_web_tables(db)
    _require_event(db, event_id)
    before = status(db, event_id)
    at = now()
    with db:
        db.execute("INSERT OR REPLACE INTO review (event_id, status, reviewer, at) VALUES (?, ?, ?, ?)",
                   (event_id, new_status, reviewer, at))
        action = {"approved": "approve", "rejected": "reject"}[new_status]
        _audit(db, reviewer, action, event_id, "status", before and before["status"], new_status, at)


def coerce(field: str, raw: str | None) -> Any:
    """Turn a form value into the column's value, or raise ReviewError with the reason."""
    if field not in EDITABLE_FIELDS:
        raise ReviewError(f"{field!r} cannot be edited; editable fields: {', '.join(EDITABLE_FIELDS)}")
    kind = _TYPES[field]
    text = (raw or "").strip()
    if text == "":
        if "None" in kind:
            return None
        if kind.startswith("tuple"):
            return json.dumps([])
        raise ReviewError(f"{field} cannot be empty")
    try:
        if kind.startswith("tuple"):
            return json.dumps([part.strip() for part in text.replace(";", ",").split(",") if part.strip()])
        if kind.startswith("bool"):
            if text.lower() in ("1", "true", "yes", "on"):
                return 1
            if text.lower() in ("0", "false", "no", "off"):
                return 0
            raise ValueError("expected true or false")
        if kind.startswith("int"):
            return int(text)
        if kind.startswith("float"):
            return float(text)
    except ValueError as exc:
        raise ReviewError(f"{field}: {text!r} is not a valid {kind.split()[0]} ({exc})") from exc
    if field == "modality" and text not in MODALITIES:
        raise ReviewError(f"modality must be one of {', '.join(MODALITIES)}")
    if field == "event_type" and text not in taxonomy():
        raise ReviewError(f"{text!r} is not an ACLED event type")
    if field in ("event_date", "date_start", "date_end"):
        try:
            datetime.strptime(text, "%Y-%m-%d")
        except ValueError as exc:
            raise ReviewError(f"{field} must be an ISO date YYYY-MM-DD, not {text!r}") from exc
    return text


def _changes_for(db: sqlite3.Connection, row: dict[str, Any], field: str, value: Any) -> dict[str, Any]:
    """One edit may imply others: a sub-event type fixes its event type and disorder type."""
    changes = {field: value}
    if field == "sub_event_type":
        for event_type, subs in taxonomy().items():
            if value in subs:
                changes.update(event_type=event_type, disorder_type=subs[value])
                break
        else:
            raise ReviewError(f"{value!r} is not an ACLED sub-event type")
    if field == "event_type" and row["sub_event_type"] not in taxonomy()[value]:
        raise ReviewError(f"sub-event type {row['sub_event_type']!r} is not a kind of {value!r}: "
                          "edit sub_event_type instead, which sets the event type too")
    return changes


def edit_field(db: sqlite3.Connection, event_id: str, field: str, raw: str | None, reviewer: str) -> dict[str, Any]:
    """Set one field of an event to a reviewer's value; returns {field: (before, after)}."""
    ensure_web_tables(db)
    row = _require_event(db, event_id)
    value = coerce(field, raw)
    changes = _changes_for(db, row, field, value)
    at = now()
    done: dict[str, Any] = {}
    with db:
        for name, new in changes.items():
            before = row[name]
            if before == new:
                continue
            db.execute(f"UPDATE events SET [{name}] = ? WHERE event_id = ?", (new, event_id))
            db.execute(
                "INSERT OR REPLACE INTO review_edits (event_id, field, value, reviewer, at) VALUES (?, ?, ?, ?, ?)",
                (event_id, name, json.dumps(new), reviewer, at),
            )
            _audit(db, reviewer, "edit", event_id, name, before, new, at)
            done[name] = (before, new)
    return done


def _merge_module() -> Any:
    try:
        from .. import merge
    except ImportError as exc:
        raise ReviewError("merging events needs fieldreport.merge, which this version does not have yet",
                          status=501) from exc
    return merge


def merge(db: sqlite3.Connection, keep_id: str, other_id: str, reviewer: str) -> str:
    """Merge ``other_id`` into ``keep_id`` with ``fieldreport.merge``; returns the surviving id."""
    ensure_web_tables(db)
    if keep_id == other_id:
        raise ReviewError("cannot merge an event with itself")
    keep, other = _require_event(db, keep_id), _require_event(db, other_id)
    module = _merge_module()
    if not hasattr(module, "merge_events"):
        raise ReviewError("fieldreport.merge has no merge_events yet", status=501)
    result = module.merge_events(Store(db), keep_id, other_id, reviewer)
    reapply(db)  # merging rebuilds the kept event from its reports: keep reviewers' edits
    at = now()
    with db:
        _audit(db, reviewer, "merge", keep_id, None, {"keep": keep, "other": other}, {"event_id": result}, at)
        if result != other_id:
            _audit(db, reviewer, "merge", other_id, None, other, {"merged_into": result}, at)
    return result


def split(db: sqlite3.Connection, event_id: str, article_id: str, reviewer: str) -> str:
    """Split the report ``article_id`` out of a merged event; returns the new event's id."""
    ensure_web_tables(db)
    before = _require_event(db, event_id)
    module = _merge_module()
    if not hasattr(module, "split_event"):
        raise ReviewError("fieldreport.merge has no split_event yet", status=501)
    result = module.split_event(Store(db), event_id, article_id, reviewer)
    reapply(db)
    at = now()
    with db:
        _audit(db, reviewer, "split", event_id, "sources", before, {"split_off": article_id, "new_event": result}, at)
    return result


def audit_rows(db: sqlite3.Connection, event_id: str) -> list[dict[str, Any]]:
    cur = db.execute("SELECT audit_id, at, reviewer, action, field, before, after FROM audit"
                     " WHERE event_id = ? ORDER BY audit_id DESC", (event_id,))
    names = [c[0] for c in cur.description]
    return [dict(zip(names, row)) for row in cur.fetchall()]


def edited_fields(db: sqlite3.Connection, event_id: str) -> dict[str, dict[str, Any]]:
    cur = db.execute("SELECT field, value, reviewer, at FROM review_edits WHERE event_id = ?", (event_id,))
    return {f: {"value": json.loads(v), "reviewer": r, "at": at} for f, v, r, at in cur.fetchall()}


def reapply(store: Store | sqlite3.Connection) -> int:
    """Put every reviewer edit back onto its event; returns the number of values restored.

    Call after the pipeline writes events (``fieldreport run``): ``save_event``
    replaces whole rows, which would otherwise undo the reviewers' work. Edits
    of events that no longer exist are kept, in case the event comes back.
    Idempotent, and cheap when nothing changed.
    """
    db = store.db if isinstance(store, Store) else store
    if db.execute("SELECT 1 FROM sqlite_master WHERE name = 'review_edits'").fetchone() is None:
        return 0
    restored = 0
    with db:
        for event_id, field, value in db.execute(
            "SELECT event_id, field, value FROM review_edits ORDER BY at"
        ).fetchall():
            if field not in EDITABLE_FIELDS:
                continue
            cur = db.execute(
                f"UPDATE events SET [{field}] = ? WHERE event_id = ? AND [{field}] IS NOT ?",
                (json.loads(value), event_id, json.loads(value)),
            )
            restored += cur.rowcount
    return restored
