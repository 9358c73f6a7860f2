"""The SQLite store: schema, migrations, upserts, quarantine.

Tables are named for Datasette and SQL users: ``articles``, ``events`` (one
row per canonical event, the record's scalar fields as columns), ``evidence``,
``sources`` and ``quarantine``; ``pages`` remembers every input page seen.

Schema version 2 (cross-article merging) adds ``reports`` (one row per event
as one article coded it; ``reports.event_id`` is the canonical event it was
merged into), ``report_evidence``, ``article_bands`` (near-duplicate lookup),
``merge_decisions`` (reviewers' merges and splits), and the columns
``events.n_reports``, ``articles.duplicate_of`` and ``articles.minhash``.
``events``, ``evidence`` and ``sources`` hold canonical events, rebuilt from
``reports`` by ``fieldreport.merge``.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from .errors import UsageError
from .records import Article, Coded, Event, Evidence, Rejected, Source

SCHEMA_VERSION = 2

_EVENT_LIST_FIELDS = ("assoc_actor_1", "assoc_actor_2", "null_reasons")
_EVENT_SKIP = ("sources", "evidence")
EVENT_COLUMNS = tuple(f.name for f in fields(Event) if f.name not in _EVENT_SKIP)
# A report row holds the same fields; its own id is ``report_id`` and
# ``event_id`` names the canonical event it was merged into (NULL: not yet).
REPORT_FIELDS = EVENT_COLUMNS[1:]

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
    2: """
    CREATE TABLE reports (
        report_id TEXT PRIMARY KEY, event_id TEXT, sites TEXT NOT NULL DEFAULT '[]',
        article_id TEXT NOT NULL, disorder_type TEXT, event_type TEXT,
        sub_event_type TEXT, actor1 TEXT, actor2 TEXT, assoc_actor_1 TEXT, assoc_actor_2 TEXT,
        inter1 TEXT, inter2 TEXT, interaction INTEGER, civilian_targeting INTEGER,
        event_date TEXT, date_start TEXT, date_end TEXT, time_precision INTEGER,
        country TEXT, iso3 TEXT, admin1 TEXT, admin2 TEXT, location TEXT,
        latitude REAL, longitude REAL, geo_precision INTEGER, geonameid INTEGER,
        fatalities INTEGER, fatalities_low INTEGER, fatalities_high INTEGER,
        modality TEXT, attribution TEXT, hedged INTEGER, notes TEXT, confidence REAL,
        null_reasons TEXT
    );
    CREATE INDEX reports_event ON reports(event_id);
    CREATE INDEX reports_article ON reports(article_id);
    CREATE INDEX reports_start ON reports(date_start);
    CREATE TABLE report_evidence (
        report_id TEXT NOT NULL, field TEXT NOT NULL, article_id TEXT NOT NULL,
        start INTEGER NOT NULL, "end" INTEGER NOT NULL, text TEXT NOT NULL
    );
    CREATE INDEX report_evidence_report ON report_evidence(report_id);
    ALTER TABLE events ADD COLUMN n_reports INTEGER NOT NULL DEFAULT 1;
    CREATE INDEX sources_article ON sources(article_id);
    ALTER TABLE articles ADD COLUMN duplicate_of TEXT;
    ALTER TABLE articles ADD COLUMN minhash BLOB;
    CREATE INDEX articles_duplicate ON articles(duplicate_of);
    CREATE TABLE article_bands (
        band INTEGER NOT NULL, hash INTEGER NOT NULL, article_id TEXT NOT NULL,
        PRIMARY KEY (band, hash, article_id)
    ) WITHOUT ROWID;
    CREATE TABLE merge_decisions (
        decision_id INTEGER PRIMARY KEY, at TEXT NOT NULL, reviewer TEXT NOT NULL,
        action TEXT NOT NULL CHECK (action IN ('merge', 'split')),
        event_id TEXT NOT NULL, other_id TEXT, article_id TEXT, result_id TEXT NOT NULL,
        report_ids TEXT NOT NULL, kept_report_ids TEXT NOT NULL DEFAULT '[]'
    );
    -- A version 1 event was one article's report: keep it as a report already
    -- merged into itself, so event ids survive the upgrade.
    INSERT INTO reports (report_id, event_id, article_id, disorder_type, event_type, sub_event_type,
        actor1, actor2, assoc_actor_1, assoc_actor_2, inter1, inter2, interaction, civilian_targeting,
        event_date, date_start, date_end, time_precision, country, iso3, admin1, admin2, location,
        latitude, longitude, geo_precision, geonameid, fatalities, fatalities_low, fatalities_high,
        modality, attribution, hedged, notes, confidence, null_reasons)
    SELECT event_id, event_id, article_id, disorder_type, event_type, sub_event_type,
        actor1, actor2, assoc_actor_1, assoc_actor_2, inter1, inter2, interaction, civilian_targeting,
        event_date, date_start, date_end, time_precision, country, iso3, admin1, admin2, location,
        latitude, longitude, geo_precision, geonameid, fatalities, fatalities_low, fatalities_high,
        modality, attribution, hedged, notes, confidence, null_reasons FROM events;
    INSERT INTO report_evidence (report_id, field, article_id, start, "end", text)
    SELECT event_id, field, article_id, start, "end", text FROM evidence;
    """,
}


@dataclass(frozen=True)
class StoredReport:
    """One article's coding of one event, as the merge step reads it."""

    event: Event  # event_id is the report's own id
    canonical_id: str | None
    sites: frozenset[str]
    published: str | None


