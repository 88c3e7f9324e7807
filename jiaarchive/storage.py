"""Files on disk: atomic copy-in, journaled moves, the trash, safe names and path lengths.

How a change stays recoverable (``Change``; ``Archive.change`` and ``Archive.transaction`` drive it):

1. The change takes an owner lock, ``.jiaarchive/journal/<change>.lock`` (``locks.FileLock``),
   held until it is over; its temporary copies are named after it,
   ``.jiaarchive/tmp/<change>-<n>.part``, copied and fsynced before any database lock is taken.
2. Inside the write transaction the moves are planned from what the database says now, and
   written to ``.jiaarchive/journal/<change>.json`` (fsynced) just before the commit.  Every
   audit entry of the transaction carries the change id.
3. The commit is the decision.  Then (still under the archive write lock) the metadata log is
   appended, the moves are applied as no-clobber renames, the journal and the lock file removed.

``Archive.recover`` only touches a change whose owner lock can be taken, i.e. whose process is
gone: committed (its id is in the audit log) → finish the moves; not committed → remove its
temporary files.  Journal paths are checked before anything is done: only plain relative paths
into the areas the program writes (its tmp and versions folders, the entry folders, the trash)
that stay inside the archive after symbolic links are resolved; anything else leaves the
journal for a person (``verify`` lists it).  Recovery removes files, never a directory.

Journal format (JSON, UTF-8)::

    {"format": 2, "change": "<id>", "moves": [{"src": "…", "dst": "…", "file_id": 12, "sha256": "…"}]}

(a bare list of moves is the first format, written before change ids existed.)
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import re
import secrets
import shutil
import stat
import time
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import BinaryIO

from . import locks
from .errors import BadValue, UnreadableFile, UnsafePath, disk_full

# The archive's own folders (re-exported by ``settings``): defined here, where files are
# written, so that storage needs nothing above it.
DATA_DIR = ".jiaarchive"
TRASH_DIR = "回收站"

TMP_DIR = f"{DATA_DIR}/tmp"
JOURNAL_DIR = f"{DATA_DIR}/journal"
VERSIONS_DIR = f"{DATA_DIR}/versions"  # superseded versions of files, named <sha256><ext>
JOURNAL_FORMAT = 2
_CHANGE_ID = re.compile(r"[0-9a-f]{8,40}")
# room kept free beyond a change's own bytes: the database, journal and metadata log grow too
SPACE_MARGIN = 1 << 20

# Clerks copy archives to Windows PCs and USB sticks, where a full path must stay under 260
# characters.  The archive root itself takes some of that (e.g. "D:\\工会\\建家档案\\"), so every
# path inside the archive is kept under this many UTF-16 units.
MAX_RELATIVE_PATH = 160
MAX_NAME_UNITS = 80  # one file or folder name, in UTF-16 units
MAX_NAME_BYTES = 240  # the same name in UTF-8 bytes (Linux allows 255)
COPY_CHUNK = 1 << 20

_WINDOWS_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}
_FULLWIDTH = str.maketrans({"/": "／", "\\": "＼", ":": "：", "*": "＊", "?": "？", '"': "＂", "<": "＜", ">": "＞", "|": "｜"})

# Test hook: tests set this to a callable that raises at a named step to simulate a crash (or,
# in the processes of tests/test_concurrency.py, sleeps there to widen a race window).
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


def open_regular(path: Path) -> BinaryIO:
    """Open a regular file for reading (a symbolic link is followed to one), else UnreadableFile.

    The type is checked on the opened descriptor, and the open itself does not wait: a FIFO,
    a socket or a device is refused before a single byte is read, however it got there.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        if exc.errno == errno.ENXIO:  # a FIFO or socket nobody writes to
            raise UnreadableFile(_not_regular(path, "命名管道或套接字")) from None
        raise
    st = os.fstat(fd)
    if not stat.S_ISREG(st.st_mode):
        os.close(fd)
        raise UnreadableFile(_not_regular(path, kind_of(st.st_mode)))
    if hasattr(os, "set_blocking"):
        os.set_blocking(fd, True)
    return os.fdopen(fd, "rb")


