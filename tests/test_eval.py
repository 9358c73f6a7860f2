"""The scorer: hand-built gold and predictions with known answers."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from fieldreport.errors import UsageError
from fieldreport.eval import evaluate, haversine_km, predictions_from_records, read_gold, sub_event_scores

MOSUL = (36.34, 43.13)
ERBIL = (36.19, 44.01)  # about 80 km east of Mosul


def pred(event_type: str, sub: str = "", lat: float | None = None, lon: float | None = None,
         date: str | None = None, fatalities: int = 0, modality: str = "actual") -> dict:
    return {"event_type": event_type, "sub_event_type": sub, "latitude": lat, "longitude": lon,
            "event_date": date, "fatalities": fatalities, "modality": modality, "confidence": 0.9}


GOLD = [
    {"id": "a", "text": "...", "events": [{"event_type": "Battles", "sub_event_type": "Armed clash",
                                            "latitude": MOSUL[0], "longitude": MOSUL[1],
                                            "event_date": "2016-10-20", "fatalities": 5}]},
    {"id": "b", "text": "...", "events": [{"event_type": ["Protests", "Riots"],
                                            "sub_event_type": "Peaceful protest",
                                            "date_start": "2016-10-01", "date_end": "2016-10-31",
                                            "fatalities": 0, "fatalities_low": 0, "fatalities_high": 2}]},
    {"id": "c", "text": "a flood", "events": []},
    {"id": "d", "text": "...", "events": [{"event_type": "Explosions/Remote violence"}]},
]


def test_scores_a_small_gold_set_field_by_field() -> None:
    predictions = {
        "a": [pred("Battles", "Armed clash", *ERBIL, date="2016-10-22", fatalities=5)],
        "b": [pred("Riots", "Violent demonstration", date="2016-10-15", fatalities=1)],
        "c": [pred("Battles", "Armed clash")],          # a false event on a non-event
        "d": [pred("Battles", "Armed clash", modality="forecast")],  # forecasts are not detections
    }
    report = evaluate(GOLD, predictions)
    # a, b true positives; c false positive; d missed
    assert (report["detection_precision"], report["detection_recall"]) == (pytest.approx(2 / 3, abs=1e-4), 0.6667)
    assert report["event_type_accuracy"] == 0.6667
    assert (report["location_25km"], report["location_161km"]) == (0.0, 1.0)
    assert report["date_exact"] == 0.0 and report["date_within_7d"] == 1.0 and report["date_in_window"] == 1.0
    assert report["fatalities_exact"] == 0.5 and report["fatalities_in_range"] == 1.0
    assert report["sub_event_accuracy"] == 0.5


@pytest.mark.parametrize("gold_actor, predicted, match", [
    ("Government of Syria", "Military Forces of Syria (2000-)", True),  # UCDP's name for the state
    ("IS", "Islamic State (Syria)", True),  # an alias of the dictionary's actor
    ("SDF", "QSD: Syrian Democratic Forces", True),
    ("Government of Turkey", "Military Forces of Syria (2000-)", False),
    ("IS", "Hayat Tahrir al-Sham", False),
])
def test_actor_names_from_other_datasets_are_read_through_the_dictionary(gold_actor: str, predicted: str,
                                                                        match: bool) -> None:
    gold = [{"id": "a", "text": "...", "events": [{"event_type": "Battles", "actor1": gold_actor}]}]
    predictions = {"a": [{**pred("Battles", "Armed clash"), "actor1": predicted}]}
    assert evaluate(gold, predictions)["actor1"] == (1.0 if match else 0.0)


def test_haversine_mosul_to_erbil_is_about_80_km() -> None:
    assert 75 < haversine_km(*MOSUL, *ERBIL) < 85


def test_macro_f1_weighs_rare_sub_events_equally() -> None:
    pairs = [("Armed clash", "Armed clash")] * 8 + [("Grenade", "Armed clash"), ("Grenade", "Grenade")]
    scores = sub_event_scores(pairs)
    assert scores["sub_event_accuracy"] == 0.9
    assert scores["sub_event_macro_f1"] < scores["sub_event_weighted_f1"]


def test_predictions_are_matched_back_by_their_gold_url() -> None:
    records = [{"event_type": "Battles", "sources": [{"url": "urn:gold:a"}]},
               {"event_type": "Riots", "sources": [{"url": "https://example.org/x"}]}]
    assert list(predictions_from_records(records)) == ["a"]


def test_a_gold_line_without_text_is_a_usage_error(tmp_path: Path) -> None:
    path = tmp_path / "gold.jsonl"
    path.write_text(json.dumps({"id": "x"}) + "\n")
    with pytest.raises(UsageError, match="gold.jsonl:1"):
        read_gold(path)
