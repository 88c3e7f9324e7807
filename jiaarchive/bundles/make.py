"""Writing a bundle (``jiaarchive export --bundle OUT.zip``): see the package docstring for the layout.

The files are copied (hard-linked where the disk allows) into a temporary bag beside the output,
each one hashed on the way and compared with the SHA-256 the database holds: a file that is
missing or was changed outside the program stops the export with its name, so a bundle never
carries a file its own metadata contradicts.  ``bagit.make_bag`` then writes the manifests and
the zip is written under a temporary name and renamed into place.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import tempfile
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .. import audit, metalog
from ..archive import Archive
from ..errors import BadValue, BundleDamaged
from ..filing import RecordView
from ..progress import Reporter, Tracker
from . import (BUNDLE_JSON, COVERAGE, FORMAT, INFO_AT, INFO_BY, INFO_LEVEL, INFO_RECORDS, INFO_SELECTION, INFO_UNIT,
               INFO_UNIT_TYPE, INFO_YEAR, METADATA, REPORT_HTML, REPORT_LIST, TEXTS)

_STORED = {".jpg", ".jpeg", ".png", ".gif", ".webp", ".heic", ".pdf", ".zip", ".ofd", ".docx", ".xlsx", ".pptx"}
_CHUNK = 1 << 20
AUDIT_ACTIONS_OF_UNIT = ("profile", "score", "init")  # history that belongs to no one record


@dataclass(frozen=True)
class BundleSummary:
    path: Path
    records: int
    files: int
    bytes: int


def _place(src: Path, dst: Path) -> tuple[str, int]:
    """``src`` at ``dst`` (a hard link, else a copy) and its SHA-256 and size as read now."""
    dst.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(src, dst)
    except OSError:
        shutil.copyfile(src, dst)
    h = hashlib.sha256()
    size = 0
    with open(dst, "rb") as fh:
        while chunk := fh.read(_CHUNK):
            h.update(chunk)
            size += len(chunk)
    return h.hexdigest(), size


def _metadata_lines(archive: Archive, ids: list[int]) -> list[dict[str, Any]]:
    """The records, their history, the profile and the scores as metadata-log lines."""
    from sqlalchemy import or_, select

    from ..db.models import AuditEntry, ItemScore, ProfileFact

    lines: list[dict[str, Any]] = []
    with archive.session() as s:
        for i in range(0, len(ids), metalog.BASELINE_CHUNK):
            lines.append(metalog._line(archive, 0, bundle=True, records=metalog._records(s, ids[i:i + metalog.BASELINE_CHUNK])))
        wanted = set(ids)
        entries = [metalog.row_dict(e) for e in s.scalars(
            select(AuditEntry).where(or_(AuditEntry.record_id.is_(None), AuditEntry.record_id.in_(wanted)))
            .order_by(AuditEntry.id)) if e.record_id in wanted or e.action in AUDIT_ACTIONS_OF_UNIT]
        step = metalog.BASELINE_CHUNK * 5
        for i in range(0, len(entries), step):
            lines.append(metalog._line(archive, 0, bundle=True, audit=entries[i:i + step]))
        top = max((e["id"] for e in entries), default=0)
        lines.append(metalog._line(archive, top, bundle=True, profile=metalog._table(s, ProfileFact),
                                   scores=metalog._table(s, ItemScore)))
    return lines


def _texts(archive: Archive, ids: list[int]) -> list[dict[str, Any]]:
    """Each record's searchable text, as the unit's own index reads it (extracted if need be)."""
    from ..indexing import _load

    out = []
    for doc in _load(archive, ids):
        out.append({
            "record_id": doc.record_id, "archive_no": doc.archive_no, "kinds": list(doc.kinds),
            "body": "\n".join(x for f in doc.files for x in (f.text, f.ocr_text) if x),
        })
    return out


def _jsonl(path: Path, rows: list[dict[str, Any]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="\n") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False, default=str) + "\n")


def write_bundle(archive: Archive, records: Sequence[RecordView], path: Path, *, described: str = "",
                 progress: Reporter | None = None) -> BundleSummary:
    """A BagIt bundle of ``records`` (files, metadata, history, profile, scores, reports) at ``path``."""
    import bagit

    from ..coverage.assess import assess
    from ..export import _cannot_write, _check_target, _drop, _temp_beside
    from ..reports import catalogue
    from ..reports.coverage_html import write_html

    logging.getLogger("bagit").setLevel(logging.WARNING)
    path = _check_target(path, ".zip")
    try:
        if path.resolve().is_relative_to(archive.root.resolve() / ".jiaarchive"):
            raise BadValue("不能把数据包写进档案的数据文件夹 .jiaarchive。")
    except OSError:
        pass
    if not records:
        raise BadValue("没有要导出的记录。")
    files = [f for r in records for f in r.files]
    track = Tracker("正在导出数据包", len(files) + 3, progress)
    tmp_zip = _temp_beside(path)
    try:
        bag = Path(tempfile.mkdtemp(prefix=".bundle-", dir=path.parent))
    except OSError as exc:  # said of the bundle the clerk named, not of our temporary folder
        raise OSError(exc.errno, exc.strerror, str(path)) from exc
    total = 0
    try:
        for f in files:
            track.start(f.name)
            src = archive.file_path(f.path)
            if not src.is_file():
                raise BundleDamaged(f"档案中缺少文件“{f.path}”，未导出数据包。请先运行 jiaarchive verify 核对档案。")
            sha, size = _place(src, bag / f.path)
            if sha != f.sha256:
                raise BundleDamaged(f"档案中的文件“{f.path}”与登记的校验值不符（可能在程序之外被改动），未导出数据包。"
                                    "请先运行 jiaarchive verify 核对档案。")
            total += size
            track.advance()
        ids = [r.id for r in records]
        track.start("元数据")
        _jsonl(bag / METADATA, _metadata_lines(archive, ids))
        _jsonl(bag / TEXTS, _texts(archive, ids))
        track.advance()
        track.start("迎检报告")
        report = assess(archive)
        (bag / COVERAGE).write_text(json.dumps(report.to_json(), ensure_ascii=False, indent=1, default=str), encoding="utf-8")
        (bag / REPORT_HTML).parent.mkdir(parents=True, exist_ok=True)
        write_html(report, bag / REPORT_HTML)
        catalogue.to_xlsx(archive, catalogue.sections_for(archive, records), bag / REPORT_LIST)
        track.advance()
        now = archive.now()
        who = audit.current_user()
        settings = archive.settings
        from ..db.session import HEAD_REVISION

        facts = {
            "format": FORMAT, "unit": settings.unit, "unit_type": settings.unit_type, "level": settings.level,
            "application_year": report.application_year, "selection": described or f"{len(records)} 件记录",
            "records": len(records), "files": len(files), "bytes": total, "exported_by": who,
            "exported_at": now.isoformat(timespec="seconds"), "schema": HEAD_REVISION,
        }
        (bag / BUNDLE_JSON).write_text(json.dumps(facts, ensure_ascii=False, indent=1), encoding="utf-8")
        track.start("校验值")
        bagit.make_bag(str(bag), {
            INFO_UNIT: settings.unit, INFO_UNIT_TYPE: settings.unit_type, INFO_LEVEL: settings.level,
            INFO_YEAR: str(report.application_year), INFO_RECORDS: str(len(records)), INFO_BY: who,
            INFO_AT: facts["exported_at"], INFO_SELECTION: facts["selection"],
        }, checksums=["sha256"])
        track.advance()
        with zipfile.ZipFile(tmp_zip, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6, allowZip64=True) as zf:
            for dirpath, dirnames, filenames in os.walk(bag):
                dirnames.sort()
                for name in sorted(filenames):
                    full = Path(dirpath) / name
                    rel = full.relative_to(bag).as_posix()
                    kind = zipfile.ZIP_STORED if full.suffix.lower() in _STORED else zipfile.ZIP_DEFLATED
                    zf.write(full, rel, compress_type=kind)
        os.replace(tmp_zip, path)
    except OSError as exc:
        raise _cannot_write(path, exc) from exc
    finally:
        _drop(tmp_zip)
        shutil.rmtree(bag, ignore_errors=True)
    track.finish()
    return BundleSummary(path, len(records), len(files), total)
