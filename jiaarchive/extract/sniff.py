"""Tell a file's real type from its bytes, not from its name (类型识别).

``sniff()`` reads the first few KB (plus the tail of a PDF, the central directory of a
zip and the directory sectors of an OLE2/CFB container) and never raises for bad
content: a truncated, fuzzed or unknown file gets the best guess or ``kind='unknown'``.
Only ``OSError`` escapes, for a file that cannot be opened or read at all.

``doc_properties()`` reads title, creation date and page count from docx/xlsx/pptx core
properties and from PDF metadata, without extracting the text.
"""

from __future__ import annotations

import re
import struct
import zipfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path

HEAD_BYTES = 8192
TAIL_BYTES = 4096


@dataclass(frozen=True)
class FileType:
    """What a file really is.

    ``kind`` is one of: pdf docx xlsx xlsb pptx doc xls ppt wps-works ofd odt ods odp rtf
    html text jpeg png gif tiff webp heic bmp zip unknown empty.  ``ext`` is the canonical
    extension ('.pdf'); for text it keeps a text-like original suffix ('.md', '.csv').
    ``encrypted`` is True for a password-protected office file (OOXML inside a CFB
    ``EncryptedPackage``, an encrypted .doc/.xls) and for a PDF that needs a password
    to open (a PDF encrypted with the empty user password opens, so it is not flagged).
    """

    kind: str
    mime: str
    ext: str
    label: str
    is_image: bool = False
    encrypted: bool = False


_INFO: dict[str, tuple[str, str, str]] = {
    # kind: (mime, ext, label)
    "pdf": ("application/pdf", ".pdf", "PDF 文档"),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", ".docx", "Word 文档"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".xlsx", "Excel 表格"),
    "xlsb": ("application/vnd.ms-excel.sheet.binary.macroEnabled.12", ".xlsb", "Excel 表格"),
    "pptx": ("application/vnd.openxmlformats-officedocument.presentationml.presentation", ".pptx", "PowerPoint 演示文稿"),
    "doc": ("application/msword", ".doc", "Word 文档"),
    "xls": ("application/vnd.ms-excel", ".xls", "Excel 表格"),
    "ppt": ("application/vnd.ms-powerpoint", ".ppt", "PowerPoint 演示文稿"),
    "wps-works": ("application/vnd.ms-works", ".wps", "Works 文档"),
    "ofd": ("application/ofd", ".ofd", "OFD 电子公文"),
    "odt": ("application/vnd.oasis.opendocument.text", ".odt", "ODF 文本文档"),
    "ods": ("application/vnd.oasis.opendocument.spreadsheet", ".ods", "ODF 表格"),
    "odp": ("application/vnd.oasis.opendocument.presentation", ".odp", "ODF 演示文稿"),
    "rtf": ("application/rtf", ".rtf", "RTF 文档"),
    "html": ("text/html", ".html", "网页"),
    "text": ("text/plain", ".txt", "文本"),
    "jpeg": ("image/jpeg", ".jpg", "照片"),
    "png": ("image/png", ".png", "图片"),
    "gif": ("image/gif", ".gif", "图片"),
    "tiff": ("image/tiff", ".tif", "图片"),
    "webp": ("image/webp", ".webp", "图片"),
    "heic": ("image/heic", ".heic", "照片"),
    "bmp": ("image/bmp", ".bmp", "图片"),
    "zip": ("application/zip", ".zip", "压缩包"),
    "unknown": ("application/octet-stream", "", "未知类型"),
    "empty": ("application/octet-stream", "", "空文件"),
}
IMAGE_KINDS = frozenset({"jpeg", "png", "gif", "tiff", "webp", "heic", "bmp"})
TEXT_SUFFIXES = frozenset(
    {".txt", ".md", ".markdown", ".csv", ".tsv", ".json", ".xml", ".log", ".ini", ".yaml", ".yml", ".text"}
)
_OOXML_BY_SUFFIX = {".docx": "docx", ".docm": "docx", ".xlsx": "xlsx", ".xlsm": "xlsx", ".pptx": "pptx"}


def _make(kind: str, *, ext: str | None = None, encrypted: bool = False, label: str | None = None) -> FileType:
    mime, default_ext, default_label = _INFO[kind]
    return FileType(
        kind=kind,
        mime=mime,
        ext=default_ext if ext is None else ext,
        label=default_label if label is None else label,
        is_image=kind in IMAGE_KINDS,
        encrypted=encrypted,
    )


