"""A clerk's pile as a list of files (待归档文件): folders walked, zips opened, junk counted.

``walk(path, staging)`` takes a folder or a .zip and returns every file in it, in name order,
each as an ``Item`` that says where it was (``rel``: relative to ``path``; a zip member is
``name.zip!member/path``, also for zips found inside folders and zips inside zips) and where
its bytes can be read now (``path``: the file itself, or a copy of the zip member unpacked
into ``staging``).  Files nobody files on purpose (hidden files, ``Thumbs.db``,
``desktop.ini``, Office ``~$`` lock files, macOS ``__MACOSX`` folders) are skipped and
counted; zip members that cannot be read safely stay in the list with their reason (see
``zipsafe``), so nothing a clerk handed over disappears without a word.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from .. import storage
from ..errors import UnreadableFile
from .zipsafe import Budget, SafeZip, ZipLimits, ZipRefused, is_zip

ZIP_SEP = "!"

# Files a folder holds that nobody filed on purpose, by lower-case name.
SYSTEM_NAMES = frozenset({"thumbs.db", "desktop.ini", "ehthumbs.db", ".ds_store", "icon\r"})
SYSTEM_FOLDERS = frozenset({"__macosx", "$recycle.bin", "system volume information", ".trashes"})
SKIP_REASONS = {
    "hidden": "隐藏文件",
    "lock": "Office 临时锁定文件（~$ 开头）",
    "system": "系统文件（Thumbs.db、desktop.ini 等）",
    "link": "快捷方式或符号链接",
    "archive": "档案自身的文件",
}


def skip_reason(name: str) -> str:
    """Why a file or folder of this name is left out ('' when it is not): a key of SKIP_REASONS."""
    low = name.lower()
    if low in SYSTEM_NAMES or low in SYSTEM_FOLDERS:
        return "system"
    if name.startswith("~$"):
        return "lock"
    if name.startswith("."):
        return "hidden"
    return ""


@dataclass(frozen=True)
class Item:
    """One file of the pile.

    ``rel`` is how the clerk finds it again (``微信文件/通知.docx``, ``资料.zip!A-1/表.xlsx``);
    ``location`` the same unambiguously (the path relative to the pile, then the member name
    in each zip: names may hold “!” themselves); ``folders`` are the names of the folders it
    sits in, outermost first (a zip counts as a folder named by its stem); ``path`` is a
    readable copy (None when refused), ``refusal`` the Chinese sentence saying why it was not
    read and ``hazard`` its short key.
    """

    rel: str
    location: tuple[str, ...]
    name: str
    folders: tuple[str, ...]
    path: Path | None
    size: int
    refusal: str = ""
    hazard: str = ""

    @property
    def in_zip(self) -> bool:
        return len(self.location) > 1


@dataclass
class Walk:
    items: list[Item] = field(default_factory=list)
    skipped: Counter = field(default_factory=Counter)  # key of SKIP_REASONS -> count

    def skipped_text(self) -> str:
        """'已跳过：隐藏文件 2 个，系统文件（…）1 个' or ''."""
        if not self.skipped:
            return ""
        parts = [f"{SKIP_REASONS[k]} {n} 个" for k, n in sorted(self.skipped.items())]
        return "已跳过：" + "，".join(parts) + "。"


class Staging:
    """A private temporary folder for zip members; removed on ``close``.

    Members are unpacked to ``<n>/<safe name>`` so each keeps its own file name (filing
    records it) and no member's name is ever used as a path.
    """

    def __init__(self) -> None:
        self._root: Path | None = None  # made on the first member: most runs never unpack one
        self._n = 0

    @property
    def root(self) -> Path:
        if self._root is None:
            self._root = Path(tempfile.mkdtemp(prefix="jiaarchive-inbox-"))
        return self._root

    def new_file(self, name: str) -> Path:
        self._n += 1
        folder = self.root / str(self._n)
        folder.mkdir()
        return folder / storage.safe_name(name)

    def close(self) -> None:
        if self._root is not None:
            shutil.rmtree(self._root, ignore_errors=True)

    def __enter__(self) -> "Staging":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def walk(path: Path, staging: Staging, *, limits: ZipLimits | None = None) -> Walk:
    """Every file in ``path`` (a folder, a .zip or a single file), in name order."""
    path = Path(path)
    out = Walk()
    limits = limits or ZipLimits()
    if path.is_dir():
        _walk_folder(path, "", (), staging, limits, out)
    elif path.is_file():
        name = storage.decoded_name(path)
        if is_zip(path):
            _walk_zip(path, (name,), (), staging, limits, Budget(limits.max_total_bytes), out)
        else:
            out.items.append(Item(name, (name,), name, (), path, _size(path)))
    elif os.path.lexists(path):  # a FIFO, a device, a dangling link: there, but not a file to read
        storage.check_readable(path)  # raises the sentence that says what it is
        raise UnreadableFile(f"“{storage.display_path(path)}”不是文件夹、压缩包或普通文件。")
    else:
        raise UnreadableFile(f"找不到“{storage.display_path(path)}”。请检查路径是否正确。")
    return out


def display(location: tuple[str, ...]) -> str:
    """``a/b.zip!c/d.docx`` for the location (path in the pile, then a member name per zip)."""
    return ZIP_SEP.join(location)


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _walk_folder(folder: Path, prefix: str, folders: tuple[str, ...], staging: Staging, limits: ZipLimits,
                 out: Walk) -> None:
    try:
        entries = sorted(os.scandir(folder), key=lambda e: storage.decoded_name(Path(e.path)))
    except OSError as exc:
        shown = prefix.rstrip("/") or storage.display_path(folder)
        out.items.append(Item(shown, (shown,), shown, folders, None, 0,
                              f"文件夹“{shown}”无法读取（{exc.strerror or exc}）。", "unreadable"))
        return
    for entry in entries:
        p = Path(entry.path)
        name = storage.decoded_name(p)
        why = skip_reason(name) or ("link" if entry.is_symlink() else "") or _hidden_on_windows(entry)
        if why:
            out.skipped[why] += 1
            continue
        rel = f"{prefix}{name}"
        if entry.is_dir(follow_symlinks=False):
            _walk_folder(p, f"{rel}/", (*folders, name), staging, limits, out)
        elif entry.is_file(follow_symlinks=False):
            if is_zip(p):
                _walk_zip(p, (rel,), folders, staging, limits, Budget(limits.max_total_bytes), out)
            else:
                out.items.append(Item(rel, (rel,), name, folders, p, _size(p)))
        else:  # a FIFO, a socket, a device: listed with why, never opened (reading a FIFO blocks)
            try:
                kind = storage.kind_of(entry.stat(follow_symlinks=False).st_mode)
            except OSError:
                kind = "特殊文件"
            out.items.append(Item(rel, (rel,), name, folders, None, 0,
                                  f"“{rel}”是{kind}，不是普通文件，不能归档。", "not_regular"))


def _hidden_on_windows(entry: os.DirEntry) -> str:
    try:
        return "hidden" if entry.stat(follow_symlinks=False).st_file_attributes & 2 else ""  # type: ignore[attr-defined]
    except (AttributeError, OSError):
        return ""


def _zip_stem(location: tuple[str, ...]) -> tuple[str, str]:
    name = location[-1].rsplit("/", 1)[-1]
    return name, (name[:-4] if name.lower().endswith(".zip") else name)


def _walk_zip(path: Path, location: tuple[str, ...], folders: tuple[str, ...], staging: Staging, limits: ZipLimits,
              budget: Budget, out: Walk) -> None:
    zip_name, stem = _zip_stem(location)
    rel = display(location)
    depth = len(location)
    if depth > limits.max_depth:
        out.items.append(Item(rel, location, zip_name, folders, None, _size(path),
                              f"压缩包“{zip_name}”套在 {depth - 1} 层压缩包里，超过 {limits.max_depth} 层，未解压。", "too_deep"))
        return
    try:
        zf = SafeZip(path, limits=limits, budget=budget, display=zip_name)
    except ZipRefused as exc:
        out.items.append(Item(rel, location, zip_name, folders, None, _size(path), str(exc), exc.hazard))
        return
    with zf:
        for m in sorted(zf.members(), key=lambda m: m.name):
            parts = m.name.split("/")
            mloc = (*location, m.name)
            mrel = display(mloc)
            inner = (*folders, stem, *parts[:-1])
            if not m.ok:  # said before junk is skipped: a hostile "../.x" is not a hidden file
                out.items.append(Item(mrel, mloc, m.basename, inner, None, m.size, m.refusal, m.hazard))
                continue
            why = next((r for r in map(skip_reason, parts) if r), "")
            if why:
                out.skipped[why] += 1
                continue
            dst = staging.new_file(m.basename)
            try:
                zf.extract(m, dst)
            except ZipRefused as exc:
                out.items.append(Item(mrel, mloc, m.basename, inner, None, m.size, str(exc), exc.hazard))
                continue
            if is_zip(dst):
                _walk_zip(dst, mloc, inner, staging, limits, budget, out)
            else:
                out.items.append(Item(mrel, mloc, m.basename, inner, dst, m.size))


def within(path: Path, root: Path | str) -> bool:
    """Whether ``path`` (links followed) is ``root`` or inside it."""
    real, top = os.path.realpath(path), os.path.realpath(root)
    return real == top or real.startswith(top.rstrip(os.sep) + os.sep)


def drop_archive_files(w: Walk, archive_root: Path) -> Walk:
    """``w`` without the files of the archive at ``archive_root`` (a pile holding the archive
    folder), counted as skipped: the archive is never filed into itself."""
    kept = [it for it in w.items if it.in_zip or it.path is None or not within(it.path, archive_root)]
    w.skipped["archive"] += len(w.items) - len(kept)
    w.items = kept
    if not w.skipped["archive"]:
        del w.skipped["archive"]
    return w


def open_location(source: Path, location: tuple[str, ...], staging: Staging, *, limits: ZipLimits | None = None) -> Path:
    """A readable file for ``location`` in the pile at ``source`` (a folder, a zip or one file):
    the file itself, or the zip member unpacked into ``staging``.  Raises ZipRefused or
    UnreadableFile saying why not.  ``location`` comes from plans and queues, which are not
    trusted: it must stay inside ``source``.
    """
    limits = limits or ZipLimits()
    source = Path(source)
    if not location:
        raise UnreadableFile("文件位置为空。")
    if source.is_dir():
        current = resolve_inside(source, location[0])
    elif location[0] == storage.decoded_name(source):
        current = source
    else:
        raise UnreadableFile(f"“{location[0]}”不在来源“{storage.display_path(source)}”中。")
    budget = Budget(limits.max_total_bytes)
    for depth, member_name in enumerate(location[1:], start=1):
        zip_name = location[depth - 1].rsplit("/", 1)[-1]
        if depth > limits.max_depth:
            raise ZipRefused(f"“{display(location)}”套在太多层压缩包里，未解压。", "too_deep")
        with SafeZip(current, limits=limits, budget=budget, display=zip_name) as zf:
            m = next((m for m in zf.members() if m.name == member_name), None)
            if m is None:
                raise UnreadableFile(f"压缩包“{zip_name}”中找不到文件“{member_name}”。")
            dst = staging.new_file(m.basename)
            zf.extract(m, dst)
        current = dst
    return current


def resolve_inside(root: Path, rel: str) -> Path:
    """``root / rel`` for a '/'-separated ``rel`` that stays inside ``root``; UnreadableFile otherwise."""
    parts = rel.replace("\\", "/").split("/")
    bad = UnreadableFile(f"文件路径“{rel}”无效（必须是来源文件夹中的相对路径，不能含“..”，不能指向文件夹以外）。")
    if not rel or rel.startswith("/") or ":" in parts[0] or any(p in ("", ".", "..") for p in parts):
        raise bad
    path = Path(root).joinpath(*parts)
    real_root = os.path.realpath(root)
    try:
        if os.path.commonpath([os.path.realpath(path), real_root]) != real_root:
            raise bad
    except ValueError:
        raise bad from None
    return path
