"""Toponyms in an article, resolved against the gazetteer, and where an event happened.

``find_places`` collects toponym mentions (spaCy GPE/LOC/FAC entities, cue
phrases such as "the town of X" and "X province", capitalised words after a
locative preposition, a dateline) and resolves each one by scoring gazetteer
candidates on spelling, population, feature type, an "X, Y" qualifier and the
countries the rest of the article is about. ``locate_event`` picks, for one
event, the place it happened and its ACLED geo_precision.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from typing import Any, Protocol, Sequence

from ..gazetteer import Candidate
from ..records import Place, Span


class Gazetteer(Protocol):
    def lookup(self, name: str) -> list[Candidate]: ...


@dataclass(frozen=True)
class EventLocation:
    """Where one event happened: the place, ACLED geo_precision and the words that say so."""

    place: Place | None
    geo_precision: int | None  # 1 town, 2 near a town / part of a region, 3 province only
    span: Span | None  # evidence, e.g. "near Tikrit" or "Anbar province"
    reason: str | None


PLACE_LABELS = {"GPE", "LOC", "FAC"}
_NAME = r"[A-Z][\w'’‘\-]*(?:(?: |-)(?:(?:al|el|ar|as|ash|ad|az|an|ez|ed|es|de|del|la|le|of|bin)[ -])?[A-Z][\w'’‘\-]*){0,3}"
_TOWN_OF = re.compile(r"\b(?:town|village|city|hamlet|suburb|district|neighbou?rhood|outskirts|province|governorate|region)s? of (?:the )?(" + _NAME + ")")
_X_PROVINCE = re.compile(r"\b(" + _NAME + r") (?:[Pp]rovince|[Gg]overnorate)\b")
_PREP_NAME = re.compile(r"\b(?:in|near|outside|around|at|from|into|toward|towards|across|inside|north of|south of|east of|west of) (?:the )?(" + _NAME + ")")
_DATELINE = re.compile(r"^\s*([A-Z][A-Z'’\-]+(?: [A-Z][A-Z'’\-]+){0,2})(?:,\s*[A-Za-z .]+?)?\s*(?:\(|—|–|--| - |:)")
_DIRECTIONS = {"north", "south", "east", "west", "northern", "southern", "eastern", "western", "central",
               "northeastern", "northwestern", "southeastern", "southwestern", "north-eastern",
               "north-western", "south-eastern", "south-western", "greater", "rural", "the", "upper", "lower"}
_TRAILING_CUES = {"province": "admin", "governorate": "admin", "region": "admin", "state": "admin",
                  "city": "town", "town": "town", "village": "town", "district": "town"}
# Words that make an unmatched entity an organisation, not an unresolved place.
_ORG_WORDS = {"observatory", "ministry", "council", "army", "forces", "committee", "party", "front",
              "brigade", "brigades", "university", "rights", "agency", "news", "police", "government",
              "state", "coalition", "command", "office", "organization", "organisation", "union",
              "court", "center", "centre", "nations", "department", "bank", "company", "group"}
# Nationality and group adjectives: "Turkish troops" is an actor, not a place.
DEMONYMS = {
    "american", "afghan", "arab", "arabic", "british", "chinese", "egyptian", "emirati", "european",
    "french", "german", "iranian", "iraqi", "israeli", "jordanian", "kurdish", "kuwaiti", "lebanese",
    "libyan", "palestinian", "qatari", "russian", "saudi", "shia", "shiite", "sunni", "syrian",
    "turkish", "turkmen", "yazidi", "yemeni", "pakistani", "indian", "western", "islamic", "muslim",
    "christian", "assyrian", "persian", "ukrainian", "somali", "nigerian", "sudanese", "malian",
}
# Nationality words hint at the article's countries (weighted below a toponym).
DEMONYM_COUNTRIES = {
    "iraqi": ("IQ",), "syrian": ("SY",), "kurdish": ("IQ", "SY"), "turkish": ("TR",),
    "iranian": ("IR",), "egyptian": ("EG",), "lebanese": ("LB",), "jordanian": ("JO",),
    "american": ("US",), "russian": ("RU",), "british": ("GB",), "afghan": ("AF",),
    "yemeni": ("YE",), "libyan": ("LY",), "saudi": ("SA",), "israeli": ("IL",),
    "palestinian": ("PS",), "pakistani": ("PK",), "ukrainian": ("UA",), "somali": ("SO",),
    "nigerian": ("NG",), "sudanese": ("SD",), "malian": ("ML",), "french": ("FR",),
}
_NOT_NGRAM_TYPES = PLACE_LABELS | {"DATE", "TIME", "CARDINAL", "ORDINAL", "MONEY", "PERCENT", "QUANTITY", "NORP"}
_DEMONYM_SUFFIX = ("ish", "ian", "ese", "i", "an")
_NOT_PLACES = {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
               "january", "february", "march", "april", "may", "june", "july", "august", "september",
               "october", "november", "december", "god", "allah", "mr", "mrs", "ms", "dr", "president",
               "islamic state", "isis", "isil", "daesh", "reuters", "associated press"}
_SPEECH_VERBS = {"say", "tell", "warn", "announce", "accuse", "deny", "urge", "condemn", "claim",
                 "insist", "demand", "reject", "threaten", "hope", "want", "believe", "respond", "argue",
                 "call", "blame", "welcome", "agree", "refuse", "decide", "plan", "vow", "pledge"}


@dataclass
class _Mention:
    start: int
    end: int
    source: str  # "ner" | "cue" | "prep" | "dateline" | "ngram"
    cue: str | None = None  # "admin" | "town" | "qualifier" (the Y of "X, Y")
    qualifier: int | None = None  # index of the "Y" in "X, Y"
    candidates: tuple[Candidate, ...] = ()


def _trim(text: str, start: int, end: int) -> tuple[int, int, str | None]:
    """Strip leading "the"/direction words, a possessive and a trailing cue word."""
    cue = None
    # "Mosul's al-Zuhur district": the toponym we can resolve is the owner.
    owner = re.search(r"['’]s ", text[start:end])
    if owner:
        end = start + owner.start()
    words = list(re.finditer(r"\S+", text[start:end]))
    while len(words) > 1 and words[0].group().lower() in _DIRECTIONS:
        words.pop(0)
    while len(words) > 1 and words[-1].group().lower().strip(".,") in _TRAILING_CUES:
        cue = _TRAILING_CUES[words.pop().group().lower().strip(".,")]
    if not words:
        return start, end, None
    new_start, new_end = start + words[0].start(), start + words[-1].end()
    surface = text[new_start:new_end]
    for suffix in ("'s", "’s", "'", "’", ",", "."):
        if surface.endswith(suffix) and len(surface) > len(suffix) + 1:
            new_end -= len(suffix)
            surface = surface[: -len(suffix)]
    return new_start, new_end, cue


def _is_demonym(doc: Any, start: int, end: int) -> bool:
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or len(span) != 1:
        return False
    token = span[0]
    lower = token.text.lower()
    return (lower in DEMONYMS or token.ent_type_ == "NORP"
            or (token.pos_ == "ADJ" and lower.endswith(_DEMONYM_SUFFIX)))


def _collect_mentions(doc: Any) -> list[_Mention]:
    text = doc.text
    found: list[_Mention] = []
    for ent in doc.ents:
        if ent.label_ in PLACE_LABELS:
            start, end, cue = _trim(text, ent.start_char, ent.end_char)
            found.append(_Mention(start, end, "ner", cue))
    for regex, cue in ((_TOWN_OF, "town"), (_X_PROVINCE, "admin")):
        for m in regex.finditer(text):
            start, end, _ = _trim(text, m.start(1), m.end(1))
            cue_here = "admin" if re.match(r"(province|governorate|region)", m.group(0).split()[0].lower()) else cue
            found.append(_Mention(start, end, "cue", cue_here))
    for m in _PREP_NAME.finditer(text):
        start, end, cue = _trim(text, m.start(1), m.end(1))
        found.append(_Mention(start, end, "prep", cue))
    dateline = _DATELINE.match(text[:80])
    if dateline:
        found.append(_Mention(dateline.start(1), dateline.end(1), "dateline"))
    # Capitalised proper nouns outside any entity: spaCy's small model misses
    # many Iraqi and Syrian towns. Accepted later only on a strong gazetteer match.
    # The model also tags towns as ORG or PERSON ("Falluja", "Alexandria"), so
    # those tokens are candidates too, except inside multi-word personal names.
    people = {t.i for ent in doc.ents if ent.label_ == "PERSON" and len(ent) > 1 for t in ent}
    run: list[Any] = []
    for token in list(doc) + [None]:
        usable = (
            token is not None and token.pos_ == "PROPN" and token.text[:1].isupper()
            and token.ent_type_ not in _NOT_NGRAM_TYPES and token.i not in people
        )
        if usable and run and token.ent_iob_ == "B":
            if len(run) <= 3:
                found.append(_Mention(run[0].idx, run[-1].idx + len(run[-1].text), "ngram"))
            run = []
        if usable:
            run.append(token)
            continue
        if 0 < len(run) <= 3:
            found.append(_Mention(run[0].idx, run[-1].idx + len(run[-1].text), "ngram"))
        run = []

    # One mention per stretch of text: the longest wins, and takes the cues of those it absorbs.
    priority = {"ner": 0, "cue": 1, "dateline": 2, "prep": 3, "ngram": 4}
    found.sort(key=lambda m: (m.start, -(m.end - m.start), priority[m.source]))
    merged: list[_Mention] = []
    for mention in found:
        if mention.end <= mention.start:
            continue
        if merged and mention.start < merged[-1].end:
            last = merged[-1]
            last.cue = last.cue or mention.cue
            if priority[mention.source] < priority[last.source]:
                last.source = mention.source
            continue
        merged.append(mention)
    return [
        m for m in merged
        if text[m.start:m.end].lower() not in _NOT_PLACES and not _is_demonym(doc, m.start, m.end)
    ]


def _lookup(gazetteer: Gazetteer, surface: str) -> tuple[Candidate, ...]:
    found = gazetteer.lookup(surface)
    if not found and surface.lower().startswith("the "):
        found = gazetteer.lookup(surface[4:])
    return tuple(found)


def _score(c: Candidate, mention: _Mention, qualifier: tuple[Candidate, ...],
           context: dict[str, float], context_admin1: dict[tuple[str | None, str | None], float]) -> float:
    # Weights set by hand on the domain cases in tests/test_places.py: a spelling
    # match dominates, then a qualifier, then the article's countries, then size.
    score = 1.0 if c.exact else 0.6
    # Divisions are scored at a tenth of their population so that the city
    # usually beats its same-named province ("Kirkuk", "Aleppo", "Washington").
    population = c.population / 10 if c.feature == "admin1" else c.population
    score += 0.15 * min(math.log10(population + 1), 7.0)
    score += {"country": 0.5, "admin1": 0.1, "city": 0.15}.get(c.feature, 0.0)
    if mention.cue == "admin":
        score += 0.6 if c.feature == "admin1" else -0.3
    elif mention.cue == "town" and c.feature == "city":
        score += 0.3
    elif mention.cue == "qualifier" and c.feature != "city":
        score += 0.6
    if qualifier:
        matches = any(
            (q.feature == "country" and q.iso2 == c.iso2)
            or (q.feature == "admin1" and q.iso2 == c.iso2 and q.name == c.admin1)
            for q in qualifier
        )
        score += 2.0 if matches else -0.5
    score += 0.6 * context.get(c.iso2 or "", 0.0)
    if c.feature == "city":
        score += 0.4 * context_admin1.get((c.iso2, c.admin1), 0.0)
    return score


def _rank(mention: _Mention, mentions: list[_Mention], context: dict[str, float],
          context_admin1: dict[tuple[str | None, str | None], float]) -> list[tuple[float, Candidate]]:
    qualifier = mentions[mention.qualifier].candidates if mention.qualifier is not None else ()
    scored = [(_score(c, mention, qualifier, context, context_admin1), c) for c in mention.candidates]
    return sorted(scored, key=lambda pair: (-pair[0], pair[1].geonameid))


def _is_metonymy(doc: Any, mention: _Mention, best: Candidate) -> str | None:
    """ "Washington said", "Moscow warned": a government speaking, not a place."""
    if best.feature == "city" and best.population < 500_000:
        return None
    span = doc.char_span(mention.start, mention.end, alignment_mode="expand")
    if span is None:
        return None
    root = span.root
    if root.dep_ in ("nsubj", "nsubjpass") and root.head.lemma_.lower() in _SPEECH_VERBS:
        return f"metonymy: subject of '{root.head.text}'"
    return None


def _place(doc_text: str, mention: _Mention, c: Candidate | None, reason: str | None) -> Place:
    surface = doc_text[mention.start:mention.end]
    if c is None:
        return Place(mention.start, mention.end, surface, reason=reason)
    admin1 = c.name if c.feature == "admin1" else c.admin1
    return Place(
        mention.start, mention.end, surface, geonameid=c.geonameid, location=c.name,
        latitude=c.latitude, longitude=c.longitude, country=c.country, iso3=c.iso3,
        admin1=admin1, feature=c.feature, population=c.population, reason=reason,
    )


def find_places(doc: Any, gazetteer: Gazetteer) -> tuple[Place, ...]:
    """Toponyms in ``doc`` (a spaCy Doc of the clean text) with their resolutions.

    Unresolved toponyms come back with ``geonameid`` None and a ``reason``.
    Capitalised words that only look like places and match nothing are dropped.
    """
    text = doc.text
    mentions = _collect_mentions(doc)
    for mention in mentions:
        mention.candidates = _lookup(gazetteer, text[mention.start:mention.end])
    for i, mention in enumerate(mentions[:-1]):
        follower = mentions[i + 1]
        if re.fullmatch(r",\s*", text[mention.end:follower.start]) and any(
            c.feature in ("admin1", "country") and c.exact for c in follower.candidates
        ):
            mention.qualifier = i + 1
            follower.cue = follower.cue or "qualifier"

    # Two passes: resolve without context, then again knowing which countries
    # (and provinces) the article's other places are in.
    best: list[Candidate | None] = []
    for mention in mentions:
        ranked = _rank(mention, mentions, {}, {})
        usable = ranked and mention.source in ("ner", "cue", "dateline")
        # A government speaking ("Washington said") says nothing about where things are.
        best.append(ranked[0][1] if usable and not _is_metonymy(doc, mention, ranked[0][1]) else None)
    hints: Counter[str] = Counter()
    for token in doc:
        for iso2 in DEMONYM_COUNTRIES.get(token.lower_, ()):
            hints[iso2] += 0.5 / len(DEMONYM_COUNTRIES[token.lower_])
    places: list[Place] = []
    for i, mention in enumerate(mentions):
        counts = hints + Counter(c.iso2 for j, c in enumerate(best) if c is not None and j != i)
        total = sum(counts.values())
        context = {iso2: n / total for iso2, n in counts.items() if iso2} if total else {}
        # Provinces/states the other places are in ("Pineville" next to "Alexandria").
        regions = Counter((c.iso2, c.name if c.feature == "admin1" else c.admin1)
                          for j, c in enumerate(best) if c is not None and j != i and c.feature != "country")
        context_admin1 = {key: n / total for key, n in regions.items() if key[1]} if total else {}
        ranked = _rank(mention, mentions, context, context_admin1)
        surface = text[mention.start:mention.end]
        if not ranked:
            if mention.source in ("ner", "cue", "dateline") and not (set(surface.lower().split()) & _ORG_WORDS):
                places.append(_place(text, mention, None, "no gazetteer match"))
            continue
        score, top = ranked[0]
        if mention.source in ("prep", "ngram"):
            # Not tagged as a place by the model: accept only a confident match.
            known_country = context.get(top.iso2 or "", 0.0) > 0
            strong = top.exact and (known_country or top.population >= 100_000
                                    or (mention.source == "prep" and top.feature != "city"))
            if not strong:
                continue
        runner_up = ranked[1][1] if len(ranked) > 1 else None
        if (runner_up is not None and score - ranked[1][0] < 0.05 and runner_up.iso2 != top.iso2
                and runner_up.exact == top.exact and max(top.population, runner_up.population) < 20_000):
            # Two small same-named places in different countries and nothing in the
            # article to choose between them: say so rather than guess.
            places.append(_place(text, mention, None, "ambiguous"))
            continue
        reason = _is_metonymy(doc, mention, top)
        if reason is None:
            if mention.qualifier is not None:
                reason = f"qualified by '{text[mentions[mention.qualifier].start:mentions[mention.qualifier].end]}'"
            elif context.get(top.iso2 or "", 0.0) > 0:
                reason = "article country context"
            else:
                reason = "best name and population match"
        places.append(_place(text, mention, top, reason))
    return tuple(places)


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
        elif place.feature in ("admin1", "admin2"):
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
    district; 3 only a province named (coded at its centroid). A country alone
    is returned with geo_precision None.
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
        return EventLocation(place, 3, span, f"province only, in {where}")
    if country_only is not None:
        return EventLocation(country_only[4], None, country_only[5], "country only")
    return EventLocation(None, None, None, "no place named in the sentence or its context")

