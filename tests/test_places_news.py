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


@pytest.mark.parametrize("text, surface, admin1", [
    (("Deputies searched a house near Gainesville on Monday. Hall County officials said the suspect "
      "was held in the county jail."), "Gainesville", "Georgia"),
    (("A tornado damaged barns in Anderson County overnight. Residents of Palestine and Frankston "
      "were without power."), "Anderson County", "Texas"),
    ("Paris police arrested two men on Friday. The Lamar County sheriff said both were from Reno.",
     "Paris", "Texas"),
    ("Schools in Athens will close early on Friday. Clarke County and Oconee County schools will follow.",
     "Athens", "Georgia"),
])
def test_places_mentioned_together_settle_on_one_state(nlp: Any, gazetteer: Gazetteer, text: str, surface: str,
                                                      admin1: str) -> None:
    assert named(toponyms(nlp, gazetteer, text), surface).admin1 == admin1


@pytest.mark.parametrize("text, surface, feature, iso3", [
    ("Cases were reported in Colorado, California and Minnesota.", "Minnesota", "admin1", "USA"),
    ("Investigators checked cases in Washington, Pennsylvania and California.", "California", "admin1", "USA"),
    ("Travellers returning from Mexico were screened in New York and Ohio.", "Mexico", "country", "MEX"),
    ("Horses were quarantined across Australia, in New South Wales and Victoria.", "Victoria", "admin1", "AUS"),
])
def test_a_state_or_country_under_its_own_name_is_the_division(nlp: Any, gazetteer: Gazetteer, text: str,
                                                               surface: str, feature: str, iso3: str) -> None:
    place = named(toponyms(nlp, gazetteer, text), surface)
    assert (place.feature, place.iso3) == (feature, iso3)


def test_namesake_towns_do_not_outvote_the_holy_cities(nlp: Any, gazetteer: Gazetteer) -> None:
    text = ("Pilgrims travelled to Mecca for the Hajj. One died in Mecca, the others in Medina. "
            "Egypt barred some pilgrims from leaving Cairo.")
    places = toponyms(nlp, gazetteer, text)
    assert {named(places, name).iso3 for name in ("Mecca", "Medina")} == {"SAU"}


def test_a_dateline_after_the_headline_is_found(nlp: Any, gazetteer: Gazetteer) -> None:
    text = "Israel floods Lebanese farmlands, destroys crops. BEIRUT: Israel deliberately flooded fields on Monday."
    place = named(toponyms(nlp, gazetteer, text), "BEIRUT")
    assert place.iso3 == "LBN" and place.feature == "city"


@pytest.mark.parametrize("text, surface, iso3", [
    ("Aid convoys were attacked again in Darfur last week.", "Darfur", "SDN"),
    ("The quake struck off the west coast of Sumatra on Tuesday.", "Sumatra", "IDN"),
    ("A typhoon crossed the Pacific before it reached land.", "Pacific", None),
    ("The outbreak spread from Congo to neighbouring Uganda.", "Congo", "COD"),
    ("Boko Haram fighters attacked fishermen on an island of Lake Chad, Chadian officials said.", "Lake Chad",
     None),
])
def test_a_well_known_region_or_sea_is_placed(nlp: Any, gazetteer: Gazetteer, text: str, surface: str,
                                              iso3: str | None) -> None:
    place = named(toponyms(nlp, gazetteer, text), surface)
    assert place.latitude is not None and place.iso3 == iso3


@pytest.mark.parametrize("text, iso3, feature", [
    ("Kenya's health ministry said cholera cases in Nyanza Province had doubled since June.", "KEN", "region"),
    ("Kenyan officials said the outbreak in Nyanza and the Rift Valley was slowing.", "KEN", "region"),
    ("Rwandan police said the market in Nyanza, south of Kigali, reopened on Monday.", "RWA", "city"),
])
def test_a_former_province_is_read_in_its_own_country(nlp: Any, gazetteer: Gazetteer, text: str, iso3: str,
                                                       feature: str) -> None:
    """Kenya's provinces became counties in 2013, but news from before still names
    them; Rwanda's town of Nyanza keeps its name."""
    place = named(toponyms(nlp, gazetteer, text), "Nyanza")
    assert (place.iso3, place.feature) == (iso3, feature)


