"""Labelling photos (照片著录): capture time and content description written losslessly into the file.

DA/T 50 asks every archived photo to carry 时间 and 事由 (with 地点, 人物, 摄影者 where known).
``write_label`` writes them so Windows Explorer shows them in Chinese, without touching the
compressed image data:

* JPEG: the EXIF APP1 segment is rebuilt with piexif (XPTitle, XPSubject, XPComment, XPAuthor,
  XPKeywords, UserComment in UCS-2, DateTimeOriginal only when the camera left none) and an XMP
  APP1 segment (dc:title, dc:description, dc:creator, photoshop:DateCreated, IPTC location and
  persons, and the jia: namespace for an exact round trip) is merged into or added beside it.
  Every other segment and all bytes from SOS to EOI are copied unchanged.
* WebP: EXIF and XMP chunks in a VP8X container (a simple VP8/VP8L file gets a VP8X header);
  the VP8/VP8L/ALPH/ANIM chunks are copied unchanged.
* PNG: iTXt chunks (XMP, Title, Description, Author, Creation Time) and an eXIf chunk before the
  first IDAT; IDAT chunks are copied unchanged.
* HEIC/HEIF: rewriting the item tables of the container is not attempted; the label goes into an
  XMP sidecar ``<name>.xmp`` beside the photo (darktable/digiKam convention), which
  ``read_label`` reads back. Windows Explorer does not show sidecars: the archive copy's name
  (``label_filename``) carries the date and description for HEIC.

Files are replaced atomically (temporary file in the same folder, fsync, ``os.replace``).
"""

from __future__ import annotations

import os
import re
import struct
import zlib
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from xml.etree import ElementTree as ET

import piexif
import piexif.helper
from PIL import Image, UnidentifiedImageError

from jiaarchive.errors import BadValue
from jiaarchive.photos import meta
from jiaarchive.photos.errors import LabelNotWritable, NotAPhoto
from jiaarchive.photos.formats import sniff

# Longest archive file name we produce (the name, not the path): keeps 档号 folders + names well
# under Windows' 260-character path limit.
MAX_NAME_CHARS = 80

_XMP_HEADER = b"http://ns.adobe.com/xap/1.0/\x00"
_EXIF_HEADER = b"Exif\x00\x00"
_APP1_MAX = 65533  # a JPEG segment length field counts itself: 65535 - 2

# EXIF tag numbers (Windows XP* tags live in IFD0 and hold UTF-16LE text).
_XP_TITLE, _XP_COMMENT, _XP_AUTHOR, _XP_KEYWORDS, _XP_SUBJECT = 0x9C9B, 0x9C9C, 0x9C9D, 0x9C9E, 0x9C9F
_USER_COMMENT = 0x9286

# Usual prefixes, so a merged packet keeps readable names instead of ns0, ns1 ...
_COMMON_NS = {
    "xmpMM": "http://ns.adobe.com/xap/1.0/mm/",
    "stEvt": "http://ns.adobe.com/xap/1.0/sType/ResourceEvent#",
    "stRef": "http://ns.adobe.com/xap/1.0/sType/ResourceRef#",
    "xmpRights": "http://ns.adobe.com/xap/1.0/rights/",
    "tiff": "http://ns.adobe.com/tiff/1.0/",
    "aux": "http://ns.adobe.com/exif/1.0/aux/",
    "crs": "http://ns.adobe.com/camera-raw-settings/1.0/",
    "xmpNote": "http://ns.adobe.com/xmp/note/",
    "MicrosoftPhoto": "http://ns.microsoft.com/photo/1.0/",
}
for _prefix, _uri in {**meta.NS, **_COMMON_NS}.items():
    ET.register_namespace(_prefix, _uri)
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


