"""Toponyms written as words for a place's people, for geoparsing output.

"Russian troops", "the Lebanese Army", "inter-Palestinian talks" name a
country; "Ohioans", "Ontarians", "Gazans" a state, province or city. Geoparsing
gold such as LGL counts them as toponyms; event location never uses them (a
nationality word is an actor, not where an event happened); ``find_places``
returns them with ``reason`` "demonym".
"""

from __future__ import annotations

import re
from typing import Any

from ..gazetteer import Candidate

# A capitalised word, alone or as one half of a hyphenated compound ("Russian-American").
_WORD = re.compile(r"(?<![\w'’])[A-Z][a-z]{2,}(?![\w'’])")
# "Ohioans", "Ontarian", "Texan", "Londoner", "Richmondites", "Dagestani": the word
# for a region's or a city's people, as (suffix, replacement) pairs tried in turn.
_RESIDENT_SUFFIXES = (("an", "a"), ("an", ""), ("ian", "io"), ("ian", "ia"), ("ian", ""), ("an", "as"),
                      ("er", ""), ("ite", ""), ("i", ""))
RESIDENTS_MIN_POPULATION = 100_000


def demonym_spans(doc: Any, gazetteer: Any, taken: list[tuple[int, int]]) -> list[tuple[int, int, Candidate]]:
    """Nationality words as their country, also inside a name ("the Lebanese
    Army", "American Airlines") or a compound, as place names inside organisation
    names are; words for a division's or big city's people as that place. Spans
    in ``taken`` (toponyms already found) and inside a person's name are skipped."""
    if not hasattr(gazetteer, "demonym"):
        return []
    spans = [(ent.start_char, ent.end_char) for ent in doc.ents if ent.label_ == "NORP"]
    people = [(ent.start_char, ent.end_char) for ent in doc.ents if ent.label_ == "PERSON"]
    spans += [(m.start(), m.end()) for m in _WORD.finditer(doc.text)
              if not any(s <= m.start() and m.end() <= e for s, e in people)]
    found: list[tuple[int, int, Candidate]] = []
    taken = list(taken)
    for start, end in sorted(spans, key=lambda span: (span[0], -span[1])):  # a whole entity first
        if any(s < end and start < e for s, e in taken):
            continue
        word = doc.text[start:end]
        place = gazetteer.demonym(word) or residents_place(gazetteer, word)
        if place is not None:
            found.append((start, end, place))
            taken.append((start, end))
    return found


def residents_place(gazetteer: Any, word: str) -> Candidate | None:
    """The state, province or big city a word for its people names, if any: a
    division or a town of 100,000 or more under its own main name, so that
    "Walker", "Republicans" or "Romans" (not Rome's name) stay people."""
    singular = word[:-1] if word.endswith("s") else word
    for suffix, replacement in _RESIDENT_SUFFIXES:
        if not singular.endswith(suffix) or len(singular) - len(suffix) < 3:
            continue
        stem = singular[: len(singular) - len(suffix)] + replacement
        for candidate in gazetteer.lookup(stem):
            if candidate.name == stem and (candidate.feature in ("country", "admin1", "continent") or (
                    candidate.feature == "city" and candidate.population >= RESIDENTS_MIN_POPULATION)):
                return candidate
    return None
