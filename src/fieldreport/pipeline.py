"""The ordered stages and ``process(page, resources, settings)``.

The same function runs in the local runner and inside Ray: no stage knows which.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from .config import Settings
from .records import Article, Coded, Page
from .resources import Resources
from .stages.clean import clean_page
from .stages.extract import Annotated, annotate, extract_events
from .stages.relevance import relevance_stage


@dataclass(frozen=True)
class Stage:
    name: str
    needs: str
    makes: str
    run: Callable[[Any, Resources, Settings], Any]


STAGES: tuple[Stage, ...] = (
    Stage("clean", "page", "article", lambda page, res, s: clean_page(page, s)),
    # May finish early: a page with no conflict terms becomes a Coded with no events.
    Stage("relevance", "article", "article", lambda article, res, s: relevance_stage(article, s)),
    Stage("annotate", "article", "annotated", lambda article, res, s: annotate(article, res)),
    Stage("extract", "annotated", "coded", lambda ann, res, s: extract_events(ann, res)),
)


def check_stage_order(stages: tuple[Stage, ...] = STAGES) -> None:
    """Each stage must consume what the previous one made; checked once at start."""
    have = "page"
    for stage in stages:
        if stage.needs != have:
            raise RuntimeError(f"stage {stage.name} needs {stage.needs}, but the pipeline has {have}")
        have = stage.makes


def process(page: Page, resources: Resources, settings: Settings,
            after_clean: Callable[[Article], Coded | None] | None = None) -> Coded:
    """Code one page. Raises ``Reject`` for inputs that cannot be coded.

    ``after_clean`` may finish the page right after the cheap clean stage (the
    local runner uses it to stop near-duplicates of stored articles)."""
    value: Any = page
    timings: dict[str, float] = {}
    for stage in STAGES:
        started = time.perf_counter()
        value = stage.run(value, resources, settings)
        timings[stage.name] = time.perf_counter() - started
        if stage.name == "clean" and after_clean is not None:
            finished = after_clean(value)
            if finished is not None:
                value = replace(finished, timings=timings)
        if isinstance(value, Coded):  # a stage finished the page early
            break
    coded: Coded = value
    coded.timings.update(timings)
    return coded


def process_article(article: Article, resources: Resources) -> Coded:
    """Code an article whose text is already clean (eval, tests)."""
    annotated: Annotated = annotate(article, resources)
    return extract_events(annotated, resources)
