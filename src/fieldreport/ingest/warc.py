"""WARC and WARC.gz web archives -> Page, one per archived HTML response.

Written by hand (the format is short: ISO 28500) so that one broken record
becomes a ``BAD_WARC`` quarantine row and reading goes on with the next
record, and so that files of many gigabytes are streamed, never loaded whole.

What becomes a page:
  * ``response`` records with an HTTP 2xx status, and ``resource`` records
    (wget, Browsertrix), whose content type is HTML, XHTML or plain text;
  * a 2xx response of any other type (PDF, image, JSON) is quarantined as
    ``NOT_HTML``, so nothing archived as a page is silently lost.
What is skipped, being no page: ``request``, ``metadata``, ``warcinfo``,
``revisit`` and ``conversion`` records, and non-2xx responses (redirects,
errors).

Each page's ``source_path`` is ``FILE@OFFSET``, the byte offset of its record
(of its gzip member in a .warc.gz, as in CDX indexes), and ``url`` is the
record's ``WARC-Target-URI``.

``WARC-Date`` is *not* used as a publication date, not even as a fallback: it
is the capture time, which in a broad crawl can be years after publication,
and relative dates ("on Tuesday") resolved against a wrong anchor give wrong
event dates that look right. Without a date in the page's metadata or
dateline the article's ``published`` stays null and event dates say why.
"""

from __future__ import annotations

import hashlib
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from ..errors import HINTS
from ..records import Page, Rejected

WARC_SUFFIXES = (".warc", ".warc.gz")
PAGE_RECORD_TYPES = ("response", "resource")
_HTML_TYPES = ("text/html", "application/xhtml+xml", "application/xhtml")
_TEXT_TYPES = ("text/plain",)
_GZIP_MAGIC = b"\x1f\x8b\x08"
_CHUNK = 1 << 16
# WARC and HTTP headers of a real record are under 16 KB; more is a broken file.
_MAX_HEADER_BYTES = 1 << 16


@dataclass(frozen=True)
class _Record:
    offset: int
    headers: dict[str, str]  # lowercase names
    block: bytes | None  # None when the record was too large to keep
    problem: tuple[str, str] | None = None  # (reject code, detail)


def read_warc(path: Path, max_bytes: int) -> Iterator[Page | Rejected]:
    """Pages from one WARC file; a broken record is a Rejected and reading goes on."""
    try:
        handle = path.open("rb")
    except OSError as exc:
        yield Rejected(str(path), "", "UNREADABLE", f"{path}: {exc.strerror or exc}", HINTS["UNREADABLE"])
        return
    with handle:
        gzipped = path.name.lower().endswith(".gz")
        records = _gzip_records(handle, max_bytes) if gzipped else _plain_records(handle, max_bytes)
        seen_any = False
        for record in records:
            seen_any = True
            outcome = _to_page(path, record, max_bytes)
            if outcome is not None:
                yield outcome
        if not seen_any:
            yield _reject(path, 0, b"", "EMPTY", f"{path} holds no WARC records")


def _reject(path: Path, offset: int, data: bytes, code: str, detail: str) -> Rejected:
    digest = hashlib.sha256(data).hexdigest() if data else ""
    return Rejected(f"{path}@{offset}", digest, code, detail, HINTS[code])


# --- records -------------------------------------------------------------


def _parse_headers(lines: list[bytes]) -> dict[str, str]:
    headers: dict[str, str] = {}
    for line in lines:
        name, sep, value = line.partition(b":")
        if sep:
            headers[name.strip().decode("latin-1").lower()] = value.strip().decode("utf-8", "replace")
    return headers


def _split_record(data: bytes, offset: int, max_bytes: int) -> Iterator[_Record]:
    """Records in one decompressed gzip member (almost always exactly one)."""
    pos = 0
    while pos < len(data):
        while data.startswith((b"\r\n", b"\n"), pos):
            pos += 2 if data.startswith(b"\r\n", pos) else 1
        if pos >= len(data):
            return
        if not data.startswith(b"WARC/", pos):
            yield _Record(offset, {}, None, ("BAD_WARC", "the record does not start with a WARC/1.x line"))
            return
        end = data.find(b"\r\n\r\n", pos)
        if end < 0:
            yield _Record(offset, {}, None, ("BAD_WARC", "the WARC header is not terminated"))
            return
        headers = _parse_headers(data[pos:end].split(b"\r\n")[1:])
        length = _content_length(headers)
        start = end + 4
        if length is None:
            yield _Record(offset, headers, None, ("BAD_WARC", "the record has no valid Content-Length"))
            return
        if start + length > len(data):
            yield _Record(offset, headers, None, ("BAD_WARC", f"the record is truncated ({len(data) - start:,} of "
                                                              f"{length:,} content bytes)"))
            return
        block = data[start : start + length]
        yield _Record(offset, headers, block if length <= max_bytes else None)
        pos = start + length


