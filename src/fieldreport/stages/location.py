"""Where one event happened: the place, its ACLED geo_precision, and the words that say so.

``find_places`` (places.py) resolves every toponym of an article; this module
chooses, for one event sentence, the place the event happened at.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from ..records import Place, Span


@dataclass(frozen=True)
class EventLocation:
    """Where one event happened: the place, ACLED geo_precision and the words that say so."""

    place: Place | None
    geo_precision: int | None  # 1 town, 2 near a town / part of a region, 3 province only
    span: Span | None  # evidence, e.g. "near Tikrit" or "Anbar province"
    reason: str | None


# What precedes a place name in "... in X", "... near X": (regex, kind).
_BEFORE = [
    (re.compile(r"(?:on the outskirts of|outskirts of|outside(?: of)?|just outside)\s+(?:the\s+)?(?:(?:town|city|village) of\s+)?$", re.I), "outskirts"),
    (re.compile(r"(?:near|nearby|close to|around|in the vicinity of|in the area of|\d[\d.,]*\s*(?:km|kilometres?|kilometers?|miles?)\s+(?:\w+\s+){0,2}(?:of|from)|(?:north|south|east|west|northeast|northwest|southeast|southwest|north-east|north-west|south-east|south-west)(?:ern)? of)\s+(?:the\s+)?(?:(?:town|city|village) of\s+)?$", re.I), "near"),
    (re.compile(r"(?:in|at|inside|within|across|throughout|on)\s+(?:the\s+)?(?:(?:northern|southern|eastern|western|central|north|south|east|west)\s+)?(?:(?:town|city|village|hamlet|province|governorate|region|district) of\s+)?$", re.I), "in"),
    (re.compile(r"(?:from|to|into|toward|towards|for|fled|back to)\s+(?:the\s+)?(?:(?:town|city|village) of\s+)?$", re.I), "from"),
    # A verb acting on the place: as good a cue as "in", but not part of the evidence words.
    (re.compile(r"(?:struck|hit|attacked|stormed|shelled|bombed|captured|seized|recaptured|took|entered|besieged)\s+(?:the\s+)?$", re.I), "verb"),
]
_AFTER_AREA = re.compile(r"^\s*(?:area|countryside|environs|surroundings|vicinity|district|region|suburbs|outskirts)\b", re.I)
_AFTER_ADMIN = re.compile(r"^\s*(?:province|governorate|region)\b", re.I)
_AFTER_QUARTER = re.compile(r"^['’]s\s+(?:[\w'’\-]+\s+){0,3}?(?:district|neighbou?rhood|quarter|suburb)\b", re.I)


def _evidence(text: str, place: Place, lower: int, upper: int) -> tuple[str, Span, int]:
    """The cue kind around ``place``, the evidence span and a precision hint."""
    before = text[max(lower, place.start - 60):place.start]
    after = text[place.end:min(upper, place.end + 60)]
    kind, start = "none", place.start
    for regex, name in _BEFORE:
        m = regex.search(before)
        if m:
            kind = name
            start = place.start if name == "verb" else place.start - len(before) + m.start()
            break
    end, precision = place.end, 1
    if m_after := _AFTER_QUARTER.match(after):
        end, precision = place.end + m_after.end(), 1
    elif m_after := _AFTER_ADMIN.match(after):
        end = place.end + m_after.end()
    elif m_after := _AFTER_AREA.match(after):
        end, precision = place.end + m_after.end(), 2
    if kind == "near":
        precision = 2
    return kind, Span(start, end), precision


def _best_in(text: str, window: Span, trigger: Span | None, places: Sequence[Place]) -> tuple | None:
    """The most specific, best-cued place inside ``window``: (tier, cue rank, distance, ...)."""
    options = []
    for place in places:
        if place.geonameid is None or not (window.start <= place.start and place.end <= window.end):
            continue
        if place.reason and place.reason.startswith("metonymy"):
            continue
        kind, span, precision = _evidence(text, place, window.start, window.end)
        directional = kind == "from"
        if place.feature == "city":
            tier = 2 if directional else 0
        elif place.feature in ("admin1", "admin2") or (place.feature == "region" and place.country):
            tier = 3 if directional else 1
        else:
            tier = 4
        cue_rank = {"in": 0, "outskirts": 0, "near": 0, "verb": 0, "none": 1, "from": 2}[kind]
        if trigger is None:
            distance = place.start - window.start
        else:
            distance = max(trigger.start - place.end, place.start - trigger.end, 0)
        options.append((tier, cue_rank, distance, place.start, place, span, precision))
    return min(options, key=lambda o: o[:4]) if options else None


def locate_event(text: str, sentence: Span, trigger: Span, places: Sequence[Place],
                 context: Sequence[Span] = ()) -> EventLocation:
    """Where the event reported in ``sentence`` (around ``trigger``) happened.

    Prefers a town in the trigger's sentence close to the trigger and cued by
    "in", "near", "outside", then a province there, then the ``context``
    sentences in the order given (most relevant first). ACLED geo_precision:
    1 the town itself or its outskirts; 2 near a town, the town's area or
    district, or a named part of one province ("the Eastern Ghouta"); 3 only a
    province or a wider region named (coded at its centroid). A country or a
    sea alone is returned with geo_precision None.
    """
    windows = [(sentence, trigger)] + [(span, None) for span in context]
    country_only: tuple | None = None
    for number, (window, anchor) in enumerate(windows):
        chosen = _best_in(text, window, anchor, places)
        if chosen is None:
            continue
        tier, _, _, _, place, span, precision = chosen
        where = "trigger sentence" if number == 0 else "context sentence"
        if tier == 4:
            country_only = country_only or chosen
            continue
        if place.feature == "city":
            how = "near town" if precision == 2 else "town"
            return EventLocation(place, precision, span, f"{how} in {where}")
        if place.feature == "region" and place.admin1:
            # "the Eastern Ghouta", "Jabal al-Zawiya": ACLED's small part of a region.
            return EventLocation(place, 2, span, f"part of a province, in {where}")
        return EventLocation(place, 3, span, f"province only, in {where}")
    if country_only is not None:
        return EventLocation(country_only[4], None, country_only[5], "country only")
    return EventLocation(None, None, None, "no place named in the sentence or its context")

