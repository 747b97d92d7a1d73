"""Measure PDF parsing speed on a generated Chinese PDF with tables (docs/ingestion-formats.md).

    .venv/bin/python bench/parse_pdf_speed.py [--pages 15] [--repeat 5]

Compares: pypdfium2 text only; pdfplumber text + tables on every page; parse_file (pypdfium2 text,
ruled tables from pdfium's paths through pdfplumber's cell algorithm). Prints pages/s (median of runs).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from ingestion.parse import parse_file
from tests.ingestion.makefiles import PAGE, H, T, make_pdf

BODY = ("2023年，香河县人民政府办公室深入贯彻落实《中华人民共和国政府信息公开条例》，围绕县委县政府中心工作，"
        "持续推进政务公开标准化规范化建设，主动公开各类政府信息一千余条，依申请公开办理质量稳步提升。")
TABLE = [["项目", "预算数", "决算数", "执行率"], ["因公出国（境）费", "12.50", "10.20", "81.6%"],
         ["公务接待费", "8.00", "6.10", "76.3%"], ["公务用车购置及运行费", "30.00", "28.40", "94.7%"],
         ["合计", "50.50", "44.70", "88.5%"]]


def build(path: Path, pages: int, font: str, table_every: int) -> Path:
    content: list = []
    for i in range(pages):
        content += [H(f"第{i + 1}部分"), BODY, BODY, BODY]
        if i % table_every == 0:
            content.append(T(TABLE))
        content.append(PAGE)
    return make_pdf(path, content[:-1], font=font)


def timed(fn, repeat: int) -> float:
    runs = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - t0)
    return statistics.median(runs)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--pages", type=int, default=15)
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    import pdfplumber
    import pypdfium2 as pdfium

    with tempfile.TemporaryDirectory() as tmp:
        for font in ("STSong-Light", "wqy"):
            for every in (5, 1):
                path = build(Path(tmp) / f"bench-{font}-{every}.pdf", args.pages, font, every)
                n = len(pdfium.PdfDocument(str(path)))

                def pdfium_text(path=path):
                    doc = pdfium.PdfDocument(str(path))
                    for page in doc:
                        page.get_textpage().get_text_range()
                    doc.close()

                def plumber_all(path=path):
                    with pdfplumber.open(str(path)) as pdf:
                        for page in pdf.pages:
                            page.extract_text()
                            page.find_tables()

                def hybrid(path=path):
                    parse_file(path)

                hybrid()  # warm imports
                label = f"{font}, table on every {'page' if every == 1 else f'{every}th page'}"
                for name, fn in (("pypdfium2 text only", pdfium_text), ("pdfplumber text+tables", plumber_all),
                                 ("parse_file (hybrid)", hybrid)):
                    secs = timed(fn, args.repeat)
                    print(f"{label:38s} {n:3d} p  {name:24s} {secs * 1000:8.1f} ms  {n / secs:8.1f} pages/s")


if __name__ == "__main__":
    main()
