import json
from pathlib import Path

import pytest

from domainkit.config import resolve_config
from domainkit.errors import ConfigError
from domainkit.runner.pipeline import Stage, run_pipeline


class Recorder:
    """Stage functions that count calls and can crash once, like a killed run."""

    def __init__(self):
        self.calls = []
        self.crash_once = set()

    def stage(self, name):
        def run(ctx, workdir):
            self.calls.append(name)
            checkpoint = workdir / "checkpoint.txt"
            resumed = checkpoint.exists()
            checkpoint.write_text("half done")
            if name in self.crash_once:
                self.crash_once.discard(name)
                raise KeyboardInterrupt  # the run is killed mid-stage
            return {"value": name, "resumed": resumed}
        return Stage(name, run)


@pytest.fixture
def config():
    return resolve_config("good", preset="smoke")


def test_pipeline_writes_manifests_and_skips_finished_stages(tmp_path, config, fake_packs):
    from fakepack_good import Pack

    recorder = Recorder()
    stages = [recorder.stage("first"), recorder.stage("second")]
    run_pipeline(config, Pack(), tmp_path / "run", stages)
    manifest = json.loads((tmp_path / "run" / "02-second" / "manifest.json").read_text())
    assert manifest["config_hash"] == config.digest()
    assert "transformers" in manifest["versions"] and manifest["outputs"]["value"] == "second"
    ctx = run_pipeline(config, Pack(), tmp_path / "run", stages)
    assert recorder.calls == ["first", "second"]
    assert ctx.outputs["second"]["value"] == "second"


def test_pipeline_resumes_an_interrupted_stage(tmp_path, config, fake_packs):
    from fakepack_good import Pack

    recorder = Recorder()
    recorder.crash_once.add("second")
    stages = [recorder.stage("first"), recorder.stage("second")]
    with pytest.raises(KeyboardInterrupt):
        run_pipeline(config, Pack(), tmp_path / "run", stages)
    assert not (tmp_path / "run" / "02-second" / "manifest.json").exists()
    ctx = run_pipeline(config, Pack(), tmp_path / "run", stages)
    assert recorder.calls == ["first", "second", "second"]
    assert ctx.outputs["second"]["resumed"] is True


def test_pipeline_refuses_folder_of_another_run(tmp_path, config, fake_packs):
    from fakepack_good import Pack

    run_pipeline(config, Pack(), tmp_path / "run", [Recorder().stage("first")])
    other = resolve_config("good", preset="smoke", overrides=["distill.epochs=2"])
    with pytest.raises(ConfigError, match=r"another configuration \(changed: distill.epochs\)"):
        run_pipeline(other, Pack(), tmp_path / "run", [Recorder().stage("first")])


def test_pipeline_refuses_non_run_folder(tmp_path, config, fake_packs):
    from fakepack_good import Pack

    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "notes.txt").write_text("precious")
    with pytest.raises(ConfigError, match="not a domainkit run folder"):
        run_pipeline(config, Pack(), tmp_path / "mine", [Recorder().stage("first")])
    assert (tmp_path / "mine" / "notes.txt").read_text() == "precious"


def _labelled_csv(path):
    path.write_text("text,label\n" + "".join(f"note {i} about {t} and more words,{t}\n"
                                             for t in ("alpha", "beta") for i in range(10)))
    return path


def test_pipeline_rerun_after_refused_data_may_change_the_config(tmp_path, fake_packs):
    from fakepack_good import Pack

    from domainkit.errors import DataError
    from domainkit.runner.stages import data_inputs, run_data

    docs = _labelled_csv(tmp_path / "docs.csv")
    stages = [Stage("data", run_data, inputs=data_inputs)]
    wrong = resolve_config("good", preset="smoke", overrides=[f"data.path={docs}", "data.label_column=lbl"])
    with pytest.raises(DataError, match="no column 'lbl'"):
        run_pipeline(wrong, Pack(), tmp_path / "run", stages)
    fixed = resolve_config("good", preset="smoke", overrides=[f"data.path={docs}"])
    ctx = run_pipeline(fixed, Pack(), tmp_path / "run", stages)
    assert ctx.outputs["data"]["n_train"] + ctx.outputs["data"]["n_test"] == 20
    assert json.loads((tmp_path / "run" / "config.json").read_text())["config_hash"] == fixed.digest()


