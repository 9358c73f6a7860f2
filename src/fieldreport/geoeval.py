"""Scoring toponyms against gold ``toponyms`` (the benchmarks' geoparsing format).

- span precision/recall/F1: a predicted span counts when its offsets equal a gold one;
- accuracy within 161 km over *all* gold toponyms with coordinates: the gold
  toponym is matched to the predicted span with the same offsets, else to one
  overlapping it; a missed or unresolved toponym counts as wrong;
- median error in km over the matched, resolved toponyms;
- ``toponym_resolved_161km``: the same accuracy over the matched, resolved
  toponyms only, which separates resolution errors from recognition errors.
"""

from __future__ import annotations

import math
import re
import statistics
from collections.abc import Iterable
from typing import Any

from .eval import haversine_km

MILES_100_KM = 161


def aligned_toponyms(record: dict[str, Any]) -> list[dict[str, Any]]:
    """Gold toponyms whose offsets agree with their ``name`` in ``text``.

    Some converted sets are off by a character or two (GeoVirus' offsets point one
    character past the name); such a toponym is moved to the nearest occurrence of
    its name within 5 characters, else kept as given.
    """
    text = record.get("text") or ""
    out = []
    for t in record.get("toponyms") or ():
        name, start, end = t.get("name") or "", t["start"], t["end"]
        if name and text[start:end] != name:
            nearby = [m.start() + max(0, start - 5)
                      for m in re.finditer(re.escape(name), text[max(0, start - 5):end + 5 + len(name)])]
            if nearby:
                start = min(nearby, key=lambda at: abs(at - t["start"]))
                t = {**t, "start": start, "end": start + len(name)}
        out.append(t)
    return out


def _match(gold: dict[str, Any], predicted: list[dict[str, Any]]) -> dict[str, Any] | None:
    exact = [p for p in predicted if p["start"] == gold["start"] and p["end"] == gold["end"]]
    if exact:
        return exact[0]
    overlapping = [p for p in predicted if p["start"] < gold["end"] and gold["start"] < p["end"]]
    # Prefer a resolved one, then the largest overlap.
    overlapping.sort(key=lambda p: (p.get("latitude") is None,
                                    -(min(p["end"], gold["end"]) - max(p["start"], gold["start"]))))
    return overlapping[0] if overlapping else None


def toponym_errors(gold_records: Iterable[dict[str, Any]],
                   predictions: dict[str, list[dict[str, Any]]]) -> Iterable[dict[str, Any]]:
    """One row per gold toponym with coordinates: what we predicted and how far off it is."""
    for record in gold_records:
        predicted = predictions.get(str(record["id"]), [])
        for gold in aligned_toponyms(record):
            if gold.get("latitude") is None or gold.get("longitude") is None:
                continue
            match = _match(gold, predicted)
            km = math.inf
            if match is not None and match.get("latitude") is not None:
                km = haversine_km(gold["latitude"], gold["longitude"], match["latitude"], match["longitude"])
            yield {"id": record["id"], "gold": gold, "pred": match, "km": km}


def score_toponyms(gold_records: list[dict[str, Any]],
                   predictions: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
    tp = fp = fn = 0
    for record in gold_records:
        gold_spans = {(t["start"], t["end"]) for t in aligned_toponyms(record)}
        pred_spans = {(t["start"], t["end"]) for t in predictions.get(str(record["id"]), [])}
        tp += len(gold_spans & pred_spans)
        fp += len(pred_spans - gold_spans)
        fn += len(gold_spans - pred_spans)
    rows = list(toponym_errors(gold_records, predictions))
    resolved = [r["km"] for r in rows if math.isfinite(r["km"])]
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    report: dict[str, Any] = {
        "toponym_span_precision": round(precision, 4),
        "toponym_span_recall": round(recall, 4),
        "toponym_span_f1": round(2 * precision * recall / (precision + recall), 4) if precision + recall else 0.0,
        "toponym_accuracy_161km": round(sum(r["km"] <= MILES_100_KM for r in rows) / len(rows), 4) if rows else None,
        "n_toponym_accuracy_161km": len(rows),
        "toponym_resolved_161km": (round(sum(km <= MILES_100_KM for km in resolved) / len(resolved), 4)
                                   if resolved else None),
        "n_toponym_resolved_161km": len(resolved),
        "toponym_median_km": round(statistics.median(resolved), 1) if resolved else None,
    }
    return report


def predictions_from_geocode(records: Iterable[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """``fieldreport geocode`` output lines keyed by record id."""
    return {str(r["id"]): list(r.get("toponyms") or ()) for r in records if "id" in r}


def evaluate_toponyms(gold: list[dict[str, Any]], settings: Any, pred: str | None = None) -> dict[str, Any]:
    """Toponym scores for gold records, from a geocode output file or by geocoding their texts."""
    import json
    from pathlib import Path

    if pred:
        with Path(pred).open(encoding="utf-8") as handle:
            predictions = predictions_from_geocode(json.loads(line) for line in handle if line.strip())
    else:
        from .geocode import geocode_records, load_geocoder

        nlp, gazetteer = load_geocoder(settings)
        predictions = predictions_from_geocode(
            geocode_records(gold, nlp, gazetteer, progress=settings.progress))
    return score_toponyms(gold, predictions)
