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
from .errors import UsageError
from .records import Place


def toponym_record(place: Place) -> dict[str, Any]:
    return {
        "start": place.start, "end": place.end, "name": place.name,
        "latitude": place.latitude, "longitude": place.longitude, "geonameid": place.geonameid,
        "country": place.country, "admin1": place.admin1, "feature": place.feature,
        **({"reason": place.reason} if place.reason else {}),
    }


def read_records(path: Path, limit: int | None = None) -> list[dict[str, Any]]:
    if not path.is_file():
        raise UsageError(f"{path} does not exist")
    records = []
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                raise UsageError(f"{path}:{number} is not JSON ({exc.msg})") from exc
            if not isinstance(record, dict) or "text" not in record:
                raise UsageError(f"{path}:{number} needs 'text' (and 'id')")
            records.append(record)
            if limit and len(records) >= limit:
                break
    return records


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
