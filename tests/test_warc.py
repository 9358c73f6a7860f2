"""WARC input: archived HTML responses become pages; broken records are quarantined
and the rest of the archive is still read. Every archive here is written by the
test itself from our own HTML."""

from __future__ import annotations

import gzip
import uuid
from pathlib import Path

import pytest

from fieldreport.ingest.files import read_inputs
from fieldreport.records import Page, Rejected

MAX = 5_000_000

STORY = (
    "<!doctype html><html><head><title>Checkpoint attacked near Baiji</title>"
    '<meta property="article:published_time" content="2016-03-04T08:00:00Z"></head>'
    "<body><article><h1>Checkpoint attacked near Baiji</h1>"
    "<p>BAIJI, Iraq - Gunmen attacked an army checkpoint north of Baiji on Thursday night, "
    "killing two soldiers, security officials said.</p>"
    "<p>The attackers fled towards the desert after a gun battle that lasted an hour, "
    "the officials said. No group claimed responsibility.</p></article></body></html>"
)
MARKET = (
    "<!doctype html><html><head><title>Date harvest lifts Basra traders</title></head><body><article>"
    "<p>Traders in Basra said the date harvest was the best in a decade, with prices at the "
    "wholesale market falling for the first time in three years.</p></article></body></html>"
)


def warc_record(warc_type: str, uri: str, payload: bytes, extra: str = "") -> bytes:
    """One WARC/1.0 record, as crawlers write it."""
    head = (
        f"WARC/1.0\r\nWARC-Type: {warc_type}\r\nWARC-Record-ID: <urn:uuid:{uuid.UUID(int=len(payload))}>\r\n"
        f"WARC-Date: 2023-05-01T12:00:00Z\r\nWARC-Target-URI: {uri}\r\n{extra}"
        f"Content-Length: {len(payload)}\r\n\r\n"
    )
    return head.encode() + payload + b"\r\n\r\n"


def http_response(body: bytes, status: str = "200 OK", content_type: str = "text/html; charset=utf-8",
                  headers: str = "") -> bytes:
    return (f"HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\n{headers}\r\n").encode() + body


def response(uri: str, html: str, **kwargs: str) -> bytes:
    return warc_record("response", uri, http_response(html.encode(), **kwargs),
                       "Content-Type: application/http; msgtype=response\r\n")


def write_warc(path: Path, records: list[bytes]) -> Path:
    """Plain .warc, or .warc.gz with one gzip member per record (the convention)."""
    if path.name.endswith(".gz"):
        path.write_bytes(b"".join(gzip.compress(r) for r in records))
    else:
        path.write_bytes(b"".join(records))
    return path


def mixed_records() -> list[bytes]:
    return [
        warc_record("warcinfo", "", b"software: fieldreport tests\r\n"),
        warc_record("request", "https://news.example/baiji", b"GET /baiji HTTP/1.1\r\nHost: news.example\r\n\r\n"),
        response("https://news.example/baiji", STORY),
        response("https://news.example/old", "", status="301 Moved Permanently",
                 headers="Location: https://news.example/baiji\r\n"),
        response("https://news.example/report.pdf", "%PDF-1.4 not a page", content_type="application/pdf"),
        response("https://news.example/basra-dates", MARKET),
        warc_record("metadata", "https://news.example/baiji", b"outlinks: none\r\n"),
    ]


def read(path: Path, max_bytes: int = MAX) -> tuple[list[Page], list[Rejected]]:
    items = list(read_inputs([path], max_bytes))
    return [i for i in items if isinstance(i, Page)], [i for i in items if isinstance(i, Rejected)]


