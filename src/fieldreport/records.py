"""Frozen records that flow between stages.

Every span is a pair of character offsets into ``Article.text`` (the clean
text), so evidence can never drift from the words it cites.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Page:
    """One input document as read from disk, before cleaning."""

    source_path: str
    sha256: str
    raw: bytes
    kind: str  # "html" | "text"
    url: str | None = None
    title: str | None = None
    published: str | None = None  # ISO date given by the input (JSONL field)
    publisher: str | None = None


@dataclass(frozen=True)
class Article:
    """Clean main text of a page plus its metadata."""

    article_id: str
    text: str
    title: str | None
    url: str | None
    publisher: str | None
    published: str | None  # ISO date (YYYY-MM-DD) or None
    published_source: str | None  # "metadata" | "input" | "dateline" | None
    source_path: str
    page_sha256: str


@dataclass(frozen=True)
class Span:
    start: int
    end: int

    def text(self, article_text: str) -> str:
        return article_text[self.start : self.end]

    def strip(self, article_text: str) -> Span:
        """The same span without leading or trailing whitespace."""
        start, end = self.start, self.end
        while end > start and article_text[end - 1].isspace():
            end -= 1
        while start < end and article_text[start].isspace():
            start += 1
        return Span(start, end)


@dataclass(frozen=True)
class ActorMention:
    """A dictionary actor found in the text."""

    start: int
    end: int
    name: str  # canonical actor name
    category: int  # ACLED actor category 1-8
    country: str | None = None


@dataclass(frozen=True)
class Place:
    """A toponym and its resolution. Unresolved places keep a reason."""

    start: int
    end: int
    name: str  # surface text
    geonameid: int | None = None
    location: str | None = None  # gazetteer name
    latitude: float | None = None
    longitude: float | None = None
    country: str | None = None
    iso3: str | None = None
    admin1: str | None = None
    admin2: str | None = None
    feature: str | None = None  # "city" | "admin1" | "admin2" | "country"
    population: int = 0
    reason: str | None = None  # why unresolved / how resolved


@dataclass(frozen=True)
class DateResolution:
    event_date: str | None
    date_start: str | None
    date_end: str | None
    time_precision: int | None  # 1 day, 2 week, 3 month, 4 year
    span: Span | None = None
    reason: str | None = None


@dataclass(frozen=True)
class Fatalities:
    best: int
    low: int | None
    high: int | None
    span: Span | None = None
    reason: str | None = None


@dataclass(frozen=True)
class Modality:
    modality: str  # actual | generic | forecast | hypothetical | negated
    attribution: str | None = None
    hedged: bool = False
    span: Span | None = None  # the cue words
    attribution_span: Span | None = None


@dataclass(frozen=True)
class EventCandidate:
    """A sentence that reports a conflict event, before the fields are filled."""

    sentence: Span
    trigger: Span
    event_type: str
    sub_event_type: str
    score: float
    # The words the classifier read a new label from when it re-typed the
    # rule's candidate; roles, date and place still hang on ``trigger``.
    label_words: Span | None = None

    @property
    def label_span(self) -> Span:
        return self.label_words or self.trigger


@dataclass(frozen=True)
class Evidence:
    field: str
    article_id: str
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Source:
    article_id: str
    url: str | None
    title: str | None
    publisher: str | None
    published: str | None


@dataclass(frozen=True)
class Event:
    """One coded event. Field names follow DESIGN.md's event record."""

    event_id: str
    article_id: str
    disorder_type: str
    event_type: str
    sub_event_type: str
    actor1: str | None = None
    actor2: str | None = None
    assoc_actor_1: tuple[str, ...] = ()
    assoc_actor_2: tuple[str, ...] = ()
    inter1: str | None = None
    inter2: str | None = None
    interaction: int | None = None
    civilian_targeting: bool = False
    event_date: str | None = None
    date_start: str | None = None
    date_end: str | None = None
    time_precision: int | None = None
    country: str | None = None
    iso3: str | None = None
    admin1: str | None = None
    admin2: str | None = None
    location: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    geo_precision: int | None = None
    geonameid: int | None = None
    fatalities: int = 0
    fatalities_low: int | None = None
    fatalities_high: int | None = None
    modality: str = "actual"
    attribution: str | None = None
    hedged: bool = False
    sources: tuple[Source, ...] = ()
    evidence: tuple[Evidence, ...] = ()
    notes: str = ""
    confidence: float = 0.0
    null_reasons: tuple[tuple[str, str], ...] = ()  # (field, why it is null)


@dataclass(frozen=True)
class Rejected:
    """An input that could not become an article, with a stable reason code."""

    source_path: str
    sha256: str
    code: str
    detail: str
    hint: str


@dataclass(frozen=True)
class Coded:
    """The output of ``process`` for one page."""

    article: Article
    events: tuple[Event, ...] = ()
    places: tuple[Place, ...] = ()
    timings: dict[str, float] = field(default_factory=dict, compare=False)
    extra: dict[str, Any] = field(default_factory=dict, compare=False)
