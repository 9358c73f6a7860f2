"""Event detection and ACLED typing, sentence by sentence.

Each case is a sentence a conflict analyst can check against the ACLED
codebook, and the sub-event type it should be coded as (None: no event).
"""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from typing import Any

import pytest

from fieldreport.errors import ResourceError
from fieldreport.records import EventCandidate
from fieldreport.stages.events import EventLexicon, detect_events, disorder_type, load_lexicon

ACLED_SUB_EVENTS = {
    "Battles": ["Armed clash", "Government regains territory", "Non-state actor overtakes territory"],
    "Explosions/Remote violence": [
        "Chemical weapon", "Air/drone strike", "Suicide bomb",
        "Shelling/artillery/missile attack", "Remote explosive/landmine/IED", "Grenade",
    ],
    "Violence against civilians": ["Sexual violence", "Attack", "Abduction/forced disappearance"],
    "Protests": ["Peaceful protest", "Protest with intervention", "Excessive force against protesters"],
    "Riots": ["Violent demonstration", "Mob violence"],
    "Strategic developments": [
        "Agreement", "Arrests", "Change to group/activity", "Disrupted weapons use",
        "Headquarters or base established", "Looting/property destruction",
        "Non-violent transfer of territory", "Other",
    ],
}
EVENT_TYPE_OF = {sub: et for et, subs in ACLED_SUB_EVENTS.items() for sub in subs}


@pytest.fixture(scope="module")
def lexicon() -> EventLexicon:
    return load_lexicon()


def best(nlp: Any, lexicon: EventLexicon, text: str) -> EventCandidate | None:
    candidates = detect_events(nlp(text), lexicon)
    return max(candidates, key=lambda c: c.score) if candidates else None


def check(nlp: Any, lexicon: EventLexicon, text: str, expected: str | None) -> None:
    found = best(nlp, lexicon, text)
    if expected is None:
        assert found is None, f"coded {found.sub_event_type!r} from {text[found.trigger.start:found.trigger.end]!r}"
        return
    assert found is not None, "no event detected"
    trigger = text[found.trigger.start : found.trigger.end]
    assert (found.event_type, found.sub_event_type) == (EVENT_TYPE_OF[expected], expected), (
        f"coded {found.sub_event_type!r} from trigger {trigger!r}"
    )


