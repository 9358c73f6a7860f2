"""Toponym mentions in an article's text, before any gazetteer lookup.

Where a toponym may be: spaCy GPE/LOC/FAC entities (split at a spaced dash),
two-word PERSON entities that may be places the model misread, cue phrases
("the town of X", "X province"), capitalised words after a locative
preposition, an AP state abbreviation, a dateline, and capitalised proper
nouns outside any entity. Overlapping finds merge into one mention. Also the
surnames of the people an article names, which a lone capitalised word is
more likely to be than a village, and the cues mentions give each other once
looked up: a list of states or of counties, a town's own institutions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from ..gazetteer import Candidate

PLACE_LABELS = {"GPE", "LOC", "FAC"}
_NAME = r"[A-Z][\w'’‘\-]*(?:(?: |-)(?:(?:al|el|ar|as|ash|ad|az|an|ez|ed|es|de|del|la|le|of|bin)[ -])?[A-Z][\w'’‘\-]*){0,3}"
_TOWN_OF = re.compile(r"\b(?:town|village|city|hamlet|suburb|district|neighbou?rhood|outskirts|province|governorate|region"
                      r"|upazila|tehsil|taluka|sub-?district|municipality)s? of (?:the )?(" + _NAME + ")")
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
                  "city": "town", "town": "town", "village": "town", "district": "town",
                  # South Asia's sub-districts; "Sadar" is the one around a district's seat
                  # ("Kurigram Sadar upazila" is Kurigram's).
                  "upazila": "town", "tehsil": "town", "taluka": "town", "taluk": "town", "sadar": "town"}
# Words that make an unmatched entity an organisation, not an unresolved place.
ORG_WORDS = {"observatory", "ministry", "council", "army", "forces", "committee", "party", "front",
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
# The currency an article counts money in hints at where it was written: a bare
# "$" is the US dollar ("C$", "A$", "HK$" are others), "£" the pound. As weak as a
# nationality word: a story from Ohio that never names its state ("Dublin OKs a $2
# million budget") is in the US; any named country outvotes it.
_CURRENCIES = ((re.compile(r"(?<![A-Za-z])\$\s?\d"), "US"), (re.compile(r"£\s?\d"), "GB"))
CURRENCY_HINT = 0.3


def currency_hints(text: str) -> dict[str, float]:
    """Country hints from the currency the article's sums are written in, and
    from British words ("councillor", "neighbourhood", "lorry")."""
    hints = {iso2: CURRENCY_HINT for pattern, iso2 in _CURRENCIES if pattern.search(text)}
    if _BRITISH.search(text):
        # As weak as a currency: a London borough paper names no country ("a Hounslow
        # councillor said"), and any named country outvotes the hint.
        hints["GB"] = hints.get("GB", 0.0) + CURRENCY_HINT
    return hints


# Words of British English that American news does not use.
_BRITISH = re.compile(r"\b(?:[Cc]ouncillors?|[Nn]eighbourhoods?|[Pp]avements?|[Ww]hilst|[Kk]erbs?|[Tt]yres?"
                      r"|[Ll]orry|[Ll]orries|[Pp]ensioners?)\b")


_NOT_NGRAM_TYPES = PLACE_LABELS | {"DATE", "TIME", "CARDINAL", "ORDINAL", "MONEY", "PERCENT", "QUANTITY"}
_DEMONYM_SUFFIX = ("ish", "ian", "ese", "i", "an")
NOT_PLACES = {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
               "january", "february", "march", "april", "may", "june", "july", "august", "september",
               "october", "november", "december", "god", "allah", "mr", "mrs", "ms", "dr", "president",
               "islamic state", "isis", "isil", "daesh", "reuters", "associated press",
               # Movements, holidays and titles that share a name with some village.
               "hamas", "hezbollah", "taliban", "passover", "easter", "christmas", "ramadan", "olympic",
               "olympics", "commissioner", "council", "section", "miss", "sadar"}


@dataclass
class Mention:
    start: int
    end: int
    # "ner" | "cue" | "prep" | "dateline" | "ngram" | "org" | "embedded" | "strict" (a person's
    # name or part of a dash-split entity: kept only as a division, region or big town)
    source: str
    cue: str | None = None  # "admin" | "town" | "county" | "local" | "qualifier" (the Y of "X, Y")
    qualifier: int | None = None  # index of the "Y" in "X, Y"
    candidates: tuple[Candidate, ...] = ()
    surface: str = ""
    fallback: tuple[int, int] | None = None  # the unmatched entity this toponym was found inside
    named_after: str | None = None  # "Catawba" for "Catawba River": placed at its namesake


def trim_name(text: str, start: int, end: int) -> tuple[int, int, str | None]:
    """Strip leading "the"/direction words, a possessive and a trailing cue word."""
    cue = None
    # "Mosul's al-Zuhur district": the toponym we can resolve is the owner.
    owner = re.search(r"['’]s ", text[start:end])
    if owner:
        end = start + owner.start()
    words = list(re.finditer(r"\S+", text[start:end]))
    while len(words) > 1 and words[0].group().lower() in _DIRECTIONS:
        words.pop(0)
    # "Kansas City", "Jersey City" are names; "Mosul city", "Anbar Province" and
    # "Kurigram Sadar" are cues.
    while len(words) > 1 and words[-1].group().lower().strip(".,") in _TRAILING_CUES and (
            words[-1].group().islower() or words[-1].group() == "Sadar"
            or _TRAILING_CUES[words[-1].group().lower().strip(".,")] == "admin"):
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


def collect_mentions(doc: Any) -> list[Mention]:
    text = doc.text
    found: list[Mention] = []
    for ent in doc.ents:
        parts = _dash_parts(text, ent.start_char, ent.end_char)
        if ent.label_ in PLACE_LABELS:
            for lo, hi in parts:
                start, end, cue = trim_name(text, lo, hi)
                found.append(Mention(start, end, "ner" if len(parts) == 1 else "strict", cue))
        elif ent.label_ == "PERSON" and len(ent) > 1:
            # The model reads some two-word places as people ("Burkina Faso", "Minas Gerais").
            found += [Mention(lo, hi, "strict") for lo, hi in parts]
    for m in _STATE_ABBREVIATION.finditer(text):
        found.append(Mention(m.start(1), m.end(1), "cue", "qualifier"))
    # Organisation names often start with a place ("Ohio State University",
    # "Alexandria Police"); find_places looks for a toponym inside them.
    for ent in doc.ents:
        if ent.label_ in ("ORG", "FAC") and len(ent) > 1:
            start, end, _ = trim_name(text, ent.start_char, ent.end_char)
            found.append(Mention(start, end, "org"))
    for regex, cue in ((_TOWN_OF, "town"), (_X_PROVINCE, "admin")):
        for m in regex.finditer(text):
            start, end, _ = trim_name(text, m.start(1), m.end(1))
            cue_here = "admin" if re.match(r"(province|governorate|region)", m.group(0).split()[0].lower()) else cue
            found.append(Mention(start, end, "cue", cue_here))
    for m in _PREP_NAME.finditer(text):
        start, end, cue = trim_name(text, m.start(1), m.end(1))
        found.append(Mention(start, end, "prep", cue))
    for dateline in _DATELINE.finditer(text):
        found.append(Mention(dateline.start(1), dateline.end(1), "dateline"))
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
                found.append(Mention(run[0].idx, run[-1].idx + len(run[-1].text), "ngram"))
            run = []
        if usable:
            run.append(token)
            continue
        if 0 < len(run) <= 3:
            found.append(Mention(run[0].idx, run[-1].idx + len(run[-1].text), "ngram"))
        run = []

    # A person's name or dash-split part yields to any other reading of its words ("Calif. Olson").
    others = [m for m in found if m.source != "strict"]
    found = others + [m for m in found if m.source == "strict"
                      and not any(o.start < m.end and m.start < o.end for o in others)]
    # One mention per stretch of text: the longest wins, and takes the cues of those it absorbs.
    priority = {"ner": 0, "cue": 1, "dateline": 2, "prep": 3, "strict": 4, "ngram": 4, "org": 5}
    found.sort(key=lambda m: (m.start, -(m.end - m.start), priority[m.source]))
    merged: list[Mention] = []
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
        if text[m.start:m.end].lower() not in NOT_PLACES and not _is_demonym(doc, m.start, m.end)
    ]


def _may_be_a_state(candidates: tuple[Candidate, ...]) -> bool:
    """Some reading is a first-level division that is not merely the area of its
    same-named seat ("Cairo and Alexandria" are the cities, not the governorates)."""
    seats = {(c.iso2, c.admin1) for c in candidates if c.feature == "city"}
    return any(c.exact and c.feature == "admin1" and (c.iso2, c.name) not in seats for c in candidates)


_LIST_JOINER = re.compile(r"(?:,\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+)")


def in_a_list_of_divisions(text: str, mentions: list[Mention], i: int, features: set[str]) -> bool:
    """ "Washington, Pennsylvania and California", "Ghana, Niger, Nigeria and Togo":
    X, Y and a third name of Y's kind, X itself possibly one, is a list of states or
    countries, not a town and its state ("Philippi, West Virginia, United States" is)."""
    if i + 2 >= len(mentions) or not _LIST_JOINER.fullmatch(text[mentions[i + 1].end:mentions[i + 2].start]):
        return False

    def of_kind(m: Mention) -> bool:
        return any(c.exact and c.feature in features for c in m.candidates)

    return of_kind(mentions[i]) and of_kind(mentions[i + 2])


def cue_listed_divisions(text: str, mentions: list[Mention]) -> None:
    """Names listed together are alike: in "Oregon, Idaho and Washington" or
    "flu in Arkansas, Colorado, Delaware" every name can be a state, so each one
    is read as a state rather than a same-named town or county ("Washington, Iowa")."""
    runs: list[list[int]] = [[0]] if mentions else []
    for i in range(1, len(mentions)):
        before = mentions[i - 1]
        if before.qualifier is None and _LIST_JOINER.fullmatch(text[before.end:mentions[i].start]):
            runs[-1].append(i)
        else:
            runs.append([i])
    for run in runs:
        counties = re.match(r"\s+(?:counties|county|parishes)\b(?:,?\s+in\s+)?", text[mentions[run[-1]].end:])
        if counties:
            # "Clarke, Madison and Oglethorpe counties", "Barrow and Jackson counties": each one a county
            # ... and "Nassau and Baker counties in Florida" are in Florida.
            state = next((j for j in range(run[-1] + 1, len(mentions))
                          if mentions[j].start == mentions[run[-1]].end + counties.end()), None)
            for k in run:
                if any(c.exact and c.feature == "admin2" for c in mentions[k].candidates):
                    mentions[k].cue = "county"
                    if state is not None and counties.group().rstrip().endswith("in") and any(
                            d.feature == "admin1" and d.exact and d.iso2 == c.iso2 and d.name == c.admin1
                            for c in mentions[k].candidates for d in mentions[state].candidates):
                        mentions[k].qualifier = state
        else:
            # Most of a long list being states is enough: "... Vermont, Virginia and
            # Washington, D.C." still lists states.
            states = [k for k in run if _may_be_a_state(mentions[k].candidates)]
            if len(states) >= 2 and (len(states) == len(run) or len(states) >= 0.75 * len(run) >= 3):
                for k in states:
                    # The comma before a listed state made it look like a qualifier ("Colorado, Delaware").
                    mentions[k].cue = "admin" if mentions[k].cue in (None, "qualifier") else mentions[k].cue


# Institutions only a town has: "Jordan Middle School", "the Lebanon Police Department",
# "the Athens City Council" name the town Jordan, Lebanon, Athens, not the country.
# Not plain "Police": "Nigeria Police", "Victoria Police" are national and state forces.
_LOCAL_INSTITUTION = re.compile(
    r"(?:['’]s)?\s+(?:(?:[Cc]ity|[Tt]own|[Vv]illage|[Bb]orough) (?:[Cc]ouncil|[Hh]all|[Mm]anager|[Ss]chools?)"
    r"|(?:[Hh]igh|[Mm]iddle|[Ee]lementary|[Jj]unior [Hh]igh) [Ss]chool|[Ee]lementary\b|[Pp]olice [Dd]epartment"
    r"|[Ff]ire [Dd]epartment|[Cc]hamber of [Cc]ommerce|[Pp]ublic [Ss]chools)")


def cue_local_institutions(text: str, mentions: list[Mention]) -> None:
    """A name before a town's own institution is read as the town (cue "local")."""
    for mention in mentions:
        if mention.cue is None and _LOCAL_INSTITUTION.match(text, mention.end) and any(
                c.exact and c.feature == "city" for c in mention.candidates):
            mention.cue = "local"


_TITLED = re.compile(r"\b(?:(?:Mr|Mrs|Ms|Dr|Sen|Rep|Gov|Sgt|Lt|Capt|Det|Rev)\.?|Sheriff|Officer|Judge|Coach"
                     r"|Deputy|Mayor|Pastor|Detective|Trooper|Principal|Senator|Governor)"
                     r"\s+(?:[A-Z][a-z]+\s+)?([A-Z][a-z]+)\b")


def person_words(doc: Any) -> set[str]:
    """Surnames of the people the article names in full or with a title
    ("John Clark", "Sheriff Clark", "Mr. Flores")."""
    names = {ent[-1].text.lower() for ent in doc.ents if ent.label_ == "PERSON" and len(ent) > 1}
    return names | {m.group(1).lower() for m in _TITLED.finditer(doc.text)}


def is_persons_name(text: str, mention: Mention, people: set[str]) -> bool:
    """A lone surname the article also gives in full is that person ("Clark said"),
    unless the text marks it as a place ("in Clark", "Clark, Nev.")."""
    if mention.source in ("ner", "cue", "dateline", "prep") or mention.cue:
        return False
    surface = text[mention.start:mention.end]
    return " " not in surface and surface.lower() in people
