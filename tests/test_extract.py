"""Assembling one article's events: which sentences are events, and what they inherit."""

from __future__ import annotations

from typing import Any

import pytest

from fieldreport.pipeline import process_article
from fieldreport.records import Article, Event


def code(text: str, resources: Any, published: str = "2015-03-05") -> list[Event]:
    article = Article("t", text, None, None, None, published, "input", "t.txt", "")
    return [e for e in process_article(article, resources).events]


def test_date_of_a_clause_about_another_noun_is_not_the_event_date(resources: Any) -> None:
    (event,) = code("The clash began shortly after dawn on Tuesday, when an army column supported by "
                    "paramilitary units formed last summer advanced towards Baiji, officers said.", resources)
    assert event.event_date == "2015-03-03"


def test_the_fighting_adds_its_deaths_to_the_clash_already_reported(resources: Any) -> None:
    events = code("Iraqi troops clashed with Islamic State militants near Baiji on Tuesday, officers said.\n"
                  "Three soldiers were killed in the fighting.", resources)
    assert [(e.sub_event_type, e.fatalities) for e in events] == [("Armed clash", 3)]


def test_retold_history_keeps_its_own_date(resources: Any) -> None:
    events = code("Gunmen attacked a checkpoint near Tikrit on Monday, killing two policemen, officials said.\n"
                  "On 10 June 2014, Mosul fell to Islamic State fighters after the army collapsed.",
                  resources, published="2019-06-12")
    dates = sorted(e.event_date for e in events if e.event_date)
    assert dates[0] == "2014-06-10" and dates[-1] == "2019-06-10"


def test_background_sentence_without_its_own_date_or_place_is_not_another_event(resources: Any) -> None:
    events = code("A roadside bomb killed four farm workers south of Baqubah on Sunday, police said.\n"
                  "Security in the province has deteriorated as militants step up kidnappings.", resources)
    assert [e.sub_event_type for e in events if e.modality == "actual"] == ["Remote explosive/landmine/IED"]


def test_date_inside_a_clause_about_the_victims_is_the_event_date(resources: Any) -> None:
    (event,) = code("Islamic State militants shot dead four Yazidi farmers who had gone to tend their fields "
                    "south of Sinjar on Monday, a local official said.", resources, published="2016-04-19")
    assert event.event_date == "2016-04-18"


def test_background_of_the_same_kind_does_not_retype_the_main_event(resources: Any) -> None:
    events = code("Islamic State militants shot dead four Yazidi farmers south of Sinjar on Monday, officials said.\n"
                  "The farmers had gone out to their fields shortly after sunrise.\n"
                  "Relatives said the men had been warned to stay away from the area.\n"
                  "The town's council has asked for more Peshmerga patrols.\n"
                  "Thousands of Yazidi women and girls were abducted, and many remain in the group's hands.",
                  resources, published="2016-04-19")
    assert events[0].sub_event_type == "Attack" and events[0].fatalities == 4


def test_an_event_dated_after_publication_has_not_happened(resources: Any) -> None:
    events = code("Police fired tear gas to disperse protesters in Nasiriyah on Saturday.\n"
                  "The governor said he would meet a delegation of the protesters next week.",
                  resources, published="2018-07-14")
    later = [e for e in events if e.event_date and e.event_date > "2018-07-14"]
    assert later and {e.modality for e in later} == {"forecast"}
    assert [e.sub_event_type for e in events if e.modality == "actual"] == ["Protest with intervention"]


def test_an_undated_headline_is_coded_at_its_publication_date_at_week_precision(resources: Any) -> None:
    (event,) = code("Government troops and rebels clash on the outskirts of Daraa", resources, published="2017-02-14")
    assert (event.event_date, event.date_start, event.date_end, event.time_precision) == \
        ("2017-02-14", "2017-02-14", "2017-02-14", 2)
    assert not [e for e in event.evidence if e.field == "event_date"]
    assert event.notes.startswith("Reported 2017-02-14,")


def test_an_undated_event_in_a_report_that_names_other_dates_keeps_a_null_date(resources: Any) -> None:
    events = code("Rebels shelled an army post near Daraa, a monitor said.\n"
                  "Two soldiers were wounded, the monitor added.\n"
                  "The army has reinforced its posts around the town.\n"
                  "Residents said the road to the border was closed.\n"
                  "Aid convoys have not reached the area for weeks.\n"
                  "The rebels first took the hills above the town in March 2013.", resources, published="2017-02-14")
    shelling = next(e for e in events if e.sub_event_type == "Shelling/artillery/missile attack")
    assert shelling.event_date is None


def test_an_undated_forecast_gets_no_date(resources: Any) -> None:
    (event,) = code("Rebel commanders warn they will attack the army posts around Daraa", resources,
                    published="2017-02-14")
    assert event.modality != "actual" and event.event_date is None


