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
    """Words → entries, for one archive's applicable entries."""

    words: Mapping[str, Word]  # by normalised text
    codes: tuple[str, ...]
    notes: tuple[str, ...] = ()  # Chinese sentences: archive additions that were left out
    _pattern: re.Pattern[str] | None = field(default=None, repr=False, compare=False)

    def find(self, text: str) -> list[Word]:
        """The table's words in ``text``, leftmost-longest, each occurrence once."""
        if not text or self._pattern is None:
            return []
        return [self.words[m.group(0)] for m in self._pattern.finditer(normalize(text))]


# ---------------------------------------------------------------- reading and checking


def _path(folder: Path | None = None) -> Path:
    from ..standards import catalog_dir

    return (folder or catalog_dir()) / FILE


@lru_cache(maxsize=4)
def _read(path: str) -> dict[str, Any]:
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
    unknown = set(data) - {"schema", "entry", "volume"}
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
    return entries, volumes


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
    table_entries, volumes = _entries(data, catalogue, problems)
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
    pattern = re.compile("|".join(re.escape(k) for k in sorted(words, key=lambda k: (-len(k), k)))) if words else None
    return KeywordTable(words, codes, tuple(notes), pattern)
