"""Quality gate: the real pipeline's eval scores on the shared benchmarks, pinned as floors.

Each floor is the figure the default pipeline reached when it was pinned
(docs/results.md, same samples) minus TOLERANCE for noise from library
updates. A change that lowers a figure by more fails here; a change that
raises one should raise its floor in the same commit. The benchmarks are
read from ../shared/benchmarks (never copied into the repository, never
trained on); the gate is skipped only when that folder is absent.

Samples are deterministic and small enough for about a minute of coding:
case2021-task2 whole (510 snippets), every 10th acled-asia-2015 record (306)
and every 40th ucdp-ged-syria record (411).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
BENCHMARKS = Path(os.environ.get("FIELDREPORT_BENCHMARKS", ROOT.parent / "shared" / "benchmarks"))
TOLERANCE = 0.02

# Pinned 2026-12-03 (tenth session) with the default settings (classifier = "linear",
# 7,857 team-written examples, add_event 0.0, no_event_discount 1.0; grievances, demonstrations
# coded by their most force, report dates, claims, regional actors and places, actor-country
# hints for places, gold actor names read through the actor dictionary).
FLOORS: dict[str, tuple[int, dict[str, float]]] = {
    "case2021-task2": (1, {
        "detection_f1": 0.8811,
        "event_type_accuracy": 0.8963,
        "sub_event_accuracy": 0.8321,
        "sub_event_macro_f1": 0.7877,
        "sub_event_weighted_f1": 0.8371,
    }),
    "acled-asia-2015": (10, {
        "detection_f1": 0.7368,
        "event_type_accuracy": 0.7320,
        "sub_event_macro_f1": 0.7099,
        "actor1": 0.4706,
        "location_161km": 0.4150,
        "date_within_7d": 0.7222,
        "fatalities_exact": 0.6569,
    }),
    "ucdp-ged-syria": (40, {
        "detection_f1": 0.8818,
        "event_type_accuracy": 0.8443,
        "actor1": 0.1606,
        "location_161km": 0.5377,
        "date_in_window": 0.7251,
        "fatalities_in_range": 0.0803,
    }),
}

pytestmark = pytest.mark.skipif(not (BENCHMARKS / "events").is_dir(),
                                reason=f"no shared benchmarks at {BENCHMARKS} (../shared/benchmarks)")


def score_sample(name: str, every: int) -> dict[str, Any]:
    from fieldreport.config import Settings
    from fieldreport.eval import code_gold, evaluate, read_gold

    gold = read_gold(BENCHMARKS / "events" / f"{name}.jsonl")[::every]
    return evaluate(gold, code_gold(gold, Settings(progress=False)))


@pytest.mark.parametrize("name", list(FLOORS))
def test_scores_stay_above_their_floors(name: str) -> None:
    every, floors = FLOORS[name]
    report = score_sample(name, every)
    below = {metric: (report.get(metric), floor) for metric, floor in floors.items()
             if (report.get(metric) or 0.0) < floor - TOLERANCE}
    assert not below, f"{name}: (today, floor) below floor - {TOLERANCE}: {below}; all scores: {report}"
