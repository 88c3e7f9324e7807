"""The archive's metadata in plain files, so that the database can be lost without losing the archive.

What a record is — its fields, its files with their SHA-256 checksums, every 档号 it ever had
(and so the 件号 counters), its links to scoresheet items, its photo labels — together with the
unit profile, the entered scores and the whole audit history, is kept beside the database in
an append-only log inside the archive folder, as archival packages do (BagIt's manifests,
OCFL's inventories).  ``jiaarchive repair`` rebuilds the database from it; issue 14's bundles
carry it and ``import`` will load it.

Layout::

    .jiaarchive/metadata/log.jsonl     UTF-8, one JSON object per line, only ever appended

Each line::

    {"format": "jiaarchive-metadata/1",
     "at": "2026-12-02T10:00:00",        when the line was written (the archive's clock)
     "audit_to": 57,                     the highest audit entry id the log covers from here on
     "baseline": true,                   only on the lines of a first full export
     "audit":   [{…audit_log row…}],     the audit entries committed since the line before
     "records": [{…record…}],            the whole current state of each record they touched
     "profile": [{…unit_profile row…}],  when present: the whole unit profile as it now is
     "scores":  [{…item_scores row…}]}   when present: every entered score as it now is

A record is its ``records`` row with ``files`` (``files`` rows: path, home_path, sha256, size,
original name and path, link_target …), ``numbers`` (``archive_numbers`` rows: every 档号 issued
to it, with its 件号), ``tags`` (strings), ``items`` ([scoresheet id, item number] pairs) and
``photos`` (``photo_labels`` rows).  Keys are the database's column names (``db/models.py``),
dates and times ISO 8601, absent values ``null``.

Reading (``read``): take the lines in order and skip any that does not parse (only damage to
the disk makes one: a line torn by a crash is cut off by the next append, under the lock).  A record's state is its
last snapshot, the profile and the scores their last full copy, the audit history the union of
the entries by id.  The 件号 counters follow from the numbers: a 档号 is never issued twice.

Writing (``sync``): right after every audited commit (``audit.log`` arranges it) and on every
writable open, under the archive write lock: the entries with ids above the last line's
``audit_to`` are appended with the current state of what they touched, then fsynced.  So the log
is in step with the database at every commit, and a crash between a commit and its line is
caught up by the next writable open (the database is the decision while it exists).  On
SQLite, audit ids are issued in commit order (one writer at a time), so "ids above audit_to" is
exactly what the log lacks; a shared PostgreSQL database (issue 14) must append under the same
advisory lock as its commits.  An archive made before this log existed gets a full export
(``baseline`` lines) on its first writable open.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .settings import DATA_DIR

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from .archive import Archive

FORMAT = "jiaarchive-metadata/1"
LOG = f"{DATA_DIR}/metadata/log.jsonl"
BASELINE_CHUNK = 200  # records (or 5x as many audit entries) per baseline line
_TAIL = 64 * 1024


def log_path(root: Path) -> Path:
    return root / LOG


# ---------------------------------------------------------------- rows as JSON and back


def row_dict(obj: Any) -> dict[str, Any]:
    """An ORM row as JSON values, keyed by column name."""
    out = {}
    for col in obj.__table__.columns:
        value = getattr(obj, col.key)
        out[col.key] = value.isoformat() if isinstance(value, (date, datetime)) else value
    return out


def row_values(table: Any, data: dict[str, Any]) -> dict[str, Any]:
    """JSON values back into the column types of ``table`` (unknown keys are ignored)."""
    out = {}
    for col in table.columns:
        if col.key not in data:
            continue
        value = data[col.key]
        kind = col.type.python_type
        if value is None:
            out[col.key] = None
        elif kind is datetime:
            out[col.key] = datetime.fromisoformat(value)
        elif kind is date:
            out[col.key] = date.fromisoformat(value)
        elif kind is bool:
            out[col.key] = bool(value)
        elif kind is int:
            out[col.key] = int(value)
        elif kind is float:
            out[col.key] = float(value)
        else:
            out[col.key] = str(value)
    return out


def record_state(s: "Session", rec: Any) -> dict[str, Any]:
    """A record with everything that hangs off it, as the log keeps it."""
    from sqlalchemy import select

    from .db.models import PhotoLabelRow

    data = row_dict(rec)
    data["files"] = [row_dict(f) for f in rec.files]
    data["numbers"] = [row_dict(n) for n in sorted(rec.numbers, key=lambda n: (n.assigned_at, n.seq))]
    data["tags"] = [t.tag for t in rec.tags]
    data["items"] = [[i.sheet_id, i.item_no] for i in rec.items]
    ids = [f.id for f in rec.files]
    rows = s.scalars(select(PhotoLabelRow).where(PhotoLabelRow.file_id.in_(ids)).order_by(PhotoLabelRow.file_id)) if ids else []
    data["photos"] = [row_dict(p) for p in rows]
    return data


def _records(s: "Session", ids: Iterable[int] | None) -> list[dict[str, Any]]:
    from sqlalchemy import select
    from sqlalchemy.orm import selectinload

    from .db.models import Record

    q = select(Record).options(selectinload(Record.files), selectinload(Record.numbers), selectinload(Record.tags),
                               selectinload(Record.items)).order_by(Record.id)
    if ids is not None:
        q = q.where(Record.id.in_(sorted(set(ids))))
    return [record_state(s, r) for r in s.scalars(q)]


def _table(s: "Session", model: Any) -> list[dict[str, Any]]:
    from sqlalchemy import select

    return [row_dict(r) for r in s.scalars(select(model))]


# ---------------------------------------------------------------- writing


def covered(root: Path) -> int:
    """The ``audit_to`` of the last whole line (0 when there is no log): read from the file's end."""
    path = log_path(root)
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        return 0
    with open(path, "rb") as fh:
        window = _TAIL
        while True:
            start = max(0, size - window)
            fh.seek(start)
            chunk = fh.read(size - start)
            lines = chunk.split(b"\n")
            if start > 0:
                lines = lines[1:]  # the first piece may be the end of a longer line
            for raw in reversed(lines):
                value = _audit_to(raw)
                if value is not None:
                    return value
            if start == 0:
                return 0
            window *= 4