# Written together with the lexicon rules: at least one sentence per ACLED
# sub-event type, and the distinctions the codebook calls hard.
DEVELOPMENT_CASES = [
    # Battles
    ("Heavy clashes broke out between the army and Houthi fighters near Marib.", "Armed clash"),
    ("Troops and militants exchanged fire for two hours in Kupwara.", "Armed clash"),
    ("Boko Haram fighters ambushed a military patrol, killing seven soldiers.", "Armed clash"),
    ("Militants killed four soldiers in an attack on a checkpoint.", "Armed clash"),
    ("The army retook the town of Palmyra from Islamic State.", "Government regains territory"),
    ("Government forces regained control of the airport after a week of fighting.", "Government regains territory"),
    ("The army captured the town after heavy fighting.", "Government regains territory"),
    ("Houthi rebels captured the provincial capital on Sunday.", "Non-state actor overtakes territory"),
    ("Militants overran an army outpost in northern Burkina Faso.", "Non-state actor overtakes territory"),
    ("Taliban fighters recaptured the district from Afghan forces.", "Non-state actor overtakes territory"),
    ("The town fell to al-Shabaab militants on Monday.", "Non-state actor overtakes territory"),
    # Explosions/Remote violence
    ("Syrian government warplanes bombed a market in Douma, killing 20 people.", "Air/drone strike"),
    ("A US drone strike killed three al-Qaeda militants in Shabwa province.", "Air/drone strike"),
    ("Helicopters dropped barrel bombs on rebel-held neighbourhoods of Aleppo.", "Air/drone strike"),
    ("Rebels shelled government-held areas of the city with mortars overnight.", "Shelling/artillery/missile attack"),
    ("Hamas fired dozens of rockets at southern Israel.", "Shelling/artillery/missile attack"),
    ("Artillery fire hit residential districts of Donetsk.", "Shelling/artillery/missile attack"),
    ("A suicide car bomb exploded at the gate of an army base, killing eight soldiers.", "Suicide bomb"),
    ("A woman wearing an explosive vest detonated it at a crowded market.", "Suicide bomb"),
    ("A suicide bomber blew himself up at a checkpoint, killing five soldiers.", "Suicide bomb"),
    ("A roadside bomb struck a military convoy in Helmand, wounding four soldiers.", "Remote explosive/landmine/IED"),
    ("Two children were killed when they stepped on a landmine near their village.", "Remote explosive/landmine/IED"),
    ("A car bomb exploded outside a police station in Mogadishu.", "Remote explosive/landmine/IED"),
    ("Unknown assailants hurled a grenade at a bar in Bujumbura, injuring nine people.", "Grenade"),
    ("A grenade attack on a police patrol in Srinagar wounded three officers.", "Grenade"),
    ("Activists accused the army of using chlorine gas in an attack on Kafr Zita.", "Chemical weapon"),
    ("Dozens suffocated after a sarin attack on Khan Sheikhoun.", "Chemical weapon"),
    # Violence against civilians
    ("Gunmen stormed a church and opened fire on worshippers, killing 12.", "Attack"),
    ("Fulani militants attacked the village of Kwatas, killing 18 residents.", "Attack"),
    ("Gunmen killed five villagers in Zamfara state.", "Attack"),
    ("Militants beheaded a village chief in Cabo Delgado.", "Attack"),
    ("Three civilians were killed in an attack on a bus.", "Attack"),
    ("Armed men kidnapped 30 students from a school in Kaduna state.", "Abduction/forced disappearance"),
    ("Al-Shabaab abducted two aid workers near the Kenyan border.", "Abduction/forced disappearance"),
    ("Soldiers raped several women during a raid on the village.", "Sexual violence"),
    # Protests
    ("Hundreds of people protested in Khartoum against rising bread prices.", "Peaceful protest"),
    ("Thousands of teachers marched to parliament demanding higher pay.", "Peaceful protest"),
    ("Students staged a peaceful sit-in outside the university.", "Peaceful protest"),
    ("Police fired tear gas and water cannon to disperse protesters in Harare.", "Protest with intervention"),
    ("Police arrested 40 demonstrators at an anti-government rally in Minsk.", "Protest with intervention"),
    ("Protesters were dispersed with tear gas in Nairobi on Friday.", "Protest with intervention"),
    ("Riot police used stun grenades to break up the rally.", "Protest with intervention"),
    ("Security forces opened fire on protesters, killing three.", "Excessive force against protesters"),
    ("Three protesters were shot dead by police during a rally in Conakry.", "Excessive force against protesters"),
    ("Soldiers dispersed the sit-in with live ammunition, wounding dozens.", "Excessive force against protesters"),
    ("Police violently dispersed a peaceful protest by nurses in Lagos on Monday.",
     "Excessive force against protesters"),
    # Riots
    ("Protesters torched a police station and blocked roads with burning tyres.", "Violent demonstration"),
    ("Rioters threw stones at police and looted shops in the city centre.", "Violent demonstration"),
    ("Demonstrators clashed with police outside the governor's office.", "Violent demonstration"),
    # South Asian protest words: a hartal or bandh is a protest, its arson a riot.
    ("Hartal supporters torched two buses on the Dhaka-Sylhet highway on Sunday.", "Violent demonstration"),
    ("Bandh supporters set a truck ablaze near the district collectorate.", "Violent demonstration"),
    ("An angry mob lynched a man accused of blasphemy.", "Mob violence"),
    ("A mob beat to death two suspected thieves in Nairobi.", "Mob violence"),
    # Strategic developments
    ("Police arrested three opposition leaders in a dawn raid.", "Arrests"),
    ("Security forces detained 15 suspected members of the banned group.", "Arrests"),
    ("The government and the rebels signed a ceasefire agreement in Juba.", "Agreement"),
    ("The two sides agreed to a prisoner exchange brokered by the Red Cross.", "Agreement"),
    ("Two rebel factions merged to form a new coalition.", "Change to group/activity"),
    ("The militant group pledged allegiance to the Islamic State.", "Change to group/activity"),
    ("Police defused an improvised explosive device found near the market.", "Disrupted weapons use"),
    ("Saudi air defences intercepted a ballistic missile fired by the Houthis.", "Disrupted weapons use"),
    ("Security forces seized a large cache of weapons and explosives in a raid.", "Disrupted weapons use"),
    ("Militants established a new base in the forest near the border.", "Headquarters or base established"),
    ("Al-Shabaab set up checkpoints on the main road to collect taxes.", "Headquarters or base established"),
    ("Militants looted shops and burned houses in the village.", "Looting/property destruction"),
    ("Soldiers demolished dozens of homes in the village.", "Looting/property destruction"),
    ("Rebels withdrew from the town without a fight and government troops moved in.", "Non-violent transfer of territory"),
    ("The militia handed over control of the city to the army.", "Non-violent transfer of territory"),
    ("The army imposed a curfew in the city after the unrest.", "Other"),
    ("The military staged a coup and declared a state of emergency.", "Other"),
    # Not conflict events: disasters, crime, sport, diplomacy, economics, metaphors
    ("The earthquake killed at least 300 people in Nepal.", None),
    ("Floods displaced thousands of families in Assam.", None),
    ("Two people died in a road accident on the highway.", None),
    ("A man was shot dead in a robbery at a petrol station.", None),
    ("Police arrested two men for drug trafficking.", None),
    ("Ronaldo shot from distance and scored in the 89th minute.", None),
    ("Critics called the decree an attack on the constitution.", None),
    ("The supermarket chains are locked in a price war.", None),
    ("The two leaders exchanged a war of words over the border dispute.", None),
    ("The foreign minister visited Kabul for talks on the peace process.", None),
    ("The UN Security Council condemned the violence.", None),
    ("Voters went to the polls in the presidential election on Sunday.", None),
    ("The central bank raised interest rates to fight inflation.", None),
    ("He died of a heart attack at the age of 72.", None),
    ("Covid-19 cases rose sharply in March.", None),
    ("Stocks rallied after the announcement.", None),
    ("A man committed suicide in his home.", None),
    ("The ministry lodged a strong protest with the ambassador.", None),
]


