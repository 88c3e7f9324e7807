"""The unit profile (单位简况) form: every fact the vetoes and the registration form need.

``ProfileScreen(archive)`` reads the profile in a thread worker, shows each field (label, value,
hint) grouped as the registration form groups them, and shows 入会率 and 评家满意度 as the numbers
are typed (computed by ``coverage.profile``).  Ctrl+S sends only the changed fields to
``profile.set_facts`` in a thread worker; a refused value keeps everything typed and shows the
core's sentence next to the field it names.  On a read-only (inspector) archive the form is a view.
A 小家 sees its own few facts and, in a group of their own, its parent union's (上级工会), which
Ctrl+O imports from the parent's archive folder or JSON (``profile.import_parent``).
Dismisses with True when something was saved.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Header, Input, Label, Select, Static
from textual.worker import Worker, WorkerState

from ..archive import Archive
from ..coverage import profile
from ..coverage.profile import Field, Profile
from ..errors import JiaError
from .dialogs import ConfirmModal, ReportsWorkerErrors, TextPrompt
from .keys import SCREEN_BINDINGS, JiaInput, JiaScroll, JiaSelect

# (heading, field keys): the order of the registration form; every profile field exactly once
GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("基本情况", ("employees", "members", "chair", "phone", "postcode", "ownership", "operation",
                  "full_time_cadres", "branches", "group_name")),
    ("组织与换届", ("elected_on", "term_years", "funds_committee", "women_committee")),
    ("制度", ("labour_contracts", "social_insurance", "staff_congress", "open_affairs", "collective_contract",
              "contract_surveyed", "contract_satisfied")),
    ("会员评家", ("ballots_on", "ballots_satisfied", "ballots_basically_satisfied", "ballots_dissatisfied")),
    ("近三年情况与荣誉", ("incidents", "safety_accidents", "other_veto", "titles", "achievements")),
    ("申报", ("target_grade",)),
)
PARENT_GROUP = "上级工会（基层工会）"
BOOL_OPTIONS = [("是", "是"), ("否", "否")]
PLACEHOLDERS = {"int": "整数", "term": "3 或 5", "date": "如 2021-05-01"}


def edit_text(f: Field, value: Any) -> str:
    """A stored value as the text the form holds ("" = unknown); ``parse_value`` reads it back."""
    return "" if value is None else profile.show_value(f, value)


def wid(key: str) -> str:
    """A widget id for a profile key (``parent.members`` has a dot, which ids cannot)."""
    return key.replace(".", "--")


def groups_for(fields: tuple[Field, ...]) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """GROUPS restricted to ``fields``, and the parent union's facts as a group of their own."""
    keys = {f.key for f in fields}
    out = tuple((h, tuple(k for k in ks if k in keys)) for h, ks in GROUPS)
    parent = tuple(f.key for f in fields if f.key.startswith(profile.PARENT_PREFIX))
    return tuple(g for g in out if g[1]) + (((PARENT_GROUP, parent),) if parent else ())


