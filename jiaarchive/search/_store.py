"""The text store: each indexed record's title, remarks/tags and file texts, uncompressed.

One append-only file per index generation (``texts.bin``).  Every Whoosh document
carries, in its fixed-size ``tpos`` column, where its entry is (offset, the byte length
of title, meta and body, flags), so the store needs no index of its own and follows
Whoosh's merges and deletions for free; entries of replaced or deleted records are dead
bytes until the next rebuild.  Entries are written (and fsynced) under the index write
lock before the Whoosh commit, so a crash leaves at most unreferenced bytes at the end.

It serves two things:

* phase 2 of the executor: is a phrase really in this field of this record?  A byte
  search in a memory map of the store — no read, no copy, no decompression (~1.7 µs a
  record).  The map's pages are released once more than ``index.RELEASE_BUDGET`` of them
  are resident (``MADV_DONTNEED``: they stay in the page cache, but a long-running search
  process does not accumulate the whole store in its resident size);
* snippets: the text of each file of a shown hit.

Entry layout: title, meta, the files' texts joined by ``\\n`` (so the body is one
contiguous range, and a phrase never spans two files: ``\\n`` separates runs), then a
trailer: ``<H`` file count and one ``<I`` per file (its byte length).  Entries with
characters that NFKC changes into units (flag ``FLAG_UNIT_RISK``) then carry the
normalised title, meta and body (``<III`` byte lengths, then the three texts; flag
``FLAG_NORMALIZED``), so a phrase check never normalises at query time.

Why uncompressed: zlib per entry cost ~20 µs to decompress a 10 KB record, which with
thousands of candidates per query was the whole latency budget; the store is 210 MB for
the 20,000-record bench archive (its texts are 209 MB of UTF-8), and the Whoosh part no
longer keeps positions or the texts, so the whole index is still half its former size.
"""

from __future__ import annotations

import mmap
import os
import re
import struct
from pathlib import Path

from . import analyzer as an
from .normalize import traditional_chars

NAME = "texts.bin"
POS = struct.Struct("<QIIIB")  # the tpos column: offset, title, meta, body lengths, flags
_NF = struct.Struct("<H")
_LEN = struct.Struct("<I")
FLAG_NFKC_RISK = 1  # characters NFKC (or 繁→简) maps onto CJK: byte search needs normalised text
FLAG_UNIT_RISK = 2  # characters NFKC changes into other units: patterns need normalised text
FLAG_NORMALIZED = 4  # the entry carries normalised copies of its fields after the trailer
_NORM = struct.Struct("<III")
CHUNK_SHIFT = 14  # 16 KB: the bench records average ~10 KB


def encode_entry(title: str, meta: str, files: list[str]) -> tuple[bytes, tuple]:
    """The entry bytes and (title, meta, body lengths, flags) for the column."""
    tb, mb = title.encode("utf-8"), meta.encode("utf-8")
    fbs = [t.encode("utf-8") for t in files]
    body = b"\n".join(fbs)
    chars = set(title).union(meta, *files)
    distinct = "".join(chars)
    flags = 0
    if an.nfkc_cjk_risk().search(distinct) or not traditional_chars().isdisjoint(chars):
        # (traditional characters normalise to simplified ones: the same as NFKC's CJK)
        flags |= FLAG_NFKC_RISK | FLAG_UNIT_RISK
    elif not an.nfkc_unit_risk().isdisjoint(chars) or _COMBINING.search(distinct):
        flags |= FLAG_UNIT_RISK
    trailer = _NF.pack(len(fbs)) + b"".join(_LEN.pack(len(f)) for f in fbs)
    if flags & FLAG_UNIT_RISK:
        # The normalised title, meta and body after the trailer, so that phrase checks
        # never normalise at query time (3.5 % of the bench records; normalising one
        # took ~0.6 ms, a tenth of the slowest queries).
        norm = [an.normalize(title), an.normalize(meta), an.normalize("\n".join(files))]
        nb = [x.encode("utf-8") for x in norm]
        trailer += _NORM.pack(*map(len, nb)) + b"".join(nb)
        flags |= FLAG_NORMALIZED
    return tb + mb + body + trailer, (len(tb), len(mb), len(body), flags)


class StoreWriter:
    """Appends entries; call :meth:`sync` before the Whoosh commit that refers to them."""

    def __init__(self, gen_dir: Path):
        self.fh = open(Path(gen_dir) / NAME, "ab")
        self.fh.seek(0, os.SEEK_END)

    def add(self, encoded: tuple[bytes, tuple]) -> bytes:
        data, (tl, ml, bl, flags) = encoded
        off = self.fh.tell()
        self.fh.write(data)
        return POS.pack(off, tl, ml, bl, flags)

    def sync(self):
        self.fh.flush()
        os.fsync(self.fh.fileno())

    def close(self):
        self.fh.close()


_FIELD = {"title": 0, "meta": 1, "body": 2}
# Combining marks compose with the character before them under NFKC (e + ◌́ → é).
_COMBINING = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")


