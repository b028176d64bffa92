import json

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
