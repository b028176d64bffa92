"""`domainkit predict` throughput vs the bare model's forward pass on the same batches.

Target: predict_file's documents/second within 10% of the bare forward pass
(ratio >= 0.90): everything around the model (reading, sorting, tokenising,
writing) must cost little. The bare pass gets the same length-sorted batches
already tokenised, so it is an upper bound.

predict and the bare pass are timed in turns (A B A B ..., ``--rounds``) and compared by their
medians, with each side's slowest and fastest pass.

Then ``domainkit predict --precision bf16`` against the default fp32, timed in turns the same way:
the speed ratio, and how often the two give the same label. On a CPU without native bf16
(avx512_bf16, amx_bf16) bf16 is emulated and the ratio falls below 1. The default model is
MiniLM with a random head (nothing to install beyond ``make install``), whose near-tied labels
make agreement a lower bound; ``--model`` takes a trained export, such as a medical run's
``RUN/06-export/model``. Such a model carries a de-identification policy, which ``predict``
applies before the model: both comparisons run with it off, since the bare pass cannot redact,
and one more line times ``predict`` with the model's own policy (``bench_deid.py`` measures
de-identification itself).

    python bench/bench_predict.py [--n 512] [--batch-size 32] [--rounds 5] [--model DIR]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from _bench_common import hpo_definitions, student_classifier  # noqa: E402


def bare_forward(model_dir: Path, texts: list[str], batch_size: int, max_length: int):
    """A function timing one bare forward pass over ``texts``, tokenised once, in predict's batches."""
    import torch

    from domainkit.evaluation.inference import batches, length_sorted_order
    from domainkit.heads.loading import load_classifier

    classifier = load_classifier(model_dir)
    encoded = [
        classifier.tokenizer([texts[i] for i in index], truncation=True, max_length=max_length,
                             padding=True, return_tensors="pt")
        for index in batches(length_sorted_order(texts), batch_size)
    ]

    def one_pass() -> float:
        with torch.inference_mode():
            start = time.perf_counter()
            for batch in encoded:
                classifier.model(**batch)
            return time.perf_counter() - start

    one_pass()  # warm-up
    return one_pass


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=512)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--rounds", type=int, default=5, help="turns of predict and bare forward (A B A B ...)")
    parser.add_argument("--model", type=Path, default=None,
                        help="an exported model folder (default: MiniLM with a random head)")
    args = parser.parse_args()
    from domainkit.deid import DeidPolicy
    from domainkit.predict import predict_file

    texts = hpo_definitions(args.n)
    predict_rates, bare_rates, with_policy_rates = [], [], []
    no_deid = DeidPolicy(enabled=False)
    with tempfile.TemporaryDirectory() as tmp:
        model = args.model or student_classifier(Path(tmp) / "student")
        source = Path(tmp) / "docs.txt"
        source.write_text("\n".join(t.replace("\n", " ") for t in texts) + "\n")
        warm = predict_file(model, source, Path(tmp) / "warm.jsonl", batch_size=args.batch_size, progress=False)
        bare_pass = bare_forward(model, texts, args.batch_size, max_length=128)
        # In turns, so that a busy spell of this shared machine slows both sides alike (one pass each
        # gave ratios from 0.85 to 1.05 on the same code within minutes).
        for turn in range(args.rounds):
            out = Path(tmp) / f"out-{turn}.jsonl"
            predict_rates.append(predict_file(model, source, out, batch_size=args.batch_size, progress=False,
                                              deid_policy=no_deid)["docs_per_s"])
            bare_rates.append(len(texts) / bare_pass())
            if warm["deid_applied"]:
                with_policy_rates.append(predict_file(model, source, out, batch_size=args.batch_size, progress=False,
                                                      force=True)["docs_per_s"])
        bf16 = compare_bf16(model, source, Path(tmp), args, no_deid)
    predict_rate, bare_rate = statistics.median(predict_rates), statistics.median(bare_rates)
    ratio = predict_rate / bare_rate
    print(f"documents: {len(texts)} (HPO definitions), batch {args.batch_size}, max_length 128, "
          f"{args.model or 'MiniLM-L6 with a random head'}, "
          f"{args.rounds} turns each (A B A B ...), medians")
    print(f"domainkit predict: {predict_rate:.1f} docs/s (file in, JSONL out; passes {min(predict_rates):.1f}-{max(predict_rates):.1f})")
    print(f"bare forward:      {bare_rate:.1f} seq/s (pre-tokenised, same batches; passes {min(bare_rates):.1f}-{max(bare_rates):.1f})")
    print(f"load average (1 min): {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs")
    print(f"ratio: {ratio:.3f} (target >= 0.90) -> {'PASS' if ratio >= 0.9 else 'FAIL'}")
    if with_policy_rates:
        print(f"with the model's de-identification policy on: {statistics.median(with_policy_rates):.1f} docs/s "
              f"({statistics.median(with_policy_rates) / bare_rate:.3f} of the bare pass; the lines above ran without it)")
    print(f"--precision bf16: {bf16['bf16']:.1f} docs/s vs fp32 {bf16['fp32']:.1f} (medians of {args.rounds} turns): "
          f"{bf16['bf16'] / bf16['fp32']:.2f}x; same label for {bf16['agreement']:.3f} of documents, "
          f"largest probability change {bf16['max_change']:.4f}; native bf16 flags: {bf16['flags'] or 'none'}")


def compare_bf16(model: Path, source: Path, tmp: Path, args, deid_policy) -> dict:
    """``predict --precision bf16`` vs fp32 on the same file, timed in turns: medians and agreement."""
    import json

    from domainkit.distill.hardware import native_bf16_flags
    from domainkit.predict import predict_file

    rates: dict[str, list[float]] = {"fp32": [], "bf16": []}
    for turn in range(args.rounds):
        for precision in rates:
            out = tmp / f"{precision}-{turn}.jsonl"
            summary = predict_file(model, source, out, batch_size=args.batch_size, progress=False, precision=precision,
                                   deid_policy=deid_policy)
            rates[precision].append(summary["docs_per_s"])
    rows = {p: [json.loads(line) for line in (tmp / f"{p}-0.jsonl").read_text().splitlines()] for p in rates}
    same = [a["label"] == b["label"] for a, b in zip(rows["fp32"], rows["bf16"], strict=True)]
    change = max(abs(a["probabilities"][k] - b["probabilities"][k])
                 for a, b in zip(rows["fp32"], rows["bf16"], strict=True) for k in a["probabilities"])
    return {"fp32": statistics.median(rates["fp32"]), "bf16": statistics.median(rates["bf16"]),
            "agreement": sum(same) / len(same), "max_change": change, "flags": ", ".join(native_bf16_flags())}


if __name__ == "__main__":
    main()
