"""The inbox's keyword table (关键词表): catalog/keywords.toml, the entry titles, and the
archive's own additions (``[inbox.keywords]`` in its jiaarchive.toml).

``load_table(archive)`` gives a ``KeywordTable`` for the archive's applicable entries: every
word with its weight per entry, whether it counts only in names and titles, and a matcher
that finds the words in a text leftmost-longest (``会员代表大会`` is one word, not
``代表大会``).  ``check(catalogue)`` lists what is wrong with the file, for
``jiaarchive catalog check``; the archive's additions are not trusted either: a bad one is
left out with a Chinese note (``KeywordTable.notes``), and the rest still works.
"""

from __future__ import annotations

import bisect
import re
import tomllib
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import CatalogInvalid

if TYPE_CHECKING:
    from ..archive import Archive
    from ..standards import Catalogue, Entry

FILE = "keywords.toml"
SCHEMA = "jiaarchive-inbox-keywords-1"
MAX_WEIGHT = 10.0
MAX_WORD = 20
TITLE_WORD_WEIGHT = 4.0  # words cut from an entry's own title (劳动竞赛, 技术革新 …)

_TITLE_SPLIT = re.compile(r"[、，,；;]|及|和|与|等")
_TITLE_TRIM = re.compile(r"(的?有关资料|情况资料|有关|资料|情况|制度|活动)+$")


def normalize(text: str) -> str:
    """The form texts and words are compared in: NFKC (full-width → half-width), lower case."""
    return unicodedata.normalize("NFKC", text).lower()


@dataclass(frozen=True)
class Word:
    text: str  # as written in the table
    weights: tuple[tuple[str, float], ...]  # (code, weight) for every entry it speaks for
    names_only: bool  # counts only in folder names, file names and titles


@dataclass(frozen=True)
class KeywordTable:
    """Words → entries, for one archive's applicable entries.

    ``pieces`` are the shorter words the table's words are made of (竞赛 from 劳动竞赛, 技能竞赛 …)
    that occur in the words of at most a few entries, with a weight per entry.  They let a name
    or title written in other words (生产竞赛, 工会动态) still lean towards the right entries,
    weakly, when no whole word matches.
    """

    words: Mapping[str, Word]  # by normalised text
    codes: tuple[str, ...]
    notes: tuple[str, ...] = ()  # Chinese sentences: archive additions that were left out
    pieces: Mapping[str, tuple[tuple[str, float], ...]] = field(default_factory=dict)
    _pattern: re.Pattern[str] | None = field(default=None, repr=False, compare=False)
    _piece_pattern: re.Pattern[str] | None = field(default=None, repr=False, compare=False)

    def find(self, text: str) -> list[Word]:
        """The table's words in ``text``, leftmost-longest, each occurrence once."""
        return [w for w, _span in self.find_spans(text)]

    def find_spans(self, text: str) -> list[tuple[Word, tuple[int, int]]]:
        """The words found and where: of the overlapping candidates, the set that covers the most
        text, so that 了解困难职工 gives 困难职工, not 解困 (leftmost matching would)."""
        if not text or self._pattern is None:
            return []
        return [(self.words[k], (a, b)) for a, b, k in _best_cover(self._pattern, normalize(text))]

    def find_pieces(self, text: str) -> list[tuple[str, tuple[tuple[str, float], ...]]]:
        """Pieces in the parts of ``text`` no whole word covers, each piece once."""
        if not text or self._piece_pattern is None:
            return []
        norm = normalize(text)
        for _w, (a, b) in self.find_spans(text):
            norm = norm[:a] + "\0" * (b - a) + norm[b:]  # a word found whole is not looked at again
        seen = dict.fromkeys(k for _a, _b, k in _best_cover(self._piece_pattern, norm))
        return [(p, self.pieces[p]) for p in seen]


