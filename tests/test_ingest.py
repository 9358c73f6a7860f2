"""Reading inputs: every file becomes a page or a quarantine row, never an exception."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from fieldreport.ingest.files import read_inputs
from fieldreport.records import Page, Rejected

LIMIT = 100_000


def _one(path: Path) -> Page | Rejected:
    items = list(read_inputs([path], LIMIT))
    assert len(items) == 1
    return items[0]


@pytest.mark.parametrize(
    "name, content, code",
    [
        ("empty.html", b"", "EMPTY"),
        ("blank.html", b"   \n\n  ", "EMPTY"),
        ("scan.pdf", b"%PDF-1.4 binary stream", "NOT_HTML"),
        ("broken.html.gz", b"this is not gzip at all", "NOT_HTML"),
        ("huge.html", b"<p>" + b"x" * (LIMIT + 10) + b"</p>", "TOO_LARGE"),
    ],
)
def test_bad_files_become_rejects_with_codes(tmp_path: Path, name: str, content: bytes, code: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    item = _one(path)
    assert isinstance(item, Rejected)
    assert item.code == code
    assert item.hint and item.source_path == str(path)


def test_gzip_bomb_is_too_large(tmp_path: Path) -> None:
    path = tmp_path / "bomb.html.gz"
    path.write_bytes(gzip.compress(b"<html>" + b" " * (LIMIT * 5)))
    item = _one(path)
    assert isinstance(item, Rejected) and item.code == "TOO_LARGE"


def test_gzipped_html_is_read(tmp_path: Path) -> None:
    path = tmp_path / "story.html.gz"
    path.write_bytes(gzip.compress(b"<html><body><p>Clashes in Tikrit</p></body></html>"))
    item = _one(path)
    assert isinstance(item, Page) and item.kind == "html" and b"Tikrit" in item.raw


def test_folders_are_read_recursively_in_stable_order_and_hidden_files_skipped(tmp_path: Path) -> None:
    (tmp_path / "b" / "deep").mkdir(parents=True)
    (tmp_path / "b" / "deep" / "z.txt").write_text("Title\n\nBody")
    (tmp_path / "a.html").write_text("<html><body>x</body></html>")
    (tmp_path / ".DS_Store").write_bytes(b"\x00\x01")
    paths = [item.source_path for item in read_inputs([tmp_path], LIMIT)]
    assert paths == [str(tmp_path / "a.html"), str(tmp_path / "b" / "deep" / "z.txt")]


def test_jsonl_lines_become_pages_and_bad_lines_are_quarantined(tmp_path: Path) -> None:
    path = tmp_path / "feed.jsonl"
    good = {"url": "https://example.org/a", "title": "Blast in Kirkuk", "text": "A bomb exploded.",
            "published": "2016-05-02", "publisher": "Kirkuk Now"}
    html = {"url": "https://example.org/b", "html": "<html><body><p>Hi</p></body></html>"}
    path.write_text("\n".join([json.dumps(good), "{not json", json.dumps({"url": "x"}), json.dumps(html)]))
    items = list(read_inputs([path], LIMIT))
    assert [type(i).__name__ for i in items] == ["Page", "Rejected", "Rejected", "Page"]
    first = items[0]
    assert isinstance(first, Page)
    assert (first.kind, first.title, first.published, first.publisher) == (
        "text", "Blast in Kirkuk", "2016-05-02", "Kirkuk Now")
    assert first.source_path.endswith("feed.jsonl:1")
    assert [i.code for i in items if isinstance(i, Rejected)] == ["BAD_JSON", "NO_TEXT"]
    assert isinstance(items[3], Page) and items[3].kind == "html"


def test_missing_path_is_unreadable(tmp_path: Path) -> None:
    item = _one(tmp_path / "nope.html")
    assert isinstance(item, Rejected) and item.code == "UNREADABLE"


def test_same_bytes_give_same_hash(tmp_path: Path) -> None:
    (tmp_path / "one.txt").write_text("Same story\n\nbody")
    (tmp_path / "two.txt").write_text("Same story\n\nbody")
    first, second = read_inputs([tmp_path], LIMIT)
    assert isinstance(first, Page) and isinstance(second, Page)
    assert first.sha256 == second.sha256
