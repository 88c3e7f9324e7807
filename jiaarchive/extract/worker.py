"""Parsing in child processes with a memory limit and a wall-clock timeout (隔离提取).

Workers are long-lived: each child imports the parsers once, sets ``RLIMIT_AS`` (its
start-up size plus ``memory_mb``), then serves jobs over pipes until it is killed (timeout),
runs out of memory or has served ``RECYCLE_AFTER`` jobs.  Start-up costs ~0.2 s, paid once
per worker rather than once per file.  The parent never parses a binary document itself.
"""

from __future__ import annotations

import os
import pickle
import signal
import struct
import subprocess
import sys
import time
import zipfile
from collections import deque
from collections.abc import Iterable, Iterator
from multiprocessing.connection import wait
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import ParseError

RECYCLE_AFTER = 2000
MAX_TEXT_CHARS = 2_000_000

# (path, kind, timeout) -> (status, text, detail, encoding, truncated, pages waiting for OCR)
# kind is a file type, or "ocr-image" / "ocr-pdf:<page>" for text recognition (ocr.py).
Job = tuple[str, str, float]
Result = tuple[str, str, str, str | None, bool, tuple[int, ...]]


# ------------------------------------------------------------------ in the child


def parse(path: Path, kind: str, timeout: float) -> Result:
    """Extract text of ``path`` of type ``kind``; map every failure to a status."""
    from jiaarchive.extract import office
    from jiaarchive.extract.ocr import OcrUnavailable

    ocr_pages: tuple[int, ...] = ()
    try:
        text, status, detail, ocr_pages = _dispatch(path, kind, timeout)
    except office.Encrypted as exc:
        return "encrypted", "", str(exc)[:200], None, False, ()
    except (office.TooLarge, MemoryError) as exc:
        return "too_large", "", type(exc).__name__, None, False, ()
    except office.NoConverter as exc:
        return "unsupported", "", f"no converter: {exc}", None, False, ()
    except (office.Unsupported, OcrUnavailable) as exc:
        return "unsupported", "", str(exc)[:200], None, False, ()
    except subprocess.TimeoutExpired:
        return "timeout", "", "converter timed out", None, False, ()
    except (zipfile.BadZipFile, ParseError, RecursionError, EOFError, KeyError, ValueError, IndexError) as exc:
        return "corrupt", "", f"{type(exc).__name__}: {exc}"[:300], None, False, ()
    except OSError as exc:
        return "error", "", f"{type(exc).__name__}: {exc}"[:300], None, False, ()
    except Exception as exc:  # xlrd, struct, zlib and friends raise their own types
        name = type(exc).__name__
        corrupt_names = ("XLRDError", "CompDocError", "error", "BadZipFile", "PdfReadError", "PSSyntaxError",
                         "DecompressionBombError", "UnidentifiedImageError")
        status = "corrupt" if name in corrupt_names or "zlib" in repr(exc) else "error"
        if name == "DecompressionBombError":
            status = "too_large"
        return status, "", f"{name}: {exc}"[:300], None, False, ()
    truncated = len(text) > MAX_TEXT_CHARS
    if truncated:
        text = text[:MAX_TEXT_CHARS]
    if status == "ok" and not text.strip():
        status = "empty"
    return status, text, detail, None, truncated, ocr_pages


IMAGE_KINDS = ("jpeg", "png", "gif", "tiff", "webp", "heic", "bmp")


def _dispatch(path: Path, kind: str, timeout: float) -> tuple[str, str, str, tuple[int, ...]]:
    """(text, status, detail, pages to recognise later) of one job."""
    if kind == "ocr-image":
        from jiaarchive.extract.ocr import image_text

        return image_text(path), "ok", "", ()
    if kind.startswith("ocr-pdf:"):
        from jiaarchive.extract.ocr import pdf_page_text

        return pdf_page_text(path, int(kind.split(":", 1)[1]), timeout), "ok", "", ()
    if kind == "pdf":
        from jiaarchive.extract.pdf import pdf_to_text

        res = pdf_to_text(path, timeout=timeout)
        return res.text, res.status, res.detail, res.ocr_pages
    if kind in IMAGE_KINDS:
        from jiaarchive.extract.photo import photo_text

        return photo_text(path), "ok", "", (0,)  # a photo may show a document: recognise it later
    return (*_parse_document(path, kind, timeout), ())