@pytest.mark.parametrize("text, surface, location", [
    ("Two men were shot dead in a clash at a market in Sandwip upazila on Monday.", "Sandwip", "Sandwīp"),
    ("A man was killed in a land dispute at a village in Kurigram Sadar upazila on Saturday.", "Kurigram",
     "Kurigram"),
])
def test_a_south_asian_sub_district_marks_its_name_as_a_place(nlp: Any, gazetteer: Gazetteer, text: str,
                                                              surface: str, location: str) -> None:
    """"X upazila" is a place even when the model reads X as a person and the story
    never names Bangladesh; "Sadar" is the sub-district around the district seat."""
    places = toponyms(nlp, gazetteer, text)
    assert (named(places, surface).location, named(places, surface).iso3) == (location, "BGD")
    assert all(p.name != "Sadar" for p in places)


def test_the_district_a_sub_district_belongs_to_is_a_place(nlp: Any, gazetteer: Gazetteer) -> None:
    text = "A rickshaw puller was hurt when a crude bomb went off in the Sadar upazila of Gaibandha on Sunday."
    assert named(toponyms(nlp, gazetteer, text), "Gaibandha").iso3 == "BGD"


def test_a_capital_is_not_moved_abroad_by_one_village_namesake(nlp: Any, gazetteer: Gazetteer) -> None:
    """The only "Kalyanpur" the embedded gazetteer has is in India, but one such
    vote does not turn Bangladesh's capital of ten million into a town in Bihar."""
    text = "Arsonists torched two buses in Dhaka on Sunday night, and a third was burnt near the Kalyanpur bus stand."
    assert named(toponyms(nlp, gazetteer, text), "Dhaka").iso3 == "BGD"


def test_a_big_town_by_an_old_name_is_a_stray_abroad(nlp: Any, gazetteer: Gazetteer) -> None:
    """"Bandar" is an old name of Machilipatnam, India; in a story from
    Narayanganj it is the Bangladeshi sub-district the gazetteer lacks."""
    text = "Two shops were looted in Bandar upazila of Narayanganj district, Bangladesh, on Friday night."
    assert all(p.iso3 != "IND" for p in toponyms(nlp, gazetteer, text))


@pytest.mark.parametrize("text, surface, location", [
    ("A rocket hit a police post in DIK late on Friday, police said.", "DIK", "Dera Ismail Khan"),
    ("Polio workers were attacked in Charsadda, KPK, on Wednesday.", "KPK", "Khyber Pakhtunkhwa"),
    ("Drone strikes in FATA have fallen since the military operation began.", "FATA",
     "Federally Administered Tribal Areas"),
])
def test_pakistani_press_abbreviations_are_places(nlp: Any, gazetteer: Gazetteer, text: str, surface: str,
                                                  location: str) -> None:
    place = named(toponyms(nlp, gazetteer, text), surface)
    assert (place.location, place.iso3) == (location, "PAK")


def test_a_named_armed_group_says_which_country_a_small_town_is_in(nlp: Any, gazetteer: Gazetteer) -> None:
    """The group's home country is a hint like a nationality word: "TTP" places a
    town of 30,000 that the text never ties to Pakistan."""
    from fieldreport.stages.actors import load_actor_dictionary
    from fieldreport.stages.places import actor_country_hints

    text = "A bomb planted by TTP members went off beside a school in Upper Dir, wounding two guards."
    hints = actor_country_hints(gazetteer, (m.country for m in load_actor_dictionary().find(text)))
    assert hints == {"PK": 0.5}
    assert [p.iso3 for p in find_places(nlp(text), gazetteer, actor_hints=hints) if p.name == "Upper Dir"] == ["PAK"]
    assert all(p.name != "Upper Dir" for p in find_places(nlp(text), gazetteer))


def test_a_list_of_states_is_not_a_town_and_its_state(nlp: Any, gazetteer: Gazetteer) -> None:
    text = "The virus has now been found in Missouri, Illinois, Georgia and Delaware."
    places = toponyms(nlp, gazetteer, text)
    assert {named(places, name).feature for name in ("Illinois", "Georgia")} == {"admin1"}


