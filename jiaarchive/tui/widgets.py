"""Widgets shared by the screens: the catalogue tree, the record table, the detail pane,
and a path suggester for file inputs.

They only show what they are given (frozen views from ``filing``); loading happens in the
screens' workers.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from rich.cells import cell_len
from rich.table import Table
from rich.text import Text
from textual.message import Message
from textual.suggester import Suggester
from textual.widgets import DataTable, Static, Tree
from textual.widgets.tree import TreeNode

from ..derive import DATE_SOURCES
from ..filing import RecordView
from .keys import TABLE_BINDINGS, TREE_BINDINGS

# ---------------------------------------------------------------- the catalogue tree


@dataclass(frozen=True)
class Selection:
    """What the tree points at: everything, a volume (卷, "A"), an entry ("A-1"), or an entry's year."""

    code: str | None = None
    year: int | None = None
    kind: str = "all"  # "all" | "volume" | "entry" | "year"

    @property
    def entry_code(self) -> str | None:
        """The entry to preselect when filing from here (None for a volume or everything)."""
        return self.code if self.kind in ("entry", "year") else None

    def describe(self) -> str:
        if self.kind == "all":
            return "全部档案"
        if self.kind == "year":
            return f"{self.code} · {self.year} 年"
        return str(self.code)


def _covers(code: str, prefix: str) -> bool:
    """Whether an entry code lies under ``prefix`` (a volume letter or an entry code)."""
    return code == prefix or code.startswith(prefix + "-")


def _count_label(head: str, title: str, n: int) -> Text:
    text = Text.assemble((head, "bold"))
    if n:
        text.append(f" {n}件", style="bold")
    text.append(f" {title}" if title else "")
    if not n:
        text.stylize("dim")
    return text


