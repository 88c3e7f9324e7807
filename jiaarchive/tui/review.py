"""The review workspace's TUI (``jiaarchive review tui``): the units screen and a unit's dashboard.

``UnitsScreen`` lists every unit ranked as ``review status`` ranks them (read in a thread worker
from PostgreSQL).  Enter opens that unit's archive in the workspace read-only and shows its
迎检仪表盘 (``ReviewDashboardScreen``, the unit's own dashboard): records, evidence and vetoes can
be read, nothing of the unit can change, and ``s`` enters the inspection group's 评定分, which is
kept in the workspace's database (it survives a re-imported bundle) and counted in the ranking.
"""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.coordinate import Coordinate
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from .. import audit
from ..errors import JiaError, explain
from ..review.status import UnitStatus, _num, ranked, set_score
from ..review.workspace import Workspace
from .dashboard import STATUS_STYLE, DashboardScreen, ScoreInput
from .dialogs import ErrorModal, ReportsWorkerErrors, TextPrompt


class ReviewDashboardScreen(DashboardScreen):
    """One unit's dashboard, read-only; 评定分 go to the review workspace."""

    READ_ONLY_ACTIONS = {"not_applicable", "edit_profile", "write_reports"}

    def __init__(self, archive, ws: Workspace, unit: str) -> None:  # noqa: ANN001
        super().__init__(archive, inspector=True)
        self.ws = ws
        self.unit = unit
        self.review_scores: dict[int, float] = {}

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return False if action in self.READ_ONLY_ACTIONS else True

    def on_mount(self) -> None:
        self.mount(Static("", id="review-scores"), after="#dash-summary")

    @on(DashboardScreen.Assessed)
    def _overlay(self, message: DashboardScreen.Assessed) -> None:
        self._load_scores()

    @work(thread=True, exclusive=True, group="review-scores", exit_on_error=False)
    def _load_scores(self) -> None:
        from sqlalchemy import select

        from ..review.models import ReviewScore

        with self.ws.session() as s:
            got = {r.item_no: r.score for r in s.scalars(select(ReviewScore).where(ReviewScore.unit == self.unit))}
        self.app.call_from_thread(self._show_scores, got)

    def _show_scores(self, got: dict[int, float]) -> None:
        self.review_scores = got
        if self.report is None or not self.report.sheet_id:
            return  # no scoresheet (the standard's items are shown): nothing to score
        table = self.query_one("#dash-items", DataTable)
        items = self.report.items or self.report.standard_items
        col = list(table.columns).index("insp")
        for row, it in enumerate(items):
            if row < table.row_count:
                table.update_cell_at(Coordinate(row, col), _num(got.get(int(it.no))))
        total = sum(got.values()) if got else None
        self.query_one("#review-scores", Static).update(f"检查组评定分（审核工作区）：{_num(total)} 分，已评 {len(got)} 项")

    def action_score(self) -> None:
        it = self._current()
        if it is None or self.report is None or not self.report.sheet_id:
            self.notify("没有评分表，不能录入评定分。", severity="warning")
            return

        def done(result: tuple[float | None, str] | None) -> None:
            if result is None:
                return
            try:
                set_score(self.ws, self.unit, int(it.no), result[0], result[1] or "", audit.current_user())
            except JiaError as exc:
                self.notify(str(exc), severity="error")
                return
            self._load_scores()

        self.app.push_screen(ScoreInput(f"{self.unit} 第{it.no}项 {it.label}（单项分 {it.points}）评定分："), done)


