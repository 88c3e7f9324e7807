"""What a file says about itself: a title and a date to prefill when filing.

Order: the document's own properties (Word/PDF/Excel title and creation date, a photo's EXIF
capture time), then its file name (``2021-05-01 运动会.jpg``, ``20210501_通知.docx``,
``微信图片_20201012093011.jpg``), then the file's modification time as a last resort, flagged so
the clerk checks it.

``page_count`` gives 页数 as the file states it: a PDF's pages, a Word or PowerPoint file's
document statistics (``docProps/app.xml``), an Excel workbook's sheets, an OFD's pages.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from . import storage

# Titles that programs put in document properties by default: never a real title.
_PLACEHOLDER_TITLES = re.compile(
    r"^(microsoft\s*(word|excel|powerpoint).*|untitled.*|document\d*|文档\d*|新建.*文档.*|无标题.*|"
    r"title|标题|sheet\d*|工作簿\d*|book\d*|\s*)$",
    re.I,
)
# Camera and messenger names: no description in them.
_MEANINGLESS_NAME = re.compile(
    r"^(img|dsc|dscn|dcim|pxl|mvimg|photo|image|screenshot|mmexport|wx_camera|微信图片|wechatimg|截图|屏幕截图|p)[\s_\-]*[\d_\-\s]*$",
    re.I,
)

DATE_SOURCES = {
    "manual": "手工填写",
    "properties": "文档属性",
    "exif": "照片拍摄时间",
    "filename": "文件名",
    "mtime": "文件修改时间（请核对）",
}

_DATE_PATTERNS = [
    re.compile(r"(?<!\d)(?P<y>(19|20)\d{2})\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日"),
    re.compile(r"(?<!\d)(?P<y>(19|20)\d{2})[-.\s_/](?P<m>\d{1,2})[-.\s_/](?P<d>\d{1,2})(?!\d)"),
    re.compile(r"(?<!\d)(?P<y>(19|20)\d{2})(?P<m>\d{2})(?P<d>\d{2})(?!\d{1,3}\b)"),
]
_MMEXPORT = re.compile(r"mmexport(?P<ms>1\d{12})", re.I)


@dataclass(frozen=True)
class Proposal:
    title: str
    title_source: str  # "properties" | "filename" | "default"
    date: date | None
    date_source: str  # key of DATE_SOURCES, or "" when unknown
    kind: str
    label: str
    pages: int | None = None  # 页数, when the file states it


def is_placeholder_title(text: str) -> bool:
    """A title a program put there by default (``Microsoft Word - 文档1``, ``Sheet1``), not a real one."""
    return bool(_PLACEHOLDER_TITLES.match(text.strip()))


def is_meaningless_name(stem: str) -> bool:
    """A camera or messenger file name (``IMG_1234``, ``微信图片_2021…``) that describes nothing."""
    return bool(_MEANINGLESS_NAME.match(stem.strip()))


def date_from_name(stem: str) -> date | None:
    m = _MMEXPORT.search(stem)
    if m:
        return datetime.fromtimestamp(int(m["ms"]) / 1000).date()
    for pat in _DATE_PATTERNS:
        for m in pat.finditer(stem):
            try:
                return date(int(m["y"]), int(m["m"]), int(m["d"]))
            except ValueError:
                continue
    return None


def title_from_name(stem: str) -> str:
    """The file name without dates, copy markers and separators."""
    t = stem
    t = _MMEXPORT.sub("", t)
    for pat in _DATE_PATTERNS:
        t = pat.sub(" ", t)
    t = re.sub(r"(\(\d+\)|（\d+）|\s-\s副本|副本|_副本|\s*-\s*copy)$", "", t.strip(), flags=re.I)
    t = re.sub(r"[_]+", " ", t)
    t = re.sub(r"\s+", " ", t).strip(" -_.·、")
    if not t or is_meaningless_name(stem) or is_meaningless_name(t):
        return ""
    return t


def clean_title(text: str) -> str:
    """A derived title made safe: no control characters or path separators."""
    t = "".join(" " if storage.has_control(ch) else ch for ch in text)
    t = t.replace("/", "／").replace("\\", "＼")
    return re.sub(r"\s+", " ", t).strip()[:120]


def propose(path: Path) -> Proposal:
    """Title and date a clerk would expect for ``path``; never raises for bad content."""
    from .extract.sniff import doc_properties, sniff

    ftype = sniff(path)
    name = storage.decoded_name(path)
    pages: int | None = None
    stem = name.rsplit(".", 1)[0] if "." in name else name
    title, title_source = "", ""
    when: date | None = None
    source = ""

    if ftype.is_image:
        from .photos.inspect import capture_time

        taken, how = capture_time(path)
        if taken is not None and how == "exif":
            when, source = taken.date(), "exif"
    else:
        props = doc_properties(path)
        pages = props.pages if ftype.kind in ("pdf", "docx", "pptx") else page_count(path, ftype.kind)
        if props.title and not is_placeholder_title(props.title):
            title, title_source = clean_title(props.title), "properties"
        if props.created is not None:
            when, source = props.created, "properties"

    if not title:
        title = clean_title(title_from_name(stem))
        title_source = "filename" if title else ""
    if not title:
        title, title_source = ("照片" if ftype.is_image else "未命名文件"), "default"

    from_name = date_from_name(stem)
    if from_name is not None and (when is None or source == "properties"):
        # a date the clerk typed into the name beats a program's creation stamp
        when, source = from_name, "filename"
    if when is None:
        try:
            when, source = datetime.fromtimestamp(path.stat().st_mtime).date(), "mtime"
        except OSError:
            pass
    return Proposal(title=title, title_source=title_source, date=when, date_source=source, kind=ftype.kind,
                    label=ftype.label, pages=pages)


def page_count(path: Path, kind: str | None = None) -> int | None:
    """页数 of one file as it states it (None when it does not say, or cannot be read)."""
    from .extract.sniff import doc_properties, sniff

    try:
        kind = kind or sniff(path).kind
    except OSError:
        return None
    if kind in ("pdf", "docx", "pptx"):
        return doc_properties(path).pages
    if kind == "xlsx":
        return _xlsx_sheets(path)
    if kind == "ofd":
        from .extract.ofd import ofd_page_count

        return ofd_page_count(path)
    return None


def total_pages(paths: list[Path]) -> int | None:
    """页数 of a record made of ``paths``: the sum, when every file states its pages."""
    counts = [page_count(p) for p in paths]
    return sum(counts) if counts and all(c for c in counts) else None  # type: ignore[misc]


def _xlsx_sheets(path: Path) -> int | None:
    """The number of worksheets of an .xlsx workbook (from xl/workbook.xml)."""
    import zipfile
    from xml.etree import ElementTree as ET

    try:
        with zipfile.ZipFile(path) as zf:
            info = zf.getinfo("xl/workbook.xml")
            if info.file_size > 5_000_000:
                return None
            root = ET.fromstring(zf.read(info))
    except (OSError, KeyError, zipfile.BadZipFile, ET.ParseError, RuntimeError, ValueError):
        return None
    n = sum(1 for el in root.iter() if el.tag.rsplit("}", 1)[-1] == "sheet")
    return n or None
