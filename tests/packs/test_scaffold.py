import json
import os
import subprocess
import sys

import pytest

from domainkit.errors import DomainkitError
from domainkit.packs.scaffold import scaffold_pack


def test_scaffold_writes_an_installable_pack(tmp_path):
    folder = scaffold_pack("radiology", tmp_path / "radiology")
    assert (folder / "pyproject.toml").read_text().count('radiology = "domainkit_radiology.pack:RadiologyPack"') == 1
    for relative in ("README.md", "domainkit_radiology/pack.py", "domainkit_radiology/data/corpus.csv",
                     "tests/test_pack.py"):
        assert (folder / relative).is_file(), relative


def test_scaffold_refuses_bad_names_and_non_empty_folders(tmp_path):
    with pytest.raises(DomainkitError, match="invalid pack name"):
        scaffold_pack("Bad Name", tmp_path / "x")
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "keep.txt").write_text("mine")
    with pytest.raises(DomainkitError, match="not empty"):
        scaffold_pack("radiology", tmp_path / "full")
    assert (tmp_path / "full" / "keep.txt").read_text() == "mine"


def _install(folder, site):
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-build-isolation",
                    "--target", str(site), str(folder)], check=True, capture_output=True)
    return {**os.environ, "PYTHONPATH": str(site)}


@pytest.mark.slow
def test_scaffold_round_trip_lists_tests_and_runs(tmp_path):
    """plugins new -> pip install -> plugins list -> its own tests -> run --preset smoke."""
    domainkit = [sys.executable, "-m", "domainkit.cli"]
    subprocess.run(domainkit + ["plugins", "new", "radiology", "--dir", str(tmp_path / "pack")], check=True)
    env = _install(tmp_path / "pack", tmp_path / "site")
    listed = subprocess.run(domainkit + ["plugins", "list", "--json"], env=env, capture_output=True, text=True, check=True)
    entry = next(e for e in json.loads(listed.stdout) if e["name"] == "radiology")
    assert entry["status"] == "ok" and entry["distribution"] == "domainkit-radiology"
    tests = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(tmp_path / "pack" / "tests")],
                           env=env, capture_output=True, text=True, cwd=tmp_path)
    assert tests.returncode == 0, tests.stdout[-2000:]
    assert "7 passed" in tests.stdout
    run = subprocess.run(domainkit + ["run", "radiology", "--preset", "smoke", "--out", str(tmp_path / "run")],
                         env=env, capture_output=True, text=True, cwd=tmp_path)
    assert run.returncode == 0, run.stderr[-3000:]
    report = json.loads((tmp_path / "run" / "report.json").read_text())
    assert report["pack"] == "radiology" and report["models"]["student"]["macro_f1"] >= 0


def test_scaffold_refuses_the_name_of_an_installed_pack(tmp_path):
    with pytest.raises(DomainkitError, match="'medical' is installed already") as error:
        scaffold_pack("medical", tmp_path / "medical")
    assert "legal" in error.value.hint and not (tmp_path / "medical").exists()
