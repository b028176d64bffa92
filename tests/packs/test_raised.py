"""How a failure in a pack's code is shown (domainkit/packs/raised.py): class and pack line, no message."""

import sys

import pytest

from domainkit.packs.raised import debug_enabled, describe, where_raised

FAILING = '''
def load(record):
    return parse(record)


def parse(record):
    raise ValueError(f"bad record: {record}")
'''


@pytest.fixture
def failing_module(tmp_path, monkeypatch):
    package = tmp_path / "acme_pack"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "reader.py").write_text(FAILING)
    monkeypatch.syspath_prepend(str(tmp_path))
    import acme_pack.reader

    yield acme_pack.reader
    for name in [m for m in sys.modules if m.startswith("acme_pack")]:
        del sys.modules[name]


def test_raised_names_the_deepest_line_in_the_pack_without_the_message(failing_module):
    with pytest.raises(ValueError) as raised:
        failing_module.load("Patient John Smith")
    assert where_raised(raised.value, "acme_pack.reader") == "acme_pack/reader.py:7"
    assert describe(raised.value, "acme_pack") == "ValueError (at acme_pack/reader.py:7)"


def test_raised_shows_domainkit_errors_and_missing_modules_which_quote_no_documents():
    from domainkit.errors import PackError

    assert describe(PackError("a missing corpus package: pip install x"), "acme_pack") == \
        "a missing corpus package: pip install x"
    assert describe(ModuleNotFoundError("No module named 'y'", name="y"), "acme_pack") == \
        "ModuleNotFoundError (module 'y')"


def test_raised_a_syntax_error_points_at_its_file(failing_module, tmp_path):
    (tmp_path / "acme_pack" / "broken.py").write_text("X = 1\n\ndef (:\n")
    with pytest.raises(SyntaxError) as raised:
        import acme_pack.broken  # noqa: F401
    assert describe(raised.value, "acme_pack.broken") == "SyntaxError (at acme_pack/broken.py:3)"


@pytest.mark.parametrize(("value", "enabled"), [("", False), ("0", False), ("false", False), ("1", True),
                                                 ("yes", True)])
def test_raised_debug_variable(monkeypatch, value, enabled):
    monkeypatch.setenv("DOMAINKIT_DEBUG", value)
    assert debug_enabled() is enabled
