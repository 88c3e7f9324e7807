"""Text extraction per real file type (文本提取): one entry point for filing and indexing.

``extract(path)`` sniffs the real type from the bytes (``sniff.py``), decodes plain text and
HTML in-process (cheap, size-capped) and parses every other format in a sandboxed worker
process (``worker.py``: memory limit, wall-clock timeout, kill on overrun).  It never raises
for bad content: the ``Extraction`` says why there is no text, in one Chinese sentence.

Limits: text and HTML files are read up to ``MAX_TEXT_FILE_BYTES`` (32 MB, cut at a line
end, ``truncated=True``); other files above ``MAX_FILE_BYTES`` (512 MB) are ``too_large``
without being opened; extracted text is cut at ``MAX_TEXT_CHARS`` (2 million characters,
``truncated=True``).
"""

from __future__ import annotations

import atexit
import threading
from dataclasses import dataclass, replace
from collections.abc import Iterable, Iterator
from pathlib import Path

from jiaarchive.extract.result import STATUS_LABELS, STATUSES, Extraction, reason_for
from jiaarchive.extract.sniff import DocProps, FileType, doc_properties, sniff
from jiaarchive.extract.text import MARKDOWN_SUFFIXES, decode_html, decode_text, html_to_text, markdown_to_text
from jiaarchive.extract.worker import MAX_TEXT_CHARS, Worker, run_jobs

MAX_TEXT_FILE_BYTES = 32 * 1024 * 1024
MAX_FILE_BYTES = 512 * 1024 * 1024
DEFAULT_TIMEOUT = 30.0
DEFAULT_MEMORY_MB = 1024
MAX_OCR_PAGES = 300  # pages of one file queued for text recognition at most

_UNSUPPORTED = frozenset({"unknown", "zip", "wps-works"})

__all__ = [
    "DocProps",
    "Extraction",
    "FileType",
    "MAX_FILE_BYTES",
    "MAX_TEXT_CHARS",
    "MAX_TEXT_FILE_BYTES",
    "STATUSES",
    "STATUS_LABELS",
    "doc_properties",
    "extract",
    "extract_many",
    "recognise_many",
    "Recognition",
    "shutdown",
    "sniff",
]


def _done(path: Path, ft: FileType, status: str, *, text: str = "", encoding: str | None = None,
          truncated: bool = False, detail: str = "", timeout: float = 0.0, memory_mb: int = 0) -> Extraction:
    if status == "ok" and not text.strip():
        status = "empty"
    reason = reason_for(status, path, label=ft.label, timeout=timeout, memory_mb=memory_mb)
    if status == "empty" and ft.kind == "empty":
        reason = f"文件“{path.name}”是空文件（0 字节）。"
    return Extraction(text=text if status == "ok" else "", status=status, reason=reason, kind=ft.kind,
                      encoding=encoding, truncated=truncated, detail=detail)


def _in_process(path: Path, ft: FileType, timeout: float, memory_mb: int) -> Extraction | None:
    """Finish without a worker when the type allows it; None means: send to a worker."""
    if ft.kind == "empty":
        return _done(path, ft, "empty")
    if ft.encrypted and ft.kind != "pdf":  # a PDF may open with the empty password: the worker decides
        return _done(path, ft, "encrypted")
    if ft.kind in _UNSUPPORTED:
        return _done(path, ft, "unsupported")
    if ft.kind in ("text", "html"):
        return _extract_text_file(path, ft)
    try:
        size = path.stat().st_size
    except OSError as exc:
        return _done(path, ft, "error", detail=str(exc))
    if size > MAX_FILE_BYTES and not ft.is_image:
        return _done(path, ft, "too_large", detail=f"{size} bytes", memory_mb=memory_mb)
    return None


def _extract_text_file(path: Path, ft: FileType) -> Extraction:
    with open(path, "rb") as fh:
        data = fh.read(MAX_TEXT_FILE_BYTES + 1)
    truncated = len(data) > MAX_TEXT_FILE_BYTES
    if truncated:
        data = data[:MAX_TEXT_FILE_BYTES]
        cut = data.rfind(b"\n")
        if cut > 0:
            data = data[: cut + 1]
    if ft.kind == "html":
        markup, encoding = decode_html(data)
        text = html_to_text(markup).replace("\ufffd", "")
    else:
        text, encoding = decode_text(data)
        text = text.replace("\r\n", "\n").replace("\x00", "")
        if path.suffix.lower() in MARKDOWN_SUFFIXES:
            text = markdown_to_text(text)
    if len(text) > MAX_TEXT_CHARS:
        text, truncated = text[:MAX_TEXT_CHARS], True
    return _done(path, ft, "ok", text=text, encoding=encoding, truncated=truncated)


# A worker kept between extract() calls, guarded for callers in threads (TUI workers).
_shared_lock = threading.Lock()
_shared_pool: list[Worker] = []


def shutdown() -> None:
    """Stop the worker kept for ``extract()`` (also done at interpreter exit)."""
    with _shared_lock:
        while _shared_pool:
            _shared_pool.pop().close()