def _audit_to(raw: bytes) -> int | None:
    if not raw.strip():
        return None
    try:
        data = json.loads(raw)
    except ValueError:
        return None
    value = data.get("audit_to") if isinstance(data, dict) else None
    return value if isinstance(value, int) else None


def _append(root: Path, lines: list[dict[str, Any]]) -> None:
    """Append whole lines and fsync (the caller holds the archive write lock)."""
    from . import storage

    path = log_path(root)
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = b"".join(json.dumps(line, ensure_ascii=False, default=str).encode("utf-8") + b"\n" for line in lines)
    with open(path, "ab") as fh:
        _drop_torn_tail(fh)
        storage.fault("metalog.before_write")
        fh.write(payload)
        fh.flush()
        os.fsync(fh.fileno())


def _drop_torn_tail(fh: Any) -> None:
    """Cut an unfinished last line: its writer died before the fsync, so it never counted (the
    database still holds that change, and this append covers it again)."""
    end = fh.seek(0, os.SEEK_END)
    if end == 0:
        return
    with open(fh.name, "rb") as check:
        pos = end
        while pos > 0:
            start = max(0, pos - _TAIL)
            check.seek(start)
            chunk = check.read(pos - start)
            if pos == end and chunk.endswith(b"\n"):
                return
            cut = chunk.rfind(b"\n")
            if cut >= 0:
                fh.truncate(start + cut + 1)
                return
            pos = start
    fh.truncate(0)


def _line(archive: "Archive", audit_to: int, **parts: Any) -> dict[str, Any]:
    return {"format": FORMAT, "at": archive.now().isoformat(), "audit_to": audit_to, **parts}


