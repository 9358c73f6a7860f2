"""Screenshots of the web app's main pages for the README (docs/img/*.png).

    /work/venv/bin/python docs/screenshots.py [--db demo.sqlite]

Without --db it codes the bundled demo corpus into a temporary folder first.
Needs Debian's chromium (apt-get install chromium chromium-driver).
"""

from __future__ import annotations

import argparse
import shutil
import sqlite3
import tempfile
from pathlib import Path

from fieldreport.web.auth import add_user
from fieldreport.web.background import chromium_browser, running_server

OUT = Path(__file__).parent / "img"
PASSWORD = "screenshot-only"


def demo_database(folder: Path) -> Path:
    from fieldreport.config import Settings
    from fieldreport.demo import run_demo

    run_demo(folder, Settings(progress=False))
    return folder / "demo.sqlite"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", help="database to show (a copy is used; default: the demo corpus)")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="fieldreport-shots-"))
    path = work / "demo.sqlite"
    if args.db:
        shutil.copy(args.db, path)
    else:
        path = demo_database(work)
    add_user(sqlite3.connect(path), "analyst", PASSWORD)
    OUT.mkdir(parents=True, exist_ok=True)
    event_id = sqlite3.connect(path).execute(
        "SELECT e.event_id FROM events e JOIN evidence v USING (event_id) WHERE e.event_type = 'Battles'"
        " GROUP BY e.event_id ORDER BY count(*) DESC, e.event_id LIMIT 1").fetchone()[0]
    with running_server(path) as base, chromium_browser(work / "profile") as browser:
        page = browser.new_page()
        page.goto(f"{base}/{path.stem}/events")
        page.wait_for_selector(".leaflet-container")
        page.wait_for_timeout(800)
        page.screenshot(path=str(OUT / "events-table.png"))
        page.goto(f"{base}/-/timeline")
        page.wait_for_selector("#fr-map[data-ready='1']")
        page.screenshot(path=str(OUT / "timeline-map.png"), full_page=True)
        page.goto(f"{base}/-/login?next=/-/event/{event_id}")
        page.fill("#username", "analyst")
        page.fill("#password", PASSWORD)
        page.click("#login-submit")
        page.wait_for_url(f"**/-/event/{event_id}")
        page.select_option("#edit-field", "fatalities")
        page.fill("#edit-value", "6")
        page.click("#edit-submit")
        page.wait_for_load_state()
        page.screenshot(path=str(OUT / "event-review.png"))
        page.locator("#sources").scroll_into_view_if_needed()
        page.locator("#sources").screenshot(path=str(OUT / "event-evidence.png"))
    shutil.rmtree(work, ignore_errors=True)
    for png in sorted(OUT.glob("*.png")):
        print(png)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
