"""Issue 10, point by point: each test reproduces a verdict that misled a clerk before the fix.

The numbered points are those of the issue ("Coverage verdicts an inspector would sign");
the scenario suite (test_coverage_scenarios.py) covers the same rules across unit types.
"""

from __future__ import annotations

import json
import os
import re
import zipfile
from datetime import date, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from jiaarchive import archive as archive_mod
from jiaarchive import filing
from jiaarchive.cli import main
from jiaarchive.coverage import profile, scores

from .coverage_scenarios import PASSING
from .helpers import make_jpeg

AS_OF = date(2021, 11, 1)
NOW = datetime(2021, 11, 1, 9, 0)


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(archive_mod, "clock", lambda: NOW)


@pytest.fixture
def make(tmp_path: Path, clock):
    made = []

    def factory(unit_type: str = "事业单位", level: str = "之家", name: str = "档案"):
        a = archive_mod.init_archive(tmp_path / name, unit="测试工会", unit_type=unit_type, level=level)
        made.append(a)
        return a

    yield factory
    for a in made:
        a.close()


def file(a, tmp_path: Path, code: str, title: str, day: str, *, items=(), ext: str = ".txt", src: Path | None = None):
    if src is None:
        src = tmp_path / "src" / f"{code}-{title}-{day}{ext}"
        src.parent.mkdir(exist_ok=True)
        src.write_text(f"{title}\n{day}\n", encoding="utf-8")
    return filing.file_document(a, [src], filing.Draft(code=code, title=title, date=date.fromisoformat(day),
                                                       items=tuple(items)))


def cli(a, *args: str):
    res = CliRunner().invoke(main, ["--archive", str(a.root), *args])
    assert res.exit_code == 0, res.output
    return res.output


def report_json(a, *args: str) -> dict:
    return json.loads(cli(a, "report", "--as-of", AS_OF.isoformat(), "--json", *args))


def item(data: dict, no: int) -> dict:
    return next(i for i in data["items"] if i["no"] == no)


# ---------------------------------------------------------------- 1. missing photos


def test_point01_no_photos_is_a_gap_and_every_photo_is_listed(make, tmp_path: Path) -> None:
    a = make()
    data = report_json(a)
    photos = data["photos"]
    assert photos["total"] == 0 and photos["missing"], photos
    assert "没有任何照片" in photos["missing"][0] and "相关图片资料" in photos["missing"][0]
    make_jpeg(tmp_path / "a.jpg", taken=datetime(2021, 5, 1, 9, 0))
    file(a, tmp_path, "D-5", "教职工运动会开幕式", "2021-05-01", src=tmp_path / "a.jpg")
    data = report_json(a)
    assert data["photos"]["total"] == 1 and data["photos"]["ok"] == 1 and not data["photos"]["missing"]
    assert [p["archive_no"] for p in data["photos"]["photos"]] == ["D-5·2021-D10-0001"]  # listed, ok or not
    text = cli(a, "report", "--as-of", AS_OF.isoformat())
    assert "相关图片资料：1 张，1 张命名含时间和内容说明，0 张不合要求" in text


# ---------------------------------------------------------------- 2. names the program wrote itself


def test_point02_a_date_taken_from_the_file_time_does_not_count(make, tmp_path: Path) -> None:
    a = make()
    src = make_jpeg(tmp_path / "运动会.jpg")  # no capture time
    stamp = datetime(2021, 4, 3, 10, 0).timestamp()
    os.utime(src, (stamp, stamp))
    cli(a, "add", str(src), "--code", "D-5", "--force")  # renamed "2021-04-03 运动会.jpg" from the file's mtime
    (p,) = report_json(a)["photos"]["photos"]
    assert p["name"] == "2021-04-03 运动会.jpg" and not p["ok"]
    assert "文件修改时间" in p["problems"][0]
    # the clerk's own date (as typed when filing, or confirmed when labelling) makes it count
    cli(a, "photos", "label", p["archive_no"], "--subject", "运动会开幕式", "--time", "2021-04-03 09:30")
    (p,) = report_json(a)["photos"]["photos"]
    assert p["ok"], p
    other = make_jpeg(tmp_path / "拔河.jpg", color=(10, 90, 200))
    cli(a, "add", str(other), "--code", "D-5", "--date", "2021-04-03", "--force")
    assert all(x["ok"] for x in report_json(a)["photos"]["photos"])


# ---------------------------------------------------------------- 3. weak ballots


