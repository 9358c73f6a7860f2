"""The Ray engine: the same ``process`` over input shards with Ray Data.

    input files ──shards (groups of files; one per WARC)──▶ Ray Data map_batches
        ShardCoder actors (spaCy + gazetteer loaded once per actor)
        each shard ──▶ one Parquet file (rows: pages, articles, events as JSON)
    driver ──▶ reads finished shards in order ──▶ code_pages ──▶ SQLite store

A shard's Parquet file is written atomically when the shard is done, and its
name is a hash of its files (path, size, mtime) and of the settings that
change coding; a re-run of an interrupted run finds the finished shards and
codes only the rest. ``keep_parquet`` names a folder for the shards that is
kept after the run (for runs too big for SQLite, or to merge elsewhere);
otherwise they live in ``<db>.shards/`` and are removed once merged.

Ray is an optional extra: ``pip install 'fieldreport[ray]'``.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from collections.abc import Iterable, Iterator
from dataclasses import asdict, replace
from pathlib import Path
from typing import Any

from ..config import Settings
from ..errors import MissingExtra, UsageError
from ..ingest.files import iter_input_files
from ..ingest.warc import WARC_SUFFIXES
from ..records import Article, Coded, Event, Evidence, Page, Place, Rejected, Source
from ..store import Store
from .local import Outcome, Summary, code_pages

# Loose files per shard: a shard is the unit of resumption and of scheduling,
# so it should take a worker tens of seconds, not hours (64 pages at
# 0.1-0.3 s each). Every WARC file is a shard of its own.
FILES_PER_SHARD = 64
# Settings that change what a page codes to; a shard coded under other values is stale.
_CODING_SETTINGS = ("spacy_model", "gazetteer_path", "actors_path", "max_page_bytes", "min_text_chars",
                    "relevance_filter")


def require_ray() -> Any:
    try:
        import ray
        import ray.data  # noqa: F401
    except ImportError as exc:
        raise MissingExtra("ray", "ray[data]") from exc
    return ray


# --- shards ------------------------------------------------------------------


def plan_shards(paths: Iterable[str | Path], settings: Settings) -> list[tuple[str, list[str]]]:
    """(shard id, files) in input order. The id changes when a file or a coding setting does."""
    shards: list[list[Path]] = []
    loose: list[Path] = []
    for path in iter_input_files(paths):
        if path.name.lower().endswith(WARC_SUFFIXES):
            shards += [loose] if loose else []
            shards.append([path])
            loose = []
        else:
            loose.append(path)
            if len(loose) == FILES_PER_SHARD:
                shards.append(loose)
                loose = []
    shards += [loose] if loose else []
    coding = json.dumps({k: getattr(settings, k) for k in _CODING_SETTINGS}, sort_keys=True)
    planned = []
    for files in shards:
        digest = hashlib.sha256(coding.encode())
        for path in files:
            try:
                stat = path.stat()
                digest.update(f"{path.resolve()}|{stat.st_size}|{stat.st_mtime_ns}\n".encode())
            except OSError:
                digest.update(f"{path}|missing\n".encode())
        planned.append((digest.hexdigest()[:20], [str(p) for p in files]))
    return planned


def shard_file(folder: Path, shard_id: str) -> Path:
    return folder / f"shard-{shard_id}.parquet"


# --- outcomes <-> Parquet rows ------------------------------------------------

ROW_FIELDS = ("source_path", "sha256", "status", "article", "events", "places", "rejected", "timings", "reason")


def outcome_row(item: Page | Rejected, outcome: Outcome) -> dict[str, str]:
    """One page's outcome as flat strings (JSON inside), for Parquet."""
    row = dict.fromkeys(ROW_FIELDS, "")
    row["source_path"], row["sha256"] = item.source_path, item.sha256
    if isinstance(outcome, Rejected):
        row["status"], row["rejected"] = "quarantined", json.dumps(asdict(outcome))
    elif isinstance(outcome, Coded):
        row["status"] = "not_relevant" if outcome.extra.get("not_relevant") else "coded"
        row["reason"] = str(outcome.extra.get("not_relevant") or "")
        row["article"] = json.dumps(asdict(outcome.article))
        row["events"] = json.dumps([asdict(e) for e in outcome.events])
        row["places"] = json.dumps([asdict(p) for p in outcome.places])
        row["timings"] = json.dumps(outcome.timings)
    return row


def _event(data: dict[str, Any]) -> Event:
    data = dict(data)
    data["sources"] = tuple(Source(**s) for s in data["sources"])
    data["evidence"] = tuple(Evidence(**e) for e in data["evidence"])
    data["assoc_actor_1"] = tuple(data["assoc_actor_1"])
    data["assoc_actor_2"] = tuple(data["assoc_actor_2"])
    data["null_reasons"] = tuple(tuple(pair) for pair in data["null_reasons"])
    return Event(**data)


def row_outcome(row: dict[str, Any]) -> tuple[Page | Rejected, Outcome]:
    """The inverse of ``outcome_row``: exactly the records ``process`` returned."""
    if row["status"] == "quarantined":
        rejected = Rejected(**json.loads(row["rejected"]))
        return rejected, rejected
    item = Page(row["source_path"], row["sha256"], b"", "html")
    extra = {"not_relevant": row["reason"]} if row["status"] == "not_relevant" else {}
    coded = Coded(
        article=Article(**json.loads(row["article"])),
        events=tuple(_event(e) for e in json.loads(row["events"])),
        places=tuple(Place(**p) for p in json.loads(row["places"])),
        timings=json.loads(row["timings"] or "{}"),
        extra=extra,
    )
    return item, coded


