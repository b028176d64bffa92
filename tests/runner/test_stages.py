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
