"""Actors: find dictionary actors in text (``ActorDictionary.find``, a token trie built
once at load), then decide who did what to whom from the dependency parse (``assign_roles``)."""

from __future__ import annotations

import re
import unicodedata
from collections import namedtuple
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from ..errors import ResourceError
from ..records import ActorMention, Span

# ACLED actor categories (taxonomy/acled.json, "actor_categories").
ACTOR_CATEGORIES: dict[int, str] = {
    1: "State forces", 2: "Rebel group", 3: "Political militia", 4: "Identity militia",
    5: "Rioters", 6: "Protesters", 7: "Civilians", 8: "External/Other forces",
}
ARMED = frozenset({1, 2, 3, 4, 8})

_BATTLES = {"Armed clash", "Government regains territory", "Non-state actor overtakes territory"}
_EXPLOSIONS = {"Chemical weapon", "Air/drone strike", "Suicide bomb", "Shelling/artillery/missile attack",
               "Remote explosive/landmine/IED", "Grenade"}
_VAC = {"Sexual violence", "Attack", "Abduction/forced disappearance"}
_PROTESTS = {"Peaceful protest", "Protest with intervention", "Excessive force against protesters"}
_RIOTS = {"Violent demonstration", "Mob violence"}
# Perpetrators of these are rarely named; ACLED then codes an Unidentified Armed Group.
_UNCLAIMED = {"Remote explosive/landmine/IED", "Suicide bomb", "Grenade", "Attack", "Abduction/forced disappearance"}
# Planted or thrown by someone unnamed: state forces named beside them without a role are the target.
_PLANTED = {"Remote explosive/landmine/IED", "Suicide bomb", "Grenade"}
UNIDENTIFIED_ARMED_GROUP, _CIVILIANS, _PROTESTERS, _RIOTERS = (
    f"{n} ({{country}})" for n in ("Unidentified Armed Group", "Civilians", "Protesters", "Rioters"))

_TOKEN_RE = re.compile(r"(?:[A-Za-z]\.){2,}|\w+(?:['’‘`ʼ]\w+)*")
_APOSTROPHES = str.maketrans("", "", "'’‘`ʼ.")
# Arabic article spellings: el-, an-, ash-, ad-... all compare as "al".
_ARTICLES = frozenset({"el", "an", "ar", "as", "ash", "at", "ad", "az", "ath", "adh", "ud", "ul", "ed"})
_THE_COUNTRIES = ("United ", "Central African Republic", "Democratic Republic", "Philippines", "Netherlands")


def _possessive(token: str) -> bool:
    return len(token) > 2 and token[-2] in "'’‘`ʼ" and token[-1] in "sS"


def _case_form(token: str) -> str:
    """The token as written, minus diacritics, apostrophes, dots and a possessive 's."""
    if not token.isascii():
        token = "".join(c for c in unicodedata.normalize("NFKD", token) if not unicodedata.combining(c))
    return (token[:-2] if _possessive(token) else token).translate(_APOSTROPHES)


def _norm(case_form: str) -> str:
    return "al" if (low := case_form.lower()) in _ARTICLES else low


def _tokenize(text: str) -> list[tuple[int, int, str]]:
    """(start, end, case form); a possessive 's stays outside the end offset."""
    return [(m.start(), m.end() - 2 * _possessive(m.group()), _case_form(m.group())) for m in _TOKEN_RE.finditer(text)]


def _forms(alias: str, entry: ActorEntry | None) -> list[tuple[str, frozenset[str] | None]]:  # (norm, case rule)
    if not (words := [_case_form(t) for t in _TOKEN_RE.findall(alias)]):
        raise ResourceError(f"actor {entry.name if entry else ''!r}: alias {alias!r} has no words")
    return [(_norm(w), _case_rule(w)) for w in words]


def _case_rule(case_form: str) -> frozenset[str] | None:
    """Acronym tokens (capitals after the first letter) must keep their case;
    4+ capitals may also be written Titlecase ("Isis"), short ones (IS, US) may not."""
    letters = "".join(c for c in case_form if c.isalpha())
    if len(letters) < 2 or letters[1:].islower():
        return None
    return frozenset({case_form, case_form.title()} if letters.isupper() and len(letters) >= 4 else {case_form})


