"""Text recognition (文字识别, OCR) of scans and photos of documents, offline.

The engine is RapidOCR (PaddleOCR's PP-OCRv6 Chinese detection and recognition models,
run by ONNX Runtime), whose models ship inside the ``rapidocr`` wheel: nothing is
downloaded, and the same models are used wherever pip installs the program (Windows
office PCs included, where a system OCR package would have to be installed by hand).
Measured against Debian's tesseract 5.3 with ``chi_sim`` on scans made with the Noto
font (bench/ocr_bench.py; figures in its docstring and the issue 12 note): both read a
clean flatbed scan; on a phone photograph of a notice tesseract gave mostly noise and on
a sign-in sheet with table rules nothing at all, where RapidOCR read every character.

Runs only inside an extraction worker (``worker.py``), one page per job, under the
worker's time and memory limits: the worker loads the engine once before its memory
limit is set, so the limit bounds what a page costs (~0.5–1 GB of address space for an
A4 page), not the libraries.  Pages are cut down to :data:`MAX_SIDE` pixels on their
long side (A4 at ~140 dpi), which keeps a page's memory bounded whatever the scan's
resolution, and one thread is used so that the clerk's machine stays responsive.
"""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
from functools import lru_cache
from pathlib import Path

ENGINE_NAME = "rapidocr PP-OCRv6"
MAX_SIDE = 1600
PDF_DPI = 150
MIN_SCORE = 0.5
NOT_INSTALLED = "未安装文字识别（rapidocr、onnxruntime），扫描件和照片中的文字暂不能检索。"


class OcrUnavailable(Exception):
    """The OCR engine or its models are not installed."""


def available() -> bool:
    """Whether the engine is installed (cheap: no import)."""
    return all(importlib.util.find_spec(m) is not None for m in ("rapidocr", "onnxruntime"))


def _models() -> dict[str, Path]:
    spec = importlib.util.find_spec("rapidocr")
    if spec is None or not spec.submodule_search_locations:
        raise OcrUnavailable(NOT_INSTALLED)
    folder = Path(spec.submodule_search_locations[0]) / "models"
    found = {"det": sorted(folder.glob("PP-OCRv*_det_*.onnx")),
             "rec": sorted(folder.glob("PP-OCRv*_rec_*.onnx")),
             "cls": sorted(folder.glob("ch_ppocr_*_cls_*.onnx"))}
    if not all(found.values()):
        raise OcrUnavailable(NOT_INSTALLED)
    return {k: v[-1] for k, v in found.items()}


@lru_cache(maxsize=1)
def engine():
    """The loaded engine (models from the wheel, one thread, quiet); raises OcrUnavailable."""
    if not available():
        raise OcrUnavailable(NOT_INSTALLED)
    models = _models()
    try:
        from rapidocr import RapidOCR
    except Exception as exc:  # noqa: BLE001 - a broken install is "not installed"
        raise OcrUnavailable(NOT_INSTALLED) from exc
    return RapidOCR(params={
        "Global.log_level": "critical",
        "Global.max_side_len": MAX_SIDE,
        "Det.model_path": str(models["det"]),
        "Rec.model_path": str(models["rec"]),
        "Cls.model_path": str(models["cls"]),
        "EngineConfig.onnxruntime.intra_op_num_threads": 1,
        "EngineConfig.onnxruntime.inter_op_num_threads": 1,
    })


def _recognise(img) -> str:
    """Text lines of a PIL image, top to bottom, those recognised with confidence."""
    import numpy as np
    from PIL import Image

    img = img.convert("RGB")
    if max(img.size) > MAX_SIDE:
        scale = MAX_SIDE / max(img.size)
        img = img.resize((max(1, int(img.width * scale)), max(1, int(img.height * scale))), Image.LANCZOS)
    res = engine()(np.asarray(img)[:, :, ::-1])  # (the engine takes BGR, as OpenCV does)
    txts = res.txts or ()
    scores = res.scores or (1.0,) * len(txts)
    return "\n".join(t for t, s in zip(txts, scores) if t.strip() and s >= MIN_SCORE)


def image_text(path: Path) -> str:
    """OCR of a photo or scanned image (EXIF orientation honoured)."""
    from PIL import Image, ImageOps

    try:
        import pillow_heif

        pillow_heif.register_heif_opener()
    except ImportError:  # pragma: no cover - declared dependency
        pass
    with Image.open(path) as img:
        img.draft("RGB", (MAX_SIDE, MAX_SIDE))  # JPEG: decode at a reduced size directly
        return _recognise(ImageOps.exif_transpose(img))


def pdf_page_text(path: Path, page: int, timeout: float) -> str:
    """OCR of one page (0-based) of a PDF, rendered by poppler's pdftoppm."""
    import io

    from PIL import Image

    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm is None:
        raise OcrUnavailable("缺少 pdftoppm（poppler-utils），无法识别 PDF 扫描页。")
    proc = subprocess.run(
        [pdftoppm, "-r", str(PDF_DPI), "-f", str(page + 1), "-l", str(page + 1),
         "-scale-to", str(MAX_SIDE), "-png", str(path)],
        capture_output=True, timeout=timeout, check=False, stdin=subprocess.DEVNULL)
    if proc.returncode != 0 or not proc.stdout:
        raise ValueError(f"pdftoppm failed on page {page + 1}")
    with Image.open(io.BytesIO(proc.stdout)) as img:
        return _recognise(img)
