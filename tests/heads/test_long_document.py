import torch

from domainkit.heads.long_document import count_windows, encode_windows, pool_window_logits


def test_long_document_windows_cover_a_long_text(make_classifier):
    from transformers import AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(make_classifier())
    long_text = " ".join(["patient has fever"] * 40)  # 120 word pieces
    windows = encode_windows(tokenizer, [long_text, "short text"], max_length=32, stride=8)
    mapping = windows.window_to_doc.tolist()
    assert mapping.count(0) > 3 and mapping.count(1) == 1
    assert windows.encoding["input_ids"].shape[1] <= 32
    # consecutive windows overlap by `stride` word pieces
    first, second = windows.encoding["input_ids"][0], windows.encoding["input_ids"][1]
    assert first[-9:-1].tolist() == second[1:9].tolist()
    assert count_windows(tokenizer, long_text, max_length=32, stride=8) == mapping.count(0)


def test_long_document_pooling_mean_for_single_label_max_for_multi_label():
    logits = torch.tensor([[1.0, 0.0], [3.0, -2.0], [0.5, 0.5]])
    window_to_doc = torch.tensor([0, 0, 1])
    mean = pool_window_logits(logits, window_to_doc, 2, multi_label=False)
    assert torch.allclose(mean, torch.tensor([[2.0, -1.0], [0.5, 0.5]]))
    top = pool_window_logits(logits, window_to_doc, 2, multi_label=True)
    assert torch.allclose(top, torch.tensor([[3.0, 0.0], [0.5, 0.5]]))


def test_long_document_pooled_prediction_matches_manual_window_average(make_classifier):
    from domainkit.evaluation.inference import predict_logits
    from domainkit.heads.loading import load_classifier

    classifier = load_classifier(make_classifier(), max_length=32, long_documents=True, stride=8)
    long_text = " ".join(["lung cough the patient"] * 30)
    windows = encode_windows(classifier.tokenizer, [long_text], max_length=32, stride=8)
    with torch.inference_mode():
        manual = classifier.model(**windows.encoding).logits.mean(dim=0)
    pooled = predict_logits(classifier, [long_text, "skin rash"], batch_size=2)
    assert torch.allclose(torch.from_numpy(pooled[0]), manual, atol=1e-5)


def test_window_texts_are_the_windows_inference_pools(make_classifier):
    from transformers import AutoTokenizer

    from domainkit.heads.long_document import window_texts

    tokenizer = AutoTokenizer.from_pretrained(make_classifier())
    long_text = " ".join(f"patient has fever {i % 10}" for i in range(30))
    texts = [long_text, "short text", long_text]
    windows, owner = window_texts(tokenizer, texts, max_length=32, stride=8, max_windows=3)
    assert owner == [0, 0, 0, 1, 2, 2, 2]  # capped at 3 per document, in document order
    assert windows[3] == "short text"
    encoded = encode_windows(tokenizer, texts, max_length=32, stride=8, max_windows=3)
    for window, ids in zip(windows, encoded.encoding["input_ids"].tolist()):
        # each window's text tokenises back to the word pieces inference classifies
        assert tokenizer(window)["input_ids"] == [i for i in ids if i != tokenizer.pad_token_id]
    everything, _ = window_texts(tokenizer, [long_text], max_length=32, stride=8)
    assert len(everything) == count_windows(tokenizer, long_text, max_length=32, stride=8) > 3


def test_window_texts_start_windows_cut_inside_a_word_at_the_word(make_tokenizer):
    from domainkit.heads.long_document import window_texts

    tokenizer = make_tokenizer("bert")
    text = " ".join(["patient coughing pains"] * 30)  # cough ##ing, pain ##s
    cut_inside_a_word = 0
    for max_length in range(12, 20):
        windows, _ = window_texts(tokenizer, [text], max_length=max_length, stride=3)
        encoded = encode_windows(tokenizer, [text], max_length=max_length, stride=3)
        for window, ids in zip(windows, encoded.encoding["input_ids"].tolist()):
            pieces = [i for i in ids if i not in (tokenizer.pad_token_id, tokenizer.cls_token_id, tokenizer.sep_token_id)]
            cut_inside_a_word += tokenizer.convert_ids_to_tokens(pieces[0]).startswith("##")
            assert window.split()[0] in {"patient", "coughing", "pains"}  # whole words only
            # the window's text reads as the pieces inference classifies, plus the start of the cut word
            assert tokenizer(window, add_special_tokens=False)["input_ids"][-len(pieces):] == pieces
    assert cut_inside_a_word > 0