def sync(archive: "Archive", records: Iterable[int] = ()) -> int:
    """Append what the database committed since the log's last line (and the current state of
    ``records``); a first full export when the log is empty.  Returns the records written.

    Raises DatabaseBehind when the log covers more than the database holds: the database was
    replaced by an older copy, and writing on would issue 档号 and audit ids twice.
    """
    from sqlalchemy import func, select

    from .db.models import AuditEntry, ItemScore, ProfileFact
    from .errors import DatabaseBehind

    extra = set(records)
    with archive.write_lock.held(), archive.session() as s:
        done = covered(archive.root)
        top = s.scalar(select(func.max(AuditEntry.id))) or 0
        if done > top:
            raise DatabaseBehind(
                f"档案数据库比档案中的元数据日志旧（数据库的修改记录到第 {top} 条，日志到第 {done} 条），"
                "可能被换成了旧的副本。为避免档号重复，请运行 jiaarchive repair 按日志重建数据库。"
            )
        if done == 0 and top > 0:
            return _baseline(archive, s, top)
        if done == top and not extra:
            return 0
        entries = list(s.scalars(select(AuditEntry).where(AuditEntry.id > done).order_by(AuditEntry.id)))
        actions = {e.action for e in entries}
        touched = {e.record_id for e in entries if e.record_id is not None} | extra
        parts: dict[str, Any] = {"audit": [row_dict(e) for e in entries], "records": _records(s, touched)}
        if "profile" in actions:
            parts["profile"] = _table(s, ProfileFact)
        if "score" in actions:
            parts["scores"] = _table(s, ItemScore)
        _append(archive.root, [_line(archive, max(done, top), **parts)])
        return len(parts["records"])


def _baseline(archive: "Archive", s: "Session", top: int) -> int:
    """The full export of an archive whose log is empty, in bounded lines; the last one sets audit_to."""
    from sqlalchemy import select

    from .db.models import AuditEntry, ItemScore, ProfileFact, Record

    ids = list(s.scalars(select(Record.id).order_by(Record.id)))
    lines = [_line(archive, 0, baseline=True, records=_records(s, ids[i:i + BASELINE_CHUNK]))
             for i in range(0, len(ids), BASELINE_CHUNK)]
    entries = [row_dict(e) for e in s.scalars(select(AuditEntry).where(AuditEntry.id <= top).order_by(AuditEntry.id))]
    step = BASELINE_CHUNK * 5
    for i in range(0, len(entries), step):
        lines.append(_line(archive, 0, baseline=True, audit=entries[i:i + step]))
    lines.append(_line(archive, top, baseline=True, profile=_table(s, ProfileFact), scores=_table(s, ItemScore)))
    _append(archive.root, lines)
    return len(ids)


def sync_quietly(archive: "Archive", records: Iterable[int] = ()) -> None:
    """``sync`` after a commit that has already happened: a failure is said, and the next writable
    open or change catches the log up (nothing is lost while the database exists)."""
    try:
        sync(archive, records)
    except Exception as exc:  # noqa: BLE001 - the change itself has succeeded
        from .errors import explain

        reason = explain(exc, archive.root) or exc
        archive.notices.append(f"元数据日志暂未写入（{reason}），下次打开档案时补写。")


# ---------------------------------------------------------------- reading


@dataclass
class LogState:
    """What the log says, replayed: the input of ``repair`` (and of issue 14's import)."""

    records: dict[int, dict[str, Any]] = field(default_factory=dict)
    audit: dict[int, dict[str, Any]] = field(default_factory=dict)
    profile: list[dict[str, Any]] = field(default_factory=list)
    scores: list[dict[str, Any]] = field(default_factory=list)
    audit_to: int = 0
    lines: int = 0
    bad_lines: int = 0

    @property
    def usable(self) -> bool:
        """A log that describes the whole archive (it has a complete first export)."""
        return self.audit_to > 0


def lines(root: Path) -> Iterator[dict[str, Any] | None]:
    """The log's lines, in order; None for a line that does not parse (but not for an unfinished
    last line, which a crash left and which never counted)."""
    return lines_of(log_path(root))


