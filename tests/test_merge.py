"""Merging reports across articles: the rules as domain cases, the store-level
API (incremental, idempotent, reviewer merge/split), and our own article sets
run through the real pipeline."""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from fieldreport.config import Settings
from fieldreport.errors import UsageError
from fieldreport.merge import (
    merge_events, merge_pending, rebuild_events, report_sites, split_event, store_coded,
)
from fieldreport.merge.engine import Merger
from fieldreport.merge.neardup import minhash, similarity
from fieldreport.merge.rules import combine, report_profile, score, site_names
from fieldreport.records import Article, Coded, Event, Evidence, Source
from fieldreport.runners.local import raise_errors, run_local
from fieldreport.store import Store, open_store

FIXTURES = Path(__file__).parent / "fixtures" / "merge"
KIRKUK = dict(country="Iraq", iso3="IRQ", admin1="Kirkuk", location="Kirkuk", latitude=35.4681, longitude=44.3922,
              geo_precision=1, geonameid=94787)
BAGHDAD = dict(country="Iraq", iso3="IRQ", admin1="Baghdad", location="Baghdad", latitude=33.3406, longitude=44.4009,
               geo_precision=1, geonameid=98182)
HAWIJA = dict(country="Iraq", iso3="IRQ", admin1="Kirkuk", location="Hawija", latitude=35.3292, longitude=43.7718,
              geo_precision=1, geonameid=0)
KIRKUK_PROVINCE = dict(country="Iraq", iso3="IRQ", admin1="Kirkuk", location="Kirkuk", latitude=35.5, longitude=44.3,
                       geo_precision=3, geonameid=94786)
ALEPPO = dict(country="Syria", iso3="SYR", admin1="Aleppo", location="Aleppo", latitude=36.2021, longitude=37.1343,
              geo_precision=1, geonameid=170063)
BOMBING = dict(disorder_type="Political violence", event_type="Explosions/Remote violence",
               sub_event_type="Remote explosive/landmine/IED")
ATTACK = dict(disorder_type="Political violence", event_type="Violence against civilians", sub_event_type="Attack")
CLASH = dict(disorder_type="Political violence", event_type="Battles", sub_event_type="Armed clash")
PROTEST = dict(disorder_type="Demonstrations", event_type="Protests", sub_event_type="Peaceful protest")
IS, ARMY = "Islamic State (Iraq)", "Military Forces of Iraq (2014-)"
PESHMERGA, PKK = "Peshmerga", "PKK: Kurdistan Workers Party"


def day(iso: str, **extra: Any) -> dict[str, Any]:
    return dict(event_date=iso, date_start=iso, date_end=iso, time_precision=1, **extra)


def report(article: str, **fields: Any) -> Event:
    data: dict[str, Any] = {**BOMBING, **KIRKUK, **day("2017-03-14"), "confidence": 0.8, **fields}
    return Event(event_id=f"r-{article}-{data['event_type'][:4]}-{data.get('event_date')}", article_id=article,
                 sources=(Source(article, f"https://x.example/{article}", article, article.upper(), "2017-03-14"),),
                 **data)


def fits(a: Event, b: Event, sites_a: frozenset[str] = frozenset(), sites_b: frozenset[str] = frozenset()) -> bool:
    return score(report_profile(a, sites_a), report_profile(b, sites_b)) is not None


HURRIYA, DOMIZ = frozenset({"hurriya"}), frozenset({"domiz"})

