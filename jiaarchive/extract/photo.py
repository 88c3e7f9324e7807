"""Searchable text of a photo: its file name and the descriptions stored in its EXIF (照片).

Deliberately minimal; capture time, orientation and checks belong to ``jiaarchive.photos``.
"""

from __future__ import annotations

from pathlib import Path

_IMAGE_DESCRIPTION = 0x010E
_XP_TITLE = 0x9C9B
_XP_COMMENT = 0x9C9C
_XP_SUBJECT = 0x9C9F
_EXIF_IFD = 0x8769
_USER_COMMENT = 0x9286


def _decode_xp(value) -> str:
    # XP* tags are UTF-16LE bytes (Pillow returns bytes or a tuple of ints).
    if isinstance(value, tuple):
        value = bytes(value)
    if isinstance(value, bytes):
        return value.decode("utf-16-le", "ignore").rstrip("\x00")
    return str(value)


def _decode_user_comment(value) -> str:
    if isinstance(value, str):
        return value.strip("\x00 ")
    if not isinstance(value, bytes) or len(value) < 8:
        return ""
    prefix, body = value[:8], value[8:]
    if prefix.startswith(b"UNICODE"):
        enc = "utf-16-be" if body[:1] == b"\x00" else "utf-16-le"
        return body.decode(enc, "ignore").strip("\x00 ")
    if prefix.startswith(b"ASCII"):
        return body.decode("ascii", "ignore").strip("\x00 ")
    for enc in ("utf-8", "gb18030"):
        try:
            return body.decode(enc).strip("\x00 ")
        except UnicodeDecodeError:
            continue
    return ""


def _decode_description(value) -> str:
    if isinstance(value, bytes):
        for enc in ("utf-8", "gb18030"):
            try:
                return value.decode(enc).strip("\x00 ")
            except UnicodeDecodeError:
                continue
        return value.decode("latin-1").strip("\x00 ")
    return str(value).strip("\x00 ")


def photo_text(path: Path) -> str:
    """File stem plus ImageDescription, XPTitle, XPSubject, XPComment and UserComment."""
    parts = [Path(path).stem]
    try:
        from PIL import Image

        try:
            import pillow_heif

            pillow_heif.register_heif_opener()
        except ImportError:  # pragma: no cover - declared dependency
            pass
        with Image.open(path) as img:
            exif = img.getexif()
            values = [_decode_description(exif.get(_IMAGE_DESCRIPTION, ""))]
            values += [_decode_xp(exif[tag]) for tag in (_XP_TITLE, _XP_SUBJECT, _XP_COMMENT) if tag in exif]
            try:
                values.append(_decode_user_comment(exif.get_ifd(_EXIF_IFD).get(_USER_COMMENT, b"")))
            except Exception:
                pass
    except Exception:
        values = []
    for value in values:
        value = " ".join(value.split())
        if value and value not in parts:
            parts.append(value)
    return "\n".join(parts)
