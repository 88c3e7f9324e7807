"""Files on disk: atomic copy-in, journaled moves, the trash, safe names and path lengths.

How a change stays recoverable: before touching a file, the planned moves are written to a
journal file (fsynced).  New files are copied to a temporary name in ``.jiaarchive/tmp`` and
fsynced.  The database transaction is the decision: after it commits the moves are applied
(no-clobber renames) and the journal is removed.  ``recover()`` runs when an archive is opened and
finishes or undoes any journal left by a crash, by asking the database where each file belongs.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import unicodedata
import uuid
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from pathlib import Path

from .errors import BadValue, UnreadableFile
from .settings import TRASH_DIR

# Clerks copy archives to Windows PCs and USB sticks, where a full path must stay under 260
# characters.  The archive root itself takes some of that (e.g. "D:\\工会\\建家档案\\"), so every
# path inside the archive is kept under this many UTF-16 units.
MAX_RELATIVE_PATH = 160
MAX_NAME_UNITS = 80  # one file or folder name, in UTF-16 units
MAX_NAME_BYTES = 240  # the same name in UTF-8 bytes (Linux allows 255)
COPY_CHUNK = 1 << 20

_WINDOWS_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}
_FULLWIDTH = str.maketrans({"/": "／", "\\": "＼", ":": "：", "*": "＊", "?": "？", '"': "＂", "<": "＜", ">": "＞", "|": "｜"})

# Test hook: tests set this to a callable that raises at a named step to simulate a crash.
fault_hook: Callable[[str], None] | None = None


def fault(point: str) -> None:
    if fault_hook is not None:
        fault_hook(point)


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def has_control(text: str) -> bool:
    return any(unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp") for ch in text)


def safe_name(text: str, max_units: int = MAX_NAME_UNITS) -> str:
    """A file or folder name that is valid on Windows and Linux, shortened to fit.

    Forbidden characters become their full-width forms (a clerk still reads them), control
    characters go, trailing dots and spaces go, reserved device names get a prefix.
    """
    name = unicodedata.normalize("NFC", text)
    name = "".join(" " if unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp") else ch for ch in name)
    name = name.translate(_FULLWIDTH)
    name = re.sub(r"\s+", " ", name).strip().strip(".")
    if name in ("", ".", ".."):
        name = "未命名"
    if name.split(".")[0].upper() in _WINDOWS_RESERVED:
        name = "_" + name
    while utf16_len(name) > max_units or len(name.encode("utf-8")) > MAX_NAME_BYTES:
        name = name[:-1]
    return name.rstrip(" .") or "未命名"


def fit_file_name(stem: str, ext: str, max_units: int) -> str:
    """``stem + ext`` shortened (stem only) so the whole name fits in ``max_units``."""
    ext = "." + safe_name(ext.lstrip("."), 15) if ext.strip(".") else ""
    room = max(8, min(max_units, MAX_NAME_UNITS) - utf16_len(ext))
    return safe_name(stem, room) + ext


def hash_file(path: Path) -> tuple[str, int]:
    h = hashlib.sha256()
    size = 0
    with open(path, "rb") as fh:
        while chunk := fh.read(COPY_CHUNK):
            h.update(chunk)
            size += len(chunk)
    return h.hexdigest(), size


def check_readable(path: Path) -> None:
    """Raise UnreadableFile with a Chinese sentence when ``path`` cannot be filed."""
    shown = display_path(path)
    if not os.path.lexists(path):
        raise UnreadableFile(f"找不到文件“{shown}”。请检查路径是否正确。")
    if path.is_dir():
        raise UnreadableFile(f"“{shown}”是文件夹，不是文件。请选择文件夹里的具体文件。")
    if not path.is_file():
        raise UnreadableFile(f"“{shown}”不是普通文件（可能是失效的快捷方式或设备），无法归档。")
    try:
        with open(path, "rb") as fh:
            first = fh.read(1)
    except OSError as exc:
        raise UnreadableFile(f"文件“{shown}”无法读取（{exc.strerror or exc}）。请检查文件权限。") from exc
    if not first:
        raise UnreadableFile(f"文件“{shown}”是空文件（0 字节），不能作为台账资料归档。")


def display_path(path: Path | str) -> str:
    """A path as a clerk should see it: undecodable (GBK) bytes shown as Chinese where possible."""
    text = os.fspath(path)
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace") if _has_surrogates(text) else text


def _has_surrogates(text: str) -> bool:
    return any("\udc80" <= ch <= "\udcff" for ch in text)


def decoded_name(path: Path) -> str:
    """The file's own name as Unicode.

    Names copied from old Windows disks may be GBK bytes that are not UTF-8; Python keeps them
    as surrogate escapes.  Decode those bytes as GB18030 so the name is recorded as the clerk
    saw it on Windows, never transliterated.
    """
    name = path.name
    if not _has_surrogates(name):
        return unicodedata.normalize("NFC", name)
    raw = os.fsencode(name)
    for enc in ("gb18030", "big5"):
        try:
            return raw.decode(enc)
        except UnicodeDecodeError:
            continue
    return raw.decode("utf-8", "replace")


# ---------------------------------------------------------------- journal and moves


@dataclass
class Move:
    """Move ``src`` to ``dst`` (both relative to the archive root) once the DB has committed.

    ``file_id`` is None for a new file (``src`` is then a temporary file) and ``sha256`` lets
    recovery recognise the row the transaction created.
    """

    src: str
    dst: str
    file_id: int | None = None
    sha256: str = ""


class Journal:
    def __init__(self, root: Path, data_dir: Path) -> None:
        self.root = root
        self.dir = data_dir / "journal"
        self.tmp = data_dir / "tmp"

    def write(self, moves: list[Move]) -> Path:
        self.dir.mkdir(parents=True, exist_ok=True)
        path = self.dir / f"{uuid.uuid4().hex}.json"
        part = path.with_suffix(".part")
        with open(part, "w", encoding="utf-8") as fh:
            json.dump([asdict(m) for m in moves], fh, ensure_ascii=False)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(part, path)
        _fsync_dir(self.dir)
        return path

    def done(self, path: Path) -> None:
        path.unlink(missing_ok=True)

    def pending(self) -> list[tuple[Path, list[Move]]]:
        out = []
        if not self.dir.is_dir():
            return out
        for p in sorted(self.dir.glob("*.json")):
            try:
                moves = [Move(**m) for m in json.loads(p.read_text(encoding="utf-8"))]
            except (OSError, ValueError, TypeError):
                moves = []
            out.append((p, moves))
        for p in self.dir.glob("*.part"):
            p.unlink(missing_ok=True)  # never became a journal: nothing was touched
        return out

    def new_temp(self) -> Path:
        self.tmp.mkdir(parents=True, exist_ok=True)
        return self.tmp / f"{uuid.uuid4().hex}.part"


class FileChange:
    """The file side of one change: journal the moves, let the caller commit, then apply them.

        with storage.FileChange(root, journal, moves, temps) as change:
            ...copy into ``temps``; commit the database transaction...
            change.committed()

    Leaving without an error applies the moves and removes the journal.  An error before
    ``committed()`` removes the temporary copies and the journal (nothing happened); an error
    after it leaves the journal for ``Archive.recover``, since the database has decided.  A crash
    (anything not an ``Exception``) leaves everything for recovery too.
    """

    def __init__(self, root: Path, journal: Journal, moves: list[Move], temps: Iterable[Path] = ()) -> None:
        self.root, self.journal, self.moves, self.temps = root, journal, moves, list(temps)
        self._path: Path | None = None
        self._committed = False

    def __enter__(self) -> "FileChange":
        self._path = self.journal.write(self.moves) if self.moves else None
        return self

    def committed(self) -> None:
        self._committed = True

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: object) -> bool:
        if exc_type is None:
            apply_moves(self.root, self.moves)
            if self._path:
                self.journal.done(self._path)
        elif issubclass(exc_type, Exception) and not self._committed:
            for t in self.temps:
                remove_quietly(t)
            if self._path:
                self.journal.done(self._path)
        return False


def copy_to_temp(src: Path, dst: Path) -> tuple[str, int]:
    """Copy ``src`` to ``dst`` (a temporary name), hashing as it goes; fsync; keep the mtime.

    The original is only opened for reading and never changed.
    """
    h = hashlib.sha256()
    size = 0
    with open(src, "rb") as fin, open(dst, "xb") as fout:
        while chunk := fin.read(COPY_CHUNK):
            h.update(chunk)
            size += len(chunk)
            fout.write(chunk)
        fout.flush()
        fault("copy.before_fsync")
        os.fsync(fout.fileno())
    st = os.stat(src)
    os.utime(dst, ns=(st.st_atime_ns, st.st_mtime_ns))
    return h.hexdigest(), size


def move_noclobber(src: Path, dst: Path) -> None:
    """Rename without ever replacing an existing file."""
    dst.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(src, dst)
    except FileExistsError:
        raise
    except OSError:
        # file systems without hard links (FAT on USB sticks)
        if os.path.lexists(dst):
            raise FileExistsError(dst) from None
        os.rename(src, dst)
        return
    os.unlink(src)
    _fsync_dir(dst.parent)


def apply_moves(root: Path, moves: Iterable[Move]) -> None:
    for m in moves:
        src, dst = root / m.src, root / m.dst
        if os.path.lexists(dst) and not os.path.lexists(src):
            continue  # already done (recovery re-running a finished move)
        move_noclobber(src, dst)
        fault("move.after_one")
        prune_empty_dirs(src.parent, root)


def prune_empty_dirs(folder: Path, root: Path) -> None:
    """Remove empty folders left under the trash after a restore (never entry folders)."""
    trash = root / TRASH_DIR
    try:
        folder.relative_to(trash)
    except ValueError:
        return
    while folder != trash and folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def unique_relative(root: Path, folder: str, name: str, taken: set[str] | None = None) -> str:
    """``folder/name``, or ``folder/stem（2）.ext`` … when that path is already used."""
    stem, ext = os.path.splitext(name)
    candidate = f"{folder}/{name}"
    n = 2
    taken = taken or set()
    while os.path.lexists(root / candidate) or candidate in taken:
        suffix = f"（{n}）"
        candidate = f"{folder}/{fit_file_name(stem, ext, MAX_NAME_UNITS - len(suffix)).removesuffix(ext)}{suffix}{ext}"
        n += 1
    return candidate


def check_relative_length(rel: str) -> None:
    if utf16_len(rel) > MAX_RELATIVE_PATH:
        raise BadValue(f"归档路径过长（{utf16_len(rel)} 字符）：“{rel}”。请缩短题名。")


def remove_quietly(path: Path) -> None:
    try:
        if path.is_dir():
            shutil.rmtree(path)
        else:
            path.unlink(missing_ok=True)
    except OSError:
        pass