SAME_OR_NOT = [
    # (a conflict analyst's sentence, report a, report b, sites a, sites b, one event?)
    ("two outlets report the same market bombing", report("a", fatalities=12), report("b", fatalities=15),
     HURRIYA, HURRIYA, True),
    ("one outlet codes an explosion, another an attack on civilians", report("a"), report("b", **ATTACK),
     frozenset(), frozenset(), True),
    ("a report naming only the province fits a report naming its capital", report("a"),
     report("b", **KIRKUK_PROVINCE), frozenset(), frozenset(), True),
    ("a week-long window holds a dated report of the same bombing", report("a"),
     report("b", date_start="2017-03-13", date_end="2017-03-19", time_precision=2), frozenset(), frozenset(), True),
    ("a claim by IS and the army's denial are one disputed event", report("a", actor1=IS, attribution="Islamic State",
     hedged=True), report("b", modality="negated", attribution="the army"), frozenset(), frozenset(), True),
    ("bombings at two different markets the same day are two events", report("a", fatalities=12),
     report("b", fatalities=3), HURRIYA, DOMIZ, False),
    ("a clash on Monday and a clash on Wednesday are two events (one event per day per place)",
     report("a", **CLASH, **day("2017-03-13")), report("b", **CLASH, **day("2017-03-15")), frozenset(), frozenset(),
     False),
    ("consecutive days of one offensive are separate events", report("a", **CLASH, **day("2017-03-13")),
     report("b", **CLASH, **day("2017-03-14")), frozenset(), frozenset(), False),
    ("bombings in Kirkuk and Baghdad are two events", report("a"), report("b", **BAGHDAD), frozenset(), frozenset(),
     False),
    ("Kirkuk and Hawija, 55 km apart, are two towns", report("a"), report("b", **HAWIJA), frozenset(), frozenset(),
     False),
    ("the same day in another country is another event", report("a"), report("b", **ALEPPO), frozenset(), frozenset(),
     False),
    ("a forecast of an attack is not the attack", report("a"), report("b", modality="forecast"), frozenset(),
     frozenset(), False),
    ("army against IS and Peshmerga against the PKK are two fights",
     report("a", **CLASH, actor1=ARMY, actor2=IS), report("b", **CLASH, actor1=PESHMERGA, actor2=PKK),
     frozenset(), frozenset(), False),
    ("different named attackers and no shared site: two events", report("a", **CLASH, actor1=ARMY),
     report("b", **CLASH, actor1=PESHMERGA), frozenset(), frozenset(), False),
    ("a protest and a bombing are different kinds of event", report("a"), report("b", **PROTEST), frozenset(),
     frozenset(), False),
    ("two events coded in one article stay two", report("a"), replace(report("a"), event_id="other"), frozenset(),
     frozenset(), False),
    ("a report dated only to the month is too vague to merge",
     report("a"), report("b", date_start="2017-03-01", date_end="2017-03-31", time_precision=3), frozenset(),
     frozenset(), False),
]


@pytest.mark.parametrize("case, a, b, sites_a, sites_b, same", SAME_OR_NOT, ids=[c[0] for c in SAME_OR_NOT])
def test_reports_are_one_event_or_not(case: str, a: Event, b: Event, sites_a: frozenset[str],
                                      sites_b: frozenset[str], same: bool) -> None:
    assert fits(a, b, sites_a, sites_b) is same
    assert fits(b, a, sites_b, sites_a) is same


SITES = [
    ("A car bomb exploded at the crowded Hurriya market in Kirkuk on Tuesday.", {"hurriya"}),
    ("The blast struck Kirkuk's Hurriya market shortly after 10 a.m.", {"hurriya"}),
    ("A suicide bomber hit the mosque of al-Nuri in Mosul.", {"nuri"}),
    ("A car bomb exploded in a busy market in Kirkuk.", set()),
    ("The Tuesday market bombing killed 12 in Kirkuk.", set()),
    ("Gunmen attacked an Iraqi army checkpoint near Kirkuk.", set()),
]


@pytest.mark.parametrize("sentence, expected", SITES, ids=[s for s, _ in SITES])
def test_named_sites_exclude_towns_weekdays_and_nationalities(sentence: str, expected: set[str]) -> None:
    assert site_names(sentence, [(0, len(sentence))], ("Kirkuk", "Mosul")) == expected


