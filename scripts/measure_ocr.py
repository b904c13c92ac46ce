"""Measure (not a test): character accuracy and time of the OCR of one scanned page of
57-NQ/TW (its header, then Mục I and points 1 and 2), made as tests/retrieval/test_ocr.py
makes it.

    .venv/bin/python scripts/measure_ocr.py [--dpi 150] [--skew 0.4] [--jpeg 75]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from rapidfuzz.distance import Levenshtein  # noqa: E402

from retrieval import ocr  # noqa: E402
from retrieval.loading import load  # noqa: E402
from tests.retrieval.test_ocr import first_page, flat  # noqa: E402
from tests.support.documents import write_scanned_pdf  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--dpi", type=int, default=150, help="scan resolution")
    ap.add_argument("--skew", type=float, default=0.4, help="degrees")
    ap.add_argument("--jpeg", type=int, default=75, help="JPEG quality of the scan")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        pdf = Path(tmp) / "nq57-quet.pdf"
        truth = flat(" ".join(write_scanned_pdf(pdf, first_page(), args.dpi, args.skew, args.jpeg)))
        t0 = time.perf_counter()
        loaded = load(pdf)
        seconds = time.perf_counter() - t0
    read = flat(loaded.text)
    print(f"scan {args.dpi} dpi, skew {args.skew}°, JPEG {args.jpeg}; OCR at {ocr.DPI} dpi, lang {ocr.LANG}")
    print(
        f"characters: {len(truth)}; edit distance: {Levenshtein.distance(read, truth)}; "
        f"character accuracy: {Levenshtein.normalized_similarity(read, truth):.4f}; "
        f"time: {seconds:.1f} s for {len(loaded.ocr_pages)} page(s)"
    )


if __name__ == "__main__":
    main()
