"""Fatalities: how many deaths a sentence reports (ACLED conservative rule)."""

from __future__ import annotations

import pytest

from fieldreport.records import Fatalities, Span
from fieldreport.stages.fatalities import combine_fatalities, extract_fatalities

# (sentence, best, low, high, the words that justify the count)
CASES = [
    ("The death toll from the blast rose to 14 on Wednesday.", 14, 14, 14, "toll from the blast rose to 14"),
    ("Gunmen killed five soldiers on Tuesday.", 5, 5, 5, "killed five soldiers"),
    ("The bombing killed 1,200 people over the year.", 1200, 1200, 1200, "killed 1,200 people"),
    ("Twenty-three civilians were killed in the airstrike.", 23, 23, 23, "Twenty-three civilians were killed"),
    ("A dozen militants were killed.", 12, 12, 12, "A dozen militants were killed"),
    ("Dozens of people were killed in the clashes.", 12, 12, None, "Dozens of people were killed"),
    ("Hundreds died in the fighting.", 100, 100, None, "Hundreds died"),
    ("Tens of civilians were massacred.", 10, 10, None, "Tens of civilians were massacred"),
    ("At least 15 people were killed.", 15, 15, None, "At least 15 people were killed"),
    ("More than 20 soldiers were slain.", 20, 20, None, "More than 20 soldiers were slain"),
    ("Up to 30 people may have been killed.", 30, None, 30, "Up to 30 people may have been killed"),
    ("Between 10 and 15 civilians were killed.", 10, 10, 15, "Between 10 and 15 civilians were killed"),
    ("10 to 15 civilians were killed.", 10, 10, 15, "10 to 15 civilians were killed"),
    ("A soldier was killed in the attack.", 1, 1, 1, "A soldier was killed"),
    ("Two policemen and three civilians were killed.", 5, 5, 5, "Two policemen and three civilians were killed"),
    ("Suspected militants killed five soldiers and two civilians in an ambush.", 7, 7, 7,
     "killed five soldiers and two civilians"),
    ("The death toll rose to 40 on Sunday.", 40, 40, 40, "toll rose to 40"),
    ("Police found the bodies of seven men.", 7, 7, 7, "bodies of seven men"),
    ("Five people lost their lives in the blast.", 5, 5, 5, "Five people lost their lives"),
    ("Four prisoners were executed on Monday.", 4, 4, 4, "Four prisoners were executed"),
    ("A bomb exploded in a market, killing at least 12 people.", 12, 12, None, "killing at least 12 people"),
    ("The blast left 12 people dead.", 12, 12, 12, "12 people dead"),
    ("Troops shot dead two suspected militants.", 2, 2, 2, "dead two suspected militants"),
    ("A shopkeeper and his nephew were shot dead outside their store.", 2, 2, 2,
     "A shopkeeper and his nephew were shot dead"),
    ("Four traders were abducted and killed near the border.", 4, 4, 4, "Four traders were abducted and killed"),
    ("Gunmen on a motorbike gunned down a tribal elder in Bannu.", 1, 1, 1, "down a tribal elder"),
    ("Police gunned down three suspected robbers in a shootout.", 3, 3, 3, "down three suspected robbers"),
    # a denied role in a killing leaves the deaths standing
    ("The group denied any involvement in the ambush that killed nine rangers.", 9, 9, 9, "killed nine rangers"),
    ("The ambush led to the death of five soldiers.", 5, 5, 5, "death of five soldiers"),
    ("Fighting that killed at least 23, monitors say.", 23, 23, None, "killed at least 23"),
    # injuries are never fatalities
    ("The militants killed 3 and wounded 12.", 3, 3, 3, "killed 3"),
    ("At least 20 were killed and 40 injured.", 20, 20, None, "At least 20 were killed"),
    ("The attack killed 3 people and 12 others were wounded.", 3, 3, 3, "killed 3 people"),
    # numbers that are not victims
    ("A 12-year-old boy was killed.", 1, 1, 1, "boy was killed."),
    ("Three rockets killed two children.", 2, 2, 2, "killed two children"),
    ("Militants attacked 3 villages and 5 people were killed.", 5, 5, 5, "5 people were killed"),
    ("The airstrike killed five militants, including two commanders.", 5, 5, 5, "killed five militants"),
    # deaths without a number
    ("Several people were killed.", 3, 3, None, "Several people were killed"),
    ("Many were killed in the shelling.", 10, None, None, "Many were killed"),
    ("Clashes killed civilians and displaced thousands.", 3, 2, None, "Clashes killed civilians"),
    ("He was stabbed to death.", 1, 1, 1, "stabbed to death."),
    # one event, two figures in one sentence: the conservative one
    ("The attack killed 12 people, and the toll later rose to 15.", 12, 12, 15,
     "killed 12 people, and the toll later rose to 15"),
]


