"""Search: Chinese analysis, identifiers, synonyms, the index following every change,
crash and concurrency safety, rebuild equivalence, and the known-item query set."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import tomllib
from pathlib import Path

import pytest

from jiaarchive.errors import CatalogInvalid, IndexDamaged, JiaError
from jiaarchive.search import (SearchDoc, SearchFile, SearchIndex, clear_pending, load_synonyms,
                               mark_behind, parse_query, pending)
from jiaarchive.search import analyzer as an

REPO = Path(__file__).resolve().parents[1]


def doc(rid: int, text: str = "", *, title: str = "题名", code: str = "A-1", year: int | None = 2021,
        archive_no: str | None = None, doc_no: str = "", trashed: bool = False, version: str = "1",
        items=(), kinds=("文本",), files=None, tags=()) -> SearchDoc:
    files = files if files is not None else (SearchFile(rid * 10, f"{code[0]}/{rid}.txt", text),)
    return SearchDoc(record_id=rid, archive_no=archive_no or f"{code}·{year}-D30-{rid:04d}",
                     code=code, volume=code[0], year=year, date=f"{year}-05-01" if year else None,
                     title=title, doc_no=doc_no, items=tuple(items), kinds=tuple(kinds),
                     trashed=trashed, files=files, version=version, tags=tuple(tags))


def ids(result) -> list[int]:
    return sorted(h.record_id for h in result.hits)


# -- analyzer -----------------------------------------------------------------------------

def test_two_character_words_are_single_tokens():
    toks = dict(an.tokens("会费和年假"))
    assert "会费" in toks and "年假" in toks


def test_tokens_never_join_across_punctuation():
    toks = [t for t, _ in an.tokens("职工，代表大会")]
    assert "工代" not in toks


def test_digits_bind_to_the_adjacent_chinese_character():
    assert an.query_tokens("28号") == [("28号", 0)]
    assert "28号" not in [t for t, _ in an.tokens("渝工组〔2008〕128号")]


def test_identifier_parts():
    parts = an.id_parts("A-1·2021-D30-0003")
    assert {"a-1", "d30-0003", "a-1-2021-d30-0003"} <= set(parts)
    assert "a-12" not in parts
    assert an.id_key("〔2008〕28号") in an.id_parts("渝工组〔2008〕28号")


def test_words_found_inside_longer_words_and_no_false_split(ix):
    ix.upsert([doc(1, "召开职工代表大会审议工会经费"), doc(2, "职工，代表大会另议"),
               doc(3, "会费收缴与年假安排")])
    assert ids(ix.search("代表大会")) == [1, 2]
    assert ids(ix.search("职工代表大会")) == [1]  # never across the comma
    assert ids(ix.search("会费")) == [3]
    assert ids(ix.search("经费")) == [1]
    assert ids(ix.search("会")) == [1, 2, 3]  # one character
    assert ids(ix.search('"工会经费"')) == [1]


def test_a_query_of_only_punctuation_is_empty_not_an_error(ix):
    ix.upsert([doc(1, "文本")])
    assert ix.search("，。、").total == 0
    assert ix.search("").total == 0


# -- identifiers --------------------------------------------------------------------------

@pytest.fixture
def id_index(ix):
    ix.upsert([
        doc(1, "甲", code="A-1", archive_no="A-1·2021-D30-0003", doc_no="渝工组〔2008〕28号"),
        doc(2, "乙", code="A-12", archive_no="A-12·2021-D30-0004", doc_no="渝工组〔2008〕128号"),
        doc(3, "依据渝工组〔2008〕28号文件执行", code="B-1", archive_no="B-1·2020-D10-0001", year=2020),
    ])
    return ix


@pytest.mark.parametrize("query,expected", [
    ("A-1", [1]), ("a-1", [1]), ("A-12", [2]), ("A-1·2021-D30-0003", [1]), ("D30-0003", [1]),
    ("渝工组〔2008〕28号", [1, 3]), ("〔2008〕28号", [1, 3]), ("28号", [1, 3]), ("128号", [2]),
    ("渝工组[2008]28号", [1, 3]), ("文号:28号", [1]), ("档号:D10-0001", [3]),
    ("code:A-1", [1]), ("code:A", [1, 2]), ("year:2020", [3]), ("year:2020..2021", [1, 2, 3]),
])
def test_identifiers_whole_by_parts_and_only_they(id_index, query, expected):
    assert ids(id_index.search(query)) == expected


def test_former_archive_numbers_are_found(ix):
    d = doc(1, "x", archive_no="F-4·2020-Y-0007")
    d = SearchDoc(**{**d.__dict__, "former_archive_nos": ("F-4·2020-D10-0002",)})
    ix.upsert([d])
    assert ids(ix.search("F-4·2020-D10-0002")) == [1]


# -- query language -----------------------------------------------------------------------

def test_parse_query_grammar():
    pq = parse_query('工会 "职工 代表" 年假 OR 年休假 -草稿 code:A-1 year:2020..2021 文号：28号 foo:bar')
    texts = [[t.text for t in g] for g in pq.groups]
    assert texts == [["工会"], ["职工 代表"], ["年假", "年休假"], ["A-1"], ["2020..2021"], ["28号"],
                     ["foo:bar"]]
    assert [t.text for t in pq.negated] == ["草稿"]
    assert pq.groups[3][0].field == "code" and pq.groups[5][0].field == "doc_no"
    assert "或" in pq.describe() and "不含" in pq.describe()


def test_and_or_not_and_filters(ix):
    ix.upsert([doc(1, "工会经费 草稿", code="A-1", items=(3,), kinds=("照片",)),
               doc(2, "工会经费 定稿", code="B-2", year=2019),
               doc(3, "劳动竞赛", code="A-2")])
    assert ids(ix.search("工会经费 -草稿")) == [2]
    assert ids(ix.search("劳动竞赛 OR 草稿")) == [1, 3]
    assert ids(ix.search("工会 经费")) == [1, 2]
    assert ids(ix.search("工会经费", code="B-2")) == [2]
    assert ids(ix.search("工会经费", years=(2019, 2019))) == [2]
    assert ids(ix.search("工会经费", item=3)) == [1]
    assert ids(ix.search("工会经费", kind="照片")) == [1]
    assert ids(ix.search("item:3")) == [1]


def test_ranking_title_over_body_and_json_shape(ix):
    ix.upsert([doc(1, "正文提到劳动竞赛一次。" + "其他内容。" * 50, title="年度总结"),
               doc(2, "正文内容。", title="劳动竞赛方案")])
    r = ix.search("劳动竞赛")
    assert [h.record_id for h in r.hits] == [2, 1]
    out = r.to_json()
    assert set(out) == {"total", "hits", "facets"}
    assert set(out["hits"][0]) == {"archive_no", "code", "title", "date", "score", "snippet", "path"}
    assert out["facets"] == {"volume": {"A": 2}, "year": {"2021": 2}}
    hit = r.hits[1]
    assert "【劳动竞赛】" in hit.snippet and hit.path == "A/1.txt"
    a, b = hit.spans[0]
    assert hit.snippet_text[a:b] == "劳动竞赛"
    json.dumps(out, ensure_ascii=False)


def test_top_hits_order_ties_by_record_and_respect_the_limit():
    import numpy as np

    from jiaarchive.search._exec import top

    nums = np.array([7, 3, 9, 1, 5], dtype=np.int64)
    scores = np.array([1.0, 2.0, 1.0, 2.0, 0.5])
    assert top(nums, scores, 3) == [(2.0, 1), (2.0, 3), (1.0, 7)]
    assert top(nums, scores, 10) == [(2.0, 1), (2.0, 3), (1.0, 7), (1.0, 9), (0.5, 5)]
    assert top(nums, scores, 0) == [] and top(nums[:0], scores[:0], 5) == []


def test_query_words_in_different_files_of_one_record(ix):
    ix.upsert([doc(1, files=(SearchFile(1, "A/a.txt", "会员代表大会"), SearchFile(2, "A/b.txt", "经费审查")))])
    r = ix.search("会员代表大会 经费审查")
    assert ids(r) == [1]
    assert ix.search('"代表大会经费"').total == 0  # a phrase never joins two files


# -- synonyms -----------------------------------------------------------------------------

def test_synonym_table_loads_and_unions():
    syn = load_synonyms()
    assert "年休假" in syn["年假"]
    assert "职工代表大会" in syn["职代会"] and "教职工代表大会" in syn["职代会"]
    assert "经费审查委员会" in syn["经审会"]
    assert "劳动模范" in syn["劳模"]
    assert "帮扶" in syn["困难职工"]


@pytest.mark.parametrize("query,text", [
    ("年假", "落实带薪年休假制度"), ("职代会", "召开教职工代表大会"), ("教代会", "职工代表大会决议"),
    ("经审会", "经费审查委员会工作报告"), ("女职委", "女职工委员会换届"), ("劳模", "表彰劳动模范"),
    ("校务公开", "推行厂务公开"), ("帮扶", "慰问困难职工"), ("工代会", "会员代表大会"),
    ("劳动模范", "劳模座谈会"), ("职代会决议", "职工代表大会决议"),
])
def test_synonyms_and_abbreviations(ix, query, text):
    ix.upsert([doc(1, text), doc(2, "无关内容")])
    assert ids(ix.search(query)) == [1]


def test_edited_table_takes_effect_and_bad_table_is_a_clear_error(ix, tmp_path):
    p = tmp_path / "synonyms.toml"
    p.write_text('[[group]]\nwords = ["职工书屋", "读书角"]\n', encoding="utf-8")
    ix.upsert([doc(1, "建设读书角")])
    assert ids(ix.search("职工书屋", synonyms=load_synonyms(p))) == [1]
    p.write_text("[[group]]\nwords = 3\n", encoding="utf-8")
    with pytest.raises(CatalogInvalid, match="同义词表"):
        load_synonyms(p)


def _without_concepts(monkeypatch, path):
    """An index built as if the synonym table were empty (every group searched by expansion)."""
    import jiaarchive.search.synonyms as synmod

    with monkeypatch.context() as m:
        m.setattr(synmod, "load_synonym_groups", lambda *a, **k: ())
        return SearchIndex.open(path)


def test_concept_tokens_find_exactly_what_expansion_finds(ix, tmp_path, monkeypatch):
    """Every word of the table, searched through the index's concept tokens, gives the same
    totals and records as the same search expanded into phrases."""
    import random

    from jiaarchive.search.synonyms import load_synonym_groups

    groups = load_synonym_groups()
    words = [w for g in groups for w in g]
    # Variants in several spellings (full-width brackets, spaces, inside longer runs) and
    # near misses (split by punctuation, one character short).
    rnd = random.Random(5)
    fillers = ["召开", "关于", "工作", "，", "。", " ", "年度", "（", "）", "A-1", "28号", "职工"]
    docs = []
    for i in range(1, 161):
        parts = []
        for _ in range(rnd.randint(1, 4)):
            w = rnd.choice(words)
            r = rnd.random()
            if r < 0.2:
                w = w.replace("(", "（").replace(")", "）")
            elif r < 0.3:
                w = w[:-1]
            elif r < 0.4 and len(w) > 2:
                w = w[:2] + "，" + w[2:]
            parts += [rnd.choice(fillers), w, rnd.choice(fillers)]
        docs.append(doc(i, "".join(parts), title="".join(rnd.sample(words, 1)) if i % 7 == 0 else "题名"))
    plain = _without_concepts(monkeypatch, tmp_path / "plain")
    try:
        assert not plain._fresh_searcher().reader().schema["body"].analyzer.concepts
        ix.upsert(docs)
        plain.upsert(docs)
        r = ix._fresh_searcher().reader()
        assert len(r.schema["body"].analyzer.concepts) == len(groups)
        used = 0
        for w in dict.fromkeys(words):
            a = ix.search(w, limit=200)
            b = plain.search(w, limit=200)
            assert (a.total, ids(a), a.facets) == (b.total, ids(b), b.facets), w
            used += a.total > 0
        assert used > len(groups)  # the comparison is not vacuous
    finally:
        plain.close()


def test_a_group_edited_after_the_rebuild_is_searched_by_expansion(ix, tmp_path):
    ix.upsert([doc(1, "建设职工书屋"), doc(2, "召开职工代表大会"), doc(3, "职工阅览室开放")])
    assert ids(ix.search("职代会")) == [2]  # a concept of the index's table
    p = tmp_path / "synonyms.toml"
    p.write_text('[[group]]\nwords = ["职代会", "职工代表大会", "职工阅览室"]\n', encoding="utf-8")
    edited = load_synonyms(p)
    assert ids(ix.search("职代会", synonyms=edited)) == [2, 3]
    assert ids(ix.search("职工代表大会", synonyms=edited)) == [2, 3]


def test_incremental_updates_use_the_groups_the_index_was_built_with(ix, monkeypatch):
    """Records filed after the table changed still get the index's own concept tokens."""
    import jiaarchive.search.synonyms as synmod

    ix.upsert([doc(1, "召开职工代表大会")])
    monkeypatch.setattr(synmod, "load_synonym_groups", lambda *a, **k: (("读书角", "职工书屋"),))
    ix.upsert([doc(2, "教代会决议")])
    assert ids(ix.search("职代会")) == [1, 2]
    r = ix._fresh_searcher().reader()
    concepts = r.schema["body"].analyzer.concepts
    tok = concepts.tokens_for("职代会", (w for g in concepts.groups if "职代会" in g for w in g))
    assert tok and r.doc_frequency("body", tok[0]) == 2


