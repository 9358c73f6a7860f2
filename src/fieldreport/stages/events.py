"""Event detection: which sentences report a conflict event, and of what ACLED type.

Rule and lexicon based for now (``data/event_lexicon.yaml``). The seam for a
trained model is ``detect_events(doc, lexicon) -> tuple[EventCandidate, ...]``:
one spaCy ``Doc`` of the clean text in, at most one candidate per sentence out.

Per sentence, every lexicon rule whose trigger occurs is checked against its
conditions (cue words in the sentence, who acts and who is targeted according
to the dependency parse); the highest-weighted rule that holds wins, so the
weights in the YAML carry ACLED's precedence (suicide bomb over IED, lethal
force on protesters over intervention, and so on).
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from fieldreport.errors import ResourceError
from fieldreport.records import EventCandidate, Span
from fieldreport.stages.actors import SPEECH_VERBS, read_dictionary_yaml
from fieldreport.stages.grievance import in_grievance
from fieldreport.stages.phrase_match import Sentence as _Sentence

__all__ = ["EventLexicon", "Rule", "detect_events", "disorder_type", "load_lexicon", "vetoed_sentences"]

# Candidates scoring below this are dropped. Rule weights run 0.45-0.97, and a
# soft veto (ordinary crime, diplomacy) halves a score: 0.4 keeps only strong
# triggers (>= 0.8, named weapons and lethal force) in vetoed sentences.
# Chosen by reasoning over the weight scale, not fitted to a benchmark.
MIN_SCORE = 0.4
# A target read only from sentence cue words, not from the parse, is less sure.
CUE_TARGET_FACTOR = 0.9

ACTOR_KINDS = frozenset({"state", "non_state", "protester", "unknown"})
TARGET_KINDS = frozenset({"civilian", "combatant", "protester"})
RULE_KEYS = frozenset({"triggers", "with", "without", "actor", "target", "object_place", "object",
                       "main_clause", "weight"})
TARGET_GROUPS = (("protester", ("protester",)),
                 ("combatant", ("combatant", "state_actor", "non_state_actor")),
                 ("civilian", ("civilian",)))
PLACE_ENTS = frozenset({"GPE", "LOC", "FAC"})
NOT_PLACE_ENTS = frozenset({"PERSON", "NORP", "ORG", "DATE", "TIME", "CARDINAL", "MONEY"})
PATIENT_DEPS = frozenset({"dobj", "obj", "nsubjpass", "attr", "oprd"})
PATIENT_PREPS = frozenset({"on", "at", "against", "of", "upon", "into"})
PLACE_PREPS = frozenset({"from", "of", "into", "over", "to", "in"})
VICTIM_SUBJECT_LEMMAS = frozenset({"die", "dead", "death", "perish"})
RELATIVE_PRONOUNS = frozenset({"who", "which", "that"})
# A state's nationality on these nouns names its forces ("Iraqi troops"),
# unless a proxy word says they are someone else's ("Turkish-backed forces").
FORCE_NOUNS = frozenset({"force", "forces", "troop", "troops", "soldier", "soldiers", "unit", "units"})
PROXY_WORDS = frozenset({"back", "backed", "ally", "allied", "align", "aligned", "support", "supported",
                         "sponsor", "sponsored", "loyal", "proxy"})
# Clauses that describe a noun rather than report an event: "the group, which
# renamed itself in July", "groups allied with the militants".
MODIFIER_DEPS = frozenset({"relcl", "acl", "amod", "appos"})


@dataclass(frozen=True)
class Phrase:
    """One lexicon phrase, compiled to word patterns (see the YAML header)."""

    text: str
    words: tuple[str, ...]
    key: str | None  # the first word when it is plain, for indexed lookup


@dataclass(frozen=True)
class Rule:
    sub_event_type: str
    event_type: str
    triggers: tuple[Phrase, ...]
    with_any: tuple[Phrase, ...]
    without: tuple[Phrase, ...]
    actor: frozenset[str] | None
    target: str | None
    object_place: str | None  # None, "strict" or "loose"
    weight: float
    order: int
    objects: tuple[Phrase, ...] = ()  # the thing acted on must be one of these
    main_clause: bool | str = False  # not inside a relative clause or noun modifier ("strict": nor an adverbial clause)


@dataclass(frozen=True)
class Veto:
    name: str
    penalty: float  # 1.0 drops the sentence; 0.5 halves every score
    cues: tuple[Phrase, ...]
    unless: tuple[Phrase, ...]
    min_cues: int = 1  # different cue words needed, for cues weak on their own


@dataclass(frozen=True, eq=False)
class EventLexicon:
    """Compiled rules (strongest first), cue groups, guards and vetoes."""

    rules: tuple[Rule, ...]
    groups: Mapping[str, tuple[Phrase, ...]]
    guards: tuple[Phrase, ...]
    vetoes: tuple[Veto, ...]
    source: str


def _packaged(name: str) -> Any:
    return resources.files("fieldreport").joinpath("data", name)


@lru_cache(maxsize=1)
def _taxonomy() -> dict[str, tuple[str, str]]:
    """sub_event_type -> (event_type, disorder_type), from the packaged copy."""
    raw = json.loads(_packaged("acled_taxonomy.json").read_text(encoding="utf-8"))
    return {sub: (et, disorder) for et, subs in raw["event_types"].items() for sub, disorder in subs.items()}


@lru_cache(maxsize=1)
def _nationalities() -> frozenset[str]:
    """Nationality adjectives of states ("iraqi", "nigerian"), from the actor dictionary's demonyms."""
    raw = read_dictionary_yaml(None, "demonyms.yaml") or {}
    return frozenset(k.lower() for k in (raw.get("demonyms") or {}) if not k.isupper())