def _best_cover(pattern: re.Pattern[str], text: str) -> list[tuple[int, int, str]]:
    """Non-overlapping matches of ``pattern`` (a lookahead alternation, longest first) that
    together cover the most characters; ties go to fewer, longer words."""
    cands = [(m.start(), m.start() + len(m.group(1)), m.group(1)) for m in pattern.finditer(text)]
    if not cands:
        return []
    ends = [b for _a, b, _k in cands]
    best: list[tuple[int, int]] = [(0, 0)] * (len(cands) + 1)  # (covered, -pieces) of the first i candidates
    take: list[bool] = [False] * len(cands)
    for i, (a, b, _k) in enumerate(cands):
        j = bisect.bisect_right(ends, a, 0, i)  # candidates ending at or before this one starts
        with_it = (best[j][0] + (b - a), best[j][1] - 1)
        take[i] = with_it > best[i]
        best[i + 1] = max(best[i], with_it)
    out = []
    i = len(cands)
    while i > 0:
        if take[i - 1]:
            a, b, k = cands[i - 1]
            out.append((a, b, k))
            i = bisect.bisect_right(ends, a, 0, i - 1)
        else:
            i -= 1
    return out[::-1]


# ---------------------------------------------------------------- reading and checking


def _path(folder: Path | None = None) -> Path:
    from ..standards import catalog_dir

    return (folder or catalog_dir()) / FILE


def _read(path: str) -> dict[str, Any]:
    """The table's TOML, read again when the file changed (a clerk may edit it between runs)."""
    try:
        st = Path(path).stat()
    except FileNotFoundError:
        return {}
    return _read_cached(path, st.st_mtime_ns, st.st_size)


@lru_cache(maxsize=4)
def _read_cached(path: str, _mtime: int, _size: int) -> dict[str, Any]:
    try:
        return tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise CatalogInvalid(f"关键词表 {path} 无法读取：{exc}") from exc


def _check_words(words: Any, where: str, problems: list[tuple[str, str]]) -> dict[str, float]:
    """The {word: weight} table at ``where``, with what is wrong added to ``problems``."""
    out: dict[str, float] = {}
    if words is None:
        return out
    if not isinstance(words, dict):
        problems.append((where, "应为“词 = 权重”的表，如 { \"职代会\" = 5 }"))
        return out
    for word, weight in words.items():
        w = word.strip() if isinstance(word, str) else ""
        if len(w) < 2 or len(w) > MAX_WORD or any(unicodedata.category(c).startswith("C") for c in w):
            problems.append((where, f"关键词“{word}”无效（2 到 {MAX_WORD} 个字，不能含控制字符）"))
            continue
        if isinstance(weight, bool) or not isinstance(weight, (int, float)) or not 0 < weight <= MAX_WEIGHT:
            problems.append((where, f"关键词“{w}”的权重 {weight!r} 无效（应为 0 到 {MAX_WEIGHT:g} 之间的数）"))
            continue
        if normalize(w) in {normalize(x) for x in out}:
            problems.append((where, f"关键词“{w}”重复"))
            continue
        out[w] = float(weight)
    return out