def test_point03_satisfaction_shows_both_rates_checks_the_date_and_yearly_reviews(make, tmp_path: Path) -> None:
    a = make("非公有制企业")
    profile.set_facts(a, {**PASSING, "ballots_satisfied": "60", "ballots_basically_satisfied": "38",
                          "ballots_dissatisfied": "7"})
    data = report_json(a)
    v4 = data["vetoes"][3]
    sat = data["satisfaction"]
    assert sat["counted"]["shown"] == "93.3%" and sat["strict"]["shown"] == "57.1%" and sat["used"] == "满意+基本满意"
    assert "98/105 = 93.3%" in v4["reason"] and "60/105 = 57.1%" in v4["reason"] and "原文只写" in v4["reason"]
    assert any("若按“满意”计为 57.1%" in n for c in v4["checks"] for n in c["notes"])
    # 非公有制企业 too: no 会员评家 record in any year -> cannot confirm 按要求开展会员评家工作
    assert v4["verdict"] == "未知" and "会员评家记录" in v4["reason"]
    for y in (2019, 2020, 2021):
        file(a, tmp_path, "F-3", f"{y}年会员评议职工之家满意度测评", f"{y}-06-01")
    assert report_json(a)["vetoes"][3]["verdict"] == "通过"
    # a 2016 ballot does not speak for a 2021 application
    profile.set_facts(a, {"ballots_on": "2016-05-01"})
    v4 = report_json(a)["vetoes"][3]
    assert v4["verdict"] == "未知" and "2016-05-01 早于 2021-01-01" in v4["reason"]
    # counted strictly (the archive's setting), the same ballots fail
    profile.set_facts(a, {"ballots_on": "2021-05-01"})
    settings = a.root / "jiaarchive.toml"
    settings.write_text(settings.read_text(encoding="utf-8") + "\n[coverage]\ncount_basically_satisfied = false\n",
                        encoding="utf-8")
    data = report_json(a)
    assert data["vetoes"][3]["verdict"] == "否决" and data["satisfaction"]["used"] == "满意"


# ---------------------------------------------------------------- 4. 小家 mode


def test_point04_xiaojia_takes_its_vetoes_from_the_parent_profile(make, tmp_path: Path) -> None:
    parent = make("事业单位", name="基层工会")
    profile.set_facts(parent, PASSING)
    xj = make("事业单位", "小家", name="小家")
    profile.set_facts(xj, {"chair": "李四", "members": "12", "elected_on": "2019-05-10", "term_years": "5",
                           "other_veto": "无", "titles": "2018-12-20 合格职工小家"})
    before = report_json(xj)
    assert before["veto_verdict"] == "未知" and before["vetoes"][4]["missing"] == ["parent.members", "parent.employees"]
    out = cli(xj, "profile", "import", str(parent.root))
    assert "已导入上级工会简况" in out and "上级工会：会员总数" in out
    data = report_json(xj)
    assert {v["verdict"] for v in data["vetoes"]} == {"通过"}, [v["reason"] for v in data["vetoes"]]
    assert data["subject"] == "上级工会（测试工会）"
    # entered by hand as well, and from a JSON export of the parent's profile
    cli(xj, "profile", "set", "parent.women_committee=否")
    assert report_json(xj)["vetoes"][0]["verdict"] == "否决"
    exported = tmp_path / "parent.json"
    exported.write_text(cli(parent, "profile", "show", "--json"), encoding="utf-8")
    cli(xj, "profile", "import", str(exported))
    assert report_json(xj)["vetoes"][0]["verdict"] == "通过"
    # a 之家 archive has no parent union
    res = CliRunner().invoke(main, ["--archive", str(parent.root), "profile", "set", "parent.members=3"])
    assert res.exit_code == 1 and "只用于小家档案" in res.output


# ---------------------------------------------------------------- 5. the 事业单位 total


def test_point05_shiye_total_is_shown_out_of_105_and_normalised(make, tmp_path: Path) -> None:
    a = make("事业单位")
    text = cli(a, "report", "--as-of", AS_OF.isoformat())
    line = next(ln for ln in text.splitlines() if "建议分（程序推算）" in ln)
    assert "/ 105" in line and "折合100分制" in line and "表中印的合计为 100 分（官方原文如此" in line
    for it in a.scoresheet.items:
        scores.set_score(a, it.no, scores.SELF, it.points)
    data = report_json(a)
    self_line = data["totals"]["lines"][1]
    assert (self_line["value"], self_line["out_of"], self_line["normalised"]) == (105, 105, 100)


