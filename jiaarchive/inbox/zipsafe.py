"""Reading zip files nobody here made (压缩包安全解压): names decoded as the sender saw them,
every hazard refused with one Chinese sentence while the other members are still read.

A clerk's zip comes from WeChat, a USB stick or a colleague's Windows PC.  What can be wrong
with a member, and what happens:

=====================  ===========================================================
hazard                 refused because
=====================  ===========================================================
``zip_slip``           a ``..`` part would put it outside the folder it is unpacked to
``absolute``           ``/etc/x``, ``C:\\x``, ``\\\\server\\x``: a name that is a full path
``link``               a symbolic link (Unix mode in the external attributes)
``encrypted``          needs a password (flag bit 0)
``bomb``               expands beyond the limits (``ZipLimits``: size of one member, total
                       of all members, compression ratio), declared or found while reading
``too_many``           more members than ``ZipLimits.max_members``
``bad_name``           control characters, or an empty name
``duplicate``          a second member with the same name (only the first is read)
``unsupported``        a compression method Python cannot read (AES, Deflate64 …)
``corrupt``            a CRC or format error while reading
``too_deep``           a zip inside a zip inside … beyond ``ZipLimits.max_depth``
=====================  ===========================================================

Names: members written without the UTF-8 flag (bit 11) by Chinese Windows tools are GBK
(CP936) bytes that ``zipfile`` shows as CP437 mojibake.  ``member_name`` recovers the raw
bytes, prefers the Info-ZIP Unicode Path extra field when its CRC matches, and otherwise
decodes the whole archive one way (UTF-8 when every unflagged name is valid UTF-8, else
GB18030, a superset of GBK/CP936) so that one odd name does not change how the others read.

Extraction never uses a member's name as a path: ``SafeZip.extract`` writes to the file the
caller names, streaming and counting the bytes actually produced (the sizes in the header can
lie), so nothing is written outside the caller's folder whatever the member is called.

Used by the inbox (``inbox.walk``) and meant for any other import of zips (bundles): nothing
here knows about archives or filing.
"""

from __future__ import annotations

import os
import stat
import struct
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path, PurePosixPath

from ..errors import JiaError

HAZARDS = ("zip_slip", "absolute", "link", "encrypted", "bomb", "too_many", "bad_name", "duplicate",
           "unsupported", "corrupt", "too_deep")
_CHUNK = 1 << 16
_UNICODE_PATH_EXTRA = 0x7075


class ZipRefused(JiaError):
    """A zip, or one member of it, that is not read; ``str(exc)`` says why in Chinese."""

    def __init__(self, message: str, hazard: str) -> None:
        super().__init__(message)
        self.hazard = hazard


@dataclass(frozen=True)
class ZipLimits:
    """How much a zip may expand to.  The defaults fit a clerk's pile of office files and photos."""

    max_member_bytes: int = 512 * 1024 * 1024  # one member (the extractor's own file limit)
    max_total_bytes: int = 4 * 1024 * 1024 * 1024  # everything read from one zip and the zips in it
    max_ratio: float = 200.0  # uncompressed / compressed, for members above ratio_floor
    ratio_floor: int = 1024 * 1024  # small members may compress well (a blank form): no ratio check
    max_members: int = 20_000
    max_depth: int = 3  # a zip in a zip in a zip


@dataclass
class Budget:
    """Bytes left to expand, shared by a zip and the zips found inside it."""

    left: int

    def take(self, n: int) -> bool:
        self.left -= n
        return self.left >= 0


@dataclass(frozen=True)
class Member:
    """One file member: its decoded, '/'-separated name and, when it is not read, why not."""

    name: str
    info: zipfile.ZipInfo = field(repr=False, compare=False)
    size: int
    compressed: int
    hazard: str = ""  # one of HAZARDS, '' when the member may be read
    refusal: str = ""  # the Chinese sentence for ``hazard``

    @property
    def ok(self) -> bool:
        return not self.hazard

    @property
    def basename(self) -> str:
        return PurePosixPath(self.name).name


# ---------------------------------------------------------------- names


def _raw_name(info: zipfile.ZipInfo) -> bytes | None:
    """The name's bytes as stored, when it was stored without the UTF-8 flag (else None)."""
    if info.flag_bits & 0x800:
        return None
    try:
        return info.orig_filename.encode("cp437")
    except UnicodeEncodeError:
        return None


