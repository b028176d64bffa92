import torch
from transformers import AutoModel, BertModel

from domainkit.distill.student_init import init_student_from_teacher, kept_layers


def test_student_init_keeps_one_layer_in_two(tmp_path, make_tokenizer):
    from transformers import BertConfig

    tok = make_tokenizer("bert")
    teacher = BertModel(BertConfig(vocab_size=len(tok), hidden_size=16, num_hidden_layers=4, num_attention_heads=2,
                                   intermediate_size=20, max_position_embeddings=32))
    teacher.save_pretrained(tmp_path / "t")
    tok.save_pretrained(tmp_path / "t")
    student = AutoModel.from_pretrained(init_student_from_teacher(tmp_path / "t", tmp_path / "s"))
    assert kept_layers(4, 2) == [0, 2] and student.config.num_hidden_layers == 2
    assert torch.equal(student.encoder.layer[1].attention.self.query.weight, teacher.encoder.layer[2].attention.self.query.weight)
    assert torch.equal(student.embeddings.word_embeddings.weight, teacher.embeddings.word_embeddings.weight)


def test_student_init_keeps_the_teachers_trained_mlm_head(tmp_path, make_tokenizer):
    """DistilBERT's student keeps BERT's MLM head; the distillation's MLM head then starts from it."""
    from transformers import BertConfig, BertForMaskedLM

    from domainkit.distill.student import TiedMLMHead
    from domainkit.distill.teacher_outputs import has_mlm_head

    tok = make_tokenizer("bert")
    torch.manual_seed(0)
    teacher = BertForMaskedLM(BertConfig(vocab_size=len(tok), hidden_size=16, num_hidden_layers=4,
                                         num_attention_heads=2, intermediate_size=20, max_position_embeddings=32))
    with torch.no_grad():
        teacher.cls.predictions.transform.dense.weight.normal_()  # a head that is not the fresh initialisation
        teacher.cls.predictions.bias.uniform_()
    teacher.save_pretrained(tmp_path / "t")
    tok.save_pretrained(tmp_path / "t")
    folder = init_student_from_teacher(tmp_path / "t", tmp_path / "s")
    assert has_mlm_head(folder)
    student = AutoModel.from_pretrained(folder)
    assert student.config.num_hidden_layers == 2
    assert torch.equal(student.encoder.layer[1].output.dense.weight, teacher.bert.encoder.layer[2].output.dense.weight)
    head = TiedMLMHead(16, student.get_input_embeddings())
    assert head.load_from_checkpoint(folder)  # what attach_mlm_head reports as "student checkpoint's MLM head"
    assert torch.equal(head.dense.weight, teacher.cls.predictions.transform.dense.weight)
    assert torch.equal(head.bias, teacher.cls.predictions.bias)


def test_student_init_from_a_teacher_without_mlm_head_saves_no_head(tmp_path, make_tokenizer):
    from transformers import BertConfig

    from domainkit.distill.teacher_outputs import has_mlm_head

    tok = make_tokenizer("bert")
    BertModel(BertConfig(vocab_size=len(tok), hidden_size=16, num_hidden_layers=2, num_attention_heads=2,
                         intermediate_size=20, max_position_embeddings=32)).save_pretrained(tmp_path / "t")
    tok.save_pretrained(tmp_path / "t")
    assert not has_mlm_head(init_student_from_teacher(tmp_path / "t", tmp_path / "s"))
