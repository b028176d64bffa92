"""PHI spans, redactions and how placeholders replace spans in text."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

# When two detectors claim overlapping text, the merged span keeps the more specific type:
# an e-mail address beats the name inside it, a date beats the number inside it.
_TYPE_PRIORITY: dict[str, int] = {
    "EMAIL": 0,
    "URL": 1,
    "IP": 2,
    "PHONE": 3,
    "ID": 4,
    "DATE": 5,
    "AGE": 6,
    "ADDRESS": 7,
    "NAME": 8,
    "LOCATION": 9,
}


@dataclass(frozen=True, order=True)
class PhiSpan:
    """One identifier found in a text: ``text[start:end]`` of placeholder ``type``."""

    start: int
    end: int
    type: str

    def __post_init__(self) -> None:
        if not 0 <= self.start < self.end:
            raise ValueError(f"span needs 0 <= start < end, got {self.start}..{self.end}")
        if self.type not in _TYPE_PRIORITY:
            raise ValueError(f"unknown PHI type {self.type!r}")


@dataclass(frozen=True)
class Redaction:
    """The redacted text and the spans (offsets into the ORIGINAL text) that were replaced."""

    text: str
    spans: tuple[PhiSpan, ...]


def merge_spans(spans: Iterable[PhiSpan], text: str) -> tuple[PhiSpan, ...]:
    """Merge overlapping spans, and same-type spans separated only by spaces or a period.

    Merging adjacent same-type spans turns ``[NAME] [NAME]`` into one ``[NAME]`` (a first and a last
    name are one identifier) and keeps the placeholder count honest in the audit.
    """
    ordered = sorted(spans, key=lambda s: (s.start, -s.end))
    merged: list[PhiSpan] = []
    for span in ordered:
        if merged:
            last = merged[-1]
            overlaps = span.start < last.end
            touching = span.type == last.type and adjacent(text, last.end, span.start)
            if overlaps or touching:
                kind = min((last.type, span.type), key=_TYPE_PRIORITY.__getitem__)
                if overlaps and span.type != last.type and last.end - last.start >= span.end - span.start:
                    kind = last.type  # a longer span keeps its type over one it swallows
                merged[-1] = PhiSpan(last.start, max(last.end, span.end), kind)
                continue
        merged.append(span)
    return tuple(merged)


def adjacent(text: str, end: int, start: int) -> bool:
    """A span ending at ``end`` and one starting at ``start`` are apart by at most two spaces or
    periods: ``merge_spans`` joins such neighbours of one type ("Ann" "Lee", "Dr." "Lee")."""
    return 0 <= start - end <= 2 and text[end:start].strip(" .") == ""


def already_covered(position: tuple[int, int], spans: list[PhiSpan], protected: list[tuple[int, int]]) -> bool:
    """The characters at ``position`` are redacted by a span already, or part of a kept phrase
    ("Marcus Gunn pupil"): the widening passes add nothing there."""
    start, end = position
    return any(s.start < end and s.end > start for s in spans) or any(s < end and e > start for s, e in protected)


def apply_placeholders(text: str, spans: tuple[PhiSpan, ...]) -> str:
    """Replace each (merged, ordered) span with ``[TYPE]``."""
    pieces: list[str] = []
    cursor = 0
    for span in spans:
        pieces.append(text[cursor : span.start])
        pieces.append(f"[{span.type}]")
        cursor = span.end
    pieces.append(text[cursor:])
    return "".join(pieces)