def test_combined_event_keeps_every_source_the_conservative_toll_and_the_most_precise_place() -> None:
    reports = [
        report("a", fatalities=12, fatalities_low=12, fatalities_high=12,
               evidence=(Evidence("fatalities", "a", 0, 9, "12 killed"),)),
        report("b", fatalities=15, fatalities_low=15, fatalities_high=None, **KIRKUK_PROVINCE,
               evidence=(Evidence("fatalities", "b", 0, 11, "at least 15"),)),
        report("c", fatalities=12, fatalities_low=12, fatalities_high=None, date_start="2017-03-13",
               date_end="2017-03-19", time_precision=2),
        report("d", modality="negated", attribution="the army"),
    ]
    event = combine("e1", reports, [s for r in reports for s in r.sources])
    assert (event.fatalities, event.fatalities_low, event.fatalities_high) == (12, 12, 15)
    assert (event.location, event.geo_precision, event.event_date, event.time_precision) == (
        "Kirkuk", 1, "2017-03-14", 1)
    assert [s.article_id for s in event.sources] == ["a", "b", "c", "d"]
    assert {e.article_id for e in event.evidence} == {"a", "b"}
    assert event.modality == "actual" and event.attribution == "the army"
    assert "4 reports" in event.notes and "denied by the army" in event.notes


