"""The SQLite store: schema, migrations, upserts, quarantine.

Tables are named for Datasette and SQL users: ``articles``, ``events`` (one
row per event, the record's scalar fields as columns), ``evidence``,
``sources`` and ``quarantine``; ``pages`` remembers every input page seen.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from dataclasses import fields
from pathlib import Path
from typing import Any

from .errors import UsageError
from .records import Article, Coded, Event, Evidence, Rejected, Source

SCHEMA_VERSION = 1

_EVENT_LIST_FIELDS = ("assoc_actor_1", "assoc_actor_2", "null_reasons")
_EVENT_SKIP = ("sources", "evidence")
EVENT_COLUMNS = tuple(f.name for f in fields(Event) if f.name not in _EVENT_SKIP)

_MIGRATIONS: dict[int, str] = {
    1: """
    CREATE TABLE articles (
        article_id TEXT PRIMARY KEY, url TEXT, title TEXT, publisher TEXT,
        published TEXT, published_source TEXT, source_path TEXT, page_sha256 TEXT,
        text TEXT NOT NULL, n_events INTEGER NOT NULL DEFAULT 0
    );
    CREATE TABLE pages (
        sha256 TEXT NOT NULL, source_path TEXT NOT NULL, article_id TEXT, status TEXT NOT NULL,
        PRIMARY KEY (sha256, source_path)
    );
    CREATE INDEX pages_sha ON pages(sha256);
    CREATE TABLE events (
        event_id TEXT PRIMARY KEY, article_id TEXT, disorder_type TEXT, event_type TEXT,
        sub_event_type TEXT, actor1 TEXT, actor2 TEXT, assoc_actor_1 TEXT, assoc_actor_2 TEXT,
        inter1 TEXT, inter2 TEXT, interaction INTEGER, civilian_targeting INTEGER,
        event_date TEXT, date_start TEXT, date_end TEXT, time_precision INTEGER,
        country TEXT, iso3 TEXT, admin1 TEXT, admin2 TEXT, location TEXT,
        latitude REAL, longitude REAL, geo_precision INTEGER, geonameid INTEGER,
        fatalities INTEGER, fatalities_low INTEGER, fatalities_high INTEGER,
        modality TEXT, attribution TEXT, hedged INTEGER, notes TEXT, confidence REAL,
        null_reasons TEXT, n_sources INTEGER NOT NULL DEFAULT 1
    );
    CREATE INDEX events_date ON events(event_date);
    CREATE INDEX events_type ON events(event_type, sub_event_type);
    CREATE INDEX events_country ON events(country);
    CREATE TABLE evidence (
        event_id TEXT NOT NULL, field TEXT NOT NULL, article_id TEXT NOT NULL,
        start INTEGER NOT NULL, "end" INTEGER NOT NULL, text TEXT NOT NULL
    );
    CREATE INDEX evidence_event ON evidence(event_id);
    CREATE TABLE sources (
        event_id TEXT NOT NULL, article_id TEXT NOT NULL, url TEXT, title TEXT,
        publisher TEXT, published TEXT, PRIMARY KEY (event_id, article_id)
    );
    CREATE TABLE quarantine (
        source_path TEXT NOT NULL, sha256 TEXT NOT NULL, code TEXT NOT NULL,
        detail TEXT, hint TEXT, PRIMARY KEY (source_path, sha256)
    );
    """,
}


class Store:
    """One project database. Open with ``open_store``; use as a context manager."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self.db = connection

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.db.commit()
        self.db.close()

    # --- writes -----------------------------------------------------------
    def seen_page(self, sha256: str) -> bool:
        row = self.db.execute("SELECT 1 FROM pages WHERE sha256 = ? AND status != 'quarantined'", (sha256,))
        return row.fetchone() is not None

    def has_article(self, article_id: str) -> bool:
        return self.db.execute("SELECT 1 FROM articles WHERE article_id = ?", (article_id,)).fetchone() is not None

    def record_page(self, sha256: str, source_path: str, article_id: str | None, status: str) -> None:
        self.db.execute(
            "INSERT OR REPLACE INTO pages (sha256, source_path, article_id, status) VALUES (?, ?, ?, ?)",
            (sha256, source_path, article_id, status),
        )

    def quarantine(self, rejected: Rejected) -> None:
        self.db.execute(
            "INSERT OR REPLACE INTO quarantine (source_path, sha256, code, detail, hint) VALUES (?, ?, ?, ?, ?)",
            (rejected.source_path, rejected.sha256, rejected.code, rejected.detail, rejected.hint),
        )
        self.record_page(rejected.sha256, rejected.source_path, None, "quarantined")

    def save_coded(self, coded: Coded) -> None:
        """Store one article and its events in one transaction."""
        art = coded.article
        with self.db:
            self.db.execute(
                "INSERT OR REPLACE INTO articles (article_id, url, title, publisher, published,"
                " published_source, source_path, page_sha256, text, n_events)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (art.article_id, art.url, art.title, art.publisher, art.published, art.published_source,
                 art.source_path, art.page_sha256, art.text, len(coded.events)),
            )
            for event in coded.events:
                self.save_event(event)
            self.record_page(art.page_sha256, art.source_path, art.article_id, "coded")

    def save_event(self, event: Event) -> None:
        row = _event_row(event)
        placeholders = ", ".join("?" for _ in row)
        self.db.execute(
            f"INSERT OR REPLACE INTO events ({', '.join(row)}, n_sources) VALUES ({placeholders}, ?)",
            (*row.values(), len(event.sources) or 1),
        )
        self.db.execute("DELETE FROM evidence WHERE event_id = ?", (event.event_id,))
        self.db.executemany(
            'INSERT INTO evidence (event_id, field, article_id, start, "end", text) VALUES (?, ?, ?, ?, ?, ?)',
            [(event.event_id, e.field, e.article_id, e.start, e.end, e.text) for e in event.evidence],
        )
        self.db.execute("DELETE FROM sources WHERE event_id = ?", (event.event_id,))
        self.db.executemany(
            "INSERT OR REPLACE INTO sources (event_id, article_id, url, title, publisher, published)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            [(event.event_id, s.article_id, s.url, s.title, s.publisher, s.published) for s in event.sources],
        )

    # --- reads ------------------------------------------------------------
    def iter_events(self, where: str = "", params: tuple[Any, ...] = ()) -> Iterator[Event]:
        sql = f"SELECT {', '.join(EVENT_COLUMNS)} FROM events {where} ORDER BY event_date, event_id"
        for row in self.db.execute(sql, params).fetchall():
            yield self._event_from_row(dict(zip(EVENT_COLUMNS, row)))

    def _event_from_row(self, row: dict[str, Any]) -> Event:
        event_id = row["event_id"]
        evidence = tuple(
            Evidence(*r)
            for r in self.db.execute(
                'SELECT field, article_id, start, "end", text FROM evidence WHERE event_id = ? ORDER BY rowid',
                (event_id,),
            )
        )
        sources = tuple(
            Source(*r)
            for r in self.db.execute(
                "SELECT article_id, url, title, publisher, published FROM sources WHERE event_id = ?"
                " ORDER BY published, article_id",
                (event_id,),
            )
        )
        for name in _EVENT_LIST_FIELDS:
            row[name] = tuple(tuple(x) if isinstance(x, list) else x for x in json.loads(row[name] or "[]"))
        row["civilian_targeting"] = bool(row["civilian_targeting"])
        row["hedged"] = bool(row["hedged"])
        return Event(**row, sources=sources, evidence=evidence)

    def article_text(self, article_id: str) -> str | None:
        row = self.db.execute("SELECT text FROM articles WHERE article_id = ?", (article_id,)).fetchone()
        return row[0] if row else None

    def counts(self) -> dict[str, int]:
        return {
            table: self.db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            for table in ("articles", "events", "evidence", "sources", "quarantine")
        }