def sniff(path: Path, *, deep: bool = True) -> FileType:
    """Return the real type of ``path`` from its content (extension used only as a tie-break).

    With ``deep=False`` an encrypted PDF is not opened to try the empty password (the
    extractor does that in its sandboxed worker); it is then flagged ``encrypted``.
    """
    path = Path(path)
    with open(path, "rb") as fh:
        head = fh.read(HEAD_BYTES)
        if not head:
            return _make("empty")
        try:
            return _sniff_open(path, fh, head, deep)
        except OSError:
            raise
        except Exception:  # a hostile file must never break filing
            return _make("unknown")


def _sniff_open(path: Path, fh, head: bytes, deep: bool = True) -> FileType:
    suffix = path.suffix.lower()
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return _sniff_cfb(fh, head, suffix)
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        return _sniff_zip(path, head, suffix)
    pdf_at = head.find(b"%PDF-", 0, 1024)
    if pdf_at != -1:
        return _make("pdf", encrypted=_pdf_has_encrypt(fh, head) and (not deep or _pdf_needs_password(path)))
    image = _sniff_image(head)
    if image is not None:
        return image
    if head.startswith(b"{\\rtf"):
        return _make("rtf")
    if _is_raw_biff(head):
        return _make("xls")
    return _sniff_text(head, suffix)


# ---------------------------------------------------------------- images


def _sniff_image(head: bytes) -> FileType | None:
    if head.startswith(b"\xff\xd8\xff"):
        return _make("jpeg")
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return _make("png")
    if head.startswith((b"GIF87a", b"GIF89a")):
        return _make("gif")
    if head.startswith((b"II*\x00", b"MM\x00*", b"II+\x00", b"MM\x00+")):
        return _make("tiff")
    if head.startswith(b"RIFF") and head[8:12] == b"WEBP":
        return _make("webp")
    if head.startswith(b"BM") and len(head) >= 26 and head[6:10] == b"\x00\x00\x00\x00":
        return _make("bmp")
    if head[4:8] == b"ftyp":
        box_len = int.from_bytes(head[0:4], "big")
        brands = {head[8:12]}
        end = min(max(box_len, 16), len(head))
        brands.update(head[i : i + 4] for i in range(16, end - 3, 4))
        heif = {b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"mif1", b"msf1", b"heif"}
        if brands & heif:
            ext = ".heif" if head[8:12] in (b"mif1", b"heif") and b"heic" not in brands else ".heic"
            return _make("heic", ext=ext)
    return None


def _is_raw_biff(head: bytes) -> bool:
    """A bare BIFF2-5 workbook (no OLE container): starts with a BOF record."""
    if len(head) < 8:
        return False
    rec, size = struct.unpack_from("<HH", head, 0)
    if rec not in (0x0009, 0x0209, 0x0409, 0x0809) or not 4 <= size <= 20:
        return False
    version = struct.unpack_from("<H", head, 4)[0]
    dtype = struct.unpack_from("<H", head, 6)[0]
    return rec != 0x0809 or version in (0x0500, 0x0600) or dtype in (0x0005, 0x0010)


# ---------------------------------------------------------------- PDF


def _pdf_has_encrypt(fh, head: bytes) -> bool:
    if b"/Encrypt" in head:
        return True
    try:
        fh.seek(0, 2)
        size = fh.tell()
        fh.seek(max(0, size - TAIL_BYTES))
        tail = fh.read(TAIL_BYTES)
    except OSError:
        return False
    return b"/Encrypt" in tail


_PDF_OPEN_CHECK_MAX_BYTES = 64 * 1024 * 1024


def _pdf_needs_password(path: Path) -> bool:
    """True unless the PDF opens with the empty user password (many "encrypted" PDFs do)."""
    try:
        if path.stat().st_size > _PDF_OPEN_CHECK_MAX_BYTES:
            return True
        import logging

        from pypdf import PdfReader

        logging.getLogger("pypdf").setLevel(logging.ERROR)
        reader = PdfReader(str(path), strict=False)
        return bool(reader.is_encrypted) and not reader.decrypt("")
    except Exception:
        return True


# ---------------------------------------------------------------- zip (OOXML, ODF, OFD)


def _sniff_zip(path: Path, head: bytes, suffix: str) -> FileType:
    names: list[str] = []
    content_types = b""
    mimetype = b""
    try:
        with zipfile.ZipFile(path) as zf:
            names = zf.namelist()
            if "[Content_Types].xml" in names:
                info = zf.getinfo("[Content_Types].xml")
                if info.file_size < 1_000_000:
                    content_types = zf.read(info)
            if "mimetype" in names and zf.getinfo("mimetype").file_size < 200:
                mimetype = zf.read("mimetype").strip()
    except Exception:
        # Truncated or damaged zip: fall back to the member names in the local headers we have.
        names = _local_header_names(head)
        if head[30:38] == b"mimetype":
            mimetype = head[38:120].split(b"PK\x03\x04")[0].strip()
    return _classify_zip(names, content_types, mimetype, suffix)


