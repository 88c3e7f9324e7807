"""The synonym and abbreviation table (catalog/synonyms.toml), and an archive's own groups.

Queries are expanded with the table as it is when they run, so an edit takes effect on
the next search without a rebuild.  A rebuild also indexes each group of the table as
one token (``concepts.py``), which makes searching a group a single posting-list read;
a group edited since then is searched by expansion until the next rebuild.

An archive adds its own groups in its settings file, ``jiaarchive.toml``::

    [search]
    synonyms = [["校工会", "学校工会"], ["双代会", "教职工代表大会"]]

They take effect on the next search like an edit of the table (:func:`archive_groups`).
Nothing inside an archive is trusted: the section is read within fixed bounds
(:data:`MAX_GROUPS`, :data:`MAX_GROUP_WORDS`, :data:`MAX_WORD_CHARS`), and what is
malformed is left out with a Chinese warning instead of stopping the search.
"""

from __future__ import annotations

import tomllib
from functools import lru_cache
from pathlib import Path

from ..errors import CatalogInvalid
from .analyzer import normalize


def catalog_dir() -> Path:
    """catalog/ of an installed package (``_catalog``) or of the source checkout."""
    pkg = Path(__file__).resolve().parents[1]
    installed = pkg / "_catalog"
    return installed if installed.is_dir() else pkg.parent / "catalog"


MAX_GROUPS = 200  # groups an archive may add
MAX_GROUP_WORDS = 20
MAX_WORD_CHARS = 40


def load_synonyms(path: str | Path | None = None,
                  extra: tuple[tuple[str, ...], ...] = ()) -> dict[str, tuple[str, ...]]:
    """word (normalised) → the other words of every group it belongs to.

    Groups are unions: a word in two groups gets both groups' words.  ``extra`` are an
    archive's own groups (:func:`archive_groups`), added to the table's.  A missing table
    gives an empty mapping; a malformed one raises :class:`CatalogInvalid`.
    """
    p = Path(path) if path is not None else catalog_dir() / "synonyms.toml"
    try:
        stat = p.stat()
    except FileNotFoundError:
        return _shared(("", 0, 0, extra))
    return _shared((str(p), stat.st_mtime_ns, stat.st_size, extra))


class SynonymTable(dict):
    """The mapping :func:`load_synonyms` returns: one shared object per table state, hashed
    by identity, so query expansions can be cached per table (do not modify it)."""

    __hash__ = object.__hash__


@lru_cache(maxsize=4)
def _shared(key: tuple) -> SynonymTable:
    return SynonymTable(_table(*key))


@lru_cache(maxsize=4)
def _table(path: str, mtime: int, size: int,
           extra: tuple[tuple[str, ...], ...] = ()) -> tuple[tuple[str, tuple[str, ...]], ...]:
    groups = (_load(path, mtime, size) if path else ()) + tuple(extra)
    table: dict[str, list[str]] = {}
    for words in groups:
        for w in words:
            key = normalize(w)
            lst = table.setdefault(key, [])
            for other in words:
                if normalize(other) != key and other not in lst:
                    lst.append(other)
    return tuple((k, tuple(v)) for k, v in table.items())


def load_synonym_groups(path: str | Path | None = None,
                        extra: tuple[tuple[str, ...], ...] = ()) -> tuple[tuple[str, ...], ...]:
    """The table's groups (and ``extra``), each as its normalised words (what a rebuild indexes).

    ``path=""`` leaves the table out (``extra`` only)."""
    p = Path(path) if path is not None else catalog_dir() / "synonyms.toml"
    try:
        stat = p.stat() if path != "" else None
        groups = _load(str(p), stat.st_mtime_ns, stat.st_size) if stat else ()
    except FileNotFoundError:
        groups = ()
    return tuple(tuple(dict.fromkeys(normalize(w) for w in g)) for g in groups + tuple(extra))


def archive_groups(settings_extra: dict) -> tuple[tuple[tuple[str, ...], ...], list[str]]:
    """An archive's own synonym groups from its settings (``[search] synonyms``), and a
    Chinese warning for each thing left out.  Never raises: the archive is not trusted."""
    from .analyzer import query_tokens

    where = "档案设置文件 jiaarchive.toml 的 [search] synonyms"
    section = settings_extra.get("search") if isinstance(settings_extra, dict) else None
    if section is None:
        return (), []
    raw = section.get("synonyms") if isinstance(section, dict) else None
    if raw is None:
        return (), []
    if not isinstance(raw, list):
        return (), [f"{where} 应是词组的列表，例如 [[\"校工会\", \"学校工会\"]]，已忽略。"]
    warnings: list[str] = []
    if len(raw) > MAX_GROUPS:
        warnings.append(f"{where} 有 {len(raw)} 组，只用前 {MAX_GROUPS} 组。")
    groups = []
    for i, g in enumerate(raw[:MAX_GROUPS], 1):
        if not isinstance(g, list) or not all(isinstance(w, str) for w in g):
            warnings.append(f"{where} 第 {i} 组应是词语（字符串）的列表，已忽略。")
            continue
        words = []
        for w in g[:MAX_GROUP_WORDS]:
            w = w.strip()
            if not w or len(w) > MAX_WORD_CHARS or any(ord(c) < 32 or c == "\x7f" for c in w):
                warnings.append(f"{where} 第 {i} 组的“{w[:MAX_WORD_CHARS]}”为空、过长（超过 "
                                f"{MAX_WORD_CHARS} 字）或含控制字符，已忽略。")
                continue
            if query_tokens(normalize(w)) is None:
                warnings.append(f"{where} 第 {i} 组的“{w}”没有可检索的文字，已忽略。")
                continue
            words.append(w)
        if len(g) > MAX_GROUP_WORDS:
            warnings.append(f"{where} 第 {i} 组超过 {MAX_GROUP_WORDS} 个词，只用前 {MAX_GROUP_WORDS} 个。")
        words = list(dict.fromkeys(words))
        if len(words) < 2:
            warnings.append(f"{where} 第 {i} 组少于两个词，已忽略。")
            continue
        groups.append(tuple(words))
    return tuple(groups), warnings


@lru_cache(maxsize=4)
def _load(path: str, _mtime: int, _size: int) -> tuple[tuple[str, ...], ...]:
    try:
        with open(path, "rb") as fh:
            data = tomllib.load(fh)
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise CatalogInvalid(f"同义词表 {path} 无法读取：{exc}。") from exc
    groups = data.get("group", [])
    if not isinstance(groups, list):
        raise CatalogInvalid(f"同义词表 {path} 的 [[group]] 格式不对。")
    out = []
    for i, g in enumerate(groups, 1):
        words = g.get("words") if isinstance(g, dict) else None
        if not isinstance(words, list) or not all(isinstance(w, str) and w.strip() for w in words):
            raise CatalogInvalid(f"同义词表 {path} 第 {i} 组的 words 必须是非空字符串列表。")
        out.append(tuple(w.strip() for w in words))
    return tuple(out)
