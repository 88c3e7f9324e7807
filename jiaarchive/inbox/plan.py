"""The filing plan (归档计划) as an XLSX a clerk corrects in Excel or WPS, and read back.

``write_plan(pile, path, archive)`` writes one row per file of the pile on the sheet
“归档计划”: 处理 (归档 / 不归档 / 跳过, a drop-down), 目录 (a drop-down of the archive's
codes with their names on the sheet “目录”), 题名, 形成日期, 评分项, and, for reading
only, the confidence, the reasons, the other proposals and the flags; a sheet “说明” says how
to fill it in and where the files are.  Hidden columns keep each file's exact location
(zip members included), its checksum and the proposed code.

``read_plan(path)`` reads it back as ``apply.Decision`` values.  A plan is a file that has
been edited by hand, perhaps somewhere else: nothing in it is trusted.  Columns are found by
their headers, every value is checked, a row that cannot be read becomes a decision with a
``problem`` (refused when applied, with the reason), and only a location inside the source
folder is ever opened (``walk.open_location``).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import BadValue
from .apply import ACTIONS, FILE, NOT_FILED, SKIP, Decision

if TYPE_CHECKING:
    from ..archive import Archive
    from .propose import FileProposal, Pile

SHEET, HELP, CODES = "归档计划", "说明", "目录"
SOURCE_LABEL = "来源"
MAX_ROWS = 100_000
MAX_CELL = 2_000

# (key, header, width); the hidden columns go last
COLUMNS = (
    ("no", "序号", 6), ("path", "文件", 46), ("action", "处理", 8), ("code", "目录", 9), ("title", "题名", 40),
    ("date", "形成日期", 12), ("items", "评分项", 10), ("confidence", "把握", 7), ("reasons", "建议理由", 50),
    ("others", "备选目录", 16), ("linked", "目录对应的评分项", 12), ("flags", "提示", 40), ("kind", "类型", 10),
    ("location", "位置（勿改）", 10), ("sha256", "SHA-256（勿改）", 10), ("proposed", "建议目录（勿改）", 10),
)
HIDDEN = ("location", "sha256", "proposed")
REVIEW_BELOW = 0.5  # a proposal less sure than this waits for the clerk (跳过) instead of 归档
_CODE = re.compile(r"^\s*([A-Za-z](?:\s*[-－]\s*\d{1,2}){1,2})")

HELP_TEXT = (
    "本表由“jiaarchive inbox 文件夹 --plan 本表.xlsx”生成，列出文件夹（或压缩包）中的每个文件和程序建议的归档方式。",
    "请逐行核对，然后保存（保持 .xlsx 格式），再运行：jiaarchive inbox apply 本表.xlsx",
    "“处理”一栏：归档 = 按本行归档；不归档 = 这个文件不需要归档；跳过 = 暂不处理，以后再说。"
    f"把握低于 {REVIEW_BELOW} 的行先标为“跳过”，重复、已归档和读不出的文件标为“不归档”：核对后可改。",
    "“目录”一栏：从下拉列表中选择目录编号（全部编号和名称见“目录”工作表），也可以直接输入，如 B-1。",
    "“题名”“形成日期”：可以修改；留空则由程序从文件中读取。日期写成 2021-05-12。",
    "“评分项”：要直接关联的评分表项目序号，多个用顿号分隔，如 3、14；可不填。",
    "“把握”“建议理由”“备选目录”“目录对应的评分项”“提示”只供参考，修改它们不起作用（目录对应的评分项自查时自动计入，不必再填）。",
    "最后三列（位置、SHA-256、建议目录）供程序使用，请勿修改；文件夹改了位置时，运行 apply 时用 --source 指出新位置。",
    "apply 加 --accept-above 0.9：只归档把握不低于 0.9 的行，以及您改过目录的行；其余留待以后。",
    "归档时文件被复制进档案，原文件（和压缩包）不会被移动或修改；同一个文件不会被归档两次。",
)


@dataclass(frozen=True)
class Plan:
    source: Path | None  # where the files are, as written when the plan was made
    decisions: tuple[Decision, ...]


def default_action(f: "FileProposal") -> str:
    if not f.fileable or "not_a_document" in f.flags:
        return NOT_FILED
    return FILE if f.proposals and f.confidence >= REVIEW_BELOW else SKIP


def write_plan(pile: "Pile", path: Path, archive: "Archive") -> Path:
    """Write the plan for ``pile`` to ``path`` (an .xlsx); return the path written."""
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        raise BadValue(f"计划文件“{path.name}”应以 .xlsx 结尾（Excel 或 WPS 表格）。")
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    bold = Font(bold=True)
    for c, (_key, header, width) in enumerate(COLUMNS, 1):
        cell = ws.cell(row=1, column=c, value=header)
        cell.font = bold
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
        ws.column_dimensions[get_column_letter(c)].width = width
    col = {key: i for i, (key, _h, _w) in enumerate(COLUMNS, 1)}
    ws.cell(row=1, column=col["action"]).comment = Comment("归档 / 不归档 / 跳过", "jiaarchive")
    ws.cell(row=1, column=col["code"]).comment = Comment("目录编号，见“目录”工作表", "jiaarchive")
    for r, f in enumerate(pile.files, 2):
        values: dict[str, Any] = {
            "no": r - 1, "path": f.rel, "action": ACTIONS[default_action(f)], "code": f.code, "title": f.title,
            "date": f.date, "items": "", "linked": "、".join(map(str, f.items)),
            "confidence": round(f.confidence, 2) if f.proposals else None,
            "reasons": "；".join(f.proposals[0].reasons) if f.proposals else "",
            "others": "、".join(f"{p.code}（{p.confidence:.2f}）" for p in f.proposals[1:]),
            "flags": "；".join(f.notes), "kind": f.kind,
            "location": json.dumps(list(f.location), ensure_ascii=False), "sha256": f.sha256, "proposed": f.code,
        }
        for key, value in values.items():
            cell = ws.cell(row=r, column=col[key], value=value)
            if key == "date" and value is not None:
                cell.number_format = "yyyy-mm-dd"
            if key in ("reasons", "flags", "title", "path"):
                cell.alignment = Alignment(wrap_text=key in ("reasons", "flags"), vertical="top")
    last = len(pile.files) + 1
    ws.freeze_panes = "C2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(COLUMNS) - len(HIDDEN))}{last}"
    for key in HIDDEN:
        ws.column_dimensions[get_column_letter(col[key])].hidden = True

    codes = wb.create_sheet(CODES)
    codes.append(("目录编号", "名称"))
    for e in archive.entries():
        codes.append((e.code, e.title))
    codes.column_dimensions["B"].width = 60
    action_list = DataValidation(type="list", formula1='"' + ",".join(ACTIONS.values()) + '"', allow_blank=True)
    action_list.error, action_list.errorTitle = "请选择：归档、不归档或跳过。", "处理方式"
    code_list = DataValidation(type="list", formula1=f"='{CODES}'!$A$2:$A${len(archive.entries()) + 1}", allow_blank=True)
    code_list.error, code_list.errorTitle = "请从下拉列表中选择目录编号。", "目录"
    code_list.prompt, code_list.promptTitle = "从下拉列表中选择目录编号，名称见“目录”工作表。", "目录"
    for dv, key in ((action_list, "action"), (code_list, "code")):
        letter = get_column_letter(col[key])
        dv.add(f"{letter}2:{letter}{max(last, 2) + 200}")
        ws.add_data_validation(dv)

    hp = wb.create_sheet(HELP)
    hp.column_dimensions["A"].width = 10
    hp.column_dimensions["B"].width = 110
    hp.append(("说明", "建家档案 · 收件箱归档计划"))
    hp.append((SOURCE_LABEL, str(pile.source.resolve())))
    hp.append(("档案", f"{archive.settings.unit}（{archive.root}）"))
    hp.append(("生成时间", datetime.now().strftime("%Y-%m-%d %H:%M")))
    if pile.skipped_text:
        hp.append(("跳过", pile.skipped_text))
    hp.append(())
    for i, line in enumerate(HELP_TEXT, 1):
        hp.append((i, line))
        hp.cell(row=hp.max_row, column=2).alignment = Alignment(wrap_text=True)
    for row in hp.iter_rows(min_row=1, max_row=5, max_col=1):
        row[0].font = bold
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    wb.save(tmp)
    tmp.replace(path)
    return path


# ---------------------------------------------------------------- reading it back


def _text(value: Any) -> str:
    if value is None:
        return ""
    text = str(value).strip()
    return text[:MAX_CELL]


def _date(value: Any) -> date | None:
    from ..filing import parse_date

    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return parse_date(_text(value), "形成日期")


def _location(raw: Any, shown: str) -> tuple[str, ...]:
    if raw:
        try:
            loc = json.loads(_text(raw) if len(str(raw)) <= MAX_CELL else "")
        except ValueError:
            loc = None
        if isinstance(loc, list) and 0 < len(loc) <= 8 and all(isinstance(x, str) and 0 < len(x) <= 1000 and "\0" not in x for x in loc):
            return tuple(loc)
    if not shown:
        raise BadValue("“文件”一栏为空。")
    return tuple(shown.split("!"))  # the hidden column was lost (copied into a new sheet): the shown path


def _action(value: Any) -> str:
    text = _text(value)
    for key, label in ACTIONS.items():
        if text == label or text.lower() == key:
            return key
    if not text:
        return SKIP
    raise BadValue(f"“处理”一栏的“{text}”无法识别，请填 归档、不归档 或 跳过。")


def _items(value: Any) -> tuple[int, ...]:
    text = _text(value)
    if not text:
        return ()
    parts = [p for p in re.split(r"[\s,，、;；]+", text.replace("第", "").replace("项", "")) if p]
    try:
        return tuple(int(float(p)) for p in parts)
    except ValueError:
        raise BadValue(f"“评分项”一栏的“{text}”无法识别，请写项目序号，如 3、14。") from None


def read_plan(path: Path) -> Plan:
    """The decisions of a plan written by ``write_plan`` and corrected by hand."""
    from openpyxl import load_workbook

    path = Path(path)
    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except FileNotFoundError:
        raise BadValue(f"找不到计划文件“{path}”。") from None
    except Exception as exc:  # noqa: BLE001 - a damaged or non-XLSX file
        raise BadValue(f"计划文件“{path.name}”无法打开（{type(exc).__name__}）。请确认它是用 Excel 或 WPS 保存的 .xlsx 文件。") from None
    try:
        if SHEET not in wb.sheetnames:
            raise BadValue(f"计划文件“{path.name}”中没有“{SHEET}”工作表，它不是 jiaarchive inbox 生成的计划。")
        source = _source(wb)
        rows = wb[SHEET].iter_rows(values_only=True)
        header = [(_text(h)) for h in next(rows, ())]
        index = {key: header.index(label) for key, label, _w in COLUMNS if label in header}
        missing = [label for key, label, _w in COLUMNS if key in ("path", "action", "code") and key not in index]
        if missing:
            raise BadValue(f"计划文件“{path.name}”缺少以下列：{'、'.join(missing)}。请不要删除或改名表头。")
        decisions = []
        for n, row in enumerate(rows, 2):
            if n > MAX_ROWS:
                raise BadValue(f"计划文件“{path.name}”超过 {MAX_ROWS} 行。")
            get = (lambda key, row=row: row[index[key]] if key in index and index[key] < len(row) else None)
            shown = _text(get("path"))
            if not shown and not get("location"):
                continue  # an empty row
            decisions.append(_decision(get, shown, n))
    finally:
        wb.close()
    return Plan(source, tuple(decisions))


def _decision(get, shown: str, n: int) -> Decision:  # noqa: ANN001
    try:
        location = _location(get("location"), shown)
    except BadValue as exc:
        return Decision((shown or f"第{n}行",), SKIP, problem=f"第 {n} 行：{exc}")
    proposed = _text(get("proposed"))
    try:
        conf = float(get("confidence") or 0)
    except (TypeError, ValueError):
        conf = 0.0
    base = Decision(location, SKIP, proposed_code=proposed, confidence=conf)
    try:
        action = _action(get("action"))
        raw_code = _text(get("code"))
        m = _CODE.match(raw_code)
        code = re.sub(r"\s|－", lambda x: "" if x.group(0).isspace() else "-", m.group(1)).upper() if m else ""
        if action == FILE and raw_code and not code:
            raise BadValue(f"“目录”一栏的“{raw_code}”不是目录编号，请从下拉列表中选择，如 B-1。")
        title = _text(get("title")) or None
        return Decision(location, action, code, title, _date(get("date")), _items(get("items")), conf, proposed)
    except BadValue as exc:
        return Decision(location, FILE, problem=f"第 {n} 行（{shown}）：{exc}", confidence=conf, proposed_code=proposed) \
            if _safe_action(get) == FILE else base


def _safe_action(get) -> str:  # noqa: ANN001
    try:
        return _action(get("action"))
    except BadValue:
        return FILE  # an unreadable 处理: refuse the row with the reason rather than skip it silently


def _source(wb) -> Path | None:  # noqa: ANN001
    if HELP not in wb.sheetnames:
        return None
    for row in wb[HELP].iter_rows(min_row=1, max_row=20, max_col=2, values_only=True):
        if row and _text(row[0]) == SOURCE_LABEL and row[1]:
            return Path(_text(row[1]))
    return None