def kind_of(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "文件夹"
    if stat.S_ISFIFO(mode):
        return "命名管道（FIFO）"
    if stat.S_ISSOCK(mode):
        return "套接字"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "设备文件"
    return "特殊文件"


def _not_regular(path: Path, kind: str) -> str:
    return f"“{display_path(path)}”是{kind}，不是普通文件，不能归档。请选择普通的文档或照片文件。"


def hash_file(path: Path) -> tuple[str, int]:
    h = hashlib.sha256()
    size = 0
    with open_regular(path) as fh:
        while chunk := fh.read(COPY_CHUNK):
            h.update(chunk)
            size += len(chunk)
    return h.hexdigest(), size


def check_readable(path: Path) -> str:
    """Raise UnreadableFile with a Chinese sentence when ``path`` cannot be filed.

    Only regular files are filed; a symbolic link is followed only to one.  Returns where a
    link points ('' for a plain file), for the record to note.
    """
    shown = display_path(path)
    if not os.path.lexists(path):
        raise UnreadableFile(f"找不到文件“{shown}”。请检查路径是否正确。")
    link = os.path.islink(path)
    try:
        st = os.stat(path)
    except OSError:
        raise UnreadableFile(f"“{shown}”是快捷方式（符号链接），但它指向的文件不存在，无法归档。") from None
    if stat.S_ISDIR(st.st_mode):
        raise UnreadableFile(f"“{shown}”是文件夹，不是文件。请选择文件夹里的具体文件。")
    if not stat.S_ISREG(st.st_mode):
        raise UnreadableFile(_not_regular(path, kind_of(st.st_mode)))
    try:
        with open_regular(path) as fh:
            first = fh.read(1)
    except OSError as exc:
        raise UnreadableFile(f"文件“{shown}”无法读取（{exc.strerror or exc}）。请检查文件权限。") from exc
    if not first:
        raise UnreadableFile(f"文件“{shown}”是空文件（0 字节），不能作为台账资料归档。")
    if not link:
        return ""
    target = os.path.realpath(path)
    if _private(target):
        raise UnreadableFile(
            f"“{shown}”是快捷方式（符号链接），指向系统或隐藏位置的文件“{display_path(target)}”。"
            "台账资料不会在那里，出于安全考虑不予归档；如确需归档，请把该文件复制出来再归档。"
        )
    return display_path(target)


# Where evidence files never live: a link into these (a pile of files from elsewhere holding a
# link to /etc/shadow or ~/.ssh/id_rsa) is refused rather than followed.
_SYSTEM_DIRS = ("/etc", "/proc", "/sys", "/dev", "/boot", "/root", "/run", "/var", "/usr", "/bin", "/sbin", "/lib")


def _private(target: str) -> bool:
    posix = target.replace("\\", "/")
    if any(posix == d or posix.startswith(d + "/") for d in _SYSTEM_DIRS):
        return True
    if re.match(r"[A-Za-z]:/(Windows|ProgramData|Program Files)", posix, re.IGNORECASE):
        return True
    return any(part.startswith(".") for part in posix.split("/")[:-1] if part not in (".", ".."))


def display_path(path: Path | str) -> str:
    """A path as a clerk should see it: undecodable (GBK) bytes shown as Chinese where possible."""
    text = os.fspath(path)
    return "/".join(_decode_bytes(os.fsencode(part)) if _has_surrogates(part) else part for part in text.split("/"))


def _has_surrogates(text: str) -> bool:
    return any("\udc80" <= ch <= "\udcff" for ch in text)


# Bytes below 0x30 are never inside a character of UTF-8, GBK or GB18030 (their trail bytes
# start at 0x30), so a name split there keeps every character whole.
_SEGMENT = re.compile(rb"([\x00-\x2f]+)")


def _decode_bytes(raw: bytes) -> str:
    """Bytes of a file name as text, segment by segment: UTF-8, GBK, GB18030, else the reading
    that leaves the fewest characters unknown (shown as �), so every decodable part is kept."""
    out = []
    for seg in _SEGMENT.split(raw):
        for enc in ("utf-8", "gbk", "gb18030"):
            try:
                out.append(seg.decode(enc))
                break
            except UnicodeDecodeError:
                continue
        else:
            out.append(min((seg.decode(enc, "replace") for enc in ("gb18030", "utf-8")), key=lambda t: t.count("\ufffd")))
    return "".join(out)


def decoded_name(path: Path) -> str:
    """The file's own name as Unicode.

    Names copied from old Windows disks may be GBK bytes that are not UTF-8; Python keeps them
    as surrogate escapes.  They are decoded segment by segment (``_decode_bytes``) so the name is
    recorded as the clerk saw it on Windows, never transliterated; a byte no encoding explains
    becomes �, and ``undecodable`` tells.
    """
    name = path.name
    if not _has_surrogates(name):
        return unicodedata.normalize("NFC", name)
    return unicodedata.normalize("NFC", _decode_bytes(os.fsencode(name)))


def undecodable(name: str) -> bool:
    return "\ufffd" in name


# ---------------------------------------------------------------- journal and moves


@dataclass
class Move:
    """Move ``src`` to ``dst`` (both relative to the archive root) once the DB has committed.

    ``file_id`` is None for a new file (``src`` is then a temporary file) and ``sha256`` lets
    recovery of a first-format journal recognise the row the transaction created.
    """

    src: str
    dst: str
    file_id: int | None = None
    sha256: str = ""


def new_change_id() -> str:
    """Sortable by start time, unique across processes and machines."""
    return f"{time.time_ns():016x}{secrets.token_hex(4)}"


def check_inside(root: Path, rel: object, areas: Iterable[str]) -> Path:
    """``root/rel`` when ``rel`` is a plain relative path into one of ``areas`` that stays inside
    the archive once symbolic links are resolved; UnsafePath otherwise.

    Paths come from files inside the archive (journals, the database, the metadata log), which
    may have been made elsewhere: none of them may lead the program outside the archive.
    """
    if not isinstance(rel, str) or not rel or len(rel) > 1000 or "\\" in rel or "\x00" in rel or rel.startswith("/") \
            or re.match(r"[A-Za-z]:", rel):
        raise UnsafePath(f"路径“{rel!s:.200}”不是档案内的相对路径。")
    if any(part in ("", ".", "..") for part in rel.split("/")):
        raise UnsafePath(f"路径“{rel:.200}”含有“..”或空的文件夹名。")
    if not any(rel.startswith(area.rstrip("/") + "/") for area in areas):
        raise UnsafePath(f"路径“{rel:.200}”不在程序写入的位置（目录文件夹、回收站、{TMP_DIR}、{VERSIONS_DIR}）。")
    full = root / rel
    real_root = os.path.realpath(root)
    real = os.path.realpath(full)
    if os.path.commonpath([real_root, real]) != real_root:
        raise UnsafePath(f"路径“{rel:.200}”经符号链接指向档案之外（{display_path(real)}）。")
    return full


class Journal:
    """The ``journal`` and ``tmp`` folders of one archive; ``areas()`` gives where moves may go."""

    def __init__(self, root: Path, data_dir: Path, areas: Callable[[], Iterable[str]] = lambda: ()) -> None:
        self.root = root
        self.dir = data_dir / "journal"
        self.tmp = data_dir / "tmp"
        self.areas = areas
        # a shared (PostgreSQL) archive: the server holds each change's owner lock too, since a
        # file lock on a network share is not seen by the other computers (``locks.OwnerLock``)
        self.server_owner: Callable[[str], locks.PgOwnerLock] | None = None

    def allowed(self) -> tuple[str, ...]:
        return (TMP_DIR, VERSIONS_DIR, TRASH_DIR, *self.areas())

    def check(self, moves: Iterable[Move]) -> None:
        allowed = self.allowed()
        for m in moves:
            check_inside(self.root, m.src, allowed)
            check_inside(self.root, m.dst, allowed)

    def write(self, change_id: str, moves: list[Move]) -> Path:
        self.dir.mkdir(parents=True, exist_ok=True)
        path = self.dir / f"{change_id}.json"
        part = path.with_suffix(".part")
        with open(part, "w", encoding="utf-8") as fh:
            json.dump({"format": JOURNAL_FORMAT, "change": change_id, "moves": [asdict(m) for m in moves]}, fh, ensure_ascii=False)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(part, path)
        _fsync_dir(self.dir)
        return path

    def read(self, path: Path) -> tuple[list[Move], bool]:
        """The moves of a journal and whether it names its change (second format).

        Raises UnsafePath (with the reason) for anything that is not a journal this program wrote.
        """
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            named = isinstance(data, dict)
            raw = data["moves"] if named else data
            if named and data.get("change") != path.stem:
                raise ValueError("change id")
            moves = [Move(**m) for m in raw]
        except (OSError, ValueError, TypeError, KeyError, UnicodeDecodeError) as exc:
            raise UnsafePath(f"日志文件无法识别（{type(exc).__name__}）。") from None
        self.check(moves)
        return moves, named

    def changes(self) -> list[str]:
        """Ids of every change that left something here: a lock, a journal, temporary files."""
        ids = set()
        for folder in (self.dir, self.tmp):
            if folder.is_dir():
                ids.update(change_of(p.name) for p in folder.iterdir())
        return sorted(i for i in ids if i)

    def temps_of(self, change_id: str) -> list[Path]:
        if not self.tmp.is_dir():
            return []
        return [p for p in self.tmp.iterdir() if change_of(p.name) == change_id]

    def owner(self, change_id: str) -> locks.FileLock | locks.OwnerLock:
        lock = locks.FileLock(self.dir / f"{change_id}.lock")
        return lock if self.server_owner is None else locks.OwnerLock(lock, self.server_owner(change_id))


def change_of(name: str) -> str:
    """The change a journal, lock or temporary file belongs to: the start of its name."""
    return name.split(".", 1)[0].split("-", 1)[0][:80]


def dead_journals(data_dir: Path) -> list[Path]:
    """Journals whose process is gone: what the next writable open will finish or undo.

    Cheap and free of the database: issue 12's fast search path and other tools can call it to
    tell whether something is pending (with ``search.pending`` for the index).
    """
    folder = data_dir / "journal"
    if not folder.is_dir():
        return []
    return [p for p in sorted(folder.glob("*.json")) if locks.is_free(p.with_suffix(".lock"))]


class Change:
    """One change's life on disk: its owner lock, its temporary copies, its journal and moves.

    ``Archive.change()`` makes one and ``Archive.transaction(change)`` commits it; see the
    module docstring for the order of steps.  Leaving normally removes everything it made.  An
    error before the commit removes its temporary copies (nothing happened).  An error after the
    commit, or a crash, leaves the journal: the owner lock is released, so the change counts as
    dead and the next writable open (of any process) finishes it.
    """

    def __init__(self, journal: Journal) -> None:
        self.journal = journal
        self.id = new_change_id()
        self.moves: list[Move] = []
        self.temps: list[Path] = []
        self._journal_path: Path | None = None
        self._committed = False
        journal.dir.mkdir(parents=True, exist_ok=True)
        self._owner = journal.owner(self.id)
        if not self._owner.try_acquire():
            raise RuntimeError(f"change id {self.id} already in use")

    @property
    def root(self) -> Path:
        return self.journal.root

    def temp(self, suffix: str = ".part") -> Path:
        """A new temporary file name of this change (the file is not created)."""
        self.journal.tmp.mkdir(parents=True, exist_ok=True)
        path = self.journal.tmp / f"{self.id}-{len(self.temps)}{suffix}"
        self.temps.append(path)
        return path

    def rel(self, path: Path) -> str:
        return path.relative_to(self.root).as_posix()

    def plan(self, moves: list[Move]) -> None:
        """The moves to apply once the transaction commits: checked, then journaled (fsynced)."""
        self.journal.check(moves)
        self.moves = list(moves)

    def write_journal(self) -> None:
        """Called by the transaction just before its commit."""
        self._journal_path = self.journal.write(self.id, self.moves)
        fault("journal.written")

    def committed(self) -> None:
        self._committed = True

    def finish(self) -> None:
        """After the commit: apply the moves and drop the journal."""
        apply_moves(self.root, self.moves)
        self._drop_journal()

    def _drop_journal(self) -> None:
        if self._journal_path is not None:
            self._journal_path.unlink(missing_ok=True)
            self._journal_path = None

    def __enter__(self) -> "Change":
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: object) -> bool:
        if exc_type is not None and (self._committed or not issubclass(exc_type, Exception)):
            self._owner.release()  # dead now: recovery (of any process) finishes or undoes it
            return False
        if not self._committed:
            self._drop_journal()
        for t in self.temps:
            remove_quietly(t)
        self._owner.release(unlink=True)
        return False