def _content_length(headers: dict[str, str]) -> int | None:
    try:
        value = int(headers.get("content-length", ""))
    except ValueError:
        return None
    return value if value >= 0 else None


def _gzip_records(handle: BinaryIO, max_bytes: int) -> Iterator[_Record]:
    """One gzip member per record (the WARC.gz convention), streamed. A corrupt
    member is reported and skipped by searching for the next gzip header."""
    limit = max_bytes + _MAX_HEADER_BYTES
    offset = 0
    while True:
        handle.seek(offset)
        first = handle.read(len(_GZIP_MAGIC))
        if not first:
            return
        if first != _GZIP_MAGIC:
            yield _Record(offset, {}, None, ("BAD_WARC", "bytes between records are not a gzip member"))
            found = _find_magic(handle, offset + 1)
            if found is None:
                return
            offset = found
            continue
        handle.seek(offset)
        inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
        out = bytearray()
        oversize = False
        consumed = 0
        problem: str | None = None
        while not inflater.eof:
            chunk = handle.read(_CHUNK)
            if not chunk:
                problem = "the gzip member is truncated"
                break
            consumed += len(chunk)
            data = chunk
            try:
                while data and not inflater.eof:
                    # Bounded: a gzip bomb inside an archive must not exhaust memory.
                    piece = inflater.decompress(data, _CHUNK if oversize else max(1, limit - len(out)))
                    if not oversize:
                        out += piece
                        oversize = len(out) >= limit
                    data = inflater.unconsumed_tail
            except zlib.error as exc:
                problem = f"the gzip member is corrupt ({exc})"
                break
        if problem:
            yield _Record(offset, {}, None, ("BAD_WARC", problem))
            found = _find_magic(handle, offset + 1)
            if found is None:
                return
            offset = found
            continue
        member_end = offset + consumed - len(inflater.unused_data)
        if oversize:
            headers = _parse_headers(bytes(out[: out.find(b"\r\n\r\n")]).split(b"\r\n")[1:])
            yield _Record(offset, headers, None)
        else:
            yield from _split_record(bytes(out), offset, max_bytes)
        offset = member_end


def _find_magic(handle: BinaryIO, start: int) -> int | None:
    handle.seek(start)
    position = start
    carry = b""
    while True:
        chunk = handle.read(_CHUNK)
        if not chunk:
            return None
        data = carry + chunk
        found = data.find(_GZIP_MAGIC)
        if found >= 0:
            return position - len(carry) + found
        carry = data[-(len(_GZIP_MAGIC) - 1) :]
        position += len(chunk)


def _plain_records(handle: BinaryIO, max_bytes: int) -> Iterator[_Record]:
    """Records of an uncompressed WARC. After a broken record, reading resumes at
    the next line that starts a record."""
    while True:
        offset = handle.tell()
        line = handle.readline(_MAX_HEADER_BYTES)
        if not line:
            return
        if not line.strip():
            continue
        if not line.startswith(b"WARC/"):
            yield _Record(offset, {}, None, ("BAD_WARC", "the record does not start with a WARC/1.x line"))
            _resync(handle)
            continue
        lines: list[bytes] = []
        size = len(line)
        while True:
            line = handle.readline(_MAX_HEADER_BYTES)
            size += len(line)
            if not line or not line.strip() or size > _MAX_HEADER_BYTES:
                break
            lines.append(line.rstrip(b"\r\n"))
        if not line or size > _MAX_HEADER_BYTES:
            yield _Record(offset, {}, None, ("BAD_WARC", "the WARC header is not terminated"))
            _resync(handle)
            continue
        headers = _parse_headers(lines)
        length = _content_length(headers)
        if length is None:
            yield _Record(offset, headers, None, ("BAD_WARC", "the record has no valid Content-Length"))
            _resync(handle)
            continue
        if length > max_bytes:
            handle.seek(length, 1)
            yield _Record(offset, headers, None)
            continue
        block = handle.read(length)
        if len(block) < length:
            yield _Record(offset, headers, None, ("BAD_WARC", f"the record is truncated ({len(block):,} of "
                                                              f"{length:,} content bytes)"))
            return
        yield _Record(offset, headers, block)


