"""Rebuild the shipped sentence classifiers from the team-written examples.

``fieldreport train`` (or ``python -m fieldreport.train``) reads
``data/training/*.jsonl`` (``{text, event_type, sub_event_type, style,
region}``; ``sub_event_type`` null for a text that reports no event), fits
the classifiers of ``stages/classify.py`` with fixed seeds, tunes how they vote
with the rule detector by cross-validation on the same examples, and writes
``data/models/<kind>.npz`` and ``<kind>.json``. The metadata records the
SHA-256 of the training files, so a test can tell a shipped model from one
trained on something else.

Only team-written examples go in. The benchmark sets under
``../shared/benchmarks`` measure the result and are never read here.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import math
import sys
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from importlib import resources as package_files
from pathlib import Path
from typing import Any

import numpy as np

from .errors import UsageError
from .stages.classify import (
    MODEL_FORMAT, NO_EVENT, TfidfFeatures, Vote, allowed_labels, classifier_labels, ngram_counts,
    taxonomy_event_type, vote_label,
)

SEED = 13
FOLDS = 5
# n-grams seen in fewer examples than this are noise at a few thousand examples
# and would triple the shipped vocabulary.
MIN_DF = 2
# Inverse regularisation strength. For the encoder it is picked by cross-validated
# accuracy on the examples (see choose_c). For the linear model cross-validation
# picks the weakest regularisation (C=300: 0.888 against 0.86 at C=10), which
# fits the examples' own wording; on the dev halves of the benchmark samples
# C=10 transferred better on all three sets (event type accuracy +0.5 to +0.6
# points), so it is fixed.
C_GRID = (10.0,)
ENCODER_C_GRID = (3.0, 10.0, 30.0)
# Vote parameters searched by cross-validation on the examples (see tune_vote).
BONUS_GRID = (0.0, 0.5, 1.0, 1.5, 2.0, 3.0, 5.0)
DROP_GRID = (0.5, 0.6, 0.7, 0.8, 0.9, 1.01)
KEEP_GRID = (0.75, 0.85, 0.95, 1.01)
ADD_GRID = (0.0, 0.5, 0.6, 0.7, 0.8, 0.9, 1.01)
RETYPE_GRID = (0.0, 0.5, 0.7, 0.9, 1.01)
DISCOUNT_GRID = (0.0,)
# ... except these, fixed. On the team examples the free vote wins, but the
# examples are in the model's own register; what matters is real reports. The
# fixed vote was chosen on the dev halves of the benchmark samples (even
# positions; aggregate scores only, bench/classifier_compare.py) among the grid
# points above (with 4,370 examples; re-checked with 6,849): keep every rule candidate
# (the model's "no event" on a sentence the rules matched was wrong more often
# than right), let the model re-type a candidate when it gives the new label at
# least 0.5 after a 2.0 log-odds bonus for the rule's own label, and add a
# sentence the rules missed when the model's most probable label is an event
# (add_event 0.0: the event label need only beat "no event"). With 7,312
# examples, lowering add_event from 0.5 raised dev event type accuracy on all
# three sets (case2021 0.804 -> 0.824, acled-asia 0.660 -> 0.699, ucdp 0.801 ->
# 0.820) with detection F1 up too; 0.15 and 0.0 gave the same figures.
# Fourth session: the model, fitted on single clean sentences, says "no event"
# too readily on real reports' longer sentences; taking 1.0 log-odds off "no
# event" when adding (never in vetoed sentences, see refine_candidates) raised
# dev event type accuracy on all three sets (case2021 0.859 -> 0.874,
# acled-asia 0.706 -> 0.712, ucdp 0.845 -> 0.850); 1.5 and 2.0 added
# background sentences to the demo.
# The odd halves, never used for a decision, are reported in docs/results.md.
FIXED_VOTE: dict[str, tuple[float, ...]] = {"rule_bonus": (2.0,), "drop_no_event": (1.01,),
                                            "keep_score": (1.01,), "add_event": (0.0,), "retype": (0.5,),
                                            "no_event_discount": (1.0,)}


@dataclass(frozen=True)
class Example:
    text: str
    label: str  # a sub-event type or NO_EVENT
    style: str
    region: str


def training_dir() -> Path:
    return Path(str(package_files.files("fieldreport").joinpath("data", "training")))


def training_files(directory: Path | None = None) -> list[Path]:
    return sorted((directory or training_dir()).glob("*.jsonl"))


def training_hash(directory: Path | None = None, names: Sequence[str] | None = None) -> str:
    """SHA-256 over the training files' names and bytes, in name order
    (only the files called ``names``, when given: what an older model was fitted on)."""
    digest = hashlib.sha256()
    paths = training_files(directory)
    if names is not None:
        paths = [path for path in paths if path.name in set(names)]
    for path in paths:
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def load_examples(directory: Path | None = None) -> list[Example]:
    examples = []
    labels = set(classifier_labels())
    for path in training_files(directory):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            row = json.loads(line)
            label = row.get("sub_event_type") or NO_EVENT
            if label not in labels:
                raise UsageError(f"{path}:{number}: unknown sub_event_type {label!r}")
            if label != NO_EVENT and taxonomy_event_type(label) != row.get("event_type"):
                raise UsageError(f"{path}:{number}: {label!r} is not a sub-event type of {row.get('event_type')!r}")
            examples.append(Example(row["text"], label, row.get("style", ""), row.get("region", "")))
    if not examples:
        raise UsageError(f"no training examples in {directory or training_dir()}")
    return examples


# --- features -------------------------------------------------------------------------

def build_tfidf(texts: Sequence[str], min_df: int = MIN_DF) -> TfidfFeatures:
    df: Counter[str] = Counter()
    for text in texts:
        df.update(ngram_counts(text).keys())
    terms = tuple(sorted(t for t, n in df.items() if n >= min_df))
    n = len(texts)
    idf = np.array([math.log((1 + n) / (1 + df[t])) + 1.0 for t in terms])
    return TfidfFeatures(terms, idf)


def tfidf_matrix(features: TfidfFeatures, texts: Sequence[str]) -> Any:
    from scipy.sparse import csr_matrix

    rows = features.rows(texts)
    indptr = np.cumsum([0] + [idx.size for idx, _ in rows])
    indices = np.concatenate([idx for idx, _ in rows]) if rows else np.zeros(0, dtype=np.int64)
    data = np.concatenate([v for _, v in rows]) if rows else np.zeros(0)
    return csr_matrix((data, indices, indptr), shape=(len(texts), len(features.terms)))


def encode_texts(texts: Sequence[str]) -> np.ndarray:
    from .stages.classify import load_encoder

    return load_encoder().encode(texts)


# --- fitting -------------------------------------------------------------------------

def fit_logistic(x: Any, y: Sequence[int], c: float) -> Any:
    from sklearn.linear_model import LogisticRegression
    from threadpoolctl import threadpool_limits

    model = LogisticRegression(C=c, max_iter=3000, random_state=SEED)
    with threadpool_limits(1):  # BLAS threads only fight over a small problem
        model.fit(x, np.asarray(y))
    return model


def _folds(y: Sequence[int]) -> list[tuple[np.ndarray, np.ndarray]]:
    from sklearn.model_selection import StratifiedKFold

    splitter = StratifiedKFold(n_splits=FOLDS, shuffle=True, random_state=SEED)
    return list(splitter.split(np.zeros(len(y)), np.asarray(y)))


def oof_proba(kind: str, texts: Sequence[str], y: Sequence[int], c: float,
              embeddings: np.ndarray | None = None) -> np.ndarray:
    """Out-of-fold probabilities over all labels (features refit inside each fold)."""
    n_labels = len(classifier_labels())
    out = np.zeros((len(texts), n_labels))
    for train_idx, test_idx in _folds(y):
        if kind == "linear":
            feats = build_tfidf([texts[i] for i in train_idx])
            x_train = tfidf_matrix(feats, [texts[i] for i in train_idx])
            x_test = tfidf_matrix(feats, [texts[i] for i in test_idx])
        else:
            assert embeddings is not None
            x_train, x_test = embeddings[train_idx], embeddings[test_idx]
        model = fit_logistic(x_train, [y[i] for i in train_idx], c)
        out[np.ix_(test_idx, model.classes_)] = model.predict_proba(x_test)
    return out


def choose_c(kind: str, texts: Sequence[str], y: Sequence[int], grid: Sequence[float],
             embeddings: np.ndarray | None = None) -> tuple[float, dict[str, float], np.ndarray]:
    """The C with the best cross-validated accuracy; ties go to the smaller C."""
    scores: dict[str, float] = {}
    best: tuple[float, float, np.ndarray] | None = None
    for c in grid:
        proba = oof_proba(kind, texts, y, c, embeddings)
        accuracy = float(np.mean(proba.argmax(axis=1) == np.asarray(y)))
        scores[str(c)] = round(accuracy, 4)
        if best is None or accuracy > best[1] + 1e-9:
            best = (c, accuracy, proba)
    assert best is not None
    return best[0], scores, best[2]


# --- the vote with the rules ---------------------------------------------------------

def rule_labels(texts: Sequence[str], settings: Any = None) -> list[tuple[str | None, float]]:
    """The rule detector's strongest candidate per example: (sub-event type, score)."""
    from .config import Settings
    from .resources import load_nlp
    from .stages.events import detect_events, load_lexicon

    nlp = load_nlp((settings or Settings()).spacy_model)
    lexicon = load_lexicon()
    out: list[tuple[str | None, float]] = []
    for doc in nlp.pipe(texts, batch_size=64):
        cands = detect_events(doc, lexicon)
        best = max(cands, key=lambda c: c.score, default=None)
        out.append((best.sub_event_type, best.score) if best else (None, 0.0))
    return out


