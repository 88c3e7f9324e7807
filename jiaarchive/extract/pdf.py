"""PDF text layer (PDF 文字层).

``pdftotext`` (poppler, C, ~10 ms a page) is the first choice; pdfminer.six is the fallback
when poppler is not installed or fails on a damaged file.  Afterwards: CJK characters that
came out one by one with spaces are joined, and GBK byte codes read as Latin-1 (fonts
without a ToUnicode map) are re-decoded.  A PDF whose pages give no text is ``no_text_layer``
when it has images (a scan) and ``empty`` otherwise.
"""

from __future__ import annotations

import logging
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from jiaarchive.extract.text import recover_gbk_mojibake, repair_cjk_spacing, tidy

PDFTOTEXT_TIMEOUT = 60.0


@dataclass(frozen=True)
class PdfResult:
    text: str
    status: str  # ok | empty | no_text_layer | encrypted | corrupt
    detail: str = ""
    ocr_pages: tuple[int, ...] = ()  # pages (0-based) with images and no text: for OCR


MIN_PAGE_CHARS = 8  # a page with fewer visible characters has no text layer worth the name
MAX_OCR_PAGES = 300


def pdf_to_text(path: Path, timeout: float = PDFTOTEXT_TIMEOUT) -> PdfResult:
    raw: str | None = None
    damaged = False
    pdftotext = shutil.which("pdftotext")
    if pdftotext:
        proc = subprocess.run(
            [pdftotext, "-enc", "UTF-8", "-eol", "unix", str(path), "-"],
            capture_output=True,
            timeout=timeout,
            check=False,
            stdin=subprocess.DEVNULL,
        )
        err = proc.stderr.decode("utf-8", "replace")
        if "Incorrect password" in err:
            return PdfResult("", "encrypted")
        damaged = proc.returncode != 0 or "Error" in err
        if proc.returncode == 0:
            raw = proc.stdout.decode("utf-8", "replace")
    failure: PdfResult | None = None
    if raw is None or (damaged and not _has_text(raw)):
        fallback = _pdfminer_text(path)
        if fallback.status == "encrypted":
            return fallback
        if fallback.status == "ok" and _has_text(fallback.text):
            raw = fallback.text
        elif fallback.status != "ok":
            damaged = True
            failure = fallback
    text = clean_pdf_text(raw or "")
    if text:
        # Scanned pages inside a text PDF (a notice with its signed pages scanned in).
        pages = (raw or "").split("\f")
        blank = [i for i, t in enumerate(pages[:MAX_OCR_PAGES]) if sum(not c.isspace() for c in t) < MIN_PAGE_CHARS]
        blank = [i for i in blank if i < len(pages) - 1 or pages[i].strip()] if len(pages) > 1 else blank
        return PdfResult(text, "ok", ocr_pages=tuple(_image_pages(path, blank)) if blank else ())
    images = _has_images(path)
    if damaged and (images is None or not _page_count_ok(path)):
        return failure or PdfResult("", "corrupt", "no readable pages")
    if images or images is None:
        return PdfResult("", "no_text_layer", ocr_pages=tuple(_image_pages(path, None)))
    return PdfResult("", "empty")


def _has_text(raw: str) -> bool:
    return any(not c.isspace() for c in raw)


def clean_pdf_text(raw: str) -> str:
    raw = raw.replace("\f", "\n\n").replace("\ufffd", "")
    repaired = recover_gbk_mojibake(raw)
    if repaired is not None:
        raw = repaired
    return tidy(repair_cjk_spacing(raw))


def _pdfminer_text(path: Path) -> PdfResult:
    logging.getLogger("pdfminer").setLevel(logging.ERROR)
    try:
        from pdfminer.high_level import extract_text
        from pdfminer.pdfdocument import PDFPasswordIncorrect
    except ImportError:  # pragma: no cover - declared dependency
        return PdfResult("", "corrupt", "pdfminer missing")
    try:
        return PdfResult(extract_text(str(path)), "ok")
    except PDFPasswordIncorrect:
        return PdfResult("", "encrypted")
    except RecursionError:
        return PdfResult("", "corrupt", "recursion")
    except MemoryError:
        raise
    except Exception as exc:
        if "password" in str(exc).lower() or "encrypt" in type(exc).__name__.lower():
            return PdfResult("", "encrypted")
        return PdfResult("", "corrupt", f"{type(exc).__name__}: {exc}"[:200])


def _reader(path: Path):
    from pypdf import PdfReader

    logging.getLogger("pypdf").setLevel(logging.ERROR)
    reader = PdfReader(str(path), strict=False)
    if reader.is_encrypted:
        reader.decrypt("")
    return reader


def _page_count_ok(path: Path) -> bool:
    try:
        return len(_reader(path).pages) > 0
    except Exception:
        return False


def _image_pages(path: Path, candidates: list[int] | None) -> list[int]:
    """Which of the ``candidates`` pages (all when None) draw an image: the pages to OCR."""
    try:
        reader = _reader(path)
        n = len(reader.pages)
        out = []
        for i in (range(min(n, MAX_OCR_PAGES)) if candidates is None else [c for c in candidates if c < n]):
            page = reader.pages[i]
            if _resources_have_image(page.get("/Resources"), depth=0, seen=set()):
                out.append(i)
                continue
            try:
                if b"BI" in page.get_contents().get_data():
                    out.append(i)
            except Exception:
                pass
        return out
    except Exception:
        return list(range(1)) if candidates is None else []


def _has_images(path: Path, max_pages: int = 50) -> bool | None:
    """True when some page draws an image XObject (directly or inside a form) or an inline
    image; None when the page tree cannot be read."""
    try:
        reader = _reader(path)
        for index, page in enumerate(reader.pages):
            if index >= max_pages:
                break
            if _resources_have_image(page.get("/Resources"), depth=0, seen=set()):
                return True
            try:
                if b"BI" in page.get_contents().get_data():
                    return True
            except Exception:
                pass
    except Exception:
        return None
    return False


def _resources_have_image(resources, depth: int, seen: set) -> bool:
    if resources is None or depth > 5:
        return False
    try:
        resources = resources.get_object()
        xobjects = resources.get("/XObject")
        if xobjects is None:
            return False
        xobjects = xobjects.get_object()
        for ref in xobjects.values():
            key = getattr(ref, "idnum", None)
            if key is not None:
                if key in seen:
                    continue
                seen.add(key)
            obj = ref.get_object()
            subtype = obj.get("/Subtype")
            if subtype == "/Image":
                return True
            if subtype == "/Form" and _resources_have_image(obj.get("/Resources"), depth + 1, seen):
                return True
    except Exception:
        return False
    return False
