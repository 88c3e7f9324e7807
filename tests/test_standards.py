"""catalog/ as data: the real transcription, the loader API, and `check` on broken copies."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import tomllib
from pathlib import Path

import pytest

from jiaarchive import standards
from jiaarchive.errors import BadValue, CatalogInvalid, CodeNotApplicable, UnknownCode

CATALOG = Path(__file__).resolve().parents[1] / "catalog"


@pytest.fixture(scope="module")
def std() -> standards.Standards:
    return standards.load(CATALOG)


@pytest.fixture
def copy(tmp_path: Path):
    """A writable copy of catalog/ and a helper to edit one file by exact replacement."""
    root = tmp_path / "catalog"
    shutil.copytree(CATALOG, root)

    def edit(name: str, old: str, new: str, count: int = 1) -> Path:
        path = root / name
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{old!r} not in {name}"
        path.write_text(text.replace(old, new, count), encoding="utf-8")
        return root

    edit.root = root  # type: ignore[attr-defined]
    return edit


def messages(result: standards.CheckResult, kind: str | None = None) -> list[str]:
    return [f"{p.where}：{p.message}" for p in result.problems if kind is None or p.kind == kind]


# ---------------------------------------------------------------------------- real data


def test_real_data_has_no_data_errors_but_reports_the_official_sum_mismatch() -> None:
    result = standards.check(CATALOG)
    assert result.ok, messages(result, "error")
    assert result.errors == []
    official = messages(result, "official_text")
    assert any("事业单位评分表各项分值合计105分" in m and "合计100" in m and "未作更正" in m for m in official)
    # official-text problems are listed, but they are not the data's fault: exit 0 (issue 10 point 13)
    assert result.exit_code == 0


def test_real_sheets_counts_and_sums() -> None:
    result = standards.check(CATALOG)
    by_unit = {(s.unit_type, s.level): s for s in result.sheets}
    expected = {
        ("公有制企业", "之家"): (23, 100),
        ("非公有制企业", "之家"): (21, 100),
        ("事业单位", "之家"): (21, 105),
        (None, "小家"): (18, 100),
    }
    assert set(by_unit) == set(expected)
    for key, (count, total) in expected.items():
        assert by_unit[key].items == count
        assert by_unit[key].points_sum == total
        assert by_unit[key].stated_total == 100


def test_json_shape() -> None:
    data = standards.check(CATALOG).to_json()
    assert set(data) >= {"ok", "sheets", "problems"}
    assert data["ok"] is True
    for s in data["sheets"]:
        assert set(s) >= {"id", "title", "unit_type", "items", "points_sum", "stated_total"}
    for p in data["problems"]:
        assert set(p) >= {"where", "message", "kind"}


def test_catalogue_volumes_and_entries(std: standards.Standards) -> None:
    cat = std.catalogue
    assert cat.doc_no == "渝工组〔2008〕28号"
    assert cat.title == "重庆市职工之家（小家）资料台帐参考目录"
    assert cat.doc_title == "重庆市总工会关于进一步规范建设职工之家活动建档工作的通知"
    assert [v.folder_name for v in cat.volumes] == [
        "A 效益（绩效）之家", "B 民主之家", "C 温暖之家", "D 文明之家", "E 安全之家", "F 自身建设",
    ]
    assert len(cat.entries()) == 32
    assert [len(v.entries) for v in cat.volumes] == [5, 6, 5, 5, 5, 6]
    assert cat.entry("A-1").folder_name == "A-1 劳动竞赛、技术革新资料"
    assert cat.entry("e-2").title == "“安康杯”竞赛、“安全生产月”等活动资料"
    assert len(cat.notes) == 3 and cat.notes[1].startswith("不涉及的项目可以不设")
    for e in cat.entries():
        assert e.volume == e.code[0] and e.default_retention


def test_transcription_matches_the_official_text(official_dir: Path) -> None:
    """Every official string in catalog/ occurs in the notice (whitespace ignored)."""
    flat = re.sub(r"\s+", "", (official_dir / "notice-2021-17.txt").read_text(encoding="utf-8"))
    verbatim = {"title", "text", "printed", "parts"}
    checked = 0

    def walk(node, key=""):
        if isinstance(node, dict):
            for k, v in node.items():
                yield from walk(v, k)
        elif isinstance(node, list):
            for v in node:
                yield from walk(v, key)
        elif isinstance(node, str) and key in verbatim:
            yield node

    for path in sorted(CATALOG.glob("*.toml")):
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        if data.get("official") is False or "kind" not in data:
            continue
        for value in walk(data):
            for piece in value.split("……"):
                piece = re.sub(r"\s+", "", piece)
                if piece:
                    checked += 1
                    assert piece in flat, f"{path.name}: {piece}"
    assert checked > 150


def test_items_keep_printed_oddities(std: standards.Standards) -> None:
    assert "因因企制宜" in std.sheet_for("非公有制企业", "之家").item(17).text
    assert "结合企业中心任务" in std.sheet_for("事业单位", "之家").item(7).text
    item = std.sheet("xianjin-gongyouzhi").item(19)
    assert item.group == "五家建设" and item.subgroup == "民主之家" and "\n" in item.text
    first = std.sheet("xianjin-xiaojia").item(1)
    assert (first.group, first.subgroup, first.points) == ("六有小家", "有家人", 5)


def test_sheet_mapping(std: standards.Standards) -> None:
    assert std.sheet_for("公有制企业", "之家").id == "xianjin-gongyouzhi"
    assert std.sheet_for("机关单位", "之家") is None
    assert "没有机关单位" in std.sheet_mapping("机关单位", "之家").note
    for unit in std.unit_types:
        assert std.sheet_for(unit, "小家").unit_type is None
    with pytest.raises(BadValue):
        std.sheet_for("社会团体", "之家")
    with pytest.raises(BadValue):
        std.sheet("nope")
    with pytest.raises(BadValue):
        std.sheet("xianjin-shiye").item(99)


def test_thresholds_vetoes_materials_windows(std: standards.Standards) -> None:
    mofan = {u: std.find_thresholds("membership_rate", "重庆市模范", u, "之家") for u in std.unit_types}
    assert {u: [t.value for t in ts] for u, ts in mofan.items()} == {
        "公有制企业": [95], "非公有制企业": [90], "事业单位": [98], "机关单位": [98],
    }
    assert all(t.source.startswith("渝工发〔2019〕2号") for ts in mofan.values() for t in ts)
    assert [t.value for t in std.find_thresholds("self_check_score", "先进")] == [80]
    assert {t.value for t in std.find_thresholds("member_satisfaction")} == {90}
    assert std.threshold("xianjin-self-check-score").met_by(80)
    assert not std.threshold("xianjin-self-check-score").met_by(79.5)
    assert std.reinspection_years == 3
    assert len(std.vetoes_for("先进")) == 7 and len(std.vetoes_for("重庆市模范")) == 6
    assert [g.name for g in std.grades] == ["合格", "先进", "重庆市模范", "全国模范"]
    assert [s.step for s in std.inspection_steps if s.doc_no == "渝教科文卫体工〔2019〕23号"] == list("听查看访评")

    m2021 = {m.key: m for m in std.materials if m.doc_no == "渝教科文卫体工〔2021〕17号"}
    assert m2021["report"].parts == ("基本情况", "工会工作亮点", "会员评家及满意度测评情况", "否决事项情况说明")
    assert len(m2021["plan"].parts) == 7 and m2021["plan"].parts[0] == "指导思想"
    assert m2021["photos"].parts == ("时间", "内容说明")

    call = next(w for w in std.windows if w.id == "call-2021")
    assert (call.start, call.end) == (dt.date(2021, 4, 1), dt.date(2021, 9, 15))
    assert call in std.windows_for("先进")
    annual = next(w for w in std.windows if w.every_year and w.doc_no == "渝工发〔2019〕2号")
    assert annual.contains(dt.date(2030, 9, 30)) and not annual.contains(dt.date(2030, 10, 1))

    assert {s.title for s in std.standards_for("重庆市模范", "机关单位", "之家")} == {"模范职工之家标准（机关单位）"}
    assert [i.project for i in std.standards_for("合格")[0].items][0] == "有家人"
    assert [i.project for i in std.standards_for("先进", "事业单位", "之家")[0].items] == [
        "依法建会", "依法管会", "依法履职", "依法维权",
    ]


def test_forms(std: standards.Standards) -> None:
    (zhijia,) = std.forms_for("之家")
    (xiaojia,) = std.forms_for("小家")
    assert zhijia.attachment == "附件6" and zhijia.source_incomplete
    assert [f.label for f in zhijia.fields][2:4] == ["单位所有制形式", "经营方式"]
    labels = {f.label: f for f in xiaojia.fields}
    assert labels["主要先进事迹"].max_chars == 400 and labels["单位行政意见"].seal


# ---------------------------------------------------------------------------- API


def test_catalogue_errors_are_chinese_sentences(std: standards.Standards) -> None:
    cat = std.catalogue
    with pytest.raises(UnknownCode, match="目录中没有编号“A-9”.*A-1 … F-6"):
        cat.entry("A-9")
    with pytest.raises(CodeNotApplicable, match="B-2 平等协商和集体合同制度资料.*事业单位.*注2"):
        cat.require_applicable("B-2", "事业单位", "之家")
    with pytest.raises(CodeNotApplicable, match="B-5"):
        cat.require_applicable("B-5", "公有制企业", "小家")
    assert cat.require_applicable("B-5", "公有制企业", "之家").code == "B-5"
    with pytest.raises(BadValue):
        cat.applicable("外星单位", "之家")


def test_applicable(std: standards.Standards) -> None:
    cat = std.catalogue
    assert len(cat.applicable("公有制企业", "之家")) == 32
    jiguan = {e.code for e in cat.applicable("机关单位", "之家")}
    assert "B-2" not in jiguan and "B-5" not in jiguan and len(jiguan) == 30
    assert {"B-2", "B-5"}.isdisjoint(e.code for e in cat.applicable("非公有制企业", "小家"))


def test_customised(std: standards.Standards) -> None:
    cat = std.catalogue
    c = cat.customised(add=[{"code": "b-1-1", "title": "职代会提案"}, {"code": "A-6", "title": "其他"}], remove=["D-5"])
    codes = c.codes()
    assert codes.index("B-1-1") == codes.index("B-1") + 1 and "A-6" in codes and "D-5" not in codes
    sub = c.entry("B-1-1")
    assert sub.parent == "B-1" and sub.default_retention == cat.entry("B-1").default_retention
    assert c.customised(add=[{"code": "B-2-1", "title": "工资专项合同"}]).entry("B-2-1").not_for == ("事业单位", "机关单位")
    assert "B-1-1" not in c.customised(remove=["B-1"]).codes()
    assert len(cat.entries()) == 32  # the original is untouched
    for bad in (
        {"code": "A-1", "title": "重复"},
        {"code": "A1", "title": "格式"},
        {"code": "G-1", "title": "没有G卷"},
        {"code": "C-9-1", "title": "没有上级"},
        {"code": "A-7", "title": " "},
    ):
        with pytest.raises(BadValue):
            cat.customised(add=[bad])
    with pytest.raises(BadValue):
        cat.customised(remove=["Z-1"])


def test_retention(std: standards.Standards) -> None:
    assert [(p.name, p.code) for p in std.retention_periods] == [("永久", "Y"), ("定期30年", "D30"), ("定期10年", "D10")]
    assert std.retention_code("定期30年") == "D30"
    with pytest.raises(BadValue, match="保管期限“长期”不存在"):
        std.retention_code("长期")
    assert std.catalogue.entry("F-1").default_retention == "永久"
    assert std.catalogue.entry("D-5").default_retention == "定期10年"


def test_catalog_dir_and_cache(tmp_path: Path) -> None:
    assert standards.catalog_dir().is_dir()
    assert standards.load() is standards.load()
    assert standards.load(CATALOG) is standards.load(CATALOG)


def test_format_check_text() -> None:
    text = standards.format_check(standards.check(CATALOG))
    assert "官方原文问题" in text and "xianjin-shiye" in text and "105" in text


# ---------------------------------------------------------------------------- broken copies


def test_duplicate_code(copy) -> None:
    root = copy("yugongzu-2008-28.toml", 'code = "A-2"', 'code = "A-1"')
    result = standards.check(root)
    assert not result.ok and result.exit_code == 1
    assert any("A-1" in m and "重复" in m for m in messages(result, "error"))
    with pytest.raises(CatalogInvalid, match="标准数据有误"):
        standards.load(root)


def test_missing_title(copy) -> None:
    root = copy("yugongzu-2008-28.toml", 'title = "合理化建议活动资料"\n', "")
    assert any("A-2" in m and "缺少“title”" in m for m in messages(standards.check(root), "error"))


def test_code_in_wrong_volume(copy) -> None:
    root = copy("yugongzu-2008-28.toml", 'code = "C-5"', 'code = "D-9"')
    assert any("D-9" in m and "卷字母" in m for m in messages(standards.check(root), "error"))


def test_bad_unit_type_reference(copy) -> None:
    root = copy("yugongzu-2008-28.toml", 'not_for = ["事业单位", "机关单位"]', 'not_for = ["事业单位", "机关"]')
    assert any("“机关”" in m and "unit_types" in m for m in messages(standards.check(root), "error"))


def test_bad_sheet_reference(copy) -> None:
    root = copy("units.toml", 'sheet = "xianjin-shiye"', 'sheet = "xianjin-shiyedanwei"')
    assert any("xianjin-shiyedanwei" in m and "不存在" in m for m in messages(standards.check(root), "error"))


def test_missing_mapping(copy) -> None:
    root = copy("units.toml", 'unit_type = "公有制企业"\nlevel = "小家"', 'unit_type = "非公有制企业"\nlevel = "小家"')
    errs = messages(standards.check(root), "error")
    assert any("公有制企业小家" in m for m in errs) and any("出现了2次" in m for m in errs)


def test_wrong_sum_is_a_data_error(copy) -> None:
    root = copy("yujiaokewenweitigong-2019-23-fujian2.toml", "points = 7\n", "points = 8\n")
    errs = messages(standards.check(root), "error")
    assert any("公有制企业评分表各项分值合计101分" in m for m in errs)


def test_declared_mismatch_must_still_hold(copy) -> None:
    # someone "fixes" the official sheet: the declaration no longer matches the items
    root = copy("yujiaokewenweitigong-2019-23-fujian4.toml", "points = 7\n", "points = 2\n")
    result = standards.check(root)
    assert any("known_sum_mismatch" in m for m in messages(result, "error"))
    assert not any("105" in m for m in messages(result, "official_text"))


def test_item_numbers_must_be_contiguous(copy) -> None:
    root = copy("yujiaokewenweitigong-2019-23-fujian5.toml", "no = 18\n", "no = 19\n")
    assert any("连续" in m for m in messages(standards.check(root), "error"))
    root = copy("yujiaokewenweitigong-2019-23-fujian5.toml", "no = 19\n", "no = 17\n")
    assert any("第17项重复" in m for m in messages(standards.check(root), "error"))


def test_empty_subgroup(copy) -> None:
    root = copy("yujiaokewenweitigong-2019-23-fujian5.toml", 'subgroup = "安康小家"', 'subgroup = ""')
    assert any("subgroup" in m and "不能为空" in m for m in messages(standards.check(root), "error"))


def test_percentage_range_and_printed_value(copy) -> None:
    root = copy("yugongfa-2019-2.toml", "value = 95\n", "value = 950\n")
    errs = messages(standards.check(root), "error")
    assert any("百分比950" in m for m in errs) and any("找不到" in m for m in errs)


def test_dates(copy) -> None:
    root = copy("yujiaokewenweitigong-2021-17.toml", "end = 2021-09-15", "end = 2021-03-15")
    assert any("晚于" in m for m in messages(standards.check(root), "error"))
    root = copy("yugongfa-2019-2.toml", 'end = "09-30"', 'end = "09-31"')
    assert any("不是有效日期" in m for m in messages(standards.check(root), "error"))


def test_unparsable_file(copy) -> None:
    root = copy("units.toml", 'levels = ["之家", "小家"]', 'levels = ["之家", "小家"')
    result = standards.check(root)
    assert any("units.toml" in p.where and "TOML" in p.message for p in result.errors)
    with pytest.raises(CatalogInvalid):
        standards.load(root)


def test_unknown_field_and_grade(copy) -> None:
    root = copy("yujiaokewenweitigong-2019-23.toml", 'grade = "先进"\nno = 7', 'grade = "优秀"\nno = 7')
    assert any("优秀" in m and "未定义" in m for m in messages(standards.check(root), "error"))
    root = copy("retention.toml", 'default_period = "定期30年"', 'default_perod = "定期30年"')
    assert any("default_perod" in m for m in messages(standards.check(root), "error"))


def test_conflicting_official_thresholds_are_reported(copy) -> None:
    root = copy("yugongfa-2019-2.toml", "value = 3\n", "value = 5\n")
    root = copy("yugongfa-2019-2.toml", "原则上每3年复查一次", "原则上每5年复查一次")
    offs = messages(standards.check(root), "official_text")
    assert any("不一致" in m and "reinspection_years" in m for m in offs)


def test_retention_reference(copy) -> None:
    root = copy("retention.toml", 'code = "F-6"', 'code = "F-7"')
    errs = messages(standards.check(root), "error")
    assert any("F-7" in m for m in errs) and any("F-6" in m and "保管期限" in m for m in errs)


def test_missing_dir(tmp_path: Path) -> None:
    result = standards.check(tmp_path / "nowhere")
    assert not result.ok and result.problems


def test_catalog_dir_prefers_the_installed_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import jiaarchive

    pkg = tmp_path / "site" / "jiaarchive"
    pkg.mkdir(parents=True)
    monkeypatch.setattr(jiaarchive, "__file__", str(pkg / "__init__.py"))
    assert standards.catalog_dir() == tmp_path / "site" / "catalog"  # no _catalog: the repo layout
    shutil.copytree(CATALOG, pkg / "_catalog")
    assert standards.catalog_dir() == pkg / "_catalog"
    assert standards.check().ok
