"""The data stage on the user's documents (domainkit/runner/stages.py): no model is trained here."""

from __future__ import annotations

import pytest

from domainkit.config import resolve_config
from domainkit.errors import DataError
from domainkit.runner.pipeline import RunContext
from domainkit.runner.rundir import RunFolder
from domainkit.runner.stages import data_inputs


def _context(tmp_path, **paths):
    overrides = [f"data.{key}={value}" for key, value in paths.items()]
    config = resolve_config("good", preset="smoke", overrides=overrides)
    from fakepack_good import Pack

    return RunContext(config=config, pack=Pack(), folder=RunFolder(tmp_path / "run"))


@pytest.mark.parametrize(("key", "option"), [("path", "--data"), ("test_path", "--test-data")])
def test_stages_missing_input_is_a_data_error_naming_its_option(tmp_path, fake_packs, key, option):
    present = tmp_path / "docs.csv"
    present.write_text("text,label\nnote,a\n")
    paths = {"path": present, "test_path": present, key: tmp_path / "missing.csv"}
    with pytest.raises(DataError, match=rf"missing.csv: no such file or folder \(given to {option}\)"):
        data_inputs(_context(tmp_path, **paths))


@pytest.mark.parametrize("method", ["load_task", "load_pool"])
def test_a_pack_that_fails_is_named_without_its_message(tmp_path, fake_packs, monkeypatch, method):
    from domainkit.errors import PackError
    from domainkit.runner.stages import run_data

    ctx = _context(tmp_path)

    def failing(*args, **kwargs):
        raise KeyError("Patient John Smith, MRN 12345")

    monkeypatch.setattr(ctx.pack, method, failing)
    (tmp_path / "work").mkdir()
    with pytest.raises(PackError, match=rf"pack 'good' .* failed in {method}: KeyError") as error:
        run_data(ctx, tmp_path / "work")
    assert "John" not in str(error.value) and error.value.__cause__ is None


def test_the_pool_leaves_out_near_copies_of_test_texts_and_still_fills(tmp_path, fake_packs, monkeypatch):
    import json

    from domainkit.runner.stages import run_data

    ctx = _context(tmp_path)
    data = ctx.pack.load_task(ctx.task, seed=13)
    test_text = data.test_texts[0]
    pool = [test_text.upper() + " !"] + [f"unrelated pool passage number {i} about kidneys" for i in range(200)]
    monkeypatch.setattr(ctx.pack, "load_pool", lambda exclude, limit, seed: pool[:limit])
    (tmp_path / "work").mkdir()
    outputs = run_data(ctx, tmp_path / "work")
    kept = json.loads((tmp_path / "work" / "pool.json").read_text())
    assert outputs["pool_near_held_out_dropped"] >= 1
    assert len(kept) == ctx.config.distill.pool_limit and test_text.upper() + " !" not in kept


def test_the_data_stage_depends_on_the_deid_rules_only_when_it_redacts(tmp_path, fake_packs, monkeypatch):
    from domainkit.deid import DEID_OFF, DeidPolicy
    from domainkit.runner import stages

    ctx = _context(tmp_path)
    monkeypatch.setattr(stages, "deid_policy", lambda ctx: DeidPolicy(use_ner=False))
    monkeypatch.setattr("domainkit.deid.version.rules_fingerprint", lambda: "rules-v1")
    before = data_inputs(ctx)
    monkeypatch.setattr("domainkit.deid.version.rules_fingerprint", lambda: "rules-v2")
    assert data_inputs(ctx) != before  # new rules: the run de-identifies its data again
    monkeypatch.setattr(stages, "deid_policy", lambda ctx: DEID_OFF)
    assert "deid_rules" not in data_inputs(ctx)  # nothing redacted: older run folders stay valid


def test_the_deid_rules_fingerprint_is_stable():
    from domainkit.deid.version import rules_fingerprint

    first = rules_fingerprint()
    rules_fingerprint.cache_clear()
    assert rules_fingerprint() == first and len(first) == 16


