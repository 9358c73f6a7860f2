"""The web app without a browser: error shape, sign-in, CSRF, review, audit, reapply, privacy."""

from __future__ import annotations

import re
import shutil
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from test_web_support import PASSWORD, Client, small_db

from fieldreport.cli import main
from fieldreport.store import open_store
from fieldreport.web import create_app
from fieldreport.web import review
from fieldreport.web.highlight import Span, highlight
from fieldreport.web.schema import ensure_fts

ERROR_KEYS = {"ok", "status", "title", "error"}


@pytest.fixture()
def db_path(tmp_path: Path) -> Path:
    return small_db(tmp_path / "desk.sqlite")


@pytest.fixture()
def client(db_path: Path) -> Client:
    return Client(create_app(db_path))


def assert_error_shape(response: Any, status: int) -> None:
    assert response.status_code == status
    if "json" in response.headers["content-type"]:
        body = response.json()
        assert set(body) == ERROR_KEYS and body["ok"] is False and body["status"] == status
        assert body["title"] and body["error"]
    else:
        html = response.text
        assert f'<main class="fieldreport-error" data-status="{status}">' in html
        assert re.search(r"<h1>[^<]+</h1>", html) and re.search(r'<p class="error-message">[^<]+</p>', html)


def test_every_error_has_one_shape(client: Client) -> None:
    cases = [
        (client.get("/-/event/no-such-event"), 404),
        (client.get("/-/event/no-such-event.json"), 404),
        (client.get("/no-such-database"), 404),
        (client.get("/desk/no_such_table.json"), 404),
        (client.get("/desk/events.json?_size=lots"), 400),
        (client.get("/desk.json?sql=select+nonsense+from"), 400),
        (client.post("/-/event/clash00000000001/review", data={"action": "approve"}), 403),
        (client.post("/-/event/clash00000000001/review", data={"action": "approve"},
                     headers={"accept": "application/json"}), 403),
    ]
    client.get("/-/login")  # now holds a CSRF cookie: a POST without the token fails asgi-csrf's check
    cases.append((client.post("/-/event/clash00000000001/review", data={"action": "approve"}), 403))
    client.sign_in()
    cases.append((client.post("/-/event/clash00000000001/review.json", data={"action": "edit", "field": "fatalities",
                                                                            "value": "many",
                                                                            "csrftoken": client.csrftoken()}), 404))
    token = client.csrftoken()
    cases.append((client.post("/-/event/clash00000000001/review", data={
        "action": "edit", "field": "fatalities", "value": "many", "csrftoken": token},
        headers={"accept": "application/json"}), 400))
    for response, status in cases:
        assert_error_shape(response, status)


def test_review_needs_a_signed_in_reviewer(client: Client, db_path: Path) -> None:
    forged = {"ds_actor": "eyJhIjp7ImlkIjoiYWxpY2UiLCJmaWVsZHJlcG9ydF9yZXZpZXdlciI6dHJ1ZX19.forged"}
    client.cookies.update(forged)
    assert client.post("/-/event/clash00000000001/review", data={"action": "approve"}).status_code == 403
    client.cookies.clear()
    wrong = client.sign_in(password="not the password")
    assert wrong.status_code == 401 and "Wrong user name or password" in wrong.text
    assert "ds_actor" not in client.cookies
    assert client.sign_in().status_code == 303 and "ds_actor" in client.cookies
    ok = client.post("/-/event/clash00000000001/review", data={"action": "approve", "csrftoken": client.csrftoken()})
    assert ok.status_code == 303
    # A reviewer removed from the database loses the right at once, cookie or not.
    with sqlite3.connect(db_path) as conn:
        conn.execute("DELETE FROM users WHERE name = 'alice'")
    refused = client.post("/-/event/clash00000000001/review",
                          data={"action": "reject", "csrftoken": client.csrftoken()})
    assert refused.status_code == 403


