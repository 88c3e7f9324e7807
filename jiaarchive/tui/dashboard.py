"""The scoring dashboard: scoresheet items with status colours and points, the vetoes, scores.

``DashboardScreen(archive, inspector)`` is self-contained: it computes the report in a thread
worker (``coverage.assess``), shows it, drills into an item's requirement and evidence on Enter,
takes the 自查分 (or, for an inspector, the 评定分 and a remark) in place, marks a conditional item
不适用 with the clerk's reason, and writes the HTML/XLSX reports.  Every sentence shown is the
report's own (verdict summaries, gaps, the total line).
"""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, Footer, Input, Label, Static

from ..settings import EXPORT_DIR
from ..archive import Archive
from ..coverage.assess import ItemAssessment, Report, assess
from .dialogs import ReportsWorkerErrors, TextPrompt

STATUS_STYLE = {"充分": "bold green", "薄弱": "bold yellow", "缺失": "bold red", "不适用": "dim", "通过": "green",
                "否决": "bold red", "未知": "dim"}


def _num(x: float | None) -> str:
    return "—" if x is None else f"{x:g}"


class EvidenceScreen(ModalScreen[None]):
    """One item: its requirement (the official text), what counts, the gaps, and the records counted."""

    BINDINGS = [Binding("escape", "dismiss", "返回", id="close_evidence")]

    def __init__(self, item: ItemAssessment) -> None:
        super().__init__()
        self.item = item

    def compose(self) -> ComposeResult:
        it = self.item
        with Vertical(id="evidence-box"):
            yield Label(f"第{it.no}项 {it.label}（{it.status}）", id="evidence-title")
            yield Static(Text(it.text), id="evidence-requirement")
            lines = [f"证据要求：{it.evidence_rule}；要点：{'、'.join(it.terms)}"]
            if it.not_applicable:
                lines.append(f"不适用：{it.not_applicable}（原文条件：{it.not_applicable_if}）")
            lines += [f"· {m}" for m in it.missing]
            yield Static(Text("\n".join(lines)), id="evidence-gaps")
            yield Label(f"证明材料（共 {len(it.matches)} 件）", id="evidence-count")
            yield DataTable(id="evidence-table", cursor_type="row")
            yield Footer()

    def on_mount(self) -> None:
        t = self.query_one(DataTable)
        t.add_column("档号", key="no")
        t.add_column("年度", key="year")
        t.add_column("题名", key="title")
        t.add_column("依据", key="how")
        t.add_rows([(m.archive_no, str(m.year), m.title, m.how + (f"：{m.term}" if m.term else ""))
                    for m in self.item.matches])


class ScoreInput(ModalScreen[tuple[float | None, str] | None]):
    """Ask for a score (and remark) for one item."""

    BINDINGS = [Binding("escape", "cancel", "取消", id="cancel_score")]

    def __init__(self, prompt: str) -> None:
        super().__init__()
        self._prompt = prompt

    def compose(self) -> ComposeResult:
        with Vertical(id="score-box"):
            yield Label(self._prompt)
            yield Input(placeholder="分数（留空清除）", id="score-value")
            yield Input(placeholder="备注（可空）", id="score-remark")

    @on(Input.Submitted)
    def _submitted(self) -> None:
        raw = self.query_one("#score-value", Input).value.strip()
        remark = self.query_one("#score-remark", Input).value
        if not raw:
            self.dismiss((None, remark))
            return
        try:
            self.dismiss((float(raw), remark))
        except ValueError:
            self.notify(f"“{raw}”不是数字。", severity="error")

    def action_cancel(self) -> None:
        self.dismiss(None)


