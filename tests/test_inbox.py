"""The inbox's proposals, one source at a time: folders, titles, properties, names, text,
filed records, neighbours; dates and titles; the flags; and `jiaarchive inbox --json`."""

from __future__ import annotations

import json
import zipfile
from datetime import date, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from jiaarchive import filing
from jiaarchive.archive import init_archive
from jiaarchive.cli import main
from jiaarchive.inbox import Staging, propose_pile
from jiaarchive.inbox import classify, dates, titles
from jiaarchive.inbox.keywords import load_table

from .helpers import make_docx, make_jpeg, make_text

UNIT = "重庆测试机械有限公司工会"


@pytest.fixture
def arch(company_archive):  # noqa: ANN001, ANN201
    return company_archive


def _propose(arch, root: Path):  # noqa: ANN001, ANN202
    with Staging() as staging:
        pile = propose_pile(arch, root, staging)
    return {f.rel: f for f in pile.files}, pile


def _reasons(f) -> str:  # noqa: ANN001
    return "；".join(r for p in f.proposals for r in p.reasons)


# ---------------------------------------------------------------- each source of evidence


def test_folder_names_codes_and_words(arch, tmp_path: Path) -> None:
    """A folder named by a code, or with a table word; the nearest folder counts most."""
    root = tmp_path / "堆"
    blank = "无关的内容\n"
    make_text(root / "B-1 职代会制度成套文件及落实情况资料" / "x1.txt", blank)
    make_text(root / "2021职代会" / "x2.txt", blank)
    make_text(root / "安全生产月" / "新建文件夹" / "x3.txt", blank)
    make_text(root / "送温暖" / "2021职代会" / "x4.txt", blank)
    files, _ = _propose(arch, root)
    assert files["B-1 职代会制度成套文件及落实情况资料/x1.txt"].code == "B-1"
    assert "目录编号" in _reasons(files["B-1 职代会制度成套文件及落实情况资料/x1.txt"])
    f = files["2021职代会/x2.txt"]
    assert f.code == "B-1" and "文件夹名“2021职代会”中的“职代会” → B-1" in f.proposals[0].reasons
    assert files["安全生产月/新建文件夹/x3.txt"].code == "E-2"
    assert files["送温暖/2021职代会/x4.txt"].code == "B-1"  # nearest folder first
    assert files["送温暖/2021职代会/x4.txt"].proposals[1].code == "C-4"


def test_heading_beats_stale_properties_and_wraps(arch, tmp_path: Path) -> None:
    """The document's own heading, after the red head and 文号, wrapped onto two lines; a stale
    properties title left by a template loses to it."""
    root = tmp_path / "堆"
    make_docx(root / "文档1.docx", "重庆测试机械有限公司工会文件\n测工〔2021〕5号\n关于开展2021年“安全生产月”\n活动的通知\n"
              "各分工会：\n现将有关事项通知如下。\n重庆测试机械有限公司工会\n2021年5月20日", title="关于召开2019年工会工作会议的通知")
    files, _ = _propose(arch, root)
    f = files["文档1.docx"]
    assert f.title == "关于开展2021年“安全生产月”活动的通知" and f.title_source == "heading"
    assert f.code == "E-2"
    assert f.date == date(2021, 5, 20) and f.date_source == "正文落款日期"


