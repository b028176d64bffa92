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
the row (CSV/TSV: 1-based with the header as row 1; JSONL: line; Parquet:
record) and what to fix. Messages never quote note text: a type value is
shown only when it looks like a type name (a tool that exports the span's
text in that field would otherwise leak it).
"""

from __future__ import annotations

import math
import re
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
    "device": "ID", "bioid": "ID", "vehicle": "ID",
}  # fmt: skip
# Deliberately absent: catch-all types such as PhysioNet's "Other" (an ID? a place?): the user decides with --type-map.

SPAN_COLUMNS = ("start", "end", "type")
#: Annotation tools (Prodigy, doccano) call the type ``label``.
TYPE_COLUMNS = ("type", "label")
_TYPE_NAME = re.compile(r"^[A-Za-z][\w .-]{0,39}$")


@dataclass
class AnnotatedNotes:
    """Notes and their gold spans (placeholder types), in file order."""

    texts: list[str]
    spans: list[list[Span]]
    source: str
    skipped_types: dict[str, int] = field(default_factory=dict)
    dropped_spans: dict[str, int] = field(default_factory=dict)  # duplicates, overlaps

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
    path: Path, *, spans_path: Path | None = None, text_column: str = "text",
    type_map: dict[str, str] | None = None, id_columns: list[str] | None = None,
) -> AnnotatedNotes:
    """Read annotated notes (see the module docstring for the two layouts)."""
    path = _existing(Path(path))
    types = {**TYPE_ALIASES, **(type_map or {})}
    if spans_path is None:
        texts, raw = _read_jsonl_with_spans(path, text_column)
    else:
        texts, raw = _read_notes_and_spans(path, _existing(Path(spans_path)), text_column, id_columns)
    skipped: Counter = Counter()
    dropped: Counter = Counter()
    spans = []
    for text, note_spans in zip(texts, raw, strict=True):
        kept = []
        for start, end, kind, where in note_spans:
            target = _placeholder_type(kind, types, where)
            if target == SKIP:
                skipped[kind.strip().lower()] += 1
                continue
            if not (0 <= start < end <= len(text)):
                raise DataError(f"{where}: span {start}-{end} does not lie inside its note ({len(text)} characters)",
                                hint="offsets are 0-based character positions, end exclusive")
            kept.append((start, end, target))
        spans.append(_without_overlaps(kept, dropped))
    if not any(spans):
        raise DataError(f"{path}: no annotated spans to learn from", hint="check the spans and --type-map")
    return AnnotatedNotes(texts, spans, str(path), dict(skipped), dict(dropped))


def _existing(path: Path) -> Path:
    if not path.is_file():
        raise DataError(f"{path}: no such file", hint="check the path")
    return path


def _placeholder_type(kind: str, types: dict[str, str], where: str) -> str:
    target = types.get(kind.strip().lower())
    if target is None:
        shown, example = _shown_type(kind.strip())
        raise DataError(f"{where}: unknown PHI type {shown}",
                        hint=f"map it with --type-map {example}=TYPE, TYPE one of {', '.join(PHI_TYPES)} or {SKIP}")
    return target


def _shown_type(kind: str) -> tuple[str, str]:
    """How a message shows an unknown type, and the OLD of its --type-map example.

    A type column can be the wrong column (the spans' text, a patient's name): a value is shown
    only when it looks like a type name and the de-identification rules find no identifier in it.
    """
    from domainkit.deid.labels import redacted_labels

    if not _TYPE_NAME.match(kind):
        return "(not shown: it does not look like a type name)", "OLD"
    if redacted_labels([kind]) != [kind]:
        return "(not shown: it holds what de-identification takes for an identifier)", "OLD"
    return repr(kind), kind


def _without_overlaps(spans: list[Span], dropped: Counter) -> list[Span]:
    """Spans sorted, exact duplicates and spans overlapping a longer/earlier one removed (counted).

    A word piece takes one BIO label: of two overlapping spans the tagger can learn one.
    """
    kept: list[Span] = []
    for span in sorted(set(spans), key=lambda s: (s[0], -(s[1] - s[0]), s[2])):
        if kept and span[0] < kept[-1][1]:
            dropped["overlapping"] += 1
        else:
            kept.append(span)
    dropped["duplicate"] += len(spans) - len(set(spans))
    return kept


def _row(path: Path, index: int) -> str:
    """How a user finds record ``index`` (0-based) of a table in their editor."""
    kind = path.suffix.lower()
    if kind == ".jsonl":
        return f"{path}: line {index + 1}"
    if kind == ".parquet":
        return f"{path}: record {index + 1}"
    return f"{path}: row {index + 2}"  # header is row 1


# -- layout 1: one JSONL file --------------------------------------------------------------------
def _read_jsonl_with_spans(path: Path, text_column: str) -> tuple[list[str], list[list]]:
    if path.suffix.lower() != ".jsonl":
        raise DataError(f"{path}: without --spans the input must be JSONL with a 'spans' field per note",
                        hint="or pass the notes table and --spans SPANS_TABLE")
    frame = read_table(path)
    require_column(frame, text_column, "--text-column", path)
    require_column(frame, "spans", "a 'spans' field on each note", path)
    texts, spans = [], []
    for index, (text, note_spans) in enumerate(zip(frame[text_column], frame["spans"], strict=True)):
        where = _row(path, index)
        texts.append(_checked_text(text, where, text_column))
        if _is_missing(note_spans):
            note_spans = []  # a note without PHI may leave the field out
        if not isinstance(note_spans, list):
            raise DataError(f"{where}: 'spans' is not a list", hint='write "spans": [{"start": 0, "end": 5, "type": "NAME"}]')
        spans.append([(*_span_fields(span, where), where) for span in note_spans])
    return texts, spans


def _span_fields(span, where: str) -> tuple[int, int, str]:
    kind_key = next((k for k in TYPE_COLUMNS if isinstance(span, dict) and k in span), None)
    if isinstance(span, dict) and "start" in span and "end" in span and kind_key:
        values = [span["start"], span["end"], span[kind_key]]
    elif isinstance(span, list) and len(span) == 3:
        values = span
    else:
        raise DataError(f"{where}: a span is neither {{start, end, type}} nor [start, end, type]")
    return _offset(values[0], where, "start"), _offset(values[1], where, "end"), str(values[2])


# -- layout 2: notes table + spans table ---------------------------------------------------------
def _read_notes_and_spans(
    path: Path, spans_path: Path, text_column: str, id_columns: list[str] | None
) -> tuple[list[str], list[list]]:
    notes, table = read_table(path), read_table(spans_path)
    require_column(notes, text_column, "--text-column", path)
    for column in ("start", "end"):
        require_column(table, column, f"a {column!r} column", spans_path)
    type_column = next((c for c in TYPE_COLUMNS if c in table.columns), "type")
    require_column(table, type_column, "a 'type' (or 'label') column", spans_path)
    keys = _id_columns(notes, table, path, spans_path, text_column, id_columns)
    row_of: dict[tuple, int] = {}
    texts = []
    for index, record in enumerate(notes.to_dict("records")):
        where = _row(path, index)
        key = tuple(_id_cell(record[k], where, k) for k in keys)
        if key in row_of:
            raise DataError(f"{where} repeats the id ({', '.join(keys)}) of {_row(path, row_of[key]).split(': ')[-1]}",
                            hint="each note needs its own id")
        row_of[key] = index
        texts.append(_checked_text(record[text_column], where, text_column))
    spans: list[list] = [[] for _ in texts]
    for index, record in enumerate(table.to_dict("records")):
        where = _row(spans_path, index)
        note = row_of.get(tuple(_id_cell(record[k], where, k) for k in keys))
        if note is None:
            raise DataError(f"{where}: no note in {path} has this id ({', '.join(keys)})",
                            hint="ids are compared as text after trimming spaces (7 and 007 differ); "
                                 "every span must point at a note of the notes file")
        spans[note].append((_offset(record["start"], where, "start"), _offset(record["end"], where, "end"),
                            _type_cell(record[type_column], where), where))
    return texts, spans


def _id_columns(notes, table, path: Path, spans_path: Path, text_column: str, chosen: list[str] | None) -> list[str]:
    if chosen:
        for column in chosen:
            require_column(notes, column, "--id-columns", path)
            require_column(table, column, "--id-columns", spans_path)
        return list(chosen)
    keys = [c for c in notes.columns if c in table.columns and c not in (text_column, *SPAN_COLUMNS, *TYPE_COLUMNS)]
    if not keys:
        raise DataError(f"{spans_path}: shares no column with {path} to say which note a span belongs to",
                        hint="give both files the same id column(s), e.g. note_id, or name them with --id-columns")
    return keys


# -- cells ---------------------------------------------------------------------------------------
def _is_missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _checked_text(value, where: str, column: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise DataError(f"{where}: column {column!r} is empty or not text", hint="every note needs its text")
    return value


def _id_cell(value, where: str, column: str) -> str:
    """An id as text: whole floats (7.0, from a column with gaps) read as 7."""
    if _is_missing(value) or not str(value).strip():
        raise DataError(f"{where}: id column {column!r} is empty", hint="every note and span needs its id")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _type_cell(value, where: str) -> str:
    if _is_missing(value) or not str(value).strip():
        raise DataError(f"{where}: the span's type is empty", hint=f"use one of {', '.join(PHI_TYPES)}")
    return str(value)


def _offset(value, where: str, name: str) -> int:
    if _is_missing(value) or (isinstance(value, str) and not value.strip()):
        raise DataError(f"{where}: {name} is empty", hint="offsets are 0-based character positions")
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    try:
        number = int(str(value).strip())
    except ValueError:
        raise DataError(f"{where}: {name} is not a whole number", hint="offsets are 0-based character positions") from None
    if number < 0:
        raise DataError(f"{where}: {name} is negative", hint="offsets are 0-based character positions")
    return number
