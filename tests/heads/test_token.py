import random

from domainkit.heads.token import bio_labels, decode_spans, evaluate_spans, piece_labels, predict_spans, train_token_classifier


def _tokenizer(make_classifier):
    from transformers import AutoTokenizer

    return AutoTokenizer.from_pretrained(make_classifier())


def test_token_spans_to_piece_labels_and_back_round_trip(make_classifier):
    tokenizer = _tokenizer(make_classifier)
    text = "the patient has kidney pain and liver"
    spans = [(16, 27, "ORGAN"), (32, 37, "ORGAN")]  # "kidney pain", "liver"
    labels = bio_labels(["ORGAN"])
    label2id = {l: i for i, l in enumerate(labels)}
    offsets = tokenizer(text, return_offsets_mapping=True)["offset_mapping"]
    ids = piece_labels(offsets, spans, label2id)
    assert [labels[i] if i >= 0 else None for i in ids] == [None, "O", "O", "O", "B-ORGAN", "I-ORGAN", "O", "B-ORGAN", None]
    assert decode_spans(offsets, [max(i, 0) for i in ids], dict(enumerate(labels))) == spans


def test_token_a_span_starting_inside_a_piece_labels_that_piece_as_its_beginning():
    """A span that begins mid-piece must not be trained as O: decoding redacts whole pieces."""
    labels = bio_labels(["NAME"])
    label2id = {l: i for i, l in enumerate(labels)}
    offsets = [(0, 0), (0, 3), (3, 7), (8, 12), (0, 0)]  # [CLS] "mrs" "mith" "came" [SEP]; text "MrSmith came"
    ids = piece_labels(offsets, [(2, 7, "NAME")], label2id)  # the span covers "Smith" only
    assert [labels[i] if i >= 0 else None for i in ids] == [None, "B-NAME", "I-NAME", "O", None]


def _organ_data(n, seed):
    rng = random.Random(seed)
    texts, spans = [], []
    for _ in range(n):
        words = rng.choices(["the", "patient", "has", "pain", "with", "a"], k=rng.randint(2, 6))
        organ = rng.choice(["kidney", "liver", "lung"])
        words.insert(rng.randint(0, len(words)), organ)
        text = " ".join(words)
        start = text.index(organ)
        texts.append(text)
        spans.append([(start, start + len(organ), "ORGAN")])
    return texts, spans


def test_token_classifier_trains_with_trainer_and_finds_spans(make_classifier, tmp_path):
    texts, spans = _organ_data(64, seed=0)
    out = train_token_classifier(make_classifier(), texts, spans, tmp_path / "ner", entity_types=["ORGAN"],
                                 max_length=32, epochs=10, learning_rate=3e-3, batch_size=16)
    test_texts, test_spans = _organ_data(20, seed=1)
    scores = evaluate_spans(predict_spans(out, test_texts, max_length=32), test_spans)
    assert scores["f1"] > 0.8


def test_token_windows_label_late_spans_and_merge_back(make_classifier):
    from domainkit.heads.token import encode, merge_window_spans

    tokenizer = _tokenizer(make_classifier)
    text = " ".join(["the patient has pain"] * 12) + " liver"
    spans = [(len(text) - 5, len(text), "ORGAN")]
    label2id = {l: i for i, l in enumerate(bio_labels(["ORGAN"]))}
    truncated = encode(tokenizer, [text], [spans], label2id, max_length=16)
    windows = encode(tokenizer, [text], [spans], label2id, max_length=16, stride=4)
    assert len(truncated) == 1 and label2id["B-ORGAN"] not in truncated[0]["labels"]
    assert len(windows) > 1 and label2id["B-ORGAN"] in windows[-1]["labels"]
    # a span seen by two overlapping windows comes back once
    assert merge_window_spans([(3, 8, "NAME"), (0, 4, "NAME"), (3, 8, "NAME"), (9, 12, "DATE")]) == [
        (0, 8, "NAME"), (9, 12, "DATE")]


def test_token_classifier_tags_beyond_the_first_window(make_classifier, tmp_path):
    texts, spans = _organ_data(64, seed=0)
    out = train_token_classifier(make_classifier(), texts, spans, tmp_path / "ner", entity_types=["ORGAN"],
                                 max_length=32, epochs=10, learning_rate=3e-3, batch_size=16)
    filler = "the patient has pain with a " * 8
    long_texts = [filler + t for t in _organ_data(10, seed=2)[0]]
    long_spans = [[(s + len(filler), e + len(filler), k) for s, e, k in sp] for sp in _organ_data(10, seed=2)[1]]
    windowed = evaluate_spans(predict_spans(out, long_texts, max_length=32, stride=8), long_spans)
    truncated = evaluate_spans(predict_spans(out, long_texts, max_length=32), long_spans)
    assert windowed["recall"] > 0.8 and truncated["recall"] == 0.0
