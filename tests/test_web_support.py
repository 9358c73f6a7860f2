"""Shared builders for the web tests: a small hand-made store and an HTTP client."""

from __future__ import annotations

import asyncio
import re
import sqlite3
from pathlib import Path
from typing import Any

from fieldreport.records import Event, Evidence, Source
from fieldreport.store import open_store
from fieldreport.web.auth import add_user

PASSWORD = "correct horse battery"
XSS_TEXT = (
    "Militants attacked a checkpoint near Tal Afar on Monday, killing two police officers. "
    '<script>window.__xss = 1</script><img src=x onerror="window.__xss = 2"> '
    "Security officials said the attackers fled toward the desert."
)

XSS_TITLE = '<img src=x onerror="window.__xss=3">Checkpoint attack'


def add_article(db: sqlite3.Connection, article_id: str, text: str, title: str, published: str = "2021-03-02",
                url: str = "https://news.example/report") -> None:
    db.execute(
        "INSERT INTO articles (article_id, url, title, publisher, published, source_path, page_sha256, text, n_events)"
        " VALUES (?, ?, ?, 'The Example Courier', ?, 'fixture', ?, ?, 1)",
        (article_id, url, title, published, article_id * 2, text),
    )


def add_xss_event(path: Path, event_id: str = "xss0000000000001") -> str:
    """An article whose text carries script and an onerror handler, and an event citing it."""
    with open_store(path) as store:
        add_article(store.db, "xssarticle000001", XSS_TEXT, XSS_TITLE,
                    url="javascript:window.__xss=4")
        start = XSS_TEXT.index("<script>")
        event = Event(
            event_id=event_id, article_id="xssarticle000001", disorder_type="Political violence",
            event_type="Violence against civilians", sub_event_type="Attack", actor1="Unidentified Armed Group (Iraq)",
            event_date="2021-03-01", country="Iraq", location="Tal Afar", latitude=36.37, longitude=42.45,
            fatalities=2, notes="<b>Militants</b> attacked a checkpoint near Tal Afar.",
            sources=(Source("xssarticle000001", "javascript:window.__xss=4", XSS_TITLE,
                            "The Example Courier", "2021-03-02"),),
            evidence=(
                Evidence("event_type", "xssarticle000001", 10, 18, XSS_TEXT[10:18]),
                Evidence("location", "xssarticle000001", 38, 46, XSS_TEXT[38:46]),
                Evidence("fatalities", "xssarticle000001", 59, 85, XSS_TEXT[59:85]),
                Evidence("notes", "xssarticle000001", start, start + 34, XSS_TEXT[start:start + 34]),
            ),
        )
        store.save_event(event)
        store.db.commit()
    return event_id


def small_db(path: Path) -> Path:
    """Two events in Iraq, one with script in its article; a reviewer 'alice'."""
    with open_store(path) as store:
        text = "Iraqi soldiers clashed with Islamic State militants in Baiji on Sunday; five fighters were killed."
        add_article(store.db, "article000000001", text, "Clashes in Baiji", "2021-03-01")
        store.save_event(Event(
            event_id="clash00000000001", article_id="article000000001", disorder_type="Political violence",
            event_type="Battles", sub_event_type="Armed clash", actor1="Military Forces of Iraq (2014-)",
            actor2="Islamic State (Iraq)", event_date="2021-02-28", country="Iraq", admin1="Salahuddin",
            location="Baiji", latitude=34.93, longitude=43.49, fatalities=5, modality="actual",
            notes="Iraqi soldiers clashed with Islamic State militants in Baiji.",
            sources=(Source("article000000001", "https://news.example/baiji", "Clashes in Baiji",
                            "The Example Courier", "2021-03-01"),),
            evidence=(Evidence("event_type", "article000000001", 15, 22, text[15:22]),
                      Evidence("location", "article000000001", 58, 63, text[58:63]),
                      Evidence("fatalities", "article000000001", 76, 98, text[76:98])),
        ))
        store.db.commit()
    add_xss_event(path)
    conn = sqlite3.connect(path)
    add_user(conn, "alice", PASSWORD)
    conn.close()
    return path


class Client:
    """A synchronous wrapper over Datasette's in-process client, keeping cookies."""

    def __init__(self, datasette: Any) -> None:
        self.ds = datasette
        self.cookies: dict[str, str] = {}
        asyncio.run(datasette.invoke_startup())

    def request(self, method: str, path: str, **kwargs: Any) -> Any:
        async def go() -> Any:
            return await getattr(self.ds.client, method)(path, cookies=dict(self.cookies), **kwargs)

        response = asyncio.run(go())
        for name, value in response.cookies.items():
            self.cookies[name] = value
        return response

    def get(self, path: str, **kwargs: Any) -> Any:
        return self.request("get", path, **kwargs)

    def post(self, path: str, **kwargs: Any) -> Any:
        return self.request("post", path, **kwargs)

    def csrftoken(self, path: str = "/-/login") -> str:
        html = self.get(path).text
        match = re.search(r'name="csrftoken" value="([^"]+)"', html)
        assert match, "no csrftoken on " + path
        return match.group(1)

    def sign_in(self, name: str = "alice", password: str = PASSWORD) -> Any:
        token = self.csrftoken()
        return self.post("/-/login", data={"username": name, "password": password, "csrftoken": token})