def _local_header_names(head: bytes) -> list[str]:
    names = []
    for m in re.finditer(rb"PK\x03\x04", head):
        start = m.start()
        if start + 30 > len(head):
            break
        name_len = struct.unpack_from("<H", head, start + 26)[0]
        raw = head[start + 30 : start + 30 + name_len]
        names.append(raw.decode("utf-8", "replace"))
    return names


def _classify_zip(names: list[str], content_types: bytes, mimetype: bytes, suffix: str) -> FileType:
    if mimetype.startswith(b"application/vnd.oasis.opendocument."):
        sub = mimetype.rsplit(b".", 1)[-1]
        kind = {b"text": "odt", b"spreadsheet": "ods", b"presentation": "odp"}.get(sub)
        if kind:
            return _make(kind)
    if "OFD.xml" in names or any(n.lower() == "ofd.xml" for n in names):
        return _make("ofd")
    if content_types:
        if b"wordprocessingml.document" in content_types or b"ms-word.document" in content_types:
            return _make("docx")
        if b"spreadsheetml.sheet" in content_types or b"ms-excel.sheet" in content_types:
            return _make("xlsb" if b"sheet.binary" in content_types else "xlsx")
        if b"presentationml" in content_types or b"ms-powerpoint" in content_types:
            return _make("pptx")
    lowered = [n.lower() for n in names]
    if any(n.startswith("word/") for n in lowered):
        return _make("docx")
    if "xl/workbook.bin" in lowered:
        return _make("xlsb")
    if any(n.startswith("xl/") for n in lowered):
        return _make("xlsx")
    if any(n.startswith("ppt/") for n in lowered):
        return _make("pptx")
    if "[content_types].xml" in lowered and suffix in _OOXML_BY_SUFFIX:
        return _make(_OOXML_BY_SUFFIX[suffix])
    return _make("zip")


# ---------------------------------------------------------------- OLE2 / CFB


_MAX_SECTORS_READ = 256
_ENDOFCHAIN = 0xFFFFFFFE


class _Cfb:
    """Just enough of a Compound File Binary reader to list streams and read a stream's head."""

    def __init__(self, fh, head: bytes) -> None:
        self.fh = fh
        self.sector_size = 1 << struct.unpack_from("<H", head, 0x1E)[0]
        self.mini_cutoff = struct.unpack_from("<I", head, 0x38)[0]
        if self.sector_size not in (512, 4096):
            raise ValueError("bad sector size")
        self.first_dir = struct.unpack_from("<I", head, 0x30)[0]
        self.difat = [s for s in struct.unpack_from("<109I", head, 0x4C) if s < 0xFFFFFFFA]
        self._fat_cache: dict[int, tuple[int, ...]] = {}
        self.reads = 0

    def _sector(self, sid: int) -> bytes:
        self.reads += 1
        if self.reads > _MAX_SECTORS_READ:
            raise ValueError("too many sectors")
        self.fh.seek((sid + 1) * self.sector_size)
        return self.fh.read(self.sector_size)

    def _next(self, sid: int) -> int:
        per = self.sector_size // 4
        idx = sid // per
        if idx >= len(self.difat):
            return _ENDOFCHAIN  # beyond header DIFAT; enough for sniffing
        if idx not in self._fat_cache:
            data = self._sector(self.difat[idx])
            self._fat_cache[idx] = struct.unpack(f"<{len(data) // 4}I", data)
        table = self._fat_cache[idx]
        off = sid % per
        return table[off] if off < len(table) else _ENDOFCHAIN

    def entries(self) -> list[tuple[str, int, int, int]]:
        """(name, type, start sector, size) for each directory entry."""
        out = []
        sid = self.first_dir
        seen = set()
        while sid < 0xFFFFFFFA and sid not in seen and len(seen) < 64:
            seen.add(sid)
            data = self._sector(sid)
            for i in range(0, len(data) - 127, 128):
                ent = data[i : i + 128]
                name_len = struct.unpack_from("<H", ent, 0x40)[0]
                etype = ent[0x42]
                if etype == 0 or not 2 <= name_len <= 64:
                    continue
                name = ent[: name_len - 2].decode("utf-16-le", "replace")
                start = struct.unpack_from("<I", ent, 0x74)[0]
                size = struct.unpack_from("<I", ent, 0x78)[0]
                out.append((name, etype, start, size))
            sid = self._next(sid)
        return out

    def stream_head(self, start: int, size: int) -> bytes:
        """First sector of a stream held in regular sectors (size >= mini cutoff)."""
        if size < self.mini_cutoff or start >= 0xFFFFFFFA:
            return b""
        return self._sector(start)


