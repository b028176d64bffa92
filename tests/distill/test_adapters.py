import pytest
import torch
from transformers import BertConfig, BertForSequenceClassification

from domainkit.distill.adapters import add_adapter, use_adapter, with_adapter
from domainkit.errors import ModelError


def test_adapters_swap_domains_without_reloading_base():
    torch.manual_seed(0)
    base = BertForSequenceClassification(BertConfig(vocab_size=30, hidden_size=16, num_hidden_layers=1,
                                                    num_attention_heads=2, intermediate_size=20, num_labels=2))
    model = with_adapter(base, "medical")
    add_adapter(model, "legal")
    base_weight = model.base_model.model.bert.encoder.layer[0].attention.self.query.base_layer.weight
    for name, p in model.named_parameters():  # give each adapter distinct, non-zero LoRA weights
        if "lora_B" in name:
            with torch.no_grad():
                p.fill_(0.5 if ".medical" in name else -0.5)
    ids = torch.tensor([[2, 5, 6, 3]])
    model.eval()
    use_adapter(model, "medical")
    medical = model(input_ids=ids).logits
    use_adapter(model, "legal")
    legal = model(input_ids=ids).logits
    assert not torch.allclose(medical, legal)
    use_adapter(model, "medical")
    assert torch.allclose(model(input_ids=ids).logits, medical)
    assert model.base_model.model.bert.encoder.layer[0].attention.self.query.base_layer.weight is base_weight
    with pytest.raises(ModelError, match="medical"):
        use_adapter(model, "radiology")


def test_adapters_saved_per_domain_load_back_onto_a_fresh_base(tmp_path):
    from domainkit.distill.adapters import load_adapters, save_adapters, saved_domains

    config = BertConfig(vocab_size=30, hidden_size=16, num_hidden_layers=1, num_attention_heads=2,
                        intermediate_size=20, num_labels=2)
    torch.manual_seed(0)
    base = BertForSequenceClassification(config)
    base.save_pretrained(tmp_path / "base")
    model = with_adapter(base, "medical")
    add_adapter(model, "legal")
    for name, p in model.named_parameters():
        if "lora_B" in name or "classifier" in name and "modules_to_save" in name:
            with torch.no_grad():
                p.normal_()
    model.eval()
    ids = torch.tensor([[2, 5, 6, 3]])
    expected = {}
    for domain in ("medical", "legal"):
        use_adapter(model, domain)
        expected[domain] = model(input_ids=ids).logits
    assert save_adapters(model, tmp_path / "adapters") == ["medical", "legal"]
    assert saved_domains(tmp_path / "adapters") == ["legal", "medical"]

    loaded = load_adapters(BertForSequenceClassification.from_pretrained(tmp_path / "base"), tmp_path / "adapters")
    loaded.eval()
    for domain in ("medical", "legal"):
        use_adapter(loaded, domain)
        assert torch.allclose(loaded(input_ids=ids).logits, expected[domain], atol=1e-6)
    with pytest.raises(ModelError, match="radiology"):
        load_adapters(BertForSequenceClassification.from_pretrained(tmp_path / "base"), tmp_path / "adapters",
                      ["radiology"])
