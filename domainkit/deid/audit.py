"""Audit of a de-identification run: counts per placeholder type, never any text."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from domainkit.deid.policy import PHI_TYPES
from domainkit.deid.spans import Redaction


@dataclass
class Audit:
    """How many documents were processed and how many identifiers of each type were replaced."""

    documents: int = 0
    counts: Counter[str] = field(default_factory=Counter)
    #: For a table de-identified by ``domainkit deid``: its text column, and the names of the
    #: columns kept and dropped (never their values); None elsewhere.
    columns: dict[str, object] | None = None

    def add(self, redaction: Redaction) -> None:
        self.documents += 1
        self.counts.update(span.type for span in redaction.spans)

    def add_all(self, redactions: Iterable[Redaction]) -> None:
        for redaction in redactions:
            self.add(redaction)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def to_dict(self) -> dict[str, object]:
        """Plain data for a run manifest: every type listed, zero where none was found."""
        return {
            "documents": self.documents,
            "redactions": self.total,
            "counts": {kind: int(self.counts.get(kind, 0)) for kind in PHI_TYPES},
            **({"columns": self.columns} if self.columns is not None else {}),
        }
