"""The coverage report as one self-contained HTML file: no network, printable on A4.

Lays out a ``coverage.model.Report`` through the Jinja2 template ``templates/coverage.html.j2``
(autoescaped): every sentence comes from the report, this module only adds the geometry of the
per-item bar chart.  Checked in a real browser by ``tests/test_report_browser.py`` (headless
Chromium, a 1280 px screenshot and an A4 PDF).
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..coverage.model import MISSING, NOT_APPLICABLE, SUFFICIENT, WEAK, ItemAssessment, Report

COLOURS = {SUFFICIENT: "#2e7d32", WEAK: "#b26a00", MISSING: "#c62828", NOT_APPLICABLE: "#757575"}
MAX_EVIDENCE_SHOWN = 5


@lru_cache(maxsize=1)
def _template():  # noqa: ANN202 - a jinja2.Template; jinja2 is imported only when HTML is written
    from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

    env = Environment(loader=PackageLoader("jiaarchive.reports", "templates"),
                      autoescape=select_autoescape(("html", "j2")), undefined=StrictUndefined,
                      trim_blocks=False, lstrip_blocks=False)
    env.globals.update(zip=zip, num=_num)
    return env.get_template("coverage.html.j2")


def _num(x: float | None) -> str:
    return "—" if x is None else f"{x:g}"


def _bars(items: tuple[ItemAssessment, ...]) -> dict[str, Any] | None:
    """Geometry of the per-item chart: a frame for the item's points, filled to the suggestion."""
    scored = [it for it in items if it.points]
    if not scored:
        return None
    scale, left, row = 22, 30, 15
    peak = max(it.points or 0 for it in scored)
    rows = [
        {"no": it.no, "y": i * row + 2, "full": (it.points or 0) * scale, "part": (it.suggested or 0) * scale,
         "colour": COLOURS.get(it.status, "#555"), "label": f"{it.status} {_num(it.suggested)}/{it.points}"}
        for i, it in enumerate(scored)
    ]
    return {"rows": rows, "left": left, "row": row, "width": left + scale * peak + 120, "height": row * len(rows) + 4}


def render(r: Report) -> str:
    return _template().render(r=r, bars=_bars(r.items), max_evidence=MAX_EVIDENCE_SHOWN)


def write_html(r: Report, path: Path) -> Path:
    path = Path(path)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(render(r), encoding="utf-8")
    os.replace(tmp, path)
    return path
