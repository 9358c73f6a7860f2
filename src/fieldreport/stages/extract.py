"""Annotated article -> coded events: one pass over the event sentences.

Detection proposes one candidate per sentence; each candidate's fields are
filled by the field stages (roles, modality, date, place, fatalities) from its
own sentence first, then from the article's lead. Candidates that describe the
same happening (same type and modality, no conflicting date or place of their
own) are folded into one event, keeping every piece of evidence.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass, field, replace
from typing import Any

from ..gazetteer import haversine_km
from ..records import (
    ActorMention, Article, Coded, DateResolution, Event, EventCandidate, Evidence,
    Fatalities, Place, Source, Span,
)
from ..resources import Resources
from .actors import assign_roles, inter_label, interaction_code
from .claims import claimant, credit_claimant
from .classify import refine_candidates
from .dates import REPORTING_DAY, find_date_expressions, parse_published, resolve_event_date
from .events import detect_events, disorder_type, vetoed_sentences
from .fatalities import extract_fatalities
from .modality import FOILING_LEMMAS, classify_modality
from .location import locate_event
from .places import actor_country_hints, find_places
from .victims import total_fatalities


@dataclass(frozen=True)
class Annotated:
    article: Article
    doc: Any  # spacy.tokens.Doc over article.text
    sentences: tuple[Span, ...]
    actors: tuple[ActorMention, ...]
    places: tuple[Place, ...]


def annotate(article: Article, resources: Resources) -> Annotated:
    doc = resources.nlp(article.text)
    sentences = tuple(Span(s.start_char, s.end_char).strip(article.text) for s in doc.sents)
    actors = tuple(resources.actors.find(article.text))
    hints = actor_country_hints(resources.gazetteer, (m.country for m in actors))
    return Annotated(
        article=article,
        doc=doc,
        sentences=sentences,
        actors=actors,
        places=tuple(find_places(doc, resources.gazetteer, actor_hints=hints)),
    )


@dataclass
class _Draft:
    """Mutable only inside this module while one article's events are assembled."""

    candidate: EventCandidate
    modality: Any
    date: DateResolution
    date_own: bool
    location: Any
    place_own: bool
    roles: Any
    fatalities: list[Fatalities] = field(default_factory=list)
    sentences: list[EventCandidate] = field(default_factory=list)


def _inside(span: Span, outer: Span) -> bool:
    return outer.start <= span.start and span.end <= outer.end


def _dominant_country(places: tuple[Place, ...]) -> str | None:
    counts = Counter(p.country for p in places if p.country)
    return counts.most_common(1)[0][0] if counts else None


# The headline, dateline, lede and the next paragraph: where a news article
# states its main event's date and place. Later sentences inherit from here.
LEAD_SENTENCES = 4
# A secondary sentence is only its own event when it names its own date, or its
# own place with a strong trigger or a death count; anything else is detail of
# an event already coded (ACLED: shelling inside a battle is part of the battle).
STRONG_TRIGGER = 0.75
# Reports of one event name the town and places up to a district away.
SAME_PLACE_KM = 50.0


REPORT_DATE = "the text names no date: coded at the report's publication date"


@dataclass(frozen=True)
class _Lead:
    sentences: tuple[Span, ...]
    date: DateResolution
    # An undated report's own date, for its actual events; None when the text
    # names any date at all (then an undated event may be anything older).
    report_date: DateResolution | None = None
    # The armed group the article says claimed an attack ("The TTP claimed responsibility").
    claim: ActorMention | None = None


def _lead(ann: Annotated) -> _Lead:
    sentences = ann.sentences[:LEAD_SENTENCES]
    claim = claimant(ann.article.text, ann.actors)
    for sentence in sentences:
        found = resolve_event_date(ann.article.text, sentence, ann.article.published, None)
        if found.event_date is not None:
            return _Lead(sentences, found, claim=claim)
    return _Lead(sentences, DateResolution(None, None, None, None, None, "no date in the lead"),
                 report_date(ann.article.text, ann.article.published), claim)


def report_date(text: str, published: str | None) -> DateResolution | None:
    """The publication date, for a report that names no date at all.

    Headlines and briefs ("Clashes in the Eastern Ghouta") tell of the news
    of the day; a report of anything older says when. Coded at week
    precision (2), the window the publication day itself, and without a date
    evidence span, so the record shows the date was not read in the text.
    """
    pub = parse_published(published)
    if pub is None or find_date_expressions(text, Span(0, len(text))):
        return None
    day = pub.isoformat()
    return DateResolution(day, day, day, 2, span=None, reason=REPORT_DATE)