def test_properties_title_when_no_heading_and_names_never_camera_or_pinyin(arch, tmp_path: Path) -> None:
    root = tmp_path / "堆"
    make_text(root / "gonghui_jiyao.txt", "序号 姓名 部门 金额\n1 张三 车间 200\n")  # no heading, pinyin name
    make_docx(root / "新建 Microsoft Word 文档.docx", "", title="2021年工会经费收支预算")
    make_jpeg(root / "2021职工运动会" / "IMG_20210512_093011.jpg", taken=datetime(2021, 5, 12, 9, 30))
    make_jpeg(root / "何小琳" / "DSC_0001.jpg", color=(10, 20, 30))
    make_jpeg(root / "拔河比赛.jpg", color=(40, 50, 60))
    files, _ = _propose(arch, root)
    assert files["gonghui_jiyao.txt"].title == ""  # never "gonghui jiyao"
    budget = files["新建 Microsoft Word 文档.docx"]
    assert (budget.title, budget.title_source, budget.code) == ("2021年工会经费收支预算", "properties", "F-5")
    photo = files["2021职工运动会/IMG_20210512_093011.jpg"]
    assert (photo.title, photo.title_source) == ("2021年职工运动会照片", "folder")
    assert photo.date == date(2021, 5, 12) and photo.date_source == "照片拍摄时间" and photo.code == "D-5"
    assert files["何小琳/DSC_0001.jpg"].title == ""  # a person's folder is no event
    assert files["拔河比赛.jpg"].title == "拔河比赛" and files["拔河比赛.jpg"].code == "D-5"


def test_text_words_and_pieces_of_words(arch, tmp_path: Path) -> None:
    root = tmp_path / "堆"
    make_text(root / "a.txt", "情况说明\n今年春节前，工会走访慰问困难职工12户，发放慰问金，了解困难职工家庭的需要。\n2021年2月3日")
    make_text(root / "b.txt", "博远生产竞赛细则\n各班组比产量、比质量。\n")  # no whole keyword in the title
    files, _ = _propose(arch, root)
    a = files["a.txt"]
    assert a.code == "C-4" and any("正文中" in r and "“困难职工”2次" in r for r in a.proposals[0].reasons)
    b = files["b.txt"]
    assert "A-1" in [p.code for p in b.proposals] and "近似关键词" in _reasons(b)


def test_records_already_filed_are_a_source(arch, tmp_path: Path) -> None:
    """An archive's own vocabulary: records filed under A-3 about 嘉陵杯 make a new 嘉陵杯 paper A-3."""
    for i in range(3):
        src = make_text(tmp_path / "旧" / f"{i}.txt", f"第{i}届嘉陵杯决赛成绩\n嘉陵杯 第{i}场\n")
        filing.file_document(arch, [src], filing.Draft(code="A-3", title=f"第{i}届嘉陵杯决赛成绩", date=date(2020, 5, i + 1)))
    root = tmp_path / "堆"
    make_text(root / "x.txt", "第九届嘉陵杯决赛安排\n地点：二车间\n")
    files, _ = _propose(arch, root)
    f = files["x.txt"]
    assert f.code == "A-3"
    assert "与已归档的 A-3·2020" in _reasons(f)


def test_neighbours_and_the_pile_prior_for_files_without_evidence(arch, tmp_path: Path) -> None:
    root = tmp_path / "堆"
    for i, t in enumerate(("关于召开职工代表大会的通知", "职工代表大会决议", "职代会提案汇总表")):
        make_text(root / "会议" / f"{i}.txt", f"{t}\n正文\n")
    make_jpeg(root / "会议" / "IMG_0001.jpg")
    make_jpeg(root / "运动" / "运动会.jpg", color=(1, 2, 3))
    make_jpeg(root / "运动" / "篮球赛.jpg", color=(4, 5, 6))
    make_jpeg(root / "运动" / "拔河.jpg", color=(7, 8, 9))
    make_jpeg(root / "微信文件" / "mmexport1620000000000.jpg", color=(9, 9, 9))
    files, _ = _propose(arch, root)
    photo = files["会议/IMG_0001.jpg"]
    assert photo.code == "B-1" and "文件夹“会议”中其他 3 个文件多归入 B-1" in _reasons(photo)
    stray = files["微信文件/mmexport1620000000000.jpg"]
    assert stray.code == "D-5" and stray.confidence < 0.5 and "没有其他线索" in _reasons(stray)