def _sniff_cfb(fh, head: bytes, suffix: str) -> FileType:
    try:
        cfb = _Cfb(fh, head)
        entries = cfb.entries()
    except Exception:
        return _cfb_guess_by_suffix(suffix)
    by_name = {name: (start, size) for name, etype, start, size in entries if etype == 2}
    names = set(by_name)
    all_names = {name for name, _etype, _start, _size in entries}
    if "EncryptedPackage" in names:
        kind = _OOXML_BY_SUFFIX.get(suffix)
        if kind is None:
            return FileType(
                kind="unknown",
                mime="application/x-ole-storage",
                ext="",
                label="加密的 Office 文档",
                encrypted=True,
            )
        return _make(kind, encrypted=True)
    if "WordDocument" in names:
        enc = False
        try:
            fib = cfb.stream_head(*by_name["WordDocument"])
            if len(fib) >= 0x0C:
                flags = struct.unpack_from("<H", fib, 0x0A)[0]
                enc = bool(flags & 0x0100)
        except Exception:
            pass
        return _make("doc", encrypted=enc)
    for book in ("Workbook", "Book", "WORKBOOK", "BOOK"):
        if book in names:
            enc = False
            try:
                enc = _biff_has_filepass(cfb.stream_head(*by_name[book]))
            except Exception:
                pass
            return _make("xls", encrypted=enc)
    if "PowerPoint Document" in names:
        return _make("ppt", encrypted="EncryptedSummary" in names)
    if "MatOST" in all_names or "CONTENTS" in names:
        return _make("wps-works")
    return _cfb_guess_by_suffix(suffix)


def _cfb_guess_by_suffix(suffix: str) -> FileType:
    guess = {".doc": "doc", ".dot": "doc", ".wps": "doc", ".xls": "xls", ".et": "xls", ".ppt": "ppt"}.get(suffix)
    if guess:
        return _make(guess)
    return FileType(kind="unknown", mime="application/x-ole-storage", ext="", label="未知类型")


def _biff_has_filepass(data: bytes) -> bool:
    pos = 0
    for _ in range(16):
        if pos + 4 > len(data):
            return False
        rec, size = struct.unpack_from("<HH", data, pos)
        if rec == 0x002F:
            return True
        if rec == 0x000A:  # EOF
            return False
        pos += 4 + size
    return False


# ---------------------------------------------------------------- text and HTML


_HTML_RE = re.compile(
    rb"<!doctype\s+html|<html[\s>]|<head[\s>]|<body[\s>]|<meta\s[^>]*charset|<title[\s>]", re.IGNORECASE
)


def _sniff_text(head: bytes, suffix: str) -> FileType:
    encoding = text_encoding_of_head(head)
    if encoding is None:
        return _make("unknown")
    sample = head
    if encoding.startswith("utf-16"):
        sample = head.decode(encoding, "ignore").encode("utf-8", "ignore")
    stripped = sample.lstrip(b"\xef\xbb\xbf \t\r\n")
    if _HTML_RE.search(stripped[:2048]) and (stripped[:1] == b"<" or suffix in (".htm", ".html", ".mht", ".jsp")):
        return _make("html", ext=".htm" if suffix == ".htm" else ".html")
    ext = suffix if suffix in TEXT_SUFFIXES else ".txt"
    label = {".md": "Markdown 文本", ".markdown": "Markdown 文本", ".csv": "CSV 表格", ".tsv": "CSV 表格"}.get(ext)
    return _make("text", ext=ext, label=label)