def disorder_type(event_type: str, sub_event_type: str) -> str:
    """ACLED disorder type of a sub-event type, e.g. "Political violence"."""
    entry = _taxonomy().get(sub_event_type)
    if entry is None or entry[0] != event_type:
        raise ValueError(f"({event_type!r}, {sub_event_type!r}) is not an ACLED event/sub-event type pair")
    return entry[1]


def _compile(text: Any, where: str) -> Phrase:
    if not isinstance(text, str) or not text.strip():
        raise ResourceError(f"{where}: phrases must be non-empty strings, got {text!r}")
    words: list[str] = []
    for piece in text.split():
        if piece.startswith(("=", "@")) or piece.startswith("ENT:"):
            words.append(piece)
        else:
            words.extend(w.lower() for w in piece.replace("–", "-").split("-") if w)
    first = words[0]
    plain = not (first.startswith(("=", "@", "ENT:")) or first.endswith("*") or first == "~")
    return Phrase(text, tuple(words), first if plain else None)


def _phrases(values: Any, groups: Mapping[str, tuple[Phrase, ...]], where: str) -> tuple[Phrase, ...]:
    if values is None:
        return ()
    if not isinstance(values, list):
        raise ResourceError(f"{where}: expected a list of phrases, got {type(values).__name__}")
    out: list[Phrase] = []
    for value in values:
        if isinstance(value, str) and value.startswith("@"):
            if value[1:] not in groups:
                raise ResourceError(f"{where}: unknown cue group {value!r}; defined: {sorted(groups)}")
            out.extend(groups[value[1:]])
        else:
            out.append(_compile(value, where))
    return tuple(out)


