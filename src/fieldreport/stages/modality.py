"""Modality and attribution of an event mention.

Modality says whether the sentence reports the event as having happened:

* ``actual``: it happened (the default);
* ``negated``: it did not happen or is denied ("police did not fire",
  "there were no clashes", "the army denied that civilians were killed");
* ``hypothetical``: it might happen ("could attack", "if ... would",
  "in case of an attack");
* ``forecast``: it is announced or expected ("will launch", "is expected to
  begin", "threatened to attack", "is poised to");
* ``generic``: habitual, no specific occurrence ("militants routinely
  attack convoys", "roadside bombs are a daily occurrence").

Cues are scoped to the trigger's clause with the dependency parse: we walk
from the trigger up its head chain. Along verb chains (xcomp, aux, a noun
trigger's governing verb) negation, modal auxiliaries and adverbs count;
across a clausal complement ("denied that ...", "reports that ...") only the
governing word itself counts (deny, expect, threaten), so "officials could
not confirm that five were killed" stays actual. A conjunct with its own
subject and a relative or adverbial clause end the scope. "No casualties
were reported" does not negate the attack it follows: the "no" is not on
the trigger's chain.

An infinitive completing an event noun ("the offensive to retake Mosul",
"attempts to retake the city") is read through that noun: the cues on the
verb governing the noun apply ("... is expected to begin": forecast;
"... stalled": negated). The other way, an event named inside another noun
phrase or an outcome is presupposed by it, not asserted: in "Russia denies
civilian deaths in the air strike" or "denied that civilians were killed in
the air strike" the denial is of the deaths, and the strike stays actual.
The scope stops there, except at nouns that carry the event's modality
themselves (reports of, plans for, threat of, attempt at, another event).

When several cues apply, negation wins over hypothetical over forecast over
generic (the event is least "actual" under the stronger reading).
"""

from __future__ import annotations

from typing import Any

from fieldreport.records import Modality, Span

__all__ = ["FOILING_LEMMAS", "classify_modality"]

# Words for an attempt stopped: the attempt itself may still have been a fight.
FOILING_LEMMAS = {"fail", "foil", "thwart", "avert", "prevent"}
NEGATING_LEMMAS = {"deny", "reject", "dismiss", "refute", "cancel", "abort", "disprove", "debunk",
                   "without"} | FOILING_LEMMAS
FORECAST_LEMMAS = {"expect", "plan", "threaten", "vow", "intend", "prepare", "poise", "pledge", "promise",
                   "plot", "anticipate", "predict", "threat", "prospect", "warn", "aim", "gear", "mull",
                   "schedule", "imminent", "upcoming", "impending", "looming", "planned", "brace",
                   "likely"}  # "is likely to step up attacks" predicts, like "is expected to"
HYPOTHETICAL_LEMMAS = {"case", "possibility", "risk", "possible", "potential", "unlikely", "event",
                       "scenario", "would-be"}
# Nouns naming an armed action: an infinitive completing one ("offensive to
# retake") takes its modality from the verb that governs the noun.
EVENT_NOMINALS = {"offensive", "operation", "attack", "assault", "campaign", "strike", "airstrike", "raid",
                  "push", "drive", "advance", "battle", "fight", "fighting", "war", "mission", "incursion",
                  "invasion", "bombardment", "bombing", "shelling", "counteroffensive", "counterattack",
                  "onslaught", "sweep", "crackdown", "siege", "clash", "ambush"}
TRY_NOMINALS = {"attempt", "bid", "effort", "try"}
FAILURE_LEMMAS = {"stall", "fail", "collapse", "founder", "falter", "flounder", "fizzle", "backfire"}
FAILED_AMODS = {"failed", "unsuccessful", "abortive", "aborted", "botched", "foiled", "thwarted", "vain"}
# Nouns whose complement is a claim about the event, not a presupposed one.
CONTENT_NOUNS = {"report", "claim", "allegation", "account", "rumour", "rumor", "news", "word", "story",
                 "accusation", "suggestion", "speculation", "fear", "talk", "evidence", "sign", "plan",
                 "preparation", "order", "call", "decision", "intention", "readiness"}