atexit.register(shutdown)


def extract(path: Path, *, timeout: float = DEFAULT_TIMEOUT, memory_mb: int = DEFAULT_MEMORY_MB) -> Extraction:
    """Text of one file, parsed in a re-used sandboxed worker; never raises for bad content.

    Raises ``OSError`` only when the file cannot be opened at all.
    """
    path = Path(path)
    ft = sniff(path, deep=False)
    early = _in_process(path, ft, timeout, memory_mb)
    if early is not None:
        return early
    with _shared_lock:
        if _shared_pool and _shared_pool[0].memory_mb != memory_mb:
            _shared_pool.pop().close()
        for _key, result, _secs in run_jobs([(path, (str(path), ft.kind, timeout))], workers=1,
                                            memory_mb=memory_mb, pool=_shared_pool):
            return _from_result(path, ft, result, timeout, memory_mb)
    raise AssertionError("unreachable")  # pragma: no cover


def _from_result(path: Path, ft: FileType, result, timeout: float, memory_mb: int) -> Extraction:
    status, text, detail, encoding, truncated, ocr_pages = result
    done = _done(path, ft, status, text=text, encoding=encoding, truncated=truncated, detail=detail,
                 timeout=timeout, memory_mb=memory_mb)
    return replace(done, ocr_pages=tuple(ocr_pages[:MAX_OCR_PAGES]))


def extract_many(
    paths: Iterable[Path], *, workers: int = 2, timeout: float = DEFAULT_TIMEOUT, memory_mb: int = DEFAULT_MEMORY_MB
) -> Iterator[tuple[Path, Extraction]]:
    """Extract many files on ``workers`` sandboxed processes; yield (path, result) as each finishes.

    Results come in completion order, not input order.  A file that cannot be opened
    yields status 'error' instead of raising, so one bad path does not stop a batch.
    """
    types: dict[Path, FileType] = {}

    def jobs() -> Iterator[tuple[Path, tuple[str, str, float]]]:
        for p in paths:
            p = Path(p)
            try:
                ft = sniff(p, deep=False)
            except OSError as exc:
                unreadable.append((p, Extraction("", "error", f"文件“{p.name}”无法打开或读取。", "unknown",
                                                 detail=str(exc))))
                continue
            early = _in_process(p, ft, timeout, memory_mb)
            if early is not None:
                finished.append((p, early))
                continue
            types[p] = ft
            yield p, (str(p), ft.kind, timeout)

    unreadable: list[tuple[Path, Extraction]] = []
    finished: list[tuple[Path, Extraction]] = []
    # Sniffing is cheap, so it runs ahead; in-process results are yielded between worker results.
    pending = list(jobs())
    yield from unreadable
    yield from finished
    if not pending:
        return
    for path, result, _secs in run_jobs(pending, workers=max(1, workers), memory_mb=memory_mb):
        yield path, _from_result(path, types[path], result, timeout, memory_mb)


# ------------------------------------------------------------------ text recognition (OCR)


@dataclass(frozen=True)
class Recognition:
    """What OCR read on one page (``page`` 0 for a photo), or why it read nothing."""

    status: str  # ok | empty | timeout | too_large | corrupt | unsupported | error
    text: str
    reason: str
    seconds: float


def recognise_many(
    pages: Iterable[tuple[Path, str, int]], *, timeout: float = DEFAULT_TIMEOUT,
    memory_mb: int = DEFAULT_MEMORY_MB, workers: int = 1,
) -> Iterator[tuple[tuple[Path, int], Recognition]]:
    """OCR of (path, kind, page) triples, one page per job in sandboxed workers that hold
    the engine; yields ((path, page), Recognition) as each finishes.  ``kind`` is the
    file's type ("pdf" or an image kind).  Never raises for bad content."""
    from jiaarchive.extract.ocr import NOT_INSTALLED, available

    jobs = []
    for path, kind, page in pages:
        job_kind = f"ocr-pdf:{page}" if kind == "pdf" else "ocr-image"
        jobs.append(((Path(path), page), (str(path), job_kind, timeout)))
    if not jobs:
        return
    if not available():
        for key, _job in jobs:
            yield key, Recognition("unsupported", "", NOT_INSTALLED, 0.0)
        return
    for key, result, secs in run_jobs(jobs, workers=workers, memory_mb=memory_mb, ocr=True):
        status, text, detail = result[0], result[1], result[2]
        if status == "ok" and not text.strip():
            status = "empty"
        page = f"第 {key[1] + 1} 页" if key[0].suffix.lower() == ".pdf" else ""
        reason = "" if status in ("ok", "empty") else (
            detail if status == "unsupported" and detail.startswith(("未安装", "缺少"))
            else reason_for(status, key[0], timeout=timeout, memory_mb=memory_mb).replace("提取文字", f"{page}文字识别"))
        yield key, Recognition(status, text if status == "ok" else "", reason, secs)
