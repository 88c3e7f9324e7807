"""What each catalogue entry is about, in the words of the standards (条目说明): a second opinion
for the inbox that does not depend on the keyword table.

An entry's profile is built from data in ``catalog/`` only: the entry's own title and note
(渝工组〔2008〕28号), its volume's title, and every scoresheet item and 模范 standard item that
``mapping.toml`` links to the entry — the item's official text, its key terms and the link's
reason (``F-1 工会主席选举、任职批复等换届资料``).  Words are jieba's; each word is weighted by
how few entries' profiles hold it (idf), so 工会 and 职工 say nothing and 调解 or 换届 say a
lot.  A document (title, file name, folders, the start of its text) is compared with every
profile (cosine); the result ranks *every* entry, so the second and third proposals are
entries whose standards text is nearest to the document rather than whatever one stray
keyword pointed at.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..archive import Archive
    from ..coverage.rules import CoverageRules
    from ..standards import Entry, Standards

_HAN = re.compile(r"^[\u4e00-\u9fff]{2,}$")
# Words of every kind of paperwork: they tell nothing about the entry (``load_profiles`` may
# add more, ``ignored``).
_STOP = frozenset("""
资料 材料 文件 有关 情况 工作 开展 活动 组织 职工 员工 工会 单位 企业 公司 建设 制度 落实 加强 积极 深入 广泛 坚持
推动 推进 建立 健全 完善 提高 促进 实施 进行 相关 各类 各项 以及 其中 等等 我们 本单位 基层 全体 重视 注重 大力
通知 关于 年度 方案 总结 报告 记录 计划 安排 会议 印发 转发 做好 进一步 要求 根据 按照 为了 通过 已经 没有 可以
""".split())
BODY_CHARS = 4000  # the start of a document says what it is; a long report names everything
WEIGHTS = {"title": 3.0, "name": 2.0, "folder": 1.5, "body": 1.0}


@dataclass(frozen=True)
class Similarity:
    """Cosine similarity of one document to each entry's profile (0 … 1), and the words that
    contributed most per entry (for the reasons)."""

    scores: Mapping[str, float]
    words: Mapping[str, tuple[str, ...]]

    def ranked(self) -> list[tuple[str, float]]:
        return sorted(self.scores.items(), key=lambda kv: (-kv[1], kv[0]))


class EntryProfiles:
    """The profiles of one archive's applicable entries (see the module docstring)."""

    def __init__(self, vectors: Mapping[str, Mapping[str, float]], idf: Mapping[str, float]) -> None:
        self.vectors = vectors
        self.idf = idf
        self.codes = tuple(vectors)

    def __bool__(self) -> bool:
        return bool(self.vectors)

    def compare(self, parts: Iterable[tuple[str, str]]) -> Similarity:
        """``parts``: (kind, text) with kind one of ``WEIGHTS`` (title, name, folder, body)."""
        tf: dict[str, float] = defaultdict(float)
        for kind, text in parts:
            if not text:
                continue
            if kind == "body":
                text = text[:BODY_CHARS]
            counts: dict[str, int] = defaultdict(int)
            for w in words_in(text):
                if w in self.idf:
                    counts[w] += 1
            for w, n in counts.items():
                tf[w] += WEIGHTS[kind] * (1 + math.log(n))
        doc = {w: v * self.idf[w] for w, v in tf.items()}
        norm = math.sqrt(sum(v * v for v in doc.values()))
        if not norm:
            return Similarity({}, {})
        scores: dict[str, float] = {}
        words: dict[str, tuple[str, ...]] = {}
        for code, vec in self.vectors.items():
            contrib = [(doc[w] * vec[w], w) for w in doc if w in vec]
            if not contrib:
                continue
            scores[code] = sum(c for c, _ in contrib) / norm
            words[code] = tuple(w for _, w in sorted(contrib, reverse=True)[:3])
        return Similarity(scores, words)