def contains(buf, tpos: bytes, field: str, needle) -> bool:
    """Does ``field`` of the entry at ``tpos`` in ``buf`` (bytes or mmap) contain ``needle``?"""
    off, tl, ml, bl, flags = POS.unpack(tpos)
    i = _FIELD[field]
    a = off + (0, tl, tl + ml)[i]
    b = a + (tl, ml, bl)[i]
    if isinstance(needle, bytes):
        if not flags & FLAG_NFKC_RISK:
            return buf.find(needle, a, b) >= 0
    elif isinstance(needle, an.ByteNeedle):
        if not flags & FLAG_UNIT_RISK:
            return needle.raw.search(buf, a, b) is not None
        if not flags & FLAG_NORMALIZED:
            needle = needle.text
    elif not flags & FLAG_UNIT_RISK:
        return needle.search(buf[a:b].decode("utf-8", errors="replace")) is not None
    if flags & FLAG_NORMALIZED:
        # Skip the body and the trailer to the normalised copy of the field.
        end = off + tl + ml + bl
        (nf,) = _NF.unpack_from(buf, end)
        p = end + 2 + 4 * nf
        lens = _NORM.unpack_from(buf, p)
        a = p + _NORM.size + sum(lens[:i])
        b = a + lens[i]
        if isinstance(needle, bytes):
            return buf.find(needle, a, b) >= 0
        if isinstance(needle, an.ByteNeedle):
            return needle.raw.search(buf, a, b) is not None
        return needle.search(buf[a:b].decode("utf-8", errors="replace")) is not None
    text = an.normalize(buf[a:b].decode("utf-8", errors="replace"))
    if isinstance(needle, bytes):
        return needle.decode("utf-8") in text
    return needle.search(text) is not None


class StoreReader:
    def __init__(self, gen_dir: Path):
        self.path = Path(gen_dir) / NAME
        self._fh = None
        self._mm: mmap.mmap | None = None
        # Pieces (1 << CHUNK_SHIFT bytes) of the file that entries read since the last
        # release span (the executor adds to it as it checks): an estimate of the mapped pages.
        self.chunks: set[int] = set()

    def mapped(self) -> int:
        """Bytes of the store read (so mapped) since the last release, estimated."""
        return len(self.chunks) << CHUNK_SHIFT

    def column(self, reader) -> tuple[bytes, int]:
        """The segment's ``tpos`` column as one bytes object, and the store size it needs."""
        col = reader.column_reader("tpos")
        n = reader.doc_count_all()
        try:
            # Whoosh's FixedBytesColumn.Reader; trailing documents without a value
            # read as the default (zeros: an empty entry).
            blob = bytes(col._dbfile.get(col._basepos, min(col._count, n) * POS.size))
            blob += bytes(POS.size * (n - len(blob) // POS.size))
        except AttributeError:  # not the column reader we know
            blob = b"".join(col[i] for i in range(n))
        need = 0
        for off, tl, ml, bl, _f in POS.iter_unpack(blob):
            end = off + tl + ml + bl
            if end > need:
                need = end
        return blob, need

    def buffer(self, need: int) -> mmap.mmap:
        """A map of the store covering at least ``need`` bytes (remapped as it grows)."""
        if self._mm is None or len(self._mm) < need:
            if self._mm is not None:
                self._mm.close()
                self._mm = None
            if self._fh is None:
                self._fh = open(self.path, "rb")
            self._mm = mmap.mmap(self._fh.fileno(), 0, access=mmap.ACCESS_READ)
            if len(self._mm) < need:
                raise OSError(f"{self.path} is shorter than the index says")
        return self._mm

    def files(self, tpos: bytes) -> list[str]:
        """The texts of the entry's files, in order."""
        if not tpos:
            return []
        off, tl, ml, bl, _flags = POS.unpack(tpos)
        end = off + tl + ml + bl
        self.chunks.update(range(off >> CHUNK_SHIFT, (end >> CHUNK_SHIFT) + 1))
        buf = self.buffer(end + 2)
        (nf,) = _NF.unpack_from(buf, end)
        buf = self.buffer(end + 2 + 4 * nf)
        lens = struct.unpack_from(f"<{nf}I", buf, end + 2)
        out, p = [], off + tl + ml
        for n in lens:
            out.append(bytes(buf[p:p + n]).decode("utf-8", errors="replace"))
            p += n + 1
        return out

    def release(self, budget: int = 0):
        """Drop this process's mapping of the pages read so far (they stay in the page cache).

        Only when the store's resident pages are more than ``budget`` bytes: the call
        costs time in proportion to the pages it drops, and the next queries pay page
        faults to map them again.  The pieces (``1 << CHUNK_SHIFT`` bytes) the checks
        read since the last look (:meth:`mapped`) are the cheap trigger; where the system
        tells the true resident size of the map (Linux), that decides.
        """
        if self.mapped() <= budget:
            return
        self.chunks.clear()
        resident = self.resident()
        if resident is not None and resident <= budget:
            return
        if self._mm is not None and hasattr(mmap, "MADV_DONTNEED"):
            try:
                self._mm.madvise(mmap.MADV_DONTNEED)
            except (OSError, ValueError):
                pass

    def resident(self) -> int | None:
        """Bytes of the store resident in this process's map (Linux, ~1 ms), else None."""
        if self._mm is None:
            return 0
        try:
            with open("/proc/self/smaps", "rb") as fh:
                data = fh.read()
        except OSError:
            return None
        name = os.fsencode(str(self.path.resolve()))
        total, found, ours = 0, False, False
        for line in data.split(b"\n"):
            head = line.split(b" ", 1)[0]
            if b"-" in head and head[:1].isalnum() and not head.endswith(b":"):  # a mapping
                ours = line.endswith(name)
                found = found or ours
            elif ours and line.startswith(b"Rss:"):
                total += int(line.split()[1]) * 1024
        return total if found else None

    def close(self):
        if self._mm is not None:
            self._mm.close()
            self._mm = None
        if self._fh is not None:
            self._fh.close()
            self._fh = None