def test_a_lake_is_not_the_county_of_its_first_word(nlp: Any, gazetteer: Gazetteer) -> None:
    text = "Algae blooms covered much of Lake Erie near Toledo, Ohio, this summer."
    assert all(p.name != "Lake" for p in toponyms(nlp, gazetteer, text))


@pytest.mark.parametrize("text, surfaces", [
    ("Outbreaks are likely to spread to Central Africa - Nigeria, Cameroon and Chad - in the next weeks.",
     ["Central Africa", "Nigeria"]),
    ("He said other Asia-Pacific nations like Malaysia were also at risk.", ["Asia", "Pacific"]),
    ("Aid has not reached a man in Pakistan-administered Kashmir since the quake.", ["Pakistan", "Kashmir"]),
])
def test_a_compound_name_yields_the_places_it_joins(nlp: Any, gazetteer: Gazetteer, text: str,
                                                    surfaces: list[str]) -> None:
    places = toponyms(nlp, gazetteer, text)
    assert all(named(places, surface).latitude is not None for surface in surfaces)


def test_a_country_the_model_reads_as_a_person_is_found(nlp: Any, gazetteer: Gazetteer) -> None:
    text = "These West African nations have all been hit by cholera epidemics: Burkina Faso, Guinea and Mali."
    assert named(toponyms(nlp, gazetteer, text), "Burkina Faso").iso3 == "BFA"


@pytest.mark.parametrize("text, surname", [
    ("Deputy John Clark found the car on Monday. Clark told reporters the driver had fled.", "Clark"),
    ("The suspect was arrested by Sheriff Ripley. Ripley said more arrests would follow.", "Ripley"),
])
def test_a_surname_the_article_gives_in_full_is_a_person(nlp: Any, gazetteer: Gazetteer, text: str,
                                                         surname: str) -> None:
    assert all(p.name != surname for p in toponyms(nlp, gazetteer, text))


def test_a_surname_after_a_locative_is_still_a_place(nlp: Any, gazetteer: Gazetteer) -> None:
    text = "Mayor Tom Lincoln spoke on Friday. Flooding closed roads in Lincoln, Neb., overnight."
    assert named(toponyms(nlp, gazetteer, text), "Lincoln").admin1 == "Nebraska"


def test_a_world_city_outweighs_a_hamlet_in_a_named_state(nlp: Any, gazetteer: Gazetteer) -> None:
    text = ("Cases were confirmed in Illinois, Ontario and Brazil. "
            "Officials in Cairo said arrivals would be screened.")
    assert named(toponyms(nlp, gazetteer, text), "Cairo").iso3 == "EGY"


@pytest.mark.parametrize("text, surface, country", [
    # The model tags the town as an organisation; the noun after it says it is a settlement.
    ("Clashes went on between government forces and rebels in Daraa city on Sunday.", "Daraa", "Syria"),
    # A town named like its own province is the provincial capital, whatever the model's label.
    ("Rebels shelled an army post near Daraa, a monitor said.", "Daraa", "Syria"),
    # A nationality describes the people, not the place: no stray town abroad.
    ("Islamic State fighters killed an Iranian commander in Tadmur on Monday.", "Tadmur", "Syria"),
    ("A Pakistani engineer was kidnapped in Kandahar on Friday.", "Kandahar", "Afghanistan"),
])
def test_conflict_towns_the_model_half_misses(nlp: Any, gazetteer: Gazetteer, text: str, surface: str,
                                              country: str) -> None:
    place = named(find_places(nlp(text), gazetteer), surface)
    assert place.country == country and place.latitude is not None


def test_a_loose_spelling_of_a_foreign_hamlet_is_left_unresolved(nlp: Any, gazetteer: Gazetteer) -> None:
    # "Sarrin" is spelled like Sarín, Peru (727 people), not the same name.
    place = named(find_places(nlp("Kurdish fighters clashed with Turkish-backed factions in Sarrin on Monday."),
                              gazetteer), "Sarrin")
    assert place.latitude is None and place.reason


