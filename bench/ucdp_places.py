"""Event location on UCDP GED Syria headlines, by UCDP precision level.

    python bench/ucdp_places.py ../shared/benchmarks/events/ucdp-ged-syria.jsonl [--limit N]

For each headline, the place we would code (the first resolved town or
province, as locate_event picks it over the whole headline) against UCDP's
coordinates: coverage (headlines where we code a place) and accuracy within
25 km among those, per `where_prec` (1 exact place ... 7 country).
"""

from __future__ import annotations

import argparse
import json
from collections import defaultdict
from pathlib import Path

from fieldreport.config import load_settings
from fieldreport.eval import haversine_km
from fieldreport.geocode import load_geocoder
from fieldreport.records import Span
from fieldreport.stages.location import locate_event
from fieldreport.stages.places import find_places


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("gold")
    parser.add_argument("--limit", type=int, default=4000, help="first N headlines (default 4000)")
    args = parser.parse_args()
    nlp, gazetteer = load_geocoder(load_settings(progress=False))
    records = []
    with Path(args.gold).open(encoding="utf-8") as fh:
        for line in fh:
            record = json.loads(line)
            if record.get("events") and record["events"][0].get("latitude") is not None:
                records.append(record)
            if len(records) >= args.limit:
                break
    stats: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0])  # headlines, coded, within 25 km
    for record, doc in zip(records, nlp.pipe(r["text"] for r in records)):
        gold = record["events"][0]
        where = stats[int(gold.get("where_prec") or 0)]
        where[0] += 1
        whole = Span(0, len(doc.text))
        found = locate_event(doc.text, whole, Span(0, 0), find_places(doc, gazetteer))
        if found.place is None or found.geo_precision is None:
            continue
        where[1] += 1
        km = haversine_km(gold["latitude"], gold["longitude"], found.place.latitude, found.place.longitude)
        where[2] += km <= 25
    print(f"{'where_prec':>10} {'headlines':>9} {'coded':>6} {'coverage':>8} {'acc25km|coded':>14}")
    total = [0, 0, 0]
    for prec in sorted(stats):
        n, coded, hits = stats[prec]
        total = [a + b for a, b in zip(total, stats[prec])]
        print(f"{prec:>10} {n:>9} {coded:>6} {coded / n:>8.2f} {hits / coded if coded else 0:>14.2f}")
    n, coded, hits = total
    print(f"{'all':>10} {n:>9} {coded:>6} {coded / n:>8.2f} {hits / coded if coded else 0:>14.2f}")


if __name__ == "__main__":
    main()
