"""Merge cost on a synthetic stream of coded events: events per second and peak memory.

    python bench/merge.py                 # 10,000 and 100,000 reports, engine and store
    python bench/merge.py --size 100000 --mode engine

The stream imitates a news feed: real events in 20 countries, 25 towns each,
over ``size / 100`` days (about 100 reports a day); each real event is reported
1-5 times with the usual disagreements (toll, province-level place, a week
window, a generic actor). ``engine`` times profiles + blocked clustering +
building canonical records in memory, flushing each day as the stream moves on.
``store`` times ``fieldreport.merge.merge_pending`` over the same reports stored
in SQLite (reading reports, clustering, writing events, evidence and sources).
Each size runs in its own process so that peak memory (max RSS) is its own.
"""

from __future__ import annotations

import argparse
import random
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from fieldreport.records import Event, Evidence, Source

TYPES = [
    ("Political violence", "Explosions/Remote violence", "Remote explosive/landmine/IED"),
    ("Political violence", "Battles", "Armed clash"),
    ("Political violence", "Violence against civilians", "Attack"),
    ("Demonstrations", "Protests", "Peaceful protest"),
]
ACTORS = ["Islamic State", "Military Forces", "Police Forces", "Peshmerga", "Rebels", "Militia"]


def synthetic_reports(size: int, seed: int = 7) -> tuple[list[Event], dict[str, int]]:
    """``size`` reports and the true event each one reports."""
    rng = random.Random(seed)
    countries = [(f"Country{c}", [(rng.uniform(-30, 50), rng.uniform(-20, 80)) for _ in range(25)])
                 for c in range(20)]
    days = max(1, size // 100)
    start = date(2015, 1, 1)
    reports: list[Event] = []
    truth: dict[str, int] = {}
    real = 0
    while len(reports) < size:
        real += 1
        country, towns = rng.choice(countries)
        town = rng.randrange(len(towns))
        lat, lon = towns[town]
        when = start + timedelta(days=rng.randrange(days))
        disorder, etype, sub = rng.choice(TYPES)
        actor = rng.choice(ACTORS)
        dead = rng.choice([0, 0, 1, 2, 3, 5, 8, 12, 20])
        for k in range(rng.randint(1, 5)):
            article = f"a{len(reports):07d}"
            province = rng.random() < 0.15
            week = rng.random() < 0.1
            first = when - timedelta(days=when.weekday()) if week else when
            iso = when.isoformat()
            event = Event(
                event_id=f"r{len(reports):07d}", article_id=article, disorder_type=disorder, event_type=etype,
                sub_event_type=sub, actor1=actor if rng.random() < 0.6 else None,
                event_date=iso if not week else (first + timedelta(days=3)).isoformat(),
                date_start=first.isoformat(), date_end=(first + timedelta(days=6 if week else 0)).isoformat(),
                time_precision=2 if week else 1, country=country, iso3=country[:3].upper(),
                admin1=f"{country}-P{town // 5}", location=None if province else f"{country}-T{town}",
                latitude=lat + (0.3 if province else 0.0), longitude=lon, geo_precision=3 if province else 1,
                geonameid=None if province else town, fatalities=dead + (rng.randint(0, 3) if dead else 0),
                fatalities_low=dead or None, fatalities_high=dead + 3 if dead else None,
                sources=(Source(article, f"https://news{k}.example/{article}", None, f"News {k}", iso),),
                evidence=(Evidence("event", article, 0, 40, "x" * 40),), confidence=0.7,
            )
            reports.append(event)
            truth[event.event_id] = real
            if len(reports) == size:
                break
    reports.sort(key=lambda e: (e.date_start or "", e.event_id))
    return reports, truth


def run_engine(reports: list[Event]) -> tuple[int, int]:
    from fieldreport.merge.engine import Group, Merger
    from fieldreport.merge.rules import combine, report_profile

    by_id = {r.event_id: r for r in reports}
    merger = Merger()
    events = comparisons = 0
    today = None

    def close(groups: list[Group]) -> int:
        for g in groups:
            members = [by_id[i] for i in g.report_ids]
            combine(g.event_id, members, [s for m in members for s in m.sources])
        return len(groups)

    for report in reports:
        profile = report_profile(report)
        if profile.start != today and profile.start is not None:
            today = profile.start
            events += close(list(merger.flush_before(today - 14)))
        merger.add(report.event_id, profile)
    events += close(list(merger.flush_before(10**9)))
    comparisons = merger.comparisons
    return events, comparisons


def run_store(reports: list[Event]) -> tuple[int, int]:
    from fieldreport.merge import merge_pending
    from fieldreport.records import Article, Coded
    from fieldreport.store import open_store

    folder = tempfile.mkdtemp()
    with open_store(Path(folder) / "bench.sqlite") as store:
        with store.db:
            for r in reports:
                article = Article(r.article_id, "x" * 40, None, r.sources[0].url, r.sources[0].publisher,
                                  r.sources[0].published, "input", "bench", r.article_id)
                store.save_coded(Coded(article, (r,)))
        started = time.perf_counter()
        summary = merge_pending(store)
        global STORE_SECONDS
        STORE_SECONDS = time.perf_counter() - started
        events = store.db.execute("SELECT count(*) FROM events").fetchone()[0]
    return events, summary.comparisons


STORE_SECONDS = 0.0


def one(size: int, mode: str) -> None:
    reports, truth = synthetic_reports(size)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    events, comparisons = (run_engine if mode == "engine" else run_store)(reports)
    seconds = STORE_SECONDS if mode == "store" else time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    true_events = len(set(truth.values()))
    print(f"{mode:>6} {size:>8,} reports  {size / seconds:>9,.0f} reports/s  {seconds:7.2f} s  "
          f"{comparisons / size:5.1f} comparisons/report  peak RSS {peak / 1024:6.0f} MB "
          f"(+{(peak - before) / 1024:.0f} MB)  {events:,} events for {true_events:,} true events", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size", type=int, action="append", help="reports in the stream (repeatable)")
    parser.add_argument("--mode", choices=("engine", "store"), action="append")
    args = parser.parse_args()
    sizes = args.size or [10_000, 100_000]
    modes = args.mode or ["engine", "store"]
    if len(sizes) == 1 and len(modes) == 1:
        one(sizes[0], modes[0])
        return
    for mode in modes:
        for size in sizes:
            subprocess.run([sys.executable, __file__, "--size", str(size), "--mode", mode], check=True)


if __name__ == "__main__":
    main()