@pytest.mark.parametrize("text,query", [
    ("关于㆕德教育的通知", "四德教育的通知"),  # kanbun mark ㆕ (U+3195) is 四 under NFKC
    ("第〸条 用㆟单位", "第十条"),  # Hangzhou numeral 〸 (U+3038)
    ("第〸条 用㆟单位", "用人单位"),
    ("다나가ㄳ 노동조합", "다나갃"),  # compatibility jamo composes with the syllable before it
    ("会社ゟの通知", "会社よりの通知"),  # ゟ (U+309F) is より
    ("⼯会经费", "工会经费"),  # Kangxi radical ⼯ (U+2F2F)
    ("第〸条（职工（代表）大会）", "职工(代表)大会"),
])
def test_characters_nfkc_turns_into_cjk_are_found_by_what_they_normalise_to(ix, text, query):
    ix.upsert([doc(1, text), doc(2, "无关的内容")])
    assert ids(ix.search(query)) == [1]


def test_a_character_followed_by_very_many_others_is_still_found_everywhere(ix, monkeypatch):
    """Past MAX_EXPANSION tokens starting with it, a one-character query reads the texts."""
    import jiaarchive.search.query as query_mod

    monkeypatch.setattr(query_mod, "MAX_EXPANSION", 3)
    texts = ["我的书", "你的笔", "他的纸", "她的墨", "它的砚", "没有那个字", "的确"]
    ix.upsert([doc(i, t) for i, t in enumerate(texts, 1)] + [doc(8, "标题里有", title="目的")])
    assert ids(ix.search("的", limit=20)) == [1, 2, 3, 4, 5, 7, 8]
    assert ids(ix.search("的 书")) == [1]
    assert ids(ix.search("笔 OR 的确")) == [2, 7]
    monkeypatch.setattr(query_mod, "MAX_EXPANSION", 400)  # the same through the tokens
    assert ids(ix.search("的", limit=20)) == [1, 2, 3, 4, 5, 7, 8]
    ix.upsert([doc(9, "版本v2的说明"), doc(10, "v22版"), doc(11, "V2中文")])
    monkeypatch.setattr(query_mod, "MAX_EXPANSION", 0)
    assert ids(ix.search("v2", limit=20)) == [9, 11]  # a whole unit only: not v22