class ReviewSearchScreen(ReportsWorkerErrors, Screen[None]):
    """Every unit's evidence searched at once (``review.search``); Enter opens the hit's unit."""

    DEFAULT_CSS = """
    ReviewSearchScreen #rsearch-summary { height: auto; padding: 0 1; }
    ReviewSearchScreen #rsearch-table { height: 1fr; }
    ReviewSearchScreen #rsearch-snippet { height: auto; max-height: 6; padding: 0 1; }
    """
    BINDINGS = [
        Binding("enter", "open_unit", "进入单位", id="open_hit_unit"),
        Binding("slash", "new_search", "检索", id="review_search_again"),
        Binding("escape", "app.pop_screen", "返回", id="back_to_units"),
    ]
    LIMIT = 200

    class Found(Message):
        def __init__(self, result) -> None:  # noqa: ANN001
            super().__init__()
            self.result = result

    def __init__(self, ws: Workspace, query: str, open_unit) -> None:  # noqa: ANN001
        super().__init__()
        self.ws, self.query_text, self.open_unit = ws, query, open_unit
        self.hits: list = []

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("正在检索……", id="rsearch-summary")
        yield DataTable(id="rsearch-table", cursor_type="row", zebra_stripes=True)
        yield Static("", id="rsearch-snippet")
        yield Footer()

    def on_mount(self) -> None:
        t = self.query_one(DataTable)
        for label, key in (("单位", "unit"), ("档号", "no"), ("日期", "date"), ("题名", "title")):
            t.add_column(label, key=key)
        self._search()

    @work(thread=True, exclusive=True, group="review-search", exit_on_error=False)
    def _search(self) -> None:
        from ..review.search import search

        self.post_message(self.Found(search(self.ws, self.query_text, limit=self.LIMIT)))

    @on(Found)
    def _show(self, message: Found) -> None:
        r = message.result
        self.hits = r.hits
        t = self.query_one(DataTable)
        t.clear()
        t.add_rows([(h.unit, h.archive_no, h.date or "", h.title) for h in self.hits])
        more = f"，显示前 {len(self.hits)} 件" if r.total > len(self.hits) else ""
        self.query_one("#rsearch-summary", Static).update(f"{r.described}：共 {r.total} 件，{r.units} 个单位{more}。")
        self._snippet()

    @on(DataTable.RowHighlighted)
    def _snippet(self) -> None:
        row = self.query_one(DataTable).cursor_row
        if 0 <= row < len(self.hits):
            self.query_one("#rsearch-snippet", Static).update(Text(self.hits[row].snippet or ""))

    @on(DataTable.RowSelected)
    def _selected(self) -> None:
        self.action_open_unit()

    def action_open_unit(self) -> None:
        row = self.query_one(DataTable).cursor_row
        if 0 <= row < len(self.hits):
            self.open_unit(self.hits[row].unit)

    def action_new_search(self) -> None:
        def asked(q: str | None) -> None:
            if q:
                self.query_text = q
                self.query_one("#rsearch-summary", Static).update("正在检索……")
                self._search()

        self.app.push_screen(TextPrompt("跨单位检索（写法同单位的检索）：", value=self.query_text), asked)


