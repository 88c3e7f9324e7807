"""Plain-text tables that line up Chinese (double-width) characters in a terminal."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence


def width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 0 if unicodedata.combining(ch) else 1 for ch in text)


def clip(text: str, max_width: int) -> str:
    if width(text) <= max_width:
        return text
    out, w = "", 0
    for ch in text:
        cw = width(ch)
        if w + cw > max_width - 1:
            break
        out += ch
        w += cw
    return out + "…"


def pad(text: str, w: int) -> str:
    return text + " " * max(0, w - width(text))


def table(headers: Sequence[str], rows: Sequence[Sequence[object]], max_widths: Sequence[int] | None = None) -> str:
    cells = [[("" if c is None else str(c)) for c in row] for row in rows]
    if max_widths:
        cells = [[clip(c, m) if m else c for c, m in zip(row, max_widths)] for row in cells]
    widths = [width(h) for h in headers]
    for row in cells:
        widths = [max(w, width(c)) for w, c in zip(widths, row)]
    lines = ["  ".join(pad(h, w) for h, w in zip(headers, widths)).rstrip()]
    lines.append("  ".join("─" * w for w in widths))
    lines += ["  ".join(pad(c, w) for c, w in zip(row, widths)).rstrip() for row in cells]
    return "\n".join(lines)


def human_size(n: int) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return f"{n} B"
