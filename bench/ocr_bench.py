"""OCR benchmark: scanned pages (no text layer) through parse_file, reported apart from text parsing.

The scans are pages of the generated corpus (bench/corpus.py) rendered at 150 dpi, greyscale, and
wrapped as image-only PDFs, so each page's true text is known: besides pages/s the run reports how
much of that text OCR recovered (difflib ratio on the normalised text, i.e. without whitespace).
"""

from __future__ import annotations

import difflib
import io
import time
from pathlib import Path

from bench.corpus import ensure_corpus
from bench.figures import Figure
from bench.ingest_bench import FULL, QUICK
from core.textnorm import normalize_long

SCAN_DPI = 150


def _scans(out: Path, n_pages: int, quick: bool) -> list[tuple[Path, str]]:
    """Image-only PDFs of one page each, with the page's text-layer text (the truth), from the
    first PDFs of the ingest benchmark's corpus."""
    import pypdfium2 as pdfium

    size = QUICK if quick else FULL
    src = ensure_corpus(out, size.docs, size.pages)[:2]
    folder = out / f"scans-{'quick' if quick else 'full'}-{n_pages}"
    folder.mkdir(parents=True, exist_ok=True)
    made: list[tuple[Path, str]] = []
    for path in src:
        pdf = pdfium.PdfDocument(str(path))
        for i in range(len(pdf)):
            if len(made) == n_pages:
                break
            page = pdf[i]
            truth = page.get_textpage().get_text_range()
            target = folder / f"{path.stem}-p{i + 1}.pdf"
            if not target.exists():
                image = page.render(scale=SCAN_DPI / 72, grayscale=True).to_pil().convert("L")
                buf = io.BytesIO()
                image.save(buf, "PDF", resolution=SCAN_DPI)
                target.write_bytes(buf.getvalue())
            made.append((target, truth))
        pdf.close()
    return made


def run(quick: bool = False, out: Path | None = None) -> list[Figure]:
    from ingestion.ocr import engine
    from ingestion.parse import parse_file

    out = out or Path(__file__).parent / "out"
    scans = _scans(out, 2 if quick else 6, quick)
    engine()  # model load excluded, like the embedding models elsewhere
    t0 = time.perf_counter()
    docs = [parse_file(p) for p, _ in scans]
    seconds = time.perf_counter() - t0
    assert all(d.ocr_pages for d in docs), "a scan was not OCR'd"
    ratios = [difflib.SequenceMatcher(None, normalize_long(d.text), normalize_long(truth), autojunk=False).ratio()
              for d, (_, truth) in zip(docs, scans, strict=True)]
    g = "OCR"
    return [
        Figure(g, f"扫描页 OCR 速度（{SCAN_DPI} dpi 灰度，单进程）", len(scans) / seconds, "页/秒", "", None,
               f"{len(scans)} 页，{seconds:.1f} 秒（模型加载不计）"),
        Figure(g, "扫描页 OCR 文字还原度（与原文字层比，去空白）", 100 * sum(ratios) / len(ratios), "%", "", None,
               f"最低 {100 * min(ratios):.1f}%"),
    ]