def test_entry_profiles_come_from_the_standards_and_rank_every_entry() -> None:
    """An entry's profile is the words of what catalog/ says about it, weighted by how few
    entries share them: a document is ranked against every entry, not just those a keyword hit."""
    from jiaarchive.inbox import profiles

    built = profiles.build({
        "C-3": [("劳动争议调解有关资料", 3.0), ("调解委员会 调解协议 劳动争议", 1.5)],
        "C-4": [("送温暖活动、困难职工档案资料", 3.0), ("困难帮扶 慰问 救助", 1.5)],
        "F-5": [("工会财务管理、经审活动资料", 3.0), ("经费审查 预算 决算", 1.5)],
    })
    ranked = built.compare([("title", "劳动争议调解协议书"), ("body", "双方自愿达成调解协议，困难")]).ranked()
    assert ranked[0][0] == "C-3" and ranked[0][1] > ranked[1][1] > 0
    assert [c for c, _ in ranked][:2] == ["C-3", "C-4"]
    assert built.compare([("title", "今天天气很好")]).ranked() == []


def test_entry_profiles_are_a_source(arch, tmp_path: Path) -> None:
    """The standards' own words (scoresheet items linked to an entry) speak for a document the
    keyword table says little about, and every file gets second and third proposals."""
    root = tmp_path / "堆"
    make_text(root / "x.txt", "会员会籍接转登记\n调入会员3人，调出会员2人，会籍关系已接转。\n2021年3月2日")
    files, _ = _propose(arch, root)
    f = files["x.txt"]
    assert f.code == "F-2" and len(f.proposals) == 3
    assert "与目录条目和评分项的说明相近" in _reasons(f)


def test_photos_lean_on_documents_made_on_or_naming_their_day(arch, tmp_path: Path) -> None:
    """A photo with nothing of its own, taken on the day a notice in the pile names (the day of
    the sports meet), is proposed what the notice was; a photo of another day is not."""
    root = tmp_path / "堆"
    make_text(root / "新建文件夹" / "通知.txt", "关于举办职工趣味运动会的通知\n各分工会：\n工会定于10月23日在体育馆举办职工趣味运动会，"
              "设拔河、跳绳等文体比赛项目。\n重庆测试机械有限公司工会\n2021年10月8日")
    make_text(root / "新建文件夹" / "慰问.txt", "困难职工慰问金发放表\n春节前走访慰问困难职工，送温暖。\n2021年1月20日")
    make_jpeg(root / "手机" / "IMG_3001.jpg", taken=datetime(2021, 10, 23, 9, 30), color=(1, 1, 1))
    make_jpeg(root / "手机" / "IMG_3002.jpg", taken=datetime(2021, 3, 3, 9, 30), color=(2, 2, 2))
    files, _ = _propose(arch, root)
    meet = files["手机/IMG_3001.jpg"]
    assert meet.code == "D-5" and "拍摄日期 2021-10-23 与本批 1 个文件所载日期相同" in _reasons(meet)
    assert "拍摄日期" not in _reasons(files["手机/IMG_3002.jpg"])


def test_scans_and_photos_are_read_by_text_recognition(arch, tmp_path: Path, monkeypatch) -> None:
    """With OCR installed, a scan's recognised text gives its title, date and entry, and the
    banner in a photo with a camera name gives its title and leans its entry."""
    from jiaarchive.extract.ocr import available

    from . import scans

    if not available() or scans.cjk_font() is None:
        pytest.skip("未安装文字识别或中文字体")
    monkeypatch.setenv("JIAARCHIVE_INBOX_OCR", "1")
    root = tmp_path / "堆"
    scans.scanned_notice_pdf(root / "扫描" / "Scan_0001.pdf")
    img = scans.render_page(["2021年职工拔河比赛"], width=900, size=60, margin=60)
    scans.save_jpeg(img, root / "微信文件" / "IMG_2001.jpg")
    files, _ = _propose(arch, root)
    scan = files["扫描/Scan_0001.pdf"]
    assert "image_only_pdf" in scan.flags and scan.code == "B-1"
    assert scan.title == "关于召开二〇二一年教职工代表大会的通知" and scan.title_source == "heading"
    assert scan.date == date(2021, 3, 8) and any("识别出来的" in n for n in scan.notes)
    assert "照片上的文字中“拔河”" in _reasons(files["微信文件/IMG_2001.jpg"])
    photo = files["微信文件/IMG_2001.jpg"]
    assert (photo.title, photo.title_source) == ("2021年职工拔河比赛", "banner") and photo.code == "D-5"


