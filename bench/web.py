"""Page-load times of the web app on a synthetic database of 100,000 events.

    /work/venv/bin/python bench/web.py [--events 100000] [--db /tmp/fieldreport-web-bench.sqlite]

Builds the database once (synthetic events over 5 years, 20 places in 4
countries, 3 evidence spans and one source article each), starts the app,
and prints the server time of each main page (median of 5 after a warm-up),
plus the browser's load time for the HTML pages when Chromium is installed.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
import urllib.request
from datetime import date, timedelta
from pathlib import Path

from fieldreport.store import EVENT_COLUMNS, open_store
from fieldreport.web import prepare_database
from fieldreport.web.background import CHROMIUM, chromium_browser, running_server
from fieldreport.web.review import taxonomy

PLACES = [
    ("Iraq", "Nineveh", "Mosul", 36.34, 43.13), ("Iraq", "Baghdad", "Baghdad", 33.34, 44.40),
    ("Iraq", "Anbar", "Ramadi", 33.42, 43.30), ("Iraq", "Salahuddin", "Tikrit", 34.60, 43.68),
    ("Iraq", "Kirkuk", "Kirkuk", 35.47, 44.39), ("Iraq", "Diyala", "Baqubah", 33.75, 44.64),
    ("Syria", "Aleppo", "Aleppo", 36.20, 37.16), ("Syria", "Idlib", "Idlib", 35.93, 36.63),
    ("Syria", "Raqqa", "Raqqa", 35.95, 39.01), ("Syria", "Homs", "Homs", 34.73, 36.71),
    ("Syria", "Deir ez-Zor", "Deir ez-Zor", 35.34, 40.14), ("Syria", "Hasakah", "Qamishli", 37.05, 41.23),
    ("Yemen", "Taizz", "Taizz", 13.58, 44.02), ("Yemen", "Aden", "Aden", 12.78, 45.04),
    ("Yemen", "Marib", "Marib", 15.46, 45.33), ("Yemen", "Hodeidah", "Hodeidah", 14.80, 42.95),
    ("Nigeria", "Borno", "Maiduguri", 11.85, 13.16), ("Nigeria", "Yobe", "Damaturu", 11.75, 11.96),
    ("Nigeria", "Adamawa", "Yola", 9.20, 12.48), ("Nigeria", "Kaduna", "Kaduna", 10.52, 7.44),
]
ACTORS = ["Military Forces of Iraq (2014-)", "Islamic State (Iraq)", "Military Forces of Syria (2000-)",
          "Hayat Tahrir al-Sham", "Houthi Movement", "Boko Haram", "Unidentified Armed Group (Nigeria)",
          "Police Forces of Iraq (2014-)", "Protesters (Iraq)", "Civilians (Syria)"]
WORDS = ("gunmen attacked a checkpoint near the market on Tuesday killing several people while officials said "
         "the army responded with shelling and residents fled toward the river after an explosion").split()


def build(path: Path, n_events: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    subs = [(etype, sub, disorder) for etype, d in taxonomy().items() for sub, disorder in d.items()]
    start = date(2016, 1, 1)
    with open_store(path) as store:
        db = store.db
        db.execute("PRAGMA synchronous=OFF")
        n_articles = max(1, n_events // 5)
        articles = []
        for a in range(n_articles):
            text = " ".join(rng.choice(WORDS) for _ in range(220)).capitalize() + "."
            articles.append((f"a{a:015d}", f"https://news.example/{a}", f"Report {a}", "The Bench Courier",
                             (start + timedelta(days=rng.randrange(1826))).isoformat(), "bench", f"{a:064x}", text, 5))
        db.executemany("INSERT INTO articles (article_id, url, title, publisher, published, source_path, page_sha256,"
                       " text, n_events) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", articles)
        events, evidence, sources = [], [], []
        for i in range(n_events):
            etype, sub, disorder = rng.choice(subs)
            country, admin1, location, lat, lon = rng.choice(PLACES)
            day = (start + timedelta(days=rng.randrange(1826))).isoformat()
            article = articles[i % n_articles]
            row = dict.fromkeys(EVENT_COLUMNS)
            row.update(event_id=f"e{i:015d}", article_id=article[0], disorder_type=disorder, event_type=etype,
                       sub_event_type=sub, actor1=rng.choice(ACTORS), actor2=rng.choice(ACTORS + [None] * 5),
                       assoc_actor_1="[]", assoc_actor_2="[]", civilian_targeting=0, event_date=day, date_start=day,
                       date_end=day, time_precision=1, country=country, admin1=admin1, location=location,
                       latitude=lat, longitude=lon,
                       geo_precision=1, fatalities=rng.choice([0, 0, 1, 2, 5, 12]), modality="actual", hedged=0,
                       notes=f"On {day}, {sub.lower()} in {location}, {country}.", confidence=0.8, null_reasons="[]")
            events.append(tuple(row.values()))
            for field, s in (("event_type", 0), ("location", 40), ("fatalities", 80)):
                evidence.append((row["event_id"], field, article[0], s, s + 12, article[7][s:s + 12]))
            sources.append((row["event_id"], article[0], article[1], article[2], article[3], article[4]))
        db.executemany(f"INSERT INTO events ({', '.join(EVENT_COLUMNS)}) VALUES ({', '.join('?' * len(EVENT_COLUMNS))})",
                       events)
        db.executemany('INSERT INTO evidence (event_id, field, article_id, start, "end", text) VALUES (?, ?, ?, ?, ?, ?)',
                       evidence)
        db.executemany("INSERT INTO sources (event_id, article_id, url, title, publisher, published)"
                       " VALUES (?, ?, ?, ?, ?, ?)", sources)
        db.commit()


def timed_get(url: str) -> float:
    started = time.perf_counter()
    with urllib.request.urlopen(url) as response:
        response.read()
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--db", default=str(Path(tempfile.gettempdir()) / "fieldreport-web-bench.sqlite"))
    parser.add_argument("--json", help="also write the figures to this JSON file")
    args = parser.parse_args()
    path = Path(args.db)
    if path.exists():
        path.unlink()
    started = time.perf_counter()
    build(path, args.events)
    print(f"built {args.events:,} events in {time.perf_counter() - started:.1f}s -> {path}")
    started = time.perf_counter()
    prepare_database(path)
    print(f"first serve start (full-text indexes): {time.perf_counter() - started:.1f}s")
    started = time.perf_counter()
    prepare_database(path)
    print(f"later serve starts: {time.perf_counter() - started:.2f}s")

    db = path.stem
    pages = {
        "events table + 7 facets + map": f"/{db}/events",
        "events filtered by type": f"/{db}/events?event_type=Battles",
        "events full-text search": f"/{db}/events?_search=Mosul",
        "events JSON (50 rows)": f"/{db}/events.json",
        "events CSV (50 rows)": f"/{db}/events.csv",
        "event page with evidence": "/-/event/e000000000004242",
        "timeline + map, all": "/-/timeline",
        "timeline + map, one type": "/-/timeline?event_type=Battles",
        "timeline JSON, one country": "/-/timeline.json?country=Syria",
    }
    figures: dict[str, dict[str, float]] = {}
    with running_server(path) as base:
        for label, page in pages.items():
            timed_get(base + page)  # warm-up: first query plans, page cache
            runs = [timed_get(base + page) for _ in range(5)]
            figures[label] = {"server_ms": round(1000 * statistics.median(runs))}
        if Path(CHROMIUM).exists():
            with chromium_browser(tempfile.mkdtemp(prefix="fieldreport-bench-")) as browser:
                tab = browser.new_page()
                for label, page in pages.items():
                    if "JSON" in label or "CSV" in label:
                        continue
                    tab.goto(base + page, wait_until="load")
                    runs = []
                    for _ in range(3):
                        started = time.perf_counter()
                        tab.goto(base + page, wait_until="load")
                        runs.append(time.perf_counter() - started)
                    figures[label]["browser_load_ms"] = round(1000 * statistics.median(runs))
    print(f"\n{'page':34} {'server':>8} {'browser load':>13}")
    for label, f in figures.items():
        browser_ms = f"{f['browser_load_ms']} ms" if "browser_load_ms" in f else "-"
        print(f"{label:34} {f['server_ms']:>5} ms {browser_ms:>13}")
    if args.json:
        Path(args.json).write_text(json.dumps(figures, indent=2), encoding="utf-8")
    slow = [label for label, f in figures.items() if max(f.values()) >= 1000]
    if slow:
        print(f"\nover one second: {', '.join(slow)}", file=sys.stderr)
    return 1 if slow else 0


if __name__ == "__main__":
    sys.exit(main())
