"""`fieldreport geocode` output and toponym scoring (geoeval)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from fieldreport.geoeval import aligned_toponyms, score_toponyms


def _top(start: int, end: int, name: str, lat: float | None, lon: float | None) -> dict[str, Any]:
    return {"start": start, "end": end, "name": name, "latitude": lat, "longitude": lon}


GOLD = [{
    "id": "a", "text": "Shelling hit Aleppo and Homs.",
    "toponyms": [_top(13, 19, "Aleppo", 36.2, 37.16), _top(24, 28, "Homs", 34.73, 36.71)],
}]


def test_exact_spans_and_distances_score() -> None:
    pred = {"a": [_top(13, 19, "Aleppo", 36.21, 37.15), _top(24, 28, "Homs", 36.2, 37.16)]}
    report = score_toponyms(GOLD, pred)
    assert report["toponym_span_f1"] == 1.0
    # Homs placed at Aleppo (~165 km off) counts wrong.
    assert report["toponym_accuracy_161km"] == 0.5
    assert report["n_toponym_accuracy_161km"] == 2


def test_a_missed_toponym_counts_wrong_and_extra_spans_cost_precision() -> None:
    pred = {"a": [_top(13, 19, "Aleppo", 36.2, 37.16), _top(0, 8, "Shelling", 1.0, 1.0)]}
    report = score_toponyms(GOLD, pred)
    assert report["toponym_accuracy_161km"] == 0.5
    assert report["toponym_span_precision"] == 0.5 and report["toponym_span_recall"] == 0.5
    assert report["toponym_resolved_161km"] == 1.0


def test_gold_offsets_off_by_one_are_realigned_to_the_name() -> None:
    record = {"text": "Cases in Pandi, Bulacan.", "toponyms": [_top(10, 15, "Pandi", 14.87, 120.95)]}
    assert [(t["start"], t["end"]) for t in aligned_toponyms(record)] == [(9, 14)]


@pytest.fixture(scope="module")
def geocoder(tmp_path_factory: pytest.TempPathFactory, nlp: Any) -> tuple[Any, Any]:
    from fieldreport.gazetteer import open_gazetteer

    return nlp, open_gazetteer(tmp_path_factory.getbasetemp() / "gazetteer.sqlite")


def test_geocode_records_gives_spans_coordinates_and_demonyms(geocoder: tuple[Any, Any]) -> None:
    from fieldreport.geocode import geocode_records

    text = "A tornado hit Alexandria, La., on Tuesday, Russian media reported."
    [result] = list(geocode_records([{"id": "x", "text": text}], *geocoder))
    by_name = {t["name"]: t for t in result["toponyms"]}
    assert by_name["Alexandria"]["admin1"] == "Louisiana"
    assert by_name["Russian"]["country"] == "Russia"
    for toponym in result["toponyms"]:
        assert text[toponym["start"]:toponym["end"]] == toponym["name"]
        assert set(toponym) >= {"latitude", "longitude", "geonameid", "country", "admin1"}


def test_nationality_words_inside_names_and_compounds_are_their_country(geocoder: tuple[Any, Any]) -> None:
    """Geoparsing output reads "Lebanese" in "the Lebanese Army" and "Palestinian"
    in "inter-Palestinian" as toponyms, as it reads "Dublin" in "Dublin City Council";
    a capitalised word that names no nation ("Airlines") stays out."""
    from fieldreport.geocode import geocode_records

    text = ("The Lebanese Army closed the crossing on Friday, a day after inter-Palestinian talks in Cairo "
            "stalled, and American Airlines cancelled two flights.")
    [result] = list(geocode_records([{"id": "x", "text": text}], *geocoder))
    countries = {t["name"]: t["country"] for t in result["toponyms"]}
    assert countries["Lebanese"] == "Lebanon"
    assert countries["Palestinian"] == "Palestinian Territory"
    assert countries["American"] == "United States"
    assert "Airlines" not in countries and "Army" not in countries


def test_words_for_a_states_people_are_that_state_but_surnames_stay_people(geocoder: tuple[Any, Any]) -> None:
    from fieldreport.geocode import geocode_records

    text = ("Ohioans and Ontarians crossed the lake for the fair, while one Texan said the price was fair. "
            "Judge Susan Turner ruled on Monday; the Romans built the road, Turner said.")
    [result] = list(geocode_records([{"id": "x", "text": text}], *geocoder))
    found = {t["name"]: t for t in result["toponyms"]}
    assert (found["Ohioans"]["feature"], found["Ohioans"]["admin1"]) == ("admin1", "Ohio")
    assert (found["Ontarians"]["country"], found["Ontarians"]["admin1"]) == ("Canada", "Ontario")
    assert found["Texan"]["admin1"] == "Texas"
    assert not {"Susan", "Turner", "Romans"} & set(found)


def test_geocode_and_eval_commands(tmp_path: Path, geocoder: tuple[Any, Any], monkeypatch: pytest.MonkeyPatch,
                                   capsys: pytest.CaptureFixture[str]) -> None:
    from fieldreport.cli import main

    monkeypatch.setenv("FIELDREPORT_GAZETTEER_PATH", str(geocoder[1].path))
    gold = tmp_path / "gold.jsonl"
    gold.write_text(json.dumps(GOLD[0]) + "\n", encoding="utf-8")
    out = tmp_path / "pred.jsonl"
    assert main(["geocode", str(gold), "-o", str(out), "--quiet"]) == 0
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [line["id"] for line in lines] == ["a"]
    assert {t["name"] for t in lines[0]["toponyms"]} >= {"Aleppo", "Homs"}
    assert main(["eval", str(gold), "--pred", str(out), "--quiet"]) == 0
    printed = capsys.readouterr().out
    assert "toponym_accuracy_161km  1.0" in printed and "toponym_span_f1" in printed
