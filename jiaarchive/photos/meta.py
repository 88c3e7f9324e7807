"""Reading photo metadata without decoding pixels: EXIF dates, XMP properties, times in file names.

All functions here are pure (bytes or strings in, values out) so inspect.py and label.py share them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from xml.etree import ElementTree as ET

# WeChat's mmexport<epoch> names are save times on a phone in China: read them in UTC+8.
CHINA_TZ = timezone(timedelta(hours=8))
# Digital cameras did not exist before this year; earlier EXIF dates are unset clocks.
MIN_PHOTO_YEAR = 1990
# A capture time more than this far in the future (camera clock ahead, time zones) is impossible.
FUTURE_SLACK = timedelta(days=1)

# EXIF tags (IFD0 and the Exif sub-IFD).
TAG_DATETIME = 0x0132  # IFD0 DateTime: the file's last modification, not the capture
TAG_ORIENTATION = 0x0112
TAG_EXIF_IFD = 0x8769
TAG_DATETIME_ORIGINAL = 0x9003
TAG_DATETIME_DIGITIZED = 0x9004

# Namespace of the properties jiaarchive writes (see label.py).
JIA_NS = "http://ns.jiaarchive.org/photo/1.0/"

NS = {
    "x": "adobe:ns:meta/",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "dc": "http://purl.org/dc/elements/1.1/",
    "xmp": "http://ns.adobe.com/xap/1.0/",
    "exif": "http://ns.adobe.com/exif/1.0/",
    "photoshop": "http://ns.adobe.com/photoshop/1.0/",
    "Iptc4xmpCore": "http://iptc.org/std/Iptc4xmpCore/1.0/xmlns/",
    "Iptc4xmpExt": "http://iptc.org/std/Iptc4xmpExt/2008-02-29/",
    "jia": JIA_NS,
}


@dataclass(frozen=True)
class ExifDates:
    """Capture-relevant dates from EXIF, each as the raw string (None when absent)."""

    original: str | None = None
    digitized: str | None = None
    modified: str | None = None
    orientation: int | None = None


_EXIF_DATE = re.compile(
    r"^\s*(\d{4})[:\-/.](\d{1,2})[:\-/.](\d{1,2})(?:[ T]+(\d{1,2}):(\d{2})(?::(\d{2}))?)?"
)


def parse_exif_datetime(raw: object) -> datetime | None:
    """Parse an EXIF/XMP date string; None for blanks, ``0000:00:00``, impossible dates or garbage."""
    if raw is None:
        return None
    if isinstance(raw, bytes):
        raw = raw.decode("ascii", "replace")
    text = str(raw).replace("\x00", "").strip()
    m = _EXIF_DATE.match(text)
    if not m:
        return None
    y, mo, d, h, mi, s = (int(g) if g else 0 for g in m.groups())
    try:
        return datetime(y, mo, d, h, mi, s)
    except ValueError:
        return None


def plausible(dt: datetime | None, now: datetime) -> bool:
    """True when dt can be a real capture time: not before MIN_PHOTO_YEAR, not in the future."""
    return dt is not None and dt.year >= MIN_PHOTO_YEAR and dt <= now + FUTURE_SLACK


# --- XMP -------------------------------------------------------------------------------------

_XMP_DATE_PROPS = ("exif:DateTimeOriginal", "photoshop:DateCreated", "xmp:CreateDate")


def xmp_text(raw: bytes | str | None) -> str | None:
    """The XMP packet as text, from Pillow's info['xmp'] (bytes) or a str."""
    if raw is None:
        return None
    if isinstance(raw, bytes):
        return raw.decode("utf-8", "replace")
    return raw


def parse_xmp(text: str | None) -> ET.Element | None:
    """The rdf:RDF element of an XMP packet, or None when absent or not well-formed."""
    if not text:
        return None
    start = text.find("<")
    end = text.rfind(">")
    if start < 0 or end < 0:
        return None
    body = text[start : end + 1]
    # Drop the <?xpacket?> processing instructions; ElementTree accepts them but be lenient.
    body = re.sub(r"<\?xpacket[^>]*\?>", "", body).strip()
    try:
        root = ET.fromstring(body)
    except ET.ParseError:
        return None
    if root.tag == _q("rdf", "RDF"):
        return root
    return root.find(f".//{_q('rdf', 'RDF')}")


def _q(prefix: str, local: str) -> str:
    return f"{{{NS[prefix]}}}{local}"


def xmp_property(rdf: ET.Element | None, prop: str) -> str | None:
    """A simple, Alt (x-default or first) or first Seq/Bag value of ``prefix:Local``, or None."""
    if rdf is None:
        return None
    prefix, local = prop.split(":", 1)
    qname = _q(prefix, local)
    for desc in rdf.iter(_q("rdf", "Description")):
        if qname in desc.attrib:
            return desc.attrib[qname]
        el = desc.find(qname)
        if el is None:
            continue
        items = list(el.iter(_q("rdf", "li")))
        if items:
            default = [li for li in items if li.get("{http://www.w3.org/XML/1998/namespace}lang") == "x-default"]
            return (default or items)[0].text or ""
        return el.text or ""
    return None