def test_edit_is_shown_audited_and_survives_a_rewrite(client: Client, db_path: Path) -> None:
    client.sign_in()
    response = client.post("/-/event/clash00000000001/review", data={
        "action": "edit", "field": "location", "value": "Bayji", "csrftoken": client.csrftoken()})
    assert response.status_code == 303 and response.headers["location"] == "/-/event/clash00000000001"
    page = client.get("/-/event/clash00000000001.json").json()
    assert page["event"]["location"] == "Bayji" and page["edits"]["location"]["reviewer"] == "alice"
    audit = page["audit"][0]
    assert (audit["reviewer"], audit["action"], audit["field"], audit["before"], audit["after"]) == (
        "alice", "edit", "location", "Baiji", "Bayji")
    # The pipeline rewrites the event row; reapply puts the reviewer's value back.
    with open_store(db_path) as store:
        original = next(store.iter_events("WHERE event_id = ?", ("clash00000000001",)))
        from dataclasses import replace

        store.save_event(replace(original, location="Baiji"))
        assert store.db.execute("SELECT location FROM events WHERE event_id = 'clash00000000001'").fetchone()[0] == "Baiji"
        assert review.reapply(store) == 1
        assert review.reapply(store) == 0  # idempotent
        assert store.db.execute("SELECT location FROM events WHERE event_id = 'clash00000000001'").fetchone()[0] == "Bayji"


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        ("fatalities", "7", {"fatalities": 7}),
        ("sub_event_type", "Air/drone strike",
         {"sub_event_type": "Air/drone strike", "event_type": "Explosions/Remote violence"}),
        ("admin1", "", {"admin1": None}),
        ("assoc_actor_1", "Civilians (Iraq); Journalists (Iraq)",
         {"assoc_actor_1": '["Civilians (Iraq)", "Journalists (Iraq)"]'}),
        ("civilian_targeting", "yes", {"civilian_targeting": 1}),
    ],
)
def test_an_edit_stores_typed_values(db_path: Path, field: str, value: str, expected: dict[str, Any]) -> None:
    conn = sqlite3.connect(db_path)
    review.edit_field(conn, "clash00000000001", field, value, "alice")
    row = review.event_row(conn, "clash00000000001")
    assert {name: row[name] for name in expected} == expected


@pytest.mark.parametrize(
    ("field", "value", "reason"),
    [
        ("fatalities", "several", "not a valid int"),
        ("event_type", "Skirmish", "not an ACLED event type"),
        ("event_type", "Protests", "not a kind of"),
        ("modality", "rumoured", "modality must be one of"),
        ("event_date", "last Sunday", "ISO date"),
        ("event_id", "x", "cannot be edited"),
        ("event_type", "", "cannot be empty"),
    ],
)
def test_an_edit_that_makes_no_sense_is_refused(db_path: Path, field: str, value: str, reason: str) -> None:
    with pytest.raises(review.ReviewError, match=reason):
        review.edit_field(sqlite3.connect(db_path), "clash00000000001", field, value, "alice")


def test_approve_and_reject_are_audited(db_path: Path) -> None:
    conn = sqlite3.connect(db_path)
    review.set_status(conn, "clash00000000001", "approved", "alice")
    review.set_status(conn, "clash00000000001", "rejected", "bob")
    assert review.status(conn, "clash00000000001")["status"] == "rejected"
    trail = [(a["action"], a["reviewer"], a["before"], a["after"]) for a in review.audit_rows(conn, "clash00000000001")]
    assert trail == [("reject", "bob", '"approved"', '"rejected"'), ("approve", "alice", "null", '"approved"')]


def test_password_hashes_and_the_secret_never_leave_through_datasette(client: Client) -> None:
    rows = client.get("/desk/users.json?_shape=array").json()
    assert rows and all(r["password_hash"] is None and r["salt"] is None for r in rows)
    sql = client.get("/desk.json?_shape=array&sql=select+name,password_hash+from+users").json()
    assert sql == [{"name": "alice", "password_hash": None}]
    secret = client.get("/desk.json?_shape=array&sql=select+secret+from+web_secret").json()
    assert secret == [{"secret": None}]


def test_private_mode_refuses_anonymous_browsing(db_path: Path) -> None:
    client = Client(create_app(db_path, private=True))
    for path in ("/", "/desk/events", "/-/event/clash00000000001", "/-/timeline"):
        assert_error_shape(client.get(path), 403)
    assert client.get("/-/login").status_code == 200
    client.sign_in()
    assert client.get("/desk/events").status_code == 200


def test_full_text_search_is_built_once_and_finds_words(db_path: Path, client: Client) -> None:
    conn = sqlite3.connect(db_path)
    assert ensure_fts(conn) == []  # create_app built both indexes already
    rows = client.get("/desk/events.json?_search=militants&_shape=array").json()
    assert sorted(r["event_id"] for r in rows) == ["clash00000000001", "xss0000000000001"]
    articles = client.get("/desk/articles.json?_search=checkpoint&_shape=array").json()
    assert [a["article_id"] for a in articles] == ["xssarticle000001"]


