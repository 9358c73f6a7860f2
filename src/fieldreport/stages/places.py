"""Toponyms in an article, resolved against the gazetteer, and where an event happened.

``find_places`` collects toponym mentions (spaCy GPE/LOC/FAC entities, cue
phrases such as "the town of X" and "X province", capitalised words after a
locative preposition, a dateline) and resolves each one by scoring gazetteer
candidates on spelling, population, feature type, an "X, Y" qualifier and the
countries the rest of the article is about. ``locate_event`` picks, for one
event, the place it happened and its ACLED geo_precision.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, replace
from typing import Any, Protocol

from ..gazetteer import Candidate
from ..records import Place
from .place_scoring import (
    COHERENCE_ROUNDS,
    ArticleContext,
    Reading,
    article_context,
    rank_candidates,
    reading,
)


class Gazetteer(Protocol):
    def lookup(self, name: str) -> list[Candidate]: ...


PLACE_LABELS = {"GPE", "LOC", "FAC"}
_NAME = r"[A-Z][\w'’‘\-]*(?:(?: |-)(?:(?:al|el|ar|as|ash|ad|az|an|ez|ed|es|de|del|la|le|of|bin)[ -])?[A-Z][\w'’‘\-]*){0,3}"
_TOWN_OF = re.compile(r"\b(?:town|village|city|hamlet|suburb|district|neighbou?rhood|outskirts|province|governorate|region)s? of (?:the )?(" + _NAME + ")")
_X_PROVINCE = re.compile(r"\b(" + _NAME + r") (?:[Pp]rovince|[Gg]overnorate)\b")
_PREP_NAME = re.compile(r"\b(?:in|near|outside|around|at|from|into|toward|towards|across|inside|north of|south of|east of|west of) (?:the )?(" + _NAME + ")")
# "Alexandria, La." / "Charleston, W.Va.": AP state abbreviations after a town.
_AP_STATES = ("Ala|Ariz|Ark|Calif|Colo|Conn|Del|Fla|Ga|Ill|Ind|Kan|Kans|Ky|La|Md|Mass|Mich|Minn|Miss|Mo|Mont"
              "|Neb|Nebr|Nev|Okla|Ore|Pa|Penn|Tenn|Tex|Vt|Va|Wash|Wis|Wisc|Wyo")
_STATE_ABBREVIATION = re.compile(
    r"(?<=\w), ((?:" + _AP_STATES + r")\.|D\.C\.|N\.[HJMYCD]\.|R\.I\.|S\.[CD]\.|W\. ?Va\.)")
# A name that ends in an abbreviation keeps its dot: initials ("U.S.", "N.Y."),
# an AP state ("Ga.", "W. Va.") or "Co.", "Twp.", "St.".
_ABBREVIATED = re.compile(r"(?:^|[\s.])(?:[A-Z]\.[A-Z]\.|(?:" + _AP_STATES + r"|Co|Twp|St)\.)$")
# "BAGHDAD (Reuters) -", and a dateline after a headline: "... crops. BEIRUT: Israel ...".
_DATELINE = re.compile(r"(?:^|(?<=[.!?\n]) )\s*([A-Z][A-Z'’\-]{2,}(?: [A-Z][A-Z'’\-]+){0,2})"
                       r"(?:,\s*[A-Za-z .]+?)?\s*(?:\(|—|–|--| - |:)")
_DIRECTIONS = {"north", "south", "east", "west", "northern", "southern", "eastern", "western", "central",
               "northeastern", "northwestern", "southeastern", "southwestern", "north-eastern",
               "north-western", "south-eastern", "south-western", "greater", "rural", "the", "upper", "lower",
               "northeast", "northwest", "southeast", "southwest", "north-central", "south-central",
               "east-central", "west-central", "downtown", "suburban"}
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
_NOT_NGRAM_TYPES = PLACE_LABELS | {"DATE", "TIME", "CARDINAL", "ORDINAL", "MONEY", "PERCENT", "QUANTITY"}
_DEMONYM_SUFFIX = ("ish", "ian", "ese", "i", "an")
_NOT_PLACES = {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
               "january", "february", "march", "april", "may", "june", "july", "august", "september",
               "october", "november", "december", "god", "allah", "mr", "mrs", "ms", "dr", "president",
               "islamic state", "isis", "isil", "daesh", "reuters", "associated press",
               # Movements, holidays and titles that share a name with some village.
               "hamas", "hezbollah", "taliban", "passover", "easter", "christmas", "ramadan", "olympic",
               "olympics", "commissioner", "council", "section", "miss"}
_SPEECH_VERBS = {"say", "tell", "warn", "announce", "accuse", "deny", "urge", "condemn", "claim",
                 "insist", "demand", "reject", "threaten", "hope", "want", "believe", "respond", "argue",
                 "call", "blame", "welcome", "agree", "refuse", "decide", "plan", "vow", "pledge"}


@dataclass
class _Mention:
    start: int
    end: int
    # "ner" | "cue" | "prep" | "dateline" | "ngram" | "org" | "embedded" | "strict" (a person's
    # name or part of a dash-split entity: kept only as a division, region or big town)
    source: str
    cue: str | None = None  # "admin" | "town" | "qualifier" (the Y of "X, Y")
    qualifier: int | None = None  # index of the "Y" in "X, Y"
    candidates: tuple[Candidate, ...] = ()
    surface: str = ""
    fallback: tuple[int, int] | None = None  # the unmatched entity this toponym was found inside
    named_after: str | None = None  # "Catawba" for "Catawba River": placed at its namesake


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
    # "Kansas City", "Jersey City" are names; "Mosul city" and "Anbar Province" are cues.
    while len(words) > 1 and words[-1].group().lower().strip(".,") in _TRAILING_CUES and (
            words[-1].group().islower() or _TRAILING_CUES[words[-1].group().lower().strip(".,")] == "admin"):
        cue = _TRAILING_CUES[words.pop().group().lower().strip(".,")]
    if not words:
        return start, end, None
    new_start, new_end = start + words[0].start(), start + words[-1].end()
    surface = text[new_start:new_end]
    for suffix in ("'s", "’s", "'", "’", ",", "."):
        if suffix == "." and _ABBREVIATED.search(surface):
            continue  # "U.S.", "D.C.", "Ga.": the dot belongs to the name
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
    # The model tags some towns NORP ("Aleppo"): NORP alone does not make a demonym.
    return lower in DEMONYMS or ((token.pos_ == "ADJ" or token.ent_type_ == "NORP")
                                 and lower.endswith(_DEMONYM_SUFFIX))


def _dash_parts(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """An entity split at a spaced dash: "Central Africa - Nigeria", "Sri Lanka - approximately"."""
    parts, lo = [], start
    for dash in re.finditer(r"\s+[-–—]+\s+", text[start:end]):
        parts.append((lo, start + dash.start()))
        lo = start + dash.end()
    if not parts:
        return [(start, end)]
    parts.append((lo, end))
    return [(a, b) for a, b in parts if text[a:a + 1].isupper()]


def _collect_mentions(doc: Any) -> list[_Mention]:
    text = doc.text
    found: list[_Mention] = []
    for ent in doc.ents:
        parts = _dash_parts(text, ent.start_char, ent.end_char)
        if ent.label_ in PLACE_LABELS:
            for lo, hi in parts:
                start, end, cue = _trim(text, lo, hi)
                found.append(_Mention(start, end, "ner" if len(parts) == 1 else "strict", cue))
        elif ent.label_ == "PERSON" and len(ent) > 1:
            # The model reads some two-word places as people ("Burkina Faso", "Minas Gerais").
            found += [_Mention(lo, hi, "strict") for lo, hi in parts]
    for m in _STATE_ABBREVIATION.finditer(text):
        found.append(_Mention(m.start(1), m.end(1), "cue", "qualifier"))
    # Organisation names often start with a place ("Ohio State University",
    # "Alexandria Police"); find_places looks for a toponym inside them.
    for ent in doc.ents:
        if ent.label_ in ("ORG", "FAC") and len(ent) > 1:
            start, end, _ = _trim(text, ent.start_char, ent.end_char)
            found.append(_Mention(start, end, "org"))
    for regex, cue in ((_TOWN_OF, "town"), (_X_PROVINCE, "admin")):
        for m in regex.finditer(text):
            start, end, _ = _trim(text, m.start(1), m.end(1))
            cue_here = "admin" if re.match(r"(province|governorate|region)", m.group(0).split()[0].lower()) else cue
            found.append(_Mention(start, end, "cue", cue_here))
    for m in _PREP_NAME.finditer(text):
        start, end, cue = _trim(text, m.start(1), m.end(1))
        found.append(_Mention(start, end, "prep", cue))
    for dateline in _DATELINE.finditer(text):
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

    # A person's name or dash-split part yields to any other reading of its words ("Calif. Olson").
    others = [m for m in found if m.source != "strict"]
    found = others + [m for m in found if m.source == "strict"
                      and not any(o.start < m.end and m.start < o.end for o in others)]
    # One mention per stretch of text: the longest wins, and takes the cues of those it absorbs.
    priority = {"ner": 0, "cue": 1, "dateline": 2, "prep": 3, "strict": 4, "ngram": 4, "org": 5}
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


def _rank(mention: _Mention, mentions: list[_Mention], context: ArticleContext) -> list[tuple[float, Candidate]]:
    qualifier = mentions[mention.qualifier].candidates if mention.qualifier is not None else ()
    return rank_candidates(mention.candidates, mention.cue, mention.surface, qualifier, context)


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


def _embedded(gazetteer: Gazetteer, text: str, mention: _Mention) -> _Mention | None:
    """The toponym an unmatched multi-word name starts with, or names after "of":
    "Ohio State University", "the Alexandria Zoo", "University of Texas"."""
    surface = text[mention.start:mention.end]
    words = list(re.finditer(r"[^\s,]+", surface))
    spans = [(words[0].start(), words[k].end()) for k in range(len(words) - 2, -1, -1)]
    for i, word in enumerate(words[:-1]):
        if word.group() == "of":
            spans += [(words[i + 1].start(), words[k].end()) for k in range(len(words) - 1, i, -1)]
    for lo, hi in spans:
        start, end, cue = _trim(text, mention.start + lo, mention.start + hi)
        part = text[start:end]
        if not part[:1].isupper() or part.lower() in _NOT_PLACES:
            continue
        if all(word in _FEATURE_WORDS for word in part.lower().split()):
            continue  # "Lake" of "Lake Erie" is not Lake County
        found = tuple(c for c in _lookup(gazetteer, part) if c.exact)
        if found:
            # "Falluja from Islamic State": the model ran a place into the next name;
            # a lowercase word after it means it stands alone.
            # ("the Dhi Qar provincial council" is still an organisation).
            alone = re.match(r"\s+(?:from|and|on|in|at|to|after|with|as|for|near|by)\b",
                             text[end:mention.end]) is not None
            return _Mention(start, end, "ngram" if alone else "embedded", cue, candidates=found, surface=part)
    return None


_WIDE_FEATURES = ("country", "admin1", "continent", "region")


def _hyphen_parts(gazetteer: Gazetteer, text: str, mention: _Mention) -> list[_Mention]:
    """An unmatched hyphenated name made of wide places: "Asia-Pacific",
    "Pakistan-administered Kashmir", "Mid-Jutland" name Asia and the Pacific,
    Pakistan and Kashmir, Jutland. Anything else stays as it is."""
    if "-" not in mention.surface or any(c.exact for c in mention.candidates) or mention.source == "org":
        return [mention]
    parts = []
    for run in re.finditer(r"[A-Z][\w'’.]*(?: [A-Z][\w'’.]*)*", mention.surface):
        found = tuple(c for c in _lookup(gazetteer, run.group()) if c.exact and c.feature in _WIDE_FEATURES)
        if found:
            start = mention.start + run.start()
            parts.append(_Mention(start, start + len(run.group()), mention.source, candidates=found,
                                  surface=run.group()))
    return parts or [mention]


# Words that make a name a natural or civil feature of its own ("Lake Lanier",
# "Catawba River", "Hamilton Township"), not a longer way of writing a town.
_FEATURE_WORDS = {"lake", "lakes", "river", "creek", "bay", "sea", "gulf", "island", "islands", "valley",
                  "mountain", "mountains", "mount", "falls", "springs", "township", "twp", "heights", "park",
                  "canyon", "peninsula", "strait", "harbor", "harbour", "coast", "beach", "reservoir", "dam",
                  "forest", "desert", "ocean", "of", "the", "town", "borough", "hills", "hill"}


def _names_a_feature(text: str, whole: _Mention, inner: _Mention) -> bool:
    rest = (text[whole.start:inner.start] + " " + text[inner.end:whole.end]).lower().replace(".", " ").split()
    return bool(rest) and all(word in _FEATURE_WORDS for word in rest)


def _lies_in(c: Candidate, divisions: list[Candidate]) -> bool:
    return any((d.feature == "country" and d.iso2 == c.iso2)
               or (d.feature == "admin1" and d.iso2 == c.iso2 and d.name == c.admin1) for d in divisions)


def _demonyms(doc: Any, gazetteer: Any, taken: list[tuple[int, int]]) -> list[Place]:
    """Nationality words as their country ("Russian troops" -> Russia), for geoparsing output."""
    if not hasattr(gazetteer, "demonym"):
        return []
    found = []
    for ent in doc.ents:
        if ent.label_ != "NORP" or any(s < ent.end_char and ent.start_char < e for s, e in taken):
            continue
        country = gazetteer.demonym(ent.text)
        if country is not None:
            found.append(Place(ent.start_char, ent.end_char, ent.text, geonameid=country.geonameid,
                               location=country.name, latitude=country.latitude, longitude=country.longitude,
                               country=country.country, iso3=country.iso3, feature="country",
                               population=country.population, reason="demonym"))
    return found


_TITLED = re.compile(r"\b(?:(?:Mr|Mrs|Ms|Dr|Sen|Rep|Gov|Sgt|Lt|Capt|Det|Rev)\.?|Sheriff|Officer|Judge|Coach"
                     r"|Deputy|Mayor|Pastor|Detective|Trooper|Principal|Senator|Governor)"
                     r"\s+(?:[A-Z][a-z]+\s+)?([A-Z][a-z]+)\b")


def _person_words(doc: Any) -> set[str]:
    """Surnames of the people the article names in full or with a title
    ("John Clark", "Sheriff Clark", "Mr. Flores")."""
    names = {ent[-1].text.lower() for ent in doc.ents if ent.label_ == "PERSON" and len(ent) > 1}
    return names | {m.group(1).lower() for m in _TITLED.finditer(doc.text)}


def _is_persons_name(text: str, mention: _Mention, people: set[str]) -> bool:
    """A lone surname the article also gives in full is that person ("Clark said"),
    unless the text marks it as a place ("in Clark", "Clark, Nev.")."""
    if mention.source in ("ner", "cue", "dateline", "prep") or mention.cue:
        return False
    surface = text[mention.start:mention.end]
    return " " not in surface and surface.lower() in people


def _same_name_elsewhere(doc: Any, places: list[Place], all_toponyms: bool) -> list[Place]:
    """One sense per discourse: a resolved name written again elsewhere in the
    article ("Alexandria" ... "Alexandria Police said") is the same place."""
    text = doc.text
    taken = [(p.start, p.end) for p in places]
    resolved: dict[str, Place] = {}
    for place in places:
        if place.geonameid is not None and place.reason != "demonym" and len(place.name) > 3:
            resolved.setdefault(place.name, place)
    added = []
    for surface, place in resolved.items():
        for m in re.finditer(r"(?<![\w.])" + re.escape(surface) + r"(?![\w])", text):
            if any(s < m.end() and m.start() < e for s, e in taken):
                continue
            follows = text[m.end():m.end() + 30]
            if not all_toponyms and re.match(r"\s+[A-Z]", follows):
                continue  # part of a longer name: an organisation, not the place itself
            if re.match(r"['’]s\s", follows) is None and re.match(r"\s+[A-Z][a-z]+\s+[A-Z]", follows) and \
                    re.search(r"[A-Z][a-z]+\s+$", text[max(0, m.start() - 20):m.start()]):
                continue  # inside a personal name ("John Alexandria Smith")
            added.append(replace(place, start=m.start(), end=m.end(), name=text[m.start():m.end()],
                                 reason=f"same name as at {place.start}"))
            taken.append((m.start(), m.end()))
    return added


# A town this small (or a name matched only loosely, "Kilo" for Kiel) in a
# country the article is otherwise not about is more often a same-named place
# the gazetteer lacks ("al-Dour" in Iraq vs Dour in Belgium) or a person
# ("Murad") than a real foreign location.
STRAY_TOWN_POPULATION = 100_000
STRAY_CONTEXT_SHARE = 0.5


def _stray_small_town(top: Candidate, context: dict[str, float]) -> bool:
    if top.feature != "city" or not context:
        return False
    if top.population >= STRAY_TOWN_POPULATION and top.exact:
        return False
    return context.get(top.iso2 or "", 0.0) == 0.0 and max(context.values()) >= STRAY_CONTEXT_SHARE


def _vote(doc: Any, mention: _Mention, ranked: list[tuple[float, Candidate]]) -> Reading | None:
    """What this toponym tells the others about the article's geography, if anything.

    Words the model did not tag as places vote only as a division or country
    ("in Anbar"); a government speaking ("Washington said") says nothing about
    where things are.
    """
    if not ranked:
        return None
    top = ranked[0][1]
    if mention.source not in ("ner", "cue", "dateline") and not (
            top.exact and top.feature in ("admin1", "admin2", "country")):
        return None
    if _is_metonymy(doc, mention, top):
        return None
    return reading(mention.surface, ranked)


def find_places(doc: Any, gazetteer: Gazetteer, all_toponyms: bool = False) -> tuple[Place, ...]:
    """Toponyms in ``doc`` (a spaCy Doc of the clean text) with their resolutions.

    Unresolved toponyms come back with ``geonameid`` None and a ``reason``.
    Capitalised words that only look like places and match nothing are dropped.
    ``all_toponyms`` (geoparsing output) also returns nationality words as their
    country (reason "demonym") and place names inside organisation names; event
    location never wants those.
    """
    text = doc.text
    people = _person_words(doc)
    mentions = [m for m in _collect_mentions(doc) if not _is_persons_name(text, m, people)]
    for index, mention in enumerate(mentions):
        mention.candidates = _lookup(gazetteer, text[mention.start:mention.end])
        mention.surface = text[mention.start:mention.end]
        # "West Bank", "South Charleston", "Central Africa": a direction word that is part of the name.
        direction = re.search(r"(?:^|\s)((?:North|South|East|West)(?:east|west)?(?:ern)?|Upper|Lower|Greater|Central) $",
                              text[max(0, mention.start - 16):mention.start])
        if direction:
            start = mention.start - len(direction.group(1)) - 1
            longer = tuple(c for c in _lookup(gazetteer, text[start:mention.end]) if c.exact)
            if longer:
                mention.start, mention.candidates, mention.surface = start, longer, text[start:mention.end]
        whole = any(c.exact for c in mention.candidates)
        if not whole and mention.source in ("org", "ngram", "prep", "ner") and " " in text[mention.start:mention.end]:
            inner = _embedded(gazetteer, text, mention)
            if inner is not None and mention.source == "ner":
                if _names_a_feature(text, mention, inner):
                    # "Sacramento River", "Hamilton Township": a feature the gazetteer lacks,
                    # placed at the town or county it is named after.
                    mention.candidates, mention.named_after, inner = inner.candidates, inner.surface, None
                else:  # "Edgar County Sheriff", "Athens Regional Park": the toponym inside
                    inner.fallback = (mention.start, mention.end)
            if inner is not None and (all_toponyms or mention.source != "org" or inner.source != "embedded"):
                mentions[index] = inner
    mentions = [part for m in mentions for part in _hyphen_parts(gazetteer, text, m)]
    mentions = [m for m in mentions if m.source != "org" or any(c.exact for c in m.candidates)]
    for i, mention in enumerate(mentions[:-1]):
        follower = mentions[i + 1]
        divisions = [c for c in follower.candidates if c.feature in ("admin1", "country") and c.exact]
        if divisions and re.fullmatch(r",\s*", text[mention.end:follower.start]):
            follower.cue = follower.cue or "qualifier"
            # "Missouri, Illinois, Georgia" is a list, not a town and its state:
            # the Y of "X, Y" qualifies X only when some reading of X lies in Y.
            if any(_lies_in(c, divisions) for c in mention.candidates):
                mention.qualifier = i + 1

    # Resolve without context, then again (COHERENCE_ROUNDS times) knowing where
    # the article's other places are: countries, states, counties.
    hints: Counter[str] = Counter()
    for token in doc:
        for iso2 in DEMONYM_COUNTRIES.get(token.lower_, ()):
            hints[iso2] += 0.5 / len(DEMONYM_COUNTRIES[token.lower_])
    readings = [_vote(doc, mention, _rank(mention, mentions, ArticleContext())) for mention in mentions]
    for _ in range(COHERENCE_ROUNDS):
        contexts = [article_context(readings, hints, i) for i in range(len(mentions))]
        readings = [_vote(doc, mention, _rank(mention, mentions, ctx)) for mention, ctx in zip(mentions, contexts)]
    places: list[Place] = []
    for i, mention in enumerate(mentions):
        ctx = article_context(readings, hints, i)
        context, context_admin1 = ctx.countries, ctx.regions
        ranked = _rank(mention, mentions, ctx)
        surface = text[mention.start:mention.end]
        if not ranked:
            if mention.source in ("ner", "cue", "dateline") and not (set(surface.lower().split()) & _ORG_WORDS):
                places.append(_place(text, mention, None, "no gazetteer match"))
            continue
        score, top = ranked[0]
        if mention.source in ("prep", "ngram", "org", "embedded", "strict"):
            # Not tagged as a place by the model: accept only a confident match.
            known_country = context.get(top.iso2 or "", 0.0) > 0
            in_region = context_admin1.get((top.iso2, top.admin1), 0.0) > 0
            if mention.source == "strict":
                strong = top.exact and (top.feature in _WIDE_FEATURES + ("admin2",) or top.population >= 100_000)
            elif mention.source == "embedded":
                strong = top.feature in ("country", "admin1") or top.population >= 50_000 or in_region
            else:
                strong = top.exact and (known_country or top.population >= 100_000
                                        or (mention.source == "prep" and top.feature != "city"))
            if not strong:
                if mention.fallback is not None and not (set(surface.lower().split()) & _ORG_WORDS):
                    whole = _Mention(*mention.fallback, "ner")
                    places.append(_place(text, whole, None, "no gazetteer match"))
                continue
        runner_up = ranked[1][1] if len(ranked) > 1 else None
        if (runner_up is not None and score - ranked[1][0] < 0.05 and runner_up.iso2 != top.iso2
                and runner_up.exact == top.exact and max(top.population, runner_up.population) < 20_000):
            # Two small same-named places in different countries and nothing in the
            # article to choose between them: say so rather than guess.
            places.append(_place(text, mention, None, "ambiguous"))
            continue
        if _stray_small_town(top, context):
            places.append(_place(text, mention, None, "small town outside the article's countries"))
            continue
        reason = _is_metonymy(doc, mention, top)
        if reason is None:
            if mention.named_after is not None:
                reason = f"placed at its namesake '{mention.named_after}'"
            elif mention.qualifier is not None:
                reason = f"qualified by '{text[mentions[mention.qualifier].start:mentions[mention.qualifier].end]}'"
            elif mention.source == "embedded":
                reason = "inside an organisation name"
            elif context.get(top.iso2 or "", 0.0) > 0:
                reason = "article country context"
            else:
                reason = "best name and population match"
        places.append(_place(text, mention, top, reason))
    if all_toponyms:
        # Event location keeps to the mentions the text itself marks as places:
        # "the governor of Dhi Qar said" must not relocate a protest in Nasiriyah.
        places += _same_name_elsewhere(doc, places, all_toponyms)
        places += _demonyms(doc, gazetteer, [(p.start, p.end) for p in places])
    else:
        places = [p for p in places if p.reason != "inside an organisation name"]
    return tuple(sorted(places, key=lambda p: p.start))
