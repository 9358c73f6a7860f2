"""The public API: ``__all__`` lists exactly the public names, and importing loads no model."""

from __future__ import annotations

import subprocess
import sys

import fieldreport


def test_all_matches_the_public_names() -> None:
    public = {name for name in vars(fieldreport) if not name.startswith("_")}
    modules = {name for name in public if type(getattr(fieldreport, name)).__name__ == "module"}
    assert sorted(public - modules) == sorted(fieldreport.__all__)


def test_importing_fieldreport_loads_no_model_or_gazetteer() -> None:
    code = "import sys, fieldreport; print('spacy' in sys.modules, 'trafilatura' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "False"]
