"""`fieldreport demo`: code the bundled corpus and write every export beside the database."""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources as package_files
from pathlib import Path

from .config import Settings
from .export import export_events
from .runners.local import Summary, run_local
from .store import open_store


def demo_corpus() -> Path:
    return Path(str(package_files.files("fieldreport") / "data" / "demo"))


@dataclass(frozen=True)
class DemoResult:
    summary: Summary
    files: dict[str, Path]


def run_demo(out: Path, settings: Settings) -> DemoResult:
    out.mkdir(parents=True, exist_ok=True)
    db_path = out / "demo.sqlite"
    files = {"database": db_path}
    with open_store(db_path) as store:
        summary = run_local([demo_corpus()], settings, store)
        for label, fmt, name in (("jsonl", "jsonl", "events.jsonl"), ("acled-csv", "acled-csv", "events.csv"),
                                 ("geojson", "geojson", "events.geojson")):
            path = out / name
            with path.open("w", encoding="utf-8", newline="") as handle:
                export_events(store.iter_events(), fmt, handle)
            files[label] = path
    return DemoResult(summary, files)