def _draft(ann: Annotated, cand: EventCandidate, lead: _Lead, resources: Resources) -> _Draft:
    text, published = ann.article.text, ann.article.published
    modality = classify_modality(ann.doc, cand.sentence, cand.label_span)
    date = resolve_event_date(text, cand.sentence, published, cand.trigger)
    if date.span is not None and _in_other_modifier_clause(ann.doc, date.span, cand.trigger):
        date = DateResolution(None, None, None, None, None, "date belongs to another clause")
    # The day a ministry "on Sunday denied" the strike is no date of the strike's
    # own: another sentence may give it ("on Saturday"), and then they are one event.
    date_own = date.event_date is not None and not (date.reason or "").startswith(REPORTING_DAY)
    if date_own and modality.modality == "actual" and _after_publication(date, published):
        # "next week": whatever the verb says, it has not happened yet.
        modality = replace(modality, modality="forecast", span=date.span)
    if not date_own and lead.date.event_date is not None:
        date = lead.date
    elif not date_own and lead.report_date is not None and modality.modality == "actual":
        date = lead.report_date
    context = tuple(s for s in lead.sentences if s.start != cand.sentence.start)
    location = locate_event(text, cand.sentence, cand.trigger, ann.places, context)
    place_own = location.span is not None and _inside(location.span, cand.sentence)
    country = (location.place.country if location.place else None) or _dominant_country(ann.places)
    mentions = [m for m in ann.actors if _inside(Span(m.start, m.end), cand.sentence)]
    roles = assign_roles(ann.doc, cand.sentence, cand.trigger, mentions, cand.sub_event_type, country,
                         periods=resources.actors.state_force_periods)
    roles = credit_claimant(roles, cand.event_type, lead.claim, country, resources.actors.state_force_periods)
    found = extract_fatalities(text, cand.sentence)
    if (modality.modality == "negated" and cand.event_type == "Battles" and found is not None and found.best
            and _foiling(ann.doc, modality.span)):
        # "troops foiled an attack on the checkpoint, killing two militants": the
        # attack was fought off, so the fight happened (a bomb that was stopped
        # did not go off, whoever died).
        modality = replace(modality, modality="actual", span=None)
    return _Draft(cand, modality, date, date_own, location, place_own, roles,
                  [found] if found else [], [cand])


def _foiling(doc: Any, cue: Span | None) -> bool:
    """Is the negation cue a word for an attempt stopped ("foiled", "thwarted")?"""
    span = doc.char_span(cue.start, cue.end, alignment_mode="expand") if cue is not None else None
    return span is not None and any(t.lemma_.lower() in FOILING_LEMMAS for t in span)


def _after_publication(date: DateResolution, published: str | None) -> bool:
    return bool(published and date.date_start and date.date_start > published[:10])


def _km(a: Place, b: Place) -> float:
    assert a.latitude is not None and a.longitude is not None
    assert b.latitude is not None and b.longitude is not None
    return haversine_km(a.latitude, a.longitude, b.latitude, b.longitude)


def same_place(a: Place | None, b: Place | None) -> bool:
    """Could two place codings describe one event? A province holds its towns;
    towns within SAME_PLACE_KM of each other may be one event's surroundings."""
    if a is None or b is None or a.geonameid == b.geonameid:
        return True
    if a.country != b.country:
        return False
    if "country" in (a.feature, b.feature):
        return True
    if "admin1" in (a.feature, b.feature):
        return a.admin1 == b.admin1
    if a.latitude is None or b.latitude is None:
        return False
    return _km(a, b) <= SAME_PLACE_KM


def _windows_overlap(a: DateResolution, b: DateResolution) -> bool:
    if not (a.date_start and b.date_start):
        return True
    return a.date_start <= (b.date_end or b.date_start) and b.date_start <= (a.date_end or a.date_start)


# A demonstration is coded by the most force used at it: peaceful, then the
# police intervening, then lethal force; protesters' own violence makes it a
# riot (ACLED codes a demonstration that turned violent as one).
PROTEST_SEVERITY = {"Peaceful protest": 0, "Protest with intervention": 1,
                    "Excessive force against protesters": 2, "Violent demonstration": 3}


def _one_demonstration(group: _Draft, new: _Draft) -> bool:
    """A protest and a riot the same article reports together are one demonstration."""
    return {group.candidate.sub_event_type, new.candidate.sub_event_type} <= PROTEST_SEVERITY.keys()


def _escalates(group_sub: str, new_sub: str) -> bool:
    return group_sub in PROTEST_SEVERITY and PROTEST_SEVERITY.get(new_sub, -1) > PROTEST_SEVERITY[group_sub]


def _compatible(group: _Draft, new: _Draft) -> bool:
    if group.candidate.event_type != new.candidate.event_type and not _one_demonstration(group, new):
        return False
    if group.modality.modality != new.modality.modality:
        return False
    if new.date_own and group.date_own and not _windows_overlap(group.date, new.date):
        return False
    if new.place_own and group.place_own and not same_place(group.location.place, new.location.place):
        return False
    return True


