"""Claims of responsibility: an armed group saying it carried out an attack.

ACLED codes an attack the report does not attribute ("a roadside bomb killed
two soldiers") to the group that claimed it, when one did ("The TTP claimed
responsibility for the attack"). The claim may stand in any sentence of the
article; it names the perpetrator of the article's unattributed violence,
never the other side of an event whose attacker is already named, and a
denial or "no group has claimed" credits no one.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import replace

from fieldreport.records import ActorMention, Span

from .actors import UNIDENTIFIED_ARMED_GROUP, Roles, fill_actor_name

__all__ = ["claimant", "credit_claimant"]

# Armed groups that claim attacks: rebels, political and communal militias.
CLAIMING_CATEGORIES = (2, 3, 4)
VIOLENT_TYPES = ("Battles", "Explosions/Remote violence", "Violence against civilians")
_CLAIM = re.compile(
    r"[\s,]+(?:\([^)]{1,12}\)\s*)?(?:(?:has|have|had|also|later|swiftly|quickly|reportedly|since)\s+){0,3}"
    r"(?:claimed|claims|claiming)\s+(?:full\s+|the\s+)?(?:responsibility|credit|the\s+(?:attack|bombing|blast|"
    r"killings?|assault|ambush|explosion|abduction|kidnapping))",
    re.I,
)


def claimant(text: str, actors: Sequence[ActorMention]) -> ActorMention | None:
    """The first armed group the article says claimed an attack, if any."""
    for mention in actors:
        if mention.category in CLAIMING_CATEGORIES and _CLAIM.match(text, mention.end):
            return mention
    return None


def credit_claimant(roles: Roles, event_type: str, claim: ActorMention | None, country: str | None,
                    periods: Mapping[str, str] | None = None) -> Roles:
    """``roles`` with the claimant as actor1 when the sentence names no attacker."""
    if claim is None or event_type not in VIOLENT_TYPES:
        return roles
    if roles.actor1 not in (None, fill_actor_name(UNIDENTIFIED_ARMED_GROUP, country, periods)):
        return roles
    name = fill_actor_name(claim.name, country, periods)
    if name == roles.actor2:
        return roles
    return replace(roles, actor1=name, inter1=claim.category, actor1_span=Span(claim.start, claim.end))
