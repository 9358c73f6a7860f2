"""Actor dictionary and role assignment: cases an analyst can read and check."""

from __future__ import annotations

from pathlib import Path

import pytest

from fieldreport.errors import ResourceError
from fieldreport.records import Span
from fieldreport.stages.actors import (
    Roles,
    assign_roles,
    fill_actor_name,
    inter_label,
    interaction_code,
    load_actor_dictionary,
)


@pytest.fixture(scope="module")
def actors():
    return load_actor_dictionary()


def names(actors, text):
    return [(text[m.start : m.end], m.name) for m in actors.find(text)]


@pytest.mark.parametrize(
    "text, surface, name",
    [
        ("Daesh fighters shelled the village.", "Daesh fighters", "Islamic State ({country})"),
        ("Da’esh claimed the attack.", "Da’esh", "Islamic State ({country})"),
        ("ISIL seized the town.", "ISIL", "Islamic State ({country})"),
        ("Isis militants attacked a checkpoint.", "Isis militants", "Islamic State ({country})"),
        ("jihadists of the Islamic State stormed the village", "jihadists of the Islamic State",
         "Islamic State ({country})"),
        ("Kataib Hezbollah fired rockets.", "Kataib Hezbollah", "Kataib Hezbollah"),
        ("Kata'ib Hizballah fired rockets.", "Kata'ib Hizballah", "Kataib Hezbollah"),
        ("Kata’ib Hizballah fired rockets.", "Kata’ib Hizballah", "Kataib Hezbollah"),
        ("Asa'ib Ahl al-Haq denied it.", "Asa'ib Ahl al-Haq", "Asaib Ahl al-Haq"),
        ("the Hashd al-Shaabi moved in", "Hashd al-Shaabi",
         "Military Forces of Iraq (2014-) Popular Mobilization Forces"),
        ("the Hashd el-Shaabi moved in", "Hashd el-Shaabi",
         "Military Forces of Iraq (2014-) Popular Mobilization Forces"),
        ("Jabhat an-Nusra fighters", "Jabhat an-Nusra fighters", "Hayat Tahrir al-Sham"),
        ("Jabhat Fateh al-Sham", "Jabhat Fateh al-Sham", "Hayat Tahrir al-Sham"),
        ("HTS took Saraqib.", "HTS", "Hayat Tahrir al-Sham"),
        ("Ahrar ash-Sham withdrew.", "Ahrar ash-Sham", "Ahrar al-Sham"),
        ("The SDF said", "SDF", "QSD: Syrian Democratic Forces"),
        ("Peshmerga forces advanced", "Peshmerga forces", "Peshmerga - Kurdistan Regional Government"),
        ("the US-led coalition struck", "US-led coalition", "Global Coalition Against Daesh"),
        ("the U.S.-led coalition struck", "U.S.-led coalition", "Global Coalition Against Daesh"),
        ("Nigerian troops repelled", "Nigerian troops", "Military Forces of Nigeria"),
        ("Afghan police said", "Afghan police", "Police Forces of Afghanistan"),
        ("Iraqi army units", "Iraqi army units", "Military Forces of Iraq (2014-)"),
        ("Somali army said", "Somali army", "Military Forces of Somalia"),
        ("Iraq's army", "Iraq", "Military Forces of Iraq (2014-)"),
        ("Syrian regime forces", "Syrian regime forces", "Military Forces of Syria (2000-)"),
        ("Turkish warplanes struck", "Turkish warplanes", "Military Forces of Turkey (2002-)"),
        ("Houthi rebels fired", "Houthi rebels", "Ansar Allah"),
        ("al-Shabab militants", "al-Shabab militants", "Al Shabaab"),
        ("Ḥizballah said", "Ḥizballah", "Hezbollah"),
        # South and Southeast Asia: units and groups the press names without a country.
        ("RAB members arrested two suspects", "RAB members", "Police Forces of Bangladesh"),
        ("BSF troops opened fire", "BSF troops", "Military Forces of India"),
        ("Frontier Corps troops were ambushed", "Frontier Corps troops", "Military Forces of Pakistan"),
        ("the Tatmadaw shelled the village", "Tatmadaw", "Military Forces of Myanmar"),
        ("suspected ULFA(I) cadres fled", "ULFA(I)", "ULFA: United Liberation Front of Assam"),
        ("NSCN (IM) cadres extorted traders", "NSCN (IM)", "NSCN-IM: National Socialist Council of Nagaland-Isak-Muivah"),
        ("Jaish-e-Mohammed militants stormed the camp", "Jaish-e-Mohammed militants", "JeM: Jaish-e-Mohammed"),
        ("the Arakan Army said", "Arakan Army", "AA: Arakan Army"),
        ("MILF guerrillas clashed", "MILF guerrillas", "MILF: Moro Islamic Liberation Front"),
        ("Chhatra League activists attacked", "Chhatra League", "BCL: Bangladesh Chhatra League"),
        ("SPLA-IO forces captured the town", "SPLA-IO forces",
         "SPLM/A-IO: Sudan People's Liberation Movement/Army-In Opposition"),
    ],
)
def test_aliases_resolve_to_one_canonical_actor(actors, text, surface, name):
    found = names(actors, text)
    assert found and found[0][1] == name
    assert found[0][0] == surface or (surface == "Iraq" and found[0][0] == "Iraq's army")


