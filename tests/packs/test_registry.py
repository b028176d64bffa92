import subprocess
import sys

import pytest

from domainkit.errors import PackError
from domainkit.packs.registry import discover, find, load_pack


def test_registry_lists_good_and_broken_packs(fake_packs):
    entries = {e.name: e for e in discover()}
    assert entries["good"].ok
    assert entries["good"].distribution == "fakepack-good"
    assert entries["good"].version == "0.3"
    assert entries["good"].tasks == ("topic",)
    assert entries["brokenimport"].status == "broken"
    assert "import failed" in entries["brokenimport"].problems[0]
    assert "api_version 0 is not supported" in entries["oldapi"].problems[0]


def test_registry_names_an_entry_point_target_the_module_lacks(fake_packs):
    from conftest import install_fake_pack

    info = install_fake_pack(fake_packs, "typo", "class Pack:\n    pass\n")
    (info / "entry_points.txt").write_text("[domainkit.packs]\ntypo = fakepack_typo:NoSuchClass\n")
    entry = {e.name: e for e in discover()}["typo"]
    assert entry.status == "broken"
    assert "names 'NoSuchClass', which module 'fakepack_typo' does not define" in entry.problems[0]
    # an AttributeError raised while the module imports is still an import failure, message hidden
    install_fake_pack(fake_packs, "inner", "import os\nos.no_such_function\n")
    assert {e.name: e for e in discover()}["inner"].problems[0].startswith("import failed: AttributeError")


def test_registry_broken_pack_does_not_stop_others(fake_packs):
    pack = load_pack("good")
    assert pack.load_task("topic", seed=1).label_names == ["alpha", "beta"]
    with pytest.raises(PackError, match="brokenimport.*is broken"):
        load_pack("brokenimport")


def test_registry_unknown_pack_lists_and_suggests(fake_packs):
    with pytest.raises(PackError) as error:
        find("god")
    assert "available:" in str(error.value) and "good" in str(error.value)
    assert "Did you mean 'good'?" in str(error.value)


def test_registry_listing_does_not_import_heavy_libraries():
    code = (
        "import sys; from domainkit.packs.registry import discover; discover(); "
        "heavy = [m for m in ('torch', 'transformers', 'spacy', 'pandas') if m in sys.modules]; "
        "print(','.join(heavy))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == ""


def test_registry_refuses_a_name_two_distributions_register_naming_both(fake_packs):
    from conftest import GOOD_PACK, install_fake_pack

    install_fake_pack(fake_packs, "good", GOOD_PACK.format(cls="Pack", name="good", extra=""),
                      module="fakepack_good_again", distribution="acme-good")
    entries = [e for e in discover() if e.name == "good"]
    assert {e.distribution for e in entries} == {"fakepack-good", "acme-good"}
    assert all(not e.ok and "also registered by" in e.problems[-1] for e in entries)  # listed, flagged
    with pytest.raises(PackError) as error:
        load_pack("good")
    message = str(error.value)
    assert "registered by 2 distributions" in message
    assert "fakepack_good:Pack" in message and "fakepack_good_again:Pack" in message
    assert "pip uninstall" in error.value.hint


def test_registry_a_third_party_pack_never_takes_a_built_in_name(fake_packs):
    from conftest import GOOD_PACK, install_fake_pack

    install_fake_pack(fake_packs, "medical", GOOD_PACK.format(cls="Pack", name="medical", extra=""))
    impostor = next(e for e in discover() if e.distribution == "fakepack-medical")
    assert not impostor.ok and any("built-in pack of domainkit-medical" in p for p in impostor.problems)
    with pytest.raises(PackError, match="registered by 2 distributions|is broken"):
        load_pack("medical")


@pytest.mark.parametrize("spelling", ["Domainkit_Medical", "domainkit.medical", "DomainKit-Medical"])
def test_registry_the_built_in_pack_under_another_spelling_of_its_distribution_is_not_refused(fake_packs, spelling):
    """PEP 503: these name the distribution domainkit-medical (it shadows the real one, first on sys.path)."""
    from conftest import GOOD_PACK, install_fake_pack

    install_fake_pack(fake_packs, "medical", GOOD_PACK.format(cls="Pack", name="medical", extra=""),
                      distribution=spelling)
    entry = next(e for e in discover() if e.name == "medical")
    assert entry.distribution == spelling and entry.ok, entry.problems


def test_registry_distribution_of_reads_the_entry_points_distribution(fake_packs):
    """Module fakepack_acme_rad ships in distribution acme-radiology-pack: the version comes from there."""
    from conftest import GOOD_PACK, install_fake_pack

    from domainkit.packs.registry import distribution_of

    install_fake_pack(fake_packs, "acmerad", GOOD_PACK.format(cls="Pack", name="acmerad", extra=""),
                      module="fakepack_acme_rad", distribution="acme-radiology-pack", version="1.4.2")
    assert distribution_of("acmerad") == ("acme-radiology-pack", "1.4.2")
    assert distribution_of("not-installed") == ("unknown", "unknown")


BOOM = '''
TEXT = "Patient John Smith, MRN 12345"
raise RuntimeError(f"cannot parse {TEXT}")
'''


def test_registry_import_failure_names_class_and_pack_line_not_the_message(fake_packs, monkeypatch):
    from conftest import install_fake_pack

    monkeypatch.delenv("DOMAINKIT_DEBUG", raising=False)
    install_fake_pack(fake_packs, "boom", BOOM)
    entry = next(e for e in discover() if e.name == "boom")
    assert entry.problems == ("import failed: RuntimeError (at fakepack_boom.py:3)",)
    assert "John" not in str(entry.to_dict()) and entry.detail == ""
    missing = next(e for e in discover() if e.name == "brokenimport")
    assert "ModuleNotFoundError (module 'a_module_that_does_not_exist')" in missing.problems[0]
    with pytest.raises(PackError) as error:
        load_pack("boom")
    assert "John" not in str(error.value) and "DOMAINKIT_DEBUG=1" in error.value.hint


def test_registry_debug_keeps_the_full_traceback(fake_packs, monkeypatch):
    from conftest import install_fake_pack

    install_fake_pack(fake_packs, "boom", BOOM)
    monkeypatch.setenv("DOMAINKIT_DEBUG", "1")
    entry = next(e for e in discover() if e.name == "boom")
    assert "cannot parse Patient John Smith" in entry.detail and "fakepack_boom.py" in entry.detail
    with pytest.raises(PackError) as error:
        load_pack("boom")
    assert isinstance(error.value.__cause__, RuntimeError)  # the CLI prints the chain under --verbose