def test_text_store_pages_are_counted_whole_and_released_after_queries_without_hits(ix, monkeypatch):
    import jiaarchive.search.index as index_mod

    big = "劳动合，动合同。" * 20000  # ~480 KB: every bigram of 劳动合同 is there, the word is not
    ix.upsert([doc(1, big), doc(2, "劳动合同")])
    assert ids(ix.search("劳动合同")) == [2]
    assert ix._store.mapped() >= len(big.encode("utf-8"))  # the whole record, not its first piece
    resident = ix._store.resident()  # the map's true resident size, where the system says it
    assert resident is None or resident >= len(big.encode("utf-8")) // 2
    monkeypatch.setattr(index_mod, "RELEASE_BUDGET", 0)
    assert ix.search("合同劳动").total == 0
    assert ix._store.mapped() == 0 and ix._store.resident() in (None, 0)


def test_a_broken_synonym_table_does_not_keep_an_index_from_being_created(tmp_path, monkeypatch):
    import jiaarchive.search.synonyms as synmod

    (tmp_path / "cat").mkdir()
    (tmp_path / "cat" / "synonyms.toml").write_text("[[group]]\nwords = 3\n", encoding="utf-8")
    monkeypatch.setattr(synmod, "catalog_dir", lambda: tmp_path / "cat")
    index = SearchIndex.open(tmp_path / "index")
    try:
        index.upsert([doc(1, "工会经费")])
        assert index.tuning().concepts == 0
        with pytest.raises(CatalogInvalid, match="同义词表"):
            index.search("工会")  # the table's error is still said where it matters
        assert ids(index.search("工会", synonyms={})) == [1]
    finally:
        index.close()


