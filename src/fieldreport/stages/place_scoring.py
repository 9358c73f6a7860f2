"""Scoring a toponym's gazetteer candidates, and the article context that steers them.

A candidate's score adds up spelling, population, feature type, cue words, an
"X, Y" qualifier and the article context: the countries, first-level divisions
(states, provinces) and counties the article's other toponyms are in.

The context is a vote. Each other toponym votes for the country of its best
reading, and for the divisions of all its plausible readings, weighted by how
likely each is given the current scores: a name with one sensible reading
("Chattanooga") votes with its full weight, a name with thirty ("Springfield")
spreads its vote thin. A division counts only when it holds some toponym's
best reading, so three small namesakes cannot outvote a capital ("Mecca",
"Medina" and "Cairo" are all towns in Ohio). Resolving is repeated with the new
context (``COHERENCE_ROUNDS``), so places mentioned together settle on one
region: "Gainesville" next to "Hall County" is the one in Georgia.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from ..gazetteer import Candidate, haversine_km, normalize_name

Region = tuple[str | None, str | None]
# A county by its state: (iso2, admin1 name, county name).
County = tuple[str | None, str | None, str | None]
# Rounds of re-voting after the context-free first reading.
COHERENCE_ROUNDS = 2
# How sharply a toponym's vote follows its scores: a reading this much below the
# best one gets 1/e of its weight.
VOTE_SCALE = 0.5
# A plausible (not best) reading this likely corroborates its division.
CORROBORATING_WEIGHT = 0.2
# A town that lies in a county the article names, and a county that holds a town
# the article names ("Lebanon police" ... "the Boone County jail": Lebanon,
# Indiana, and Boone County, Indiana). That two names meet in one county by
# chance is rare, so the pair outweighs a bigger namesake or a country.
CONTAINMENT_BONUS = 1.0
# A town near another toponym's confident reading ("Hanover" beside "Bethel, Vt.":
# Hanover, New Hampshire, across the river) wins over its namesakes far away,
# even across a state line the division vote cannot see. Local news names towns
# within a county or two of each other.
NEARBY_KM = 80.0
NEARBY_BONUS = 0.6  # 0.9 and 50 or 120 km tried: lower on LGL odd, GeoVirus odd -1 toponym
# Only a reading this sure anchors its neighbours: two namesakes that are each
# other's neighbours in the wrong country ("Norfolk" and "Suffolk", England and
# Virginia) must not pull each other there.
ANCHOR_WEIGHT = 0.7  # 0.5 and 0.7 tried on the odd halves of LGL and GeoVirus; 0.7 one toponym better


@dataclass(frozen=True)
class ArticleContext:
    """Shares of the other toponyms' votes: by country (iso2), and by division
    ((iso2, admin1 name) and (iso2, "2:" + county name))."""

    countries: dict[str, float] = field(default_factory=dict)
    regions: dict[Region, float] = field(default_factory=dict)
    counties: frozenset[County] = frozenset()  # counties the other toponyms may be ("Boone County")
    towns_in: frozenset[County] = frozenset()  # counties the other toponyms' towns may lie in
    # Best readings of the other toponyms that are towns or counties: (latitude, longitude, weight).
    anchors: tuple[tuple[float, float, float], ...] = ()


@dataclass(frozen=True)
class Reading:
    """What one toponym says about the article's geography: its readings with weights."""

    surface: str
    weights: tuple[tuple[Candidate, float], ...]


def _county(c: Candidate) -> Region:
    """The second-level division a candidate is (or lies in), by name only: an
    article that names "Douglas County" makes any town in a Douglas County more
    likely, and its state is settled by the state vote."""
    return (c.iso2, f"2:{c.admin2 or c.name}")


def reading(surface: str, ranked: Sequence[tuple[float, Candidate]]) -> Reading:
    """Weights of the candidates of one toponym, from their scores (best first)."""
    top = ranked[0][0]
    raw = [(c, math.exp((s - top) / VOTE_SCALE)) for s, c in ranked if s > top - 4 * VOTE_SCALE]
    total = sum(w for _, w in raw)
    return Reading(surface.lower(), tuple((c, w / total) for c, w in raw))


