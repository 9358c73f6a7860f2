"""Could two reports describe one real event, and what does the merged event say?

Pure functions over coded events. A ``Profile`` is what matching needs of a
report or of a group of reports (a canonical event); ``score`` says whether a
report fits a group and how well; ``combine`` builds the canonical record.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date

from ..gazetteer import haversine_km
from ..records import Event, Evidence, Source

# Event types that reports of one happening mix up: a market bombing is coded
# as an explosion by one outlet and an attack on civilians by another; shelling
# during a battle is part of the battle (ACLED); a riot is a protest that turned.
COMPATIBLE_TYPES = frozenset({
    frozenset({"Explosions/Remote violence", "Violence against civilians"}),
    frozenset({"Explosions/Remote violence", "Battles"}),
    frozenset({"Battles", "Violence against civilians"}),
    frozenset({"Protests", "Riots"}),
})
# How far apart two codings of one event's place may be, by the coarser of the
# two geo_precision codes (ACLED: 1 the town itself, 2 near / part of a region,
# 3 only the province). Set on our fixtures and ACLED's own geo rules: a suburb
# is within 25 km of its town, "near X" within about 50, a province's towns
# within 150 km of each other or of its centroid.
PLACE_KM = {1: 25.0, 2: 60.0, 3: 150.0}
# Windows longer than two weeks ("in March", time_precision 3-4) are too vague
# to place beside a dated report; a reviewer merges them by hand. A week
# ("last week", precision 2) still merges.
MAX_WINDOW_DAYS = 14
# A report must score this much to join a group: same type (1) and an
# overlapping window (0.5) and a place within range (0.5-1), or a shared actor
# or site standing in for a place the report does not name.
MIN_SCORE = 2.0
# Two reports naming different actors, and no shared site: below MIN_SCORE
# even with the same type, day and town (1 + 1 + 1 + 0.25 - 1.5 = 1.75).
ACTOR_CONFLICT_PENALTY = 1.5
# Actors that name no one in particular: they never conflict with a named actor.
GENERIC_ACTOR = re.compile(r"^(Unidentified|Civilians|Protesters|Rioters)\b")
# Modalities that can describe one happening: a claim and its denial.
_MODALITY_GROUP = {"actual": "actual", "negated": "actual"}

_FACILITIES = ("market|marketplace|bazaar|mosque|church|shrine|hospital|clinic|school|university|checkpoint|"
               "square|bridge|camp|base|airport|station|hotel|restaurant|cafe|stadium|prison|courthouse")
_NAME = r"(?:(?:al|el|Al|El)-)?[A-Z][\w'’-]+"
_SITE_BEFORE = re.compile(rf"\b({_NAME}(?:\s+{_NAME}){{0,2}})\s+(?:{_FACILITIES})s?\b")
_SITE_AFTER = re.compile(rf"\b(?:{_FACILITIES})s?\s+(?:of|in|at|called|known as)\s+({_NAME}(?:\s+{_NAME}){{0,2}})")
_NOT_A_SITE_NAME = frozenset(
    "the a an this that its their his her our one two three another main central old new local "
    "monday tuesday wednesday thursday friday saturday sunday january february march april may june july "
    "august september october november december iraqi syrian afghan kurdish turkish israeli palestinian "
    "yemeni libyan somali nigerian government army police security military coalition islamic rebel "
    "state city".split()
)


@dataclass(frozen=True)
class Profile:
    """What matching needs to know of one report or of a merged group of reports."""

    event_types: frozenset[str]
    sub_event_types: frozenset[str]
    modality_group: str
    start: int | None  # date ordinals of the window, None when undated
    end: int | None
    precise: bool  # a single day
    latitude: float | None
    longitude: float | None
    geo_precision: int  # 1-3, 4 when unknown
    country: str | None
    admin1: str | None
    actor1s: frozenset[str]  # named (non-generic) actor1 values
    actors: frozenset[str]  # every named actor
    sites: frozenset[str]  # named markets, mosques, checkpoints...
    articles: frozenset[str]
    fatalities: tuple[int, int] | None  # (lowest, highest) figure reported

    @property
    def days(self) -> range:
        return range(self.start, self.end + 1) if self.start is not None and self.end is not None else range(0)

    @property
    def mergeable(self) -> bool:
        return (self.start is not None and self.end is not None and self.end - self.start + 1 <= MAX_WINDOW_DAYS
                and self.country is not None)


def _ordinal(iso: str | None) -> int | None:
    try:
        return date.fromisoformat(iso).toordinal() if iso else None
    except ValueError:
        return None


def _named(actor: str | None) -> bool:
    return bool(actor) and not GENERIC_ACTOR.match(actor or "")


def site_names(text: str, sentences: Iterable[tuple[int, int]], places: Iterable[str | None] = ()) -> frozenset[str]:
    """Names of specific sites ("Hurriya market", "mosque of al-Nuri") in the event sentences.
    Place names the report resolved (its town, province, country) are not sites."""
    skip = {p.lower() for p in places if p}
    found: set[str] = set()
    for start, end in sentences:
        sentence = text[start:end]
        for match in (*_SITE_BEFORE.finditer(sentence), *_SITE_AFTER.finditer(sentence)):
            words = [re.sub(r"['’]s$", "", w) for w in match.group(1).split()]
            words = [w for w in words if w.lower() not in _NOT_A_SITE_NAME and w.lower() not in skip]
            name = " ".join(words).lower()
            if name and name not in skip:
                found.add(re.sub(r"^(al|el)-", "", name))
    return frozenset(found)


def report_window(event: Event, published: str | None) -> tuple[int | None, int | None]:
    """The event's date window; an undated report is placed in the three days
    before its publication, as news reports events of the last day or two."""
    start, end = _ordinal(event.date_start or event.event_date), _ordinal(event.date_end or event.event_date)
    if start is None:
        pub = _ordinal(published)
        return (pub - 2, pub) if pub is not None else (None, None)
    return start, end if end is not None else start


def report_profile(event: Event, sites: frozenset[str] = frozenset(), published: str | None = None) -> Profile:
    start, end = report_window(event, published)
    has_point = event.latitude is not None and (event.location is not None or event.admin1 is not None)
    figures = _figures(event)
    return Profile(
        event_types=frozenset({event.event_type}),
        sub_event_types=frozenset({event.sub_event_type}),
        modality_group=_MODALITY_GROUP.get(event.modality, event.modality),
        start=start,
        end=end,
        precise=start is not None and start == end and event.event_date is not None,
        latitude=event.latitude if has_point else None,
        longitude=event.longitude if has_point else None,
        geo_precision=(event.geo_precision or 4) if has_point else 4,
        country=event.country,
        admin1=event.admin1,
        actor1s=frozenset({event.actor1} if _named(event.actor1) else ()),
        actors=frozenset(a for a in (event.actor1, event.actor2) if a and _named(a)),
        sites=sites,
        articles=frozenset({event.article_id}),
        fatalities=figures,
    )


def _figures(event: Event) -> tuple[int, int] | None:
    if event.modality != "actual" or (event.fatalities == 0 and event.fatalities_low is None):
        return None
    low = event.fatalities_low if event.fatalities_low is not None else event.fatalities
    high = event.fatalities_high if event.fatalities_high is not None else event.fatalities
    return min(low, event.fatalities), max(high, event.fatalities)


def join(group: Profile, new: Profile) -> Profile:
    """The group after ``new`` joined: the narrower window, the more precise place, every name."""
    narrower = new.start is not None and (group.start is None or (new.end or 0) - new.start < (group.end or 0) - group.start)
    closer = new.geo_precision < group.geo_precision
    figures = [f for f in (group.fatalities, new.fatalities) if f]
    return replace(
        group,
        event_types=group.event_types | new.event_types,
        sub_event_types=group.sub_event_types | new.sub_event_types,
        start=new.start if narrower else group.start,
        end=new.end if narrower else group.end,
        precise=group.precise or new.precise,
        latitude=new.latitude if closer else group.latitude,
        longitude=new.longitude if closer else group.longitude,
        geo_precision=new.geo_precision if closer else group.geo_precision,
        admin1=group.admin1 or new.admin1,
        actor1s=group.actor1s | new.actor1s,
        actors=group.actors | new.actors,
        sites=group.sites | new.sites,
        articles=group.articles | new.articles,
        fatalities=(min(f[0] for f in figures), max(f[1] for f in figures)) if figures else None,
    )


def _type_score(group: Profile, new: Profile) -> float | None:
    if new.event_types & group.event_types:
        return 1.0
    pairs = {frozenset({a, b}) for a in group.event_types for b in new.event_types}
    return 0.5 if pairs & COMPATIBLE_TYPES else None


def _date_score(group: Profile, new: Profile) -> float | None:
    assert group.start is not None and group.end is not None and new.start is not None and new.end is not None
    if new.start > group.end or group.start > new.end:
        return None  # ACLED: one event per day per place; Monday's clash is not Wednesday's
    return 1.0 if group.precise and new.precise else 0.5


def _place_score(group: Profile, new: Profile) -> float | None:
    if group.country != new.country:
        return None
    if group.latitude is None or new.latitude is None or group.longitude is None or new.longitude is None:
        return 0.0  # same country, place unknown on one side: needs another signal
    precision = max(group.geo_precision, new.geo_precision, 1)
    if precision >= 3 and group.admin1 and new.admin1 and group.admin1 == new.admin1:
        return 0.5
    km = haversine_km(group.latitude, group.longitude, new.latitude, new.longitude)
    limit = PLACE_KM.get(precision, PLACE_KM[3])
    if km > limit:
        return None
    return 1.0 - 0.5 * km / limit if precision == 1 else 0.5


def _actors_conflict(group: Profile, new: Profile) -> bool:
    """Both name who acted, and neither's actor appears in the other's reports."""
    return bool(group.actor1s and new.actor1s and not (group.actor1s & new.actors) and not (new.actor1s & group.actors))


def _different_sides(group: Profile, new: Profile) -> bool:
    """Army against IS here, Peshmerga against the PKK there: two fights."""
    return len(group.actors) >= 2 and len(new.actors) >= 2 and not group.actors & new.actors


def score(group: Profile, new: Profile) -> float | None:
    """How well ``new`` fits ``group``: None when they cannot be one event."""
    if group.modality_group != new.modality_group or not (group.mergeable and new.mergeable):
        return None
    if group.articles & new.articles:
        return None  # the article itself coded them as two events
    if group.sites and new.sites and not group.sites & new.sites:
        return None  # two markets: two bombings
    if _different_sides(group, new):
        return None
    parts = (_type_score(group, new), _date_score(group, new), _place_score(group, new))
    if any(p is None for p in parts):
        return None
    total = sum(p for p in parts if p is not None)
    if group.actors & new.actors:
        total += 0.5
    elif _actors_conflict(group, new):
        # Only a penalty: coders mistake the source ("police said") for the
        # actor, so a named site or an agreeing toll can outweigh it.
        total -= ACTOR_CONFLICT_PENALTY
    if group.sites & new.sites:
        total += 1.0
    if group.sub_event_types & new.sub_event_types:
        total += 0.25
    if group.fatalities and new.fatalities:
        # Agreeing tolls support one event; 3 dead beside 12-15 dead points at
        # another, but tolls rise, so it only lowers the score.
        total += 0.25 if _figures_agree(group.fatalities, new.fatalities) else -0.5
    return total if total >= MIN_SCORE else None


def _figures_agree(a: tuple[int, int], b: tuple[int, int]) -> bool:
    # Tolls rise as bodies are found; within a factor of two they may be one toll.
    return a[0] <= 2 * b[1] and b[0] <= 2 * a[1]


# --- the canonical record ---------------------------------------------------

def _window_days(event: Event) -> int:
    start, end = _ordinal(event.date_start or event.event_date), _ordinal(event.date_end or event.event_date)
    return (end - start) if start is not None and end is not None else 10_000


def _most_common(values: Sequence[str]) -> str | None:
    return Counter(values).most_common(1)[0][0] if values else None


def combine(event_id: str, reports: Sequence[Event], sources: Sequence[Source]) -> Event:
    """One canonical event from its reports: every source and piece of evidence,
    the most precise date and place, ACLED's conservative fatality figure with
    the range the credible reports span, and disagreement left visible."""
    if not reports:
        raise ValueError("combine needs at least one report")
    reports = sorted(reports, key=lambda r: r.event_id)
    actual = [r for r in reports if r.modality == "actual"] or list(reports)
    event_type = _most_common([r.event_type for r in actual]) or reports[0].event_type
    typed = [r for r in actual if r.event_type == event_type]
    sub_event = _most_common([r.sub_event_type for r in typed])
    typed_sub = next(r for r in typed if r.sub_event_type == sub_event)
    actor1 = _most_common([r.actor1 for r in typed if r.actor1 and _named(r.actor1)])
    by_actor = max(typed, key=lambda r: (r.actor1 == actor1, _named(r.actor1) + _named(r.actor2),
                                         r.actor1 is not None, r.confidence))
    dated = min(reports, key=lambda r: (r.event_date is None, r.time_precision or 5, _window_days(r), -r.confidence))
    placed = min(reports, key=lambda r: (r.latitude is None, r.geo_precision or 4, -r.confidence))
    counted = [r for r in actual if r.fatalities > 0 or r.fatalities_low is not None]
    attributions = list(dict.fromkeys(r.attribution for r in reports if r.attribution))
    modalities = Counter(r.modality for r in reports)
    merged = replace(
        reports[0],
        event_id=event_id,
        disorder_type=typed_sub.disorder_type,
        event_type=event_type,
        sub_event_type=typed_sub.sub_event_type,
        actor1=by_actor.actor1, actor2=by_actor.actor2,
        assoc_actor_1=by_actor.assoc_actor_1, assoc_actor_2=by_actor.assoc_actor_2,
        inter1=by_actor.inter1, inter2=by_actor.inter2, interaction=by_actor.interaction,
        civilian_targeting=sum(r.civilian_targeting for r in typed) * 2 > len(typed),
        event_date=dated.event_date, date_start=dated.date_start, date_end=dated.date_end,
        time_precision=dated.time_precision,
        country=placed.country, iso3=placed.iso3, admin1=placed.admin1, admin2=placed.admin2,
        location=placed.location, latitude=placed.latitude, longitude=placed.longitude,
        geo_precision=placed.geo_precision, geonameid=placed.geonameid,
        # ACLED: when reports conflict, the lowest credible figure.
        fatalities=min(r.fatalities for r in counted) if counted else 0,
        fatalities_low=min(r.fatalities_low if r.fatalities_low is not None else r.fatalities for r in counted)
        if counted else None,
        fatalities_high=max(max(r.fatalities_high or 0, r.fatalities) for r in counted) if counted else None,
        modality="actual" if modalities["actual"] else modalities.most_common(1)[0][0],
        attribution="; ".join(attributions) or None,
        hedged=all(r.hedged for r in actual),
        sources=tuple(sorted(set(sources), key=lambda s: (s.published or "", s.article_id))),
        evidence=_all_evidence(reports),
        confidence=_confidence(reports),
        null_reasons=_null_reasons(reports),
    )
    return replace(merged, notes=_notes(merged, reports))


def _all_evidence(reports: Sequence[Event]) -> tuple[Evidence, ...]:
    return tuple(dict.fromkeys(ev for r in sorted(reports, key=lambda r: (r.article_id, r.event_id))
                               for ev in r.evidence))


def _confidence(reports: Sequence[Event]) -> float:
    # Independent reports each leave some doubt; together they leave less.
    doubt = math.prod(1.0 - r.confidence for r in reports)
    return round(min(1.0, max(max(r.confidence for r in reports), 1.0 - doubt)), 3)


def _null_reasons(reports: Sequence[Event]) -> tuple[tuple[str, str], ...]:
    reasons: dict[str, str] = {}
    for r in reports:
        for name, why in r.null_reasons:
            reasons.setdefault(name, why)
    return tuple(sorted(reasons.items()))


def _notes(event: Event, reports: Sequence[Event]) -> str:
    from ..stages.extract import describe

    note = describe(event)
    if len(reports) == 1:
        return note
    parts = [f"{len(reports)} reports"]
    counted = sorted({r.fatalities for r in reports if r.modality == "actual" and r.fatalities})
    if len(counted) > 1:
        parts.append(f"fatality figures differ ({', '.join(map(str, counted))})")
    denied = [r.attribution or "a source" for r in reports if r.modality == "negated"]
    if denied:
        parts.append(f"denied by {', '.join(dict.fromkeys(denied))}")
    claimed = [r.attribution for r in reports if r.modality == "actual" and r.hedged and r.attribution]
    if claimed and denied:
        parts.append(f"claimed by {', '.join(dict.fromkeys(claimed))}")
    return f"{note} {'; '.join(parts).capitalize()}."
