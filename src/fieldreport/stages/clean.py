"""Page -> Article: decode, strip boilerplate, find title, publisher and publication date."""

from __future__ import annotations

import hashlib
import re
from datetime import date
from urllib.parse import urlparse

from ..config import Settings
from ..errors import Reject
from ..records import Article, Page

_CHARSET = re.compile(rb"""<meta[^>]+charset=["']?([A-Za-z0-9_\-]+)""", re.I)
_TAG = re.compile(r"<[a-zA-Z!/][^>]*>")

# Function words that make up roughly a quarter of any English news text; a page
# where they are under 8% of the words is not English (checked on our French,
# Spanish and German fixture pages, which score below 2%).
_ENGLISH_WORDS = frozenset(
    "the of and to in a is was were that for on with by at from as it he she they "
    "his her their said has have had been be are not this which who after but an "
    "will would or".split()
)
_MIN_ENGLISH_SHARE = 0.08

_MONTHS = {
    m: i
    for i, names in enumerate(
        [
            ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"),
            ("may",), ("june", "jun"), ("july", "jul"), ("august", "aug"),
            ("september", "sep", "sept"), ("october", "oct"), ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for m in names
}
_MONTH_RE = "|".join(sorted(_MONTHS, key=len, reverse=True))
_DATELINE_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\b(\d{4})[/-](\d{1,2})[/-](\d{1,2})\b"), "ymd"),
    (re.compile(r"\b(\d{1,2})\.(\d{1,2})\.(\d{4})\b"), "dmy"),
    (re.compile(rf"\b({_MONTH_RE})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})\b", re.I), "mdy"),
    (re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+({_MONTH_RE})\.?,?\s+(\d{{4}})\b", re.I), "dMy"),
)
_DATE_CUE = re.compile(r"\b(posted|published|updated|date|last modified)\b\s*(on)?\s*:?\s*$", re.I)


def decode(raw: bytes, kind: str) -> str:
    """Bytes to text: UTF-8, then the page's declared charset, then cp1252 when
    the bytes look like mostly-ASCII Western text; anything else is ENCODING."""
    if b"\x00" in raw[:8192]:
        raise Reject("NOT_HTML", "the file contains NUL bytes (binary data)")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    declared = _CHARSET.search(raw[:4096]) if kind == "html" else None
    if declared:
        try:
            return raw.decode(declared.group(1).decode("ascii"))
        except (LookupError, UnicodeDecodeError):
            pass
    high = sum(b >= 0x80 for b in raw) / len(raw)
    # Latin-1 text in English has well under 5% non-ASCII bytes; random or
    # compressed bytes have about half.
    if high < 0.05:
        try:
            return raw.decode("cp1252")
        except UnicodeDecodeError:
            pass
    raise Reject("ENCODING", f"not valid UTF-8 and no usable charset ({high:.0%} non-ASCII bytes)")


def parse_dateline(text: str, today: date | None = None) -> str | None:
    """The publication date from a visible dateline; cue words ("Posted:") win."""
    today = today or date.today()
    found: list[tuple[int, int, str]] = []
    for pattern, order in _DATELINE_PATTERNS:
        for match in pattern.finditer(text):
            iso = _to_iso(match.groups(), order, today)
            if iso:
                cued = bool(_DATE_CUE.search(text[max(0, match.start() - 30) : match.start()]))
                found.append((0 if cued else 1, match.start(), iso))
    return min(found)[2] if found else None


def _to_iso(groups: tuple[str, ...], order: str, today: date) -> str | None:
    try:
        if order == "ymd":
            y, m, d = (int(g) for g in groups)
        elif order == "dmy":
            d, m, y = (int(g) for g in groups)
        elif order == "mdy":
            m, d, y = _MONTHS[groups[0].lower()], int(groups[1]), int(groups[2])
        else:
            d, m, y = int(groups[0]), _MONTHS[groups[1].lower()], int(groups[2])
        value = date(y, m, d)
    except (ValueError, KeyError):
        return None
    return value.isoformat() if date(1990, 1, 1) <= value <= today else None


def check_english(text: str) -> None:
    words = re.findall(r"[a-zA-Z]+", text.lower())
    if len(words) < 30:
        return
    share = sum(w in _ENGLISH_WORDS for w in words) / len(words)
    if share < _MIN_ENGLISH_SHARE:
        raise Reject("NOT_ENGLISH", f"only {share:.0%} English function words")


def _visible_text(html: str) -> str:
    from lxml import html as lxml_html

    try:
        tree = lxml_html.fromstring(html)
    except Exception:  # lxml raises several types on broken markup
        return _TAG.sub(" ", html)
    for bad in tree.xpath("//script|//style|//noscript"):
        bad.drop_tree()
    return re.sub(r"[ \t\r\f\v]+", " ", tree.text_content())


def _meta(html: str, key: str) -> str | None:
    pattern = re.compile(
        rf"""<meta[^>]+(?:property|name)=["']{re.escape(key)}["'][^>]*content=["']([^"']+)["']"""
        rf"""|<meta[^>]+content=["']([^"']+)["'][^>]*(?:property|name)=["']{re.escape(key)}["']""",
        re.I,
    )
    match = pattern.search(html)
    return (match.group(1) or match.group(2)).strip() if match else None


def _metadata_date(html: str) -> str | None:
    import htmldate

    try:
        return htmldate.find_date(html, extensive_search=False, original_date=True)
    except Exception:  # htmldate fails on some malformed trees; metadata is optional
        return None


def _extract_html(html: str, url: str | None, min_chars: int) -> tuple[str, str | None, str | None]:
    """Main text with trafilatura. Precision first, so link lists stay out; a page
    whose layout defeats that (a long link block before the story) gets a
    recall-first second pass rather than a TOO_SHORT reject."""
    import trafilatura

    text, title, sitename = "", None, None
    for favour_precision in (True, False):
        doc = trafilatura.bare_extraction(
            html,
            url=url,
            with_metadata=True,
            include_comments=False,
            include_tables=False,
            favor_precision=favour_precision,
            favor_recall=not favour_precision,
            date_extraction_params={"extensive_search": False, "original_date": True},
        )
        if doc is not None:
            text, title, sitename = doc.text or "", doc.title, doc.sitename
            if len(text) >= min_chars:
                break
    return text, title, sitename


# Teaser lines that sites put inside the story body, pointing at other stories.
_TEASER = re.compile(
    r"^(read more|also read|related|see also|recommended|more on this|watch|listen|don't miss)\b\s*[:|\-\u2013\u2014>]",
    re.I,
)


def _normalise(text: str) -> str:
    lines = [re.sub(r"[ \t]+", " ", line).strip() for line in text.replace("\r", "").split("\n")]
    return "\n".join(line for line in lines if line and not _TEASER.match(line))


def article_id_for(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def clean_page(page: Page, settings: Settings) -> Article:
    """Page -> Article, or Reject with a stable code."""
    content = decode(page.raw, page.kind)
    title, publisher, published, source = page.title, page.publisher, page.published, "input"
    if page.kind == "html":
        if not _TAG.search(content[:65536]):
            raise Reject("NOT_HTML", "the file has no HTML markup")
        text, found_title, sitename = _extract_html(content, page.url, settings.min_text_chars)
        title = title or _meta(content, "og:title") or found_title
        publisher = publisher or _meta(content, "og:site_name") or sitename
        if not published:
            published, source = _metadata_date(content), "metadata"
        if not published:
            visible = _visible_text(content)
            published, source = parse_dateline(_around_title(visible, title)), "dateline"
    else:
        text = content
        if page.title is None and page.source_path.lower().endswith((".txt", ".txt.gz")):
            first, sep, rest = content.lstrip().partition("\n")
            if sep and rest.startswith(("\n", "\r\n")):
                title, text = first.strip(), rest
        if not published:
            published, source = parse_dateline(text[:600]), "dateline"
    text = _normalise(text)
    if len(text) < settings.min_text_chars:
        raise Reject("TOO_SHORT", f"{len(text)} characters of article text (need {settings.min_text_chars})")
    check_english(text)
    if publisher is None and page.url:
        publisher = urlparse(page.url).hostname
    return Article(
        article_id=article_id_for(text),
        text=text,
        title=title,
        url=page.url,
        publisher=publisher,
        published=published[:10] if published else None,
        published_source=source if published else None,
        source_path=page.source_path,
        page_sha256=page.sha256,
    )


def _around_title(visible: str, title: str | None) -> str:
    """The dateline sits near the headline, not in the footer or a link list."""
    if title:
        at = visible.find(title[:40])
        if at >= 0:
            return visible[max(0, at - 300) : at + 1500]
    return visible[:3000]