# -- common words indexed whole (ngrams.py) ------------------------------------------------

def test_ngram_choice_needs_enough_records_and_a_share_of_them():
    from jiaarchive.search import ngrams

    few = ["劳动合同管理"] * (ngrams.MIN_SAMPLE - 1)
    assert ngrams.choose(few) == frozenset()
    texts = ["劳动合同管理"] * ngrams.MIN_SAMPLE + ["罕见词语"] * 2
    vocab = ngrams.choose(texts)
    assert {"劳动合", "动合同", "劳动合同", "合同管理"} <= vocab
    assert "罕见词" not in vocab  # in 2 of 202 records: cheap to check, not worth a token
    assert ngrams.in_word(vocab, "签订劳动合同") == ["动合同", "劳动合", "劳动合同"]


def _rebuilt(path, docs, *, vocab: bool):
    import jiaarchive.search.ngrams as ngmod

    index = SearchIndex.open(path)
    saved = ngmod.choose
    if not vocab:
        ngmod.choose = lambda texts: frozenset()
    try:
        index.rebuild(docs)
    finally:
        ngmod.choose = saved
    return index


def test_words_indexed_whole_find_exactly_what_phrase_checks_find(tmp_path):
    """Totals, records and facets are the same with and without n-gram tokens, for words in
    the n-gram set, longer words containing them, one character and mixed words."""
    import random

    rnd = random.Random(11)
    words = ["劳动合同", "集体合同", "女职工", "哺乳期", "民主管理", "工会经费", "试用期",
             "职工代表", "安全生产", "劳动争议", "休息休假", "工资集体协商", "用人单位", "第十条",
             "四德教育"]
    seps = ["", "", "", "，", "。", " ", "2021年", "A-1", "（", "）"]
    docs = []
    for i in range(1, 261):
        parts = []
        for _ in range(rnd.randint(2, 7)):
            w = rnd.choice(words)
            if rnd.random() < 0.25:  # a near miss: split or shortened
                k = rnd.randint(1, len(w) - 1)
                w = w[:k] + rnd.choice(["，", "", "的"]) + w[k + 1:]
            elif rnd.random() < 0.2:  # written with characters NFKC turns into these
                w = w.translate(str.maketrans({"人": "㆟", "十": "〸", "工": "⼯", "四": "㆕"}))
            parts += [w, rnd.choice(seps)]
        docs.append(doc(i, "".join(parts), year=2019 + i % 3,
                        title=rnd.choice(words) if i % 5 == 0 else "题名"))
    a = _rebuilt(tmp_path / "a", docs, vocab=True)
    b = _rebuilt(tmp_path / "b", docs, vocab=False)
    try:
        vocab = a._fresh_searcher().reader().schema["body"].analyzer.vocab
        assert {"劳动合同", "女职工", "哺乳期"} <= vocab
        assert not b._fresh_searcher().reader().schema["body"].analyzer.vocab
        queries = set(words) | {w[i:i + n] for w in words for n in (3, 4) for i in range(len(w) - n + 1)}
        queries |= {"会", "合", "2021年劳动合同", "劳动合同 -哺乳期", "女职工 OR 试用期",
                    "title:劳动合同", "合同管", "劳动合同2021", "\"职工代表\"", "工会经费 year:2020"}
        for q in sorted(queries):
            x, y = a.search(q, limit=300), b.search(q, limit=300)
            assert (x.total, ids(x), x.facets) == (y.total, ids(y), y.facets), q
        assert a.search("劳动合同").total > 20
    finally:
        a.close()
        b.close()