# ---------------------------------------------------------------- 6. re-inspection reminders


@pytest.mark.parametrize(("titles", "due"), [
    ("2019-09-10 全国模范教师；2020-05-01 先进工作者", None),
    ("2019-12-20 重庆市教科文卫体工会先进职工之家", None),  # the 3-year cycle is 重庆市模范's
    ("2019-12-20 重庆市模范职工之家", "2022-12-20"),
])
def test_point06_reinspection_only_for_the_titles_the_notice_names(make, titles, due) -> None:
    a = make()
    profile.set_facts(a, {"titles": titles})
    found = [d for d in report_json(a)["deadlines"] if d["kind"] == "reinspection"]
    assert [d["date"] for d in found] == ([due] if due else [])


# ---------------------------------------------------------------- 7. rounding across a threshold


@pytest.mark.parametrize(("unit_type", "members", "shown", "need"), [
    ("非公有制企业", "8996", "89.96%", "90%"),
    ("公有制企业", "9496", "94.96%", "95%"),
])
def test_point07_rates_never_round_across_the_threshold(make, unit_type, members, shown, need) -> None:
    a = make(unit_type)
    profile.set_facts(a, {**PASSING, "employees": "10000", "members": members})
    v5 = report_json(a)["vetoes"][4]
    assert v5["verdict"] == "否决" and f"{members}/10000 = {shown}" in v5["reason"] and f"的 {need} 判断未达标" in v5["reason"]
    assert "90.0%" not in v5["reason"] and "95.0%" not in v5["reason"]
    profile.set_facts(a, {"ballots_satisfied": "8996", "ballots_basically_satisfied": "0", "ballots_dissatisfied": "1004"})
    v4 = report_json(a)["vetoes"][3]
    assert v4["verdict"] == "否决" and "89.96%" in v4["reason"]


# ---------------------------------------------------------------- 8. per-term facts


def test_point08_a_term_election_is_valid_for_the_term(make, tmp_path: Path) -> None:
    xj = make("事业单位", "小家")
    profile.set_facts(xj, {"elected_on": "2019-05-10", "term_years": "5"})
    file(xj, tmp_path, "F-1", "语文组工会小组选举工会小组长", "2019-05-10")
    it1 = item(report_json(xj), 1)
    assert it1["status"] == "充分" and it1["evidence_mode"] == "per_term" and it1["missing"] == []
    assert it1["suggested_score"] == 5
    # an expired term is a gap (no re-election)
    profile.set_facts(xj, {"elected_on": "2016-05-10", "term_years": "5"})
    file(xj, tmp_path, "F-1", "2016年工会小组长选举", "2016-05-10")
    it1 = item(report_json(xj), 1)
    assert it1["status"] != "充分" and any("届满" in m for m in it1["missing"])


# ---------------------------------------------------------------- 9. prerequisites


def test_point09_prerequisites_are_reported_like_a_veto(make) -> None:
    a = make()
    profile.set_facts(a, {**PASSING, "titles": "无"})
    data = report_json(a)
    (p,) = data["prerequisites"]
    assert p["requires"] == "合格" and p["verdict"] == "否决" and "在成功创建合格职工之家（小家）基础上" in p["printed"]
    assert data["verdict"] == "否决" and data["veto_verdict"] != "否决"  # the prerequisite decides
    profile.set_facts(a, {"titles": "2018-12-20 合格职工之家", "target_grade": "重庆市模范"})
    (p,) = report_json(a)["prerequisites"]
    assert p["requires"] == "先进" and p["verdict"] == "否决"
    profile.set_facts(a, {"titles": "2018-12-20 合格职工之家；2020-12-20 先进职工之家"})
    (p,) = report_json(a)["prerequisites"]
    assert p["verdict"] == "通过" and "2020-12-20 先进职工之家" in p["reason"]


# ---------------------------------------------------------------- 10. invented or dropped requirements


