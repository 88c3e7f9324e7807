"""Text recognition: RapidOCR (the engine jiaarchive uses) beside Debian's tesseract + chi_sim.

Usage::

    .venv/bin/python bench/ocr_bench.py

Pages: scans made here with the Noto CJK font (tests/scans.py) — a notice through a
flatbed scanner (as an image-only PDF page), the same notice photographed with a phone
(tilt, uneven light, blur, noise), a ruled sign-in sheet photographed — and two real ones
from ../shared/corpus: a photo of a Chinese street sign and a scanned English page.  For
each engine: the share of the page's words that a search would find (every listed word
appears in the recognised text, spaces ignored), characters right (difflib ratio against
the text on the page) and seconds per page (RapidOCR: in jiaarchive's sandboxed worker,
one page per job, engine loaded once; tesseract: one ``tesseract`` process per page).
tesseract is skipped when it is not installed (``apt-get install tesseract-ocr
tesseract-ocr-chi-sim``).
"""

from __future__ import annotations

import difflib
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests import scans  # noqa: E402

CORPUS = REPO.parent / "shared" / "corpus"


def pages(tmp: Path) -> list[tuple[str, Path, str, str, list[str]]]:
    """(name, file, kind, text on the page, words a clerk would search for)."""
    notice = "\n".join(scans.NOTICE)
    sheet = "\n".join([scans.SIGN_IN_TITLE, *(" ".join(r) for r in [scans.SIGN_IN_HEAD, *scans.SIGN_IN_ROWS])])
    notice_words = ["教职工代表大会", "二〇二一年", "报告厅", "绩效工资分配方案", "提案", "渝碚实验中学"]
    sheet_words = ["消防演练", "签到表", "周明华", "李秀英", "陈建国", "王晓燕", "刘德胜", "保卫科"]
    out = [
        ("notice, flatbed scan (PDF)", scans.scanned_notice_pdf(tmp / "notice.pdf"), "pdf", notice, notice_words),
        ("notice, phone photo", scans.save_jpeg(scans.photograph(scans.render_page(scans.NOTICE), seed=3, angle=-6),
                                                tmp / "notice.jpg"), "jpeg", notice, notice_words),
        ("sign-in sheet, phone photo", scans.photographed_sign_in_sheet(tmp / "sheet.jpg"), "jpeg", sheet, sheet_words),
    ]
    sign = CORPUS / "images" / "easyocr_chinese_street_sign.jpg"
    if sign.exists():
        out.append(("street sign photo (corpus)", sign, "jpeg", "西 愚园路 东 Yuyuan Rd.", ["愚园路", "Yuyuan"]))
    scan = CORPUS / "pdf" / "textract_ocr_text_scanned.pdf"
    if scan.exists():
        out.append(("English scan p.1 (corpus)", scan, "pdf", "", ["ANNOUNCEMENT", "Shareholders", "Bligh Street"]))
    return out


def squash(s: str) -> str:
    return "".join(s.split())


def score(got: str, truth: str, words: list[str]) -> tuple[float, float]:
    g = squash(got)
    found = sum(1 for w in words if squash(w) in g) / len(words)
    chars = difflib.SequenceMatcher(None, squash(truth), g).ratio() if truth else float("nan")
    return found, chars


def tesseract(path: Path, kind: str, tmp: Path) -> tuple[str, float]:
    t = time.perf_counter()
    img = path
    if kind == "pdf":
        subprocess.run(["pdftoppm", "-r", "200", "-f", "1", "-l", "1", "-png", str(path), str(tmp / "page")],
                       check=True, capture_output=True)
        img = next(tmp.glob("page*.png"))
    out = subprocess.run(["tesseract", str(img), "-", "-l", "chi_sim+eng"], capture_output=True, text=True)
    if kind == "pdf":
        img.unlink()
    return out.stdout, time.perf_counter() - t


def main() -> int:
    from jiaarchive.extract import recognise_many
    from jiaarchive.extract.ocr import available

    if scans.cjk_font() is None:
        print("no CJK font (fonts-noto-cjk): cannot make the scans")
        return 1
    print(f"machine: {platform.platform()}, {os.cpu_count()} CPUs, Python {platform.python_version()}; "
          f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    have_tess = shutil.which("tesseract") is not None
    with tempfile.TemporaryDirectory() as tmp_s:
        tmp = Path(tmp_s)
        todo = pages(tmp)
        rapid: dict = {}
        if available():
            t0 = time.perf_counter()
            for (path, _page), rec in recognise_many([(p, k, 0) for _n, p, k, _t, _w in todo]):
                rapid[path] = (rec.text, rec.seconds)
            print(f"RapidOCR: {len(todo)} pages in {time.perf_counter() - t0:.1f} s including the worker's start")
        print(f"\n{'page':30s} {'engine':10s} {'words found':>11s} {'chars right':>11s} {'s/page':>7s}")
        for name, path, kind, truth, words in todo:
            rows = []
            if path in rapid:
                rows.append(("RapidOCR", *rapid[path]))
            if have_tess:
                text, secs = tesseract(path, kind, tmp)
                rows.append(("tesseract", text, secs))
            for engine, text, secs in rows:
                found, chars = score(text, truth, words)
                print(f"{name:30s} {engine:10s} {found:11.2f} {chars:11.2f} {secs:7.2f}")
        if not have_tess:
            print("(tesseract not installed: apt-get install tesseract-ocr tesseract-ocr-chi-sim)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
