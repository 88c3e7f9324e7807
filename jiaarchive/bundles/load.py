"""Loading a verified bundle into an archive (``jiaarchive import BUNDLE``).

A record keeps its 档号, every former 档号 and its history; it gets a new id in this archive.
What is already here is never overwritten:

* a record whose 档号 is here with the same content (fields and files' checksums) is the same
  record: skipped, so importing a bundle twice changes nothing;
* a record whose 档号, former 档号, 件号 or file path is here for something else is a conflict:
  reported with the reason and left out;
* the unit profile and the scores are taken where this archive has none, and a differing value
  is reported, never replaced.

Everything is one change of the archive (``Archive.change``): the files are copied to temporary
names first, then one transaction writes the rows and the audit entries, and the files are moved
into place after the commit (recoverable like any filing).  The metadata log is appended by the
commit hook, and the new records are marked for the search index.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select

from .. import audit, metalog, storage
from ..archive import Archive
from ..db.models import (ArchiveNumber, AuditEntry, File, ItemScore, PhotoLabelRow, ProfileFact, Record,
                         RecordItem, RecordTag)
from ..errors import UnsafePath
from ..progress import Reporter, Tracker
from .check import OpenedBundle, open_bundle

_COMPARED = ("code", "year", "seq", "title", "doc_no", "responsible", "doc_date", "retention", "secrecy", "remarks", "status")


@dataclass
class ImportReport:
    bundle: str
    unit: str
    added: list[str] = field(default_factory=list)  # 档号
    same: list[str] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)  # Chinese sentences
    files: int = 0
    history: int = 0
    profile: int = 0
    scores: int = 0
    notes: list[str] = field(default_factory=list)
    record_ids: dict[str, int] = field(default_factory=dict)  # 档号 → id here, added and same

    def to_json(self) -> dict[str, Any]:
        return {"bundle": self.bundle, "unit": self.unit, "added": self.added, "same": self.same,
                "conflicts": self.conflicts, "files": self.files, "history": self.history,
                "profile": self.profile, "scores": self.scores, "notes": self.notes}

    def lines(self) -> list[str]:
        out = [f"已导入数据包“{self.bundle}”（{self.unit}）：新增 {len(self.added)} 件记录、{self.files} 个文件、"
               f"{self.history} 条修改历史；已有且相同 {len(self.same)} 件；冲突 {len(self.conflicts)} 件（未导入）。"]
        out += [f"冲突：{c}" for c in self.conflicts]
        out += self.notes
        return out


def _same(cur: Record, rec: dict[str, Any]) -> bool:
    mine = metalog.row_values(Record.__table__, rec)
    if any(getattr(cur, k) != mine.get(k) for k in _COMPARED):
        return False
    return [f.sha256 for f in cur.files] == [f.get("sha256") for f in rec.get("files") or ()]


def _check_paths(archive: Archive, rec: dict[str, Any]) -> None:
    for f in rec.get("files") or ():
        for key in ("path", "home_path"):
            if f.get(key):
                archive.file_path(f[key])


def import_bundle(archive: Archive, bundle: Path | OpenedBundle, *, progress: Reporter | None = None) -> ImportReport:
    """Verify ``bundle`` (a path, or one opened already) and load its records into ``archive``."""
    archive.require_writable()
    opened = bundle if isinstance(bundle, OpenedBundle) else open_bundle(Path(bundle))
    try:
        return _import(archive, opened, progress)
    finally:
        if not isinstance(bundle, OpenedBundle):
            opened.close()


def _import(archive: Archive, b: OpenedBundle, progress: Reporter | None) -> ImportReport:
    report = ImportReport(b.source.name, b.unit)
    if b.unit != archive.settings.unit:
        report.notes.append(f"提示：数据包来自“{b.unit}”，本档案是“{archive.settings.unit}”。")
    records = [b.state.records[k] for k in sorted(b.state.records)]
    with archive.session() as s:
        present = set(s.scalars(select(Record.archive_no)))
    todo = []
    for rec in records:
        no = str(rec.get("archive_no", ""))
        try:
            archive.entry(str(rec.get("code", "")))
            _check_paths(archive, rec)
        except UnsafePath as exc:
            report.conflicts.append(f"{no[:80]}：{exc}")
            continue
        except Exception as exc:  # noqa: BLE001 - UnknownCode / CodeNotApplicable: said, the rest goes on
            report.conflicts.append(f"{no[:80]}：{exc}")
            continue
        todo.append(rec)
    copy = [r for r in todo if r.get("archive_no") not in present]
    n_files = sum(len(r.get("files") or ()) for r in copy)
    storage.ensure_space(archive.root, sum(int(f.get("size") or 0) for r in copy for f in r.get("files") or ()))
    track = Tracker("正在导入", n_files, progress)
    history = {}
    for entry in b.state.audit.values():
        history.setdefault(entry.get("record_id"), []).append(entry)
    with archive.change() as change:
        temps: dict[str, Path] = {}
        for rec in copy:
            for f in rec.get("files") or ():
                track.start(Path(f["path"]).name)
                tmp = change.temp()
                sha, _size = storage.copy_to_temp(b.data / f["path"], tmp)
                if sha != f.get("sha256"):  # verified a moment ago: only a disk fault gets here
                    raise UnsafePath(f"数据包中的文件“{f['path']}”读出的校验值不符，未导入。")
                temps[f["path"]] = tmp
                track.advance()
        now = archive.now()
        with archive.transaction(change, "import") as s:
            moves: list[storage.Move] = []
            added_ids: list[int] = []
            here = _Here(s)  # read once inside the transaction: what the checks compare against
            for rec in todo:
                _one(archive, s, b, rec, temps, change, moves, added_ids, history.get(rec.get("id"), []), report, now, here)
            _unit_facts(s, b, report, now, archive.standards)
            if not s.info.get("hooked"):
                audit.log(s, "import", at=now, detail=f"导入数据包“{b.source.name}”（{b.unit}）：没有新记录")
            change.plan(moves)
    from .. import indexing

    if report.added:
        indexing.mark_behind(archive, [report.record_ids[n] for n in report.added])
    track.finish()
    return report


def _values(table: Any, data: dict[str, Any]) -> dict[str, Any]:
    """``metalog.row_values`` and, since nothing in a bundle is trusted, a ValueError for a value no
    database column holds: an integer beyond the column's range (SQLite's and PostgreSQL's), a
    number that is not finite, a text longer than the column (PostgreSQL enforces it)."""
    import math

    from sqlalchemy import BigInteger

    values = metalog.row_values(table, data)
    for col in table.columns:
        v = values.get(col.key)
        if isinstance(v, bool) or v is None:
            continue
        if isinstance(v, int):
            # a file's size may pass 2 GiB (SQLite keeps 64 bits); other counts and numbers never do
            bound = 2 ** 63 if isinstance(col.type, BigInteger) or col.key == "size" else 2 ** 31
            if not -bound <= v < bound:
                raise ValueError(f"“{col.key}”的数值 {str(v)[:20]} 超出范围")
        elif isinstance(v, float) and not math.isfinite(v):
            raise ValueError(f"“{col.key}”不是有效的数值")
        elif isinstance(v, str) and getattr(col.type, "length", None) and len(v) > col.type.length:
            raise ValueError(f"“{col.key}”过长（{len(v)} 字，最多 {col.type.length} 字）")
    return values


def _parse(rec: dict[str, Any], entries: list[dict[str, Any]]) -> dict[str, Any]:
    """Every row of one record from the bundle's metadata, converted before anything is written
    (ValueError, TypeError or KeyError when the metadata is malformed)."""
    values = _values(Record.__table__, rec)
    values.pop("id", None)
    for key in ("archive_no", "code", "year", "seq", "title", "retention", "filed_at", "updated_at"):
        if values.get(key) is None:
            raise ValueError(f"缺少“{key}”")
    numbers = [_values(ArchiveNumber.__table__, n) for n in rec.get("numbers") or ()]
    if not any(n.get("archive_no") == values["archive_no"] for n in numbers):
        raise ValueError("缺少当前档号的编号记录")
    files = [_values(File.__table__, f) for f in rec.get("files") or ()]
    for f in files:
        if not f.get("path") or not f.get("sha256") or f.get("filed_at") is None:
            raise ValueError("文件信息不完整")
    photos = [_values(PhotoLabelRow.__table__, {k: v for k, v in p.items() if k not in metalog.DERIVED_PHOTO})
              for p in rec.get("photos") or () if isinstance(p, dict)]
    history = []
    for e in sorted((e for e in entries if isinstance(e, dict)), key=lambda e: int(e.get("id") or 0)):
        vals = _values(AuditEntry.__table__, e)
        vals.pop("id", None)
        if vals.get("at") is None or not vals.get("action"):
            continue  # an entry without its time or action says nothing: left out
        history.append(vals)
    tags = list(dict.fromkeys(str(t) for t in rec.get("tags") or ()))
    items = sorted({(str(a), int(c)) for a, c in rec.get("items") or ()})
    for tag in tags:
        _values(RecordTag.__table__, {"tag": tag})
    for sheet, item in items:
        _values(RecordItem.__table__, {"sheet_id": sheet, "item_no": item})
    return dict(values=values, numbers=numbers, files=files, photos=photos, history=history, tags=tags, items=items)


class _Here:
    """The archive's 档号, 件号 and file paths, read once in the import's transaction and kept up to date."""

    def __init__(self, s: Any) -> None:
        self.numbers = set(s.scalars(select(ArchiveNumber.archive_no)))
        self.seqs = {(c, y, q): no for c, y, q, no in s.execute(select(Record.code, Record.year, Record.seq, Record.archive_no))}
        self.paths = set(s.scalars(select(File.path))) | set(p for p in s.scalars(select(File.home_path)) if p)


def _one(archive: Archive, s: Any, b: OpenedBundle, rec: dict[str, Any], temps: dict[str, Path], change: storage.Change,
         moves: list, added_ids: list[int], entries: list[dict[str, Any]], report: ImportReport, now: Any,
         here: _Here) -> None:
    no = str(rec.get("archive_no", ""))[:80]
    try:
        parsed = _parse(rec, entries)
    except (ValueError, TypeError, KeyError, AttributeError) as exc:
        report.conflicts.append(f"{no}：数据包中这件记录的元数据无效（{exc}），未导入。")
        return
    values, numbers, files = parsed["values"], parsed["numbers"], parsed["files"]
    cur = s.scalar(select(Record).where(Record.archive_no == no)) if no in here.numbers else None
    if cur is not None:
        if _same(cur, rec):
            report.same.append(no)
            report.record_ids[no] = cur.id
        else:
            report.conflicts.append(f"{no}：本档案已有这个档号的另一件记录（题名“{cur.title[:60]}”），未覆盖。")
        return
    taken = {n["archive_no"] for n in numbers} & here.numbers
    if taken:
        report.conflicts.append(f"{no}：档号 {'、'.join(sorted(taken))} 在本档案已发给另一件记录，未导入。")
        return
    clash = here.seqs.get((values["code"], values["year"], values["seq"]))
    if clash:
        report.conflicts.append(f"{no}：件号与本档案的 {clash} 相同，未导入。")
        return
    for f in files:
        if f["path"] not in temps:
            report.conflicts.append(f"{no}：这件记录是在导入过程中由他人新增的，请重新导入。")
            return
        if f["path"] in here.paths or (f.get("home_path") or f["path"]) in here.paths or (archive.root / f["path"]).exists():
            report.conflicts.append(f"{no}：文件“{f['path']}”在本档案已存在，未覆盖。")
            return
    record = Record(**values)
    s.add(record)
    s.flush()
    here.numbers.update(n["archive_no"] for n in numbers)
    here.seqs[(values["code"], values["year"], values["seq"])] = no
    here.paths.update(p for f in files for p in (f["path"], f.get("home_path")) if p)
    ids: dict[int, File] = {}
    for f in files:
        old = f.pop("id", None)
        f.pop("record_id", None)
        row = File(record_id=record.id, **f)
        s.add(row)
        if old is not None:
            ids[old] = row
        moves.append(storage.Move(src=change.rel(temps[f["path"]]), dst=f["path"], sha256=f["sha256"]))
    for n in numbers:
        n["record_id"] = record.id
        s.add(ArchiveNumber(**n))
    for t in parsed["tags"]:
        s.add(RecordTag(record_id=record.id, tag=t))
    for sheet, item in parsed["items"]:
        s.add(RecordItem(record_id=record.id, sheet_id=sheet, item_no=item))
    if parsed["photos"]:
        s.flush()  # the new file ids
    for vals in parsed["photos"]:
        row = ids.get(vals.get("file_id"))
        if row is not None:
            vals["file_id"] = row.id
            s.add(PhotoLabelRow(**vals))
    for vals in parsed["history"]:
        vals.update(record_id=record.id, change="", batch="", undoes=None)
        s.add(AuditEntry(**vals))
        report.history += 1
    audit.log(s, "import", at=now, archive_no=no, record_id=record.id,
              detail=f"由数据包“{b.source.name}”导入（{b.unit}，{b.info.get('exported_by', '')} 于 "
                     f"{b.info.get('exported_at', '')} 导出），档号与历史保持不变")
    report.added.append(no)
    report.record_ids[no] = record.id
    report.files += len(files)
    added_ids.append(record.id)


def _fact_ok(key: str, stored: Any) -> bool:
    """A profile fact as the archive itself would have stored it: a field it knows, whose value is
    what the clerk's form gives back for the same text (the reports read these values unchecked)."""
    import json

    from ..coverage import profile

    f = profile.BY_KEY.get(key)
    if f is None or not isinstance(stored, str):
        return False
    try:
        value = json.loads(stored)
        return value is not None and profile.parse_value(f, profile.show_value(f, value)) == value
    except Exception:  # noqa: BLE001 - any value the form would not give is refused
        return False


