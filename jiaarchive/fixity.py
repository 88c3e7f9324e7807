"""Fixity: are the files the database lists still there and unchanged, and is anything extra?

Like a sanity checker: every registered file is re-hashed; files on disk that no record lists
are reported as unregistered (the archive's own data folder and settings are not files of
record).  Also reported: journals of interrupted changes that recovery refused (paths leading
outside the archive) and records whose plain-file metadata (``metalog``) is not in step.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from . import storage
from .archive import Archive
from .db.models import File, Record
from .errors import UnsafePath
from .settings import DATA_DIR, EXPORT_DIR, SETTINGS_NAME
from .storage import VERSIONS_DIR  # superseded versions of files (a photo as received), named <sha256><ext>

KIND_LABELS = {
    "missing": "文件缺失", "modified": "文件被修改", "unregistered": "未登记的文件",
    "journal": "待人工处理的中断修改", "metadata": "元数据日志", "unsafe": "档案之外的路径",
}


@dataclass(frozen=True)
class Problem:
    kind: str  # missing | modified | unregistered
    path: str
    archive_no: str = ""
    detail: str = ""

    @property
    def message(self) -> str:
        if self.kind in ("journal", "metadata", "unsafe"):
            return f"{self.archive_no} {self.detail}".strip()
        if self.kind == "missing":
            return f"{self.archive_no} 的文件“{self.path}”不见了。请从备份或回收站找回，放回原处。"
        if self.kind == "modified":
            return f"{self.archive_no} 的文件“{self.path}”与归档时不一致（{self.detail}），原件可能被改动。"
        return f"“{self.path}”不属于任何档案记录。如需保存，请用 jiaarchive add 归档；否则请移出档案文件夹。"

    def to_json(self) -> dict[str, str]:
        return {"kind": self.kind, "path": self.path, "archive_no": self.archive_no, "message": self.message}


@dataclass(frozen=True)
class VerifyResult:
    checked: int
    problems: tuple[Problem, ...]

    @property
    def ok(self) -> bool:
        return not self.problems

    def to_json(self) -> dict[str, object]:
        return {"ok": self.ok, "checked": self.checked, "problems": [p.to_json() for p in self.problems]}


def verify(archive: Archive, progress: Callable[[int, int], None] | None = None) -> VerifyResult:
    with archive.session() as s:
        rows = s.execute(select(File.path, File.sha256, File.size, Record.archive_no).join(Record)).all()
    problems: list[Problem] = []
    registered = set()
    for i, (path, sha, size, number) in enumerate(rows, 1):
        registered.add(path)
        try:
            full = archive.file_path(path)
        except UnsafePath as exc:  # a database made elsewhere: its paths are not followed
            problems.append(Problem("unsafe", path, number, f"登记的文件路径不安全：{exc}"))
            continue
        if not full.is_file():
            problems.append(Problem("missing", path, number))
        else:
            actual_size = full.stat().st_size
            if actual_size != size:
                problems.append(Problem("modified", path, number, f"大小由 {size} 字节变为 {actual_size} 字节"))
            elif storage.hash_file(full)[0] != sha:
                problems.append(Problem("modified", path, number, "内容校验值（SHA-256）不同"))
        if progress:
            progress(i, len(rows))
    for dirpath, dirnames, filenames in os.walk(archive.root):
        rel_dir = Path(dirpath).relative_to(archive.root).as_posix()
        if rel_dir == ".":
            dirnames[:] = [d for d in dirnames if d not in (DATA_DIR, EXPORT_DIR)]
            filenames = [f for f in filenames if f != SETTINGS_NAME]
        for name in filenames:
            rel = name if rel_dir == "." else f"{rel_dir}/{name}"
            rel = storage.display_path(rel)
            if rel not in registered:
                problems.append(Problem("unregistered", rel))
    problems.extend(_check_versions(archive))
    problems.extend(Problem("journal", "", "", text) for text in archive.refused_journals())
    from . import metalog

    problems.extend(Problem("metadata", "", number, what) for number, what in metalog.differences(archive))
    problems.sort(key=lambda p: (p.kind, p.path))
    return VerifyResult(checked=len(rows), problems=tuple(problems))


def _check_versions(archive: Archive) -> list[Problem]:
    """Every original a photo label points at must be in the versions store, unchanged."""
    from .db.models import PhotoLabelRow

    with archive.session() as s:
        wanted = s.execute(
            select(PhotoLabelRow.original_sha256, Record.archive_no)
            .join(File, File.id == PhotoLabelRow.file_id)
            .join(Record, Record.id == File.record_id)
            .where(PhotoLabelRow.original_sha256.is_not(None))
        ).all()
    folder = archive.root / VERSIONS_DIR
    stored = {p.name.split(".", 1)[0]: p for p in folder.iterdir() if p.is_file()} if folder.is_dir() else {}
    problems = []
    for sha, number in wanted:
        if sha not in stored:
            problems.append(Problem("missing", f"{VERSIONS_DIR}/{sha}", number, "照片原件"))
    for sha, path in sorted(stored.items()):
        if storage.hash_file(path)[0] != sha:
            rel = f"{VERSIONS_DIR}/{path.name}"
            problems.append(Problem("modified", rel, "", "内容校验值（SHA-256）与文件名不符"))
    return problems
