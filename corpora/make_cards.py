"""Write the corpus cards (``corpora/<corpus>.md`` + ``.json``) from the installed corpora.

Every number in a card comes from here, never typed by hand: source, version,
checksum, counts, label distribution per split, and a TF-IDF + logistic
regression baseline on the pack's grouped split next to a plain stratified
split of the same rows (the difference is what near-duplicate grouping costs a
model that memorises).

    python corpora/make_cards.py            # all cards: ~5 minutes on 2 idle cores, ~11 on busy ones
    python corpora/make_cards.py --only hpo --no-baselines
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

from domainkit.data.taskdata import MULTI_LABEL, TaskData

HERE = Path(__file__).resolve().parent
SEED = 13

#: Floors quoted from shared CORPORA.md (TF-IDF + LR, plain stratified 80/20).
FLOORS = {
    "hpo-organ-system": {"accuracy": 0.885, "macro_f1": 0.80},
    "icd10-chapter": {"accuracy": 0.963, "macro_f1": None},
    "license-notice": {"accuracy": 0.854, "macro_f1": 0.84},
    "license-category": {"accuracy": 0.749, "macro_f1": 0.55},
}


def _corpora() -> dict[str, dict[str, Any]]:
    from domainkit_legal import licensedcode
    from domainkit_legal.pack import LegalPack
    from domainkit_medical import hpo, icd10cm
    from domainkit_medical.pack import MedicalPack

    def hpo_counts() -> dict[str, Any]:
        terms = hpo.load()["terms"]
        return {
            "terms (non-obsolete)": len(terms),
            "terms with a definition": sum(bool(t["definition"]) for t in terms),
            "synonyms": sum(len(t["synonyms"]) for t in terms),
            "comments": sum(bool(t["comment"]) for t in terms),
            "defined terms under exactly one organ system": sum(
                bool(t["definition"]) and len(t["systems"]) == 1 for t in terms
            ),
            "defined terms under several organ systems": sum(
                bool(t["definition"]) and len(t["systems"]) > 1 for t in terms
            ),
        }

    def icd_counts() -> dict[str, Any]:
        data = icd10cm.load()
        return {
            "codes": len(data["codes"]),
            "leaf codes (no sub-codes; some still need a 7th character to be billable)": sum(c["leaf"] for c in data["codes"]),
            "chapters": len({c["chapter"] for c in data["codes"]}),
            "blocks": len({c["block"] for c in data["codes"]}),
            "notes (inclusion, excludes, code first/also ...)": len(data["notes"]),
        }

    def licence_counts() -> dict[str, Any]:
        lics = licensedcode.load_licenses()["licenses"]
        return {
            "licence files": len(lics),
            "deprecated": sum(lic["deprecated"] for lic in lics),
            "empty text": sum(not lic["text"] for lic in lics),
            "not English": sum(lic["language"] != "en" for lic in lics),
            "words (all texts)": sum(len(lic["text"].split()) for lic in lics),
            "categories": dict(Counter(lic["category"] for lic in lics).most_common()),
        }

    def rule_counts() -> dict[str, Any]:
        data = licensedcode.load_rules()
        return {
            "rule texts in the pool (false positives excluded)": len(data["pool"]),
            "notice/text rules with >= 20 words": len(data["rules"]),
            "distinct expressions among them": len({r["expression"] for r in data["rules"]}),
            "kinds": dict(Counter(r["kind"] for r in data["rules"])),
        }

    medical, legal = MedicalPack(), LegalPack()
    return {
        "hpo": {"pack": medical, "tasks": ["hpo-organ-system", "hpo-organ-systems"], "load": hpo.load,
                "counts": hpo_counts},
        "icd10cm": {"pack": medical, "tasks": ["icd10-chapter"], "load": icd10cm.load, "counts": icd_counts},
        "licensedcode-licenses": {"pack": legal, "tasks": ["license-category"],
                                  "load": licensedcode.load_licenses, "counts": licence_counts},
        "licensedcode-rules": {"pack": legal, "tasks": ["license-notice"], "load": licensedcode.load_rules,
                               "counts": rule_counts},
    }


def _label_table(data: TaskData) -> list[dict[str, Any]]:
    def count(labels: list[Any]) -> Counter:
        return Counter(n for row in labels for n in row) if data.kind == MULTI_LABEL else Counter(labels)

    train, test = count(data.train_labels), count(data.test_labels)
    return [
        {"label": name, "train": train[name], "test": test[name]}
        for name in sorted(data.label_names, key=lambda n: -(train[n] + test[n]))
    ]


def _fit_and_score(train_x, train_y, test_x, test_y, multi: bool) -> dict[str, float]:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import accuracy_score, f1_score
    from sklearn.multiclass import OneVsRestClassifier
    from sklearn.preprocessing import MultiLabelBinarizer

    vectoriser = TfidfVectorizer(sublinear_tf=True, ngram_range=(1, 2), min_df=2, max_features=200_000)
    x_train, x_test = vectoriser.fit_transform(train_x), vectoriser.transform(test_x)
    model = LogisticRegression(C=10.0, max_iter=2000)
    if multi:
        binarizer = MultiLabelBinarizer().fit(list(train_y) + list(test_y))
        y_train, y_test = binarizer.transform(train_y), binarizer.transform(test_y)
        predicted = OneVsRestClassifier(model).fit(x_train, y_train).predict(x_test)
        return {
            "subset_accuracy": round(float(accuracy_score(y_test, predicted)), 3),
            "micro_f1": round(float(f1_score(y_test, predicted, average="micro", zero_division=0)), 3),
            "macro_f1": round(float(f1_score(y_test, predicted, average="macro", zero_division=0)), 3),
        }
    predicted = model.fit(x_train, train_y).predict(x_test)
    return {
        "accuracy": round(float(accuracy_score(test_y, predicted)), 3),
        "macro_f1": round(float(f1_score(test_y, predicted, average="macro", zero_division=0)), 3),
    }


def _baselines(data: TaskData) -> dict[str, Any]:
    """TF-IDF + LR on the pack's grouped split and on a plain stratified split of the same rows."""
    from sklearn.model_selection import train_test_split

    from domainkit.data.splits import stratum_of_multilabel

    multi = data.kind == MULTI_LABEL
    grouped = _fit_and_score(data.train_texts, data.train_labels, data.test_texts, data.test_labels, multi)
    texts, labels = data.train_texts + data.test_texts, data.train_labels + data.test_labels
    strata = stratum_of_multilabel(labels) if multi else labels
    tr_x, te_x, tr_y, te_y = train_test_split(texts, labels, test_size=0.2, stratify=strata, random_state=SEED)
    plain = _fit_and_score(tr_x, tr_y, te_x, te_y, multi)
    return {"grouped_split": grouped, "plain_stratified_split": plain, "floor_CORPORA_md": FLOORS.get(data.task)}


