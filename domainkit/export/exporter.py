"""``export_model``: the folder a user takes home.

Layout of ``out_dir``::

    config.json, model.safetensors, tokenizer files   plain save_pretrained (fp32)
    domainkit_inference.json                           window, thresholds, de-id policy
    README.md                                          model card
    int8/                                              dynamic int8 variant (domainkit loads it;
                                                       weights in domainkit_int8.safetensors)
    onnx/model.onnx (+ config, tokenizer)              ONNX variant (onnxruntime)
    export_manifest.json                               parity of the variants with fp32

The folder is built under a temporary name (``.NAME.partial``) and renamed at
the end: an interrupted export never leaves a half-written folder under the
final name, and a failed one removes its temporary folder. With ``force`` an
existing export is set aside and deleted only once the new one is in place.
"""

from __future__ import annotations

import dataclasses
import json
import random
import shutil
from pathlib import Path
from typing import Any

import numpy as np

from domainkit.errors import ConfigError
from domainkit.heads._atomic import atomic_write_text
from domainkit.heads.settings import SETTINGS_FILE, read_settings, write_settings

#: Synthetic parity probes when no texts are given: fixed-seed word salads from
#: the tokenizer vocabulary (numerical parity does not need meaningful text).
N_PROBES = 64


def _probe_texts(tokenizer, n: int = N_PROBES, seed: int = 0) -> list[str]:
    words = [w for w in tokenizer.get_vocab() if w.isalpha()] or ["text"]
    rng = random.Random(seed)
    return [" ".join(rng.choices(words, k=rng.randint(3, 60))) for _ in range(n)]


def _agreement(a: np.ndarray, b: np.ndarray) -> float:
    from domainkit.evaluation.suite import agreement

    return agreement(a, b)


def variant_parity(out_dir: Path, texts: list[str]) -> dict[str, Any]:
    """Prediction agreement (argmax / thresholded labels) of int8 and ONNX with fp32."""
    from domainkit.evaluation.inference import decide, predict_logits
    from domainkit.export.onnx import load_onnx_classifier
    from domainkit.heads.loading import load_classifier

    results: dict[str, Any] = {"n_texts": len(texts)}
    fp32 = load_classifier(out_dir)
    reference_logits = predict_logits(fp32, texts)
    reference = decide(_probabilities(reference_logits, fp32.multi_label), fp32)
    for name, loader in (("int8", load_classifier), ("onnx", load_onnx_classifier)):
        variant = loader(out_dir / name)
        logits = predict_logits(variant, texts)
        results[f"{name}_agreement"] = _agreement(decide(_probabilities(logits, fp32.multi_label), fp32), reference)
        results[f"{name}_max_abs_logit_diff"] = float(np.max(np.abs(logits - reference_logits))) if texts else 0.0
    return results


def _probabilities(logits: np.ndarray, multi_label: bool) -> np.ndarray:
    from domainkit.evaluation.inference import logits_to_probabilities

    return logits_to_probabilities(logits, multi_label=multi_label)


def export_model(
    model_dir: Path,
    out_dir: Path,
    *,
    card: dict[str, Any],
    parity_texts: list[str] | None = None,
    int8: bool = True,
    onnx: bool = True,
    force: bool = False,
) -> Path:
    """Export the classifier in ``model_dir`` to ``out_dir`` (see the module docstring).

    ``parity_texts``: texts for the int8/ONNX parity check (e.g. the test
    split); synthetic probes when None. ``out_dir`` must not exist unless
    ``force``. Returns ``out_dir``.
    """
    model_dir, out_dir = Path(model_dir), Path(out_dir)
    if out_dir.exists() and any(out_dir.iterdir()) and not force:
        raise ConfigError(f"export folder {out_dir} exists and is not empty",
                          hint="choose another --out folder or pass force=True to replace it")
    staging = out_dir.with_name(f".{out_dir.name}.partial")
    shutil.rmtree(staging, ignore_errors=True)
    try:
        _build(model_dir, staging, card=card, parity_texts=parity_texts, int8=int8, onnx=onnx)
    except BaseException:
        # a failed export leaves nothing behind: the staging folder holds full weights
        shutil.rmtree(staging, ignore_errors=True)
        raise
    _swap_into_place(staging, out_dir)
    return out_dir


