"""Toponym resolution and event location, as a conflict analyst would check them."""

from __future__ import annotations

from typing import Any

import pytest

from fieldreport.gazetteer import Gazetteer, open_gazetteer
from fieldreport.records import Place, Span
from fieldreport.stages.location import EventLocation, locate_event
from fieldreport.stages.places import find_places


@pytest.fixture(scope="session")
def gazetteer(tmp_path_factory: pytest.TempPathFactory) -> Gazetteer:
    # Same file as test_gazetteer.py's fixture: built once per session.
    return open_gazetteer(tmp_path_factory.getbasetemp() / "gazetteer.sqlite")


def places_in(nlp: Any, gazetteer: Gazetteer, text: str) -> tuple[Place, ...]:
    return find_places(nlp(text), gazetteer)


def place_named(places: tuple[Place, ...], surface: str) -> Place:
    found = [p for p in places if p.name == surface]
    assert found, f"{surface!r} not found among {[p.name for p in places]}"
    return found[0]


RESOLUTION_CASES = [
    # (article text, toponym as written, iso3, gazetteer name, admin1, feature)
    ("Tanks rolled through Prague on Sunday as protesters gathered.", "Prague", "CZE", "Prague", "Praha, Hlavní město", "city"),
    ("A tornado destroyed homes in Prague, Oklahoma, on Sunday.", "Prague", "USA", "Prague", "Oklahoma", "city"),
    ("A tornado hit Alexandria, Louisiana, on Tuesday.", "Alexandria", "USA", "Alexandria", "Louisiana", "city"),
    ("Police clashed with protesters in Cairo and Alexandria on Friday, Egypt's interior ministry said.",
     "Alexandria", "EGY", "Alexandria", "Al Iskandarīyah", "city"),
    ("Police in Arlington and Fairfax said a gunman opened fire in Alexandria.",
     "Alexandria", "USA", "Alexandria", "Virginia", "city"),
    ("Iraqi forces retook Falluja from Islamic State fighters.", "Falluja", "IRQ", "Al Fallūjah", "Anbar", "city"),
    ("Government aircraft bombed Deir al-Zour and Raqqa on Monday.", "Deir al-Zour", "SYR", "Deir ez-Zor", "Deir ez-Zor", "city"),
    ("Kurdish fighters held Kobani after months of siege.", "Kobani", "SYR", "‘Ayn al ‘Arab", "Aleppo", "city"),
    ("Militants attacked a checkpoint near the town of Amerli.", "Amerli", "IRQ", "Amirli", "Salahuddin", "city"),
    ("Fighting spread across Nineveh province on Saturday.", "Nineveh", "IRQ", "Nineveh", "Nineveh", "admin1"),
    ("Clashes were reported in Salah al-Din province and in Diyala.", "Salah al-Din", "IRQ", "Salahuddin", "Salahuddin", "admin1"),
    ("Shelling killed four people in Homs, activists in Syria said.", "Homs", "SYR", "Homs", "Homs", "city"),
]


@pytest.mark.parametrize("text, surface, iso3, location, admin1, feature", RESOLUTION_CASES)
def test_toponyms_resolve(nlp: Any, gazetteer: Gazetteer, text: str, surface: str, iso3: str,
                          location: str, admin1: str | None, feature: str) -> None:
    place = place_named(places_in(nlp, gazetteer, text), surface)
    assert (place.iso3, place.location, place.admin1, place.feature) == (iso3, location, admin1, feature)
    assert place.geonameid is not None and place.latitude is not None
    assert text[place.start:place.end] == surface


@pytest.mark.parametrize(
    "text, not_a_place",
    [
        ("Turkish troops crossed the border at dawn.", "Turkish"),
        ("Iraqi and Syrian officials met to discuss the offensive.", "Iraqi"),
        ("Iraqi and Syrian officials met to discuss the offensive.", "Syrian"),
        ("Kurdish fighters pushed into the city on Monday.", "Kurdish"),
    ],
)
def test_nationality_adjectives_are_not_places(nlp: Any, gazetteer: Gazetteer, text: str, not_a_place: str) -> None:
    assert not_a_place not in [p.name for p in places_in(nlp, gazetteer, text)]


def test_unknown_village_is_kept_with_a_reason(nlp: Any, gazetteer: Gazetteer) -> None:
    place = place_named(places_in(nlp, gazetteer, "Fighters seized the village of Umm Qzzyrat on Monday."),
                        "Umm Qzzyrat")
    assert place.geonameid is None and place.latitude is None
    assert place.reason == "no gazetteer match"


def test_dateline_city_is_found(nlp: Any, gazetteer: Gazetteer) -> None:
    place = place_named(places_in(nlp, gazetteer, "BAGHDAD (Reuters) - A bomb exploded in a market."), "BAGHDAD")
    assert place.iso3 == "IRQ" and place.feature == "city"


def span_of(text: str, words: str, after: int = 0) -> Span:
    start = text.index(words, after)
    return Span(start, start + len(words))