def test_the_card_of_a_run_names_its_corpora_licences_and_student_base(tmp_path, fake_packs):
    """The dict run_export hands to the exporter, rendered: the keys must be the ones render_card reads."""
    from domainkit.export.card import hub_id, render_card
    from domainkit.runner.stages import deid_policy, export_card

    ctx = _context(tmp_path)
    ctx.outputs.update({"teacher": {"reference": "store:all-mpnet-base-v2"}, "distill": {"report": {}}})
    data = ctx.pack.load_task(ctx.task, seed=13)
    card = export_card(ctx, data, deid_policy(ctx))
    text = render_card(card, label_names=data.label_names, multi_label=False,
                       settings={"max_length": 128}, variants={})
    assert "- inline: inline — licence: CC0-1.0" in text and "(none recorded)" not in text
    assert f"- student (base): {ctx.pack.student}" in text
    # the metadata holds a Hub id only (a pkg:/store: reference is none)
    assert (f"base_model: {hub_id(ctx.pack.student)}" in text) if hub_id(ctx.pack.student) else "base_model:" not in text
    assert f"- documents: {len(data.train_texts)} for training, {len(data.test_texts)} held out" in text


def _own_documents_card(tmp_path, file_name):
    """The context, data and card dict of a run on one own-documents file called ``file_name``."""
    from domainkit.runner.stages import deid_policy, export_card

    documents = tmp_path / file_name
    documents.write_text("text,label\nnote,alpha\n")
    ctx = _context(tmp_path, path=documents)
    ctx.outputs.update({"teacher": {"reference": "store:all-mpnet-base-v2"}, "distill": {"report": {}}})
    data = ctx.pack.load_task(ctx.task, seed=13)
    return ctx, data, export_card(ctx, data, deid_policy(ctx))


def test_the_card_of_a_run_on_own_documents_names_no_path(tmp_path, fake_packs):
    sources = _own_documents_card(tmp_path, "Patient_Ann_Lee_notes.csv")[2]["data_sources"]
    assert [s["name"] for s in sources] == ["user documents"] and "Ann_Lee" not in str(sources)


def _own_notes(tmp_path, labels=("cardiology", "neurology"), rows=30):
    import csv

    words = "tremor chest pain dyspnoea rash fever cough syncope palpitations headache vertigo oedema".split()
    path = tmp_path / "notes.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["text", "label"])
        for i in range(rows):
            symptoms = " and ".join(words[(i * k) % len(words)] for k in (1, 3, 7))
            writer.writerow([f"Visit {i}: MRN {41207700 + i} reports {symptoms} since week {i % 7}.", labels[i % len(labels)]])
    return path


def test_the_data_stage_records_no_hash_of_raw_text(tmp_path, fake_packs, monkeypatch):
    import csv
    import hashlib
    import json
    import re

    from domainkit.data.splits import normalise_text
    from domainkit.deid import DeidPolicy
    from domainkit.runner import stages

    notes = _own_notes(tmp_path)
    ctx = _context(tmp_path, path=notes, text_column="text", label_column="label")
    monkeypatch.setattr(stages, "deid_policy", lambda ctx: DeidPolicy(use_ner=False))
    (tmp_path / "work").mkdir()
    stages.run_data(ctx, tmp_path / "work")
    written = (tmp_path / "work" / "data.json").read_text()
    with notes.open(newline="", encoding="utf-8") as handle:
        raw = [row["text"] for row in csv.DictReader(handle)]
    # Group names were sha256 of the raw note: a redacted MRN could be brute-forced back from them.
    raw_hashes = {hashlib.sha256(normalise_text(text).encode()).hexdigest()[:12] for text in raw}
    assert not any(digest in written for digest in raw_hashes)
    assert "41207700" not in written
    groups = json.loads(written)["train_groups"]
    assert groups and all(re.fullmatch(r"g\d+", group) for group in groups)


def test_the_data_content_fingerprint_is_the_one_taken_before_groups_were_numbered(tmp_path, fake_packs, monkeypatch):
    """A run folder made when data.json held the split's group names keeps its later stages for the same data.

    Its data stage re-runs once after the upgrade (new inputs); ``content`` reaches every later stage as
    ``upstream``, so it must not change only because the names are now written as g0, g1, ...
    """
    import json

    from domainkit.deid import DEID_OFF
    from domainkit.runner import stages
    from domainkit.runner.rundir import fingerprint

    ctx = _context(tmp_path, path=_own_notes(tmp_path), text_column="text", label_column="label")
    monkeypatch.setattr(stages, "deid_policy", lambda ctx: DEID_OFF)
    (tmp_path / "work").mkdir()
    outputs = stages.run_data(ctx, tmp_path / "work")
    data, pool = stages.loaded_data(ctx)
    written = json.loads((tmp_path / "work" / "data.json").read_text())
    assert written["train_groups"][0] == "g0" and len(data.train_groups[0]) == 13  # g + 12 hex digits in memory
    as_written_before = {**written, "train_groups": data.train_groups}
    assert outputs["content"] == fingerprint({"data": as_written_before, "pool": pool})