class ProfileScreen(ReportsWorkerErrors, Screen[bool]):
    """单位简况: view and (unless read-only) edit the unit profile."""

    DEFAULT_CSS = """
    ProfileScreen #profile-rates { height: auto; padding: 0 1; background: $boost; }
    /* room below the last field, so the 申报层级 list can open downwards */
    ProfileScreen #profile-body { height: 1fr; padding: 0 1 5 1; scrollbar-size-vertical: 1; }
    ProfileScreen .profile-group { height: auto; margin-top: 1; color: $accent; text-style: bold; }
    ProfileScreen .profile-row { height: auto; }
    ProfileScreen .profile-label { width: 34%; min-width: 20; max-width: 38; color: $text-muted; padding-right: 1; }
    ProfileScreen .profile-cell { width: 1fr; height: auto; }
    ProfileScreen .profile-value { width: 1fr; }
    ProfileScreen .profile-note { height: auto; color: $text-muted; }
    ProfileScreen .profile-note.-error { color: $error; text-style: bold; }
    ProfileScreen #profile-status { height: auto; min-height: 1; padding: 0 1; color: $text-muted; }
    ProfileScreen #profile-status.-error { color: $error; text-style: bold; }
    """
    BINDINGS = SCREEN_BINDINGS + [
        Binding("ctrl+s", "save", "保存", id="save_profile"),
        Binding("ctrl+o", "import_parent", "导入上级工会简况", id="import_parent"),
        Binding("escape", "cancel", "返回", id="cancel_profile"),
    ]
    PALETTE = (
        ("简况: 保存单位简况", "保存修改过的各项（逐项检查，记入审计日志）", "save"),
        ("简况: 导入上级工会简况", "小家：从上级工会的档案文件夹或 JSON 导入否决条件所需的事实", "import_parent"),
        ("简况: 放弃修改并返回", "不保存，回到上一屏", "cancel"),
    )

    class Loaded(Message):
        def __init__(self, profile: Profile, count_basically_satisfied: bool) -> None:
            super().__init__()
            self.profile = profile
            self.count_basically_satisfied = count_basically_satisfied

    class Saved(Message):
        def __init__(self, profile: Profile, keys: tuple[str, ...]) -> None:
            super().__init__()
            self.profile = profile
            self.keys = keys

    class Imported(Message):
        def __init__(self, profile: Profile, labels: tuple[str, ...]) -> None:
            super().__init__()
            self.profile = profile
            self.labels = labels

    class Refused(Message):
        """``set_facts`` refused the changes (nothing was written); ``message`` is its sentence."""

        def __init__(self, message: str) -> None:
            super().__init__()
            self.message = message

    def __init__(self, archive: Archive) -> None:
        super().__init__(id="profile")
        self.archive = archive
        self.read_only = archive.read_only
        self.grades = tuple(g.name for g in archive.standards.grades)
        self.fields = profile.fields_for(archive.level, archive.standards.xiaojia_level)
        self.by_key = {f.key: f for f in self.fields}
        self.is_xiaojia = archive.level == archive.standards.xiaojia_level
        self.profile: Profile | None = None
        self.count_basically_satisfied = True
        self._initial: dict[str, str] = {}  # text per key as loaded (or last saved)
        self._saving = False

    # ------------------------------------------------------------------ layout
    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("正在读取单位简况……", id="profile-rates")
        with JiaScroll(id="profile-body"):
            for heading, keys in groups_for(self.fields):
                yield Label(heading, classes="profile-group")
                for key in keys:
                    yield self._row(self.by_key[key])
        yield Static("", id="profile-status")
        yield Footer()

    def _row(self, f: Field) -> Horizontal:
        if self.read_only:
            value: Any = Static("", id=f"value-{wid(f.key)}", classes="profile-value")
        elif f.kind == "bool":
            value = JiaSelect(BOOL_OPTIONS, prompt="未填", id=f"value-{wid(f.key)}", compact=True, classes="profile-value")
        elif f.kind == "grade":
            value = JiaSelect([(g, g) for g in self.grades], prompt="未填", id=f"value-{wid(f.key)}", compact=True,
                              classes="profile-value")
        else:
            value = JiaInput(placeholder=PLACEHOLDERS.get(f.kind, ""), id=f"value-{wid(f.key)}", compact=True,
                             classes="profile-value")
        note = Static(f.help, id=f"note-{wid(f.key)}", classes="profile-note")
        note.display = bool(f.help)
        return Horizontal(
            Label(f.label, classes="profile-label"),
            Vertical(value, note, classes="profile-cell"),
            classes="profile-row",
            id=f"row-{wid(f.key)}",
        )

    def on_mount(self) -> None:
        self.query_one("#profile-body").focus()
        self.load()

    # ------------------------------------------------------------------ reading
    @work(thread=True, exclusive=True, group="profile-load", exit_on_error=False)
    def load(self) -> None:
        from ..coverage import rules

        prof = profile.read(self.archive)
        settings = rules.load(self.archive.standards, self.archive.settings.extra.get("coverage")).settings
        self.post_message(self.Loaded(prof, settings.count_basically_satisfied))

    def on_profile_screen_loaded(self, event: Loaded) -> None:
        self.count_basically_satisfied = event.count_basically_satisfied
        self._show(event.profile)
        if not self.read_only:
            self.query_one(f"#value-{wid(self.fields[0].key)}").focus()
        self._status("检查组只读：只能查看单位简况。" if self.read_only else "Ctrl+S 保存修改过的项；Esc 返回。")

    def _show(self, prof: Profile) -> None:
        """Put ``prof`` into the form; what is shown becomes the unchanged state."""
        self.profile = prof
        self._initial = {f.key: edit_text(f, prof.get(f.key)) for f in self.fields}
        for f in self.fields:
            text = self._initial[f.key]
            widget = self.query_one(f"#value-{wid(f.key)}")
            if isinstance(widget, Select):
                widget.value = text if text else Select.NULL
            elif isinstance(widget, Input):
                widget.value = text
            else:
                assert isinstance(widget, Static)
                widget.update(Text(profile.show_value(f, prof.get(f.key))))
            self._note(f)
        self._show_rates()
        self.refresh_bindings()

    # ------------------------------------------------------------------ the form's values
    def text(self, key: str) -> str:
        """What the form holds for ``key`` now ("" = unknown)."""
        widget = self.query_one(f"#value-{wid(key)}")
        if isinstance(widget, Select):
            return "" if widget.value is Select.NULL else str(widget.value)
        if isinstance(widget, Input):
            return widget.value.strip()
        return self._initial.get(key, "")

    def changes(self) -> dict[str, str]:
        """The fields the clerk changed, as text for ``set_facts``."""
        if self.profile is None:
            return {}
        return {f.key: self.text(f.key) for f in self.fields if self.text(f.key) != self._initial[f.key]}

    @property
    def dirty(self) -> bool:
        return bool(self.changes())

    def _number(self, key: str) -> int | None:
        try:
            value = profile.parse_value(self.by_key[key], self.text(key))
        except JiaError:
            return None
        return value if isinstance(value, int) else None

    def _show_rates(self) -> None:
        # a 小家's vetoes read its parent union's numbers: show those rates
        pre = profile.PARENT_PREFIX if self.is_xiaojia else ""
        e, m = self._number(pre + "employees"), self._number(pre + "members")
        rate = profile.membership_rate(e, m)
        line = Text(("上级工会" if pre else "") + "入会率 ")
        if rate is None:
            line.append("—（需填职工总数和会员总数）", style="dim")
        else:
            line.append(f"{rate:.1f}%", style="bold red" if rate > 100 else "bold")
            line.append(f"（{m}/{e}）")
        line.append("    评家满意度 ")
        ballots = [self._number(pre + k) for k in ("ballots_satisfied", "ballots_basically_satisfied",
                                                    "ballots_dissatisfied")]
        sat = profile.satisfaction_rate(*ballots, count_basically_satisfied=self.count_basically_satisfied)
        if sat is None:
            line.append("—（需填三项测评票数）", style="dim")
        else:
            line.append(f"{sat:.1f}%", style="bold")
            line.append(f"（“基本满意”{'计入' if self.count_basically_satisfied else '不计入'}满意，共 {sum(ballots)} 票）")  # type: ignore[arg-type]
        self.query_one("#profile-rates", Static).update(line)

    @on(Input.Changed)
    @on(Select.Changed)
    def _edited(self, event: Input.Changed | Select.Changed) -> None:
        key = (event.control.id or "").removeprefix("value-").replace("--", ".")
        if key in self.by_key:
            self._note(self.by_key[key])  # the clerk is correcting it: back to the hint
        self._show_rates()

    def _note(self, f: Field, error: str = "") -> None:
        note = self.query_one(f"#note-{wid(f.key)}", Static)
        note.update(error or f.help)
        note.set_class(bool(error), "-error")
        note.display = bool(error or f.help)

    def _status(self, text: str, *, error: bool = False) -> None:
        status = self.query_one("#profile-status", Static)
        status.update(text)
        status.set_class(error, "-error")

    # ------------------------------------------------------------------ saving
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "save":
            return not self.read_only and self.profile is not None
        if action == "import_parent":
            return self.is_xiaojia and not self.read_only and self.profile is not None
        return True

    def action_import_parent(self) -> None:
        if self._saving or not self.check_action("import_parent", ()):
            return
        if self.dirty:
            self._status("请先保存或放弃本页的修改，再导入上级工会简况。", error=True)
            return

        def chosen(path: str | None) -> None:
            if path:
                self._saving = True
                self._status("正在导入上级工会简况……")
                self.import_parent(path)

        from .widgets import PathSuggester

        self.app.push_screen(TextPrompt("上级工会的档案文件夹，或其 jiaarchive profile show --json 的输出文件：",
                                        placeholder="路径", suggester=PathSuggester()), chosen)

    @work(thread=True, exclusive=True, group="profile-save", exit_on_error=False)
    def import_parent(self, path: str) -> None:
        try:
            prof, labels = profile.import_parent(self.archive, Path(path).expanduser())
        except JiaError as exc:
            self.post_message(self.Refused(str(exc)))
            return
        self.post_message(self.Imported(prof, tuple(labels)))

    def on_profile_screen_imported(self, event: Imported) -> None:
        self._show(event.profile)
        self._status(f"已导入上级工会简况 {len(event.labels)} 项。")
        self.app.notify("、".join(event.labels), title="已导入上级工会简况")

    def action_save(self) -> None:
        if self._saving or not self.check_action("save", ()):
            return
        changes = self.changes()
        if not changes:
            self._status("没有修改。")
            return
        # each value through the core's own parser first, so every bad field is marked at once
        bad = 0
        for key, text in changes.items():
            f = self.by_key[key]
            try:
                profile.parse_value(f, text, self.grades)
            except JiaError as exc:
                self._note(f, str(exc))
                bad += 1
        if bad:
            self._status(f"有 {bad} 项填写有误，未保存。", error=True)
            return
        self._saving = True
        self._status("正在保存……")
        self.save(changes)

    @work(thread=True, exclusive=True, group="profile-save", exit_on_error=False)
    def save(self, changes: dict[str, str]) -> None:
        try:
            prof = profile.set_facts(self.archive, changes)
        except JiaError as exc:
            self.post_message(self.Refused(str(exc)))
            return
        self.post_message(self.Saved(prof, tuple(changes)))

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.group == "profile-save" and event.state in (WorkerState.SUCCESS, WorkerState.ERROR,
                                                                    WorkerState.CANCELLED):
            self._saving = False
        super().on_worker_state_changed(event)

    def on_profile_screen_refused(self, event: Refused) -> None:
        # mark the fields the sentence names (e.g. 会员总数 and 职工总数); keep everything typed
        for f in self.fields:
            if f.label in event.message:
                self._note(f, event.message)
        self._status(event.message, error=True)
        self.notify(event.message, title="未保存", severity="error")

    def on_profile_screen_saved(self, event: Saved) -> None:
        labels = "、".join(self.by_key[k].label for k in event.keys if k in self.by_key)
        self.app.notify(f"已保存单位简况：{labels}", title="完成")
        self.dismiss(True)

    # ------------------------------------------------------------------ leaving
    def action_cancel(self) -> None:
        if self._saving:
            return
        if not self.dirty:
            self.dismiss(False)
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self.dismiss(False)

        n = len(self.changes())
        self.app.push_screen(ConfirmModal(f"单位简况有 {n} 项修改尚未保存，放弃这些修改吗？", yes="放弃", title="放弃修改"), answered)
