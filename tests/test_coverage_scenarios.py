"""Scenario suite: the four unit types and a 小家, each with a profile that passes and profiles that
trip each veto and each threshold in turn, checked against the notice (渝教科文卫体工〔2021〕17号
and its attachments).  Every expected number below is the notice's, not the program's."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from jiaarchive import archive as archive_mod
from jiaarchive.coverage import assess, scores
from jiaarchive.coverage.model import NOT_REACHED, REACHED, UNDECIDED

from .coverage_scenarios import AS_OF, build, facts

PASS, VETO, UNKNOWN = assess.PASS, assess.VETO, assess.UNKNOWN
UNITS = ("公有制企业", "非公有制企业", "事业单位", "机关单位")
# 先进 membership thresholds the vetoes use: the sheets' (附件2-4), and 渝工发〔2019〕2号's 80% where no sheet
MEMBERSHIP = {"公有制企业": 95, "非公有制企业": 90, "事业单位": 98, "机关单位": 80}
SHEET_POINTS = {"公有制企业": 100, "非公有制企业": 100, "事业单位": 105}


@pytest.fixture(scope="module")
def clock():
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(archive_mod, "clock", lambda: datetime(2021, 11, 1, 9, 0))
        mp.setenv("JIAARCHIVE_USER", "测试员")
        yield


@pytest.fixture(scope="module")
def units(tmp_path_factory, clock):
    """One archive per unit type (之家), with evidence for every item in every year."""
    root = tmp_path_factory.mktemp("scenarios")
    made = {u: build(root / u / "档案", u) for u in UNITS}
    yield made
    for a in made.values():
        a.close()


@pytest.fixture(params=UNITS)
def unit(request, units):
    arch = units[request.param]
    facts(arch)  # the passing profile; each test changes what it trips
    with arch.session() as s:  # no score left from another test
        from jiaarchive.db.models import ItemScore

        s.query(ItemScore).delete()
        s.commit()
    return arch


def vetoes(r) -> dict[int, str]:
    return {v.no: v.verdict for v in r.vetoes}


def veto(r, no: int):
    return next(v for v in r.vetoes if v.no == no)


def item(r, no):
    return next(it for it in r.items + r.standard_items if it.no == no)


# ---------------------------------------------------------------- the passing unit


def test_passing_profile_passes_everything(unit) -> None:
    r = assess.assess(unit, AS_OF)
    assert r.verdict == PASS and r.veto_verdict == PASS and r.prerequisite_verdict == PASS
    assert set(vetoes(r).values()) == {PASS} and len(r.vetoes) == 7  # 先进: seven 否决条件
    assert r.veto_summary == "7 项否决条件均未触及。"
    assert [p.requires for p in r.prerequisites] == ["合格"]  # 在成功创建合格职工之家（小家）基础上
    if unit.scoresheet is None:  # 机关单位: no 先进 sheet, the 模范 standard's 五家 as the reference
        assert r.items == () and r.totals.lines == () and "没有先进评分表" in r.sheet_note
        assert [it.no for it in r.standard_items] == ["效益之家", "文明之家", "民主之家", "温暖之家", "安康之家"]
        assert {it.status for it in r.standard_items} == {assess.SUFFICIENT}
        return
    assert {it.status for it in r.items} == {assess.SUFFICIENT}, [(it.no, it.missing) for it in r.items]
    points = SHEET_POINTS[unit.unit_type]
    line = r.totals.lines[0]
    assert (line.value, line.out_of, line.verdict, line.threshold) == (points, points, REACHED, 80)
    if points != 100:  # 事业单位: items add up to 105 though the sheet prints 100 — said on the line itself
        assert line.normalised == 100 and "105 / 105（折合100分制 100 分）" in line.text
        assert "表中印的合计为 100 分（官方原文如此" in line.text
    else:
        assert line.normalised is None and r.totals.inconsistency == ""


def test_membership_threshold_per_unit_type(unit) -> None:
    need = MEMBERSHIP[unit.unit_type]
    facts(unit, members=str(need - 1))  # of 100 employees
    r = assess.assess(unit, AS_OF)
    v5 = veto(r, 5)
    assert v5.verdict == VETO and f"{need - 1}/100 = {need - 1}%" in v5.reason and f"的 {need}% 判断未达标" in v5.reason
    facts(unit, members=str(need))
    assert veto(assess.assess(unit, AS_OF), 5).verdict == PASS  # “达到……以上” counts the number itself
    # the sheet's item for 入会率 carries the same threshold
    if unit.scoresheet is not None:
        facts(unit, members=str(need - 1))
        r = assess.assess(unit, AS_OF)
        demo = next(it for it in r.items if any(c.kind == "rate" for c in it.checks))
        assert demo.status == assess.WEAK and any("未达标" in m for m in demo.missing)


@pytest.mark.parametrize(("changes", "no", "words"), [
    ({"funds_committee": "否"}, 1, "经费审查委员会（或经审委员）不健全"),
    ({"women_committee": "否"}, 1, "女职工委员会（或女职工委员）不健全"),
    ({"elected_on": "2015-06-01", "term_years": "5"}, 1, "应于 2020-06-01 前换届"),
    ({"labour_contracts": "否"}, 2, "未依法签订或履行劳动合同"),
    ({"social_insurance": "否"}, 2, "未依法参加社会保险或未足额缴费"),
    ({"staff_congress": "否"}, 3, "未建立职（教）代会制度"),
    ({"open_affairs": "否"}, 3, "未建立厂务（校务）公开制度"),
    ({"ballots_satisfied": "80", "ballots_basically_satisfied": "5", "ballots_dissatisfied": "15"}, 4, "未达到 90%"),
    ({"incidents": "2020-05-01 安全责任事故"}, 6, "2020-05-01 安全责任事故"),
    ({"other_veto": "正在整改的审计问题"}, 7, "正在整改的审计问题"),
])
def test_each_veto_trips(unit, changes, no, words) -> None:
    facts(unit, **changes)
    r = assess.assess(unit, AS_OF)
    assert vetoes(r)[no] == VETO and words in veto(r, no).reason, veto(r, no).reason
    assert {k for k, v in vetoes(r).items() if v == VETO} == {no}
    assert r.verdict == VETO and r.veto_summary.startswith(f"第{no}条否决（1 项）")


def test_collective_contract_only_for_enterprises(unit) -> None:
    facts(unit, collective_contract="否")
    v3 = veto(assess.assess(unit, AS_OF), 3)
    if unit.unit_type in ("公有制企业", "非公有制企业"):  # “企业、民办非企业单位未签订集体协商和集体合同制度的”
        assert v3.verdict == VETO
    else:
        assert v3.verdict == PASS and "不要求" in v3.reason


def test_unknowns_name_what_to_fill_in(unit) -> None:
    facts(unit, ballots_on="", incidents="")
    r = assess.assess(unit, AS_OF)
    assert vetoes(r)[4] == UNKNOWN and "ballots_on" in veto(r, 4).missing
    assert vetoes(r)[6] == UNKNOWN and "incidents" in veto(r, 6).missing
    assert r.verdict == UNKNOWN and r.veto_summary.startswith("第4、6条无法判断（2 项）")


def test_old_incidents_and_old_ballots(unit) -> None:
    facts(unit, incidents="2018-10-01 事故")  # before 2018-11-01: not 近三年
    assert vetoes(assess.assess(unit, AS_OF))[6] == PASS
    facts(unit, ballots_on="2016-06-01")  # a 2016 ballot for a 2021 application
    v4 = veto(assess.assess(unit, AS_OF), 4)
    assert v4.verdict == UNKNOWN and "早于 2021-01-01" in v4.reason


def test_prerequisite_and_honours(unit) -> None:
    facts(unit, titles="无")
    r = assess.assess(unit, AS_OF)
    assert r.prerequisite_verdict == VETO and r.verdict == VETO and r.veto_verdict == PASS
    facts(unit, titles="2019-09-10 全国模范教师；2020-05-01 先进工作者")  # not 职工之家 titles
    r = assess.assess(unit, AS_OF)
    assert r.prerequisite_verdict == VETO and not [d for d in r.deadlines if d.kind == "reinspection"]
    facts(unit, titles="2019-12-20 重庆市模范职工之家")  # a higher title satisfies 合格 too
    r = assess.assess(unit, AS_OF)
    assert r.prerequisite_verdict == PASS
    (re_,) = [d for d in r.deadlines if d.kind == "reinspection"]  # 原则上每3年复查一次 (重庆市模范)
    assert re_.date == date(2022, 12, 20) and "原则上每3年复查一次" in re_.text
    facts(unit, titles="2019-12-20 先进职工之家")  # the 3-year cycle is not the 先进 title's
    assert not [d for d in assess.assess(unit, AS_OF).deadlines if d.kind == "reinspection"]


def test_self_check_total_against_80(unit) -> None:
    if unit.scoresheet is None:
        pytest.skip("机关单位之家没有先进评分表")
    sheet = unit.scoresheet
    points = SHEET_POINTS[unit.unit_type]
    # enter self scores summing to 79.5 (as printed) by taking points off the last items
    target = 79.5
    left = points - target
    for it in reversed(sheet.items):
        take = min(left, it.points)
        scores.set_score(unit, it.no, scores.SELF, it.points - take)
        left -= take
    for it in sheet.items:
        if (it.no, scores.SELF) not in scores.read_all(unit, sheet.id):
            scores.set_score(unit, it.no, scores.SELF, it.points)
    line = assess.assess(unit, AS_OF).totals.lines[1]
    assert line.value == 79.5 and line.entered == len(sheet.items)
    assert line.verdict == NOT_REACHED
    if points == 105:  # 79.5/105 normalises to 75.7: both readings fail
        assert "折合100分制 75.7 分" in line.text


def test_shiye_105_normalised_total_is_undecided_between_the_readings(units) -> None:
    arch = units["事业单位"]
    facts(arch)
    sheet = arch.scoresheet
    # 82 as printed (reaches 80) is 78.1 on the printed 100 (does not): the official sheet decides nothing
    left = sheet.points_sum - 82
    for it in reversed(sheet.items):
        take = min(left, it.points)
        scores.set_score(arch, it.no, scores.SELF, it.points - take)
        left -= take
    line = assess.assess(arch, AS_OF).totals.lines[1]
    try:
        assert line.value == 82 and line.verdict == UNDECIDED and "78.1" in line.text and "未定" in line.text
    finally:
        for it in sheet.items:
            scores.set_score(arch, it.no, scores.SELF, None)


def test_feigong_collective_contract_satisfaction_threshold(units) -> None:
    arch = units["非公有制企业"]
    facts(arch, contract_surveyed="100", contract_satisfied="79")  # 职工对集体合同履约情况满意率达80%以上
    it16 = item(assess.assess(arch, AS_OF), 16)
    assert it16.status == assess.WEAK and any("79/100 = 79%" in m for m in it16.missing)
    facts(arch, contract_surveyed="100", contract_satisfied="80")
    assert item(assess.assess(arch, AS_OF), 16).status == assess.SUFFICIENT
    facts(arch, contract_surveyed="", contract_satisfied="")
    it16 = item(assess.assess(arch, AS_OF), 16)
    assert it16.status == assess.WEAK and any("集体合同履约情况测评" in m for m in it16.missing)


def test_deadlines_follow_the_application_year(unit) -> None:
    r = assess.assess(unit, AS_OF)
    (call,) = [d for d in r.deadlines if d.kind == "window"]
    assert call.date == date(2021, 9, 15) and "已于 2021-09-15 截止" in call.text  # 2021年4月1日至9月15日
    r = assess.assess(unit, date(2026, 5, 1))
    assert not any("2021-09-15" in d.text and "截止" in d.text and d.kind == "window" for d in r.deadlines)
    assert any(d.kind == "notice" and "2026 年度的申报通知尚未录入" in d.text for d in r.deadlines)


# ---------------------------------------------------------------- 重庆市模范


def test_mofan_vetoes_thresholds_and_prerequisite(units) -> None:
    arch = units["公有制企业"]
    facts(arch, target_grade="重庆市模范", titles="2019-12-20 先进职工之家")
    r = assess.assess(arch, AS_OF)
    assert len(r.vetoes) == 6 and r.verdict == PASS, [(v.no, v.reason) for v in r.vetoes]
    assert r.veto_summary == "6 项否决条件均未触及。"  # not “七项”
    assert [p.requires for p in r.prerequisites] == ["先进"]
    assert [it.no for it in r.standard_items][2] == "民主之家"
    # 模范: “安全生产责任事故”, not only 重大 ones
    facts(arch, target_grade="重庆市模范", titles="2019-12-20 先进职工之家", safety_accidents="2021-03-01 一般生产安全事故")
    assert vetoes(assess.assess(arch, AS_OF))[5] == VETO
    facts(arch, target_grade="先进", safety_accidents="2021-03-01 一般生产安全事故")
    assert vetoes(assess.assess(arch, AS_OF))[6] == PASS  # 先进: “重大安全责任事故”
    # without a 先进 title the 模范 application lacks its prerequisite
    facts(arch, target_grade="重庆市模范", titles="2018-12-20 合格职工之家")
    r = assess.assess(arch, AS_OF)
    assert r.prerequisite_verdict == VETO and "先进" in r.prerequisite_summary


def test_mofan_deadlines_say_which_governs(units) -> None:
    arch = units["公有制企业"]
    facts(arch, target_grade="重庆市模范", titles="2019-12-20 先进职工之家")
    r = assess.assess(arch, date(2021, 8, 31))
    windows = [d for d in r.deadlines if d.kind == "window"]
    # the 2021 call (9月15日) governs; the standing 每年1月1日至9月30日 is stated once, both sources named
    assert [d.governs for d in windows] == [True, False]
    assert windows[0].date == date(2021, 9, 15)
    assert sum("09-30" in d.text for d in windows) == 1 and "2021 年度以渝教科文卫体工〔2021〕17号" in windows[1].text
    assert set(windows[1].sources) == {"渝教科文卫体工〔2019〕23号", "渝工发〔2019〕2号"}
    r = assess.assess(arch, date(2022, 3, 1))
    (w,) = [d for d in r.deadlines if d.kind == "window"]
    assert w.governs and w.date == date(2022, 9, 30) and "距截止还有 213 天" in w.text


# ---------------------------------------------------------------- 小家


@pytest.fixture(scope="module")
def xiaojia(tmp_path_factory, clock, units):
    """A 事业单位 小家 whose parent union is the 事业单位 archive above."""
    root = tmp_path_factory.mktemp("xiaojia")
    arch = build(root / "小家", "事业单位", "小家")
    yield arch
    arch.close()


def test_xiaojia_without_parent_facts_is_unknown_and_says_how_to_fill_them(xiaojia) -> None:
    facts(xiaojia)
    r = assess.assess(xiaojia, AS_OF)
    assert r.veto_verdict == UNKNOWN
    assert veto(r, 5).missing == ("parent.members", "parent.employees")
    assert any(n.kind == "xiaojia" and "profile import" in n.text for n in r.notes)


def test_xiaojia_vetoes_come_from_the_parent_union(xiaojia, units) -> None:
    from jiaarchive.coverage import profile

    parent = units["事业单位"]
    facts(parent)
    facts(xiaojia)
    profile.import_parent(xiaojia, parent.root)
    r = assess.assess(xiaojia, AS_OF)
    assert r.verdict == PASS, [(v.no, v.reason) for v in r.vetoes]
    assert r.subject == "上级工会（事业单位之家测试工会）" and veto(r, 1).subject == r.subject
    # 入会率 of the 基层工会 against the 之家 threshold of its unit type (98% for 事业单位)
    assert "99/100 = 99%" in veto(r, 5).reason and "98%" in veto(r, 5).reason
    # the 小家 itself: its 2019 election of the 工会小组长 is valid for the term (per_term), no yearly gap
    it1 = item(r, 1)
    assert it1.status == assess.SUFFICIENT and it1.evidence_mode == "per_term"
    assert r.totals.lines[0].verdict == REACHED
    # a parent fact trips the 小家's veto
    facts(parent, funds_committee="否")
    profile.import_parent(xiaojia, parent.root)
    r = assess.assess(xiaojia, AS_OF)
    assert veto(r, 1).verdict == VETO and "上级工会：经费审查委员会（或经审委员）不健全" in veto(r, 1).reason
    facts(parent)
    profile.set_facts(xiaojia, {"parent.members": "97", "parent.funds_committee": "是"})
    assert veto(assess.assess(xiaojia, AS_OF), 5).verdict == VETO
    profile.import_parent(xiaojia, parent.root)


def test_xiaojia_own_statement_counts_too(xiaojia, units) -> None:
    from jiaarchive.coverage import profile

    facts(units["事业单位"])
    facts(xiaojia, other_veto="小组长正在接受调查")
    profile.import_parent(xiaojia, units["事业单位"].root)
    v7 = veto(assess.assess(xiaojia, AS_OF), 7)
    assert v7.verdict == VETO and "小组长正在接受调查" in v7.reason
    facts(xiaojia)


def test_xiaojia_prerequisite_is_a_xiaojia_title(xiaojia) -> None:
    facts(xiaojia, titles="2018-12-20 合格职工之家")  # the parent's title, not the 小家's
    r = assess.assess(xiaojia, AS_OF)
    assert r.prerequisite_verdict == VETO
    facts(xiaojia)
    assert assess.assess(xiaojia, AS_OF).prerequisite_verdict == PASS


def test_xiaojia_membership_threshold_not_set_is_not_applicable(xiaojia) -> None:
    """Where the standard sets no threshold for the scope judged (a 小家's own 入会率), the check
    says 不适用 with the reason, not 未知 forever."""
    from jiaarchive.coverage import checks

    facts(xiaojia)
    spec = checks.CheckSpec("rate", checks.make_params(
        "rate", {"numerator": "members", "denominator": "employees", "threshold": "membership_rate"}))
    out = checks.run(spec, _own_context(xiaojia))
    assert out.verdict == assess.NOT_APPLICABLE and "标准没有为事业单位小家申报先进规定职工入会率门槛" in out.reason


def _own_context(arch):
    from jiaarchive.coverage import checks, profile

    prof = profile.read(arch)
    return checks.Context(
        std=arch.standards, grade="先进",
        subject=checks.Subject(profile.Facts(prof, "", True), arch.unit_type, arch.level),
        unit_level=arch.level, as_of=AS_OF, window_start=date(2019, 1, 1), due_years=(2019, 2020, 2021),
        count_basically_satisfied=True, decided_by="sheet", sheet_doc_no=None, yearly=lambda _r: None,
        evidence_count=lambda _c: 0, titles_held=lambda *a: [],
    )