def _entries(data: dict[str, Any], catalogue: "Catalogue", problems: list[tuple[str, str]]):
    """(code, words, names-only words) per [[entry]] and (letter, words) per [[volume]]."""
    if data and data.get("schema") != SCHEMA:
        problems.append((FILE, f"schema 应为“{SCHEMA}”"))
    unknown = set(data) - {"schema", "entry", "volume", "pieces"}
    if unknown:
        problems.append((FILE, f"未知的键：{'、'.join(sorted(unknown))}"))
    codes = set(catalogue.codes())
    letters = {v.letter for v in catalogue.volumes}
    entries, volumes, seen = [], [], set()
    for i, e in enumerate(data.get("entry", []) or [], 1):
        where = f"{FILE} 第{i}个 [[entry]]"
        if not isinstance(e, dict):
            problems.append((where, "格式不对"))
            continue
        code = e.get("code")
        if code not in codes:
            problems.append((where, f"目录编号“{code}”不在目录中"))
            continue
        if code in seen:
            problems.append((where, f"目录编号“{code}”重复出现"))
        seen.add(code)
        extra = set(e) - {"code", "words", "title_words"}
        if extra:
            problems.append((where, f"未知的键：{'、'.join(sorted(extra))}"))
        words = _check_words(e.get("words"), f"{where}（{code}）words", problems)
        names = _check_words(e.get("title_words"), f"{where}（{code}）title_words", problems)
        both = {normalize(w) for w in words} & {normalize(w) for w in names}
        for w in sorted(both):
            problems.append((f"{where}（{code}）", f"关键词“{w}”同时写在 words 和 title_words 中"))
        entries.append((code, words, names))
    for i, v in enumerate(data.get("volume", []) or [], 1):
        where = f"{FILE} 第{i}个 [[volume]]"
        if not isinstance(v, dict) or v.get("letter") not in letters:
            problems.append((where, f"卷字母“{v.get('letter') if isinstance(v, dict) else v}”不在目录中"))
            continue
        volumes.append((v["letter"], _check_words(v.get("words"), f"{where}（{v['letter']}）words", problems)))
    missing = codes - seen
    if data and missing:
        problems.append((FILE, f"以下目录条目没有关键词（只用条目名称分类）：{'、'.join(sorted(missing))}"))
    return entries, volumes, _ignored_pieces(data.get("pieces"), problems)


def _ignored_pieces(raw: Any, problems: list[tuple[str, str]]) -> frozenset[str]:
    if raw is None:
        return frozenset()
    ignore = raw.get("ignore") if isinstance(raw, dict) else None
    if not isinstance(ignore, list) or not all(isinstance(x, str) and len(x) >= 2 for x in ignore):
        problems.append((f"{FILE} [pieces]", "ignore 应为词的列表（至少两个字），如 [\"文件\", \"资料\"]"))
        return frozenset()
    return frozenset(normalize(x) for x in ignore)


def check(catalogue: "Catalogue", folder: Path | None = None) -> list[tuple[str, str]]:
    """What is wrong with catalog/keywords.toml, as (where, message) pairs; [] when nothing."""
    problems: list[tuple[str, str]] = []
    path = _path(folder)
    if not path.is_file():
        return [(FILE, "关键词表不存在，收件箱只能按目录条目名称建议目录")]
    try:
        data = _read(str(path))
    except CatalogInvalid as exc:
        return [(FILE, str(exc))]
    _entries(data, catalogue, problems)
    return problems


def title_words(entry: "Entry") -> list[str]:
    """Words cut from an entry's own title: 劳动竞赛、技术革新资料 → 劳动竞赛, 技术革新."""
    out = []
    for part in _TITLE_SPLIT.split(entry.title.replace("“", "").replace("”", "")):
        part = _TITLE_TRIM.sub("", part.strip())
        if 2 <= len(part) <= MAX_WORD:
            out.append(part)
    return out


# ---------------------------------------------------------------- the table of an archive


def load_table(archive: "Archive", folder: Path | None = None) -> KeywordTable:
    """The keyword table for ``archive``'s applicable entries (see the module docstring)."""
    entries = archive.entries()
    overrides = archive.settings.extra.get("inbox", {})
    return build_table(entries, archive.catalogue, overrides.get("keywords") if isinstance(overrides, dict) else None,
                       folder)


