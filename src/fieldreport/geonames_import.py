"""``fieldreport gazetteer import``: the full gazetteer from GeoNames dump files.

The user downloads the files from GeoNames' export site; nothing is fetched here.
Accepted, as ``.txt`` or the ``.zip`` GeoNames serves them in:

    allCountries / a country file (IQ.zip)   the geoname table, 19 tab-separated columns
    alternateNamesV2 (or alternateNames)     alternateNameId, geonameid, isolanguage, name, ...
    admin1CodesASCII.txt, admin2Codes.txt    "CC.A1[.A2]", name, asciiname, geonameid

The embedded gazetteer is written first and the dumps are layered on top, so a
country file adds that country's villages to the worldwide towns. Every file is
streamed line by line; nothing is held in memory but one batch of rows.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from .errors import UsageError
from .gazetteer import EXTRA_FILE, usable_alternate
from .gazetteer_build import GazetteerWriter, _load_extra, fill_embedded

_COUNTRY_CODES = {"PCLI", "PCLD", "PCLF", "PCLS", "PCLIX", "PCL", "TERR"}
# Alternate names that are codes or links, not names a text would use.
_NOT_NAMES = {"link", "wkdt", "post", "iata", "icao", "faac", "fr_1793", "abbr", "unlc", "tcid"}


def file_kind(path: Path) -> str:
    """Which GeoNames dump ``path`` is, from its name."""
    stem = path.name.lower().split(".")[0]
    if stem.startswith("alternatenames"):
        return "alternate_names"
    if stem.startswith("admin1codes"):
        return "admin1"
    if stem.startswith("admin2codes"):
        return "admin2"
    if stem == "allcountries" or stem.startswith("cities") or (len(stem) == 2 and stem.isalpha()):
        return "geonames"
    raise UsageError(f"{path.name}: not a GeoNames dump file this command reads "
                     "(allCountries.zip, XX.zip, alternateNamesV2.zip, admin1CodesASCII.txt, admin2Codes.txt)")


@contextmanager
def _open_lines(path: Path) -> Iterator[IO[str]]:
    """The main text file of a GeoNames .txt or .zip, as text."""
    if path.suffix.lower() != ".zip":
        with path.open(encoding="utf-8", newline="\n") as fh:
            yield fh
        return
    with zipfile.ZipFile(path) as archive:
        members = [n for n in archive.namelist()
                   if n.lower().endswith(".txt") and not n.lower().startswith(("readme", "iso-languagecodes"))]
        if not members:
            raise UsageError(f"{path.name} holds no GeoNames .txt file")
        with archive.open(members[0]) as raw:
            yield io.TextIOWrapper(raw, encoding="utf-8", newline="\n")


def _rows(fh: IO[str], progress: Any) -> Iterator[list[str]]:
    for number, line in enumerate(fh, start=1):
        if number % 10_000 == 0:
            progress.update(10_000)
        if line.startswith("#") or not line.strip():
            continue
        yield line.rstrip("\n").split("\t")


def _import_admin_codes(writer: GazetteerWriter, fh: IO[str], level: str, progress: Any) -> int:
    count = 0
    for row in _rows(fh, progress):
        if len(row) < 4 or not row[3].isdigit():
            continue
        parts = row[0].split(".")
        if (level == "admin1" and len(parts) != 2) or (level == "admin2" and len(parts) != 3):
            continue
        writer.merge_admin(parts[0], parts[1], parts[2] if level == "admin2" else None,
                           row[1], int(row[3]), [row[2]])
        count += 1
    return count


def _import_geonames(writer: GazetteerWriter, fh: IO[str], progress: Any) -> int:
    count = 0
    for row in _rows(fh, progress):
        if len(row) < 15:
            continue
        gid, name, ascii_name, alternates = int(row[0]), row[1], row[2], row[3]
        lat, lon, fclass, fcode, cc, a1, a2 = float(row[4]), float(row[5]), row[6], row[7], row[8], row[10], row[11]
        population = int(row[14] or 0)
        spellings = [name, ascii_name]
        if fclass in ("P", "A"):
            spellings += [n for n in alternates.split(",") if usable_alternate(n)]
        if fclass == "A" and fcode in ("ADM1", "ADM2") and a1:
            writer.merge_admin(cc, a1, a2 if fcode == "ADM2" else None, name, gid, spellings, lat, lon)
        elif fclass == "A" and fcode in _COUNTRY_CODES:
            writer.add_names(gid, spellings)
        else:
            feature = "city" if fclass == "P" else "other"
            writer.add_place(gid, name, lat, lon, cc, a1, a2, feature, population, spellings)
        count += 1
    return count


def _import_alternate_names(writer: GazetteerWriter, fh: IO[str], progress: Any) -> int:
    count = 0
    for row in _rows(fh, progress):
        if len(row) < 4 or row[2] in _NOT_NAMES or not row[1].isdigit():
            continue
        # Historic names (row 7) still appear in reporting ("Kobani" for 'Ayn al 'Arab).
        if usable_alternate(row[3]):
            writer.add_names(int(row[1]), [row[3]])
            count += 1
    return count


def import_geonames(files: list[Path], output: Path, progress: bool = True, base: bool = True) -> dict[str, int]:
    """Build the gazetteer at ``output`` from the embedded data (unless ``base`` is
    False, for tests) plus ``files``; returns rows read per file."""
    from tqdm import tqdm

    missing = [str(f) for f in files if not Path(f).is_file()]
    if missing:
        raise UsageError(f"no such file: {', '.join(missing)}")
    order = {"admin1": 0, "admin2": 1, "geonames": 2, "alternate_names": 3}
    kinds = sorted(((file_kind(Path(f)), Path(f)) for f in files), key=lambda kf: order[kf[0]])
    writer = GazetteerWriter(output, "geonames import: " + ", ".join(p.name for _, p in kinds))
    counts: dict[str, int] = {}
    try:
        if base:
            fill_embedded(writer, _load_extra(EXTRA_FILE))
            writer.flush()
        for kind, path in kinds:
            with _open_lines(path) as fh, tqdm(desc=path.name, unit=" lines", unit_scale=True,
                                               disable=not progress, leave=False) as bar:
                if kind in ("admin1", "admin2"):
                    n = _import_admin_codes(writer, fh, kind, bar)
                elif kind == "geonames":
                    n = _import_geonames(writer, fh, bar)
                else:
                    n = _import_alternate_names(writer, fh, bar)
            counts[path.name] = n
    except BaseException:
        writer.abort()
        raise
    writer.finish()
    return counts
