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
        store.save_coded(coded)
        (event,) = store.iter_events()
    assert event == coded.events[0]


def test_saving_twice_adds_nothing(tmp_path: Path) -> None:
    with open_store(tmp_path / "p.sqlite") as store:
        store.save_coded(_coded())
        store.save_coded(_coded())
        assert store.counts() == {"articles": 1, "events": 1, "evidence": 1, "sources": 1, "quarantine": 0}
        assert store.seen_page("f" * 64)


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