def _score_wrong(sheets: dict[str, Any], sheet_id: str, item_no: int, role: str, score: float) -> str:
    """Why a score from a bundle is not one ``coverage.scores`` would have stored ("" when it is)."""
    from ..coverage.scores import NOT_APPLICABLE, ROLE_LABELS

    sheet = sheets.get(sheet_id)
    if sheet is None:
        return f"没有评分表“{sheet_id[:40]}”"
    item = next((it for it in sheet.items if it.no == item_no), None)
    if item is None:
        return f"{sheet_id} 没有第{item_no}项"
    if role == NOT_APPLICABLE:
        return ""
    if role not in ROLE_LABELS:
        return f"评分类别“{role[:20]}”无效"
    if not 0 <= score <= item.points or round(score * 2) != score * 2:
        return f"第{item_no}项{ROLE_LABELS[role]} {score:g} 不在 0 到单项分 {item.points} 之间或不是整数、半分"
    return ""


def _unit_facts(s: Any, b: OpenedBundle, report: ImportReport, now: Any, standards: Any) -> None:
    """The profile and the scores: taken where this archive has none, differences reported."""
    have = {p.key: p for p in s.scalars(select(ProfileFact))}
    new = []
    for row in b.state.profile:
        try:
            vals = _values(ProfileFact.__table__, row)
        except (ValueError, TypeError, AttributeError):
            report.conflicts.append("数据包中有一项单位简况无法读取，未导入。")
            continue
        key = vals.get("key")
        if vals.get("updated_at") is None:
            continue
        if not key:
            continue
        if not _fact_ok(key, vals.get("value")):
            report.conflicts.append(f"数据包中的单位简况“{str(key)[:40]}”的值无效（{str(vals.get('value'))[:40]}），未导入。")
            continue
        if key not in have:
            new.append(vals)
        elif have[key].value != vals.get("value"):
            report.conflicts.append(f"单位简况“{key}”：本档案为 {have[key].value[:40]}，数据包为 {str(vals.get('value'))[:40]}，保留本档案的值。")
    if new:
        for vals in new:
            s.add(ProfileFact(**vals))
        audit.log(s, "profile", at=now, after={v["key"]: v.get("value") for v in new},
                  detail=f"由数据包“{b.source.name}”导入单位简况 {len(new)} 项")
        report.profile = len(new)
    scores = {(x.sheet_id, x.item_no, x.role): x for x in s.scalars(select(ItemScore))}
    sheets = {sh.id: sh for sh in standards.scoresheets}
    added = 0
    for row in b.state.scores:
        try:
            vals = _values(ItemScore.__table__, row)
        except (ValueError, TypeError, AttributeError):
            report.conflicts.append("数据包中有一项评分无法读取，未导入。")
            continue
        key = (vals.get("sheet_id"), vals.get("item_no"), vals.get("role"))
        if None in key or vals.get("score") is None or vals.get("at") is None:
            continue
        why = _score_wrong(sheets, *key, vals["score"])
        if why:
            report.conflicts.append(f"数据包中的一项评分无效（{why}），未导入。")
            continue
        if key not in scores:
            s.add(ItemScore(**vals))
            added += 1
        elif scores[key].score != vals.get("score"):
            report.conflicts.append(f"第{key[1]}项的{'自查分' if key[2] == 'self' else '评定分'}：本档案为 {scores[key].score:g}，"
                                    f"数据包为 {vals.get('score')}，保留本档案的值。")
    if added:
        audit.log(s, "score", at=now, detail=f"由数据包“{b.source.name}”导入评分 {added} 项")
        report.scores = added
