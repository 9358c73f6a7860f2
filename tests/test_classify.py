"""The trained sentence classifier and its vote with the event rules."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from fieldreport.config import Settings, load_settings
from fieldreport.errors import ResourceError
from fieldreport.records import EventCandidate, Span
from fieldreport.stages.classify import (
    NO_EVENT, Vote, classifier_labels, load_classifier, ngram_counts, refine_candidates,
    taxonomy_event_type, trigger_is_main, vote_label,
)
from fieldreport.stages.events import load_lexicon, vetoed_sentences
from fieldreport.train import (
    load_examples, models_dir, simulate_vote, training_files, training_hash, tune_vote,
)

KINDS = ("linear", "encoder")


@pytest.fixture(scope="module")
def linear() -> Any:
    return load_classifier("linear")


def test_shipped_default_model_was_trained_on_all_the_shipped_examples() -> None:
    meta = json.loads((models_dir() / "linear.json").read_text(encoding="utf-8"))
    assert meta["training_sha256"] == training_hash(), (
        "data/models/linear.* was trained on other examples than data/training/; "
        "rebuild it with: fieldreport train --kind linear")
    assert meta["examples"] == len(load_examples())
    assert tuple(meta["labels"]) == classifier_labels()


def test_shipped_encoder_was_trained_on_the_files_it_names() -> None:
    # The optional encoder needs torch to refit; it may lag behind the newest
    # example files (data/models/README.md says which), but the files it names
    # must be unchanged since it was fitted on them.
    meta = json.loads((models_dir() / "encoder.json").read_text(encoding="utf-8"))
    names = {path.name for path in training_files()}
    assert set(meta["training_files"]) <= names
    assert meta["training_sha256"] == training_hash(names=meta["training_files"]), (
        "an example file the encoder was fitted on has changed; rebuild it with: "
        "fieldreport train --kind encoder")
    assert tuple(meta["labels"]) == classifier_labels()


@pytest.mark.parametrize("kind", KINDS)
def test_shipped_weights_are_small_and_load_without_pickle(kind: str) -> None:
    path = models_dir() / f"{kind}.npz"
    assert path.stat().st_size < 20_000_000
    with np.load(path, allow_pickle=False) as weights:
        assert weights["coef"].shape[0] == len(classifier_labels())


def test_shipped_vocabulary_is_rebuilt_from_the_examples(linear: Any) -> None:
    from fieldreport.train import build_tfidf

    rebuilt = build_tfidf([e.text for e in load_examples()])
    assert rebuilt.terms == linear.tfidf.terms
    assert np.allclose(rebuilt.idf, linear.tfidf.idf, atol=1e-5)


def test_labels_are_the_25_acled_sub_event_types_and_no_event() -> None:
    labels = classifier_labels()
    assert len(labels) == 26 and labels[-1] == NO_EVENT
    assert all(taxonomy_event_type(label) for label in labels[:-1])
    assert taxonomy_event_type(NO_EVENT) is None


def test_ngrams_ignore_case_and_digit_values() -> None:
    assert ngram_counts("Killed 7 soldiers") == ngram_counts("killed 9 Soldiers")
    grams = ngram_counts("car bomb")
    assert grams["w:car bomb"] == 1 and grams["c: bo"] == 1


@pytest.mark.parametrize("text, label", [
    ("Thousands of teachers marched peacefully through the capital on Monday to demand higher pay.",
     "Peaceful protest"),
    ("A suicide bomber blew himself up at an army checkpoint, killing five soldiers.", "Suicide bomb"),
    ("Warplanes struck rebel positions near the town overnight, a monitor said.", "Air/drone strike"),
    ("Gunmen abducted three aid workers from their vehicle on the road to the camp.",
     "Abduction/forced disappearance"),
    ("The home side won the derby 2-1 with a late penalty.", NO_EVENT),
])
def test_linear_classifier_reads_plain_reports(linear: Any, text: str, label: str) -> None:
    assert linear.predict([text]) == [label]


VOTE = Vote(rule_bonus=1.5, drop_no_event=1.01, keep_score=1.01, add_event=1.01, retype=0.9)


def _proba(**weights: float) -> np.ndarray:
    labels = classifier_labels()
    p = np.full(len(labels), 1e-3)
    for label, value in weights.items():
        p[labels.index(label.replace("_", " "))] = value
    return p / p.sum()


def test_the_rule_label_wins_when_the_model_is_unsure() -> None:
    p = _proba(Attack=0.4, Armed_clash=0.35)
    assert vote_label(p, classifier_labels(), "Armed clash", VOTE) == "Armed clash"


def test_a_confident_model_relabels_within_the_rule_event_type() -> None:
    p = _proba(Grenade=0.8, Suicide_bomb=0.1)
    assert vote_label(p, classifier_labels(), "Remote explosive/landmine/IED", VOTE) == "Grenade"


def test_the_event_type_changes_only_when_the_model_is_very_sure() -> None:
    unsure = _proba(Peaceful_protest=0.5, Armed_clash=0.05)  # P = 0.87
    assert taxonomy_event_type(vote_label(unsure, classifier_labels(), "Armed clash", VOTE)) == "Battles"
    sure = _proba(Peaceful_protest=0.99)
    assert vote_label(sure, classifier_labels(), "Armed clash", VOTE) == "Peaceful protest"


@pytest.mark.parametrize("rule,model,stays", [
    # a bomb that kills civilians is still an explosion
    ("Remote explosive/landmine/IED", "Attack", "Explosions/Remote violence"),
    # demonstrators who threw stones make a riot, whatever the police did
    ("Violent demonstration", "Protest with intervention", "Riots"),
])
def test_a_sure_model_cannot_overturn_acled_precedence(rule: str, model: str, stays: str) -> None:
    sure = _proba(**{model.replace(" ", "_"): 0.99})
    assert taxonomy_event_type(vote_label(sure, classifier_labels(), rule, VOTE)) == stays


@pytest.mark.parametrize("rule", ["Protest with intervention", "Excessive force against protesters"])
@pytest.mark.parametrize("p_peaceful", [0.3, 0.99])
def test_police_force_the_parse_saw_is_never_read_away_as_a_peaceful_protest(rule: str, p_peaceful: float) -> None:
    # "Police detained thousands of protesters": the words look like any rally
    # to the model, sure or unsure, but the rule saw the police act.
    p = _proba(Peaceful_protest=p_peaceful)
    assert vote_label(p, classifier_labels(), rule, VOTE) != "Peaceful protest"


@pytest.mark.parametrize("p_rebels", [0.3, 0.99])
def test_a_town_the_government_took_is_never_read_away_as_taken_by_rebels(p_rebels: float) -> None:
    # "Government forces captured the town": the rule checked who took it.
    p = _proba(**{"Non-state_actor_overtakes_territory": p_rebels})
    assert vote_label(p, classifier_labels(), "Government regains territory", VOTE) == "Government regains territory"


@pytest.mark.parametrize("p_remote", [0.3, 0.99])
def test_a_suicide_bombing_is_never_read_away_as_a_planted_bomb(p_remote: float) -> None:
    # "Four female kamikazes went off near a bus station": the rule saw the bombers.
    p = _proba(**{"Remote_explosive/landmine/IED": p_remote})
    assert vote_label(p, classifier_labels(), "Suicide bomb", VOTE) == "Suicide bomb"


@pytest.mark.parametrize("main, expected", [(True, "Agreement"), (False, "Armed clash")])
def test_an_agreement_the_sentence_reports_outweighs_the_fighting_it_recalls(main: bool, expected: str) -> None:
    # "Rebels and troops exchanged prisoners near Aleppo, scene of the fiercest
    # fighting": the model reads the fighting; the rule's trigger is the main verb.
    p = _proba(Armed_clash=0.95, Agreement=0.02)
    assert vote_label(p, classifier_labels(), "Agreement", VOTE, main=main) == expected


@pytest.mark.parametrize("text, trigger, main", [
    ("Rebels and government troops exchanged prisoners near Aleppo, the scene of heavy fighting.",
     "exchanged prisoners", True),
    ("The two sides signed a ceasefire in Juba on Friday.", "ceasefire", True),
    ("Nine people were killed in shelling of the truce areas on Monday.", "truce", False),
])
def test_the_trigger_is_the_sentences_main_predicate(nlp: Any, text: str, trigger: str, main: bool) -> None:
    start = text.index(trigger)
    assert trigger_is_main(nlp(text), Span(start, start + len(trigger))) is main


def test_the_vectorised_vote_search_agrees_with_the_vote() -> None:
    rng = np.random.default_rng(0)
    labels = classifier_labels()
    proba = rng.dirichlet(np.full(len(labels), 0.3), size=300)
    rules = [(labels[i] if i < 25 else None, float(s)) for i, s in zip(rng.integers(0, 30, 300), rng.random(300))]
    gold = [labels[i] for i in rng.integers(0, len(labels), 300)]
    vote, accuracy = tune_vote(proba, rules, gold, {"rule_bonus": (1.0,), "drop_no_event": (0.5,),
                                                    "keep_score": (0.8,), "add_event": (0.0,),
                                                    "retype": (0.5,), "no_event_discount": (1.0,)})
    simulated = simulate_vote(proba, rules, vote)
    assert accuracy == pytest.approx(np.mean([s == g for s, g in zip(simulated, gold)]))


def test_rules_setting_means_no_classifier() -> None:
    assert load_classifier("rules") is None
    assert Settings().classifier == "linear"


def test_an_unknown_classifier_is_a_resource_error() -> None:
    with pytest.raises(ResourceError, match="unknown classifier"):
        load_classifier("forest")


def test_the_classifier_setting_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FIELDREPORT_CLASSIFIER", "rules")
    assert load_settings().classifier == "rules"


def test_a_damaged_model_file_names_the_fix(tmp_path: Path) -> None:
    (tmp_path / "linear.json").write_text("{}", encoding="utf-8")
    with pytest.raises(ResourceError, match="fieldreport train"):
        load_classifier("linear", tmp_path)


def test_without_a_classifier_candidates_pass_unchanged(nlp: Any) -> None:
    doc = nlp("Rebels attacked the base.")
    cand = EventCandidate(Span(0, 25), Span(7, 15), "Battles", "Armed clash", 0.8)
    assert refine_candidates(doc, (cand,), None) == (cand,)


def test_refined_candidates_keep_sentence_and_trigger(nlp: Any, linear: Any) -> None:
    text = "A suicide bomber blew himself up at an army checkpoint in Kabul, killing five soldiers."
    doc = nlp(text)
    trigger = Span(text.index("blew"), text.index("blew") + 4)
    cand = EventCandidate(Span(0, len(text)), trigger, "Explosions/Remote violence",
                          "Remote explosive/landmine/IED", 0.7)
    (out,) = refine_candidates(doc, (cand,), linear)
    assert (out.sentence, out.trigger, out.score) == (cand.sentence, cand.trigger, cand.score)
    assert out.sub_event_type == "Suicide bomb"


def test_the_model_adds_a_missed_report_but_never_a_sentence_without_conflict_words(
        nlp: Any, linear: Any) -> None:
    text = ("The league announced a new fixture list on Monday.\n"
            "Suspected jihadists torched the district office of Gorom-Gorom overnight.")
    added = refine_candidates(nlp(text), (), linear)
    assert [text[c.sentence.start:c.sentence.end] for c in added] == [text.splitlines()[1]]


def test_the_no_event_discount_adds_a_sentence_the_model_half_believes() -> None:
    # P(attack) 0.3 against P(no event) 0.5: added only once "no event" loses
    # a log-odds point (0.3 * e = 0.82 > 0.5); never when the attack is far less likely.
    strict = Vote(rule_bonus=2.0, drop_no_event=1.01, keep_score=1.01, add_event=0.0)
    lenient = Vote(rule_bonus=2.0, drop_no_event=1.01, keep_score=1.01, add_event=0.0, no_event_discount=1.0)
    assert not strict.adds(0.3, 0.5) and lenient.adds(0.3, 0.5)
    assert not lenient.adds(0.1, 0.8)


def test_no_sentence_is_added_to_a_match_report(nlp: Any, linear: Any) -> None:
    # The sport veto rules out the sentences that name the match; the short
    # quote between them ("a shot", "killed") is no shooting either.
    text = ("Al-Zawraa beat Al-Shorta 2-1 in the Baghdad derby at the packed Al-Shaab stadium on Friday.\n"
            "The winning goal came from the striker in the 84th minute after a clearance fell to him.\n"
            "\"It was a shot from nothing, and it killed us,\" the losing coach said.\n"
            "The visiting fans left the stadium before the final whistle, the club said.")
    doc = nlp(text)
    lexicon = load_lexicon()
    vetoed = vetoed_sentences(doc, lexicon)
    assert len(vetoed) >= 2
    assert refine_candidates(doc, (), linear, vetoed) == ()
    # the same shooting in a news article is added
    news = "Gunmen shot dead a shopkeeper in the market of Baquba on Tuesday, police said."
    assert len(refine_candidates(nlp(news), (), linear, vetoed_sentences(nlp(news), lexicon))) == 1


def test_encoder_classifier_reads_plain_reports() -> None:
    pytest.importorskip("sentence_transformers", reason="the encoder extra is not installed")
    pytest.importorskip("all_minilm_l6_v2", reason="the encoder extra is not installed")
    encoder = load_classifier("encoder")
    assert encoder is not None
    assert encoder.predict(["A suicide bomber blew himself up at an army checkpoint, killing five soldiers.",
                            "The home side won the derby 2-1 with a late penalty."]) == ["Suicide bomb", NO_EVENT]


def test_blend_averages_the_two_models_and_keeps_the_linear_vote(linear: Any) -> None:
    pytest.importorskip("sentence_transformers", reason="the encoder extra is not installed")
    pytest.importorskip("all_minilm_l6_v2", reason="the encoder extra is not installed")
    blend, encoder = load_classifier("blend"), load_classifier("encoder")
    assert blend is not None and encoder is not None
    reports = ["Warplanes struck a market in the town, killing nine civilians, residents said.",
               "Police fired tear gas to break up a march of teachers demanding unpaid wages.",
               "The central bank held interest rates steady for a third month."]
    a, b = linear.predict_proba(reports), encoder.predict_proba(reports)
    expected = np.sqrt(a * b)
    expected /= expected.sum(axis=1, keepdims=True)
    assert np.allclose(blend.predict_proba(reports), expected, atol=1e-6)
    assert blend.vote == linear.vote and blend.kind == "blend"
    assert blend.predict(reports) == ["Air/drone strike", "Protest with intervention", NO_EVENT]
