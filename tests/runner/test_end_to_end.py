"""`domainkit run` end to end on tiny random models, with every socket blocked."""

import json
import socket

import pytest

from domainkit.runner.api import run_pack


@pytest.fixture
def no_sockets(monkeypatch):
    """Stricter than the offline guard: any connection at all fails the test."""

    def refuse(*args, **kwargs):
        raise AssertionError("a network connection was attempted")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


def _run(tmp_path, tiny_models, out, **options):
    return run_pack(
        "good",
        preset="smoke",
        out=out,
        overrides=[f"run.teacher={tiny_models['teacher']}", f"run.student={tiny_models['student']}",
                   "distill.pool_limit=8", "distill.batch_size=8"],
        **options,
    )


@pytest.mark.slow
def test_end_to_end_smoke_run_offline_then_skips(tmp_path, tiny_models, fake_packs, dk_home, no_sockets):
    out = tmp_path / "run"
    ctx = _run(tmp_path, tiny_models, out)
    report = json.loads((out / "report.json").read_text())
    assert report["pack"] == "good" and report["task"] == "topic"
    assert set(report["models"]) >= {"teacher", "student", "student_int8", "tfidf_logreg", "student_finetune_only"}
    assert (out / "report.md").is_file() and (out / "report.html").is_file()
    exported = ctx.outputs["export"]["model_dir"]
    assert (tmp_path / "run" / "06-export").is_dir() and exported
    stages = sorted(p.name for p in out.iterdir() if p.is_dir() and p.name[:2].isdigit())
    assert stages == ["01-data", "02-teacher", "04-distill", "05-evaluate", "06-export"]  # smoke: no 03-baseline
    manifests = {s: json.loads((out / s / "manifest.json").read_text()) for s in stages}
    again = _run(tmp_path, tiny_models, out, resume=True)  # --resume: the finished run is found, nothing reruns
    for stage in stages:
        assert json.loads((out / stage / "manifest.json").read_text()) == manifests[stage], stage
    assert again.outputs["evaluate"]["models"] == ctx.outputs["evaluate"]["models"]


def test_resume_refuses_a_folder_without_a_run_and_creates_none(tmp_path, tiny_models, fake_packs, dk_home):
    from domainkit.errors import ConfigError

    nowhere = tmp_path / "nowhere"
    with pytest.raises(ConfigError, match="nowhere does not exist, so there is nothing to resume"):
        _run(tmp_path, tiny_models, nowhere, resume=True)
    assert not nowhere.exists()
    other = tmp_path / "other"
    other.mkdir()
    (other / "notes.txt").write_text("kept")
    with pytest.raises(ConfigError, match="holds no domainkit run") as refused:
        _run(tmp_path, tiny_models, other, resume=True)
    assert "--out" in refused.value.hint and [p.name for p in other.iterdir()] == ["notes.txt"]


