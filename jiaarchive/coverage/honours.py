"""Honours (荣誉称号) in the profile matched to the titles the notice defines, as data.

``coverage_rules.toml [[title]]`` says how each grade's title is written (合格职工之家,
重庆市模范职工之家 …); a profile entry counts only when it contains one of those names, so
“全国模范教师” or “先进工作者” are not mistaken for 职工之家 titles.
"""

from __future__ import annotations

import re

from ..standards import Standards
from .profile import Event
from .rules import TitleSpec

_SPACES = re.compile(r"\s+")
_BRACKETS = str.maketrans({"(": "（", ")": "）"})


def _norm(text: str) -> str:
    return _SPACES.sub("", text).translate(_BRACKETS)


class Titles:
    def __init__(self, specs: tuple[TitleSpec, ...], standards: Standards) -> None:
        self.specs = specs
        self.order = {g.name: g.order for g in standards.grades}

    def grade_of(self, text: str, level: str | None = None) -> str | None:
        """The grade whose title ``text`` names (the highest if several), optionally at ``level``."""
        t = _norm(text)
        found = [s.grade for s in self.specs
                 if (level is None or s.level == level) and any(_norm(n) in t for n in s.names)]
        return max(found, key=lambda g: self.order.get(g, 0)) if found else None

    def held(self, events: tuple[Event, ...], requires: str, level: str) -> list[tuple[Event, str]]:
        """Entries naming a title of grade ``requires`` or higher at ``level``, newest first."""
        need = self.order.get(requires, 0)
        out = []
        for e in events:
            g = self.grade_of(e.text, level)
            if g is not None and self.order.get(g, 0) >= need:
                out.append((e, g))
        return sorted(out, key=lambda x: x[0].on, reverse=True)