def _parse_document(path: Path, kind: str, timeout: float) -> tuple[str, str, str]:
    from jiaarchive.extract import office

    if kind == "docx":
        return office.docx_to_text(path), "ok", ""
    if kind == "xlsx":
        return office.xlsx_to_text(path), "ok", ""
    if kind == "xlsb":
        return office.xlsb_to_text(path), "ok", "shared strings and sheet names only"
    if kind == "pptx":
        return office.pptx_to_text(path), "ok", ""
    if kind in ("odt", "ods", "odp"):
        return office.odf_to_text(path), "ok", ""
    if kind == "rtf":
        return office.rtf_to_text(path.read_bytes()), "ok", ""
    if kind == "xls":
        return office.xls_to_text(path), "ok", ""
    if kind == "doc":
        text, converter = office.doc_to_text(path, timeout=timeout)
        return text, "ok", converter
    if kind == "ppt":
        return office.ppt_to_text(path, timeout=timeout), "ok", "catppt"
    if kind == "ofd":
        from jiaarchive.extract.ofd import ofd_to_text

        return ofd_to_text(path), "ok", ""
    raise office.Unsupported(kind)


def _limit_memory(memory_mb: int) -> None:
    if memory_mb <= 0:
        return
    try:
        import resource

        with open("/proc/self/statm") as fh:
            baseline = int(fh.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
        limit = baseline + memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    except (ImportError, OSError, ValueError):
        pass  # not Linux: no hard memory limit, the timeout still applies


def _child_main(memory_mb: int, ocr: bool = False) -> None:
    """Serve jobs: length-prefixed pickles on stdin, results the same way on the old stdout."""
    proto_in = os.fdopen(os.dup(0), "rb", buffering=0)
    proto_out = os.fdopen(os.dup(1), "wb", buffering=0)
    devnull = os.open(os.devnull, os.O_RDWR)
    os.dup2(devnull, 0)
    os.dup2(devnull, 1)  # a library that prints must not corrupt the protocol
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    for module in _PRELOAD:
        __import__(module)
    if ocr:
        # The engine and its models are loaded before the limit is set: the limit then
        # bounds what recognising a page costs, as it bounds what parsing a file costs.
        from jiaarchive.extract.ocr import OcrUnavailable, engine

        try:
            engine()
        except OcrUnavailable:
            pass  # each job then reports "not installed"
    _limit_memory(memory_mb)
    _send(proto_out, ("ready",))
    while True:
        try:
            job = _recv(proto_in)
        except (EOFError, OSError):
            return
        if job is None:
            return
        path, kind, timeout = job
        result = parse(Path(path), kind, timeout)
        try:
            _send(proto_out, result)
        except (MemoryError, OSError):
            return
        if result[0] == "too_large":
            return  # the heap may be fragmented after a MemoryError: start afresh


def _send(fh, obj: Any) -> None:
    data = pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
    fh.write(struct.pack("<I", len(data)) + data)


def _read_exact(fh, n: int) -> bytes:
    chunks = []
    while n:
        chunk = fh.read(n)
        if not chunk:
            raise EOFError
        chunks.append(chunk)
        n -= len(chunk)
    return b"".join(chunks)


def _recv(fh) -> Any:
    (size,) = struct.unpack("<I", _read_exact(fh, 4))
    return pickle.loads(_read_exact(fh, size))


# ------------------------------------------------------------------ in the parent

_PRELOAD = [
    "jiaarchive.extract.office",
    "jiaarchive.extract.pdf",
    "jiaarchive.extract.ofd",
    "jiaarchive.extract.photo",
    "xlrd",
]
_PACKAGE_ROOT = str(Path(__file__).resolve().parents[2])


class Worker:
    """One child process (``python -m jiaarchive.extract.worker``), re-used across jobs.

    A plain subprocess rather than ``multiprocessing``: no re-import of the caller's
    ``__main__``, its own session (so converters it starts die with it), same on all OSes.
    """

    def __init__(self, memory_mb: int, ocr: bool = False) -> None:
        self.memory_mb = memory_mb
        self.ocr = ocr  # a text-recognition worker: the OCR engine loaded at start
        env = dict(os.environ)
        env["PYTHONPATH"] = _PACKAGE_ROOT + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "jiaarchive.extract.worker", str(memory_mb), *(["ocr"] if ocr else [])],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env=env,
            start_new_session=True,
            bufsize=0,
        )
        self.conn = self.proc.stdout
        self.jobs = 0
        self._ready = False

    def wait_ready(self, timeout: float = 60.0) -> bool:
        """Block until the child has imported its parsers (False when it failed to start)."""
        if self._ready:
            return True
        if not wait([self], timeout=timeout):
            self.kill()
            return False
        try:
            self._ready = _recv(self.conn) == ("ready",)
        except (EOFError, OSError, pickle.UnpicklingError, struct.error):
            self._ready = False
        if not self._ready:
            self.kill()
        return self._ready

    def fileno(self) -> int:
        return self.conn.fileno()

    def submit(self, job: Job) -> None:
        if not self.wait_ready():
            raise OSError("extraction worker failed to start")
        self.jobs += 1
        _send(self.proc.stdin, job)

    def receive(self) -> Result | None:
        """The result, or None when the child died."""
        try:
            return _recv(self.conn)
        except (EOFError, OSError, pickle.UnpicklingError, struct.error):
            return None

    def alive(self) -> bool:
        return self.proc.poll() is None

    def kill(self) -> None:
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError, OSError, AttributeError):
            try:
                self.proc.kill()
            except OSError:
                pass
        self._reap()

    def close(self) -> None:
        try:
            _send(self.proc.stdin, None)
            self.proc.stdin.close()
        except (OSError, ValueError):
            pass
        try:
            self.proc.wait(timeout=2)
        except subprocess.TimeoutExpired:
            self.kill()
            return
        self._reap()

    def _reap(self) -> None:
        try:
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            pass
        for fh in (self.proc.stdin, self.proc.stdout):
            try:
                if fh:
                    fh.close()
            except OSError:
                pass