def test_the_data_stage_manifest_holds_whole_dataset_digests_and_no_hash_per_row(tmp_path, fake_packs):
    """The pack's rows reach the manifest as one digest (inputs.pack_data), never a hash per document."""
    import json
    import re

    from fakepack_good import Pack

    from domainkit.runner.pipeline import Stage, run_pipeline
    from domainkit.runner.stages import data_check, run_data

    config = resolve_config("good", preset="smoke", overrides=["run.deid=off"])
    run_pipeline(config, Pack(), tmp_path / "run", [Stage("data", run_data, inputs=data_inputs, check=data_check)])
    manifest = json.loads((tmp_path / "run" / "01-data" / "manifest.json").read_text())
    assert re.fullmatch(r"[0-9a-f]{16}", manifest["inputs"]["pack_data"])
    whole = {*manifest["inputs"].values(), manifest["config_hash"], manifest["outputs"]["content"],
             manifest["outputs"]["fingerprint"]}
    assert set(re.findall(r"[0-9a-f]{12,}", json.dumps(manifest))) <= whole  # no other digest is written


def test_the_data_stage_warns_once_when_labels_hold_identifiers_showing_them_redacted(tmp_path, fake_packs, caplog):
    from domainkit.runner.stages import run_data

    notes = _own_notes(tmp_path, labels=("cardiology", "Dr Quackenbush clinic"))
    ctx = _context(tmp_path, path=notes, text_column="text", label_column="label")
    (tmp_path / "work").mkdir()
    with caplog.at_level("WARNING"):
        run_data(ctx, tmp_path / "work")
    warnings = [r.getMessage() for r in caplog.records if "identifiers" in r.getMessage()]
    assert len(warnings) == 1
    assert "1 of 2 label(s)" in warnings[0] and "Dr [NAME] clinic" in warnings[0]
    assert "written as they are into the model's config, the report and the model card" in warnings[0]
    assert "Quackenbush" not in caplog.text


def _data_then_later(calls):
    """The real data stage, then a stage that records the data it was handed (as the teacher would)."""
    from domainkit.runner.pipeline import Stage
    from domainkit.runner.stages import data_check, run_data

    def later(ctx, workdir):
        calls.append(ctx.outputs["data"]["content"])
        return {"runs": len(calls)}

    return [Stage("data", run_data, inputs=data_inputs, check=data_check), Stage("later", later)]


def test_an_edited_pack_corpus_redoes_the_data_stage_and_the_later_ones(tmp_path, fake_packs, monkeypatch):
    """An editable pack keeps its version while its author edits its data: the rows themselves are compared."""
    import json

    import fakepack_good
    from fakepack_good import Pack

    from domainkit.runner.pipeline import run_pipeline

    config, out, calls = resolve_config("good", preset="smoke"), tmp_path / "run", []
    stages = _data_then_later(calls)
    run_pipeline(config, Pack(), out, stages)
    run_pipeline(config, Pack(), out, stages)
    assert len(calls) == 1  # nothing changed: both stages skipped
    monkeypatch.setattr(fakepack_good, "TEXTS", [f"revised {text}" for text in fakepack_good.TEXTS])
    run_pipeline(config, Pack(), out, stages)
    assert len(calls) == 2 and calls[0] != calls[1]
    assert "revised" in (out / "01-data" / "data.json").read_text()
    inputs = json.loads((out / "01-data" / "manifest.json").read_text())["inputs"]
    assert "pack_data" in inputs and "revised" not in json.dumps(inputs)  # a hash, never the text


