"""Score coded events against gold annotations (the ../shared/benchmarks format).

Metric names follow the benchmarks README so figures compare across runs.
"""

from __future__ import annotations

import json
import math
import re
import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from datetime import date
from pathlib import Path
from typing import Any

from .config import Settings
from .errors import UsageError
from .export import event_record
from .gazetteer import haversine_km
from .records import Article

GOLD_URL = "urn:gold:"


def read_gold(path: Path, limit: int | None = None,
              required: tuple[str, ...] = ("id", "text")) -> list[dict[str, Any]]:
    """Records of a gold-format JSONL file; a bad line is a usage error naming it."""
    if not path.is_file():
        raise UsageError(f"gold file {path} does not exist")
    records = []
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                raise UsageError(f"{path}:{number} is not JSON ({exc.msg})") from exc
            if not isinstance(record, dict) or any(key not in record for key in required):
                raise UsageError(f"{path}:{number} needs {' and '.join(repr(k) for k in required)}")
            records.append(record)
            if limit and len(records) >= limit:
                break
    return records


def gold_article(record: dict[str, Any]) -> Article:
    from .stages.clean import article_id_for

    text = record["text"]
    return Article(
        article_id=article_id_for(f"{record['id']}\n{text}"), text=text, title=record.get("title"),
        url=GOLD_URL + str(record["id"]), publisher=record.get("dataset"),
        published=record.get("published"), published_source="input" if record.get("published") else None,
        source_path=GOLD_URL + str(record["id"]), page_sha256="",
    )


def code_gold(records: list[dict[str, Any]], settings: Settings) -> dict[str, list[dict[str, Any]]]:
    """Code each gold text as one article; predictions keyed by gold id."""
    from tqdm import tqdm

    from .pipeline import process_article
    from .resources import load_resources

    resources = load_resources(settings)
    predictions: dict[str, list[dict[str, Any]]] = {}
    for record in tqdm(records, unit="doc", disable=None if settings.progress else True, leave=False):
        coded = process_article(gold_article(record), resources)
        predictions[str(record["id"])] = [event_record(e) for e in coded.events]
    return predictions


