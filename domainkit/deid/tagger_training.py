"""Train a PHI tagger on a team's own annotated notes (``domainkit tagger train``).

The rules and name lists generalise only as far as their authors saw; a team
that has annotated some of its own notes can teach the student (MiniLM-L6) to
tag PHI and pass the folder to ``domainkit deid --tagger DIR``.

Why sentences and not whole notes: PHI covers well under 1% of a note's word
pieces, and a tagger trained on whole notes learns to answer "O" everywhere.
Training uses every sentence that holds PHI plus a seeded sample of sentences
without (``negatives_per_positive`` of them per sentence with PHI).

What a user can count on:
- the target folder is written only when training has finished; an existing,
  non-empty folder is never touched;
- an interrupted run resumes from its last epoch (the unfinished work lives in
  a hidden ``.NAME.partial`` folder beside the target, weights trained on PHI
  included; a run with other notes or settings starts that folder afresh, with
  a warning; it is removed when the tagger is in place);
- ``tagger_card.json`` in the folder records the settings, counts per type and
  (with ``holdout``) exact-span scores on held-out notes, never any text.
  The weights were trained on PHI and may reproduce identifiers they saw:
  keep the folder as protected as the notes.
"""

from __future__ import annotations

import hashlib
import json
import random
import re
import shutil
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from domainkit.atomic import write_json
from domainkit.deid.annotations import AnnotatedNotes, Span
from domainkit.deid.surrogates import augment
from domainkit.deid.tagger import TAGGER_MAX_LENGTH, TAGGER_STRIDE
from domainkit.errors import DataError
from domainkit.heads.token import PIECE_LABELS_VERSION
from domainkit.log import get_logger

log = get_logger(__name__)

TAGGER_CARD = "tagger_card.json"
_SETTINGS = "settings.json"
_SENTENCE_END = re.compile(r"\n+|(?<=[.!?])\s+")


@dataclass(frozen=True)
class TaggerTrainingConfig:
    epochs: float = 3.0
    learning_rate: float = 1e-4
    negatives_per_positive: float = 4.0
    surrogate_copies: int = 0  # copies of each sentence with PHI, identifiers swapped (domainkit.deid.surrogates)
    holdout: float = 0.0  # share of notes kept aside to measure the tagger (0: train on all)
    seed: int = 13

    def __post_init__(self) -> None:
        if not 0.0 <= self.holdout < 1.0:
            raise DataError(f"--holdout must be in [0, 1); found {self.holdout}", hint="e.g. --holdout 0.2")
        for option, value, low in (("--epochs", self.epochs, 0), ("--learning-rate", self.learning_rate, 0)):
            if value <= low:
                raise DataError(f"{option} must be positive; found {value}")
        if self.negatives_per_positive < 0:
            raise DataError(f"--negatives must be at least 0; found {self.negatives_per_positive}")
        if self.surrogate_copies < 0:
            raise DataError(f"--surrogates must be at least 0; found {self.surrogate_copies}", hint="e.g. --surrogates 2")


def sentence_examples(
    texts: list[str], spans: list[list[Span]], *, negatives_per_positive: float, seed: int
) -> tuple[list[str], list[list[Span]], int]:
    """Sentences holding PHI plus a seeded sample of those without; returns texts, spans, n with PHI."""
    rng = random.Random(seed)
    positives, negatives = [], []
    for text, note_spans in zip(texts, spans, strict=True):
        start = 0
        for match in [*_sentence_ends(text, note_spans), None]:
            end = match.start() if match else len(text)
            inside = [(s - start, e - start, k) for s, e, k in note_spans if start <= s and e <= end]
            if text[start:end].strip():
                (positives if inside else negatives).append((text[start:end], inside))
            start = match.end() if match else end
    rng.shuffle(negatives)
    chosen = positives + negatives[: int(len(positives) * negatives_per_positive)]
    rng.shuffle(chosen)
    return [t for t, _ in chosen], [s for _, s in chosen], len(positives)


def _sentence_ends(text: str, spans: list[Span]) -> list[re.Match]:
    """Sentence boundaries of ``text``, except those inside a span.

    "St. Mary's Hospital" or an address over two lines must stay one sentence:
    cut, the span would be lost and its pieces trained as PHI-free text.
    """
    return [m for m in _SENTENCE_END.finditer(text) if not any(s < m.end() and m.start() < e for s, e, _ in spans)]


def holdout_split(n_notes: int, fraction: float, seed: int) -> tuple[list[int], list[int]]:
    """Seeded split of note indices into (train, held out); held out is empty for fraction 0."""
    order = list(range(n_notes))
    random.Random(seed).shuffle(order)
    n_held = round(n_notes * fraction)
    if fraction and not 0 < n_held < n_notes:
        raise DataError(f"--holdout {fraction} leaves no notes on one side of {n_notes}", hint="annotate more notes or change --holdout")
    return sorted(order[n_held:]), sorted(order[:n_held])


