"""The search screen (全文检索): the screen an inspector lives in.

Results follow the typing: every keystroke restarts a short timer (``DEBOUNCE``); when it
fires, one thread worker (group ``search``, exclusive) asks the index and posts the result
back with the number of the request it answers, and answers to older requests are dropped.
The first search after the screen is shown makes the index usable (``indexing.ensure``:
rebuilt with progress in the status line on a fresh clone).

The app installs one ``SearchScreen`` and pushes it again on ``/``, so the query, the filters,
the results and the cursor are still there when the clerk comes back from a record.
"""

from __future__ import annotations

import re
import threading
import time
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Footer, Header, Input, Label, OptionList, Select, Static
from textual.widgets.option_list import Option
from textual.worker import get_current_worker

from .. import filing, indexing
from ..errors import JiaError
from ..filing import RecordView
from .dialogs import ReportsWorkerErrors
from ..progress import counting
from .keys import LABELS, SCREEN_BINDINGS, JiaInput, JiaScroll, JiaSelect, translated
from .progress import ProgressEvent, progress_text, reporter
from .widgets import RecordDetail

if TYPE_CHECKING:
    from ..search import Hit, SearchResult
    from .app import JiaApp

DEBOUNCE = 0.25  # seconds of quiet typing before a search starts
PAGE = 50  # hits shown at first; the last row of the list asks for the next PAGE
MATCH_STYLE = "bold $text-warning on $warning-muted"  # matched words, in the theme's colours
MORE_ID = "more"

PLACEHOLDER = '输入检索词，例：职代会 提案 ／ "渝工组〔2008〕28号" ／ code:A-1 year:2020'
HINT = (
    "输入检索词，结果随输入显示；多个词须同时出现，OR 表示或，-词 表示排除。\n"
    "例：职代会 提案　\"渝工组〔2008〕28号\"　code:A-1 year:2020　安康杯 OR 安全月 -通知"
)
KEYS_HINT = "↓ 或 Enter 到结果列表，Enter 在目录中打开记录，o 打开文件，Esc 返回。"


@dataclass(frozen=True)
class SearchRequest:
    """What one search asks: the typed text and the filters beside it."""

    text: str
    volume: str | None = None  # 卷 letter
    year: int | None = None
    include_trashed: bool = False
    limit: int = PAGE


def hit_prompt(hit: "Hit", words: list[str]) -> Content:
    """One hit as two lines: 档号 日期 题名, then the passage with the matched words marked.

    The passage starts shortly before its first match so that the match stays visible when
    the line is cut to the list's width.
    """
    title = Content(hit.title)
    pattern = _words_pattern(words)
    if pattern:
        title = title.highlight_regex(pattern, style=MATCH_STYLE)
    head = Content.assemble(
        (hit.archive_no, "bold"), "  ", (hit.date or "—", "$text-muted"), "  ", title,
        ("（回收站）", "$text-error") if hit.trashed else "",
    )
    text, spans = hit.snippet_text or hit.title, hit.spans
    start = spans[0][0] - 12 if spans and spans[0][0] > 30 else 0
    lead = "…" if start > 0 else ""
    passage = Content(lead + text[start:]).stylize("$text-muted")
    shift = len(lead) - start
    for a, b in spans:
        if b + shift > len(lead):
            passage = passage.stylize(MATCH_STYLE, max(a + shift, len(lead)), b + shift)
    return Content.assemble(head, "\n  ", passage)


def _words_pattern(words: list[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True) if w)


def summary_text(result: "SearchResult", request: SearchRequest) -> Content:
    """What was searched, how many matched, and how they fall over volumes and years."""
    described = result.query.describe() if result.query is not None else request.text
    filters = []
    if request.volume:
        filters.append(f"卷 {request.volume}")
    if request.year:
        filters.append(f"{request.year} 年")
    if request.include_trashed:
        filters.append("含回收站")
    parts = [Content.assemble(("检索：", "bold"), described, f"（{'，'.join(filters)}）" if filters else "")]
    count = f"共 {result.total} 件"
    if result.total > len(result.hits):
        count += f"，显示前 {len(result.hits)} 件"
    line = Content.assemble((count, "bold"))
    volumes = result.facets.get("volume", {})
    years = result.facets.get("year", {})
    if volumes:
        line += Content.assemble("　卷 ", ("  ".join(f"{k} {n}" for k, n in volumes.items()), "$text-muted"))
    if years:
        ordered = sorted(years.items(), key=lambda kv: kv[0], reverse=True)
        line += Content.assemble("　年度 ", ("  ".join(f"{k} {n}" for k, n in ordered), "$text-muted"))
    parts.append(line)
    return Content("\n").join(parts)