@pytest.mark.parametrize("text, surface, iso3, admin1", [
    ("Flights to Atlanta, Georgia, resumed on Monday after the storm.", "Georgia", "USA", "Georgia"),
    ("Storms closed roads in Oregon, Idaho and Washington on Tuesday.", "Washington", "USA", "Washington"),
    ("No cases were reported in Arkansas, Colorado, Delaware or Maine this week.", "Delaware", "USA", "Delaware"),
    (("Schools in Athens and Watkinsville closed early. Clarke County and Oconee County crews "
      "said it was the worst ice storm in Georgia in a decade."), "Georgia", "USA", "Georgia"),
])
def test_a_state_named_with_its_towns_or_fellow_states_is_the_state(
        nlp: Any, gazetteer: Gazetteer, text: str, surface: str, iso3: str, admin1: str) -> None:
    place = named(toponyms(nlp, gazetteer, text), surface)
    assert (place.iso3, place.feature, place.admin1) == (iso3, "admin1", admin1)


def test_a_real_town_and_state_pair_is_not_a_list(nlp: Any, gazetteer: Gazetteer) -> None:
    place = named(toponyms(nlp, gazetteer, "The plant in Vancouver, Washington, will close."), "Vancouver")
    assert (place.iso3, place.admin1) == ("USA", "Washington")


@pytest.mark.parametrize("text, not_a_place", [
    ("The crash happened on County Road 109 east of Brandon.", "County Road 109"),
    ("Firefighters were called to a house on Greencrest Drive in Tyler on Sunday.", "Greencrest Drive"),
    ("Traffic on Highway 82 was stopped near Vernon for two hours.", "Highway 82"),
    ("Residents of the Cedar Haven Nursing Home were moved to a shelter in Tyler.", "Cedar Haven Nursing Home"),
    ("The council will meet at City Hall in Lufkin on Monday.", "City Hall"),
])
def test_a_street_or_building_the_gazetteer_lacks_is_not_returned_as_a_place(nlp: Any, gazetteer: Gazetteer, text: str,
                                                                 not_a_place: str) -> None:
    assert not_a_place not in [p.name for p in toponyms(nlp, gazetteer, text)]


def test_a_surname_is_not_the_namesake_town_each_time_it_recurs(nlp: Any, gazetteer: Gazetteer) -> None:
    text = ("Maria Flores, 34, of Tyler, was charged on Monday. Police said Flores had been "
            "driving home from work. Flores told deputies she had not seen the other car.")
    places = toponyms(nlp, gazetteer, text)
    assert "Tyler" in [p.name for p in places]
    assert not [p for p in places if p.name == "Flores" and p.reason and p.reason.startswith("same name")]


def test_counties_found_together_only_in_one_state_settle_there(nlp: Any, gazetteer: Gazetteer) -> None:
    # Each county name alone is more often elsewhere (Nebraska, North Carolina, Texas).
    text = ("The former Hall County manager will take the same job in Forsyth County. "
            "Dawson County commissioners also interviewed him.")
    places = toponyms(nlp, gazetteer, text)
    assert {named(places, name).admin1 for name in ("Hall County", "Forsyth County", "Dawson County")} == {"Georgia"}


@pytest.mark.parametrize("text, surface, iso3", [
    ("Dublin approves a $2 million budget for new parks. The Dublin council voted 5-2 on Monday.",
     "Dublin", "USA"),
    ("Council tax in Richmond will rise by £40 a year, the council said.", "Richmond", "GBR"),
    ("Dublin's council said the new bridge over the Liffey will open in May.", "Dublin", "IRL"),
])
def test_the_currency_of_a_local_story_hints_at_its_country(nlp: Any, gazetteer: Gazetteer, text: str,
                                                            surface: str, iso3: str) -> None:
    assert named(toponyms(nlp, gazetteer, text), surface).iso3 == iso3


@pytest.mark.parametrize("text, surface, admin1", [
    ("Both men were treated at the University of Kentucky Medical Center on Friday.", "Kentucky", "Kentucky"),
    ("She is a nurse at the Hospital of the University of Pennsylvania.", "Pennsylvania", "Pennsylvania"),
])
def test_the_place_in_an_institutions_name_follows_its_generic_words(nlp: Any, gazetteer: Gazetteer, text: str,
                                                                      surface: str, admin1: str) -> None:
    assert named(toponyms(nlp, gazetteer, text), surface).admin1 == admin1