@pytest.mark.parametrize("name", ["crawl.warc", "crawl.warc.gz"])
def test_html_responses_become_pages_with_their_url(tmp_path: Path, name: str) -> None:
    pages, rejected = read(write_warc(tmp_path / name, mixed_records()))
    assert [p.url for p in pages] == ["https://news.example/baiji", "https://news.example/basra-dates"]
    assert pages[0].raw == STORY.encode() and pages[0].kind == "html"
    # The capture date is not a publication date: the page's own metadata decides later.
    assert all(p.published is None for p in pages)
    # Requests, metadata and the redirect are no pages; the PDF is kept as a NOT_HTML row.
    assert [(r.code, "application/pdf" in r.detail) for r in rejected] == [("NOT_HTML", True)]
    assert pages[0].source_path.startswith(str(tmp_path / name) + "@")


def test_plain_and_gzipped_archives_give_the_same_page_hashes(tmp_path: Path) -> None:
    plain, _ = read(write_warc(tmp_path / "a.warc", mixed_records()))
    zipped, _ = read(write_warc(tmp_path / "b.warc.gz", mixed_records()))
    assert [p.sha256 for p in plain] == [p.sha256 for p in zipped]


def test_source_path_offset_points_at_the_record(tmp_path: Path) -> None:
    path = write_warc(tmp_path / "c.warc", mixed_records())
    pages, _ = read(path)
    offset = int(pages[0].source_path.rsplit("@", 1)[1])
    assert path.read_bytes()[offset:].startswith(b"WARC/1.0\r\nWARC-Type: response")


def test_a_corrupt_gzip_member_is_quarantined_and_the_next_records_are_read(tmp_path: Path) -> None:
    good = [gzip.compress(r) for r in mixed_records()]
    broken = bytearray(good[2])
    broken[20:40] = b"\x00" * 20  # damage the deflate stream of the Baiji response
    path = tmp_path / "damaged.warc.gz"
    path.write_bytes(b"".join([*good[:2], bytes(broken), *good[3:]]))
    pages, rejected = read(path)
    assert [p.url for p in pages] == ["https://news.example/basra-dates"]
    assert [r.code for r in rejected] == ["BAD_WARC", "NOT_HTML"]
    assert "gzip member is corrupt" in rejected[0].detail


def test_a_truncated_last_record_is_quarantined(tmp_path: Path) -> None:
    data = b"".join(mixed_records()[:3]) + response("https://news.example/cut", STORY)[:300]
    pages, rejected = read(write_warc_bytes(tmp_path / "cut.warc", data))
    assert [p.url for p in pages] == ["https://news.example/baiji"]
    assert [r.code for r in rejected] == ["BAD_WARC"] and "truncated" in rejected[0].detail


def test_a_truncated_gzip_archive_keeps_what_came_before(tmp_path: Path) -> None:
    data = b"".join(gzip.compress(r) for r in mixed_records()[:3]) + gzip.compress(mixed_records()[5])[:-30]
    pages, rejected = read(write_warc_bytes(tmp_path / "cut.warc.gz", data))
    assert [p.url for p in pages] == ["https://news.example/baiji"]
    assert [r.code for r in rejected] == ["BAD_WARC"]


def test_garbage_between_plain_records_is_skipped_to_the_next_record(tmp_path: Path) -> None:
    records = mixed_records()
    data = records[2] + b"this line is not a WARC header\r\nnor is this\r\n" + records[5]
    pages, rejected = read(write_warc_bytes(tmp_path / "garbage.warc", data))
    assert [p.url for p in pages] == ["https://news.example/baiji", "https://news.example/basra-dates"]
    assert [r.code for r in rejected] == ["BAD_WARC"]


def test_a_record_without_content_length_is_quarantined(tmp_path: Path) -> None:
    bad = b"WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: https://x.example/\r\n\r\nHTTP/1.1 200 OK\r\n\r\n"
    pages, rejected = read(write_warc_bytes(tmp_path / "nolength.warc", bad + mixed_records()[5]))
    assert [p.url for p in pages] == ["https://news.example/basra-dates"]
    assert [r.code for r in rejected] == ["BAD_WARC"] and "Content-Length" in rejected[0].detail


