"""Adding up death counts across sentences of one event.

One article often reports deaths by group ("five soldiers were killed ...
17 militants died") and elsewhere restates a total ("the fighting killed 22
people", "the toll rose to 25"). Counts of different groups add up; counts of
the same group, or totals, are rival figures for one number and follow ACLED's
conservative rule (``combine_fatalities``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..records import Fatalities, Span
from .fatalities import combine_fatalities

# Checked in this order: "Peshmerga fighters" are forces, not militants.
VICTIM_GROUPS: tuple[tuple[str, frozenset[str]], ...] = (
    ("forces", frozenset(
        "soldier soldiers troops trooper troopers policeman policemen policewoman officer officers guard "
        "guards personnel servicemen serviceman peshmerga conscript conscripts commander commanders "
        "paramilitaries paramilitary recruits cadets".split())),
    ("combatants", frozenset(
        "militant militants fighter fighters jihadist jihadists insurgent insurgents attacker attackers "
        "rebel rebels gunman gunmen terrorist terrorists extremists bomber bombers".split())),
    ("civilians", frozenset(
        "civilian civilians residents children child women woman villagers worshippers farmers shoppers "
        "passengers students pilgrims protesters demonstrators journalists shepherds".split())),
)
_WORD = re.compile(r"[A-Za-z]+")
# The victim noun sits inside the count's span or just after it ("killing five soldiers").
_LOOKAHEAD = 40


def victim_group(text: str, span: Span | None) -> str | None:
    if span is None:
        return None
    after = re.split(r"[.;:!?\n]", text[span.end : span.end + _LOOKAHEAD], maxsplit=1)[0]
    words = {w.lower() for w in _WORD.findall(text[span.start : span.end] + " " + after)}
    for name, nouns in VICTIM_GROUPS:
        if words & nouns:
            return name
    return None


def total_fatalities(items: Sequence[Fatalities], text: str) -> Fatalities:
    """Sum the conservative figure of each victim group; a stated total competes
    with that sum under the conservative rule."""
    groups: dict[str | None, list[Fatalities]] = {}
    for item in items:
        groups.setdefault(victim_group(text, item.span), []).append(item)
    totals = groups.pop(None, [])
    if len(groups) < 2:
        return combine_fatalities(items)
    parts = [combine_fatalities(group) for group in groups.values()]
    highs = [p.high for p in parts]
    spans = [p.span for p in parts if p.span is not None]
    summed = Fatalities(
        best=sum(p.best for p in parts),
        low=sum(p.low if p.low is not None else p.best for p in parts),
        high=None if None in highs else sum(h for h in highs if h is not None),
        span=Span(min(s.start for s in spans), max(s.end for s in spans)) if spans else None,
        reason="sum over victim groups: " + ", ".join(f"{k} {p.best}" for k, p in zip(groups, parts)),
    )
    return combine_fatalities([summed, *totals]) if totals else summed