def build_table(entries: Iterable["Entry"], catalogue: "Catalogue", overrides: Any = None,
                folder: Path | None = None) -> KeywordTable:
    entries = tuple(entries)
    codes = tuple(e.code for e in entries)
    keep = set(codes)
    problems: list[tuple[str, str]] = []
    notes: list[str] = []
    try:
        data = _read(str(_path(folder)))
    except CatalogInvalid as exc:  # the entry titles still give words; `catalog check` says more
        data = {}
        notes.append(f"{exc}。只按目录条目名称建议目录。")
    table_entries, volumes, ignored = _entries(data, catalogue, problems)
    weights: dict[str, dict[str, float]] = {}  # normalised word -> code -> weight
    shown: dict[str, str] = {}
    names_only: dict[str, bool] = {}

    def add(word: str, code: str, weight: float, only_names: bool, *, replace: bool = False) -> None:
        if code not in keep:
            return
        key = normalize(word)
        shown.setdefault(key, word)
        per = weights.setdefault(key, {})
        per[code] = weight if replace else max(per.get(code, 0.0), weight)
        names_only[key] = names_only.get(key, True) and only_names

    for e in entries:
        for w in title_words(e):
            add(w, e.code, TITLE_WORD_WEIGHT, False)
    for code, words, names in table_entries:
        for w, weight in words.items():
            add(w, code, weight, False)
        for w, weight in names.items():
            add(w, code, weight, True)
    for letter, words in volumes:
        for e in entries:
            if e.volume == letter:
                for w, weight in words.items():
                    add(w, e.code, weight, False)

    if overrides is not None:
        if not isinstance(overrides, dict):
            notes.append("档案设置 [inbox.keywords] 应为“目录编号 = { 词 = 权重 }”的表，已忽略。")
        else:
            for code, words in overrides.items():
                if code not in keep:
                    notes.append(f"档案设置 [inbox.keywords] 中的目录编号“{code}”不是本档案的目录条目，已忽略。")
                    continue
                bad: list[tuple[str, str]] = []
                for w, weight in _check_words(words, f"[inbox.keywords] {code}", bad).items():
                    add(w, code, weight, False, replace=True)
                notes += [f"档案设置 {where}：{msg}，已忽略。" for where, msg in bad]

    words = {k: Word(shown[k], tuple(sorted(v.items())), names_only[k]) for k, v in weights.items() if v}
    pattern = _alternation(words)
    pieces = _pieces(words, ignored)
    piece_pattern = _alternation(pieces)
    return KeywordTable(words, codes, tuple(notes), pieces, pattern, piece_pattern)


def _alternation(keys: Iterable[str]) -> re.Pattern[str] | None:
    """A pattern finding, at every position, the longest of ``keys`` that starts there."""
    keys = sorted(keys, key=lambda k: (-len(k), k))
    return re.compile("(?=(" + "|".join(re.escape(k) for k in keys) + "))") if keys else None


PIECE_MAX_ENTRIES = 4  # a piece found in the words of more entries says too little (工会, 职工, 活动)
PIECE_FULL_SUPPORT = 3  # a piece found in fewer words is weaker (细则 only in 考核细则 may be chance)
_HAN = re.compile(r"^[\u4e00-\u9fff]{2,}$")


def _jieba():  # noqa: ANN202
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
    return jieba


def _split(word: str) -> set[str]:
    """The shorter words a keyword is made of (劳动竞赛 → 劳动, 竞赛), by jieba's dictionary, so
    that no piece straddles two words (文化建设 gives 文化 and 建设, never 化建)."""
    return {p for p in _jieba().cut_for_search(word) if len(p) < len(word) and _HAN.match(p)}


def words_of(text: str) -> list[str]:
    """The words of a short text (a title), Chinese words of two characters or more, in order."""
    return [p for p in dict.fromkeys(_jieba().cut_for_search(text[:200])) if _HAN.match(p)]


def _pieces(words: Mapping[str, Word], ignored: frozenset[str]) -> dict[str, tuple[tuple[str, float], ...]]:
    """Piece → (code, weight): per entry the strongest word holding the piece, scaled by the
    entry's share of the piece and by how many words hold it; pieces that are whole words are
    left to the words."""
    acc: dict[str, dict[str, float]] = {}
    support: dict[str, int] = {}
    for key, w in words.items():
        if w.names_only:
            continue
        for piece in _split(key):
            support[piece] = support.get(piece, 0) + 1
            per = acc.setdefault(piece, {})
            for code, weight in w.weights:
                per[code] = max(per.get(code, 0.0), weight)
    out = {}
    for piece, per in acc.items():
        if piece in words or piece in ignored or len(per) > PIECE_MAX_ENTRIES:
            continue
        total = sum(per.values())
        trust = min(1.0, support[piece] / PIECE_FULL_SUPPORT)
        out[piece] = tuple(sorted((c, v * v / total * trust) for c, v in per.items()))
    return out