def test_an_undated_report_without_a_publication_date_keeps_a_null_date(resources: Any) -> None:
    (event,) = code("Government troops and rebels clash on the outskirts of Daraa", resources, published="")
    assert event.event_date is None and dict(event.null_reasons)["event_date"]


@pytest.mark.parametrize("text, actor1", [
    ("A roadside bomb killed two policemen in Bannu on Sunday. The TTP claimed responsibility for the attack.",
     "TTP: Tehreek-i-Taliban Pakistan"),
    ("Gunmen shot dead a village guard near Kirkuk on Monday. Islamic State later claimed the killing.",
     "Islamic State (Iraq)"),
    # No claim, or a claim nobody made, credits no one.
    ("A roadside bomb killed two policemen in Bannu on Sunday. No group has claimed responsibility.",
     "Unidentified Armed Group (Pakistan)"),
    ("A roadside bomb killed two policemen in Bannu on Sunday. The TTP denied any role in the attack.",
     "Unidentified Armed Group (Pakistan)"),
])
def test_an_unattributed_attack_is_credited_to_the_group_that_claimed_it(resources: Any, text: str,
                                                                        actor1: str) -> None:
    events = [e for e in code(text, resources, published="2016-05-02") if e.modality == "actual"]
    assert events and events[0].actor1 == actor1


def test_a_claim_does_not_replace_a_named_attacker(resources: Any) -> None:
    events = code("Iraqi troops killed six militants near Mosul on Monday. "
                  "Islamic State claimed responsibility for a bombing in Baghdad.", resources, published="2016-05-02")
    clash = next(e for e in events if e.sub_event_type == "Armed clash")
    assert clash.actor1 == "Military Forces of Iraq (2014-)"


def test_a_protest_that_turned_violent_is_one_violent_demonstration(resources: Any) -> None:
    events = code("Thousands of teachers marched through Nairobi on Tuesday to demand a pay rise.\n"
                  "Some protesters threw stones at police outside parliament and smashed shop windows.", resources)
    assert [(e.event_type, e.sub_event_type) for e in events] == [("Riots", "Violent demonstration")]


def test_a_peaceful_protest_stays_peaceful_beside_an_unrelated_report(resources: Any) -> None:
    events = code("Thousands of teachers marched through Nairobi on Tuesday to demand a pay rise.\n"
                  "Union leaders said the march was the largest since 2015.", resources)
    assert [(e.event_type, e.sub_event_type) for e in events] == [("Protests", "Peaceful protest")]


def test_a_protest_the_police_broke_up_later_in_the_report_is_one_intervention(resources: Any) -> None:
    events = code("Hundreds of students marched through Dhaka on Monday to demand safer roads.\n"
                  "Police later fired tear gas and baton-charged the protesters near the university.", resources)
    assert [(e.event_type, e.sub_event_type) for e in events] == [("Protests", "Protest with intervention")]


def test_the_day_a_strike_was_denied_is_not_its_date(resources: Any) -> None:
    events = code("The defence ministry on Sunday denied that civilians were killed in an air strike on Kafr Nabl.\n"
                  "The strike hit a market in Kafr Nabl on Saturday afternoon, killing eight civilians, "
                  "rescuers said.", resources, published="2016-10-17")
    assert [(e.sub_event_type, e.event_date) for e in events] == [("Air/drone strike", "2016-10-15")]


def test_a_label_the_model_gave_cites_its_own_words_and_takes_their_modality(resources: Any) -> None:
    # The rule read "foiling any possible attack" (a disrupted attack, and only a
    # possible one); the model reads the mobilisation, which is happening now.
    text = ("Tribal leaders in Anbar said on Monday that ISIS is mobilising hundreds of its fighters near "
            "Rawa, while the army has reinforced its positions with the aim of foiling any possible attack.")
    (event,) = code(text, resources)
    assert (event.sub_event_type, event.modality) == ("Change to group/activity", "actual")
    cited = {e.text for e in event.evidence if e.field == "sub_event_type"}
    assert cited and "foiling" not in cited


@pytest.mark.parametrize("text, modality", [
    # an attack fought off with deaths on either side was a fight
    ("Soldiers thwarted an assault on their base near Menaka on Tuesday, killing five of the attackers.", "actual"),
    # an attack stopped before anyone fought is not one
    ("Soldiers thwarted a planned assault on their base near Menaka on Tuesday.", "negated"),
])
def test_a_foiled_attack_with_deaths_is_a_fight_that_happened(resources: Any, text: str, modality: str) -> None:
    battles = [e for e in code(text, resources, published="2016-05-04") if e.event_type == "Battles"]
    assert [e.modality for e in battles] == [modality]
