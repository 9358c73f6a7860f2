"""Quality gate: toponym resolution on the public geoparsing benchmarks, pinned as floors.

Floors are the scores measured when the gate was set, less a small tolerance
for noise; raise them when resolution improves. A deterministic sample (every
4th document) keeps the run near a minute; `python bench/geocode.py` gives the
full-set figures.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from fieldreport.geocode import geocode_records, read_records
from fieldreport.geoeval import score_toponyms

BENCHMARKS = Path(__file__).resolve().parents[2] / "shared" / "benchmarks" / "geoparsing"
TOLERANCE = 0.02
# Measured on every 4th document (sample below) with the embedded gazetteer.
FLOORS = {
    # Full sets (tenth session): LGL 0.830 (161 km) / 0.789 span F1; GeoVirus 0.823 / 0.841.
    # GeoVirus' span F1 fell from 0.854 when nationality words inside names became
    # toponyms: LGL's gold counts them, GeoVirus' does not. LGL's sample fell from
    # 0.8173 / 0.7849 in the tenth session (its odd half, where decisions are made,
    # stayed at 0.8305 and rose to 0.798 span F1; the even half lost 5 toponyms).
    "lgl.jsonl": {"toponym_accuracy_161km": 0.8147, "toponym_span_f1": 0.7822},
    "geovirus.jsonl": {"toponym_accuracy_161km": 0.8132, "toponym_span_f1": 0.8369},
}

pytestmark = pytest.mark.skipif(not BENCHMARKS.is_dir(), reason=f"benchmarks not found at {BENCHMARKS}")


@pytest.fixture(scope="module")
def geocoder(tmp_path_factory: pytest.TempPathFactory, nlp: Any) -> tuple[Any, Any]:
    from fieldreport.gazetteer import open_gazetteer

    return nlp, open_gazetteer(tmp_path_factory.getbasetemp() / "gazetteer.sqlite")


@pytest.mark.parametrize("name", sorted(FLOORS))
def test_toponym_scores_stay_above_floors(name: str, geocoder: tuple[Any, Any]) -> None:
    records = read_records(BENCHMARKS / name)[::4]
    predicted = {str(r["id"]): r["toponyms"] for r in geocode_records(records, *geocoder)}
    report = score_toponyms(records, predicted)
    for metric, floor in FLOORS[name].items():
        assert report[metric] >= floor - TOLERANCE, f"{name} {metric} {report[metric]} < floor {floor}"
