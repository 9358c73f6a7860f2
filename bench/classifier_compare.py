"""Compare event classifiers on the benchmark sets: accuracy and texts per second.

    python bench/classifier_compare.py [--kinds rules,linear,encoder] [--split dev|test|all]
        [--pipeline] [--json OUT]

Two views:

- snippet: each benchmark text classified as a whole: the rule detector's
  strongest sentence (spaCy parse included in its time), the linear and the
  encoder classifier alone (their own time only), and each classifier voting
  with the rules (``train.simulate_vote``, time of both);
- pipeline (``--pipeline``): the real ``fieldreport eval`` path with
  ``Settings(classifier=...)``, whole pipeline time.

Samples are deterministic: case2021-task2 whole, acled-asia-2015 every 10th
record, ucdp-ged-syria every 40th. ``--split dev`` keeps even positions of each
sample and ``test`` odd ones: decisions are made on dev, test is reported
untouched. ``unseen`` takes the records halfway between the sample's
(acled-asia every 10th from the 5th, ucdp every 40th from the 20th; case2021's
test half), which nobody read while writing rules, examples or votes. Benchmarks are read from ../shared/benchmarks (never trained on).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path
from typing import Any


ROOT = Path(__file__).resolve().parents[1]
BENCH = Path(os.environ.get("FIELDREPORT_BENCHMARKS", ROOT.parent / "shared" / "benchmarks")) / "events"
SAMPLES = {"case2021-task2": 1, "acled-asia-2015": 10, "ucdp-ged-syria": 40}


def sample(name: str, split: str) -> list[dict[str, Any]]:
    from fieldreport.eval import read_gold

    every = SAMPLES[name]
    if split == "unseen":
        # Records halfway between the sample's: never coded, printed or scored
        # while rules, examples or votes were written (case2021 has no such
        # records, so its test half stands in).
        if every == 1:
            return read_gold(BENCH / f"{name}.jsonl")[1::2]
        return read_gold(BENCH / f"{name}.jsonl")[every // 2:: every]
    rows = read_gold(BENCH / f"{name}.jsonl")[::every]
    if split == "dev":
        return rows[0::2]
    if split == "test":
        return rows[1::2]
    return rows


def gold_label(record: dict[str, Any]) -> tuple[set[str], str | None]:
    """(acceptable event types, gold sub-event type); empty set: no event."""
    events = record.get("events") or []
    if not events:
        return set(), None
    first = events[0]
    types = first["event_type"] if isinstance(first["event_type"], list) else [first["event_type"]]
    return set(types), first.get("sub_event_type")


def snippet_scores(records: list[dict[str, Any]], predicted: list[str]) -> dict[str, Any]:
    from fieldreport.eval import sub_event_scores
    from fieldreport.stages.classify import NO_EVENT, taxonomy_event_type

    type_hits = n_events = tp = fp = fn = 0
    pairs = []
    for record, label in zip(records, predicted):
        types, sub = gold_label(record)
        event_type = taxonomy_event_type(label) if label != NO_EVENT else None
        if not types:
            fp += event_type is not None
            continue
        n_events += 1
        hit = event_type in types
        type_hits += hit
        tp += hit
        fn += not hit
        fp += (not hit) and event_type is not None
        if sub:
            pairs.append((sub, label if label != NO_EVENT else "(none)"))
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    out = {"n": len(records), "event_type_accuracy": round(type_hits / n_events, 4) if n_events else None,
           "detection_f1": round(2 * p * r / (p + r), 4) if p + r else 0.0}
    if pairs:
        out.update(sub_event_scores(pairs))
    return out


def run_snippets(kinds: list[str], split: str) -> dict[str, Any]:
    from fieldreport.stages.classify import NO_EVENT, load_classifier
    from fieldreport.train import rule_labels, simulate_vote

    results: dict[str, Any] = {}
    for name in SAMPLES:
        records = sample(name, split)
        texts = [r["text"] for r in records]
        started = time.perf_counter()
        rules = rule_labels(texts)
        rules_seconds = time.perf_counter() - started
        rows = {"rules": {**snippet_scores(records, [r or NO_EVENT for r, _ in rules]),
                          "texts_per_s": round(len(texts) / rules_seconds, 1)}}
        for kind in kinds:
            if kind == "rules":
                continue
            clf = load_classifier(kind)
            assert clf is not None
            clf.predict_proba(texts[:2])  # warm up (encoder load)
            started = time.perf_counter()
            proba = clf.predict_proba(texts)
            seconds = time.perf_counter() - started
            alone = [clf.labels[i] for i in proba.argmax(axis=1)]
            rows[kind] = {**snippet_scores(records, alone), "texts_per_s": round(len(texts) / seconds, 1)}
            voted = simulate_vote(proba, rules, clf.vote)
            rows[f"{kind}+rules"] = {**snippet_scores(records, voted),
                                     "texts_per_s": round(len(texts) / (seconds + rules_seconds), 1)}
        results[name] = rows
        print(f"[snippet {split}] {name}", file=sys.stderr)
        for variant, row in rows.items():
            print(f"  {variant:<16} {json.dumps(row)}", file=sys.stderr)
    return results


def run_pipeline(kinds: list[str], split: str) -> dict[str, Any]:
    from fieldreport.config import Settings
    from fieldreport.eval import code_gold, evaluate

    results: dict[str, Any] = {}
    for name in SAMPLES:
        records = sample(name, split)
        rows = {}
        for kind in kinds:
            settings = Settings(classifier=kind, progress=False)
            code_gold(records[:2], settings)  # load resources outside the timing
            started = time.perf_counter()
            predictions = code_gold(records, settings)
            seconds = time.perf_counter() - started
            rows[kind] = {**evaluate(records, predictions), "texts_per_s": round(len(records) / seconds, 1)}
            print(f"[pipeline {split}] {name} {kind}: {json.dumps(rows[kind])}", file=sys.stderr)
        results[name] = rows
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--kinds", default="rules,linear,encoder")
    parser.add_argument("--split", choices=("dev", "test", "unseen", "all"), default="dev")
    parser.add_argument("--pipeline", action="store_true", help="also score the whole pipeline")
    parser.add_argument("--no-snippet", action="store_true", help="skip the snippet view")
    parser.add_argument("--json", help="write all figures to this file")
    args = parser.parse_args()
    if not BENCH.is_dir():
        print(f"no benchmarks at {BENCH}", file=sys.stderr)
        return 2
    kinds = args.kinds.split(",")
    out: dict[str, Any] = {"split": args.split}
    if not args.no_snippet:
        out["snippet"] = run_snippets(kinds, args.split)
    if args.pipeline:
        out["pipeline"] = run_pipeline(kinds, args.split)
    if args.json:
        Path(args.json).write_text(json.dumps(out, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
