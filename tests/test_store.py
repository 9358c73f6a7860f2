"""The SQLite store: schema versions, idempotent upserts, quarantine rows."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from fieldreport.errors import UsageError
from fieldreport.records import Article, Coded, Event, Evidence, Rejected, Source
from fieldreport.store import SCHEMA_VERSION, open_store

TEXT = "Gunmen killed three shepherds near Kirkuk on Monday, police said."


def _coded() -> Coded:
    article = Article("a1", TEXT, "Shepherds killed", "https://x.example/1", "Kirkuk Now",
                      "2016-05-03", "metadata", "one.html", "f" * 64)
    event = Event(
        event_id="e1", article_id="a1", disorder_type="Political violence",
        event_type="Violence against civilians", sub_event_type="Attack",
        actor1="Unidentified Armed Group (Iraq)", actor2="Civilians (Iraq)",
        assoc_actor_2=("Shepherds",), fatalities=3, event_date="2016-05-02",
        sources=(Source("a1", article.url, article.title, article.publisher, article.published),),
        evidence=(Evidence("fatalities", "a1", 7, 19, TEXT[7:19]),),
        null_reasons=(("location", "no gazetteer match"),),
    )
    return Coded(article=article, events=(event,))


def test_event_round_trips_with_sources_and_evidence(tmp_path: Path) -> None:
    coded = _coded()
    with open_store(tmp_path / "p.sqlite") as store:
        store.save_event(coded.events[0])
        (event,) = store.iter_events()
    assert event == coded.events[0]


def test_report_round_trips_with_its_article_as_source(tmp_path: Path) -> None:
    coded = _coded()
    with open_store(tmp_path / "p.sqlite") as store:
        store.save_coded(coded, sites={"e1": frozenset({"hurriya"})})
        (stored,) = store.iter_reports()
    assert stored.event == coded.events[0]
    assert (stored.canonical_id, stored.sites, stored.published) == (None, {"hurriya"}, "2016-05-03")


def test_saving_twice_adds_nothing(tmp_path: Path) -> None:
    with open_store(tmp_path / "p.sqlite") as store:
        store.save_coded(_coded())
        store.save_coded(_coded())
        assert store.counts() == {"articles": 1, "events": 0, "evidence": 0, "sources": 0, "quarantine": 0,
                                  "reports": 1}
        assert store.seen_page("f" * 64)


def test_storing_a_report_again_keeps_its_merge(tmp_path: Path) -> None:
    with open_store(tmp_path / "p.sqlite") as store:
        store.save_coded(_coded())
        store.assign_reports(["e1"], "canonical-1")
        store.save_coded(_coded())
        (stored,) = store.iter_reports()
    assert stored.canonical_id == "canonical-1"


# A database written by fieldreport 0.1 (schema version 1), abridged to what matters.
V1_SCHEMA = """
CREATE TABLE articles (article_id TEXT PRIMARY KEY, url TEXT, title TEXT, publisher TEXT, published TEXT,
    published_source TEXT, source_path TEXT, page_sha256 TEXT, text TEXT NOT NULL, n_events INTEGER NOT NULL DEFAULT 0);
CREATE TABLE pages (sha256 TEXT NOT NULL, source_path TEXT NOT NULL, article_id TEXT, status TEXT NOT NULL,
    PRIMARY KEY (sha256, source_path));
CREATE INDEX pages_sha ON pages(sha256);
CREATE TABLE events (event_id TEXT PRIMARY KEY, article_id TEXT, disorder_type TEXT, event_type TEXT,
    sub_event_type TEXT, actor1 TEXT, actor2 TEXT, assoc_actor_1 TEXT, assoc_actor_2 TEXT, inter1 TEXT, inter2 TEXT,
    interaction INTEGER, civilian_targeting INTEGER, event_date TEXT, date_start TEXT, date_end TEXT,
    time_precision INTEGER, country TEXT, iso3 TEXT, admin1 TEXT, admin2 TEXT, location TEXT, latitude REAL,
    longitude REAL, geo_precision INTEGER, geonameid INTEGER, fatalities INTEGER, fatalities_low INTEGER,
    fatalities_high INTEGER, modality TEXT, attribution TEXT, hedged INTEGER, notes TEXT, confidence REAL,
    null_reasons TEXT, n_sources INTEGER NOT NULL DEFAULT 1);
