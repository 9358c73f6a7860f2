"""The analyst's desk in a real headless Chromium (Debian's chromium, driven by Playwright):
filter the demo events by type, open the timeline, open an event and its evidence,
sign in, edit a field, see the edit and its audit row; script in an article stays text."""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from test_web_support import PASSWORD, XSS_TITLE, add_xss_event

from fieldreport.web.auth import add_user
from fieldreport.web.background import CHROMIUM, chromium_browser, running_server

pytestmark = pytest.mark.skipif(
    not Path(CHROMIUM).exists(),
    reason=f"Chromium is not installed at {CHROMIUM}: apt-get install -y chromium chromium-driver",
)


@pytest.fixture(scope="module")
def desk(demo_db: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Any]]:
    """The demo database plus one article carrying script, a reviewer, the app and a browser page."""
    folder = tmp_path_factory.mktemp("desk")
    path = folder / "desk.sqlite"
    shutil.copy(demo_db[0], path)
    add_xss_event(path)
    add_user(sqlite3.connect(path), "alice", PASSWORD)
    with running_server(path) as base, chromium_browser(folder / "profile") as browser:
        page = browser.new_page()
        page.on("dialog", lambda dialog: pytest.fail(f"a dialog opened: {dialog.message}"))
        outside: list[str] = []
        page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(("http://127.0.0.1", "data:")) else None)
        yield base, page
        assert outside == [], f"the app fetched remote resources: {outside}"


def test_filter_by_type_then_timeline_and_map(desk: tuple[str, Any]) -> None:
    base, page = desk
    page.goto(f"{base}/desk/events")
    page.locator(".facet-info[data-column=event_type] a", has_text="Battles").first.click()
    page.wait_for_url("**event_type=Battles**")
    types = page.locator("td.col-event_type").all_inner_texts()
    assert types and set(types) == {"Battles"}
    page.click("#fr-timeline-link")
    page.wait_for_url("**/-/timeline?**event_type=Battles**")
    assert "event_type = Battles" in page.inner_text("#selection")
    assert set(page.locator("#timeline-chart rect").evaluate_all("rs => rs.map(r => r.dataset.eventType)")) == {"Battles"}
    page.wait_for_selector("#fr-map[data-ready='1']")
    assert page.locator("#fr-map .leaflet-marker-icon").count() >= 1


def test_open_an_event_sign_in_edit_and_see_the_audit(desk: tuple[str, Any]) -> None:
    base, page = desk
    page.goto(f"{base}/desk/events?event_type=Battles&_sort=event_id")
    page.locator("table.rows-and-columns td.col-event_id a").first.click()
    page.wait_for_url("**/-/event/**")
    event_url = page.url
    assert page.locator("#sources mark.ev").count() >= 3
    labels = set(page.locator("#sources .ev-label").all_inner_texts())
    assert {"event_type", "location"} <= labels
    assert page.locator("#review-status").inner_text() == "not reviewed"

    page.click("#sign-in-link")
    page.fill("#username", "alice")
    page.fill("#password", PASSWORD)
    page.click("#login-submit")
    page.wait_for_url(event_url)

    page.select_option("#edit-field", "location")
    page.fill("#edit-value", "Reviewed Town")
    page.click("#edit-submit")
    page.wait_for_load_state()
    assert page.url == event_url
    row = page.locator("#fields tr[data-field=location]")
    assert "Reviewed Town" in row.inner_text() and "edited by alice" in row.inner_text()
    audit = page.locator("#audit tbody tr").first.inner_text()
    assert "alice" in audit and "edit" in audit and "location" in audit and "Reviewed Town" in audit

    page.click("#approve")
    page.wait_for_load_state()
    assert page.locator("#review-status").inner_text().startswith("approved by alice")


def test_script_in_an_article_is_shown_as_text(desk: tuple[str, Any]) -> None:
    base, page = desk
    page.goto(f"{base}/-/event/xss0000000000001")
    page.wait_for_selector("#sources")
    assert page.evaluate("window.__xss") is None
    shown = page.inner_text("#source-xssarticle000001 .fr-article-text")
    assert "<script>window.__xss = 1</script>" in shown and "Security officials said" in shown
    assert page.locator("#sources script, #sources img").count() == 0
    assert page.inner_text("#source-xssarticle000001 h3") == XSS_TITLE
    page.goto(f"{base}/desk/articles?_search=checkpoint")
    assert page.evaluate("window.__xss") is None
