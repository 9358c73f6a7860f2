"""Event dates: sentences an analyst would code, with the publication date."""

from __future__ import annotations

import pytest

from fieldreport.records import Span
from fieldreport.stages.dates import find_date_expressions, resolve_event_date

# (sentence, published, expected event_date, date_start, date_end, precision, expected date words)
CASES = [
    # weekdays: 2016-05-05 is a Thursday
    ("Gunmen killed five soldiers on Tuesday.", "2016-05-05", "2016-05-03", "2016-05-03", "2016-05-03", 1, "on Tuesday"),
    ("Gunmen killed five soldiers on Tuesday night.", "2016-05-05", "2016-05-03", "2016-05-03", "2016-05-03", 1,
     "on Tuesday night"),
    # published on a Tuesday: the previous Tuesday unless the sentence says today
    ("Gunmen killed five soldiers on Tuesday.", "2016-05-03", "2016-05-03", "2016-05-03", "2016-05-03", 1, "on Tuesday"),
    ("Gunmen killed five soldiers last Tuesday.", "2016-05-03", "2016-04-26", "2016-04-26", "2016-04-26", 1, "last Tuesday"),
    ("Gunmen attacked a checkpoint this morning.", "2016-05-03", "2016-05-03", "2016-05-03", "2016-05-03", 1,
     "this morning"),
    ("Militants shelled the town yesterday.", "2016-05-05", "2016-05-04", "2016-05-04", "2016-05-04", 1, "yesterday"),
    ("A mortar hit the market late last night.", "2016-05-05", "2016-05-04", "2016-05-04", "2016-05-04", 1,
     "last night"),
    ("The convoy was ambushed two days ago.", "2016-05-05", "2016-05-03", "2016-05-03", "2016-05-03", 1,
     "two days ago"),
    # absolute dates
    ("The attack took place on March 3, 2015.", None, "2015-03-03", "2015-03-03", "2015-03-03", 1, "March 3, 2015"),
    ("The attack took place on 3 March 2015.", None, "2015-03-03", "2015-03-03", "2015-03-03", 1, "3 March 2015"),
    ("Clashes were reported on 2016-04-30 near the border.", None, "2016-04-30", "2016-04-30", "2016-04-30", 1,
     "2016-04-30"),
    # day and month without a year: most recent such date not after publication
    ("Rebels seized the airport on 12 May.", "2016-05-15", "2016-05-12", "2016-05-12", "2016-05-12", 1, "12 May"),
    ("Rebels seized the airport on 12 May.", "2016-05-05", "2015-05-12", "2015-05-12", "2015-05-12", 1, "12 May"),
    # weeks
    ("The village was burned three weeks ago.", "2016-05-05", "2016-04-14", "2016-04-11", "2016-04-17", 2,
     "three weeks ago"),
    ("Troops clashed with rebels last week.", "2016-05-05", "2016-04-28", "2016-04-25", "2016-05-01", 2, "last week"),
    ("Fighting raged between 3 and 5 May.", "2016-05-05", "2016-05-04", "2016-05-03", "2016-05-05", 2,
     "between 3 and 5 May"),
    # months: mid-month coded, window clipped at publication
    ("The militia raided the camp in March.", "2016-05-05", "2016-03-15", "2016-03-01", "2016-03-31", 3, "in March"),
    ("The militia raided the camp in June.", "2016-05-05", "2015-06-15", "2015-06-01", "2015-06-30", 3, "in June"),
    ("The militia raided the camp last month.", "2016-05-05", "2016-04-15", "2016-04-01", "2016-04-30", 3,
     "last month"),
    ("Protesters were dispersed earlier this month.", "2016-05-09", "2016-05-05", "2016-05-01", "2016-05-09", 3,
     "earlier this month"),
    # years and history
    ("The town fell to the rebels in 2014.", None, "2014-07-01", "2014-01-01", "2014-12-31", 4, "in 2014"),
    ("The town was besieged in the summer of 2014.", None, "2014-07-16", "2014-06-01", "2014-08-31", 3,
     "in the summer of 2014"),
    ("Back in 2003, the city was bombed.", "2016-05-05", "2003-07-01", "2003-01-01", "2003-12-31", 4,
     "Back in 2003"),
    # numeric day/month in brackets (South Asian press): day first, latest reading not after publication
    ("A bus was torched near the bus terminal (17/01).", "2015-01-20", "2015-01-17", "2015-01-17", "2015-01-17", 1,
     "(17/01)"),
    ("A bus was torched near the bus terminal (03/02).", "2015-02-04", "2015-02-03", "2015-02-03", "2015-02-03", 1,
     "(03/02)"),
    ("A bus was torched near the bus terminal (28/12).", "2015-01-02", "2014-12-28", "2014-12-28", "2014-12-28", 1,
     "(28/12)"),
    ("Two groups clashed on Wednesday [14 October].", "2015-10-17", "2015-10-14", "2015-10-14", "2015-10-14", 1,
     "on Wednesday [14 October"),
]