def article_context(readings: Sequence[Reading | None], hints: Counter[str], exclude: int) -> ArticleContext:
    """The context for toponym ``exclude``: every other toponym's vote, plus nationality hints.

    A name never votes for itself: a second "al-Dour" is no evidence for Belgium.
    """
    own = readings[exclude].surface if readings[exclude] is not None else None
    countries: Counter[str] = Counter(hints)
    regions: Counter[Region] = Counter()
    anchors: list[tuple[float, float, float]] = []
    anchored: set[Region] = set()
    supporters: dict[Region, set[str]] = {}
    for j, other in enumerate(readings):
        if other is None or j == exclude or other.surface == own:
            continue
        # Countries follow each toponym's best reading; divisions get the spread vote.
        countries[other.weights[0][0].iso2 or ""] += 1
        best, weight = other.weights[0]
        if (best.feature in ("city", "admin2") and weight >= ANCHOR_WEIGHT and best.latitude is not None
                and best.longitude is not None):
            anchors.append((best.latitude, best.longitude, weight))
        for rank, (c, weight) in enumerate(other.weights):
            if c.feature == "country":
                continue
            keys = [(c.iso2, c.name if c.feature == "admin1" else c.admin1)]
            if c.admin2 or c.feature == "admin2":
                keys.append(_county(c))
            for key in keys:
                regions[key] += weight
                if rank == 0:
                    anchored.add(key)
                elif weight >= CORROBORATING_WEIGHT and key[1] and not key[1].startswith("2:"):
                    supporters.setdefault(key, set()).add(other.surface)
    # Two names that each could well be in one state, and both are only there
    # together ("Hall County" and "Forsyth County": Georgia), place the article there
    # even when neither's best reading alone is.
    anchored |= {key for key, names in supporters.items() if len(names) >= 2}
    total = sum(countries.values())
    if not total:
        return ArticleContext()
    return ArticleContext(
        countries={iso2: n / total for iso2, n in countries.items() if iso2},
        regions={key: n / total for key, n in regions.items()
                 if key[1] and key in anchored},
        anchors=tuple(anchors),
    )


def _under_its_own_name(c: Candidate, surface: str, biggest_town: int, context: ArticleContext) -> bool:
    """A state or country written under its own name is that division far more
    often than a same-named small town ("Florida", "Georgia", "Jordan"); not so
    when the town is the division's seat ("Homs", "Aleppo"). A region, sea or
    continent under any of its names is that feature ("Darfur", "the Pacific"),
    unless the article is about other countries: "Nyanza" in a story from Rwanda
    is its town, not Kenya's former province."""
    if not c.exact:
        return False
    if c.feature in ("continent", "region"):
        return not _foreign_region(c, context)
    own_name = normalize_name(c.name) == normalize_name(surface)
    if c.feature == "admin1":
        return own_name and context.countries.get(c.iso2 or "", 0.0) > 0 and biggest_town * 20 < c.population
    return own_name and c.feature == "country"


def _foreign_region(c: Candidate, context: ArticleContext) -> bool:
    """A region of one country in an article about others."""
    return (c.feature == "region" and bool(c.iso2) and bool(context.countries)
            and not context.countries.get(c.iso2 or "", 0.0))


# A namesake this big (a world city) outweighs the division bonus of a hamlet
# under 0.2% its size: "Cairo" in a story that names Illinois among many places
# is still Egypt's. Set on the dev halves of LGL and GeoVirus (1% helped GeoVirus
# but cost LGL towns such as Dublin, Ohio).
WORLD_CITY = 1_000_000
HAMLET_SHARE = 0.002
TOWN_SHARE = 0.01


def score_candidate(c: Candidate, cue: str | None, surface: str, biggest_town: int,
                    qualifier: Sequence[Candidate], context: ArticleContext, biggest_namesake: int = 0) -> float:
    # Weights set by hand on the domain cases in tests/test_places*.py: a spelling
    # match dominates, then a qualifier, then the article's countries, then size.
    score = 1.0 if c.exact else 0.6
    # Divisions are scored at a tenth of their population so that the city
    # usually beats its same-named province ("Kirkuk", "Aleppo", "Washington").
    population = c.population / 10 if c.feature in ("admin1", "admin2") else c.population
    score += 0.15 * min(math.log10(population + 1), 7.0)
    if not _foreign_region(c, context):
        score += {"country": 0.5, "admin1": 0.1, "city": 0.15, "continent": 0.5, "region": 0.5}.get(c.feature, 0.0)
    if _under_its_own_name(c, surface, biggest_town, context):
        score += 1.5
    if cue == "admin":
        score += 0.6 if c.feature == "admin1" else -0.3
    elif cue == "local":
        # A town's own institution ("Jordan Middle School"): no country has one.
        score += 0.3 if c.feature == "city" else -1.5 if c.feature == "country" else 0.0
    elif cue == "county":
        score += 0.6 if c.feature == "admin2" else -0.3
    elif cue == "town" and c.feature == "city":
        score += 0.3
    elif cue == "qualifier" and c.feature != "city":
        score += 0.6
    if qualifier:
        matches = any(
            (q.feature == "country" and q.iso2 == c.iso2)
            or (q.feature == "admin1" and q.iso2 == c.iso2 and q.name == c.admin1)
            for q in qualifier
        )
        score += 2.0 if matches else -0.5
    country_share = context.countries.get(c.iso2 or "", 0.0)
    if biggest_namesake >= WORLD_CITY and c.population < TOWN_SHARE * biggest_namesake:
        # "Dhaka" beside one Indian village is still Bangladesh's capital, not a
        # town of 42,000 in Bihar: the country vote counts half for a namesake that small.
        country_share /= 2
    score += 0.6 * country_share
    if c.feature == "admin1" and context.regions.get((c.iso2, c.name), 0.0):
        # The state the article's towns and counties are in ("Athens", "Clarke
        # County" ... "Georgia"), not a same-named country.
        score += 0.5
    if c.feature in ("city", "admin2"):
        # Local news names its state or county once and then small towns in it:
        # being in a division the article names outweighs a bigger namesake elsewhere.
        share = context.regions.get((c.iso2, c.admin1), 0.0)
        if biggest_namesake >= WORLD_CITY and c.population < HAMLET_SHARE * biggest_namesake:
            share = 0.0
        score += (0.9 + 0.4 * share) if share else 0.0
        if c.admin2 and context.regions.get(_county(c), 0.0):
            score += 0.5
    score += CONTAINMENT_BONUS * _contained(c, cue, surface, context)
    score += NEARBY_BONUS * _nearby(c, context.anchors)
    return score


