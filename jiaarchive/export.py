"""Export of a selection for an inspector or a colleague: the 归档文件目录 as XLSX, and a zip of
the files with that list inside.

The zip keeps the archive's own folders (``A 效益（绩效）之家/A-1 …/2021/2021-05-20 题名.docx``),
so it reads without the software, and holds ``归档文件目录.xlsx`` and ``说明.txt`` (the unit, the
selection, who exported it and when, and any file that was missing).  Both files are written
under a temporary name and renamed into place, so a failed export leaves nothing half-written.
"""

from __future__ import annotations

import os
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from . import audit
from .archive import Archive
from .errors import BadValue, JiaError
from .filing import RecordView
from .progress import Reporter, Tracker

LIST_NAME = "归档文件目录.xlsx"
NOTE_NAME = "说明.txt"
# already compressed: stored as they are, which is much faster and no larger
_STORED = {".jpg", ".jpeg", ".png", ".gif", ".webp", ".heic", ".pdf", ".zip", ".ofd", ".docx", ".xlsx", ".pptx"}


@dataclass(frozen=True)
class ZipSummary:
    path: Path
    records: int
    files: int
    missing: tuple[str, ...]  # files the catalogue names but the folder does not hold


def _check_target(path: Path, suffix: str) -> Path:
    path = Path(path).expanduser()
    if path.suffix.lower() != suffix:
        raise BadValue(f"导出文件“{path.name}”应以 {suffix} 结尾。")
    if path.is_dir():
        raise BadValue(f"“{path}”是文件夹，请写出要保存的文件名（如 {path / ('导出' + suffix)}）。")
    return path


def _temp_beside(path: Path) -> Path:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise _cannot_write(path, exc) from exc
    return path.with_name(f".{path.name}.{os.getpid()}.tmp")


def _cannot_write(path: Path, exc: OSError) -> JiaError:
    """The sentence for a file the clerk named that cannot be written (never our temporary name)."""
    import errno

    from .errors import explain

    if isinstance(exc, OSError) and exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        said = explain(OSError(exc.errno, exc.strerror, str(path)))
        if said is not None:
            return said
    return BadValue(f"无法写出“{path}”：{exc.strerror or exc}。请换一个文件夹或检查磁盘空间。")


def _drop(tmp: Path) -> None:
    """Remove a temporary file if it is there (on read-only media even trying fails: nothing to do)."""
    try:
        tmp.unlink(missing_ok=True)
    except OSError:
        pass


def write_file(path: Path, suffix: str, write: Callable[[Path], object]) -> Path:
    """Write a file a person asked for at ``path`` (which must end in ``suffix``) whole or not at
    all: ``write`` fills a temporary file beside it, which then replaces ``path``.  Failures are
    one Chinese sentence naming the file."""
    path = _check_target(path, suffix)
    tmp = _temp_beside(path)
    try:
        write(tmp)
        os.replace(tmp, path)
    except OSError as exc:
        raise _cannot_write(path, exc) from exc
    finally:
        _drop(tmp)
    return path


def write_list(archive: Archive, records: Sequence[RecordView], path: Path) -> Path:
    """The 归档文件目录 of ``records`` as an XLSX file (one sheet per entry and year)."""
    from .reports import catalogue

    return write_file(path, ".xlsx", lambda tmp: catalogue.to_xlsx(archive, catalogue.sections_for(archive, records), tmp))


def _note(archive: Archive, records: Sequence[RecordView], described: str, missing: list[str]) -> str:
    now = archive.now()
    lines = [
        f"单位：{archive.settings.unit}",
        f"导出内容：{described}，共 {len(records)} 件",
        f"导出人：{audit.current_user()}",
        f"导出时间：{now:%Y-%m-%d %H:%M}",
        "",
        f"文件按档案的目录和年度放在文件夹中；{LIST_NAME} 是这些记录的归档文件目录。",
    ]
    if missing:
        lines += ["", "以下文件在档案中缺失，未能导出（可运行 jiaarchive verify 检查）："] + [f"  {m}" for m in missing]
    return "\r\n".join(lines) + "\r\n"  # Windows Notepad shows it line by line


def write_zip(archive: Archive, records: Sequence[RecordView], path: Path, *, described: str = "",
              progress: Reporter | None = None) -> ZipSummary:
    """A zip of the files of ``records`` in their archive folders, with the list and a note inside."""
    path = _check_target(path, ".zip")
    try:
        if path.resolve().is_relative_to(archive.root.resolve() / ".jiaarchive"):
            raise BadValue("不能把导出文件写进档案的数据文件夹 .jiaarchive。")
    except OSError:
        pass
    files = [f for r in records for f in r.files]
    track = Tracker("正在导出", len(files), progress)
    tmp = _temp_beside(path)
    missing: list[str] = []
    written = 0
    try:
        with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6, allowZip64=True) as zf:
            for f in files:
                track.start(f.name)
                src = archive.root / f.path
                if not src.is_file():
                    missing.append(f.path)
                else:
                    kind = zipfile.ZIP_STORED if Path(f.path).suffix.lower() in _STORED else zipfile.ZIP_DEFLATED
                    try:
                        zf.write(src, f.path, compress_type=kind)
                        written += 1
                    except PermissionError:  # unreadable here: listed in the note, the rest goes on
                        missing.append(f"{f.path}（无权读取）")
                track.advance()
            list_tmp = _temp_beside(path.with_name(path.stem + ".list.xlsx"))
            try:
                from .reports import catalogue

                catalogue.to_xlsx(archive, catalogue.sections_for(archive, records), list_tmp)
                zf.write(list_tmp, LIST_NAME)
            finally:
                _drop(list_tmp)
            zf.writestr(NOTE_NAME, _note(archive, records, described or f"{len(records)} 件记录", missing).encode("utf-8-sig"))
        os.replace(tmp, path)
    except OSError as exc:
        raise _cannot_write(path, exc) from exc
    finally:
        _drop(tmp)
    track.finish()
    return ZipSummary(path, len(records), written, tuple(missing))