def test_pipeline_never_releases_a_folder_it_did_not_make(tmp_path, config, fake_packs):
    from fakepack_good import Pack

    out = tmp_path / "run"
    (out / "results").mkdir(parents=True)
    (out / "config.json").write_text('{"learning_rate": 0.1}')  # the user's own config.json
    with pytest.raises(ConfigError):
        run_pipeline(config, Pack(), out, [Recorder().stage("first")])
    assert (out / "config.json").read_text() == '{"learning_rate": 0.1}' and (out / "results").is_dir()


def test_pipeline_keeps_refusing_a_folder_where_a_stage_left_files(tmp_path, config, fake_packs):
    from fakepack_good import Pack

    recorder = Recorder()
    recorder.crash_once.add("first")  # leaves a checkpoint, no manifest
    with pytest.raises(KeyboardInterrupt):
        run_pipeline(config, Pack(), tmp_path / "run", [recorder.stage("first")])
    other = resolve_config("good", preset="smoke", overrides=["distill.epochs=2"])
    with pytest.raises(ConfigError, match="another configuration"):
        run_pipeline(other, Pack(), tmp_path / "run", [Recorder().stage("first")])
    assert (tmp_path / "run" / "01-first" / "checkpoint.txt").read_text() == "half done"


def _stage_with_input(recorder, name, source):
    """A stage whose input is a file's content, like the data stage reading --data."""
    base = recorder.stage(name)
    return Stage(name, lambda ctx, workdir: {**base.run(ctx, workdir), "read": source.read_text()},
                 inputs=lambda ctx: {"source": source.read_text()})


def test_pipeline_a_stage_whose_inputs_changed_starts_afresh_and_keeps_the_earlier_work(tmp_path, config, fake_packs,
                                                                                     caplog):
    from fakepack_good import Pack

    source = tmp_path / "docs.txt"
    source.write_text("first version")
    recorder = Recorder()
    stages = [_stage_with_input(recorder, "first", source), recorder.stage("second")]
    run_pipeline(config, Pack(), tmp_path / "run", stages)
    source.write_text("edited")
    ctx = run_pipeline(config, Pack(), tmp_path / "run", stages)
    assert recorder.calls == ["first", "second", "first", "second"]
    assert ctx.outputs["first"]["resumed"] is False  # not resumed from the old input's checkpoint
    assert ctx.outputs["second"]["resumed"] is False
    aside = sorted(p.name for p in (tmp_path / "run").iterdir() if ".replaced-" in p.name)
    assert [name.split(".replaced-")[0] for name in aside] == [".01-first", ".02-second"]
    assert "inputs changed" in caplog.text


def test_pipeline_changed_outputs_set_aside_later_stages_and_the_report_before_an_interruption(
        tmp_path, config, fake_packs):
    from fakepack_good import Pack

    source = tmp_path / "docs.txt"
    source.write_text("first version")
    recorder = Recorder()
    stages = [_stage_with_input(recorder, "first", source), recorder.stage("second"), recorder.stage("third")]
    run_pipeline(config, Pack(), tmp_path / "run", stages)
    run = tmp_path / "run"
    (run / "report.md").write_text("scores of the first version")  # as the evaluation stage publishes
    source.write_text("edited")  # the first stage's outputs change with it
    recorder.crash_once.add("second")  # interrupted before the last stage is redone
    with pytest.raises(KeyboardInterrupt):
        run_pipeline(config, Pack(), run, stages)
    assert not (run / "03-third").exists() and not (run / "report.md").exists()  # nothing stale left in view
    (kept,) = [p for p in run.iterdir() if p.name.startswith(".report.replaced-")]
    assert (kept / "report.md").read_text() == "scores of the first version"  # nothing lost
    assert any(p.name.startswith(".03-third.replaced-") for p in run.iterdir())
    ctx = run_pipeline(config, Pack(), run, stages)  # and the rerun completes as usual
    assert ctx.outputs["third"]["resumed"] is False


def test_pipeline_a_redone_evaluation_keeps_the_report_it_just_published(tmp_path, config, fake_packs):
    from fakepack_good import Pack

    passes = []

    def evaluate(ctx, workdir):  # publishes at the run folder's top, like the evaluation stage
        passes.append(1)
        report = ctx.folder.root / "report.json"
        report.write_text(json.dumps({"pass": len(passes)}))
        return {"report": str(report), "wall_seconds": len(passes)}  # timings differ from run to run

    stages = [Recorder().stage("first"), Stage("evaluate", evaluate)]
    run = tmp_path / "run"
    run_pipeline(config, Pack(), run, stages)
    (run / "report.json").unlink()  # the evaluation's output is gone: the stage is redone
    run_pipeline(config, Pack(), run, stages)
    assert json.loads((run / "report.json").read_text()) == {"pass": 2}  # in view, not set aside
    assert not [p for p in run.iterdir() if p.name.startswith(".report.replaced-")]
    run_pipeline(config, Pack(), run, stages)
    assert len(passes) == 2  # and the next run reuses it