class DashboardScreen(ReportsWorkerErrors, Screen[None]):
    """迎检仪表盘. ``inspector``: scores entered are 评定分, records cannot change."""

    DEFAULT_CSS = """
    DashboardScreen #dash-summary { height: auto; padding: 0 1; }
    DashboardScreen #dash-items { height: 2fr; }
    DashboardScreen #dash-vetoes { height: 1fr; }
    EvidenceScreen #evidence-box, ScoreInput #score-box { width: 90%; height: auto; max-height: 90%; background: $panel; padding: 1; }
    EvidenceScreen #evidence-requirement, EvidenceScreen #evidence-gaps { height: auto; margin-bottom: 1; }
    EvidenceScreen #evidence-table { height: auto; max-height: 16; }
    EvidenceScreen, ScoreInput { align: center middle; }
    """
    BINDINGS = [
        Binding("enter", "drill", "证明材料", id="drill"),
        Binding("s", "score", "录入分数", id="score"),
        Binding("n", "not_applicable", "不适用", id="not_applicable"),
        Binding("w", "write_reports", "写出报告", id="write_reports"),
        Binding("f", "edit_profile", "单位简况", id="profile"),
        Binding("r", "refresh", "刷新", id="refresh"),
        Binding("escape", "app.pop_screen", "返回", id="back"),
    ]
    PALETTE = (
        ("报告: 生成迎检报告", "写出 HTML 和 XLSX 迎检报告", "write_reports"),
        ("报告: 刷新仪表盘", "重新计算覆盖和缺口", "refresh"),
        ("报告: 标为不适用", "原文带条件的评分项目（如职工持股会）不适用时写明理由", "not_applicable"),
        ("简况: 修改单位简况", "职工数、会员数、换届、测评票、上级工会等否决条件依据的事实", "edit_profile"),
    )

    class Assessed(Message):
        def __init__(self, report: Report) -> None:
            super().__init__()
            self.report = report

    def __init__(self, archive: Archive, inspector: bool = False) -> None:
        super().__init__()
        self.archive = archive
        self.inspector = inspector or archive.read_only
        self.report: Report | None = None

    def compose(self) -> ComposeResult:
        yield Static("正在计算……", id="dash-summary")
        with Horizontal():
            yield DataTable(id="dash-items", cursor_type="row", zebra_stripes=True)
        yield DataTable(id="dash-vetoes", cursor_type="row")
        yield Footer()

    def on_mount(self) -> None:
        items = self.query_one("#dash-items", DataTable)
        for label, key in (("项", "no"), ("项目", "name"), ("状态", "status"), ("单项分", "points"), ("建议", "sugg"),
                           ("自查", "self"), ("评定", "insp"), ("证据", "n"), ("缺口", "gap")):
            items.add_column(label, key=key)
        vetoes = self.query_one("#dash-vetoes", DataTable)
        for label, key in (("条", "no"), ("结论", "verdict"), ("否决条件 / 申报前提", "text"), ("依据", "reason")):
            vetoes.add_column(label, key=key)
        self.action_refresh()

    # ------------------------------------------------------------------ computing
    def action_refresh(self) -> None:
        self._assess()

    @work(thread=True, exclusive=True, group="dashboard", exit_on_error=False)
    def _assess(self) -> None:
        report = assess(self.archive, check_materials=False)
        self.post_message(self.Assessed(report))

    @on(Assessed)
    def _show(self, message: Assessed) -> None:
        r = self.report = message.report
        who = "检查组" if self.inspector else "自查"
        head = Text(f"{r.unit}（{r.unit_type}·{r.level}）申报{r.grade}  {r.years[0]}–{r.years[-1]} 年度  能否申报：")
        head.append(r.verdict, style=STATUS_STYLE.get(r.verdict, ""))
        head.append(f"  {r.veto_summary}{r.prerequisite_summary}  [{who}]\n")
        if r.sheet_id:
            head.append("\n".join(line.text for line in r.totals.lines if line.value is not None or line.role == "suggested"))
        else:
            head.append(r.sheet_note)
        self.query_one("#dash-summary", Static).update(head)
        items = self.query_one("#dash-items", DataTable)
        row = items.cursor_row
        items.clear()
        items.add_rows([
            (str(it.no), it.label, Text(it.status, style=STATUS_STYLE[it.status]), str(it.points or ""),
             _num(it.suggested), _num(it.self_score.score if it.self_score else None),
             _num(it.inspector_score.score if it.inspector_score else None), str(it.evidence_count),
             (it.not_applicable or "；".join(it.missing))[:60])
            for it in (r.items or r.standard_items)
        ])
        if row:
            items.move_cursor(row=min(row, items.row_count - 1))
        vetoes = self.query_one("#dash-vetoes", DataTable)
        vetoes.clear()
        vetoes.add_rows([(str(v.no), Text(v.verdict, style=STATUS_STYLE[v.verdict]), v.text[:40], v.reason[:80])
                         for v in r.vetoes])
        vetoes.add_rows([("前提", Text(p.verdict, style=STATUS_STYLE[p.verdict]), p.printed[:40], p.reason[:80])
                         for p in r.prerequisites])

    def _current(self) -> ItemAssessment | None:
        if self.report is None:
            return None
        items = self.report.items or self.report.standard_items
        row = self.query_one("#dash-items", DataTable).cursor_row
        return items[row] if 0 <= row < len(items) else None

    # ------------------------------------------------------------------ actions
    @on(DataTable.RowSelected, "#dash-items")
    def _row_selected(self) -> None:  # the table takes Enter itself
        self.action_drill()

    def action_drill(self) -> None:
        it = self._current()
        if it is not None:
            self.app.push_screen(EvidenceScreen(it))

    def action_score(self) -> None:
        it = self._current()
        if it is None or self.report is None or not self.report.sheet_id:
            self.notify("没有评分表，不能录入分数。", severity="warning")
            return
        role = "inspector" if self.inspector else "self"
        label = "评定分" if self.inspector else "自查分"

        def done(result: tuple[float | None, str] | None) -> None:
            if result is None:
                return
            from ..coverage import scores
            from ..errors import JiaError

            try:
                scores.set_score(self.archive, int(it.no), role, result[0], result[1] or None)
            except JiaError as exc:
                self.notify(str(exc), severity="error")
                return
            self.action_refresh()

        self.app.push_screen(ScoreInput(f"第{it.no}项 {it.label}（单项分 {it.points}）{label}："), done)

    def action_not_applicable(self) -> None:
        it = self._current()
        if it is None or self.report is None or not self.report.sheet_id or self.inspector:
            self.notify("只有干事能在评分表上标记不适用。", severity="warning")
            return
        if not it.not_applicable_if:
            self.notify(f"第{it.no}项的原文没有适用条件，不能标为不适用。", severity="warning")
            return

        def done(reason: str | None) -> None:
            if reason is None:
                return
            from ..coverage import scores
            from ..errors import JiaError

            try:
                scores.set_not_applicable(self.archive, int(it.no), reason)
            except JiaError as exc:
                self.notify(str(exc), severity="error")
                return
            self.action_refresh()

        self.app.push_screen(TextPrompt(f"第{it.no}项 {it.label}：原文条件“{it.not_applicable_if}”。不适用的理由：",
                                        value=it.not_applicable, placeholder="不适用的理由（留空表示适用）"), done)

    def action_edit_profile(self) -> None:
        from .profile import ProfileScreen

        # the vetoes depend on the profile: recompute after a save
        self.app.push_screen(ProfileScreen(self.archive), lambda saved: self.action_refresh() if saved else None)

    def action_write_reports(self) -> None:
        self._write()

    @work(thread=True, exclusive=True, group="dashboard-write", exit_on_error=False)
    def _write(self) -> None:
        from ..reports.coverage_html import write_html
        from ..reports.coverage_xlsx import write_xlsx

        r = assess(self.archive)
        folder = Path(self.archive.root) / EXPORT_DIR
        folder.mkdir(exist_ok=True)
        stem = f"迎检报告-{r.as_of.isoformat()}"
        write_html(r, folder / f"{stem}.html")
        write_xlsx(r, folder / f"{stem}.xlsx")
        self.app.call_from_thread(self.notify, f"已写出 {folder / stem}.html 和 .xlsx")
