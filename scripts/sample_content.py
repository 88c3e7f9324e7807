"""Content of the demo archive: the source files of a fictional school union's 建家 ledger.

The unit is 重庆市渝碚实验中学工会 (a fictional 事业单位 union; 160 staff, 158 members in May 2021,
工会主席 周明华, every person and number here is invented). It applies for the 重庆市教科文卫体工会
先进职工之家 title in 2021 under 渝教科文卫体工〔2021〕17号, and its ledger for 2019-2021 is filed
by the 资料台帐参考目录 (渝工组〔2008〕28号) volumes A-F.

``generate(dst)`` writes the source files (docx, pdf, xlsx, txt in UTF-8 and GB18030, and jpg
photos with and without EXIF) under ``dst`` and returns one ``SampleDoc`` per file, saying what
to file it as. It makes documents only; initialising the archive and filing them is the caller's.

Deliberate gaps (true of the generated set, so that reports have something real to show):

* No 会员代表大会 in 2020: F-6 has 会员代表大会 minutes for 2019 (换届) and 2021 only. The 2020
  会员评家 was done by an online questionnaire (F-3) instead of at a 会员（代表）大会, which
  scoresheet item 16 asks for.
* No 教代会 in 2020: B-1 has documents for 2019 and 2021 only (the 2020 session was postponed
  because of the epidemic, as the 2020 第2次 工会委员会 minutes in F-6 and the 建家工作汇报 say).
  The 2020 绩效工资 scheme was therefore only published (B-3), not reviewed by a 教代会.
* C-3 劳动争议调解: no documents at all.
* E-4 职工代表安全巡视检查: one document only (2019, an old GB18030 text file); none in 2020-2021.
* B-2 平等协商和集体合同 and B-5 职工董事、职工监事: absent, as they do not apply to a 事业单位
  (note 2 of the catalogue).
* D-3 职工科学文化教育: 2021 only.
* Smaller, incidental empty (entry, year) cells: A-2 2019 and 2021; A-3 2019; A-4 2021;
  A-5 2019 and 2020; B-4 2020; B-6 2019; C-1 2020; C-2 2021; C-5 2020 (although the 汇报
  claims 必谈必访 every year); D-4 2019 and 2020; E-3 2019; E-5 2019; F-1 2020.
* Photos: 8 of the 29 have no EXIF at all: six WeChat forwards (``mmexport<ms>.jpg``,
  ``微信图片_<yyyymmddHHMMSS>.jpg``), and ``运动会照片3.jpg`` and ``IMG_0871.jpg``, which carry no date
  anywhere (no EXIF, no date in the name); ``IMG_1234.jpg`` and ``IMG_0871.jpg`` have no
  description (their title is the bare file stem and they have no tags or items). For photos
  without a capture date, ``SampleDoc.date`` is the clerk's estimate, not a fact from the file.
  None of the WeChat or IMG_ names follow the notice's rule that photos be named with time
  and content.

Other facts worth knowing:

* The 建家工作汇报 (F-4, 2021-08-30) has exactly the four required sections as headings; the
  创建先进职工之家规划 (F-3, 2021-04-20; a plan of targets, tasks and responsibilities, hence
  工会工作目标责任) has the seven required parts as headings.
* The self-check sheet (F-3, 2021) copies the 单项分 of the official 事业单位 scoresheet as
  printed: they add up to 105 although the printed 合计 is 100; the sheet keeps both.
* 会员评家 results: 2019 60 valid ballots, 96.7 %; 2020 online 131 answers, 95.4 %;
  2021 63 valid ballots, 96.8 % (满意 + 基本满意 over valid ballots).
* ``pages`` is exact for PDFs, an estimate for docx (what a clerk would type), None otherwise.

Determinism: a fixed seed, fixed dates and fixed metadata. docx/xlsx are re-zipped with fixed
entry timestamps and fixed core-properties dates; PDFs get fixed CreationDate/ModDate and an
explicit /ID; JPEGs are drawn from seeded noise. Byte-identical output assumes the same versions
of Pillow (libjpeg), zlib, python-docx, openpyxl, reportlab and the same CJK font file.

Run ``python scripts/sample_content.py DST`` to write the files and print a summary.
"""

from __future__ import annotations

import hashlib
import math
import random
import re
import subprocess
import sys
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

__all__ = ["SampleDoc", "generate", "UNIT", "SEED"]

SEED = 20210415

UNIT = "重庆市渝碚实验中学工会"
SCHOOL = "重庆市渝碚实验中学"
PARTY = "中共重庆市渝碚实验中学委员会"
UPPER = "重庆市教科文卫体工会委员会"
JDH4 = "重庆市渝碚实验中学第四届教职工代表大会"
JDH5 = "重庆市渝碚实验中学第五届教职工代表大会"
JINGSHEN = "重庆市渝碚实验中学工会经费审查委员会"
ADDRESS = "重庆市北碚区渝碚实验中学行政楼"

CHAIR = "周明华"
VICE = "唐晓燕"
PRINCIPAL = "陈志远"
SECRETARY = "刘建国"
CLERK = "谭静"


@dataclass(frozen=True)
class SampleDoc:
    """One generated source file and what to file it as (one 件 of the archive)."""

    path: Path
    code: str
    title: str
    date: date
    doc_no: str | None
    responsible: str
    items: tuple[int, ...]
    tags: tuple[str, ...]
    pages: int | None


# --------------------------------------------------------------------------------------------
# Content blocks shared by the docx, pdf and txt renderers.
# A block is a tuple: (kind, payload). Kinds:
#   redhead  str             red 文件头 line ("重庆市渝碚实验中学工会文件")
#   docno    str             文号 line under the red head
#   title    str             document title, centred
#   subtitle str             centred line under the title
#   h        str             section heading (a real heading in docx)
#   h2       str             sub-heading
#   to       str             主送 line ("各工会小组：")
#   p        str             body paragraph, first-line indent
#   kv       [(k, v), ...]   labelled lines (会议时间：…)
#   table    (header, rows)
#   sign     [line, ...]     right-aligned signature lines
#   note     str             small unindented line
# --------------------------------------------------------------------------------------------

Block = tuple[str, object]