@pytest.mark.parametrize(
    "text, expected",
    [
        ("IS fighters attacked Tal Afar.", ["IS fighters"]),
        ("The town is calm and it is quiet.", []),
        ("Is the road open? IS claimed it.", ["IS"]),
        ("This is a US base; the drone killed us all.", []),
        ("US troops withdrew.", ["US troops"]),
        ("The Tablighi Jamaat congregation gathered.", []),
        ("AFP reported the statement.", []),
        ("The army says its pmf unit and sdf are nearby.", ["army"]),
        ("The PMF and the SDF met.", ["PMF", "SDF"]),
        ("Tips from the public", []),
        ("ISISK and Isisland are not actors", []),
    ],
)
def test_short_acronyms_match_only_in_capitals(actors, text, expected):
    assert [s for s, _ in names(actors, text)] == expected


def test_longest_match_wins_and_offsets_are_absolute(actors):
    text = "Yesterday, Iraqi Federal Police and Popular Mobilization Forces fighters entered."
    found = actors.find(text)
    assert [text[m.start : m.end] for m in found] == ["Iraqi Federal Police", "Popular Mobilization Forces fighters"]
    assert found[0].name == "Police Forces of Iraq (2014-) Federal Police"
    assert found[0].category == 1 and found[0].country == "Iraq"


def test_possessive_stays_outside_the_mention(actors):
    text = "ISIS's attack on Hezbollah’s positions"
    assert [text[m.start : m.end] for m in actors.find(text)] == ["ISIS", "Hezbollah"]


def test_dictionary_is_well_seeded(actors):
    assert len(actors.entries) >= 80
    assert actors.alias_count >= 900


@pytest.mark.parametrize(
    "yaml_text, message",
    [
        ("actors:\n  - name: Foo Brigade\n    category: 9\n    country: Iraq\n    aliases: [Foo]\n",
         "'Foo Brigade' has unknown ACLED category 9"),
        ("actors:\n  - name: Foo Brigade\n    country: Iraq\n    aliases: [Foo]\n",
         "'Foo Brigade' has unknown ACLED category None"),
        ("actors:\n  - name: Foo Brigade\n    category: 2\n    aliases: []\n", "'Foo Brigade' needs a non-empty"),
        ("actors:\n  - name: Police of {country}\n    category: 1\n    country: Iraq\n    aliases: [cops]\n",
         "must have country: null"),
        ("actors:\n  - name: Foo\n    category: 2\n    aliases: [Foo]\n    colour: red\n", "unknown keys"),
        ("not a list", "expected a mapping"),
    ],
)
def test_invalid_dictionary_entries_are_named_in_the_error(tmp_path: Path, yaml_text, message):
    path = tmp_path / "actors.yaml"
    path.write_text(yaml_text, encoding="utf-8")
    with pytest.raises(ResourceError, match=message.replace("(", r"\(").replace("{", r"\{")):
        load_actor_dictionary(path)