def test_pipeline_an_interrupted_stage_whose_inputs_changed_is_not_resumed(tmp_path, config, fake_packs):
    from fakepack_good import Pack

    source = tmp_path / "docs.txt"
    source.write_text("first version")
    recorder = Recorder()
    recorder.crash_once.add("first")
    stages = [_stage_with_input(recorder, "first", source)]
    with pytest.raises(KeyboardInterrupt):
        run_pipeline(config, Pack(), tmp_path / "run", stages)
    source.write_text("edited")
    ctx = run_pipeline(config, Pack(), tmp_path / "run", stages)
    assert ctx.outputs["first"]["resumed"] is False


def test_pipeline_a_moved_run_folder_reads_its_own_files(tmp_path, config, fake_packs):
    from fakepack_good import Pack

    def making(ctx, workdir):
        (workdir / "made.txt").write_text(str(workdir))
        return {"made": str(workdir / "made.txt")}

    def reading(ctx, workdir):
        return {"read": Path(ctx.outputs["maker"]["made"]).read_text()}

    stages = [Stage("maker", making), Stage("reader", reading)]
    run_pipeline(config, Pack(), tmp_path / "run", stages)
    manifest = json.loads((tmp_path / "run" / "01-maker" / "manifest.json").read_text())
    assert manifest["outputs"]["made"] == "@run/01-maker/made.txt"
    (tmp_path / "run").rename(tmp_path / "moved")
    (tmp_path / "moved" / "02-reader" / "manifest.json").unlink()  # as if interrupted there
    ctx = run_pipeline(config, Pack(), tmp_path / "moved", stages)
    assert ctx.outputs["maker"]["made"] == str(tmp_path / "moved" / "01-maker" / "made.txt")
    assert ctx.outputs["reader"]["read"] == str(tmp_path / "run" / "01-maker")  # made before the move, read after


def test_pipeline_a_stage_whose_recorded_file_is_gone_runs_again(tmp_path, config, fake_packs):
    from fakepack_good import Pack

    calls = []

    def making(ctx, workdir):
        calls.append(1)
        (workdir / "made.txt").write_text("x")
        return {"made": str(workdir / "made.txt")}

    run_pipeline(config, Pack(), tmp_path / "run", [Stage("maker", making)])
    (tmp_path / "run" / "01-maker" / "made.txt").unlink()
    run_pipeline(config, Pack(), tmp_path / "run", [Stage("maker", making)])
    assert len(calls) == 2 and (tmp_path / "run" / "01-maker" / "made.txt").exists()


def test_pipeline_refuses_a_folder_another_run_is_using(tmp_path, config, fake_packs):
    from fakepack_good import Pack

    def nested(ctx, workdir):
        with pytest.raises(ConfigError, match="in use by another domainkit run"):
            run_pipeline(config, Pack(), tmp_path / "run", [Recorder().stage("first")])
        return {}

    run_pipeline(config, Pack(), tmp_path / "run", [Stage("outer", nested)])


def test_pipeline_refuses_a_file_as_out_and_leaves_it(tmp_path, config, fake_packs):
    from fakepack_good import Pack

    (tmp_path / "notes.txt").write_text("precious")
    for out in (tmp_path / "notes.txt", tmp_path / "notes.txt" / "sub"):
        with pytest.raises(ConfigError, match="file"):
            run_pipeline(config, Pack(), out, [Recorder().stage("first")])
    assert (tmp_path / "notes.txt").read_text() == "precious"


def test_pipeline_a_refused_folder_is_left_as_it_was_found(tmp_path, config, fake_packs):
    from fakepack_good import Pack

    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "config.json").write_text("{not json")
    with pytest.raises(ConfigError, match="not a domainkit run's"):
        run_pipeline(config, Pack(), tmp_path / "mine", [Recorder().stage("first")])
    assert sorted(p.name for p in (tmp_path / "mine").iterdir()) == ["config.json"]