@pytest.mark.parametrize("text, surface", [
    ("East Hampton Police arrested a man outside the library on Saturday.", "East Hampton"),
    ("North Bergen Police Department officers closed the street.", "North Bergen"),
])
def test_a_direction_that_is_part_of_a_towns_name_stays_inside_an_organisation(
        nlp: Any, gazetteer: Gazetteer, text: str, surface: str) -> None:
    place = named(toponyms(nlp, gazetteer, text), surface)
    assert place.location == surface


@pytest.mark.parametrize("text", [
    "Traffic was heavy in West, Texas, on Friday. Crews said the West Side bridge would stay closed.",
    "Storms hit North, South Carolina, overnight. Forecasters expect more rain in the North next week.",
])
def test_a_town_named_like_a_compass_point_is_not_every_compass_word(nlp: Any, gazetteer: Gazetteer,
                                                                      text: str) -> None:
    assert not [p for p in toponyms(nlp, gazetteer, text) if p.reason and p.reason.startswith("same name")]


@pytest.mark.parametrize("text, surface, admin1", [
    ("A Lebanon man was arrested on Friday after a traffic stop. He was held in the Boone County jail "
     "on $5,000 bond.", "Lebanon", "Indiana"),
    ("A Lebanon man was arrested on Friday after a traffic stop. He was held in the Boone County jail "
     "on $5,000 bond.", "Boone County", "Indiana"),
    ("A Franklin man was charged on Monday, the Williamson County district attorney said.",
     "Franklin", "Tennessee"),
    ("Two Washington residents were hurt in the crash, according to the Daviess County coroner.",
     "Daviess County", "Indiana"),
])
def test_a_town_and_the_county_it_lies_in_settle_each_other(nlp: Any, gazetteer: Gazetteer, text: str,
                                                            surface: str, admin1: str) -> None:
    # Alone, each is elsewhere: Lebanon the country, Boone County in Missouri, Franklin and Daviess County
    # in other states. Only one county holds a town of that name.
    assert named(toponyms(nlp, gazetteer, text), surface).admin1 == admin1


def test_names_listed_before_counties_are_counties(nlp: Any, gazetteer: Gazetteer) -> None:
    text = "The jobless rate rose in Clarke, Oconee and Jackson counties in February, the labor department said."
    assert named(toponyms(nlp, gazetteer, text), "Jackson").feature == "admin2"


@pytest.mark.parametrize("text, surface, admin1", [
    ("The fire was reported by a 2004 graduate of Fort Mill High School, York County officials said.",
     "Fort Mill", "South Carolina"),
    ("The Kentucky Home Guard soldier was captured at the Battle of Richmond and paroled at Louisville.",
     "Richmond", "Kentucky"),
])
def test_the_town_a_place_name_starts_or_ends_with_is_resolved(nlp: Any, gazetteer: Gazetteer, text: str,
                                                               surface: str, admin1: str) -> None:
    assert named(toponyms(nlp, gazetteer, text), surface).admin1 == admin1


def test_a_town_with_a_middle_school_is_no_country(nlp: Any, gazetteer: Gazetteer) -> None:
    text = "The Jordan Middle School band will play at the Scott County fair on Saturday."
    assert named(toponyms(nlp, gazetteer, text), "Jordan").feature == "city"


def test_a_list_of_countries_is_no_province_and_its_country(nlp: Any, gazetteer: Gazetteer) -> None:
    # "Niger, Nigeria" alone reads as Niger state in Nigeria; "... and Togo" makes it a list.
    text = "The disease has been found in Ghana, Niger, Nigeria and Togo this year."
    assert named(toponyms(nlp, gazetteer, text), "Niger").feature == "country"


def test_a_list_mostly_of_states_reads_each_state_as_one(nlp: Any, gazetteer: Gazetteer) -> None:
    text = "Flu cases rose last week in Georgia, Alabama, Tennessee and Puerto Rico, the CDC said."
    assert named(toponyms(nlp, gazetteer, text), "Georgia").admin1 == "Georgia"


@pytest.mark.parametrize("text, surface, admin1", [
    ("She was crowned at the Miss Greater Warren County Pageant in Lebanon, Ohio, on Sunday night.",
     "Warren County", "Ohio"),
    ("“We found the car at 4 p.m.,” said Alachua County Sheriff’s Office spokesman Tom Reed.",
     "Alachua County", "Florida"),
])
def test_a_county_inside_a_longer_name_is_found(nlp: Any, gazetteer: Gazetteer, text: str, surface: str,
                                               admin1: str) -> None:
    assert named(toponyms(nlp, gazetteer, text), surface).admin1 == admin1


