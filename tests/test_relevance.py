"""The relevance pre-filter: pages with no conflict content skip spaCy, and no page
that reports an event is dropped."""

from __future__ import annotations

import json
import random
from dataclasses import replace
from importlib import resources as package_files
from pathlib import Path
from typing import Any

import pytest
import yaml

from fieldreport.config import Settings
from fieldreport.records import Article, Coded
from fieldreport.stages.relevance import judge_relevance, load_relevance_lexicon, relevance_stage

BENCHMARKS = Path(__file__).resolve().parents[2] / "shared" / "benchmarks" / "events"
LONG_FILLER = (
    " The council met on Tuesday to discuss the budget for the coming year, and members agreed to "
    "spend more on schools, roads and parks in the older districts of the city."
) * 12  # about 400 words of municipal news


def examples() -> dict[str, list[str]]:
    path = package_files.files("fieldreport") / "data" / "relevance_examples.yaml"
    return yaml.safe_load(path.read_text(encoding="utf-8"))["topics"]


@pytest.mark.parametrize(
    "text",
    [
        "Gunmen attacked a police checkpoint in Baqubah on Monday, killing two officers.",
        "Coalition air strikes hit Islamic State positions west of Raqqa overnight.",
        "Hundreds of protesters gathered outside the governorate building in Nasiriyah.",
        "A roadside bomb exploded near a minibus on the road to Samarra.",
        "Regime forces shell the southern countryside of Idlib",
        "Three farmers were kidnapped by armed men near Sinjar.",
        # a headline with a date and a place only: too short to judge, so kept
        "July 13th 2017: Raqqa, Raqqa governorate, Syria",
        # a long page whose only conflict words are a violence word and an actor
        "Police said two men were killed when a crowd stormed the depot." + LONG_FILLER,
    ],
)
def test_conflict_reports_are_kept(text: str) -> None:
    assert judge_relevance(text, load_relevance_lexicon()).relevant


@pytest.mark.parametrize(
    "text",
    [
        # sport uses attack, shot, clash and battle, without armed actors
        "The striker fired a low shot after a quick attack, but the clash ended goalless and the "
        "battle for the title goes on." + LONG_FILLER,
        # business: a strike price and shares that hit a record
        "Shares hit a record high and the strike price of the options was raised." + LONG_FILLER,
        # a long page with nothing about conflict
        LONG_FILLER,
    ],
)
def test_long_pages_without_conflict_content_are_dropped(text: str) -> None:
    verdict = judge_relevance(text, load_relevance_lexicon())
    assert not verdict.relevant, verdict.reason


def test_acronyms_match_only_in_capitals() -> None:
    lexicon = load_relevance_lexicon()
    assert judge_relevance("Fighters of =ISIS".replace("=", "") + LONG_FILLER, lexicon).relevant
    assert not judge_relevance("The isis flower bloomed." + LONG_FILLER, lexicon).relevant


def test_our_non_conflict_pages_are_all_dropped() -> None:
    lexicon = load_relevance_lexicon()
    rng = random.Random(7)
    for topic, paragraphs in examples().items():
        for _ in range(10):
            page = "\n".join(rng.sample(paragraphs, min(len(paragraphs), 8)))
            verdict = judge_relevance(page, lexicon)
            assert not verdict.relevant, (topic, verdict.reason)


def test_every_demo_page_with_events_is_kept() -> None:
    from fieldreport.demo import demo_corpus
    from fieldreport.ingest.files import read_inputs
    from fieldreport.records import Page
    from fieldreport.stages.clean import clean_page

    lexicon = load_relevance_lexicon()
    for page in read_inputs([demo_corpus()], 5_000_000):
        if isinstance(page, Page):
            article = clean_page(page, Settings())
            assert judge_relevance(article.text, lexicon).relevant, page.source_path


def _article(text: str) -> Article:
    return Article("a1", text, "Title", None, None, None, None, "x.html", "sha")


def test_the_stage_finishes_a_dropped_page_with_no_events() -> None:
    out = relevance_stage(_article(LONG_FILLER), Settings())
    assert isinstance(out, Coded) and out.events == () and "no conflict terms" in out.extra["not_relevant"]
    kept = _article("Gunmen attacked a checkpoint." + LONG_FILLER)
    assert relevance_stage(kept, Settings()) is kept
    assert relevance_stage(_article(LONG_FILLER), Settings(relevance_filter=False)).text == LONG_FILLER


def test_dropped_pages_are_counted_stored_and_skipped_on_rerun(tmp_path: Path, resources: Any) -> None:
    from fieldreport.runners.local import raise_errors, run_local
    from fieldreport.store import open_store

    topics = examples()
    pages = tmp_path / "pages"
    pages.mkdir()
    for name in ("sport", "business", "weather"):
        (pages / f"{name}.txt").write_text(f"A {name} page\n\n" + "\n".join(topics[name]), encoding="utf-8")
    (pages / "attack.txt").write_text("Checkpoint attacked\n\nGunmen attacked an army checkpoint in Baiji "
                                         "on Monday, killing two soldiers, officials said." + LONG_FILLER)
    settings = Settings(progress=False, workers=1)
    with open_store(tmp_path / "r.sqlite") as store:
        first = run_local([pages], settings, store, resources, raise_errors)
        statuses = dict(store.db.execute("SELECT status, count(*) FROM pages GROUP BY status").fetchall())
        second = run_local([pages], settings, store, resources, raise_errors)
        articles = store.counts()["articles"]
    assert (first.pages, first.coded, first.not_relevant, first.quarantined) == (4, 1, 3, 0)
    assert "3 not relevant" in first.line()
    assert statuses == {"coded": 1, "not_relevant": 3} and articles == 1
    assert (second.duplicates, second.not_relevant, second.coded) == (4, 0, 0)


def _benchmark_records(name: str) -> list[dict[str, Any]]:
    path = BENCHMARKS / f"{name}.jsonl"
    if not path.exists():
        pytest.skip(f"benchmark data not found at {path} (../shared/benchmarks)")
    return [json.loads(line) for line in path.open(encoding="utf-8")]


@pytest.mark.parametrize("name", ["case2021-task2", "acled-asia-2015", "ucdp-ged-syria", "wikievents-dev"])
def test_recall_on_benchmark_records_with_events_is_at_least_98_percent(name: str) -> None:
    """Quality gate: measured 0.9997-1.0 when written (see README); the floor is the issue's target."""
    lexicon = load_relevance_lexicon()
    with_events = [r for r in _benchmark_records(name) if r.get("events") or r.get("kairos_events")]
    kept = sum(judge_relevance(f"{r.get('title') or ''}\n{r['text']}", lexicon).relevant for r in with_events)
    assert with_events and kept / len(with_events) >= 0.98


def test_settings_turn_the_filter_off() -> None:
    settings = replace(Settings(), relevance_filter=False)
    assert relevance_stage(_article(LONG_FILLER), settings).text == LONG_FILLER