def _source_reference(model_dir: Path, staging: Path) -> str:
    """Where the exported model came from, relative to the export folder (a sibling of ``staging``).

    Not the absolute path: the manifest travels inside wheels (``domainkit package``), and an absolute
    path would ship the builder's user name and folder layout with the model.
    """
    import os

    try:
        return Path(os.path.relpath(Path(model_dir).resolve(), staging.resolve())).as_posix()
    except ValueError:  # another drive (Windows): no relative path exists
        return Path(model_dir).name


def _swap_into_place(staging: Path, out_dir: Path) -> None:
    """Rename ``staging`` to ``out_dir``; an existing ``out_dir`` is set aside first
    and deleted only once the new folder is in place (restored if the rename fails)."""
    from domainkit.atomic import share_like_new_files

    share_like_new_files(staging)
    aside = out_dir.with_name(f".{out_dir.name}.old")
    shutil.rmtree(aside, ignore_errors=True)
    if out_dir.exists():
        out_dir.rename(aside)
    try:
        staging.rename(out_dir)
    except BaseException:
        if aside.exists() and not out_dir.exists():
            aside.rename(out_dir)
        shutil.rmtree(staging, ignore_errors=True)
        raise
    shutil.rmtree(aside, ignore_errors=True)


def _build(model_dir: Path, staging: Path, *, card: dict[str, Any], parity_texts: list[str] | None,
           int8: bool, onnx: bool) -> None:
    """Write the whole export into ``staging``."""
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    from domainkit.evaluation.quantize import save_int8
    from domainkit.export.card import render_card
    from domainkit.export.onnx import export_onnx
    from domainkit.heads.loading import MULTI_LABEL_PROBLEM, label_names_of

    model = AutoModelForSequenceClassification.from_pretrained(model_dir, local_files_only=True)
    tokenizer = AutoTokenizer.from_pretrained(model_dir, local_files_only=True)
    model.save_pretrained(staging)
    tokenizer.save_pretrained(staging)
    settings = read_settings(model_dir)
    policy = card.get("deid_policy")
    if policy is not None:
        policy = dataclasses.asdict(policy) if dataclasses.is_dataclass(policy) else dict(policy)
        settings = settings.with_changes(deid_policy=policy)
    write_settings(staging, settings)

    variants: dict[str, Any] = {"fp32": "this folder (transformers save_pretrained)"}
    if int8:
        save_int8(staging, staging / "int8")
        variants["int8"] = "int8/ (dynamic int8 Linear layers; load with domainkit)"
    if onnx:
        export_onnx(staging, staging / "onnx")
        variants["onnx"] = "onnx/model.onnx (opset 17, onnxruntime)"
    manifest: dict[str, Any] = {"source": _source_reference(model_dir, staging), "variants": sorted(variants)}
    # pack and task name the model for `domainkit package` (its default package name)
    manifest.update({key: str(card[key]) for key in ("pack", "task") if card.get(key)})
    if int8 and onnx:
        texts = parity_texts if parity_texts is not None else _probe_texts(tokenizer)
        manifest["parity"] = variant_parity(staging, texts)
        manifest["parity"]["texts"] = "given" if parity_texts is not None else "synthetic probes"
    atomic_write_text(staging / "export_manifest.json", json.dumps(manifest, indent=2) + "\n")
    readme = render_card(
        card,
        label_names=label_names_of(model.config),
        multi_label=getattr(model.config, "problem_type", None) == MULTI_LABEL_PROBLEM,
        settings=json.loads((staging / SETTINGS_FILE).read_text()),
        variants=variants,
        parity=manifest.get("parity"),  # the card says what it was measured on (or quotes the report's figure)
    )
    atomic_write_text(staging / "README.md", readme)