def _stands_alone(draft: _Draft, groups: list[_Draft]) -> bool:
    """Is a sentence that fits no coded event an event of its own?"""
    if not groups:
        return True
    if draft.date_own and (draft.date.time_precision or 4) <= 3:
        return all(not _windows_overlap(g.date, draft.date) or g.candidate.event_type
                   != draft.candidate.event_type for g in groups)
    if draft.place_own and draft.modality.modality == "actual":
        strong = draft.candidate.score >= STRONG_TRIGGER or bool(draft.fatalities)
        elsewhere = all(not same_place(g.location.place, draft.location.place) for g in groups)
        return strong and elsewhere
    return False


_MODIFIER_CLAUSES = frozenset({"acl", "relcl", "appos"})


def _token_at(doc: Any, offset: int) -> Any:
    span = doc.char_span(offset, offset + 1, alignment_mode="expand")
    return span[0] if span is not None and len(span) else None


def _in_other_modifier_clause(doc: Any, span: Span, trigger: Span) -> bool:
    """"the paramilitary units formed last summer": a date inside a clause that
    modifies some other noun dates that noun, not the event."""
    token, event_word = _token_at(doc, span.start), _token_at(doc, trigger.start)
    if token is None or event_word is None:
        return False
    node = token
    while node.head.i != node.i:
        if node.dep_ in _MODIFIER_CLAUSES:
            inside = node.left_edge.idx <= trigger.start < node.right_edge.idx + len(node.right_edge.text)
            # "shot dead four farmers who had gone to their fields on Monday": the
            # clause describes the event's own victims, so its date is the event's.
            noun = node.head
            own_argument = noun.i == event_word.i or noun.head.i == event_word.i
            if not inside and not own_argument:
                return True
        node = node.head
    return False


_ANAPHORIC_DETERMINERS = frozenset({"the", "this", "that", "these", "those", "its", "their"})


def _anaphoric(doc: Any, trigger: Span) -> bool:
    """"the fighting", "the blast", "Thursday's attack": a definite event noun
    refers back to an event the article already reported."""
    token = _token_at(doc, trigger.start)
    if token is None or token.pos_ not in {"NOUN", "PROPN"}:
        return False
    for child in token.children:
        if child.dep_ == "det" and child.lower_ in _ANAPHORIC_DETERMINERS:
            return True
        if child.dep_ == "poss":
            return True
    return False


def _precision(location: Any) -> int:
    return location.geo_precision or 4


def _fold(group: _Draft, new: _Draft, anaphor: bool = False, in_lead: bool = False) -> None:
    """Add a sentence's evidence to an event. An anaphor ("the fighting") adds its
    death count and evidence but never re-types or re-places the event. Only the
    lead may re-type it (background later on, "thousands were abducted in 2014",
    describes other happenings of the same kind), except that a demonstration
    takes the most force any sentence reports at it."""
    group.sentences.append(new.candidate)
    group.fatalities.extend(new.fatalities)
    if anaphor:
        return
    if _escalates(group.candidate.sub_event_type, new.candidate.sub_event_type):
        group.candidate, group.roles = replace(new.candidate, sentence=group.candidate.sentence), new.roles
    elif in_lead and new.candidate.score > group.candidate.score:
        group.candidate = replace(new.candidate, sentence=group.candidate.sentence)
    if new.date_own and (not group.date_own or (new.date.time_precision or 4) < (group.date.time_precision or 4)):
        group.date, group.date_own = new.date, True
    if new.place_own and (not group.place_own or _precision(new.location) < _precision(group.location)):
        group.location, group.place_own = new.location, True
    if group.roles.actor1 is None and new.roles.actor1 is not None:
        group.roles = new.roles


def extract_events(ann: Annotated, resources: Resources) -> Coded:
    candidates = refine_candidates(ann.doc, detect_events(ann.doc, resources.lexicon), resources.classifier,
                                   vetoed_sentences(ann.doc, resources.lexicon))
    if not candidates:
        return Coded(article=ann.article, events=(), places=ann.places)
    lead = _lead(ann)
    groups: list[_Draft] = []
    for cand in candidates:
        cand = replace(cand, sentence=cand.sentence.strip(ann.article.text))
        draft = _draft(ann, cand, lead, resources)
        home = next((g for g in groups if _compatible(g, draft)), None)
        anaphor = home is None and bool(groups) and not draft.date_own and _anaphoric(ann.doc, cand.trigger)
        if anaphor:
            home = next((g for g in reversed(groups) if g.modality.modality == draft.modality.modality), None)
        if home is not None:
            _fold(home, draft, anaphor, in_lead=cand.sentence.start < lead.sentences[-1].end)
        elif _stands_alone(draft, groups):
            groups.append(draft)
    events = tuple(_to_event(ann.article, g) for g in groups)
    return Coded(article=ann.article, events=events, places=ann.places)


