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
