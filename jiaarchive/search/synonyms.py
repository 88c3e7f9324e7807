"""The synonym and abbreviation table (catalog/synonyms.toml).

Queries are expanded with the table as it is when they run, so an edit takes effect on
the next search without a rebuild.  A rebuild also indexes each group of the table as
one token (``concepts.py``), which makes searching a group a single posting-list read;
a group edited since then is searched by expansion until the next rebuild.
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


def load_synonyms(path: str | Path | None = None) -> dict[str, tuple[str, ...]]:
    """word (normalised) → the other words of every group it belongs to.

    Groups are unions: a word in two groups gets both groups' words.  A missing table
    gives an empty mapping; a malformed one raises :class:`CatalogInvalid`.
    """
    p = Path(path) if path is not None else catalog_dir() / "synonyms.toml"
    try:
        stat = p.stat()
    except FileNotFoundError:
        return {}
    return dict(_table(str(p), stat.st_mtime_ns, stat.st_size))


@lru_cache(maxsize=4)
def _table(path: str, mtime: int, size: int) -> tuple[tuple[str, tuple[str, ...]], ...]:
    groups = _load(path, mtime, size)
    table: dict[str, list[str]] = {}
    for words in groups:
        for w in words:
            key = normalize(w)
            lst = table.setdefault(key, [])
            for other in words:
                if normalize(other) != key and other not in lst:
                    lst.append(other)
    return tuple((k, tuple(v)) for k, v in table.items())


def load_synonym_groups(path: str | Path | None = None) -> tuple[tuple[str, ...], ...]:
    """The table's groups, each as its normalised words (what a rebuild indexes)."""
    p = Path(path) if path is not None else catalog_dir() / "synonyms.toml"
    try:
        stat = p.stat()
    except FileNotFoundError:
        return ()
    return tuple(tuple(dict.fromkeys(normalize(w) for w in g))
                 for g in _load(str(p), stat.st_mtime_ns, stat.st_size))


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
