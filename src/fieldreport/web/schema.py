"""The web app's own tables and the full-text indexes, created idempotently at serve time.

These tables live in the project database but outside ``store.py``'s
migrations: the pipeline never reads them, and ``CREATE TABLE IF NOT EXISTS``
lets any fieldreport version open a database the web app has touched.

    users         reviewers who may sign in (salted scrypt hashes)
    review        the current status of an event: approved / rejected
    review_edits  the reviewer's value for one field of one event; re-applied
                  after the pipeline rewrites the event (``review.reapply``)
    audit         every review action: who, when, before, after
"""

from __future__ import annotations

import sqlite3

WEB_TABLES = """
CREATE TABLE IF NOT EXISTS users (
    name TEXT PRIMARY KEY, salt TEXT NOT NULL, password_hash TEXT NOT NULL,
    created TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS review (
    event_id TEXT PRIMARY KEY, status TEXT NOT NULL CHECK (status IN ('approved', 'rejected')),
    reviewer TEXT NOT NULL, at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS review_edits (
    event_id TEXT NOT NULL, field TEXT NOT NULL, value TEXT, reviewer TEXT NOT NULL, at TEXT NOT NULL,
    PRIMARY KEY (event_id, field)
);
CREATE TABLE IF NOT EXISTS audit (
    audit_id INTEGER PRIMARY KEY, at TEXT NOT NULL, reviewer TEXT NOT NULL, action TEXT NOT NULL,
    event_id TEXT NOT NULL, field TEXT, before TEXT, after TEXT
);
CREATE INDEX IF NOT EXISTS audit_event ON audit(event_id);
CREATE TABLE IF NOT EXISTS web_fts_state (
    table_name TEXT PRIMARY KEY, fingerprint TEXT NOT NULL
);
"""

# Which columns each full-text index covers (Datasette finds ``<table>_fts`` itself).
FTS_COLUMNS: dict[str, tuple[str, ...]] = {
    "events": ("notes", "location", "actor1", "actor2", "attribution"),
    "articles": ("title", "text"),
}


# Indexes the web app's facets, timeline and map need on a 100k-event database
# (bench/web.py): each turns a full-table GROUP BY into a covering-index scan.
WEB_INDEXES = """
CREATE INDEX IF NOT EXISTS web_events_day_type ON events(event_date, event_type);
CREATE INDEX IF NOT EXISTS web_events_place ON events(latitude, longitude, location, country);
CREATE INDEX IF NOT EXISTS web_events_admin1 ON events(admin1);
CREATE INDEX IF NOT EXISTS web_events_actor1 ON events(actor1);
CREATE INDEX IF NOT EXISTS web_events_modality ON events(modality);
"""


def ensure_web_tables(db: sqlite3.Connection) -> None:
    with db:
        db.executescript(WEB_TABLES)


def ensure_web_indexes(db: sqlite3.Connection) -> None:
    if db.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'events'").fetchone():
        with db:
            db.executescript(WEB_INDEXES)


def _fingerprint(db: sqlite3.Connection, table: str) -> str:
    # INSERT OR REPLACE gives a replaced row a new rowid, so (count, max rowid)
    # changes whenever the pipeline adds or rewrites rows.
    count, top = db.execute(f"SELECT count(*), max(rowid) FROM [{table}]").fetchone()
    return f"{count}:{top}"


def ensure_fts(db: sqlite3.Connection) -> list[str]:
    """Create or refresh ``events_fts`` and ``articles_fts``; returns the tables rebuilt.

    External-content FTS5 tables without triggers: the pipeline's writes cost
    nothing extra, and serve start rebuilds an index only when its table changed.
    """
    ensure_web_tables(db)
    ensure_web_indexes(db)
    rebuilt = []
    existing = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'view')")}
    for table, columns in FTS_COLUMNS.items():
        if table not in existing:
            continue
        fts = f"{table}_fts"
        with db:
            if fts not in existing:
                cols = ", ".join(f"[{c}]" for c in columns)
                db.execute(f"CREATE VIRTUAL TABLE [{fts}] USING FTS5 ({cols}, content=[{table}])")
            stored = db.execute("SELECT fingerprint FROM web_fts_state WHERE table_name = ?", (table,)).fetchone()
            current = _fingerprint(db, table)
            if stored is None or stored[0] != current or fts not in existing:
                db.execute(f"INSERT INTO [{fts}]([{fts}]) VALUES ('rebuild')")
                db.execute("INSERT OR REPLACE INTO web_fts_state (table_name, fingerprint) VALUES (?, ?)",
                           (table, current))
                rebuilt.append(table)
    return rebuilt