@pytest.mark.parametrize("text, expected", DEVELOPMENT_CASES, ids=[t[:48] for t, _ in DEVELOPMENT_CASES])
def test_development_sentences(nlp: Any, lexicon: EventLexicon, text: str, expected: str | None) -> None:
    check(nlp, lexicon, text, expected)


def test_every_sub_event_type_has_a_development_case() -> None:
    covered = {expected for _, expected in DEVELOPMENT_CASES if expected}
    assert covered == set(EVENT_TYPE_OF)


# HELD-OUT: written after the development rules above were frozen, to check
# that the rules generalise rather than memorise. On first run 52 of these 58
# passed. The 6 failures showed gaps the ACLED definitions already imply, fixed
# in the lexicon, not per sentence: "raping" missing from sexual violence;
# "abductors" (a noun) read as an abduction; surrender coded as seized arms;
# "killed" with no armed actor (an industrial blast) read as an attack;
# stealing (ordinary crime) read as looting; and a town the small model tags
# as a PERSON ("liberated Bama") not accepted as the place retaken.
HELD_OUT_CASES = [
    ('Fighting between the Tigray forces and federal troops continued for a third day around Mekelle.', 'Armed clash'),
    ('Two militants and a policeman were killed in a gunfight in Pulwama district.', 'Armed clash'),
    ('Rebels attacked an army base in North Kivu overnight, sparking a firefight that lasted hours.', 'Armed clash'),
    ('Afghan security forces retook control of Kunduz city centre on Thursday.', 'Government regains territory'),
    ('The Nigerian army said its troops had liberated Bama from Boko Haram.', 'Government regains territory'),
    ('Al-Shabaab fighters took control of the town after Ethiopian troops left.', 'Non-state actor overtakes territory'),
    ('JNIM militants seized the town of Boulkessi after a dawn assault.', 'Non-state actor overtakes territory'),
    ('Russian warplanes carried out more than 20 raids on opposition-held villages in Idlib.', 'Air/drone strike'),
    ('An Israeli airstrike hit a house in Gaza City, killing a family of six.', 'Air/drone strike'),
    ('Mortar shells fell on a residential neighbourhood in Damascus, wounding seven civilians.', 'Shelling/artillery/missile attack'),
    ('Ukrainian forces shelled the outskirts of Donetsk on Tuesday, local officials said.', 'Shelling/artillery/missile attack'),
    ('A suicide attacker rammed an explosives-laden vehicle into a police compound in Kabul.', 'Suicide bomb'),
    ('Two female suicide bombers killed 15 people at a market in Maiduguri.', 'Suicide bomb'),
    ('An improvised explosive device exploded near a convoy of Malian soldiers.', 'Remote explosive/landmine/IED'),
    ('A magnetic bomb attached to a car killed a government official in Kabul.', 'Remote explosive/landmine/IED'),
    ('Unidentified men threw a grenade into a shop in the city, injuring two people.', 'Grenade'),
    ('A hand grenade was lobbed at the home of a local politician.', 'Grenade'),
    ('The rebels were accused of firing shells filled with chlorine at government positions.', 'Chemical weapon'),
    ('Inspectors confirmed that sarin was used in the attack on the town.', 'Chemical weapon'),
    ('Gunmen on motorcycles killed 20 villagers in an attack in Zamfara state.', 'Attack'),
    ('ISIS militants executed 15 civilians in a village south of Mosul.', 'Attack'),
    ('Suspected militants abducted a priest and two nuns from a parish in Kaduna.', 'Abduction/forced disappearance'),
    ('Unidentified gunmen kidnapped a journalist in Tripoli on Monday.', 'Abduction/forced disappearance'),
    ('Soldiers were accused of raping women during an operation in the village.', 'Sexual violence'),
    ('Militiamen sexually assaulted at least a dozen women in the camp.', 'Sexual violence'),
    ('Hundreds of farmers rallied in New Delhi against the new agricultural laws.', 'Peaceful protest'),
    ("Residents held a demonstration outside the governor's office demanding clean water.", 'Peaceful protest'),
    ('Police used batons and tear gas to break up a demonstration by opposition supporters.', 'Protest with intervention'),
    ('Dozens of protesters were detained as police cleared the square.', 'Protest with intervention'),
    ('Soldiers fired live rounds at demonstrators, killing at least five people.', 'Excessive force against protesters'),
    ('Police shot dead two students during protests against the fuel price hike.', 'Excessive force against protesters'),
    ('Angry protesters set fire to a police vehicle and pelted officers with stones.', 'Violent demonstration'),
    ('Rioting broke out in the city after the verdict, with youths attacking shops.', 'Violent demonstration'),
    ('A mob attacked and killed a man suspected of stealing a motorcycle.', 'Mob violence'),
    ('Villagers lynched two suspected child abductors.', 'Mob violence'),
    ('Police arrested a prominent opposition activist at his home on Tuesday.', 'Arrests'),
    ('Security forces rounded up dozens of suspected insurgents in a night raid.', 'Arrests'),
    ('The warring parties agreed to a 72-hour truce to allow aid deliveries.', 'Agreement'),
    ('The government and the rebel group signed a peace deal in Addis Ababa.', 'Agreement'),
    ('Hundreds of fighters surrendered to the army and laid down their arms.', 'Change to group/activity'),
    ('The rebel group announced the formation of a new political wing.', 'Change to group/activity'),
    ('Bomb disposal experts defused an explosive device planted near the mosque.', 'Disrupted weapons use'),
    ('The army said it shot down two drones launched by the rebels.', 'Disrupted weapons use'),
    ('The militants set up a new base in the hills above the town.', 'Headquarters or base established'),
    ('Soldiers established a military post on the outskirts of the village.', 'Headquarters or base established'),
    ('Armed men looted livestock and property from the village.', 'Looting/property destruction'),
    ('Militiamen burned down several houses in the village.', 'Looting/property destruction'),
    ('Government forces entered the town unopposed after the rebels pulled out.', 'Non-violent transfer of territory'),
    ('The rebels withdrew from the city under the terms of the deal.', 'Non-violent transfer of territory'),
    ('Authorities imposed a dusk-to-dawn curfew after the violence.', 'Other'),
    ('The cyclone killed dozens of people in coastal districts.', None),
    ('A tanker explosion at a fuel depot killed 12 workers.', None),
    ('Police arrested a man suspected of stealing cars.', None),
    ('The prime minister met his counterpart to discuss trade.', None),
    ('The team launched a blistering attack in the second half.', None),
    ('Inflation hit a ten-year high, the central bank said.', None),
    ("The opposition leader attacked the government's budget plans in parliament.", None),
    ('Three people died when their bus collided with a lorry.', None),
]


