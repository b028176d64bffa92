import numpy as np

from domainkit.distill.teacher_cache import TeacherCache, topk_arrays


def _compute_factory(calls):
    def compute(indices):
        calls.append(list(indices))
        return [{"logits_values": np.full(3, i, np.float16), "hidden_2": np.ones((i + 1, 4), np.float16)} for i in indices]
    return compute


def test_teacher_cache_second_use_does_not_call_teacher(tmp_path):
    calls = []
    spec = {"top_k": 3}
    first = TeacherCache(tmp_path, "fp-a", spec).ensure(["k0", "k1", "k2"], _compute_factory(calls), shard_size=2)
    assert calls == [[0, 1], [2]] and first[2]["hidden_2"].shape == (3, 4)
    again = TeacherCache(tmp_path, "fp-a", spec)  # fresh process: reads shards from disk
    records = again.ensure(["k2", "k0"], _compute_factory(calls))
    assert calls == [[0, 1], [2]] and again.computed == 0
    assert records[0]["logits_values"].tolist() == [2, 2, 2] and records[0]["hidden_2"].dtype == np.float16
    partly = TeacherCache(tmp_path, "fp-a", spec).ensure(["k0", "new"], _compute_factory(calls))
    assert calls[-1] == [1] and len(partly) == 2  # only the new example was computed


def test_teacher_cache_changed_teacher_fingerprint_or_spec_recomputes(tmp_path):
    calls = []
    TeacherCache(tmp_path, "fp-a", {"top_k": 3}).ensure(["k0"], _compute_factory(calls))
    TeacherCache(tmp_path, "fp-b", {"top_k": 3}).ensure(["k0"], _compute_factory(calls))
    TeacherCache(tmp_path, "fp-a", {"top_k": 5}).ensure(["k0"], _compute_factory(calls))
    assert len(calls) == 3
    assert not list(tmp_path.rglob("*.tmp"))  # atomic writes leave no temporary files


def test_teacher_cache_topk_arrays_sorted_fp16_int32():
    values, indices = topk_arrays(np.array([[0.1, 3.0, -1.0, 2.0]]), 2)
    assert indices.tolist() == [[1, 3]] and values.dtype == np.float16 and indices.dtype == np.int32


def test_teacher_cache_sets_an_unreadable_shard_aside_and_recomputes_its_examples(tmp_path, caplog):
    calls = []
    cache = TeacherCache(tmp_path, "fp-a", {"top_k": 3})
    cache.ensure(["k0", "k1", "k2"], _compute_factory(calls), shard_size=2)
    first_shard = sorted(cache.folder.glob("shard-*.safetensors"))[0]
    first_shard.write_bytes(b"")  # cut short by a disk error
    again = TeacherCache(tmp_path, "fp-a", {"top_k": 3})
    records = again.ensure(["k0", "k1", "k2"], _compute_factory(calls))
    assert calls[-1] == [0, 1] and again.computed == 2
    assert records[1]["logits_values"].tolist() == [1, 1, 1]
    assert (cache.folder / f".unreadable-{first_shard.name}").exists()
    assert "unreadable" in caplog.text
    assert not list(cache.folder.glob(".*.tmp"))


def test_teacher_cache_sets_aside_a_shard_whose_values_were_overwritten(tmp_path, caplog):
    calls = []
    cache = TeacherCache(tmp_path, "fp-a", {"top_k": 3})
    cache.ensure(["k0", "k1"], _compute_factory(calls))
    shard = next(cache.folder.glob("shard-*.safetensors"))
    raw = bytearray(shard.read_bytes())
    header = 8 + int.from_bytes(raw[:8], "little")  # keep the header: the file still parses
    raw[header:] = b"\xff" * (len(raw) - header)  # fp16 0xFFFF is NaN
    shard.write_bytes(bytes(raw))
    again = TeacherCache(tmp_path, "fp-a", {"top_k": 3})
    records = again.ensure(["k0", "k1"], _compute_factory(calls))
    assert again.computed == 2 and records[1]["logits_values"].tolist() == [1, 1, 1]
    assert (cache.folder / f".unreadable-{shard.name}").exists() and "not finite" in caplog.text


def test_teacher_outputs_that_overflow_fp16_are_refused_before_they_are_stored(tmp_path):
    import pytest

    from domainkit.errors import DomainkitError

    cache = TeacherCache(tmp_path, "fp-a", {"top_k": 3})
    overflow = lambda indices: [{"logits_values": np.array([7e4, 0, 0], np.float32).astype(np.float16)} for _ in indices]  # noqa: E731
    with pytest.raises(DomainkitError, match="not finite in fp16"):
        cache.ensure(["k0"], overflow)
    assert not list(cache.folder.glob("shard-*"))


def test_weights_fingerprint_ignores_the_scores_a_run_writes_beside_the_weights(tmp_path):
    from domainkit.distill.fingerprint import model_fingerprint, weights_fingerprint

    (tmp_path / "model.safetensors").write_bytes(b"weights")
    (tmp_path / "teacher_result.json").write_text('{"macro_f1": 0.5}')
    before = weights_fingerprint(tmp_path), model_fingerprint(tmp_path)
    (tmp_path / "teacher_result.json").write_text('{"macro_f1": 0.6}')  # rescored on another test split
    assert weights_fingerprint(tmp_path) == before[0] and model_fingerprint(tmp_path) != before[1]
    (tmp_path / "model.safetensors").write_bytes(b"other weights")
    assert weights_fingerprint(tmp_path) != before[0]
