"""The 申报登记表 (附件6 之家 / 附件7 小家) as DOCX, filled from the unit profile.

The fields and their order come from the form data in catalog/ (``RegistrationForm``); which
profile fact fills a field comes from ``Report.form`` (coverage_rules.toml ``[form_fields]``).
Opinion and seal fields are left blank for hand-filling.
"""

from __future__ import annotations

import os
from pathlib import Path

from ..archive import Archive
from ..coverage.assess import Report


def write_form(archive: Archive, r: Report, path: Path) -> list[str]:
    """Write the form; returns the labels of fields left empty because the profile lacks them."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    if r.form is None:
        from ..errors import BadValue

        raise BadValue(f"{archive.level}没有对应的申报登记表。")
    form = next(f for f in archive.standards.forms if f.id == r.form.id)
    values = {f.label: f for f in r.form.fields}
    doc = Document()
    style = doc.styles["Normal"]
    style.font.name = "宋体"
    style.font.size = Pt(12)
    rpr = style.element.get_or_add_rPr()
    fonts = rpr.find("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}rFonts")
    if fonts is not None:
        fonts.set("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia", "宋体")
    head = doc.add_paragraph()
    head.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = head.add_run(form.title)
    run.bold = True
    run.font.size = Pt(18)
    fill_date = f"{r.as_of.year} 年 {r.as_of.month} 月 {r.as_of.day} 日"
    sections: dict[str, list] = {}
    for f in form.fields:
        sections.setdefault(f.section, []).append(f)
    for section, fields in sections.items():
        if section == "封面":
            for f in fields:
                v = values.get(f.label)
                text = fill_date if f.kind == "date" else (v.value if v else "")
                p = doc.add_paragraph(f"{f.label}：{text}")
                p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            continue
        doc.add_paragraph()
        t = doc.add_table(rows=0, cols=2)
        t.style = "Table Grid"
        title_row = t.add_row().cells
        merged = title_row[0].merge(title_row[1])
        merged.text = section
        for f in fields:
            v = values.get(f.label)
            row = t.add_row().cells
            row[0].text = f.printed if len(f.printed) < 30 else f.label
            if f.kind == "opinion":
                row[1].text = "\n\n\n" + ("盖  章\n        年    月    日" if f.seal else "")
            else:
                row[1].text = v.value if v and v.status == "已填" else ""
    if r.form.incomplete_note:
        doc.add_paragraph()
        note = doc.add_paragraph(f"说明：{r.form.incomplete_note}")
        note.runs[0].font.size = Pt(9)
    path = Path(path)
    tmp = path.with_name(path.name + ".tmp")
    doc.save(str(tmp))
    os.replace(tmp, path)
    return list(r.form.missing)
