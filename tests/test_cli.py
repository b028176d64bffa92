import json
import re

from typer.testing import CliRunner

from domainkit.cli import app

runner = CliRunner()


def test_cli_plugins_list_json_shows_broken_packs(fake_packs):
    result = runner.invoke(app, ["plugins", "list", "--json"])
    assert result.exit_code == 0
    entries = {e["name"]: e for e in json.loads(result.stdout)}
    assert entries["good"]["status"] == "ok" and entries["good"]["distribution"] == "fakepack-good"
    assert entries["oldapi"]["status"] == "broken"


def test_cli_plugins_check_names_the_problem(fake_packs):
    result = runner.invoke(app, ["plugins", "check", "oldapi"])
    assert result.exit_code == 1
    assert "api_version 0 is not supported" in result.stderr
    assert runner.invoke(app, ["plugins", "check", "good"]).exit_code == 0


def test_cli_config_show_prints_resolved_toml(fake_packs):
    result = runner.invoke(app, ["config", "show", "good", "--preset", "smoke", "--set", "distill.epochs=2"])
    assert result.exit_code == 0, result.output
    assert "[distill]" in result.stdout and "epochs = 2.0" in result.stdout


def test_cli_unknown_pack_error_is_clear(fake_packs, capsys):
    import subprocess
    import sys

    result = subprocess.run([sys.executable, "-m", "domainkit.cli", "run", "godo"], capture_output=True, text=True,
                            env={**__import__("os").environ, "PYTHONPATH": str(fake_packs)})
    assert result.returncode == 2
    assert "error: unknown pack 'godo'" in result.stderr and "Did you mean 'good'?" in result.stderr
    assert "Traceback" not in result.stderr


def test_cli_version_and_short_help():
    from importlib.metadata import version

    for flag in ("--version", "-V"):
        result = runner.invoke(app, [flag])
        assert result.exit_code == 0 and result.stdout.strip() == f"domainkit {version('domainkit')}"
    for args in (["-h"], ["run", "-h"], ["models", "-h"], ["tagger", "train", "-h"]):
        result = runner.invoke(app, args)
        assert result.exit_code == 0 and "Usage" in result.stdout, args


def test_cli_plugins_check_data_loads_the_tasks_and_names_failures_without_messages(fake_packs, monkeypatch):
    from fakepack_good import Pack

    assert runner.invoke(app, ["plugins", "check", "good", "--data"]).exit_code == 0

    def failing(self, task, *, seed):
        raise KeyError("Patient John Smith")

    monkeypatch.setattr(Pack, "load_task", failing)
    result = runner.invoke(app, ["plugins", "check", "good", "--data"])
    assert result.exit_code == 1 and "task topic: load_task raised KeyError" in result.stderr
    assert "John" not in result.output + result.stderr
    # asked for with DOMAINKIT_DEBUG (or --verbose), as the hint of a failed run says: the traceback
    monkeypatch.setenv("DOMAINKIT_DEBUG", "1")
    result = runner.invoke(app, ["plugins", "check", "good", "--data"])
    assert result.exit_code == 1 and "Traceback" in result.stderr and "Patient John Smith" in result.stderr


def test_cli_plugins_check_data_warns_of_classes_a_run_cannot_learn_or_measure(fake_packs, monkeypatch):
    from fakepack_good import Pack

    from domainkit.data.taskdata import TaskData

    real = Pack.load_task

    def one_rare_class(self, task, *, seed):
        data = real(self, task, seed=seed)
        names = [*data.label_names, "rare"]
        return TaskData(**{**data.__dict__, "label_names": names,
                           "train_texts": [*data.train_texts, "one more text"], "train_labels": [*data.train_labels, "rare"]})

    monkeypatch.setattr(Pack, "load_task", one_rare_class)
    result = runner.invoke(app, ["plugins", "check", "good", "--data"])
    assert result.exit_code == 0
    assert "warning: task topic: 1 class(es) with fewer than 2 training documents" in result.stderr
    assert "1 class(es) with no test document" in result.stderr and "rare" not in result.stderr


def _guard_seen() -> dict:
    import os

    from domainkit import network

    return {"blocking": network._State.blocking, "hf_offline": os.environ.get("HF_HUB_OFFLINE")}


def test_cli_every_command_runs_under_the_offline_guard(tmp_path, monkeypatch):
    from domainkit import network
    from domainkit.deid import Audit

    seen = []

    def record(result):
        def call(*args, **kwargs):
            seen.append(_guard_seen())
            return result
        return call

    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    monkeypatch.setattr("domainkit.deid.fileio.deidentify_file", record(Audit()))
    monkeypatch.setattr("domainkit.export.package_model", record(tmp_path / "x.whl"))
    monkeypatch.setattr("domainkit.models.inventory.inventory", record({"models": [], "packs": []}))
    monkeypatch.setattr("domainkit.packs.registry.discover", record([]))
    monkeypatch.setattr("domainkit.runner.api.resolve_for_pack", record((_Resolved(), None)))
    commands = [["deid", "--input", "a.txt", "--output", "b.txt"], ["package", str(tmp_path), "--out", str(tmp_path),
                "--name", "x"], ["models", "list", "--json"], ["plugins", "list", "--json"], ["config", "show", "p"]]
    for command in commands:
        result = runner.invoke(app, command)
        assert result.exit_code == 0, (command, result.output)
    assert seen == [{"blocking": True, "hf_offline": "1"}] * len(commands)
    assert not network._State.blocking  # and gone once the command is done


