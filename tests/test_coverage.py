"""Coverage and gap report: statuses, yearly rules, vetoes, scores, profile, outputs."""

from __future__ import annotations

import json
import zipfile
from datetime import date, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from jiaarchive import archive as archive_mod
from jiaarchive import filing
from jiaarchive.coverage import assess, profile, rules, scores
from jiaarchive.errors import BadValue, ReadOnly
from .helpers import wait_workers

AS_OF = date(2021, 11, 1)  # after the grace date: every year of 2019-2021 is due


@pytest.fixture
def arch(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(archive_mod, "clock", lambda: datetime(2021, 11, 1, 9, 0))
    a = archive_mod.init_archive(tmp_path / "档案", unit="测试中学工会", unit_type="事业单位")
    yield a
    a.close()


def _file(a, tmp_path: Path, code: str, title: str, day: str, items=(), body: str = "", ext: str = ".txt"):
    src = tmp_path / "src"
    src.mkdir(exist_ok=True)
    p = src / f"{code}-{title}-{day}{ext}"
    p.write_text(body or f"{title}\n{day}\n", encoding="utf-8")
    return filing.file_document(a, [p], filing.Draft(code=code, title=title, date=date.fromisoformat(day), items=tuple(items)))


def _item(report, no):
    return next(it for it in report.items if it.no == no)


def _file_reviews(a, tmp_path: Path, years=(2019, 2020, 2021)) -> None:
    """会员评家 every year: veto 4 needs it (每年至少评议一次) besides the ballots."""
    for y in years:
        _file(a, tmp_path, "F-3", f"{y}年会员评议职工之家满意度测评汇总表", f"{y}-06-01")


def _full_profile(a, **over):
    facts = dict(employees="100", members="99", chair="张三", elected_on="2019-06-01", term_years="5",
                 funds_committee="是", women_committee="是", labour_contracts="是", social_insurance="是",
                 staff_congress="是", open_affairs="是", ballots_on="2021-06-01", ballots_satisfied="90",
                 ballots_basically_satisfied="5", ballots_dissatisfied="5", incidents="无", other_veto="无")
    facts.update(over)
    return profile.set_facts(a, facts)


def test_mapping_covers_every_item_and_loads_cleanly() -> None:
    from jiaarchive import standards

    std = standards.load()
    cov = rules.load(std)
    for sheet in std.scoresheets:
        for it in sheet.items:
            m = cov.mapping(sheet.id, it.no)
            assert m.links, (sheet.id, it.no)
            assert all(lk.reason for lk in m.links)
    assert standards.check().ok


def test_statuses_and_yearly_rules(arch, tmp_path: Path) -> None:
    # item 14 (民主之家: 会员代表大会 every year): 2019 and 2021 only -> 薄弱, with the gap named
    _file(arch, tmp_path, "F-6", "2019年会员代表大会纪要", "2019-05-10")
    _file(arch, tmp_path, "F-6", "2021年会员代表大会纪要", "2021-05-10")
    # item 5 (有经费, F-5): every year -> 充分
    for y in (2019, 2020, 2021):
        _file(arch, tmp_path, "F-5", f"{y}年工会经费决算", f"{y}-03-01")
    # an explicit link counts for an item whose entries are empty
    _file(arch, tmp_path, "A-5", "学校获评先进集体", "2020-12-01", items=(7,))
    r = assess.assess(arch, AS_OF)
    assert r.sheet_id == "xianjin-shiye"
    assert r.years == (2019, 2020, 2021) and r.due_years == r.years
    assert _item(r, 5).status == assess.SUFFICIENT
    assert _item(r, 5).suggested == 5
    it14 = _item(r, 14)
    assert it14.status == assess.WEAK
    assert "2020 年无会员（代表）大会记录" in it14.missing
    assert [y.records for y in it14.per_year] == [1, 0, 1]
    assert 0 < it14.suggested < it14.points
    assert _item(r, 20).status == assess.MISSING and _item(r, 20).suggested == 0
    it7 = _item(r, 7)
    assert it7.explicit == ("A-5·2020-D30-0001",) or it7.explicit[0].startswith("A-5·2020")
    assert it7.evidence[0] == it7.explicit[0]
    # the suggested total is the sum of the items' suggestions
    assert r.totals.suggested == sum(it.suggested for it in r.items)


def test_staff_congress_counts_meetings_not_documents(arch, tmp_path: Path) -> None:
    for title in ("第五届教代会第一次会议通知", "第五届教职工代表大会第一次会议决议", "第五届教代会第一次会议签到表"):
        _file(arch, tmp_path, "B-1", title, "2019-03-08")
    _file(arch, tmp_path, "B-1", "第五届教代会第二次会议决议", "2019-09-08")
    _file(arch, tmp_path, "B-1", "第五届教代会第三次会议决议", "2019-12-08")
    # 1-2 a year is the 模范 standard's rule for 事业单位 (民主之家), not the 先进 sheet's item 15
    profile.set_facts(arch, {"target_grade": "重庆市模范"})
    r = assess.assess(arch, AS_OF)
    demo = next(it for it in r.standard_items if it.no == "民主之家")
    rc = next(x for x in demo.rules if x.id == "staff_congress_1_2")
    y2019 = next(y for y in rc.years if y.year == 2019)
    assert y2019.count == 3 and not y2019.ok
    assert any("2019 年职（教）代会有 3 次" in m for m in demo.missing)
    assert not _item(r, 15).rules  # the 先进 sheet's item 15 sets no yearly count


def test_current_year_grace(arch, tmp_path: Path) -> None:
    r = assess.assess(arch, date(2021, 3, 1))
    assert r.due_years == (2019, 2020)
    assert not any("2021 年" in m for m in _item(r, 14).missing)


def test_vetoes_pass_veto_unknown(arch, tmp_path: Path) -> None:
    r = assess.assess(arch, AS_OF)
    assert {v.verdict for v in r.vetoes} == {assess.UNKNOWN}
    assert r.veto_verdict == assess.UNKNOWN
    _full_profile(arch)
    r = assess.assess(arch, AS_OF)
    assert {v.no for v in r.vetoes if v.verdict == assess.UNKNOWN} == {4}  # no 会员评家 record in any year
    _file_reviews(arch, tmp_path)
    r = assess.assess(arch, AS_OF)
    assert r.veto_verdict == assess.PASS, [(v.no, v.reason) for v in r.vetoes]
    # 95 % membership: above the city standard's 80 %, below the 事业单位 sheet's 98 % -> 否决, both shown
    _full_profile(arch, members="95")
    r = assess.assess(arch, AS_OF)
    v5 = next(v for v in r.vetoes if v.no == 5)
    assert v5.verdict == assess.VETO
    assert "98%" in v5.reason and "80%" in v5.reason
    assert [t.met for t in r.membership] == [False, True]
    assert r.veto_verdict == assess.VETO and r.to_json()["totals"]["voided_by_veto"]


def test_satisfaction_setting_and_overdue_election(arch, tmp_path: Path) -> None:
    _file_reviews(arch, tmp_path)
    _full_profile(arch, ballots_satisfied="80", ballots_basically_satisfied="12", ballots_dissatisfied="8",
                  elected_on="2015-06-01", term_years="5")
    r = assess.assess(arch, AS_OF)
    v = {x.no: x for x in r.vetoes}
    assert v[4].verdict == assess.PASS and r.satisfaction_rate == pytest.approx(92.0)
    assert v[1].verdict == assess.VETO and "逾期" in v[1].reason
    settings_path = arch.root / "jiaarchive.toml"
    settings_path.write_text(settings_path.read_text(encoding="utf-8") + "\n[coverage]\ncount_basically_satisfied = false\n",
                             encoding="utf-8")
    with archive_mod.open_archive(arch.root) as a2:
        r2 = assess.assess(a2, AS_OF)
    assert next(x for x in r2.vetoes if x.no == 4).verdict == assess.VETO
    assert "不计入" in r2.satisfaction_rule


def test_incidents_within_three_years(arch) -> None:
    _full_profile(arch, incidents="2017-05-01 旧事故")
    assert next(v for v in assess.assess(arch, AS_OF).vetoes if v.no == 6).verdict == assess.PASS
    _full_profile(arch, incidents="2020-05-01 安全责任事故")
    assert next(v for v in assess.assess(arch, AS_OF).vetoes if v.no == 6).verdict == assess.VETO


def test_profile_refuses_bad_values_and_audits(arch) -> None:
    profile.set_facts(arch, {"employees": "100", "会员总数": "90"})
    for bad in ({"members": "101"}, {"employees": "-3"}, {"elected_on": "2020-02-30"}, {"term_years": "4"},
                {"no_such": "1"}):
        with pytest.raises(BadValue):
            profile.set_facts(arch, bad)
    assert profile.read(arch).get("members") == 90
    from jiaarchive import audit

    with arch.session() as s:
        entries = [e for e in audit.read(s) if e.action == "profile"]
    assert entries and entries[0].after == {"employees": 100, "members": 90}


def test_scores_self_and_inspector_read_only(arch, tmp_path: Path) -> None:
    scores.set_score(arch, 14, scores.SELF, 6.5, "缺2020年会议")
    with pytest.raises(scores.BadScore):
        scores.set_score(arch, 14, scores.SELF, 8)  # above the 单项分 7
    arch.close()
    with archive_mod.open_archive(arch.root, read_only=True) as ro:
        scores.set_score(ro, 14, scores.INSPECTOR, 5, "会议记录不全")
        with pytest.raises(scores.BadScore):
            scores.set_score(ro, 14, scores.SELF, 5)
        with pytest.raises(ReadOnly):
            _file(ro, tmp_path, "F-6", "不许归档", "2021-01-01")
        r = assess.assess(ro, AS_OF)
    it = _item(r, 14)
    assert it.self_score.score == 6.5 and it.inspector_score.score == 5 and it.inspector_score.who == "测试员"
    assert r.totals.self_total == 6.5 and r.totals.inspector_total == 5
    # scored without evidence is flagged
    assert any(w.kind == "scored_without_evidence" for w in r.warnings)


def test_jiguan_has_no_sheet_but_vetoes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(archive_mod, "clock", lambda: datetime(2021, 11, 1, 9, 0))
    with archive_mod.init_archive(tmp_path / "机关", unit="某局工会", unit_type="机关单位") as a:
        r = assess.assess(a, AS_OF)
    assert r.sheet_id is None and r.items == ()
    assert "没有先进评分表" in r.sheet_note
    assert len(r.vetoes) == 7
    assert r.standard_items and r.standard_title == "模范职工之家标准（机关单位）"


def test_materials_and_warnings(arch, tmp_path: Path) -> None:
    body = "2021年建家工作汇报\n一、基本情况\n……\n二、工会工作亮点\n……\n三、会员评家及满意度测评情况\n……\n"
    _file(arch, tmp_path, "F-4", "2021年建家工作汇报", "2021-08-30", body=body)
    _file(arch, tmp_path, "F-6", "2017年会员代表大会纪要", "2017-05-10", items=(14,))
    r = assess.assess(arch, AS_OF)
    rep = next(m for m in r.materials if m.key == "report")
    assert [p.found for p in rep.parts] == ["标题", "标题", "标题", ""]
    assert rep.missing == ("建家工作汇报缺少“否决事项情况说明”部分",)
    plan = next(m for m in r.materials if m.key == "plan")
    assert plan.records == () and plan.missing
    kinds = {w.kind for w in r.warnings}
    assert "evidence_outside_window" in kinds
    assert "105" in r.totals.inconsistency and all(r.totals.inconsistency in x.text for x in r.totals.lines[:1])
    assert "工会主席姓名" in r.form.missing
    assert r.deadlines  # the 2021 call ended 2021-09-15: reported as past


def test_cli_report_json_html_xlsx_form(arch, tmp_path: Path) -> None:
    from jiaarchive.cli import main

    _file(arch, tmp_path, "F-6", "2019年会员代表大会纪要", "2019-05-10")
    runner = CliRunner()
    base = ["--archive", str(arch.root)]
    out = runner.invoke(main, [*base, "profile", "set", "employees=100", "members=99", "chair=张三"])
    assert out.exit_code == 0, out.output
    bad = runner.invoke(main, [*base, "profile", "set", "members=200"])
    assert bad.exit_code != 0 and "不能大于" in bad.output
    shown = json.loads(runner.invoke(main, [*base, "profile", "show", "--json"]).stdout)
    assert shown["members"]["value"] == 99 and shown["members"]["label"] == "会员总数"
    assert runner.invoke(main, [*base, "score", "14", "--self", "5"]).exit_code == 0
    assert runner.invoke(main, [*base, "score", "14", "--inspector", "4", "--read-only"]).exit_code == 0
    html, xlsx, docx = tmp_path / "r.html", tmp_path / "r.xlsx", tmp_path / "f.docx"
    res = runner.invoke(main, [*base, "report", "--as-of", "2021-11-01", "--json", "--html", str(html), "--xlsx", str(xlsx)])
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert data["sheet"]["id"] == "xianjin-shiye" and data["window"] == ["2019-01-01", "2021-11-01"]
    it14 = next(i for i in data["items"] if i["no"] == 14)
    assert it14["self_score"] == 5 and it14["inspector_score"] == 4 and it14["evidence"]
    assert {"text", "verdict", "reason"} <= set(data["vetoes"][0])
    text = html.read_text(encoding="utf-8")
    assert "<svg" in text and "http" not in text.replace("http://www.w3.org", "")
    from openpyxl import load_workbook

    ws = load_workbook(xlsx).active
    assert [c.value for c in ws[3]][:7] == ["项目", None, "创建内容", "单项分", "自查分", "评定分", "状态"]
    res = runner.invoke(main, [*base, "form", str(docx)])
    assert res.exit_code == 0, res.output
    xml = zipfile.ZipFile(docx).read("word/document.xml").decode()
    assert "张三" in xml and "先进职工之家申报登记表" in xml


def with_dashboard(arch, body) -> None:
    """Open the dashboard on ``arch``, wait for its first report, then ``await body(app, pilot)``."""
    import asyncio

    from textual.app import App

    from jiaarchive.tui.dashboard import DashboardScreen

    class Host(App[None]):
        def on_mount(self) -> None:
            self.push_screen(DashboardScreen(arch, inspector=False))

    async def run() -> None:
        app = Host()
        async with app.run_test(size=(140, 40)) as pilot:
            await pilot.pause()
            await wait_workers(app)
            await pilot.pause()
            await body(app, pilot)

    asyncio.run(run())


async def settle(app, pilot) -> None:
    await pilot.pause()
    await wait_workers(app)
    await pilot.pause()


def test_dashboard_opens_and_scores(arch, tmp_path: Path) -> None:
    from jiaarchive.tui.dashboard import DashboardScreen, EvidenceScreen

    _file(arch, tmp_path, "F-6", "2019年会员代表大会纪要", "2019-05-10")

    async def body(app, pilot) -> None:
        screen = app.screen
        assert isinstance(screen, DashboardScreen) and screen.report is not None
        table = screen.query_one("#dash-items")
        assert table.row_count == 21
        table.move_cursor(row=13)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, EvidenceScreen)
        await pilot.press("escape")
        await pilot.press("s")
        await pilot.pause()
        await pilot.press("6", "enter")
        await settle(app, pilot)
        # item 14 has no text condition: it cannot be set aside
        await pilot.press("n")
        await pilot.pause()
        assert app.screen is screen

    with_dashboard(arch, body)
    assert scores.read_all(arch, "xianjin-shiye")[(14, "self")].score == 6


