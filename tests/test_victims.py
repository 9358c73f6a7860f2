"""Death counts spread over several sentences of one event."""

from __future__ import annotations

import pytest

from fieldreport.records import Span
from fieldreport.stages.fatalities import extract_fatalities
from fieldreport.stages.victims import total_fatalities, victim_group


def _counts(text: str) -> tuple[int, int | None, int | None]:
    items = []
    start = 0
    for sentence in text.split(". "):
        found = extract_fatalities(text, Span(start, start + len(sentence)))
        if found:
            items.append(found)
        start += len(sentence) + 2
    result = total_fatalities(items, text)
    return result.best, result.low, result.high


@pytest.mark.parametrize(
    "text, expected",
    [
        # different victim groups add up
        ("Five soldiers were killed in the fighting. Seventeen militants also died, the army said.", (22, 22, 22)),
        ("Peshmerga fighters repelled the attack, killing five militants. One Peshmerga fighter was killed.",
         (6, 6, 6)),
        # a restated total competes with the sum, conservatively
        ("Four soldiers and three civilians were killed. The attack killed seven people in all.", (7, 7, 7)),
        # rival figures for one number: the lowest, with the range kept
        ("The blast killed 12 people. Hospital officials later said the death toll had risen to 15.",
         (12, 12, 15)),
        ("Gunmen killed at least 8 villagers. Residents said 11 villagers were killed.", (8, 8, None)),
    ],
)
def test_counts_across_sentences(text: str, expected: tuple[int, int | None, int | None]) -> None:
    assert _counts(text) == expected


@pytest.mark.parametrize(
    "words, group",
    [("killing five soldiers", "forces"), ("two Peshmerga fighters were killed", "forces"),
     ("killed nine militants", "combatants"), ("killed 12 people", None), ("three children died", "civilians")],
)
def test_victim_group(words: str, group: str | None) -> None:
    assert victim_group(words, Span(0, len(words))) == group