class CatalogueTree(Tree[Selection]):
    """The catalogue: 全部 → volumes (卷) → entries (目录条目) → years, each with its record count.

    Children are added when a node is first expanded; counts arrive later through
    ``update_counts`` (loaded in a worker), so the tree paints before the database answers.
    """

    BINDINGS = TREE_BINDINGS

    class SelectionChanged(Message):
        """The clerk moved to another part of the catalogue."""

        def __init__(self, selection: Selection) -> None:
            super().__init__()
            self.selection = selection

    def __init__(self, volumes: Sequence, entries: Sequence, **kwargs) -> None:
        super().__init__("全部档案", data=Selection(), **kwargs)
        self.show_root = False
        self.guide_depth = 2
        self._volumes = tuple(volumes)
        self._entries = tuple(entries)  # the applicable entries only
        self._counts: dict[tuple[str, int], int] = {}
        self._loaded: set[int] = set()  # ids of nodes whose children exist

    # -- building
    def on_mount(self) -> None:
        self._all = self.root.add_leaf(self._label_for(Selection()), data=Selection())
        for v in self._volumes:
            if any(e.volume == v.letter for e in self._entries):
                sel = Selection(code=v.letter, kind="volume")
                self.root.add(self._label_for(sel), data=sel, allow_expand=True)
        self.root.expand()

    def _entry(self, code: str):
        return next(e for e in self._entries if e.code == code)

    def _title(self, sel: Selection) -> tuple[str, str]:
        if sel.kind == "all":
            return "全部档案", ""
        if sel.kind == "volume":
            v = next(v for v in self._volumes if v.letter == sel.code)
            return v.letter, v.title
        if sel.kind == "entry":
            return str(sel.code), self._entry(str(sel.code)).title
        return str(sel.year), ""

    def count(self, sel: Selection) -> int:
        if sel.kind == "all":
            return sum(self._counts.values())
        if sel.kind == "year":
            return self._counts.get((str(sel.code), int(sel.year or 0)), 0)
        if sel.kind == "volume":
            return sum(n for (c, _), n in self._counts.items() if c.split("-", 1)[0] == sel.code)
        return sum(n for (c, _), n in self._counts.items() if _covers(c, str(sel.code)))

    def _label_for(self, sel: Selection) -> Text:
        head, title = self._title(sel)
        return _count_label(head, title, self.count(sel))

    def _children_of(self, sel: Selection) -> list[Selection]:
        if sel.kind == "volume":
            return [Selection(code=e.code, kind="entry") for e in self._entries if e.volume == sel.code and not e.parent]
        if sel.kind == "entry":
            subs = [Selection(code=e.code, kind="entry") for e in self._entries if e.parent == sel.code]
            years = sorted({y for (c, y) in self._counts if c == sel.code}, reverse=True)
            return subs + [Selection(code=sel.code, year=y, kind="year") for y in years]
        return []

    def _fill(self, node: TreeNode[Selection]) -> None:
        assert node.data is not None
        for sel in self._children_of(node.data):
            expandable = sel.kind == "volume" or (sel.kind == "entry" and bool(self._children_of(sel)))
            if expandable:
                node.add(self._label_for(sel), data=sel, allow_expand=True)
            else:
                node.add_leaf(self._label_for(sel), data=sel)
        self._loaded.add(node.id)

    def on_tree_node_expanded(self, event: Tree.NodeExpanded[Selection]) -> None:
        if event.node.id not in self._loaded and event.node is not self.root:
            self._fill(event.node)

    def on_tree_node_highlighted(self, event: Tree.NodeHighlighted[Selection]) -> None:
        event.stop()
        if event.node.data is not None:
            self.post_message(self.SelectionChanged(event.node.data))

    # -- counts
    def update_counts(self, counts: Mapping[tuple[str, int], int]) -> None:
        """New counts: relabel every node and add year nodes that appeared."""
        self._counts = dict(counts)
        self._refresh(self.root)

    def _refresh(self, node: TreeNode[Selection]) -> None:
        for child in list(node.children):
            sel = child.data
            assert sel is not None
            child.set_label(self._label_for(sel))
            if sel.kind == "entry":
                if child.id in self._loaded:
                    self._add_missing(child)
                elif not child.allow_expand and self._children_of(sel):
                    child.allow_expand = True
            if child.id in self._loaded:
                self._refresh(child)

    def _add_missing(self, node: TreeNode[Selection]) -> None:
        have = {c.data for c in node.children}
        for sel in self._children_of(node.data):  # type: ignore[arg-type]
            if sel in have:
                continue
            later = [c for c in node.children if c.data and c.data.kind == "year" and (c.data.year or 0) < (sel.year or 0)]
            node.add_leaf(self._label_for(sel), data=sel, before=later[0] if later else None)

    # -- navigation
    def find(self, sel: Selection) -> TreeNode[Selection] | None:
        """The node for ``sel``, expanding (and so loading) its ancestors on the way."""
        if sel.kind == "all":
            return self._all
        path = [Selection(code=str(sel.code).split("-", 1)[0], kind="volume")]
        if sel.kind in ("entry", "year"):
            entry = self._entry(str(sel.code))
            chain = [entry.code]
            while entry.parent:
                entry = self._entry(entry.parent)
                chain.insert(0, entry.code)
            path += [Selection(code=c, kind="entry") for c in chain]
        if sel.kind == "year":
            path.append(sel)
        node: TreeNode[Selection] = self.root
        for step in path:
            if node is not self.root and node.id not in self._loaded:
                self._fill(node)
            node.expand()
            found = next((c for c in node.children if c.data == step), None)
            if found is None:
                return node if node is not self.root else None
            node = found
        return node

    def go_to(self, node: TreeNode[Selection] | None) -> None:
        """Move the cursor to ``node`` once the lines of newly expanded nodes are laid out."""
        if node is not None:
            self.call_after_refresh(self.move_cursor, node)


# ---------------------------------------------------------------- the record table


def files_summary(r: RecordView) -> str:
    kinds = [f.kind for f in r.files]
    if not kinds:
        return "—"
    return kinds[0] + (f"+{len(kinds) - 1}" if len(kinds) > 1 else "")