def test_upgrading_a_pack_whose_module_is_not_named_like_its_distribution_redoes_the_data(tmp_path, fake_packs):
    import json

    from conftest import GOOD_PACK, install_fake_pack

    from domainkit.runner.pipeline import run_pipeline
    from domainkit.runner.rundir import fingerprint

    info = install_fake_pack(fake_packs, "acmerad", GOOD_PACK.format(cls="Pack", name="acmerad", extra=""),
                             module="fakepack_acme_rad", distribution="acme-radiology-pack", version="1.0")
    from fakepack_acme_rad import Pack

    config, out, calls = resolve_config("acmerad", preset="smoke"), tmp_path / "run", []
    run_pipeline(config, Pack(), out, _data_then_later(calls))
    inputs = json.loads((out / "01-data" / "manifest.json").read_text())["inputs"]
    assert inputs["pack_version"] == fingerprint("1.0") and inputs["distribution"] == fingerprint("acme-radiology-pack")
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: acme-radiology-pack\nVersion: 1.1\n")
    run_pipeline(config, Pack(), out, _data_then_later(calls))
    inputs = json.loads((out / "01-data" / "manifest.json").read_text())["inputs"]
    assert inputs["pack_version"] == fingerprint("1.1")  # the upgrade redid the data stage
    assert [p.name.split("-")[1] for p in out.glob(".01-data.replaced-*")] == ["data.replaced"]
    assert len(calls) == 1  # its data came out the same, so the stage after it was reused


def test_the_teacher_chain_error_names_the_pack_its_chain_and_the_fix(tmp_path, fake_packs, dk_home):
    from domainkit.errors import ModelError
    from domainkit.runner.stages import resolve_teacher

    with pytest.raises(ModelError) as error:
        resolve_teacher(_context(tmp_path))
    message = str(error.value)
    assert "the teacher_chain of pack 'good'" in message and "store:all-mpnet-base-v2" in message
    assert "--set run.teacher=" in error.value.hint and "same --out" in error.value.hint


def test_stages_the_teacher_is_evaluated_at_its_own_max_length(tmp_path, fake_packs, monkeypatch):
    """teacher.max_length is the window its head was fitted at: evaluation and thresholds read it there."""
    from pathlib import Path

    from domainkit.runner import stages

    config = resolve_config("good", preset="smoke", overrides=["teacher.max_length=96", "distill.max_length=48"])
    from fakepack_good import Pack

    ctx = RunContext(config=config, pack=Pack(), folder=RunFolder(tmp_path / "run"))
    assert stages._window_overrides(ctx)["max_length"] == 48
    assert stages._window_overrides(ctx, teacher=True)["max_length"] == 96

    seen = {}
    monkeypatch.setattr(stages, "load_data", lambda ctx: (ctx.pack.load_task(ctx.task, seed=1), []))
    monkeypatch.setattr(stages, "_reported_split", lambda ctx, data: data.split_info)
    monkeypatch.setattr(stages, "_seconds_so_far", lambda ctx: 0.0)
    monkeypatch.setattr(stages, "_publish_report", lambda workdir, root: None)
    monkeypatch.setattr("domainkit.evaluation.suite.evaluate_run",
                        lambda models, data, **kwargs: seen.update(kwargs) or {"models": {}})
    ctx.outputs.update(teacher={"model_dir": "t"}, distill={"model_dir": "s", "report": {}})
    stages.run_evaluate(ctx, Path(tmp_path))
    assert seen["max_length"] == 48 and seen["teacher_max_length"] == 96


def _long_notes(tmp_path, long_rows=(0, 1, 2)):
    """Own notes of which ``long_rows`` run far past a 128-piece window (the tiny vocabulary's words)."""
    import csv

    path = tmp_path / "long.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["text", "label"])
        for i in range(30):
            topic = ("alpha", "beta")[i % 2]
            length = 200 if i in long_rows else 3
            writer.writerow([f"note {i} about {topic} " + " ".join(["findings"] * length), topic])
    return path


def _own_context(tmp_path, tiny_models, path, *overrides):
    from fakepack_good import Pack

    config = resolve_config("good", preset="smoke", overrides=[
        f"data.path={path}", f"run.student={tiny_models['student']}", "run.deid=off", *overrides])
    return RunContext(config=config, pack=Pack(), folder=RunFolder(tmp_path / "run"))