@dataclass(frozen=True)
class Decision:
    """A reviewer's merge or split, replayed when events are rebuilt."""

    action: str
    event_id: str
    other_id: str | None
    article_id: str | None
    result_id: str
    report_ids: tuple[str, ...]  # the reports moved
    kept_report_ids: tuple[str, ...]  # merge: the reports already in the kept event
    reviewer: str
    at: str


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

    def save_coded(self, coded: Coded, minhash: bytes | None = None,
                   band_hashes: Iterable[tuple[int, int]] = (),
                   sites: dict[str, frozenset[str]] | None = None) -> None:
        """Store one article and its reports (per-article events) in one transaction.
        Canonical events are made from reports by ``fieldreport.merge``."""
        art = coded.article
        with self.db:
            self._save_article(art, len(coded.events), None, minhash, band_hashes)
            for event in coded.events:
                self.save_report(event, (sites or {}).get(event.event_id, frozenset()))
            self.record_page(art.page_sha256, art.source_path, art.article_id, "coded")

    def save_duplicate(self, article: Article, original_id: str, minhash: bytes | None = None) -> None:
        """Store a near-duplicate article (a syndicated copy): a source, not coded again."""
        with self.db:
            self._save_article(article, 0, original_id, minhash, ())
            self.record_page(article.page_sha256, article.source_path, article.article_id, "near-duplicate")

    def _save_article(self, art: Article, n_events: int, duplicate_of: str | None, minhash: bytes | None,
                      band_hashes: Iterable[tuple[int, int]]) -> None:
        self.db.execute(
            "INSERT OR REPLACE INTO articles (article_id, url, title, publisher, published,"
            " published_source, source_path, page_sha256, text, n_events, duplicate_of, minhash)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (art.article_id, art.url, art.title, art.publisher, art.published, art.published_source,
             art.source_path, art.page_sha256, art.text, n_events, duplicate_of, minhash),
        )
        self.db.executemany("INSERT OR IGNORE INTO article_bands (band, hash, article_id) VALUES (?, ?, ?)",
                            [(band, value, art.article_id) for band, value in band_hashes])

    def save_report(self, event: Event, sites: frozenset[str] = frozenset()) -> None:
        """One article's event; keeps its canonical assignment if it was stored before."""
        row = _event_row(event)
        row.pop("event_id")
        names = ", ".join(row)
        self.db.execute(
            f"INSERT INTO reports (report_id, sites, {names}) VALUES (?, ?, {', '.join('?' for _ in row)})"
            f" ON CONFLICT (report_id) DO UPDATE SET sites = excluded.sites,"
            f" {', '.join(f'{n} = excluded.{n}' for n in row)}",
            (event.event_id, json.dumps(sorted(sites)), *row.values()),
        )
        self.db.execute("DELETE FROM report_evidence WHERE report_id = ?", (event.event_id,))
        self.db.executemany(
            'INSERT INTO report_evidence (report_id, field, article_id, start, "end", text)'
            " VALUES (?, ?, ?, ?, ?, ?)",
            [(event.event_id, e.field, e.article_id, e.start, e.end, e.text) for e in event.evidence],
        )

    def save_event(self, event: Event, n_reports: int = 1) -> None:
        """Write one canonical event with its evidence and sources (replacing any old row)."""
        row = _event_row(event)
        placeholders = ", ".join("?" for _ in row)
        self.db.execute(
            f"INSERT OR REPLACE INTO events ({', '.join(row)}, n_sources, n_reports)"
            f" VALUES ({placeholders}, ?, ?)",
            (*row.values(), len(event.sources) or 1, n_reports),
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
    def reviewer_rejected(self) -> set[str]:
        """Events a reviewer rejected in the web app (its ``review`` table), if it exists."""
        if not self.db.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'review'").fetchone():
            return set()
        return {row[0] for row in self.db.execute("SELECT event_id FROM review WHERE status = 'rejected'")}

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
        _decode_lists(row)
        return Event(**row, sources=sources, evidence=evidence)

    def delete_event(self, event_id: str) -> None:
        for table in ("events", "evidence", "sources"):
            self.db.execute(f"DELETE FROM {table} WHERE event_id = ?", (event_id,))

    def assign_reports(self, report_ids: Iterable[str], event_id: str | None) -> None:
        self.db.executemany("UPDATE reports SET event_id = ? WHERE report_id = ?",
                            [(event_id, r) for r in report_ids])

    def iter_reports(self, where: str = "", params: tuple[Any, ...] = ()) -> Iterator[StoredReport]:
        """Reports with their evidence and their article's source; ``where`` filters ``reports r``."""
        names = ", ".join(f"r.{n}" for n in REPORT_FIELDS)
        sql = (f"SELECT r.report_id, r.event_id, r.sites, a.url, a.title, a.publisher, a.published, {names}"
               f" FROM reports r JOIN articles a ON a.article_id = r.article_id {where}"
               " ORDER BY coalesce(r.date_start, r.event_date, a.published), r.report_id")
        rows = self.db.execute(sql, params).fetchall()
        evidence: dict[str, list[Evidence]] = {}
        ids = [row[0] for row in rows]
        for chunk in range(0, len(ids), 500):
            part = ids[chunk : chunk + 500]
            for report_id, *values in self.db.execute(
                'SELECT report_id, field, article_id, start, "end", text FROM report_evidence'
                f" WHERE report_id IN ({', '.join('?' for _ in part)}) ORDER BY rowid", part,
            ):
                evidence.setdefault(report_id, []).append(Evidence(*values))
        for report_id, canonical, sites, url, title, publisher, published, *values in rows:
            data = dict(zip(REPORT_FIELDS, values))
            _decode_lists(data)
            source = Source(data["article_id"], url, title, publisher, published)
            event = Event(event_id=report_id, **data, sources=(source,),
                          evidence=tuple(evidence.get(report_id, ())))
            yield StoredReport(event, canonical, frozenset(json.loads(sites or "[]")), published)

    def article_sources(self, article_ids: Iterable[str]) -> list[Source]:
        """The articles as sources, with every near-duplicate copy of them."""
        ids = sorted(set(article_ids))
        if not ids:
            return []
        marks = ", ".join("?" for _ in ids)
        rows = self.db.execute(
            "SELECT article_id, url, title, publisher, published FROM articles"
            f" WHERE article_id IN ({marks}) OR duplicate_of IN ({marks})", (*ids, *ids),
        ).fetchall()
        return [Source(*row) for row in rows]

    def near_duplicate_candidates(self, band_hashes: Iterable[tuple[int, int]]) -> list[tuple[str, bytes, str]]:
        """Stored articles sharing a MinHash band: (article_id, minhash, root article id)."""
        pairs = list(band_hashes)
        if not pairs:
            return []
        clause = " OR ".join("(b.band = ? AND b.hash = ?)" for _ in pairs)
        return [
            (row[0], row[1], row[2] or row[0])
            for row in self.db.execute(
                "SELECT DISTINCT a.article_id, a.minhash, a.duplicate_of FROM article_bands b"
                f" JOIN articles a ON a.article_id = b.article_id WHERE {clause} ORDER BY a.article_id",
                [v for pair in pairs for v in pair],
            )
            if row[1] is not None
        ]

    def canonical_of_article(self, article_id: str) -> list[str]:
        return [r[0] for r in self.db.execute(
            "SELECT DISTINCT event_id FROM reports WHERE article_id = ? AND event_id IS NOT NULL", (article_id,))]

    def add_decision(self, decision: Decision) -> None:
        self.db.execute(
            "INSERT INTO merge_decisions (at, reviewer, action, event_id, other_id, article_id, result_id,"
            " report_ids, kept_report_ids) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (decision.at, decision.reviewer, decision.action, decision.event_id, decision.other_id,
             decision.article_id, decision.result_id, json.dumps(list(decision.report_ids)),
             json.dumps(list(decision.kept_report_ids))),
        )

    def decisions(self) -> list[Decision]:
        rows = self.db.execute(
            "SELECT action, event_id, other_id, article_id, result_id, report_ids, kept_report_ids, reviewer, at"
            " FROM merge_decisions ORDER BY decision_id"
        ).fetchall()
        return [Decision(a, e, o, art, res, tuple(json.loads(ids)), tuple(json.loads(kept)), rev, at)
                for a, e, o, art, res, ids, kept, rev, at in rows]

    def article_text(self, article_id: str) -> str | None:
        row = self.db.execute("SELECT text FROM articles WHERE article_id = ?", (article_id,)).fetchone()
        return row[0] if row else None

    def counts(self) -> dict[str, int]:
        return {
            table: self.db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            for table in ("articles", "events", "evidence", "sources", "quarantine", "reports")
        }