def _evidence(article: Article, name: str, span: Span | None) -> list[Evidence]:
    if span is None:
        return []
    return [Evidence(name, article.article_id, span.start, span.end, article.text[span.start : span.end])]


def _to_event(article: Article, g: _Draft) -> Event:
    cand, roles, loc, date, mod = g.candidate, g.roles, g.location, g.date, g.modality
    place: Place | None = loc.place
    fat = total_fatalities(g.fatalities, article.text) if g.fatalities else None
    evidence: list[Evidence] = []
    for sentence_cand in g.sentences:
        evidence += _evidence(article, "event", sentence_cand.sentence)
    evidence += _evidence(article, "event_type", cand.label_span)
    evidence += _evidence(article, "sub_event_type", cand.label_span)
    evidence += _evidence(article, "actor1", roles.actor1_span)
    evidence += _evidence(article, "actor2", roles.actor2_span)
    evidence += _evidence(article, "event_date", date.span)
    evidence += _evidence(article, "location", loc.span)
    evidence += _evidence(article, "fatalities", fat.span if fat else None)
    evidence += _evidence(article, "modality", mod.span)
    evidence += _evidence(article, "attribution", mod.attribution_span)

    nulls: list[tuple[str, str]] = []
    if date.event_date is None:
        nulls.append(("event_date", date.reason or "no date in the text"))
    if place is None or place.latitude is None:
        nulls.append(("location", loc.reason or "no place in the text"))
    if roles.actor1 is None:
        nulls.append(("actor1", "no actor named for this event"))
    cat1, cat2 = roles.inter1, roles.inter2
    event = Event(
        event_id=hashlib.sha256(
            f"{article.article_id}|{cand.sentence.start}|{cand.event_type}".encode()
        ).hexdigest()[:16],
        article_id=article.article_id,
        disorder_type=disorder_type(cand.event_type, cand.sub_event_type),
        event_type=cand.event_type,
        sub_event_type=cand.sub_event_type,
        actor1=roles.actor1,
        actor2=roles.actor2,
        assoc_actor_1=tuple(roles.assoc_actor_1),
        assoc_actor_2=tuple(roles.assoc_actor_2),
        inter1=inter_label(cat1) if cat1 else None,
        inter2=inter_label(cat2) if cat2 else None,
        interaction=interaction_code(cat1, cat2),
        civilian_targeting=bool(roles.civilian_targeting),
        event_date=date.event_date,
        date_start=date.date_start,
        date_end=date.date_end,
        time_precision=date.time_precision,
        country=place.country if place else None,
        iso3=place.iso3 if place else None,
        admin1=place.admin1 if place else None,
        admin2=place.admin2 if place else None,
        location=(place.location if place and place.feature != "country" else None),
        latitude=place.latitude if place else None,
        longitude=place.longitude if place else None,
        geo_precision=loc.geo_precision,
        geonameid=place.geonameid if place else None,
        fatalities=fat.best if fat else 0,
        fatalities_low=fat.low if fat else None,
        fatalities_high=fat.high if fat else None,
        modality=mod.modality,
        attribution=mod.attribution,
        hedged=bool(mod.hedged),
        sources=(Source(article.article_id, article.url, article.title, article.publisher, article.published),),
        evidence=tuple(evidence),
        null_reasons=tuple(nulls),
    )
    return replace(event, notes=describe(event), confidence=_confidence(cand.score, event))


def describe(event: Event) -> str:
    """A one-sentence description built only from coded fields."""
    who = event.actor1 or "An unidentified actor"
    against = f" against {event.actor2}" if event.actor2 else ""
    where = event.location or event.admin1 or event.country or "an unknown place"
    read = any(e.field == "event_date" for e in event.evidence)
    when = (f"On {event.event_date}, " if read else f"Reported {event.event_date}, ") if event.event_date else ""
    dead = f"; {event.fatalities} reported fatalities" if event.fatalities else ""
    prefix = "" if event.modality == "actual" else f"[{event.modality}] "
    return f"{prefix}{when}{who}: {event.sub_event_type.lower()}{against} in {where}{dead}."


def _confidence(score: float, event: Event) -> float:
    value = score
    if event.latitude is None:
        value *= 0.8
    if event.event_date is None:
        value *= 0.85
    if event.actor1 is None:
        value *= 0.9
    if event.hedged:
        value *= 0.9
    return round(max(0.0, min(1.0, value)), 3)