def _two_specialty_csv(tmp_path):
    import csv

    path = tmp_path / "mine.csv"
    with open(path, "w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["note", "specialty"])
        for i in range(15):
            writer.writerow([f"chest report {i} about the heart, seen by Dr. Smith on 3/4/2021", "cardio"])
            writer.writerow([f"head note {i} about the findings of the abdomen", "gastro"])
    return path


def test_end_to_end_own_documents_csv(tmp_path, tiny_models, fake_packs, dk_home, no_sockets):
    path = _two_specialty_csv(tmp_path)
    before = path.read_bytes()
    out = tmp_path / "run"
    run_pack("good", preset="smoke", out=out,
             overrides=[f"run.teacher={tiny_models['teacher']}", f"run.student={tiny_models['student']}",
                        "run.deid=on"],
             cli={"data": {"path": str(path), "text_column": "note", "label_column": "specialty"}})
    report = json.loads((out / "report.json").read_text())
    assert report["task"] == "own-documents" and report["n_train"] + report["n_test"] == 30
    data = json.loads((out / "01-data" / "data.json").read_text())
    assert not any("Smith" in text for text in data["train_texts"] + data["test_texts"])
    audit = json.loads((out / "01-data" / "deid-audit.json").read_text())
    assert audit["enabled"] and audit["counts"]["NAME"] == 15 and audit["counts"]["DATE"] == 15
    assert path.read_bytes() == before


@pytest.mark.slow
def test_end_to_end_multi_label_tunes_thresholds_on_validation(tmp_path, tiny_models, fake_packs, dk_home, no_sockets):
    import csv
    import random

    rng = random.Random(0)
    words = {"cardio": ["heart", "chest", "murmur", "valve"], "gastro": ["abdomen", "liver", "bowel", "stool"]}
    path = tmp_path / "mine.csv"
    with open(path, "w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["note", "systems"])
        for i in range(60):
            labels = [["cardio"], ["gastro"], ["cardio", "gastro"]][i % 3]
            text = " ".join(rng.choice(words[label]) for label in labels for _ in range(4)) + f" visit {i}"
            writer.writerow([text, "|".join(labels)])
    out = tmp_path / "run"
    run_pack("good", preset="smoke", out=out,
             overrides=[f"run.teacher={tiny_models['teacher']}", f"run.student={tiny_models['student']}"],
             cli={"data": {"path": str(path), "text_column": "note", "labels_column": "systems"}})
    data = json.loads((out / "01-data" / "data.json").read_text())
    assert data["validation_texts"] and not set(data["validation_texts"]) & set(data["train_texts"])
    report = json.loads((out / "report.json").read_text())
    assert report["thresholds_tuned"] == ["student", "student_int8", "teacher", "tfidf_logreg"]
    assert report["split_info"]["validation"]["n_validation"] == len(data["validation_texts"])
    settings = json.loads((out / "06-export" / "model" / "domainkit_inference.json").read_text())
    assert set(settings["thresholds"]) == {"cardio", "gastro"}
    assert "per-label thresholds" in (out / "report.md").read_text()


@pytest.mark.slow
def test_end_to_end_with_the_baseline_distils_from_the_ensemble(tmp_path, tiny_models, fake_packs, dk_home, no_sockets):
    out = tmp_path / "run"
    run_pack("good", preset="smoke", out=out,
             overrides=[f"run.teacher={tiny_models['teacher']}", f"run.student={tiny_models['student']}",
                        "run.baselines=true"],
             cli={"data": {"path": str(_two_specialty_csv(tmp_path)), "text_column": "note",
                           "label_column": "specialty"}})
    stages = sorted(p.name for p in out.iterdir() if p.is_dir() and p.name[:2].isdigit())
    assert stages[:4] == ["01-data", "02-teacher", "03-baseline", "04-distill"]
    soft = json.loads((out / "04-distill" / "distill_report.json").read_text())["soft_labels"]
    assert soft["source"] == "teacher+finetuned"
    assert "- soft labels: teacher+finetuned" in (out / "06-export" / "model" / "README.md").read_text()


LONG_DOCUMENTS_PACK = '''
from domainkit.data.taskdata import TaskData
from domainkit.deid.policy import DeidPolicy
from domainkit.packs.contract import CorpusSpec, DomainPack, TaskSpec

TOPICS = ("alpha", "beta")
TEXTS = [" ".join(f"document {i} about {topic} report" for _ in range(8)) for i in range(12) for topic in TOPICS]
LABELS = [topic for _ in range(12) for topic in TOPICS]


class Pack(DomainPack):
    name = "longdocs"
    description = "a fake pack whose documents are longer than their window"
    tasks = (TaskSpec(name="topic", kind="single_label", description="topic", max_length=16, long_documents=True,
                      metrics=("accuracy", "macro_f1", "macro_recall")),)
    corpora = (CorpusSpec(name="inline", source="inline", licence="CC0-1.0"),)
    teacher_chain = ("store:all-mpnet-base-v2",)
    deid_policy = DeidPolicy(enabled=False)

    def load_task(self, task, *, seed):
        return TaskData(task=task, kind="single_label", label_names=list(TOPICS),
                        train_texts=TEXTS[:18], train_labels=LABELS[:18],
                        test_texts=TEXTS[18:], test_labels=LABELS[18:], split_info={"seed": seed, "method": "head"})

    def load_pool(self, *, exclude, limit, seed):
        return [t for t in TEXTS if t not in exclude][:limit]
'''


@pytest.mark.slow
def test_end_to_end_long_documents_train_on_the_windows_evaluation_pools(
    tmp_path, tiny_models, fake_packs, dk_home, no_sockets
):
    from conftest import install_fake_pack

    install_fake_pack(fake_packs, "longdocs", LONG_DOCUMENTS_PACK)
    out = tmp_path / "run"
    ctx = run_pack("longdocs", preset="smoke", out=out,
                   overrides=[f"run.teacher={tiny_models['teacher']}", f"run.student={tiny_models['student']}",
                              "distill.pool_limit=4", "distill.batch_size=8", "run.window_selection=spread"])
    windows = ctx.outputs["distill"]["training_windows"]
    # smoke evaluates 2 windows per document, so each of the 18 training documents gives 2 training windows;
    # spread over each document (the opening and the closing one) in training, evaluation and the export
    assert windows == {"documents": 18, "windows": 36, "max_windows": 2, "max_length": 16, "stride": 4,
                       "selection": "spread", "scored_windows": 2}
    assert ctx.outputs["distill"]["report"]["examples"]["labelled"] == 36
    report = (out / "report.md").read_text()
    assert "trained on 36 windows of 16 word pieces (at most 2 of each training document" in report
    assert "(at most 2 of each training document, spread from the first to the last, each" in report
    assert "pools the logits of 2 windows of it, spread from the first to the last." in report
    card = (out / "06-export" / "model" / "README.md").read_text()
    assert "trained on 36 windows of 18 training documents (at most 2 each" in card
    assert "; 2 windows of a document, spread from the first to the last, are pooled" in card
    assert json.loads((out / "report.json").read_text())["n_train"] == 18  # documents, as TF-IDF reads them
    # the pack's evaluation suite names macro_recall: the report table and the model card show it
    assert json.loads((out / "report.json").read_text())["evaluation_suite"] == ["accuracy", "macro_f1", "macro_recall"]
    assert "| model | accuracy | macro_f1 | micro_f1 | ece | macro_recall | params |" in report
    assert "| model | accuracy | macro_f1 | micro_f1 | ece | macro_recall | params |" in card  # a table, not dicts
    assert "{'name'" not in card and "type: macro_recall" in card  # the student's scores in the metadata
    assert "name: domainkit-longdocs-topic" in card
    exported = json.loads((out / "06-export" / "model" / "domainkit_inference.json").read_text())
    assert exported["long_documents"] and exported["max_windows"] == 2  # predict pools what the report scored
    assert exported["window_selection"] == "spread"


def test_training_windows_default_to_the_evaluation_cap_else_four():
    from types import SimpleNamespace

    from domainkit.runner.stages import DEFAULT_TRAIN_WINDOWS, training_windows_per_document

    def ctx(train, scored):
        return SimpleNamespace(config=SimpleNamespace(run=SimpleNamespace(train_windows=train, max_windows=scored)))

    assert training_windows_per_document(ctx(0, 2)) == 2  # as evaluation pools
    assert training_windows_per_document(ctx(1, 2)) == 1  # the user's choice
    assert training_windows_per_document(ctx(0, 0)) == DEFAULT_TRAIN_WINDOWS == 4  # every window scored: capped


@pytest.mark.slow
def test_a_run_killed_in_distillation_resumes_from_its_checkpoint_after_the_teacher_is_rescored(
        tmp_path, tiny_models, fake_packs, dk_home, monkeypatch):
    from domainkit.distill.trainer import DistillationTrainer

    out = tmp_path / "run"
    original, steps = DistillationTrainer.compute_loss, []

    def killed_at_step_3(self, *args, **kwargs):
        steps.append(self.state.global_step)
        if len(steps) == 3:
            raise KeyboardInterrupt
        return original(self, *args, **kwargs)

    monkeypatch.setattr(DistillationTrainer, "compute_loss", killed_at_step_3)
    with pytest.raises(KeyboardInterrupt):
        run_pack("good", preset="smoke", out=out, overrides=[
            f"run.teacher={tiny_models['teacher']}", f"run.student={tiny_models['student']}",
            "distill.pool_limit=8", "distill.batch_size=4", "distill.save_steps=1"])
    assert (out / "04-distill" / "checkpoints" / "checkpoint-2").is_dir()
    rescored = list(dk_home.rglob("teacher_result.json"))  # the shared teacher, as another run rescores it
    for result in rescored:
        result.write_text(result.read_text().replace("{", '{"rescored": true, ', 1))
    steps.clear()
    monkeypatch.setattr(DistillationTrainer, "compute_loss", lambda self, *a, **k: steps.append(1) or original(self, *a, **k))
    run_pack("good", preset="smoke", out=out, overrides=[
        f"run.teacher={tiny_models['teacher']}", f"run.student={tiny_models['student']}",
        "distill.pool_limit=8", "distill.batch_size=4", "distill.save_steps=1"])
    history = json.loads((out / "04-distill" / "distill_report.json").read_text())["history"]
    total = max(h["step"] for h in history if "loss" in h)
    assert len(steps) == total - 2  # resumed from checkpoint-2, not trained afresh
    assert not list((out / "04-distill").glob("checkpoints.replaced-*")) and rescored
