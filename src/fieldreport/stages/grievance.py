"""What a protest is about is not what happened at it.

"Students marched to demand the release of activists arrested last week" is a
peaceful march: the arrests are its grievance, an earlier event the marchers
name. So are "protested against the killing of civilians in a drone strike",
"a sit-in in protest at the arrest of a cleric" and "rallied to mourn
demonstrators killed last month". A trigger word inside such a grievance says
nothing about the protest's own sub-event (no intervention, no excessive
force) and is no separate event of the sentence either: the sentence reports
the protest.

The grievance is read off the dependency parse: the object or clause of a
grievance verb (demand, condemn, mourn, ...) that a protest governs, or a
phrase "against / over / at / about" hung on a protest word.
"""

from __future__ import annotations

from typing import Any

# Words that make a clause a protest: the act, its actors, the street.
PROTEST_LEMMAS = frozenset({
    "protest", "protester", "protestor", "demonstrate", "demonstration", "demonstrator", "rally",
    "march", "marcher", "sit", "vigil", "picket", "hartal", "bandh", "dharna", "street", "mourner",
    "crowd", "gather", "gathering", "chant", "slogan", "placard", "banner",
})
# Verbs and nouns whose object is what protesters want or denounce.
GRIEVANCE_LEMMAS = frozenset({
    "demand", "condemn", "denounce", "decry", "mourn", "oppose", "protest", "criticise", "criticize",
    "slam", "commemorate", "honour", "honor", "remember", "seek", "urge", "call", "press", "voice",
    "express", "demonstrate", "rally", "march", "chant", "condemnation", "denunciation",
})
GRIEVANCE_PREPS = frozenset({"against", "over", "about", "for"})
# "at" names where a protest is ("rallied at the square where police used tear
# gas") except after "in protest" ("in protest at the arrest").
IDIOM_PREPS = GRIEVANCE_PREPS | {"at"}
# How a grievance verb hangs on the protest: its purpose, a participle, a conjunct.
CLAUSE_DEPS = frozenset({"xcomp", "advcl", "acl", "relcl", "conj", "ROOT", "pcomp"})
OBJECT_DEPS = frozenset({"dobj", "obj", "xcomp", "attr"})


def _is_protest(token: Any) -> bool:
    return token.lemma_.lower() in PROTEST_LEMMAS or token.lower_ in PROTEST_LEMMAS


def _protest_governed(verb: Any, via: Any) -> bool:
    """The grievance verb is itself a protest word, or hangs on one: its head,
    a sibling or the head's other children ("took to the streets to mourn",
    "protesters demanding", "students marched ... to demand"). ``via`` is the
    child holding the grievance, which never counts ("condemned the killing of
    protesters" is no protest)."""
    if _is_protest(verb):
        return True
    if verb.dep_ not in CLAUSE_DEPS:
        return False
    skip = {t.i for t in via.subtree} | {verb.i}
    # The head and, since the parser often hangs a purpose clause on a nearby
    # noun ("took to the streets in Kampala and other areas to decry"), its head.
    heads = {verb.head.i: verb.head, verb.head.head.i: verb.head.head}.values()
    near = [t for head in heads for c in (head, *head.children) if c.i not in skip
            for t in (c, *c.children)]
    return any(_is_protest(t) for t in near if t.i not in skip)


def _in_protest_idiom(head: Any) -> bool:
    """"in protest" hung on the verb: its sibling "at / over / against" phrase is
    the grievance ("staged a sit-in in protest at the arrest")."""
    return any(c.lower_ == "in" and any(g.lemma_.lower() == "protest" for g in c.children) for c in head.children)


def _has_mark(clause: Any) -> bool:
    """A clause the grievance verb introduces ("demanded that troops leave");
    without "that" the parser's ccomp is often the main event misattached
    ("Protesters calling for X were dispersed by police")."""
    return any(c.dep_ == "mark" for c in clause.children)


def in_grievance(token: Any) -> bool:
    """``token`` lies in what a protest in its sentence demands or denounces."""
    child = token
    while child.head.i != child.i:
        head = child.head
        if child.dep_ == "prep" and ((child.lower_ in GRIEVANCE_PREPS and _is_protest(head))
                                     or (child.lower_ in IDIOM_PREPS and _in_protest_idiom(head))):
            return True
        object_like = (child.dep_ in OBJECT_DEPS or (child.dep_ == "prep" and child.lower_ in GRIEVANCE_PREPS)
                       or (child.dep_ == "ccomp" and _has_mark(child)))
        if object_like and head.lemma_.lower() in GRIEVANCE_LEMMAS and _protest_governed(head, child):
            return True
        child = head
    return False
