"""档号 as people type them, resolved to one record (the one resolver every command and the TUI use).

A clerk rarely types ``C-2·2026-D30-0020`` exactly: ``·`` is hard to type, so she writes
``C-2.2026-D30-0020``, ``C-2 2026-D30-0020``, ``c-2·2026-d30-20`` or just ``C-2 2026 20``.
A number is compared as its tokens, runs of letters and runs of digits, with letters in upper
case and digits as numbers (``0020`` = ``20``), so any separators, case, full-width forms and
leading zeros match.  The 保管期限 code (``D30``, ``Y``) may be left out.  A typed form that is
the start of exactly one record's number (``C-2·2026-D30-002`` is not: tokens compare whole, but
``F-4 2021 3`` is) finds that record; one that fits several is refused with the candidates listed.
Former numbers (``原档号``, kept when a record was re-filed) are searched after current ones.
"""

from __future__ import annotations

import re
import unicodedata

from sqlalchemy import select
from sqlalchemy.orm import Session

from .db.models import ArchiveNumber, Record
from .errors import AmbiguousNumber, RecordNotFound

_TOKEN = re.compile(r"[A-Za-z]+|\d+")
SHOWN = 6  # candidates named when a typed number fits several records

Token = str | int


def tokens(text: str) -> tuple[Token, ...]:
    """``C-2·2026-D30-0020`` → ``('C', 2, 2026, 'D', 30, 20)``."""
    t = unicodedata.normalize("NFKC", text)
    return tuple(int(m) if m.isdigit() else m.upper() for m in _TOKEN.findall(t))


def without_retention(toks: tuple[Token, ...]) -> tuple[Token, ...]:
    """The tokens without the 保管期限 code: letters after the volume letter, and the number
    right after them unless it is the last token (the 件号)."""
    out = list(toks[:1])
    i = 1
    while i < len(toks):
        tok = toks[i]
        if isinstance(tok, str):
            i += 2 if i + 2 < len(toks) and isinstance(toks[i + 1], int) else 1
            continue
        out.append(tok)
        i += 1
    return tuple(out)


def _fits(typed: tuple[Token, ...], number: str) -> tuple[bool, bool]:
    """(fits as a prefix, fits whole)."""
    full = tokens(number)
    short = without_retention(full)
    prefix = any(typed == t[: len(typed)] for t in (full, short))
    return prefix, typed in (full, short)


def find(session: Session, text: str) -> int:
    """The id of the record the typed 档号 ``text`` names.

    Raises RecordNotFound when none fits and AmbiguousNumber (naming some) when several do.
    """
    ref = text.strip()
    rid = session.scalar(select(Record.id).where(Record.archive_no == ref))
    if rid is None:
        rid = session.scalar(select(ArchiveNumber.record_id).where(ArchiveNumber.archive_no == ref))
    if rid is not None:
        return rid
    typed = tokens(ref)
    if len(typed) < 2 or not isinstance(typed[0], str):
        raise RecordNotFound(f"找不到档号为“{ref}”的记录。档号形如 A-1·2021-D30-0003（可写作 A-1 2021 3），"
                             "可用 jiaarchive ls 查看全部档号。")
    first = typed[0]
    rows = session.execute(
        select(ArchiveNumber.archive_no, ArchiveNumber.record_id, ArchiveNumber.current)
        .where(ArchiveNumber.archive_no.like(f"{first}%") | ArchiveNumber.archive_no.like(f"{first.lower()}%"))
    ).all()
    for current in (True, False):
        whole: dict[int, str] = {}
        partial: dict[int, str] = {}
        for number, record_id, is_current in rows:
            if bool(is_current) != current:
                continue
            prefix, exact = _fits(typed, number)
            if exact:
                whole.setdefault(record_id, number)
            elif prefix:
                partial.setdefault(record_id, number)
        for found in (whole, partial):
            if len(found) == 1:
                return next(iter(found))
            if len(found) > 1:
                names = sorted(found.values(), key=tokens)
                shown = "、".join(names[:SHOWN]) + (f" 等 {len(names)} 件" if len(names) > SHOWN else "")
                raise AmbiguousNumber(f"“{ref}”对应多件记录：{shown}。请写出完整的档号。")
    raise RecordNotFound(f"找不到档号为“{ref}”的记录。可用 jiaarchive ls 查看全部档号。")
