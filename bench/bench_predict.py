"""`domainkit predict` throughput vs the bare model's forward pass on the same batches.

Target: predict_file's documents/second within 10% of the bare forward pass
(ratio >= 0.90): everything around the model (reading, sorting, tokenising,
writing) must cost little. The bare pass gets the same length-sorted batches
already tokenised, so it is an upper bound.

    python bench/bench_predict.py [--n 512] [--batch-size 32]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from _bench_common import hpo_definitions, student_classifier  # noqa: E402


def bare_forward_seconds(model_dir: Path, texts: list[str], batch_size: int, max_length: int) -> float:
    import torch

    from domainkit.evaluation.inference import batches, length_sorted_order
    from domainkit.heads.loading import load_classifier

    classifier = load_classifier(model_dir)
    encoded = [
        classifier.tokenizer([texts[i] for i in index], truncation=True, max_length=max_length,
                             padding=True, return_tensors="pt")
        for index in batches(length_sorted_order(texts), batch_size)
    ]
    with torch.inference_mode():
        classifier.model(**encoded[0])  # warm-up
        start = time.perf_counter()
        for batch in encoded:
            classifier.model(**batch)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=512)
    parser.add_argument("--batch-size", type=int, default=32)
    args = parser.parse_args()
    from domainkit.predict import predict_file

    texts = hpo_definitions(args.n)
    with tempfile.TemporaryDirectory() as tmp:
        model = student_classifier(Path(tmp) / "student")
        source = Path(tmp) / "docs.txt"
        source.write_text("\n".join(t.replace("\n", " ") for t in texts) + "\n")
        predict_file(model, source, Path(tmp) / "warm.jsonl", batch_size=args.batch_size, progress=False)
        summary = predict_file(model, source, Path(tmp) / "out.jsonl", batch_size=args.batch_size, progress=False)
        bare = bare_forward_seconds(model, texts, args.batch_size, max_length=128)
    bare_rate = len(texts) / bare
    ratio = summary["docs_per_s"] / bare_rate
    print(f"documents: {len(texts)} (HPO definitions), batch {args.batch_size}, max_length 128, MiniLM-L6")
    print(f"domainkit predict: {summary['docs_per_s']:.1f} docs/s (file in, JSONL out)")
    print(f"bare forward:      {bare_rate:.1f} seq/s (pre-tokenised, same batches)")
    print(f"ratio: {ratio:.3f} (target >= 0.90) -> {'PASS' if ratio >= 0.9 else 'FAIL'}")


if __name__ == "__main__":
    main()