def locate(nlp: Any, gazetteer: Gazetteer, text: str, trigger: str, context: tuple[str, ...] = ()) -> EventLocation:
    doc = nlp(text)
    places = find_places(doc, gazetteer)
    trig = span_of(text, trigger)
    sentence = next(s for s in doc.sents if s.start_char <= trig.start < s.end_char)
    return locate_event(text, Span(sentence.start_char, sentence.end_char), trig, places,
                        tuple(span_of(text, c) for c in context))


LOCATION_CASES = [
    # (text, trigger, context sentences, location, geo_precision, evidence words)
    ("A car bomb exploded near Tikrit on Monday, killing five people.", "exploded", (),
     "Tikrīt", 2, "near Tikrit"),
    ("Gunmen attacked a police station in Anbar province on Sunday.", "attacked", (),
     "Anbar", 3, "in Anbar province"),
    ("A suicide bomber who had travelled from Baghdad blew himself up in Tikrit.", "blew", (),
     "Tikrīt", 1, "in Tikrit"),
    ("The attack in Ramadi came a day after clashes in Fallujah.", "attack", (),
     "Ramadi", 1, "in Ramadi"),
    ("Islamic State fighters attacked Iraqi forces in Mosul's al-Zuhur district.", "attacked", (),
     "Mosul", 1, "in Mosul's al-Zuhur district"),
    ("Clashes broke out on the outskirts of Aleppo overnight.", "Clashes", (),
     "Aleppo", 1, "on the outskirts of Aleppo"),
    ("Artillery shelling hit the Homs countryside.", "shelling", (),
     "Homs", 2, "Homs countryside"),
    ("Government troops clashed with rebels 20 km from Hama.", "clashed", (),
     "Ḩamāh", 2, "20 km from Hama"),
    ("Fighting raged in Tal Afar on Sunday. Three soldiers were killed, officials said.", "killed",
     ("Fighting raged in Tal Afar on Sunday.",), "Tall ‘Afar", 1, "in Tal Afar"),
    ("Iraqi troops fought militants in Nineveh province, where a roadside bomb killed two soldiers near Sinjar.",
     "bomb", (), "Sinjār", 2, "near Sinjar"),
    # A named part of one province is ACLED's "small part of a region"; a region
    # across provinces is coded like a province.
    ("Regime artillery shelled the Eastern Ghouta on Tuesday, killing three civilians.", "shelled", (),
     "Eastern Ghouta", 2, "Eastern Ghouta"),
    ("Government aircraft bombed villages in Jabal al-Zawiya overnight.", "bombed", (),
     "Jabal al-Zawiya", 2, "in Jabal al-Zawiya"),
    ("Militants ambushed a Frontier Corps convoy in Kurram on Friday.", "ambushed", (),
     "Kurram", 3, "in Kurram"),
]


@pytest.mark.parametrize("text, trigger, context, location, precision, evidence", LOCATION_CASES)
def test_event_location(nlp: Any, gazetteer: Gazetteer, text: str, trigger: str, context: tuple[str, ...],
                        location: str, precision: int, evidence: str) -> None:
    found = locate(nlp, gazetteer, text, trigger, context)
    assert found.place is not None, found.reason
    assert (found.place.location, found.geo_precision) == (location, precision)
    assert found.span is not None and found.span.text(text) == evidence


def test_province_only_is_coded_at_the_admin1_centroid(nlp: Any, gazetteer: Gazetteer) -> None:
    found = locate(nlp, gazetteer, "Gunmen attacked a police station in Anbar province on Sunday.", "attacked")
    anbar = [c for c in gazetteer.lookup("Anbar") if c.feature == "admin1"][0]
    assert found.place is not None and found.place.feature == "admin1"
    assert (found.place.latitude, found.place.longitude) == (anbar.latitude, anbar.longitude)


def test_country_only_has_no_precision(nlp: Any, gazetteer: Gazetteer) -> None:
    found = locate(nlp, gazetteer, "An air strike killed 12 people in Syria on Tuesday.", "strike")
    assert found.place is not None and found.place.feature == "country" and found.place.iso3 == "SYR"
    assert found.geo_precision is None and found.reason == "country only"


def test_no_place_is_a_reason_not_a_guess(nlp: Any, gazetteer: Gazetteer) -> None:
    found = locate(nlp, gazetteer, "Three soldiers were killed on Tuesday.", "killed")
    assert found.place is None and found.geo_precision is None and found.reason


def test_government_speaking_is_not_where_the_event_happened(nlp: Any, gazetteer: Gazetteer) -> None:
    found = locate(nlp, gazetteer, "Washington said an air strike killed 20 militants in Raqqa.", "strike")
    assert found.place is not None and found.place.location == "Ar Raqqah"
    alone = locate(nlp, gazetteer, "Washington said an air strike killed 20 militants.", "strike")
    assert alone.place is None or alone.place.iso3 != "USA"


def test_small_foreign_namesake_is_not_chosen_in_an_article_about_iraq(nlp: Any, gazetteer: Gazetteer) -> None:
    text = ("Iraqi troops advanced on the town of al-Dour, south of Tikrit, on Monday. "
            "Most residents of al-Dour left months ago, officials in Baghdad and Samarra said.")
    places = find_places(nlp(text), gazetteer)
    dour = [p for p in places if "Dour" in p.name]
    assert dour and all(p.country in (None, "Iraq") for p in dour)