# Predicates that hang an outcome on an event ("killed in the strike").
OUTCOME_LEMMAS = {"kill", "die", "injure", "wound", "hurt", "harm", "maim", "death", "casualty", "victim",
                  "toll", "injury", "fatality", "damage", "destruction", "loss"}
DISMISSIVE_PREDICATES = {"fabrication", "fabricated", "false", "baseless", "untrue", "unfounded", "lie", "fake",
                         "groundless", "fiction", "propaganda", "fabricate", "invention", "nonsense"}
GENERIC_ADVERBS = {"often", "regularly", "routinely", "frequently", "usually", "repeatedly", "daily",
                   "constantly", "sometimes", "typically", "habitually", "commonly", "generally",
                   "always", "occasionally", "periodically", "nightly", "weekly", "increasingly"}
# "every Friday", "each morning": a unit of time repeated
RECURRING_UNITS = {"day", "week", "night", "month", "year", "morning", "evening", "afternoon", "weekend",
                   "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"}
GENERIC_PREDICATES = {"occurrence", "common", "commonplace", "frequent", "routine", "regular", "norm",
                      "feature", "staple", "rife", "widespread", "endemic"}
GENERIC_AMODS = {"daily", "frequent", "regular", "routine", "repeated", "recurring", "weekly", "nightly",
                 "constant", "periodic"}
FORECAST_MODALS = {"will", "shall", "'ll", "wo"}
HYPOTHETICAL_MODALS = {"could", "might", "may", "can", "should", "must", "ca", "might've", "could've"}
REPORTING_LEMMAS = {"say", "tell", "report", "claim", "announce", "state", "add", "confirm", "allege",
                    "accuse", "deny", "note", "explain", "write", "tweet", "post", "quote", "reveal",
                    "indicate", "insist", "warn", "acknowledge", "admit", "assert", "estimate", "reject",
                    "blame", "describe"}
HEDGE_WORDS = {"reportedly", "allegedly", "purportedly", "supposedly", "apparently", "unconfirmed",
               "unverified", "suspected", "alleged", "rumoured", "rumored", "presumably", "purported"}
HEDGE_LEMMAS = {"claim", "allege", "rumour", "rumor"}  # as the reporting verb
CONDITIONAL_MARKS = {"if", "unless", "whether", "otherwise", "lest"}
PRONOUNS = {"he", "she", "it", "they", "we", "i", "you", "who", "which", "that"}

_PRIORITY = {"negated": 0, "hypothetical": 1, "forecast": 2, "generic": 3}


def _trigger_token(doc: Any, sentence: Span, trigger: Span) -> Any:
    inside = [t for t in doc if trigger.start <= t.idx < trigger.end]
    if not inside:
        in_sentence = [t for t in doc if sentence.start <= t.idx < sentence.end] or list(doc)
        return min(in_sentence, key=lambda t: abs(t.idx - trigger.start))
    roots = [t for t in inside if not (trigger.start <= t.head.idx < trigger.end) or t.head.i == t.i]
    return (roots or inside)[0]


def _span(tokens: list[Any]) -> Span:
    first = min(tokens, key=lambda t: t.idx)
    last = max(tokens, key=lambda t: t.idx + len(t.text))
    return Span(first.idx, last.idx + len(last.text))


def _has_subject(tok: Any) -> bool:
    return any(c.dep_ in ("nsubj", "nsubjpass", "expl") for c in tok.children)


def _completes_event_noun(tok: Any) -> bool:
    """An infinitive completing an event or attempt noun: "offensive to retake"."""
    return (tok.dep_ in ("relcl", "acl") and tok.head.lemma_.lower() in EVENT_NOMINALS | TRY_NOMINALS
            and any(c.dep_ == "aux" and c.lower_ == "to" for c in tok.children))


