"""Fatality counts: how many people a sentence says were killed.

Deaths only: injured, wounded or hurt people are never counted (ACLED
``fatality_conventions.injuries``). Counts are read with small rules over
the sentence's words, not the parse, so the stage needs only the text.

Conventions, and why:

* ``best`` is ACLED's conservative figure; ``low``/``high`` the range the
  words allow (``None`` where the text sets no bound).
* "at least 15" -> best 15, low 15. "more than 20" -> best 20, low 20: ACLED
  codes the figure the report gives rather than inventing 21, and a low
  above best would contradict itself.
* "nearly/almost 30", "up to 30", "as many as 30" -> best 30, high 30: the
  only figure in the text; combining with other reports lowers it.
* "between 10 and 15", "10 to 15", "10-15" -> best 10, low 10, high 15.
* vague words use ``taxonomy/acled.json`` vague_counts (tens 10, dozens 12,
  hundreds 100) and the same unit logic for "scores" (20) and "thousands"
  (1000); the figure is also the low bound.
* deaths without a number: ACLED codes 3 for a limited attack and 10 for a
  significant one. A sentence rarely says which, so the conservative 3 is
  used for "several", "a few", "a number of" and bare plurals ("civilians
  were killed"); "many"/"numerous"/"heavy casualties" say the attack was
  significant, so 10. A singular victim ("a soldier was killed", "killed
  the governor", "he died") is 1.
* "no one was killed" reports the absence of deaths: ``None``, as for a
  sentence without deaths (the caller codes 0 fatalities either way).
"""

from __future__ import annotations

from collections.abc import Sequence

from fieldreport.records import Fatalities, Span

from .counts import (
    AUX, CLAUSE_BREAK, COLLECTIVE, INJURY, PLURAL_UNSPECIFIED, Count, Tok, counts_in, is_not_a_count,
    parse_count, sum_counts, tokenize,
)

__all__ = ["combine_fatalities", "extract_fatalities"]


def _conjoined(toks: list[Tok], first: Count, stop: int) -> list[Count]:
    """``first`` plus counts joined to it by "and"/"," ("two policemen and three
    civilians"), stopping at a new predicate, "including" or "of them"."""
    group, i = [first], first.last + 1
    while i < stop:
        w = toks[i].low
        if w in ("including", "among", "of") and i + 1 < stop and toks[i + 1].low in ("them", "whom", "those"):
            break
        if w in CLAUSE_BREAK or w in INJURY or w in ("were", "was", "have", "had", "are", "is"):
            break
        if w == "and" and i + 2 < stop and toks[i + 1].low in ("his", "her") and toks[i + 2].low in _KIN:
            group.append(Count(1, 1, 1, i + 1, i + 2, False))  # "a man and his son"
            i += 3
            continue
        if w in ("and", ",", "as", "plus"):
            k = i + 1
            if k < stop and toks[k].low in ("and", "well"):
                k += 1 + (toks[k].low == "well")  # ", and" / "as well as"
            c = parse_count(toks, k)
            if c and not is_not_a_count(toks, c) and not _new_predicate_after(toks, c, stop):
                if i + 1 < stop and toks[c.first - 1].low == "of":
                    break
                group.append(c)
                i = c.last + 1
                continue
            if w == ",":
                break
        if w.endswith("ed") and w not in ("armed", "unarmed", "unidentified", "suspected", "alleged",
                                            "displaced", "retired", "masked", "uniformed", "detained"):
            break
        i += 1
    return group


def _new_predicate_after(toks: list[Tok], c: Count, stop: int) -> bool:
    """'... and 12 others were wounded': the conjunct has its own verb."""
    for k in range(c.last + 1, min(c.last + 6, stop)):
        w = toks[k].low
        if w in INJURY or w in ("were", "was", "are", "is", "have", "had"):
            return True
        if w in (",", "and") or w in CLAUSE_BREAK:
            return False
    return False


