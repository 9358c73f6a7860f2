"""Every figure of docs/results.md in one run, as markdown tables.

    python bench/results.py [--json OUT]

Events: the quality-gate samples (case2021-task2 whole, acled-asia-2015
every 10th record, ucdp-ged-syria every 40th), scored whole and split into
their dev (even positions) and test (odd) halves, plus the ``unseen``
records halfway between the samples' (acled-asia every 10th from the 5th,
ucdp every 40th from the 20th), which no rule, example or vote was written
from. Geocoding: the whole LGL and GeoVirus sets. Benchmarks are read from
../shared/benchmarks (or FIELDREPORT_BENCHMARKS) and never trained on.
Takes about three minutes on two cores.
"""

from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
BENCH = Path(os.environ.get("FIELDREPORT_BENCHMARKS", ROOT.parent / "shared" / "benchmarks"))
# name: (every, offset of the unseen records or None)
EVENT_SETS = {"case2021-task2": (1, None), "acled-asia-2015": (10, 5), "ucdp-ged-syria": (40, 20)}
EVENT_METRICS = ("event_type_accuracy", "detection_f1", "sub_event_accuracy", "sub_event_macro_f1",
                 "sub_event_weighted_f1", "actor1", "location_25km", "location_161km", "location_median_km",
                 "date_exact", "date_within_7d", "date_in_window", "fatalities_exact", "fatalities_in_range")
GEO_SETS = ("lgl.jsonl", "geovirus.jsonl")
GEO_METRICS = ("toponym_span_precision", "toponym_span_recall", "toponym_span_f1", "toponym_accuracy_161km",
               "toponym_median_km")


def _cell(value: Any) -> str:
    return "-" if value is None else f"{value:.3f}" if isinstance(value, float) else str(value)


def event_figures() -> dict[str, dict[str, dict[str, Any]]]:
    from fieldreport.config import Settings
    from fieldreport.eval import code_gold, evaluate, read_gold

    settings = Settings(progress=False)
    out: dict[str, dict[str, dict[str, Any]]] = {}
    for name, (every, unseen_from) in EVENT_SETS.items():
        every_record = read_gold(BENCH / "events" / f"{name}.jsonl")
        sample = every_record[::every]
        splits = {"sample": sample, "dev": sample[0::2], "test": sample[1::2]}
        if unseen_from is not None:
            splits["unseen"] = every_record[unseen_from::every]
        predicted = code_gold(sample, settings)
        if unseen_from is not None:
            predicted.update(code_gold(splits["unseen"], settings))
        out[name] = {split: evaluate(rows, predicted) for split, rows in splits.items()}
    return out


def geo_figures() -> dict[str, dict[str, Any]]:
    from fieldreport.config import Settings
    from fieldreport.geocode import geocode_records, load_geocoder, read_records
    from fieldreport.geoeval import score_toponyms

    nlp, gazetteer = load_geocoder(Settings(progress=False))
    out: dict[str, dict[str, Any]] = {}
    for name in GEO_SETS:
        records = read_records(BENCH / "geoparsing" / name)
        started = time.perf_counter()
        predicted = {str(r["id"]): r["toponyms"] for r in geocode_records(records, nlp, gazetteer)}
        seconds = time.perf_counter() - started
        report = {"all": score_toponyms(records, predicted)}
        for half, rows in (("odd (dev)", records[1::2]), ("even (held out)", records[0::2])):
            report[half] = score_toponyms(rows, {str(r["id"]): predicted[str(r["id"])] for r in rows})
        report["all"]["toponyms_per_second"] = round(sum(len(r.get("toponyms") or ()) for r in records) / seconds, 1)
        out[name] = report
    return out


def markdown(events: dict[str, Any], geo: dict[str, Any]) -> str:
    lines = []
    for name, splits in events.items():
        names = list(splits)
        lines += [f"\n### {name}\n", "| metric | " + " | ".join(f"{s} (n={splits[s]['records']})" for s in names) + " |",
                  "|---|" + "---|" * len(names)]
        for metric in EVENT_METRICS:
            if any(splits[s].get(metric) is not None for s in names):
                lines.append(f"| {metric} | " + " | ".join(_cell(splits[s].get(metric)) for s in names) + " |")
    lines += ["\n### Geocoding\n", "| set | split | " + " | ".join(GEO_METRICS) + " |",
              "|---|---|" + "---|" * len(GEO_METRICS)]
    for name, halves in geo.items():
        for half, report in halves.items():
            lines.append(f"| {name} | {half} | " + " | ".join(_cell(report.get(m)) for m in GEO_METRICS) + " |")
        lines.append(f"| {name} | toponyms/s (with spaCy) | {halves['all']['toponyms_per_second']} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--json", help="also write every figure as JSON")
    args = parser.parse_args()
    events, geo = event_figures(), geo_figures()
    print(markdown(events, geo))
    if args.json:
        Path(args.json).write_text(json.dumps({"events": events, "geo": geo}, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