def _decode_lists(row: dict[str, Any]) -> None:
    for name in _EVENT_LIST_FIELDS:
        row[name] = tuple(tuple(x) if isinstance(x, list) else x for x in json.loads(row[name] or "[]"))
    row["civilian_targeting"] = bool(row["civilian_targeting"])
    row["hedged"] = bool(row["hedged"])


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
    if 0 < version < SCHEMA_VERSION and not _has_table(db, "articles"):
        db.close()
        raise UsageError(f"{path} says schema version {version} but has no fieldreport tables; "
                         "is it another program's database?")
    for target in range(version + 1, SCHEMA_VERSION + 1):
        try:
            # executescript commits first; BEGIN makes the script and the version one transaction
            db.executescript(f"BEGIN;\n{_MIGRATIONS[target]}\nPRAGMA user_version = {target};\nCOMMIT;")
            for backfill in _BACKFILLS.get(target, ()):
                with db:
                    backfill(db)
        except sqlite3.DatabaseError as exc:
            db.rollback()
            db.close()
            raise UsageError(f"could not upgrade {path} from schema version {target - 1} to {target} ({exc}); "
                             "the file is unchanged; restore a backup or re-run into a new --db") from exc
    return Store(db)


def _has_table(db: sqlite3.Connection, name: str) -> bool:
    return db.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (name,)).fetchone() is not None


def _backfill_signatures(db: sqlite3.Connection) -> None:
    """Version 2: near-duplicate signatures for articles stored by version 1."""
    from .merge.neardup import bands, minhash

    rows = db.execute("SELECT article_id, text FROM articles WHERE minhash IS NULL").fetchall()
    for article_id, text in rows:
        signature = minhash(text)
        db.execute("UPDATE articles SET minhash = ? WHERE article_id = ?", (signature, article_id))
        db.executemany("INSERT OR IGNORE INTO article_bands (band, hash, article_id) VALUES (?, ?, ?)",
                       [(band, value, article_id) for band, value in bands(signature)])


# Python steps that follow a version's SQL (data the SQL cannot compute).
_BACKFILLS: dict[int, tuple[Callable[[sqlite3.Connection], None], ...]] = {2: (_backfill_signatures,)}