# Denial verbs whose object is the deaths themselves ("denied that any civilians
# were killed", "denies civilian deaths"); not a denial of a role in a killing
# that stands ("denied involvement in the attack that killed 12").
_DENY = {"deny", "denies", "denied", "denying", "refuted", "refutes", "dismissed", "rejected"}
_DENIED_ROLE = {"involvement", "responsibility", "role", "part", "link", "links", "hand", "carrying", "wrongdoing"}


def _negated(toks: list[Tok], i: int) -> bool:
    window = [t.low for t in toks[max(0, i - 4) : i]]
    if any(w in ("no", "nobody", "none", "not", "n't", "never", "without") for w in window):
        return True
    if "no one" in " ".join(window):
        return True
    before = [t.low for t in toks[max(0, i - 8) : i]]
    deny = max((k for k, w in enumerate(before) if w in _DENY), default=None)
    if deny is None:
        return False
    between = before[deny + 1 :]
    if between and between[-1] in ("that", "which", "who"):
        return False  # "denied carrying out the strike that killed 20": the deaths stand
    return not set(w for w in between if w != "that") & (_DENIED_ROLE | CLAUSE_BREAK)


_PASSIVE = {"killed", "slain", "executed", "massacred", "murdered", "assassinated", "slaughtered",
            "beheaded", "lynched", "martyred"}
_ACTIVE = {"killed", "killing", "kills", "kill", "executed", "executing", "massacred", "massacring",
           "murdered", "murdering", "slaughtered", "slew", "slaying", "beheaded", "assassinated"}
_INTRANSITIVE = {"died", "die", "dies", "perished", "succumbed"}
_DEATH_NOUNS = {"dead", "deaths", "fatalities", "bodies", "corpses", "killings", "lives", "death", "victims"}
_OF_NOUNS = {"killing", "killings", "deaths", "death", "bodies", "lives", "massacre", "execution",
             "executions", "murder", "murders", "slaughter"}
_KIN = {"son", "daughter", "wife", "husband", "brother", "sister", "father", "mother", "nephew", "niece",
        "uncle", "cousin", "grandson", "granddaughter", "child", "driver", "bodyguard", "guard", "aide"}
_SINGULAR_PRONOUNS = {"he", "she", "him", "her"}
_TOLL_STOP = INJURY | {"with", "could", "may", "might", "because", "expected", "likely", "feared"}
# Verbs a killing follows in the same clause: "six men were abducted and killed".
_CAPTURED = {"kidnapped", "abducted", "detained", "arrested", "seized", "captured", "tortured", "taken"}
_TO_DEATH_EXCLUDED = {"sentenced", "condemned", "threatened", "threat", "threats"}


