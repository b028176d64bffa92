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


def _labels_task(names, n=12):
    from tiny_distill import sample_texts

    from domainkit.data.taskdata import SINGLE_LABEL, TaskData

    texts = sample_texts(n)
    return TaskData(f"task-{len(names)}", SINGLE_LABEL, list(names), texts, [names[i % len(names)] for i in range(n)],
                    sample_texts(4, offset=3), [names[i % len(names)] for i in range(4)])


def test_domain_adapters_with_their_own_label_sets_swap_on_one_base(tmp_path, student_dir):
    """Two tasks trained as LoRA adapters (2 and 3 labels) share one base; each predicts as its merged model."""
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    from domainkit.distill.adapters import DomainAdapters
    from domainkit.distill.api import finetune_only
    from domainkit.distill.config import DistillConfig

    cfg = DistillConfig(epochs=1, batch_size=4, max_length=24, logging_steps=1, save_steps=1000, bf16=False,
                        lora_r=4, learning_rate=1e-2)
    runs = {}
    for names in (["cardio", "other"], ["contract", "tort", "lease"]):
        task = _labels_task(names)
        result = finetune_only(student_dir, task, cfg, out_dir=tmp_path / task.task)
        assert result.report["student_training"]["method"] == "lora"
        runs[task.task] = result.model_dir
    base_weights = (student_dir / "model.safetensors").read_bytes()

    adapters = DomainAdapters(student_dir)
    for name in runs:
        assert adapters.add(tmp_path / name / "adapter") == [name]
    assert adapters.domains == ["task-2", "task-3"]
    texts = ["the patient has a fever", "contract party shall pay", "chest pain"]
    tokenizer = AutoTokenizer.from_pretrained(student_dir)
    encoded = tokenizer(texts, padding=True, return_tensors="pt")
    for name, merged_dir in runs.items():
        adapters.use(name)
        merged = AutoModelForSequenceClassification.from_pretrained(merged_dir).eval()
        expected = torch.softmax(merged(**encoded).logits, dim=-1).detach().numpy()
        assert adapters.labels() == list(merged.config.id2label.values())
        assert adapters.predict_proba(texts) == pytest.approx(expected, abs=1e-5)
    assert (student_dir / "model.safetensors").read_bytes() == base_weights  # the base itself never changed
    from transformers import AutoModel

    base_query = AutoModel.from_pretrained(student_dir).encoder.layer[0].attention.self.query.weight
    trained_query = merged.bert.encoder.layer[0].attention.self.query.weight
    assert not torch.allclose(base_query, trained_query)  # the adapter learned something, merged in
    with pytest.raises(ModelError, match="task-9"):
        adapters.use("task-9")
    with pytest.raises(ModelError, match="loaded already") as error:
        adapters.add(tmp_path / "task-2" / "adapter")
    assert "name=" in error.value.hint
    assert adapters.add(tmp_path / "task-2" / "adapter", name="ward-7") == ["ward-7"]
    adapters.use("ward-7")
    assert adapters.labels() == ["cardio", "other"]


def test_adapters_refuse_a_student_they_cannot_rebuild(tmp_path):
    from transformers import MPNetConfig, MPNetForSequenceClassification

    from domainkit.distill.adapters import attach_lora
    from domainkit.errors import ConfigError

    mpnet = MPNetForSequenceClassification(MPNetConfig(vocab_size=40, hidden_size=16, num_hidden_layers=1,
                                                       num_attention_heads=2, intermediate_size=20, num_labels=2))
    with pytest.raises(ConfigError, match="BERT-family student .* 'mpnet'"):
        attach_lora(mpnet, "legal", r=4, alpha=16)


@pytest.mark.parametrize("entry", ["finetune_only", "distill"])
def test_the_lora_student_checksum_is_taken_before_rank_zero_merges_the_adapter(tmp_path, student_dir, mlm_teacher_dir,
                                                                                pool_texts, monkeypatch, entry):
    """Under torchrun only rank 0 saves (and merges): the other ranks' sum is of the unmerged student."""
    from domainkit.distill import api
    from domainkit.distill.config import DistillConfig

    save, unmerged = api._save_student, []
    monkeypatch.setattr(api, "_save_student", lambda model, *a: unmerged.append(api._checksum(model)) or save(model, *a))
    cfg = DistillConfig(epochs=1, batch_size=4, max_length=24, logging_steps=1, save_steps=1000, bf16=False,
                        lora_r=4, learning_rate=1e-2, soft_labels="teacher")
    task = _labels_task(["cardio", "other"])
    if entry == "distill":
        report = api.distill(student_dir, mlm_teacher_dir, task, pool_texts, cfg, out_dir=tmp_path / "run",
                             cache_dir=tmp_path / "cache").report
    else:
        report = api.finetune_only(student_dir, task, cfg, out_dir=tmp_path / "run").report
    assert report["student_checksum"] == unmerged[0]


def test_domain_adapters_read_as_their_run_reads_the_merged_model(tmp_path, student_dir):
    """Window length and de-identification come from the adapter's settings, as `domainkit predict` applies them."""
    from domainkit.deid import DeidPolicy
    from domainkit.distill.adapters import DomainAdapters
    from domainkit.distill.api import finetune_only
    from domainkit.distill.config import DistillConfig
    from domainkit.heads.settings import InferenceSettings, write_settings
    from domainkit.predict.predictor import Predictor

    cfg = DistillConfig(epochs=1, batch_size=4, max_length=24, logging_steps=1, save_steps=1000, bf16=False,
                        lora_r=4, learning_rate=1e-2)
    task = _labels_task(["cardio", "other"])
    merged_dir = finetune_only(student_dir, task, cfg, out_dir=tmp_path / "run").model_dir
    settings = InferenceSettings(max_length=8, deid_policy={**DeidPolicy(use_ner=False).__dict__})
    for folder in (merged_dir, tmp_path / "run" / "adapter" / task.task):  # what the runner writes
        write_settings(folder, settings)
    adapters = DomainAdapters(student_dir)
    adapters.add(tmp_path / "run" / "adapter")
    texts = ["Dr. Okafor saw the patient with chest pain and fever today", "contract party shall pay"]
    expected = Predictor(merged_dir).probabilities(texts)
    assert adapters.predict_proba(texts) == pytest.approx(expected, abs=1e-5)
    assert adapters.settings[task.task].max_length == 8