def test_records_filed_after_the_rebuild_get_the_indexs_ngrams(tmp_path):
    from jiaarchive.search import ngrams

    docs = [doc(i, "签订劳动合同") for i in range(1, ngrams.MIN_SAMPLE + 1)]
    ix = _rebuilt(tmp_path / "ix", docs, vocab=True)
    try:
        ix.upsert([doc(9001, "续订劳动合同的通知"), doc(9002, "劳动，合同")])
        r = ix._fresh_searcher()
        assert sum(sub.reader().doc_frequency("body", "劳动合同")
                   for sub, _ in r.leaf_searchers()) == ngrams.MIN_SAMPLE + 1
        assert ix.search("劳动合同").total == ngrams.MIN_SAMPLE + 1
        assert 9002 not in ids(ix.search("劳动合同", limit=500))
    finally:
        ix.close()


# -- the index follows every change ---------------------------------------------------------

def test_index_follows_add_edit_rm_restore_and_delete(ix):
    ix.upsert([doc(1, "第一版 劳动竞赛")])
    assert ids(ix.search("劳动竞赛")) == [1]
    ix.upsert([doc(1, "第二版 技能培训", version="2")])  # edit
    assert ix.search("劳动竞赛").total == 0 and ids(ix.search("技能培训")) == [1]
    ix.upsert([doc(1, "第二版 技能培训", trashed=True, version="3")])  # rm: to 回收站
    assert ix.search("技能培训").total == 0
    assert ids(ix.search("技能培训", include_trashed=True)) == [1]
    ix.upsert([doc(1, "第二版 技能培训", version="4")])  # restore
    assert ids(ix.search("技能培训")) == [1]
    ix.delete([1])  # purged for good
    assert ix.search("技能培训", include_trashed=True).total == 0
    assert ix.versions() == {}


def test_check_lists_missing_stale_and_orphans(ix):
    ix.upsert([doc(1, "甲"), doc(2, "乙"), doc(3, "丙")])
    c = ix.check({1: "1", 2: "2", 4: "1"})
    assert (c.missing, c.stale, c.orphans, c.ok) == ([4], [2], [3], False)
    assert ix.check({1: "1", 2: "1", 3: "1"}).ok


def test_failed_update_marks_behind_and_catch_up_finishes(ix, monkeypatch):
    def boom(docs):
        raise OSError("disk full")
    monkeypatch.setattr(ix, "upsert", boom)
    assert ix.apply(upserts=[doc(7, "待补索引")]) is False
    assert pending(ix.dir) == {7}
    monkeypatch.undo()
    db = {7: doc(7, "待补索引")}
    assert ix.catch_up(lambda wanted: [db[i] for i in wanted if i in db]) == 1
    assert ids(ix.search("待补索引")) == [7] and pending(ix.dir) == set()


