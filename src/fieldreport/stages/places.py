"""Toponyms in an article, resolved against the gazetteer, and where an event happened.

``find_places`` collects toponym mentions (``place_mentions``: spaCy entities,
cue phrases such as "the town of X" and "X province", capitalised words after a
locative preposition, a dateline) and resolves each one by scoring gazetteer
candidates on spelling, population, feature type, an "X, Y" qualifier and the
countries the rest of the article is about. ``locate_event`` picks, for one
event, the place it happened and its ACLED geo_precision.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import replace
from typing import Any, Protocol

from ..gazetteer import Candidate, normalize_name
from ..records import Place
from .demonym_places import demonym_spans
from .place_mentions import (
    DEMONYM_COUNTRIES,
    NOT_PLACES,
    ORG_WORDS,
    Mention,
    collect_mentions,
    cue_listed_divisions,
    cue_local_institutions,
    currency_hints,
    in_a_list_of_divisions,
    is_persons_name,
    person_words,
    trim_name,
)
from .place_scoring import (
    COHERENCE_ROUNDS,
    ArticleContext,
    Reading,
    article_context,
    containment_contexts,
    rank_candidates,
    reading,
    with_containment,
)


class Gazetteer(Protocol):
    def lookup(self, name: str) -> list[Candidate]: ...


_SPEECH_VERBS = {"say", "tell", "warn", "announce", "accuse", "deny", "urge", "condemn", "claim",
                 "insist", "demand", "reject", "threaten", "hope", "want", "believe", "respond", "argue",
                 "call", "blame", "welcome", "agree", "refuse", "decide", "plan", "vow", "pledge"}


def _lookup(gazetteer: Gazetteer, surface: str) -> tuple[Candidate, ...]:
    found = gazetteer.lookup(surface)
    if not found and surface.lower().startswith("the "):
        found = gazetteer.lookup(surface[4:])
    return tuple(found)


def _rank(mention: Mention, mentions: list[Mention], context: ArticleContext) -> list[tuple[float, Candidate]]:
    qualifier = mentions[mention.qualifier].candidates if mention.qualifier is not None else ()
    return rank_candidates(mention.candidates, mention.cue, mention.surface, qualifier, context)


def _is_metonymy(doc: Any, mention: Mention, best: Candidate) -> str | None:
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


def _place(doc_text: str, mention: Mention, c: Candidate | None, reason: str | None) -> Place:
    surface = doc_text[mention.start:mention.end]
    if c is None:
        return Place(mention.start, mention.end, surface, reason=reason)
    admin1 = c.name if c.feature == "admin1" else c.admin1
    return Place(
        mention.start, mention.end, surface, geonameid=c.geonameid, location=c.name,
        latitude=c.latitude, longitude=c.longitude, country=c.country, iso3=c.iso3,
        admin1=admin1, feature=c.feature, population=c.population, reason=reason,
    )


# Words an institution's name starts with, which GeoNames also has as some hamlet's
# name ("University", Florida): the place in the name comes after them.
_INSTITUTION_WORDS = ORG_WORDS | {"hospital", "college", "school", "museum", "church", "institute", "academy",
                                  "association", "society", "club", "city", "county", "district", "bureau"}


_COMPASS = {"north", "south", "east", "west", "northeast", "northwest", "southeast", "southwest"}


def _embedded(gazetteer: Gazetteer, text: str, mention: Mention) -> Mention | None:
    """The toponym an unmatched multi-word name starts with, or names after "of":
    "Ohio State University", "the Alexandria Zoo", "University of Texas"."""
    surface = text[mention.start:mention.end]
    words = list(re.finditer(r"[^\s,]+", surface))
    spans = [(words[0].start(), words[k].end()) for k in range(len(words) - 2, -1, -1)]
    after_of = []
    for i, word in enumerate(words[:-1]):
        if word.group() == "of":
            after_of += [(words[i + 1].start(), words[k].end()) for k in range(len(words) - 1, i, -1)]
    # "Battle of Richmond", "Siege of Vicksburg": one word before "of" is a common noun,
    # not the hamlet GeoNames has under it (Battle, England).
    spans = after_of + spans if len(words) > 2 and words[1].group() == "of" else spans + after_of
    # "Decatur McLean County Coroner", "Miss Greater Butler County": a county further in.
    counties = [k for k, word in enumerate(words) if word.group().rstrip(".’'s") in ("County", "Parish")]
    spans += [(words[i].start(), words[k].end()) for k in counties for i in range(1, k)
              if (words[i].start(), words[k].end()) not in spans]
    for lo, hi in spans:
        start, end, cue = trim_name(text, mention.start + lo, mention.start + hi)
        compass = re.search(r"(?:^|\s)([A-Z][a-z]+)\s+$", text[max(0, start - 12):start])
        if compass and compass.group(1).lower() in _COMPASS:
            # "East Hampton Police", "West Springfield Police": the direction is part of the town's name.
            longer = start - len(text[max(0, start - 12):start]) + compass.start(1)
            if any(c.exact for c in _lookup(gazetteer, text[longer:end])):
                start = longer
        part = text[start:end]
        if not part[:1].isupper() or part.lower() in NOT_PLACES:
            continue
        if all(word in _FEATURE_WORDS or word in _INSTITUTION_WORDS for word in part.lower().split()):
            continue  # "Lake" of "Lake Erie" is not Lake County; "University" of "University of Kentucky" no town
        found = tuple(c for c in _lookup(gazetteer, part) if c.exact)
        if found and _city_of_the_institution(text, end, part, found):
            continue
        if found:
            # "Falluja from Islamic State": the model ran a place into the next name;
            # a lowercase word after it means it stands alone.
            # ("the Dhi Qar provincial council" is still an organisation).
            alone = re.match(r"\s+(?:from|and|on|in|at|to|after|with|as|for|near|by)\b",
                             text[end:mention.end]) is not None
            return Mention(start, end, "ngram" if alone else "embedded", cue, candidates=found, surface=part)
    return None


# What a town's "City" or "Town" runs on: "the Dublin City Council", "San Fernando City
# Schools", "Hanover Town Hall".
_CITY_BODIES = re.compile(r"\s+(?:Council|Councilm[ae]n|Councilwom[ae]n|Councilors?|Schools?|Hall|Manager|Commission"
                          r"|Commissioners?|Attorney|Clerk|Police|Court|Marshals?|Administrator|Treasurer|Engineer"
                          r"|Board|Department|Limits|Meeting)\b")


def _city_of_the_institution(text: str, end: int, part: str, found: tuple[Candidate, ...]) -> bool:
    """ "Dublin City" before "Council" is Dublin's council, not the district GeoNames
    calls Dublin City, unless some city is named so ("Kansas City", "Jersey City")."""
    if not part.endswith((" City", " Town")) or not _CITY_BODIES.match(text, end):
        return False
    return not any(c.feature == "city" and normalize_name(c.name) == normalize_name(part) for c in found)


_WIDE_FEATURES = ("country", "admin1", "continent", "region")


def _hyphen_parts(gazetteer: Gazetteer, text: str, mention: Mention) -> list[Mention]:
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
            parts.append(Mention(start, start + len(run.group()), mention.source, candidates=found,
                                  surface=run.group()))
    return parts or [mention]


# Words that make a name a natural or civil feature of its own ("Lake Lanier",
# "Catawba River", "Hamilton Township"), not a longer way of writing a town.
_FEATURE_WORDS = {"lake", "lakes", "river", "creek", "bay", "sea", "gulf", "island", "islands", "valley",
                  "mountain", "mountains", "mount", "falls", "springs", "township", "twp", "heights", "park",
                  "canyon", "peninsula", "strait", "harbor", "harbour", "coast", "beach", "reservoir", "dam",
                  "forest", "desert", "ocean", "of", "the", "town", "borough", "hills", "hill"}


def _names_a_feature(text: str, whole: Mention, inner: Mention) -> bool:
    rest = (text[whole.start:inner.start] + " " + text[inner.end:whole.end]).lower().replace(".", " ").split()
    return bool(rest) and all(word in _FEATURE_WORDS for word in rest)


def _lies_in(c: Candidate, divisions: list[Candidate]) -> bool:
    return any((d.feature == "country" and d.iso2 == c.iso2)
               or (d.feature == "admin1" and d.iso2 == c.iso2 and d.name == c.admin1) for d in divisions)


def _same_name_elsewhere(doc: Any, places: list[Place], all_toponyms: bool, people: set[str]) -> list[Place]:
    """One sense per discourse: a resolved name written again elsewhere in the
    article ("Alexandria" ... "Alexandria Police said") is the same place. Not so
    for a surname the article gives in full: "Flores said" after "Maria Flores"
    and a town Flores is the woman, every time."""
    text = doc.text
    taken = [(p.start, p.end) for p in places]
    resolved: dict[str, Place] = {}
    for place in places:
        if (place.geonameid is not None and place.reason != "demonym" and len(place.name) > 3
                and place.name.lower() not in _COMPASS  # "West" of "the West Side", not West, Texas
                and not (place.name.lower() in people and place.feature == "city" and place.population < 50_000)):
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


# "in Daraa city", "in the Hama countryside": the noun after the name says it is a settlement.
# "in Sandwip upazila", "in Datta Khel tehsil": South Asia's sub-districts mark a place too.
_SETTLEMENT_AFTER = re.compile(r" (?:city|town|village|countryside|upazila|tehsil|taluka?|thana|mandal)\b")


# A town this small (or a name matched only loosely, "Kilo" for Kiel) in a
# country the article is otherwise not about is more often a same-named place
# the gazetteer lacks ("al-Dour" in Iraq vs Dour in Belgium) or a person
# ("Murad") than a real foreign location.
STRAY_TOWN_POPULATION = 100_000
STRAY_CONTEXT_SHARE = 0.5
LOOSE_HAMLET_POPULATION = 1000


def _names_its_province(top: Candidate, mention: Mention) -> bool:
    """A town named like its own province is the provincial capital ("near Daraa")."""
    return any(c.exact and c.feature == "admin1" and c.iso2 == top.iso2 for c in mention.candidates)


def _stray_small_town(top: Candidate, context: dict[str, float], surface: str) -> bool:
    if top.feature == "city" and not top.exact and top.population < LOOSE_HAMLET_POPULATION:
        return True  # "Sarrin" is not Sarín, Peru (727 people), wherever the article is
    if top.feature != "city" or not context:
        return False
    if top.population >= STRAY_TOWN_POPULATION and top.exact and normalize_name(top.name) == normalize_name(surface):
        return False  # a big town under its own name, not one of its old or local names ("Bandar")
    return context.get(top.iso2 or "", 0.0) == 0.0 and max(context.values()) >= STRAY_CONTEXT_SHARE


def _vote(doc: Any, mention: Mention, ranked: list[tuple[float, Candidate]]) -> Reading | None:
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


# Street and road words: an address ("Elm Street", "County Road 109", "Highway 82")
# is not a place a gazetteer of towns and divisions could ever resolve.
_STREET_WORDS = {"street", "st", "avenue", "ave", "road", "rd", "drive", "dr", "boulevard", "blvd", "lane",
                 "ln", "highway", "hwy", "route", "interstate", "parkway", "pkwy", "trail", "court", "ct",
                 "circle", "place", "pike", "turnpike", "freeway", "expressway"}


# Institutions and buildings: "Cedar Haven Nursing Home", "City Hall", "Licking Memorial".
_BUILDING_WORDS = _INSTITUTION_WORDS | {"sheriff", "memorial", "hall", "station", "home", "apartments", "inn",
                                        "suites", "marshal", "hangar", "seafood", "restaurant", "hotel", "motel"}


def _may_be_unlisted_place(surface: str, people: set[str]) -> bool:
    """Whether a name the gazetteer lacks is still worth returning as an unresolved
    place: not an organisation ("Syrian Observatory"), an address ("Main Street",
    "Route 16"), a lowercase word the model tagged, or the surname of someone the
    article names in full ("Strickland said")."""
    words = re.findall(r"[\w’']+", surface.lower())
    proper = re.sub(r"^(?:al|el|ad|ar|as|ash|az|an|at)[-\s]", "", surface)  # "al-Dour" is proper
    if not words or not proper[:1].isupper() or set(words) & _BUILDING_WORDS:
        return False
    if set(words) & _STREET_WORDS and (words[-1] in _STREET_WORDS or words[0] in _STREET_WORDS
                                        or words[-1].isdigit() or words[-1] in ("north", "south", "east", "west")):
        return False
    return not (len(words) == 1 and words[0] in people)


def _inside_a_tagged_place(mention: Mention, top: Candidate, context: dict[str, float]) -> bool:
    """A toponym inside a name the model tagged as a place ("Fort Mill High School",
    "Hanover Town Hall") is the best guess there is for that name when it matches
    exactly and nothing puts the article in another country; a county ("Pointe
    Coupee Sheriff") even then."""
    if mention.fallback is None or not top.exact:
        return False
    return not context or context.get(top.iso2 or "", 0.0) > 0 or top.feature == "admin2"


# What the model often leaves off a name: the part after a hyphen ("Guinea-Bissau",
# "Wilkes-Barre") or after a Romance particle ("Rio Grande do Sul", "Boulogne sur Mer").
_CONTINUATION = re.compile(r"(?:-|\s(?:do|da|dos|das|de|del|di|du|sur)\s)[A-Z][\w'’]+")
# "the Ohio state line", "in Kaduna state": a lowercase "state" after the name.
_STATE_AFTER = re.compile(r"\s+state\b")


def _continued(gazetteer: Gazetteer, text: str, mention: Mention) -> tuple[int, tuple[Candidate, ...]] | None:
    """The longer name a mention runs into, when the gazetteer knows exactly that name."""
    more = _CONTINUATION.match(text, mention.end)
    if more is None:
        return None
    found = tuple(c for c in _lookup(gazetteer, text[mention.start:more.end()]) if c.exact)
    return (more.end(), found) if found else None


def actor_country_hints(gazetteer: Gazetteer, countries: Iterable[str | None]) -> Counter[str]:
    """Country hints from the home countries of the armed groups and parties an
    article names ("TTP", "Awami League"): weighted like a nationality word."""
    hints: Counter[str] = Counter()
    for name in filter(None, countries):
        found = next((c for c in _lookup(gazetteer, name) if c.feature == "country" and c.exact), None)
        if found is not None and found.iso2:
            hints[found.iso2] += 0.5
    return hints


def find_places(doc: Any, gazetteer: Gazetteer, all_toponyms: bool = False,
                actor_hints: Counter[str] | None = None) -> tuple[Place, ...]:
    """Toponyms in ``doc`` (a spaCy Doc of the clean text) with their resolutions.

    Unresolved toponyms come back with ``geonameid`` None and a ``reason``.
    Capitalised words that only look like places and match nothing are dropped.
    ``all_toponyms`` (geoparsing output) also returns nationality words as their
    country (reason "demonym") and place names inside organisation names; event
    location never wants those. ``actor_hints`` (``actor_country_hints``) are
    the home countries of the groups the article names.
    """
    text = doc.text
    people = person_words(doc)
    mentions = [m for m in collect_mentions(doc) if not is_persons_name(text, m, people)]
    for index, mention in enumerate(mentions):
        mention.candidates = _lookup(gazetteer, text[mention.start:mention.end])
        mention.surface = text[mention.start:mention.end]
        if _city_of_the_institution(text, mention.end, mention.surface, mention.candidates):
            # "San Fernando City Councilwoman": the council's town is San Fernando.
            mention.end -= len(" City")  # or " Town": as long
            mention.surface = text[mention.start:mention.end]
            mention.candidates = _lookup(gazetteer, mention.surface)
        # "West Bank", "South Charleston", "Central Africa": a direction word that is part of the name.
        direction = re.search(r"(?:^|\s)((?:North|South|East|West)(?:east|west)?(?:ern)?|Upper|Lower|Greater|Central) $",
                              text[max(0, mention.start - 16):mention.start])
        if direction:
            start = mention.start - len(direction.group(1)) - 1
            longer = tuple(c for c in _lookup(gazetteer, text[start:mention.end]) if c.exact)
            if longer:
                mention.start, mention.candidates, mention.surface = start, longer, text[start:mention.end]
        longer = _continued(gazetteer, text, mention)
        if longer is not None:
            mention.end, mention.candidates = longer
            mention.surface = text[mention.start:mention.end]
        if mention.cue is None and _STATE_AFTER.match(text, mention.end) and any(
                c.exact and c.feature == "admin1" for c in mention.candidates):
            mention.cue = "admin"  # "a Washington state farm", "in Kaduna state"
        whole = any(c.exact for c in mention.candidates)
        if not whole and " " in mention.surface and (mention.source in ("org", "ngram", "prep", "ner") or (
                # The model reads some agencies as people ("Alachua County Sheriff's Office").
                mention.source == "strict" and set(mention.surface.lower().split()) & _BUILDING_WORDS)):
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
    # A name that ran into the next one ("Guinea" of "Guinea-Bissau") absorbs it.
    mentions = [m for i, m in enumerate(mentions) if not any(o.start < m.start < o.end for o in mentions[:i])]
    mentions = [part for m in mentions for part in _hyphen_parts(gazetteer, text, m)]
    mentions = [m for m in mentions if m.source != "org" or any(c.exact for c in m.candidates)]
    for i, mention in enumerate(mentions[:-1]):
        follower = mentions[i + 1]
        divisions = [c for c in follower.candidates if c.feature in ("admin1", "country") and c.exact]
        if divisions and re.fullmatch(r",\s*", text[mention.end:follower.start]):
            follower.cue = follower.cue or "qualifier"
            # "Missouri, Illinois, Georgia" is a list, not a town and its state:
            # the Y of "X, Y" qualifies X only when some reading of X lies in Y.
            if any(_lies_in(c, divisions) for c in mention.candidates) and not in_a_list_of_divisions(
                    text, mentions, i, {d.feature for d in divisions}):
                mention.qualifier = i + 1
                # ... and the Y is then the division X lies in: "Atlanta, Georgia" is the state.
                follower.candidates = tuple(d for d in follower.candidates
                                            if any(_lies_in(c, [d]) for c in mention.candidates))
    cue_listed_divisions(text, mentions)
    cue_local_institutions(text, mentions)

    # Resolve without context, then again (COHERENCE_ROUNDS times) knowing where
    # the article's other places are: countries, states, counties.
    hints: Counter[str] = Counter()
    for token in doc:
        for iso2 in DEMONYM_COUNTRIES.get(token.lower_, ()):
            hints[iso2] += 0.5 / len(DEMONYM_COUNTRIES[token.lower_])
    hints.update(currency_hints(text))
    hints.update(actor_hints or {})
    nested = containment_contexts([(m.surface, m.candidates, m.cue == "county") for m in mentions])
    readings = [_vote(doc, mention, _rank(mention, mentions, nested[i])) for i, mention in enumerate(mentions)]
    for _ in range(COHERENCE_ROUNDS):
        contexts = [with_containment(article_context(readings, hints, i), nested[i]) for i in range(len(mentions))]
        readings = [_vote(doc, mention, _rank(mention, mentions, ctx)) for mention, ctx in zip(mentions, contexts)]
    places: list[Place] = []
    for i, mention in enumerate(mentions):
        ctx = with_containment(article_context(readings, hints, i), nested[i])
        context, context_admin1 = ctx.countries, ctx.regions
        ranked = _rank(mention, mentions, ctx)
        surface = text[mention.start:mention.end]
        if not ranked:
            if mention.source in ("ner", "cue", "dateline") and _may_be_unlisted_place(surface, people):
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
                strong = (top.feature in ("country", "admin1") or top.population >= 50_000 or in_region
                          or _inside_a_tagged_place(mention, top, context))
            else:
                strong = top.exact and (known_country or top.population >= 100_000
                                        or (mention.source == "prep" and (
                                            top.feature != "city" or _SETTLEMENT_AFTER.match(text, mention.end)
                                            or _names_its_province(top, mention))))
            if not strong:
                if mention.fallback is not None and _may_be_unlisted_place(surface, people):
                    whole = Mention(*mention.fallback, "ner")
                    places.append(_place(text, whole, None, "no gazetteer match"))
                continue
        runner_up = ranked[1][1] if len(ranked) > 1 else None
        if (runner_up is not None and score - ranked[1][0] < 0.05 and runner_up.iso2 != top.iso2
                and runner_up.exact == top.exact and max(top.population, runner_up.population) < 20_000):
            # Two small same-named places in different countries and nothing in the
            # article to choose between them: say so rather than guess.
            places.append(_place(text, mention, None, "ambiguous"))
            continue
        # Nationality words and currencies describe people and prices ("an Iranian
        # commander in Tadmur"), so only the article's places can make a town a stray.
        if _stray_small_town(top, article_context(readings, Counter(), i).countries, surface):
            if _may_be_unlisted_place(surface, people):
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
        places += _same_name_elsewhere(doc, places, all_toponyms, people)
        places += [_place(text, Mention(start, end, "ner"), c, "demonym")
                   for start, end, c in demonym_spans(doc, gazetteer, [(p.start, p.end) for p in places])]
    else:
        places = [p for p in places if p.reason != "inside an organisation name"]
    return tuple(sorted(places, key=lambda p: p.start))
