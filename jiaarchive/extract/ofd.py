"""OFD (版式文档, GB/T 33190), China's national e-document format: the text of its pages.

An OFD is a zip: ``OFD.xml`` names each document's ``Document.xml`` (DocRoot), which lists
its pages (``Pages/Page@BaseLoc``) and template pages; each page's ``Content.xml`` holds
``TextObject/TextCode`` elements.  Text objects on one baseline are joined into one line.
"""

from __future__ import annotations

import posixpath
import zipfile
from pathlib import Path
from xml.etree import ElementTree as ET

from jiaarchive.extract.office import MAX_MEMBER_BYTES, TooLarge
from jiaarchive.extract.text import repair_cjk_spacing, tidy

MAX_PAGES = 5000


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _resolve(base_dir: str, loc: str, names: set[str]) -> str | None:
    loc = loc.strip().replace("\\", "/")
    candidates = [loc.lstrip("/")] if loc.startswith("/") else [posixpath.normpath(posixpath.join(base_dir, loc)), loc]
    for cand in candidates:
        if cand in names:
            return cand
    lowered = {n.lower(): n for n in names}
    for cand in candidates:
        if cand.lower() in lowered:
            return lowered[cand.lower()]
    return None


def _read(zf: zipfile.ZipFile, name: str) -> bytes:
    info = zf.getinfo(name)
    if info.file_size > MAX_MEMBER_BYTES:
        raise TooLarge(name)
    return zf.read(info)


def ofd_to_text(path: Path) -> str:
    with zipfile.ZipFile(path) as zf:
        names = set(zf.namelist())
        ofd_xml = _resolve("", "OFD.xml", names)
        if ofd_xml is None:
            raise ValueError("OFD.xml missing")
        root = ET.fromstring(_read(zf, ofd_xml))
        doc_roots = [el.text or "" for el in root.iter() if _local(el.tag) == "DocRoot"]
        texts: list[str] = []
        for doc_root in doc_roots:
            doc_name = _resolve("", doc_root, names)
            if doc_name is None:
                continue
            texts.extend(_document_text(zf, doc_name, names))
    return tidy("\n\n".join(t for t in texts if t))


def ofd_page_count(path: Path) -> int | None:
    """The number of pages of all documents in an OFD (None when it cannot be read)."""
    try:
        with zipfile.ZipFile(path) as zf:
            names = set(zf.namelist())
            ofd_xml = _resolve("", "OFD.xml", names)
            if ofd_xml is None:
                return None
            root = ET.fromstring(_read(zf, ofd_xml))
            total = 0
            for doc_root in (el.text or "" for el in root.iter() if _local(el.tag) == "DocRoot"):
                doc_name = _resolve("", doc_root, names)
                if doc_name is not None:
                    doc = ET.fromstring(_read(zf, doc_name))
                    total += sum(1 for el in doc.iter() if _local(el.tag) == "Page" and el.get("BaseLoc"))
    except (OSError, zipfile.BadZipFile, ET.ParseError, TooLarge, KeyError, ValueError, RuntimeError):
        return None
    return total or None


def _document_text(zf: zipfile.ZipFile, doc_name: str, names: set[str]) -> list[str]:
    base = posixpath.dirname(doc_name)
    doc = ET.fromstring(_read(zf, doc_name))
    templates: list[str] = []
    pages: list[str] = []
    for el in doc.iter():
        tag = _local(el.tag)
        if tag == "TemplatePage" and el.get("BaseLoc"):
            templates.append(el.get("BaseLoc", ""))
        elif tag == "Page" and el.get("BaseLoc"):
            pages.append(el.get("BaseLoc", ""))
    out = []
    for loc in pages[:MAX_PAGES]:
        part = _resolve(base, loc, names)
        if part:
            out.append(_content_text(_read(zf, part)))
    seen = set()
    for loc in templates:
        part = _resolve(base, loc, names)
        if part and part not in seen:
            seen.add(part)
            out.append(_content_text(_read(zf, part)))
    return out


def _content_text(xml: bytes) -> str:
    root = ET.fromstring(xml)
    lines: list[str] = []
    current: list[str] = []
    last_y: float | None = None
    last_end: float | None = None
    for obj in root.iter():
        if _local(obj.tag) != "TextObject":
            continue
        text = "".join(code.text or "" for code in obj if _local(code.tag) == "TextCode")
        if not text.strip():
            continue
        box = _boundary(obj.get("Boundary", ""))
        y = box[1] if box else None
        if current and (y is None or last_y is None or abs(y - last_y) > 1.0):
            lines.append("".join(current))
            current = []
        elif current and box and last_end is not None and box[0] - last_end > 1.0:
            current.append(" ")  # a visible gap between two objects on one line
        current.append(text)
        last_y = y
        last_end = box[0] + box[2] if box else None
    if current:
        lines.append("".join(current))
    return repair_cjk_spacing("\n".join(lines))


def _boundary(boundary: str) -> tuple[float, float, float, float] | None:
    """Boundary "x y w h" in millimetres."""
    parts = boundary.split()
    if len(parts) != 4:
        return None
    try:
        x, y, w, h = (float(p) for p in parts)
    except ValueError:
        return None
    return x, y, w, h