def words_in(text: str) -> list[str]:
    """jieba's words of ``text`` (search mode: 劳动竞赛 also gives 劳动, 竞赛), Han words of two
    characters or more, stop words out."""
    from .keywords import _jieba

    return [w for w in _jieba().cut_for_search(text) if _HAN.match(w) and w not in _STOP]


def entry_texts(entries: Sequence["Entry"], standards: "Standards", rules: "CoverageRules | None") -> dict[str, list[tuple[str, float]]]:
    """Per entry: (text, weight) of everything ``catalog/`` says about it."""
    out: dict[str, list[tuple[str, float]]] = {e.code: [] for e in entries}
    volumes = {v.letter: v.title for v in standards.catalogue.volumes}
    for e in entries:
        out[e.code].append((e.title, 3.0))
        if getattr(e, "note", ""):
            out[e.code].append((e.note, 2.0))
        out[e.code].append((volumes.get(e.volume, ""), 0.5))
    if rules is None:
        return out
    sheet_items = {(s.id, str(it.no)): it.text for s in standards.scoresheets for it in s.items}
    std_items = {(st.title, it.project): it.text for st in standards.standards for it in st.items}
    for key, m in rules.mappings.items():
        links = [lk for lk in m.links if lk.code in out]
        if not links:
            continue
        official = sheet_items.get(key) or std_items.get(key) or ""
        share = 1.0 / len(links)  # an item linked to many entries says less about each
        for lk in links:
            out[lk.code].append((lk.reason, 2.0))
            out[lk.code].append((official, share))
            out[lk.code].append((" ".join(m.terms) + " " + m.name, 1.5 * share))
    return out


def build(texts: Mapping[str, Sequence[tuple[str, float]]], stop: Iterable[str] = ()) -> EntryProfiles:
    stop = frozenset(stop)
    tf: dict[str, dict[str, float]] = {}
    for code, parts in texts.items():
        acc: dict[str, float] = defaultdict(float)
        for text, weight in parts:
            for w in words_in(text):
                if w not in stop:
                    acc[w] += weight
        tf[code] = acc
    n = len(tf)
    df: dict[str, int] = defaultdict(int)
    for acc in tf.values():
        for w in acc:
            df[w] += 1
    # words in more than a third of the entries do not tell entries apart
    idf = {w: math.log((n + 1) / (k + 0.5)) for w, k in df.items() if k <= max(2, n // 3)}
    vectors: dict[str, dict[str, float]] = {}
    for code, acc in tf.items():
        vec = {w: (1 + math.log1p(v)) * idf[w] for w, v in acc.items() if w in idf}
        norm = math.sqrt(sum(v * v for v in vec.values()))
        if norm:
            vectors[code] = {w: v / norm for w, v in vec.items()}
    return EntryProfiles(vectors, idf)


def load_profiles(archive: "Archive", ignored: Iterable[str] = ()) -> EntryProfiles:
    """The profiles of ``archive``'s applicable entries; empty when ``catalog/`` cannot give them."""
    entries = tuple(archive.entries())
    try:
        from ..coverage import rules as coverage_rules

        cov = coverage_rules.load(archive.standards, archive.settings.extra.get("coverage"))
    except Exception:  # noqa: BLE001 - a broken mapping only loses the items' words; `catalog check` reports it
        cov = None
    key = (tuple((e.code, e.title, getattr(e, "note", ""), e.volume) for e in entries), id(archive.standards),
           repr(archive.settings.extra.get("coverage")), frozenset(ignored))
    return _cached(key, entries, archive.standards, cov)


_CACHE: dict[tuple, EntryProfiles] = {}


def _cached(k: tuple, entries: Sequence["Entry"], standards: "Standards", cov: "CoverageRules | None") -> EntryProfiles:
    """Profiles by archive entries, standards and coverage overrides (built once per process)."""
    ignored = k[-1]
    if k not in _CACHE:
        texts = entry_texts(entries, standards, cov)  # an entry the archive added: its title and note
        if len(_CACHE) > 8:
            _CACHE.clear()
        _CACHE[k] = build(texts, ignored)
    return _CACHE[k]