def _statements(toks: list[Tok]) -> tuple[list[Count], list[tuple[int, str]]]:
    """Counted statements, and cue words with no count (index, kind)."""
    stmts: list[Count] = []
    bare: list[tuple[int, str]] = []
    used: set[int] = set()
    n = len(toks)

    def add(group: list[Count], cue: int, reason: str, toll: bool = False) -> None:
        group = [c for c in group if c.first not in used]
        if not group:
            return
        used.update(c.first for c in group)
        first, last = min(cue, group[0].first), max(cue, _np_end(toks, group[-1]))
        stmts.append(Count(*sum_counts(group), first, last, reason=reason, toll=toll))

    for i, t in enumerate(toks):
        w = t.low
        nxt = toks[i + 1].low if i + 1 < n else ""
        nxt2 = toks[i + 2].low if i + 2 < n else ""
        # "killed or wounded 20": a mixed figure, not a death count
        if nxt in ("or", "and") and nxt2 in INJURY:
            continue
        is_to_death = (w == "death" and i > 1 and toks[i - 1].low == "to"
                       and not {t.low for t in toks[max(0, i - 8) : i]} & _TO_DEATH_EXCLUDED)
        is_shot_dead = (w == "dead" and i > 0 and toks[i - 1].low == "shot") or (w == "down" and i > 0
                                                                                and toks[i - 1].low == "gunned")
        cue = (w in _PASSIVE | _ACTIVE | _INTRANSITIVE | _DEATH_NOUNS or w == "toll" or is_to_death or is_shot_dead
               or (w == "lost" and nxt in ("their", "his", "her") and nxt2 in ("lives", "life")))
        if not cue:
            continue
        if (w == "death" and not is_to_death and nxt != "of") or _negated(toks, i) or \
                (w == "victims" and not (i > 0 and toks[i - 1].low in ("dead", "fatal"))):
            continue
        if w == "toll":
            # "the toll stood at 13, with 35 wounded" / "could rise because many of the
            # wounded ...": the toll's figure comes before any injury or hedge word.
            end = next((k for k in range(i + 1, min(n, i + 12)) if toks[k].low in _TOLL_STOP),
                       min(n, i + 12))
            for c in counts_in(toks, i + 1, end)[:1]:
                add([c], i, "death toll", toll=True)
            continue
        # right: "killed five soldiers and two civilians", "the bodies of 12"
        right_start = i + 2 if w in _OF_NOUNS and nxt == "of" else i + 1
        took_right = False
        if w in _ACTIVE or is_shot_dead or (w in _OF_NOUNS and nxt == "of"):
            aux_before = i > 0 and toks[i - 1].low in ("were", "was", "been", "be", "being", "are", "is")
            if not aux_before:
                c = parse_count(toks, right_start)
                if c and not is_not_a_count(toks, c):
                    add(_conjoined(toks, c, n), i, "count after the death word")
                    took_right = True
                elif right_start < n and toks[right_start].low in _SINGULAR_PRONOUNS | {"the", "his", "her", "its"}:
                    bare.append((i, "singular-object" if _singular_object(toks, right_start) else "object"))
                    took_right = True
        if took_right:
            continue
        # left: "two policemen and three civilians were killed", "12 dead"
        j = _skip_left(toks, i - 2 if is_shot_dead else i - 1, AUX | ({"left", "leaving"} if w == "dead" else set()))
        if j > 0 and toks[j].low == "and" and toks[j - 1].low in _CAPTURED:  # "were kidnapped and killed"
            j = _skip_left(toks, j - 2, AUX)
        if is_to_death and j >= 0 and toks[j].text[:1].isalpha():  # "was stabbed to death"
            j = _skip_left(toks, j - 1, AUX)
        aux_words = {toks[k].low for k in range(j + 1, i)}
        lo = j
        while lo >= 0 and i - lo <= 10 and toks[lo].low not in CLAUSE_BREAK and toks[lo].low not in INJURY:
            lo -= 1
        counts = counts_in(toks, lo + 1, j + 1)
        counts = [c for c in counts if _reaches(toks, c, j)]
        if counts:
            group = _conjoined(toks, counts[0], j + 1)
            if counts[-1] not in group and j - counts[-1].last <= 4:
                group = [counts[-1]]
            add(group, i + 2 if w == "lost" else i, "count before the death word")
            continue
        if w in ("lives", "victims", "killings", "bodies", "deaths", "dead", "fatalities") and not is_shot_dead:
            continue
        left = toks[j].low if j >= 0 else ""
        if aux_words & {"was", "has", "is"} or left in _SINGULAR_PRONOUNS:
            bare.append((i, "singular"))
        elif aux_words & {"were", "have", "are"} or (j >= 0 and _plural_noun(toks[j].low)):
            bare.append((i, "plural"))
        elif i + 1 < n and _plural_noun(nxt) and w in _ACTIVE:
            bare.append((i, "plural"))
        else:
            bare.append((i, "unknown"))
    return stmts, bare


_NP_STOP = {"in", "on", "at", "and", "or", "near", "during", "with", "by", "from", "to", "for", "after",
            "of", "the", "a", "an", "were", "was", "have", "had", "are", "is", "over", "across", "inside",
            "outside", "along", "under", "into", "through", "across", "as", "while", "when", "since",
            "before", "including", "among", "last", "this", "yesterday", "today", "overnight"}