def _resync(handle: BinaryIO) -> None:
    """Skip to the next line starting with ``WARC/1.``, leaving it unread."""
    while True:
        position = handle.tell()
        line = handle.readline(_MAX_HEADER_BYTES)
        if not line:
            return
        if line.startswith(b"WARC/1."):
            handle.seek(position)
            return


# --- record -> page --------------------------------------------------------


def _to_page(path: Path, record: _Record, max_bytes: int) -> Page | Rejected | None:
    if record.problem:
        code, detail = record.problem
        return _reject(path, record.offset, b"", code, f"{path}@{record.offset}: {detail}")
    kind = record.headers.get("warc-type", "").lower()
    if kind not in PAGE_RECORD_TYPES:
        return None
    url = record.headers.get("warc-target-uri") or None
    where = f"{path}@{record.offset}"
    if record.block is None:
        return _reject(path, record.offset, b"", "TOO_LARGE", f"{where} ({url}) exceeds {max_bytes:,} bytes")
    if kind == "response":
        parsed = _http_message(record.block)
        if parsed is None:
            return _reject(path, record.offset, record.block, "BAD_WARC", f"{where}: no HTTP header in the response")
        status, http_headers, body = parsed
        if not 200 <= status < 300:
            return None
        content_type = http_headers.get("content-type", "")
        try:
            body = _decode_transfer(body, http_headers, max_bytes)
        except ValueError as exc:
            return _reject(path, record.offset, record.block, "BAD_WARC", f"{where}: {exc}")
        except OverflowError:
            return _reject(path, record.offset, record.block, "TOO_LARGE", f"{where} inflates past {max_bytes:,} bytes")
    else:
        content_type, body = record.headers.get("content-type", ""), record.block
    media = content_type.split(";")[0].strip().lower()
    if media and media not in _HTML_TYPES + _TEXT_TYPES:
        return _reject(path, record.offset, body, "NOT_HTML", f"{where} ({url}) is {media}, not a web page")
    if not body.strip():
        return _reject(path, record.offset, body, "EMPTY", f"{where} ({url}) has an empty body")
    page_kind = "text" if media in _TEXT_TYPES else "html"
    return Page(where, hashlib.sha256(body).hexdigest(), body, page_kind, url=url)


def _http_message(block: bytes) -> tuple[int, dict[str, str], bytes] | None:
    if not block.startswith(b"HTTP/"):
        return None
    end = block.find(b"\r\n\r\n")
    sep = 4
    if end < 0:
        end, sep = block.find(b"\n\n"), 2
    if end < 0:
        return None
    lines = block[:end].replace(b"\r\n", b"\n").split(b"\n")
    parts = lines[0].split()
    try:
        status = int(parts[1])
    except (IndexError, ValueError):
        return None
    return status, _parse_headers(lines[1:]), block[end + sep :]


def _decode_transfer(body: bytes, headers: dict[str, str], max_bytes: int) -> bytes:
    """Undo chunked transfer and gzip/deflate content encoding, if the crawler kept them."""
    if "chunked" in headers.get("transfer-encoding", "").lower() and _looks_chunked(body):
        body = _dechunk(body)
    encoding = headers.get("content-encoding", "").strip().lower()
    if encoding in ("gzip", "x-gzip", "deflate"):
        if body[:2] == b"\x1f\x8b":
            inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
        elif encoding == "deflate":
            inflater = zlib.decompressobj()
        else:
            return body  # already decoded by the crawler, header left behind
        try:
            out = inflater.decompress(body, max_bytes + 1)
        except zlib.error as exc:
            raise ValueError(f"the {encoding} body is corrupt ({exc})") from exc
        if len(out) > max_bytes:
            raise OverflowError
        return out
    return body


def _looks_chunked(body: bytes) -> bool:
    head = body[:12].split(b"\r\n", 1)[0].split(b";")[0].strip()
    try:
        int(head, 16)
    except ValueError:
        return False
    return b"\r\n" in body[:12]


def _dechunk(body: bytes) -> bytes:
    out = bytearray()
    pos = 0
    while True:
        line_end = body.find(b"\r\n", pos)
        if line_end < 0:
            raise ValueError("the chunked body is truncated")
        try:
            size = int(body[pos:line_end].split(b";")[0].strip(), 16)
        except ValueError as exc:
            raise ValueError("the chunked body has a bad chunk size") from exc
        if size == 0:
            return bytes(out)
        start = line_end + 2
        if start + size > len(body):
            raise ValueError("the chunked body is truncated")
        out += body[start : start + size]
        pos = start + size + 2