def test_point10_no_invented_ceiling_and_no_dropped_threshold(make, tmp_path: Path) -> None:
    a = make("事业单位")
    for n, day in enumerate(("2019-03-08", "2019-09-08", "2019-12-08"), 1):
        file(a, tmp_path, "B-1", f"第五届教代会第{n}次会议决议", day)
    it15 = item(report_json(a), 15)  # 先进 item 15 sets no count; 1-2 a year is the 模范 standard's
    assert it15["rules"] == [] and not any("多于" in m for m in it15["missing"])
    b = make("非公有制企业", name="非公")
    profile.set_facts(b, {"contract_surveyed": "50", "contract_satisfied": "39"})
    it16 = item(report_json(b), 16)
    assert any("39/50 = 78%" in m and "80%" in m for m in it16["missing"])
    profile.set_facts(b, {**PASSING, "target_grade": "重庆市模范", "titles": "2020-12-20 先进职工之家",
                          "safety_accidents": "2021-01-05 一般生产安全事故"})
    v5 = report_json(b)["vetoes"][4]
    assert v5["verdict"] == "否决" and "安全生产责任事故" in v5["text"]


# ---------------------------------------------------------------- 11. texts come from the assessment


def test_point11_renderers_print_what_the_assessment_computed(make, tmp_path: Path) -> None:
    a = make("事业单位")
    profile.set_facts(a, {**PASSING, "target_grade": "重庆市模范", "titles": "2020-12-20 先进职工之家"})
    for y in (2019, 2020, 2021):
        file(a, tmp_path, "F-3", f"{y}年会员评议职工之家满意度测评", f"{y}-06-01")
    html = tmp_path / "r.html"
    cli(a, "report", "--as-of", "2021-08-31", "--html", str(html))
    text = html.read_text(encoding="utf-8")
    assert "6 项否决条件均未触及" in text and "七项" not in text
    assert "尚未过半" not in text and "2021 年的逐年要求到 09-30 才算缺口" in text
    profile.set_facts(a, {"funds_committee": "否", "members": "90"})
    cli(a, "report", "--as-of", "2021-08-31", "--html", str(html))
    assert "第1、4条否决（2 项）" in html.read_text(encoding="utf-8")
    # a 2026 archive is not told about the 2021 call's deadline
    out = cli(a, "report", "--as-of", "2026-05-01")
    assert "已于 2021-09-15 截止" not in out and "2026 年为 2026-01-01 至 2026-09-30" in out
    # the renderers hold no sentence of their own about verdicts, years or counts
    from jiaarchive.cli import report_cmds
    from jiaarchive.reports import coverage_html, coverage_xlsx, form_docx
    from jiaarchive.tui import dashboard

    sources = [Path(m.__file__) for m in (coverage_html, coverage_xlsx, form_docx, report_cmds, dashboard)]
    sources.append(Path(coverage_html.__file__).parent / "templates" / "coverage.html.j2")
    for src in sources:
        body = src.read_text(encoding="utf-8")
        for phrase in ("七项", "尚未过半", "有一项否决", "均未触及", "2021", "渝教科文卫体工", "否决条件第"):
            assert phrase not in body, (src.name, phrase)


# ---------------------------------------------------------------- 12. evidence that speaks to the item


def test_point12_only_records_that_speak_to_the_item_count(make, tmp_path: Path) -> None:
    a = make("公有制企业")
    for y in (2019, 2020, 2021):
        file(a, tmp_path, "B-1", f"{y}年职工代表大会决议", f"{y}-03-01")
        file(a, tmp_path, "B-5", f"{y}年职工董事述职报告", f"{y}-04-01")
    data = report_json(a)
    it18 = item(data, 18)  # 职工持股会: not proved by 职代会 or 职工董事 records
    assert it18["status"] == "缺失" and it18["evidence"] == []
    assert item(data, 15)["status"] == "充分"  # the 职代会 records prove the 职代会 item
    assert [m["how"] for m in item(data, 15)["matches"]] == ["要点"] * 3
    # 阵地 items are not linked to 送温暖
    assert "C-4" not in [lk["code"] for lk in item(data, 20)["links"]]
    # a conditional item may be set aside with the clerk's reason; others may not
    out = cli(a, "score", "18", "--not-applicable", "本企业未设置内部职工股")
    assert "不适用" in out
    data = report_json(a)
    assert item(data, 18)["status"] == "不适用" and item(data, 18)["not_applicable"] == "本企业未设置内部职工股"
    assert data["totals"]["applicable_points"] == 96
    res = CliRunner().invoke(main, ["--archive", str(a.root), "score", "7", "--not-applicable", "没做"])
    assert res.exit_code == 1 and "没有适用条件" in res.output
    cli(a, "score", "18", "--not-applicable", "")
    assert item(report_json(a), 18)["status"] == "缺失"