def run_dashboard_drill(arch, row: int) -> str:
    """Open the dashboard on ``arch``, press Enter on item row ``row``; the drill-down's text."""
    from textual.widgets import Static

    from jiaarchive.tui.dashboard import EvidenceScreen

    shown: list[str] = []

    async def body(app, pilot) -> None:
        app.screen.query_one("#dash-items").move_cursor(row=row)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, EvidenceScreen)
        shown.extend(str(w.render()) for w in app.screen.query(Static))
        await pilot.press("escape")

    with_dashboard(arch, body)
    return "\n".join(shown)


def test_dashboard_sets_a_conditional_item_aside(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from jiaarchive.tui.dashboard import DashboardScreen

    monkeypatch.setattr(archive_mod, "clock", lambda: datetime(2021, 11, 1, 9, 0))
    with archive_mod.init_archive(tmp_path / "企业", unit="某公司工会", unit_type="公有制企业") as a:
        async def body(app, pilot) -> None:
            screen = app.screen
            screen.query_one("#dash-items").move_cursor(row=17)  # 18 职工持股会
            await pilot.press("n")
            await pilot.pause()
            await pilot.press(*"本企业未设置内部职工股", "enter")
            await settle(app, pilot)
            assert isinstance(app.screen, DashboardScreen)
            it = next(i for i in screen.report.items if i.no == 18)
            assert it.status == "不适用" and it.not_applicable == "本企业未设置内部职工股"
            assert str(screen.query_one("#dash-items").get_row_at(17)[2]) == "不适用"

        with_dashboard(a, body)