def _task_section(pack, task: str, baselines: bool) -> dict[str, Any]:
    data = pack.load_task(task, seed=SEED)
    section = {
        "task": task,
        "kind": data.kind,
        "description": pack.task(task).description,
        "split_info": data.split_info,
        "labels": _label_table(data),
    }
    if baselines:
        section["tfidf_logreg"] = _baselines(data)
    return section


def build_card(name: str, entry: dict[str, Any], baselines: bool) -> dict[str, Any]:
    pack = entry["pack"]
    spec = next(c for c in pack.corpora if c.name == name)
    source = entry["load"]()["source"]
    return {
        "corpus": name,
        "pack": pack.name,
        "source": spec.source,
        "licence": spec.licence,
        "description": spec.description,
        "file": source["file"],
        "package": f"{source['distribution']}=={source['version']}",
        "sha256": source["sha256"],
        "checksum_method": source.get("checksum_method", "sha256 of the file"),
        "release": source.get("release", ""),
        "counts": entry["counts"](),
        "tasks": [_task_section(pack, task, baselines) for task in entry["tasks"]],
        "generated_by": "python corpora/make_cards.py",
    }


def render_markdown(card: dict[str, Any]) -> str:
    lines = [
        f"# Corpus card: {card['corpus']}",
        "",
        f"_Generated by `{card['generated_by']}`; do not edit by hand._",
        "",
        f"- **Pack**: `{card['pack']}`",
        f"- **Source**: {card['source']}",
        f"- **Package**: `{card['package']}`" + (f" (release: {card['release']})" if card["release"] else ""),
        f"- **File read**: `{card['file']}`",
        f"- **sha256**: `{card['sha256']}` ({card['checksum_method']})",
        f"- **Licence**: {card['licence']}",
        f"- **Content**: {card['description']}",
        "",
        "## Counts",
        "",
    ]
    for key, value in card["counts"].items():
        if isinstance(value, dict):
            value = ", ".join(f"{k}: {v}" for k, v in value.items())
        lines.append(f"- {key}: {value}")
    for section in card["tasks"]:
        info = section["split_info"]
        lines += [
            "",
            f"## Task `{section['task']}` ({section['kind']})",
            "",
            section["description"],
            "",
            f"- Split: {info['method']}; seed {info['seed']}; test_size {info['test_size']} "
            f"(achieved {info['test_share']}); train {info['counts']['train']}, test {info['counts']['test']}; "
            f"{info['groups']} groups.",
            f"- Grouping: {info.get('grouping', '')}.",
        ]
        if info.get("max_per_group"):
            lines.append(
                f"- Deduplication: at most {info['max_per_group']} texts per near-duplicate group; "
                f"{info['dropped_near_duplicates']} near-duplicates dropped."
            )
        lines += ["", "| label | train | test |", "|---|---:|---:|"]
        lines += [f"| {row['label']} | {row['train']} | {row['test']} |" for row in section["labels"]]
        if "tfidf_logreg" in section:
            lines += _baseline_lines(section["tfidf_logreg"])
    lines += ["", "## How splits are made", "", _SPLIT_TEXT, ""]
    return "\n".join(lines)