def _event_row(event: Event) -> dict[str, Any]:
    row: dict[str, Any] = {}
    for name in EVENT_COLUMNS:
        value = getattr(event, name)
        row[name] = json.dumps(list(value)) if name in _EVENT_LIST_FIELDS else value
    return row


def schema_version(db: sqlite3.Connection) -> int:
    return int(db.execute("PRAGMA user_version").fetchone()[0])


def open_store(path: str | Path, create: bool = True) -> Store:
    """Open (and migrate) a project database. A newer schema fails with a clear message."""
    path = Path(path)
    if not create and not path.exists():
        raise UsageError(f"database {path} does not exist; create it with: fieldreport run PATH --db {path}")
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        db = sqlite3.connect(path)
        db.execute("PRAGMA journal_mode=WAL")
        version = schema_version(db)
    except sqlite3.DatabaseError as exc:
        raise UsageError(f"{path} is not a fieldreport SQLite database ({exc})") from exc
    if version > SCHEMA_VERSION:
        db.close()
        raise UsageError(
            f"{path} has schema version {version}, newer than this fieldreport ({SCHEMA_VERSION}); "
            "upgrade with: pip install -U fieldreport"
        )
    for target in range(version + 1, SCHEMA_VERSION + 1):
        with db:
            db.executescript(_MIGRATIONS[target])
            db.execute(f"PRAGMA user_version = {target}")
    return Store(db)