def simulate_vote(proba: np.ndarray, rules: Sequence[tuple[str | None, float]], vote: Vote) -> list[str]:
    """What refine_candidates would say about each example taken as one sentence."""
    labels = classifier_labels()
    none = labels.index(NO_EVENT)
    out = []
    for p, (rule, score) in zip(proba, rules):
        if rule is not None:
            if p[none] >= vote.drop_no_event and score < vote.keep_score:
                out.append(NO_EVENT)
            else:
                out.append(vote_label(p, labels, rule, vote))
            continue
        masked = np.where(np.arange(len(labels)) == none, -1.0, p)
        best = int(masked.argmax())
        out.append(labels[best] if vote.adds(float(p[best]), float(p[none])) else NO_EVENT)
    return out


def tune_vote(proba: np.ndarray, rules: Sequence[tuple[str | None, float]], gold: Sequence[str],
              grids: dict[str, Sequence[float]] | None = None) -> tuple[Vote, float]:
    """Grid search for the vote with the best accuracy over the 26 labels on
    out-of-fold probabilities; ties go to the earlier (more conservative) grid
    point. Vectorised form of simulate_vote (a test checks they agree)."""
    labels = classifier_labels()
    none = labels.index(NO_EVENT)
    y = np.array([labels.index(g) for g in gold])
    has_rule = np.array([r is not None for r, _ in rules])
    rule_idx = np.array([labels.index(r) if r is not None else none for r, _ in rules])
    rule_score = np.array([s for _, s in rules])
    logp = np.log(np.maximum(proba, 1e-12))
    events = np.where(np.arange(len(labels)) == none, -1.0, proba)
    best_event = events.argmax(axis=1)
    p_best = events.max(axis=1)
    p_none = proba[:, none]
    best_vote, best_acc = None, -1.0
    types = [taxonomy_event_type(label) for label in labels]
    same_type = np.array([[types[r] == t for t in types] for r in rule_idx])
    allowed = np.array([allowed_labels(labels, r) for r, _ in rules])
    grid = grids or {}
    for bonus in grid.get("rule_bonus", BONUS_GRID):
        scores = logp.copy()
        scores[np.arange(len(y)), rule_idx] += np.where(has_rule, bonus, 0.0)
        scores[~allowed] = -np.inf
        relabel_any = scores.argmax(axis=1)
        relabel_same = np.where(same_type, scores, -np.inf).argmax(axis=1)
        p_any = proba[np.arange(len(y)), relabel_any]
        for retype in grid.get("retype", RETYPE_GRID):
            relabel = np.where(p_any >= retype, relabel_any, relabel_same)
            for drop in grid.get("drop_no_event", DROP_GRID):
                for keep in grid.get("keep_score", KEEP_GRID):
                    dropped = (p_none >= drop) & (rule_score < keep)
                    with_rule = np.where(dropped, none, relabel)
                    for add, discount in itertools.product(grid.get("add_event", ADD_GRID),
                                                           grid.get("no_event_discount", DISCOUNT_GRID)):
                        adds = (p_best >= add) & (p_best * math.exp(discount) > p_none)
                        predicted = np.where(has_rule, with_rule, np.where(adds, best_event, none))
                        acc = float(np.mean(predicted == y))
                        if acc > best_acc + 1e-9:
                            best_vote, best_acc = Vote(bonus, drop, keep, add, retype, discount), acc
    assert best_vote is not None
    return best_vote, best_acc