@pytest.mark.parametrize("text, expected", HELD_OUT_CASES, ids=[t[:48] for t, _ in HELD_OUT_CASES])
def test_held_out_sentences(nlp: Any, lexicon: EventLexicon, text: str, expected: str | None) -> None:
    check(nlp, lexicon, text, expected)


def test_empty_text_has_no_events(nlp: Any, lexicon: EventLexicon) -> None:
    assert detect_events(nlp(""), lexicon) == ()


# Hard distinctions, side by side: the same kind of sentence, a different code.
@pytest.mark.parametrize(
    "text, expected",
    [
        ("A suicide bomber detonated a car bomb at the checkpoint.", "Suicide bomb"),
        ("A car bomb detonated at the checkpoint.", "Remote explosive/landmine/IED"),
        ("Fighter jets struck rebel positions near Idlib.", "Air/drone strike"),
        ("Artillery struck rebel positions near Idlib.", "Shelling/artillery/missile attack"),
        ("Gunmen opened fire on villagers in Benue, killing 11.", "Attack"),
        ("Gunmen opened fire on soldiers in Benue, killing 11.", "Armed clash"),
        ("Police used tear gas to disperse the protesters.", "Protest with intervention"),
        ("Police used live ammunition against the protesters, killing four.", "Excessive force against protesters"),
        ("Protesters hurled stones at police, who responded with tear gas.", "Violent demonstration"),
        ("Iraqi forces recaptured Ramadi.", "Government regains territory"),
        ("Islamic State militants recaptured Ramadi.", "Non-state actor overtakes territory"),
        ("Police defused a roadside bomb on the highway.", "Disrupted weapons use"),
        # shells inside a two-sided fight are part of the battle; shells that
        # kill civilians, or a fight only recalled in a side clause, are not
        ("Heavy fighting raged between the army and the rebels as mortars pounded the ridge.", "Armed clash"),
        ("Soldiers and guerrillas exchanged gunfire after a grenade was hurled at the camp gate.", "Armed clash"),
        ("Mortars pounded the market, killing six shoppers, as clashes went on outside the town.",
         "Shelling/artillery/missile attack"),
        ("The army fired rockets at rebel trenches as the border clashes entered their third week.",
         "Shelling/artillery/missile attack"),
    ],
)
def test_hard_distinctions(nlp: Any, lexicon: EventLexicon, text: str, expected: str) -> None:
    check(nlp, lexicon, text, expected)