def test_the_data_stage_counts_own_documents_longer_than_the_window_and_warns(tmp_path, fake_packs, tiny_models,
                                                                             caplog):
    import json

    from domainkit.runner.stages import run_data

    ctx = _own_context(tmp_path, tiny_models, _long_notes(tmp_path))
    (tmp_path / "work").mkdir()
    with caplog.at_level("WARNING"):
        outputs = run_data(ctx, tmp_path / "work")
    counts = outputs["split"]["over_window"]
    assert counts["train"] + counts["test"] == 3 and counts["n_train"] + counts["n_test"] == 30
    assert counts["max_length"] == ctx.config.distill.max_length and counts["windows"] is False
    written = json.loads((tmp_path / "work" / "data.json").read_text())["split_info"]["over_window"]
    assert written == counts  # the report and the card read it from there
    warning = [r.getMessage() for r in caplog.records if "window" in r.getMessage()]
    assert len(warning) == 1 and "documents are longer than the" in warning[0]
    assert "--set data.long_documents=true" in warning[0] and "findings" not in caplog.text


def test_own_documents_are_read_in_windows_when_asked(tmp_path, fake_packs, tiny_models, caplog):
    from domainkit.runner.stages import _window_overrides, run_data

    path = _long_notes(tmp_path)
    assert _window_overrides(_own_context(tmp_path, tiny_models, path))["long_documents"] is False
    ctx = _own_context(tmp_path, tiny_models, path, "data.long_documents=true", "run.max_windows=3")
    window = _window_overrides(ctx)
    assert window["long_documents"] is True and window["max_windows"] == 3
    (tmp_path / "work").mkdir()
    with caplog.at_level("WARNING"):
        outputs = run_data(ctx, tmp_path / "work")
    assert outputs["split"]["over_window"]["windows"] is True
    assert "longer than" not in caplog.text  # read in windows: not cut, so no warning


def test_the_card_of_a_run_on_own_documents_says_the_model_was_trained_on_them(tmp_path, fake_packs):
    from domainkit.runner.stages import deid_policy, export_card

    ctx, data, card = _own_documents_card(tmp_path, "docs.csv")
    assert card["own_documents"] is True
    pack_run = _context(tmp_path)
    pack_run.outputs.update(ctx.outputs)
    assert export_card(pack_run, data, deid_policy(ctx))["own_documents"] is False


@pytest.mark.parametrize("init_from_teacher", [False, True])
def test_a_layer_map_out_of_range_is_refused_before_any_stage_runs(tmp_path, fake_packs, tiny_models,
                                                                    init_from_teacher):
    """Stage 04 only learns the layer counts after the teacher and baseline stages ran: check them up front."""
    from fakepack_good import Pack

    from domainkit.errors import ConfigError
    from domainkit.runner.pipeline import run_pipeline
    from domainkit.runner.stages import default_stages

    student_layers = 2  # the tiny student's layers, and as many as init_from_teacher keeps of the teacher's 4
    overrides = [f"run.teacher={tiny_models['teacher']}", f"run.student={tiny_models['student']}",
                 "distill.layer_map=[[7,12]]", f"distill.init_from_teacher={str(init_from_teacher).lower()}"]
    config = resolve_config("good", preset="smoke", overrides=overrides)
    with pytest.raises(ConfigError) as error:
        run_pipeline(config, Pack(), tmp_path / "run", default_stages())
    message = f"{error.value} {error.value.hint}"
    assert f"0..{student_layers}" in message and "0..4" in message and "0 = embeddings" in message
    assert "last" in message and "uniform" in message
    assert not (tmp_path / "run").exists()  # refused before the run folder, the teacher or the baseline
    ok = resolve_config("good", preset="smoke", overrides=overrides[:2] + ["distill.layer_map=[[2,4],[1,2]]"])
    from domainkit.runner.stages import distill_check

    distill_check(RunContext(config=ok, pack=Pack(), folder=RunFolder(tmp_path / "ok")))


def test_a_lora_runs_adapters_get_the_merged_models_inference_settings(tmp_path):
    from domainkit.heads.settings import InferenceSettings, read_settings, write_settings
    from domainkit.runner.stages import _settings_beside_adapters

    model = tmp_path / "04-distill" / "model"
    model.mkdir(parents=True)
    write_settings(model, InferenceSettings(max_length=64, long_documents=True, max_windows=2))
    adapter = tmp_path / "04-distill" / "adapter" / "hpo-organ-system"
    adapter.mkdir(parents=True)
    (adapter / "adapter_config.json").write_text("{}")
    _settings_beside_adapters(model)
    assert read_settings(adapter) == read_settings(model)
    _settings_beside_adapters(tmp_path / "no-lora" / "model")  # no adapter folder: nothing to do
