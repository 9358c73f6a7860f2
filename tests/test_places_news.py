"""Toponyms in local and wire news, as an editor checking a geotagged story would read them."""

from __future__ import annotations

from typing import Any

import pytest

from fieldreport.gazetteer import Gazetteer, open_gazetteer
from fieldreport.records import Place
from fieldreport.stages.places import find_places


@pytest.fixture(scope="session")
def gazetteer(tmp_path_factory: pytest.TempPathFactory) -> Gazetteer:
    # Same file as test_places.py's fixture: built once per session.
    return open_gazetteer(tmp_path_factory.getbasetemp() / "gazetteer.sqlite")


def toponyms(nlp: Any, gazetteer: Gazetteer, text: str) -> tuple[Place, ...]:
    return find_places(nlp(text), gazetteer, all_toponyms=True)


def named(places: tuple[Place, ...], surface: str) -> Place:
    found = [p for p in places if p.name == surface]
    assert found, f"{surface!r} not found among {[p.name for p in places]}"
    return found[0]


@pytest.mark.parametrize("text, surface", [
    ("Exports to the U.S. fell in March.", "U.S."),
    ("The school will move from Northwest D.C. to Penn Quarter.", "D.C."),
    ("She was stopped in Newton County, Ga. on Sunday.", "Ga."),
])
def test_an_abbreviated_name_keeps_its_dot(nlp: Any, gazetteer: Gazetteer, text: str, surface: str) -> None:
    place = named(toponyms(nlp, gazetteer, text), surface)
    assert text[place.start:place.end] == surface and place.iso3 == "USA"


def test_a_county_inside_an_agency_name_is_the_county(nlp: Any, gazetteer: Gazetteer) -> None:
    text = "Evans, 26, of Paris, Ill., was in the custody of the Edgar County Sheriff's Department on Friday."
    place = named(toponyms(nlp, gazetteer, text), "Edgar County")
    assert place.admin1 == "Illinois" and place.feature == "admin2"


def test_a_river_the_gazetteer_lacks_keeps_its_whole_name(nlp: Any, gazetteer: Gazetteer) -> None:
    text = "Crews pulled a kayaker from the Sacramento River near Redding, California, on Sunday."
    names = [p.name for p in toponyms(nlp, gazetteer, text)]
    assert "Sacramento River" in names and "Sacramento" not in names
