"""Every engine codes the same corpus to the same events: serial, the local process
pool, and Ray Data (a local Ray with 2 workers). Ray runs resume by shard."""

from __future__ import annotations

import json
import shutil
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from fieldreport.config import Settings
from fieldreport.demo import demo_corpus
from fieldreport.export import export_events
from fieldreport.runners.local import Summary, run_local
from fieldreport.store import open_store

try:
    import ray  # noqa: F401
    import ray.data  # noqa: F401

    HAVE_RAY = True
except ImportError:
    HAVE_RAY = False
needs_ray = pytest.mark.skipif(not HAVE_RAY, reason="ray is not installed: pip install -e '.[dev]' installs it")

NOT_CONFLICT = (
    "Date harvest lifts Basra traders\n\n"
    + "Traders in Basra said the date harvest was the best in a decade, with prices at the wholesale "
    "market falling for the first time in three years. Exporters expect to ship more to the Gulf. " * 12
)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Demo pages as loose files and inside a WARC, a non-conflict page, a broken file."""
    from test_warc import response, write_warc

    folder = tmp_path_factory.mktemp("corpus")
    demo = sorted(demo_corpus().iterdir())
    for page in demo[:8] + demo[15:]:
        shutil.copy(page, folder / page.name)
    write_warc(folder / "crawl.warc.gz",
               [response(f"https://demo.example/{p.stem}", p.read_text("utf-8")) for p in demo[8:15]])
    (folder / "market.txt").write_text(NOT_CONFLICT, encoding="utf-8")
    (folder / "broken.html").write_bytes(b"\x00\x01\x02 not a page")
    (folder / "copy_of_01.html").write_bytes(demo[0].read_bytes())
    return folder


def events_of(db: Path) -> list[dict[str, Any]]:
    import io

    with open_store(db, create=False) as store:
        out = io.StringIO()
        export_events(store.iter_events(), "jsonl", out)
    return sorted((json.loads(line) for line in out.getvalue().splitlines()), key=lambda e: e["event_id"])


def counts(summary: Summary) -> tuple[int, ...]:
    return (summary.pages, summary.coded, summary.events, summary.not_relevant, summary.duplicates,
            summary.quarantined)


@pytest.fixture(scope="module")
def serial(corpus: Path, tmp_path_factory: pytest.TempPathFactory, resources: Any) -> tuple[Path, Summary]:
    db = tmp_path_factory.mktemp("serial") / "serial.sqlite"
    with open_store(db) as store:
        summary = run_local([corpus], Settings(progress=False, workers=1), store, resources)
    return db, summary


def test_the_serial_run_codes_skips_and_quarantines(serial: tuple[Path, Summary]) -> None:
    db, summary = serial
    assert summary.not_relevant == 1 and summary.quarantined == 1 and summary.duplicates == 1
    assert summary.coded >= 15 and len(events_of(db)) > 20  # canonical events, merged across reports


def test_the_process_pool_gives_identical_events(corpus: Path, serial: tuple[Path, Summary], tmp_path: Path,
                                                 resources: Any) -> None:
    db = tmp_path / "pool.sqlite"
    with open_store(db) as store:
        summary = run_local([corpus], Settings(progress=False, workers=2), store, resources)
    assert counts(summary) == counts(serial[1])
    assert events_of(db) == events_of(serial[0])


@pytest.fixture(scope="module")
def local_ray() -> Any:
    import ray

    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    yield ray
    ray.shutdown()


@needs_ray
def test_ray_with_two_workers_gives_identical_events(corpus: Path, serial: tuple[Path, Summary],
                                                     tmp_path: Path, local_ray: Any) -> None:
    from fieldreport.runners.ray import run_ray

    db = tmp_path / "ray.sqlite"
    with open_store(db) as store:
        summary = run_ray([corpus], Settings(progress=False, workers=2), store, db)
    assert counts(summary) == counts(serial[1])
    assert events_of(db) == events_of(serial[0])
    assert not Path(f"{db}.shards").exists()  # merged and cleaned up


@needs_ray
def test_an_interrupted_ray_run_recodes_only_unfinished_shards(
    corpus: Path, serial: tuple[Path, Summary], tmp_path: Path, local_ray: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from fieldreport.runners import ray as ray_runner

    monkeypatch.setattr(ray_runner, "FILES_PER_SHARD", 4)
    settings = Settings(progress=False, workers=2)
    shards = tmp_path / "shards"
    first_db = tmp_path / "first.sqlite"
    with open_store(first_db) as store:
        ray_runner.run_ray([corpus], settings, store, first_db, keep_parquet=shards)
    files = sorted(shards.glob("shard-*.parquet"))
    assert len(files) == len(ray_runner.plan_shards([corpus], settings)) >= 4
    # "Interrupt": one shard never finished, and the store never saw the merge.
    lost = files[1]
    lost.unlink()
    before = {f: f.stat().st_mtime_ns for f in files if f != lost}
    db = tmp_path / "resumed.sqlite"
    with open_store(db) as store:
        summary = ray_runner.run_ray([corpus], settings, store, db, keep_parquet=shards)
    assert lost.exists()
    assert {f: f.stat().st_mtime_ns for f in before} == before  # finished shards were not recoded
    assert counts(summary) == counts(serial[1])
    assert events_of(db) == events_of(serial[0])
    # A settings change that alters coding makes every shard stale.
    stale = ray_runner.plan_shards([corpus], replace(settings, min_text_chars=300))
    assert not any(ray_runner.shard_file(shards, sid).exists() for sid, _ in stale)


def test_ray_without_the_extra_says_how_to_install_it(monkeypatch: pytest.MonkeyPatch) -> None:
    import builtins

    from fieldreport.errors import MissingExtra
    from fieldreport.runners.ray import require_ray

    real_import = builtins.__import__

    def no_ray(name: str, *args: Any, **kwargs: Any) -> Any:
        if name == "ray" or name.startswith("ray."):
            raise ImportError("No module named 'ray'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_ray)
    with pytest.raises(MissingExtra, match=r"pip install 'fieldreport\[ray\]'"):
        require_ray()


def test_the_cli_refuses_ray_options_without_the_ray_engine(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from fieldreport.cli import main

    (tmp_path / "a.txt").write_text(NOT_CONFLICT)
    code = main(["run", str(tmp_path / "a.txt"), "--db", str(tmp_path / "x.sqlite"), "--address", "auto"])
    assert code == 2 and "--engine ray" in capsys.readouterr().err