def _cn_date(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def _sign(issuer: str, d: date) -> Block:
    return ("sign", [issuer, _cn_date(d)])


def _blocks_text(blocks: Sequence[Block]) -> str:
    """All text of a block list, for page estimates."""
    out: list[str] = []
    for kind, payload in blocks:
        if kind == "table":
            header, rows = payload  # type: ignore[misc]
            out.extend("".join(map(str, r)) for r in [header, *rows])
        elif kind in ("kv",):
            out.extend(f"{k}{v}" for k, v in payload)  # type: ignore[union-attr]
        elif kind == "sign":
            out.extend(payload)  # type: ignore[arg-type]
        else:
            out.append(str(payload))
    return "\n".join(out)


def _estimate_pages(blocks: Sequence[Block]) -> int:
    # About 22 lines of 28 characters on an A4 page in 三号仿宋; tables take a line per row.
    lines = 0
    for kind, payload in blocks:
        if kind == "table":
            lines += 1 + len(payload[1])  # type: ignore[index]
        elif kind == "kv":
            lines += len(payload)  # type: ignore[arg-type]
        elif kind == "sign":
            lines += 3
        elif kind in ("redhead", "title"):
            lines += 3
        else:
            lines += max(1, math.ceil(len(str(payload)) / 28))
    return max(1, math.ceil(lines / 22))


# --------------------------------------------------------------------------------------------
# Zip normalisation (docx, xlsx): fixed entry times and fixed core-property dates.
# --------------------------------------------------------------------------------------------

_CORE_DATE = re.compile(rb"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:\2>)")


def _normalize_zip(path: Path, when: datetime) -> None:
    with zipfile.ZipFile(path) as zin:
        entries = [(info.filename, zin.read(info)) for info in zin.infolist()]
    stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    with zipfile.ZipFile(path, "w") as zout:
        for name, data in entries:
            if name == "docProps/core.xml":
                data = _CORE_DATE.sub(lambda m: m.group(1) + stamp + m.group(3), data)
            info = zipfile.ZipInfo(name, date_time=when.timetuple()[:6])
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 0  # as Office writes it, and independent of the platform
            info.external_attr = 0
            zout.writestr(info, data)


def _stamp(d: date, hour: int = 9, minute: int = 30) -> datetime:
    return datetime(d.year, d.month, d.day, hour, minute, 0)


# --------------------------------------------------------------------------------------------
# DOCX
# --------------------------------------------------------------------------------------------

def _docx_font(run_or_style, name: str, size: float | None = None, bold: bool | None = None,
               color: tuple[int, int, int] | None = None) -> None:
    from docx.oxml.ns import qn
    from docx.shared import Pt, RGBColor

    font = run_or_style.font
    font.name = name
    if size is not None:
        font.size = Pt(size)
    if bold is not None:
        font.bold = bold
    if color is not None:
        font.color.rgb = RGBColor(*color)
    rpr = run_or_style.element.get_or_add_rPr()
    rpr.get_or_add_rFonts().set(qn("w:eastAsia"), name)


def _docx_page_field(paragraph) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    paragraph.add_run("— ")
    fld = OxmlElement("w:fldSimple")
    fld.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    fld.append(run)
    paragraph._p.append(fld)
    paragraph.add_run(" —")


def _write_docx(path: Path, blocks: Sequence[Block], *, title: str, author: str, d: date,
                header: str | None, footer: bool) -> None:
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt

    doc = Document()
    sec = doc.sections[0]
    sec.page_height, sec.page_width = Cm(29.7), Cm(21.0)
    sec.top_margin, sec.bottom_margin = Cm(3.7), Cm(3.5)
    sec.left_margin, sec.right_margin = Cm(2.8), Cm(2.6)
    normal = doc.styles["Normal"]
    _docx_font(normal, "仿宋_GB2312", 16)
    normal.paragraph_format.line_spacing = Pt(28)
    for name in ("Heading 1", "Heading 2"):
        _docx_font(doc.styles[name], "黑体", 16, bold=False, color=(0, 0, 0))
        doc.styles[name].paragraph_format.space_before = Pt(6)
        doc.styles[name].paragraph_format.space_after = Pt(0)
    _docx_font(doc.styles["Heading 2"], "楷体_GB2312", 16, bold=False, color=(0, 0, 0))

    if header:
        hp = sec.header.paragraphs[0]
        hp.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _docx_font(hp.add_run(header), "宋体", 9)
    if footer:
        fp = sec.footer.paragraphs[0]
        fp.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _docx_page_field(fp)

    for kind, payload in blocks:
        if kind == "redhead":
            p = doc.add_paragraph()
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            _docx_font(p.add_run(str(payload)), "方正小标宋简体", 30, color=(0xE0, 0, 0))
        elif kind == "docno":
            p = doc.add_paragraph()
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            p.add_run(str(payload))
            p2 = doc.add_paragraph()
            _docx_font(p2.add_run("━" * 24), "宋体", 12, color=(0xE0, 0, 0))
        elif kind == "title":
            p = doc.add_paragraph()
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            _docx_font(p.add_run(str(payload)), "方正小标宋简体", 22)
        elif kind == "subtitle":
            p = doc.add_paragraph()
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            _docx_font(p.add_run(str(payload)), "楷体_GB2312", 16)
        elif kind == "h":
            doc.add_heading(str(payload), level=1)
        elif kind == "h2":
            doc.add_heading(str(payload), level=2)
        elif kind in ("to", "note"):
            doc.add_paragraph(str(payload))
        elif kind == "p":
            p = doc.add_paragraph(str(payload))
            p.paragraph_format.first_line_indent = Pt(32)
        elif kind == "kv":
            for k, v in payload:  # type: ignore[union-attr]
                p = doc.add_paragraph()
                _docx_font(p.add_run(f"{k}："), "黑体", 16)
                p.add_run(str(v))
        elif kind == "table":
            header_row, rows = payload  # type: ignore[misc]
            table = doc.add_table(rows=1 + len(rows), cols=len(header_row))
            table.style = doc.styles["Table Grid"]
            for r, row in enumerate([header_row, *rows]):
                for c, value in enumerate(row):
                    cell = table.cell(r, c)
                    cell.text = ""
                    run = cell.paragraphs[0].add_run(str(value))
                    _docx_font(run, "黑体" if r == 0 else "仿宋_GB2312", 12)
            doc.add_paragraph()
        elif kind == "sign":
            doc.add_paragraph()
            for line in payload:  # type: ignore[union-attr]
                p = doc.add_paragraph(str(line))
                p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        else:  # pragma: no cover - a typo in the content tables
            raise ValueError(kind)

    cp = doc.core_properties
    cp.title = title
    cp.author = author
    cp.last_modified_by = CLERK
    cp.comments = ""
    cp.keywords = ""
    cp.subject = ""
    cp.category = ""
    cp.revision = 2
    cp.created = _stamp(d, 8, 40)
    cp.modified = _stamp(d, 10, 15)
    cp.last_printed = _stamp(d, 10, 20)
    doc.save(str(path))
    _normalize_zip(path, _stamp(d, 10, 15))


# --------------------------------------------------------------------------------------------
# PDF (reportlab, built-in CID font: a real text layer, no font file)
# --------------------------------------------------------------------------------------------

class _FixedTimeStamp:
    """Stands in for reportlab's TimeStamp so CreationDate/ModDate are the document's date."""

    def __init__(self, when: datetime) -> None:
        self.t = when.replace(tzinfo=timezone(timedelta(hours=8))).timestamp()
        self.lt = when.timetuple()
        self.YMDhms = tuple(self.lt)[:6]
        self.dhh = 8
        self.dmm = 0
        self.tzname = "CST"


def _pdf_styles():
    from reportlab.lib.enums import TA_CENTER, TA_RIGHT
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    if "STSong-Light" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    base = dict(fontName="STSong-Light", wordWrap="CJK")
    return {
        "redhead": ParagraphStyle("redhead", fontSize=26, leading=40, alignment=TA_CENTER,
                                  textColor="#E00000", **base),
        "docno": ParagraphStyle("docno", fontSize=12, leading=22, alignment=TA_CENTER, **base),
        "title": ParagraphStyle("title", fontSize=18, leading=30, alignment=TA_CENTER,
                                spaceAfter=10, **base),
        "subtitle": ParagraphStyle("subtitle", fontSize=12, leading=20, alignment=TA_CENTER,
                                   **base),
        "h": ParagraphStyle("h", fontSize=13, leading=24, spaceBefore=6, **base),
        "h2": ParagraphStyle("h2", fontSize=12, leading=22, **base),
        "p": ParagraphStyle("p", fontSize=12, leading=22, firstLineIndent=24, **base),
        "plain": ParagraphStyle("plain", fontSize=12, leading=22, **base),
        "cell": ParagraphStyle("cell", fontSize=10, leading=14, **base),
        "sign": ParagraphStyle("sign", fontSize=12, leading=22, alignment=TA_RIGHT, **base),
    }


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _write_pdf(path: Path, blocks: Sequence[Block], *, title: str, author: str, d: date,
               footer_text: str | None = None) -> int:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import cm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle
    from reportlab.platypus.flowables import HRFlowable

    st = _pdf_styles()
    story: list = []
    for kind, payload in blocks:
        if kind in ("redhead", "title", "subtitle", "h", "h2"):
            story.append(Paragraph(_esc(str(payload)), st[kind]))
        elif kind == "docno":
            story.append(Paragraph(_esc(str(payload)), st["docno"]))
            story.append(HRFlowable(width="100%", thickness=1.5, color=colors.red,
                                    spaceBefore=2, spaceAfter=12))
        elif kind == "p":
            story.append(Paragraph(_esc(str(payload)), st["p"]))
        elif kind in ("to", "note"):
            story.append(Paragraph(_esc(str(payload)), st["plain"]))
        elif kind == "kv":
            for k, v in payload:  # type: ignore[union-attr]
                story.append(Paragraph(_esc(f"{k}：{v}"), st["plain"]))
        elif kind == "table":
            header_row, rows = payload  # type: ignore[misc]
            data = [[Paragraph(_esc(str(v)), st["cell"]) for v in row]
                    for row in [header_row, *rows]]
            table = Table(data, repeatRows=1)
            table.setStyle(TableStyle([
                ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#EEEEEE")),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ]))
            story.append(table)
            story.append(Spacer(1, 8))
        elif kind == "sign":
            story.append(Spacer(1, 16))
            for line in payload:  # type: ignore[union-attr]
                story.append(Paragraph(_esc(str(line)), st["sign"]))
        else:  # pragma: no cover
            raise ValueError(kind)

    when = _stamp(d, 16, 5)
    doc_id = hashlib.md5(f"{UNIT}|{title}|{d.isoformat()}".encode()).hexdigest().upper()

    def on_page(canvas, doc) -> None:
        # Fixed dates and an explicit file identifier make a rebuild byte-identical.
        canvas._doc._timeStamp = _FixedTimeStamp(when)
        canvas._doc._ID = (f"\n[<{doc_id}><{doc_id}>]\n% ReportLab generated PDF document"
                           " -- digest (opensource)\n").encode()
        canvas.saveState()
        canvas.setFont("STSong-Light", 9)
        canvas.drawCentredString(A4[0] / 2, 1.5 * cm, f"— {doc.page} —")
        if footer_text:
            canvas.drawRightString(A4[0] - 2.2 * cm, 1.5 * cm, footer_text)
        canvas.restoreState()

    template = SimpleDocTemplate(
        str(path), pagesize=A4, leftMargin=2.6 * cm, rightMargin=2.4 * cm,
        topMargin=2.8 * cm, bottomMargin=2.5 * cm, title=title, author=author,
        subject="", creator="WPS 文字", producer="ReportLab PDF Library", keywords="",
        invariant=1, lang="zh-CN",
    )
    template.build(story, onFirstPage=on_page, onLaterPages=on_page)
    return template.page


# --------------------------------------------------------------------------------------------
# TXT
# --------------------------------------------------------------------------------------------

def _render_txt(blocks: Sequence[Block]) -> str:
    lines: list[str] = []
    for kind, payload in blocks:
        if kind in ("title", "redhead"):
            lines += [f"　　　　{payload}", ""]
        elif kind in ("docno", "subtitle"):
            lines += [f"　　　　{payload}", ""]
        elif kind in ("h", "h2", "to", "note"):
            lines.append(str(payload))
        elif kind == "p":
            lines.append(f"　　{payload}")
        elif kind == "kv":
            lines += [f"{k}：{v}" for k, v in payload]  # type: ignore[union-attr]
        elif kind == "table":
            header_row, rows = payload  # type: ignore[misc]
            lines += ["\t".join(map(str, r)) for r in [header_row, *rows]]
            lines.append("")
        elif kind == "sign":
            lines.append("")
            lines += [f"　　　　　　　　　　　　{x}" for x in payload]  # type: ignore[union-attr]
        else:  # pragma: no cover
            raise ValueError(kind)
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------------------------
# XLSX
# --------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Sheet:
    name: str
    title: str
    header: tuple[str, ...]
    rows: tuple[tuple[object, ...], ...]
    widths: tuple[int, ...] = ()
    before: tuple[str, ...] = ()   # lines between the title and the header (单位、日期…)
    after: tuple[str, ...] = ()    # lines under the table (制表人、审核人…)


def _write_xlsx(path: Path, sheets: Sequence[Sheet], *, title: str, author: str, d: date) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    wb.remove(wb.active)
    thin = Side(style="thin", color="000000")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    for sh in sheets:
        ws = wb.create_sheet(sh.name)
        ncol = len(sh.header)
        ws.cell(row=1, column=1, value=sh.title).font = Font(name="宋体", size=16, bold=True)
        ws.cell(row=1, column=1).alignment = Alignment(horizontal="center")
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=ncol)
        r = 2
        for line in sh.before:
            ws.cell(row=r, column=1, value=line).font = Font(name="宋体", size=11)
            ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=ncol)
            r += 1
        for c, h in enumerate(sh.header, 1):
            cell = ws.cell(row=r, column=c, value=h)
            cell.font = Font(name="宋体", size=11, bold=True)
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
            cell.border = border
        header_row = r
        for row in sh.rows:
            r += 1
            for c, v in enumerate(row, 1):
                cell = ws.cell(row=r, column=c, value=v)
                cell.font = Font(name="宋体", size=11)
                cell.border = border
                cell.alignment = Alignment(vertical="center", wrap_text=isinstance(v, str)
                                           and len(v) > 12)
        r += 1
        for line in sh.after:
            r += 1
            ws.cell(row=r, column=1, value=line).font = Font(name="宋体", size=11)
        for c in range(1, ncol + 1):
            width = sh.widths[c - 1] if c - 1 < len(sh.widths) else 12
            ws.column_dimensions[get_column_letter(c)].width = width
        ws.freeze_panes = ws.cell(row=header_row + 1, column=1)
        ws.print_title_rows = f"{header_row}:{header_row}"
        ws.page_setup.orientation = "landscape" if ncol > 7 else "portrait"
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
    wb.properties.creator = author
    wb.properties.lastModifiedBy = CLERK
    wb.properties.title = title
    wb.properties.created = _stamp(d, 8, 50)
    wb.properties.modified = _stamp(d, 11, 0)
    wb.save(str(path))
    _normalize_zip(path, _stamp(d, 11, 0))


# --------------------------------------------------------------------------------------------
# JPG photos: drawn scenes with a CJK banner, seeded noise, optional phone EXIF.
# --------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Phone:
    make: str
    model: str
    software: str
    focal: tuple[int, int]
    fnumber: tuple[int, int]


HUAWEI = Phone("HUAWEI", "ELE-AL00", "ELE-AL00 10.1.0.162(C00E160R2P1)", (557, 100), (18, 10))
XIAOMI = Phone("Xiaomi", "MI 9", "cepheus-user 10 QKQ1.190825.002 V12.0.2.0.QFACNXM", (473, 100),
               (175, 100))
IPHONE = Phone("Apple", "iPhone XR", "14.4", (425, 100), (18, 10))
OPPO = Phone("OPPO", "PCAM00", "MediaTek Camera Application", (460, 100), (17, 10))


def _cjk_font_spec() -> tuple[str, int]:
    """The file and face index of a Simplified Chinese font (fontconfig, then known paths)."""
    try:
        out = subprocess.run(["fc-match", "-f", "%{file}:%{index}", ":lang=zh-cn"],
                             capture_output=True, text=True, timeout=10, check=True).stdout
        file, _, index = out.rpartition(":")
        if file and Path(file).exists():
            return file, int(index or 0)
    except (OSError, subprocess.SubprocessError, ValueError):
        pass
    for file, index in (("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", 2),
                        ("/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc", 2),
                        ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 0)):
        if Path(file).exists():
            return file, index
    raise RuntimeError("找不到中文字体（请安装 fonts-noto-cjk），无法绘制照片横幅。")


@dataclass(frozen=True)
class Scene:
    kind: str            # hall | field | room | visit | classroom | stage | books
    banner: str | None   # text on the red banner (or the screen / sign)
    people: int = 12
    size: tuple[int, int] = (1024, 768)
    palette: int = 0     # varies wall and clothes colours


_WALLS = [((236, 228, 214), (205, 196, 180)), ((214, 226, 236), (180, 196, 210)),
          ((240, 232, 220), (220, 205, 185)), ((226, 234, 222), (196, 208, 190))]
_SHIRTS = [(32, 52, 96), (180, 30, 40), (240, 240, 240), (60, 60, 64), (40, 110, 170),
           (200, 140, 40), (90, 130, 70), (150, 70, 120), (235, 200, 60), (20, 20, 24)]
_SKIN = [(232, 196, 168), (222, 184, 150), (210, 170, 140), (240, 206, 180)]
_HAIR = [(20, 18, 18), (38, 30, 26), (60, 44, 36), (90, 88, 86)]


def _gradient(img, top: tuple[int, int, int], bottom: tuple[int, int, int], y0: int, y1: int):
    from PIL import ImageDraw

    draw = ImageDraw.Draw(img)
    span = max(1, y1 - y0)
    for y in range(y0, y1):
        t = (y - y0) / span
        color = tuple(int(a + (b - a) * t) for a, b in zip(top, bottom))
        draw.line([(0, y), (img.width, y)], fill=color)


def _person(draw, x: int, y: int, scale: float, rng: random.Random, *, back: bool = False,
            standing: bool = True, shirt: tuple[int, int, int] | None = None) -> None:
    head = int(18 * scale)
    body_w, body_h = int(46 * scale), int(70 * scale)
    shirt = shirt or rng.choice(_SHIRTS)
    hair = rng.choice(_HAIR)
    skin = rng.choice(_SKIN)
    if standing:
        leg_h = int(62 * scale)
        trousers = rng.choice([(30, 34, 48), (40, 40, 44), (70, 60, 50), (24, 40, 80)])
        draw.rectangle([x - body_w // 3, y + body_h, x - 2, y + body_h + leg_h], fill=trousers)
        draw.rectangle([x + 2, y + body_h, x + body_w // 3, y + body_h + leg_h], fill=trousers)
    draw.rounded_rectangle([x - body_w // 2, y, x + body_w // 2, y + body_h],
                           radius=int(14 * scale), fill=shirt)
    draw.ellipse([x - head, y - 2 * head - 2, x + head, y - 2], fill=hair if back else skin)
    if not back:
        draw.chord([x - head, y - 2 * head - 4, x + head, y - head], 180, 360, fill=hair)


def _banner(draw, font_spec: tuple[str, int], text: str, box: tuple[int, int, int, int],
            fill=(196, 20, 28), ink=(255, 236, 120)) -> None:
    from PIL import ImageFont

    x0, y0, x1, y1 = box
    draw.rectangle(box, fill=fill)
    size = int((y1 - y0) * 0.62)
    font = ImageFont.truetype(font_spec[0], size, index=font_spec[1])
    while size > 10 and draw.textlength(text, font=font) > (x1 - x0) * 0.94:
        size -= 2
        font = ImageFont.truetype(font_spec[0], size, index=font_spec[1])
    w = draw.textlength(text, font=font)
    draw.text(((x0 + x1 - w) / 2, (y0 + y1) / 2), text, font=font, fill=ink, anchor="lm")


def _draw_scene(scene: Scene, seed: int, font_spec: tuple[str, int]):
    from PIL import Image, ImageDraw, ImageFilter

    rng = random.Random(seed)
    w, h = scene.size
    img = Image.new("RGB", (w, h))
    wall_top, wall_bottom = _WALLS[scene.palette % len(_WALLS)]
    draw = ImageDraw.Draw(img)

    if scene.kind == "field":
        _gradient(img, (120, 170, 225), (200, 222, 240), 0, int(h * 0.45))
        _gradient(img, (70, 140, 70), (50, 110, 50), int(h * 0.45), h)
        draw.polygon([(0, int(h * 0.62)), (w, int(h * 0.56)), (w, int(h * 0.66)),
                      (0, int(h * 0.74))], fill=(178, 70, 52))
        for i in range(6):  # lane lines
            yy = int(h * 0.63) + i * 3
            draw.line([(0, yy + 12), (w, yy - 6)], fill=(235, 235, 235), width=1)
        for _ in range(5):  # trees and the teaching building
            tx = rng.randint(0, w)
            draw.ellipse([tx - 50, int(h * 0.25), tx + 50, int(h * 0.45)], fill=(46, 100, 52))
        draw.rectangle([int(w * 0.55), int(h * 0.18), int(w * 0.98), int(h * 0.45)],
                       fill=(226, 220, 210))
        for i in range(4):
            for j in range(8):
                x0 = int(w * 0.57) + j * int(w * 0.05)
                y0 = int(h * 0.21) + i * int(h * 0.055)
                draw.rectangle([x0, y0, x0 + int(w * 0.03), y0 + int(h * 0.03)],
                               fill=(120, 150, 180))
        if scene.banner:
            _banner(draw, font_spec, scene.banner, (int(w * 0.06), int(h * 0.08),
                                                     int(w * 0.94), int(h * 0.17)))
        for i in range(scene.people):
            x = rng.randint(40, w - 40)
            y = rng.randint(int(h * 0.52), int(h * 0.78))
            _person(draw, x, y, 0.7 + (y - h * 0.5) / h * 1.6, rng)
    elif scene.kind in ("hall", "classroom", "stage"):
        _gradient(img, wall_top, wall_bottom, 0, int(h * 0.7))
        _gradient(img, (150, 110, 80), (110, 80, 60), int(h * 0.7), h)
        if scene.kind == "classroom":
            draw.rectangle([int(w * 0.2), int(h * 0.08), int(w * 0.8), int(h * 0.42)],
                           fill=(34, 70, 52))
            if scene.banner:
                _banner(draw, font_spec, scene.banner, (int(w * 0.22), int(h * 0.16),
                                                         int(w * 0.78), int(h * 0.28)),
                        fill=(34, 70, 52), ink=(245, 245, 240))
        else:
            draw.rectangle([0, int(h * 0.05), w, int(h * 0.5)],
                           fill=(160, 24, 30) if scene.kind == "stage" else (120, 40, 40))
            if scene.banner:
                _banner(draw, font_spec, scene.banner, (int(w * 0.04), int(h * 0.08),
                                                         int(w * 0.96), int(h * 0.19)))
            if scene.kind == "hall":
                for i in range(5):  # the 主席台 and the people seated at it
                    _person(draw, int(w * 0.2) + i * int(w * 0.15), int(h * 0.33), 0.55, rng,
                            standing=False)
                draw.rectangle([int(w * 0.1), int(h * 0.36), int(w * 0.9), int(h * 0.44)],
                               fill=(236, 236, 230))
        if scene.kind == "stage":
            uniform = rng.choice([(240, 240, 240), (180, 30, 40), (32, 52, 96)])
            for row in range(3):
                for i in range(10):
                    x = int(w * 0.12) + i * int(w * 0.085) + (row % 2) * 20
                    y = int(h * 0.42) + row * int(h * 0.1)
                    _person(draw, x, y, 0.75 + row * 0.1, rng, shirt=uniform, standing=False)
        else:
            if scene.kind == "classroom":  # the lecturer beside the board
                _person(draw, int(w * 0.88), int(h * 0.3), 1.1, rng)
            rows = max(2, scene.people // 7)
            for row in range(rows):
                for i in range(7):
                    x = int(w * 0.08) + i * int(w * 0.14) + (row % 2) * 30
                    y = int(h * 0.62) + row * int(h * 0.12)
                    _person(draw, x, y, 1.0 + row * 0.25, rng, back=True, standing=False)
    else:  # room, visit, books
        _gradient(img, wall_top, wall_bottom, 0, int(h * 0.72))
        _gradient(img, (196, 170, 140), (160, 130, 100), int(h * 0.72), h)
        if scene.kind == "books":
            for shelf in range(3):
                x0 = int(w * 0.05) + shelf * int(w * 0.31)
                draw.rectangle([x0, int(h * 0.22), x0 + int(w * 0.28), int(h * 0.72)],
                               fill=(120, 84, 50))
                for level in range(4):
                    y0 = int(h * 0.24) + level * int(h * 0.12)
                    x = x0 + 6
                    while x < x0 + int(w * 0.28) - 14:
                        bw = rng.randint(8, 16)
                        draw.rectangle([x, y0, x + bw, y0 + int(h * 0.1)],
                                       fill=rng.choice(_SHIRTS))
                        x += bw + 2
        else:
            draw.rectangle([int(w * 0.62), int(h * 0.2), int(w * 0.9), int(h * 0.5)],
                           fill=(250, 250, 246), outline=(120, 100, 80), width=6)
            draw.rectangle([int(w * 0.08), int(h * 0.6), int(w * 0.5), int(h * 0.7)],
                           fill=(140, 96, 60))  # a table
        if scene.banner:
            _banner(draw, font_spec, scene.banner, (int(w * 0.08), int(h * 0.05),
                                                     int(w * 0.92), int(h * 0.15)))
        for i in range(scene.people):
            x = int(w * 0.12) + i * int(w * 0.76 / max(1, scene.people - 1 or 1))
            _person(draw, x, int(h * 0.46) + rng.randint(-10, 10), 1.3, rng)
        if scene.kind == "visit":  # the 慰问 gift: a red envelope and a bag of rice and oil
            draw.rectangle([int(w * 0.44), int(h * 0.62), int(w * 0.5), int(h * 0.72)],
                           fill=(210, 30, 30))
            draw.rectangle([int(w * 0.52), int(h * 0.58), int(w * 0.6), int(h * 0.72)],
                           fill=(240, 200, 60))

    img = img.filter(ImageFilter.GaussianBlur(0.8))
    # Seeded sensor noise: makes the JPEG the size of a real phone photo, and is reproducible.
    noise = Image.frombytes("L", (w, h), random.Random(seed + 1).randbytes(w * h))
    noise_rgb = Image.merge("RGB", (noise, noise.transpose(Image.Transpose.FLIP_LEFT_RIGHT),
                                    noise.transpose(Image.Transpose.FLIP_TOP_BOTTOM)))
    return Image.blend(img, noise_rgb, 0.05)


def _exif_bytes(phone: Phone, taken: datetime, size: tuple[int, int], rng: random.Random) -> bytes:
    import piexif

    stamp = taken.strftime("%Y:%m:%d %H:%M:%S").encode()
    zeroth = {
        piexif.ImageIFD.Make: phone.make.encode(),
        piexif.ImageIFD.Model: phone.model.encode(),
        piexif.ImageIFD.Orientation: 1,
        piexif.ImageIFD.XResolution: (72, 1),
        piexif.ImageIFD.YResolution: (72, 1),
        piexif.ImageIFD.ResolutionUnit: 2,
        piexif.ImageIFD.Software: phone.software.encode(),
        piexif.ImageIFD.DateTime: stamp,
        piexif.ImageIFD.YCbCrPositioning: 1,
    }
    exif = {
        piexif.ExifIFD.ExposureTime: (1, rng.choice([33, 50, 60, 100, 125, 200])),
        piexif.ExifIFD.FNumber: phone.fnumber,
        piexif.ExifIFD.ExposureProgram: 2,
        piexif.ExifIFD.ISOSpeedRatings: rng.choice([50, 100, 125, 200, 320, 400]),
        piexif.ExifIFD.ExifVersion: b"0220",
        piexif.ExifIFD.DateTimeOriginal: stamp,
        piexif.ExifIFD.DateTimeDigitized: stamp,
        piexif.ExifIFD.SubSecTimeOriginal: f"{rng.randint(0, 999):03d}".encode(),
        piexif.ExifIFD.MeteringMode: 5,
        piexif.ExifIFD.Flash: 16,
        piexif.ExifIFD.FocalLength: phone.focal,
        piexif.ExifIFD.ColorSpace: 1,
        piexif.ExifIFD.PixelXDimension: size[0],
        piexif.ExifIFD.PixelYDimension: size[1],
        piexif.ExifIFD.WhiteBalance: 0,
    }
    if phone.make == "Apple":
        exif[piexif.ExifIFD.OffsetTimeOriginal] = b"+08:00"
        exif[piexif.ExifIFD.LensMake] = b"Apple"
    return piexif.dump({"0th": zeroth, "Exif": exif, "1st": {}, "thumbnail": None, "GPS": {}})


# --------------------------------------------------------------------------------------------
# The builder: writes one file per call and remembers what to file it as.
# --------------------------------------------------------------------------------------------

@dataclass
class _Builder:
    dst: Path
    docs: list[SampleDoc] = field(default_factory=list)
    _font: tuple[str, int] | None = None

    def _target(self, rel: str) -> Path:
        path = self.dst / rel
        if path.exists() or any(doc.path == path for doc in self.docs):
            raise ValueError(f"duplicate sample file name: {rel}")
        path.parent.mkdir(parents=True, exist_ok=True)
        return path

    def _add(self, path: Path, code: str, title: str, d: date, doc_no: str | None,
             responsible: str, items: Sequence[int], tags: Sequence[str],
             pages: int | None) -> None:
        self.docs.append(SampleDoc(path=path, code=code, title=title, date=d, doc_no=doc_no,
                                   responsible=responsible, items=tuple(items),
                                   tags=tuple(tags), pages=pages))

    def docx(self, rel: str, code: str, title: str, d: date, blocks: Sequence[Block], *,
             doc_no: str | None = None, responsible: str = UNIT, items: Sequence[int] = (),
             tags: Sequence[str] = (), header: str | None = None, footer: bool = True) -> None:
        path = self._target(rel)
        _write_docx(path, blocks, title=title, author=responsible, d=d, header=header,
                    footer=footer)
        self._add(path, code, title, d, doc_no, responsible, items, tags,
                  _estimate_pages(blocks))

    def pdf(self, rel: str, code: str, title: str, d: date, blocks: Sequence[Block], *,
            doc_no: str | None = None, responsible: str = UNIT, items: Sequence[int] = (),
            tags: Sequence[str] = (), footer_text: str | None = None) -> None:
        path = self._target(rel)
        pages = _write_pdf(path, blocks, title=title, author=responsible, d=d,
                           footer_text=footer_text)
        self._add(path, code, title, d, doc_no, responsible, items, tags, pages)

    def txt(self, rel: str, code: str, title: str, d: date, blocks: Sequence[Block], *,
            encoding: str = "utf-8", crlf: bool = False, doc_no: str | None = None,
            responsible: str = UNIT, items: Sequence[int] = (),
            tags: Sequence[str] = ()) -> None:
        path = self._target(rel)
        text = _render_txt(blocks)
        if crlf:
            text = text.replace("\n", "\r\n")
        path.write_bytes(text.encode(encoding))
        self._add(path, code, title, d, doc_no, responsible, items, tags, None)

    def xlsx(self, rel: str, code: str, title: str, d: date, sheets: Sequence[Sheet], *,
             responsible: str = UNIT, items: Sequence[int] = (),
             tags: Sequence[str] = ()) -> None:
        path = self._target(rel)
        _write_xlsx(path, sheets, title=title, author=responsible, d=d)
        self._add(path, code, title, d, None, responsible, items, tags, None)

    def photo(self, rel: str, code: str, title: str, d: date, scene: Scene, *,
              taken: datetime | None = None, phone: Phone | None = None,
              responsible: str = UNIT, items: Sequence[int] = (),
              tags: Sequence[str] = ("照片",), quality: int = 85) -> None:
        """A drawn photo; with ``phone`` and ``taken`` it carries that phone's EXIF."""
        if self._font is None:
            self._font = _cjk_font_spec()
        path = self._target(rel)
        seed = SEED + int(hashlib.md5(rel.encode()).hexdigest()[:8], 16)
        img = _draw_scene(scene, seed, self._font)
        kwargs: dict = {"quality": quality, "subsampling": 2}
        if phone is not None and taken is not None:
            kwargs["exif"] = _exif_bytes(phone, taken, img.size, random.Random(seed))
        img.save(path, "JPEG", **kwargs)
        self._add(path, code, title, d, None, responsible, items, tags, None)


# --------------------------------------------------------------------------------------------
# The people (all fictional) and the union's figures.
# --------------------------------------------------------------------------------------------

GROUPS = ("语文组", "数学组", "英语组", "理化生组", "政史地组", "体音美组", "行政后勤组")

_SURNAMES = ("王李张刘陈杨黄赵周吴徐孙马胡朱郭何罗高林郑梁谢唐许冯宋韩邓彭曹曾田潘袁蔡蒋余杜叶"
             "程魏苏吕丁任卢姚沈钟姜崔谭陆范汪廖石金韦贾夏付方邹熊白孟秦邱侯江尹薛段雷龙黎史"
             "陶贺毛郝顾龚邵万覃武钱戴严欧莫孔向常汤康易乔赖文冉牟母况")
_MALE = "伟强军磊勇杰涛斌俊鹏浩宇明超刚平辉健波峰毅林成兵志建国华文东海亮晨阳"
_FEMALE = "芳娟敏静丽艳玲霞燕秀英红梅兰琴萍莉婷雪慧颖倩洁琳蓉佳玉珊晶薇"


@dataclass(frozen=True)
class Person:
    name: str
    sex: str
    born: date
    group: str
    hired: date
    joined: date | None     # 入会时间; None for a non-member
    left: date | None       # 调出 / 退休
    left_how: str | None
    tenure: str             # 在编 / 非在编
    edu: str
    politics: str
    title: str              # 职称或岗位

    def member_on(self, d: date) -> bool:
        return (self.joined is not None and self.joined <= d
                and (self.left is None or self.left > d))

    def staff_on(self, d: date) -> bool:
        return self.hired <= d and (self.left is None or self.left > d)


# Officers and other named people: (name, sex, born, group, title).
_KEY_PEOPLE = (
    (CHAIR, "男", date(1971, 3, 12), "行政后勤组", "工会主席、党委委员"),
    (VICE, "女", date(1978, 9, 5), "英语组", "工会副主席、高级教师"),
    ("何文斌", "男", date(1980, 6, 21), "数学组", "高级教师"),
    ("杨丽", "女", date(1985, 2, 14), "体音美组", "一级教师"),
    ("罗建军", "男", date(1976, 11, 3), "行政后勤组", "总务处副主任"),
    ("蒋雪梅", "女", date(1979, 4, 27), "语文组", "高级教师"),
    ("彭志勇", "男", date(1983, 8, 9), "理化生组", "一级教师"),
    (CLERK, "女", date(1990, 1, 18), "行政后勤组", "工会干事"),
    ("黄德明", "男", date(1974, 12, 2), "政史地组", "高级教师"),
    ("王淑芬", "女", date(1973, 7, 30), "政史地组", "高级教师"),
    ("许志强", "男", date(1982, 5, 16), "理化生组", "一级教师"),
    ("冉小琴", "女", date(1987, 10, 8), "数学组", "一级教师"),
    ("肖红", "女", date(1984, 3, 3), "英语组", "一级教师"),
    (PRINCIPAL, "男", date(1968, 5, 20), "行政后勤组", "校长"),
    (SECRETARY, "男", date(1966, 8, 11), "行政后勤组", "党委书记"),
    ("吴海涛", "男", date(1977, 2, 25), "行政后勤组", "办公室主任"),
    ("程小兰", "女", date(1981, 9, 19), "语文组", "语文组工会小组长"),
    ("付国平", "男", date(1975, 1, 7), "体音美组", "高级教师"),
    ("邓华", "女", date(1983, 6, 2), "数学组", "数学组工会小组长"),
    ("牟俊", "男", date(1986, 4, 12), "英语组", "英语组工会小组长"),
    ("况林", "男", date(1980, 10, 28), "理化生组", "理化生组工会小组长"),
    ("秦艳", "女", date(1982, 12, 24), "政史地组", "政史地组工会小组长"),
    ("雷鹏", "男", date(1988, 7, 7), "体音美组", "体音美组工会小组长"),
    ("汪梅", "女", date(1979, 3, 15), "行政后勤组", "行政后勤组工会小组长"),
    ("赵永红", "女", date(1970, 2, 9), "行政后勤组", "财务室会计"),
)

GROUP_LEADERS = {"语文组": "程小兰", "数学组": "邓华", "英语组": "牟俊", "理化生组": "况林",
                 "政史地组": "秦艳", "体音美组": "雷鹏", "行政后勤组": "汪梅"}
# 2021-04 the 语文组 leader changed (see the 2021 F-1 notice).
GROUP_LEADERS_2021 = {**GROUP_LEADERS, "语文组": "蒋雪梅"}

COMMITTEE = (CHAIR, VICE, "何文斌", "杨丽", "罗建军", "蒋雪梅", "彭志勇", CLERK, "黄德明")
COMMITTEE_DUTY = {CHAIR: "主席，主持全面工作", VICE: "副主席，分管民主管理、女职工工作",
                  "何文斌": "组织委员，负责组织建设、会籍管理", "杨丽": "文体委员，负责文体活动",
                  "罗建军": "生活委员，负责送温暖、困难帮扶", "蒋雪梅": "女工委员，女职工委员会主任",
                  "彭志勇": "宣传委员，负责宣传教育、职工书屋", CLERK: "经费委员，负责工会财务、档案",
                  "黄德明": "劳动保护委员，负责安康杯、劳动保护监督"}
AUDIT = ("王淑芬", "许志强", "冉小琴")
WOMEN = ("蒋雪梅", VICE, "冉小琴", "杨丽", "肖红")


def _roster(rng: random.Random) -> list[Person]:
    """Everyone on the staff at some time in 2019-2021, in a fixed order."""
    used: set[str] = {p[0] for p in _KEY_PEOPLE}

    def name(sex: str) -> str:
        while True:
            chars = _MALE if sex == "男" else _FEMALE
            given = rng.choice(chars) + (rng.choice(chars) if rng.random() < 0.72 else "")
            n = rng.choice(_SURNAMES) + given
            if n not in used:
                used.add(n)
                return n

    def edu() -> str:
        return rng.choices(["本科", "硕士研究生", "大专"], [70, 24, 6])[0]

    def politics() -> str:
        return rng.choices(["中共党员", "群众", "民盟盟员", "共青团员"], [46, 44, 3, 7])[0]

    def teacher_title(born: date) -> str:
        age = 2021 - born.year
        return ("高级教师" if age > 45 else "一级教师" if age > 32 else "二级教师")

    people: list[Person] = []
    for n, sex, born, group, title in _KEY_PEOPLE:
        people.append(Person(n, sex, born, group, date(born.year + 23, 9, 1),
                             date(born.year + 23, 10, 15), None, None, "在编",
                             "硕士研究生" if born.year > 1984 else "本科",
                             "中共党员", title))
    # Group sizes of the 158 members in May 2021 (the key people are already counted).
    target = {"语文组": 26, "数学组": 25, "英语组": 22, "理化生组": 28, "政史地组": 21,
              "体音美组": 16, "行政后勤组": 20}
    counts = {g: sum(1 for p in people if p.group == g) for g in GROUPS}

    def next_group() -> str:
        for g in GROUPS:
            if counts[g] < target[g]:
                counts[g] += 1
                return g
        raise AssertionError("group sizes do not add up")

    def add(kind: str, hired: date, joined: date | None, left=None, how=None,
            tenure="在编", group: str | None = None) -> None:
        sex = "女" if rng.random() < 0.62 else "男"
        young = kind in ("hire2019", "hire2020", "nonbian", "nonbian2021")
        born = date(rng.randint(1993, 1997) if young else rng.randint(1965, 1990),
                    rng.randint(1, 12), rng.randint(1, 28))
        g = group or next_group()
        title = ("工勤人员" if g == "行政后勤组" and rng.random() < 0.4 else
                 "代课教师" if tenure == "非在编" and g != "行政后勤组" else
                 "教辅人员" if g == "行政后勤组" else teacher_title(born))
        people.append(Person(name(sex), sex, born, g, hired, joined, left, how, tenure, edu(),
                             politics(), title))

    core = 143 - len(_KEY_PEOPLE)
    for _ in range(core):
        y = rng.randint(1996, 2017)
        add("core", date(y, 9, 1), date(y, rng.choice([10, 11]), rng.randint(5, 28)))
    # Members in 2019 who retired or transferred out before May 2021 (not counted in 2021).
    for left, how in ((date(2019, 8, 31), "退休"), (date(2020, 1, 31), "退休"),
                      (date(2020, 7, 31), "退休"), (date(2020, 8, 20), "调出"),
                      (date(2020, 8, 25), "调出")):
        born = date(1959 if how == "退休" else 1984, rng.randint(1, 12), rng.randint(1, 28))
        sex = "男" if how == "退休" and left.month != 1 else "女"
        people.append(Person(name(sex), sex, born, rng.choice(GROUPS), date(1990, 9, 1),
                             date(1990, 10, 20), left, how, "在编", "本科", politics(),
                             "高级教师" if how == "退休" else "一级教师"))
    for _ in range(5):
        add("hire2019", date(2019, 8, 26), date(2019, 10, 15))
    for _ in range(6):
        add("hire2020", date(2020, 8, 25), date(2020, 10, 20))
    for _ in range(3):
        add("nonbian", date(2018, 9, 1), date(2020, 10, 20), tenure="非在编")
    add("transfer", date(2020, 9, 1), date(2020, 9, 10))
    for g in ("体音美组", "行政后勤组"):
        add("nonbian2021", date(2021, 3, 1), None, tenure="非在编", group=g)
    return people


@dataclass(frozen=True)
class Ctx:
    """Everything the document writers share: the roster and a seeded random source."""

    people: tuple[Person, ...]
    rng: random.Random

    def members(self, d: date) -> list[Person]:
        return [p for p in self.people if p.member_on(d)]

    def staff(self, d: date) -> list[Person]:
        return [p for p in self.people if p.staff_on(d)]

    def person(self, name: str) -> Person:
        return next(p for p in self.people if p.name == name)

    def pick(self, d: date, n: int, *, exclude: Sequence[str] = ()) -> list[Person]:
        pool = [p for p in self.members(d) if p.name not in exclude]
        return self.rng.sample(pool, n)

    def teachers(self, d: date, n: int, *, born_after: date | None = None) -> list[Person]:
        """``n`` members who teach a subject (not 行政后勤组), optionally only the young."""
        pool = [p for p in self.members(d) if p.group != "行政后勤组"
                and (born_after is None or p.born >= born_after)]
        return self.rng.sample(pool, n)

    def names(self, d: date, n: int, *, exclude: Sequence[str] = ()) -> list[str]:
        return [p.name for p in self.pick(d, n, exclude=exclude)]


def union_no(year: int, n: int) -> str:
    return f"渝碚中工〔{year}〕{n}号"


def school_no(year: int, n: int) -> str:
    return f"渝碚中〔{year}〕{n}号"


def party_no(year: int, n: int) -> str:
    return f"渝碚中委〔{year}〕{n}号"


UNION_HEAD: Block = ("redhead", "重庆市渝碚实验中学工会文件")
SCHOOL_HEAD: Block = ("redhead", "重庆市渝碚实验中学文件")
PARTY_HEAD: Block = ("redhead", "中共重庆市渝碚实验中学委员会文件")
UPPER_HEAD: Block = ("redhead", "重庆市教科文卫体工会委员会")

_WEEKDAYS = "一二三四五六日"


def _when(d: date, clock: str) -> str:
    return f"{_cn_date(d)}（星期{_WEEKDAYS[d.weekday()]}）{clock}"


def _formal(head: Block, no: str, title: str, to: str | None, paras: Sequence[str | Block],
            issuer: str, d: date, attachments: Sequence[str] = ()) -> list[Block]:
    """A 公文: red head, 文号, title, 主送, body, 附件, signature."""
    blocks: list[Block] = [head, ("docno", no), ("title", title)]
    if to:
        blocks.append(("to", to))
    blocks += [x if isinstance(x, tuple) else ("p", x) for x in paras]
    if attachments:
        blocks.append(("note", "附件：" + "；".join(f"{i}. {a}" for i, a in
                                                 enumerate(attachments, 1))))
    blocks.append(_sign(issuer, d))
    return blocks


def _plain(title: str, paras: Sequence[str | Block], issuer: str | None, d: date,
           subtitle: str | None = None) -> list[Block]:
    blocks: list[Block] = [("title", title)]
    if subtitle:
        blocks.append(("subtitle", subtitle))
    blocks += [x if isinstance(x, tuple) else ("p", x) for x in paras]
    if issuer:
        blocks.append(_sign(issuer, d))
    return blocks


def _minutes(title: str, no: str | None, d: date, clock: str, place: str, host: str,
             present: Sequence[str], topics: Sequence[tuple[str, str]],
             decisions: Sequence[str], *, absent: str = "无", attend: str | None = None,
             recorder: str = CLERK, issuer: str = f"{UNIT}（代章）") -> list[Block]:
    """会议纪要: 时间、地点、主持人、出席人、议题、决议."""
    meta = [("时间", _when(d, clock)), ("地点", place), ("主持人", host),
            ("出席人", "、".join(present))]
    if attend:
        meta.append(("列席", attend))
    meta += [("缺席", absent), ("记录人", recorder)]
    blocks: list[Block] = [("title", title)]
    if no:
        blocks.append(("subtitle", no))
    blocks += [("kv", meta), ("h", "会议议题")]
    blocks += [("p", f"{'一二三四五六七八'[i]}、{t}") for i, (t, _) in enumerate(topics)]
    blocks.append(("h", "会议情况"))
    blocks += [("p", text) for _, text in topics]
    blocks.append(("h", "会议决议"))
    blocks += [("p", f"{i}. {x}") for i, x in enumerate(decisions, 1)]
    blocks.append(_sign(issuer, d))
    return blocks


def _sign_in(title: str, d: date, place: str, people: Sequence[Person], *,
             absent: dict[str, str] | None = None, col: str = "工会小组") -> Sheet:
    absent = absent or {}
    rows = []
    for i, p in enumerate(people, 1):
        if p.name in absent:
            rows.append((i, p.name, p.group, "", absent[p.name]))
        else:
            rows.append((i, p.name, p.group, p.name, ""))
    present = len(people) - len(absent)
    return Sheet("签到表", title, ("序号", "姓名", col, "本人签名", "备注"), tuple(rows),
                 widths=(6, 10, 12, 12, 16),
                 before=(f"时间：{_cn_date(d)}　　地点：{place}",),
                 after=(f"应到{len(people)}人，实到{present}人，请假{len(absent)}人。",
                        f"统计人：{CLERK}"))


# --------------------------------------------------------------------------------------------
# 工会经费: 决算 (actual) and 预算 (budget) figures in yuan, one source for every document.
# --------------------------------------------------------------------------------------------

INCOME_ITEMS = ("会费收入", "拨缴经费收入", "上级补助收入", "行政补助收入", "其他收入")
EXPENSE_ITEMS = ("职工活动支出", "维权支出", "业务支出", "资本性支出", "其他支出")
_ACTUAL = {
    2018: ((41260, 178400, 10000, 60000, 326), (168500, 62400, 38600, 12800, 1200)),
    2019: ((42880, 186300, 8000, 60000, 341), (172300, 66900, 41200, 9600, 900)),
    2020: ((44150, 192600, 15000, 50000, 298), (131800, 83600, 33900, 26500, 1100)),
}
_BUDGET = {
    2018: ((40000, 175000, 8000, 60000, 300), (165000, 60000, 40000, 15000, 1000)),
    2019: ((42000, 180000, 8000, 60000, 300), (170000, 65000, 40000, 10000, 1000)),
    2020: ((43500, 188000, 8000, 60000, 300), (170000, 70000, 40000, 30000, 1000)),
    2021: ((45000, 195000, 10000, 60000, 300), (180000, 75000, 42000, 15000, 1000)),
}
_OPENING_2018 = 52000
_EXPENSE_NOTES = {
    "职工活动支出": "教职工文体活动、节日慰问、读书活动、宣传教育等",
    "维权支出": "送温暖、困难帮扶、金秋助学、劳动保护、女职工权益等",
    "业务支出": "工会干部培训、会议、教代会、会员评家及专项业务",
    "资本性支出": "职工之家、职工书屋、爱心妈咪小屋设备购置",
    "其他支出": "银行手续费等",
}


def _opening(year: int) -> int:
    balance = _OPENING_2018
    for y in range(2018, year):
        income, expense = _ACTUAL[y]
        balance += sum(income) - sum(expense)
    return balance


def _budget_sheets(year: int) -> list[Sheet]:
    """Year ``year`` 决算 against its budget, and the budget of ``year + 1``."""
    inc_a, exp_a = _ACTUAL[year]
    inc_b, exp_b = _BUDGET[year]
    inc_n, exp_n = _BUDGET[year + 1]

    def rate(a: int, b: int) -> str:
        return f"{a / b * 100:.1f}%" if b else "—"

    rows: list[tuple[object, ...]] = [("一、上年结余", _opening(year), _opening(year), "—",
                                       _opening(year + 1), "")]
    rows.append(("二、本年收入合计", sum(inc_b), sum(inc_a), rate(sum(inc_a), sum(inc_b)),
                 sum(inc_n), ""))
    for i, name in enumerate(INCOME_ITEMS):
        rows.append((f"　　{name}", inc_b[i], inc_a[i], rate(inc_a[i], inc_b[i]), inc_n[i], ""))
    rows.append(("三、本年支出合计", sum(exp_b), sum(exp_a), rate(sum(exp_a), sum(exp_b)),
                 sum(exp_n), ""))
    for i, name in enumerate(EXPENSE_ITEMS):
        rows.append((f"　　{name}", exp_b[i], exp_a[i], rate(exp_a[i], exp_b[i]), exp_n[i],
                     _EXPENSE_NOTES[name]))
    closing = _opening(year) + sum(inc_a) - sum(exp_a)
    rows.append(("四、年末结余", "—", closing, "—",
                 closing + sum(inc_n) - sum(exp_n), "预算年末结余为预计数"))
    main = Sheet(f"{year}决算及{year + 1}预算",
                 f"{UNIT}{year}年度经费收支决算及{year + 1}年度预算表",
                 ("项目", f"{year}年预算数", f"{year}年决算数", "执行率", f"{year + 1}年预算数",
                  "说明"), tuple(rows), widths=(22, 14, 14, 10, 14, 40),
                 before=("单位：元",),
                 after=(f"工会主席：{CHAIR}　　经审委主任：{AUDIT[0]}　　制表：{CLERK}",
                        f"制表日期：{year + 1}年3月"))
    detail_rows = []
    activities = {
        2018: (("春节、中秋节日慰问", 91200), ("教职工趣味运动会", 18600), ("三八节女教职工活动", 9800),
               ("读书月购书", 12400), ("篮球、羽毛球比赛", 14300), ("其他活动", 22200)),
        2019: (("春节、中秋节日慰问", 93000), ("教职工趣味运动会", 19800), ("三八节女教职工活动", 10200),
               ("读书月购书", 13600), ("青年教师赛课奖品", 8600), ("篮球、羽毛球比赛", 12800),
               ("其他活动", 14300)),
        2020: (("春节、中秋节日慰问", 94600), ("教职工运动会", 17400), ("迎新年羽毛球赛", 6300),
               ("职工书屋购书", 9800), ("其他活动", 3700)),
    }[year]
    for i, (what, amount) in enumerate(activities, 1):
        detail_rows.append((i, what, amount))
    detail_rows.append(("", "合计", sum(a for _, a in activities)))
    detail = Sheet("职工活动支出明细", f"{year}年度职工活动支出明细", ("序号", "项目", "金额（元）"),
                   tuple(detail_rows), widths=(6, 30, 14))
    return [main, detail]


def _satisfaction(ok: int, basic: int, bad: int) -> str:
    return f"{(ok + basic) / (ok + basic + bad) * 100:.1f}%"


_PING_JIA_ASPECTS = ("工会组织建设", "民主管理与校务公开", "维护教职工权益", "送温暖与困难帮扶",
                     "文体活动与阵地建设", "工会经费使用", "工会干部作风")


def _ping_jia_sheets(year: int, method: str, issued: int, returned: int, ok: int, basic: int,
                     bad: int, rng: random.Random) -> list[Sheet]:
    """会员评家 测评汇总: ballot counts and satisfaction, overall and by aspect."""
    valid = ok + basic + bad
    invalid = returned - valid
    summary = (("测评方式", method), ("发出测评票（份）", issued), ("收回测评票（份）", returned),
               ("有效票（份）", valid), ("无效票（份）", invalid), ("满意（票）", ok),
               ("基本满意（票）", basic), ("不满意（票）", bad),
               ("满意度（满意+基本满意）÷有效票", _satisfaction(ok, basic, bad)))
    s1 = Sheet("汇总", f"{year}年会员评议职工之家满意度测评汇总表", ("项目", "数据"), summary,
               widths=(34, 20), before=(f"单位：{UNIT}",),
               after=(f"计票人：{AUDIT[1]}、{CLERK}　　监票人：{AUDIT[0]}",
                      "原始测评票由工会办公室封存备查。"))
    rows = []
    for aspect in _PING_JIA_ASPECTS:
        b = max(0, bad + rng.randint(-2, 2))
        m = max(0, basic + rng.randint(-3, 4))
        o = valid - b - m
        rows.append((aspect, o, m, b, _satisfaction(o, m, b)))
    s2 = Sheet("分项", f"{year}年会员评家分项测评统计", ("测评内容", "满意", "基本满意", "不满意",
                                                "满意度"), tuple(rows),
               widths=(22, 10, 10, 10, 10))
    return [s1, s2]


# --------------------------------------------------------------------------------------------
# 2019
# --------------------------------------------------------------------------------------------

def _year_2019(b: _Builder, ctx: Ctx) -> None:
    y = "2019年工会资料"
    rng = ctx.rng
    d = date(2019, 1, 10)
    b.docx(f"{y}/2019年工会工作计划.docx", "F-3", f"{UNIT}2019年工作计划", d, _formal(
        UNION_HEAD, union_no(2019, 1), f"{UNIT}2019年工作计划", "各工会小组：", [
            "2019年，校工会在学校党委的领导和上级工会的指导下，以习近平新时代中国特色社会主义"
            "思想为指导，认真贯彻落实中国工会第十七次全国代表大会精神，围绕学校教育教学中心工作，"
            "以“六有五家”为主要内容深化职工之家建设，切实履行维护、建设、参与、教育职能。",
            ("h", "一、加强工会自身建设"),
            "按期完成工会委员会换届选举工作，健全工会委员会、经费审查委员会、女职工委员会；加强会员"
            "会籍管理，做到新进教职工及时入会；完善建家、管家、评家制度，规范建家活动档案。",
            ("h", "二、推进民主管理"),
            "3月召开第四届教代会第五次会议，做好提案征集、立案和督办；配合学校推进校务公开，"
            "完善公开栏和网上公开平台；年内组织一次会员评议职工之家活动。",
            ("h", "三、做好服务和帮扶"),
            "做好春节、中秋送温暖，建立健全困难教职工档案，落实“必谈必访”制度；组织教职工健康体检。",
            ("h", "四、丰富文体活动"),
            "开展读书月、青年教师课堂教学大赛、教职工趣味运动会和“三八”节女教职工活动。",
            ("h", "五、抓好安全和劳动保护"),
            "开展“安康杯”竞赛和“安全生产月”活动，组织职工代表开展安全巡视检查。",
        ], UNIT, d), doc_no=union_no(2019, 1), items=(4, 6), tags=("工作计划",), header=None)

    d = date(2019, 1, 15)
    b.docx(f"{y}/工会委员会会议纪要2019-1.docx", "F-6", "工会委员会会议纪要（2019年第1次）", d,
           _minutes("工会委员会会议纪要", "（2019年第1次）", d, "下午4:30", "行政楼三楼会议室",
                    CHAIR, COMMITTEE, [
                        ("研究2019年工会工作计划",
                         f"{CHAIR}同志传达了上级工会工作会议精神，介绍了2019年工作计划（讨论稿）。"
                         "与会委员逐条讨论，建议增加青年教师课堂教学大赛和读书月活动。"),
                        ("研究2019年春节送温暖方案",
                         f"{'罗建军'}同志汇报了各工会小组摸排情况：拟慰问困难、患病教职工及困难家庭"
                         "共18人，标准为每人500至1000元，经费从维权支出列支。"),
                        ("研究工会换届筹备工作",
                         "本届工会委员会任期将于2019年5月届满，会议研究了换届时间安排和候选人"
                         "推荐办法。"),
                    ], [
                        "原则通过2019年工作计划，由工会办公室修改后印发。",
                        "通过春节送温暖方案，1月20日前完成走访慰问，慰问名单报工会备案。",
                        "成立换届选举筹备小组，由周明华任组长，4月上旬向上级工会报送请示。",
                    ]), items=(6,), tags=("会议纪要", "工会委员会"), header=UNIT)

    d = date(2019, 1, 18)
    b.xlsx(f"{y}/2019年春节送温暖慰问名单.xlsx", "C-4", "2019年春节送温暖慰问名单", d,
           [_wei_wen_sheet(ctx, 2019, date(2019, 1, 18), 18)], items=(19,),
           tags=("送温暖", "慰问"))

    d = date(2019, 2, 25)
    b.docx(f"{y}/关于召开第四届教代会第五次会议的通知.docx", "B-1",
           "关于召开第四届教职工代表大会第五次会议的通知", d, _formal(
               UNION_HEAD, union_no(2019, 2), "关于召开第四届教职工代表大会第五次会议的通知",
               "各代表团、全体教职工代表：", [
                   "经学校党委研究决定，定于2019年3月8日（星期五）下午2:30在学校学术报告厅召开"
                   "第四届教职工代表大会第五次会议。现将有关事项通知如下：",
                   "一、会议议程：（一）听取和审议校长工作报告；（二）听取和审议学校财务工作报告；"
                   "（三）审议《教职工考勤与请假管理办法（修订稿）》；（四）听取提案工作报告；"
                   "（五）通过大会决议。",
                   "二、提案征集：请各代表团于3月4日前将代表提案交校工会办公室，提案须一事一案，"
                   "有案由、有分析、有具体建议，附议代表不少于2人。",
                   "三、会议要求：全体代表准时出席，因故不能参会的须向工会书面请假。",
               ], UNIT, d), doc_no=union_no(2019, 2), items=(15,), tags=("教代会", "通知"))

    d = date(2019, 3, 1)
    b.docx(f"{y}/关于建立教职工必谈必访制度的通知.docx", "C-5",
           "关于建立教职工“必谈必访”制度的通知", d, _formal(
               UNION_HEAD, union_no(2019, 3), "关于建立教职工“必谈必访”制度的通知",
               "各工会小组：", [
                   "为深入了解教职工思想状况、困难情况和利益诉求，校工会决定建立“必谈必访”制度。",
                   ("h", "一、必谈"),
                   "教职工工作岗位变动、职称评聘未通过、受到批评处分、家庭发生重大变故、"
                   "与同事发生矛盾、思想情绪明显波动时，工会小组长或工会委员必须与其谈心。",
                   ("h", "二、必访"),
                   "教职工生病住院、家庭困难、婚丧嫁娶、生育、退休、直系亲属去世时，"
                   "工会必须上门走访或慰问。",
                   ("h", "三、工作要求"),
                   "谈访情况由工会小组长填写《必谈必访记录》，每学期末交工会办公室汇总存档；"
                   "反映的问题按职责转交学校相关部门，并在15个工作日内向本人反馈。",
               ], UNIT, d), doc_no=union_no(2019, 3), items=(19,), tags=("必谈必访", "制度"))

    d = date(2019, 3, 8)
    delegates = ctx.pick(d, 45)
    absent = {delegates[7].name: "病假", delegates[30].name: "外出培训"}
    b.xlsx(f"{y}/教代会签到表2019.xlsx", "B-1", "第四届教代会第五次会议代表签到表", d,
           [_sign_in("第四届教职工代表大会第五次会议代表签到表", d, "学术报告厅", delegates,
                     absent=absent, col="代表团")], items=(15,), tags=("教代会", "签到表"))
    b.docx(f"{y}/第四届教代会第五次会议决议.docx", "B-1", "第四届教职工代表大会第五次会议决议",
           d, _plain("重庆市渝碚实验中学第四届教职工代表大会第五次会议决议", [
               f"（{_cn_date(d)}第四届教职工代表大会第五次会议通过）",
               f"重庆市渝碚实验中学第四届教职工代表大会第五次会议于{_cn_date(d)}在学术报告厅召开。"
               f"应到代表45名，实到代表43名，符合法定人数。",
               "会议听取和审议了陈志远校长所作的学校工作报告，审议了学校财务工作报告，"
               "听取了提案工作报告。大会认为，学校工作报告实事求是，目标明确，措施有力，"
               "同意学校工作报告和财务工作报告。",
               "会议审议并以无记名投票方式通过了《教职工考勤与请假管理办法（修订稿）》：应投票43张，"
               "赞成40票，反对1票，弃权2票。",
               "大会号召全体教职工在学校党委的领导下，团结一心，开拓进取，为办人民满意的学校"
               "而努力奋斗。",
           ], JDH4, d), responsible=JDH4, items=(15,), tags=("教代会", "决议"), footer=False)
    b.photo("照片/2019/2019-03-08 第四届教代会第五次会议.jpg", "B-1",
            "2019年3月8日第四届教代会第五次会议现场", d,
            Scene("hall", "重庆市渝碚实验中学第四届教职工代表大会第五次会议", people=21),
            taken=datetime(2019, 3, 8, 14, 42, 18), phone=HUAWEI, items=(15,),
            tags=("照片", "教代会"))

    d = date(2019, 3, 15)
    b.docx(f"{y}/校务公开实施方案.docx", "B-3", "重庆市渝碚实验中学校务公开实施方案", d, _formal(
        SCHOOL_HEAD, school_no(2019, 8), "重庆市渝碚实验中学校务公开实施方案", "各处室、各年级组：", [
            ("h", "一、组织领导"),
            f"成立校务公开领导小组，组长：{SECRETARY}、{PRINCIPAL}；副组长：{CHAIR}；成员：各处室"
            "主任。领导小组办公室设在校长办公室，校工会负责监督。成立校务公开监督小组，由教代会"
            "代表5人组成。",
            ("h", "二、公开内容"),
            "学校发展规划和年度工作计划；财务预决算和大额开支；绩效工资分配方案；职称评审、"
            "评优评先、岗位聘用；基建和大宗物资采购；教职工福利待遇；招生收费政策等。",
            ("h", "三、公开形式"),
            "教代会、教职工大会、行政楼一楼校务公开栏、学校网站和教职工微信群。",
            ("h", "四、公开时间"),
            "常规事项每学期公开一次，阶段性事项随时公开，公示期一般不少于5个工作日。",
        ], SCHOOL, d), doc_no=school_no(2019, 8), responsible=SCHOOL, items=(16,),
        tags=("校务公开", "制度"))

    d = date(2019, 3, 20)
    b.xlsx(f"{y}/四届五次教代会提案汇总及处理情况.xlsx", "B-1",
           "第四届教代会第五次会议提案汇总及处理情况表", d, [_proposal_sheet(ctx, 2019, d)],
           items=(15,), tags=("教代会", "提案"))

    d = date(2019, 3, 5)
    b.xlsx(f"{y}/2018年度经费决算及2019年度预算.xlsx", "F-5",
           "2018年度工会经费收支决算及2019年度预算表", d, _budget_sheets(2018), items=(5,),
           tags=("经费", "预算", "决算"))
    b.docx(f"{y}/2018年度工会经费审查报告.docx", "F-5", "关于2018年度工会经费收支情况的审查报告",
           date(2019, 3, 6), _audit_report(2018, date(2019, 3, 6)), responsible=JINGSHEN,
           items=(2, 5), tags=("经审", "经费"))

    d = date(2019, 4, 10)
    b.docx(f"{y}/关于工会换届选举的请示.docx", "F-1", "关于重庆市渝碚实验中学工会换届选举的请示",
           d, _formal(UNION_HEAD, union_no(2019, 4), "关于重庆市渝碚实验中学工会换届选举的请示",
                      f"{UPPER}：", [
                          "我校第五届工会委员会于2014年5月选举产生，任期五年，将于2019年5月届满。"
                          "根据《中国工会章程》和《工会基层组织选举工作条例》，经学校党委同意，"
                          "拟于2019年5月下旬召开第六次会员代表大会，选举产生第六届工会委员会和经费"
                          "审查委员会。",
                          f"目前我校有教职工{len(ctx.staff(d))}人，会员{len(ctx.members(d))}人。"
                          "拟设会员代表62名，按工会小组分配名额选举产生；拟设工会委员会委员9名，"
                          "候选人10名，实行差额选举；经费审查委员会委员3名；女职工委员会委员5名"
                          "（由工会委员会提名，与工会委员会同时产生）。",
                          "妥否，请批示。",
                      ], UNIT, d), doc_no=union_no(2019, 4), items=(1, 14), tags=("换届", "请示"))
    d = date(2019, 4, 18)
    b.pdf(f"{y}/上级工会关于同意换届选举的批复.pdf", "F-1",
          "关于同意重庆市渝碚实验中学工会换届选举的批复", d, _formal(
              UPPER_HEAD, "渝教科文卫体工〔2019〕31号", "关于同意重庆市渝碚实验中学工会换届选举的批复",
              f"{UNIT}：", [
                  "你会《关于重庆市渝碚实验中学工会换届选举的请示》（渝碚中工〔2019〕4号）收悉。"
                  "经研究，同意你会召开第六次会员代表大会进行换届选举，同意委员会委员名额及候选人"
                  "差额比例。",
                  "请你会严格按照《工会基层组织选举工作条例》的规定做好选举工作，选举结果及时报我会"
                  "审批。",
              ], UPPER, d), doc_no="渝教科文卫体工〔2019〕31号", responsible=UPPER, items=(1, 14),
          tags=("换届", "批复"))

    d = date(2019, 4, 15)
    b.docx(f"{y}/关于举办2019年青年教师课堂教学大赛的通知.docx", "A-1",
           "关于举办2019年青年教师课堂教学大赛的通知", d, _formal(
               UNION_HEAD, union_no(2019, 5), "关于举办2019年青年教师课堂教学大赛的通知",
               "各工会小组、各教研组：", [
                   "为贯彻“当好主人翁，建功新时代”主题劳动竞赛要求，促进青年教师专业成长，校工会"
                   "与教务处联合举办2019年青年教师课堂教学大赛。",
                   "一、参赛对象：35周岁以下专任教师（1984年1月1日以后出生）。",
                   "二、比赛安排：4月22日至26日初赛（教研组内），5月13日至15日决赛（全校公开课）。",
                   "三、评分办法：教学设计20分、课堂实施60分、教学反思20分，评委由学科带头人和"
                   "教代会代表组成。",
                   "四、奖励：设一等奖3名、二等奖6名、三等奖9名，由校工会颁发证书和奖品，"
                   "成绩计入年度考核。",
               ], UNIT, d), doc_no=union_no(2019, 5), items=(7,), tags=("劳动竞赛", "赛课"))

    d = date(2019, 4, 22)
    b.docx(f"{y}/关于学习贯彻重庆市职工之家创建标准的通知.docx", "F-4",
           "关于认真学习贯彻《重庆市职工之家创建标准》的通知", d, _formal(
               UNION_HEAD, union_no(2019, 6), "关于认真学习贯彻《重庆市职工之家创建标准》的通知",
               "各工会小组：", [
                   "重庆市总工会印发了《重庆市职工之家创建标准》（渝工发〔2019〕2号），市教科文卫体"
                   "工会下发了《关于职工之家（小家）创建活动的通知》（渝教科文卫体工〔2019〕23号）。"
                   "为做好我校建家工作，现就学习贯彻有关事项通知如下：",
                   "一、各工会小组要组织会员认真学习“六有五家”标准，对照合格职工之家标准查找差距。",
                   "二、校工会按照《重庆市职工之家（小家）资料台帐参考目录》（渝工组〔2008〕28号）"
                   "规范建家档案，分A至F六卷整理2019年以来的资料。",
                   "三、在巩固合格职工之家的基础上，力争用两到三年时间创建市教科文卫体工会先进职工之家。",
               ], UNIT, d), doc_no=union_no(2019, 6), items=(4,), tags=("建家", "上级文件"))

    d = date(2019, 4, 23)
    b.docx(f"{y}/读书月活动方案.docx", "D-2", "“书香校园·悦读人生”教职工读书月活动方案", d,
           _formal(UNION_HEAD, union_no(2019, 7), "“书香校园·悦读人生”教职工读书月活动方案",
                   "各工会小组：", [
                       "为推进学习型组织建设，引导教职工多读书、读好书，校工会定于4月23日至5月23日"
                       "开展教职工读书月活动。",
                       "一、好书推荐：每个工会小组推荐3本好书，由职工书屋统一采购。",
                       "二、读书分享：5月中旬举行读书分享会，每组选派1名代表交流。",
                       "三、征文评比：围绕“我的教育故事”征集读书心得，评选优秀作品在校刊发表。",
                   ], UNIT, d), doc_no=union_no(2019, 7), items=(12, 17), tags=("读书月",))
    b.photo("照片/2019/2019-04-23 读书月启动暨职工书屋赠书.jpg", "D-2",
            "2019年4月23日读书月启动暨职工书屋赠书", d,
            Scene("books", "书香校园·悦读人生　教职工读书月", people=5, palette=2),
            taken=datetime(2019, 4, 23, 16, 5, 41), phone=HUAWEI, items=(17,),
            tags=("照片", "读书月", "职工书屋"))

    d = date(2019, 4, 30)
    b.docx(f"{y}/2019年安康杯竞赛实施方案.docx", "E-2", "关于开展2019年“安康杯”竞赛活动的实施方案",
           d, _formal(UNION_HEAD, union_no(2019, 8), "关于开展2019年“安康杯”竞赛活动的实施方案",
                      "各工会小组：", [
                          "为落实安全生产责任，保障教职工安全健康，校工会与总务处联合开展2019年"
                          "“安康杯”竞赛活动。",
                          f"一、成立竞赛领导小组，组长：{PRINCIPAL}，副组长：{CHAIR}、罗建军，成员："
                          "各处室主任和工会小组长。",
                          "二、竞赛内容：安全知识学习和答题；实验室、食堂、宿舍安全隐患排查；"
                          "消防疏散演练；职工代表安全巡视检查。",
                          "三、考核评比：年底按工会小组评选“安康杯”优胜小组2个。",
                      ], UNIT, d), doc_no=union_no(2019, 8), items=(20,), tags=("安康杯",))

    d = date(2019, 5, 6)
    b.docx(f"{y}/会员评议职工之家实施办法.docx", "F-3", "会员评议职工之家实施办法", d, _formal(
        UNION_HEAD, union_no(2019, 9), "重庆市渝碚实验中学工会会员评议职工之家实施办法",
        "各工会小组：", [
            "根据《重庆市总工会关于开展会员评议职工之家活动的实施办法（试行）》，结合我校实际，"
            "制定本办法。",
            ("h", "一、评议时间"),
            "每年至少评议一次，一般结合会员代表大会进行。",
            ("h", "二、评议内容"),
            "工会组织建设、民主管理与校务公开、维护教职工权益、送温暖与困难帮扶、文体活动与"
            "阵地建设、工会经费使用、工会干部作风等七个方面。",
            ("h", "三、评议程序"),
            "工会委员会报告建家工作—会员（代表）无记名填写测评票—经审委员会监督计票—结果公示"
            "并报上级工会。测评原始票由工会办公室封存，保存三年。",
            ("h", "四、结果运用"),
            "满意度（满意票与基本满意票之和占有效票的比例）低于90%的，工会委员会须制定整改措施"
            "并向会员报告。",
        ], UNIT, d), doc_no=union_no(2019, 9), items=(4, 16), tags=("会员评家", "制度"))

    d = date(2019, 5, 10)
    b.xlsx(f"{y}/工会会员花名册（2019年5月）.xlsx", "F-2", "工会会员花名册（2019年5月）", d,
           [_roster_sheet(ctx, d)], items=(14,), tags=("会籍", "花名册"))

    d = date(2019, 5, 14)
    b.photo("照片/2019/2019-05-14 青年教师课堂教学大赛决赛.jpg", "A-1",
            "2019年5月14日青年教师课堂教学大赛决赛", d,
            Scene("classroom", "青年教师课堂教学大赛决赛", people=21, palette=1),
            taken=datetime(2019, 5, 14, 10, 12, 3), phone=XIAOMI, items=(7,),
            tags=("照片", "劳动竞赛"))
    d = date(2019, 5, 16)
    b.pdf(f"{y}/2019年青年教师课堂教学大赛总结.pdf", "A-1", "2019年青年教师课堂教学大赛总结", d,
          _plain("2019年青年教师课堂教学大赛总结", [
              "4月至5月，校工会与教务处联合举办了2019年青年教师课堂教学大赛，全校35周岁以下"
              "青年教师38人全部参加初赛，18人进入决赛。",
              "比赛突出“以学生为中心”的课堂改革方向，评委由学科带头人和教代会代表组成，全程公开"
              "评分。经评定，共评出一等奖3名、二等奖6名、三等奖9名，奖品费用8600元由工会经费列支。",
              ("table", (("奖次", "姓名", "学科"), tuple(
                  ("一等奖" if i < 3 else "二等奖" if i < 9 else "三等奖", p.name,
                   p.group.replace("组", "")) for i, p in enumerate(
                      ctx.teachers(d, 18, born_after=date(1984, 1, 1)))))),
              "大赛促进了青年教师钻研教材、改进教法，一等奖获得者将推荐参加区级优质课比赛。",
          ], UNIT, d), items=(7, 9), tags=("劳动竞赛", "总结"))

    _election_2019(b, ctx, y)

    d = date(2019, 6, 18)
    b.docx(f"{y}/工会经费使用管理办法（修订）.docx", "F-5", "工会经费使用管理办法（修订）", d,
           _formal(UNION_HEAD, union_no(2019, 12), "重庆市渝碚实验中学工会经费使用管理办法（修订）",
                   "各工会小组：", [
                       "为规范工会经费使用，根据《工会会计制度》和上级工会经费收支管理办法，"
                       "修订本办法。",
                       "一、工会经费坚持服务职工、服务基层，主要用于职工活动、维权帮扶和工会业务。",
                       "二、单笔支出3000元以下由工会主席审批；3000元以上由工会委员会集体研究；"
                       "2万元以上须经工会委员会研究并报学校党委同意。",
                       "三、节日慰问品标准按上级工会规定执行，不得发放现金和购物卡。",
                       "四、经费审查委员会每年审查一次经费收支情况，并向会员代表大会报告。",
                   ], UNIT, d), doc_no=union_no(2019, 12), items=(5, 4), tags=("经费", "制度"))

    d = date(2019, 6, 20)
    b.pdf(f"{y}/2019年职称评审推荐人选公示.pdf", "B-3", "2019年职称评审推荐人选公示", d,
          _plain("2019年职称评审推荐人选公示", [
              "根据重庆市中小学教师职称评审有关规定，经个人申报、教研组推荐、学校职称评审推荐"
              "小组评议，现将2019年职称评审推荐人选公示如下：",
              ("table", (("序号", "姓名", "学科", "申报职称"), tuple(
                  (i, p.name, p.group.replace("组", ""), "高级教师" if i <= 4 else "一级教师")
                  for i, p in enumerate(ctx.teachers(d, 9), 1)))),
              "公示时间：2019年6月20日至6月26日（5个工作日）。如有异议，请以书面形式向校务公开"
              f"监督小组反映。联系人：{CHAIR}，电话：68xxxx21。",
          ], SCHOOL, d), responsible=SCHOOL, items=(16,), tags=("校务公开", "公示"))

    d = date(2019, 9, 2)
    b.xlsx(f"{y}/2019年秋季聘用合同签订情况统计.xlsx", "C-1",
           "2019年秋季教职工聘用（劳动）合同签订情况统计表", d, [Sheet(
               "统计", "2019年秋季教职工聘用（劳动）合同签订情况统计表",
               ("类别", "人数", "已签订", "签订率", "合同期限", "备注"), (
                   ("在编教职工（聘用合同）", 146, 146, "100%", "3—5年及至退休", "人事处存档"),
                   ("新进在编教师（聘用合同）", 5, 5, "100%", "5年（含试用期1年）", "8月26日签订"),
                   ("非在编教职工（劳动合同）", 3, 3, "100%", "1年", "人事代理，五险一金已缴"),
                   ("合计", 154, 154, "100%", "", ""),
               ), widths=(26, 8, 8, 8, 20, 20), before=(f"统计时间：{_cn_date(d)}",),
               after=("统计：人事处　　审核：校工会",))], responsible=SCHOOL, items=(18,),
           tags=("劳动合同", "聘用合同"))

    d = date(2019, 9, 6)
    b.docx(f"{y}/关于表彰2018-2019学年度优秀教职工的决定.docx", "A-4",
           "关于表彰2018—2019学年度优秀教职工的决定", d, _formal(
               SCHOOL_HEAD, school_no(2019, 36), "关于表彰2018—2019学年度优秀教职工的决定",
               "全体教职工：", [
                   "2018—2019学年度，全校教职工爱岗敬业、无私奉献，涌现出一批师德高尚、业绩突出的"
                   "先进典型。经各部门推荐、教代会代表评议、校务会研究并公示，学校决定授予以下"
                   "同志“优秀教职工”称号：",
                   "、".join(ctx.names(d, 16)) + "。",
                   "希望受表彰的同志珍惜荣誉、再接再厉；全校教职工以先进为榜样，弘扬劳模精神、劳动精神、"
                   "工匠精神，为学校高质量发展作出新的贡献。",
               ], SCHOOL, d), doc_no=school_no(2019, 36), responsible=SCHOOL, items=(10,),
           tags=("表彰", "创先争优"))
    b.photo("照片/2019/2019-09-10 庆祝第35个教师节暨表彰大会.jpg", "A-4",
            "2019年9月10日庆祝第35个教师节暨表彰大会", date(2019, 9, 10),
            Scene("hall", "庆祝第35个教师节暨优秀教职工表彰大会", people=28, palette=2),
            taken=datetime(2019, 9, 10, 15, 20, 55), phone=HUAWEI, items=(10,),
            tags=("照片", "表彰"))

    d = date(2019, 9, 20)
    b.docx(f"{y}/2019年师德师风专题教育活动总结.docx", "D-1", "2019年师德师风专题教育活动总结", d,
           _plain("2019年师德师风专题教育活动总结", [
               "根据上级要求，学校党委、校工会于8月下旬至9月开展了师德师风专题教育活动。",
               "一是集中学习。组织全体教职工学习《新时代中小学教师职业行为十项准则》，观看师德"
               "警示教育片，签订师德承诺书154份。",
               "二是典型引领。举办“我身边的好老师”事迹分享会，4名优秀教职工讲述教育故事。",
               "三是问题自查。以工会小组为单位开展自查，查摆有偿补课、收受礼品等问题，未发现违规情况。",
               "通过活动，教职工“四德”意识进一步增强，形成了崇德向善、修身律己的良好风尚。",
           ], UNIT, d), items=(11,), tags=("师德", "职业道德"))

    d = date(2019, 9, 30)
    b.txt(f"{y}/必谈必访记录2019秋.txt", "C-5", "2019年秋季必谈必访记录", d,
          _talk_visit_blocks(ctx, "2019年秋季必谈必访记录", d, 8), encoding="gb18030",
          crlf=True, items=(19,), tags=("必谈必访",))

    d = date(2019, 10, 8)
    b.docx(f"{y}/关于组织2019年度教职工健康体检的通知.docx", "C-2",
           "关于组织2019年度教职工健康体检的通知", d, _formal(
               SCHOOL_HEAD, school_no(2019, 41), "关于组织2019年度教职工健康体检的通知",
               "全体教职工：", [
                   "为关心教职工身体健康，学校决定组织2019年度教职工健康体检。",
                   "一、体检时间：10月14日至10月25日，按工会小组分批进行。",
                   "二、体检机构：北碚区人民医院体检中心。",
                   "三、体检项目：常规项目及心脑血管、肿瘤标志物等；女教职工增加乳腺、妇科检查项目。",
                   "四、体检费用由学校行政列支，校工会负责组织协调。",
               ], SCHOOL, d), doc_no=school_no(2019, 41), responsible=SCHOOL, items=(20,),
           tags=("体检", "权益"))

    d = date(2019, 10, 15)
    b.txt(f"{y}/职工代表安全巡视检查记录2019.txt", "E-4", "2019年秋季职工代表安全巡视检查记录", d, [
        ("title", "2019年秋季职工代表安全巡视检查记录"),
        ("kv", [("检查时间", _cn_date(d)), ("检查人员", f"黄德明、罗建军、{ctx.names(d, 2)[0]}、"
                                                    f"{ctx.names(d, 2)[1]}（职工代表）"),
                ("检查范围", "实验楼、学生食堂、学生宿舍、配电房")]),
        ("table", (("部位", "发现问题", "整改要求", "责任部门", "整改情况"), (
            ("化学实验室", "危化品柜双人双锁登记不全", "补全登记", "教务处", "已整改"),
            ("学生食堂", "操作间一处插座无防水盖", "更换防水插座", "总务处", "已整改"),
            ("学生宿舍3栋", "走廊应急灯2盏不亮", "更换应急灯", "总务处", "已整改"),
            ("配电房", "门口堆放杂物", "清理杂物", "总务处", "已整改"),
        ))),
        ("p", "本次巡视共发现问题4处，已于10月22日前全部整改完毕，经复查合格。"),
        _sign("校工会劳动保护监督小组", d),
    ], encoding="gb18030", crlf=True, items=(20,), tags=("安全巡视",))

    d = date(2019, 10, 25)
    b.docx(f"{y}/关于举办2019年教职工趣味运动会的通知.docx", "D-5",
           "关于举办2019年教职工趣味运动会的通知", d, _formal(
               UNION_HEAD, union_no(2019, 13), "关于举办2019年教职工趣味运动会的通知",
               "各工会小组：", [
                   "为丰富教职工文化生活，增强团队凝聚力，校工会定于2019年11月6日（星期三）下午"
                   "在学校田径场举办教职工趣味运动会。",
                   "一、比赛项目：拔河、集体跳绳、托球跑接力、夹球跑、踢毽子、投篮。",
                   "二、参赛办法：以工会小组为单位组队，每个小组不少于15人参加。",
                   "三、请各小组于11月1日前将报名表交工会办公室。",
               ], UNIT, d), doc_no=union_no(2019, 13), items=(13,), tags=("文体活动", "运动会"))
    d = date(2019, 11, 6)
    b.photo("照片/2019/2019-11-06 教职工趣味运动会 拔河.jpg", "D-5",
            "2019年11月6日教职工趣味运动会拔河比赛", d,
            Scene("field", "重庆市渝碚实验中学2019年教职工趣味运动会", people=16, size=(1024, 768)),
            taken=datetime(2019, 11, 6, 15, 36, 12), phone=HUAWEI, items=(13,),
            tags=("照片", "运动会"))
    b.photo("微信接收/mmexport1573027845123.jpg", "D-5", "2019年教职工趣味运动会集体跳绳", d,
            Scene("field", "2019年教职工趣味运动会", people=12, size=(960, 720), palette=1),
            items=(13,), tags=("照片", "运动会"))
    d = date(2019, 11, 8)
    b.pdf(f"{y}/2019年教职工趣味运动会活动总结.pdf", "D-5", "2019年教职工趣味运动会活动总结", d,
          _plain("2019年教职工趣味运动会活动总结", [
              "11月6日下午，校工会在学校田径场举办了2019年教职工趣味运动会，7个工会小组共132名"
              "教职工参加，参与率达86%。",
              "比赛设拔河、集体跳绳、托球跑接力等6个项目。经过激烈角逐，理化生组获团体第一名，"
              "行政后勤组、数学组分获第二、三名。",
              "运动会费用19800元（含奖品、饮用水、场地布置），由工会经费职工活动支出列支。",
              "本次运动会项目设计兼顾不同年龄段教职工，得到大家好评；不足是部分项目时间安排偏紧。",
          ], UNIT, d), items=(13,), tags=("运动会", "总结"))

    d = date(2019, 11, 9)
    fire = ctx.pick(d, 40)
    b.xlsx(f"{y}/消防安全知识培训签到表.xlsx", "E-1", "2019年消防安全知识培训签到表", d,
           [_sign_in("2019年教职工消防安全知识培训签到表", d, "学术报告厅", fire,
                     absent={fire[12].name: "事假"})], items=(20,), tags=("安全培训", "签到表"))
    b.photo("照片/2019/2019-11-09 消防疏散演练.jpg", "E-2", "2019年11月9日消防安全培训及疏散演练", d,
            Scene("field", "消防安全疏散演练", people=18, palette=3),
            taken=datetime(2019, 11, 9, 10, 48, 30), phone=XIAOMI, items=(20,),
            tags=("照片", "消防演练"))

    d = date(2019, 11, 28)
    b.pdf(f"{y}/工会简报2019第2期.pdf", "F-6", "工会简报（2019年第2期）", d, [
        ("title", "工会简报"), ("subtitle", "2019年第2期（总第21期）　重庆市渝碚实验中学工会编　"
                                         f"{_cn_date(d)}"),
        ("h", "我校举办2019年教职工趣味运动会"),
        ("p", "11月6日，校工会举办教职工趣味运动会，132名教职工参赛，理化生组获团体第一名。"),
        ("h", "校工会开展消防安全知识培训"),
        ("p", "11月9日，校工会邀请区消防救援支队教官为教职工讲授消防知识并组织疏散演练。"),
        ("h", "金秋助学送温暖"),
        ("p", "校工会为3名子女考入大学的困难教职工发放金秋助学金共6000元。"),
    ], items=(6,), tags=("简报",))

    d = date(2019, 12, 20)
    b.xlsx(f"{y}/2019年度中层干部民主测评汇总.xlsx", "B-4", "2019年度中层干部民主测评汇总表", d,
           [_cadre_sheet(ctx, 2019, d)], responsible=SCHOOL, items=(21,),
           tags=("民主评议", "干部测评"))

    d = date(2019, 12, 27)
    b.docx(f"{y}/2019年工会工作总结.docx", "F-3", f"{UNIT}2019年工作总结", d, _plain(
        f"{UNIT}2019年工作总结", [
            "2019年，校工会在学校党委领导下，按照年初工作计划，扎实推进职工之家建设，各项工作"
            "取得了新成效。",
            ("h", "一、组织建设"),
            "5月20日召开第六次会员代表大会，顺利完成换届选举，选举产生第六届工会委员会、经费审查"
            "委员会和女职工委员会；新进教职工5人全部入会。",
            ("h", "二、民主管理"),
            "召开第四届教代会第五次会议，征集提案12件，立案9件，办结9件；配合学校完善校务公开"
            "实施方案，全年公开事项26项。",
            ("h", "三、服务职工"),
            "春节慰问教职工18人，中秋慰问全体会员；金秋助学3人；建立必谈必访制度，全年谈心走访"
            "41人次；组织全体教职工健康体检。",
            ("h", "四、文体活动"),
            "开展读书月、青年教师课堂教学大赛、趣味运动会、三八节活动等，参与教职工达600余人次。",
            ("h", "五、会员评家"),
            "5月20日会员代表大会上开展会员评家，有效票60张，满意度96.7%。",
            ("h", "六、存在不足"),
            "职工之家活动室面积偏小，爱心妈咪小屋尚未建成；职工代表安全巡视还不够经常。",
        ], UNIT, d), items=(4, 6), tags=("工作总结",))


def _election_2019(b: _Builder, ctx: Ctx, y: str) -> None:
    """第六次会员代表大会 (2019-05-20): 换届选举 and 会员评家."""
    d = date(2019, 5, 20)
    delegates = 62
    present = 60
    candidates = [*COMMITTEE, "付国平"]
    votes = dict(zip(candidates, (58, 56, 55, 57, 54, 56, 53, 55, 52, 31)))
    b.xlsx(f"{y}/换届选举计票汇总表.xlsx", "F-1", "第六次会员代表大会选举计票汇总表", d, [
        Sheet("工会委员会", "第六届工会委员会委员选举计票汇总表",
              ("序号", "候选人", "得票数", "应到代表", "实到代表", "是否当选"), tuple(
                  (i, n, votes[n], delegates, present, "当选" if votes[n] > present / 2 and
                   n != "付国平" else "未当选") for i, n in enumerate(candidates, 1)),
              widths=(6, 10, 10, 10, 10, 10),
              before=("发出选票60张，收回60张，有效票60张，无效票0张。",),
              after=(f"总监票人：{AUDIT[0]}　　计票人：{AUDIT[1]}、肖红",)),
        Sheet("经费审查委员会", "第六届经费审查委员会委员选举计票汇总表",
              ("序号", "候选人", "得票数", "是否当选"), tuple(
                  (i, n, v, "当选") for i, (n, v) in enumerate(zip(AUDIT, (57, 55, 56)), 1)),
              widths=(6, 10, 10, 10)),
    ], items=(1, 2, 14), tags=("换届", "选举"))
    b.docx(f"{y}/第六次会员代表大会会议纪要.docx", "F-6", "第六次会员代表大会会议纪要", d, _minutes(
        "重庆市渝碚实验中学工会第六次会员代表大会会议纪要", None, d, "下午3:00", "学术报告厅",
        VICE, [f"会员代表{present}名（应到{delegates}名）"], [
            ("听取和审议第五届工会委员会工作报告",
             f"{CHAIR}同志代表第五届工会委员会作了题为《凝心聚力建小家　同心筑梦促发展》的工作"
             "报告，回顾了五年来的工作，提出了今后五年的工作建议。"),
            ("听取和审议经费审查工作报告", f"{AUDIT[0]}同志作了经费审查工作报告。"),
            ("选举第六届工会委员会和经费审查委员会",
             "大会采用无记名投票、差额选举方式，选举产生第六届工会委员会委员9名、经费审查委员会"
             "委员3名。"),
            ("开展会员评议职工之家", "代表们对照七个方面填写测评票，经审委员会监督计票。"),
        ], [
            "同意第五届工会委员会工作报告和经费审查工作报告。",
            "选举" + "、".join(COMMITTEE) + "为第六届工会委员会委员；选举" + "、".join(AUDIT)
            + "为经费审查委员会委员。",
            f"第六届工会委员会第一次全体会议选举{CHAIR}为主席、{VICE}为副主席；经费审查委员会"
            f"第一次会议选举{AUDIT[0]}为主任。",
            "会员评家有效票60张，满意51票，基本满意7票，不满意2票，满意度96.7%。",
        ], absent="2名（病假1名、外出学习1名）", attend=f"党委书记{SECRETARY}、校长{PRINCIPAL}"),
        items=(1, 14, 16), tags=("会员代表大会", "会议纪要", "换届"), header=UNIT)
    b.xlsx(f"{y}/2019年会员评家测评汇总表.xlsx", "F-3", "2019年会员评议职工之家满意度测评汇总表", d,
           _ping_jia_sheets(2019, "第六次会员代表大会现场无记名测评", 60, 60, 51, 7, 2,
                            random.Random(SEED + 2019)), items=(16,), tags=("会员评家", "满意度"))
    b.photo("照片/2019/2019-05-20 第六次会员代表大会 选举投票.jpg", "F-1",
            "2019年5月20日第六次会员代表大会选举投票", d,
            Scene("hall", "重庆市渝碚实验中学工会第六次会员代表大会", people=28, palette=1),
            taken=datetime(2019, 5, 20, 15, 48, 2), phone=HUAWEI, items=(1, 14),
            tags=("照片", "换届", "会员代表大会"))

    d = date(2019, 5, 24)
    b.docx(f"{y}/关于工会换届选举结果的报告.docx", "F-1", "关于工会换届选举结果的报告", d, _formal(
        UNION_HEAD, union_no(2019, 10), "关于重庆市渝碚实验中学工会换届选举结果的报告", f"{UPPER}：",
        [
            "根据《关于同意重庆市渝碚实验中学工会换届选举的批复》（渝教科文卫体工〔2019〕31号），"
            f"我校于2019年5月20日召开第六次会员代表大会。应到代表{delegates}名，实到{present}名，"
            "符合法定人数。现将选举结果报告如下：",
            ("h", "一、工会委员会"),
            "大会以无记名投票差额选举方式，从10名候选人中选举产生第六届工会委员会委员9名"
            "（按姓氏笔画为序）：" + "、".join(sorted(COMMITTEE)) + "。",
            ("table", (("姓名", "性别", "得票数", "职务"), tuple(
                (n, ctx.person(n).sex, votes[n],
                 "主席" if n == CHAIR else "副主席" if n == VICE else "委员") for n in COMMITTEE))),
            f"第六届工会委员会第一次全体会议等额选举{CHAIR}为工会主席（得票9票）、{VICE}为副主席"
            "（得票9票）。",
            ("h", "二、经费审查委员会"),
            "选举" + "、".join(AUDIT) + f"为经费审查委员会委员，{AUDIT[0]}为主任。",
            ("h", "三、女职工委员会"),
            "经工会委员会提名，" + "、".join(WOMEN) + f"为女职工委员会委员，{WOMEN[0]}为主任。",
            "以上选举结果，请予审批。",
        ], UNIT, d), doc_no=union_no(2019, 10), items=(1, 2, 14), tags=("换届", "选举结果"))
    d = date(2019, 5, 30)
    b.pdf(f"{y}/上级工会关于同意选举结果的批复.pdf", "F-1",
          "关于同意重庆市渝碚实验中学工会换届选举结果的批复", d, _formal(
              UPPER_HEAD, "渝教科文卫体工〔2019〕38号", "关于同意重庆市渝碚实验中学工会换届选举结果的批复",
              f"{UNIT}：", [
                  "你会《关于重庆市渝碚实验中学工会换届选举结果的报告》（渝碚中工〔2019〕10号）收悉。"
                  f"经研究，同意{CHAIR}同志任工会主席，{VICE}同志任工会副主席；同意第六届工会委员会、"
                  "经费审查委员会、女职工委员会组成人员。任期五年。",
              ], UPPER, d), doc_no="渝教科文卫体工〔2019〕38号", responsible=UPPER, items=(1, 2),
          tags=("换届", "批复"))
    d = date(2019, 5, 28)
    b.docx(f"{y}/关于第六届工会委员会委员分工的通知.docx", "F-1", "关于第六届工会委员会委员分工的通知",
           d, _formal(UNION_HEAD, union_no(2019, 11), "关于第六届工会委员会委员分工的通知",
                      "各工会小组：", [
                          "经第六届工会委员会第一次全体会议研究，现将委员分工通知如下：",
                          ("table", (("姓名", "分工"), tuple((n, COMMITTEE_DUTY[n])
                                                           for n in COMMITTEE))),
                          "工会小组长：" + "；".join(f"{g}　{n}" for g, n in
                                                  GROUP_LEADERS.items()) + "。",
                      ], UNIT, d), doc_no=union_no(2019, 11), items=(1, 2),
           tags=("组织机构", "分工"))


def _wei_wen_sheet(ctx: Ctx, year: int, d: date, n: int) -> Sheet:
    rng = random.Random(SEED + year * 7)
    reasons = (("困难教职工", "家庭经济困难", 1000), ("患病教职工", "本人重病住院治疗", 800),
               ("患病教职工", "本人慢性病长期治疗", 500), ("困难家庭", "配偶失业、子女上学", 800),
               ("困难家庭", "直系亲属重病", 800), ("单亲家庭", "单亲抚养子女", 600),
               ("一线教职工", "毕业年级班主任长期坚守", 500))
    rows = []
    total = 0
    for i, p in enumerate(ctx.pick(d, n), 1):
        kind, why, amount = rng.choice(reasons)
        total += amount
        rows.append((i, p.name, p.group, kind, why, amount, ""))
    rows.append(("", "合计", "", "", f"{n}人", total, ""))
    return Sheet("慰问名单", f"{UNIT}{year}年春节送温暖慰问名单",
                 ("序号", "姓名", "工会小组", "慰问类别", "慰问事由", "慰问金（元）", "领取人签字"),
                 tuple(rows), widths=(6, 10, 12, 12, 24, 12, 12),
                 before=(f"慰问时间：{_cn_date(d)}前后　经费来源：工会经费维权支出",),
                 after=(f"经办人：罗建军　审核：{CHAIR}",))


def _proposal_sheet(ctx: Ctx, year: int, d: date) -> Sheet:
    topics = (
        ("改善教师办公室空调设施", "立案", "总务处", "暑假完成更换12台，已办结"),
        ("增加教职工停车位", "立案", "总务处", "重新规划后增加车位18个，已办结"),
        ("完善青年教师师徒结对制度", "立案", "教务处", "修订结对办法，已办结"),
        ("食堂增加教职工晚餐供应", "立案", "总务处", "周一至周五供应晚餐，已办结"),
        ("调整课后服务补助标准", "立案", "校长办公室", "纳入绩效方案讨论，已答复"),
        ("建设爱心妈咪小屋", "立案", "校工会", "列入年度计划，已答复"),
        ("减少非教学性会议和检查", "立案", "校长办公室", "会议压缩三分之一，已办结"),
        ("改善体育馆照明", "立案", "总务处", "更换LED灯具，已办结"),
        ("提高班主任津贴", "立案", "校长办公室", "绩效方案中提高，已办结"),
        ("组织教职工外出疗休养", "作为意见建议", "校工会", "转工会研究"),
        ("增加图书馆开放时间", "作为意见建议", "图书馆", "已转交"),
        ("更换教室多媒体设备", "作为意见建议", "电教中心", "已转交"),
    )
    rows = []
    authors = ctx.names(d, len(topics))
    for i, ((title, status, dept, result), who) in enumerate(zip(topics, authors), 1):
        rows.append((i, title, who, status, dept, result))
    return Sheet("提案", f"{year}年教代会提案汇总及处理情况表",
                 ("编号", "提案名称", "提案人", "审查意见", "承办部门", "办理情况"), tuple(rows),
                 widths=(6, 28, 10, 14, 14, 30),
                 before=(f"提案征集截止：{year}年3月4日；共收到提案{len(topics)}件，立案9件。",),
                 after=("提案工作委员会　　校工会代章",))


def _cadre_sheet(ctx: Ctx, year: int, d: date) -> Sheet:
    rng = random.Random(SEED + year * 3)
    posts = ("教务处主任", "教务处副主任", "德育处主任", "德育处副主任", "总务处主任", "总务处副主任",
             "办公室主任", "教科室主任", "团委书记", "高一年级主任", "高二年级主任", "高三年级主任")
    rows = []
    voters = 48
    for i, post in enumerate(posts, 1):
        good = rng.randint(33, 44)
        fine = rng.randint(2, voters - good - 1)
        basic = voters - good - fine - rng.randint(0, 1)
        bad = voters - good - fine - basic
        rows.append((i, post, good, fine, basic, bad, f"{(good + fine) / voters * 100:.1f}%"))
    return Sheet("测评汇总", f"{year}年度中层干部民主测评汇总表",
                 ("序号", "岗位", "优秀", "称职", "基本称职", "不称职", "优秀称职率"), tuple(rows),
                 widths=(6, 16, 8, 8, 10, 8, 12),
                 before=(f"参加测评：教代会代表及教职工代表{voters}人　测评时间：{_cn_date(d)}",),
                 after=("监票：校工会", "测评结果已向本人反馈。"))


def _roster_sheet(ctx: Ctx, d: date) -> Sheet:
    rows = []
    members = sorted(ctx.members(d), key=lambda p: (GROUPS.index(p.group), p.joined, p.name))
    for i, p in enumerate(members, 1):
        rows.append((i, p.name, p.sex, f"{p.born.year}.{p.born.month:02d}", p.politics, p.edu,
                     p.group, p.title, p.tenure, f"{p.joined.year}.{p.joined.month:02d}",
                     f"YB{p.joined.year}{i:03d}"))
    staff = len(ctx.staff(d))
    return Sheet("会员", f"{UNIT}会员花名册",
                 ("序号", "姓名", "性别", "出生年月", "政治面貌", "学历", "工会小组", "职称/岗位",
                  "用工性质", "入会时间", "会员证号"), tuple(rows),
                 widths=(6, 10, 6, 10, 10, 12, 12, 14, 10, 10, 12),
                 before=(f"统计日期：{_cn_date(d)}　教职工{staff}人，会员{len(members)}人，"
                         f"入会率{len(members) / staff * 100:.2f}%",),
                 after=(f"制表：{CLERK}　审核：何文斌",))


def _talk_visit_blocks(ctx: Ctx, title: str, d: date, n: int) -> list[Block]:
    rng = random.Random(SEED + d.toordinal())
    cases = (("必谈", "职称评审未通过，情绪低落", "鼓励其总结经验，安排骨干教师结对指导", "情绪稳定"),
             ("必谈", "岗位由班主任调整为教研组长", "沟通新岗位职责，听取意见", "已适应"),
             ("必谈", "与同事因排课产生矛盾", "分别谈心，协调教务处调整", "矛盾化解"),
             ("必访", "本人手术住院", "工会小组长陪同探望，送慰问金800元", "已康复返岗"),
             ("必访", "父亲去世", "工会委员上门吊唁慰问", "已慰问"),
             ("必访", "生育二孩", "女工委上门看望，送慰问品", "已慰问"),
             ("必访", "家庭经济困难（配偶失业）", "上门了解情况，纳入困难档案", "已建档"),
             ("必谈", "新入职，生活不便", "协调学校周转房，介绍工会活动", "已解决"),
             ("必访", "子女考入大学，家庭困难", "申请金秋助学", "已发放2000元"))
    rows = []
    people = ctx.pick(d, n)
    for i, p in enumerate(people, 1):
        kind, why, what, result = rng.choice(cases)
        day = d - timedelta(days=rng.randint(3, 120))
        rows.append((i, f"{day.month}月{day.day}日", p.name, kind, why, what, result,
                     rng.choice(COMMITTEE[1:7])))
    return [
        ("title", title),
        ("table", (("序号", "日期", "对象", "类别", "事由", "谈访内容及措施", "结果", "谈访人"),
                   tuple(rows))),
        ("p", f"本期共谈心走访{n}人次，反映问题均已按职责转交并反馈本人。"),
        _sign(UNIT, d),
    ]


def _audit_report(year: int, d: date) -> list[Block]:
    inc, exp = _ACTUAL[year]
    closing = _opening(year) + sum(inc) - sum(exp)
    return _plain(f"关于{year}年度工会经费收支情况的审查报告", [
        f"根据《工会法》和《中国工会章程》的规定，校工会经费审查委员会于{year + 1}年2月对{year}"
        f"年度工会经费收支情况进行了全面审查，现将审查情况报告如下：",
        ("h", "一、经费收支情况"),
        f"{year}年初结余{_opening(year)}元；全年收入{sum(inc)}元，其中会费收入{inc[0]}元、拨缴经费"
        f"收入{inc[1]}元、上级补助收入{inc[2]}元、行政补助收入{inc[3]}元、其他收入{inc[4]}元；"
        f"全年支出{sum(exp)}元，其中职工活动支出{exp[0]}元、维权支出{exp[1]}元、业务支出{exp[2]}元、"
        f"资本性支出{exp[3]}元、其他支出{exp[4]}元；年末结余{closing}元。",
        ("h", "二、审查结论"),
        "经审查，校工会经费收支按预算执行，票据合法有效，审批手续齐全，账实相符；经费主要用于"
        "教职工活动、送温暖和困难帮扶，没有发现违规使用工会经费的情况。",
        ("h", "三、建议"),
        "进一步细化预算编制，提高预算执行的准确性；大额采购继续实行集体研究和比价。",
    ], JINGSHEN, d)


# --------------------------------------------------------------------------------------------
# 2020: the epidemic year. No 教代会 and no 会员代表大会 were held (deliberate gaps).
# --------------------------------------------------------------------------------------------

def _year_2020(b: _Builder, ctx: Ctx) -> None:
    y = "2020年工会资料"
    d = date(2020, 1, 6)
    b.docx(f"{y}/工会委员会会议纪要2020-1.docx", "F-6", "工会委员会会议纪要（2020年第1次）", d,
           _minutes("工会委员会会议纪要", "（2020年第1次）", d, "下午4:40", "行政楼三楼会议室",
                    CHAIR, COMMITTEE, [
                        ("研究2020年工会工作计划", "会议讨论了2020年工作计划（征求意见稿）。"),
                        ("研究2020年春节送温暖", "拟慰问困难、患病教职工20人，标准不变。"),
                        ("研究2019年度经费决算", f"{CLERK}同志汇报了2019年度经费收支情况。"),
                    ], ["通过2020年工作计划。", "1月16日前完成春节慰问。",
                        "2019年度决算提交经费审查委员会审查。"]),
           items=(6,), tags=("会议纪要", "工会委员会"), header=UNIT)
    d = date(2020, 1, 9)
    b.docx(f"{y}/2020年工会工作计划.docx", "F-3", f"{UNIT}2020年工作计划", d, _formal(
        UNION_HEAD, union_no(2020, 1), f"{UNIT}2020年工作计划", "各工会小组：", [
            "2020年校工会工作的总体思路是：巩固合格职工之家成果，对照先进职工之家标准补短板，"
            "重点抓好民主管理、阵地建设和服务职工三项工作。",
            ("h", "一、民主管理"), "3月召开第四届教代会第六次会议；下半年筹备教代会换届。",
            ("h", "二、阵地建设"), "建成爱心妈咪小屋，扩充职工书屋藏书至3000册。",
            ("h", "三、服务职工"), "做好送温暖、金秋助学和必谈必访；组织教职工运动会和迎新年活动。",
            ("h", "四、劳动竞赛"), "开展教学技能竞赛和合理化建议征集活动。",
        ], UNIT, d), doc_no=union_no(2020, 1), items=(4, 6), tags=("工作计划",))
    d = date(2020, 1, 15)
    b.xlsx(f"{y}/2020年春节送温暖慰问名单.xlsx", "C-4", "2020年春节送温暖慰问名单", d,
           [_wei_wen_sheet(ctx, 2020, d, 20)], items=(19,), tags=("送温暖", "慰问"))
    b.photo("微信接收/mmexport1579141385217.jpg", "C-4", "2020年春节走访慰问困难教职工",
            date(2020, 1, 16), Scene("visit", None, people=3, size=(960, 720), palette=2),
            items=(19,), tags=("照片", "送温暖"))

    d = date(2020, 2, 10)
    b.docx(f"{y}/疫情防控群防群治工作方案.docx", "E-5", "新冠肺炎疫情防控群防群治工作方案", d,
           _formal(SCHOOL_HEAD, school_no(2020, 5), "新冠肺炎疫情防控群防群治工作方案",
                   "各处室、各年级组、校工会：", [
                       "为做好新冠肺炎疫情防控，坚持联防联控、群防群治，特制定本方案。",
                       f"一、成立疫情防控工作领导小组，组长：{SECRETARY}、{PRINCIPAL}；副组长：{CHAIR}。",
                       "二、实行教职工健康状况“日报告、零报告”，由工会小组长每日汇总。",
                       "三、校工会组建教职工志愿服务队，协助做好校门值守、体温检测和物资发放。",
                       "四、关心关爱参与防控的一线教职工，做好后勤保障。",
                   ], SCHOOL, d), doc_no=school_no(2020, 5), responsible=SCHOOL, items=(20,),
           tags=("疫情防控", "群防群治"))
    d = date(2020, 2, 20)
    b.docx(f"{y}/关于疫情防控期间关心关爱一线教职工的通知.docx", "C-4",
           "关于开展疫情防控期间关心关爱一线教职工工作的通知", d, _formal(
               UNION_HEAD, union_no(2020, 2), "关于开展疫情防控期间关心关爱一线教职工工作的通知",
               "各工会小组：", [
                   "为关心关爱参与疫情防控值守的一线教职工和医务人员家属，校工会决定：",
                   "一、为参与校门值守的教职工配发口罩、消毒液和保温杯，保障值班餐食。",
                   "二、对家属是医务人员的教职工，由工会小组长每周电话联系一次，了解困难。",
                   "三、对因疫情造成家庭困难的教职工给予临时救助，标准500至1000元。",
               ], UNIT, d), doc_no=union_no(2020, 2), items=(19,), tags=("疫情防控", "关心关爱"))
    d = date(2020, 3, 6)
    b.docx(f"{y}/女职工特殊权益保护专项行动总结.docx", "E-3",
           "关于开展女职工特殊权益保护专项行动的通知", d, _formal(
               UNION_HEAD, union_no(2020, 3), "关于开展女职工特殊权益保护专项行动的通知",
               "各工会小组：", [
                   "根据《女职工劳动保护特别规定》，结合“三八”国际妇女节，校工会女职工委员会开展"
                   "女职工特殊权益保护专项行动。",
                   "一、学习宣传：通过线上方式组织女教职工学习《女职工劳动保护特别规定》。",
                   "二、检查落实：会同人事处检查孕期、产期、哺乳期女教职工的工作量安排和休假落实。",
                   "三、办实事：年内建成爱心妈咪小屋，为哺乳期女教职工提供便利。",
               ], UNIT, d), doc_no=union_no(2020, 3), items=(20,), tags=("女职工", "权益保护"))

    d = date(2020, 3, 20)
    b.xlsx(f"{y}/2019年度经费决算及2020年度预算.xlsx", "F-5",
           "2019年度工会经费收支决算及2020年度预算表", d, _budget_sheets(2019), items=(5,),
           tags=("经费", "预算", "决算"))
    b.pdf(f"{y}/2019年度工会经费审查报告.pdf", "F-5", "关于2019年度工会经费收支情况的审查报告",
          date(2020, 3, 22), _audit_report(2019, date(2020, 3, 22)), responsible=JINGSHEN,
          items=(2, 5), tags=("经审", "经费"))

    d = date(2020, 4, 20)
    b.photo("微信接收/微信图片_20200420153012.jpg", "E-1", "2020年复课前疫情防控全员培训",
            d, Scene("hall", "开学复课疫情防控全员培训", people=21, size=(1024, 768), palette=3),
            items=(20,), tags=("照片", "疫情防控"))

    d = date(2020, 4, 28)
    b.pdf(f"{y}/中国梦劳动美主题教育活动方案.pdf", "D-1", "“中国梦·劳动美”主题教育活动方案", d,
          _formal(UNION_HEAD, union_no(2020, 4), "“中国梦·劳动美”主题教育活动方案", "各工会小组：", [
              "为庆祝“五一”国际劳动节，大力弘扬劳模精神、劳动精神、工匠精神，校工会在全校开展"
              "“中国梦·劳动美”主题教育活动。",
              "一、学习宣传：组织学习习近平总书记关于劳动和劳动者的重要论述。",
              "二、榜样引领：宣传抗疫一线教职工和优秀教师的先进事迹。",
              "三、岗位建功：结合线上教学，开展“停课不停学”岗位建功活动。",
          ], UNIT, d), doc_no=union_no(2020, 4), items=(10,), tags=("主题教育",))

    d = date(2020, 5, 6)
    b.docx(f"{y}/关于开展线上教学技能竞赛的通知.docx", "A-1",
           "关于开展“停课不停学”线上教学技能竞赛的通知", d, _formal(
               UNION_HEAD, union_no(2020, 5), "关于开展“停课不停学”线上教学技能竞赛的通知",
               "各工会小组、各教研组：", [
                   "为总结疫情期间线上教学经验，提升教师信息化教学能力，校工会与教务处联合开展线上"
                   "教学技能竞赛。",
                   "一、竞赛内容：微课设计与制作、线上课堂实录。",
                   "二、时间安排：5月6日至5月31日提交作品，6月上旬评审。",
                   "三、奖励办法：设一等奖4名、二等奖8名、三等奖12名。",
               ], UNIT, d), doc_no=union_no(2020, 5), items=(7,), tags=("劳动竞赛",))
    d = date(2020, 5, 8)
    b.docx(f"{y}/工会委员会会议纪要2020-2.docx", "F-6", "工会委员会会议纪要（2020年第2次）", d,
           _minutes("工会委员会会议纪要", "（2020年第2次）", d, "下午4:30", "行政楼三楼会议室",
                    CHAIR, COMMITTEE[:-1], [
                        ("研究教代会召开时间",
                         "受新冠肺炎疫情影响，原定3月召开的第四届教代会第六次会议未能召开。会议认为，"
                         "目前仍不宜召开大型会议，建议推迟至疫情平稳后召开，并与教代会换届统筹考虑。"),
                        ("研究会员代表大会和会员评家",
                         "年度会员代表大会同样推迟。为不影响会员评家，会议研究采用网络问卷方式"
                         "开展2020年会员评家。"),
                        ("研究“安康杯”竞赛方案", "黄德明同志介绍了2020年“安康杯”竞赛方案。"),
                    ], [
                        "向学校党委报告，建议第四届教代会第六次会议推迟召开，具体时间另行研究。",
                        "2020年会员评家于年底通过网络问卷进行，由经费审查委员会监督。",
                        "通过2020年“安康杯”竞赛方案。",
                    ], absent="黄德明（外出学习）"), items=(6, 15), tags=("会议纪要", "工会委员会"),
           header=UNIT)
    d = date(2020, 5, 12)
    b.docx(f"{y}/2020年安康杯竞赛实施方案.docx", "E-2", "2020年“安康杯”竞赛活动实施方案", d, _formal(
        UNION_HEAD, union_no(2020, 6), "2020年“安康杯”竞赛活动实施方案", "各工会小组：", [
            "2020年“安康杯”竞赛以“抓防控、保安全、促健康”为主题，把疫情防控和校园安全结合起来。",
            "一、开展疫情防控知识和安全知识学习竞赛。",
            "二、组织职工代表对校园安全和防疫措施进行检查。",
            "三、开展“安全生产月”宣传咨询活动。",
        ], UNIT, d), doc_no=union_no(2020, 6), items=(20,), tags=("安康杯",))
    d = date(2020, 6, 10)
    rng = random.Random(SEED + 2020)
    winners = ctx.teachers(d, 24)
    b.xlsx(f"{y}/线上教学技能竞赛获奖名单.xlsx", "A-1", "线上教学技能竞赛评分及获奖名单", d, [Sheet(
        "获奖名单", "“停课不停学”线上教学技能竞赛评分及获奖名单",
        ("序号", "姓名", "教研组", "作品名称", "评分", "奖次"), tuple(
            (i, p.name, p.group, f"{p.group.replace('组', '')}微课{i}", score,
             "一等奖" if i <= 4 else "二等奖" if i <= 12 else "三等奖")
            for i, (p, score) in enumerate(zip(winners, sorted(
                (round(rng.uniform(78, 96), 1) for _ in winners), reverse=True)), 1)),
        widths=(6, 10, 12, 24, 8, 8), after=("评审组：教务处、校工会",))], items=(7,),
        tags=("劳动竞赛", "获奖名单"))
    d = date(2020, 6, 15)
    b.docx(f"{y}/党委关于加强新时代学校工会工作的意见.docx", "F-4",
           "中共重庆市渝碚实验中学委员会关于加强新时代学校工会工作的意见", d, _formal(
               PARTY_HEAD, party_no(2020, 12), "关于加强新时代学校工会工作的意见",
               "各党支部、各处室、校工会：", [
                   "为加强党对工会工作的领导，支持工会依法依章程开展工作，提出如下意见：",
                   "一、党委每年至少专题研究一次工会工作，工会主席列席校长办公会。",
                   "二、保障工会经费：学校按规定足额拨缴工会经费，每年给予行政补助不少于5万元。",
                   "三、支持职工之家建设：提供职工活动室、职工书屋、爱心妈咪小屋等场地。",
                   "四、支持工会创建先进职工之家，形成党政工共建一个家的格局。",
               ], PARTY, d), doc_no=party_no(2020, 12), responsible=PARTY, items=(6,),
           tags=("党政文件", "党委支持"))
    b.photo("照片/2020/2020-06-16 安全生产月宣传咨询.jpg", "E-2", "2020年6月16日安全生产月宣传咨询活动",
            date(2020, 6, 16), Scene("field", "2020年安全生产月宣传咨询活动", people=10, palette=2),
            taken=datetime(2020, 6, 16, 12, 31, 44), phone=OPPO, items=(20,),
            tags=("照片", "安全生产月"))

    d = date(2020, 6, 30)
    ideas = (("教学楼增设饮水点", "采纳", "总务处"), ("优化作业管理平台", "采纳", "教务处"),
             ("实验室废液回收流程", "采纳", "教务处"), ("教职工食堂错峰就餐", "采纳", "总务处"),
             ("线上教学资源共享库", "采纳", "电教中心"), ("校门口增设减速带", "采纳", "总务处"),
             ("合并重复性表格填报", "部分采纳", "办公室"), ("延长职工书屋开放时间", "采纳", "校工会"),
             ("增设教职工健身器材", "暂缓", "总务处"), ("开设教职工子女托管", "暂缓", "校工会"),
             ("节约用电提醒", "采纳", "总务处"), ("校园绿化认领", "部分采纳", "总务处"),
             ("开设心理健康讲座", "采纳", "校工会"), ("打印机集中管理", "采纳", "办公室"))
    b.xlsx(f"{y}/2020年合理化建议征集汇总.xlsx", "A-2", "2020年教职工合理化建议征集汇总表", d, [Sheet(
        "建议汇总", "2020年教职工合理化建议征集汇总表",
        ("序号", "建议内容", "建议人", "处理意见", "落实部门"), tuple(
            (i, what, who, how, dept) for i, ((what, how, dept), who) in
            enumerate(zip(ideas, ctx.names(d, len(ideas))), 1)),
        widths=(6, 28, 10, 10, 12), after=(f"共征集建议{len(ideas)}条，采纳10条，部分采纳2条，暂缓2条。",))],
        items=(8,), tags=("合理化建议",))
    b.pdf(f"{y}/2020年教职工带薪休假及社会保险缴纳情况说明.pdf", "C-2",
          "2020年教职工带薪休假及社会保险缴纳情况说明", d, _plain(
              "2020年教职工带薪休假及社会保险缴纳情况说明", [
                  "一、社会保险：学校为全体在编教职工足额缴纳机关事业单位养老保险、职业年金、"
                  "医疗保险、工伤保险和住房公积金；非在编教职工由人事代理机构缴纳五险一金，"
                  "学校每月核对缴费凭证。",
                  "二、休息休假：教师享受寒暑假；行政后勤人员按《职工带薪年休假条例》安排年休假，"
                  "因工作需要未休的按规定补偿。疫情期间居家办公人员工资待遇不变。",
                  "三、女职工：产假、哺乳假按规定落实，2020年享受产假的女教职工4人。",
              ], f"{SCHOOL}人事处　校工会", d), responsible=SCHOOL, items=(18, 20),
          tags=("权益", "社会保险"))
    d = date(2020, 7, 8)
    b.docx(f"{y}/关于2020年合理化建议采纳情况的通报.docx", "A-2", "关于2020年合理化建议采纳情况的通报",
           d, _formal(UNION_HEAD, union_no(2020, 7), "关于2020年合理化建议采纳情况的通报",
                      "各工会小组：", [
                          f"2020年上半年共征集教职工合理化建议{len(ideas)}条，经学校相关部门研究，"
                          "采纳10条，部分采纳2条，暂缓2条。",
                          "其中“线上教学资源共享库”“实验室废液回收流程”两条建议效果明显，"
                          "校工会给予建议人通报表扬并发放奖品。",
                      ], UNIT, d), doc_no=union_no(2020, 7), items=(8,), tags=("合理化建议",))
    d = date(2020, 7, 10)
    b.pdf(f"{y}/2020年度绩效工资分配方案公示.pdf", "B-3", "2020年度绩效工资分配方案公示", d, _plain(
        "2020年度绩效工资分配方案公示", [
            "根据区人力社保局、区教委绩效工资有关文件，学校制定了《2020年度奖励性绩效工资分配方案》。"
            "因疫情原因本年度教代会未能如期召开，方案经校务会审议，并征求了各工会小组意见，"
            "现予以公示。",
            "一、分配原则：多劳多得、优绩优酬，向一线教师、班主任和毕业年级倾斜。",
            "二、主要内容：课时津贴、班主任津贴、考核奖励、超工作量补助等四个部分。",
            "公示期：7月10日至7月16日。意见请书面反馈校工会或校务公开监督小组。",
        ], SCHOOL, d), responsible=SCHOOL, items=(16,), tags=("校务公开", "公示", "绩效工资"))

    d = date(2020, 8, 15)
    rng = random.Random(SEED + 815)
    kids = ctx.pick(d, 4)
    b.xlsx(f"{y}/2020年金秋助学名单.xlsx", "C-4", "2020年金秋助学名单", d, [Sheet(
        "助学名单", "2020年金秋助学名单", ("序号", "教职工姓名", "工会小组", "子女录取学校", "困难情况",
                                    "助学金（元）"), tuple(
            (i, p.name, p.group, school, why, 2000) for i, (p, school, why) in enumerate(zip(
                kids, ("重庆大学", "西南大学", "四川外国语大学", "重庆医科大学"),
                ("配偶失业", "单亲家庭", "本人患病", "家庭成员重病")), 1)),
        widths=(6, 12, 12, 18, 14, 12), after=("合计8000元，由工会经费维权支出列支。",))],
        items=(19,), tags=("金秋助学", "送温暖"))
    d = date(2020, 8, 20)
    poor = ctx.pick(d, 1)[0]
    b.docx(f"{y}/困难职工档案（一）.docx", "C-4", f"困难职工档案（{poor.name}）", d, [
        ("title", "困难教职工档案"),
        ("table", (("项目", "内容"), (
            ("姓名", poor.name), ("性别", poor.sex), ("出生年月", f"{poor.born.year}年{poor.born.month}月"),
            ("工会小组", poor.group), ("困难类型", "因病致困"),
            ("家庭成员", "配偶（无固定工作）、子女2人（在读）"),
            ("困难情况", "配偶2019年患重病，长期治疗，自付医疗费用约6万元，家庭人均收入低于当地平均水平"),
            ("帮扶措施", "2020年春节慰问1000元；申请上级工会困难职工帮扶金3000元；子女金秋助学"),
            ("建档时间", _cn_date(d)), ("建档人", "罗建军"), ("审核", CHAIR),
        ))),
        ("p", "本档案每年复核一次，困难情况消除后及时退出。"),
    ], items=(19,), tags=("困难职工", "档案"), header=UNIT)
    d = date(2020, 8, 25)
    b.pdf(f"{y}/2020年教师信息技术应用能力提升培训总结.pdf", "A-3",
          "2020年教师信息技术应用能力提升培训总结", d, _plain(
              "2020年教师信息技术应用能力提升培训总结", [
                  "8月19日至25日，学校组织全体专任教师参加信息技术应用能力提升2.0培训，校工会"
                  "协助做好组织和后勤保障。",
                  "培训采取专家讲座、分组实操和作业提交相结合的方式，内容包括智慧课堂、微课制作、"
                  "在线测评等。参训教师132人，考核合格率100%。",
                  "通过培训，教师信息化教学能力明显提升，为秋季学期线上线下融合教学打下了基础。",
              ], f"{SCHOOL}教科室", d), responsible=SCHOOL, items=(9,), tags=("培训",))
    b.photo("照片/2020/2020-08-25 信息技术应用能力提升培训.jpg", "A-3",
            "2020年8月25日教师信息技术应用能力提升培训", d,
            Scene("classroom", "信息技术应用能力提升2.0培训", people=28, palette=1),
            taken=datetime(2020, 8, 25, 9, 16, 8), phone=XIAOMI, items=(9,), tags=("照片", "培训"))

    d = date(2020, 9, 8)
    b.docx(f"{y}/关于表彰2019-2020学年度优秀教职工的决定.docx", "A-4",
           "关于表彰2019—2020学年度优秀教职工的决定", d, _formal(
               SCHOOL_HEAD, school_no(2020, 33), "关于表彰2019—2020学年度优秀教职工的决定",
               "全体教职工：", [
                   "2019—2020学年度，全校教职工积极投身疫情防控和线上教学，涌现出一批先进典型。"
                   "经推荐、评议和公示，学校决定授予以下同志“优秀教职工”称号：",
                   "、".join(ctx.names(d, 16)) + "。",
                   "授予以下同志“抗疫先进个人”称号：" + "、".join(ctx.names(d, 5)) + "。",
               ], SCHOOL, d), doc_no=school_no(2020, 33), responsible=SCHOOL, items=(10,),
           tags=("表彰", "创先争优"))
    d = date(2020, 9, 15)
    b.photo("照片/2020/2020-09-15 职工书屋新书上架.jpg", "D-2", "2020年9月15日职工书屋新书上架", d,
            Scene("books", "职工书屋", people=3, palette=0),
            taken=datetime(2020, 9, 15, 16, 40, 26), phone=HUAWEI, items=(17,),
            tags=("照片", "职工书屋", "阵地"))
    b.photo("照片/2020/2020-09-15 爱心妈咪小屋建成.jpg", "C-2", "2020年9月15日爱心妈咪小屋建成", d,
            Scene("room", "爱心妈咪小屋", people=2, palette=3),
            taken=datetime(2020, 9, 15, 16, 52, 9), phone=HUAWEI, items=(17, 20),
            tags=("照片", "爱心妈咪小屋", "阵地"))
    d = date(2020, 9, 24)
    b.txt(f"{y}/工会委员会会议纪要2020-3.txt", "F-6", "工会委员会会议纪要（2020年第3次）", d,
          _minutes("工会委员会会议纪要", "（2020年第3次）", d, "下午4:30", "职工之家活动室", CHAIR,
                   COMMITTEE, [
                       ("研究教职工运动会方案", "杨丽同志介绍运动会方案，拟10月12日举行。"),
                       ("研究新教职工入会", "何文斌同志汇报：秋季新进教师6人、非在编教职工3人提交"
                                   "入会申请，调入教师1人转入会籍。"),
                   ], ["通过运动会方案。", "同意9名同志入会，10月20日前办理会员证；办理1人会籍转入。"]),
          items=(14,), tags=("会议纪要", "工会委员会"))
    d = date(2020, 9, 28)
    b.docx(f"{y}/关于举办2020年教职工运动会的通知.docx", "D-5", "关于举办2020年教职工运动会的通知", d,
           _formal(UNION_HEAD, union_no(2020, 8), "关于举办2020年教职工运动会的通知", "各工会小组：", [
               "经研究，校工会定于2020年10月12日（星期一）下午在学校田径场举办2020年教职工运动会。",
               ("table", (("项目", "组别", "人数", "备注"), (
                   ("拔河", "团体", "每队16人（女6人以上）", "淘汰赛"),
                   ("4×100米接力", "团体", "每队4人", "男女混合"),
                   ("定点投篮", "个人", "每队4人", "每人10球"),
                   ("趣味托球跑", "团体", "每队8人", ""),
               ))),
               "请各小组于10月8日前报名。",
           ], UNIT, d), doc_no=union_no(2020, 8), items=(13,), tags=("运动会", "文体活动"))

    d = date(2020, 10, 12)
    b.photo("照片/2020/2020-10-12 教职工运动会开幕式.jpg", "D-5", "2020年10月12日教职工运动会开幕式", d,
            Scene("field", "重庆市渝碚实验中学2020年教职工运动会", people=22),
            taken=datetime(2020, 10, 12, 14, 32, 51), phone=HUAWEI, items=(13,),
            tags=("照片", "运动会"))
    b.photo("微信接收/微信图片_20201012173011.jpg", "D-5", "2020年教职工运动会拔河比赛", d,
            Scene("field", "2020年教职工运动会", people=18, size=(1024, 768), palette=2),
            items=(13,), tags=("照片", "运动会"))
    b.photo("照片/2020/运动会照片3.jpg", "D-5", "运动会照片3", d,
            Scene("field", None, people=14, size=(800, 600), palette=3), items=(13,),
            tags=("照片",))
    d = date(2020, 10, 20)
    b.pdf(f"{y}/2020年教职工运动会活动总结.pdf", "D-5", "2020年教职工运动会活动总结", d, _plain(
        "2020年教职工运动会活动总结", [
            "10月12日下午，2020年教职工运动会在学校田径场举行，这是疫情以来学校组织的第一次"
            "大型教职工集体活动，全校7个工会小组141名教职工参加。",
            "运动会设拔河、4×100米接力、定点投篮、趣味托球跑4个项目，体音美组获团体第一名。"
            "活动经费17400元。",
            "运动会展示了教职工团结拼搏的精神面貌，增强了职工之家的凝聚力。",
        ], UNIT, d), items=(13,), tags=("运动会", "总结"))
    new_members = sorted((p for p in ctx.people if p.joined and date(2020, 9, 1) <= p.joined <= d),
                         key=lambda p: (p.joined, p.name))
    b.xlsx(f"{y}/2020年新入会会员登记表.xlsx", "F-2", "2020年新入会会员登记表", d, [Sheet(
        "新会员", "2020年新入会（转入）会员登记表",
        ("序号", "姓名", "性别", "工会小组", "用工性质", "入职时间", "入会时间", "类别"), tuple(
            (i, p.name, p.sex, p.group, p.tenure, p.hired.isoformat(), p.joined.isoformat(),
             "会籍转入" if p.hired == date(2020, 9, 1) else "新入会")
            for i, p in enumerate(new_members, 1)),
        widths=(6, 10, 6, 12, 10, 12, 12, 10), after=(f"经办：何文斌　审核：{CHAIR}",))],
        items=(14,), tags=("会籍", "入会"))
    d = date(2020, 10, 29)
    b.docx(f"{y}/校长接待日记录.docx", "B-6", "校长接待日（教职工座谈会）记录", d, _minutes(
        "校长接待日（教职工座谈会）记录", None, d, "下午4:30", "行政楼三楼会议室", PRINCIPAL,
        [PRINCIPAL, CHAIR, "吴海涛", *ctx.names(d, 8, exclude=(PRINCIPAL, CHAIR, "吴海涛"))], [
            ("听取教职工意见建议", "参会教职工围绕课后服务、教师减负、食堂就餐、子女入学等提出"
                           "意见建议11条。"),
            ("现场答复", "校长对其中7条现场答复，其余4条交相关部门研究。"),
        ], ["课后服务补助纳入下学期绩效方案讨论。", "12月底前完成非教学类检查清理。",
            "由校工会跟踪办理情况并在下次接待日反馈。"], recorder=CLERK,
        issuer=f"{SCHOOL}校长办公室"), responsible=SCHOOL,
        items=(18,), tags=("校长接待日", "民主管理"), header=SCHOOL)
    d = date(2020, 11, 20)
    b.pdf(f"{y}/工会简报2020第3期.pdf", "F-6", "工会简报（2020年第3期）", d, [
        ("title", "工会简报"), ("subtitle", f"2020年第3期（总第24期）　重庆市渝碚实验中学工会编　{_cn_date(d)}"),
        ("h", "2020年教职工运动会圆满举行"),
        ("p", "10月12日，141名教职工参加运动会，体音美组获团体第一名。"),
        ("h", "爱心妈咪小屋投入使用"),
        ("p", "9月，校工会在行政楼二楼建成爱心妈咪小屋，配备冰箱、沙发、消毒柜等设施。"),
        ("h", "9名教职工加入工会"),
        ("p", "秋季新进教师和非在编教职工9人加入工会，入会率进一步提高。"),
    ], items=(6,), tags=("简报",))
    d = date(2020, 12, 10)
    rng = random.Random(SEED + 1210)
    books = ("《给教师的建议》", "《人类简史》", "《教育的情调》", "《平凡的世界》", "《深度学习》",
             "《活着》", "《乡土中国》", "《正面管教》", "《三体》", "《被讨厌的勇气》")
    loans = []
    for i in range(1, 41):
        p = rng.choice(ctx.members(d))
        start = date(2020, 9, 1) + timedelta(days=rng.randint(0, 90))
        back = start + timedelta(days=rng.randint(7, 30))
        loans.append((i, start.isoformat(), p.name, p.group, rng.choice(books),
                      back.isoformat() if back <= d else "", ""))
    b.xlsx(f"{y}/职工书屋图书借阅登记2020.xlsx", "D-2", "职工书屋图书借阅登记（2020年秋季）", d, [Sheet(
        "借阅登记", "职工书屋图书借阅登记（2020年秋季）",
        ("序号", "借阅日期", "借阅人", "工会小组", "书名", "归还日期", "备注"), tuple(loans),
        widths=(6, 12, 10, 12, 20, 12, 10))], items=(17,), tags=("职工书屋", "阵地"))
    d = date(2020, 12, 15)
    b.xlsx(f"{y}/2020年会员评家网络问卷测评汇总.xlsx", "F-3", "2020年会员评议职工之家网络问卷测评汇总",
           d, _ping_jia_sheets(2020, "网络问卷（问卷星），未召开会员代表大会", len(ctx.members(d)), 131,
                               104, 21, 6,
                               random.Random(SEED + 2020)), items=(16,),
           tags=("会员评家", "满意度"))
    d = date(2020, 12, 18)
    b.pdf(f"{y}/2020年安康杯竞赛活动总结.pdf", "E-2", "2020年“安康杯”竞赛活动总结", d, _plain(
        "2020年“安康杯”竞赛活动总结", [
            "2020年，校工会围绕“抓防控、保安全、促健康”开展“安康杯”竞赛。全年组织疫情防控和"
            "安全知识学习4次，参与教职工580人次。",
            "职工志愿服务队参与校门值守、体温检测累计1260人次，全校未发生疫情和安全责任事故。",
            "评选出行政后勤组、理化生组为“安康杯”优胜小组。",
            "不足：职工代表安全巡视检查因疫情未能按计划开展，2021年须补上。",
        ], UNIT, d), items=(20,), tags=("安康杯", "总结"))
    d = date(2020, 12, 28)
    b.docx(f"{y}/2020年工会工作总结.docx", "F-3", f"{UNIT}2020年工作总结", d, _plain(
        f"{UNIT}2020年工作总结", [
            "2020年是极不平凡的一年。校工会在学校党委领导下，统筹疫情防控和工会工作，较好完成了"
            "年度任务。",
            ("h", "一、抗疫中服务职工"),
            "组建教职工志愿服务队，关心关爱一线教职工，临时救助因疫致困教职工3人。",
            ("h", "二、阵地建设"),
            "建成爱心妈咪小屋；职工书屋新增图书600册，藏书达3000册。",
            ("h", "三、民主管理"),
            "受疫情影响，第四届教代会第六次会议和年度会员代表大会未能召开；绩效工资方案经校务会"
            "审议后进行了公示，并征求了各工会小组意见。会员评家改为网络问卷，回收131份，满意度95.4%。",
            ("h", "四、会员发展"),
            "新发展会员9人，转入1人，入会率达到98%以上。",
            ("h", "五、明年打算"),
            "尽快召开教代会完成换届，恢复召开会员代表大会，启动先进职工之家创建。",
        ], UNIT, d), items=(4, 6), tags=("工作总结",))
    b.txt(f"{y}/2020年度考核优秀等次人员公示.txt", "B-3", "2020年度考核优秀等次人员公示",
          date(2020, 12, 30), _plain("2020年度考核优秀等次人员公示", [
              "根据年度考核办法，经个人述职、民主测评、考核小组审定，拟确定以下同志2020年度考核"
              "为优秀等次：" + "、".join(ctx.names(date(2020, 12, 30), 22)) + "。",
              "公示期5个工作日。如有异议，请向校务公开监督小组反映。",
          ], SCHOOL, date(2020, 12, 30)), responsible=SCHOOL, items=(16,),
          tags=("校务公开", "公示"))
    b.photo("照片/2020/2020-12-30 迎新年教职工羽毛球赛.jpg", "D-5", "2020年12月30日迎新年教职工羽毛球赛",
            date(2020, 12, 30), Scene("room", "迎新年教职工羽毛球赛", people=6, palette=1),
            taken=datetime(2020, 12, 30, 16, 21, 37), phone=XIAOMI, items=(13,),
            tags=("照片", "文体活动"))


# --------------------------------------------------------------------------------------------
# 2021: 教代会 换届, 会员代表大会, and the application for 先进职工之家.
# --------------------------------------------------------------------------------------------

# 单项分 of the official 事业单位 scoresheet as printed (they add up to 105; printed 合计 100).
_SCORESHEET = (
    (1, "六有家园·有家人", 5, 5), (2, "六有家园·有组织", 5, 5), (3, "六有家园·有阵地", 5, 5),
    (4, "六有家园·有制度", 5, 4), (5, "六有家园·有经费", 5, 5), (6, "六有家园·有方法", 5, 5),
    (7, "效益之家·劳动和技能竞赛", 7, 6), (8, "效益之家·合理化建议等群众性技术创新", 5, 4),
    (9, "效益之家·职工素质建设工程", 4, 4), (10, "文明之家·社会主义核心价值观", 6, 6),
    (11, "文明之家·“四德”教育", 4, 4), (12, "文明之家·精神文明和普法", 4, 3),
    (13, "文明之家·职工文化体育活动", 5, 5), (14, "民主之家·建会换届入会率会员代表大会", 7, 5),
    (15, "民主之家·职（教）代会制度", 5, 4), (16, "民主之家·校务公开和会员评家", 4, 3),
    (17, "温暖之家·活动阵地和“双亮”", 5, 5), (18, "温暖之家·了解职工诉求", 4, 4),
    (19, "温暖之家·必谈必访和送温暖", 5, 5), (20, "安康之家·安康杯和劳动保护", 5, 4),
    (21, "安康之家·法治诚信和党风廉政", 5, 5),
)
_RATE_2021 = (63, 64, 55, 6, 2)  # 会员评家 2021: valid, issued, 满意, 基本满意, 不满意


def _year_2021(b: _Builder, ctx: Ctx) -> None:
    y = "2021年工会资料"
    sq = "2021年建家申报材料"
    d = date(2021, 1, 8)
    b.docx(f"{y}/2021年工会工作计划.docx", "F-3", f"{UNIT}2021年工作计划", d, _formal(
        UNION_HEAD, union_no(2021, 1), f"{UNIT}2021年工作计划", "各工会小组：", [
            "2021年是中国共产党成立100周年，也是校工会创建先进职工之家的关键一年。",
            ("h", "一、完成教代会换届"), "3月召开第五届教代会第一次会议，选举产生新一届代表。",
            ("h", "二、恢复会员代表大会"), "6月召开会员代表大会，现场开展会员评家。",
            ("h", "三、创建先进职工之家"),
            "对照《重庆市教科文卫体工会先进职工之家创建标准（事业单位）》自查，9月15日前完成申报。",
            ("h", "四、庆祝建党100周年"), "开展党史学习教育和教职工合唱比赛。",
        ], UNIT, d), doc_no=union_no(2021, 1), items=(4, 6), tags=("工作计划",))
    d = date(2021, 1, 12)
    b.docx(f"{y}/工会委员会会议纪要2021-1.docx", "F-6", "工会委员会会议纪要（2021年第1次）", d,
           _minutes("工会委员会会议纪要", "（2021年第1次）", d, "下午4:30", "行政楼三楼会议室",
                    CHAIR, COMMITTEE, [
                        ("研究2021年工作计划", "会议讨论并通过2021年工作计划。"),
                        ("研究春节送温暖", "拟慰问22人，增加对非在编困难教职工的慰问。"),
                        ("研究教代会换届准备", f"{VICE}同志汇报教代会代表选举方案。"),
                    ], ["印发2021年工作计划。", "2月2日前完成春节慰问。",
                        "2月下旬完成教代会代表选举，3月12日召开第五届教代会第一次会议。"]),
           items=(6, 15), tags=("会议纪要", "工会委员会"), header=UNIT)
    d = date(2021, 1, 15)
    b.xlsx(f"{y}/2020年度中层干部民主测评汇总.xlsx", "B-4", "2020年度中层干部民主测评汇总表", d,
           [_cadre_sheet(ctx, 2020, d)], responsible=SCHOOL, items=(21,),
           tags=("民主评议", "干部测评"))
    d = date(2021, 2, 1)
    b.xlsx(f"{y}/2021年春节送温暖慰问名单.xlsx", "C-4", "2021年春节送温暖慰问名单", d,
           [_wei_wen_sheet(ctx, 2021, d, 22)], items=(19,), tags=("送温暖", "慰问"))
    b.photo("照片/2021/2021-02-02 春节走访慰问困难教职工.jpg", "C-4", "2021年2月2日春节走访慰问困难教职工",
            date(2021, 2, 2), Scene("visit", None, people=4, palette=2),
            taken=datetime(2021, 2, 2, 10, 26, 45), phone=IPHONE, items=(19,),
            tags=("照片", "送温暖"))

    d = date(2021, 2, 24)
    b.docx(f"{y}/关于召开第五届教代会第一次会议的通知.docx", "B-1",
           "关于召开第五届教职工代表大会第一次会议的通知", d, _formal(
               UNION_HEAD, union_no(2021, 2), "关于召开第五届教职工代表大会第一次会议的通知",
               "各代表团、全体教职工代表：", [
                   "经学校党委研究，定于2021年3月12日（星期五）下午2:30在学术报告厅召开第五届"
                   "教职工代表大会第一次会议。",
                   "一、会议议程：（一）听取和审议学校工作报告（含2019—2020年工作）；（二）审议"
                   "《奖励性绩效工资分配方案（2021年修订）》；（三）审议《教职工代表大会实施细则"
                   "（修订）》；（四）选举教代会各专门委员会；（五）通过大会决议。",
                   "二、请各代表团于3月5日前提交提案。",
               ], UNIT, d), doc_no=union_no(2021, 2), items=(15,), tags=("教代会", "通知"))
    d = date(2021, 3, 1)
    b.docx(f"{y}/三八妇女节女教职工活动方案.docx", "D-5", "庆祝“三八”国际妇女节女教职工活动方案", d,
           _formal(UNION_HEAD, union_no(2021, 3), "庆祝“三八”国际妇女节女教职工活动方案",
                   "各工会小组：", [
                       "为庆祝“三八”国际妇女节，丰富女教职工文化生活，校女职工委员会定于3月8日下午"
                       "组织女教职工开展“巾帼心向党　奋进新征程”插花体验和健康讲座活动。",
                       "一、参加对象：全体女教职工。二、活动地点：职工之家活动室。"
                       "三、活动经费从工会经费职工活动支出列支。",
                   ], UNIT, d), doc_no=union_no(2021, 3), items=(13, 20), tags=("女职工", "文体活动"))
    d = date(2021, 3, 5)
    b.txt(f"{y}/学雷锋志愿服务活动记录.txt", "D-4", "2021年学雷锋志愿服务活动记录", d, [
        ("title", "2021年学雷锋志愿服务活动记录"),
        ("kv", [("时间", _cn_date(d)), ("地点", "天生街道社区、学校周边"),
                ("参加人员", "教职工志愿者32人"), ("组织", "校工会、团委")]),
        ("p", "活动内容：走进社区开展义务家教咨询、垃圾分类宣传；清理学校周边小广告；看望社区"
              "孤寡老人4户。"),
        ("p", "活动体现了教职工的奉献精神，社区向学校赠送了感谢信。"),
    ], items=(12,), tags=("志愿服务", "精神文明"))
    d = date(2021, 3, 5)
    jdh = ctx.pick(d, 48)
    d = date(2021, 3, 8)
    b.photo("照片/2021/2021-03-08 三八节女教职工插花活动.jpg", "D-5", "2021年3月8日三八节女教职工插花活动",
            d, Scene("room", "巾帼心向党　奋进新征程", people=7, palette=2),
            taken=datetime(2021, 3, 8, 15, 12, 6), phone=IPHONE, items=(13, 20),
            tags=("照片", "女职工"))
    d = date(2021, 3, 12)
    b.xlsx(f"{y}/第五届教代会第一次会议签到表.xlsx", "B-1", "第五届教代会第一次会议代表签到表", d,
           [_sign_in("第五届教职工代表大会第一次会议代表签到表", d, "学术报告厅", jdh,
                     absent={jdh[5].name: "病假"}, col="代表团")], items=(15,),
           tags=("教代会", "签到表"))
    b.pdf(f"{y}/学校工作报告（五届一次教代会）.pdf", "B-1", "第五届教代会第一次会议学校工作报告", d,
          _plain("凝心聚力谋发展　踔厉奋发开新局", [
              "——在第五届教职工代表大会第一次会议上的学校工作报告", f"校长　{PRINCIPAL}",
              ("h", "一、2019—2020年工作回顾"),
              "两年来，学校经受住了疫情防控和线上教学的考验，教育教学质量保持全区前列，获评"
              "重庆市文明校园。2020年受疫情影响，第四届教代会第六次会议未能召开，有关事项在本次"
              "会议一并报告。",
              ("h", "二、2021年工作思路"),
              "以庆祝建党100周年为契机，深化课堂改革，推进“双减”准备工作，支持工会创建先进职工之家。",
          ], None, d), responsible=SCHOOL, items=(15,), tags=("教代会", "工作报告"))
    b.docx(f"{y}/第五届教代会第一次会议决议.docx", "B-1", "第五届教职工代表大会第一次会议决议", d,
           _plain("重庆市渝碚实验中学第五届教职工代表大会第一次会议决议", [
               f"重庆市渝碚实验中学第五届教职工代表大会第一次会议于{_cn_date(d)}召开。应到代表48名，"
               "实到47名。",
               "会议审议通过了学校工作报告。",
               "会议以无记名投票方式审议《奖励性绩效工资分配方案（2021年修订）》：发出表决票47张，"
               "收回47张，赞成43票，反对2票，弃权2票，获得通过。",
               "会议审议通过了《教职工代表大会实施细则（修订）》，选举产生提案工作委员会、"
               "福利工作委员会和民主监督委员会。",
           ], JDH5, d), responsible=JDH5, items=(15,), tags=("教代会", "决议"), footer=False)
    b.photo("照片/2021/2021-03-12 第五届教代会第一次会议.jpg", "B-1",
            "2021年3月12日第五届教代会第一次会议", d,
            Scene("hall", "重庆市渝碚实验中学第五届教职工代表大会第一次会议", people=28),
            taken=datetime(2021, 3, 12, 14, 51, 33), phone=IPHONE, items=(15,),
            tags=("照片", "教代会"))
    b.photo("微信接收/mmexport1615535212345.jpg", "B-1", "第五届教代会第一次会议表决", d,
            Scene("hall", "第五届教职工代表大会第一次会议", people=21, size=(960, 720), palette=1),
            items=(15,), tags=("照片", "教代会"))
    d = date(2021, 3, 18)
    nb = [p for p in ctx.staff(d) if p.tenure == "非在编"]
    b.docx(f"{y}/非在编教职工劳动合同签订及权益保障情况报告.docx", "C-1",
           "关于非在编教职工劳动合同签订及权益保障情况的报告", d, _plain(
               "关于非在编教职工劳动合同签订及权益保障情况的报告", [
                   f"截至{_cn_date(d)}，学校有非在编教职工{len(nb)}人，全部通过人事代理机构签订劳动合同，"
                   "合同签订率100%，均依法参加社会保险。",
                   ("table", (("姓名", "岗位", "入职时间", "合同期限", "是否会员"), tuple(
                       (p.name, p.title, p.hired.isoformat(), "1年", "是" if p.member_on(d) else
                        "否（已提交入会申请）") for p in nb))),
                   "非在编教职工在评优评先、培训进修、节日慰问、体检等方面与在编教职工同等对待。"
                   "3月新入职的2名非在编教职工已提交入会申请，待试用期满后办理。",
               ], UNIT, d), items=(18,), tags=("劳动合同", "非在编"))
    d = date(2021, 3, 19)
    b.xlsx(f"{y}/2020年度经费决算及2021年度预算.xlsx", "F-5", "2020年度工会经费收支决算及2021年度预算表",
           d, _budget_sheets(2020), items=(5,), tags=("经费", "预算", "决算"))
    b.docx(f"{y}/2020年度工会经费审查报告.docx", "F-5", "关于2020年度工会经费收支情况的审查报告",
           date(2021, 3, 22), _audit_report(2020, date(2021, 3, 22)), responsible=JINGSHEN,
           items=(2, 5), tags=("经审", "经费"))
    d = date(2021, 3, 25)
    b.docx(f"{y}/学校安全生产责任制度（修订）.docx", "E-1", "重庆市渝碚实验中学安全生产责任制度（修订）",
           d, _formal(SCHOOL_HEAD, school_no(2021, 9), "重庆市渝碚实验中学安全生产责任制度（修订）",
                      "各处室、各年级组、校工会：", [
                          "一、校长是学校安全第一责任人，分管副校长是直接责任人，各处室负责人是本部门"
                          "安全责任人。",
                          "二、校工会负责组织职工代表开展安全巡视检查，每学期不少于一次，监督隐患整改。",
                          "三、每学期开展安全教育培训和应急疏散演练各不少于一次。",
                          "四、发生安全事故按规定及时报告，不得瞒报、迟报。",
                      ], SCHOOL, d), doc_no=school_no(2021, 9), responsible=SCHOOL, items=(20,),
           tags=("安全制度",))

    d = date(2021, 4, 6)
    b.docx(f"{sq}/关于转发2021年度职工之家创建申报通知的通知.docx", "F-4",
           "关于转发《关于创建申报2021年度职工之家（小家）的通知》的通知", d, _formal(
               UNION_HEAD, union_no(2021, 4), "关于转发《关于创建申报2021年度职工之家（小家）的通知》的通知",
               "各工会小组：", [
                   "现将重庆市教科文卫体工会《关于创建申报2021年度职工之家（小家）的通知》"
                   "（渝教科文卫体工〔2021〕17号）转发给你们。经学校党委同意，校工会申报创建"
                   "重庆市教科文卫体工会先进职工之家。",
                   "申报时间为2021年4月1日至9月15日，申报材料为建家工作汇报、创建先进职工之家规划和"
                   "相关图片资料（图片须命名备注时间、内容说明）。请各工会小组按分工整理2019年以来的"
                   "资料和照片，于8月15日前交工会办公室。",
               ], UNIT, d, attachments=("渝教科文卫体工〔2021〕17号",)), doc_no=union_no(2021, 4),
           items=(4,), tags=("建家", "上级文件"))
    d = date(2021, 4, 12)
    b.docx(f"{sq}/关于成立创建先进职工之家工作领导小组的通知.docx", "F-4",
           "关于成立创建先进职工之家工作领导小组的通知", d, _formal(
               UNION_HEAD, union_no(2021, 5), "关于成立创建先进职工之家工作领导小组的通知",
               "各工会小组：", [
                   "为加强对创建工作的领导，经学校党委同意，成立创建先进职工之家工作领导小组。",
                   ("table", (("职务", "姓名", "单位职务"), _LEADING_GROUP)),
                   f"领导小组下设办公室，办公室设在校工会，{VICE}兼任办公室主任，成员：{CLERK}、"
                   "何文斌、彭志勇。",
               ], UNIT, d), doc_no=union_no(2021, 5), items=(4, 6), tags=("建家", "领导小组"))
    d = date(2021, 4, 16)
    b.docx(f"{y}/关于调整工会小组组长的通知.docx", "F-1", "关于调整语文组工会小组组长的通知", d,
           _formal(UNION_HEAD, union_no(2021, 6), "关于调整语文组工会小组组长的通知", "各工会小组：", [
               "因程小兰同志担任高三年级主任，工作任务繁重，本人申请不再担任语文组工会小组组长。"
               "经语文组会员民主推选、校工会委员会研究，由蒋雪梅同志担任语文组工会小组组长。",
               "调整后各工会小组组长：" + "；".join(f"{g}　{n}" for g, n in
                                          GROUP_LEADERS_2021.items()) + "。",
           ], UNIT, d), doc_no=union_no(2021, 6), items=(2,), tags=("组织机构", "工会小组"))
    d = date(2021, 4, 19)
    b.docx(f"{y}/工会委员会会议纪要2021-2.docx", "F-6", "工会委员会会议纪要（2021年第2次）", d,
           _minutes("工会委员会会议纪要", "（2021年第2次）", d, "下午4:30", "职工之家活动室", CHAIR,
                    COMMITTEE, [
                        ("学习渝教科文卫体工〔2021〕17号文件", "会议学习了2021年度职工之家创建申报通知。"),
                        ("审议创建先进职工之家规划", f"{VICE}同志介绍规划（讨论稿）。"),
                        ("对照标准自查", "对照事业单位先进职工之家创建标准逐项自查，初步自查得分在80分"
                                   "以上；短板是2020年未召开教代会和会员代表大会、职工代表安全巡视"
                                   "不经常。"),
                    ], ["通过创建先进职工之家规划，以校工会文件印发。",
                        "6月召开会员代表大会并现场开展会员评家。",
                        "下半年恢复职工代表安全巡视检查，每学期至少一次。"]),
           items=(4, 6), tags=("会议纪要", "建家"), header=UNIT)
    d = date(2021, 4, 20)
    b.docx(f"{sq}/创建先进职工之家规划.docx", "F-3", f"{UNIT}创建先进职工之家规划", d,
           _plan_blocks(ctx, d), doc_no=union_no(2021, 7), items=(4, 6),
           tags=("建家", "创建规划", "申报材料"))
    d = date(2021, 4, 23)
    b.photo("照片/2021/2021-04-23 世界读书日教职工读书分享会.jpg", "D-2",
            "2021年4月23日世界读书日教职工读书分享会", d,
            Scene("books", "世界读书日·教职工读书分享会", people=6, palette=1),
            taken=datetime(2021, 4, 23, 16, 18, 52), phone=IPHONE, items=(12, 17),
            tags=("照片", "读书", "职工书屋"))
    d = date(2021, 4, 30)
    b.pdf(f"{y}/2021年第二季度校务公开内容.pdf", "B-3", "2021年第二季度校务公开栏内容", d, _plain(
        "2021年第二季度校务公开栏内容", [
            ("table", (("序号", "公开事项", "公开时间", "责任部门"), (
                (1, "奖励性绩效工资分配方案（2021年修订）", "2021年4月", "校长办公室"),
                (2, "2021年一季度财务收支情况", "2021年4月", "财务室"),
                (3, "教职工体检安排", "2021年5月", "校工会"),
                (4, "2021年评优评先结果", "2021年5月", "人事处"),
                (5, "食堂食材采购招标结果", "2021年6月", "总务处"),
            ))),
            "公开方式：行政楼一楼校务公开栏、学校网站“校务公开”专栏。监督电话：校工会。",
        ], f"{SCHOOL}校务公开领导小组", d), responsible=SCHOOL, items=(16,),
        tags=("校务公开",))

    d = date(2021, 5, 10)
    b.xlsx(f"{y}/工会会员花名册（2021年5月）.xlsx", "F-2", "工会会员花名册（2021年5月）", d,
           [_roster_sheet(ctx, d)], items=(14,), tags=("会籍", "花名册"))
    d = date(2021, 5, 12)
    rng = random.Random(SEED + 512)
    b.xlsx(f"{y}/教职工学历提升及继续教育统计表.xlsx", "D-3", "教职工学历提升及继续教育统计表", d, [Sheet(
        "统计", "教职工学历提升及继续教育统计表（2019—2021）",
        ("序号", "姓名", "工会小组", "类别", "内容", "完成时间"), tuple(
            (i, p.name, p.group, kind, what, when) for i, (p, (kind, what, when)) in
            enumerate(zip(ctx.pick(d, 9), (
                ("学历提升", "教育硕士（在职）", "2020年6月"), ("学历提升", "教育硕士（在职）", "2021年6月"),
                ("继续教育", "市级骨干教师培训", "2019年12月"), ("继续教育", "国培计划", "2020年11月"),
                ("继续教育", "心理健康教育C证", "2020年9月"), ("继续教育", "心理健康教育C证", "2021年3月"),
                ("自学成才", "国家二级心理咨询师", "2019年10月"), ("继续教育", "班主任高级研修", "2021年4月"),
                ("学历提升", "本科（函授）", "2020年1月"))), 1)),
        widths=(6, 10, 12, 10, 22, 12))], responsible=SCHOOL, items=(9,),
        tags=("继续教育", "学历提升"))
    d = date(2021, 5, 18)
    women = [p for p in ctx.members(d) if p.sex == "女"]
    b.xlsx(f"{y}/2021年女教职工专项体检名单.xlsx", "E-3", "2021年女教职工“两癌”筛查体检名单", d, [Sheet(
        "名单", "2021年女教职工“两癌”筛查体检名单", ("序号", "姓名", "工会小组", "出生年月", "体检日期",
                                           "备注"), tuple(
            (i, p.name, p.group, f"{p.born.year}.{p.born.month:02d}",
             ("5月24日" if i % 2 else "5月25日"), "") for i, p in enumerate(
                sorted(women, key=lambda p: (GROUPS.index(p.group), p.name)), 1)),
        widths=(6, 10, 12, 10, 10, 10), before=(f"女教职工会员{len(women)}人，费用由学校行政和"
                                                "工会经费共同承担。",))],
        items=(20,), tags=("女职工", "体检"))
    d = date(2021, 5, 20)
    b.xlsx(f"{y}/2021年课堂教学竞赛获奖名单.xlsx", "A-1", "2021年课堂教学竞赛获奖名单", d, [Sheet(
        "获奖名单", "2021年“建功新时代”课堂教学竞赛获奖名单", ("序号", "姓名", "学科", "奖次"), tuple(
            (i, p.name, p.group.replace("组", ""), "一等奖" if i <= 3 else "二等奖" if i <= 9 else
             "三等奖") for i, p in enumerate(ctx.teachers(d, 18), 1)),
        widths=(6, 10, 10, 10), after=("主办：校工会、教务处",))], items=(7,),
        tags=("劳动竞赛", "获奖名单"))
    d = date(2021, 5, 25)
    b.docx(f"{y}/庆祝建党100周年教职工合唱比赛方案.docx", "D-5",
           "庆祝中国共产党成立100周年教职工合唱比赛方案", d, _formal(
               UNION_HEAD, union_no(2021, 8), "庆祝中国共产党成立100周年教职工合唱比赛方案",
               "各工会小组：", [
                   "为庆祝中国共产党成立100周年，校工会定于6月25日举办“永远跟党走”教职工合唱比赛。",
                   "一、以工会小组为单位组队，每队不少于20人，演唱曲目2首（其中1首为指定曲目）。",
                   "二、评分：演唱水平70分、精神面貌20分、服装台风10分。",
                   "三、设一等奖1个、二等奖2个、三等奖4个。",
               ], UNIT, d), doc_no=union_no(2021, 8), items=(10, 13), tags=("文体活动", "建党100周年"))
    d = date(2021, 5, 27)
    b.txt(f"{y}/教职工座谈会记录.txt", "B-6", "“我为群众办实事”教职工座谈会记录", d, _minutes(
        "“我为群众办实事”教职工座谈会记录", None, d, "下午4:20", "职工之家活动室", CHAIR,
        [CHAIR, VICE, *ctx.names(d, 10, exclude=(CHAIR, VICE))], [
            ("征集教职工急难愁盼问题", "与会教职工提出教职工子女暑期托管、午休场所、停车难等"
                                  "问题9条。"),
        ], ["暑期试办教职工子女托管班。", "行政楼四楼会议室中午开放供教职工午休。",
            "梳理形成“办实事”清单报学校党委。"]), encoding="utf-8-sig", items=(18,),
        tags=("座谈会", "民主管理"))
    d = date(2021, 5, 30)
    poor = ctx.pick(d, 1)[0]
    b.docx(f"{y}/困难职工档案（二）.docx", "C-4", f"困难职工档案（{poor.name}）", d, [
        ("title", "困难教职工档案"),
        ("table", (("项目", "内容"), (
            ("姓名", poor.name), ("性别", poor.sex), ("工会小组", poor.group), ("困难类型", "单亲家庭"),
            ("困难情况", "离异，独自抚养两名子女，父亲长期卧床"),
            ("帮扶措施", "2021年春节慰问600元；申请上级工会帮扶；工会小组结对帮扶"),
            ("建档时间", _cn_date(d)), ("建档人", "罗建军"), ("审核", CHAIR),
        ))),
    ], items=(19,), tags=("困难职工", "档案"), header=UNIT)

    d = date(2021, 6, 8)
    b.docx(f"{y}/党史学习教育专题学习总结.docx", "D-1", "教职工党史学习教育专题学习活动总结", d, _plain(
        "教职工党史学习教育专题学习活动总结", [
            "3月以来，校工会配合学校党委在全体教职工中开展党史学习教育，组织专题学习6次、"
            "“红色故事我来讲”演讲比赛1次，参观红岩革命纪念馆1次，参与教职工420人次。",
            "通过学习，教职工坚定了理想信念，增强了立德树人的使命感；结合“我为群众办实事”，"
            "为教职工解决实际问题9件。",
        ], UNIT, d), items=(10, 12), tags=("党史学习教育", "思想政治"))
    _member_congress_2021(b, ctx, y)
    d = date(2021, 6, 18)
    b.photo("照片/2021/2021-06-18 安全生产月消防疏散演练.jpg", "E-2", "2021年6月18日安全生产月消防疏散演练",
            d, Scene("field", "2021年安全生产月消防疏散演练", people=20, palette=3),
            taken=datetime(2021, 6, 18, 10, 5, 12), phone=OPPO, items=(20,),
            tags=("照片", "消防演练"))
    d = date(2021, 6, 25)
    b.photo("照片/2021/2021-06-25 永远跟党走教职工合唱比赛.jpg", "D-5",
            "2021年6月25日“永远跟党走”教职工合唱比赛", d,
            Scene("stage", "永远跟党走——庆祝中国共产党成立100周年教职工合唱比赛", people=30),
            taken=datetime(2021, 6, 25, 15, 40, 18), phone=HUAWEI, items=(10, 13),
            tags=("照片", "合唱比赛", "建党100周年"))
    b.photo("微信接收/微信图片_20210625163542.jpg", "D-5", "教职工合唱比赛颁奖", d,
            Scene("stage", "永远跟党走　教职工合唱比赛", people=30, size=(1024, 768), palette=1),
            items=(13,), tags=("照片", "合唱比赛"))
    b.photo("照片/2021/IMG_1234.jpg", "D-5", "IMG_1234", d,
            Scene("stage", "永远跟党走", people=30, size=(1008, 756), palette=2),
            taken=datetime(2021, 6, 25, 16, 2, 44), phone=IPHONE, items=(), tags=())
    d = date(2021, 6, 30)
    b.photo("照片/2021/IMG_0871.jpg", "D-5", "IMG_0871", d,
            Scene("room", None, people=5, size=(960, 720), palette=0), items=(), tags=())
    b.pdf(f"{y}/庆祝建党100周年教职工合唱比赛活动总结.pdf", "D-5", "“永远跟党走”教职工合唱比赛活动总结", d,
          _plain("“永远跟党走”教职工合唱比赛活动总结", [
              "6月25日，校工会举办庆祝中国共产党成立100周年“永远跟党走”教职工合唱比赛，"
              "7个工会小组共152名教职工登台演唱。",
              "经评委评分，行政后勤组获一等奖，语文组、理化生组获二等奖，其余小组获三等奖。",
              "比赛唱出了教职工爱党爱国的深厚情怀，展现了学校教职工昂扬向上的精神风貌。",
          ], UNIT, d), items=(10, 13), tags=("合唱比赛", "总结"))
    b.docx(f"{y}/2021年安全生产月活动总结.docx", "E-2", "2021年“安全生产月”活动总结", d, _plain(
        "2021年“安全生产月”活动总结", [
            "2021年“安全生产月”以“落实安全责任，推动安全发展”为主题。",
            "一、开展安全知识竞赛，教职工参与率98%。",
            "二、6月18日组织全校消防疏散演练，全校师生2100余人3分05秒全部疏散到位。",
            "三、会同总务处开展校园安全隐患大排查，整改隐患5处。",
        ], UNIT, d), items=(20,), tags=("安全生产月", "总结"))
    b.docx(f"{y}/2021年上半年必谈必访记录.docx", "C-5", "2021年上半年必谈必访记录", d,
           _talk_visit_blocks(ctx, "2021年上半年必谈必访记录", d, 12), items=(19,),
           tags=("必谈必访",))
    d = date(2021, 7, 5)
    b.pdf(f"{sq}/学校近三年主要荣誉一览.pdf", "A-5", "学校及工会近三年主要荣誉一览", d, _plain(
        "学校及工会近三年主要荣誉一览（2019—2021）", [
            ("table", (("序号", "荣誉名称", "授予单位", "时间"), (
                (1, "北碚区教育系统先进集体", "北碚区教育委员会", "2019年9月"),
                (2, "重庆市文明校园", "重庆市精神文明建设委员会", "2020年1月"),
                (3, "北碚区教育系统抗击新冠肺炎疫情先进集体", "北碚区教育委员会", "2020年9月"),
                (4, "北碚区教育工会先进基层工会", "北碚区教育工会", "2020年12月"),
                (5, "北碚区“三八”红旗集体（女职工委员会）", "北碚区妇女联合会", "2021年3月"),
            ))),
        ], UNIT, d), items=(6,), tags=("荣誉", "申报材料"))
    d = date(2021, 7, 8)
    b.txt(f"{y}/暑期安全提示.txt", "E-5", "致全体教职工的暑期安全提示", d, _plain(
        "致全体教职工的暑期安全提示", [
            "一、防溺水：不到无安全设施、无救援人员的水域游泳，看管好自己的子女。",
            "二、防诈骗：警惕冒充教育部门、银行、快递的电信诈骗，不轻信、不转账。",
            "三、交通安全：遵守交通法规，不酒后驾车。",
            "四、防暑降温：合理安排户外活动，注意饮食卫生。",
        ], UNIT, d), items=(21,), tags=("安全提示", "群防群治"))
    d = date(2021, 7, 15)
    b.docx(f"{y}/工会委员会会议纪要2021-3.docx", "F-6", "工会委员会会议纪要（2021年第3次）", d,
           _minutes("工会委员会会议纪要", "（2021年第3次）", d, "上午9:30", "行政楼三楼会议室", CHAIR,
                    COMMITTEE, [
                        ("审议建家工作汇报（初稿）", f"{VICE}同志汇报初稿，委员们提出修改意见12条。"),
                        ("审定申报图片", "从近三年照片中选出30张，要求按“时间＋内容”重新命名。"),
                    ], ["8月底前定稿建家工作汇报，报学校党委审核后签署意见、加盖公章。",
                        "由谭静同志负责整理申报图片和档案。"]),
           items=(4,), tags=("会议纪要", "建家"), header=UNIT)
    d = date(2021, 7, 20)
    b.pdf(f"{y}/工会简报2021第2期.pdf", "F-6", "工会简报（2021年第2期）", d, [
        ("title", "工会简报"), ("subtitle", f"2021年第2期（总第27期）　重庆市渝碚实验中学工会编　{_cn_date(d)}"),
        ("h", "我校召开工会会员代表大会"),
        ("p", "6月11日，校工会召开会员代表大会，现场开展会员评家，满意度96.8%。"),
        ("h", "“永远跟党走”教职工合唱比赛唱响校园"),
        ("p", "6月25日，152名教职工登台演唱，庆祝中国共产党成立100周年。"),
        ("h", "校工会启动先进职工之家创建"),
        ("p", "校工会对照创建标准逐项自查，完善建家档案，力争9月完成申报。"),
    ], items=(6,), tags=("简报",))
    d = date(2021, 8, 20)
    b.docx(f"{y}/2021年新入职教师岗前培训方案.docx", "A-3", "2021年新入职教师岗前培训方案", d, _plain(
        "2021年新入职教师岗前培训方案", [
            "培训时间：8月23日至8月27日。培训对象：2021年新入职教师及非在编教职工。",
            "培训内容：师德师风与教师职业行为十项准则；教学常规与课堂管理；班主任工作；"
            "校园安全；工会组织与会员权益（由校工会讲授）。",
            "考核：培训结束提交学习心得，考核合格后上岗。",
        ], f"{SCHOOL}教科室　校工会", d), responsible=SCHOOL, items=(9,), tags=("培训",))
    d = date(2021, 8, 26)
    b.xlsx(f"{sq}/先进职工之家创建标准自查评分表.xlsx", "F-3",
           "重庆市教科文卫体工会先进职工之家创建标准（事业单位）自查评分表", d, [_self_check_sheet()],
           items=tuple(range(1, 22)), tags=("建家", "自查", "申报材料"))
    d = date(2021, 8, 30)
    b.docx(f"{sq}/建家工作汇报.docx", "F-4", f"{UNIT}创建先进职工之家工作汇报", d,
           _report_blocks(ctx, d), doc_no=union_no(2021, 9), items=(4, 6, 14, 16),
           tags=("建家", "工作汇报", "申报材料"))
    b.docx(f"{sq}/先进职工之家申报登记表.docx", "F-4", "重庆市教科文卫体工会系统先进职工之家申报登记表",
           d, _registration_blocks(ctx, d), items=(4,), tags=("建家", "申报登记表", "申报材料"),
           footer=False)


_LEADING_GROUP = (("组长", SECRETARY, "党委书记"), ("副组长", PRINCIPAL, "校长"),
                  ("副组长", CHAIR, "工会主席"), ("成员", VICE, "工会副主席"),
                  ("成员", "吴海涛", "办公室主任"), ("成员", "罗建军", "总务处副主任"),
                  ("成员", AUDIT[0], "经审委主任"), ("成员", WOMEN[0], "女工委主任"))


def _member_congress_2021(b: _Builder, ctx: Ctx, y: str) -> None:
    d = date(2021, 6, 11)
    valid, issued, ok, basic, bad = _RATE_2021
    b.docx(f"{y}/2021年会员代表大会会议纪要.docx", "F-6", "2021年会员代表大会会议纪要", d, _minutes(
        "重庆市渝碚实验中学工会2021年会员代表大会会议纪要", None, d, "下午3:00", "学术报告厅", VICE,
        [f"会员代表{issued}名（应到{issued}名）"], [
            ("听取工会工作报告", f"{CHAIR}同志报告2019年以来工会工作和创建先进职工之家情况，"
                              "说明了2020年因疫情未召开会员代表大会的情况。"),
            ("听取经费审查工作报告", f"{AUDIT[0]}同志报告2020年度经费审查情况。"),
            ("会员评议职工之家", "代表们对照七个方面无记名填写测评票，经审委员会监督当场计票。"),
        ], [
            "同意工会工作报告和经费审查工作报告。",
            f"会员评家发出测评票{issued}张，收回{issued}张，有效票{valid}张，无效票{issued - valid}张；"
            f"满意{ok}票，基本满意{basic}票，不满意{bad}票，满意度{_satisfaction(ok, basic, bad)}。",
            "同意申报创建重庆市教科文卫体工会先进职工之家。",
        ], attend=f"党委书记{SECRETARY}、校长{PRINCIPAL}"), items=(14, 16),
        tags=("会员代表大会", "会议纪要", "会员评家"), header=UNIT)
    b.xlsx(f"{y}/2021年会员评家测评汇总表.xlsx", "F-3", "2021年会员评议职工之家满意度测评汇总表", d,
           _ping_jia_sheets(2021, "会员代表大会现场无记名测评", issued, issued, ok, basic, bad,
                            random.Random(SEED + 2021)), items=(16,), tags=("会员评家", "满意度"))
    b.photo("照片/2021/2021-06-11 会员代表大会会员评家投票.jpg", "F-3", "2021年6月11日会员代表大会会员评家投票",
            d, Scene("hall", "重庆市渝碚实验中学工会2021年会员代表大会", people=28, palette=2),
            taken=datetime(2021, 6, 11, 15, 37, 29), phone=HUAWEI, items=(14, 16),
            tags=("照片", "会员评家", "会员代表大会"))
    d = date(2021, 6, 15)
    b.pdf(f"{y}/2021年会员评家测评结果公示.pdf", "F-3", "2021年会员评议职工之家测评结果公示", d, _plain(
        "2021年会员评议职工之家测评结果公示", [
            f"2021年6月11日，校工会在会员代表大会上开展会员评议职工之家活动。发出测评票{issued}张，"
            f"收回{issued}张，其中有效票{valid}张。测评结果：满意{ok}票，基本满意{basic}票，不满意{bad}票，"
            f"满意度（满意票与基本满意票之和占有效票的比例）为{_satisfaction(ok, basic, bad)}。",
            "代表们提出的意见建议主要有：增加青年教职工联谊活动、扩大职工之家活动室面积、"
            "职工代表安全巡视要经常化。校工会将逐条研究落实。",
            "原始测评票由工会办公室封存备查。公示期5个工作日。",
        ], UNIT, d), items=(16,), tags=("会员评家", "公示"))


def _self_check_sheet() -> Sheet:
    rows = [(n, group, points, mine, "") for n, group, points, mine in _SCORESHEET]
    rows.append(("合计", "", 100, sum(r[3] for r in _SCORESHEET),
                 f"单项分逐项相加为{sum(r[2] for r in _SCORESHEET)}分，与标准所列合计100分不一致，"
                 "按标准原文照录"))
    return Sheet("自查评分", "重庆市教科文卫体工会先进职工之家创建标准（事业单位）自查评分表",
                 ("序号", "项目", "单项分", "自查分", "说明"), tuple(rows),
                 widths=(6, 36, 8, 8, 40), before=(f"自查单位：{UNIT}　自查日期：2021年8月26日",),
                 after=("扣分说明：第4项2020年会员评家未通过会员代表大会进行；第14、16项2020年未召开"
                        "会员代表大会；第15项2020年未召开教代会；第20项职工代表安全巡视不经常。",
                        f"自查人：{VICE}、{CLERK}　审核：{CHAIR}"))


def _plan_blocks(ctx: Ctx, d: date) -> list[Block]:
    """创建先进职工之家规划 with the seven parts the notice requires, each a heading."""
    return [UNION_HEAD, ("docno", union_no(2021, 7)), ("title", f"{UNIT}创建先进职工之家规划"),
            ("h", "一、指导思想"),
            ("p", "以习近平新时代中国特色社会主义思想为指导，深入学习贯彻习近平总书记关于工人阶级和"
                  "工会工作的重要论述，按照《重庆市职工之家创建标准》和市教科文卫体工会先进职工之家"
                  "创建标准（事业单位），以“六有五家”为主要内容，以教职工满意为目标，形成党政工共建"
                  "一个家的局面。"),
            ("h", "二、创建目标"),
            ("p", "2021年9月15日前完成重庆市教科文卫体工会先进职工之家申报，对照标准自查总分在80分以上；"
                  "会员评家满意度保持在95%以上；入会率保持在98%以上；2022年至2023年巩固提高，"
                  "争创重庆市模范职工之家。"),
            ("h", "三、创建职工之家领导小组及办公室人员名单"),
            ("table", (("职务", "姓名", "单位职务"), _LEADING_GROUP)),
            ("p", f"领导小组办公室设在校工会，主任：{VICE}；成员：{CLERK}、何文斌、彭志勇。"),
            ("h", "四、任务分解"),
            ("table", (("项目", "主要任务", "牵头人"), (
                ("六有家园", "健全组织、完善制度、管好经费、规范档案", CHAIR),
                ("效益之家", "课堂教学竞赛、合理化建议、教师培训", "何文斌"),
                ("文明之家", "党史学习教育、师德师风、文体活动、职工书屋", "彭志勇、杨丽"),
                ("民主之家", "教代会、校务公开、会员代表大会、会员评家", VICE),
                ("温暖之家", "送温暖、困难帮扶、必谈必访、爱心妈咪小屋", "罗建军、蒋雪梅"),
                ("安康之家", "安康杯、安全生产月、职工代表安全巡视、女职工权益", "黄德明"),
            ))),
            ("h", "五、责任区分"),
            ("p", "学校党委负责领导和统筹，行政负责提供场地、经费等保障，校工会负责具体实施；"
                  "各工会小组长负责本组资料收集和会员动员；经费审查委员会负责经费使用监督；"
                  "工会办公室负责建家档案按A至F卷规范整理。"),
            ("h", "六、时间要求"),
            ("p", "4月：学习文件、成立机构、制定规划；5月至6月：对照标准补短板，召开会员代表大会开展"
                  "会员评家；7月至8月：整理档案和图片，撰写建家工作汇报；9月15日前：报送申报材料；"
                  "10月至12月：迎接检查验收，整改提高。"),
            ("h", "七、保障措施"),
            ("p", "一是加强领导，党委每季度听取一次创建工作汇报；二是经费保障，学校行政补助不少于5万元，"
                  "优先保障阵地建设；三是加强宣传，利用简报、公众号宣传创建工作；四是严格考核，"
                  "创建工作纳入工会小组年度考核。"),
            _sign(UNIT, d)]


def _report_blocks(ctx: Ctx, d: date) -> list[Block]:
    """建家工作汇报 with exactly the four required sections as headings."""
    staff = len(ctx.staff(d))
    members = len(ctx.members(d))
    valid, issued, ok, basic, bad = _RATE_2021
    women = sum(1 for p in ctx.members(d) if p.sex == "女")
    return [UNION_HEAD, ("docno", union_no(2021, 9)), ("title", f"{UNIT}创建先进职工之家工作汇报"),
            ("to", f"{UPPER}："),
            ("h", "一、基本情况"),
            ("p", f"{SCHOOL}是一所公办完全中学，现有教职工{staff}人，工会会员{members}人，入会率"
                  f"{members / staff * 100:.2f}%；女会员{women}人。校工会下设7个工会小组，第六届工会委员会"
                  f"由委员9人组成（2019年5月换届选举产生），设经费审查委员会（委员3人）和女职工委员会"
                  f"（委员5人）。工会主席{CHAIR}同志为党委委员。"),
            ("p", "学校党委高度重视工会工作，每年专题研究工会工作，按规定足额拨缴工会经费并给予行政补助。"
                  "学校建有职工之家活动室、职工书屋（藏书3000册）、爱心妈咪小屋、心理健康辅导室和"
                  "教职工健身房。"),
            ("h", "二、工会工作亮点"),
            ("p", "（一）民主管理规范。建立以教代会为基本形式的民主管理制度，2019年、2021年召开教代会，"
                  "审议绩效工资分配方案等重大事项；实施校务公开，设立固定公开栏和网上专栏。"),
            ("p", "（二）服务职工精准。落实“必谈必访”制度，三年谈心走访120余人次；春节送温暖慰问60人次，"
                  "金秋助学7人；建立困难教职工档案，实行动态管理。"),
            ("p", "（三）建功立业有平台。连续三年举办青年教师课堂教学大赛、线上教学技能竞赛，开展合理化"
                  "建议征集，采纳建议10余条。"),
            ("p", "（四）文体活动丰富。每年举办教职工运动会，开展读书月、三八节活动和庆祝建党100周年"
                  "合唱比赛，增强了职工之家的凝聚力。"),
            ("h", "三、会员评家及满意度测评情况"),
            ("p", f"校工会制定了《会员评议职工之家实施办法》，每年开展会员评家。2019年5月在第六次会员代表大会"
                  f"上测评，有效票60张，满意度96.7%；2020年受疫情影响未召开会员代表大会，采用网络问卷测评，"
                  f"回收131份，满意度95.4%；2021年6月11日在会员代表大会上测评，发出测评票{issued}张，"
                  f"有效票{valid}张，满意{ok}票、基本满意{basic}票、不满意{bad}票，满意度"
                  f"{_satisfaction(ok, basic, bad)}。原始测评票均封存备查。"),
            ("h", "四、否决事项情况说明"),
            ("p", "对照渝教科文卫体工〔2019〕23号文件所列七项否决条件，逐项说明如下："),
            ("p", "1. 工会委员会、经费审查委员会、女职工委员会健全，2019年5月按期换届。"),
            ("p", "2. 全体在编教职工签订聘用合同，非在编教职工签订劳动合同，均依法参加社会保险。"),
            ("p", "3. 建立了教代会制度和校务公开制度。需要说明的是：2020年受新冠肺炎疫情影响，"
                  "第四届教代会第六次会议未能召开，已于2021年3月召开第五届教代会第一次会议。"),
            ("p", f"4. 按要求开展会员评家，2021年满意度{_satisfaction(ok, basic, bad)}，达到90%以上。"),
            ("p", f"5. 入会率{members / staff * 100:.2f}%，达到标准要求。"),
            ("p", "6. 近三年未发生职工群体事件和重大安全责任事故。"),
            ("p", "7. 无其他不宜申报的情形。"),
            _sign(UNIT, d)]


def _registration_blocks(ctx: Ctx, d: date) -> list[Block]:
    staff = len(ctx.staff(d))
    members = len(ctx.members(d))
    return [
        ("title", "重庆市教科文卫体工会系统先进职工之家申报登记表"),
        ("kv", [("单位名称", SCHOOL), ("填表日期", _cn_date(d))]),
        ("h", "基层工会简况"),
        ("table", (("项目", "内容", "项目", "内容"), (
            ("单位所有制形式", "事业单位（公办）", "经营方式", "—"),
            ("职工总数", staff, "会员总数", members),
            ("工会专职干部数", 1, "分工会数", "0（工会小组7个）"),
            ("工会主席姓名", CHAIR, "联系电话", "023-68xxxx21"),
            ("邮政编码", "400700", "", ""),
        ))),
        ("h", "工会组织及本单位何时获得何种荣誉称号"),
        ("p", "2020年1月学校获评重庆市文明校园；2020年9月获北碚区教育系统抗击新冠肺炎疫情先进集体；"
              "2020年12月校工会获北碚区教育工会先进基层工会；2021年3月校女职工委员会获北碚区"
              "“三八”红旗集体。"),
        ("h", "意见"),
        ("table", (("基层工会意见", "单位行政意见", "重庆市教科文卫体工会意见"),
                   (("同意申报。（盖章）", "同意申报。（盖章）", ""),))),
    ]


# --------------------------------------------------------------------------------------------
# Entry point
# --------------------------------------------------------------------------------------------

def generate(dst: Path) -> list[SampleDoc]:
    """Write the demo archive's source files under ``dst``; return what to file, in date order.

    ``dst`` is created if missing and must not already hold files of the same names.
    """
    dst = Path(dst)
    dst.mkdir(parents=True, exist_ok=True)
    rng = random.Random(SEED)
    people = tuple(_roster(random.Random(SEED)))
    ctx = Ctx(people=people, rng=rng)
    builder = _Builder(dst)
    _year_2019(builder, ctx)
    _year_2020(builder, ctx)
    _year_2021(builder, ctx)
    return sorted(builder.docs, key=lambda doc: (doc.date, doc.code, doc.title))


def _summary(docs: Sequence[SampleDoc]) -> str:
    from collections import Counter

    total = sum(doc.path.stat().st_size for doc in docs)
    lines = [f"{len(docs)} documents, {total / 1024 / 1024:.2f} MB"]
    lines.append("by volume: " + ", ".join(f"{k}={v}" for k, v in
                                           sorted(Counter(d.code[0] for d in docs).items())))
    lines.append("by year:   " + ", ".join(f"{k}={v}" for k, v in
                                           sorted(Counter(d.date.year for d in docs).items())))
    lines.append("by format: " + ", ".join(f"{k}={v}" for k, v in sorted(
        Counter(d.path.suffix.lower() for d in docs).items())))
    lines.append("by code:   " + ", ".join(f"{k}={v}" for k, v in
                                           sorted(Counter(d.code for d in docs).items())))
    return "\n".join(lines)


if __name__ == "__main__":  # pragma: no cover - a developer convenience
    if len(sys.argv) != 2:
        sys.exit("usage: sample_content.py DST")
    print(_summary(generate(Path(sys.argv[1]))))
