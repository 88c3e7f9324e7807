"""Photo formats: the allow-list, sniffing by content, ISO-BMFF box checks, opening with HEIF support.

Importing this module registers the pillow-heif opener and sets Pillow's decompression-bomb
limit on purpose (see ``MAX_PIXELS``).
"""

from __future__ import annotations

import struct
from pathlib import Path

from PIL import Image

try:  # HEIC/HEIF support is optional at import time so the rest still works without it
    import pillow_heif

    pillow_heif.register_heif_opener()
    HEIF_AVAILABLE = True
except ImportError:  # pragma: no cover - pillow-heif is a declared dependency
    HEIF_AVAILABLE = False

# Decompression-bomb limit. Pillow's default (~89 MP, error above ~179 MP) rejects real photos:
# 108 MP and 200 MP phone sensors exist (200 MP = 16320 x 12240). 250 MP leaves room for those
# and for large panoramas, while a forged header claiming e.g. 60000 x 60000 (3.6 GP, ~10 GB
# of RGB) is still refused before any pixel buffer is allocated.
MAX_PIXELS = 250_000_000
# Pillow warns above MAX_IMAGE_PIXELS and raises above twice that; we check ourselves against
# MAX_PIXELS before decoding, so Pillow's own check only has to not fire below our limit.
Image.MAX_IMAGE_PIXELS = MAX_PIXELS

# Formats accepted as photographic evidence, by Pillow's format name. MPO is the multi-picture
# JPEG some phones write (Pillow opens it as MPO); it is a JPEG for every purpose here.
ALLOWED_FORMATS: frozenset[str] = frozenset({"JPEG", "MPO", "PNG", "WEBP", "HEIF"})

# File extensions and the formats their content may have.
EXTENSION_FORMATS: dict[str, frozenset[str]] = {
    ".jpg": frozenset({"JPEG", "MPO"}),
    ".jpeg": frozenset({"JPEG", "MPO"}),
    ".jpe": frozenset({"JPEG", "MPO"}),
    ".jfif": frozenset({"JPEG", "MPO"}),
    ".png": frozenset({"PNG"}),
    ".webp": frozenset({"WEBP"}),
    ".heic": frozenset({"HEIF"}),
    ".heif": frozenset({"HEIF"}),
    ".hif": frozenset({"HEIF"}),
}

# ISO-BMFF brands that mean a HEIF still image (AVIF is deliberately absent: not in the allow-list).
_HEIF_BRANDS = {b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"mif1", b"msf1", b"mif2"}


def display_format(pillow_format: str | None) -> str | None:
    """The format name shown to users: MPO is reported as JPEG."""
    if pillow_format == "MPO":
        return "JPEG"
    return pillow_format


def sniff(head: bytes) -> str | None:
    """The photo format from the first bytes of a file (at least 32), or None if not a photo."""
    if head[:3] == b"\xff\xd8\xff":
        return "JPEG"
    if head[:8] == b"\x89PNG\r\n\x1a\n":
        return "PNG"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "WEBP"
    if head[4:8] == b"ftyp":
        size = struct.unpack(">I", head[:4])[0]
        brands = [head[8:12]] + [head[i : i + 4] for i in range(16, min(size, len(head)), 4)]
        if any(b in _HEIF_BRANDS for b in brands):
            return "HEIF"
    return None


def bmff_truncation(data: bytes) -> str | None:
    """Check that the top-level ISO-BMFF boxes of a HEIF file fit the file.

    A truncated HEIC can decode without error (libheif fills missing tiles), so the container is
    the place to catch it. Returns a short English reason for logs, or None when all boxes fit.
    """
    n = len(data)
    pos = 0
    seen_mdat = False
    while pos < n:
        if n - pos < 8:
            return f"{n - pos} stray bytes at the end"
        size, kind = struct.unpack(">I4s", data[pos : pos + 8])
        header = 8
        if size == 1:
            if n - pos < 16:
                return "largesize header cut"
            size = struct.unpack(">Q", data[pos + 8 : pos + 16])[0]
            header = 16
        elif size == 0:  # box runs to the end of the file
            size = n - pos
        if size < header:
            return f"box {kind!r} has impossible size {size}"
        if pos + size > n:
            return f"box {kind!r} needs {pos + size} bytes, file has {n}"
        seen_mdat = seen_mdat or kind == b"mdat"
        pos += size
    if not seen_mdat:
        return "no mdat box"
    return _iloc_extents_fit(data)


def _iloc_extents_fit(data: bytes) -> str | None:
    """Check that every item extent listed in meta/iloc lies inside the file (best effort)."""
    meta = _find_box(data, 0, len(data), b"meta")
    if meta is None:
        return "no meta box"
    start, end = meta
    iloc = _find_box(data, start + 4, end, b"iloc")  # meta is a full box: skip version+flags
    if iloc is None:
        return None
    p, end = iloc
    try:
        version = data[p]
        p += 4
        b1, b2 = data[p], data[p + 1]
        p += 2
        off_size, len_size, base_size = b1 >> 4, b1 & 15, b2 >> 4
        idx_size = b2 & 15 if version in (1, 2) else 0
        if version < 2:
            count = struct.unpack(">H", data[p : p + 2])[0]
            p += 2
        else:
            count = struct.unpack(">I", data[p : p + 4])[0]
            p += 4

        def read(size: int) -> int:
            nonlocal p
            value = int.from_bytes(data[p : p + size], "big") if size else 0
            p += size
            return value

        for _ in range(count):
            read(2 if version < 2 else 4)  # item_ID
            method = 0
            if version in (1, 2):
                method = read(2) & 15
            read(2)  # data_reference_index
            base = read(base_size)
            for _ in range(read(2)):
                read(idx_size)
                offset = read(off_size)
                length = read(len_size)
                if method == 0 and base + offset + length > len(data):
                    return f"item extent ends at {base + offset + length}, file has {len(data)}"
            if p > end:
                return "iloc box overruns"
    except (IndexError, struct.error):
        return "iloc box cut"
    return None


def _find_box(data: bytes, start: int, end: int, kind: bytes) -> tuple[int, int] | None:
    """(payload start, box end) of the first box of ``kind`` between start and end."""
    pos = start
    while pos + 8 <= end:
        size, k = struct.unpack(">I4s", data[pos : pos + 8])
        header = 8
        if size == 1:
            size = struct.unpack(">Q", data[pos + 8 : pos + 16])[0]
            header = 16
        elif size == 0:
            size = end - pos
        if size < header:
            return None
        if k == kind:
            return pos + header, min(pos + size, end)
        pos += size
    return None


def read_head(path: Path, size: int = 64) -> bytes:
    with open(path, "rb") as fh:
        return fh.read(size)