@dataclass(frozen=True)
class ActorEntry:
    name: str  # canonical name; "{country}" / "{period}" placeholders for generic actors
    category: int
    country: str | None
    aliases: tuple[str, ...]
    prefixed_aliases: tuple[str, ...] = ()
    identity: bool = False
    common_noun: bool = False  # "police", "civilians": takes nationality prefixes


# An alias in the trie; a "named" group may absorb "fighters" after it and "members of the" before it.
_Terminal = namedtuple("_Terminal", "case name category country named")


def fill_actor_name(name: str, country: str | None, periods: Mapping[str, str] | None = None) -> str:
    """Fill a generic name ("Police Forces of {country}{period}") with a country,
    or drop the placeholder with its " of " / parentheses when the country is unknown."""
    if "{" not in name:
        return name
    if not country:  # "Police Forces of {country}{period}" -> "Police Forces"
        return re.sub(r"\s*\(\{country\}\)|\s+of \{country\}|\{period\}|\{country\}", "", name).strip()
    period, the = (periods or {}).get(country), "the " if country.startswith(_THE_COUNTRIES) else ""
    name = name.replace(" of {country}", f" of {the}{country}").replace("{country}", country)
    return name.replace("{period}", f" ({period})" if period else "")


class ActorDictionary:
    """Canonical actors and their aliases, compiled once into a token trie."""

    def __init__(self, entries: Sequence[ActorEntry], demonyms: Mapping[str, str] | None = None,
                 member_nouns: Sequence[str] = (), state_force_periods: Mapping[str, str] | None = None):
        self.entries = tuple(entries)
        self.demonyms = dict(demonyms or {})
        self.state_force_periods = dict(state_force_periods or {})
        self._trie: dict[str, Any] = {}  # norm -> child node; "" -> the aliases ending here
        self.alias_count = 0
        for entry in self.entries:  # explicit aliases first: they win over prefix expansions
            for alias in entry.aliases:
                self._add(_forms(alias, entry), entry.name, entry, entry.country, not (entry.common_noun or entry.identity))
                self.alias_count += 1
        prefixes = [(_forms(p, None), c) for p, c in self.demonyms.items()]
        for entry in (e for e in self.entries if e.common_noun):  # "Nigerian army", "Iraq's police"
            aliases = [_forms(alias, entry) for alias in entry.aliases + entry.prefixed_aliases]
            for prefix, country in prefixes:
                name = fill_actor_name(entry.name, country, self.state_force_periods)
                for alias in aliases:
                    self._add(prefix + alias, name, entry, country, False)
        self._members = {tuple(norm for norm, _ in _forms(n, None)) for n in member_nouns}
        self._max_member = max((len(m) for m in self._members), default=0)

    def _add(self, forms: list[tuple[str, Any]], name: str, entry: ActorEntry, country: str | None, named: bool) -> None:
        node = self._trie
        for norm, _ in forms:
            node = node.setdefault(norm, {})
        node.setdefault("", []).append(_Terminal(tuple(r for _, r in forms), name, entry.category, country, named))

    def _longest(self, toks: list[tuple[int, int, str]], norms: list[str], i: int) -> tuple[int, _Terminal] | None:
        node, j, best = self._trie, i, None
        while j < len(norms) and (node := node.get(norms[j])) is not None:
            j += 1
            for term in node.get("", ()):
                if all(rule is None or rule.__contains__(toks[i + k][2]) for k, rule in enumerate(term.case)):
                    best = (j, term)
                    break
        return best

    def _member_at(self, norms: list[str], i: int) -> int:
        """Length of a member noun ("fighters", "suicide bomber") starting at token i, or 0."""
        longest = min(self._max_member, len(norms) - i)
        return next((n for n in range(longest, 0, -1) if tuple(norms[i : i + n]) in self._members), 0)

    def find(self, text: str) -> tuple[ActorMention, ...]:
        """Every actor mention in ``text``: longest match wins, no overlaps."""
        toks = _tokenize(text)
        norms = [_norm(t[2]) for t in toks]
        found, i = [], 0  # a match jumps past its last token, so mentions never overlap
        while i < len(toks):
            start_tok, hit, member = i, None, self._member_at(norms, i)
            if member and i + member < len(toks) and norms[i + member] in ("of", "from"):
                k = i + member + 1 + (i + member + 1 < len(toks) and norms[i + member + 1] == "the")
                if (nested := self._longest(toks, norms, k)) and nested[1].named:
                    hit = nested  # "jihadists of the Islamic State"
            if (hit := hit or self._longest(toks, norms, i)) is None:
                i += 1
                continue
            end_tok, term = hit
            if term.named:  # "Islamic State militants", "Hezbollah suicide bomber"
                end_tok += self._member_at(norms, end_tok)
            start, end = toks[start_tok][0], _close_bracket(text, toks[start_tok][0], toks[end_tok - 1][1])
            found.append(ActorMention(start, end, term.name, term.category, term.country))
            i = end_tok
        return tuple(found)


