"""The exception tree and stable reject codes.

    FieldreportError
     ├── UsageError          bad command line or settings (exit 2)
     ├── ResourceError       a model, gazetteer or dictionary cannot load
     │    └── MissingExtra   an optional extra is not installed
     └── Reject              one input cannot be coded; goes to quarantine
"""

from __future__ import annotations

HINTS: dict[str, str] = {
    "EMPTY": "the file has no content; check that the download finished",
    "NOT_HTML": "the file is binary or not a web page; pass .html, .txt or .jsonl files",
    "TOO_SHORT": "less than a paragraph of article text remained after boilerplate removal",
    "ENCODING": "the bytes are not valid text; re-save the file as UTF-8 (or latin-1 with a <meta charset>)",
    "TOO_LARGE": "the file exceeds max_page_bytes; raise it with --max-page-bytes or FIELDREPORT_MAX_PAGE_BYTES",
    "NOT_ENGLISH": "fieldreport codes English text only; translate the page first",
    "BAD_JSON": "a JSONL line is not a JSON object; fix or remove that line",
    "NO_TEXT": "a JSONL record needs a 'text' or 'html' field",
    "UNREADABLE": "the file could not be read; check permissions and that it is a regular file",
    "BAD_WARC": "a WARC record is truncated or malformed; the rest of the archive was still read",
    "STAGE_FAILED": "an internal stage failed on this input; please report it with the file",
}


class FieldreportError(Exception):
    """Base of every error fieldreport raises on purpose."""


class UsageError(FieldreportError):
    """Bad arguments or settings; the CLI exits 2."""


class ResourceError(FieldreportError):
    """A model, gazetteer or dictionary cannot be loaded."""


class MissingExtra(ResourceError):
    def __init__(self, extra: str, package: str) -> None:
        super().__init__(
            f"{package} is not installed; install it with: pip install 'fieldreport[{extra}]'"
        )


class Reject(FieldreportError):
    """An input cannot be coded. ``code`` is stable; ``hint`` says how to fix it."""

    def __init__(self, code: str, detail: str) -> None:
        if code not in HINTS:
            raise ValueError(f"unknown reject code {code!r}")
        self.code = code
        self.detail = detail
        self.hint = HINTS[code]
        super().__init__(f"{code}: {detail} (hint: {self.hint})")
