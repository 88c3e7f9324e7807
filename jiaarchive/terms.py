"""The Chinese names of a record's fields (件的著录项), one table for every face that names them:
the log's lines (``audit.render``), the CLI's value placeholders (``cli.zh``), undo's refusals.

Deliberately free of imports, so the CLI can read it before anything heavy is loaded.
"""

from __future__ import annotations

RECORD_FIELDS = {
    "archive_no": "档号",
    "code": "目录",
    "year": "年度",
    "title": "题名",
    "date": "日期",
    "doc_no": "文号",
    "responsible": "责任者",
    "retention": "保管期限",
    "pages": "页数",
    "secrecy": "密级",
    "remarks": "备注",
    "tags": "标签",
    "items": "评分项",
    "status": "状态",
    "files": "文件",
}