def xmp_list(rdf: ET.Element | None, prop: str) -> list[str]:
    """All rdf:li values of a Seq/Bag property (or the simple value as a one-item list)."""
    if rdf is None:
        return []
    prefix, local = prop.split(":", 1)
    qname = _q(prefix, local)
    for desc in rdf.iter(_q("rdf", "Description")):
        el = desc.find(qname)
        if el is not None:
            items = [li.text or "" for li in el.iter(_q("rdf", "li"))]
            return items or ([el.text] if el.text else [])
        if qname in desc.attrib:
            return [desc.attrib[qname]]
    return []


def xmp_capture_time(rdf: ET.Element | None) -> datetime | None:
    """The first parseable capture date among the usual XMP date properties."""
    for prop in _XMP_DATE_PROPS:
        dt = parse_exif_datetime(xmp_property(rdf, prop))
        if dt is not None:
            return dt
    return None


# --- file names ------------------------------------------------------------------------------

_MMEXPORT = re.compile(r"mmexport(\d{13}|\d{10})(?!\d)", re.I)
_WECHAT = re.compile(r"(?:微信图片|wx_camera|weixin)", re.I)
# A date like 2021-05-01, 2021_05_01, 20210501, 2021年5月1日, optionally followed by a time.
_NAME_DATE = re.compile(
    r"(?<!\d)((?:19|20)\d{2})[-_.年]?(\d{1,2}|\d{2})[-_.月]?(\d{2}|\d{1,2}(?=日))日?"
    # the time must not be the start of another date or a year ("2019-11-06 2019年运动会")
    r"(?:[ _T\-]*(\d{2})[-_.:时h]?(\d{2})(?:[-_.:分m]?(\d{2}))?(?![\d年月日号]))?(?!\d)"
)


@dataclass(frozen=True)
class NameTime:
    """A time read from a file name; ``save_time`` marks names that carry a save, not capture, time."""

    when: datetime
    save_time: bool


def filename_time(name: str) -> NameTime | None:
    """A time from a file name: WeChat ``mmexport<epoch ms>``, ``微信图片_<YYYYMMDDhhmmss>``,
    camera ``IMG_20210501_093012``, or an archive name ``2021-05-01 09.30 内容.jpg``."""
    stem = name.rsplit(".", 1)[0] if "." in name else name
    m = _MMEXPORT.search(stem)
    if m:
        digits = m.group(1)
        seconds = int(digits) / (1000 if len(digits) == 13 else 1)
        try:
            when = datetime.fromtimestamp(seconds, CHINA_TZ).replace(tzinfo=None)
        except (OverflowError, OSError, ValueError):
            return None
        return NameTime(when.replace(microsecond=0), save_time=True)
    for m in _NAME_DATE.finditer(stem):
        y, mo, d, h, mi, s = (int(g) if g else None for g in m.groups())
        try:
            if h is not None and mi is not None and h < 24 and mi < 60 and (s or 0) < 60:
                when = datetime(y, mo, d, h, mi, s or 0)
            else:
                when = datetime(y, mo, d)
        except (TypeError, ValueError):
            continue
        return NameTime(when, save_time=bool(_WECHAT.search(stem)))
    return None


def name_has_date(name: str) -> bool:
    """True when the file name carries a readable calendar date (not just an epoch number)."""
    stem = name.rsplit(".", 1)[0]
    for m in _NAME_DATE.finditer(stem):
        y, mo, d = int(m.group(1)), int(m.group(2)), int(m.group(3))
        try:
            datetime(y, mo, d)
        except ValueError:
            continue
        return True
    return False


# Prefixes cameras, phones and apps put in names; they say nothing about the content.
_CAMERA_WORDS = re.compile(
    r"(?:mmexport|wx_camera|微信图片|微信截图|截图|截屏|屏幕截图|screenshot|img|dsc[nf]?|pxl|mvimg|"
    r"pano|vid|photo|image|pic|picture|照片|图片|未命名|未标题|副本|copy|edit(?:ed)?|hdr|burst|cover|"
    r"portrait|\d+)",
    re.I,
)


def name_has_description(name: str) -> bool:
    """True when the name, without dates, numbers and camera prefixes, still says something."""
    stem = name.rsplit(".", 1)[0]
    stem = _NAME_DATE.sub(" ", stem)
    stem = _CAMERA_WORDS.sub(" ", stem)
    rest = re.sub(r"[\s_\-.,()（）\[\]【】#~+=·、，。]+", "", stem)
    cjk = sum(1 for ch in rest if "\u4e00" <= ch <= "\u9fff")
    return cjk >= 2 or len(rest) >= 4