def text_encoding_of_head(head: bytes) -> str | None:
    """A plausible encoding for the first bytes of a text file, or None when it looks binary."""
    if head.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    if b"\x00" in head:
        return None
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13, 27))
    if controls > max(2, len(head) // 100):
        return None
    for enc in ("utf-8", "gb18030", "big5"):
        # The head may cut a multibyte character: drop up to 3 trailing bytes.
        for cut in range(4):
            chunk = head[: len(head) - cut] if cut else head
            try:
                chunk.decode(enc)
                return enc
            except UnicodeDecodeError:
                continue
    return "unknown-8bit"


# ---------------------------------------------------------------- document properties


@dataclass(frozen=True)
class DocProps:
    """Title, creation date and page count a document declares about itself (or None)."""

    title: str | None = None
    created: date | None = None
    pages: int | None = None


_PDF_PROPS_MAX_BYTES = 200 * 1024 * 1024


def doc_properties(path: Path) -> DocProps:
    """Read title/created/pages from OOXML core properties or PDF metadata, the title of Markdown
    and HTML from their first heading; never raises."""
    try:
        ft = sniff(Path(path))
        if ft.kind in ("docx", "xlsx", "pptx") and not ft.encrypted:
            return _ooxml_props(Path(path))
        if ft.kind == "pdf":
            return _pdf_props(Path(path))
        if ft.kind == "html" or (ft.kind == "text" and Path(path).suffix.lower() in (".md", ".markdown")):
            return _heading_props(Path(path), ft.kind)
    except Exception:
        pass
    return DocProps()


_HEADING_READ_BYTES = 512 * 1024


def _heading_props(path: Path, kind: str) -> DocProps:
    """Markdown and HTML: the title is the first heading (an HTML page's <title> otherwise)."""
    from jiaarchive.extract.text import decode_html, decode_text, html_title, markdown_title

    with open(path, "rb") as fh:
        data = fh.read(_HEADING_READ_BYTES)
    if kind == "html":
        return DocProps(title=html_title(decode_html(data)[0]))
    return DocProps(title=markdown_title(decode_text(data)[0]))


def _ooxml_props(path: Path) -> DocProps:
    from xml.etree import ElementTree as ET

    with zipfile.ZipFile(path) as zf:
        names = set(zf.namelist())
        title = created = pages = None
        if "docProps/core.xml" in names and zf.getinfo("docProps/core.xml").file_size < 1_000_000:
            root = ET.fromstring(zf.read("docProps/core.xml"))
            for el in root:
                tag = el.tag.rsplit("}", 1)[-1]
                text = (el.text or "").strip()
                if tag == "title" and text:
                    title = text
                elif tag == "created" and text:
                    created = _parse_iso_date(text)
        if "docProps/app.xml" in names and zf.getinfo("docProps/app.xml").file_size < 1_000_000:
            root = ET.fromstring(zf.read("docProps/app.xml"))
            for el in root:
                if el.tag.rsplit("}", 1)[-1] in ("Pages", "Slides") and (el.text or "").strip().isdigit():
                    pages = int(el.text.strip()) or None
    return DocProps(title=title, created=created, pages=pages)


def _parse_iso_date(text: str) -> date | None:
    m = re.match(r"(\d{4})-(\d{2})-(\d{2})", text)
    if not m:
        return None
    try:
        d = date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        return None
    return d if d.year > 1900 else None


def _pdf_props(path: Path) -> DocProps:
    import logging

    from pypdf import PdfReader

    if path.stat().st_size > _PDF_PROPS_MAX_BYTES:
        return DocProps()
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    reader = PdfReader(str(path), strict=False)
    if reader.is_encrypted:
        try:
            if not reader.decrypt(""):
                return DocProps()
        except Exception:
            return DocProps()
    title = created = pages = None
    try:
        meta = reader.metadata
    except Exception:
        meta = None
    if meta:
        try:
            raw_title = meta.get("/Title")
            if raw_title:
                title = _clean_pdf_string(str(raw_title))
        except Exception:
            pass
        try:
            raw_date = meta.get("/CreationDate")
            if raw_date:
                created = _parse_pdf_date(str(raw_date))
        except Exception:
            pass
    try:
        pages = len(reader.pages) or None
    except Exception:
        pages = None
    return DocProps(title=title, created=created, pages=pages)


def _clean_pdf_string(text: str) -> str | None:
    if text.startswith("\u00fe\u00ff") or text.startswith("\u00ff\u00fe"):
        # A UTF-16 string that a damaged file left undecoded.
        try:
            raw = text.encode("latin-1")
        except UnicodeError:
            return None
        text = raw[: len(raw) - len(raw) % 2].decode("utf-16", "replace")
    text = text.replace("\x00", "").strip()
    return text or None


def _parse_pdf_date(text: str) -> date | None:
    m = re.match(r"(?:D:)?(\d{4})(\d{2})?(\d{2})?", text.strip())
    if not m:
        return None
    try:
        d = date(int(m[1]), int(m[2] or 1), int(m[3] or 1))
    except ValueError:
        return None
    return d if d.year > 1900 else None


__all__ = ["DocProps", "FileType", "doc_properties", "sniff", "text_encoding_of_head"]