@pytest.mark.parametrize("sentence,published,event_date,start,end,precision,words", CASES)
def test_resolves_event_date(sentence, published, event_date, start, end, precision, words):
    got = resolve_event_date(sentence, Span(0, len(sentence)), published)
    assert (got.event_date, got.date_start, got.date_end, got.time_precision) == (event_date, start, end, precision)
    assert got.span is not None and got.span.text(sentence) == words
    assert got.reason


NO_DATE = [
    "Gunmen killed five soldiers near the border.",
    "Theresa May condemned the attack.",  # a name, not the month
    "May God protect us, said a mourner.",  # a verb, not the month
    "At least 2000 people died in the clashes.",  # a count, not a year
    "The town has been besieged since March.",  # a start, not the event's date
]


@pytest.mark.parametrize("sentence", NO_DATE)
def test_sentence_without_event_date(sentence):
    got = resolve_event_date(sentence, Span(0, len(sentence)), "2016-05-05")
    assert got == resolve_event_date("", Span(0, 0), None)
    assert (got.event_date, got.time_precision, got.span, got.reason) == (None, None, None, "no date in sentence")


@pytest.mark.parametrize("sentence", ["Gunmen killed five soldiers on Tuesday.", "The camp was raided last week.",
                                      "Rebels seized the airport on 12 May."])
def test_relative_date_needs_publication(sentence):
    got = resolve_event_date(sentence, Span(0, len(sentence)), None)
    assert (got.event_date, got.date_start, got.time_precision) == (None, None, None)
    assert got.reason == "relative date without publication date"


def test_nearest_expression_to_the_trigger_wins():
    text = "A bomb exploded on Monday, police said on Tuesday."
    trigger = Span(text.index("exploded"), text.index("exploded") + len("exploded"))
    got = resolve_event_date(text, Span(0, len(text)), "2016-05-05", trigger)
    assert got.event_date == "2016-05-02"


def test_reporting_date_is_a_last_resort():
    text = "Police said on Tuesday that a bomb had exploded in the market."
    got = resolve_event_date(text, Span(0, len(text)), "2016-05-05")
    assert got.event_date == "2016-05-03"  # the only date there is
    text = "Police said on Tuesday that a bomb exploded on Monday."
    assert resolve_event_date(text, Span(0, len(text)), "2016-05-05").event_date == "2016-05-02"
    # the report's date may come before its verb, and a denial is a report too
    text = "The ministry on Tuesday denied bombing the market, which activists say was hit on Monday."
    trigger = Span(text.index("bombing"), text.index("bombing") + len("bombing"))
    assert resolve_event_date(text, Span(0, len(text)), "2016-05-05", trigger).event_date == "2016-05-02"


def test_offsets_are_absolute():
    text = "First sentence. Militants attacked the base yesterday."
    sentence = Span(16, len(text))
    got = resolve_event_date(text, sentence, "2016-05-05")
    assert got.span is not None and got.span.text(text) == "yesterday"
    assert find_date_expressions(text, sentence) == [got.span]


# Held-out: written after the rules, to check they generalise.
HELD_OUT = [
    ("Security forces stormed the compound on Sunday morning.", "2017-01-11", "2017-01-08", 1),
    ("The bridge was blown up in early April.", "2017-06-01", "2017-04-05", 3),
    ("The rebels retook the town over the weekend.", "2017-01-11", "2017-01-07", 2),  # Sat-Sun: midpoint rounds down
    ("Dozens were arrested between April 28 and May 2, 2017.", None, "2017-04-30", 2),
    ("A drone strike hit the convoy on Friday, 13 January.", "2017-01-20", "2017-01-13", 1),
    ("The massacre happened two years ago.", "2017-01-11", "2015-07-01", 4),
]


@pytest.mark.parametrize("sentence,published,event_date,precision", HELD_OUT)
def test_held_out(sentence, published, event_date, precision):
    got = resolve_event_date(sentence, Span(0, len(sentence)), published)
    assert (got.event_date, got.time_precision) == (event_date, precision)