def test_point12_explicit_links_and_key_terms_with_and_without_the_index(make, tmp_path: Path) -> None:
    from jiaarchive import indexing

    a = make("事业单位")
    body = tmp_path / "纪要.txt"
    body.write_text("工会委员会会议纪要\n讨论职工书屋建设。\n", encoding="utf-8")
    file(a, tmp_path, "D-2", "2021年工会委员会会议纪要", "2021-03-01", src=body)  # 职工书屋 only in the text
    file(a, tmp_path, "F-6", "2021年工会简报", "2021-04-01", items=(17,))  # linked when filed
    data = report_json(a)
    assert data["match_mode"] == "全文检索"
    how = {m["archive_no"]: (m["how"], m["term"]) for m in item(data, 17)["matches"]}
    assert how == {"F-6·2021-D30-0001": ("关联", ""), "D-2·2021-D10-0001": ("要点", "职工书屋")}
    shutil_index = indexing.index_dir(a)
    indexing.close(a)
    import shutil

    shutil.rmtree(shutil_index)
    data = report_json(a)
    assert data["match_mode"] == "题名和标签" and any(n["kind"] == "matching" for n in data["notes"])
    assert [m["archive_no"] for m in item(data, 17)["matches"]] == ["F-6·2021-D30-0001"]


def test_point12_mapping_has_one_reason_per_link() -> None:
    import tomllib

    from jiaarchive.standards import catalog_dir

    rows = tomllib.loads((catalog_dir() / "mapping.toml").read_text(encoding="utf-8"))["item"]
    for row in rows:
        codes = [link.split(" ", 1)[0] for link in row["links"]]
        assert len(codes) == len(set(codes)), row
        assert all(len(link.split(" ", 1)[1]) >= 4 for link in row["links"]), row
        assert row["terms"] and row["name"], row


# ---------------------------------------------------------------- 13. smaller


def test_point13_future_election_is_refused(make) -> None:
    a = make()
    with pytest.raises(profile.BadProfileValue, match="晚于今天"):
        profile.set_facts(a, {"elected_on": "2022-01-01"})  # the archive's clock says 2021-11-01


def test_point13_xlsx_merges_item_7_with_its_group(make, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    a = make("事业单位")
    out = tmp_path / "r.xlsx"
    cli(a, "report", "--as-of", AS_OF.isoformat(), "--xlsx", str(out))
    ws = load_workbook(out).active
    rows = {r.min_row: r for r in ws.merged_cells.ranges if r.min_col == 2 and r.max_col == 2}
    first = 4 + 6  # item 7 (效益之家, items 7-9) is the 7th item row
    assert first in rows and rows[first].max_row == first + 2, sorted((r.min_row, r.max_row) for r in rows.values())
    assert ws.cell(first, 2).value == "效益之家"


def test_point13_form_summary_items_named_by_their_own_text_and_drilldown(make, tmp_path: Path) -> None:
    a = make()
    profile.set_facts(a, {**PASSING, "phone": "1", "postcode": "2", "ownership": "3", "operation": "4",
                          "full_time_cadres": "1", "branches": "2"})
    text = cli(a, "report", "--as-of", AS_OF.isoformat())
    assert "缺 无" not in text and "可由简况填写的栏目已填齐" in text
    names = [ln for ln in text.splitlines() if re.match(r"\s+[●◐○·]\s+[789]\. ", ln)]
    assert len(names) == 3 and len({ln.split("]")[-1] for ln in names}) == 3
    assert "效益之家·劳动和技能竞赛" in names[0]

    from tests.test_coverage import run_dashboard_drill

    shown = run_dashboard_drill(a, row=6)
    assert "劳动和技能竞赛" in shown and "深入开展多种形式的劳动和技能竞赛活动" in shown and "证据要求" in shown


def test_point13_catalog_check_exit_codes(tmp_path: Path) -> None:
    res = CliRunner().invoke(main, ["catalog", "check"])
    assert res.exit_code == 0 and "官方原文问题" in res.output  # listed, but not the data's fault


def test_docx_form_is_filled_from_the_assessment(make, tmp_path: Path) -> None:
    a = make()
    profile.set_facts(a, {"chair": "张三"})
    out = tmp_path / "f.docx"
    cli(a, "form", str(out))
    xml = zipfile.ZipFile(out).read("word/document.xml").decode()
    assert "张三" in xml and "先进职工之家申报登记表" in xml