def train_phi_tagger(notes: AnnotatedNotes, out_dir: Path, *, base: Path, config: TaggerTrainingConfig) -> dict[str, Any]:
    """Train, measure (with ``config.holdout``) and write the tagger to ``out_dir``; returns its card."""
    from domainkit.heads.token import train_token_classifier

    out_dir = Path(out_dir).resolve()
    _refuse_existing(out_dir)
    train_idx, held_idx = holdout_split(len(notes.texts), config.holdout, config.seed)
    texts, spans, n_positive = sentence_examples(
        [notes.texts[i] for i in train_idx], [notes.spans[i] for i in train_idx],
        negatives_per_positive=config.negatives_per_positive, seed=config.seed)
    texts, spans = augment(texts, spans, copies=config.surrogate_copies, seed=config.seed)
    if n_positive == 0:
        raise DataError(f"none of the {len(train_idx)} training notes holds an annotated span "
                        f"({len(held_idx)} notes are held out)", hint="lower --holdout or annotate more notes")
    entity_types = sorted({kind for note_spans in notes.spans for _, _, kind in note_spans})
    settings = {"base": str(base), **asdict(config), "entity_types": entity_types,
                "max_length": TAGGER_MAX_LENGTH, "stride": TAGGER_STRIDE, "training_data": training_fingerprint(texts, spans),
                "piece_labels": PIECE_LABELS_VERSION}
    partial = _partial_folder(out_dir, settings)
    model_dir, trained_marker = partial / "model", partial / "trained"
    started = time.perf_counter()
    if not trained_marker.is_file():  # a run stopped after training (while measuring) does not train again
        log.info("training the PHI tagger on %d sentences (%d with PHI) of %d notes; unfinished work is kept in %s",
                 len(texts), n_positive, len(train_idx), partial)
        train_token_classifier(
            base, texts, spans, model_dir, entity_types=entity_types, max_length=TAGGER_MAX_LENGTH,
            stride=TAGGER_STRIDE, epochs=config.epochs, learning_rate=config.learning_rate, seed=config.seed,
            resume=True, progress=True)
        trained_marker.write_text("", encoding="utf-8")
    card = {
        "what": "PHI token classifier for `domainkit deid --tagger DIR`",
        "warning": "trained on notes holding PHI; the weights may reproduce identifiers they saw: "
                   "keep this folder as protected as the notes",
        "source": notes.source,
        "settings": {k: v for k, v in settings.items() if k != "training_data"},
        "notes": {"train": len(train_idx), "held_out": len(held_idx)},
        "sentences": {"train": len(texts), "with_phi": n_positive,
                      "surrogate_copies": n_positive * config.surrogate_copies},
        "spans_per_type": notes.type_counts(),
        "skipped_types": notes.skipped_types,
        "dropped_spans": notes.dropped_spans,
        "seconds_this_run": round(time.perf_counter() - started, 1),
        "held_out_exact_spans": _measure(model_dir, notes, held_idx) if held_idx else None,
    }
    write_json(model_dir / TAGGER_CARD, card)
    _refuse_existing(out_dir, finished=partial)  # something may have appeared there meanwhile
    if out_dir.is_dir():
        out_dir.rmdir()  # empty (checked above): the finished model takes its place
    model_dir.rename(out_dir)
    shutil.rmtree(partial, ignore_errors=True)
    return card


def _refuse_existing(out_dir: Path, finished: Path | None = None) -> None:
    if out_dir.exists() and (not out_dir.is_dir() or any(out_dir.iterdir())):
        where = f"; the finished tagger waits in {finished / 'model'}" if finished else "; nothing was written"
        raise DataError(f"{out_dir} already exists and is not empty{where}",
                        hint="choose another --out, or remove the folder yourself")


def training_fingerprint(texts: list[str], spans: list[list[Span]]) -> str:
    """A hash of the training sentences and spans: a resumed or reused tagger must come from the same data."""
    digest = hashlib.sha256()
    for text, note_spans in zip(texts, spans, strict=True):
        digest.update(text.encode())
        digest.update(json.dumps(note_spans).encode())
    return digest.hexdigest()


def _partial_folder(out_dir: Path, settings: dict[str, Any]) -> Path:
    """The scratch folder for ``out_dir``: reused when an interrupted run had the same settings."""
    partial = out_dir.with_name(f".{out_dir.name}.partial")
    record = partial / _SETTINGS
    if partial.is_dir() and not recorded_settings_match(record, settings):
        log.warning("the unfinished tagger in %s was trained with other notes or settings: starting afresh", partial)
        shutil.rmtree(partial)
    elif partial.is_dir():
        log.info("resuming the unfinished tagger in %s", partial)
    partial.mkdir(parents=True, exist_ok=True)
    write_json(record, settings)
    return partial


def recorded_settings_match(record: Path, settings: dict[str, Any]) -> bool:
    """Whether the JSON settings record at ``record`` exists and equals ``settings``."""
    return record.is_file() and json.loads(record.read_text(encoding="utf-8")) == settings


def _measure(model_dir: Path, notes: AnnotatedNotes, held_idx: list[int]) -> dict[str, Any]:
    """Exact-span precision, recall and F1 on the held-out notes, overall and per type."""
    from domainkit.heads.token import evaluate_spans, predict_spans

    gold = [notes.spans[i] for i in held_idx]
    predicted = predict_spans(model_dir, [notes.texts[i] for i in held_idx],
                              max_length=TAGGER_MAX_LENGTH, stride=TAGGER_STRIDE)
    scores: dict[str, Any] = {"overall": _rounded(evaluate_spans(predicted, gold))}
    for kind in sorted({k for note_spans in gold for _, _, k in note_spans}):
        only = [[s for s in note_spans if s[2] == kind] for note_spans in predicted]
        scores[kind] = _rounded(evaluate_spans(only, [[s for s in g if s[2] == kind] for g in gold]))
    return scores


def _rounded(scores: dict[str, float]) -> dict[str, float]:
    return {k: round(v, 4) for k, v in scores.items()}
