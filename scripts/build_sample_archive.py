"""Rebuild ``sample_archive/`` from the generated demo documents, through the real filing code.

    .venv/bin/python scripts/build_sample_archive.py [DEST]

Deterministic: fixed documents (scripts/sample_content.py), a fixed clock (each record is filed a
few days after its own date) and a fixed clerk name, so a rebuild gives the same records, numbers
and files.
"""

from __future__ import annotations

import os
import shutil
import sys
from datetime import datetime, time, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

UNIT = "重庆市渝碚实验中学工会"
UNIT_TYPE = "事业单位"
STAGING = Path("/tmp/jiaarchive-sample/收到的材料")


def build(dest: Path) -> int:
    import sample_content

    from jiaarchive import archive as archive_mod
    from jiaarchive import filing

    os.environ["JIAARCHIVE_USER"] = "工会干事（示例）"
    if dest.exists():
        shutil.rmtree(dest)
    if STAGING.exists():
        shutil.rmtree(STAGING)
    STAGING.mkdir(parents=True)
    docs = sorted(sample_content.generate(STAGING), key=lambda d: (d.date, d.code, d.title))

    clock = {"now": datetime(2019, 1, 2, 9, 0)}
    archive_mod.clock = lambda: clock["now"]
    arch = archive_mod.init_archive(dest, unit=UNIT, unit_type=UNIT_TYPE, level="之家")
    with arch:
        for i, d in enumerate(docs):
            filed = datetime.combine(d.date + timedelta(days=3), time(10, 0)) + timedelta(minutes=i)
            clock["now"] = max(clock["now"] + timedelta(minutes=1), filed)
            draft = filing.Draft(
                code=d.code, title=d.title, date=d.date, doc_no=d.doc_no or "", responsible=d.responsible,
                items=tuple(d.items), tags=tuple(d.tags), pages=d.pages,
            )
            filing.file_document(arch, [d.path], draft)
    shutil.rmtree(STAGING.parent, ignore_errors=True)
    return len(docs)


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else REPO / "sample_archive"
    n = build(target)
    print(f"已生成示例档案 {target}：{n} 件")