def run_jobs(
    jobs: Iterable[tuple[Any, Job]], *, workers: int, memory_mb: int, pool: list[Worker] | None = None,
    ocr: bool = False,
) -> Iterator[tuple[Any, Result, float]]:
    """Run jobs on ``workers`` children; yield (key, result, seconds) as each finishes.

    A job over its timeout gets ``('timeout', ...)`` and its worker is killed and replaced;
    a worker that dies gets ``('error', ...)``.  ``pool`` lets a caller keep workers alive
    between calls (dead or killed ones are replaced in place).  ``ocr``: the workers
    load the text-recognition engine at start (jobs "ocr-image", "ocr-pdf:<page>").
    """
    own = pool is None
    pool = pool if pool is not None else []
    while len(pool) < workers:
        pool.append(Worker(memory_mb, ocr))  # children start in parallel; submit waits for each
    queue = deque(jobs)
    busy: dict[int, tuple[Any, Job, float]] = {}  # index in pool -> (key, job, start)
    try:
        while queue or busy:
            for i, w in enumerate(pool[:workers]):
                if i in busy or not queue:
                    continue
                if not w.alive() or w.jobs >= RECYCLE_AFTER:
                    w.close()
                    pool[i] = w = Worker(memory_mb, ocr)
                key, job = queue.popleft()
                try:
                    w.submit(job)
                except OSError:
                    w.kill()
                    pool[i] = w = Worker(memory_mb, ocr)
                    try:
                        w.submit(job)
                    except OSError as exc:
                        yield key, ("error", "", str(exc), None, False, ()), 0.0
                        continue
                busy[i] = (key, job, time.monotonic())
            if not busy:
                continue
            now = time.monotonic()
            next_deadline = min(start + job[2] for _key, job, start in busy.values())
            ready = wait([pool[i] for i in busy], timeout=max(0.0, next_deadline - now))
            ready_ids = {id(c) for c in ready}
            for i in list(busy):
                w = pool[i]
                key, job, start = busy[i]
                if id(w) in ready_ids:
                    result = w.receive()
                    if result is None:
                        code = w.proc.poll()
                        w.kill()
                        pool[i] = Worker(memory_mb, ocr)
                        result = ("error", "", f"worker died (exit code {code})", None, False, ())
                    elif result[0] == "too_large":
                        w.close()
                        pool[i] = Worker(memory_mb, ocr)
                    del busy[i]
                    yield key, result, time.monotonic() - start
                elif time.monotonic() >= start + job[2]:
                    w.kill()
                    pool[i] = Worker(memory_mb, ocr)
                    del busy[i]
                    yield key, ("timeout", "", f"killed after {job[2]:g} s", None, False, ()), time.monotonic() - start
    finally:
        if own:
            for w in pool:
                w.close()
        else:
            for i in busy:  # abandoned mid-batch: results would arrive out of step
                pool[i].kill()
                pool[i] = Worker(memory_mb, ocr)


if __name__ == "__main__":
    _child_main(int(sys.argv[1]) if len(sys.argv) > 1 else 0, ocr="ocr" in sys.argv[2:])
