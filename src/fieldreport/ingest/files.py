"""Files, folders, JSONL and WARC (``warc.py``) -> Page. The only code that opens input files."""

from __future__ import annotations

import hashlib
import json
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path

from ..errors import HINTS, Reject
from ..records import Page, Rejected
from .warc import WARC_SUFFIXES, read_warc

HTML_SUFFIXES = (".html", ".htm", ".html.gz", ".htm.gz", ".xhtml")
TEXT_SUFFIXES = (".txt", ".txt.gz")
JSONL_SUFFIXES = (".jsonl", ".jsonl.gz")


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _stream_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def iter_input_files(paths: Iterable[str | Path]) -> Iterator[Path]:
    """Files named directly, and every non-hidden file under named folders, in a stable order."""
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                parts = child.relative_to(path).parts
                if child.is_file() and not any(p.startswith(".") for p in parts):
                    yield child
        else:
            yield path


def _rejected(path: Path, digest: str, code: str, detail: str) -> Rejected:
    return Rejected(str(path), digest, code, detail, HINTS[code])


def _read_bytes(path: Path, max_bytes: int) -> bytes:
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise Reject("UNREADABLE", f"{path}: {exc.strerror or exc}") from exc
    if size > max_bytes:
        raise Reject("TOO_LARGE", f"{path} is {size:,} bytes (limit {max_bytes:,})")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise Reject("UNREADABLE", f"{path}: {exc.strerror or exc}") from exc
    if path.name.lower().endswith(".gz"):
        try:
            # Bounded decompression: a small gzip bomb must not exhaust memory.
            inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
            data = inflater.decompress(data, max_bytes + 1)
            if len(data) > max_bytes:
                raise Reject("TOO_LARGE", f"{path} inflates past {max_bytes:,} bytes")
        except zlib.error as exc:
            raise Reject("NOT_HTML", f"{path} is not a valid gzip file ({exc})") from exc
    return data


def read_pages(path: Path, max_bytes: int) -> Iterator[Page | Rejected]:
    """Pages from one file; a problem becomes a Rejected, never an exception."""
    name = path.name.lower()
    if name.endswith(WARC_SUFFIXES):  # archives are streamed record by record, never read whole
        yield from read_warc(path, max_bytes)
        return
    try:
        data = _read_bytes(path, max_bytes)
    except Reject as rej:
        digest = _stream_sha256(path) if rej.code == "TOO_LARGE" else ""
        yield _rejected(path, digest, rej.code, rej.detail)
        return
    digest = sha256_hex(data)
    if not data.strip():
        yield _rejected(path, digest, "EMPTY", f"{path} is empty")
        return
    if name.endswith(JSONL_SUFFIXES):
        yield from _jsonl_pages(path, data)
    elif name.endswith(HTML_SUFFIXES):
        yield Page(str(path), digest, data, "html")
    elif name.endswith(TEXT_SUFFIXES):
        yield Page(str(path), digest, data, "text")
    elif name.endswith(".gz"):
        yield _rejected(path, digest, "NOT_HTML", f"{path}: unknown compressed file type")
    elif _looks_like_html(data):
        yield Page(str(path), digest, data, "html")
    else:
        yield _rejected(path, digest, "NOT_HTML", f"{path} is not .html, .txt or .jsonl")


def _looks_like_html(data: bytes) -> bool:
    head = data[:2048].lstrip().lower()
    return head.startswith((b"<!doctype html", b"<html")) or b"<body" in head


def _jsonl_pages(path: Path, data: bytes) -> Iterator[Page | Rejected]:
    for number, line in enumerate(data.splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{path}:{number}"
        digest = sha256_hex(line)
        try:
            record = json.loads(line)
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            yield _rejected(Path(where), digest, "BAD_JSON", f"{where}: {exc}")
            continue
        if not isinstance(record, dict):
            yield _rejected(Path(where), digest, "BAD_JSON", f"{where}: expected an object")
            continue
        body = record.get("html") or record.get("text")
        if not isinstance(body, str) or not body.strip():
            yield _rejected(Path(where), digest, "NO_TEXT", f"{where} has no 'text' or 'html'")
            continue
        yield Page(
            source_path=where,
            sha256=digest,
            raw=body.encode("utf-8"),
            kind="html" if record.get("html") else "text",
            url=_str_or_none(record.get("url")),
            title=_str_or_none(record.get("title")),
            published=_str_or_none(record.get("published")),
            publisher=_str_or_none(record.get("publisher")),
        )


def _str_or_none(value: object) -> str | None:
    return str(value) if value not in (None, "") else None


def read_inputs(paths: Iterable[str | Path], max_bytes: int) -> Iterator[Page | Rejected]:
    for path in iter_input_files(paths):
        if not path.exists():
            yield _rejected(path, "", "UNREADABLE", f"{path} does not exist")
            continue
        yield from read_pages(path, max_bytes)