def write_rows(path: Path, rows: list[dict[str, str]]) -> None:
    """Atomically: a shard file exists only when the whole shard is coded."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.table({name: pa.array([r[name] for r in rows], pa.string()) for name in ROW_FIELDS})
    partial = path.with_suffix(f".partial-{os.getpid()}")
    pq.write_table(table, partial, compression="zstd")
    os.replace(partial, path)


def read_rows(path: Path) -> list[dict[str, Any]]:
    import pyarrow.parquet as pq

    return pq.read_table(path).to_pylist()


# --- the worker ------------------------------------------------------------------


class ShardCoder:
    """A Ray Data actor: loads resources once, codes whole shards, writes Parquet."""

    def __init__(self, settings: Settings, folder: str) -> None:
        from ..resources import load_resources

        self.settings = settings
        self.folder = Path(folder)
        self.resources = load_resources(settings)

    def __call__(self, batch: dict[str, Any]) -> dict[str, list[Any]]:
        from ..ingest.files import read_inputs
        from ..pipeline import process
        from .local import quarantine_errors

        done: dict[str, list[Any]] = {"shard": [], "pages": []}
        for shard_id, files_json in zip(batch["shard"], batch["files"]):
            rows = []
            for item in read_inputs(json.loads(files_json), self.settings.max_page_bytes):
                if isinstance(item, Rejected):
                    outcome: Outcome = item
                else:
                    try:
                        outcome = process(item, self.resources, self.settings)
                    except Exception as exc:  # noqa: BLE001 - quarantined like the local runner
                        outcome = quarantine_errors(item, exc)
                rows.append(outcome_row(item, outcome))
            write_rows(shard_file(self.folder, str(shard_id)), rows)
            done["shard"].append(str(shard_id))
            done["pages"].append(len(rows))
        return done


# --- the driver ------------------------------------------------------------------


def code_on_ray(
    paths: Iterable[str | Path],
    settings: Settings,
    store: Store,
    folder: Path,
) -> Iterator[tuple[Page | Rejected, Outcome]]:
    """The (item, outcome) stream of ``code_serially``, produced by Ray over shards.
    Shards already in ``folder`` are not coded again."""
    ray = require_ray()
    folder.mkdir(parents=True, exist_ok=True)
    planned = plan_shards(paths, settings)
    todo = [(sid, files) for sid, files in planned if not shard_file(folder, sid).exists()]
    if todo:
        _start_ray(ray, settings)
        from ray.data import DataContext

        DataContext.get_current().execution_options.preserve_order = True
        workers = min(_ray_workers(ray, settings), len(todo))
        dataset = ray.data.from_items(
            [{"shard": sid, "files": json.dumps(files)} for sid, files in todo],
            override_num_blocks=len(todo),
        ).map_batches(
            ShardCoder,
            fn_constructor_kwargs={"settings": replace(settings, progress=False), "folder": str(folder)},
            batch_size=1,
            concurrency=workers,
            num_cpus=1,
        )
        finished = (str(row["shard"]) for row in dataset.iter_rows())
    else:
        finished = iter(())
    # Merge in input order: shards finished earlier first, then as Ray finishes them.
    ready = {sid for sid, _ in planned if sid not in {t for t, _ in todo}}
    waiting = iter(finished)
    for sid, _ in planned:
        while sid not in ready:
            ready.add(next(waiting))
        yield from _merge_shard(shard_file(folder, sid), store)


def _merge_shard(path: Path, store: Store) -> Iterator[tuple[Page | Rejected, Outcome]]:
    for row in read_rows(path):
        item, outcome = row_outcome(row)
        if isinstance(outcome, Coded) and store.seen_page(item.sha256):
            yield item, None  # coded by an earlier run, or a copy within this one
        else:
            yield item, outcome


def _ray_workers(ray: Any, settings: Settings) -> int:
    if settings.workers > 0:
        return settings.workers
    return max(1, int(ray.cluster_resources().get("CPU", 1)))


def _start_ray(ray: Any, settings: Settings) -> None:
    if ray.is_initialized():
        return
    if settings.address:
        try:
            ray.init(address=settings.address, log_to_driver=False)
        except ConnectionError as exc:
            raise UsageError(f"cannot reach the Ray cluster at {settings.address}: {exc}") from exc
    else:
        ray.init(num_cpus=settings.workers or None, include_dashboard=False, log_to_driver=False)


def run_ray(
    paths: Iterable[str | Path],
    settings: Settings,
    store: Store,
    db_path: str | Path,
    keep_parquet: str | Path | None = None,
) -> Summary:
    """``fieldreport run --engine ray``: code on Ray, merge the shards into the store."""
    from tqdm import tqdm

    require_ray()
    folder = Path(keep_parquet) if keep_parquet else Path(f"{db_path}.shards")
    summary = Summary()
    bar = tqdm(unit="page", disable=None if settings.progress else True, leave=False)
    for summary, _ in code_pages(code_on_ray(paths, settings, store, folder), store):
        bar.update(1)
        bar.set_postfix(events=summary.events, quarantined=summary.quarantined, refresh=False)
    bar.close()
    if not keep_parquet:
        shutil.rmtree(folder, ignore_errors=True)
    return summary


__all__ = ["ShardCoder", "code_on_ray", "plan_shards", "require_ray", "row_outcome", "outcome_row", "run_ray"]