@dataclass(frozen=True)
class PhotoLabel:
    """What a filed photo must say about itself (照片说明).

    ``subject`` is 事由/内容说明; ``place`` 地点, ``people`` 人物, ``photographer`` 摄影者.
    A ``taken_at`` at exactly midnight is treated as "date known, time of day not known".
    """

    taken_at: datetime | None
    subject: str
    place: str | None = None
    people: str | None = None
    photographer: str | None = None

    def description(self) -> str:
        """The one-line caption: date, subject, then place, people and photographer where given."""
        parts = []
        if self.taken_at is not None:
            parts.append(_date_text(self.taken_at))
        parts.append(self.subject)
        text = " ".join(parts)
        extra = []
        if self.place:
            extra.append(f"地点：{self.place}")
        if self.people:
            extra.append(f"人物：{self.people}")
        if self.photographer:
            extra.append(f"摄影：{self.photographer}")
        return "；".join([text, *extra])


def _date_text(dt: datetime) -> str:
    if (dt.hour, dt.minute, dt.second) == (0, 0, 0):
        return dt.strftime("%Y-%m-%d")
    return dt.strftime("%Y-%m-%d %H:%M")


# --- file names ------------------------------------------------------------------------------

_FORBIDDEN = re.compile(r'[<>:"/\\|?*\x00-\x1f]')
_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}


def label_filename(label: PhotoLabel, ext: str) -> str:
    """The archive name ``YYYY-MM-DD[ HH.MM] 内容说明.ext``, safe on Windows, at most 80 characters.

    Raises ``BadValue`` when the label has no date or no subject: both are required for filing.
    """
    if label.taken_at is None:
        raise BadValue("照片缺少拍摄日期，无法按“YYYY-MM-DD 内容说明”命名，请先填写日期。")
    subject = _FORBIDDEN.sub(" ", label.subject or "")
    subject = re.sub(r"\s+", " ", subject).strip(" .")
    if not subject:
        raise BadValue("照片缺少内容说明（事由），无法命名，请先填写内容说明。")
    ext = ext if ext.startswith(".") else f".{ext}"
    ext = _FORBIDDEN.sub("", ext.lower())
    head = _date_text(label.taken_at).replace(":", ".")
    room = MAX_NAME_CHARS - len(head) - 1 - len(ext)
    subject = subject[:room].rstrip(" .")
    if subject.upper() in _RESERVED:
        subject = f"{subject}_"
    return f"{head} {subject}{ext}"


# --- XMP -------------------------------------------------------------------------------------

_OURS = [
    ("dc", "title"),
    ("dc", "description"),
    ("dc", "creator"),
    ("photoshop", "DateCreated"),
    ("Iptc4xmpCore", "Location"),
    ("Iptc4xmpExt", "PersonInImage"),
]


def _q(prefix: str, local: str) -> str:
    return f"{{{meta.NS[prefix]}}}{local}"


def _alt(parent: ET.Element, prefix: str, local: str, text: str) -> None:
    el = ET.SubElement(parent, _q(prefix, local))
    alt = ET.SubElement(el, _q("rdf", "Alt"))
    li = ET.SubElement(alt, _q("rdf", "li"), {_XML_LANG: "x-default"})
    li.text = text


def _seq(parent: ET.Element, prefix: str, local: str, items: list[str], kind: str = "Seq") -> None:
    el = ET.SubElement(parent, _q(prefix, local))
    seq = ET.SubElement(el, _q("rdf", kind))
    for item in items:
        ET.SubElement(seq, _q("rdf", "li")).text = item


def _people(text: str | None) -> list[str]:
    return [p for p in re.split(r"[、，,；;]\s*", text or "") if p.strip()]


