"""The coverage data and its named checks: validation of catalog/mapping.toml and coverage_rules.toml,
the check registry, thresholds and rounding, honours matching, per-level profile fields."""

from __future__ import annotations

import shutil
from datetime import date
from fractions import Fraction
from pathlib import Path

import pytest

from jiaarchive import standards
from jiaarchive.coverage import checks, measure, profile, rules
from jiaarchive.coverage.honours import Titles
from jiaarchive.coverage.model import NOT_APPLICABLE, PASS, UNKNOWN, VETO, combine

CATALOG = Path(__file__).resolve().parents[1] / "catalog"


@pytest.fixture
def copy(tmp_path: Path):
    root = tmp_path / "catalog"
    shutil.copytree(CATALOG, root)

    def edit(name: str, old: str, new: str) -> list[str]:
        path = root / name
        text = path.read_text(encoding="utf-8")
        assert old in text, old
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
        standards.clear_cache()
        return [f"{w}：{m}" for w, m in rules.problems(standards.load(root), root)]

    return edit


def test_real_data_is_sound_and_every_item_has_links_terms_and_a_name() -> None:
    std = standards.load(CATALOG)
    assert rules.problems(std, CATALOG) == []
    cov = rules.load(std)
    for sheet in std.scoresheets:
        for it in sheet.items:
            m = cov.mapping(sheet.id, it.no)
            assert m.links and m.terms and m.name, (sheet.id, it.no)
    assert {v.grade for v in cov.vetoes} == {"先进", "重庆市模范"}
    assert len([v for v in cov.vetoes if v.grade == "先进"]) == 7


def test_yearly_rule_texts_are_the_notices_own(official_dir: Path) -> None:
    import re
    import tomllib

    flat = re.sub(r"\s+", "", (official_dir / "notice-2021-17.txt").read_text(encoding="utf-8"))
    data = tomllib.loads((CATALOG / "coverage_rules.toml").read_text(encoding="utf-8"))
    for r in data["yearly"]:
        assert re.sub(r"\s+", "", r["printed"]) in flat, r["id"]


@pytest.mark.parametrize(("file", "old", "new", "expected"), [
    ("mapping.toml", '  "F-5 经费审查委员会（经审委员）的活动资料",\n]', '  "F-5 经费审查委员会（经审委员）的活动资料",\n  "F-5 再写一次",\n]',
     "写了不止一次"),
    ("mapping.toml", 'evidence = "per_term"', 'evidence = "sometimes"', "evidence 应为"),
    ("mapping.toml", 'numerator = "members"', 'numerator = "member_count"', "简况中没有栏目“member_count”"),
    ("mapping.toml", 'threshold = "collective_contract_satisfaction"', 'threshold = "contract_rate"',
     "没有类别为“contract_rate”的门槛"),
    ("coverage_rules.toml", 'kind = "facts_true"\nfacts = ["labour_contracts", "social_insurance"]',
     'kind = "facts_all"\nfacts = ["labour_contracts", "social_insurance"]', "判断器“facts_all”未知"),
    ("coverage_rules.toml", 'kind = "term_current"\nelected = "elected_on"\nterm = "term_years"\n',
     'kind = "term_current"\nelected = "elected_on"\n', "缺少参数“term”"),
    ("coverage_rules.toml", 'kind = "events_none"\nevents = ["incidents"]\nyears = 3',
     'kind = "events_none"\nevents = ["incidents"]\nyears = "三"', "应为正整数"),
    ("coverage_rules.toml", 'facts = ["funds_committee", "women_committee"]', 'facts = ["funds_committee", "chair"]',
     "类型是 text，判断器要的是 bool"),
    ("coverage_rules.toml", 'rule = "member_review"', 'rule = "member_reviews"', "逐年规则“member_reviews”不存在"),
    ("coverage_rules.toml", '[[veto]]\ngrade = "先进"\nno = 2\n', '[[veto]]\ngrade = "先进"\nno = 9\n',
     "先进否决条件第2条没有判断器"),
    ("coverage_rules.toml", 'grade = "合格"\nlevel = "小家"\n', 'grade = "合格"\nlevel = "分会"\n',
     "没有合格小家称号的写法"),
])
def test_broken_coverage_data_is_reported(copy, file, old, new, expected) -> None:
    found = copy(file, old, new)
    assert any(expected in p for p in found), found


def test_checks_are_one_function_per_kind_from_data() -> None:
    assert set(checks.KINDS) == {"facts_true", "term_current", "ballots", "rate", "events_none", "statement",
                                 "yearly", "evidence", "title_held"}
    p = checks.make_params("rate", {"numerator": "members", "denominator": "employees", "threshold": "membership_rate"})
    assert p.profile_keys() == {"members": "int", "employees": "int"}
    for bad, msg in (({}, "缺少参数"), ({"numerator": "a", "denominator": "b", "threshold": "c", "x": 1}, "没有参数“x”")):
        with pytest.raises(ValueError, match=msg):
            checks.make_params("rate", bad)
    # no catalogue code, profile key, item number or sentence of the standard in the check code
    src = Path(checks.__file__).read_text(encoding="utf-8")
    for literal in ('"F-1"', '"members"', '"employees"', '"funds_committee"', "否决条件第", "90%", "80 分"):
        assert literal not in src, literal


