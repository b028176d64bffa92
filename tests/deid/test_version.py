"""The rules fingerprint covers every module that decides what is redacted."""

from __future__ import annotations

import re
from pathlib import Path

from domainkit.deid.version import RULE_MODULES

DEID = Path(__file__).resolve().parents[2] / "domainkit" / "deid"
# Imported by the de-identifier without deciding what is redacted.
NOT_RULES = {"parallel"}


def test_every_module_the_deidentifier_uses_is_fingerprinted():
    source = (DEID / "deidentifier.py").read_text(encoding="utf-8")
    used = set(re.findall(r"from domainkit\.deid\.(\w+) import", source)) - NOT_RULES
    assert "keep_rules" in used
    assert {f"{name}.py" for name in used} <= set(RULE_MODULES)