def test_custom_dictionary_loads(tmp_path: Path):
    path = tmp_path / "actors.yaml"
    path.write_text("actors:\n  - name: Foo Brigade\n    category: 3\n    country: Iraq\n    aliases: [Foo Brigade]\n")
    found = load_actor_dictionary(path).find("The Foo Brigade attacked.")
    assert [(m.name, m.category) for m in found] == [("Foo Brigade", 3)]


@pytest.mark.parametrize(
    "pattern, country, expected",
    [
        ("Police Forces of {country}{period}", "Iraq", "Police Forces of Iraq (2014-)"),
        ("Police Forces of {country}{period}", "Nigeria", "Police Forces of Nigeria"),
        ("Police Forces of {country}{period}", None, "Police Forces"),
        ("Civilians ({country})", "Syria", "Civilians (Syria)"),
        ("Civilians ({country})", None, "Civilians"),
        ("Military Forces of {country}{period}", "United States", "Military Forces of the United States"),
        ("Hezbollah", "Syria", "Hezbollah"),
    ],
)
def test_generic_names_are_filled_with_the_country(pattern, country, expected):
    assert fill_actor_name(pattern, country, {"Iraq": "2014-"}) == expected


@pytest.mark.parametrize(
    "cat1, cat2, code",
    [(1, 3, 13), (3, 1, 13), (2, 1, 12), (7, 2, 27), (2, None, 20), (None, 6, 60), (1, 1, 11), (None, None, None)],
)
def test_interaction_code_puts_the_lower_digit_first(cat1, cat2, code):
    assert interaction_code(cat1, cat2) == code


def test_inter_labels():
    assert inter_label(1) == "State forces" and inter_label(7) == "Civilians"
    with pytest.raises(ValueError):
        inter_label(9)


def roles(nlp, actors, text, trigger, sub_event_type, country="Iraq") -> Roles:
    doc = nlp(text)
    start = text.index(trigger)
    return assign_roles(doc, Span(0, len(text)), Span(start, start + len(trigger)), actors.find(text),
                        sub_event_type, country)


# (sentence, trigger, sub-event type, country, actor1, actor2, assoc_actor_1, assoc_actor_2, interaction)
ROLE_CASES = [
    ("ISIS fighters were killed by Iraqi troops near Mosul.", "killed", "Armed clash", "Iraq",
     "Military Forces of Iraq (2014-)", "Islamic State (Iraq)", (), (), 12),
    ("The army and the PMF attacked Daesh positions in Anbar.", "attacked", "Armed clash", "Iraq",
     "Military Forces of Iraq (2014-)", "Islamic State (Iraq)",
     ("Military Forces of Iraq (2014-) Popular Mobilization Forces",), (), 12),
    ("Islamic State militants killed 12 Yazidi civilians in Sinjar.", "killed", "Attack", "Iraq",
     "Islamic State (Iraq)", "Civilians (Iraq)", (), ("Yazidi Religious Group (Iraq)",), 27),
    ("Dozens of Yazidis were executed by jihadists of the Islamic State.", "executed", "Attack", "Iraq",
     "Islamic State (Iraq)", "Civilians (Iraq)", (), ("Yazidi Religious Group (Iraq)",), 27),
    ("Hundreds of protesters demonstrated against the government in Baghdad.", "demonstrated",
     "Peaceful protest", "Iraq", "Protesters (Iraq)", None, (), (), 60),
    ("Kurdish protesters rallied in Qamishli on Friday.", "rallied", "Peaceful protest", "Syria",
     "Protesters (Syria)", None, ("Kurdish Ethnic Group (Syria)",), (), 60),
    ("Police fired tear gas at demonstrators in Basra, killing two.", "fired",
     "Excessive force against protesters", "Iraq", "Police Forces of Iraq (2014-)", "Protesters (Iraq)", (), (), 16),
    ("Clashes broke out between the Syrian army and Hayat Tahrir al-Sham near Idlib.", "Clashes",
     "Armed clash", "Syria", "Military Forces of Syria (2000-)", "Hayat Tahrir al-Sham", (), (), 12),
    ("Russian warplanes bombed a market in Idlib, killing 12 civilians.", "bombed", "Air/drone strike",
     "Syria", "Military Forces of Russia (2000-)", "Civilians (Syria)", (), (), 78),
    ("Gunmen kidnapped three aid workers in Kirkuk.", "kidnapped", "Abduction/forced disappearance", "Iraq",
     "Unidentified Armed Group (Iraq)", "Civilians (Iraq)", (), (), 37),
    ("A roadside bomb killed two policemen in Diyala.", "bomb", "Remote explosive/landmine/IED", "Iraq",
     "Unidentified Armed Group (Iraq)", "Police Forces of Iraq (2014-)", (), (), 13),
    # the parse links no one to the blast: the forces named beside it are its target
    ("A soldier was hurt when a bomb went off near an army truck in Baquba.", "bomb",
     "Remote explosive/landmine/IED", "Iraq", "Unidentified Armed Group (Iraq)", "Military Forces of Iraq (2014-)",
     (), (), 13),
    ("Iraqi forces, backed by coalition air strikes, recaptured the town from the Islamic State.",
     "recaptured", "Government regains territory", "Iraq", "Military Forces of Iraq (2014-)",
     "Islamic State (Iraq)", ("Global Coalition Against Daesh",), (), 12),
    ("Iraqi security forces repelled an IS attack on a checkpoint in Tikrit.", "attack", "Armed clash", "Iraq",
     "Islamic State (Iraq)", "Military Forces of Iraq (2014-)", (), (), 12),
]


