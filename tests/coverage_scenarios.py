"""Scenario archives for the coverage tests: a unit with evidence for every item of its sheet.

``build(root, unit_type, level)`` files, through the real filing code, one record per window year
for each (entry, key term) the mapping needs, the yearly meetings the rules count, and returns the
archive.  ``PASSING`` is a profile that passes every veto of the notice; tests change one fact at a
time with ``facts(arch, **changes)`` (which always writes the whole profile, so tests do not depend
on each other's leftovers).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from jiaarchive import archive as archive_mod
from jiaarchive import filing
from jiaarchive.coverage import profile, rules
from jiaarchive.standards import load

AS_OF = date(2021, 11, 1)  # after 09-30: every year of the window 2019-2021 is due
YEARS = (2019, 2020, 2021)

PASSING = dict(
    employees="100", members="99", chair="张三", elected_on="2019-06-01", term_years="5",
    funds_committee="是", women_committee="是", labour_contracts="是", social_insurance="是",
    staff_congress="是", open_affairs="是", collective_contract="是", ballots_on="2021-06-01",
    ballots_satisfied="95", ballots_basically_satisfied="3", ballots_dissatisfied="2",
    contract_surveyed="100", contract_satisfied="90", incidents="无", safety_accidents="无", other_veto="无",
    titles="2018-12-20 合格职工之家", target_grade="先进",
)
# what a 小家 keeps for itself; its parent union's facts come from the parent's archive
XIAOJIA_OWN = dict(chair="李四", members="12", elected_on="2019-05-10", term_years="5", other_veto="无",
                   titles="2018-12-20 合格职工小家", target_grade="先进", group_name="语文组工会小组")
MEETINGS = (("F-6", "会员代表大会纪要"), ("B-1", "职工代表大会决议"), ("F-3", "会员评议职工之家满意度测评汇总表"))


def _file(arch, src: Path, code: str, title: str, on: date, n: int) -> None:
    path = src / f"{n:04d}.txt"
    path.write_text(f"{title}\n{on.isoformat()}\n{n}\n", encoding="utf-8")
    filing.file_document(arch, [path], filing.Draft(code=code, title=title, date=on))


def build(root: Path, unit_type: str, level: str = "之家", *, skip: tuple[tuple[str, int], ...] = ()):
    """An archive with evidence for every item of its sheet (and the 模范 standard), 2019-2021.

    One record per entry and year, its title naming the first key term of every item that entry
    proves; ``skip`` leaves out (code, year) pairs, to make a gap on purpose.  Filed without an
    index, which is then built once (as ``jiaarchive index rebuild`` would).
    """
    import shutil

    from jiaarchive import indexing

    arch = archive_mod.init_archive(root, unit=f"{unit_type}{level}测试工会", unit_type=unit_type, level=level)
    shutil.rmtree(indexing.index_dir(arch), ignore_errors=True)
    std = load()
    cov = rules.load(std)
    owners = [arch.scoresheet.id] if arch.scoresheet else []
    owners += [s.title for s in std.standards_for(cov.settings.standard_grade, unit_type, level)]
    applicable = {e.code for e in arch.entries()}
    terms: dict[str, dict[str, None]] = {}
    for (owner, _no), m in cov.mappings.items():
        if owner in owners:
            code = next((lk.code for lk in m.links if lk.code in applicable), None)
            if code:
                terms.setdefault(code, {})[m.terms[0]] = None
    if level != std.xiaojia_level:
        for code, term in MEETINGS:
            terms.setdefault(code, {})[term] = None
    src = root.parent / f"src-{unit_type}-{level}"
    src.mkdir(parents=True, exist_ok=True)
    n = 0
    for y in YEARS:
        for code, words in terms.items():
            if (code, y) in skip:
                continue
            n += 1
            _file(arch, src, code, f"{y}年" + "、".join(words), date(y, 6, 1), n)
    indexing.rebuild(arch, workers=1)
    return arch


def facts(arch, **changes: str) -> profile.Profile:
    """The passing profile (or a 小家's own facts) with ``changes``; every key written each time."""
    base = dict(XIAOJIA_OWN) if arch.level == arch.standards.xiaojia_level else dict(PASSING)
    base.update(changes)
    return profile.set_facts(arch, base)
