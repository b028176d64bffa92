import pytest

from domainkit.config import parse_overrides, resolve_config
from domainkit.errors import ConfigError


def test_config_presets_differ_and_hash_is_stable():
    smoke = resolve_config("medical", preset="smoke")
    default = resolve_config("medical", preset="default")
    assert smoke.data.max_train < default.data.max_train
    assert smoke.digest() == resolve_config("medical", preset="smoke").digest()
    assert smoke.digest() != default.digest()


def test_config_overrides_coerce_types():
    config = resolve_config("medical", overrides=["distill.epochs=2", "task=icd10-chapter", "run.allow_network=false",
                                                  "distill.layer_map=[[6,12]]"])
    assert config.distill.epochs == 2.0 and config.run.task == "icd10-chapter"
    assert config.run.allow_network is False
    assert config.distill.layer_map == ((6, 12),)


def test_config_unknown_key_suggests_closest():
    with pytest.raises(ConfigError, match="Did you mean 'epochs'"):
        resolve_config("medical", overrides=["distill.epoch=2"])


def test_config_unknown_section_and_preset_list_choices():
    with pytest.raises(ConfigError, match="available: data, distill, run, teacher"):
        resolve_config("medical", overrides=["distil.epochs=2"])
    with pytest.raises(ConfigError, match="available: default, full, smoke"):
        resolve_config("medical", preset="quick")


def test_config_bad_value_names_option():
    with pytest.raises(ConfigError, match="distill.epochs expects a number"):
        resolve_config("medical", overrides=["distill.epochs=many"])
    with pytest.raises(ConfigError, match="distill.temperature must be > 0"):
        resolve_config("medical", overrides=["distill.temperature=0"])
    with pytest.raises(ConfigError, match="run.train_windows must be >= 0"):
        resolve_config("medical", overrides=["run.train_windows=-1"])
    with pytest.raises(ConfigError, match="run.window_selection must be one of 'first', 'spread'; found 'middle'"):
        resolve_config("legal", overrides=["run.window_selection=middle"])
    assert resolve_config("legal").run.window_selection == "first"


def test_config_run_file_and_set_priority(tmp_path):
    run_file = tmp_path / "run.toml"
    run_file.write_text("[distill]\nepochs = 5\ntemperature = 3.0\n")
    config = resolve_config("medical", run_file=run_file, overrides=["distill.epochs=1"])
    assert config.distill.temperature == 3.0 and config.distill.epochs == 1.0


def test_config_is_frozen():
    config = resolve_config("medical")
    with pytest.raises(Exception):
        config.run.seed = 3  # type: ignore[misc]


def test_config_set_requires_key_value():
    with pytest.raises(ConfigError, match="expected key=value"):
        parse_overrides(["epochs"])


@pytest.mark.parametrize("value", ["inf", "nan", "-inf", "1e999"])
def test_config_refuses_numbers_that_are_not_finite(value):
    with pytest.raises(ConfigError, match="distill.epochs expects a finite number"):
        resolve_config("medical", overrides=[f"distill.epochs={value}"])
    with pytest.raises(ConfigError, match="finite number|expects a number"):
        resolve_config("medical", overrides=[f"distill.save_steps={value}"])


def test_config_run_file_that_is_a_folder_or_not_utf8_is_named(tmp_path):
    (tmp_path / "run.toml").mkdir()
    with pytest.raises(ConfigError, match="is a folder"):
        resolve_config("medical", run_file=tmp_path / "run.toml")
    latin = tmp_path / "latin.toml"
    latin.write_bytes('[run]\nseed = 1 # caf\xe9\n'.encode("latin-1"))
    with pytest.raises(ConfigError, match="not UTF-8"):
        resolve_config("medical", run_file=latin)


def test_config_fields_added_later_leave_the_digest_of_older_runs_alone():
    import hashlib
    import json

    config = resolve_config("medical")
    older = config.to_dict()
    # a run made before they existed
    del older["distill"]["lora_r"], older["distill"]["lora_alpha"], older["data"]["long_documents"]
    del older["run"]["window_selection"]
    canonical = json.dumps(older, sort_keys=True, separators=(",", ":"))
    assert config.digest() == hashlib.sha256(canonical.encode()).hexdigest()[:16]
    assert resolve_config("medical", overrides=["distill.lora_r=8"]).digest() != config.digest()
    assert resolve_config("medical", overrides=["run.window_selection=spread"]).digest() != config.digest()


def test_config_empty_label_separator_is_refused_at_config_time():
    with pytest.raises(ConfigError, match="--label-separator .* must be at least one character"):
        resolve_config("medical", cli={"data": {"path": "notes.csv", "labels_column": "codes", "label_separator": ""}})
    assert resolve_config("medical", cli={"data": {"label_separator": ";"}}).data.label_separator == ";"


@pytest.mark.parametrize(("pair", "choices"), [("epochs=2", "distill.epochs, teacher.epochs"),
                                               ("max_length=32", "distill.max_length, teacher.max_length")])
def test_config_a_bare_key_of_several_sections_is_refused_listing_them(pair, choices):
    with pytest.raises(ConfigError) as error:
        parse_overrides([pair])
    assert f"is an option of several sections ({choices})" in str(error.value)
    assert "--set distill." in error.value.hint


def test_config_a_bare_key_of_one_section_still_works_and_an_unknown_one_suggests():
    assert parse_overrides(["task=icd10-chapter", "temperature=4"]) == {"run": {"task": "icd10-chapter"},
                                                                        "distill": {"temperature": "4"}}
    with pytest.raises(ConfigError, match="no section has an option 'temprature'. Did you mean distill.temperature"):
        parse_overrides(["temprature=4"])


def test_config_data_long_documents_is_off_by_default_left_out_of_older_digests_and_settable():
    import hashlib
    import json

    config = resolve_config("medical")
    assert config.data.long_documents is False
    older = config.to_dict()
    del older["distill"]["lora_r"], older["distill"]["lora_alpha"], older["data"]["long_documents"]
    del older["run"]["window_selection"]
    canonical = json.dumps(older, sort_keys=True, separators=(",", ":"))
    assert config.digest() == hashlib.sha256(canonical.encode()).hexdigest()[:16]
    windowed = resolve_config("medical", overrides=["data.long_documents=true"])
    assert windowed.data.long_documents is True and windowed.digest() != config.digest()