def test_blocking_keeps_the_merge_linear() -> None:
    def comparisons(n: int) -> int:
        # a stream over time: about ten reports a day, as a news feed grows
        from datetime import date, timedelta

        merger = Merger()
        for i in range(n):
            iso = (date(2016, 1, 1) + timedelta(days=i // 10)).isoformat()
            event = report(f"a{i}", **day(iso), latitude=30 + (i % 50) * 0.5, longitude=40 + (i % 7) * 0.5,
                           geonameid=i % 350)
            merger.add(event.event_id + str(i), report_profile(event))
        return merger.comparisons

    small, large = comparisons(2_000), comparisons(8_000)
    assert large < 6 * small  # 4x the reports: about 4x the work, not 16x


def test_syndicated_copies_are_near_duplicates_and_other_reports_are_not() -> None:
    import json

    reports = [json.loads(line)["text"] for line in (FIXTURES / "kirkuk_market_bombing.jsonl").open()]
    copies = [json.loads(line)["text"] for line in (FIXTURES / "syndicated.jsonl").open()]
    assert all(similarity(minhash(reports[0]), minhash(c)) >= 0.85 for c in copies)
    assert max(similarity(minhash(a), minhash(b)) for a in reports for b in reports if a is not b) < 0.2


# --- the store: incremental, idempotent, reviewed ------------------------------------------

TEXT = "A car bomb exploded at Hurriya market in Kirkuk on Tuesday, killing 12 people, police said."


def _coded(article_id: str, *events: Event, text: str = TEXT, published: str = "2017-03-14") -> Coded:
    # each outlet's own wording after the lead, so that no two are near-duplicates
    own_words = " ".join(f"{article_id}{i}" for i in range(40))
    article = Article(article_id, f"{text} {own_words}", article_id, f"https://x.example/{article_id}",
                      article_id.upper(), published, "input", f"{article_id}.txt", article_id * 4)
    sentence = Evidence("event", article_id, 0, len(text), text)
    return Coded(article, tuple(replace(e, evidence=(sentence,)) for e in events))


def _events(store: Store) -> dict[str, Event]:
    return {e.event_id: e for e in store.iter_events()}


def test_adding_articles_updates_events_and_keeps_their_ids(tmp_path: Path) -> None:
    with open_store(tmp_path / "p.sqlite") as store:
        store_coded(store, _coded("a", report("a", fatalities=12)))
        store_coded(store, _coded("b", report("b", **BAGHDAD)))
        merge_pending(store)
        before = _events(store)
        kirkuk_id = next(i for i, e in before.items() if e.location == "Kirkuk")
        # tomorrow: another report of the Kirkuk bombing, and an unrelated event
        store_coded(store, _coded("c", report("c", fatalities=15), published="2017-03-15"))
        store_coded(store, _coded("d", report("d", **ALEPPO)))
        summary = merge_pending(store)
        after = _events(store)
    assert (summary.reports, summary.new_events, summary.updated_events) == (2, 1, 1)
    assert set(before) <= set(after) and len(after) == 3
    assert [s.article_id for s in after[kirkuk_id].sources] == ["a", "c"]
    assert after[kirkuk_id].fatalities_high == 15


def test_merging_again_changes_nothing(tmp_path: Path) -> None:
    with open_store(tmp_path / "p.sqlite") as store:
        for name in "abc":
            store_coded(store, _coded(name, report(name)))
        merge_pending(store)
        dump = list(store.db.iterdump())
        assert merge_pending(store).reports == 0
        assert list(store.db.iterdump()) == dump


def _two_events(store: Store) -> tuple[str, str]:
    store_coded(store, _coded("a", report("a")))
    store_coded(store, _coded("b", report("b")))
    store_coded(store, _coded("c", report("c", **HAWIJA)))
    merge_pending(store)
    events = _events(store)
    kirkuk = next(i for i, e in events.items() if e.location == "Kirkuk")
    hawija = next(i for i, e in events.items() if e.location == "Hawija")
    return kirkuk, hawija


def test_reviewer_splits_a_wrong_merge_and_it_survives_a_rebuild(tmp_path: Path) -> None:
    with open_store(tmp_path / "p.sqlite") as store:
        kirkuk, _ = _two_events(store)
        new_id = split_event(store, kirkuk, "b", reviewer="ana")
        events = _events(store)
        assert [s.article_id for s in events[kirkuk].sources] == ["a"]
        assert [s.article_id for s in events[new_id].sources] == ["b"]
        rebuild_events(store)
        assert set(_events(store)) == set(events)
        assert [s.article_id for s in _events(store)[new_id].sources] == ["b"]
        assert store.decisions()[0].reviewer == "ana"


def test_reviewer_merges_a_missed_pair_and_it_survives_a_rebuild(tmp_path: Path) -> None:
    with open_store(tmp_path / "p.sqlite") as store:
        kirkuk, hawija = _two_events(store)
        assert merge_events(store, kirkuk, hawija, reviewer="ana") == kirkuk
        assert list(_events(store)) == [kirkuk]
        rebuild_events(store)
        (event,) = store.iter_events()
    assert event.event_id == kirkuk and [s.article_id for s in event.sources] == ["a", "b", "c"]


REVIEW_MISTAKES = [
    ("merging an event with itself", lambda s, k, h: merge_events(s, k, k, "ana"), "itself"),
    ("merging an event that does not exist", lambda s, k, h: merge_events(s, k, "nope", "ana"), "no event"),
    ("splitting an article that is not a report of the event", lambda s, k, h: split_event(s, k, "c", "ana"),
     "not a report"),
    ("splitting the only article of an event", lambda s, k, h: split_event(s, h, "c", "ana"), "nothing to split"),
]


@pytest.mark.parametrize("case, action, message", REVIEW_MISTAKES, ids=[c[0] for c in REVIEW_MISTAKES])
def test_review_mistakes_fail_with_a_clear_message(tmp_path: Path, case: str, action: Any, message: str) -> None:
    with open_store(tmp_path / "p.sqlite") as store:
        kirkuk, hawija = _two_events(store)
        with pytest.raises(UsageError, match=message):
            action(store, kirkuk, hawija)


def test_report_sites_read_only_the_event_sentences() -> None:
    text = "A bomb hit Domiz market in Kirkuk. Last year a bomb hit Hurriya market."
    event = replace(report("a"), evidence=(Evidence("event", "a", 0, 33, text[:33]),))
    assert report_sites(event, text) == {"domiz"}


# --- our article sets through the real pipeline ----------------------------------------------

def _run(resources: Any, db: Path, *names: str) -> Any:
    with open_store(db) as store:
        return run_local([FIXTURES / n for n in names], Settings(progress=False), store, resources, raise_errors)


@pytest.fixture(scope="module")
def kirkuk_db(tmp_path_factory: pytest.TempPathFactory, resources: Any) -> Path:
    db = tmp_path_factory.mktemp("merge") / "kirkuk.sqlite"
    _run(resources, db, "kirkuk_market_bombing.jsonl", "kirkuk_second_market.jsonl")
    return db


def _bombings(store: Store) -> list[Event]:
    """The articles' bombings; an arrest or a statement they also report is another event."""
    return [e for e in store.iter_events() if e.modality == "actual" and e.event_type == "Explosions/Remote violence"]


def _main_event(db: Path) -> tuple[Event, list[Event]]:
    with open_store(db, create=False) as store:
        events = _bombings(store)
    return max(events, key=lambda e: len(e.sources)), events


def test_ten_reports_of_one_bombing_become_one_event_with_ten_sources(kirkuk_db: Path) -> None:
    main, _ = _main_event(kirkuk_db)
    assert len(main.sources) == 10
    assert (main.fatalities, main.fatalities_low) == (12, 12) and (main.fatalities_high or 0) >= 15
    assert (main.event_date, main.location, main.event_type) == ("2017-03-14", "Kirkuk", "Explosions/Remote violence")
    assert len({e.article_id for e in main.evidence}) == 10
    with open_store(kirkuk_db, create=False) as store:
        n_reports = store.db.execute("SELECT n_reports FROM events WHERE event_id = ?", (main.event_id,)).fetchone()
    assert n_reports == (10,)


def test_a_second_bombing_the_same_day_in_the_same_city_stays_apart(kirkuk_db: Path) -> None:
    main, events = _main_event(kirkuk_db)
    others = [e for e in events if e is not main]
    assert len(others) == 1
    (domiz,) = others
    assert (domiz.event_date, domiz.location, domiz.fatalities, len(domiz.sources)) == ("2017-03-14", "Kirkuk", 3, 2)


def test_rerunning_the_same_articles_changes_nothing(kirkuk_db: Path, tmp_path: Path, resources: Any) -> None:
    db = tmp_path / "again.sqlite"
    shutil.copy(kirkuk_db, db)
    with open_store(db) as store:
        before = list(store.iter_events())
    summary = _run(resources, db, "kirkuk_market_bombing.jsonl", "kirkuk_second_market.jsonl")
    with open_store(db) as store:
        assert list(store.iter_events()) == before
    assert (summary.duplicates, summary.merged_reports) == (12, 0)


def test_articles_arriving_over_two_runs_give_the_same_event(tmp_path: Path, resources: Any) -> None:
    lines = (FIXTURES / "kirkuk_market_bombing.jsonl").read_text(encoding="utf-8").splitlines(keepends=True)
    (tmp_path / "monday.jsonl").write_text("".join(lines[:4]), encoding="utf-8")
    (tmp_path / "tuesday.jsonl").write_text("".join(lines[4:]), encoding="utf-8")
    db = tmp_path / "p.sqlite"
    with open_store(db) as store:
        run_local([tmp_path / "monday.jsonl"], Settings(progress=False), store, resources, raise_errors)
        (first,) = _bombings(store)
        summary = run_local([tmp_path / "tuesday.jsonl"], Settings(progress=False), store, resources, raise_errors)
        (event,) = _bombings(store)
    assert event.event_id == first.event_id and len(event.sources) == 10
    assert summary.updated_events == 1


def test_syndicated_copies_become_sources_without_being_coded_again(kirkuk_db: Path, tmp_path: Path,
                                                                   resources: Any) -> None:
    db = tmp_path / "syndicated.sqlite"
    shutil.copy(kirkuk_db, db)
    summary = _run(resources, db, "syndicated.jsonl")
    main, _ = _main_event(db)
    assert (summary.near_duplicates, summary.coded, summary.merged_reports) == (3, 0, 0)
    assert len(main.sources) == 13
    assert {"Middle East Daily", "World News Roundup"} <= {s.publisher for s in main.sources}
    with open_store(db) as store:
        counts = store.db.execute("SELECT count(*), count(duplicate_of) FROM articles").fetchone()
    assert counts == (15, 3)


def test_syndicated_copies_in_one_batch_are_folded_at_store_time(tmp_path: Path, resources: Any) -> None:
    from fieldreport.pipeline import process
    from fieldreport.ingest.files import read_inputs
    from fieldreport.runners.local import code_pages

    pages = list(read_inputs([FIXTURES / "syndicated.jsonl"], 5_000_000))
    # An engine that cannot see the store codes every copy; storing folds them.
    outcomes = [(p, process(p, resources, Settings(progress=False))) for p in pages]
    with open_store(tmp_path / "p.sqlite") as store:
        *_, (summary, _) = code_pages(outcomes, store)
        (event,) = _bombings(store)
    assert (summary.coded, summary.near_duplicates) == (1, 2) and len(event.sources) == 3