@pytest.mark.parametrize("sentence,best,low,high,words", CASES)
def test_extracts_fatalities(sentence, best, low, high, words):
    got = extract_fatalities(sentence, Span(0, len(sentence)))
    assert got is not None
    assert (got.best, got.low, got.high) == (best, low, high)
    assert got.span is not None and got.span.text(sentence) == words
    assert got.reason


NO_DEATHS = [
    "No one was killed in the attack.",
    "Three people were wounded in the attack.",
    "The court sentenced two men to death.",
    "Protesters marched through the capital on Friday.",
    "Nobody died, police said.",
    "Rebels killed or wounded 20 soldiers.",  # a mixed figure is not a death count
    "Rebels shot down an army helicopter over the valley.",
    "Two journalists were detained and questioned overnight.",
    # a toll that may rise is not a figure; "many of the wounded" are not dead
    "Officials warned the toll could rise because many of the wounded were in critical condition.",
    # deaths that are denied are not reported deaths
    "The interior ministry denied that any detainees were killed during the transfer.",
    "The junta rejected claims that dozens of villagers were shot dead in the raid.",
]


@pytest.mark.parametrize("sentence", NO_DEATHS)
def test_no_deaths_reported(sentence):
    assert extract_fatalities(sentence, Span(0, len(sentence))) is None


def test_offsets_are_absolute():
    text = "Fighting resumed. Gunmen killed four guards."
    got = extract_fatalities(text, Span(18, len(text)))
    assert got is not None and got.span is not None
    assert got.span.text(text) == "killed four guards"


COMBINE = [
    # (figures as (best, low, high), expected (best, low, high))
    ([(12, 12, 12), (15, 15, 15)], (12, 12, 15)),  # "killed 12" ... "the toll rose to 15"
    ([(15, 15, None), (12, 12, 12)], (12, 12, None)),  # "at least 15" leaves the range open
    ([(30, None, 30), (20, 20, 20)], (20, 20, 30)),  # "up to 30" vs "20 killed"
    ([(7, 7, 7)], (7, 7, 7)),
]


@pytest.mark.parametrize("figures,expected", COMBINE)
def test_combine_takes_the_most_conservative_figure(figures, expected):
    items = [Fatalities(b, lo, hi, Span(i, i + 1)) for i, (b, lo, hi) in enumerate(figures)]
    got = combine_fatalities(items)
    assert (got.best, got.low, got.high) == expected


def test_combine_needs_a_figure():
    with pytest.raises(ValueError):
        combine_fatalities([])


# Held-out: written after the rules, to check they generalise.
HELD_OUT = [
    ("Eight Afghan National Army soldiers were killed near the base.", 8),
    ("The suicide bomber killed himself and nine worshippers.", 10),  # ACLED counts the bomber
    ("A policeman and two passers-by died in the explosion.", 3),
    ("Fighting between the two clans left more than 30 dead.", 30),
    ("Scores of villagers were slaughtered.", 20),
    ("The bombing claimed 17 lives.", 17),
    ("Eleven people were killed and 40 wounded, the ministry said.", 11),
]


@pytest.mark.parametrize("sentence,best", HELD_OUT)
def test_held_out(sentence, best):
    got = extract_fatalities(sentence, Span(0, len(sentence)))
    assert got is not None and got.best == best