def test_combine_and_verdict_words() -> None:
    assert combine([PASS, VETO, UNKNOWN]) == VETO
    assert combine([PASS, UNKNOWN, NOT_APPLICABLE]) == UNKNOWN
    assert combine([NOT_APPLICABLE, PASS]) == PASS
    assert combine([NOT_APPLICABLE]) == NOT_APPLICABLE


@pytest.mark.parametrize(("value", "threshold", "shown"), [
    (Fraction(8996, 100), 90, "89.96"),
    (Fraction(9496, 100), 95, "94.96"),
    (Fraction(89999999, 1000000), 90, "89.999999"),
    (Fraction(899999999, 10000000), 90, "89.999999"),  # cut, never rounded up to the threshold
    (Fraction(98), 98, "98"),
    (Fraction(9875, 100), 98, "98.8"),
    (Fraction(9000001, 100000), 90, "90.0"),
])
def test_numbers_never_round_across_a_threshold(value, threshold, shown) -> None:
    th = standards.Threshold("t", "k", "门槛", threshold, "%", ">=", "先进", (), (), "", "", "")
    assert measure.number_text(value, [th]) == shown
    assert th.met_by(value) == (value >= threshold)


def test_deciding_threshold_follows_the_setting() -> None:
    std = standards.load(CATALOG)
    sheet = std.sheet("xianjin-shiye")
    ordered, deciding = measure.thresholds_for(std, "membership_rate", "先进", "事业单位", "之家",
                                               sheet_doc_no=sheet.doc_no, decided_by="sheet")
    assert deciding.value == 98 and [t.value for t in ordered] == [98, 80]
    _, deciding = measure.thresholds_for(std, "membership_rate", "先进", "事业单位", "之家",
                                         sheet_doc_no=sheet.doc_no, decided_by="standard")
    assert deciding.value == 80
    assert measure.thresholds_for(std, "membership_rate", "先进", "事业单位", "小家",
                                  sheet_doc_no=None, decided_by="sheet") == ((), None)


def test_total_line_as_printed_normalised_and_undecided() -> None:
    std = standards.load(CATALOG)
    th = std.threshold("xianjin-self-check-score")
    line = measure.total_line("self", "自查分", 84, entered=21, items=21, out_of=105, printed_total=100,
                              threshold=th, inconsistency="不一致")
    assert line.verdict == "达到" and line.normalised == 80 and "84 / 105（已录 21/21 项）（折合100分制 80 分）" in line.text
    line = measure.total_line("self", "自查分", 83.5, entered=21, items=21, out_of=105, printed_total=100,
                              threshold=th, inconsistency="")
    assert line.verdict == "未定" and "79.5" in line.text  # 83.5 × 100/105 = 79.52…
    assert "80.0" not in line.text


@pytest.mark.parametrize(("text", "level", "grade"), [
    ("重庆市教科文卫体工会先进职工之家", "之家", "先进"),
    ("重庆市模范职工之家（小家）", "之家", "重庆市模范"),
    ("市级模范职工小家", "小家", "重庆市模范"),
    ("全国模范 职工之家", "之家", "全国模范"),
    ("全国模范教师", None, None),
    ("先进工作者", None, None),
    ("合格职工小家", "之家", None),  # a 小家 title does not count for a 之家
])
def test_honours_match_the_titles_the_notice_defines(text, level, grade) -> None:
    std = standards.load(CATALOG)
    titles = Titles(rules.load(std).titles, std)
    assert titles.grade_of(text, level) == grade


def test_events_and_terms_at_their_boundaries() -> None:
    prof = profile.Profile({"incidents": [{"on": "2018-11-01", "text": "事故"}], "elected_on": "2016-11-01",
                            "term_years": 5}, {})
    ctx = _ctx(prof)
    ev = checks.events_none(checks.EventsNone(("incidents",), 3), ctx)
    assert ev.verdict == VETO  # exactly three years before 2021-11-01 is 近三年
    term = checks.term_current(checks.TermCurrent("elected_on", "term_years"), ctx)
    assert term.verdict == PASS and "2021-11-01 前换届" in term.reason  # due today: not yet overdue


def test_xiaojia_fields_leave_the_parent_facts_to_the_parent() -> None:
    keys = [f.key for f in profile.fields_for("小家", "小家")]
    assert "funds_committee" not in keys and "parent.funds_committee" in keys and "staff_congress" not in keys
    assert "elected_on" in keys and "members" in keys
    labels = {f.key: f.label for f in profile.fields_for("小家", "小家")}
    assert labels["elected_on"] == "工会小组长（分工会）选举日期" and labels["parent.members"] == "上级工会：会员总数"
    assert [f.key for f in profile.fields_for("之家", "小家")] == [f.key for f in profile.FIELDS]


def _ctx(prof: profile.Profile) -> checks.Context:
    std = standards.load(CATALOG)
    return checks.Context(
        std=std, grade="先进", subject=checks.Subject(profile.Facts(prof), "事业单位", "之家"), unit_level="之家",
        as_of=date(2021, 11, 1), window_start=date(2019, 1, 1), due_years=(2019, 2020, 2021),
        count_basically_satisfied=True, decided_by="sheet", sheet_doc_no=None, yearly=lambda _r: None,
        evidence_count=lambda _c: 0, titles_held=lambda *a: [],
    )