def _presupposed_in(tok: Any) -> bool:
    """``tok`` names an event that the phrase above it presupposes: the object
    of a preposition on an outcome ("deaths in the strike", "killed in the
    strike") or on a noun that does not carry modality ("details of the strikes")."""
    if tok.dep_ != "pobj" or tok.head.dep_ != "prep" or tok.head.head.i == tok.head.i:
        return False
    holder = tok.head.head
    lemma = holder.lemma_.lower()
    if lemma in OUTCOME_LEMMAS:
        return True
    if holder.pos_ not in ("NOUN", "PROPN"):
        return False
    carries = (NEGATING_LEMMAS | FORECAST_LEMMAS | HYPOTHETICAL_LEMMAS | EVENT_NOMINALS | TRY_NOMINALS
               | CONTENT_NOUNS | GENERIC_PREDICATES)
    return lemma not in carries


def _scope(trigger: Any, sentence: Span) -> list[tuple[Any, str]]:
    """The trigger's head chain with the mode each token is checked in:
    "full" (negation, modals, adverbs) or "lemma" (the word itself only)."""
    chain = [(trigger, "full")]
    tok, mode = trigger, "full"
    while tok.head.i != tok.i and sentence.start <= tok.head.idx < sentence.end:
        dep = tok.dep_
        if _presupposed_in(tok):
            break
        if _completes_event_noun(tok):
            tok = tok.head
            chain.append((tok, mode))
            continue
        if dep in ("relcl", "advcl", "parataxis"):
            break
        if dep == "conj" and _has_subject(tok):
            break
        if dep in ("ccomp", "acl", "csubj"):
            mode = "lemma"
        tok = tok.head
        chain.append((tok, mode))
        if mode == "full" and tok.pos_ in ("VERB", "AUX") and tok.lemma_.lower() in REPORTING_LEMMAS \
                and tok.lemma_.lower() not in NEGATING_LEMMAS:
            break  # "said" ends the clause; a modal on it is not the event's
    return chain


def _sentence_has(doc: Any, sentence: Span, words: set[str]) -> bool:
    return any(t.lower_ in words for t in doc if sentence.start <= t.idx < sentence.end)


