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
from textual.reactive import reactive
from textual.suggester import Suggester
from textual.coordinate import Coordinate
from textual.widgets import DataTable, Footer, Label, Static, Tree
from textual.widgets.tree import TreeNode

from ..derive import DATE_SOURCES
from ..filing import RecordView
from ..indexing import FileProblem
from ..selection import RecordQuery
from ..userconfig import SavedSearch
from .keys import TABLE_BINDINGS, TREE_BINDINGS

# ---------------------------------------------------------------- the catalogue tree


@dataclass(frozen=True)
class Selection:
    """What the tree points at: everything, a volume (卷, "A"), an entry ("A-1"), an entry's
    year, a tag, or a saved search (常用检索); "tags" and "searches" are the headings of the last two."""

    code: str | None = None
    year: int | None = None
    kind: str = "all"  # "all" | "volume" | "entry" | "year" | "tag" | "search" | "tags" | "searches"
    tag: str | None = None
    query: str | None = None  # a saved search's query (its ``code``/``year`` are its filters)
    name: str | None = None  # a saved search's name

    @property
    def entry_code(self) -> str | None:
        """The entry to preselect when filing from here (None for a volume or everything)."""
        return self.code if self.kind in ("entry", "year") else None

    @property
    def lists_records(self) -> bool:
        return self.kind not in ("tags", "searches")

    def describe(self) -> str:
        if self.kind == "all":
            return "全部档案"
        if self.kind == "year":
            return f"{self.code} · {self.year} 年"
        if self.kind == "tag":
            return f"标签“{self.tag}”"
        if self.kind == "search":
            return f"常用检索“{self.name}”"
        if self.kind == "tags":
            return "标签"
        if self.kind == "searches":
            return "常用检索"
        return str(self.code)

    def to_query(self) -> RecordQuery:
        """The records this part of the tree lists (see ``selection.RecordQuery``)."""
        if self.kind == "tag":
            return RecordQuery(tag=self.tag)
        if self.kind == "search":
            return RecordQuery(search=self.query, code=self.code, year=self.year)
        if self.kind in ("volume", "entry", "year"):
            return RecordQuery(code=self.code, year=self.year)
        return RecordQuery()


def _covers(code: str, prefix: str) -> bool:
    """Whether an entry code lies under ``prefix`` (a volume letter or an entry code)."""
    return code == prefix or code.startswith(prefix + "-")


