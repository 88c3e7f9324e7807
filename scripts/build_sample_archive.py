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
INSPECTION_DAY = "2021-08-31"
STAGING = Path("/tmp/jiaarchive-sample/收到的材料")

# Matches the figures inside the generated documents (roster, 评家 sheets, 建家工作汇报).  Some
# registration-form fields are left empty on purpose, so the report has a gap to show.
PROFILE = {
    "employees": "160",
    "members": "158",
    "chair": "周明华",
    "phone": "023-68000000",
    "ownership": "全民所有制（公办学校）",
    "elected_on": "2019-05-20",
    "term_years": "5",
    "funds_committee": "是",
    "women_committee": "是",
    "labour_contracts": "是",
    "social_insurance": "是",
    "staff_congress": "是",
    "open_affairs": "是",
    "ballots_on": "2021-06-11",
    "ballots_satisfied": "55",
    "ballots_basically_satisfied": "6",
    "ballots_dissatisfied": "2",
    "incidents": "无",
    "other_veto": "无",
    "titles": "2017-12-15 合格职工之家",
    "target_grade": "先进",
}


def build(dest: Path) -> int:
    import sample_content

    from jiaarchive import archive as archive_mod
    from jiaarchive import filing
    from jiaarchive.filing import intake

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
    # the demo is a 2021 application: its reports are computed as of the planned inspection day
    from jiaarchive import settings as settings_mod

    settings_mod.write(dest, arch.settings.with_(extra={"coverage": {"as_of": INSPECTION_DAY}}))
    arch.close()
    arch = archive_mod.open_archive(dest)
    with arch:
        for i, d in enumerate(docs):
            filed = datetime.combine(d.date + timedelta(days=3), time(10, 0)) + timedelta(minutes=i)
            clock["now"] = max(clock["now"] + timedelta(minutes=1), filed)
            draft = filing.Draft(
                code=d.code, title=d.title, date=d.date, doc_no=d.doc_no or "", responsible=d.responsible,
                items=tuple(d.items), tags=tuple(d.tags), pages=d.pages,
            )
            # the one intake run `jiaarchive add` uses: photos are checked and what the check found is kept
            result = intake.intake(arch, [d.path], draft, policy=intake.Policy(bad_photos=intake.FILE))
            if result.not_filed:
                raise SystemExit("\n".join(o.line() for o in result.not_filed))
        # the unit's facts, as the clerk would enter them before the inspection
        from jiaarchive.coverage import profile

        clock["now"] = datetime(2021, 8, 31, 16, 0)
        profile.set_facts(arch, PROFILE)
    shutil.rmtree(STAGING.parent, ignore_errors=True)
    return len(docs)


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else REPO / "sample_archive"
    n = build(target)
    print(f"已生成示例档案 {target}：{n} 件")