def test_chunked_and_gzip_encoded_bodies_are_decoded(tmp_path: Path) -> None:
    body = gzip.compress(STORY.encode())
    chunked = b"".join(b"%x\r\n%s\r\n" % (len(body[i:i + 100]), body[i:i + 100]) for i in range(0, len(body), 100))
    chunked += b"0\r\n\r\n"
    record = warc_record("response", "https://news.example/enc", http_response(
        chunked, headers="Transfer-Encoding: chunked\r\nContent-Encoding: gzip\r\n"))
    pages, rejected = read(write_warc(tmp_path / "enc.warc", [record]))
    assert not rejected and pages[0].raw == STORY.encode()


def test_resource_records_and_plain_text_are_pages(tmp_path: Path) -> None:
    record = warc_record("resource", "https://news.example/wire.txt", b"Gunmen attacked a checkpoint.",
                         "Content-Type: text/plain\r\n")
    pages, _ = read(write_warc(tmp_path / "res.warc", [record]))
    assert [(p.kind, p.raw) for p in pages] == [("text", b"Gunmen attacked a checkpoint.")]


def test_an_oversized_record_is_too_large_and_reading_goes_on(tmp_path: Path) -> None:
    big = response("https://news.example/huge", "<html><body>" + "x" * 5000 + "</body></html>")
    for name in ("big.warc", "big.warc.gz"):
        pages, rejected = read(write_warc(tmp_path / name, [big, mixed_records()[5]]), max_bytes=2000)
        assert [p.url for p in pages] == ["https://news.example/basra-dates"], name
        assert [r.code for r in rejected] == ["TOO_LARGE"], name


def test_a_gzip_bomb_record_stays_bounded(tmp_path: Path) -> None:
    bomb = response("https://news.example/bomb", "<html><body>" + " " * 50_000_000 + "</body></html>")
    path = tmp_path / "bomb.warc.gz"
    path.write_bytes(gzip.compress(bomb, 9) + gzip.compress(mixed_records()[5]))
    pages, rejected = read(path, max_bytes=100_000)
    assert [r.code for r in rejected] == ["TOO_LARGE"] and len(pages) == 1


def test_an_empty_archive_is_quarantined(tmp_path: Path) -> None:
    _, rejected = read(write_warc_bytes(tmp_path / "empty.warc.gz", b""))
    assert [r.code for r in rejected] == ["EMPTY"]


def test_our_writer_is_standard_warc() -> None:
    """The archives above are real WARC: warcio, the reference reader, agrees."""
    warcio = pytest.importorskip("warcio.archiveiterator", reason="warcio not installed")
    import io

    data = b"".join(gzip.compress(r) for r in mixed_records())
    types = [r.rec_type for r in warcio.ArchiveIterator(io.BytesIO(data))]
    assert types == ["warcinfo", "request", "response", "response", "response", "response", "metadata"]


def test_a_warc_of_demo_pages_codes_like_the_pages_themselves(tmp_path: Path, resources: object) -> None:
    from fieldreport.config import Settings
    from fieldreport.demo import demo_corpus
    from fieldreport.runners.local import raise_errors, run_local
    from fieldreport.store import open_store

    demo = sorted(demo_corpus().glob("0[1-4]_*.html"))
    path = write_warc(tmp_path / "demo.warc.gz",
                      [response(f"https://demo.example/{p.stem}", p.read_text("utf-8")) for p in demo])
    settings = Settings(progress=False, workers=1)
    with open_store(tmp_path / "warc.sqlite") as store:
        from_warc = run_local([path], settings, store, resources, raise_errors)
        warc_rows = store.db.execute("SELECT url, published, n_events FROM articles ORDER BY url").fetchall()
    with open_store(tmp_path / "files.sqlite") as store:
        run_local(demo, settings, store, resources, raise_errors)
        file_rows = store.db.execute("SELECT published, n_events FROM articles ORDER BY source_path").fetchall()
    assert from_warc.coded == len(demo) and from_warc.quarantined == 0
    assert [r[0] for r in warc_rows] == [f"https://demo.example/{p.stem}" for p in demo]
    assert [r[1:] for r in warc_rows] == file_rows


def write_warc_bytes(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path