def predictions_from_records(records: Iterable[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    by_id: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for record in records:
        for source in record.get("sources", []):
            url = source.get("url") or ""
            if url.startswith(GOLD_URL):
                by_id[url[len(GOLD_URL):]].append(record)
    return by_id


def _read_jsonl(path: Path) -> Iterator[dict[str, Any]]:
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                yield json.loads(line)


def _types(gold_event: dict[str, Any]) -> set[str]:
    value = gold_event.get("event_type")
    return set(value) if isinstance(value, list) else {value} if value else set()


@dataclass
class _Tally:
    hits: int = 0
    n: int = 0

    def add(self, ok: bool) -> None:
        self.n += 1
        self.hits += bool(ok)

    def rate(self) -> float | None:
        return round(self.hits / self.n, 4) if self.n else None


@dataclass
class Scores:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    tallies: dict[str, _Tally] = field(default_factory=lambda: defaultdict(_Tally))
    distances: list[float] = field(default_factory=list)
    sub_pairs: list[tuple[str, str]] = field(default_factory=list)


def _actual(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted((e for e in events if e.get("modality", "actual") == "actual"),
                  key=lambda e: -float(e.get("confidence") or 0))


def _norm(name: str | None) -> str:
    return (name or "").lower().split(" (")[0].strip()


_GOVERNMENT_OF = re.compile(r"government of (.+)")


@lru_cache(maxsize=4096)
def gold_actor_key(name: str) -> str:
    """A gold actor name in the form fieldreport writes it, so that datasets
    which name actors their own way still score: a name that is wholly one of
    the actor dictionary's aliases is that actor ("IS" is Islamic State, "SDF"
    the Syrian Democratic Forces), and UCDP's "Government of X" is X's state
    forces (ACLED's "Military Forces of X")."""
    from .stages.actors import fill_actor_name, load_actor_dictionary

    key = _norm(name)
    government = _GOVERNMENT_OF.fullmatch(key)
    if government:
        return f"military forces of {government.group(1)}"
    mentions = load_actor_dictionary().find(name)
    if len(mentions) == 1 and (mentions[0].start, mentions[0].end) == (0, len(name)):
        return _norm(fill_actor_name(mentions[0].name, None))
    return key


def score_record(gold: dict[str, Any], predicted: list[dict[str, Any]], scores: Scores) -> None:
    """Detection is scored over records: a record with gold events is a true
    positive when some predicted actual event has an agreeing type; a wrong-type
    prediction there is a false negative and a false positive."""
    actual = _actual(predicted)
    gold_events = gold.get("events")
    if gold_events is None:
        return
    if not gold_events:
        scores.fp += bool(actual)
        return
    unused = list(actual)
    matched_any = False
    for g in gold_events:
        types = _types(g)
        match = next((p for p in unused if p["event_type"] in types), None)
        if match is not None:
            unused.remove(match)
            matched_any = True
        primary = match or (actual[0] if actual else None)
        scores.tallies["event_type"].add(match is not None)
        if g.get("sub_event_type"):
            got = primary["sub_event_type"] if primary else "(none)"
            scores.sub_pairs.append((g["sub_event_type"], got))
        _score_fields(g, match, scores)
    if matched_any:
        scores.tp += 1
    else:
        scores.fn += 1
        scores.fp += bool(actual)


def _score_fields(g: dict[str, Any], p: dict[str, Any] | None, scores: Scores) -> None:
    t = scores.tallies
    if g.get("actor1"):
        t["actor1"].add(bool(p) and _norm(p.get("actor1")) == gold_actor_key(g["actor1"]))
    if g.get("latitude") is not None and g.get("longitude") is not None:
        if p and p.get("latitude") is not None:
            km = haversine_km(g["latitude"], g["longitude"], p["latitude"], p["longitude"])
            scores.distances.append(km)
        else:
            km = math.inf
        t["location_25km"].add(km <= 25)
        t["location_161km"].add(km <= 161)
    gold_start = g.get("event_date") or g.get("date_start")
    if gold_start:
        gold_end = g.get("event_date") or g.get("date_end") or gold_start
        got = p.get("event_date") if p else None
        t["date_exact"].add(got is not None and got == g.get("event_date", gold_start))
        if got:
            d, lo, hi = (date.fromisoformat(x[:10]) for x in (got, gold_start, gold_end))
            inside = lo <= d <= hi if g.get("date_start") else abs((d - lo).days) <= 7
        else:
            inside = False
        t["date_within_7d" if not g.get("date_start") else "date_in_window"].add(inside)
    if g.get("fatalities") is not None:
        got = p.get("fatalities") if p else None
        t["fatalities_exact"].add(got == g["fatalities"])
        lo, hi = g.get("fatalities_low"), g.get("fatalities_high")
        if lo is not None and hi is not None:
            t["fatalities_in_range"].add(got is not None and lo <= got <= hi)
    if g.get("modality"):
        t["modality"].add(bool(p) and p.get("modality") == g["modality"])


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def summarise(scores: Scores, n_records: int) -> dict[str, Any]:
    precision = scores.tp / (scores.tp + scores.fp) if scores.tp + scores.fp else 0.0
    recall = scores.tp / (scores.tp + scores.fn) if scores.tp + scores.fn else 0.0
    report: dict[str, Any] = {
        "records": n_records,
        "detection_precision": round(precision, 4),
        "detection_recall": round(recall, 4),
        "detection_f1": round(_f1(precision, recall), 4),
    }
    for name, tally in sorted(scores.tallies.items()):
        report[name if name != "event_type" else "event_type_accuracy"] = tally.rate()
        report[f"n_{name}"] = tally.n
    if scores.distances:
        report["location_median_km"] = round(statistics.median(scores.distances), 1)
    if scores.sub_pairs:
        report.update(sub_event_scores(scores.sub_pairs))
    return report


def sub_event_scores(pairs: list[tuple[str, str]]) -> dict[str, float]:
    labels = sorted({g for g, _ in pairs})
    support = Counter(g for g, _ in pairs)
    f1s: dict[str, float] = {}
    for label in labels:
        tp = sum(1 for g, p in pairs if g == label and p == label)
        fp = sum(1 for g, p in pairs if g != label and p == label)
        fn = sum(1 for g, p in pairs if g == label and p != label)
        prec = tp / (tp + fp) if tp + fp else 0.0
        rec = tp / (tp + fn) if tp + fn else 0.0
        f1s[label] = _f1(prec, rec)
    total = sum(support.values())
    return {
        "sub_event_accuracy": round(sum(g == p for g, p in pairs) / len(pairs), 4),
        "sub_event_macro_f1": round(sum(f1s.values()) / len(f1s), 4),
        "sub_event_weighted_f1": round(sum(f1s[k] * support[k] for k in f1s) / total, 4),
    }


def evaluate(gold: list[dict[str, Any]], predictions: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
    scores = Scores()
    for record in gold:
        score_record(record, predictions.get(str(record["id"]), []), scores)
    return summarise(scores, len(gold))


def evaluate_file(gold_path: Path, settings: Settings, pred: str | None = None, db: str | None = None,
                  limit: int | None = None, json_out: str | None = None) -> dict[str, Any]:
    gold = read_gold(gold_path, limit)
    if any("toponyms" in record for record in gold):
        # Geoparsing gold: score toponyms (geoeval); --pred is then `fieldreport geocode` output.
        from .geoeval import evaluate_toponyms

        report = {"gold": str(gold_path), "records": len(gold), **evaluate_toponyms(gold, settings, pred)}
        if json_out:
            Path(json_out).write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
        return report
    if pred:
        predictions = predictions_from_records(_read_jsonl(Path(pred)))
    elif db:
        from .store import open_store

        with open_store(db, create=False) as store:
            predictions = predictions_from_records(event_record(e) for e in store.iter_events())
    else:
        predictions = code_gold(gold, settings)
    report = {"gold": str(gold_path), **evaluate(gold, predictions)}
    if json_out:
        Path(json_out).write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    return report


def format_report(report: dict[str, Any]) -> str:
    rows = [(k, v) for k, v in report.items() if not k.startswith("n_")]
    width = max(len(k) for k, _ in rows)
    lines = []
    for key, value in rows:
        n = report.get(f"n_{key.replace('_accuracy', '')}")
        suffix = f"   (n={n})" if n is not None else ""
        shown = "-" if value is None else value
        lines.append(f"{key:<{width}}  {shown}{suffix}")
    return "\n".join(lines)