class _Resolved:
    def to_dict(self):
        return {}


def test_cli_models_pull_lifts_the_guard_for_its_download(monkeypatch):
    seen = []
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    monkeypatch.setattr("domainkit.models.store.pull", lambda name, force: seen.append(_guard_seen()) or "somewhere")
    assert runner.invoke(app, ["models", "pull", "x"]).exit_code == 0
    assert seen == [{"blocking": False, "hf_offline": None}]


def test_cli_deid_keeps_only_the_text_and_named_columns_and_says_which_it_dropped(tmp_path):
    source, target = tmp_path / "notes.csv", tmp_path / "notes.deid.csv"
    source.write_text("id,patient_name,mrn,text,label\n7,Zebulon Quackenbush,99887766,BP stable.,neuro\n",
                      encoding="utf-8")
    result = runner.invoke(app, ["deid", "--input", str(source), "--output", str(target), "--text-column", "text",
                                 "--keep-column", "label", "--keep-column", "id"])
    assert result.exit_code == 0, result.output
    audit = json.loads(result.stdout)
    assert audit["columns"] == {"text": "text", "kept": ["id", "label"], "dropped": ["patient_name", "mrn"]}
    assert "2 column(s) not de-identified were left out" in result.stderr and "--keep-column" in result.stderr
    assert "Quackenbush" not in target.read_text() + result.output


def _commands(group, prefix=()):
    # typer 0.29 builds its commands on its own copy of click: a group is what has sub-commands,
    # not an instance of click.Group (no command is, so the sub-commands were never reached).
    for name, command in group.commands.items():
        yield (*prefix, name)
        if hasattr(command, "commands"):
            yield from _commands(command, (*prefix, name))


def test_cli_help_shows_flags_bare_and_values_with_conventional_metavars():
    import typer.main

    root = typer.main.get_command(app)
    for args in _commands(root):
        result = runner.invoke(app, [*args, "--help"], terminal_width=120)
        assert result.exit_code == 0, args
        options = result.stdout.split("Options:")[1]
        assert not re.search(r"<(bool|str|int|float|path|list)\b", options), (args, options)  # typer's type labels
        command = root
        for name in args:
            command = command.commands[name]
        if hasattr(command, "commands"):  # a group: `COMMAND [ARGS]...`
            continue
        # Positional arguments: `run [OPTIONS] PACK` and `PACK  pack name ...`, not `{PACK}` and `PACK <str>`.
        names = [param.metavar for param in command.params if param.param_type_name == "argument"]
        usage = result.stdout.split("\n", 1)[0]
        assert usage.endswith(" ".join([" ".join(args), "[OPTIONS]", *names])), (args, usage)
        if names:
            listed = result.stdout.split("Arguments:\n")[1].split("\n\n")[0].splitlines()
            assert [line.split("  ")[1] for line in listed] == names, (args, listed)
            assert all(re.fullmatch(r"  [A-Z]+  \S.*", line) for line in listed), (args, listed)
        else:
            assert "Arguments:" not in result.stdout, args
    help_text = runner.invoke(app, ["run", "--help"], terminal_width=120).stdout
    for shown in ("--out DIR", "--set SECTION.KEY=VALUE", "--data PATH", "--config FILE", "--allow-network  "):
        assert shown in help_text, shown
    predict = runner.invoke(app, ["predict", "--help"], terminal_width=120).stdout
    assert "--input PATH|-" in predict and "--output PATH|-" in predict


def test_cli_plugins_check_and_list_flag_a_name_two_distributions_register(fake_packs):
    from conftest import GOOD_PACK, install_fake_pack

    install_fake_pack(fake_packs, "good", GOOD_PACK.format(cls="Pack", name="good", extra=""),
                      module="fakepack_good_again", distribution="acme-good")
    result = runner.invoke(app, ["plugins", "check", "good"])
    assert result.exit_code == 1
    assert "good: broken (acme-good 0.3, fakepack_good_again:Pack)" in result.stderr
    assert "also registered by fakepack-good 0.3 (fakepack_good:Pack)" in result.stderr
    listed = [e for e in json.loads(runner.invoke(app, ["plugins", "list", "--json"]).stdout) if e["name"] == "good"]
    assert len(listed) == 2 and all(e["status"] == "broken" for e in listed)


