"""The TUI's inbox queue (待归档队列), kept in the archive so that it can be left and resumed.

One queue per archive, in ``.jiaarchive/inbox/queue.json``: where the pile is, every file's
proposals (so resuming needs no second analysis) and what the clerk decided so far (the
code, title and date she chose, and the state: pending, filed, skipped, not to be filed,
failed with its reason).  Every change is written whole and atomically (temporary file,
fsync, rename), so a crash leaves the last saved queue.

Nothing inside an archive is trusted: ``load`` checks the file's size, its JSON, its schema
and every value; entries that do not pass are dropped with a Chinese note, a file that cannot
be read at all raises ``QueueDamaged`` (the TUI offers to start a new queue, keeping the
damaged file aside), and a location is only ever opened inside the pile
(``walk.open_location``).
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import JiaError
from .apply import FILE, Decision
from .classify import CodeProposal
from .propose import FLAGS, FileProposal, Pile

if TYPE_CHECKING:
    from ..archive import Archive

SCHEMA = "jiaarchive-inbox-queue-1"
MAX_BYTES = 64 * 1024 * 1024
MAX_TEXT = 2000

PENDING, FILED, SKIPPED, NOT_FILED_STATE, FAILED = "pending", "filed", "skipped", "not_filed", "failed"
STATES = {PENDING: "待处理", FILED: "已归档", SKIPPED: "已跳过", NOT_FILED_STATE: "不归档", FAILED: "未能归档"}


class QueueDamaged(JiaError):
    """The saved queue cannot be read."""


@dataclass(frozen=True)
class Entry:
    """One file of the queue: the inbox's proposal and the clerk's decision so far."""

    proposal: FileProposal
    state: str = PENDING
    code: str = ""  # as chosen (starts as the first proposal)
    title: str = ""
    date: date | None = None
    items: tuple[int, ...] = ()
    message: str = ""  # the outcome: 档号 and title, or why it failed
    archive_no: str = ""

    @property
    def rel(self) -> str:
        return self.proposal.rel

    @property
    def open(self) -> bool:
        """Still to be decided (pending, skipped for now, or failed and worth another try)."""
        return self.state in (PENDING, SKIPPED, FAILED)

    def decision(self) -> Decision:
        """What filing this entry means, for ``apply.file_one``."""
        p = self.proposal
        return Decision(p.location, FILE, self.code, self.title or None, self.date, self.items,
                        p.confidence, p.code)


@dataclass
class Queue:
    source: Path
    entries: list[Entry] = field(default_factory=list)
    created: str = ""
    notes: list[str] = field(default_factory=list)  # about loading (entries dropped) or the pile

    @classmethod
    def from_pile(cls, pile: Pile) -> "Queue":
        entries = []
        for f in pile.files:
            state = PENDING if f.fileable and "not_a_document" not in f.flags else NOT_FILED_STATE
            entries.append(Entry(f, state, f.code, f.title, f.date))
        notes = list(pile.notes) + ([pile.skipped_text] if pile.skipped_text else [])
        return cls(pile.source.resolve(), entries, datetime.now().strftime("%Y-%m-%d %H:%M"), notes)

    def counts(self) -> dict[str, int]:
        out = {s: 0 for s in STATES}
        for e in self.entries:
            out[e.state] += 1
        return out

    def replace(self, index: int, **changes: Any) -> Entry:
        self.entries[index] = replace(self.entries[index], **changes)
        return self.entries[index]


def path_for(archive: "Archive") -> Path:
    return archive.data_dir / "inbox" / "queue.json"


# ---------------------------------------------------------------- saving


def _proposal_json(p: FileProposal) -> dict[str, Any]:
    d = p.to_json()
    d["name"], d["is_photo"] = p.name, p.is_photo
    return d


def save(archive: "Archive", queue: Queue) -> None:
    """Write the queue atomically into the archive."""
    archive.require_writable()
    data = {
        "schema": SCHEMA, "source": str(queue.source), "created": queue.created, "notes": queue.notes[:50],
        "entries": [
            {"proposal": _proposal_json(e.proposal), "state": e.state, "code": e.code, "title": e.title,
             "date": e.date.isoformat() if e.date else None, "items": list(e.items), "message": e.message,
             "archive_no": e.archive_no}
            for e in queue.entries
        ],
    }
    path = path_for(archive)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "w", encoding="utf-8") as fh:
        json.dump(data, fh, ensure_ascii=False)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


def clear(archive: "Archive") -> None:
    """Forget the queue (the pile itself is untouched)."""
    archive.require_writable()
    try:
        path_for(archive).unlink()
    except FileNotFoundError:
        pass


def set_aside(archive: "Archive") -> Path | None:
    """Move a damaged queue file out of the way (kept for the maintainers); its new path."""
    path = path_for(archive)
    if not path.exists():
        return None
    dst = path.with_name(f"queue.damaged-{datetime.now():%Y%m%d-%H%M%S}.json")
    os.replace(path, dst)
    return dst


# ---------------------------------------------------------------- loading (nothing trusted)


def load(archive: "Archive") -> Queue | None:
    """The saved queue, or None when there is none; QueueDamaged when it cannot be read."""
    path = path_for(archive)
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        return None
    shown = f"收件箱队列文件“{path.relative_to(archive.root)}”"
    if size > MAX_BYTES:
        raise QueueDamaged(f"{shown}过大（{size // 1024 // 1024} MB），不是本程序保存的队列。")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise QueueDamaged(f"{shown}已损坏，无法读取（{exc}）。") from None
    if not isinstance(data, dict) or data.get("schema") != SCHEMA:
        raise QueueDamaged(f"{shown}的格式不对，不是本程序保存的队列。")
    source = data.get("source")
    if not isinstance(source, str) or not source or len(source) > 4096 or "\0" in source:
        raise QueueDamaged(f"{shown}中没有有效的来源路径。")
    codes = {e.code for e in archive.entries()}
    queue = Queue(Path(source), created=_str(data.get("created"), 40))
    queue.notes = [n for n in (_str(x) for x in _list(data.get("notes"))[:50]) if n]
    dropped = 0
    for raw in _list(data.get("entries")):
        try:
            queue.entries.append(_entry(raw, codes))
        except (TypeError, ValueError, KeyError):
            dropped += 1
    if dropped:
        queue.notes.append(f"队列中有 {dropped} 项记录无法读取，已略去（文件本身未受影响，可重新分析该文件夹）。")
    return queue


def _list(value: Any) -> list:
    return value if isinstance(value, list) else []


def _str(value: Any, limit: int = MAX_TEXT) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise TypeError("not a string")
    return "".join(ch for ch in value[:limit] if ch >= " " or ch == "\n")


def _date(value: Any) -> date | None:
    if value in (None, ""):
        return None
    d = date.fromisoformat(_str(value, 10))
    if not 1900 < d.year < 2200:
        raise ValueError("date")
    return d


def _code(value: Any, codes: set[str]) -> str:
    code = _str(value, 12)
    return code if code in codes else ""


def _entry(raw: Any, codes: set[str]) -> Entry:
    if not isinstance(raw, dict):
        raise TypeError("entry")
    p = raw["proposal"]
    if not isinstance(p, dict):
        raise TypeError("proposal")
    location = tuple(_str(x, 1000) for x in _list(p.get("location")))
    if not location or len(location) > 8 or not all(location):
        raise ValueError("location")
    proposals = []
    for q in _list(p.get("proposals"))[:3]:
        code = _code(q.get("code") if isinstance(q, dict) else None, codes)
        conf = q.get("confidence")
        if code and isinstance(conf, (int, float)) and not isinstance(conf, bool) and 0 <= conf <= 1:
            proposals.append(CodeProposal(code, float(conf), tuple(_str(r, 300) for r in _list(q.get("reasons"))[:6])))
    items = tuple(int(i) for i in _list(raw.get("items"))[:30] if isinstance(i, int) and not isinstance(i, bool) and 0 < i < 1000)
    linked = tuple(int(i) for i in _list(p.get("items"))[:30] if isinstance(i, int) and not isinstance(i, bool) and 0 < i < 1000)
    proposal = FileProposal(
        rel="!".join(location), location=location, name=_str(p.get("name"), 255) or location[-1].rsplit("/", 1)[-1],
        kind=_str(p.get("kind"), 40), size=max(0, int(p.get("size") or 0)), sha256=_str(p.get("sha256"), 64),
        proposals=tuple(proposals), title=_str(p.get("title"), 200), title_source=_str(p.get("title_source"), 20),
        date=_date(p.get("date")), date_source=_str(p.get("date_source"), 40), items=linked,
        flags=tuple(f for f in (_str(x, 30) for x in _list(p.get("flags"))) if f in FLAGS),
        notes=tuple(_str(x, 500) for x in _list(p.get("notes"))[:10]), duplicate_of=_str(p.get("duplicate_of"), 300),
        is_photo=p.get("is_photo") is True,
    )
    state = raw.get("state")
    if state not in STATES:
        raise ValueError("state")
    return Entry(proposal, state, _code(raw.get("code"), codes), _str(raw.get("title"), 200), _date(raw.get("date")),
                 items, _str(raw.get("message"), 500), _str(raw.get("archive_no"), 100))
