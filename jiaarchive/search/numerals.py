"""Numbers written two ways: ``第12条`` / ``第十二条``, ``2021年`` / ``二〇二一年``, ``令174号`` / ``令第174号``.

Laws number their articles in Chinese (第一百一十九条), clerks and inspectors type digits
(第119条); dates in notices are written 二〇二一年.  A query word holding a *counted
number* — after 第, or before a counter (条 款 项 章 节 编 届 次 号 年 期 批) — is searched
in every written form of that number (:func:`numeral_variants`); the text is indexed as
written.  Conversions go through cn2an, both ways.

Exactness: a Chinese numeral form is only a match where the number is whole — not preceded
or followed by another numeral character (``十二条`` is not in ``一百一十二条``,
``第一`` is not in ``第一百``); the digits form needs nothing, since a run of digits is
one unit of the analyzer (``12条`` is not in ``112条``).  Pure functions: no Whoosh.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

COUNTERS = "条款项章节编届次号年期批"
# Characters of a Chinese numeral (cn2an's vocabulary, 大写 forms included).
CN_DIGITS = "〇零一二三四五六七八九十百千万亿两壹贰叁肆伍陆柒捌玖拾佰仟"
MAX_VARIANTS = 12
MAX_NUMBER = 10 ** 8

_NUM = re.compile(
    rf"(第)?(?:(\d+)|([{CN_DIGITS}]+))([{COUNTERS}])?"
)


@dataclass(frozen=True)
class Form:
    """One way of writing a query word; ``guard_left``/``guard_right``: a Chinese numeral
    at that edge must not touch another numeral character in the text."""

    text: str
    guard_left: bool = False
    guard_right: bool = False


# cn2an compiles hundreds of regular expressions when imported (0.2-0.5 s, more than the
# rest of a fresh `jiaarchive search`): the spellings of the numbers people cite (articles,
# decrees up to TABLE_MAX, years TABLE_YEARS) are kept as cn2an wrote them in numerals.json
# beside this file (``python -m jiaarchive.search.numerals`` writes it; a test compares it
# with cn2an), and cn2an itself is imported only for other numbers.
TABLE = Path(__file__).with_name("numerals.json")
TABLE_MAX = 2000
TABLE_YEARS = (1900, 2200)


@lru_cache(maxsize=1)
def _table() -> tuple[dict[int, str], dict[int, str], dict[str, int]]:
    """(number → cn2an's "low" spelling, year → its "direct" spelling, spelling → number)."""
    try:
        data = json.loads(TABLE.read_text(encoding="utf-8"))
        low = {int(k): v for k, v in data["low"].items()}
        direct = {int(k): v for k, v in data["direct"].items()}
    except (OSError, ValueError, KeyError, AttributeError):
        return {}, {}, {}
    back = {v: k for k, v in low.items()}
    back.update({v: k for k, v in direct.items()})
    back.update({v.replace("零", "〇"): k for k, v in direct.items()})
    return low, direct, back


def compute_table() -> dict:
    """The table as cn2an writes it (what numerals.json must hold)."""
    import cn2an

    return {"low": {str(n): cn2an.an2cn(str(n), "low") for n in range(TABLE_MAX)},
            "direct": {str(y): cn2an.an2cn(str(y), "direct") for y in range(*TABLE_YEARS)}}


def _low(n: int) -> str:
    got = _table()[0].get(n)
    if got is None:
        import cn2an

        got = cn2an.an2cn(str(n), "low")
    return got


def _direct(n: int) -> str:
    got = _table()[1].get(n)
    if got is None:
        import cn2an

        got = cn2an.an2cn(str(n), "direct")
    return got


def _to_int(digits: str | None, chinese: str | None) -> int | None:
    if digits is not None:
        n = int(digits)
        return n if n < MAX_NUMBER else None
    known = _table()[2].get(chinese)
    if known is not None:
        return known
    import cn2an

    for mode in ("strict", "smart"):
        try:
            n = cn2an.cn2an(chinese, mode)
        except (ValueError, KeyError, IndexError, TypeError):
            continue
        if isinstance(n, int) and 0 <= n < MAX_NUMBER:
            return n
        if isinstance(n, float) and n.is_integer() and 0 <= n < MAX_NUMBER:
            return int(n)
    return None


@lru_cache(maxsize=512)
def _spellings(n: int, counter: str, raw: str) -> tuple[tuple[str, bool], ...]:
    """(spelling, is_chinese) of the number ``n`` as a counted number, the typed one first."""
    out: list[tuple[str, bool]] = [(raw, not raw.isdigit())]
    out.append((str(n), False))
    if counter == "年" and 1000 <= n <= 2999:
        direct = _direct(n)  # 二零二一
        out += [(direct.replace("零", "〇"), True), (direct, True)]
    else:
        out.append((_low(n), True))
    return tuple(dict.fromkeys(out))


def numeral_variants(word: str) -> list[Form]:
    """Every written form of ``word`` (normalised) whose counted numbers are spelled both ways.

    The word itself comes first.  A word without a counted number gives just itself.
    ``令174号`` also gives ``令第174号`` (and the reverse): decrees are cited both ways.
    """
    pieces: list[list[tuple[str, bool, bool]]] = []  # literal text or alternatives, in order
    last = 0
    for m in _NUM.finditer(word):
        digits, chinese, counter = m.group(2), m.group(3), m.group(4) or ""
        pre = m.group(1) or ""
        if not (pre or counter):
            continue  # a bare number: no sign that it is counted
        n = _to_int(digits, chinese)
        if n is None:
            continue
        pieces.append([(word[last:m.start()], False, False)])
        # 令174号 ↔ 令第174号: the 第 of a decree number is optional.
        decree = counter == "号" and word[:m.start()].endswith("令")
        alts = []
        for p in ([pre, "" if pre else "第"] if decree else [pre]):
            for spelled, is_cn in _spellings(n, counter, digits or chinese):
                # (text, a Chinese numeral at its left edge, … at its right edge)
                alts.append((p + spelled + counter, is_cn and not p, is_cn and not counter))
                if not is_cn:  # PDFs often space the digits out: 第 12 条
                    alts.append((" ".join(x for x in (p, spelled, counter) if x), False, False))
        pieces.append(list(dict.fromkeys(alts)))
        last = m.end()
    if not pieces:
        return [Form(word)]
    pieces.append([(word[last:], False, False)])
    combos: list[tuple[str, bool | None, bool]] = [("", None, False)]
    for alts in pieces:  # (text so far, its left edge guarded once known, right edge guarded)
        nxt = []
        for text, left, right in combos:
            for t, t_left, t_right in alts:
                if t:
                    nxt.append((text + t, t_left if left is None else left, t_right))
                else:
                    nxt.append((text, left, right))
        combos = nxt[:MAX_VARIANTS * 8]
    forms = list(dict.fromkeys(Form(t, bool(le), r) for t, le, r in combos if t.strip()))
    forms.sort(key=lambda f: f.text != word)  # the word as typed first
    return forms[:MAX_VARIANTS]


def guarded_pattern(pattern: str, form: Form) -> str:
    """``pattern`` (a regex for the form's text) with its numeral edges guarded."""
    cls = f"[{CN_DIGITS}]"
    if form.guard_left:
        pattern = f"(?<!{cls})" + pattern
    if form.guard_right:
        pattern += f"(?!{cls})"
    return pattern


if __name__ == "__main__":
    TABLE.write_text(json.dumps(compute_table(), ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    print(f"wrote {TABLE}")