def _cues(doc: Any, sentence: Span, trigger: Any) -> list[tuple[str, list[Any]]]:
    found: list[tuple[str, list[Any]]] = []
    for tok, mode in _scope(trigger, sentence):
        lemma = tok.lemma_.lower()
        if lemma in TRY_NOMINALS and tok.pos_ == "NOUN" and tok.i != trigger.i:
            # the attempt's own predicate; the small parser often hangs it lower
            # in the noun phrase ("attempts to retake the city stalled"). A
            # failed "coup attempt" is still an attempt, so not on the trigger.
            failed = [v for v in (tok.head, *tok.subtree) if v.lemma_.lower() in FAILURE_LEMMAS and (
                (v.i == tok.head.i and tok.dep_ in ("nsubj", "nsubjpass"))
                or (v.dep_ in ("acl", "relcl") and not _has_subject(v)))]
            failed += [a for a in tok.children if a.dep_ == "amod" and a.lower_ in FAILED_AMODS]
            if failed:
                found.append(("negated", failed[:1]))  # "attempts to retake the city stalled"
        if tok.i != trigger.i or tok.pos_ not in ("VERB", "AUX"):
            if lemma in NEGATING_LEMMAS:
                found.append(("negated", [tok]))
            elif lemma in FORECAST_LEMMAS and not (lemma == "threat" and tok.i == trigger.i):
                found.append(("forecast", [tok]))
            elif lemma in HYPOTHETICAL_LEMMAS:
                found.append(("hypothetical", [tok]))
            elif lemma == "go" and tok.tag_ == "VBG" and any(c.dep_ == "xcomp" for c in tok.children):
                found.append(("forecast", [tok]))  # "is going to attack"
            elif lemma == "set" and any(c.dep_ == "xcomp" for c in tok.children) and \
                    any(c.dep_ in ("auxpass", "aux") for c in tok.children):
                found.append(("forecast", [tok]))  # "is set to launch"
        if mode != "full":
            continue
        for c in tok.children:
            cl = c.lower_
            if c.dep_ == "neg":
                aux = [a for a in tok.children if a.dep_ in ("aux", "auxpass") and a.i < c.i]
                found.append(("negated", aux[-1:] + [c]))
            elif c.dep_ in ("aux", "auxpass") and c.tag_ == "MD":
                if cl in FORECAST_MODALS:
                    found.append(("forecast", [c]))
                elif cl == "would":
                    counterfactual = any(a.lower_ == "have" for a in tok.children if a.dep_ == "aux")
                    conditional = _sentence_has(doc, sentence, CONDITIONAL_MARKS)
                    found.append(("hypothetical" if counterfactual or conditional else "forecast", [c]))
                elif cl in HYPOTHETICAL_MODALS:
                    found.append(("hypothetical", [c]))
            elif c.dep_ == "mark" and cl in CONDITIONAL_MARKS:
                found.append(("hypothetical", [c]))
            elif c.dep_ in ("advmod", "npadvmod") and (c.lemma_.lower() in GENERIC_ADVERBS or
                                                       (c.lemma_.lower() in RECURRING_UNITS and
                                                        any(d.lower_ in ("every", "each") for d in c.children))):
                found.append(("generic", [c]))
            elif c.dep_ in ("attr", "acomp") and (c.lemma_.lower() in DISMISSIVE_PREDICATES
                                                  or c.lower_ in DISMISSIVE_PREDICATES):
                found.append(("negated", [c]))  # "reports of deaths were fabrications"
            elif c.dep_ in ("attr", "acomp") and c.lemma_.lower() in GENERIC_PREDICATES:
                amods = [a for a in c.children if a.dep_ == "amod"]
                found.append(("generic", amods + [c]))
            elif c.dep_ == "amod" and cl in GENERIC_AMODS:
                found.append(("generic", [c]))
            elif c.dep_ == "amod" and c.lemma_.lower() in FORECAST_LEMMAS:
                found.append(("forecast", [c]))
            elif c.dep_ == "amod" and c.lemma_.lower() in HYPOTHETICAL_LEMMAS:
                found.append(("hypothetical", [c]))
            elif tok.i == trigger.i and c.dep_ == "det" and cl == "no":
                found.append(("negated", [c]))
            elif tok.i == trigger.i and c.dep_ in ("nsubj", "nsubjpass", "dobj") and (
                cl in ("nobody", "none", "nothing", "noone")
                or any(d.dep_ == "det" and d.lower_ == "no" for d in c.children)
            ):
                found.append(("negated", [d for d in c.children if d.lower_ == "no"] + [c]))
            elif c.lower_ == "never" and c.dep_ in ("advmod", "neg"):
                found.append(("negated", [c]))
    return found


def _phrase(head: Any) -> list[Any]:
    """The speaker noun phrase: the head with its modifiers and of/for phrases."""
    keep = [head]
    for c in head.children:
        if c.dep_ in ("det", "amod", "compound", "poss", "nummod", "nmod", "quantmod", "case") and c.i < head.i:
            keep.extend(c.subtree)
        elif c.dep_ == "prep" and c.lower_ in ("of", "for", "from", "in", "at") and c.i > head.i:
            keep.extend(c.subtree)
    keep = sorted(keep, key=lambda t: t.i)
    # contiguous from the head's leftmost kept word to the rightmost
    return [t for t in head.doc[keep[0].i : keep[-1].i + 1] if t.dep_ != "punct" or t.i not in (keep[0].i, keep[-1].i)]


def _speaker(verb: Any) -> Any | None:
    for c in verb.children:
        if c.dep_ == "nsubj":
            return c
    for c in verb.children:  # "was reported by local media"
        if c.dep_ == "agent":
            for g in c.children:
                if g.dep_ == "pobj":
                    return g
    return None