def _unicode_path_extra(info: zipfile.ZipInfo, raw: bytes) -> str | None:
    """The Info-ZIP Unicode Path extra field (0x7075), when its CRC matches the stored name."""
    extra = info.extra
    i = 0
    while i + 4 <= len(extra):
        tag, size = struct.unpack_from("<HH", extra, i)
        body = extra[i + 4 : i + 4 + size]
        i += 4 + size
        if tag != _UNICODE_PATH_EXTRA or len(body) < 5 or body[0] != 1:
            continue
        (crc,) = struct.unpack_from("<I", body, 1)
        if crc != zlib.crc32(raw) & 0xFFFFFFFF:
            return None  # renamed by a tool that did not update the field: the stored name wins
        try:
            return body[5:].decode("utf-8")
        except UnicodeDecodeError:
            return None
    return None


def archive_encoding(infos: list[zipfile.ZipInfo]) -> str:
    """How this zip's unflagged non-ASCII names are written: 'utf-8', 'gb18030' or 'cp437'."""
    raws = [r for r in (_raw_name(i) for i in infos) if r is not None and not r.isascii()]
    for enc in ("utf-8", "gb18030"):
        try:
            for r in raws:
                r.decode(enc)
            return enc
        except UnicodeDecodeError:
            continue
    return "cp437"


def member_name(info: zipfile.ZipInfo, encoding: str = "gb18030") -> str:
    """The member's name as the person who made the zip saw it (not yet checked or normalised)."""
    raw = _raw_name(info)
    if raw is None:
        return info.orig_filename
    extra = _unicode_path_extra(info, raw)
    if extra is not None:
        return extra
    if raw.isascii():
        return info.orig_filename
    for enc in dict.fromkeys((encoding, "utf-8", "gb18030")):
        try:
            return raw.decode(enc)
        except UnicodeDecodeError:
            continue
    return info.orig_filename


def _check_name(name: str) -> tuple[str, str, str]:
    """(normalised name, hazard, reason) for a decoded member name."""
    shown = name
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in name):
        return name, "bad_name", f"名称含有控制字符（{shown!r}），未解压。"
    unified = name.replace("\\", "/")
    if unified.startswith("/") or (len(unified) >= 2 and unified[1] == ":" and unified[0].isalpha()):
        return unified, "absolute", f"“{shown}”使用了绝对路径，可能会写到压缩包以外的位置，未解压。"
    parts = [p for p in unified.split("/") if p not in ("", ".")]
    if any(p == ".." for p in parts):
        return unified, "zip_slip", f"“{shown}”的路径含有“..”，会解压到压缩包以外的位置（zip-slip），未解压。"
    if not parts:
        return unified, "bad_name", "压缩包中有一个没有名称的文件，未解压。"
    return "/".join(parts), "", ""


def _is_link(info: zipfile.ZipInfo) -> bool:
    return stat.S_ISLNK(info.external_attr >> 16)


def _is_dir(info: zipfile.ZipInfo, name: str) -> bool:
    return info.is_dir() or name.endswith("/") or stat.S_ISDIR(info.external_attr >> 16)


# ---------------------------------------------------------------- the zip