class UnitsScreen(ReportsWorkerErrors, Screen[None]):
    """Every unit of the workspace, ranked; Enter opens its dashboard."""

    DEFAULT_CSS = """
    UnitsScreen #units-summary { height: auto; padding: 0 1; }
    UnitsScreen #units-table { height: 1fr; }
    UnitsScreen #units-detail { height: auto; max-height: 8; padding: 0 1; }
    """
    BINDINGS = [
        Binding("enter", "open_unit", "进入单位", id="open_unit"),
        Binding("slash", "search", "跨单位检索", id="review_search"),
        Binding("r", "refresh", "刷新", id="refresh_units"),
    ]

    class Ranked(Message):
        def __init__(self, rows: list[UnitStatus]) -> None:
            super().__init__()
            self.rows = rows

    def __init__(self, ws: Workspace) -> None:
        super().__init__()
        self.ws = ws
        self.rows: list[UnitStatus] = []

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("正在读取各单位……", id="units-summary")
        yield DataTable(id="units-table", cursor_type="row", zebra_stripes=True)
        yield Static("", id="units-detail")
        yield Footer()

    def on_mount(self) -> None:
        t = self.query_one(DataTable)
        for label, key in (("名次", "rank"), ("单位", "unit"), ("类型", "type"), ("否决条件", "veto"), ("自查分", "self"),
                           ("评定分", "insp"), ("达标线", "th"), ("缺失", "miss"), ("薄弱", "weak"), ("缺材料", "mat"),
                           ("记录", "n")):
            t.add_column(label, key=key)
        self.action_refresh()

    def action_refresh(self) -> None:
        self._rank()

    @work(thread=True, exclusive=True, group="units", exit_on_error=False)
    def _rank(self) -> None:
        self.post_message(self.Ranked(ranked(self.ws)))

    @on(Ranked)
    def _show(self, message: Ranked) -> None:
        self.rows = message.rows
        t = self.query_one(DataTable)
        row = t.cursor_row
        t.clear()
        t.add_rows([(str(r.rank), r.unit, r.unit_type, Text(r.veto, style=STATUS_STYLE.get(r.veto, "")), _num(r.self_total),
                     _num(r.inspector_total), _num(r.threshold), str(len(r.missing_items)), str(len(r.weak_items)),
                     str(len(r.materials_missing)), str(r.records)) for r in self.rows])
        if row:
            t.move_cursor(row=min(row, max(t.row_count - 1, 0)))
        passing = sum(1 for r in self.rows if r.veto == "通过")
        self.query_one("#units-summary", Static).update(
            f"审核工作区 {self.ws.root}：{len(self.rows)} 个单位，否决条件通过 {passing} 个。Enter 进入单位的迎检仪表盘（只读，可录入评定分）。")
        self._detail()

    @on(DataTable.RowHighlighted)
    def _detail(self) -> None:
        r = self._current()
        if r is None:
            return
        from ..review.status import due_text, reinspection_text

        lines = [f"{r.unit}：{r.veto_summary or '否决条件' + r.veto}"]
        if r.missing_items:
            lines.append("缺失：" + "；".join(r.missing_items[:8]) + ("……" if len(r.missing_items) > 8 else ""))
        if r.materials_missing:
            lines.append("缺少材料：" + "；".join(m.split("（")[0] for m in r.materials_missing))
        for label, value in (("时间", due_text(r)), ("三年复查", reinspection_text(r))):
            if value:
                lines.append(f"{label}：{value}")
        self.query_one("#units-detail", Static).update(Text("\n".join(lines)))

    def _current(self) -> UnitStatus | None:
        row = self.query_one(DataTable).cursor_row
        return self.rows[row] if 0 <= row < len(self.rows) else None

    @on(DataTable.RowSelected)
    def _selected(self) -> None:
        self.action_open_unit()

    def action_search(self) -> None:
        def asked(q: str | None) -> None:
            if q:
                self.app.push_screen(ReviewSearchScreen(self.ws, q, self.open_unit_named))

        self.app.push_screen(TextPrompt("跨单位检索（写法同单位的检索，如：困难职工 慰问 year:2021）：",
                                        placeholder="检索词"), asked)

    def open_unit_named(self, unit: str) -> None:
        r = next((x for x in self.rows if x.unit == unit), None)
        if r is not None:
            self._open(r)

    def action_open_unit(self) -> None:
        r = self._current()
        if r is not None:
            self._open(r)

    def _open(self, r: UnitStatus) -> None:
        try:
            arch = self.ws.open_unit(r.folder)
        except JiaError as exc:
            self.app.report_error(exc)  # type: ignore[attr-defined]
            return

        def closed(_result: object = None) -> None:
            arch.close()
            self.action_refresh()

        self.app.push_screen(ReviewDashboardScreen(arch, self.ws, r.unit), closed)


class ReviewApp(App[None]):
    """建家申报审核 over one review workspace."""

    CSS_PATH = "jia.tcss"
    TITLE = "建家申报审核"
    BINDINGS = [Binding("ctrl+q", "quit", "退出", show=False, priority=True, id="quit_app")]

    def __init__(self, ws: Workspace) -> None:
        super().__init__()
        self.ws = ws
        self.sub_title = f"{ws.root} · 操作人：{audit.current_user()}"

    def get_default_screen(self) -> Screen:
        return UnitsScreen(self.ws)

    def report_error(self, exc: BaseException) -> None:
        err = explain(exc, None) if not isinstance(exc, JiaError) else exc
        self.push_screen(ErrorModal(str(err) if err is not None else f"内部错误：{type(exc).__name__}: {exc}"))


def run(ws: Workspace) -> None:
    ReviewApp(ws).run()