def test_banner_lines() -> None:
    assert titles.banner("i14\n2021年“提质增效”劳动竞赛总结表彰大会\n_/1tbitt") == "2021年“提质增效”劳动竞赛总结表彰大会"
    assert titles.banner("i14\n_/1tbitt\n工会") == ""


def test_archive_keywords_override_and_bad_ones_are_ignored(tmp_path: Path) -> None:
    a = init_archive(tmp_path / "档案", unit=UNIT, unit_type="公有制企业")
    a.settings.extra["inbox"] = {"keywords": {"A-3": {"嘉陵杯": 5, "x": 3, "坏权重": "很高"}, "Z-9": {"词": 1}}}
    try:
        table = load_table(a)
        assert ("A-3", 5.0) in table.words["嘉陵杯"].weights
        assert "x" not in table.words
        assert any("Z-9" in n for n in table.notes) and any("坏权重" in n for n in table.notes)
    finally:
        a.close()


def test_confidence_is_low_on_thin_evidence_and_ranks_top_three() -> None:
    s = classify.Scores()
    s.add("B-1", 1.0, "一点迹象")
    thin = classify.rank(s)
    assert thin[0].code == "B-1" and thin[0].confidence < 0.3
    s.add("B-1", 20.0, "很多迹象")
    s.add("F-6", 6.0, "a")
    s.add("A-1", 3.0, "b")
    s.add("C-1", 1.0, "c")
    top = classify.rank(s)
    assert [p.code for p in top] == ["B-1", "F-6", "A-1"] and top[0].confidence > 0.9
    assert classify.rank(classify.Scores()) == []


# ---------------------------------------------------------------- dates and titles


@pytest.mark.parametrize("text, expected, how", [
    ("通知\n内容\n工会\n2021年5月12日", date(2021, 5, 12), "落款"),
    ("通知\n内容\n工会\n二〇二一年五月十二日", date(2021, 5, 12), "落款"),
    ("通知\n内容\n工会\n二○二○年十二月三十一日印发", date(2020, 12, 31), "落款"),
    ("纪要\n会议时间：2021.5.12 上午\n内容 2019年3月1日", date(2021, 5, 12), "标注"),
    ("通报\n2019年3月4日，我们……", date(2019, 3, 4), "正文"),
    ("表\n2021-03-01 甲\n2021-04-02 乙\n2021-05-03 丙\n合计", None, ""),  # a register: rows, not its date
    ("规章\n依据1994年7月5日的法律 和 12021.1.1 编号", date(1994, 7, 5), "正文"),
    ("通知\n内容\n工会\n2021.5.12", date(2021, 5, 12), "落款"),
    ("通知\n内容\n工会\n２０２１年５月１２日", date(2021, 5, 12), "落款"),
    ("批复\n内容\n二〇二一年十月三十日", date(2021, 10, 30), "落款"),
])
def test_document_dates(text: str, expected: date | None, how: str) -> None:
    found = dates.document_date(text, today=date(2024, 1, 1))
    assert (found.date, found.how) == (expected, how) if expected else found is None