def test_run_folder_records_only_paths_inside_it_as_relative(tmp_path, monkeypatch):
    from domainkit.runner.rundir import RunFolder

    monkeypatch.chdir(tmp_path)
    folder = RunFolder(Path("."))  # --out .
    inside = str(tmp_path / "05-evaluate" / "report.json")
    values = {"report": inside, "label": "x" * 300 + "/y", "teacher": "/elsewhere/teacher", "task": "report.json"}
    recorded = folder.relative(values)
    assert recorded == {**values, "report": "@run/05-evaluate/report.json"}
    assert folder.absolute(recorded)["report"] == inside


def test_pipeline_a_stage_that_made_nothing_is_started_again_not_moved_aside(tmp_path, config, fake_packs):
    from fakepack_good import Pack

    source = tmp_path / "docs.txt"
    source.write_text("broken")

    def refusing(ctx, workdir):
        if source.read_text() == "broken":
            raise ValueError("refused before making anything")
        return {"ok": True}

    stages = [Stage("data", refusing, inputs=lambda ctx: {"source": source.read_text()})]
    with pytest.raises(ValueError):
        run_pipeline(config, Pack(), tmp_path / "run", stages)
    source.write_text("fixed")
    assert run_pipeline(config, Pack(), tmp_path / "run", stages).outputs["data"]["ok"] is True
    assert not [p for p in (tmp_path / "run").iterdir() if ".replaced-" in p.name]


def test_pipeline_resumes_a_stage_interrupted_before_start_notes_existed(tmp_path, config, fake_packs):
    from fakepack_good import Pack

    recorder = Recorder()
    recorder.crash_once.add("first")
    with pytest.raises(KeyboardInterrupt):
        run_pipeline(config, Pack(), tmp_path / "run", [recorder.stage("first")])
    (tmp_path / "run" / "01-first" / "started.json").unlink()  # as an older version left it
    ctx = run_pipeline(config, Pack(), tmp_path / "run", [recorder.stage("first")])
    assert ctx.outputs["first"]["resumed"] is True


def test_pipeline_a_failed_check_leaves_no_folder(tmp_path, config, fake_packs):
    from fakepack_good import Pack

    def refuse(ctx):
        raise ConfigError("not today")

    recorder = Recorder()
    with pytest.raises(ConfigError, match="not today"):
        run_pipeline(config, Pack(), tmp_path / "run", [recorder.stage("first"), Stage("second", None, check=refuse)])
    assert recorder.calls == [] and not (tmp_path / "run").exists()


def _default_run(tmp_path, overrides=(), pack=None):
    from fakepack_good import Pack

    from domainkit.runner.stages import default_stages

    config = resolve_config("good", preset="smoke", overrides=list(overrides))
    return run_pipeline(config, pack or Pack(), tmp_path / "run", default_stages())


def test_pipeline_a_missing_data_file_is_refused_before_the_run_folder_exists(tmp_path, fake_packs, dk_home):
    from domainkit.errors import DataError

    with pytest.raises(DataError, match=r"nofile.csv: no such file or folder \(given to --data\)"):
        _default_run(tmp_path, [f"data.path={tmp_path / 'nofile.csv'}"])
    assert not (tmp_path / "run").exists()


def test_pipeline_a_misspelled_label_column_is_refused_before_the_run_folder_exists(tmp_path, fake_packs, dk_home):
    from domainkit.errors import DataError

    notes = tmp_path / "notes.csv"
    notes.write_text("text,label\n" + "".join(f"note {i},{'ab'[i % 2]}\n" for i in range(20)))
    with pytest.raises(DataError, match="labell"):
        _default_run(tmp_path, [f"data.path={notes}", "data.label_column=labell"])
    assert not (tmp_path / "run").exists()  # the corrected command starts in a clean folder


def test_pipeline_an_unresolvable_teacher_stops_the_run_before_the_data_stage(tmp_path, fake_packs, dk_home):
    from domainkit.errors import ModelError

    with pytest.raises(ModelError, match="the teacher_chain of pack 'good'"):
        _default_run(tmp_path)  # dk_home: an empty model store, so the pack's store: teacher is missing
    assert not (tmp_path / "run").exists()  # the corrected command can use the same --out


def test_pipeline_a_pack_returning_the_wrong_type_fails_before_any_stage_runs(tmp_path, fake_packs, dk_home):
    from fakepack_good import Pack

    from domainkit.errors import PackError

    class WrongReturn(Pack):
        def load_task(self, task, *, seed):
            return {"train_texts": []}

    with pytest.raises(PackError, match="load_task returned dict, expected domainkit.data.taskdata.TaskData"):
        _default_run(tmp_path, pack=WrongReturn())
    assert not (tmp_path / "run").exists()
