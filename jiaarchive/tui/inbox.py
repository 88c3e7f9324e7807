"""收件箱: a clerk's pile of files as a queue — accept, change, skip or set aside, one key each.

The screen opens the queue saved in the archive (``inbox.queue``) or asks for a folder or a
zip, and computes the proposals in a thread worker with progress (n / N, the current file,
the time left) while the screen stays usable.  Each file's row shows its state, the code and
confidence, its title, date and flags; the pane below shows all proposals with their reasons.

Keys: Enter/y accept (file it now), c change the code (completion on codes and entry names),
1–3 take the first, second or third proposal, t title, d date, s skip for now, x not to be
filed, u undo a skip or a set-aside, a file every proposal of confidence 0.9 or more, n a new
pile, Esc back.  Every change is saved in the archive at once, so the clerk can leave and
come back; accepted files are filed one after another by one worker (``inbox.apply.file_one``, which
runs the one intake run, ``filing.intake``).
"""

from __future__ import annotations

import re
import threading
import time
from collections import deque
from pathlib import Path
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import ModalScreen, Screen
from textual.suggester import Suggester
from textual.widgets import Button, DataTable, Footer, Header, Input, Label, Static
from textual.worker import get_current_worker

from ..errors import BadValue, JiaError
from ..inbox import queue as queue_mod
from ..inbox.apply import Outcome
from ..inbox.progress import Step, bar
from ..inbox.queue import Entry, Queue
from .dialogs import ConfirmModal, ReportsWorkerErrors
from .keys import SCREEN_BINDINGS, TABLE_BINDINGS, JiaButton, JiaInput, JiaScroll
from .widgets import PathSuggester, as_path

if TYPE_CHECKING:
    from .app import JiaApp

ACCEPT_ALL_ABOVE = 0.9
FILING = "filing"  # shown while a file waits for or goes through filing (not saved)
_STATE_MARKS = {queue_mod.PENDING: "·", queue_mod.FILED: "✓", queue_mod.SKIPPED: "→", queue_mod.NOT_FILED_STATE: "✗",
                queue_mod.FAILED: "!", FILING: "…"}


class InboxTable(DataTable):
    BINDINGS = TABLE_BINDINGS


