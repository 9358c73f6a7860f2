"""Evidence spans over an article's clean text, as escaped HTML with labelled highlights.

Article text is untrusted (it came from the web): every character of it goes
through ``markupsafe.escape``; only the markup built here is trusted.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from markupsafe import Markup, escape

# Fields that share a colour read as one kind of fact on the page.
FIELD_GROUPS: dict[str, str] = {
    "event_type": "what", "sub_event_type": "what", "disorder_type": "what", "trigger": "what",
    "actor1": "who", "actor2": "who", "assoc_actor_1": "who", "assoc_actor_2": "who",
    "inter1": "who", "inter2": "who", "civilian_targeting": "who",
    "event_date": "when", "date_start": "when", "date_end": "when", "time_precision": "when",
    "location": "where", "country": "where", "admin1": "where", "admin2": "where",
    "latitude": "where", "longitude": "where", "geo_precision": "where",
    "fatalities": "toll", "fatalities_low": "toll", "fatalities_high": "toll",
    "modality": "how", "attribution": "how", "hedged": "how",
}


def field_group(field: str) -> str:
    return FIELD_GROUPS.get(field, "other")


@dataclass(frozen=True)
class Span:
    field: str
    start: int
    end: int


def highlight(text: str, spans: Iterable[Span]) -> Markup:
    """Return ``text`` escaped, with each span wrapped in ``<mark>`` and labelled by field.

    Spans may overlap or nest; the text is cut at every span boundary and each
    piece is marked with all the fields that cover it. A label naming the
    field(s) is placed where a span starts.
    """
    size = len(text)
    clean = sorted({Span(s.field, max(0, min(s.start, size)), max(0, min(s.end, size))) for s in spans},
                   key=lambda s: (s.start, -s.end, s.field))
    clean = [s for s in clean if s.end > s.start]
    cuts = sorted({0, size, *(s.start for s in clean), *(s.end for s in clean)})
    out: list[str] = []
    for left, right in zip(cuts, cuts[1:]):
        piece = escape(text[left:right])
        covering = [s for s in clean if s.start <= left and s.end >= right]
        if not covering:
            out.append(str(piece))
            continue
        starting = sorted({s.field for s in clean if s.start == left})
        fields = sorted({s.field for s in covering})
        groups = " ".join(sorted({f"ev-{field_group(f)}" for f in fields}))
        label = "".join(
            f'<span class="ev-label ev-{field_group(f)}" aria-hidden="true">{escape(f)}</span>' for f in starting
        )
        out.append(
            f'{label}<mark class="ev {groups}" data-fields="{escape(" ".join(fields))}"'
            f' title="{escape(", ".join(fields))}">{piece}</mark>'
        )
    return Markup("".join(out))