def _nearby(c: Candidate, anchors: Sequence[tuple[float, float, float]]) -> float:
    """The weight of the surest other toponym within ``NEARBY_KM`` of a town or county."""
    if c.feature not in ("city", "admin2") or c.latitude is None or c.longitude is None:
        return 0.0
    return max((weight for lat, lon, weight in anchors
                if haversine_km(c.latitude, c.longitude, lat, lon) <= NEARBY_KM), default=0.0)


def _contained(c: Candidate, cue: str | None, surface: str, context: ArticleContext) -> bool:
    """The candidate is a town in a county another toponym names, or a county
    (written as one) holding a town another toponym names."""
    if c.feature == "city":
        return (c.iso2, c.admin1, c.admin2) in context.counties
    if c.feature == "admin2" and (cue == "county" or _COUNTY_WORD.search(surface)):
        return (c.iso2, c.admin1, c.name) in context.towns_in
    return False


_COUNTY_WORD = re.compile(r"\b(?:County|Parish)\b")


def _containment_keys(surface: str, candidates: Sequence[Candidate],
                     county_cue: bool = False) -> tuple[frozenset[County], frozenset[County]]:
    """The counties a toponym may be, and the counties its towns may lie in.

    Only a name written as a county ("Boone County", "Rapides Parish") counts as
    a county: a bare "Boone" or "Jackson" is more often a town or a person.
    """
    is_county = county_cue or _COUNTY_WORD.search(surface) is not None
    counties = frozenset((c.iso2, c.admin1, c.name) for c in candidates
                         if is_county and c.exact and c.feature == "admin2")
    towns = frozenset((c.iso2, c.admin1, c.admin2) for c in candidates
                      if not county_cue and c.exact and c.feature == "city" and c.admin2)
    return counties, towns


def containment_contexts(
        toponyms: Sequence[tuple[str, Sequence[Candidate], bool]]) -> list[ArticleContext]:
    """For each toponym (surface, candidates, listed as a county), the counties the
    others may be and the counties their towns may lie in. A name never pairs with
    itself: "Boone" of "Boone County" is no town in Boone County."""
    keys = [_containment_keys(surface, candidates, county_cue) for surface, candidates, county_cue in toponyms]
    found = []
    for i, (surface, _, _) in enumerate(toponyms):
        own = surface.lower()
        others = [key for j, key in enumerate(keys) if j != i and not _same_name(own, toponyms[j][0].lower())]
        found.append(ArticleContext(counties=frozenset().union(*(k[0] for k in others)),
                                    towns_in=frozenset().union(*(k[1] for k in others))))
    return found


def _same_name(a: str, b: str) -> bool:
    return a == b or a.startswith(b + " ") or b.startswith(a + " ")


def with_containment(context: ArticleContext, nested: ArticleContext) -> ArticleContext:
    """The vote's context with the counties and towns of ``containment_contexts``."""
    return replace(context, counties=nested.counties, towns_in=nested.towns_in)


def rank_candidates(candidates: Sequence[Candidate], cue: str | None, surface: str,
                    qualifier: Sequence[Candidate], context: ArticleContext) -> list[tuple[float, Candidate]]:
    """Candidates with their scores, best first (ties by geonameid, so runs are repeatable)."""
    # The division's seat may be spelled differently ("Basra" province, "Basrah" city);
    # a namesake abroad is no seat ("Victoria" the state, not the Hong Kong district).
    biggest_town: dict[str | None, int] = {}
    for c in candidates:
        if c.feature == "city":
            biggest_town[c.iso2] = max(biggest_town.get(c.iso2, 0), c.population)
    biggest = max(biggest_town.values(), default=0)
    scored = [(score_candidate(c, cue, surface, biggest_town.get(c.iso2, 0), qualifier, context, biggest), c)
              for c in candidates]
    return sorted(scored, key=lambda pair: (-pair[0], pair[1].geonameid))