def _xmp_packet(existing: str | None, label: PhotoLabel, time_recorded: bool) -> bytes:
    """An XMP packet: the existing one with our properties replaced, or a new one."""
    rdf = meta.parse_xmp(existing)
    if rdf is None:
        rdf = ET.Element(_q("rdf", "RDF"))
    ours = {_q(p, local) for p, local in _OURS}
    for desc in list(rdf.iter(_q("rdf", "Description"))):
        for key in [k for k in desc.attrib if k in ours or k.startswith(f"{{{meta.JIA_NS}}}")]:
            del desc.attrib[key]
        for child in list(desc):
            if child.tag in ours or child.tag.startswith(f"{{{meta.JIA_NS}}}"):
                desc.remove(child)
    desc = ET.SubElement(rdf, _q("rdf", "Description"), {_q("rdf", "about"): ""})
    _alt(desc, "dc", "title", label.subject)
    _alt(desc, "dc", "description", label.description())
    if label.photographer:
        _seq(desc, "dc", "creator", [label.photographer])
    if label.taken_at is not None:
        ET.SubElement(desc, _q("photoshop", "DateCreated")).text = label.taken_at.strftime("%Y-%m-%dT%H:%M:%S")
    if label.place:
        ET.SubElement(desc, _q("Iptc4xmpCore", "Location")).text = label.place
    if label.people:
        _seq(desc, "Iptc4xmpExt", "PersonInImage", _people(label.people), "Bag")
    jia = {"Subject": label.subject, "Place": label.place, "People": label.people, "Photographer": label.photographer}
    if label.taken_at is not None:
        jia["TakenAt"] = label.taken_at.strftime("%Y-%m-%dT%H:%M:%S")
    if time_recorded:
        jia["TimeSource"] = "record"
    for key, value in jia.items():
        if value:
            ET.SubElement(desc, _q("jia", key)).text = value
    meta_el = ET.Element(_q("x", "xmpmeta"), {_q("x", "xmptk"): "jiaarchive"})
    meta_el.append(rdf)
    body = ET.tostring(meta_el, encoding="unicode")
    padding = "\n" + (" " * 99 + "\n") * 10  # room for in-place edits by other tools
    packet = f'<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>\n{body}{padding}<?xpacket end="w"?>'
    return packet.encode("utf-8")


# --- EXIF ------------------------------------------------------------------------------------


def _utf16(text: str) -> bytes:
    return (text + "\x00").encode("utf-16-le")


def _exif_with_label(raw: bytes | None, label: PhotoLabel, now: datetime) -> tuple[bytes, bool] | None:
    """Updated EXIF (``Exif\\0\\0`` + TIFF) and whether we wrote the capture time; None if unusable."""
    if raw:
        try:
            exif = piexif.load(raw)
        except Exception:
            return None
    else:
        exif = {"0th": {}, "Exif": {}, "GPS": {}, "Interop": {}, "1st": {}, "thumbnail": None}
    zeroth, sub = exif.setdefault("0th", {}), exif.setdefault("Exif", {})
    zeroth[_XP_TITLE] = _utf16(label.subject)
    zeroth[_XP_SUBJECT] = _utf16(label.subject)
    zeroth[_XP_COMMENT] = _utf16(label.description())
    if label.photographer:
        zeroth[_XP_AUTHOR] = _utf16(label.photographer)
    keywords = [k for k in [label.place, *(_people(label.people))] if k]
    if keywords:
        zeroth[_XP_KEYWORDS] = _utf16(";".join(keywords))
    sub[_USER_COMMENT] = piexif.helper.UserComment.dump(label.description(), encoding="unicode")
    recorded = False
    current = meta.parse_exif_datetime(sub.get(piexif.ExifIFD.DateTimeOriginal))
    if label.taken_at is not None and not meta.plausible(current, now):
        # Only fill a missing or invalid capture time: a camera's own time is evidence, kept as is.
        sub[piexif.ExifIFD.DateTimeOriginal] = label.taken_at.strftime("%Y:%m:%d %H:%M:%S").encode()
        recorded = True
    try:
        return piexif.dump(exif), recorded
    except Exception:
        return None


# --- containers ------------------------------------------------------------------------------


def _jpeg_segments(data: bytes) -> tuple[list[bytes], bytes]:
    """The marker segments before SOS (each with its marker) and the bytes from SOS to the end."""
    if data[:2] != b"\xff\xd8":
        raise ValueError("not a JPEG")
    pos, segments = 2, []
    while pos < len(data):
        if data[pos] != 0xFF:
            raise ValueError("marker expected")
        while data[pos + 1] == 0xFF:  # fill bytes
            pos += 1
        marker = data[pos + 1]
        if marker == 0xDA:
            return segments, data[pos:]
        if marker == 0x01 or 0xD0 <= marker <= 0xD7:
            segments.append(data[pos : pos + 2])
            pos += 2
            continue
        length = struct.unpack(">H", data[pos + 2 : pos + 4])[0]
        segments.append(data[pos : pos + 2 + length])
        pos += 2 + length
    raise ValueError("no SOS")


