"""归档文件目录 (the binder's list of filed documents), per entry and year, as DA/T 22-2015 lays it
out: 序号, 档号, 文号, 责任者, 题名, 日期 (YYYYMMDD), 页数, 备注."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from .. import textfmt
from ..archive import Archive
from ..filing import RecordView, list_records

HEADERS = ("序号", "档号", "文号", "责任者", "题名", "日期", "页数", "备注")


@dataclass(frozen=True)
class Row:
    no: int
    archive_no: str
    doc_no: str
    responsible: str
    title: str
    date: str
    pages: str
    remarks: str

    def cells(self) -> tuple[object, ...]:
        return (self.no, self.archive_no, self.doc_no, self.responsible, self.title, self.date, self.pages, self.remarks)


@dataclass(frozen=True)
class Section:
    code: str
    entry_title: str
    year: int
    rows: tuple[Row, ...]

    @property
    def heading(self) -> str:
        return f"{self.code} {self.entry_title}　{self.year} 年度"


def build(archive: Archive, *, code: str | None = None, year: int | None = None) -> list[Section]:
    return sections_for(archive, list_records(archive, code=code, year=year))


def sections_for(archive: Archive, records: Iterable[RecordView]) -> list[Section]:
    """The 归档文件目录 of these records (a selection, a search result), one section per entry and year."""
    sections: dict[tuple[str, int], list[Row]] = {}
    for r in records:
        rows = sections.setdefault((r.code, r.year), [])
        rows.append(
            Row(
                no=len(rows) + 1,
                archive_no=r.archive_no,
                doc_no=r.doc_no,
                responsible=r.responsible,
                title=r.title,
                date=r.date.strftime("%Y%m%d") if r.date else "",
                pages=str(r.pages) if r.pages is not None else "",
                remarks=r.remarks,
            )
        )
    return [
        Section(code=c, entry_title=archive.catalogue.entry(c).title, year=y, rows=tuple(rows))
        for (c, y), rows in sorted(sections.items(), key=lambda kv: (_code_key(kv[0][0]), kv[0][1]))
    ]


def _code_key(code: str) -> tuple[object, ...]:
    return tuple(int(p) if p.isdigit() else p for p in code.split("-"))


def to_text(archive: Archive, sections: list[Section]) -> str:
    if not sections:
        return "（没有符合条件的记录）"
    out = []
    for sec in sections:
        out.append(f"归档文件目录　{archive.settings.unit}　{sec.heading}")
        out.append(textfmt.table(HEADERS, [r.cells() for r in sec.rows], (4, 22, 20, 16, 40, 8, 4, 16)))
        out.append("")
    return "\n".join(out).rstrip() + "\n"


def to_xlsx(archive: Archive, sections: list[Section], path: Path) -> None:
    """One worksheet per entry and year, set up to print on A4 with the header on every page."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side

    wb = Workbook()
    wb.remove(wb.active)
    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    widths = (6, 22, 20, 16, 48, 11, 6, 14)
    if not sections:
        ws = wb.create_sheet("归档文件目录")
        ws["A1"] = "（没有符合条件的记录）"
    for sec in sections:
        name = f"{sec.code} {sec.year}"
        for bad in '[]:*?/\\':
            name = name.replace(bad, "_")
        ws = wb.create_sheet(name[:31])
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEADERS))
        ws.cell(1, 1, "归档文件目录").font = Font(size=16, bold=True)
        ws.cell(1, 1).alignment = Alignment(horizontal="center")
        ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=len(HEADERS))
        ws.cell(2, 1, f"单位：{archive.settings.unit}　　类目：{sec.code} {sec.entry_title}　　年度：{sec.year}")
        for col, (head, w) in enumerate(zip(HEADERS, widths), 1):
            c = ws.cell(3, col, head)
            c.font = Font(bold=True)
            c.alignment = Alignment(horizontal="center", vertical="center")
            c.border = border
            ws.column_dimensions[c.column_letter].width = w
        for i, row in enumerate(sec.rows, 4):
            for col, value in enumerate(row.cells(), 1):
                c = ws.cell(i, col, value)
                c.border = border
                c.alignment = Alignment(vertical="center", wrap_text=col in (3, 4, 5, 8))
        ws.print_title_rows = "1:3"
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.page_setup.orientation = "landscape"
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.oddFooter.center.text = "第 &P 页，共 &N 页"
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