def test_timeline_counts_only_the_selection(client: Client) -> None:
    everything = client.get("/-/timeline.json").json()
    assert everything["totals"] == {"Battles": 1, "Violence against civilians": 1}
    battles = client.get("/-/timeline.json?event_type=Battles&_facet=country").json()
    assert battles["totals"] == {"Battles": 1} and [p["location"] for p in battles["points"]] == ["Baiji"]
    assert client.get("/-/timeline.json?_search=checkpoint").json()["totals"] == {"Violence against civilians": 1}
    assert "Timeline and map" in client.get("/-/timeline?event_type=Battles").text


def test_event_page_escapes_article_text(client: Client) -> None:
    html = client.get("/-/event/xss0000000000001").text
    assert "<script>window.__xss" not in html and "onerror=\"window" not in html
    assert "&lt;script&gt;window.__xss = 1&lt;/script&gt;" in html
    assert 'href="javascript:' not in html


@pytest.mark.parametrize(
    ("spans", "expected"),
    [
        ([], "a &lt;b&gt; c"),
        ([Span("location", 2, 5)],
         'a <span class="ev-label ev-where" aria-hidden="true">location</span><mark class="ev ev-where"'
         ' data-fields="location" title="location">&lt;b&gt;</mark> c'),
        ([Span("actor1", 0, 99)],
         '<span class="ev-label ev-who" aria-hidden="true">actor1</span><mark class="ev ev-who"'
         ' data-fields="actor1" title="actor1">a &lt;b&gt; c</mark>'),
    ],
)
def test_highlight_escapes_and_labels(spans: list[Span], expected: str) -> None:
    assert str(highlight("a <b> c", spans)) == expected


def test_overlapping_evidence_is_cut_into_pieces() -> None:
    html = str(highlight("five fighters killed", [Span("fatalities", 0, 13), Span("event_type", 5, 20)]))
    assert html.count("<mark") == 3 and 'data-fields="event_type fatalities"' in html


def test_user_add_from_the_command_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    import io

    db = tmp_path / "team.sqlite"
    monkeypatch.setattr("sys.stdin", io.StringIO("a long passphrase\n"))
    assert main(["user", "add", "omar", "--db", str(db), "--password-stdin"]) == 0
    assert "added reviewer omar" in capsys.readouterr().out
    monkeypatch.setattr("sys.stdin", io.StringIO("short\n"))
    assert main(["user", "add", "omar", "--db", str(db), "--password-stdin"]) == 2
    row = sqlite3.connect(db).execute("SELECT salt, password_hash FROM users WHERE name = 'omar'").fetchone()
    assert len(row[0]) == 32 and len(row[1]) == 64 and "passphrase" not in row[1]


def test_merge_and_split_through_the_web(demo_db: Any, tmp_path: Path) -> None:
    path = tmp_path / "merge.sqlite"
    shutil.copy(demo_db[0], path)
    from fieldreport.web.auth import add_user

    add_user(sqlite3.connect(path), "alice", PASSWORD)
    client = Client(create_app(path))
    client.sign_in()
    keep, other = [r[0] for r in sqlite3.connect(path).execute(
        "SELECT event_id FROM events WHERE event_type = 'Battles' ORDER BY event_id LIMIT 2")]
    merged = client.post(f"/-/event/{keep}/review", data={"action": "merge", "other_id": other,
                                                         "csrftoken": client.csrftoken()},
                         headers={"accept": "application/json"})
    if merged.status_code == 501:
        pytest.skip(merged.json()["error"])
    assert merged.status_code == 200, merged.text
    assert client.get(f"/-/event/{other}.json").status_code == 404
    page = client.get(f"/-/event/{keep}.json").json()
    assert page["audit"][0]["action"] == "merge" and len(page["sources"]) >= 2
    article = page["sources"][-1]["article_id"]
    split = client.post(f"/-/event/{keep}/review", data={"action": "split", "article_id": article,
                                                        "csrftoken": client.csrftoken()},
                        headers={"accept": "application/json"})
    assert split.status_code == 200, split.text
    assert client.get(f"/-/event/{split.json()['event_id']}.json").status_code == 200