def _app1(payload: bytes) -> bytes:
    if len(payload) + 2 > 65535:
        raise LabelNotWritable("元数据超过 JPEG 段的 64 KB 上限，无法写入。")
    return b"\xff\xe1" + struct.pack(">H", len(payload) + 2) + payload


def _label_jpeg(data: bytes, label: PhotoLabel, now: datetime) -> bytes:
    segments, scan = _jpeg_segments(data)
    old_exif = next((s[4:] for s in segments if s[:2] == b"\xff\xe1" and s[4:10] == _EXIF_HEADER), None)
    old_xmp = next(
        (s[4 + len(_XMP_HEADER) :] for s in segments if s[:2] == b"\xff\xe1" and s[4:].startswith(_XMP_HEADER)),
        None,
    )
    updated = _exif_with_label(old_exif, label, now)
    recorded = bool(updated and updated[1])
    xmp = _app1(_XMP_HEADER + _xmp_packet(meta.xmp_text(old_xmp), label, recorded))
    exif_seg = _app1(updated[0]) if updated else None

    out = [b"\xff\xd8"]
    lead = 0
    while lead < len(segments) and segments[lead][:2] == b"\xff\xe0":  # JFIF/JFXX APP0 must stay first
        out.append(segments[lead])
        lead += 1
    placed = False
    for seg in segments[lead:]:
        is_exif = seg[:2] == b"\xff\xe1" and seg[4:10] == _EXIF_HEADER
        is_xmp = seg[:2] == b"\xff\xe1" and seg[4:].startswith(_XMP_HEADER)
        if is_xmp:
            continue
        if is_exif and exif_seg is not None:
            continue
        if not placed:
            if is_exif:  # corrupt EXIF kept untouched, XMP goes right after it
                out.extend([seg, xmp])
                placed = True
                continue
            out.extend([s for s in (exif_seg, xmp) if s])
            placed = True
        out.append(seg)
    if not placed:
        out.extend([s for s in (exif_seg, xmp) if s])
    out.append(scan)
    return b"".join(out)


def _riff_chunks(data: bytes) -> list[tuple[bytes, bytes]]:
    if data[:4] != b"RIFF" or data[8:12] != b"WEBP":
        raise ValueError("not a WebP")
    end = min(len(data), 8 + struct.unpack("<I", data[4:8])[0])
    pos, chunks = 12, []
    while pos + 8 <= end:
        kind, size = data[pos : pos + 4], struct.unpack("<I", data[pos + 4 : pos + 8])[0]
        chunks.append((kind, data[pos + 8 : pos + 8 + size]))
        pos += 8 + size + (size & 1)
    return chunks


