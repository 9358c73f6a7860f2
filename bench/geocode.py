"""Geocoding quality and speed on the geoparsing benchmarks.

    python bench/geocode.py ../shared/benchmarks/geoparsing/lgl.jsonl [--half odd|even] [--errors FILE]

Prints toponym span F1, accuracy within 161 km (missed toponyms count wrong),
median km, documents and toponyms per second, and gazetteer lookups per second.
``--half`` keeps a development split: look at errors on one half, report the other.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
from pathlib import Path

from fieldreport.config import load_settings
from fieldreport.geocode import geocode_records, load_geocoder, read_records
from fieldreport.geoeval import score_toponyms, toponym_errors


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("gold", nargs="+")
    parser.add_argument("--half", choices=("odd", "even"), help="only odd or even records (by line)")
    parser.add_argument("--limit", type=int)
    parser.add_argument("--errors", help="write one JSON line per gold toponym off by more than 161 km")
    args = parser.parse_args()
    settings = load_settings(progress=False)
    started = time.perf_counter()
    nlp, gazetteer = load_geocoder(settings)
    print(f"load {time.perf_counter() - started:.1f}s  gazetteer {gazetteer.stats()}")
    for gold_path in args.gold:
        records = read_records(Path(gold_path), args.limit)
        if args.half:
            records = records[1::2] if args.half == "odd" else records[0::2]
        started = time.perf_counter()
        predicted = {str(r["id"]): r["toponyms"] for r in geocode_records(records, nlp, gazetteer)}
        seconds = time.perf_counter() - started
        n_top = sum(len(t) for t in predicted.values())
        report = score_toponyms(records, predicted)
        print(f"\n{gold_path} ({len(records)} docs{', ' + args.half if args.half else ''})")
        for key, value in report.items():
            print(f"  {key:<28} {value}")
        print(f"  {'docs_per_second':<28} {len(records) / seconds:.1f}")
        print(f"  {'toponyms_per_second':<28} {n_top / seconds:.1f}  (spaCy included)")
        if args.errors:
            with open(args.errors, "w", encoding="utf-8") as out:
                for row in toponym_errors(records, predicted):
                    if not row["km"] <= 161:
                        row["km"] = None if math.isinf(row["km"]) else round(row["km"])
                        out.write(json.dumps(row, ensure_ascii=False) + "\n")
    # Raw gazetteer speed: every distinct surface of the last file, cold then cached.
    names = [t["name"] for r in records for t in r.get("toponyms") or ()] or ["Mosul"]
    fresh = type(gazetteer)(gazetteer.path)
    started = time.perf_counter()
    for name in names:
        fresh.lookup(name)
    cold = len(names) / (time.perf_counter() - started)
    started = time.perf_counter()
    for _ in range(5):
        for name in names:
            fresh.lookup(name)
    warm = 5 * len(names) / (time.perf_counter() - started)
    print(f"\ngazetteer lookups/s: {cold:,.0f} uncached, {warm:,.0f} cached ({len(names)} names)")


if __name__ == "__main__":
    sys.exit(main())