CREATE TABLE evidence (event_id TEXT NOT NULL, field TEXT NOT NULL, article_id TEXT NOT NULL,
    start INTEGER NOT NULL, "end" INTEGER NOT NULL, text TEXT NOT NULL);
CREATE TABLE sources (event_id TEXT NOT NULL, article_id TEXT NOT NULL, url TEXT, title TEXT, publisher TEXT,
    published TEXT, PRIMARY KEY (event_id, article_id));
CREATE TABLE quarantine (source_path TEXT NOT NULL, sha256 TEXT NOT NULL, code TEXT NOT NULL, detail TEXT,
    hint TEXT, PRIMARY KEY (source_path, sha256));
INSERT INTO articles VALUES ('a1', 'https://x.example/1', 'Shepherds killed', 'Kirkuk Now', '2016-05-03',
    'metadata', 'one.html', 'ffff', 'Gunmen killed three shepherds near Kirkuk on Monday, police said.', 1);
INSERT INTO events (event_id, article_id, disorder_type, event_type, sub_event_type, assoc_actor_1,
    assoc_actor_2, civilian_targeting, event_date, fatalities, modality, hedged, null_reasons)
    VALUES ('e1', 'a1', 'Political violence', 'Violence against civilians', 'Attack', '[]', '[]', 0,
    '2016-05-02', 3, 'actual', 0, '[]');
INSERT INTO evidence VALUES ('e1', 'fatalities', 'a1', 7, 19, 'killed three');
INSERT INTO sources VALUES ('e1', 'a1', 'https://x.example/1', 'Shepherds killed', 'Kirkuk Now', '2016-05-03');
PRAGMA user_version = 1;
"""


def test_a_version_1_database_is_upgraded_keeping_its_events(tmp_path: Path) -> None:
    from fieldreport.merge import merge_pending

    path = tmp_path / "old.sqlite"
    db = sqlite3.connect(path)
    db.executescript(V1_SCHEMA)
    db.close()
    with open_store(path) as store:
        assert store.db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        (event,) = store.iter_events()
        (stored,) = store.iter_reports()
        assert merge_pending(store).reports == 0  # already its own canonical event
        signature = store.db.execute("SELECT minhash FROM articles").fetchone()[0]
    assert (event.event_id, event.fatalities, event.evidence[0].text) == ("e1", 3, "killed three")
    assert stored.canonical_id == "e1" and stored.event.evidence == event.evidence
    assert signature is not None


def test_a_database_claiming_an_old_version_without_our_tables_fails_clearly(tmp_path: Path) -> None:
    path = tmp_path / "other.sqlite"
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE notes (body TEXT)")
    db.execute("PRAGMA user_version = 1")
    db.close()
    with pytest.raises(UsageError, match="no fieldreport tables"):
        open_store(path)


def test_quarantine_row_keeps_code_and_hint(tmp_path: Path) -> None:
    with open_store(tmp_path / "p.sqlite") as store:
        store.quarantine(Rejected("bad.html", "0" * 64, "EMPTY", "bad.html is empty", "check the download"))
        row = store.db.execute("SELECT source_path, code, hint FROM quarantine").fetchone()
    assert row == ("bad.html", "EMPTY", "check the download")


def test_schema_version_is_recorded(tmp_path: Path) -> None:
    open_store(tmp_path / "p.sqlite").close()
    db = sqlite3.connect(tmp_path / "p.sqlite")
    assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def test_database_from_a_newer_version_fails_clearly(tmp_path: Path) -> None:
    path = tmp_path / "future.sqlite"
    db = sqlite3.connect(path)
    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 5}")
    db.close()
    with pytest.raises(UsageError, match="newer than this fieldreport"):
        open_store(path)


def test_not_a_database_fails_clearly(tmp_path: Path) -> None:
    path = tmp_path / "notes.sqlite"
    path.write_text("these are my notes, not a database " * 100)
    with pytest.raises(UsageError, match="not a fieldreport SQLite database"):
        open_store(path)


def test_export_of_missing_database_says_how_to_create_it(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="fieldreport run"):
        open_store(tmp_path / "missing.sqlite", create=False)
