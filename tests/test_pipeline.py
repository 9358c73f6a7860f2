"""The whole pipeline on the bundled demo corpus: invariants plus a diffable golden file."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from fieldreport.export import event_record
from fieldreport.records import Event
from fieldreport.store import open_store

GOLDEN = Path(__file__).parent / "golden" / "demo_events.jsonl"
GOLDEN_FIELDS = ("file", "event_date", "time_precision", "event_type", "sub_event_type", "actor1", "actor2",
                 "location", "country", "geo_precision", "fatalities", "modality", "hedged")


def _texts(demo_db: Any) -> dict[str, str]:
    with open_store(demo_db[0], create=False) as store:
        return dict(store.db.execute("SELECT article_id, text FROM articles"))


def _events(demo_db: Any) -> list[tuple[str, Event]]:
    """Canonical events with the file of every article that reports them."""
    with open_store(demo_db[0], create=False) as store:
        files = dict(store.db.execute("SELECT article_id, source_path FROM articles"))
        events = list(store.iter_events())
    return [(Path(files[s.article_id]).name, e) for e in events for s in e.sources]


def test_every_demo_page_is_coded_and_nothing_quarantined(demo_db: Any) -> None:
    _, summary = demo_db
    assert summary.pages == 21 and summary.coded == 21 and summary.quarantined == 0


def test_every_evidence_span_is_exactly_the_cited_words(demo_db: Any) -> None:
    texts, checked = _texts(demo_db), 0
    for _, event in _events(demo_db):
        assert event.evidence, event.event_id
        for ev in event.evidence:
            assert texts[ev.article_id][ev.start : ev.end] == ev.text
            checked += 1
    assert checked > 50


def _by_file(demo_db: Any, name: str) -> list[Event]:
    """One file's events, the most confident (the article's main event) first."""
    return sorted((e for f, e in _events(demo_db) if f.startswith(name)), key=lambda e: -e.confidence)


def test_trending_headlines_about_other_wars_never_become_events(demo_db: Any) -> None:
    for _, event in _events(demo_db):
        assert event.country not in {"Nigeria", "Afghanistan", "Pakistan", "Somalia"}, event.notes


def test_football_report_codes_no_event(demo_db: Any) -> None:
    assert [e for e in _by_file(demo_db, "16_football") if e.modality == "actual"] == []


def test_baghdad_market_suicide_car_bomb(demo_db: Any) -> None:
    (main, *_) = _by_file(demo_db, "08_baghdad")
    assert (main.sub_event_type, main.event_date, main.location, main.modality) == (
        "Suicide bomb", "2016-09-08", "Baghdad", "actual")
    assert (main.fatalities, main.fatalities_low) == (23, 23)


def test_forecast_of_the_mosul_offensive_is_not_an_actual_event(demo_db: Any) -> None:
    mosul = [e for e in _by_file(demo_db, "13_mosul") if e.location == "Mosul"]
    assert mosul and all(e.modality == "forecast" for e in mosul)


def test_opinion_piece_keeps_the_fall_of_mosul_in_june_2014(demo_db: Any) -> None:
    dates = {e.event_date for e in _by_file(demo_db, "14_opinion")}
    assert "2014-06-10" in dates
    assert any(d and d.startswith("2019-06") for d in dates)


def test_two_reports_of_the_hasakah_car_bomb_become_one_event_with_both_sources(demo_db: Any) -> None:
    (event,) = [e for e in _by_file(demo_db, "09_hasakah") if len(e.sources) > 1]
    assert event in _by_file(demo_db, "10_hasakah")
    assert (event.event_type, event.event_date, event.country) == ("Explosions/Remote violence", "2017-04-08", "Syria")
    assert {s.publisher for s in event.sources} == {"Levant Wire", "Euphrates Herald"}
    assert (event.fatalities, event.fatalities_low, event.fatalities_high) == (12, 12, 15)


def test_protesters_shot_in_basra_is_excessive_force(demo_db: Any) -> None:
    (main, *_) = _by_file(demo_db, "12_basra")
    assert main.sub_event_type == "Excessive force against protesters"
    assert main.fatalities == 2 and main.actor2 and main.actor2.startswith("Protesters")


def _golden_rows(demo_db: Any) -> list[dict[str, Any]]:
    rows = []
    for name, event in _events(demo_db):
        record = event_record(event)
        record["file"] = name
        rows.append({k: record[k] for k in GOLDEN_FIELDS})
    return sorted(rows, key=lambda r: (r["file"], r["event_date"] or "", r["sub_event_type"]))


def test_demo_events_match_the_golden_file(demo_db: Any, request: pytest.FixtureRequest) -> None:
    rows = _golden_rows(demo_db)
    if request.config.getoption("--update-golden"):
        GOLDEN.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    expected = [json.loads(line) for line in GOLDEN.read_text(encoding="utf-8").splitlines()]
    assert rows == expected, "demo output changed; review the diff and re-run with --update-golden"
