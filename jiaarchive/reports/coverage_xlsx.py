"""The scoresheet as XLSX in the official layout (项目 / 创建内容 / 单项分 / 自查分 / 评定分), with the
evidence 档号 of each item, ready to print on A4 and sign.  Lays out a ``Report``; counts nothing:
the total lines, the veto summary and every reason are the assessment's own sentences."""

from __future__ import annotations

import os
from itertools import groupby
from pathlib import Path

from ..coverage.model import Report

MAX_NUMBERS = 15


def _merge_runs(ws, keys: list[tuple], first: int, col: int) -> None:  # noqa: ANN001
    """Merge column ``col`` over consecutive rows with the same key (from the data, not the cells:
    cells inside an earlier merge read as empty)."""
    row = first
    for _key, run in groupby(keys):
        n = len(list(run))
        if n > 1:
            ws.merge_cells(start_row=row, start_column=col, end_row=row + n - 1, end_column=col)
        row += n


def write_xlsx(r: Report, path: Path) -> Path:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side

    wb = Workbook()
    ws = wb.active
    ws.title = "评分表"
    thin = Side(style="thin")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    wrap = Alignment(wrap_text=True, vertical="center")
    centre = Alignment(horizontal="center", vertical="center", wrap_text=True)
    title = r.sheet_title or f"{r.unit_type}{r.level}（无先进评分表）"
    ws.append([title])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=8)
    ws["A1"].font = Font(size=14, bold=True)
    ws["A1"].alignment = centre
    ws.append([f"单位：{r.unit}　　检查窗口：{r.years[0]}–{r.years[-1]} 年度　　截至 {r.as_of.isoformat()}　　"
               f"否决条件：{r.veto_verdict}（{r.veto_summary}）"])
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=8)
    ws["A2"].alignment = wrap
    header = ["项目", "", "创建内容", "单项分", "自查分", "评定分", "状态", "证据档号"]
    ws.append(header)
    ws.merge_cells(start_row=3, start_column=1, end_row=3, end_column=2)
    for c in ws[3]:
        c.font = Font(bold=True)
        c.alignment = centre
        c.border = box
    first = 4
    for it in r.items:
        numbers = "、".join(it.evidence[:MAX_NUMBERS]) + (f" 等{len(it.evidence)}件" if len(it.evidence) > MAX_NUMBERS else "")
        if it.not_applicable:
            numbers = f"不适用：{it.not_applicable}"
        ws.append([it.group, it.subgroup, f"{it.no}. {it.text}", it.points,
                   it.self_score.score if it.self_score else None,
                   it.inspector_score.score if it.inspector_score else None, it.status, numbers])
    last = ws.max_row
    # merge the 项目 cells of consecutive rows of one group / subgroup, as the printed sheet does
    _merge_runs(ws, [(it.group,) for it in r.items], first, 1)
    _merge_runs(ws, [(it.group, it.subgroup) for it in r.items], first, 2)
    total_row = last + 1
    if r.items:
        ws.append(["合计", "", f"（表中印合计 {r.totals.stated_total}）", f"=SUM(D{first}:D{last})",
                   f"=SUM(E{first}:E{last})", f"=SUM(F{first}:F{last})", "", ""])
        ws.merge_cells(start_row=total_row, start_column=1, end_row=total_row, end_column=2)
        for line in r.totals.lines:
            ws.append([line.text])
            ws.merge_cells(start_row=ws.max_row, start_column=1, end_row=ws.max_row, end_column=8)
            ws.row_dimensions[ws.max_row].height = 30
    else:
        ws.append([r.sheet_note])
        ws.merge_cells(start_row=total_row, start_column=1, end_row=total_row, end_column=8)
    for row in ws.iter_rows(min_row=first, max_row=ws.max_row):
        for c in row:
            c.border = box
            c.alignment = centre if c.column in (1, 2, 4, 5, 6, 7) and c.row <= total_row else wrap
    ws.append([])
    ws.append(["自查人（签字）：", "", "", "检查组（签字）：", "", "", "日期：", ""])
    for col, width in zip("ABCDEFGH", (6, 8, 58, 7, 7, 7, 7, 28)):
        ws.column_dimensions[col].width = width
    ws.print_title_rows = "3:3"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True

    vs = wb.create_sheet("否决条件")
    vs.append([f"否决条件：{r.veto_verdict}。{r.veto_summary}"])
    vs.merge_cells(start_row=1, start_column=1, end_row=1, end_column=4)
    vs.append(["条", "否决条件", "结论", "依据"])
    for v in r.vetoes:
        vs.append([v.no, v.text + (f"（{v.subject}）" if v.subject else ""), v.verdict, v.reason])
    if r.prerequisites:
        vs.append([])
        vs.append([f"申报前提：{r.prerequisite_verdict}。{r.prerequisite_summary}"])
        vs.merge_cells(start_row=vs.max_row, start_column=1, end_row=vs.max_row, end_column=4)
        for p in r.prerequisites:
            vs.append(["", p.printed, p.verdict, p.reason])
    for col, width in zip("ABCD", (5, 50, 8, 60)):
        vs.column_dimensions[col].width = width
    for row in vs.iter_rows():
        for c in row:
            c.alignment = wrap
            if c.value is not None:
                c.border = box
    path = Path(path)
    tmp = path.with_name(path.name + ".tmp")
    wb.save(tmp)
    os.replace(tmp, path)
    return path