def _np_end(toks: list[Tok], c: Count) -> int:
    """Index of the last word of the noun phrase a count starts ("five soldiers")."""
    end = c.last
    for k in range(c.last + 1, min(c.last + 4, len(toks))):
        w = toks[k].low
        if not w[:1].isalpha() or w in _NP_STOP or w in CLAUSE_BREAK or w in AUX or w in INJURY:
            break
        end = k
    return end


def _skip_left(toks: list[Tok], j: int, words: set[str]) -> int:
    while j >= 0 and toks[j].low in words:
        j -= 1
    return j


def _reaches(toks: list[Tok], c: Count, j: int) -> bool:
    """The count's noun phrase runs up to the death word without a verb between."""
    for k in range(c.last + 1, j + 1):
        w = toks[k].low
        if w.endswith("ed") and w not in ("armed", "unarmed", "unidentified", "suspected", "alleged",
                                            "displaced", "retired", "masked", "uniformed", "detained"):
            return False
    return True


def _plural_noun(word: str) -> bool:
    return (word.endswith("s") and not word.endswith("ss") and len(word) > 3) or word in (
        "people", "men", "women", "children", "police", "policemen", "gunmen", "militia", "troops")


def _singular_object(toks: list[Tok], k: int) -> bool:
    if toks[k].low in _SINGULAR_PRONOUNS:
        return True
    for m in range(k + 1, min(k + 5, len(toks))):
        w = toks[m].low
        if not w[:1].isalpha() or w in CLAUSE_BREAK or w in ("in", "on", "at", "and", "near", "during", "with"):
            prev = toks[m - 1].low
            return not _plural_noun(prev) and prev not in COLLECTIVE
    return False


def extract_fatalities(text: str, sentence: Span) -> Fatalities | None:
    """Deaths the sentence reports, or ``None`` when it reports none."""
    toks = tokenize(text, sentence)
    stmts, bare = _statements(toks)
    if stmts:
        tolls = [s for s in stmts if s.toll]
        if tolls and len(stmts) > 1:
            # "killed 12 ... the toll later rose to 15": one event, two figures
            parts = [Fatalities(s.best, s.low, s.high, Span(toks[s.first].start, toks[s.last].end), s.reason)
                     for s in stmts]
            return combine_fatalities(parts)
        # distinct statements about different victims add up
        first, last = min(s.first for s in stmts), max(s.last for s in stmts)
        return Fatalities(*sum_counts(stmts), span=Span(toks[first].start, toks[last].end),
                          reason="; ".join(dict.fromkeys(s.reason for s in stmts)))
    if not bare:
        return None
    kinds, i = {k for _, k in bare}, bare[0][0]
    cue_span = Span(toks[max(0, i - 2)].start, toks[min(len(toks) - 1, i + 1)].end)
    if "plural" in kinds or "object" in kinds:
        return Fatalities(*PLURAL_UNSPECIFIED, cue_span, "deaths reported without a number (limited attack)")
    return Fatalities(1, 1, None if "unknown" in kinds else 1, cue_span, "one death reported")


def combine_fatalities(items: Sequence[Fatalities]) -> Fatalities:
    """Several statements about one event: ACLED's most conservative rule.

    best = the lowest figure stated (never 0 from a missing statement),
    low = the lowest bound any statement allows, high = the highest.
    """
    if not items:
        raise ValueError("combine_fatalities needs at least one Fatalities")
    if len(items) == 1:
        return items[0]
    chosen = min(items, key=lambda f: f.best)
    low = min(f.low if f.low is not None else f.best for f in items)
    # any open-ended statement ("at least 15") leaves the range open
    high = None if any(f.high is None for f in items) else max(f.high for f in items if f.high is not None)
    spans = [f.span for f in items if f.span is not None]
    span = Span(min(s.start for s in spans), max(s.end for s in spans)) if spans else None
    figures = ", ".join(str(f.best) for f in items)
    return Fatalities(chosen.best, low, high, span, f"most conservative of {len(items)} figures ({figures})")