def _according_to(doc: Any, sentence: Span) -> Any | None:
    for t in doc:
        if sentence.start <= t.idx < sentence.end and t.lower_ == "according":
            for c in t.children:
                if c.lower_ == "to":
                    for g in c.children:
                        if g.dep_ == "pobj":
                            return g
            nxt = doc[t.i + 1] if t.i + 1 < len(doc) else None
            if nxt is not None and nxt.lower_ == "to":
                for g in nxt.children:
                    if g.dep_ == "pobj":
                        return g
    return None


def _attribution(doc: Any, sentence: Span, trigger: Any,
                 negated: bool) -> tuple[str | None, Span | None, Any | None]:
    """(speaker text, speaker span, reporting word) for the trigger. Unless
    the event is negated, whoever denies something is not its source."""
    candidates: list[Any] = []
    tok = trigger
    while True:  # reporting verbs governing the trigger, innermost first
        if tok.i != trigger.i and tok.lemma_.lower() in REPORTING_LEMMAS and tok.pos_ in ("VERB", "AUX"):
            candidates.append(tok)
        for c in tok.children:
            if c.dep_ in ("parataxis", "advcl", "ccomp") and c.lemma_.lower() in REPORTING_LEMMAS \
                    and c.i > trigger.i:
                candidates.append(c)
        if tok.head.i == tok.i or not (sentence.start <= tok.head.idx < sentence.end) or _presupposed_in(tok):
            break
        tok = tok.head
    source = _according_to(doc, sentence)
    if source is not None:
        span = _span(_phrase(source))
        return doc.text[span.start : span.end], span, source.head.head
    candidates += [t for t in doc if sentence.start <= t.idx < sentence.end
                   and t.lemma_.lower() in REPORTING_LEMMAS and t.pos_ == "VERB" and t not in candidates]
    if not negated:
        candidates = [t for t in candidates if t.lemma_.lower() not in NEGATING_LEMMAS]
    for verb in candidates:
        speaker = _speaker(verb)
        if speaker is None or speaker.lower_ in PRONOUNS:
            continue
        span = _span(_phrase(speaker))
        return doc.text[span.start : span.end], span, verb
    return None, None, candidates[0] if candidates else None


def _hedged(doc: Any, sentence: Span, verb: Any | None) -> bool:
    toks = [t for t in doc if sentence.start <= t.idx < sentence.end]
    for t in toks:
        low = t.lower_
        if low in HEDGE_WORDS:
            return True
        if low == "according" and t.i + 1 < len(doc) and doc[t.i + 1].lower_ == "to":
            return True
        if t.lemma_.lower() in HEDGE_LEMMAS and t.pos_ == "VERB":
            return True
        # "is said to", "are believed to", "it was reported that"
        if t.lemma_.lower() in ("say", "believe", "think", "report", "rumour", "rumor") and t.tag_ == "VBN" and \
                any(c.dep_ == "auxpass" for c in t.children) and _speaker(t) is None and \
                any(c.dep_ in ("xcomp", "ccomp") for c in t.children):
            return True
    return verb is not None and verb.lemma_.lower() in HEDGE_LEMMAS


def classify_modality(doc: Any, sentence: Span, trigger: Span) -> Modality:
    """Modality, attribution and hedging of the event at ``trigger``.

    ``doc`` is the spaCy Doc of the whole article (token offsets absolute).
    """
    trig = _trigger_token(doc, sentence, trigger)
    # The trigger's own words are what the event is, not a cue about it:
    # "entered without fighting" is a transfer that happened.
    cues = [(label, words) for label, words in _cues(doc, sentence, trig)
            if not all(trigger.start <= w.idx < trigger.end for w in words)]
    label, words = min(cues, key=lambda c: _PRIORITY[c[0]]) if cues else ("actual", [])
    attribution, attribution_span, verb = _attribution(doc, sentence, trig, label == "negated")
    hedged = _hedged(doc, sentence, verb)
    if not cues:
        return Modality("actual", attribution, hedged, None, attribution_span)
    return Modality(label, attribution, hedged, _span(words), attribution_span)