# Word senses that look like events: each pair is the event sense and the
# sense that is not, decided by context the ACLED definitions imply.
WORD_SENSE_CASES = [
    # "according to" is attribution; an accord is an agreement
    ("Rebel fighters control most of the valley, according to residents.", None),
    ("The rebels and the government reached an accord on the release of prisoners.", "Agreement"),
    # match reports: the vocabulary of attack is metaphor; "Air Force" names a club
    ("The Air Force club bombarded the penalty area with crosses in the first half.", None),
    ("Fans behind the goal set off flares as the home team attacked.", None),
    ("The striker fired a shot into the top corner to win the derby.", None),
    ("A bomb exploded outside a football stadium in Mogadishu, killing five.", "Remote explosive/landmine/IED"),
    ("Air force jets bombed rebel positions near the border.", "Air/drone strike"),
    ("Rebels shelled the air force base overnight.", "Shelling/artillery/missile attack"),
    # a group described is not a group changing
    ("The Syrian Democratic Forces, an alliance of Kurdish and Arab fighters, hold the area.", None),
    ("Two rebel factions formed a new alliance in northern Syria on Monday.", "Change to group/activity"),
    ("The group, which renamed itself last year, runs checkpoints across the province.", None),
    ("The Nusra Front renamed itself Jabhat Fateh al-Sham on Thursday.", "Change to group/activity"),
    ("The claims were spread by groups allied with the militants.", None),
    # strikes: military among aircraft and coalitions, labour among workers
    ("The coalition has conducted hundreds of strikes against the group since 2014.", "Air/drone strike"),
    ("Teachers are striking across the province to demand higher salaries.", "Peaceful protest"),
    # a base, office or checkpoint set up by armed men, not any thing opened
    ("An investigation has been opened into the incident at the checkpoint, officials said.", None),
    ("Militants set up checkpoints on the main road into the town.", "Headquarters or base established"),
    ("The militia opened an office in the town centre.", "Headquarters or base established"),
    # marching captives is not a march
    ("The militants marched dozens of prisoners into the desert and shot them.", "Attack"),
    ("Thousands marched through the capital demanding the president's resignation.", "Peaceful protest"),
    # party activists who fight the police riot; they are no armed group
    ("Opposition activists clashed with police outside the party office, leaving a dozen people injured.",
     "Violent demonstration"),
    ("Rebel fighters clashed with police outside the party office, leaving a dozen people injured.",
     "Armed clash"),
    # troops and rebels who march on a town advance on it
    ("Rebel columns marched on the provincial capital overnight.", None),
    ("Nurses marched to the health ministry over months of unpaid wages.", "Peaceful protest"),
    # "the target of" is a description; the attack word carries the event
    ("Raqqa is the target of a campaign by Kurdish-led forces.", None),
    ("The checkpoint was the target of an attack by gunmen.", "Armed clash"),
]


@pytest.mark.parametrize("text, expected", WORD_SENSE_CASES, ids=[t[:48] for t, _ in WORD_SENSE_CASES])
def test_word_senses(nlp: Any, lexicon: EventLexicon, text: str, expected: str | None) -> None:
    check(nlp, lexicon, text, expected)


# Sanctions punish past acts; a claim of responsibility that gives the act's
# place, day and toll is how wires report the act itself (the demo's Hasakah
# lead), so it stays an event. Property burned by people no armed group is named
# for is rioting ("violent or destructive acts"); by militants it stays
# Looting/property destruction.
CLAIM_AND_ARSON_CASES = [
    ("Al-Shabaab claimed responsibility for a mortar attack on Mogadishu airport on Monday that wounded two guards.",
     "Shelling/artillery/missile attack"),
    ("Canada imposed new sanctions on Myanmar's generals over the air strikes on villages in Sagaing.", None),
    ("A roadside bomb killed three soldiers near Wana, and the TTP claimed responsibility.",
     "Remote explosive/landmine/IED"),
    ("Twin blasts rocked a crowded bazaar in Quetta on Friday evening.", "Remote explosive/landmine/IED"),
    ("Miscreants set fire to two buses parked at the Gabtali terminal in Dhaka early on Tuesday.", "Mob violence"),
    ("A covered van and a truck were torched on the Rangpur highway overnight.", "Mob violence"),
    ("Opposition supporters torched the upazila land office in Feni on Sunday.", "Mob violence"),
    ("Suspected Maoists torched three trucks carrying road-building material in Sukma.",
     "Looting/property destruction"),
    ("Pickets torched a bus in Motijheel on the first day of the hartal.", "Violent demonstration"),
    ("Two men set fire to a magistrate's car parked outside her house in Sialkot overnight.",
     "Looting/property destruction"),
]


@pytest.mark.parametrize("text, expected", CLAIM_AND_ARSON_CASES, ids=[t[:48] for t, _ in CLAIM_AND_ARSON_CASES])
def test_sanctions_claims_and_arson(nlp: Any, lexicon: EventLexicon, text: str, expected: str | None) -> None:
    check(nlp, lexicon, text, expected)


def test_one_candidate_per_event_sentence_with_absolute_offsets(nlp: Any, lexicon: EventLexicon) -> None:
    text = (
        "The ministry published its annual report. "
        "A roadside bomb killed two soldiers near Kandahar. "
        "Hundreds protested in the capital on Sunday."
    )
    candidates = detect_events(nlp(text), lexicon)
    assert [c.sub_event_type for c in candidates] == ["Remote explosive/landmine/IED", "Peaceful protest"]
    first, second = candidates
    assert text[first.sentence.start : first.sentence.end].startswith("A roadside bomb")
    assert text[first.trigger.start : first.trigger.end] == "roadside bomb"
    assert text[second.trigger.start : second.trigger.end] == "protested"
    assert all(0.0 < c.score <= 1.0 for c in candidates)


def test_disorder_type_follows_the_taxonomy() -> None:
    assert disorder_type("Protests", "Excessive force against protesters") == "Political violence; Demonstrations"
    assert disorder_type("Riots", "Mob violence") == "Political violence"
    assert disorder_type("Riots", "Violent demonstration") == "Demonstrations"
    assert disorder_type("Strategic developments", "Arrests") == "Strategic developments"
    with pytest.raises(ValueError):
        disorder_type("Battles", "Suicide bomb")


