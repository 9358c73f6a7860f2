"""Event dates: find the date words in a sentence and resolve them.

Own rules rather than dateparser: news uses a small, regular set of
expressions, and rules are fast, predictable and return the exact words
that justify the date (the evidence span).

Conventions (ACLED, see ``taxonomy/acled.json``):

* a window's ``event_date`` is its midpoint; a whole calendar month is coded
  on the 15th;
* ``time_precision`` 1 day, 2 week (or a window of up to 7 days), 3 month
  (or a window of up to 31 days, or a season), 4 year (anything longer);
* relative expressions resolve against the publication date and never past
  it: "in March" is the most recent March not after publication, and a
  window that would run past publication is clipped to it;
* a weekday ("on Tuesday") is the most recent such day on or before
  publication: same-day wire copy names the publication day's own weekday.
  See ``WEEKDAY_SAME_DAY``.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from fieldreport.records import DateResolution, Span

__all__ = ["find_date_expressions", "parse_published", "resolve_event_date"]

# Wire copy published on a Tuesday that says "on Tuesday" means that same day;
# a report of last week's Tuesday says "last Tuesday" or gives the date.
WEEKDAY_SAME_DAY = True

_MONTH_NAMES = "january february march april may june july august september october november december"
MONTHS = {name: i for i, name in enumerate(_MONTH_NAMES.split(), 1)}
MONTHS.update({name[:3]: i for name, i in list(MONTHS.items())}, sept=9)
WEEKDAYS = {name: i for i, name in enumerate("monday tuesday wednesday thursday friday saturday sunday".split())}
SMALL_NUMBERS = {
    **{w: i for i, w in enumerate("zero one two three four five six seven eight nine ten eleven twelve".split())},
    "a": 1, "an": 1, "a couple of": 2, "a few": 3, "several": 3,
}
# Seasons (northern hemisphere) as (first month, last month).
SEASONS = {"spring": (3, 5), "summer": (6, 8), "autumn": (9, 11), "fall": (9, 11), "winter": (12, 2)}

# Month names are matched capitalised only: lowercase "march"/"may" are verbs.
_MON = (
    r"(?:January|February|March|April|May|June|July|August|September|October|"
    r"November|December|Jan\.?|Feb\.?|Mar\.?|Apr\.?|Jun\.?|Jul\.?|Aug\.?|"
    r"Sept\.?|Sep\.?|Oct\.?|Nov\.?|Dec\.?)(?![a-z])"
)
_DAY = r"(?:[12][0-9]|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_YEAR = r"(?:19[0-9]{2}|20[0-9]{2})"
_WD = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_PART = r"(?:morning|afternoon|evening|night|dawn)"
_NUM = r"(?:\d{1,2}|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|a couple of|a few|several)"


class _NeedsPublication(Exception):
    """A relative expression met an article without a publication date."""


@dataclass(frozen=True)
class _Window:
    start: date
    end: date
    precision: int | None  # None: decide by length
    reason: str


Resolver = Callable[["re.Match[str]", "date | None", str], "_Window | None"]


def _pub(published: date | None) -> date:
    if published is None:
        raise _NeedsPublication
    return published


def _month_window(year: int, month: int) -> tuple[date, date]:
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])


def _recent_month(month: int, pub: date) -> int:
    """Year of the most recent given month not after publication."""
    return pub.year if month <= pub.month else pub.year - 1


def _day(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _month_of(name: str) -> int:
    return MONTHS[name.lower().rstrip(".")]


def _int(text: str) -> int:
    return int(re.sub(r"\D", "", text))  # "3rd" -> 3


def _count(text: str) -> int:
    text = text.lower()
    return int(text) if text.isdigit() else SMALL_NUMBERS[text]


def _iso(m: re.Match[str], pub: date | None, sentence: str) -> _Window | None:
    d = _day(int(m["y"]), int(m["m"]), int(m["d"]))
    return _Window(d, d, 1, "ISO date") if d else None


def _day_month(m: re.Match[str], pub: date | None, sentence: str) -> _Window | None:
    month = _month_of(m["mon"])
    day = _int(m["d"])
    if m["y"]:
        d = _day(int(m["y"]), month, day)
        return _Window(d, d, 1, "absolute date") if d else None
    p = _pub(pub)
    d = _day(p.year, month, day)
    if d is None or d > p:
        d = _day(p.year - 1, month, day)
    return _Window(d, d, 1, "day and month; year from publication") if d else None


def _numeric_day_month(m: re.Match[str], pub: date | None, sentence: str) -> _Window | None:
    """'(17/01)', '(03/02/2015)': day first, as South Asian and most non-US press
    write it, unless only the other order is a valid date; without a year, the
    latest reading not after publication."""
    a, b = int(m["a"]), int(m["b"])
    orders = [(a, b)] if b <= 12 else []
    if a <= 12 and not orders:
        orders = [(b, a)]
    if m["y"]:
        year = int(m["y"]) + (2000 if len(m["y"]) == 2 else 0)
        dates = [d for day, month in orders if (d := _day(year, month, day))]
    else:
        p = _pub(pub)
        dates = [d for day, month in orders for year in (p.year, p.year - 1)
                 if (d := _day(year, month, day)) and d <= p][:1]
    return _Window(dates[0], dates[0], 1, "numeric day/month") if dates else None


def _day_range(m: re.Match[str], pub: date | None, sentence: str) -> _Window | None:
    """'between 3 and 5 May', 'May 3-5, 2015', '3 May to 7 June 2015'."""
    m2 = _month_of(m["mon2"]) if m["mon2"] else None
    m1 = _month_of(m["mon1"]) if m["mon1"] else m2
    m2 = m2 or m1
    if m1 is None or m2 is None:
        return None
    if m["y"]:
        y2 = int(m["y"])
    else:
        p = _pub(pub)
        y2 = p.year if _day(p.year, m2, _int(m["d1"])) and date(p.year, m2, 1) <= p else p.year - 1
    y1 = y2 - 1 if m1 > m2 else y2
    start, end = _day(y1, m1, _int(m["d1"])), _day(y2, m2, _int(m["d2"]))
    if not start or not end or end < start:
        return None
    return _Window(start, end, None, "date range")


def _month_range(m: re.Match[str], pub: date | None, sentence: str) -> _Window | None:
    m1, m2 = _month_of(m["mon1"]), _month_of(m["mon2"])
    if m["y"]:
        y2 = int(m["y"])
    else:
        y2 = _recent_month(m2, _pub(pub))
    y1 = y2 - 1 if m1 > m2 else y2
    return _Window(_month_window(y1, m1)[0], _month_window(y2, m2)[1], None, "month range")


def _month_year(m: re.Match[str], pub: date | None, sentence: str) -> _Window | None:
    month, year = _month_of(m["mon"]), int(m["y"])
    start, end = _part_of_month(year, month, m["part"])
    return _Window(start, end, 3, "month and year")


def _part_of_month(year: int, month: int, part: str | None) -> tuple[date, date]:
    start, end = _month_window(year, month)
    part = (part or "").lower()
    if part.startswith(("early", "beginning", "start")):
        return start, date(year, month, 10)
    if part.startswith("mid"):
        return date(year, month, 11), date(year, month, 20)
    if part.startswith(("late", "end")):
        return date(year, month, 21), end
    return start, end


def _month_only(m: re.Match[str], pub: date | None, sentence: str) -> _Window | None:
    p = _pub(pub)
    month = _month_of(m["mon"])
    year = _recent_month(month, p)
    if (m["rel"] or "").lower() == "last" and month == p.month:
        year -= 1
    elif (m["rel"] or "").lower() == "next":
        year = p.year if month > p.month else p.year + 1
    start, end = _part_of_month(year, month, m["part"])
    if start > p:  # "late May" early in May: that part has not come yet
        return _Window(start, end, 3, "month; year from publication")
    return _Window(start, min(end, p), 3, "month; year from publication")


def _year(m: re.Match[str], pub: date | None, sentence: str) -> _Window | None:
    year = int(m["y"])
    if m["season"]:
        first, last = SEASONS[m["season"].lower()]
        start = date(year if first <= last else year - 1, first, 1)
        end = _month_window(year, last)[1]
        return _Window(start, end, 3, "season and year")
    part = (m["part"] or "").lower()
    start, end = date(year, 1, 1), date(year, 12, 31)
    if part.startswith("early"):
        end = date(year, 4, 30)
    elif part.startswith("mid"):
        start, end = date(year, 5, 1), date(year, 8, 31)
    elif part.startswith(("late", "end")):
        start = date(year, 9, 1)
    reason = "historical year" if (m["back"] or "") else "year"
    return _Window(start, end, 4, reason)


def _year_range(m: re.Match[str], pub: date | None, sentence: str) -> _Window | None:
    y1, y2 = int(m["y1"]), int(m["y2"])
    if y2 < y1:
        return None
    return _Window(date(y1, 1, 1), date(y2, 12, 31), 4, "year range")


_SAME_DAY_WORDS = re.compile(r"\b(?:today|this (?:morning|afternoon|evening)|tonight)\b", re.I)


def _weekday(m: re.Match[str], pub: date | None, sentence: str) -> _Window | None:
    p = _pub(pub)
    target = WEEKDAYS[m["wd"].lower()]
    back = (p.weekday() - target) % 7
    same_day_ok = WEEKDAY_SAME_DAY or _SAME_DAY_WORDS.search(sentence)
    if back == 0 and (not same_day_ok or (m["rel"] or "").lower() == "last"):
        back = 7
    d = p - timedelta(days=back)
    return _Window(d, d, 1, f"most recent {m['wd']} before publication")


def _ago(m: re.Match[str], pub: date | None, sentence: str) -> _Window | None:
    p = _pub(pub)
    n = _count(m["n"])
    unit = m["unit"].lower().rstrip("s")
    vague = m["n"].lower() in ("a few", "several")
    if unit == "day":
        if vague:
            return _Window(p - timedelta(days=7), p - timedelta(days=2), 2, "a few days before publication")
        d = p - timedelta(days=n)
        return _Window(d, d, 1, f"{n} days before publication")
    if unit == "week":
        if vague:
            return _Window(p - timedelta(days=28), p - timedelta(days=14), None, "a few weeks before publication")
        mid = p - timedelta(days=7 * n)
        return _Window(mid - timedelta(days=3), min(mid + timedelta(days=3), p), 2, f"{n} weeks before publication")
    if unit == "month":
        y, mo = divmod(p.year * 12 + p.month - 1 - n, 12)
        start, end = _month_window(y, mo + 1)
        return _Window(start, end, 3, f"{n} months before publication")
    if unit == "year":
        return _Window(date(p.year - n, 1, 1), date(p.year - n, 12, 31), 4, f"{n} years before publication")
    return None


def _relative_unit(m: re.Match[str], pub: date | None, sentence: str) -> _Window | None:
    """'last week', 'earlier this month', 'over the weekend', 'next year'..."""
    p = _pub(pub)
    rel = re.sub(r"\s+", " ", m["rel"].lower())
    unit = m["unit"].lower()
    earlier = bool(m["earlier"])
    if unit == "weekend":
        sat = p - timedelta(days=(p.weekday() - 5) % 7 or (7 if rel == "last" else 0))
        if rel == "next":
            sat = p + timedelta(days=(5 - p.weekday()) % 7 or 7)
        return _Window(sat, sat + timedelta(days=1), 2, f"{rel} weekend")
    if unit == "week":
        monday = p - timedelta(days=p.weekday())
        if rel in ("past", "the past"):
            return _Window(p - timedelta(days=7), p, 2, "the week before publication")
        shift = {"last": -7, "next": 7}.get(rel, 0)
        start = monday + timedelta(days=shift)
        end = start + timedelta(days=6)
        if shift == 0:
            end = p - timedelta(days=1) if earlier and p > start else p
        return _Window(start, end, 2, f"{rel} week")
    if unit == "month":
        if rel in ("past", "the past"):
            return _Window(p - timedelta(days=30), p, 3, "the month before publication")
        y, mo = divmod(p.year * 12 + p.month - 1 + {"last": -1, "next": 1}.get(rel, 0), 12)
        start, end = _part_of_month(y, mo + 1, m["part"])
        if rel == "this":
            end = min(end, p)
        return _Window(start, end, 3, f"{rel} month")
    if unit == "year":
        if rel in ("past", "the past"):
            return _Window(p - timedelta(days=365), p, 4, "the year before publication")
        y = p.year + {"last": -1, "next": 1}.get(rel, 0)
        start, end = date(y, 1, 1), date(y, 12, 31)
        if rel == "this":
            end = min(end, p)
        return _Window(start, end, 4, f"{rel} year")
    if unit in SEASONS:
        first, last = SEASONS[unit]
        # the most recent such season that has started by publication
        y = p.year if date(p.year, first, 1) <= p else p.year - 1
        if rel == "last" and date(y, first, 1) <= p <= _month_window(y + (1 if first > last else 0), last)[1]:
            y -= 1
        end_year = y + 1 if first > last else y
        return _Window(date(y, first, 1), min(_month_window(end_year, last)[1], p), 3, f"{rel} {unit}")
    return None


def _days_before(first: int, last: int, reason: str) -> Resolver:
    """'yesterday' (1, 1), 'today' (0, 0), 'in recent days' (7, 0): fixed offsets from publication."""

    def resolve(m: re.Match[str], pub: date | None, sentence: str) -> _Window | None:
        p = _pub(pub)
        return _Window(p - timedelta(days=first), p - timedelta(days=last), None, reason)

    return resolve


def _weekend(m: re.Match[str], pub: date | None, sentence: str) -> _Window | None:
    p = _pub(pub)
    back = (p.weekday() - 5) % 7
    sat = p - timedelta(days=back)
    return _Window(sat, min(sat + timedelta(days=1), p), 2, "the weekend before publication")


# The patterns, ordered: when two matches overlap the longer wins, then the earlier pattern.

_PATTERNS: list[tuple[re.Pattern[str], Resolver]] = [
    (re.compile(r"\b(?P<y>" + _YEAR + r")-(?P<m>[01][0-9])-(?P<d>[0-3][0-9])\b"), _iso),
    (re.compile(
        r"\b(?:between|from)\s+(?P<d1>" + _DAY + r")\s+(?:(?:of\s+)?(?P<mon1>" + _MON + r")\s+)?"
        r"(?:and|to|until|till)\s+(?P<d2>" + _DAY + r")\s+(?:of\s+)?(?P<mon2>" + _MON + r")"
        r"(?:,?\s+(?P<y>" + _YEAR + r"))?"), _day_range),
    (re.compile(
        r"\b(?:between\s+|from\s+)?(?P<mon1>" + _MON + r")\s+(?P<d1>" + _DAY + r")\s*"
        r"(?:-|–|and|to|until|till)\s*(?:(?P<mon2>" + _MON + r")\s+)?(?P<d2>" + _DAY + r")\b"
        r"(?:,?\s+(?P<y>" + _YEAR + r"))?"), _day_range),
    (re.compile(
        r"\b(?P<d1>" + _DAY + r")\s*(?:-|–)\s*(?P<d2>" + _DAY + r")\s+(?P<mon2>" + _MON + r")(?P<mon1>)?"
        r"(?:,?\s+(?P<y>" + _YEAR + r"))?"), _day_range),
    (re.compile(
        r"\b(?:between|from)\s+(?P<mon1>" + _MON + r")\s+(?:and|to|until|till)\s+(?P<mon2>" + _MON + r")"
        r"(?:,?\s+(?:of\s+)?(?P<y>" + _YEAR + r"))?"), _month_range),
    (re.compile(r"\b(?:between|from)\s+(?P<y1>" + _YEAR + r")\s+(?:and|to|until)\s+(?P<y2>" + _YEAR + r")\b"),
     _year_range),
    (re.compile(r"[(\[](?P<a>[0-3]?[0-9])/(?P<b>[01]?[0-9])(?:/(?P<y>(?:19|20)?[0-9]{2}))?[)\]]"),
     _numeric_day_month),
    (re.compile(
        r"(?:\b(?:on\s+)?(?:" + _WD + r",?\s+[\[(]?))?(?:\bthe\s+)?\b(?P<d>" + _DAY + r")\s+(?:of\s+)?(?P<mon>" + _MON + r")"
        r"(?:,?\s+(?P<y>" + _YEAR + r")\b)?"), _day_month),
    (re.compile(
        r"(?:\b(?:on\s+)?(?:" + _WD + r",?\s+))?\b(?P<mon>" + _MON + r")\s+(?P<d>" + _DAY + r")\b(?!:)"
        r"(?:,?\s+(?P<y>" + _YEAR + r")\b)?"), _day_month),
    (re.compile(
        r"\b(?:(?P<part>early|mid|late|the end of|the beginning of|the start of)[\s-]+)?(?P<mon>" + _MON + r")"
        r",?\s+(?:of\s+)?(?P<y>" + _YEAR + r")\b"), _month_year),
    (re.compile(
        # a bare capitalised "May" is too often a name or a modal: require a cue
        r"\b(?=(?:in|during|throughout|of|last|this|next|early|mid|late|the)\b)"
        r"(?:(?:in|during|throughout|of)\s+)?(?:(?P<rel>last|this|next)\s+)?"
        r"(?:(?P<part>early|mid|late|the end of|the beginning of|the start of)[\s-]+)?(?P<mon>" + _MON + r")\b"
        r"(?<=\w)(?!\s*\d)"), _month_only),
    (re.compile(
        r"\b(?P<back>[Bb]ack\s+)?(?:in|during|throughout|of)\s+(?:the\s+)?"
        r"(?:(?P<part>early|mid|late|the end of)[\s-]+)?(?:(?P<season>spring|summer|autumn|fall|winter)\s+(?:of\s+)?)?"
        r"(?P<y>" + _YEAR + r")\b(?!\s*(?:,\d|people|\w+s\b))"), _year),
    (re.compile(r"\b(?P<season>spring|summer|autumn|fall|winter)\s+(?:of\s+)?(?P<y>" + _YEAR + r")\b(?P<part>)(?P<back>)"),
     _year),
    (re.compile(r"\bthe\s+day\s+before\s+yesterday\b", re.I), _days_before(2, 2, "two days before publication")),
    (re.compile(r"\b(?:early\s+|late\s+)?yesterday(?:\s+" + _PART + r")?\b", re.I),
     _days_before(1, 1, "the day before publication")),
    (re.compile(r"\blast\s+night\b|\bovernight\b", re.I), _days_before(1, 1, "the night before publication")),
    (re.compile(r"\b(?:earlier\s+|later\s+)?(?:today|tonight|this\s+" + _PART + r")\b", re.I),
     _days_before(0, 0, "today (publication date)")),
    (re.compile(
        r"\b(?:(?:on|late|early)\s+)*(?:(?P<rel>last|this|next|past)\s+)?(?P<wd>" + _WD + r")"
        r"(?:\s+" + _PART + r")?(?!,?\s*(?:" + _DAY + r"\s+)?" + _MON + r")\b"), _weekday),
    (re.compile(r"\b(?P<n>" + _NUM + r")\s+(?P<unit>days?|weeks?|months?|years?)\s+ago\b", re.I), _ago),
    (re.compile(
        r"\b(?P<earlier>(?:earlier|later)\s+)?(?:(?P<part>early|mid|late)[\s-]+)?(?:in\s+|during\s+|over\s+|at\s+the\s+end\s+of\s+)?"
        r"(?P<rel>last|this|next|the\s+past|past)\s+(?P<unit>week|weekend|month|year|spring|summer|autumn|fall|winter)\b",
        re.I), _relative_unit),
    (re.compile(r"\b(?:over|at|during)\s+the\s+weekend\b", re.I), _weekend),
    (re.compile(r"\b(?:in\s+)?(?:recent|the\s+past\s+few|the\s+last\s+few)\s+days\b", re.I),
     _days_before(6, 0, "recent days before publication")),
]


@dataclass(frozen=True)
class _Found:
    span: Span
    match: re.Match[str]
    resolver: Resolver
    order: int


# A date after these words is a start or a deadline, not the event's day.
_NOT_EVENT_DATE = re.compile(r"\b(?:since|until|till|by)\s*$", re.I)


def _find(text: str, span: Span) -> list[_Found]:
    sentence = text[span.start : span.end]
    found: list[_Found] = []
    for order, (pattern, resolver) in enumerate(_PATTERNS):
        for m in pattern.finditer(sentence):
            s, e = m.span()
            # trim leading/trailing blanks the optional groups may leave
            while s < e and sentence[s].isspace():
                s += 1
            if _NOT_EVENT_DATE.search(sentence[max(0, s - 12) : s]):
                continue
            found.append(_Found(Span(span.start + s, span.start + e), m, resolver, order))
    # longest first, then pattern order; keep those not overlapping a kept one
    found.sort(key=lambda f: (-(f.span.end - f.span.start), f.order, f.span.start))
    kept: list[_Found] = []
    for f in found:
        if all(f.span.end <= k.span.start or f.span.start >= k.span.end for k in kept):
            kept.append(f)
    return sorted(kept, key=lambda f: f.span.start)


def find_date_expressions(text: str, span: Span) -> list[Span]:
    """Spans of the date expressions inside ``span``, in text order."""
    return [f.span for f in _find(text, span)]


# A date right after a reporting verb dates the report, not the event; used
# only when the sentence has no other, and then marked with this reason.
REPORTING_DAY = "date of the report"
_REPORTING_VERBS = "said|says|reported|announced|confirmed|stated|claimed|denied"
_REPORTING_DATE = re.compile(rf"\b(?:{_REPORTING_VERBS}|told\s+(?:\w+\s+){{0,2}}?|added)\s*$", re.I)
# ... and so does one right before it ("the ministry on Sunday denied that ...").
_DATED_REPORT = re.compile(rf"\s*(?:{_REPORTING_VERBS}|told)\b", re.I)


def _precision_by_length(start: date, end: date) -> int:
    days = (end - start).days + 1
    return next((p for limit, p in ((1, 1), (7, 2), (31, 3)) if days <= limit), 4)


def _midpoint(start: date, end: date) -> date:
    if start.day == 1 and start.month == end.month and start.year == end.year and \
            end.day == calendar.monthrange(end.year, end.month)[1]:
        return start.replace(day=15)  # ACLED codes mid-month
    if (start.month, start.day, end.month, end.day) == (1, 1, 12, 31) and start.year == end.year:
        return start.replace(month=7, day=1)  # mid-year
    return start + timedelta(days=(end - start).days // 2)


def _distance(a: Span, b: Span | None) -> int:
    return 0 if b is None else max(0, a.start - b.end, b.start - a.end)


def parse_published(published: str | None) -> date | None:
    if not published:
        return None
    try:
        return date.fromisoformat(published[:10])
    except ValueError:
        return None


def resolve_event_date(
    text: str, sentence: Span, published: str | None, trigger: Span | None = None
) -> DateResolution:
    """Resolve the date expression of ``sentence`` nearest ``trigger``.

    Returns nulls with a reason when the sentence has no date, or when its
    date is relative and there is no (valid ISO) publication date.
    """
    pub = parse_published(published)
    sentence_text = text[sentence.start : sentence.end]
    found = _find(text, sentence)
    if not found:
        return DateResolution(None, None, None, None, span=None, reason="no date in sentence")
    # Nearest the trigger (without one: the first in the sentence); a date
    # that dates the report ("police said on Tuesday") only when nothing else.
    def reporting(f: _Found) -> bool:
        return bool(_REPORTING_DATE.search(text[max(sentence.start, f.span.start - 30) : f.span.start])
                    or _DATED_REPORT.match(text, f.span.end, sentence.end))

    def rank(f: _Found) -> tuple[bool, int, int]:
        if trigger is None:
            return (reporting(f), 0, f.span.start)
        return (reporting(f), _distance(f.span, trigger), -f.span.start)

    ranked = sorted(found, key=rank)
    needs_pub = False
    for f in ranked:
        try:
            window = f.resolver(f.match, pub, sentence_text)
        except _NeedsPublication:
            needs_pub = True
            continue
        if window is None:
            continue
        start, end = window.start, window.end
        precision = window.precision or _precision_by_length(start, end)
        if start == end:
            precision = 1
        return DateResolution(
            event_date=_midpoint(start, end).isoformat(),
            date_start=start.isoformat(),
            date_end=end.isoformat(),
            time_precision=precision,
            span=f.span,
            reason=f"{REPORTING_DAY}: {window.reason}" if reporting(f) else window.reason,
        )
    if needs_pub:
        return DateResolution(None, None, None, None, span=ranked[0].span,
                              reason="relative date without publication date")
    return DateResolution(None, None, None, None, span=None, reason="no date in sentence")