@pytest.mark.parametrize("text, trigger, sub, country, actor1, actor2, assoc1, assoc2, interaction", ROLE_CASES)
def test_roles_from_the_parse(nlp, actors, text, trigger, sub, country, actor1, actor2, assoc1, assoc2, interaction):
    r = roles(nlp, actors, text, trigger, sub, country)
    assert (r.actor1, r.actor2) == (actor1, actor2)
    assert (r.assoc_actor_1, r.assoc_actor_2) == (assoc1, assoc2)
    assert r.interaction == interaction


def test_passive_by_agent_spans_point_at_the_words(nlp, actors):
    text = "ISIS fighters were killed by Iraqi troops near Mosul."
    r = roles(nlp, actors, text, "killed", "Armed clash")
    assert r.actor1_span.text(text) == "Iraqi troops"
    assert r.actor2_span.text(text) == "ISIS fighters"
    assert r.inter1 == 1 and r.inter2 == 2 and not r.civilian_targeting


def test_violence_against_civilians_always_targets_civilians(nlp, actors):
    text = "Unknown gunmen opened fire in a crowded market in Kirkuk."
    r = roles(nlp, actors, text, "opened fire", "Attack")
    assert r.actor1 == "Unidentified Armed Group (Iraq)"
    assert r.actor2 == "Civilians (Iraq)" and r.actor2_span is None
    assert r.civilian_targeting and r.interaction == 37


def test_unknown_country_drops_the_placeholder(nlp, actors):
    r = roles(nlp, actors, "Soldiers killed three militants.", "killed", "Armed clash", None)
    assert (r.actor1, r.actor2) == ("Military Forces", "Unidentified Armed Group")


def test_battles_need_armed_sides(nlp, actors):
    r = roles(nlp, actors, "Fighting between the YPG and Turkish troops killed four civilians.",
              "Fighting", "Armed clash", "Syria")
    assert {r.actor1, r.actor2} == {"YPG: People's Protection Units", "Military Forces of Turkey (2002-)"}
    assert r.interaction == 28  # Turkish forces in Syria are external forces


def test_sentence_outside_mentions_are_ignored(nlp, actors):
    text = "Hezbollah denied it. Syrian troops shelled rebel positions near Daraa."
    doc = nlp(text)
    start = text.index("Syrian")
    r = assign_roles(doc, Span(start, len(text)), Span(text.index("shelled"), text.index("shelled") + 7),
                     actors.find(text), "Shelling/artillery/missile attack", "Syria")
    assert (r.actor1, r.actor2) == ("Military Forces of Syria (2000-)", "Rebel Forces (Syria)")


