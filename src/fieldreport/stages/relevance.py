"""Relevance pre-filter: drop pages with no conflict content before spaCy runs.

Most pages of a web crawl (sport, business, weather, culture) say nothing about
political violence or protest; annotating them costs the same as annotating a
war report. This stage is a few regular-expression scans over the clean text
(``data/relevance.yaml``), well under a millisecond per page, and errs towards
keeping a page: a page it drops could not have produced an event, so recall
matters far more than the share of pages dropped (see ``bench/throughput.py``
and the README for both figures on the benchmark sets).

A dropped page is not an error: the stage finishes the pipeline early with a
``Coded`` that has no events and ``extra["not_relevant"]`` set, which the
runner stores as a ``pages`` row with status ``not_relevant`` so re-runs skip it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources as package_files
from pathlib import Path
from typing import Any

import yaml

from ..config import Settings
from ..errors import ResourceError
from ..records import Article, Coded

__all__ = ["Relevance", "RelevanceLexicon", "judge_relevance", "load_relevance_lexicon", "mentions_conflict",
           "relevance_stage"]

_WORD = re.compile(r"[A-Za-z]+")


@dataclass(frozen=True)
class RelevanceLexicon:
    strong: re.Pattern[str]  # one hit is enough
    strong_exact: re.Pattern[str] | None  # case-sensitive acronyms, also strong
    violence: re.Pattern[str]  # needs an actor beside it, unless the text is short
    actors: re.Pattern[str]
    short_text_words: int  # under this, one violence or actor term is enough
    keep_short_words: int  # under this, every text is kept


@dataclass(frozen=True)
class Relevance:
    relevant: bool
    reason: str  # which rule decided, with the cue words found


def _term_pattern(term: str) -> str:
    prefix = term.endswith("*")
    words = term.rstrip("*").replace("-", " ").split()
    body = r"[\s\-]+".join(re.escape(w) for w in words)
    return body + (r"\w*" if prefix else "")


def _compile(terms: list[str], flags: int = 0) -> re.Pattern[str] | None:
    if not terms:
        return None
    # Longest first, so "bombing" is reported rather than "bomb".
    alternation = "|".join(_term_pattern(t) for t in sorted(terms, key=len, reverse=True))
    return re.compile(rf"(?<![\w\-])(?:{alternation})(?![\w])", flags)


@lru_cache(maxsize=4)
def load_relevance_lexicon(path: str | None = None) -> RelevanceLexicon:
    """Parse and compile the lexicon once per process (a few milliseconds)."""
    source = Path(path) if path else package_files.files("fieldreport") / "data" / "relevance.yaml"
    try:
        data: dict[str, Any] = yaml.safe_load(source.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ResourceError(f"relevance lexicon {source} cannot be read: {exc}") from exc
    missing = {"strong", "violence", "actors", "short_text_words", "keep_short_words"} - set(data)
    if missing:
        raise ResourceError(f"relevance lexicon {source} lacks: {', '.join(sorted(missing))}")

    def split(key: str) -> tuple[list[str], list[str]]:
        terms = [str(t) for t in data[key]]
        return [t.lower() for t in terms if not t.startswith("=")], [t[1:] for t in terms if t.startswith("=")]

    strong, strong_exact = split("strong")
    violence, violence_exact = split("violence")
    actors, actors_exact = split("actors")
    if violence_exact or actors_exact:
        raise ResourceError(f"relevance lexicon {source}: =Exact terms belong in 'strong' only")
    return RelevanceLexicon(
        strong=_compile(strong),  # type: ignore[arg-type]
        strong_exact=_compile(strong_exact),
        violence=_compile(violence),  # type: ignore[arg-type]
        actors=_compile(actors),  # type: ignore[arg-type]
        short_text_words=int(data["short_text_words"]),
        keep_short_words=int(data["keep_short_words"]),
    )


def judge_relevance(text: str, lexicon: RelevanceLexicon) -> Relevance:
    """Could this text report a conflict or protest event? Errs towards yes."""
    lowered = text.lower()
    found = lexicon.strong.search(lowered)
    if found:
        return Relevance(True, f"strong term {found.group(0)!r}")
    if lexicon.strong_exact is not None:
        found = lexicon.strong_exact.search(text)
        if found:
            return Relevance(True, f"strong term {found.group(0)!r}")
    violence = lexicon.violence.search(lowered)
    actor = lexicon.actors.search(lowered)
    if violence and actor:
        return Relevance(True, f"violence term {violence.group(0)!r} with actor {actor.group(0)!r}")
    cue = violence or actor
    words = _word_count(text, lexicon.short_text_words)
    if words < lexicon.keep_short_words:
        return Relevance(True, f"{words} words: too short to judge")
    if cue and words < lexicon.short_text_words:
        return Relevance(True, f"short text with {cue.group(0)!r}")
    return Relevance(False, "no conflict terms" if not cue else f"only {cue.group(0)!r} in a long text")


def mentions_conflict(text: str, lexicon: RelevanceLexicon) -> bool:
    """Does ``text`` hold any term of the lexicon (strong, violence or actor)?"""
    lowered = text.lower()
    return bool(lexicon.strong.search(lowered) or lexicon.violence.search(lowered)
                or lexicon.actors.search(lowered)
                or (lexicon.strong_exact is not None and lexicon.strong_exact.search(text)))


def _word_count(text: str, enough: int) -> int:
    count = 0
    for count, _ in enumerate(_WORD.finditer(text), start=1):
        if count >= enough:
            break
    return count


def relevance_stage(article: Article, settings: Settings) -> Article | Coded:
    """Pipeline stage: the article unchanged, or a finished ``Coded`` with no events."""
    if not settings.relevance_filter:
        return article
    text = f"{article.title}\n{article.text}" if article.title else article.text
    verdict = judge_relevance(text, load_relevance_lexicon())
    if verdict.relevant:
        return article
    return Coded(article=article, events=(), places=(), extra={"not_relevant": verdict.reason})