class HitList(OptionList):
    """The hits, two lines each; rebuilt once per result set."""

    BINDINGS = translated(
        [replace(b, show=True) if getattr(b, "action", "") == "select" else b for b in OptionList.BINDINGS],
        {**LABELS, "select": "打开记录", "first": "到最前", "last": "到最后"},
    )


class SearchScreen(ReportsWorkerErrors, Screen[None]):
    """检索: the query box, what is searched, filters, the hits, and the highlighted record."""

    DEFAULT_CSS = """
    SearchScreen #query { margin: 0 0; border: none; background: $boost; padding: 0 1; }
    SearchScreen #query:focus { background: $primary 20%; }
    SearchScreen #search-summary { height: auto; max-height: 2; padding: 0 1; }
    SearchScreen #search-filters { height: 1; padding: 0 1; }
    SearchScreen #search-filters Label { padding: 0 1 0 0; color: $text-muted; }
    SearchScreen #filter-volume { width: 26; margin-right: 2; }
    SearchScreen #filter-year { width: 16; margin-right: 2; }
    SearchScreen #filter-trashed { width: auto; color: $text-muted; }
    SearchScreen #filter-trashed.-on { color: $text-warning; text-style: bold; }
    SearchScreen #hits { height: 1fr; min-height: 4; border: none; text-wrap: nowrap; text-overflow: ellipsis; }
    SearchScreen #hits:focus { border: none; }
    SearchScreen #hits > .option-list--option { padding: 0 1; }
    SearchScreen #search-preview-box { height: 30%; min-height: 6; border-top: hkey $foreground 20%; padding: 0 1; scrollbar-size-vertical: 1; }
    SearchScreen #hit-passage { height: auto; margin-bottom: 0; }
    SearchScreen #search-status { height: 1; padding: 0 1; background: $boost; color: $text-muted; }
    SearchScreen #search-status.-error { color: $text-error; }
    """

    BINDINGS = SCREEN_BINDINGS + [
        Binding("escape", "back", "返回", id="search_back"),
        Binding("o", "open_file", "打开文件", id="search_open_file"),
        Binding("ctrl+o", "open_file", "打开文件", show=False, id="search_open_file_ctrl"),
        Binding("ctrl+t", "toggle_trashed", "含回收站", id="search_trashed"),
        Binding("v", "pick_volume", "按卷", id="search_volume"),
        Binding("y", "pick_year", "按年度", id="search_year"),
        Binding("x", "clear_filters", "清除筛选", id="search_clear"),
        Binding("ctrl+s", "save_search", "保存检索", id="search_save"),
        Binding("ctrl+e", "export_results", "导出结果", show=False, id="search_export"),
        Binding("down", "focus_results", "到结果", show=False, id="search_results"),
    ]

    PALETTE = (
        ("检索: 在目录中打开选中的记录", "回到浏览界面并选中这条记录；按 / 回到检索结果", "open_record"),
        ("检索: 用系统程序打开文件", "用本机默认程序打开命中的文件", "open_file"),
        ("检索: 包含回收站中的记录", "切换是否检索回收站中的记录", "toggle_trashed"),
        ("检索: 按卷筛选", "只看 A–F 中某一卷的结果", "pick_volume"),
        ("检索: 按年度筛选", "只看某一年度的结果", "pick_year"),
        ("检索: 清除筛选", "取消卷、年度和回收站筛选", "clear_filters"),
        ("检索: 保存为常用检索", "以后在目录树的“常用检索”中一按即得（Ctrl+S）", "save_search"),
        ("导出: 导出检索结果", "把全部命中记录导出为归档文件目录 Excel 和压缩包（Ctrl+E）", "export_results"),
        ("检索: 返回", "回到上一屏，检索内容保留", "back"),
    )

    class Searched(Message):
        """The answer to request number ``seq``."""

        def __init__(self, seq: int, request: SearchRequest, result: "SearchResult", seconds: float, note: str = "") -> None:
            super().__init__()
            self.seq = seq
            self.request = request
            self.result = result
            self.seconds = seconds
            self.note = note  # what making the index usable did, if anything

    class Failed(Message):
        """A search the clerk can fix (a JiaError): its sentence goes to the status line."""

        def __init__(self, seq: int, message: str) -> None:
            super().__init__()
            self.seq = seq
            self.message = message

    class YearsLoaded(Message):
        def __init__(self, years: list[int]) -> None:
            super().__init__()
            self.years = years

    class RecordLoaded(Message):
        def __init__(self, record_id: int, record: RecordView | None, error: str, then_open: bool,
                     then_file: bool = False) -> None:
            super().__init__()
            self.record_id = record_id
            self.record = record
            self.error = error
            self.then_open = then_open
            self.then_file = then_file

    app: "JiaApp"

    def __init__(self) -> None:
        super().__init__(id="search")
        self.request: SearchRequest | None = None  # the request whose result is shown
        self.result: "SearchResult | None" = None
        self.hits: list["Hit"] = []
        self.include_trashed = False
        self.limit = PAGE
        self.last_seconds = 0.0  # how long the index took to answer the shown request
        self._seq = 0  # number of the latest request; answers to older ones are dropped
        self._timer: Timer | None = None
        self._index_lock = threading.Lock()  # one ensure/search at a time, even when cancelled workers linger
        self._index_ready = False
        self._records: dict[int, RecordView] = {}
        self._keep_record: int | None = None  # keep the cursor on this record across a refresh
        self._keep_row: int | None = None
        self._focus_on_answer = False

    # ------------------------------------------------------------------ layout
    def compose(self) -> ComposeResult:
        arch = self.app.archive
        yield Header()
        yield JiaInput(placeholder=PLACEHOLDER, id="query", compact=True)
        yield Static(HINT, id="search-summary", markup=False)
        with Horizontal(id="search-filters"):
            yield Label("卷")
            yield JiaSelect(
                [(f"{v.letter} {v.title}", v.letter) for v in arch.catalogue.volumes],
                prompt="全部卷", id="filter-volume", compact=True,
            )
            yield Label("年度")
            yield JiaSelect([], prompt="全部年度", id="filter-year", compact=True)
            yield Static("含回收站：否（^t）", id="filter-trashed")
        yield HitList(id="hits")
        with JiaScroll(id="search-preview-box"):
            yield Static("", id="hit-passage")
            yield RecordDetail(id="search-detail")
        yield Static("", id="search-status")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#query", Input).focus()
        self.title = f"{self.app.title} · 全文检索"
        self.query_one("#search-detail", RecordDetail).show(None, empty="")
        self._status(KEYS_HINT)

    def on_screen_resume(self) -> None:
        # Back from a record (or anything else): the archive may have changed meanwhile, so the
        # index is caught up and the shown query asked again, keeping the cursor's record.
        self._index_ready = False
        self._records.clear()  # a record may have been edited meanwhile
        self.load_years()
        if self.request is not None and self.request.text.strip():
            self._keep_record = self.current.record_id if self.current else None
            self.search_now()

    # ------------------------------------------------------------------ state
    @property
    def query_box(self) -> Input:
        return self.query_one("#query", Input)

    @property
    def hit_list(self) -> HitList:
        return self.query_one(HitList)

    @property
    def current(self) -> "Hit | None":
        i = self.hit_list.highlighted
        if i is None or not (0 <= i < len(self.hits)):
            return None
        return self.hits[i]

    def _select_value(self, selector: str) -> object | None:
        select = self.query_one(selector, Select)
        return None if select.is_blank() else select.value

    def current_request(self) -> SearchRequest:
        volume = self._select_value("#filter-volume")
        year = self._select_value("#filter-year")
        return SearchRequest(
            text=self.query_box.value,
            volume=str(volume) if volume else None,
            year=int(year) if year else None,  # type: ignore[arg-type]
            include_trashed=self.include_trashed,
            limit=self.limit,
        )

    def _status(self, text: str, *, error: bool = False) -> None:
        status = self.query_one("#search-status", Static)
        status.update(Content(text))  # plain: paths and queries may hold [brackets]
        status.set_class(error, "-error")

    # ------------------------------------------------------------------ typing and filters
    @on(Input.Changed, "#query")
    def _typed(self) -> None:
        self.limit = PAGE
        self._focus_on_answer = False
        self._keep_record = None
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(DEBOUNCE, self._debounced)

    def _debounced(self) -> None:
        self._timer = None
        self.search_now()

    @on(Input.Submitted, "#query")
    def _submitted(self) -> None:
        if self._timer is not None or self.request != self.current_request():
            self.search_now()
            self._focus_on_answer = True  # Enter means "to the results": go there when they come
        elif self.hits:
            self.hit_list.focus()

    @on(Select.Changed)
    def _filter_changed(self) -> None:
        self.limit = PAGE
        self.search_now()

    @property
    def debouncing(self) -> bool:
        """Whether typed text waits for its search to start (tests wait on this)."""
        return self._timer is not None

    def search_now(self) -> None:
        """Start the search for what the screen shows now; older answers will be dropped."""
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        self._seq += 1
        request = self.current_request()
        if not request.text.strip():
            self._show_empty()
            return
        self._status("正在检索……")
        self.run_search(self._seq, request)

    def _show_empty(self) -> None:
        self.request = None
        self.result = None
        self.hits = []
        self.hit_list.clear_options()
        self.query_one("#search-summary", Static).update(Content(HINT))
        self._preview(None)
        self._status(KEYS_HINT)
        self.refresh_bindings()

    # ------------------------------------------------------------------ the worker
    @work(thread=True, exclusive=True, group="search", exit_on_error=False)
    def run_search(self, seq: int, request: SearchRequest) -> None:
        worker = get_current_worker()
        arch = self.app.archive
        note = ""
        with self._index_lock:
            if worker.is_cancelled:
                return
            started = time.perf_counter()
            try:
                if not self._index_ready:
                    note = indexing.ensure(arch, progress=counting("正在建立检索索引（只在第一次或索引损坏时需要）",
                                                                   reporter(self)))
                    self._index_ready = True
                    started = time.perf_counter()
                if worker.is_cancelled:
                    return
                result = indexing.open_index(arch).search(
                    request.text,
                    code=request.volume,
                    years=(request.year, request.year) if request.year else None,
                    include_trashed=request.include_trashed,
                    limit=request.limit,
                )
            except JiaError as exc:  # a damaged or busy index: say so where the results would be
                self.post_message(self.Failed(seq, str(exc)))
                return
            seconds = time.perf_counter() - started
        if not worker.is_cancelled:
            self.post_message(self.Searched(seq, request, result, seconds, note))

    def on_progress_event(self, event: ProgressEvent) -> None:
        """Index building (only the first time, or after damage): n / N and the time left."""
        self.query_one("#search-status", Static).update(progress_text(event.progress))
        self.query_one("#search-status", Static).remove_class("-error")

    def on_search_screen_failed(self, event: Failed) -> None:
        if event.seq == self._seq:
            self._status(event.message, error=True)

    def on_search_screen_searched(self, event: Searched) -> None:
        if event.seq != self._seq:
            return  # an answer to a query the clerk has already changed
        self.request = event.request
        self.result = event.result
        self.hits = list(event.result.hits)
        self.last_seconds = event.seconds
        words = event.result.query.highlight_words() if event.result.query is not None else []
        options = [Option(hit_prompt(h, words), id=str(i)) for i, h in enumerate(self.hits)]
        if event.result.total > len(self.hits):
            more = min(PAGE, event.result.total - len(self.hits))
            options.append(Option(Content.styled(f"…… 还有 {event.result.total - len(self.hits)} 件，按 Enter 再显示 {more} 件", "$text-muted italic"), id=MORE_ID))
        hit_list = self.hit_list
        keep, keep_row = self._keep_record, self._keep_row
        self._keep_record = self._keep_row = None
        hit_list.clear_options()
        hit_list.add_options(options)
        if self.hits:
            row = next((i for i, h in enumerate(self.hits) if h.record_id == keep), None)
            hit_list.highlighted = row if row is not None else min(keep_row or 0, len(self.hits) - 1)
        self.query_one("#search-summary", Static).update(summary_text(event.result, event.request))
        if not self.hits:
            self._preview(None)
            status = "没有找到符合条件的记录。可以减少检索词，或清除筛选（x）。"
        else:
            status = "↑↓ 选择，Enter 在目录中打开记录，o 用系统程序打开文件，/ 回到检索框。"
        self._status(f"{event.note}{status}")
        if self._focus_on_answer and self.hits and self.query_box.has_focus:
            self.hit_list.focus()
        self._focus_on_answer = False
        self.refresh_bindings()

    # ------------------------------------------------------------------ years for the filter
    @work(thread=True, exclusive=True, group="search-years", exit_on_error=False)
    def load_years(self) -> None:
        years = sorted({y for (_, y) in filing.counts(self.app.archive)}, reverse=True)
        self.post_message(self.YearsLoaded(years))

    def on_search_screen_years_loaded(self, event: YearsLoaded) -> None:
        select = self.query_one("#filter-year", Select)
        keep = select.value
        with select.prevent(Select.Changed):
            select.set_options([(f"{y} 年", y) for y in event.years])
            if keep in event.years:
                select.value = keep

    # ------------------------------------------------------------------ the highlighted hit
    @on(OptionList.OptionHighlighted, "#hits")
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        self._preview(self.current)
        self.refresh_bindings()

    def _preview(self, hit: "Hit | None") -> None:
        passage = self.query_one("#hit-passage", Static)
        detail = self.query_one("#search-detail", RecordDetail)
        if hit is None:
            passage.update("")
            detail.show(None, empty="")
            return
        lines = [Content.assemble(("命中：", "bold"), _marked(hit))]
        if hit.path:
            lines.append(Content.assemble(("文件：", "bold"), hit.path))
        passage.update(Content("\n").join(lines))
        record = self._records.get(hit.record_id)
        if record is not None:
            detail.show(record)
        else:
            detail.show(None, empty="正在读取记录……")
            self.load_record(hit.record_id, then_open=False)

    @work(thread=True, exclusive=True, group="search-record", exit_on_error=False)
    def load_record(self, record_id: int, then_open: bool, then_file: bool = False) -> None:
        try:
            record, error = filing.get_record(self.app.archive, record_id), ""
        except JiaError as exc:
            record, error = None, str(exc)
        if not get_current_worker().is_cancelled:
            self.post_message(self.RecordLoaded(record_id, record, error, then_open, then_file))

    def on_search_screen_record_loaded(self, event: RecordLoaded) -> None:
        if event.record is not None:
            self._records[event.record_id] = event.record
        hit = self.current
        if hit is not None and hit.record_id == event.record_id:
            self.query_one("#search-detail", RecordDetail).show(event.record, empty=event.error or "（记录不存在）")
        if event.then_file and event.record is not None and hit is not None:
            from .browse import open_record_file

            open_record_file(self.app, event.record, hit.file_id)
        if event.then_open and event.record is not None:
            self._go_to(event.record)
        elif event.then_open:
            self._status(event.error, error=True)

    # ------------------------------------------------------------------ what applies
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("open_record", "open_file"):
            return self.current is not None
        if action in ("save_search", "export_results"):
            return self.request is not None and bool(self.request.text.strip())
        if action == "focus_results":
            return self.query_box.has_focus and bool(self.hits)
        return True

    # ------------------------------------------------------------------ actions
    def focus_query(self) -> None:
        """Put the cursor in the query box with its text selected, so typing replaces it."""
        box = self.query_box
        box.focus()
        box.select_all()

    def action_focus_results(self) -> None:
        if self.hits:
            self.hit_list.focus()

    def action_back(self) -> None:
        self.app.pop_screen()

    @on(OptionList.OptionSelected, "#hits")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        if event.option.id == MORE_ID:
            self.limit += PAGE
            self._keep_row = len(self.hits)  # the cursor goes to the first of the new hits
            self.search_now()
            return
        self.action_open_record()

    def action_open_record(self) -> None:
        """Show the highlighted record in the browse screen (its entry and year in the tree)."""
        hit = self.current
        if hit is None:
            return
        if hit.trashed:
            self.app.notify(f"{hit.archive_no} 在回收站中，不在目录里；可在浏览界面按 t 查看并恢复。", title="在回收站中")
            return
        record = self._records.get(hit.record_id)
        if record is None:
            self.load_record(hit.record_id, then_open=True)
        else:
            self._go_to(record)

    def _go_to(self, record: RecordView) -> None:
        from .browse import BrowseScreen

        if self.app.screen is not self:
            return
        browse = next((s for s in self.app.screen_stack if isinstance(s, BrowseScreen)), None)
        if browse is None:
            return
        while self.app.screen is not browse:
            self.app.pop_screen()
        words = self.result.query.highlight_words() if self.result is not None and self.result.query is not None else []
        browse.show_record(record, words=tuple(words))

    def action_open_file(self) -> None:
        """Open the hit's file (the one that matched, else the record's first) with the system viewer."""
        from .browse import open_record_file

        hit = self.current
        if hit is None:
            return
        record = self._records.get(hit.record_id)
        if record is None:
            self.load_record(hit.record_id, then_open=False, then_file=True)
            return
        open_record_file(self.app, record, hit.file_id)

    def action_save_search(self) -> None:
        """Keep this query and its filters as a 常用检索 (listed in the browse screen's tree)."""
        from .dialogs import NameModal

        request = self.request
        if request is None or not request.text.strip():
            return

        def named(name: str | None) -> None:
            from .. import userconfig

            if not name:
                return
            try:
                userconfig.save_search(userconfig.SavedSearch(name, request.text, request.volume or "", request.year))
            except (JiaError, OSError) as exc:
                self.app.notify(f"未能保存：{exc}", severity="error")
                return
            self.app.notify(f"已保存常用检索“{name}”，可在目录树的“常用检索”中打开。", title="常用检索")

        self.app.push_screen(NameModal(request.text.strip()[:30], title="保存为常用检索", cancel="取消",
                                       prompt="给这条检索起个名字，以后在目录树的“常用检索”中一按即得。",
                                       placeholder="如 职代会提案"), named)

    def action_export_results(self) -> None:
        from ..selection import RecordQuery
        from .bulk import ExportModal

        request = self.request
        if request is None:
            return
        query = RecordQuery(search=request.text, code=request.volume, year=request.year)
        self.app.push_screen(ExportModal(query, f"检索“{request.text.strip()}”的结果"))

    def action_toggle_trashed(self) -> None:
        self.include_trashed = not self.include_trashed
        flag = self.query_one("#filter-trashed", Static)
        flag.update(f"含回收站：{'是' if self.include_trashed else '否'}（^t）")
        flag.set_class(self.include_trashed, "-on")
        self.search_now()

    def action_pick_volume(self) -> None:
        self._open_select("#filter-volume")

    def action_pick_year(self) -> None:
        self._open_select("#filter-year")

    def _open_select(self, selector: str) -> None:
        select = self.query_one(selector, Select)
        select.focus()
        select.action_show_overlay()

    def action_clear_filters(self) -> None:
        changed = self.include_trashed
        self.include_trashed = False
        self.query_one("#filter-trashed", Static).update("含回收站：否（^t）")
        self.query_one("#filter-trashed", Static).remove_class("-on")
        for selector in ("#filter-volume", "#filter-year"):
            select = self.query_one(selector, Select)
            if not select.is_blank():
                changed = True
                with select.prevent(Select.Changed):
                    select.clear()
        if changed:
            self.search_now()


def _marked(hit: "Hit") -> Content:
    """The whole passage with its matched words marked (for the preview pane)."""
    passage = Content(hit.snippet_text or hit.title)
    for a, b in hit.spans:
        passage = passage.stylize(MATCH_STYLE, a, b)
    return passage
