"""``fieldreport geocode``: toponyms with coordinates for each record of a JSONL file.

Input records are ``{id, text, published?}`` (the benchmarks' gold format); each
output line is ``{id, toponyms: [{start, end, name, latitude, longitude,
geonameid, country, admin1}]}``. Unresolved toponyms keep their span with null
coordinates and a ``reason``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any

from .config import Settings
from .records import Place


def toponym_record(place: Place) -> dict[str, Any]:
    return {
        "start": place.start, "end": place.end, "name": place.name,
        "latitude": place.latitude, "longitude": place.longitude, "geonameid": place.geonameid,
        "country": place.country, "admin1": place.admin1, "feature": place.feature,
        **({"reason": place.reason} if place.reason else {}),
    }


def read_records(path: Path, limit: int | None = None) -> list[dict[str, Any]]:
    """Gold-format records; only ``text`` is required (``id`` when present is echoed)."""
    from .eval import read_gold

    return read_gold(path, limit, required=("text",))


def geocode_records(records: Iterable[dict[str, Any]], nlp: Any, gazetteer: Any,
                    progress: bool = False) -> Iterator[dict[str, Any]]:
    """One ``{id, toponyms}`` per record, in input order."""
    from tqdm import tqdm

    from .stages.places import find_places

    records = list(records)
    texts = (str(r.get("text") or "") for r in records)
    docs = nlp.pipe(texts, batch_size=32)
    for number, (record, doc) in enumerate(
            tqdm(zip(records, docs), total=len(records), unit="doc", disable=not progress, leave=False)):
        places = find_places(doc, gazetteer, all_toponyms=True)
        yield {"id": record.get("id", number), "toponyms": [toponym_record(p) for p in places]}


def load_geocoder(settings: Settings) -> tuple[Any, Any]:
    """The spaCy pipeline and gazetteer, without the event-coding dictionaries."""
    from .gazetteer import open_gazetteer
    from .resources import load_nlp

    return load_nlp(settings.spacy_model), open_gazetteer(settings.gazetteer_file())


def geocode_file(path: Path, settings: Settings, out: IO[str], limit: int | None = None) -> tuple[int, int]:
    """Geocode every record of ``path`` into ``out``; returns (records, toponyms)."""
    records = read_records(path, limit)
    nlp, gazetteer = load_geocoder(settings)
    n_records = n_toponyms = 0
    for result in geocode_records(records, nlp, gazetteer, progress=settings.progress):
        out.write(json.dumps(result, ensure_ascii=False) + "\n")
        n_records += 1
        n_toponyms += len(result["toponyms"])
    return n_records, n_toponyms
