"""`jiaarchive search` and `jiaarchive index ...`: full-text search for clerks and inspectors."""

from __future__ import annotations

import click

from . import emit_json, open_archive


def _progress_printer(label: str):  # noqa: ANN202
    """A one-line progress bar on stderr (replaced in place), quiet when not a terminal."""
    import sys

    state = {"last": -1}

    def show(done: int, total: int | None) -> None:
        if not sys.stderr.isatty():
            return
        pct = int(done * 100 / total) if total else 0
        if pct == state["last"] and done != total:
            return
        state["last"] = pct
        bar = "█" * (pct // 4) + "░" * (25 - pct // 4)
        click.echo(f"\r{label} {bar} {done}/{total or '?'}", nl=False, err=True)
        if total and done >= total:
            click.echo("", err=True)

    return show


# ignore_unknown_options: "-通知" (leave out records with 通知) is a query word, not an option.
@click.command("search", context_settings={"ignore_unknown_options": True})
@click.argument("query", nargs=-1, required=True, type=click.UNPROCESSED)
@click.option("--code", help="只查某卷（A）或某目录（A-1）")
@click.option("--year", help="年度，如 2020 或 2020..2021")
@click.option("--item", type=int, help="关联的评分项目序号")
@click.option("--type", "kind", help="文件类型，如 照片、Word 文档、PDF 文档、Excel 表格")
@click.option("--limit", default=20, show_default=True, help="最多显示几条")
@click.option("--trash", "include_trashed", is_flag=True, help="也查回收站中的记录")
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def search_cmd(ctx: click.Context, query: tuple[str, ...], code: str | None, year: str | None, item: int | None,
               kind: str | None, limit: int, include_trashed: bool, as_json: bool) -> None:
    """全文检索：在题名、文号、责任者和文件正文中查找（多个词须同时出现）。

    \b
    例：jiaarchive search 职代会 提案 --year 2020..2021
        jiaarchive search "渝工组〔2008〕28号"
        jiaarchive search 安全生产月 OR 安康杯 -通知 code:E
    """
    from . import parse_year_range

    for word in query:  # "-通知" is a query word; "--nosuch" is a mistyped option
        if word.startswith("--") and len(word) > 2:
            names = [n for param in ctx.command.params for n in getattr(param, "opts", ()) if n.startswith("--")]
            raise click.NoSuchOption(word.split("=", 1)[0], possibilities=names, ctx=ctx)
    years = parse_year_range(year)
    if isinstance(years, int):
        years = (years, years)
    filters = dict(code=code, years=years, item=item, kind=kind, include_trashed=include_trashed, limit=limit)
    text = " ".join(query)
    result, notes = _search_index_alone(ctx, text, filters)
    if result is None:
        result, notes = _search_opened(ctx, text, filters)
    for note in notes:
        if note and not as_json:
            click.echo(note, err=True)
    if as_json:
        emit_json(result.to_json())
        return
    if not result.hits:
        click.echo("没有找到符合条件的记录。")
        return
    for h in result.hits:
        trashed = "（回收站）" if h.trashed else ""
        click.echo(f"{h.archive_no}  {h.date or ''}  {h.title}{trashed}")
        if h.snippet:
            click.echo(f"    {'［文字识别］' if h.ocr else ''}{h.snippet}")
        if h.path:
            click.echo(f"    → {h.path}")
    shown = f"，显示前 {len(result.hits)} 件" if result.total > len(result.hits) else ""
    click.echo(f"共找到 {result.total} 件{shown}。")
    for name, label in (("volume", "按卷"), ("year", "按年度")):
        counts = result.facets.get(name) or {}
        if counts:
            click.echo(f"{label}：" + "　".join(f"{k} {v}件" for k, v in sorted(counts.items())))


def _search_index_alone(ctx: click.Context, text: str, filters: dict):  # noqa: ANN202
    """The fast first answer: the index alone, no database, when nothing is pending
    (``search.fastpath.index_alone``); ``(None, [])`` when the full open must answer."""
    from ..errors import IndexDamaged
    from ..search.fastpath import index_alone
    from ..settings import find_root, read

    root = find_root(ctx.obj.get("archive"))
    settings = read(root)
    index_dir, why = index_alone(root, settings)
    if index_dir is None:
        if ctx.obj.get("debug"):
            click.echo(f"(full open: {why})", err=True)
        return None, []
    from ..search import SearchIndex
    from ..search.synonyms import archive_groups

    groups, warnings = archive_groups(settings.extra)
    try:
        with SearchIndex.open(index_dir, create=False, extra_groups=groups) as idx:
            return idx.search(text, **filters), warnings
    except IndexDamaged:
        return None, []  # the full open says why and rebuilds


def _search_opened(ctx: click.Context, text: str, filters: dict):  # noqa: ANN202
    """Open the archive (the ORM), make the index usable (rebuild, catch up), then search."""
    from .. import indexing

    arch = open_archive(ctx, read_only=True)
    note = indexing.ensure(arch, progress=_progress_printer("正在建立检索索引"))
    return indexing.search(arch, text, **filters), [note, *indexing.synonym_warnings(arch)]


@click.group("index")
def index_group() -> None:
    """检索索引（可随时由数据库和文件重建）。"""


@index_group.command("rebuild")
@click.option("--reextract", is_flag=True, help="重新提取全部文件的文字（不用缓存）")
@click.pass_context
def rebuild_cmd(ctx: click.Context, reextract: bool) -> None:
    """由数据库和档案文件重建检索索引。"""
    from .. import indexing

    arch = open_archive(ctx, read_only=True)
    n = indexing.rebuild(arch, progress=_progress_printer("正在重建检索索引"), reextract=reextract)
    click.echo(f"检索索引已重建：{n} 件记录。")
    bad = indexing.unreadable(arch)
    if bad:
        click.echo(f"其中 {len(bad)} 个文件无法读出文字（仍已归档），可用 jiaarchive index status 查看原因。")


@index_group.command("check")
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def check_cmd(ctx: click.Context, as_json: bool) -> None:
    """核对索引与数据库：缺少的、过时的、多余的记录（有问题时返回非零）。"""
    from .. import indexing
    from ..errors import IndexDamaged

    arch = open_archive(ctx, read_only=True)
    try:
        res = indexing.check(arch)
    except IndexDamaged as exc:
        if as_json:
            emit_json({"ok": False, "damaged": str(exc)})
        else:
            click.echo(f"错误：{exc}", err=True)
        ctx.exit(1)
    if as_json:
        emit_json({"ok": res.ok, "missing": res.missing, "stale": res.stale, "orphans": res.orphans, "pending": res.pending})
    else:
        for label, ids in (("索引中缺少", res.missing), ("索引已过时", res.stale), ("索引中多余", res.orphans), ("待补建", res.pending)):
            if ids:
                click.echo(f"{label}：{len(ids)} 件（记录编号 {', '.join(map(str, ids[:20]))}{' …' if len(ids) > 20 else ''}）")
        click.echo("检索索引与数据库一致。" if res.ok else "检索索引与数据库不一致，请运行 jiaarchive index rebuild。")
    ctx.exit(0 if res.ok else 1)


@index_group.command("status")
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def status_cmd(ctx: click.Context, as_json: bool) -> None:
    """列出无法读出文字的文件及原因（这些文件仍已归档，只是正文检索不到）。"""
    from .. import indexing

    arch = open_archive(ctx, read_only=True)
    indexing.ensure(arch, progress=_progress_printer("正在建立检索索引"))
    bad = indexing.unreadable(arch)
    ocr = indexing.ocr_state(arch)
    if as_json:
        # The unreadable files as before, then the pages text recognition could not read.
        emit_json([{"archive_no": b.archive_no, "path": b.path, "status": b.status, "reason": b.reason}
                   for b in bad] + [{"archive_no": f.archive_no, "path": f.path, "status": f"ocr_{f.status}",
                                     "reason": f.reason} for f in ocr.failed])
        return
    click.echo(indexing.open_index(arch).tuning().describe())
    for warning in indexing.synonym_warnings(arch):
        click.echo(warning)
    click.echo(ocr.describe())
    for b in bad:
        click.echo(f"{b.archive_no}  [{b.status_label}] {b.reason}")
        click.echo(f"    {b.path}")
    for f in ocr.failed:
        click.echo(f"{f.archive_no}  [文字识别{f.status_label}] {f.reason}")
        click.echo(f"    {f.path}")
    click.echo(f"共 {len(bad)} 个文件无法读出文字。" if bad else "所有文件的文字都已读出（扫描件以文字识别为准）。")


@index_group.command("ocr")
@click.option("--max-minutes", type=float, help="最多识别多少分钟（其余下次继续）")
@click.option("--background", "quiet", is_flag=True, help="不显示任何内容，降低优先级（归档后自动启动时用）")
@click.pass_context
def ocr_cmd(ctx: click.Context, max_minutes: float | None, quiet: bool) -> None:
    """文字识别：识别扫描件和照片中的文字，使其可以检索（归档后也会在后台自动进行）。"""
    import os

    from .. import indexing
    from ..extract.ocr import NOT_INSTALLED, available

    if quiet and hasattr(os, "nice"):
        os.nice(10)  # the clerk's own work first; the workers it starts inherit this
    arch = open_archive(ctx)
    if not available():
        if not quiet:
            click.echo(NOT_INSTALLED, err=True)
        ctx.exit(1)
    done = indexing.run_ocr(arch, progress=None if quiet else _progress_printer("正在识别扫描件和照片中的文字"),
                            max_seconds=max_minutes * 60 if max_minutes else None)
    if quiet:
        return
    if done is None:
        click.echo("另一个程序正在进行文字识别，请稍后再看 jiaarchive index status。")
        return
    state = indexing.ocr_state(arch)
    click.echo(f"已识别 {done} 页。" + (f"还有 {state.waiting} 页等待识别。" if state.waiting else ""))


COMMANDS = [search_cmd, index_group]