def _close_bracket(text: str, start: int, end: int) -> int:
    """A faction in brackets keeps its closing bracket: "ULFA(I)", "NSCN (IM)"."""
    opened = text.count("(", start, end) > text.count(")", start, end)
    return end + 1 if opened and text[end : end + 1] == ")" else end


_ENTRY_KEYS = {"name", "category", "country", "aliases", "prefixed_aliases", "identity", "common_noun"}


def _validate(raw: Any, where: str) -> ActorEntry:
    if not isinstance(raw, dict) or not isinstance(raw.get("name"), str):
        raise ResourceError(f"{where}: every actor entry needs a 'name' string, got {raw!r}")
    name, category, country = raw["name"], raw.get("category"), raw.get("country")
    aliases, prefixed = raw.get("aliases") or [], raw.get("prefixed_aliases") or []
    problem = (
        f"has unknown keys {sorted(set(raw) - _ENTRY_KEYS)}" if set(raw) - _ENTRY_KEYS
        else f"has unknown ACLED category {category!r} (expected 1-8)"
        if category not in ACTOR_CATEGORIES or isinstance(category, bool)
        else "needs a non-empty list of alias strings"
        if not aliases or not all(isinstance(a, str) and a.strip() for a in [*aliases, *prefixed])
        else "must have country: null (its name holds {country})" if "{country}" in name and country is not None
        else "is an identity group: it must be category 7 and named '... Group'"
        if raw.get("identity") and (category != 7 or "Group" not in name)
        else None
    )
    if problem:
        raise ResourceError(f"{where}: actor {name!r} {problem}")
    return ActorEntry(name, category, country, tuple(dict.fromkeys(aliases)), tuple(dict.fromkeys(prefixed)),
                      bool(raw.get("identity")), bool(raw.get("common_noun")))