def lines_of(path: Path) -> Iterator[dict[str, Any] | None]:
    """The lines of a log in this format at ``path`` (an archive's, or a bundle's copy)."""
    try:
        fh = open(path, "rb")
    except FileNotFoundError:
        return
    with fh:
        for raw in fh:
            if not raw.strip():
                continue
            try:
                data = json.loads(raw)
            except ValueError:
                if raw.endswith(b"\n"):
                    yield None
                continue
            yield data if isinstance(data, dict) and data.get("format") == FORMAT else None


def snapshot(s: "Session") -> LogState:
    """A database read into the log's shape (``repair`` reads an automatic backup this way)."""
    from sqlalchemy import select

    from .db.models import AuditEntry, ItemScore, ProfileFact

    state = LogState(records={r["id"]: r for r in _records(s, None)},
                     audit={e.id: row_dict(e) for e in s.scalars(select(AuditEntry))},
                     profile=_table(s, ProfileFact), scores=_table(s, ItemScore))
    state.audit_to = max(state.audit, default=0)
    return state


def read(root: Path) -> LogState:
    """The log replayed (see the module docstring)."""
    return read_lines(lines(root))


def read_lines(source: Iterable[dict[str, Any] | None]) -> LogState:
    """Lines of this format replayed (an archive's log, or the metadata a bundle carries)."""
    state = LogState()
    for line in source:
        if line is None:
            state.bad_lines += 1
            continue
        state.lines += 1
        for rec in line.get("records") or ():
            if isinstance(rec, dict) and isinstance(rec.get("id"), int):
                state.records[rec["id"]] = rec
        for entry in line.get("audit") or ():
            if isinstance(entry, dict) and isinstance(entry.get("id"), int):
                state.audit[entry["id"]] = entry
        if isinstance(line.get("profile"), list):
            state.profile = line["profile"]
        if isinstance(line.get("scores"), list):
            state.scores = line["scores"]
        if isinstance(line.get("audit_to"), int):
            state.audit_to = max(state.audit_to, line["audit_to"])
    return state


# ---------------------------------------------------------------- in step?

# Photo check results (size, hash, warnings …) are derived and re-made by `photos check`, and an
# unlabelled photo's capture time follows them: compared only once a clerk has labelled it.
DERIVED_PHOTO = ("width", "height", "format", "dhash", "errors", "warnings", "checked_at")


def _comparable(rec: dict[str, Any]) -> dict[str, Any]:
    out = dict(rec)
    photos = []
    for p in rec.get("photos", []):
        p = {k: v for k, v in p.items() if k not in DERIVED_PHOTO}
        if not p.get("labelled_at"):
            p.pop("taken_at", None)
            p.pop("taken_at_source", None)
        photos.append(p)
    out["photos"] = photos
    return out


def differences(archive: "Archive") -> list[tuple[str, str]]:
    """(档号, what) for every record whose state in the log is not the database's, for ``verify``."""
    from sqlalchemy import func, select

    from .db.models import AuditEntry

    state = read(archive.root)
    out: list[tuple[str, str]] = []
    with archive.session() as s:
        top = s.scalar(select(func.max(AuditEntry.id))) or 0
        current = {r["id"]: r for r in _records(s, None)}
    if not state.usable:
        return []  # an archive from before the log: its first writable open writes it
    if state.audit_to != top:
        out.append(("", f"元数据日志记到第 {state.audit_to} 条修改，数据库有 {top} 条"))
    for rid, rec in sorted(current.items()):
        logged = state.records.get(rid)
        if logged is None:
            out.append((rec["archive_no"], "元数据日志中没有这件记录"))
        elif _comparable(logged) != _comparable(rec):
            keys = sorted(k for k in set(rec) | set(logged) if _comparable(rec).get(k) != _comparable(logged).get(k))
            out.append((rec["archive_no"], f"元数据日志与数据库不一致（{'、'.join(keys)}）"))
    if state.bad_lines:
        out.append(("", f"元数据日志有 {state.bad_lines} 行无法读取"))
    return out