# Written after the rules, to check they generalise beyond the cases above.
HELD_OUT = [
    ("Boko Haram insurgents killed 30 villagers in an attack on Konduga, Borno state.", "killed", "Attack",
     "Nigeria", "Boko Haram - Jamaatu Ahli is-Sunnah lid-Dawati wal-Jihad", "Civilians (Nigeria)", (), (), 27),
    ("Taliban fighters attacked a police checkpoint in Kunduz, killing four Afghan police officers.", "attacked",
     "Armed clash", "Afghanistan", "Taliban", "Police Forces of Afghanistan", (), (), 12),
    ("A suicide bomber blew himself up among Shia pilgrims in Karbala, killing 20.", "blew", "Suicide bomb",
     "Iraq", "Unidentified Armed Group (Iraq)", "Civilians (Iraq)", (), ("Shia Muslim Group (Iraq)",), 37),
    ("Thousands of Sadrists protested in Tahrir Square, demanding reforms.", "protested", "Peaceful protest",
     "Iraq", "Protesters (Iraq)", None, ("Sadrist Movement",), (), 60),
    ("Riot police dispersed hundreds of demonstrators with tear gas in Nasiriyah.", "dispersed",
     "Protest with intervention", "Iraq", "Protesters (Iraq)", "Police Forces of Iraq (2014-)", (), (), 16),
    ("An Israeli air strike hit Hezbollah positions near Damascus airport.", "strike", "Air/drone strike",
     "Syria", "Military Forces of Israel", "Hezbollah", (), (), 38),
    ("Christians were abducted by gunmen near Mosul.", "abducted", "Abduction/forced disappearance", "Iraq",
     "Unidentified Armed Group (Iraq)", "Civilians (Iraq)", (), ("Christian Group (Iraq)",), 37),
    ("Heavy fighting between Peshmerga forces and the Hashd al-Shaabi erupted near Kirkuk.", "fighting",
     "Armed clash", "Iraq", "Peshmerga - Kurdistan Regional Government",
     "Military Forces of Iraq (2014-) Popular Mobilization Forces", (), (), 11),
    ("The Syrian army, supported by Russian air power, retook Palmyra from ISIS.", "retook",
     "Government regains territory", "Syria", "Military Forces of Syria (2000-)", "Islamic State (Syria)",
     ("Military Forces of Russia (2000-)",), (), 12),
]


@pytest.mark.parametrize("text, trigger, sub, country, actor1, actor2, assoc1, assoc2, interaction", HELD_OUT)
def test_roles_on_held_out_sentences(nlp, actors, text, trigger, sub, country, actor1, actor2, assoc1, assoc2,
                                     interaction):
    r = roles(nlp, actors, text, trigger, sub, country)
    assert (r.actor1, r.actor2, r.assoc_actor_1, r.assoc_actor_2, r.interaction) == (
        actor1, actor2, assoc1, assoc2, interaction)


# Written with the South and Southeast Asia dictionary, from no benchmark item.
ASIA_CASES = [
    ("Rapid Action Battalion personnel shot dead two JMB militants in a gunfight in Narayanganj.", "gunfight",
     "Armed clash", "Bangladesh", "Police Forces of Bangladesh", "JMB: Jamaat-ul-Mujahideen Bangladesh"),
    ("Suspected ULFA(I) militants ambushed an Assam Rifles patrol in Tinsukia district.", "ambushed",
     "Armed clash", "India", "ULFA: United Liberation Front of Assam", "Military Forces of India"),
    ("Kachin Independence Army fighters clashed with the Tatmadaw near Hpakant.", "clashed",
     "Armed clash", "Myanmar", "KIA: Kachin Independence Army", "Military Forces of Myanmar"),
]


@pytest.mark.parametrize("text, trigger, sub, country, actor1, actor2", ASIA_CASES)
def test_roles_of_south_and_southeast_asian_actors(nlp, actors, text, trigger, sub, country, actor1, actor2):
    r = roles(nlp, actors, text, trigger, sub, country)
    assert (r.actor1, r.actor2) == (actor1, actor2)


def test_who_reports_an_event_is_no_side_in_it(nlp, actors):
    # The rescue workers are the source of the toll, not the attackers.
    text = ("The ministry denied that civilians were killed in an air strike on Kafr Nabl, after rescue "
            "workers said the strike had killed eight civilians.")
    r = roles(nlp, actors, text, "air strike", "Air/drone strike", "Syria")
    assert r.actor1 != "Civilians (Syria)"
