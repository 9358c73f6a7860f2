"""Lexicon phrase matching over one sentence's tokens, for event detection.

A phrase is a sequence of words (see the header of ``data/event_lexicon.yaml``):
a plain word matches a token's lower-case form or lemma, ``=Word`` its exact
text, ``ENT:LABEL`` its entity type, ``pre*`` a lower-case prefix, and ``~``
skips up to MAX_GAP tokens. Token strings are read from spaCy once per
sentence and phrases are looked up by their first word, so matching a lexicon
against a sentence touches only the phrases that can start in it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, Protocol

MAX_GAP = 4
DATE_ENTS = frozenset({"DATE", "TIME"})  # "March" the month is not a march
DASHES = frozenset({"-", "–", "—", "‑"})
# Protest verbs that are intransitive in the protest sense: with a direct
# object they mean something else ("marched the prisoners out", "rallied troops").
INTRANSITIVE_PROTEST_LEMMAS = frozenset({"march", "rally"})


class Phrase(Protocol):
    words: tuple[str, ...]
    key: str | None  # the first word when it is plain, for indexed lookup


def _word_matches(word: str, toks: _Tokens, i: int) -> bool:
    if word.startswith("="):
        return toks.text[i] == word[1:]
    if word.startswith("ENT:"):
        return toks.ent[i] == word[4:]
    if word.endswith("*"):
        return toks.lower[i].startswith(word[:-1])
    return word == toks.lower[i] or word == toks.lemma[i]


def _match_from(words: Sequence[str], toks: _Tokens, i: int) -> int:
    """End position (exclusive) of ``words`` matched from position ``i``, or -1."""
    n = len(toks.lower)
    for k, word in enumerate(words):
        if word == "~":
            for gap in range(MAX_GAP + 1):
                end = _match_from(words[k + 1:], toks, i + gap)
                if end >= 0:
                    return end
            return -1
        if i >= n or not _word_matches(word, toks, i):
            return -1
        i += 1
    return i


def _transitive_protest_verb(token: Any) -> bool:
    """ "marched 1,700 cadets out of the camp" is not a march."""
    return (token.pos_ == "VERB" and token.lemma_.lower() in INTRANSITIVE_PROTEST_LEMMAS
            and any(c.dep_ in ("dobj", "obj") for c in token.children))


_INDEXES: dict[int, tuple[Sequence[Phrase], dict[str, list[tuple[int, tuple[str, ...]]]], list[int]]] = {}


def _phrase_index(phrases: Sequence[Phrase]) -> tuple[dict[str, list[tuple[int, tuple[str, ...]]]], list[int]]:
    """Phrases by plain first word (number, remaining words), and the numbers of
    the others; built once per phrase list of a lexicon."""
    entry = _INDEXES.get(id(phrases))
    if entry is None or entry[0] is not phrases:
        by_key: dict[str, list[tuple[int, tuple[str, ...]]]] = {}
        other: list[int] = []
        for number, phrase in enumerate(phrases):
            if phrase.key is not None:
                by_key.setdefault(phrase.key, []).append((number, phrase.words[1:]))
            else:
                other.append(number)
        entry = _INDEXES[id(phrases)] = (phrases, by_key, other)
    return entry[1], entry[2]


class _Tokens:
    """Per-token strings of a sentence's content tokens, read from spaCy once:
    phrase matching compares plain strings instead of Token attributes."""

    __slots__ = ("ent", "ids", "lemma", "lower", "pos", "text", "tokens")

    def __init__(self, tokens: list[Any]) -> None:
        self.tokens = tokens
        self.text = [t.text for t in tokens]
        self.lower = [t.lower_ for t in tokens]
        self.lemma = [t.lemma_.lower() for t in tokens]
        self.ent = [t.ent_type_ for t in tokens]
        self.pos = [t.pos_ for t in tokens]
        self.ids = [t.i for t in tokens]


class Sentence:
    """A sentence's content tokens (dashes skipped) with phrase lookup."""

    def __init__(self, sent: Any, guards: Sequence[Phrase]) -> None:
        self.tokens = [t for t in sent if t.text not in DASHES and not t.is_space]
        self.toks = _Tokens(self.tokens)
        self.starts: dict[str, list[int]] = {}
        for n, (lower, lemma) in enumerate(zip(self.toks.lower, self.toks.lemma)):
            for key in {lower, lemma}:
                self.starts.setdefault(key, []).append(n)
        self._cache: dict[int, list[tuple[int, int]]] = {}
        self._firsts: dict[str, Sequence[int]] = {}
        self.guards = self._find_raw(guards)

    def _positions(self, word: str) -> Sequence[int]:
        """Where ``word``, a phrase's first word, matches (as _word_matches decides)."""
        found = self._firsts.get(word)
        if found is None:
            toks = self.toks
            if word.startswith("="):
                found = [n for n, text in enumerate(toks.text) if text == word[1:]]
            elif word.startswith("ENT:"):
                found = [n for n, ent in enumerate(toks.ent) if ent == word[4:]]
            elif word.endswith("*"):
                prefix = word[:-1]
                found = [n for n, lower in enumerate(toks.lower) if lower.startswith(prefix)]
            else:
                found = self.starts.get(word, [])
            self._firsts[word] = found
        return found

    def _find_raw(self, phrases: Sequence[Phrase]) -> list[tuple[int, int]]:
        """Matches of ``phrases``, phrase by phrase in order, each left to right."""
        by_key, other = _phrase_index(phrases)
        toks, starts = self.toks, self.starts
        found: list[tuple[int, int, int]] = []  # phrase number, start, end
        for key in by_key.keys() & starts.keys():
            positions = starts[key]
            for number, rest in by_key[key]:
                if not rest:  # the indexed first word is the whole phrase
                    found.extend((number, start, start + 1) for start in positions)
                    continue
                for start in positions:
                    end = _match_from(rest, toks, start + 1)
                    if end > start:
                        found.append((number, start, end))
        for number in other:
            words = phrases[number].words
            first = words[0]
            if first == "~":  # a leading gap: try every position
                for start in range(len(self.tokens)):
                    end = _match_from(words, toks, start)
                    if end > start:
                        found.append((number, start, end))
                continue
            rest = words[1:]
            for start in self._positions(first):
                end = _match_from(rest, toks, start + 1)
                if end > start:
                    found.append((number, start, end))
        if len(found) > 1:
            found.sort()
        return [(start, end) for _, start, end in found]

    def _guarded(self, start: int, end: int) -> bool:
        """Inside a guard phrase without covering it ("grenade" in "stun grenade")."""
        return any(
            start < g_end and g_start < end and not (start <= g_start and g_end <= end)
            for g_start, g_end in self.guards
        )

    def _keep(self, s: int, e: int) -> bool:
        toks = self.toks
        if self.guards and self._guarded(s, e):
            return False
        if all(ent in DATE_ENTS for ent in toks.ent[s:e]):
            return False
        return not (e - s == 1 and toks.pos[s] == "VERB" and toks.lemma[s] in INTRANSITIVE_PROTEST_LEMMAS
                    and _transitive_protest_verb(self.tokens[s]))

    def find(self, phrases: tuple[Phrase, ...]) -> list[tuple[int, int]]:
        """Unguarded matches (token positions) of any of ``phrases``."""
        key = id(phrases)
        found = self._cache.get(key)
        if found is None:
            found = self._cache[key] = [(s, e) for s, e in self._find_raw(phrases) if self._keep(s, e)]
        return found

    def has(self, phrases: tuple[Phrase, ...], exclude: Iterable[int] = ()) -> bool:
        skip = set(exclude)
        if not skip:
            return bool(self.find(phrases))
        ids = self.toks.ids
        return any(all(ids[i] not in skip for i in range(s, e)) for s, e in self.find(phrases))

    def np_hits(self, phrases: tuple[Phrase, ...], tokens: Sequence[Any], head: Any) -> tuple[bool, bool]:
        """(a match touches ``head``, any match lies inside ``tokens``)."""
        found = self.find(phrases)
        if not found:
            return False, False
        ids = {t.i for t in tokens}
        doc_ids = self.toks.ids
        hits = [set(doc_ids[s:e]) for s, e in found]
        hits = [h for h in hits if h <= ids]
        return any(head.i in h for h in hits), bool(hits)