def test_pending_marks_add_and_clear(tmp_path):
    mark_behind(tmp_path, [1, 2])
    mark_behind(tmp_path, [3])
    assert pending(tmp_path) == {1, 2, 3}
    clear_pending(tmp_path, [2])
    assert pending(tmp_path) == {1, 3}
    clear_pending(tmp_path)
    assert pending(tmp_path) == set()


CHILD_PRELUDE = textwrap.dedent("""
    import os, sys
    sys.path.insert(0, {repo!r})
    from jiaarchive.search import SearchIndex, SearchDoc, SearchFile, mark_behind
    def doc(rid, text):
        return SearchDoc(record_id=rid, archive_no=f"A-1·2021-D30-{{rid:04d}}", code="A-1", volume="A",
                         year=2021, date=None, title="t", files=(SearchFile(rid, "A/x.txt", text),),
                         version="1")
""")


def run_child(code: str, *args: str) -> subprocess.Popen:
    src = CHILD_PRELUDE.format(repo=str(REPO)) + textwrap.dedent(code)
    return subprocess.Popen([sys.executable, "-c", src, *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def test_crash_between_filing_and_indexing_is_caught_up(tmp_path):
    SearchIndex.open(tmp_path / "index").close()
    # The filing process marks the record behind, then dies before indexing it.
    p = run_child("""
        mark_behind(sys.argv[1], [42])
        os._exit(3)
    """, str(tmp_path / "index"))
    p.wait(timeout=60)
    assert p.returncode == 3
    ix = SearchIndex.open(tmp_path / "index")
    assert ix.search("补上的记录").total == 0
    assert pending(ix.dir) == {42}
    ix.catch_up(lambda wanted: [doc(42, "补上的记录")])
    assert ids(ix.search("补上的记录")) == [42]
    ix.close()


def test_two_writer_processes_lose_no_update(tmp_path):
    SearchIndex.open(tmp_path / "index").close()
    code = """
        ix = SearchIndex.open(sys.argv[1])
        base = int(sys.argv[2])
        for i in range(base, base + 15):
            ix.upsert([doc(i, "并发写入测试")])
        print("done")
    """
    procs = [run_child(code, str(tmp_path / "index"), str(base)) for base in (1000, 2000)]
    for p in procs:
        out, err = p.communicate(timeout=120)
        assert p.returncode == 0, err
    ix = SearchIndex.open(tmp_path / "index")
    r = ix.search("并发写入测试", limit=100)
    assert r.total == 30
    assert set(ix.versions()) == set(range(1000, 1015)) | set(range(2000, 2015))
    ix.close()


def test_a_held_lock_times_out_with_a_clear_error(tmp_path):
    from jiaarchive.search.index import IndexBusy

    ix = SearchIndex.open(tmp_path / "index", lock_timeout=0.3)
    holder = ix._ix.writer()
    try:
        with pytest.raises(IndexBusy, match="写入"):
            ix.upsert([doc(1, "锁")])
    finally:
        holder.cancel()
    ix.upsert([doc(1, "锁")])
    assert ids(ix.search("锁")) == [1]


def test_rebuild_gives_the_same_results_as_incremental(tmp_path):
    texts = ["工会经费审查", "职工代表大会决议", "劳动竞赛方案", "困难职工帮扶", "年休假安排",
             "渝工组〔2008〕28号", "厂务公开栏", "会员会籍档案"]
    docs = [doc(i + 1, t * (i + 1), code=f"{'ABCDEF'[i % 6]}-{i % 4 + 1}", year=2018 + i % 4)
            for i, t in enumerate(texts)]
    inc = SearchIndex.open(tmp_path / "inc")
    for d in docs:
        inc.upsert([d])
    inc.upsert([doc(3, "改过的劳动竞赛方案", code="C-3", year=2020, version="2")])
    final = [d if d.record_id != 3 else doc(3, "改过的劳动竞赛方案", code="C-3", year=2020, version="2")
             for d in docs]
    reb = SearchIndex.open(tmp_path / "reb")
    seen = []
    reb.rebuild(iter(final), progress=lambda n, total: seen.append((n, total)), total=len(final))
    assert seen[-1] == (len(final), len(final))
    assert [n for n, _ in seen] == list(range(1, len(final) + 1))  # once per record, in order
    # Scores may differ slightly (deleted versions still count in Whoosh's statistics
    # until segments merge); what is found, and where, must not.
    for q in ["工会", "职代会", "劳动竞赛", "帮扶", "年假", "28号", "code:A", "year:2019", "会", "A-1"]:
        a, b = inc.search(q), reb.search(q)
        assert ids(a) == ids(b), q
        assert (a.total, a.facets) == (b.total, b.facets), q
        assert {h.record_id: (h.path, h.snippet) for h in a.hits} == \
               {h.record_id: (h.path, h.snippet) for h in b.hits}, q
    assert inc.versions() == reb.versions()


def test_parallel_rebuild_gives_the_same_results_as_a_serial_one(tmp_path, monkeypatch):
    import jiaarchive.search.index as index_mod

    words = ["工会经费审查", "职工代表大会", "劳动竞赛", "困难职工帮扶", "年休假", "厂务公开",
             "２０２１年", "职工（代表）大会"]
    docs = [doc(i + 1, "，".join(words[j % len(words)] for j in range(i, i + 3 + i % 5)),
                code=f"{'ABCDEF'[i % 6]}-{i % 4 + 1}", year=2018 + i % 4) for i in range(130)]
    serial = SearchIndex.open(tmp_path / "serial")
    serial.rebuild(docs)
    monkeypatch.setattr(index_mod, "MP_MIN_DOCS", 1)
    monkeypatch.setattr(index_mod, "MP_BATCH", 20)
    assert index_mod._rebuild_procs(len(docs)) >= 1
    par = SearchIndex.open(tmp_path / "par")
    par.rebuild(iter(docs), total=len(docs))
    for q in ["工会", "职代会", "劳动竞赛", "帮扶", "年假", "2021年", "职工（代表）大会", "code:A",
              "year:2019", "会"]:
        a, b = serial.search(q, limit=200), par.search(q, limit=200)
        assert a.total > 0, q
        assert ids(a) == ids(b), q
        assert (a.total, a.facets) == (b.total, b.facets), q
        assert {h.record_id: h.snippet for h in a.hits} == {h.record_id: h.snippet for h in b.hits}, q
    assert serial.versions() == par.versions()
    assert par.check(serial.versions()).ok
    par.upsert([doc(5, "改过的劳动竞赛方案", version="2")])
    par.delete([6])
    assert ids(par.search("改过")) == [5] and 6 not in ids(par.search("工会", limit=200))
    serial.close()
    par.close()


def test_a_failing_parallel_rebuild_leaves_the_old_index_and_no_process(tmp_path, monkeypatch):
    import multiprocessing

    import jiaarchive.search.index as index_mod

    monkeypatch.setattr(index_mod, "MP_MIN_DOCS", 1)
    monkeypatch.setattr(index_mod, "MP_BATCH", 5)
    ix = SearchIndex.open(tmp_path / "index")
    ix.rebuild([doc(1, "工会经费")])
    gens = sorted((tmp_path / "index").glob("gen-*"))

    def docs():
        for i in range(2, 40):
            yield doc(i, "职工代表大会")
        raise RuntimeError("读取中断")
    with pytest.raises(RuntimeError):
        ix.rebuild(docs())
    assert multiprocessing.active_children() == []
    assert ids(ix.search("工会")) == [1] and ix.search("职代会").total == 0
    assert sorted((tmp_path / "index").glob("gen-*")) == gens
    ix.close()


def test_rebuild_swaps_generations_and_other_handles_follow(tmp_path):
    a = SearchIndex.open(tmp_path / "index")
    a.upsert([doc(1, "旧内容")])
    b = SearchIndex.open(tmp_path / "index")
    assert ids(b.search("旧内容")) == [1]
    a.rebuild([doc(2, "新内容")])
    assert b.search("旧内容").total == 0 and ids(b.search("新内容")) == [2]
    b.upsert([doc(3, "新内容")])  # a writer that opened the old generation writes to the new one
    assert ids(a.search("新内容")) == [2, 3]


# -- damage -------------------------------------------------------------------------------

def test_damaged_index_gives_a_clear_message(tmp_path):
    ix = SearchIndex.open(tmp_path / "index")
    ix.upsert([doc(1, "内容")])
    gen = ix._gen
    ix.close()
    for f in (tmp_path / "index" / gen).iterdir():
        if f.suffix in (".seg", ".toc") or f.name.startswith("_"):
            f.write_bytes(b"\x00garbage")
    with pytest.raises(IndexDamaged, match="index rebuild"):
        SearchIndex.open(tmp_path / "index").search("内容")
    (tmp_path / "index" / "CURRENT").write_text("{not json", encoding="utf-8")
    with pytest.raises(IndexDamaged, match="CURRENT"):
        SearchIndex.open(tmp_path / "index")
    with pytest.raises(IndexDamaged, match="不存在"):
        SearchIndex.open(tmp_path / "nothing", create=False)
    assert issubclass(IndexDamaged, JiaError)


def test_rebuild_repairs_a_damaged_index(tmp_path):
    (tmp_path / "index").mkdir()
    (tmp_path / "index" / "CURRENT").write_text('{"gen": "gen-000001", "schema": 1}')
    with pytest.raises(IndexDamaged):
        SearchIndex.open(tmp_path / "index")
    ix = SearchIndex(tmp_path / "index")  # the unopened handle `index rebuild` uses
    ix.rebuild([doc(1, "修复")])
    assert ids(SearchIndex.open(tmp_path / "index").search("修复")) == [1]


# -- lazy imports -------------------------------------------------------------------------

def test_importing_search_does_not_import_whoosh():
    out = subprocess.run([sys.executable, "-c",
                          "import sys; import jiaarchive.search; print('whoosh' in sys.modules)"],
                         capture_output=True, text=True, cwd=REPO, check=True)
    assert out.stdout.strip() == "False"


# -- the known-item query set over the real corpus ------------------------------------------

@pytest.mark.corpus
def test_known_item_recall_at_10(corpus_dir, tmp_path):
    sys.path.insert(0, str(REPO / "bench"))
    try:
        import search_bench as sb
    finally:
        sys.path.pop(0)
    spec = tomllib.loads((REPO / "tests" / "search_queries.toml").read_text(encoding="utf-8"))
    assert len(spec["query"]) >= 40
    docs, names = sb.corpus_records(spec)
    ix = SearchIndex.open(tmp_path / "index")
    ix.rebuild(docs)
    r, confusions, fails = sb.recall(
        lambda q: [h.record_id for h in ix.search(q, limit=10).hits], spec["query"], names)
    assert r >= 0.95, fails
    assert confusions == 0, fails


# -- phrase checks on the stored text agree with token offsets ---------------------------------

def _offset_phrase_matches(word: str, text: str) -> bool:
    """The definition: the query's tokens at their offsets from one start, in the text's tokens."""
    plan = an.query_tokens(word)
    poses: dict[str, set[int]] = {}
    for t, p in an.tokens(text):
        poses.setdefault(t, set()).add(p)
    starts = None
    for tok, off in plan:
        s = {p - off for p in poses.get(tok, ())}
        starts = s if starts is None else starts & s
    return bool(starts)


def test_phrase_needle_means_the_same_as_token_offsets():
    import random

    from jiaarchive.search._store import POS, contains, encode_entry

    rnd = random.Random(5)
    alphabet = ["职", "工", "代", "表", "大", "会", "A", "a", "1", "12", "28", "号", "-", "，", " ",
                "\n", "Ｄ", "３", "〔", "〕", "⼯", "Ａ", "①", "か", "\u3099", "e", "\u0301",
                "（", "）", "Ä", "ẞ", "·", "\U00020001"]  # ⼯ is a Kangxi radical: NFKC makes it 工
    words = ["职工代表大会", "代表", "工会", "A-1", "28号", "职工 代表", "会 工", "a1", "号28",
             "d3", "大会-A", "12号", "职工（代表）大会", "代表（大会", "大会 工"]
    checked = 0
    for _ in range(800):
        text = "".join(rnd.choice(alphabet + words) for _ in range(rnd.randint(1, 30)))
        data, lens = encode_entry("", "", [text])
        tpos = POS.pack(0, *lens)
        for w in words:
            plan = an.query_tokens(w)
            if not isinstance(plan, list) or len(plan) < 2:
                continue
            expected = _offset_phrase_matches(w, text)
            assert contains(data, tpos, "body", an.phrase_needle(w)) == expected, (w, text)
            checked += expected
    assert checked > 20  # the generator does produce matches


def test_records_with_several_segments_and_deletions_are_searched_exactly(ix):
    ix.upsert([doc(i, "职工代表大会" if i % 2 else "职工，代表大会") for i in range(1, 21)])
    ix.upsert([doc(i, "职工代表大会") for i in range(21, 31)])  # a second segment
    ix.upsert([doc(3, "改过：职工 代表", version="2")])  # replaces a record of the first
    ix.delete([5])
    r = ix.search("职工代表大会", limit=100)
    expected = {i for i in range(1, 21) if i % 2 and i not in (3, 5)} | set(range(21, 31))
    assert ids(r) == sorted(expected) and r.total == len(expected)
    assert ids(ix.search('"职工 代表"', limit=100)) == sorted([3, *range(2, 21, 2)])
    assert r.facets == {"volume": {"A": len(expected)}, "year": {"2021": len(expected)}}


def test_rebuild_from_a_worker_thread_stays_in_one_process() -> None:
    """The TUI rebuilds in a thread; forking sub-processes from there is not safe."""
    import threading

    from jiaarchive.search.index import _rebuild_procs

    seen = []
    t = threading.Thread(target=lambda: seen.append(_rebuild_procs(None)))
    t.start()
    t.join()
    assert seen == [1]
