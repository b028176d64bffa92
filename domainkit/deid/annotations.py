"""Read a team's own PHI-annotated notes, to train a PHI tagger on them.

Two layouts are accepted (the two that annotation tools export most):
- one JSONL file, one note per line: ``{"text": ..., "spans": [...]}``, each
  span ``{"start": 0, "end": 5, "type": "NAME"}`` or ``[0, 5, "NAME"]``;
- a notes table plus a spans table (CSV, TSV, JSONL or Parquet), as in the
  PhysioNet deid corpus: the spans table has ``start``, ``end`` and ``type``
  columns, and every column the two tables share (``patient``, ``note``, ...)
  names the note a span belongs to.

Annotation schemes name their types differently (i2b2's DOCTOR, PhysioNet's
HCPName, ...): :data:`TYPE_ALIASES` maps the common ones to the placeholder
types of :data:`domainkit.deid.policy.PHI_TYPES`, and ``type_map`` adds or
overrides mappings (``"skip"`` drops a type). Every problem names the file,
the row (1-based, header = row 1) and what to fix; messages never quote text.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from domainkit.data.byod import read_table, require_column
from domainkit.deid.policy import PHI_TYPES
from domainkit.errors import DataError

#: A span as offsets into its note's text and a placeholder type.
Span = tuple[int, int, str]

#: ``type_map`` value that drops the spans of a type from training.
SKIP = "skip"

#: Common annotation types -> placeholder types (keys lower-case). PhysioNet
#: deid (HCPName, PTName, RelativeProxyName, PTNameInitial, DateYear, Other)
#: and i2b2 2014 (PATIENT, DOCTOR, HOSPITAL, MEDICALRECORD, ...).
TYPE_ALIASES: dict[str, str] = {
    **{t.lower(): t for t in PHI_TYPES},
    "hcpname": "NAME", "ptname": "NAME", "relativeproxyname": "NAME", "ptnameinitial": "NAME",
    "patient": "NAME", "doctor": "NAME", "username": "NAME", "person": "NAME",
    "dateyear": "DATE",
    "hospital": "LOCATION", "city": "LOCATION", "state": "LOCATION", "country": "LOCATION",
    "organization": "LOCATION", "location-other": "LOCATION", "street": "ADDRESS", "zip": "ADDRESS",
    "fax": "PHONE", "telephone": "PHONE",
    "medicalrecord": "ID", "idnum": "ID", "healthplan": "ID", "account": "ID", "license": "ID",
    "device": "ID", "bioid": "ID", "vehicle": "ID", "other": "ID",
}  # fmt: skip

SPAN_COLUMNS = ("start", "end", "type")


@dataclass
class AnnotatedNotes:
    """Notes and their gold spans (placeholder types), in file order."""

    texts: list[str]
    spans: list[list[Span]]
    source: str
    skipped_types: dict[str, int] = field(default_factory=dict)

    def type_counts(self) -> dict[str, int]:
        return dict(sorted(Counter(kind for spans in self.spans for _, _, kind in spans).items()))


def parse_type_map(pairs: list[str] | None) -> dict[str, str]:
    """``["HCPName=NAME", "Profession=skip"]`` -> ``{"hcpname": "NAME", "profession": "skip"}``."""
    mapping = {}
    for pair in pairs or []:
        source, sep, target = pair.partition("=")
        target = target.strip()
        if not sep or not source.strip() or not target:
            raise DataError(f"--type-map {pair!r} is not OLD=NEW", hint="e.g. --type-map DOCTOR=NAME")
        if target.upper() not in PHI_TYPES and target.lower() != SKIP:
            raise DataError(f"--type-map {pair!r}: {target!r} is no placeholder type",
                            hint=f"use one of {', '.join(PHI_TYPES)} or {SKIP}")
        mapping[source.strip().lower()] = SKIP if target.lower() == SKIP else target.upper()
    return mapping


def load_annotated(
    path: Path, *, spans_path: Path | None = None, text_column: str = "text", type_map: dict[str, str] | None = None
) -> AnnotatedNotes:
    """Read annotated notes (see the module docstring for the two layouts)."""
    path = Path(path)
    types = {**TYPE_ALIASES, **(type_map or {})}
    skipped: Counter = Counter()
    if spans_path is None:
        texts, raw = _read_jsonl_with_spans(path, text_column)
    else:
        texts, raw = _read_notes_and_spans(path, Path(spans_path), text_column)
    spans = []
    for text, note_spans in zip(texts, raw, strict=True):
        kept = []
        for start, end, kind, where in note_spans:
            target = _placeholder_type(kind, types, where)
            if target == SKIP:
                skipped[kind] += 1
                continue
            if not (0 <= start < end <= len(text)):
                raise DataError(f"{where}: span {start}-{end} does not lie inside its note ({len(text)} characters)",
                                hint="offsets are 0-based character positions, end exclusive")
            kept.append((start, end, target))
        spans.append(sorted(kept))
    if not any(spans):
        raise DataError(f"{path}: no annotated spans to learn from", hint="check the spans file and --type-map")
    return AnnotatedNotes(texts, spans, str(path), dict(skipped))


def _placeholder_type(kind: str, types: dict[str, str], where: str) -> str:
    target = types.get(str(kind).strip().lower())
    if target is None:
        raise DataError(f"{where}: unknown PHI type {kind!r}",
                        hint=f"map it with --type-map {kind}=TYPE, TYPE one of {', '.join(PHI_TYPES)} or {SKIP}")
    return target


# -- layout 1: one JSONL file --------------------------------------------------------------------
def _read_jsonl_with_spans(path: Path, text_column: str) -> tuple[list[str], list[list]]:
    if path.suffix.lower() != ".jsonl":
        raise DataError(f"{path}: without --spans the input must be JSONL with a 'spans' field per note",
                        hint="or pass the notes table and --spans SPANS_TABLE")
    frame = read_table(path)
    require_column(frame, text_column, "--text-column", path)
    require_column(frame, "spans", "a 'spans' field", path)
    texts, spans = [], []
    for row, (text, note_spans) in enumerate(zip(frame[text_column], frame["spans"], strict=True), start=1):
        where = f"{path}: line {row}"
        texts.append(_checked_text(text, where, text_column))
        if not isinstance(note_spans, list):
            raise DataError(f"{where}: 'spans' is not a list", hint='write "spans": [{"start": 0, "end": 5, "type": "NAME"}]')
        spans.append([(*_span_fields(span, where), where) for span in note_spans])
    return texts, spans


def _span_fields(span, where: str) -> tuple[int, int, str]:
    if isinstance(span, dict) and all(k in span for k in SPAN_COLUMNS):
        values = [span[k] for k in SPAN_COLUMNS]
    elif isinstance(span, list) and len(span) == 3:
        values = span
    else:
        raise DataError(f"{where}: a span is neither {{start, end, type}} nor [start, end, type]")
    return _offset(values[0], where, "start"), _offset(values[1], where, "end"), str(values[2])


# -- layout 2: notes table + spans table ---------------------------------------------------------
def _read_notes_and_spans(path: Path, spans_path: Path, text_column: str) -> tuple[list[str], list[list]]:
    notes, table = read_table(path), read_table(spans_path)
    require_column(notes, text_column, "--text-column", path)
    for column in SPAN_COLUMNS:
        require_column(table, column, f"a {column!r} column", spans_path)
    keys = [c for c in notes.columns if c in table.columns and c not in (text_column, *SPAN_COLUMNS)]
    if not keys:
        raise DataError(f"{spans_path}: shares no column with {path} to say which note a span belongs to",
                        hint="give both files the same id column(s), e.g. note_id")
    row_of: dict[tuple, int] = {}
    texts = []
    for row, record in enumerate(notes.to_dict("records")):
        key = tuple(str(record[k]) for k in keys)
        if key in row_of:
            raise DataError(f"{path}: row {row + 2} repeats the id ({', '.join(keys)}) of row {row_of[key] + 2}",
                            hint="each note needs its own id")
        row_of[key] = row
        texts.append(_checked_text(record[text_column], f"{path}: row {row + 2}", text_column))
    spans: list[list] = [[] for _ in texts]
    for row, record in enumerate(table.to_dict("records")):
        where = f"{spans_path}: row {row + 2}"
        note = row_of.get(tuple(str(record[k]) for k in keys))
        if note is None:
            raise DataError(f"{where}: no note in {path} has this id ({', '.join(keys)})",
                            hint="every span must point at a note of the notes file")
        spans[note].append((_offset(record["start"], where, "start"), _offset(record["end"], where, "end"),
                            str(record["type"]), where))
    return texts, spans


# -- cells ---------------------------------------------------------------------------------------
def _checked_text(value, where: str, column: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise DataError(f"{where}: column {column!r} is empty or not text", hint="every note needs its text")
    return value


def _offset(value, where: str, name: str) -> int:
    try:
        number = int(str(value).strip())
    except ValueError:
        raise DataError(f"{where}: {name} is not a whole number", hint="offsets are 0-based character positions") from None
    if number < 0:
        raise DataError(f"{where}: {name} is negative", hint="offsets are 0-based character positions")
    return number