def _count_label(head: str, title: str, n: int | None, unit: str = "") -> Text:
    """``A 15 效益（绩效）之家``: the count before the title, so a narrow tree cuts only the title."""
    text = Text.assemble((head, "bold"))
    if n:
        text.append(f" {n}{unit}", style="bold")
    text.append(f" {title}" if title else "")
    if n == 0:
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
        self._tags: dict[str, int] = {}
        self._searches: tuple[SavedSearch, ...] = ()
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
        if sel.kind == "tag":
            return str(sel.tag), ""
        if sel.kind == "search":
            return str(sel.name), ""
        if sel.kind in ("tags", "searches"):
            return sel.describe(), ""
        return str(sel.year), ""

    def count(self, sel: Selection) -> int | None:
        """Records under ``sel`` (None where the tree does not know: a saved search, a heading)."""
        if sel.kind == "all":
            return sum(self._counts.values())
        if sel.kind == "year":
            return self._counts.get((str(sel.code), int(sel.year or 0)), 0)
        if sel.kind == "volume":
            return sum(n for (c, _), n in self._counts.items() if c.split("-", 1)[0] == sel.code)
        if sel.kind == "entry":
            return sum(n for (c, _), n in self._counts.items() if _covers(c, str(sel.code)))
        if sel.kind == "tag":
            return self._tags.get(str(sel.tag), 0)
        return None

    def _label_for(self, sel: Selection) -> Text:
        head, title = self._title(sel)
        unit = "件" if sel.kind in ("all", "year", "tag") else ""
        return _count_label(head, title, self.count(sel), unit)

    def _children_of(self, sel: Selection) -> list[Selection]:
        if sel.kind == "tags":
            return [Selection(kind="tag", tag=t) for t in self._tags]
        if sel.kind == "searches":
            return [Selection(kind="search", name=x.name, query=x.query, code=x.volume or None, year=x.year)
                    for x in self._searches]
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
            expandable = sel.kind in ("volume", "tags", "searches") or (sel.kind == "entry" and bool(self._children_of(sel)))
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
    def update_counts(self, counts: Mapping[tuple[str, int], int], tags: Mapping[str, int] | None = None,
                      searches: Sequence[SavedSearch] | None = None) -> None:
        """New counts: relabel every node, add year nodes that appeared, rebuild tags and saved searches."""
        self._counts = dict(counts)
        if tags is not None:
            self._tags = dict(tags)
        if searches is not None:
            self._searches = tuple(searches)
        self._refresh(self.root)
        for kind, wanted in (("tags", bool(self._tags)), ("searches", bool(self._searches))):
            self._group(kind, wanted)

    def _group(self, kind: str, wanted: bool) -> None:
        """The 标签 / 常用检索 heading: there when it has children, its children rebuilt."""
        node = next((c for c in self.root.children if c.data is not None and c.data.kind == kind), None)
        if not wanted:
            if node is not None:
                node.remove()
            return
        if node is None:
            node = self.root.add(self._label_for(Selection(kind=kind)), data=Selection(kind=kind), allow_expand=True)
            return
        if node.id in self._loaded:
            have = [c.data for c in node.children]
            if have != self._children_of(node.data):  # type: ignore[arg-type]
                keep = self.cursor_node.data if self.cursor_node is not None else None
                node.remove_children()
                self._fill(node)
                if keep is not None and keep.kind in ("tag", "search"):
                    self.go_to(self.find(keep))

    def _refresh(self, node: TreeNode[Selection]) -> None:
        for child in list(node.children):
            sel = child.data
            assert sel is not None
            child.set_label(self._label_for(sel))
            if sel.kind in ("tags", "searches"):
                continue  # rebuilt by _group
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
        if sel.kind in ("tag", "search", "tags", "searches"):
            group = "tags" if sel.kind in ("tag", "tags") else "searches"
            node = next((c for c in self.root.children if c.data is not None and c.data.kind == group), None)
            if node is None or sel.kind == group:
                return node
            if node.id not in self._loaded:
                self._fill(node)
            node.expand()
            return next((c for c in node.children if c.data == sel), node)
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

MARK = "✓"
WARN = "⚠"


def files_summary(r: RecordView, problems: int = 0) -> str:
    """``docx``, ``pdf+2``; ``⚠pdf`` when a file cannot be read (encrypted, damaged …)."""
    kinds = [f.kind for f in r.files]
    if not kinds:
        return "—"
    return (WARN if problems else "") + kinds[0] + (f"+{len(kinds) - 1}" if len(kinds) > 1 else "")