def test_days_a_document_names() -> None:
    """Full dates, and 月日 without a year in the document's own year (an event's day)."""
    text = "定于10月23日（星期六）举办，11月1日前报名；去年2020年12月5日曾举办。二〇二一年十月八日"
    assert dates.mentioned_days(text, 2021, today=date(2024, 1, 1)) == {
        date(2021, 10, 23), date(2021, 11, 1), date(2020, 12, 5), date(2021, 10, 8)}
    assert dates.mentioned_days("定于10月23日举办", None) == set()  # no year known: no guess
    assert dates.mentioned_days("13月40日", 2021) == set()


def test_dates_in_file_names() -> None:
    assert dates.name_date("20210512通知") == date(2021, 5, 12)
    assert dates.name_date("CamScanner 05-12-2021 10.23") == date(2021, 5, 12)
    assert dates.name_date("微信图片_20201012093011") == date(2020, 10, 12)
    assert dates.name_date("IMG_1234") is None


@pytest.mark.parametrize("text, title", [
    ("重庆某某公司工会文件\n渝某工〔2021〕3号\n━━━━\n关于表彰先进的决定\n各分工会：", "关于表彰先进的决定"),
    ("重庆市总工会\n渝工发〔2021〕3号\n关于同意换届的批复\n你会：", "关于同意换届的批复"),
    ("工会工作简报\n2021年第2期\n本期要闻", "工会工作简报（2021年第2期）"),
    ("从学徒工到工程师——张三事迹\n他高中毕业进厂当学徒，工作之余坚持自学，先后通过自学考试", "从学徒工到工程师——张三事迹"),
    ("序号 姓名 部门 金额\n1 张三 车间 200", ""),
    ("各部门：\n现将有关事项通知如下。", ""),
])
def test_headings(text: str, title: str) -> None:
    assert titles.heading(text) == title


def test_names_that_are_titles_and_names_that_are_not() -> None:
    assert titles.from_name("20210512职代会通知 - 副本") == "职代会通知"
    assert titles.from_name("3.困难职工台账(1)") == "困难职工台账"
    for junk in ("IMG_20210512_093011", "微信图片_20210512", "新建 Microsoft Word 文档 (2)", "扫描全能王 2021-05-13 10.21",
                 "zhidaihui_tongzhi", "Scan_0012", "文档1"):
        assert titles.from_name(junk) == "", junk


# ---------------------------------------------------------------- flags


def test_flags(arch, tmp_path: Path) -> None:
    from PIL import Image
    from pypdf import PdfWriter

    root = tmp_path / "堆"
    filed = make_text(tmp_path / "旧" / "预算.txt", "2020年经费预算\n")
    filing.file_document(arch, [filed], filing.Draft(code="F-5", date=date(2020, 1, 1)))
    make_text(root / "预算.txt", "2020年经费预算\n")  # already filed, same name
    make_text(root / "改名了.txt", "2020年经费预算\n")  # the same content under another name
    make_text(root / "a.txt", "关于送温暖的通知\n")
    make_text(root / "副本" / "a.txt", "关于送温暖的通知\n")  # the same file twice in the pile
    (root / "空.docx").write_bytes(b"")
    (root / "程序.exe").write_bytes(b"MZ\x90\x00" + bytes(200))
    Image.new("RGB", (400, 300), "white").save(root / "扫描件.pdf", "PDF")
    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    writer.encrypt("密码")
    with open(root / "加密.pdf", "wb") as fh:
        writer.write(fh)
    make_jpeg(root / "微信文件" / "IMG_0002.jpg", color=(3, 3, 3))
    files, _ = _propose(arch, root)
    no = filing.list_records(arch)[0].archive_no
    assert files["预算.txt"].flags == ("already_filed",) and files["预算.txt"].duplicate_of == no
    assert files["改名了.txt"].flags == ("duplicate",) and files["改名了.txt"].duplicate_of == no
    assert files["副本/a.txt"].flags == ("duplicate",) and files["副本/a.txt"].duplicate_of == "a.txt"
    assert files["a.txt"].flags == ()
    assert "unreadable" in files["空.docx"].flags and "0 字节" in files["空.docx"].notes[0]
    assert files["程序.exe"].flags == ("not_a_document",)
    assert "image_only_pdf" in files["扫描件.pdf"].flags
    assert "encrypted" in files["加密.pdf"].flags
    assert files["微信文件/IMG_0002.jpg"].flags == ("photo_without_date",)
    assert all(not f.fileable for f in (files["预算.txt"], files["改名了.txt"], files["空.docx"], files["加密.pdf"]))