def _bitstream_size(kind: bytes, payload: bytes) -> tuple[int, int, bool]:
    """(width, height, has_alpha) from a VP8 or VP8L bitstream header."""
    if kind == b"VP8L":
        bits = int.from_bytes(payload[1:5], "little")
        return (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1, bool((bits >> 28) & 1)
    w, h = struct.unpack("<HH", payload[6:10])
    return w & 0x3FFF, h & 0x3FFF, False


def _label_webp(data: bytes, label: PhotoLabel, now: datetime) -> bytes:
    chunks = _riff_chunks(data)
    old_exif = next((p for k, p in chunks if k == b"EXIF"), None)
    old_xmp = next((p for k, p in chunks if k == b"XMP "), None)
    if old_exif is not None and old_exif[:6] != _EXIF_HEADER:
        old_exif = _EXIF_HEADER + old_exif
    updated = _exif_with_label(old_exif, label, now)
    recorded = bool(updated and updated[1])
    xmp = _xmp_packet(meta.xmp_text(old_xmp), label, recorded)
    if chunks[0][0] == b"VP8X":
        flags = bytearray(chunks[0][1])
    else:
        w, h, alpha = _bitstream_size(*chunks[0])
        flags = bytearray(10)
        flags[0] = 0x10 if alpha else 0
        flags[4:7] = (w - 1).to_bytes(3, "little")
        flags[7:10] = (h - 1).to_bytes(3, "little")
    kept = [(k, p) for k, p in chunks if k not in (b"VP8X", b"XMP ") and not (k == b"EXIF" and updated)]
    flags[0] |= 0x04 | (0x08 if updated or old_exif else 0)
    tail = []
    if updated:
        tail.append((b"EXIF", updated[0][len(_EXIF_HEADER) :]))
    tail.append((b"XMP ", xmp))
    # EXIF and XMP chunks come after the image data; an untouched (corrupt) EXIF stays before XMP.
    kept_exif = [(k, p) for k, p in kept if k == b"EXIF"]
    kept = [(k, p) for k, p in kept if k != b"EXIF"]
    body = b"".join(
        k + struct.pack("<I", len(p)) + p + (b"\x00" if len(p) & 1 else b"")
        for k, p in [(b"VP8X", bytes(flags)), *kept, *kept_exif, *tail]
    )
    return b"RIFF" + struct.pack("<I", len(body) + 4) + b"WEBP" + body


def _png_chunk(kind: bytes, payload: bytes) -> bytes:
    return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", zlib.crc32(kind + payload))


def _itxt(keyword: str, text: str) -> bytes:
    return _png_chunk(b"iTXt", keyword.encode("latin-1") + b"\x00\x00\x00\x00\x00" + text.encode("utf-8"))


_PNG_KEYS = {b"XML:com.adobe.xmp", b"Title", b"Description", b"Author", b"Creation Time", b"Comment"}


def _label_png(data: bytes, label: PhotoLabel, now: datetime) -> bytes:
    pos, chunks = 8, []
    while pos + 8 <= len(data):
        size = struct.unpack(">I", data[pos : pos + 4])[0]
        kind = data[pos + 4 : pos + 8]
        chunks.append((kind, data[pos : pos + 12 + size]))
        pos += 12 + size
        if kind == b"IEND":
            break
    old_xmp = old_exif = None
    kept = []
    for kind, raw in chunks:
        payload = raw[8:-4]
        if kind in (b"iTXt", b"tEXt", b"zTXt") and payload.split(b"\x00", 1)[0] in _PNG_KEYS:
            if payload.startswith(b"XML:com.adobe.xmp\x00") and kind == b"iTXt":
                parts = payload.split(b"\x00", 5)
                old_xmp = parts[5] if len(parts) == 6 and payload[18] == 0 else None
            continue
        if kind == b"eXIf":
            old_exif = _EXIF_HEADER + payload
            continue
        kept.append((kind, raw))
    updated = _exif_with_label(old_exif, label, now)
    recorded = bool(updated and updated[1])
    xmp = _xmp_packet(meta.xmp_text(old_xmp), label, recorded)
    new = [
        _itxt("XML:com.adobe.xmp", xmp.decode("utf-8")),
        _itxt("Title", label.subject),
        _itxt("Description", label.description()),
    ]
    if label.photographer:
        new.append(_itxt("Author", label.photographer))
    if label.taken_at is not None:
        new.append(_itxt("Creation Time", label.taken_at.strftime("%Y-%m-%dT%H:%M:%S")))
    if updated:
        new.append(_png_chunk(b"eXIf", updated[0][len(_EXIF_HEADER) :]))
    elif old_exif is not None:
        new.append(_png_chunk(b"eXIf", old_exif[len(_EXIF_HEADER) :]))
    out = [data[:8]]
    inserted = False
    for kind, raw in kept:
        if kind == b"IDAT" and not inserted:
            out.extend(new)
            inserted = True
        out.append(raw)
    return b"".join(out)


def sidecar_path(path: Path) -> Path:
    """Where the XMP sidecar of a HEIC/HEIF photo lives: ``<name>.xmp`` beside it."""
    return path.with_name(path.name + ".xmp")


def _atomic_write(path: Path, data: bytes) -> None:
    tmp = path.with_name(f".{path.name}.jia-tmp-{os.getpid()}")
    try:
        with open(tmp, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        if path.exists():
            os.chmod(tmp, path.stat().st_mode & 0o7777)
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()
    if hasattr(os, "O_DIRECTORY"):  # make the rename itself durable (POSIX)
        fd = os.open(path.parent, os.O_RDONLY | os.O_DIRECTORY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def write_label(path: Path | str, label: PhotoLabel, *, now: datetime | None = None) -> None:
    """Write ``label`` into the photo in place, losslessly (see the module docstring per format).

    Raises ``BadValue`` for an empty subject, ``NotAPhoto`` for a file that is not a JPEG, PNG,
    WebP or HEIC, and ``LabelNotWritable`` when the container cannot be rewritten.
    """
    path = Path(path)
    if not (label.subject or "").strip():
        raise BadValue(f"照片“{path.name}”的内容说明（事由）为空，无法写入。")
    now = now or datetime.now()
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise NotAPhoto(f"照片“{path.name}”不存在或无法读取。") from exc
    kind = sniff(data[:64])
    try:
        if kind == "JPEG":
            new = _label_jpeg(data, label, now)
        elif kind == "WEBP":
            new = _label_webp(data, label, now)
        elif kind == "PNG":
            new = _label_png(data, label, now)
        elif kind == "HEIF":
            old = sidecar_path(path)
            existing = old.read_text("utf-8") if old.exists() else None
            _atomic_write(old, _xmp_packet(existing, label, time_recorded=False))
            return
        else:
            raise NotAPhoto(f"照片“{path.name}”不是 JPEG、PNG、WebP 或 HEIC 图片，无法写入说明。")
    except LabelNotWritable as exc:
        raise LabelNotWritable(f"照片“{path.name}”{exc}") from exc
    except (ValueError, IndexError, struct.error) as exc:
        raise LabelNotWritable(f"照片“{path.name}”的文件结构异常，无法无损写入说明。") from exc
    _atomic_write(path, new)


def read_label(path: Path | str) -> PhotoLabel | None:
    """The label written by ``write_label`` (or a title found in XMP/EXIF), or None."""
    path = Path(path)
    rdf = None
    xp_title = None
    sidecar = sidecar_path(path)
    if sidecar.exists():
        rdf = meta.parse_xmp(sidecar.read_text("utf-8", "replace"))
    if rdf is None:
        try:
            with Image.open(path) as im:
                rdf = meta.parse_xmp(meta.xmp_text(im.info.get("xmp") or im.info.get("XML:com.adobe.xmp")))
                raw = im.getexif().get(_XP_TITLE)
                if isinstance(raw, bytes):
                    xp_title = raw.decode("utf-16-le", "replace").rstrip("\x00")
                elif isinstance(raw, str):
                    xp_title = raw
        except (OSError, UnidentifiedImageError, ValueError, SyntaxError):
            return None
    subject = meta.xmp_property(rdf, "jia:Subject") or meta.xmp_property(rdf, "dc:title") or xp_title
    if not subject:
        return None
    taken = meta.parse_exif_datetime(meta.xmp_property(rdf, "jia:TakenAt"))
    if taken is None:
        from jiaarchive.photos.inspect import capture_time

        taken = capture_time(path)[0]
    creators = meta.xmp_list(rdf, "dc:creator")
    return PhotoLabel(
        taken_at=taken,
        subject=subject,
        place=meta.xmp_property(rdf, "jia:Place") or meta.xmp_property(rdf, "Iptc4xmpCore:Location"),
        people=meta.xmp_property(rdf, "jia:People")
        or ("、".join(meta.xmp_list(rdf, "Iptc4xmpExt:PersonInImage")) or None),
        photographer=meta.xmp_property(rdf, "jia:Photographer") or (creators[0] if creators else None),
    )


__all__ = ["PhotoLabel", "label_filename", "read_label", "sidecar_path", "write_label"]
