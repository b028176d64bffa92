import pytest

from domainkit.distill.config import DistillConfig, TeacherConfig, describe, resolve_layer_map
from domainkit.errors import ConfigError


def test_config_defaults_are_valid_and_frozen():
    cfg = DistillConfig()
    assert cfg.layer_map == "last"
    with pytest.raises(Exception):
        cfg.temperature = 3.0  # type: ignore[misc]


@pytest.mark.parametrize(
    "changes, option",
    [({"temperature": 0}, "temperature"), ({"hidden_loss": "l1"}, "hidden_loss"), ({"bf16": "yes"}, "bf16"),
     ({"alpha_ce": -1}, "alpha_ce"), ({"layer_map": "every"}, "layer_map"), ({"mlm_probability": 1.5}, "mlm_probability"),
     ({"bf16": 1}, "bf16"), ({"layer_map": [[6.7, 12]]}, "layer_map"), ({"layer_map": [[True, "12"]]}, "layer_map")],
)
def test_config_rejects_bad_values_naming_the_option(changes, option):
    with pytest.raises(ConfigError, match=option):
        DistillConfig(**changes)


def test_config_rejects_all_weights_zero():
    with pytest.raises(ConfigError, match="every loss weight"):
        DistillConfig(alpha_ce=0, alpha_hidden=0, alpha_mlm=0, alpha_hard=0)


def test_config_layer_map_pairs_normalised_and_resolved():
    cfg = DistillConfig(layer_map=[[6, 12], [3, 6]])
    assert cfg.layer_map == ((6, 12), (3, 6))
    assert resolve_layer_map("uniform", 6, 12) == tuple((i, 2 * i) for i in range(1, 7))
    assert resolve_layer_map("last", 6, 12) == ((6, 12),)
    with pytest.raises(ConfigError, match="out of range"):
        resolve_layer_map(((7, 12),), 6, 12)


def test_config_teacher_method_validated_and_help_present():
    with pytest.raises(ConfigError, match="method"):
        TeacherConfig(method="adapter")
    assert "lora" in describe(TeacherConfig)["method"]
    assert all(describe(DistillConfig).values())
    assert DistillConfig().replace(top_k=5).top_k == 5


def test_config_uniform_layer_map_rounds_halves_up_and_never_maps_onto_the_embeddings():
    # 6 -> 9: 1.5, 4.5 and 7.5 all round up (round() made 4.5 -> 4 but 1.5 -> 2)
    assert resolve_layer_map("uniform", 6, 9) == ((1, 2), (2, 3), (3, 5), (4, 6), (5, 8), (6, 9))
    # a student deeper than its teacher: layer 1 -> teacher layer 1, not its embedding output (0)
    assert resolve_layer_map("uniform", 4, 2) == ((1, 1), (2, 1), (3, 2), (4, 2))
    assert resolve_layer_map("uniform", 12, 6)[:3] == ((1, 1), (2, 1), (3, 2))
    assert all(t >= 1 for _, t in resolve_layer_map("uniform", 12, 4))
    assert resolve_layer_map("uniform", 3, 12) == ((1, 4), (2, 8), (3, 12))
    assert resolve_layer_map(((1, 0),), 4, 2) == ((1, 0),)  # pairs may still name the embeddings


@pytest.mark.parametrize(
    "changes, option, why",
    [({"alpha_ce": float("nan")}, "alpha_ce", "finite"), ({"alpha_hidden": float("inf")}, "alpha_hidden", "finite"),
     ({"alpha_mlm": float("nan")}, "alpha_mlm", "finite"), ({"alpha_hard": float("inf")}, "alpha_hard", "finite"),
     ({"temperature": float("inf")}, "temperature", "finite"), ({"learning_rate": float("inf")}, "learning_rate", "finite"),
     ({"epochs": float("inf")}, "epochs", "finite"), ({"top_k": 2.5}, "top_k", "integer"),
     ({"batch_size": 1.5}, "batch_size", "integer"), ({"max_length": "64"}, "max_length", "integer")],
)
def test_config_built_directly_rejects_nan_inf_and_fractional_counts_as_the_cli_does(changes, option, why):
    with pytest.raises(ConfigError, match=rf"distill\.{option} must be an? {why}"):
        DistillConfig(**changes)


def test_config_takes_a_whole_float_count_as_an_integer():
    assert DistillConfig(top_k=5.0).top_k == 5 and isinstance(DistillConfig(top_k=5.0).top_k, int)
    with pytest.raises(ConfigError, match=r"teacher\.epochs must be a finite number"):
        TeacherConfig(epochs=float("inf"))


def test_layer_map_out_of_range_names_the_valid_ranges_and_the_presets():
    with pytest.raises(ConfigError) as error:
        resolve_layer_map(((7, 12),), 6, 12)
    assert "s in 0..6 and t in 0..12 (0 = embeddings)" in str(error.value)
    assert "distill.layer_map=last" in error.value.hint and "distill.layer_map=uniform" in error.value.hint


def test_uniform_after_init_from_teacher_aligns_each_layer_with_the_one_it_was_copied_from():
    assert resolve_layer_map("uniform", 3, 6) == ((1, 2), (2, 4), (3, 6))
    # blocks 0, 2, 4 of the teacher are the student's blocks 0, 1, 2: their outputs are teacher layers 1, 3, 5
    assert resolve_layer_map("uniform", 3, 6, copied_from=[0, 2, 4]) == ((1, 1), (2, 3), (3, 5))
    assert resolve_layer_map("last", 3, 6, copied_from=[0, 2, 4]) == ((3, 6),)  # DistilBERT: final to final