class RecordTable(DataTable):
    """The records of the current selection: 档号, 日期, 题名, 文件; marked rows carry ✓."""

    BINDINGS = TABLE_BINDINGS

    class Highlighted(Message):
        """The cursor is on another record (None: the table is empty)."""

        def __init__(self, record: RecordView | None) -> None:
            super().__init__()
            self.record = record

    def __init__(self, **kwargs) -> None:
        super().__init__(cursor_type="row", zebra_stripes=True, **kwargs)
        self.records: list[RecordView] = []
        self.problems: dict[int, list[FileProblem]] = {}
        self.marked: set[int] = set()
        self._built_width = 0

    def on_mount(self) -> None:
        self._build_columns()

    def _number_cell(self, r: RecordView) -> Text:
        if r.id in self.marked:
            return Text.assemble((MARK, "bold"), (r.archive_no, "bold reverse"))
        return Text(" " + r.archive_no)

    def _files_cell(self, r: RecordView) -> Text:
        n = len(self.problems.get(r.id, ()))
        return Text(files_summary(r, n), style="bold yellow" if n else "")

    def _build_columns(self) -> None:
        no_w = 1 + max([cell_len("档号")] + [cell_len(r.archive_no) for r in self.records])
        files_w = max([cell_len("文件")] + [self._files_cell(r).cell_len for r in self.records])
        # the title takes what is left, so 文件 stays visible at 80 columns
        left = self.size.width - (no_w + 10 + files_w) - 2 * 4 - 1
        self.add_column("档号", key="archive_no", width=no_w)
        self.add_column("日期", key="date", width=10)
        self.add_column("题名", key="title", width=max(12, left))
        self.add_column("文件", key="files", width=files_w)
        self._built_width = self.size.width

    def show(self, records: Iterable[RecordView], *, focus_id: int | None = None, focus_row: int | None = None,
             problems: Mapping[int, list[FileProblem]] | None = None) -> None:
        """Replace the rows (one clear, one add_rows); the cursor goes to ``focus_id``, else ``focus_row``."""
        self.records = list(records)
        if problems is not None:
            self.problems = dict(problems)
        self.clear(columns=True)
        self._build_columns()
        self.add_rows(
            (self._number_cell(r), r.date.isoformat() if r.date else "—", r.title, self._files_cell(r))
            for r in self.records
        )
        row = next((i for i, r in enumerate(self.records) if r.id == focus_id), None)
        if self.records:
            self.move_cursor(row=min(focus_row or 0, len(self.records) - 1) if row is None else row, animate=False)
        self.post_message(self.Highlighted(self.current))

    def set_marked(self, marked: set[int]) -> None:
        """Redraw the 档号 cells of rows whose mark changed."""
        changed = (self.marked ^ marked)
        self.marked = set(marked)
        for i, r in enumerate(self.records):
            if r.id in changed:
                self.update_cell_at(Coordinate(i, 0), self._number_cell(r))

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


PREVIEW_CHARS = 4000  # characters of a file's text shown in the detail pane
HIT_STYLE = "bold reverse"


@dataclass(frozen=True)
class Preview:
    """The text of a record's file for the detail pane (or why there is none)."""

    record_id: int
    file_name: str = ""
    text: str = ""
    note: str = ""  # 已加密 …, 照片 …, 没有可显示的文字 …
    words: tuple[str, ...] = ()  # searched words to highlight


def highlighted(text: str, words: Sequence[str], style: str = HIT_STYLE) -> Text:
    """``text`` with every occurrence of ``words`` marked (longest first, case-insensitive)."""
    import re

    out = Text(text)
    pattern = "|".join(re.escape(w) for w in sorted({w for w in words if w}, key=len, reverse=True))
    if pattern:
        out.highlight_regex(re.compile(pattern, re.IGNORECASE), style=style)
    return out


class RecordDetail(Static):
    """All fields of one record, its files (with what cannot be read), and a preview of its text."""

    record: RecordView | None = None

    def show(self, r: RecordView | None, *, empty: str = "（未选中记录）", problems: Sequence[FileProblem] = (),
             preview: Preview | None = None) -> None:
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
            ("年度", str(r.year)),
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
        unreadable = {p.file_id: p for p in problems}
        for i, f in enumerate(r.files):
            grid.add_row("文件" if i == 0 else "", Text(f"{f.path}（{f.kind}，{_size(f.size)}）"))
            if f.id in unreadable:
                grid.add_row("", Text(f"{WARN} {unreadable[f.id].reason}正文无法检索。", style="bold yellow"))
        if preview is not None and preview.record_id == r.id:
            if preview.text:
                body = preview.text[:PREVIEW_CHARS] + ("……" if len(preview.text) > PREVIEW_CHARS else "")
                grid.add_row("正文", highlighted(body, preview.words))
            elif preview.note:
                grid.add_row("正文", Text(preview.note, style="dim"))
        self.update(grid)


# ---------------------------------------------------------------- the footer


class JiaFooter(Footer):
    """The footer, with the number of marked records at its end (``已选 3 件``)."""

    DEFAULT_CSS = """
    JiaFooter .footer-marks { padding: 0 1; background: $accent; color: $text; text-style: bold; }
    """

    marked: reactive[int] = reactive(0, recompose=True)

    def compose(self):  # noqa: ANN201
        yield from super().compose()
        if self.marked:
            yield Label(f"已选 {self.marked} 件", classes="footer-marks")


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