def test_cli_plugins_check_data_reports_what_run_would_refuse(fake_packs, monkeypatch):
    from fakepack_good import Pack

    monkeypatch.setattr(Pack, "load_pool", lambda self, **kwargs: "one string")
    result = runner.invoke(app, ["plugins", "check", "good", "--data"])
    assert result.exit_code == 1 and "task topic: load_pool returned str, expected list[str]" in result.stderr
    monkeypatch.setattr(Pack, "load_task", lambda self, task, *, seed: {"train_texts": []})
    result = runner.invoke(app, ["plugins", "check", "good", "--data"])
    assert result.exit_code == 1 and "load_task returned dict" in result.stderr
    assert isinstance(result.exception, SystemExit)  # a clean exit, not the AttributeError it used to be


def test_cli_verbose_shows_an_import_failure_traceback(fake_packs, monkeypatch):
    from conftest import install_fake_pack

    # setenv, not delenv: an absent variable is then removed again at teardown, after --verbose set it to 1
    monkeypatch.setenv("DOMAINKIT_DEBUG", "")
    install_fake_pack(fake_packs, "boom", 'raise RuntimeError("Patient John Smith")\n')
    quiet = runner.invoke(app, ["plugins", "check", "boom"])
    assert "import failed: RuntimeError (at fakepack_boom.py:1)" in quiet.stderr and "John" not in quiet.output
    loud = runner.invoke(app, ["--verbose", "plugins", "check", "boom"])
    assert "RuntimeError: Patient John Smith" in loud.stderr


def test_cli_run_refuses_label_and_labels_column_together_even_at_the_default_name(fake_packs, tmp_path):
    docs = tmp_path / "docs.csv"
    docs.write_text("text,label\na,x\n")
    result = runner.invoke(app, ["run", "good", "--data", str(docs), "--label-column", "label",
                                 "--labels-column", "label", "--out", str(tmp_path / "run")])
    assert result.exit_code != 0
    assert "both given" in str(result.exception)
    assert not (tmp_path / "run").exists()


def test_data_paths_are_recorded_absolute_so_a_rerun_from_elsewhere_resumes(tmp_path, monkeypatch):
    from domainkit.cli import _data_path

    (tmp_path / "docs.csv").write_text("text,label\n")
    monkeypatch.chdir(tmp_path)
    assert _data_path(__import__("pathlib").Path("docs.csv"), "path", None) == str(tmp_path / "docs.csv")
    # a run an earlier version recorded with a relative spelling of the same file keeps it
    run = tmp_path / "run"
    run.mkdir()
    (run / "config.json").write_text(json.dumps({"config": {"data": {"path": "docs.csv"}}}))
    assert _data_path(tmp_path / "docs.csv", "path", run) == "docs.csv"
    assert _data_path(tmp_path / "other.csv", "path", run) == str(tmp_path / "other.csv")


def test_data_path_errors_are_config_errors_and_a_malformed_run_record_is_ignored(tmp_path):
    from pathlib import Path

    import pytest

    from domainkit.cli import _data_path
    from domainkit.errors import ConfigError

    with pytest.raises(ConfigError, match="--data: cannot resolve the path"):
        _data_path(Path("~no-such-user-here/x.csv"), "path", None)
    run = tmp_path / "run"
    run.mkdir()
    (run / "config.json").write_text('{"config": {"data": {"path": 3}}}')
    assert _data_path(tmp_path / "docs.csv", "path", run) == str(tmp_path / "docs.csv")


def test_cli_run_interrupted_says_how_to_continue(fake_packs, monkeypatch, tmp_path):
    import domainkit.runner.api as api

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(api, "run_pack", interrupted)
    result = runner.invoke(app, ["run", "good", "--preset", "smoke", "--out", str(tmp_path / "r")])
    assert result.exit_code == 130
    assert "interrupted before the run" in result.output and "nothing to resume" in result.output
    from domainkit.runner.rundir import RUN_CONFIG_FILE

    (tmp_path / "r").mkdir()
    (tmp_path / "r" / RUN_CONFIG_FILE).write_text("{}")  # a run that began: it can be resumed
    result = runner.invoke(app, ["run", "good", "--preset", "smoke", "--out", str(tmp_path / "r")])
    assert result.exit_code == 130
    assert "interrupted: the run in" in result.output and "--resume" in result.output


def test_cli_deid_and_predict_interrupted_say_what_was_kept(monkeypatch, tmp_path):
    import domainkit.deid.fileio as fileio
    import domainkit.predict as predict_module

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(fileio, "deidentify_file", interrupted)
    monkeypatch.setattr(predict_module, "predict_file", interrupted)
    (tmp_path / "notes.txt").write_text("Pt seen today.\n")
    result = runner.invoke(app, ["deid", "--input", str(tmp_path / "notes.txt"), "--output", str(tmp_path / "o.txt")])
    assert result.exit_code == 130 and "nothing was written to" in result.output
    result = runner.invoke(app, ["predict", "model", "--input", str(tmp_path / "notes.txt"), "--output", "-"])
    assert result.exit_code == 130 and "standard output holds the predictions made so far" in result.output