def test_linked_scoresheet_items_follow_the_mapping(arch, tmp_path: Path) -> None:
    make_text(tmp_path / "堆" / "x.txt", "2021年工会经费收支预算表\n会费\n")
    files, _ = _propose(arch, tmp_path / "堆")
    f = files["x.txt"]
    assert f.code == "F-5" and 5 in f.items  # mapping.toml: item 5 of the 公有制企业 sheet is proved by F-5


# ---------------------------------------------------------------- the command


def test_inbox_json_shape_and_zip_paths(arch, tmp_path: Path) -> None:
    root = tmp_path / "堆"
    make_text(root / "2021职代会" / "通知.txt", "关于召开职工代表大会的通知\n")
    zpath = root / "微信文件" / "资料.zip"
    zpath.parent.mkdir(parents=True)
    with zipfile.ZipFile(zpath, "w") as zf:
        zf.writestr("送温暖/慰问名单.txt", "春节慰问困难职工名单\n".encode())
        zf.writestr("../evil.txt", b"x")
    arch.close()
    r = CliRunner().invoke(main, ["--archive", str(arch.root), "inbox", str(root), "--json"])
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    items = {i["path"]: i for i in data["items"]}
    assert set(items) == {"2021职代会/通知.txt", "微信文件/资料.zip!送温暖/慰问名单.txt", "微信文件/资料.zip!../evil.txt"}
    for item in items.values():
        assert {"path", "proposals", "title", "date", "flags"} <= set(item)
    notice = items["2021职代会/通知.txt"]
    assert notice["proposals"][0]["code"] == "B-1" and 0 < notice["proposals"][0]["confidence"] <= 1
    assert notice["proposals"][0]["reasons"] and len(notice["proposals"]) <= 3
    assert items["微信文件/资料.zip!送温暖/慰问名单.txt"]["proposals"][0]["code"] == "C-4"
    assert items["微信文件/资料.zip!../evil.txt"]["flags"] == ["refused"]
    single = CliRunner().invoke(main, ["--archive", str(arch.root), "inbox", str(zpath), "--json"])
    assert {i["path"] for i in json.loads(single.stdout)["items"]} == {"资料.zip!送温暖/慰问名单.txt", "资料.zip!../evil.txt"}
    text = CliRunner().invoke(main, ["--archive", str(arch.root), "inbox", str(root)])
    assert "目录  B-1" in text.output and "未解压" in text.output and "共 3 个文件" in text.output


def test_keyword_table_is_checked_like_the_rest_of_the_catalogue(tmp_path: Path) -> None:
    import shutil

    from jiaarchive import standards
    from jiaarchive.inbox.keywords import check

    folder = tmp_path / "catalog"
    shutil.copytree(standards.catalog_dir(), folder)
    catalogue = standards.load(folder).catalogue
    assert check(catalogue, folder) == []  # the shipped table is clean
    path = folder / "keywords.toml"
    text = path.read_text(encoding="utf-8")
    text = text.replace('code = "A-2"', 'code = "Z-9"').replace('"劳动竞赛" = 5', '"劳动竞赛" = 50', 1)
    text = text.replace('"安康杯" = 5', '"安康杯" = 5, "x" = 1', 1)
    path.write_text(text, encoding="utf-8")
    problems = "\n".join(f"{w}：{m}" for w, m in check(catalogue, folder))
    assert "“Z-9”不在目录中" in problems and "权重 50 无效" in problems and "关键词“x”无效" in problems
    assert "没有关键词" in problems and "A-2" in problems
