"""De-identification: typed placeholders for the identifiers a clinical or legal record holds.

``import domainkit.deid`` stays light: spaCy and the word lists load when a ``Deidentifier`` is
made.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from domainkit.deid.policy import DEID_OFF, PHI_TYPES, DeidPolicy
from domainkit.deid.spans import PhiSpan, Redaction

if TYPE_CHECKING:
    from domainkit.deid.audit import Audit
    from domainkit.deid.deidentifier import Deidentifier
    from domainkit.deid.fileio import deidentify_file

__all__ = [
    "DEID_OFF",
    "PHI_TYPES",
    "Audit",
    "DeidPolicy",
    "Deidentifier",
    "PhiSpan",
    "Redaction",
    "deidentify_file",
]

_LAZY = {
    "Audit": "domainkit.deid.audit",
    "Deidentifier": "domainkit.deid.deidentifier",
    "deidentify_file": "domainkit.deid.fileio",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'domainkit.deid' has no attribute {name!r}")