def copy_to_temp(src: Path, dst: Path) -> tuple[str, int]:
    """Copy ``src`` to ``dst`` (a temporary name), hashing as it goes; fsync; keep the mtime.

    The original is only opened for reading and never changed.  A full disk becomes DiskFull
    saying how much this file needed.
    """
    h = hashlib.sha256()
    size = 0
    with open_regular(src) as fin:
        st = os.fstat(fin.fileno())
        try:
            with open(dst, "xb") as fout:
                while chunk := fin.read(COPY_CHUNK):
                    h.update(chunk)
                    size += len(chunk)
                    fout.write(chunk)
                fout.flush()
                fault("copy.before_fsync")
                os.fsync(fout.fileno())
        except OSError as exc:
            if exc.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", -1)):
                raise disk_full(st.st_size, free_space(dst.parent)) from exc
            raise
    os.utime(dst, ns=(st.st_atime_ns, st.st_mtime_ns))
    return h.hexdigest(), size


def free_space(folder: Path) -> int | None:
    try:
        return shutil.disk_usage(folder).free
    except OSError:
        return None


def ensure_space(folder: Path, needed: int) -> None:
    """DiskFull before a change starts when the disk cannot hold ``needed`` bytes more."""
    free = free_space(folder)
    if free is not None and free < needed + SPACE_MARGIN:
        raise disk_full(needed + SPACE_MARGIN, free)


def move_noclobber(src: Path, dst: Path) -> None:
    """Rename without ever replacing an existing file."""
    dst.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(src, dst, follow_symlinks=False)
    except FileExistsError:
        raise
    except (OSError, NotImplementedError):
        # file systems without hard links (FAT on USB sticks)
        if os.path.lexists(dst):
            raise FileExistsError(dst) from None
        os.rename(src, dst)
        return
    os.unlink(src)
    _fsync_dir(dst.parent)


def apply_moves(root: Path, moves: Iterable[Move], *, prune: bool = True) -> None:
    for m in moves:
        src, dst = root / m.src, root / m.dst
        if os.path.lexists(dst) and not os.path.lexists(src):
            continue  # already done (recovery re-running a finished move)
        move_noclobber(src, dst)
        fault("move.after_one")
        if prune:
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
    """Remove a file (or a symbolic link, not what it points to); never a directory."""
    try:
        if os.path.islink(path) or not path.is_dir():
            path.unlink(missing_ok=True)
    except OSError:
        pass