class RecordTable(DataTable):
    """The records of the current selection: 档号, 日期, 标题, 文件."""

    BINDINGS = TABLE_BINDINGS

    class Highlighted(Message):
        """The cursor is on another record (None: the table is empty)."""

        def __init__(self, record: RecordView | None) -> None:
            super().__init__()
            self.record = record

    def __init__(self, **kwargs) -> None:
        super().__init__(cursor_type="row", zebra_stripes=True, **kwargs)
        self.records: list[RecordView] = []
        self._built_width = 0

    def on_mount(self) -> None:
        self._build_columns()

    def _build_columns(self) -> None:
        no_w = max([cell_len("档号")] + [cell_len(r.archive_no) for r in self.records])
        files_w = max([cell_len("文件")] + [cell_len(files_summary(r)) for r in self.records])
        # the title takes what is left, so 文件 stays visible at 80 columns
        left = self.size.width - (no_w + 10 + files_w) - 2 * 4 - 1
        self.add_column("档号", key="archive_no", width=no_w)
        self.add_column("日期", key="date", width=10)
        self.add_column("标题", key="title", width=max(12, left))
        self.add_column("文件", key="files", width=files_w)
        self._built_width = self.size.width

    def show(self, records: Iterable[RecordView], *, focus_id: int | None = None, focus_row: int | None = None) -> None:
        """Replace the rows (one clear, one add_rows); the cursor goes to ``focus_id``, else ``focus_row``."""
        self.records = list(records)
        self.clear(columns=True)
        self._build_columns()
        self.add_rows(
            (r.archive_no, r.date.isoformat() if r.date else "—", r.title, files_summary(r)) for r in self.records
        )
        row = next((i for i, r in enumerate(self.records) if r.id == focus_id), None)
        if self.records:
            self.move_cursor(row=min(focus_row or 0, len(self.records) - 1) if row is None else row, animate=False)
        self.post_message(self.Highlighted(self.current))

    def on_resize(self) -> None:
        if self.size.width != self._built_width and self.columns:
            keep = self.current.id if self.current else None
            self.show(self.records, focus_id=keep)

    @property
    def current(self) -> RecordView | None:
        if not self.records or not (0 <= self.cursor_row < len(self.records)):
            return None
        return self.records[self.cursor_row]

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        event.stop()
        self.post_message(self.Highlighted(self.current))


# ---------------------------------------------------------------- the detail pane


def _size(n: int) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return str(n)


class RecordDetail(Static):
    """All fields of one record, and its files."""

    record: RecordView | None = None

    def show(self, r: RecordView | None, *, empty: str = "（未选中记录）") -> None:
        self.record = r
        if r is None:
            self.update(Text(empty, style="dim"))
            return
        grid = Table.grid(padding=(0, 1))
        grid.add_column(style="bold", no_wrap=True)
        grid.add_column()
        date = r.date.isoformat() if r.date else "—"
        if r.date and r.date_source:
            date += f"（{DATE_SOURCES.get(r.date_source, r.date_source)}）"
        rows = [
            ("档号", r.archive_no + ("（在回收站中）" if r.trashed else "")),
            ("题名", r.title),
            ("日期", date),
            ("文号", r.doc_no),
            ("责任者", r.responsible),
            ("保管期限", r.retention),
            ("页数", str(r.pages) if r.pages is not None else ""),
            ("密级", r.secrecy),
            ("标签", "、".join(r.tags)),
            ("评分项", "、".join(str(i) for i in r.items)),
            ("备注", r.remarks),
            ("原档号", "、".join(r.former_archive_nos)),
            ("归档时间", r.filed_at.isoformat(sep=" ", timespec="minutes")),
        ]
        for label, value in rows:
            if value:
                grid.add_row(label, Text(value))
        for i, f in enumerate(r.files):
            grid.add_row("文件" if i == 0 else "", Text(f"{f.path}（{f.kind}，{_size(f.size)}）"))
        self.update(grid)


# ---------------------------------------------------------------- path completion


class PathSuggester(Suggester):
    """Completes a file-system path: the first entry of the folder that starts with what was typed."""

    def __init__(self) -> None:
        super().__init__(use_cache=False, case_sensitive=True)

    async def get_suggestion(self, value: str) -> str | None:
        if not value:
            return None
        expanded = os.path.expanduser(value)
        folder, stem = os.path.split(expanded)
        try:
            names = sorted(n for n in os.listdir(folder or ".") if n.startswith(stem) and not n.startswith("."))
        except OSError:
            return None
        if not names or (stem and names == [stem] and not os.path.isdir(os.path.join(folder, stem))):
            return None
        name = names[0]
        if name == stem:
            if not os.path.isdir(expanded) or value.endswith(("/", os.sep)):
                return None
            return value + "/"
        full = os.path.join(folder, name)
        typed_prefix = value[: len(value) - len(stem)]
        return typed_prefix + name + ("/" if os.path.isdir(full) else "")


def parse_numbers(text: str) -> tuple[int, ...]:
    """Scoresheet item numbers as typed: '3 5、7,9'."""
    import re

    parts = [p for p in re.split(r"[\s,，、;；]+", text.strip()) if p]
    bad = [p for p in parts if not p.isdigit()]
    if bad:
        from ..errors import BadValue

        raise BadValue(f"评分项“{bad[0]}”不是数字，请写成“3、5、7”的形式。")
    return tuple(int(p) for p in parts)


def parse_tags(text: str) -> tuple[str, ...]:
    import re

    return tuple(p for p in re.split(r"[\s,，、;；]+", text.strip()) if p)


def as_path(text: str) -> Path:
    return Path(os.path.expanduser(text.strip().strip('"').strip("'")))
