"""Modality and attribution: did it happen, and who says so."""

from __future__ import annotations

import pytest

from fieldreport.records import Span
from fieldreport.stages.modality import classify_modality


def classify(nlp, sentence: str, trigger: str, prefix: str = ""):
    text = prefix + sentence
    start = len(prefix) + sentence.index(trigger)
    return text, classify_modality(nlp(text), Span(len(prefix), len(text)), Span(start, start + len(trigger)))


# (sentence, trigger word, modality, the cue words or None)
MODALITY = [
    # actual
    ("Gunmen killed five soldiers on Tuesday, security officials said.", "killed", "actual", None),
    ("Clashes erupted in the market, but no casualties were reported.", "Clashes", "actual", None),
    ("Officials could not confirm that five people were killed.", "killed", "actual", None),
    ("Police did not intervene and protesters clashed with residents.", "clashed", "actual", None),
    # negated
    ("The army denied that any civilians were killed in the airstrike.", "killed", "negated", "denied"),
    ("There were no clashes in the city on Friday.", "clashes", "negated", "no"),
    ("Police did not fire on the protesters, according to local sources.", "fire", "negated", "did not"),
    ("The government rejected reports that troops had shelled the village.", "shelled", "negated", "rejected"),
    ("No one was killed in the attack.", "killed", "negated", "No one"),
    # the trigger's own "without" is what happened, not a denial of it
    ("Government troops entered the town without fighting on Monday.", "without fighting", "actual", None),
    # generic
    ("Roadside bombs are a daily occurrence on that highway.", "bombs", "generic", "daily occurrence"),
    ("Militants routinely attack convoys on the road to Kandahar.", "attack", "generic", "routinely"),
    ("Every Friday, students march on the presidential palace in Algiers.", "march", "generic", "Friday"),
    # forecast
    ("The offensive is expected to begin within days, officials said.", "offensive", "forecast", "expected"),
    ("The rebels will launch an attack on the capital, a spokesman said.", "attack", "forecast", "will"),
    ("The group plans to attack government buildings.", "attack", "forecast", "plans"),
    ("The army is poised to storm the city.", "storm", "forecast", "poised"),
    ("Al-Shabaab threatened to attack Kenyan towns.", "attack", "forecast", "threatened"),
    # hypothetical
    ("If the talks fail, the rebels could attack the capital.", "attack", "hypothetical", "could"),
    ("The rebels would attack if the army advanced.", "attack", "hypothetical", "would"),
    ("Residents may have to flee in case of an attack.", "attack", "hypothetical", "case"),
]


# (sentence, trigger, attribution, hedged)
ATTRIBUTION = [
    ("Gunmen killed five soldiers on Tuesday, security officials said.", "killed", "security officials", False),
    ("Five soldiers were killed in an ambush, the ministry said.", "killed", "the ministry", False),
    ("Police fired on the crowd, according to local sources.", "fired", "local sources", True),
    ("ISIS claimed responsibility for the bombing, which killed 12 people.", "bombing", "ISIS", True),
    ("A spokesman for the Interior Ministry said the attack killed three policemen.", "attack",
     "A spokesman for the Interior Ministry", False),
    ("Militants reportedly attacked a convoy near Kabul.", "attacked", None, True),
    ("Twelve people were allegedly executed by the militia.", "executed", None, True),
    ("The commander is said to have been killed in the raid.", "killed", None, True),
    ("Unconfirmed reports say the town was shelled overnight.", "shelled", "Unconfirmed reports", True),
    ("Troops clashed with rebels near the border on Monday.", "clashed", None, False),
]


@pytest.mark.parametrize("sentence,trigger,attribution,hedged", ATTRIBUTION)
def test_attribution(nlp, sentence, trigger, attribution, hedged):
    text, got = classify(nlp, sentence, trigger)
    assert got.attribution == attribution
    assert got.hedged is hedged
    if attribution is not None:
        assert got.attribution_span is not None and got.attribution_span.text(text) == attribution


def test_offsets_are_absolute(nlp):
    text, got = classify(nlp, "The army denied that civilians were killed, officials said.", "killed",
                         prefix="Fighting resumed on Monday. ")
    assert got.modality == "negated"
    assert got.span is not None and got.span.text(text) == "denied"


# Held-out: written after the rules, to check they generalise.
HELD_OUT = [
    ("Insurgents frequently ambush patrols in the district.", "ambush", "generic"),
    ("The militia vowed to retaliate against the village.", "retaliate", "forecast"),
    ("Government forces are set to launch a new offensive.", "offensive", "forecast"),
    ("Soldiers might storm the building if the hostages are harmed.", "storm", "hypothetical"),
    ("The rebels never attacked the town, a commander insisted.", "attacked", "negated"),
    ("Troops failed to recapture the airport.", "recapture", "negated"),
    ("A car bomb exploded outside the ministry on Sunday, killing four.", "exploded", "actual"),
]


@pytest.mark.parametrize("sentence,trigger,modality", HELD_OUT)
def test_held_out(nlp, sentence, trigger, modality):
    _, got = classify(nlp, sentence, trigger)
    assert got.modality == modality


# An event inside a noun phrase: read through event nouns ("offensive to
# retake"), not through nouns that presuppose it ("deaths in the air strike").
NOUN_PHRASE_SCOPE = [
    ("The long-awaited offensive to retake the city is expected to begin within days.", "retake",
     "forecast", "expected"),
    ("The offensive to retake the town will begin next week, a commander said.", "retake", "forecast", "will"),
    ("Troops are preparing for an operation to recapture the airport.", "recapture", "forecast", "preparing"),
    ("Previous attempts to retake the city stalled in the face of sniper fire.", "retake", "negated", "stalled"),
    ("A failed attempt to storm the prison left two guards dead.", "storm", "negated", "failed"),
    ("A failed coup attempt left 30 soldiers dead.", "coup attempt", "actual", None),
    ("Officials warned that the group is likely to step up attacks on civilians.", "attacks", "forecast", "likely"),
    ("Russia denies civilian deaths in the air strike on the town.", "air strike", "actual", None),
    ("The army denied that any civilians were killed in the air strike.", "air strike", "actual", None),
    ("The army denied responsibility for the attack on the market.", "attack", "actual", None),
    ("The death toll from the bombing could rise, officials said.", "bombing", "actual", None),
    ("The coalition said it had hit targets near the city, without giving details of the strikes.", "strikes",
     "actual", None),
    ("Russia denied carrying out the air strike.", "air strike", "negated", "denied"),
    ("The ministry denied reports of an air strike on the town.", "air strike", "negated", "denied"),
    ("The ministry said reports of civilian deaths were fabrications.", "deaths", "negated", "fabrications"),
]


@pytest.mark.parametrize("sentence,trigger,modality,cue", MODALITY + NOUN_PHRASE_SCOPE)
def test_modality(nlp, sentence, trigger, modality, cue):
    text, got = classify(nlp, sentence, trigger)
    assert got.modality == modality
    assert (got.span.text(text) if got.span else None) == cue




def test_a_denier_is_not_the_source_of_an_undenied_event(nlp):
    _, got = classify(nlp, "Russia denies civilian deaths in the air strike; activists say eight were killed.",
                      "air strike")
    assert got.modality == "actual"
    assert got.attribution == "activists"
