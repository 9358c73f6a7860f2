"""Count phrases: how many people a few words name.

Numbers in digits and words ("1,200", "twenty-three", "two hundred and
fifty"), ranges ("between 10 and 15", "10-15"), modifiers ("at least",
"nearly"), vague quantities ("dozens", "several") and the words that show a
number counts things rather than people ("three rockets", "in 2014"). The
conventions for turning them into ACLED figures are in ``fatalities``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from fieldreport.records import Span

_UNIT_WORDS = ("zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
               "fifteen sixteen seventeen eighteen nineteen")
UNITS = {w: i for i, w in enumerate(_UNIT_WORDS.split())}
TENS = {w: 10 * i for i, w in enumerate("twenty thirty forty fifty sixty seventy eighty ninety".split(), 2)}
SCALES = {"hundred": 100, "thousand": 1000, "million": 1_000_000}
# Plural vague counts: (best, low). From taxonomy vague_counts, extended by unit.
VAGUE_PLURALS = {"tens": 10, "dozens": 12, "scores": 20, "hundreds": 100, "thousands": 1000}
# Quantifiers without a number: (best, low, high). See the module docstring.
_FEW, _MANY = (3, 2, None), (10, None, None)
VAGUE_WORDS = {
    "several": (3, 3, None), "few": _FEW, "a few": _FEW, "a number of": _FEW, "a handful of": _FEW, "some": _FEW,
    "many": _MANY, "numerous": _MANY, "a large number of": _MANY,
    "a dozen": (12, 12, 12), "half a dozen": (6, 6, 6), "a score of": (20, 20, 20), "a couple of": (2, 2, 2),
}
PLURAL_UNSPECIFIED = (3, 2, None)

# "at least 15": (sets low, sets high)
_AT_LEAST, _AT_MOST, _ABOUT = (True, False), (False, True), (False, False)
MODIFIERS = {
    **{tuple(p.split()): _AT_LEAST for p in ("at least", "no fewer than", "no less than", "not less than",
                                               "more than", "over", "upwards of", "in excess of")},
    **{tuple(p.split()): _AT_MOST for p in ("nearly", "almost", "close to", "just under", "up to",
                                              "as many as", "at most")},
    **{tuple(p.split()): _ABOUT for p in ("about", "around", "some", "approximately", "roughly",
                                            "an estimated", "estimated")},
    ("a", "total", "of"): (True, True),
}

INJURY = {"wounded", "wounding", "injured", "injuring", "injuries", "hurt", "wounds", "injures", "wounds",
          "casualties", "missing", "kidnapped", "abducted", "arrested", "detained", "displaced"}
# A count whose noun is one of these counts things, not people.
NON_PERSON = {
    "villages", "village", "houses", "homes", "buildings", "vehicles", "cars", "trucks", "tanks",
    "rockets", "mortars", "shells", "missiles", "bombs", "drones", "days", "hours", "weeks",
    "months", "years", "minutes", "km", "kilometres", "kilometers", "miles", "metres", "meters",
    "percent", "%", "per", "tons", "tonnes", "dollars", "times", "districts", "towns", "provinces",
    "positions", "checkpoints", "points", "am", "pm", "o'clock", "attacks", "incidents", "strikes",
    "raids", "airstrikes", "explosions", "shots", "rounds", "year-old", "year", "month", "day",
    "hour", "kg", "pounds", "bn", "billion",
}
COLLECTIVE = {"police", "people", "army", "military", "crew", "family", "staff", "government", "group", "forces"}
AUX = {"were", "was", "have", "has", "had", "been", "are", "is", "be", "being", "reportedly", "allegedly",
       "also", "all", "later", "since", "subsequently", "confirmed", "found", "both", "apparently",
       "reported", "believed", "feared", "thought", "presumed", "now", "already", "then", "to"}
# Words that end the noun phrase or clause around a count.
CLAUSE_BREAK = {
    ";", ":", "(", ")", "that", "which", "who", "whom", "when", "after", "while", "as", "but",
    "said", "says", "told", "according", "before", "because", "since", "where", "if", "including",
    "among", "killed", "killing", "died", "dead", "—", "–", '"', "“", "”",
}

# "1,200" is one number; the comma in "killed 23, police said" ends it.
_TOKEN = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|[A-Za-z]+(?:['’-][A-Za-z]+)*|%|[^\sA-Za-z\d]")


@dataclass(frozen=True)
class Tok:
    text: str
    low: str
    start: int
    end: int


@dataclass(frozen=True)
class Count:
    """A count phrase, or a statement built from counts around a death word."""

    best: int
    low: int | None
    high: int | None
    first: int  # token index where the phrase starts
    last: int  # token index of its last word (inclusive)
    exact_number: bool = True  # a figure was given (not "several", "a")
    reason: str = ""
    toll: bool = False


def sum_counts(items: Sequence[Count]) -> tuple[int, int | None, int | None]:
    """Counts of different victims add up; an open bound stays open."""
    lows, highs = [c.low for c in items], [c.high for c in items]
    return (sum(c.best for c in items), None if None in lows else sum(lows),  # type: ignore[arg-type]
            None if None in highs else sum(highs))  # type: ignore[arg-type]


def tokenize(text: str, span: Span) -> list[Tok]:
    out = []
    for m in _TOKEN.finditer(text, span.start, span.end):
        out.append(Tok(m.group(0), m.group(0).lower().replace("’", "'"), m.start(), m.end()))
    return out


def _number_word(word: str) -> int | None:
    if word in UNITS:
        return UNITS[word]
    if word in TENS:
        return TENS[word]
    if "-" in word:
        a, _, b = word.partition("-")
        if a in TENS and b in UNITS and 0 < UNITS[b] < 10:
            return TENS[a] + UNITS[b]
    return None


def _parse_number(toks: list[Tok], i: int) -> tuple[int, int] | None:
    """A plain number at ``i``: (value, index of its last token)."""
    if i >= len(toks):
        return None
    w = toks[i].low
    if re.fullmatch(r"\d{1,3}(?:,\d{3})+|\d+", w):
        value, last = int(w.replace(",", "")), i
        if i + 1 < len(toks) and toks[i + 1].low in ("million", "thousand"):
            value, last = value * SCALES[toks[i + 1].low], i + 1
        return value, last
    value = _number_word(w)
    if value is None:
        if not (w in ("a", "one") and i + 1 < len(toks) and toks[i + 1].low in SCALES):
            return None
        value = 1  # "a hundred"
    last, j = i, i + 1
    while j < len(toks):  # "two hundred and fifty", "twenty three"
        nw, prev = toks[j].low, toks[last].low
        if nw in SCALES:
            value, last = value * SCALES[nw], j
        elif nw == "and" and prev in SCALES and j + 1 < len(toks) and _number_word(toks[j + 1].low) is not None:
            pass
        elif (prev in SCALES or prev in TENS) and (n := _number_word(nw)) is not None:
            value, last = value + n, j
        else:
            break
        j += 1
    return value, last


def _match_words(toks: list[Tok], i: int, words: Sequence[str]) -> bool:
    return all(i + k < len(toks) and toks[i + k].low == w for k, w in enumerate(words))


def parse_count(toks: list[Tok], i: int) -> Count | None:
    """A count phrase starting at ``i``: modifiers, numbers, ranges, vague words."""
    if i >= len(toks):
        return None
    # ranges: "between 10 and 15"
    if toks[i].low == "between":
        a = _parse_number(toks, i + 1)
        if a and a[1] + 2 < len(toks) and toks[a[1] + 1].low == "and":
            b = _parse_number(toks, a[1] + 2)
            if b:
                return Count(a[0], a[0], b[0], i, b[1], True)
        return None
    sets_low = sets_high = False
    j = i
    for words, (lo, hi) in MODIFIERS.items():
        if _match_words(toks, i, words) and _parse_number(toks, i + len(words)):
            sets_low, sets_high, j = lo, hi, i + len(words)
            break
    for phrase, (best, low, high) in VAGUE_WORDS.items():
        words = phrase.split()
        if j == i and _match_words(toks, i, words):
            last = i + len(words) - 1
            if phrase in ("some", "many", "few") and not (
                _next_is_noun(toks, last) or (last + 1 < len(toks) and toks[last + 1].low in AUX | {"of"})
            ):
                return None
            return Count(best, low, high, i, last, False)
    if toks[j].low in VAGUE_PLURALS:
        v = VAGUE_PLURALS[toks[j].low]
        return Count(v, v, None, i, j, False)
    if j == i and toks[i].low in ("himself", "herself"):
        # "the bomber killed himself and nine others": ACLED counts the attacker too
        return Count(1, 1, 1, i, i, False)
    num = _parse_number(toks, j)
    if num is None:
        if j == i and toks[i].low in ("a", "an") and _next_is_noun(toks, i):
            return Count(1, 1, 1, i, i, False)
        return None
    value, last = num
    # "10 to 15", "10-15", "10 or 11"
    if last + 2 < len(toks) and toks[last + 1].low in ("to", "-", "–", "or"):
        other = _parse_number(toks, last + 2)
        if other and other[0] > value:
            return Count(value, value, other[0], i, other[1], True)
    low = value if sets_low else None
    high = value if sets_high else None
    if not sets_low and not sets_high and j == i:
        low = high = value
    return Count(value, low, high, i, last, True)


def _next_is_noun(toks: list[Tok], i: int) -> bool:
    return i + 1 < len(toks) and toks[i + 1].text[:1].isalpha() and toks[i + 1].low not in CLAUSE_BREAK | INJURY | AUX


def is_not_a_count(toks: list[Tok], c: Count) -> bool:
    """Ages, dates, times, distances and things: numbers that do not count people."""
    nxt = toks[c.last + 1].low if c.last + 1 < len(toks) else ""
    prev = toks[c.first - 1].low if c.first > 0 else ""
    if nxt in NON_PERSON or nxt.startswith("year") or prev in ("on", "in", "of", "since", "at", "route", "no.", "number") \
            and c.exact_number and c.best > 31 and c.low == c.high:
        return True
    if nxt == "-" and c.last + 2 < len(toks) and toks[c.last + 2].low.startswith(("year", "month", "day")):
        return True
    if prev in ("january", "february", "march", "april", "may", "june", "july", "august",
                "september", "october", "november", "december") and c.exact_number:
        return True
    if re.fullmatch(r"(19|20)\d\d", toks[c.first].low) and prev in ("in", "since", "of", "during", "until"):
        return True
    # the noun within a few words counts things ("three rockets", "five armoured vehicles")
    for k in range(c.last + 1, min(c.last + 4, len(toks))):
        w = toks[k].low
        if w in NON_PERSON:
            return True
        if w in CLAUSE_BREAK or w in AUX or not w[:1].isalpha():
            break
    return False


def counts_in(toks: list[Tok], lo: int, hi: int) -> list[Count]:
    """Non-overlapping count phrases starting in [lo, hi)."""
    found, i = [], lo
    while i < hi:
        c = parse_count(toks, i)
        if c and c.last < hi and not is_not_a_count(toks, c):
            found.append(c)
            i = c.last + 1
        else:
            i += 1
    return found