def load_lexicon(path: Path | None = None) -> EventLexicon:
    """Load and validate an event lexicon; the packaged one by default.

    Raises ResourceError naming the file and the problem when a label is not
    one of ACLED's 25 sub-event types, an event type does not match the
    taxonomy, a sub-event type has no rules, or a rule is malformed.
    """
    source = str(path) if path is not None else "fieldreport/data/event_lexicon.yaml"
    try:
        text = Path(path).read_text(encoding="utf-8") if path is not None else (
            _packaged("event_lexicon.yaml").read_text(encoding="utf-8"))
        data = yaml.safe_load(text)
    except (OSError, yaml.YAMLError) as exc:
        raise ResourceError(f"{source}: cannot read event lexicon: {exc}") from exc
    if not isinstance(data, dict) or not isinstance(data.get("sub_events"), dict):
        raise ResourceError(f"{source}: an event lexicon needs a 'sub_events' mapping")

    groups: dict[str, tuple[Phrase, ...]] = {}
    for name, values in (data.get("cue_groups") or {}).items():
        groups[name] = _phrases(values, groups, f"{source}: cue group {name!r}")

    taxonomy = _taxonomy()
    rules: list[Rule] = []
    for label, spec in data["sub_events"].items():
        where = f"{source}: {label!r}"
        if label not in taxonomy:
            close = difflib.get_close_matches(str(label), list(taxonomy), n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise ResourceError(f"{source}: unknown ACLED sub-event type {label!r}{hint}; "
                                "labels must match acled_taxonomy.json exactly")
        expected = taxonomy[label][0]
        if not isinstance(spec, dict) or spec.get("event_type") != expected:
            got = spec.get("event_type") if isinstance(spec, dict) else None
            raise ResourceError(f"{where}: event_type must be {expected!r}, got {got!r}")
        if not spec.get("rules"):
            raise ResourceError(f"{where}: needs at least one rule")
        for number, raw in enumerate(spec["rules"], 1):
            rules.append(_rule(raw, label, expected, groups, f"{where} rule {number}", len(rules)))
    missing = sorted(set(taxonomy) - set(data["sub_events"]))
    if missing:
        raise ResourceError(f"{source}: no rules for ACLED sub-event types {missing}")

    vetoes = tuple(
        Veto(str(v.get("name", "veto")), _weight(v.get("penalty"), f"{source}: veto penalty"),
             _phrases(v.get("cues"), groups, f"{source}: veto cues"),
             _phrases(v.get("unless"), groups, f"{source}: veto unless"),
             _min_cues(v.get("min_cues", 1), f"{source}: veto min_cues"))
        for v in data.get("vetoes") or ()
    )
    guards = _phrases(data.get("guards"), groups, f"{source}: guards")
    ranked = tuple(sorted(rules, key=lambda r: (-r.weight, r.order)))  # strongest first
    return EventLexicon(ranked, groups, guards, vetoes, source)


def _weight(value: Any, where: str) -> float:
    if not isinstance(value, (int, float)) or not 0.0 <= value <= 1.0:
        raise ResourceError(f"{where}: must be a number between 0 and 1, got {value!r}")
    return float(value)


def _min_cues(value: Any, where: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise ResourceError(f"{where}: must be a whole number of at least 1, got {value!r}")
    return value


def _object_place(value: Any, where: str) -> str | None:
    if value not in (None, False, True, "loose"):
        raise ResourceError(f"{where}: object_place must be true, false or loose, got {value!r}")
    return {None: None, False: None, True: "strict"}.get(value, value)


def _rule(raw: Any, label: str, event_type: str, groups: Mapping[str, tuple[Phrase, ...]],
          where: str, order: int) -> Rule:
    if not isinstance(raw, dict) or not raw.get("triggers"):
        raise ResourceError(f"{where}: a rule needs 'triggers'")
    unknown = set(raw) - RULE_KEYS
    if unknown:
        raise ResourceError(f"{where}: unknown keys {sorted(unknown)}; allowed {sorted(RULE_KEYS)}")
    actor = raw.get("actor")
    if actor is not None and (not isinstance(actor, list) or not set(actor) <= ACTOR_KINDS):
        raise ResourceError(f"{where}: actor must be a list drawn from {sorted(ACTOR_KINDS)}")
    target = raw.get("target")
    if target is not None and target not in TARGET_KINDS:
        raise ResourceError(f"{where}: target must be one of {sorted(TARGET_KINDS)}")
    main_clause = raw.get("main_clause", False)
    if not isinstance(main_clause, bool) and main_clause != "strict":
        raise ResourceError(f"{where}: main_clause must be true, false or strict, got {main_clause!r}")
    triggers = _phrases(raw["triggers"], groups, where)
    if any(w.startswith(("@", "ENT:")) for p in triggers for w in p.words):
        raise ResourceError(f"{where}: triggers cannot use @groups or ENT: labels")
    return Rule(
        label, event_type, triggers, _phrases(raw.get("with"), groups, where),
        _phrases(raw.get("without"), groups, where),
        frozenset(actor) if actor is not None else None, target,
        _object_place(raw.get("object_place"), where),
        _weight(raw.get("weight"), f"{where} weight"), order,
        _phrases(raw.get("object"), groups, f"{where} object"), main_clause,
    )


# ---------------------------------------------------------------- the parse


def _root(tokens: Sequence[Any]) -> Any:
    ids = {t.i for t in tokens}
    return next((t for t in tokens if t.head.i not in ids or t.head.i == t.i), tokens[0])


def _noun_phrase(token: Any) -> list[Any]:
    """The token, its left modifiers, and an "of X" complement ("fighters of IS")."""
    out = list(token.doc[token.left_edge.i : token.i + 1])
    for child in token.children:
        if child.dep_ == "prep" and child.lower_ == "of":
            out.extend(child.subtree)
    return out


def _with_conjuncts(tokens: Iterable[Any]) -> list[Any]:
    return list(dict.fromkeys(t for token in tokens for t in (token, *token.conjuncts)))


def _objects(token: Any, preps: frozenset[str]) -> list[Any]:
    found = []
    for child in token.children:
        if child.dep_ in PATIENT_DEPS:
            found.append(child)
        elif child.dep_ == "prep" and child.lower_ in preps:
            found.extend(p for p in child.children if p.dep_ == "pobj")
    return found


def _included(token: Any, found: list[Any]) -> list[Any]:
    """The members of an "including" list hung on ``token``."""
    return [o for c in token.children if c.dep_ == "prep" and c.lower_ == "including"
            for o in c.children if o.dep_ == "pobj" and o not in found]


def _patients(root: Any, preps: frozenset[str] = PATIENT_PREPS) -> list[Any]:
    """Who or what the trigger is done to, from the parse."""
    found = _objects(root, preps)
    # "44 people were killed, including 12 members of the regime forces":
    # the small parser hangs the list on the verb; its members are victims too
    found.extend(_included(root, found))
    if root.lemma_.lower() in VICTIM_SUBJECT_LEMMAS:
        found.extend(c for c in root.children if c.dep_ == "nsubj")
    for victim in list(found):  # ... or on the victims themselves: "98 persons including 18 soldiers"
        found.extend(_included(victim, found))
    for obj in list(found):  # "opened fire on X", "took control of X"
        found.extend(o for o in _objects(obj, preps) if o not in found)
    if root.dep_ in ("advcl", "xcomp", "conj", "acl", "pcomp", "ccomp") and root.head is not root:
        found.extend(o for o in _objects(root.head, preps) if o not in found)
    return _with_conjuncts(found)


def _agents(root: Any, span: Sequence[Any], depth: int = 0, climb: bool = True) -> list[Any]:
    """Who does it: subject, passive "by" agent, "fell to X", "under the control of X";
    ``climb``: else the subject of a clause the trigger hangs on."""
    last = span[-1]
    if last.lower_ in ("to", "of"):
        return _with_conjuncts(c for c in last.children if c.dep_ == "pobj")
    found: list[Any] = []
    for child in root.children:
        if child.dep_ in ("nsubj", "csubj"):
            found.append(root.head if child.lower_ in RELATIVE_PRONOUNS and root.dep_ == "relcl" else child)
        elif child.dep_ == "agent":
            found.extend(p for p in child.children if p.dep_ == "pobj")
        elif child.dep_ == "poss":
            found.append(child)
    if not climb:
        return _with_conjuncts(found)
    if not found and depth < 3 and root.dep_ in ("conj", "xcomp", "advcl", "pcomp") and root.head is not root:
        return _agents(root.head, [root.head], depth + 1)
    if not found and root.dep_ in ("dobj", "obj") and root.head is not root:
        # the subject of the verb whose object the trigger is: "gunmen opened
        # fire on", "protesters used live ammunition"
        return _agents(root.head, [root.head], depth + 1, climb=False)
    if not found and root.dep_ in ("relcl", "acl") and root.tag_ != "VBN":
        found.append(root.head)
    return _with_conjuncts(found)


def _in_modifier_clause(token: Any, strict: bool = False) -> bool:
    """The token sits in a relative clause, participle or apposition describing
    a noun ("Jabhat Fateh al-Sham, which renamed itself in July, ...");
    ``strict``: or in an adverbial clause ("... as border clashes entered their
    seventh day")."""
    deps = MODIFIER_DEPS | {"advcl"} if strict else MODIFIER_DEPS
    while token.head.i != token.i:
        if token.dep_ in deps:
            return True
        token = token.head
    return False


def _actor_kind(token: Any, sentence: _Sentence, groups: Mapping[str, tuple[Phrase, ...]]) -> str:
    """state | non_state | protester | unknown. A non-state word anywhere in
    the phrase wins ("rebel forces", "Houthi forces" are not the state)."""
    phrase = _noun_phrase(token)
    protester = sentence.np_hits(groups.get("protester", ()), phrase, token)
    if protester[0]:
        return "protester"
    if sentence.np_hits(groups.get("non_state_actor", ()), phrase, token)[1]:
        return "non_state"
    if sentence.np_hits(groups.get("state_actor", ()), phrase, token)[1]:
        return "state"
    if (token.lemma_.lower() in FORCE_NOUNS and any(t.lower_ in _nationalities() for t in phrase)
            and not any(t.lemma_.lower() in PROXY_WORDS for t in phrase)):
        return "state"  # "Iraqi forces", "Nigerian troops": a state's own, not "Turkish-backed forces"
    return "protester" if protester[1] else "unknown"


def _target_classes(patients: Sequence[Any], sentence: _Sentence,
                    groups: Mapping[str, tuple[Phrase, ...]]) -> set[str]:
    """Kinds of the targets: the head noun decides, else its modifiers."""
    classes = set()
    for token in patients:
        phrase = _noun_phrase(token)
        hits = {kind: [sentence.np_hits(groups.get(n, ()), phrase, token) for n in names]
                for kind, names in TARGET_GROUPS}
        for pick in (0, 1):
            kinds = [k for k, _ in TARGET_GROUPS if any(h[pick] for h in hits[k])]
            if kinds:
                classes.add(kinds[0])
                break
    return classes


def _is_place(tokens: Sequence[Any], sentence: _Sentence, groups: Mapping[str, tuple[Phrase, ...]],
              loose: bool) -> bool:
    """A place noun or entity, or a proper name the tagger left untyped; ``loose``
    also takes names tagged PERSON, as the small model tags many towns."""
    places = groups.get("place", ())
    not_place = NOT_PLACE_ENTS - {"PERSON"} if loose else NOT_PLACE_ENTS
    return any(t.ent_type_ in PLACE_ENTS or (t.pos_ == "PROPN" and t.ent_type_ not in not_place)
               or sentence.np_hits(places, _noun_phrase(t), t)[0] for t in tokens)


# ---------------------------------------------------------------- detection


def _rule_factor(rule: Rule, span: list[Any], sentence: _Sentence, lexicon: EventLexicon) -> float:
    """0 when the rule's conditions fail for this trigger, else a confidence factor."""
    if rule.with_any and not sentence.has(rule.with_any):
        return 0.0
    if rule.without and sentence.has(rule.without):
        return 0.0
    groups = lexicon.groups
    root = _root(span)
    if rule.main_clause and _in_modifier_clause(root, strict=rule.main_clause == "strict"):
        return 0.0
    if in_grievance(root):
        return 0.0
    if rule.objects and not any(sentence.np_hits(rule.objects, _noun_phrase(p), p)[0]
                                for p in _patients(root, PATIENT_PREPS | PLACE_PREPS)):
        return 0.0
    agents = _agents(root, span)
    if rule.actor is not None:
        kinds = [k for k in (_actor_kind(a, sentence, groups) for a in agents) if k != "unknown"]
        if (kinds[0] if kinds else "unknown") not in rule.actor:
            return 0.0
    if rule.object_place and not any(t.lower_ == "control" or t.lower_ == "hand" for t in span):
        loose = rule.object_place == "loose"
        if not _is_place(_patients(root, PATIENT_PREPS | PLACE_PREPS), sentence, groups, loose):
            return 0.0
    if rule.target is None:
        return 1.0
    classes = _target_classes(_patients(root), sentence, groups)
    if classes:
        if rule.target == "civilian":
            return 1.0 if classes == {"civilian"} else 0.0
        return 1.0 if rule.target in classes else 0.0
    # No classifiable target in the parse: fall back on cue words elsewhere
    # in the sentence, ignoring the words naming the actor and the source
    # ("the military said rebels fired on a vehicle carrying displaced people").
    sources = [t for t in sentence.tokens if t.dep_ == "nsubj" and t.head.lemma_ in SPEECH_VERBS]
    exclude = {t.i for a in (*agents, *sources) for t in _noun_phrase(a)}
    civilian = sentence.has(groups.get("civilian", ()), exclude)
    combatant = sentence.has(groups.get("combatant", ()), exclude)
    ok = {"civilian": civilian and not combatant, "combatant": combatant or not civilian,
          "protester": sentence.has(groups.get("protester", ()))}[rule.target]
    return CUE_TARGET_FACTOR if ok else 0.0


def _veto_factor(sentence: _Sentence, lexicon: EventLexicon) -> float:
    factor = 1.0
    for veto in lexicon.vetoes:
        lemma = sentence.toks.lemma
        cues = {" ".join(lemma[s:e]) for s, e in sentence.find(veto.cues)}
        if len(cues) >= veto.min_cues and not (veto.unless and sentence.has(veto.unless)):
            factor *= 1.0 - veto.penalty
    return factor


def _best_in_sentence(sent: Any, lexicon: EventLexicon) -> EventCandidate | None:
    sentence = _Sentence(sent, lexicon.guards)
    veto = _veto_factor(sentence, lexicon)
    if veto * max((r.weight for r in lexicon.rules), default=0.0) < MIN_SCORE:
        return None
    best: tuple[float, int, Rule, list[Any]] | None = None  # score, order, rule, trigger
    for rule in lexicon.rules:
        if best is not None and rule.weight * veto <= best[0]:
            break  # rules are ranked by weight: none left can win
        for start, end in sentence.find(rule.triggers):
            span = sentence.tokens[start:end]
            factor = _rule_factor(rule, span, sentence, lexicon)
            if factor > 0:
                score = rule.weight * factor * veto
                if best is None or (score, -rule.order) > (best[0], -best[1]):
                    best = (score, rule.order, rule, span)
                break
    if best is None or best[0] < MIN_SCORE:
        return None
    score, _, rule, span = best
    return EventCandidate(
        Span(sent.start_char, sent.end_char), Span(span[0].idx, span[-1].idx + len(span[-1].text)),
        rule.event_type, rule.sub_event_type, round(min(max(score, 0.0), 1.0), 3),
    )


def vetoed_sentences(doc: Any, lexicon: EventLexicon) -> tuple[Span, ...]:
    """Sentences a full veto rules out (a gas explosion, a flood, a football
    match): no rule codes them, and no model may add them either."""
    return tuple(Span(sent.start_char, sent.end_char) for sent in doc.sents
                 if _veto_factor(_Sentence(sent, lexicon.guards), lexicon) == 0.0)


def detect_events(doc: Any, lexicon: EventLexicon) -> tuple[EventCandidate, ...]:
    """One candidate per sentence of ``doc`` that reports a conflict event.

    ``doc`` is a parsed spaCy Doc of an article's whole clean text, so spans
    are absolute character offsets into that text. The candidate carries the
    best-scoring ACLED sub-event type for the sentence and the trigger words.
    """
    found = (_best_in_sentence(sent, lexicon) for sent in doc.sents)
    return tuple(c for c in found if c is not None)