class SafeZip:
    """A zip opened for reading under ``limits``; use as a context manager.

    ``members()`` lists the file members (directories left out), each with its hazard decided
    from the central directory; ``extract(member, dst)`` reads one, enforcing the limits on the
    bytes actually produced.  ``display`` is how the zip is named in messages (its file name).
    """

    def __init__(self, path: Path, *, limits: ZipLimits | None = None, budget: Budget | None = None,
                 display: str | None = None) -> None:
        self.path = Path(path)
        self.limits = limits or ZipLimits()
        self.budget = budget if budget is not None else Budget(self.limits.max_total_bytes)
        self.display = display or self.path.name
        try:
            self._zf = zipfile.ZipFile(self.path)
        except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
            raise ZipRefused(f"压缩包“{self.display}”已损坏或不是 zip 文件，无法打开（{exc}）。", "corrupt") from None
        self._members: list[Member] | None = None

    def close(self) -> None:
        self._zf.close()

    def __enter__(self) -> "SafeZip":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def members(self) -> list[Member]:
        if self._members is None:
            self._members = list(self._scan())
        return self._members

    def _scan(self) -> Iterator[Member]:
        infos = self._zf.infolist()
        enc = archive_encoding(infos)
        seen: set[str] = set()
        declared_total = 0
        count = 0
        lim = self.limits
        for info in infos:
            decoded = member_name(info, enc)
            name, hazard, reason = _check_name(decoded)
            if not hazard and _is_dir(info, decoded):
                continue
            count += 1
            size, packed = info.file_size, info.compress_size

            def refuse(h: str, why: str) -> Member:
                return Member(name, info, size, packed, h, f"压缩包“{self.display}”中的文件{why}")

            if hazard:
                yield refuse(hazard, reason)
                continue
            shown = f"“{name}”"
            if count > lim.max_members:
                yield refuse("too_many", f"{shown}未解压：压缩包中的文件超过 {lim.max_members} 个。")
            elif _is_link(info):
                yield refuse("link", f"{shown}是符号链接（快捷方式），可能指向压缩包以外的文件，未解压。")
            elif info.flag_bits & 0x1:
                yield refuse("encrypted", f"{shown}已加密（需要密码），未解压。请解密后再归档。")
            elif info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA):
                yield refuse("unsupported", f"{shown}使用了不支持的压缩方式（{info.compress_type}），未解压。")
            elif name.casefold() in seen:
                yield refuse("duplicate", f"{shown}与压缩包中另一个文件同名，只处理了第一个。")
            elif size > lim.max_member_bytes:
                yield refuse("bomb", f"{shown}解压后有 {_mb(size)}，超过单个文件 {_mb(lim.max_member_bytes)} 的上限，未解压。")
            elif size > lim.ratio_floor and size > lim.max_ratio * max(packed, 1):
                yield refuse("bomb", f"{shown}压缩比异常（{size // max(packed, 1)} 倍），疑似“压缩炸弹”，未解压。")
            elif declared_total + size > lim.max_total_bytes:
                yield refuse("bomb", f"{shown}未解压：压缩包解压后总大小超过 {_mb(lim.max_total_bytes)} 的上限。")
            else:
                declared_total += size
                seen.add(name.casefold())
                yield Member(name, info, size, packed)

    def extract(self, member: Member, dst: Path) -> None:
        """Write ``member``'s bytes to ``dst`` (a file path the caller chose, given the member's
        modification time); raise ZipRefused.

        The bytes produced are counted against the member's declared size, the member limit,
        the ratio and the shared budget; a member that exceeds any of them is stopped and
        ``dst`` removed.
        """
        if not member.ok:
            raise ZipRefused(member.refusal, member.hazard)
        lim = self.limits
        shown = f"压缩包“{self.display}”中的文件“{member.name}”"
        cap = min(member.size, lim.max_member_bytes)
        written = 0
        try:
            with self._zf.open(member.info) as src, open(dst, "wb") as out:
                while chunk := src.read(_CHUNK):
                    written += len(chunk)
                    if written > cap or not self.budget.take(len(chunk)):
                        raise ZipRefused(f"{shown}解压后超出声明的大小或总大小上限，疑似“压缩炸弹”，已停止解压。", "bomb")
                    if written > lim.ratio_floor and written > lim.max_ratio * max(member.compressed, 1):
                        raise ZipRefused(f"{shown}压缩比异常，疑似“压缩炸弹”，已停止解压。", "bomb")
                    out.write(chunk)
        except ZipRefused:
            _remove(dst)
            raise
        except RuntimeError as exc:  # zipfile: "File … is encrypted, password required"
            _remove(dst)
            raise ZipRefused(f"{shown}已加密（需要密码），未解压。", "encrypted") from exc
        except NotImplementedError as exc:
            _remove(dst)
            raise ZipRefused(f"{shown}使用了不支持的压缩方式，未解压。", "unsupported") from exc
        except (zipfile.BadZipFile, zlib.error, EOFError, ValueError, OSError) as exc:
            _remove(dst)
            raise ZipRefused(f"{shown}已损坏，无法解压（{exc}）。", "corrupt") from exc
        try:  # keep the member's own time, as unzip does (a date of last resort when filing)
            stamp = datetime(*member.info.date_time).timestamp()
            os.utime(dst, (stamp, stamp))
        except (ValueError, OverflowError, OSError):
            pass


def _remove(path: Path) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


def _mb(n: int) -> str:
    return f"{n / (1024 * 1024 * 1024):.1f} GB" if n >= 1024 ** 3 else f"{n / (1024 * 1024):.0f} MB"


# A damaged Word/Excel/OFD file may not show which it is inside; its name still says it is a
# document, to be filed (with its damage noted) like any damaged document, not opened as a pile.
_DOCUMENT_SUFFIXES = frozenset({".docx", ".docm", ".dotx", ".xlsx", ".xlsm", ".xltx", ".xlsb", ".pptx", ".ppsx",
                                ".odt", ".ods", ".odp", ".ofd"})


def is_zip(path: Path) -> bool:
    """True for a plain zip (not a Word/Excel/OFD file, which are zips too)."""
    from ..extract.sniff import sniff

    if Path(path).suffix.lower() in _DOCUMENT_SUFFIXES:
        return False
    try:
        return sniff(Path(path), deep=False).kind == "zip"
    except OSError:
        return False