def test_packaged_taxonomy_has_the_25_acled_labels() -> None:
    raw = json.loads(resources.files("fieldreport").joinpath("data", "acled_taxonomy.json").read_text())
    assert {et: list(subs) for et, subs in raw["event_types"].items()} == ACLED_SUB_EVENTS


def test_lexicon_covers_every_label(lexicon: EventLexicon) -> None:
    assert {r.sub_event_type for r in lexicon.rules} == set(EVENT_TYPE_OF)
    assert all(EVENT_TYPE_OF[r.sub_event_type] == r.event_type for r in lexicon.rules)


def _write_lexicon(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "lexicon.yaml"
    path.write_text(body, encoding="utf-8")
    return path


def test_a_wrong_label_is_a_clear_error(tmp_path: Path) -> None:
    path = _write_lexicon(tmp_path, (
        "sub_events:\n"
        "  Airstrike:\n"
        "    event_type: Explosions/Remote violence\n"
        "    rules: [{triggers: [airstrike], weight: 0.9}]\n"
    ))
    with pytest.raises(ResourceError, match=r"unknown ACLED sub-event type 'Airstrike'.*Air/drone strike"):
        load_lexicon(path)


def test_a_wrong_event_type_is_a_clear_error(tmp_path: Path) -> None:
    path = _write_lexicon(tmp_path, (
        "sub_events:\n"
        "  Grenade:\n"
        "    event_type: Battles\n"
        "    rules: [{triggers: [grenade], weight: 0.9}]\n"
    ))
    with pytest.raises(ResourceError, match=r"'Grenade'.*must be 'Explosions/Remote violence'"):
        load_lexicon(path)


def test_a_lexicon_missing_labels_is_refused(tmp_path: Path) -> None:
    path = _write_lexicon(tmp_path, (
        "sub_events:\n"
        "  Grenade:\n"
        "    event_type: Explosions/Remote violence\n"
        "    rules: [{triggers: [grenade], weight: 0.9}]\n"
    ))
    with pytest.raises(ResourceError, match="no rules for ACLED sub-event types"):
        load_lexicon(path)


@pytest.mark.parametrize(
    "packaged_line, broken_line, message",
    [
        ("weight: 0.9\n", "weight: 9\n", "between 0 and 1"),
        ("min_cues: 2\n", "min_cues: 0\n", "min_cues"),
        ("main_clause: true\n", "main_clause: maybe\n", "main_clause"),
    ],
)
def test_a_malformed_rule_is_refused(tmp_path: Path, packaged_line: str, broken_line: str, message: str) -> None:
    packaged = resources.files("fieldreport").joinpath("data", "event_lexicon.yaml").read_text()
    assert packaged_line in packaged
    path = _write_lexicon(tmp_path, packaged.replace(packaged_line, broken_line, 1))
    with pytest.raises(ResourceError, match=message):
        load_lexicon(path)


# A blast that hurts people is a bombing unless the words say it was an accident.
BLAST_CASES = [
    ("An explosion caused casualties near the main square of Jisr al-Shughur on Sunday.",
     "Remote explosive/landmine/IED"),
    ("Two blasts wounded a dozen shoppers in the old market of Azaz.", "Remote explosive/landmine/IED"),
    ("A gas explosion at a restaurant in Karachi killed four people on Sunday.", None),
    ("A boiler blast at a textile factory injured twelve workers.", None),
    # Monitors count "air and ground strikes" together; the air strikes make it one.
    ("Air and ground strikes killed nine civilians in southern Idlib on Tuesday.", "Air/drone strike"),
    # Crashes and fuel stores that blow up are accidents, not bombings...
    ("Two drivers died in a pile-up and explosion on the Lagos-Ibadan expressway.", None),
    ("A fire and explosion at a petrol station in Kano killed three attendants.", None),
    # ...unless a bomber or a strike is named.
    ("A suicide bomber crashed his car into the gate of the base, killing six soldiers.", "Suicide bomb"),
    ("Two kamikazes blew up at the entrance to a mosque in Maiduguri, killing five.", "Suicide bomb"),
    ("A kamikaze drone struck a fuel depot near Belgorod.", "Air/drone strike"),
    ("Militants in Idlib suffered losses in raids by army helicopters.", "Air/drone strike"),
    # the weapon decides: people killed in a blast were bombed, whoever left the bomb
    ("Three shepherds were killed in the explosion of a mine left by Islamic State near Palmyra.",
     "Remote explosive/landmine/IED"),
]


# Ground gained by rebels, and ground handed over without a fight.
TERRITORY_CASES = [
    ("Rebel fighters gained ground in the eastern districts of the city overnight.",
     "Non-state actor overtakes territory"),
    ("The militia withdrew and the army entered the town without fighting.",
     "Non-violent transfer of territory"),
    ("Troops took control of three villages in the district without any armed clashes.",
     "Non-violent transfer of territory"),
    # "took over" says nothing of how: rebels who took over villages took them
    ("Mai Mai militiamen took over four villages in Lubero territory on Sunday.",
     "Non-state actor overtakes territory"),
    ("The rebels pulled out overnight and the army took over the town without a shot being fired.",
     "Non-violent transfer of territory"),
]


# Soldiers among the dead make a battle, civilians alone an attack on civilians.
DEAD_LIST_CASES = [
    ("Thirty people were killed on Monday, including nine members of the security forces, "
     "the monitor said.", "Armed clash"),
    ("Thirty people were killed by gunmen on Monday, including nine children, the monitor said.", "Attack"),
    ("Sixty persons including 14 members of the army and allied militiamen were killed on Sunday.",
     "Armed clash"),
    ("Forty civilians including 12 children were killed by gunmen in a village near Beni on Monday.", "Attack"),
]


@pytest.mark.parametrize("text, expected", DEAD_LIST_CASES, ids=[t[:48] for t, _ in DEAD_LIST_CASES])
def test_who_is_among_the_dead(nlp: Any, lexicon: EventLexicon, text: str, expected: str) -> None:
    check(nlp, lexicon, text, expected)


# Weapons captured are weapons seized; a bank robbery is crime; and a protest
# where firecrackers were thrown is no fireworks accident.
SEIZURE_CRIME_AND_RIOT_CASES = [
    ("Soldiers captured 40 rifles and 3,000 bullets at a roadblock outside Goma.", "Disrupted weapons use"),
    ("A man was charged with robbing two banks in Lima in one morning.", None),
    ("Protesters hurled firecrackers and bottles at police lines outside parliament in Tbilisi.",
     "Violent demonstration"),
    # vigilantes are who did it, not what they did: a lynching is mob violence,
    # houses torched by soldiers and vigilantes are property destroyed
    ("Vigilantes lynched a suspected cattle thief in a market in Katsina.", "Mob violence"),
    # a plot foiled is a disrupted attack; an attack beaten off in a fight is a clash
    ("Police foiled a plot to bomb the cathedral in Cologne.", "Disrupted weapons use"),
    ("Kurdish fighters thwarted an attack on their positions near Manbij, killing six attackers.",
     "Armed clash"),
    # a grenade thrown in a gunfight is part of the clash; one lobbed at a patrol is a grenade attack
    ("Militants exchanged fire with a police patrol in Pulwama and hurled a grenade before fleeing.",
     "Armed clash"),
    ("Suspected militants lobbed a grenade at a police patrol in Sopore, wounding two constables.", "Grenade"),
    # armed sides firing at each other fight
    ("Civilians were caught in the crossfire when Indian and Pakistani troops targeted each other in Poonch.",
     "Armed clash"),
    # a unit's name is no defusing
    ("Gunmen shot dead a teacher who had once worked for the Bomb Disposal Unit in Tank.", "Attack"),
    # fire on a vehicle of displaced people is an attack; the army that reports it is no target
    ("The military said rebels fired on a bus carrying displaced families near Laukkai, killing one.", "Attack"),
    ("Rebels fired on an army convoy near Laukkai on Tuesday.", "Armed clash"),
    # a soldier's kin are civilians
    ("Gunmen shot dead the wife and son of a soldier at their home near Bannu.", "Attack"),
    ("Soldiers and vigilantes torched thirty houses in the village, residents said.",
     "Looting/property destruction"),
]


@pytest.mark.parametrize("text, expected", SEIZURE_CRIME_AND_RIOT_CASES,
                         ids=[t[:48] for t, _ in SEIZURE_CRIME_AND_RIOT_CASES])
def test_seizures_crime_and_riots(nlp: Any, lexicon: EventLexicon, text: str, expected: str | None) -> None:
    check(nlp, lexicon, text, expected)


@pytest.mark.parametrize("text, expected", TERRITORY_CASES, ids=[t[:48] for t, _ in TERRITORY_CASES])
def test_territory_taken_and_handed_over(nlp: Any, lexicon: EventLexicon, text: str, expected: str) -> None:
    check(nlp, lexicon, text, expected)


@pytest.mark.parametrize("text, expected", BLAST_CASES, ids=[t[:48] for t, _ in BLAST_CASES])
def test_blasts_with_casualties(nlp: Any, lexicon: EventLexicon, text: str, expected: str | None) -> None:
    check(nlp, lexicon, text, expected)


# What protesters demand or denounce is their grievance, not what happened at
# the protest; the police's own acts at it still count.
GRIEVANCE_CASES = [
    ("Hundreds of people protested in Kabul on Sunday against the killing of civilians in a drone strike.",
     "Peaceful protest"),
    ("Students marched in Dhaka on Monday to demand the release of activists arrested last week.",
     "Peaceful protest"),
    ("Residents of Sadr City staged a sit-in on Wednesday in protest at the arrest of a local cleric.",
     "Peaceful protest"),
    ("Thousands took to the streets of Srinagar to mourn three youths killed by soldiers.", "Peaceful protest"),
    ("Police detained 12 students protesting against the arrest of their union leader in Dhaka.",
     "Protest with intervention"),
    ("Demonstrators rallied over fuel prices in Lagos until police dispersed them with tear gas.",
     "Protest with intervention"),
    ("Protesters calling for the release of detained leaders were dispersed by police with batons in Harare.",
     "Protest with intervention"),
    ("The government condemned the air strike that killed 12 civilians in Idlib on Monday.", "Air/drone strike"),
    # a "non-violent demonstration" is no violent one, and protesters who were
    # injured were hurt, not violent
    ("More than ten protesters were injured after a non-violent demonstration was broken up in Najaf.",
     "Protest with intervention"),
    ("Protesters injured five policemen and damaged shops in Najaf on Friday.", "Violent demonstration"),
]


@pytest.mark.parametrize("text, expected", GRIEVANCE_CASES, ids=[t[:48] for t, _ in GRIEVANCE_CASES])
def test_a_protests_grievance_is_not_its_sub_event(nlp: Any, lexicon: EventLexicon, text: str,
                                                  expected: str) -> None:
    check(nlp, lexicon, text, expected)


# A bomb defused is a disrupted weapon; one that went off while being defused
# is an explosion.
DEFUSED_CASES = [
    ("Army engineers defused a roadside bomb on the Kabul-Jalalabad highway on Monday.", "Disrupted weapons use"),
    ("Bomb disposal experts defused two devices found near a school in Quetta before they could explode.",
     "Disrupted weapons use"),
    ("Nine people were killed when a truck bomb blew up as police were trying to defuse it in Kandahar.",
     "Remote explosive/landmine/IED"),
    ("A bomb went off as police tried to defuse it outside a mosque in Peshawar, wounding three officers.",
     "Remote explosive/landmine/IED"),
]


@pytest.mark.parametrize("text, expected", DEFUSED_CASES, ids=[t[:48] for t, _ in DEFUSED_CASES])
def test_a_bomb_that_went_off_while_defused_is_an_explosion(nlp: Any, lexicon: EventLexicon, text: str,
                                                             expected: str) -> None:
    check(nlp, lexicon, text, expected)


# Security forces who capture a person arrest them; captured rifles are
# weapons seized and a captured town is territory.
CAPTURE_CASES = [
    ("The Somali army has captured a senior al-Shabaab commander who heads the group's explosives unit.",
     "Arrests"),
    ("Police captured three suspected militants with grenades in Srinagar on Friday.", "Arrests"),
    ("Troops captured 40 rifles and a mortar at a roadblock outside Goma.", "Disrupted weapons use"),
    ("The army captured the town of Tal Afar on Sunday.", "Government regains territory"),
]


@pytest.mark.parametrize("text, expected", CAPTURE_CASES, ids=[t[:48] for t, _ in CAPTURE_CASES])
def test_what_was_captured_decides(nlp: Any, lexicon: EventLexicon, text: str, expected: str) -> None:
    check(nlp, lexicon, text, expected)


# A state's forces named by nationality take territory for the government;
# forces a state backs do not.
FORCES_BY_NATIONALITY_CASES = [
    ("Iraqi forces captured the town of Tal Afar on Sunday.", "Government regains territory"),
    ("Nigerian troops seized the town of Bama from Boko Haram on Friday.", "Government regains territory"),
    ("Turkish-backed forces seized the town of Afrin on Sunday.", "Non-state actor overtakes territory"),
]


@pytest.mark.parametrize("text, expected", FORCES_BY_NATIONALITY_CASES,
                         ids=[t[:48] for t, _ in FORCES_BY_NATIONALITY_CASES])
def test_a_states_forces_named_by_nationality(nlp: Any, lexicon: EventLexicon, text: str, expected: str) -> None:
    check(nlp, lexicon, text, expected)


# Violence at an election is violence, not election news; a die-in is a
# protest, dying in a place is not; a march that turns ugly is a riot.
ELECTION_AND_PROTEST_FORM_CASES = [
    ("Soldiers beat and assaulted voters during violence in last month's elections in Kasai, a rights group said.",
     "Attack"),
    ("Police shot dead two men in post-election violence in Kisumu on Tuesday.", "Attack"),
    ("The commission said turnout in the elections was higher than in 2017.", None),
    ("Nurses held a die-in outside the health ministry in Santiago on Thursday.", "Peaceful protest"),
    ("Climate activists staged die-ins at three railway stations in Berlin.", "Peaceful protest"),
    ("Aid workers warned that thousands of children could die in the camps this winter.", None),
    ("A protest march against fuel prices degenerated into stone-throwing in Conakry.",
     "Violent demonstration"),
    ("A protest by taxi drivers in Nairobi descended into chaos as drivers smashed windows.",
     "Violent demonstration"),
    # who fires decides: the state's fire on protesters is excessive force,
    # gunmen's fire on them an attack on civilians, protesters' own fire a riot
    ("Soldiers opened fire on protesters in Omdurman, killing three.", "Excessive force against protesters"),
    ("Gunmen opened fire on protesters outside the governor's office in Jos, killing four.", "Attack"),
    ("A group of protesters fired live ammunition at shop owners while trying to loot a market in Durban.",
     "Violent demonstration"),
    ("Demonstrators were wounded after police dispersed the rally in Basra using live bullets.",
     "Excessive force against protesters"),
]


@pytest.mark.parametrize("text, expected", ELECTION_AND_PROTEST_FORM_CASES,
                         ids=[t[:48] for t, _ in ELECTION_AND_PROTEST_FORM_CASES])
def test_election_violence_and_forms_of_protest(nlp: Any, lexicon: EventLexicon, text: str,
                                                expected: str | None) -> None:
    check(nlp, lexicon, text, expected)