def test_settings_default_stride_follows_the_window_as_evaluation_does():
    from domainkit.heads.long_document import default_stride
    from domainkit.heads.settings import InferenceSettings

    assert InferenceSettings(max_length=64).stride == default_stride(64) == 16
    assert InferenceSettings().stride == 32
    assert InferenceSettings(max_length=32).stride == 8  # used to raise: the default 32 did not fit
    assert InferenceSettings().with_changes(max_length=32).stride == 8
    assert InferenceSettings(max_length=256, stride=16).with_changes(max_length=512).stride == 16


def test_a_window_cap_keeps_the_opening_windows_or_spreads_them_to_the_last():
    from domainkit.heads.long_document import select_windows

    # document 0 has 9 windows, document 1 has 2, document 2 has 5
    window_to_doc = torch.tensor([0] * 9 + [1] * 2 + [2] * 5)
    assert select_windows(window_to_doc, 2).tolist() == [0, 1, 9, 10, 11, 12]  # the default: the opening ones
    spread = select_windows(window_to_doc, 2, "spread").tolist()
    assert spread == [0, 8, 9, 10, 11, 15]  # opening and closing windows; a short document keeps both
    assert select_windows(window_to_doc, 3, "spread").tolist() == [0, 4, 8, 9, 10, 11, 13, 15]
    assert select_windows(window_to_doc, 1, "spread").tolist() == [0, 9, 11]  # one window: the opening one


def test_an_unknown_window_selection_is_refused_with_the_choices():
    import pytest

    from domainkit.heads.long_document import select_windows

    with pytest.raises(ValueError, match="available: first, spread"):
        select_windows(torch.tensor([0, 0]), 1, "middle")


def test_training_windows_and_inference_windows_agree_under_both_selections(make_classifier):
    from transformers import AutoTokenizer

    from domainkit.heads.long_document import window_texts

    tokenizer = AutoTokenizer.from_pretrained(make_classifier())
    long_text = " ".join(f"clause {i} binds the licensee" for i in range(40))
    for selection in ("spread", "first"):
        windows, owner = window_texts(tokenizer, [long_text], max_length=32, stride=8, max_windows=2,
                                      selection=selection)
        encoded = encode_windows(tokenizer, [long_text], max_length=32, stride=8, max_windows=2, selection=selection)
        assert owner == [0, 0]
        for window, ids in zip(windows, encoded.encoding["input_ids"].tolist()):
            assert tokenizer(window)["input_ids"] == [i for i in ids if i != tokenizer.pad_token_id]
        assert ("clause 39" in windows[-1]) == (selection == "spread")  # spread reads the document's end


def test_settings_written_before_window_selection_existed_read_their_opening_windows(tmp_path):
    import json

    from domainkit.heads.settings import SETTINGS_FILE, InferenceSettings, read_settings, write_settings

    (tmp_path / SETTINGS_FILE).write_text(json.dumps({"max_length": 64, "long_documents": True, "max_windows": 2}))
    assert read_settings(tmp_path).window_selection == "first"  # how that model was trained and scored
    write_settings(tmp_path, InferenceSettings(max_length=64, long_documents=True, max_windows=2,
                                               window_selection="spread"))
    assert read_settings(tmp_path).window_selection == "spread"


def test_settings_refuse_an_unknown_window_selection():
    import pytest

    from domainkit.heads.settings import InferenceSettings

    with pytest.raises(ValueError, match="available: first, spread"):
        InferenceSettings(window_selection="last")
