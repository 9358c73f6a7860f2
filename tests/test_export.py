"""Exports of canonical events: ACLED csv, geojson for GIS, parquet, and the export filters."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from fieldreport.cli import main
from fieldreport.export import EventFilter, event_record, export_events
from fieldreport.records import Event, Evidence, Source
from fieldreport.store import open_store


def _event(event_id: str, **fields: object) -> Event:
    data: dict[str, object] = dict(
        disorder_type="Political violence", event_type="Explosions/Remote violence",
        sub_event_type="Remote explosive/landmine/IED", event_date="2017-03-14", date_start="2017-03-14",
        date_end="2017-03-14", time_precision=1, country="Iraq", iso3="IRQ", admin1="Kirkuk", location="Kirkuk",
        latitude=35.4681, longitude=44.3922, geo_precision=1, fatalities=12, fatalities_low=12,
        fatalities_high=15, assoc_actor_2=("Shoppers",), null_reasons=(("actor1", "no actor named"),),
        sources=(Source("a1", "https://kirkuknow.example/1", "Car bomb", "Kirkuk Now", "2017-03-14"),
                 Source("a2", "https://rudaw.example/2", "At least 15 dead", "Rudaw Wire", "2017-03-14")),
        evidence=(Evidence("fatalities", "a1", 0, 9, "12 killed"),),
    )
    data.update(fields)
    return Event(event_id=event_id, article_id="a1", **data)  # type: ignore[arg-type]


EVENTS = [
    _event("kirkuk"),
    _event("aleppo", event_date="2016-08-01", date_start="2016-08-01", date_end="2016-08-01", country="Syria",
           iso3="SYR", location="Aleppo", event_type="Battles", sub_event_type="Armed clash"),
    _event("basra", event_date="2019-10-02", date_start="2019-10-02", date_end="2019-10-02", location="Basra",
           disorder_type="Demonstrations", event_type="Protests", sub_event_type="Peaceful protest",
           latitude=None, longitude=None),
    _event("mosul", modality="forecast", location="Mosul"),
]

FILTERS = [
    ("every event without a filter", EventFilter(), ["kirkuk", "aleppo", "basra", "mosul"]),
    ("events since 2017", EventFilter(since="2017-01-01"), ["kirkuk", "basra", "mosul"]),
    ("events in Syria by name", EventFilter(country="syria"), ["aleppo"]),
    ("events in Iraq by ISO3 code", EventFilter(country="IRQ"), ["kirkuk", "basra", "mosul"]),
    ("battles only", EventFilter(event_type="Battles"), ["aleppo"]),
    ("peaceful protests by sub-event type", EventFilter(event_type="peaceful protest"), ["basra"]),
    ("Iraqi explosions since 2018: none", EventFilter(since="2018-01-01", country="Iraq",
                                                      event_type="Explosions/Remote violence"), []),
]


@pytest.mark.parametrize("case, where, expected", FILTERS, ids=[c[0] for c in FILTERS])
def test_export_filters(case: str, where: EventFilter, expected: list[str]) -> None:
    assert [e.event_id for e in where.apply(EVENTS)] == expected


def test_acled_csv_joins_sources_and_keeps_actual_events() -> None:
    out = io.StringIO()
    assert export_events(EVENTS, "acled-csv", out) == 3
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert rows[0]["source"] == "Kirkuk Now; Rudaw Wire"
    assert "source_scale" in rows[0]
    assert (rows[0]["fatalities"], rows[0]["latitude"]) == ("12", "35.4681")


def test_geojson_has_flat_properties_that_gis_tools_read_as_columns() -> None:
    out = io.StringIO()
    assert export_events(EVENTS, "geojson", out) == 2  # basra has no point, mosul is a forecast
    collection = json.loads(out.getvalue())
    feature = collection["features"][0]
    assert feature["geometry"] == {"type": "Point", "coordinates": [44.3922, 35.4681]}
    props = feature["properties"]
    assert all(not isinstance(v, (list, dict)) for v in props.values())
    assert (props["sources"], props["n_sources"], props["assoc_actor_2"]) == ("Kirkuk Now; Rudaw Wire", 2, "Shoppers")
    assert props["null_reasons"] == "actor1: no actor named"


def test_parquet_round_trips_the_event_record(tmp_path: Path) -> None:
    import pyarrow.parquet as pq

    path = tmp_path / "events.parquet"
    with path.open("wb") as out:
        assert export_events(EVENTS, "parquet", out, all_modalities=True) == 4
    rows = pq.read_table(path).to_pylist()
    expected = event_record(EVENTS[0])
    first = rows[0]
    assert first["sources"] == list(expected["sources"]) and first["evidence"] == list(expected["evidence"])
    assert dict(first["null_reasons"]) == expected["null_reasons"]
    assert {k: v for k, v in first.items() if k not in {"sources", "evidence", "null_reasons"}} == {
        k: v for k, v in expected.items() if k not in {"sources", "evidence", "null_reasons"}}


def test_export_command_filters_and_writes_parquet(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import pyarrow.parquet as pq

    db = tmp_path / "p.sqlite"
    with open_store(db) as store:
        for event in EVENTS:
            store.save_event(event)
    assert main(["export", "--db", str(db), "--format", "jsonl", "--country", "IRQ", "--since", "2019-01-01"]) == 0
    assert [json.loads(line)["event_id"] for line in capsys.readouterr().out.splitlines()] == ["basra"]
    out = tmp_path / "e.parquet"
    assert main(["export", "--db", str(db), "--format", "parquet", "--type", "Battles", "-o", str(out)]) == 0
    assert pq.read_table(out).column("event_id").to_pylist() == ["aleppo"]
    assert main(["export", "--db", str(db), "--format", "parquet"]) == 2
    assert "name it with -o FILE" in capsys.readouterr().err