@pytest.mark.parametrize("text, surface, location", [
    ("Members of the Dublin City Council voted 5-2 on Monday to approve new parks in Ohio.", "Dublin", "Dublin"),
    ("The Kansas City Council approved the stadium lease on Thursday.", "Kansas City", "Kansas City"),
    ("The deed is on file at the Hanover Town Hall, New Hampshire officials said.", "Hanover", "Hanover"),
])
def test_the_city_of_a_city_council_is_its_town(nlp: Any, gazetteer: Gazetteer, text: str, surface: str,
                                                 location: str) -> None:
    place = named(toponyms(nlp, gazetteer, text), surface)
    assert place.location == location and place.iso3 == "USA"


@pytest.mark.parametrize("text, iso3", [
    ("Residents complained to their councillor after bins went unemptied for three weeks. "
     "Officials in Richmond said crews would catch up.", "GBR"),
    ("Residents complained after bins went unemptied for three weeks. "
     "Officials in Richmond said crews would catch up.", "USA"),
])
def test_british_words_hint_at_a_british_story(nlp: Any, gazetteer: Gazetteer, text: str, iso3: str) -> None:
    assert named(toponyms(nlp, gazetteer, text), "Richmond").iso3 == iso3


def test_counties_listed_in_a_named_state_are_in_that_state(nlp: Any, gazetteer: Gazetteer) -> None:
    # Both Columbia and Baker counties are in Georgia too, where the rest of the sentence is.
    text = "Crews cleared debris in Ware and Clinch counties in Georgia and in Columbia and Baker counties in Florida."
    places = toponyms(nlp, gazetteer, text)
    assert named(places, "Columbia").admin1 == "Florida" and named(places, "Ware").admin1 == "Georgia"


@pytest.mark.parametrize("text, surface, admin1", [
    # Hanover, New Hampshire lies across the river from Vermont; Hanover, Maryland is bigger.
    ("A Hanover man was hurt in a crash on Route 4. He was taken to a hospital in Woodstock, Vt.",
     "Hanover", "New Hampshire"),
    ("Paris firefighters battled a blaze on Friday. Volunteers from Reno and Blossom joined them.",
     "Paris", "Texas"),
])
def test_a_town_near_the_storys_other_places_beats_a_namesake_far_away(
        nlp: Any, gazetteer: Gazetteer, text: str, surface: str, admin1: str) -> None:
    assert named(toponyms(nlp, gazetteer, text), surface).admin1 == admin1


@pytest.mark.parametrize("text, surface, feature", [
    ("Outbreaks were reported in Senegal, Guinea-Bissau and Mali last month.", "Guinea-Bissau", "country"),
    ("Heavy rain flooded farms in Rio Grande do Sul and Parana.", "Rio Grande do Sul", "admin1"),
])
def test_a_name_the_model_cut_short_is_read_whole(nlp: Any, gazetteer: Gazetteer, text: str, surface: str,
                                                   feature: str) -> None:
    places = toponyms(nlp, gazetteer, text)
    assert named(places, surface).feature == feature
    assert not any(p.start < text.index(surface) + len(surface) and text.index(surface) < p.end
                   and p.name != surface for p in places)


def test_a_name_before_a_lowercase_state_is_the_state(nlp: Any, gazetteer: Gazetteer) -> None:
    text = "The cattle came from a Washington state ranch, inspectors said."
    place = named(toponyms(nlp, gazetteer, text), "Washington")
    assert place.feature == "admin1" and place.admin1 == "Washington"


def test_a_vast_province_is_placed_at_its_middle_not_at_its_border_towns(nlp: Any, gazetteer: Gazetteer) -> None:
    # Ontario's towns line the US border; the province's middle is 300 km north of theirs.
    place = named(toponyms(nlp, gazetteer, "Wildfires forced evacuations across Ontario and Manitoba."), "Ontario")
    assert place.feature == "admin1" and place.latitude is not None and place.latitude > 48.5