# --- building and writing ------------------------------------------------------------

@dataclass
class Built:
    kind: str
    arrays: dict[str, np.ndarray]
    meta: dict[str, Any]


def build(kind: str, examples: Sequence[Example], rules: Sequence[tuple[str | None, float]],
          data_hash: str, log: Any = None) -> Built:
    labels = classifier_labels()
    texts = [e.text for e in examples]
    gold = [e.label for e in examples]
    y = [labels.index(g) for g in gold]
    say = log or (lambda message: None)
    embeddings = None
    if kind == "encoder":
        say(f"encoding {len(texts)} examples with MiniLM ...")
        embeddings = encode_texts(texts)
    grid = C_GRID if kind == "linear" else ENCODER_C_GRID
    say(f"{kind}: choosing C by {FOLDS}-fold cross-validation over {list(grid)} ...")
    c, c_scores, proba = choose_c(kind, texts, y, grid, embeddings)
    free_vote, free_acc = tune_vote(proba, rules, gold)
    vote, vote_acc = tune_vote(proba, rules, gold, FIXED_VOTE)
    rules_only = float(np.mean([(r or NO_EVENT) == g for (r, _), g in zip(rules, gold)]))
    say(f"{kind}: C={c} cv accuracy {c_scores[str(c)]}; rules alone {rules_only:.4f}; "
        f"with vote {vote_acc:.4f} ({vote})")
    if kind == "linear":
        feats = build_tfidf(texts)
        model = fit_logistic(tfidf_matrix(feats, texts), y, c)
        arrays = {"vocabulary": np.array(feats.terms), "idf": feats.idf.astype(np.float32)}
    else:
        assert embeddings is not None
        model = fit_logistic(embeddings, y, c)
        arrays = {}
    if list(model.classes_) != list(range(len(labels))):
        raise UsageError("every label needs at least one training example")
    arrays["coef"] = model.coef_.astype(np.float32)
    arrays["intercept"] = model.intercept_.astype(np.float32)
    import sklearn

    meta = {
        "format": MODEL_FORMAT,
        "kind": kind,
        "labels": list(labels),
        "training_sha256": data_hash,
        "training_files": [p.name for p in training_files()],
        "examples": len(examples),
        "label_counts": dict(sorted(Counter(gold).items())),
        "seed": SEED,
        "folds": FOLDS,
        "C": c,
        "cv_accuracy_by_C": c_scores,
        "cv_accuracy_rules_alone": round(rules_only, 4),
        "cv_accuracy_with_vote": round(vote_acc, 4),
        "vote": asdict(vote),
        "cv_accuracy_with_free_vote": round(free_acc, 4),
        "free_vote": asdict(free_vote),
        "features": ("word 1-2-grams + char_wb 2-5-grams, sublinear tf-idf, min_df=2" if kind == "linear"
                     else "all-MiniLM-L6-v2 mean-pooled, L2-normalised (384)"),
        "scikit_learn": sklearn.__version__,
    }
    return Built(kind, arrays, meta)


def write(built: Built, directory: Path) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    weights = directory / f"{built.kind}.npz"
    meta = directory / f"{built.kind}.json"
    np.savez_compressed(weights, **built.arrays)
    meta.write_text(json.dumps(built.meta, indent=1, sort_keys=False) + "\n", encoding="utf-8")
    return [weights, meta]


def models_dir() -> Path:
    return Path(str(package_files.files("fieldreport").joinpath("data", "models")))


def train(kinds: Sequence[str], out: Path | None = None, log: Any = None) -> list[Path]:
    """Fit each classifier kind on the team examples and write it to ``out``."""
    say = log or (lambda message: None)
    examples = load_examples()
    data_hash = training_hash()
    say(f"{len(examples)} examples from {len(training_files())} files, sha256 {data_hash[:12]}")
    say("running the rule detector over the examples ...")
    rules = rule_labels([e.text for e in examples])
    written: list[Path] = []
    for kind in kinds:
        written += write(build(kind, examples, rules, data_hash, say), out or models_dir())
    return written


def main(argv: Sequence[str] | None = None) -> int:
    from .cli import main as cli_main

    return cli_main(["train", *(argv if argv is not None else sys.argv[1:])])


if __name__ == "__main__":
    sys.exit(main())
