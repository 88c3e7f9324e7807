"""The archive the clerk's-day tests (issue 13) work on: ten records with Chinese titles, six of
them B-1 · 2021 of which only the last mentions 提案征集, filed once per test session
(``clerk_template`` in conftest) and copied for each test (``clerk_archive``)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from jiaarchive import filing
from jiaarchive.filing import Draft

from .helpers import make_text

# (code, date, title, body): six B-1 2021 records of which only the last mentions 提案征集
RECORDS = [
    ("B-1", date(2021, 1, 5), "第五届教代会筹备工作方案", "筹备工作方案"),
    ("B-1", date(2021, 1, 20), "关于推选教代会代表的通知", "推选代表"),
    ("B-1", date(2021, 2, 3), "教代会代表名单", "代表名单"),
    ("B-1", date(2021, 2, 24), "关于召开第五届教代会的通知", "召开会议"),
    ("B-1", date(2021, 3, 12), "第五届教代会第一次会议议程", "会议议程"),
    ("B-1", date(2021, 3, 20), "教代会提案征集与办理情况汇总", "提案征集办理，共收到提案十二件。"),
    ("C-2", date(2020, 4, 1), "教职工体检安排", "体检"),
    ("C-2", date(2020, 6, 30), "带薪休假落实情况", "休假"),
    ("C-2", date(2020, 9, 15), "爱心妈咪小屋建成", "妈咪小屋"),
    ("A-1", date(2019, 4, 15), "青年教师课堂教学大赛通知", "大赛"),
]


def _fill(records, sources: Path):
    def fill(arch):
        for i, (code, when, title, body) in enumerate(records):
            src = make_text(sources / f"{i:03d}.txt", f"{title}\n{body}")
            filing.file_document(arch, [src], Draft(code=code, title=title, date=when,
                                                    tags=("教代会",) if code == "B-1" else ()))
    return fill


def build_template(tmp_path_factory) -> Path:
    """The archive of RECORDS, filed once (tests get a copy of its folder)."""
    from jiaarchive import archive as archive_mod
    from jiaarchive.archive import init_archive

    from .conftest import FIXED_NOW
    from .helpers import TUI_UNIT

    root = tmp_path_factory.mktemp("clerk") / "档案"
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(archive_mod, "clock", lambda: FIXED_NOW)
        mp.setenv("JIAARCHIVE_USER", "测试员")
        with init_archive(root, unit=TUI_UNIT, unit_type="事业单位") as arch:
            _fill(RECORDS, root.parent / "来源")(arch)
    return root


def archive_factory(tmp_path: Path, new_archive, template: Path):
    """``make()`` a copy of the template archive; ``make(records)`` a new one; all closed at the end."""
    import shutil

    from jiaarchive.archive import open_archive

    opened = []

    def make(records=RECORDS, *, read_only: bool = False):
        if records is not RECORDS:
            return new_archive(_fill(records, tmp_path / "来源"), read_only=read_only)
        root = tmp_path / "档案"
        shutil.copytree(template, root)
        arch = open_archive(root, read_only=read_only)
        opened.append(arch)
        return arch

    yield make
    for a in opened:
        a.close()
