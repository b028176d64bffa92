import json

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