class InboxScreen(ReportsWorkerErrors, Screen[bool]):
    """The inbox queue; dismisses with True when something was filed."""

    DEFAULT_CSS = """
    #inbox-source { height: 1; padding: 0 1; text-style: bold; }
    #inbox-table { height: 1fr; }
    #inbox-detail-box { height: 10; border-top: hkey $foreground 20%; padding: 0 1; }
    #inbox-status { height: 1; padding: 0 1; background: $boost; color: $text-muted; }
    """

    BINDINGS = SCREEN_BINDINGS + [
        Binding("enter,y", "accept", "归档", id="inbox_accept"),
        Binding("c", "change_code", "改目录", id="inbox_code"),
        Binding("t", "edit_title", "改题名", id="inbox_title"),
        Binding("d", "edit_date", "改日期", id="inbox_date"),
        Binding("s", "skip", "跳过", id="inbox_skip"),
        Binding("x", "not_filed", "不归档", id="inbox_not_filed"),
        Binding("u", "undo", "撤销", show=False, id="inbox_undo"),
        Binding("1", "take(0)", "第一建议", show=False, id="inbox_take1"),
        Binding("2", "take(1)", "第二建议", show=False, id="inbox_take2"),
        Binding("3", "take(2)", "第三建议", show=False, id="inbox_take3"),
        Binding("a", "accept_confident", "归档把握大的", id="inbox_accept_all"),
        Binding("n", "new_pile", "另一批", id="inbox_new"),
        Binding("escape,q", "back", "返回", id="inbox_back"),
    ]
    PALETTE = (
        ("收件箱: 归档选中的文件", "按建议（或改过的）目录、题名、日期归档（Enter）", "accept"),
        ("收件箱: 改目录", "输入目录编号或名称，有补全（c）", "change_code"),
        ("收件箱: 改题名", "修改选中文件的题名（t）", "edit_title"),
        ("收件箱: 改形成日期", "修改选中文件的形成日期（d）", "edit_date"),
        ("收件箱: 跳过", "暂不处理，留在队列中（s）", "skip"),
        ("收件箱: 不归档", "这个文件不需要归档（x）", "not_filed"),
        ("收件箱: 撤销跳过或不归档", "放回待处理（u）", "undo"),
        ("收件箱: 归档把握大的全部文件", f"把握不低于 {ACCEPT_ALL_ABOVE} 的待处理文件全部归档（a）", "accept_confident"),
        ("收件箱: 整理另一批文件", "选择另一个文件夹或压缩包（n）", "new_pile"),
        ("收件箱: 返回浏览", "队列已保存，随时可以回来继续（Esc）", "back"),
    )

    class Loaded(Message):
        def __init__(self, queue: Queue | None, problem: str = "", *, fresh: bool = False) -> None:
            super().__init__()
            self.queue = queue
            self.problem = problem
            self.fresh = fresh  # just analysed, not resumed

    class Progress(Message):
        def __init__(self, step: Step) -> None:
            super().__init__()
            self.step = step

    class Filed(Message):
        def __init__(self, index: int, outcome: Outcome) -> None:
            super().__init__()
            self.index = index
            self.outcome = outcome

    app: "JiaApp"

    def __init__(self, path: str = "") -> None:
        super().__init__(id="inbox")
        self.queue: Queue | None = None
        self.initial_path = path
        self.busy = False  # proposals being computed
        self.filed_any = False
        self._filing: set[int] = set()
        self._todo: deque[int] = deque()
        self._lock = threading.Lock()
        self._filer_running = False
        self._save_lock = threading.Lock()

    # ------------------------------------------------------------------ layout
    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical():
            yield Static("收件箱", id="inbox-source")
            yield InboxTable(id="inbox-table", cursor_type="row", zebra_stripes=True)
            with JiaScroll(id="inbox-detail-box"):
                yield Static("", id="inbox-detail", markup=False)
            yield Static("正在读取……", id="inbox-status", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        table = self.table
        for key, label, width in (("state", "状态", 8), ("path", "文件", 30), ("code", "目录", 6), ("conf", "把握", 5),
                                  ("title", "题名", 30), ("date", "日期", 10), ("flags", "提示", 14)):
            table.add_column(label, key=key, width=width)
        table.focus()
        if self.initial_path:
            self.start(self.initial_path)
        else:
            self.load_queue()

    @property
    def table(self) -> InboxTable:
        return self.query_one(InboxTable)

    def _status(self, text: str) -> None:
        self.query_one("#inbox-status", Static).update(text)

    # ------------------------------------------------------------------ the saved queue
    @work(thread=True, exclusive=True, group="inbox-load", exit_on_error=False)
    def load_queue(self) -> None:
        try:
            q = queue_mod.load(self.app.archive)
        except queue_mod.QueueDamaged as exc:
            self.post_message(self.Loaded(None, str(exc)))
            return
        self.post_message(self.Loaded(q))

    def on_inbox_screen_loaded(self, event: Loaded) -> None:
        if event.problem:
            def answered(yes: bool | None) -> None:
                if yes:
                    kept = queue_mod.set_aside(self.app.archive)
                    self.app.notify(f"原队列文件已另存为 {kept.name if kept else ''}。", title="已新建队列")
                    self.ask_for_pile()
                else:
                    self.dismiss(False)

            self.app.push_screen(ConfirmModal(f"{event.problem}\n另存这个文件，重新选择一批文件吗？", yes="重新开始",
                                              title="收件箱队列无法读取"), answered)
            return
        if event.queue is None or not event.queue.entries:
            self.ask_for_pile()
            return
        self.show_queue(event.queue)
        c = event.queue.counts()
        if event.fresh:
            entries = event.queue.entries
            sure = sum(1 for e in entries if e.proposal.proposals and e.proposal.confidence >= ACCEPT_ALL_ABOVE)
            flagged = sum(1 for e in entries if e.proposal.flags)
            self._status(f"已分析 {len(entries)} 个文件：把握不低于 {ACCEPT_ALL_ABOVE} 的 {sure} 个，有提示的 {flagged} 个。"
                         "Enter 归档，c 改目录，s 跳过，x 不归档。")
        else:
            self._status(f"继续上次的收件箱：待处理 {c[queue_mod.PENDING]} 个，已跳过 {c[queue_mod.SKIPPED]} 个，"
                         f"已归档 {c[queue_mod.FILED]} 个。")
        for note in event.queue.notes:
            self.app.notify(note, title="收件箱", timeout=8)

    def show_queue(self, q: Queue) -> None:
        self.queue = q
        self.query_one("#inbox-source", Static).update(f"收件箱：{q.source}（{len(q.entries)} 个文件）")
        table = self.table
        table.clear()
        table.add_rows(self._row(i, e) for i, e in enumerate(q.entries))
        first = next((i for i, e in enumerate(q.entries) if e.state == queue_mod.PENDING), 0)
        if q.entries:
            table.move_cursor(row=first, animate=False)
        self._show_detail()
        self.refresh_bindings()

    def _row(self, i: int, e: Entry) -> tuple:
        state = FILING if i in self._filing else e.state
        mark = f"{_STATE_MARKS[state]} {queue_mod.STATES.get(state, '归档中')}"
        conf = f"{e.proposal.confidence:.2f}" if e.proposal.proposals and e.code == e.proposal.code else ("改" if e.code else "")
        flags = "、".join(f for f in e.proposal.flags)
        return (mark, e.rel, e.code or "—", conf, e.title or "—", e.date.isoformat() if e.date else "—",
                _flag_text(e) or flags)

    def _refresh_row(self, i: int) -> None:
        assert self.queue is not None
        for key, value in zip(("state", "path", "code", "conf", "title", "date", "flags"), self._row(i, self.queue.entries[i])):
            self.table.update_cell_at((i, self.table.get_column_index(key)), value)
        if i == self.table.cursor_row:
            self._show_detail()

    @work(thread=True, group="inbox-save", exit_on_error=False)
    def save(self, snapshot: Queue) -> None:
        with self._save_lock:
            queue_mod.save(self.app.archive, snapshot)

    def _changed(self, i: int) -> None:
        self._refresh_row(i)
        assert self.queue is not None
        self.save(Queue(self.queue.source, list(self.queue.entries), self.queue.created, list(self.queue.notes)))

    # ------------------------------------------------------------------ a new pile
    def ask_for_pile(self) -> None:
        def chosen(text: str | None) -> None:
            if text:
                self.start(text)
            elif self.queue is None:
                self.dismiss(self.filed_any)

        self.app.push_screen(TextModal("整理一批文件", "文件夹或 .zip 的路径（→ 键补全）", "", suggester=PathSuggester(),
                                       check=_check_pile), chosen)

    def start(self, text: str) -> None:
        self.busy = True
        self.refresh_bindings()
        self._status(f"正在分析“{text}”……")
        self.propose(str(as_path(text)))

    @work(thread=True, exclusive=True, group="inbox-propose", exit_on_error=False)
    def propose(self, source: str) -> None:
        from ..inbox import Staging, propose_pile

        worker = get_current_worker()
        last = [0.0]

        def report(step: Step) -> None:
            now = time.monotonic()
            if now - last[0] >= 0.1 or step.done == step.total:
                last[0] = now
                self.post_message(self.Progress(step))

        try:
            with Staging() as staging:
                pile = propose_pile(self.app.archive, Path(source), staging, report=report,
                                    cancelled=lambda: worker.is_cancelled)
        finally:
            self.busy = False
        if worker.is_cancelled:
            return
        q = Queue.from_pile(pile)
        with self._save_lock:
            queue_mod.save(self.app.archive, q)
        self.post_message(self.Loaded(q, fresh=True))

    def on_inbox_screen_progress(self, event: Progress) -> None:
        self._status(bar(event.step))

    # ------------------------------------------------------------------ what applies
    @property
    def current(self) -> Entry | None:
        q = self.queue
        if q is None or not q.entries or not (0 <= self.table.cursor_row < len(q.entries)):
            return None
        return q.entries[self.table.cursor_row]

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        writable = not self.app.archive.read_only
        if action == "new_pile":
            return writable and not self.busy and not self._filing
        if action == "accept_confident":
            return writable and not self.busy and self.queue is not None
        e = self.current
        free = writable and e is not None and not self.busy and self.table.cursor_row not in self._filing
        if action == "undo":
            return free and e.state in (queue_mod.SKIPPED, queue_mod.NOT_FILED_STATE, queue_mod.FAILED)  # type: ignore[union-attr]
        if action == "take":
            n = parameters[0] if parameters else 0
            return free and e.open and isinstance(n, int) and n < len(e.proposal.proposals)  # type: ignore[union-attr]
        if action in ("accept", "change_code", "edit_title", "edit_date", "skip", "not_filed"):
            return free and e.open  # type: ignore[union-attr]
        return True

    # ------------------------------------------------------------------ showing one file
    @on(DataTable.RowHighlighted)
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show_detail()
        self.refresh_bindings()

    @on(DataTable.RowSelected)
    def _selected(self, event: DataTable.RowSelected) -> None:
        event.stop()  # Enter on the table: the table's own binding comes first
        self.action_accept()

    def _show_detail(self) -> None:
        e = self.current
        box = self.query_one("#inbox-detail", Static)
        if e is None:
            box.update("")
            return
        p = e.proposal
        lines = [f"{e.rel}（{p.kind}）  {queue_mod.STATES.get(e.state, '')}" + (f"：{e.message}" if e.message else "")]
        for i, cp in enumerate(p.proposals, 1):
            entry = self._entry_title(cp.code)
            lines.append(f"{i}. {cp.code} {entry}  把握 {cp.confidence:.2f}")
            lines += [f"     · {r}" for r in cp.reasons[:3]]
        if not p.proposals:
            lines.append("（没有找到线索，请按 c 选择目录）")
        if p.title:
            lines.append(f"建议题名：{p.title}；日期：{p.date.isoformat() if p.date else '无'}（{p.date_source or '未找到'}）")
        if p.items:
            lines.append(f"目录对应评分项：第{'、'.join(map(str, p.items))}项")
        lines += [f"⚠ {n}" for n in p.notes]
        box.update("\n".join(lines))

    def _entry_title(self, code: str) -> str:
        try:
            return self.app.archive.catalogue.entry(code).title
        except JiaError:
            return ""

    # ------------------------------------------------------------------ deciding
    def _move_next(self) -> None:
        q = self.queue
        if q is None:
            return
        start = self.table.cursor_row
        order = list(range(start + 1, len(q.entries))) + list(range(0, start + 1))
        nxt = next((i for i in order if q.entries[i].state == queue_mod.PENDING and i not in self._filing), None)
        if nxt is not None:
            self.table.move_cursor(row=nxt, animate=False)
        self._show_detail()
        self.refresh_bindings()

    def action_skip(self) -> None:
        if self.check_action("skip", ()):
            self._set(self.table.cursor_row, state=queue_mod.SKIPPED)
            self._move_next()

    def action_not_filed(self) -> None:
        if self.check_action("not_filed", ()):
            self._set(self.table.cursor_row, state=queue_mod.NOT_FILED_STATE)
            self._move_next()

    def action_undo(self) -> None:
        if self.check_action("undo", ()):
            self._set(self.table.cursor_row, state=queue_mod.PENDING, message="")

    def action_take(self, n: int) -> None:
        e = self.current
        if e is not None and self.check_action("take", (n,)):
            self._set(self.table.cursor_row, code=e.proposal.proposals[n].code)

    def _set(self, i: int, **changes) -> None:  # noqa: ANN003
        assert self.queue is not None
        self.queue.replace(i, **changes)
        self._changed(i)

    def action_change_code(self) -> None:
        e = self.current
        if e is None or not self.check_action("change_code", ()):
            return
        i = self.table.cursor_row
        entries = self.app.archive.entries()
        choices = [f"{x.code} {x.title}" for x in entries] + [f"{x.title}（{x.code}）" for x in entries]
        hint = "  ".join(f"{n}. {p.code}" for n, p in enumerate(e.proposal.proposals, 1))

        def chosen(text: str | None) -> None:
            if text:
                self._set(i, code=text)

        self.app.push_screen(TextModal("改目录", "目录编号或名称，如 B-1 或“职代会”（→ 键补全）", e.code,
                                       suggester=ChoiceSuggester(choices), check=self._check_code,
                                       hint=f"建议：{hint}" if hint else ""), chosen)

    def _check_code(self, text: str) -> str:
        """The code ``text`` names: ``B-1``, ``b1``, ``B-1 职代会…`` or a unique part of an entry's name."""
        entries = self.app.archive.entries()
        t = text.strip()
        named_code = re.search(r"[（(]\s*([A-Za-z]-\d+(?:-\d+)?)\s*[）)]$", t)  # 职代会制度…（B-1）, as completed
        head = (named_code.group(1) if named_code else (t.split()[0] if t else "")).upper().replace("－", "-")
        for e in entries:
            if head in (e.code, e.code.replace("-", "")):
                return e.code
        named = [e for e in entries if t and t in f"{e.code} {e.title}"]
        if len(named) == 1:
            return named[0].code
        if named:
            raise BadValue(f"“{t}”对应多个目录：{'、'.join(e.code for e in named[:6])}，请输入目录编号。")
        raise BadValue(f"没有目录“{t}”。请输入目录编号（如 B-1）或目录名称中的词。")

    def action_edit_title(self) -> None:
        e = self.current
        if e is None or not self.check_action("edit_title", ()):
            return
        from ..filing import check_title

        i = self.table.cursor_row
        self.app.push_screen(TextModal("改题名", "题名", e.title, check=check_title),
                             lambda text: self._set(i, title=text) if text else None)

    def action_edit_date(self) -> None:
        e = self.current
        if e is None or not self.check_action("edit_date", ()):
            return
        from ..filing import check_date, parse_date

        i = self.table.cursor_row
        self.app.push_screen(TextModal("改形成日期", "如 2021-05-12", e.date.isoformat() if e.date else "",
                                       check=lambda t: check_date(parse_date(t, "形成日期")).isoformat()),
                             lambda text: self._set(i, date=parse_date(text)) if text else None)

    # ------------------------------------------------------------------ filing
    def action_accept(self) -> None:
        e = self.current
        if e is None or not self.check_action("accept", ()):
            return
        if not e.code:
            self.action_change_code()
            return
        self._enqueue([self.table.cursor_row])
        self._move_next()

    def action_accept_confident(self) -> None:
        q = self.queue
        if q is None or not self.check_action("accept_confident", ()):
            return
        picked = [i for i, e in enumerate(q.entries) if e.state == queue_mod.PENDING and i not in self._filing
                  and e.code and e.code == e.proposal.code and e.proposal.confidence >= ACCEPT_ALL_ABOVE]
        if not picked:
            self.app.notify(f"没有把握不低于 {ACCEPT_ALL_ABOVE} 的待处理文件。", title="收件箱")
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self._enqueue(picked)

        self.app.push_screen(ConfirmModal(f"按建议归档 {len(picked)} 个把握不低于 {ACCEPT_ALL_ABOVE} 的文件？",
                                          yes="归档", title="批量归档"), answered)

    def _enqueue(self, indices: list[int]) -> None:
        with self._lock:
            for i in indices:
                self._filing.add(i)
                self._todo.append(i)
            start = not self._filer_running
            self._filer_running = True
        for i in indices:
            self._refresh_row(i)
        if start:
            self.file_queued()

    @work(thread=True, group="inbox-file", exit_on_error=False)
    def file_queued(self) -> None:
        """File the accepted entries one after another (the UI keeps adding to the line)."""
        from ..inbox.apply import file_one
        from ..inbox.walk import Staging

        assert self.queue is not None
        source = self.queue.source
        done = 0
        started = time.monotonic()
        with Staging() as staging:
            while True:
                with self._lock:
                    if not self._todo:
                        self._filer_running = False
                        return
                    i = self._todo.popleft()
                    left = len(self._todo)
                entry = self.queue.entries[i]
                self.post_message(self.Progress(Step(done, done + left + 1, entry.rel, "归档", started)))
                try:
                    outcome = file_one(self.app.archive, source, entry.decision(), staging)
                except Exception as exc:  # noqa: BLE001 - one file's failure must not stop the line
                    outcome = Outcome(entry.rel, "refused", f"程序内部错误（{type(exc).__name__}: {exc}）")
                done += 1
                self.post_message(self.Filed(i, outcome))

    def on_inbox_screen_filed(self, event: Filed) -> None:
        o = event.outcome
        self._filing.discard(event.index)
        if o.status == "filed":
            self.filed_any = True
            self._set(event.index, state=queue_mod.FILED, message=o.message, archive_no=o.archive_no)
        elif o.status == "duplicate":
            self._set(event.index, state=queue_mod.NOT_FILED_STATE, message=o.message, archive_no=o.archive_no)
        else:
            self._set(event.index, state=queue_mod.FAILED, message=o.message)
            self.app.notify(o.message, title="未能归档", severity="error", timeout=10)
        if not self._filing:
            assert self.queue is not None
            c = self.queue.counts()
            self._status(f"已归档 {c[queue_mod.FILED]} 个，待处理 {c[queue_mod.PENDING]} 个，跳过 {c[queue_mod.SKIPPED]} 个，"
                         f"未能归档 {c[queue_mod.FAILED]} 个。")
        self.refresh_bindings()

    # ------------------------------------------------------------------ leaving
    def action_new_pile(self) -> None:
        if not self.check_action("new_pile", ()):
            return
        if self.queue is not None and any(e.open for e in self.queue.entries):
            def answered(yes: bool | None) -> None:
                if yes:
                    self.ask_for_pile()

            self.app.push_screen(ConfirmModal("当前队列中还有未处理的文件。整理另一批文件会替换这个队列（已归档的不受影响）。继续吗？",
                                              yes="继续", title="整理另一批文件"), answered)
        else:
            self.ask_for_pile()

    def action_back(self) -> None:
        self.workers.cancel_group(self, "inbox-propose")
        self.dismiss(self.filed_any)


def _flag_text(e: Entry) -> str:
    from ..inbox.propose import FLAGS

    return "、".join(FLAGS.get(f, f) for f in e.proposal.flags)


def _check_pile(text: str) -> str:
    path = as_path(text)
    if not path.exists():
        raise BadValue(f"找不到“{text}”。请输入文件夹或 .zip 文件的路径。")
    return str(path)


class ChoiceSuggester(Suggester):
    """Completes from a list: the first choice that starts with what was typed (codes with their
    names, ``B-1 职代会…``, and names with their codes, ``职代会…（B-1）``)."""

    def __init__(self, choices: list[str]) -> None:
        super().__init__(use_cache=False, case_sensitive=False)
        self.choices = choices

    async def get_suggestion(self, value: str) -> str | None:
        v = value.lower()
        return next((c for c in self.choices if c.lower().startswith(v)), None) if v.strip() else None


class TextModal(ModalScreen[str | None]):
    """One line of input, checked by ``check`` (a BadValue's sentence is shown under it)."""

    BINDINGS = SCREEN_BINDINGS + [Binding("escape", "cancel", "取消", id="text_cancel")]

    def __init__(self, title: str, placeholder: str, value: str, *, suggester: Suggester | None = None,
                 check=None, hint: str = "") -> None:  # noqa: ANN001
        super().__init__(classes="dialog-screen")
        self.title_text, self.placeholder, self.value = title, placeholder, value
        self.suggester, self.check, self.hint = suggester, check, hint

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(self.title_text, classes="dialog-title")
            if self.hint:
                yield Static(self.hint, classes="dialog-body", markup=False)
            yield JiaInput(self.value, placeholder=self.placeholder, suggester=self.suggester, id="text-value", compact=True)
            yield Static("", id="text-problem", markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield JiaButton("确定(Enter)", variant="primary", id="ok", compact=True)
                yield JiaButton("取消(Esc)", id="cancel", compact=True)

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @on(Input.Submitted)
    @on(Button.Pressed, "#ok")
    def _ok(self) -> None:
        text = self.query_one(Input).value.strip()
        if not text:
            self.dismiss(None)
            return
        try:
            value = self.check(text) if self.check else text
        except JiaError as exc:
            self.query_one("#text-problem", Static).update(str(exc))
            return
        self.dismiss(value)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)

