import unicodedata

import numpy as np

from domainkit.distill.vocab import bridge_vocabularies, token_word_index, whole_word_index, word_spans



def test_vocab_identical(make_tokenizer):
    a, b = make_tokenizer("bert", "a"), make_tokenizer("bert", "b")
    bridge = bridge_vocabularies(a, b)
    assert bridge.relation == "identical" and bridge.offset == 0
    ids = a("the patient has fever")["input_ids"]
    assert list(bridge.to_teacher_ids(ids)) == ids


def test_vocab_shifted_mpnet_style_plus_four(make_tokenizer):
    student, teacher = make_tokenizer("bert"), make_tokenizer("mpnet")
    bridge = bridge_vocabularies(student, teacher)
    assert bridge.relation == "shifted" and bridge.offset == 4
    text = "the patient has chest pain"
    mapped = bridge.to_teacher_ids(student(text)["input_ids"])
    assert list(mapped) == teacher(text)["input_ids"]  # specials map by role: [CLS]-><s>, [SEP]-></s>
    assert bridge.to_student_ids(np.array(teacher(text)["input_ids"][1:-1])).tolist() == student(text)["input_ids"][1:-1]
    assert bridge.to_teacher_ids([student.mask_token_id])[0] == teacher.mask_token_id


def test_vocab_mapped_permutation(tmp_path, make_tokenizer):
    student = make_tokenizer("bert")
    pieces = [p for p, _ in sorted(student.get_vocab().items(), key=lambda kv: kv[1])]
    from transformers import BertTokenizerFast

    shuffled = pieces[:5] + list(reversed(pieces[5:]))
    teacher = BertTokenizerFast(vocab={p: i for i, p in enumerate(shuffled)})
    bridge = bridge_vocabularies(student, teacher)
    assert bridge.relation == "mapped"
    text = "left lung"
    assert list(bridge.to_teacher_ids(student(text)["input_ids"])) == teacher(text)["input_ids"]


def test_vocab_different_aligns_words_by_character_offsets(make_tokenizer):
    student, teacher = make_tokenizer("bert"), make_tokenizer("char")
    bridge = bridge_vocabularies(student, teacher)
    assert bridge.relation == "different" and not bridge.token_aligned
    text = "chest pain, left"
    spans = word_spans(text)
    assert [text[a:b] for a, b in spans] == ["chest", "pain", ",", "left"]
    s_enc = student(text, return_offsets_mapping=True)
    t_enc = teacher(text, return_offsets_mapping=True)
    s_words = token_word_index(s_enc["offset_mapping"], spans)
    t_words = token_word_index(t_enc["offset_mapping"], spans)
    assert s_words == [-1, 0, 1, 2, 3, -1]
    assert t_words[0] == -1 and t_words[1:6] == [0] * 5 and t_words[-2:] == [3, -1]
    assert sorted(set(t_words) - {-1}) == [0, 1, 2, 3]


def test_vocab_teacher_that_only_adds_pieces_is_identical_over_the_student_range(make_tokenizer):
    student, teacher = make_tokenizer("bert", "s"), make_tokenizer("bert", "t")
    teacher.add_tokens(["myocarditis"])
    bridge = bridge_vocabularies(student, teacher)
    assert bridge.describe() == {"relation": "identical", "offset": 0, "coverage": 1.0, "teacher_only_pieces": 1}
    ids = student("the patient has fever")["input_ids"]
    assert list(bridge.to_teacher_ids(ids)) == ids
    assert bridge.to_student_ids(np.array([teacher.convert_tokens_to_ids("myocarditis")])).tolist() == [-1]
    # the other way round the student has a piece the teacher lacks: its id cannot pass unchanged
    assert bridge_vocabularies(teacher, student).relation != "identical"
    # a pair of equal size reports as before (its description is part of the teacher-cache key)
    assert "teacher_only_pieces" not in bridge_vocabularies(student, make_tokenizer("bert", "u")).describe()


def _words(text: str) -> list[str]:
    return [text[a:b] for a, b in word_spans(text)]


def test_vocab_word_spans_keep_combining_marks_inside_the_word():
    composed = "na\u00efve patient, caf\u00e9"
    decomposed = unicodedata.normalize("NFD", composed)  # "nai\u0308ve patient, cafe\u0301"
    assert _words(composed) == ["na\u00efve", "patient", ",", "caf\u00e9"]
    assert _words(decomposed) == ["nai\u0308ve", "patient", ",", "cafe\u0301"]
    hindi = "\u0939\u093f\u0928\u094d\u0926\u0940 text"  # vowel signs and the virama are marks too
    assert _words(hindi) == ["\u0939\u093f\u0928\u094d\u0926\u0940", "text"]
    # a mark after punctuation stays with it and does not glue the next word on
    assert _words("-\u0301ab") == ["-\u0301", "ab"]


def test_vocab_nfd_text_aligns_one_unit_per_word_on_both_sides(make_tokenizer):
    text = unicodedata.normalize("NFD", "na\u00efve patient")
    student, teacher = make_tokenizer("bert"), make_tokenizer("char")  # bert: [UNK] for the word; char: letters
    s_words = whole_word_index(student(text, return_offsets_mapping=True)["offset_mapping"], text)
    t_enc = teacher(text, return_offsets_mapping=True)
    t_words = whole_word_index(t_enc["offset_mapping"], text)
    assert s_words == [-1, 0, 1, -1]
    letters_of_word_0 = "".join(text[a:b] for (a, b), w in zip(t_enc["offset_mapping"], t_words) if w == 0)
    assert letters_of_word_0 == "naive"  # all five letters (the tokenizer strips the mark), not "nai"
    assert sorted(set(t_words) - {-1}) == [0, 1]


def test_vocab_whole_word_index_leaves_out_only_a_word_truncation_really_cut():
    text = "heart kidney"  # words (0, 5), (6, 12)
    whole = [(0, 0), (0, 5), (6, 9), (9, 12), (0, 0)]  # [CLS] heart kid ##ney [SEP]: fits exactly
    cut = [(0, 0), (0, 5), (6, 9), (0, 0)]  # [CLS] heart kid [SEP]: ##ney fell off
    assert whole_word_index(whole, text) == [-1, 0, 1, 1, -1]
    assert whole_word_index(cut, text) == [-1, 0, -1, -1]
    assert whole_word_index([(0, 0), (0, 0)], text) == [-1, -1]
    # a tokenizer that strips accents ends "cafe" before the trailing mark of NFD "cafe\u0301": not cut
    nfd = "heart cafe\u0301"
    assert whole_word_index([(0, 0), (0, 5), (6, 10), (0, 0)], nfd) == [-1, 0, 1, -1]
    assert whole_word_index([(0, 0), (0, 5), (6, 8), (0, 0)], nfd) == [-1, 0, -1, -1]