def _baseline_lines(result: dict[str, Any]) -> list[str]:
    metrics = list(result["grouped_split"])
    lines = [
        "",
        "TF-IDF (1-2 grams, sublinear tf) + logistic regression (C=10), scikit-learn:",
        "",
        "| split | " + " | ".join(metrics) + " |",
        "|---|" + "---:|" * len(metrics),
        "| this pack's grouped split (seed 13) | " + " | ".join(str(result["grouped_split"][m]) for m in metrics) + " |",
        "| plain stratified split, same rows | "
        + " | ".join(str(result["plain_stratified_split"][m]) for m in metrics) + " |",
    ]
    floor = result.get("floor_CORPORA_md")
    if floor:
        lines.append(
            "| floor quoted in CORPORA.md (plain stratified) | "
            + " | ".join("—" if floor.get(m) is None else str(floor[m]) for m in metrics) + " |"
        )
    return lines


_SPLIT_TEXT = (
    "`domainkit.data.splits`: every row gets a near-duplicate group (identical normalised text; "
    "MinHash estimate of the Jaccard similarity of word 3-shingle sets >= 0.8 among rows with the same "
    "label, borderline estimates checked exactly; plus any domain key the pack adds). Groups are split "
    "with scikit-learn's `StratifiedGroupKFold` (5 folds for test_size 0.2, shuffled with the seed); the "
    "fold with the best per-class balance is the test split. Groups never straddle train and test, so a "
    "grouped split is harder than a plain stratified one: the baseline table shows by how much. The "
    "unlabelled pool leaves out every test text of every task of the pack at seed 13 and at the run's seed."
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", action="append", help="corpus name (repeatable)")
    parser.add_argument("--no-baselines", action="store_true", help="skip the TF-IDF baselines")
    parser.add_argument("--out", type=Path, default=HERE)
    args = parser.parse_args(argv)
    corpora = _corpora()
    for name in args.only or list(corpora):
        started = time.perf_counter()
        card = build_card(name, corpora[name], baselines=not args.no_baselines)
        _write(args.out / f"{name}.json", json.dumps(card, indent=2, ensure_ascii=False) + "\n")
        _write(args.out / f"{name}.md", render_markdown(card))
        summary = {t["task"]: t.get("tfidf_logreg", {}).get("grouped_split") for t in card["tasks"]}
        print(f"{name}: {time.perf_counter() - started:.1f}s tfidf on grouped split: {summary}", flush=True)
    return 0


def _write(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


if __name__ == "__main__":
    sys.exit(main())
