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
     ({"alpha_ce": -1}, "alpha_ce"), ({"layer_map": "every"}, "layer_map"), ({"mlm_probability": 1.5}, "mlm_probability")],
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
