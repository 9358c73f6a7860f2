"""The command line as a user meets it: help, exit codes, quarantine, idempotent re-runs."""

from __future__ import annotations

import csv
import io
import json
import shutil
import sqlite3
from pathlib import Path

import pytest

from fieldreport.cli import build_parser, main

FIXTURES = Path(__file__).parent / "fixtures" / "pages"
COMMANDS = ("run", "export", "demo", "eval")


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main([command, "--help"])
    assert exited.value.code == 0
    assert "usage: fieldreport " + command in capsys.readouterr().out


def test_every_command_is_documented_in_the_readme() -> None:
    readme = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
    parser = build_parser()
    subcommands = parser._subparsers._group_actions[0].choices  # type: ignore[union-attr]
    for name in subcommands:
        assert f"fieldreport {name}" in readme, name


def test_usage_errors_exit_2_with_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["run", str(tmp_path / "missing"), "--db", str(tmp_path / "x.sqlite")]) == 2
    assert main(["export", "--db", str(tmp_path / "none.sqlite"), "--format", "jsonl"]) == 2
    assert main(["frobnicate"]) == 2
    errors = [line for line in capsys.readouterr().err.splitlines() if line.startswith("fieldreport: error")]
    assert len(errors) == 3


@pytest.fixture()
def mixed_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "inbox"
    folder.mkdir()
    shutil.copy(FIXTURES / "trending_trap.html", folder)
    shutil.copy(FIXTURES / "not_english.html", folder)
    shutil.copy(FIXTURES / "plain.txt", folder)
    (folder / "empty.html").write_bytes(b"")
    (folder / "photo.jpg").write_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(range(256)) * 4)
    (folder / "garbled.txt").write_bytes(bytes(range(128, 256)) * 20)
    return folder


def test_run_quarantines_bad_files_and_goes_on(mixed_folder: Path, tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "inbox.sqlite"
    assert main(["run", str(mixed_folder), "--db", str(db), "--quiet"]) == 1
    summary = capsys.readouterr().out
    # the farming story is read and kept, but has no conflict content to code
    assert "6 pages read, 1 articles coded" in summary and "1 not relevant" in summary
    assert "4 quarantined" in summary
    codes = dict(sqlite3.connect(db).execute("SELECT source_path, code FROM quarantine"))
    assert sorted(codes.values()) == ["EMPTY", "ENCODING", "NOT_ENGLISH", "NOT_HTML"]
    counts_before = sqlite3.connect(db).execute("SELECT (SELECT count(*) FROM articles), "
                                                "(SELECT count(*) FROM events)").fetchone()
    # Re-running the same files adds nothing new.
    assert main(["run", str(mixed_folder), "--db", str(db), "--quiet"]) == 1
    assert "2 duplicates skipped" in capsys.readouterr().out
    counts_after = sqlite3.connect(db).execute("SELECT (SELECT count(*) FROM articles), "
                                               "(SELECT count(*) FROM events)").fetchone()
    assert counts_after == counts_before


def test_clean_run_exits_0_and_exports_every_format(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "clean.sqlite"
    assert main(["run", str(FIXTURES / "trending_trap.html"), "--db", str(db), "--quiet"]) == 0
    capsys.readouterr()
    assert main(["export", "--db", str(db), "--format", "jsonl"]) == 0
    records = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert records and all(r["sources"][0]["publisher"] == "The Southern Mirror" for r in records)
    assert {r["sub_event_type"] for r in records} == {"Peaceful protest"}
    out = tmp_path / "events.csv"
    assert main(["export", "--db", str(db), "--format", "acled-csv", "-o", str(out)]) == 0
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert rows[0]["event_type"] == "Protests" and rows[0]["country"] == "Iraq"


def test_export_leaves_out_events_a_reviewer_rejected(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "reviewed.sqlite"
    assert main(["run", str(FIXTURES / "trending_trap.html"), "--db", str(db), "--quiet"]) == 0
    capsys.readouterr()
    assert main(["export", "--db", str(db), "--format", "jsonl"]) == 0
    (first, *rest) = [json.loads(line)["event_id"] for line in capsys.readouterr().out.splitlines()]
    con = sqlite3.connect(db)
    con.execute("CREATE TABLE review (event_id TEXT PRIMARY KEY, status TEXT, reviewer TEXT, at TEXT)")
    con.execute("INSERT INTO review VALUES (?, 'rejected', 'alice', '2026-11-23T10:00:00')", (first,))
    con.commit()
    assert main(["export", "--db", str(db), "--format", "jsonl"]) == 0
    assert [json.loads(line)["event_id"] for line in capsys.readouterr().out.splitlines()] == rest