def read_dictionary_yaml(path: Path | None, packaged: str) -> Any:
    try:
        source = Path(path) if path is not None else resources.files("fieldreport.data").joinpath(packaged)
        return yaml.safe_load(source.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ResourceError(f"cannot read actor dictionary {path or packaged}: {exc}") from exc


def load_actor_dictionary(path: Path | None = None) -> ActorDictionary:
    """Load and validate ``actors.yaml`` (the packaged one by default) plus the
    packaged ``demonyms.yaml`` (or a ``demonyms.yaml`` next to ``path``)."""
    where = str(path or "actors.yaml")
    data = read_dictionary_yaml(path, "actors.yaml")
    if not isinstance(data, dict) or not isinstance(data.get("actors"), list):
        raise ResourceError(f"{where}: expected a mapping with an 'actors' list")
    entries = [_validate(raw, where) for raw in data["actors"]]
    if twice := sorted({e.name for e in entries if sum(f.name == e.name for f in entries) > 1}):
        raise ResourceError(f"{where}: actors listed twice: {twice}")
    beside = Path(path).with_name("demonyms.yaml") if path else None  # a custom dictionary may bring its own
    dem = read_dictionary_yaml(beside if beside and beside.exists() else None, "demonyms.yaml") or {}
    demonyms = dict(dem.get("demonyms") or {})
    demonyms.update({c: c for c in set(demonyms.values())} | (dem.get("country_names") or {}))  # "Iraq's army"
    return ActorDictionary(entries, demonyms, data.get("member_nouns") or (), data.get("state_force_periods") or {})


@lru_cache(maxsize=1)
def default_state_force_periods() -> Mapping[str, str]:
    return dict((read_dictionary_yaml(None, "actors.yaml") or {}).get("state_force_periods") or {})


@dataclass(frozen=True)
class Roles:
    """Who did what to whom, ACLED style; spans point at the words (None when inferred)."""

    actor1: str | None = None
    actor2: str | None = None
    assoc_actor_1: tuple[str, ...] = ()
    assoc_actor_2: tuple[str, ...] = ()
    inter1: int | None = None
    inter2: int | None = None
    civilian_targeting: bool = False
    actor1_span: Span | None = None
    actor2_span: Span | None = None

    @property
    def interaction(self) -> int | None:
        return interaction_code(self.inter1, self.inter2)


def interaction_code(cat1: int | None, cat2: int | None) -> int | None:
    """ACLED interaction: lower digit first (13, never 31); one-sided = digit then 0."""
    cats = sorted(c for c in (cat1, cat2) if c)
    return cats[0] * 10 + (cats[1] if len(cats) == 2 else 0) if cats else None


def inter_label(cat: int) -> str:
    if cat not in ACTOR_CATEGORIES:
        raise ValueError(f"unknown ACLED actor category {cat!r} (expected 1-8)")
    return ACTOR_CATEGORIES[cat]


def is_identity(m: ActorMention) -> bool:
    """Identity groups (validated at load: category 7, named '... Group')."""
    return m.category == 7 and " Group" in m.name


_NOMINAL = {"NOUN", "PROPN", "PRON", "NUM", "ADJ", "X"}
_MODIFIER_DEPS = {"compound", "amod", "nmod", "poss", "nummod", "appos", "det", "quantmod"}
_TARGET_PREPS = {"on", "against", "at", "upon", "targeting", "toward", "towards", "into", "of", "over", "among", "inside", "with"}
_ALLY_PREPS = {"alongside", "along", "beside"}
_ALLY_VERBS = {"back", "support", "aid", "assist", "accompany", "join", "help", "reinforce", "cover", "lead"}
_CLAUSE_BREAKS = {"ccomp", "parataxis", "relcl", "acl", "csubj"}
SPEECH_VERBS = {"say", "tell", "report", "claim", "deny", "accuse", "state", "announce", "add", "confirm"}
_RECIPROCAL = {"clash", "fight", "battle", "skirmish", "exchange", "engage", "clashes", "fighting"}
_WH = {"who", "that", "which", "whom"}
_DEP_ROLES = {"nsubjpass": "patient", "agent": "agent", "dobj": "patient", "obj": "patient", "dative": "patient"}


def _tokens_in(doc: Any, start: int, end: int) -> list[Any]:
    return list(doc.char_span(start, end, alignment_mode="expand") or [])


def _root(tokens: list[Any]) -> Any:
    ids = {t.i for t in tokens}  # the last word whose head lies outside the mention ("Iraqi *troops*")
    return next((t for t in reversed(tokens) if t.head.i not in ids or t.head.i == t.i), tokens[-1])


def _has_subject(tok: Any) -> bool:  # its own subject, not a relative "who"/"that"
    return any(c.dep_ in ("nsubj", "nsubjpass") and c.lower_ not in _WH for c in tok.children)


def _passive(tok: Any) -> bool:
    return any(c.dep_ in ("auxpass", "nsubjpass") for c in tok.children)


def _phrase_head(tok: Any, trig: set[int]) -> Any:
    """Climb from a mention's head word to its noun phrase's head (not across "and")."""
    while tok.i not in trig and tok.head.i != tok.i and tok.head.i not in trig:
        head = tok.head
        if tok.dep_ in _MODIFIER_DEPS and head.pos_ in _NOMINAL:
            tok = head
        elif (tok.dep_ == "pobj" and head.lower_ in ("of", "among", "from")
              and head.head.pos_ in _NOMINAL and head.head.i not in trig):
            tok = head.head  # "dozens of protesters", "members of the PMF"
        else:
            break
    return tok


def _relation(child: Any, head: Any) -> str | None:
    """Grammatical role of the phrase under ``child`` relative to ``head``."""
    dep, word = child.dep_, child.lower_
    if dep in ("nsubj", "csubj"):
        return "patient" if _passive(head) else "agent"
    if dep in ("poss", "compound", "amod", "nmod"):  # "an IS attack", "the coalition's strikes"
        return "agent" if head.pos_ in ("NOUN", "PROPN") else None
    if dep == "prep":  # "strike by X", "clashes between X and Y", "attack on X", "alongside X"
        return {"by": "agent", "between": "between"}.get(word) or (
            "patient" if word in _TARGET_PREPS else "ally" if word in _ALLY_PREPS else None)
    return _DEP_ROLES.get(dep)


def _role(x: Any, trig_head: Any) -> tuple[str | None, int, Any | None]:
    """(role, path length, ally_of) of the phrase headed by ``x`` for the trigger."""
    chain = [trig_head, *trig_head.ancestors]
    pos = {t.i: k for k, t in enumerate(chain)}
    if x.i in pos:  # x is the trigger, or the trigger sits in a clause modifying x
        k = pos[x.i]
        below = chain[k - 1] if k else x
        if below is x:
            return "agent", 0, None
        if below.dep_ == "relcl":  # "militants who attacked" / "civilians whom IS killed"
            return ("patient" if _passive(trig_head) or _has_subject(below) else "agent"), k, None
        if below.dep_ == "acl":  # "civilians killed by IS" / "gunmen killing civilians"
            return ("patient" if below.tag_ == "VBN" else "agent"), k, None
        return None, k, None
    path = [x]
    while path[-1].head.i not in pos and path[-1].head.i != path[-1].i:
        path.append(path[-1].head)
    m = path[-1].head
    at = next((j for j, t in enumerate(path[1:], 1) if t.pos_ in ("VERB", "AUX")), None)
    if at is not None:  # x hangs off a verb outside the trigger's chain
        verb = path[at]
        rel = _relation(path[at - 1], verb)
        if verb.lemma_ in _ALLY_VERBS and rel == "agent" and verb.dep_ in ("acl", "relcl"):
            return "ally", len(path), verb.head  # "troops backed by coalition aircraft"
        if verb.lemma_ in SPEECH_VERBS:  # "rescue workers said the strike killed eight": a source, no side
            return None, len(path) + 1, None
        shared = all(t.dep_ in ("conj", "xcomp", "advcl") for t in path[at:])  # "stormed X, killing Y"
        return (rel if shared and not any(_has_subject(t) for t in path[at + 1 :]) else None), len(path) + 1, None
    k = pos[m.i]
    for t in chain[:k]:  # x attaches above the trigger: same event only through plain links
        if t.dep_ in _CLAUSE_BREAKS or (t.pos_ in ("VERB", "AUX") and _has_subject(t)):
            return None, len(path) + k, None
    return _relation(path[-1], m), len(path) + k, None


@dataclass(eq=False)
class _Phrase:
    head: Any
    actors: list[ActorMention] = field(default_factory=list)
    identities: list[ActorMention] = field(default_factory=list)
    identity_heads: bool = False  # "Yazidis were killed", not "a Yazidi village"
    role: str | None = None
    distance: int = 99
    conj_of: Any | None = None
    ally_of: Any | None = None

    @property
    def start(self) -> int:
        return min(m.start for m in self.actors + self.identities)

    @property
    def main(self) -> ActorMention | None:  # a named group over a common noun in the same phrase
        return next((m for m in self.actors if m.name not in _COMMON_NAMES), self.actors[0] if self.actors else None)


_COMMON_NAMES = {UNIDENTIFIED_ARMED_GROUP, _CIVILIANS, _PROTESTERS, _RIOTERS, "Rebel Forces ({country})",
                 "Military Forces of {country}{period}", "Police Forces of {country}{period}"}


def assign_roles(doc: Any, sentence: Span, trigger: Span, mentions: Sequence[ActorMention],
                 sub_event_type: str, country: str | None = None, *,
                 periods: Mapping[str, str] | None = None) -> Roles:
    """ACLED roles for one event trigger from the sentence's dependency parse.

    ``doc`` is the spaCy Doc of the whole article (token.idx are absolute offsets);
    ``mentions`` may cover the article: only those inside ``sentence`` are used.
    ``country`` (the event's) fills generic names ("Police Forces of {country}")
    and makes state forces of another country External/Other forces (8).
    ``periods`` defaults to the packaged ``state_force_periods``."""
    periods = default_state_force_periods() if periods is None else periods
    inside = sorted((m for m in mentions if sentence.start <= m.start and m.end <= sentence.end),
                    key=lambda m: m.start)
    trig_tokens = _tokens_in(doc, trigger.start, trigger.end) or _tokens_in(doc, sentence.start, sentence.end)
    phrases: dict[int, _Phrase] = {}
    if trig_tokens:
        trig_head, trig = _root(trig_tokens), {t.i for t in trig_tokens}
        for m in inside:
            if not (toks := _tokens_in(doc, m.start, m.end)):
                continue
            root = _root(toks)
            head = _phrase_head(root, trig)
            ph = phrases.setdefault(head.i, _Phrase(head))
            if is_identity(m):
                ph.identities.append(m)
                ph.identity_heads |= root.dep_ not in ("amod", "compound", "nmod", "poss")
            elif ph.actors and any(t.dep_ == "cc" and ph.actors[-1].end <= t.idx < m.start for t in head.subtree):
                # "the YPG and Turkish troops" parsed as one noun phrase: still two actors
                phrases[-m.start - 1] = _Phrase(head, [m], conj_of=head)
            else:
                ph.actors.append(m)
        for ph in phrases.values():
            tok = ph.head
            while tok.dep_ == "conj" and tok.head.pos_ in _NOMINAL and tok.head.i not in trig:
                tok = ph.conj_of = _phrase_head(tok.head, trig)  # "the army and the PMF": the army
            ph.role, ph.distance, ph.ally_of = _role(ph.conj_of or ph.head, trig_head)
            if ph.role == "between":
                ph.role = "patient" if ph.conj_of is not None else "agent"
            if not ph.actors and not ph.identity_heads:
                ph.role = "skip"
        reciprocal = trig_head.lemma_ in _RECIPROCAL or trig_head.lower_ in _RECIPROCAL
        if reciprocal and not any(p.role == "patient" for p in phrases.values()):
            for ph in phrases.values():  # "the army and IS clashed": conjuncts are opponents
                if ph.role == "agent" and ph.conj_of is not None:
                    ph.role, ph.conj_of = "patient", None
        for ph in (p for p in phrases.values() if p.role == "ally"):  # "backed by", "alongside": that side's associate
            target = phrases.get(ph.ally_of.i) if ph.ally_of is not None else None
            ph.role, ph.conj_of = (target.role if target else "agent"), (ph.ally_of or ph.head)
    return _code(sorted(phrases.values(), key=lambda p: p.start), inside, sub_event_type, country, periods)


def _side(phrases: list[_Phrase], role: str, battle: bool) -> list[_Phrase]:
    chosen = [p for p in phrases if p.role == role and (not battle or (p.main and p.main.category in ARMED))]
    return sorted(chosen, key=lambda p: (p.conj_of is not None, p.distance, p.start))


def _pack(side: list[_Phrase], pattern: str, cat: int) -> tuple[ActorMention | None, list[ActorMention]]:
    """The side's main actor and its associates (coordinated or allied groups, identities)."""
    if not side:
        return None, []
    first, main, assoc = side[0], side[0].main, list(side[0].identities)
    if main is None and first.identities:  # "Yazidis were killed": Civilians, with Yazidi associated
        main = ActorMention(first.identities[0].start, first.identities[0].end, pattern, cat)
    for ph in side[1:]:
        assoc += ([ph.main] if ph.main else []) + ph.identities if ph.conj_of is not None else []
    return main, assoc


def _code(phrases: list[_Phrase], inside: list[ActorMention], sub: str, country: str | None,
          periods: Mapping[str, str]) -> Roles:
    crowd_cat, crowd_name = (6, _PROTESTERS) if sub in _PROTESTS else (5, _RIOTERS) if sub in _RIOTS else (7, _CIVILIANS)
    agents, patients = (_side(phrases, role, sub in _BATTLES) for role in ("agent", "patient"))
    if not patients and len(agents) > 1 and agents[1].conj_of is None:
        patients = [agents.pop(1)]  # "Iraqi forces repelled an IS attack": one agent each way
    taken = {id(p) for p in agents + patients}
    spare = [p for p in phrases if id(p) not in taken and p.role != "skip" and p.main and p.main.category in ARMED]
    if not agents and sub in _PLANTED:  # "a bomb exploded near a police vehicle": the police are the target
        patients = patients or [p for p in spare if p.main.category == 1][:1]
        spare = [p for p in spare if p.main.category != 1]
    if not agents and spare and (sub in _BATTLES or sub in _EXPLOSIONS or sub in _VAC):
        agents = [spare.pop(0)]  # the parse linked no one: the first armed actor named
    if sub in _BATTLES and not patients and agents:
        patients = [p for p in spare if p.main.name != agents[0].main.name][:1]
    (a1, assoc1), (a2, assoc2) = _pack(agents, crowd_name, crowd_cat), _pack(patients, _CIVILIANS, 7)
    civilian_targeting = sub in _VAC or (sub in _EXPLOSIONS and a2 is not None and a2.category == 7)
    if sub in _PROTESTS or sub in _RIOTS:
        crowd = next((m for m in inside if m.category in (5, 6)), None)
        # Who the crowd is: identity words on it, and named unarmed groups acting with it ("Sadrists").
        members = [m for p in phrases if crowd in p.actors or p in agents for m in p.identities]
        members += [m for p in agents for m in p.actors if m.category not in (1, 5, 6, 7, 8)]
        crowd_m = (ActorMention(crowd.start, crowd.end, crowd_name, crowd_cat) if crowd
                   else a1 if agents and agents[0].main is None  # "Kurds demonstrated"
                   else ActorMention(-1, -1, crowd_name, crowd_cat))
        force = next((m for m in inside if m.category in (1, 8)), None)
        if sub == "Excessive force against protesters":
            a1, assoc1, a2, assoc2 = force, [], crowd_m, members
        elif sub == "Mob violence":
            a1, assoc1, a2 = crowd_m, members, a2 if a2 is not None and a2.category not in (5, 6) else None
        else:
            a1, assoc1, assoc2 = crowd_m, members, []
            a2 = force if sub in ("Protest with intervention", "Violent demonstration") else None
    elif sub in _VAC and (a2 is None or a2.category != 7):
        a2 = next((m for m in inside if m.category == 7 and not is_identity(m)), ActorMention(-1, -1, _CIVILIANS, 7))
    if a1 is None and sub in _UNCLAIMED:
        a1 = ActorMention(-1, -1, UNIDENTIFIED_ARMED_GROUP, 3)

    def name(m: ActorMention) -> str:
        return fill_actor_name(m.name, m.country or country, periods)

    def category(m: ActorMention) -> int:  # state forces abroad are external forces in ACLED
        return 8 if m.category == 1 and m.country and country and m.country != country else m.category

    if a1 is not None and a2 is not None and name(a1) == name(a2):
        a2, assoc2 = None, []
    main1, main2 = (name(a1) if a1 else None), (name(a2) if a2 else None)
    return Roles(
        actor1=main1, actor2=main2,
        assoc_actor_1=tuple(dict.fromkeys(n for n in map(name, assoc1) if n not in (main1, main2))),
        assoc_actor_2=tuple(dict.fromkeys(n for n in map(name, assoc2) if n not in (main1, main2))),
        inter1=category(a1) if a1 else None, inter2=category(a2) if a2 else None,
        civilian_targeting=civilian_targeting,
        actor1_span=Span(a1.start, a1.end) if a1 is not None and a1.start >= 0 else None,
        actor2_span=Span(a2.start, a2.end) if a2 is not None and a2.start >= 0 else None,
    )
