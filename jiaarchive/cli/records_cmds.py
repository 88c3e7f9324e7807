"""Record commands: add, attach, ls, show, edit, rm, restore, export, undo."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import click

from . import emit_json, open_archive, parse_date_option, parse_year_range


def record_filters(func):  # noqa: ANN001, ANN201
    """The selection options ``ls`` and ``export`` share (a later command can reuse them)."""
    options = [
        click.option("--code", help="目录编号（A-1）或卷（A）"),
        click.option("--year", help="年度，如 2021 或 2019..2021"),
        click.option("--item", type=int, help="关联的评分项目序号"),
        click.option("--tag", help="标签"),
        click.option("--text", help="题名中包含的文字"),
        click.option("--search", "-q", help="全文检索词（同 jiaarchive search，结果按相关程度排列）"),
        click.option("--trash", is_flag=True, help="只选回收站中的记录"),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def query_from(numbers: tuple[str, ...] = (), *, code=None, year=None, item=None, tag=None, text=None,  # noqa: ANN001, ANN201
               search=None, trash=False, **_ignored):
    """The ``RecordQuery`` the shared options (and any 档号 named) describe."""
    from ..selection import RecordQuery

    return RecordQuery(code=code, year=parse_year_range(year), item=item, tag=tag, text=text, search=search,
                       numbers=tuple(numbers), trashed=trash)


def _progress():  # noqa: ANN202
    from .progress import progress_line

    return progress_line()


def _print_problems(arch, views, *, extract: bool) -> None:  # noqa: ANN001
    """Say which of the files of ``views`` cannot be read (encrypted, damaged, scanned)."""
    from ..indexing import file_problems

    problems = file_problems(arch, [v.id for v in views], extract=extract)
    for v in views:
        for p in problems.get(v.id, ()):
            click.echo(f"提示：{v.archive_no} 的{p.reason}已照常归档，但正文无法检索（{p.status_label}）。", err=True)


def _print_filed(view, *, note: str = "") -> None:  # noqa: ANN001
    d = view.date.isoformat() if view.date else "（无日期）"
    pages = f"  {view.pages} 页" if view.pages else ""
    click.echo(f"已归档  {view.archive_no}  {d}  {view.title}{pages}{note}")
    for f in view.files:
        click.echo(f"    → {f.path}")


@click.command("add")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path, exists=False))
@click.option("--code", required=True, help="目录编号，如 A-1")
@click.option("--title", help="题名（默认取文档属性或文件名）")
@click.option("--date", "when", callback=parse_date_option, help="形成日期 YYYY-MM-DD（默认取文档属性、文件名或照片拍摄时间）")
@click.option("--year", type=int, help="年度（默认为形成日期的年份）")
@click.option("--doc-no", default="", help="文号，如 渝工组〔2008〕28号")
@click.option("--responsible", default="", help="责任者（发文或形成单位）")
@click.option("--retention", help="保管期限：永久、定期30年、定期10年（默认按目录）")
@click.option("--pages", type=int, help="页数")
@click.option("--secrecy", default="", help="密级（空、内部、秘密、机密）")
@click.option("--remarks", default="", help="备注")
@click.option("--tag", "tags", multiple=True, help="标签，可多次使用")
@click.option("--item", "items", multiple=True, type=int, help="关联评分表项目序号，可多次使用")
@click.option("--together", is_flag=True, help="所有文件合为一件（默认每个文件单独一件）")
@click.option("--allow-duplicate", is_flag=True, help="内容重复的文件也归档（不询问）")
@click.option("--skip-duplicates", is_flag=True, help="跳过内容重复的文件（不询问，不算作失败）")
@click.option("--force", is_flag=True, help="照片检查有错误时仍然归档（不询问）")
@click.option("--skip-bad", is_flag=True, help="跳过检查有错误的照片（不询问）")
@click.option("--all-or-nothing", is_flag=True, help="有一个文件不能归档就全部不归档")
@click.option("--batch", is_flag=True, help="批处理：不询问；重复文件和有错误的照片跳过并列出（标准输入不是终端时同样如此）")
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def add_cmd(ctx: click.Context, files: tuple[Path, ...], code: str, title: str | None, when: date | None, year: int | None,
            doc_no: str, responsible: str, retention: str | None, pages: int | None, secrecy: str, remarks: str,
            tags: tuple[str, ...], items: tuple[int, ...], together: bool, allow_duplicate: bool, skip_duplicates: bool,
            force: bool, skip_bad: bool, all_or_nothing: bool, batch: bool, as_json: bool) -> None:
    """归档文件：复制到对应目录和年度文件夹，原文件不动。

    \b
    可以给出文件、文件夹（连同子文件夹）或压缩包（.zip）；每个文件单独一件（--together 合为一件）。
    隐藏文件、Thumbs.db、desktop.ini、~$ 临时文件自动跳过。能归档的都归档，不能归档的在最后逐个
    列出原因，此时退出状态为 1。重复文件和有错误的照片会询问如何处理（跳过 / 仍然归档）。
    例：jiaarchive add 2021职代会 --code B-1
    """
    from ..filing import Draft
    from ..filing.intake import intake

    arch = open_archive(ctx)
    draft = Draft(code=code.strip().upper(), title=title, date=when, year=year, doc_no=doc_no, responsible=responsible,
                  retention=retention, pages=pages, secrecy=secrecy, remarks=remarks, tags=tags, items=items)
    policy = _policy(allow_duplicate, skip_duplicates, force, skip_bad)
    from .progress import CtrlC

    with CtrlC() as stop:
        result = intake(arch, files, draft, questions=_questions(batch), policy=policy, together=together,
                        all_or_nothing=all_or_nothing, progress=_progress(), cancelled=stop)
    _report(ctx, arch, result, as_json=as_json, explicit_skip=skip_duplicates)


def _policy(allow_duplicate: bool, skip_duplicates: bool, force: bool, skip_bad: bool):  # noqa: ANN202
    from ..filing.intake import ASK, FILE, SKIP, Policy

    if allow_duplicate and skip_duplicates:
        raise click.UsageError("--allow-duplicate 与 --skip-duplicates 只能选一个。")
    if force and skip_bad:
        raise click.UsageError("--force 与 --skip-bad 只能选一个。")
    return Policy(duplicates=FILE if allow_duplicate else SKIP if skip_duplicates else ASK,
                  bad_photos=FILE if force else SKIP if skip_bad else ASK)


class _Prompt:
    """The CLI's answers to the intake run's questions: a numbered choice on the terminal."""

    def ask(self, findings):  # noqa: ANN001, ANN201
        from ..filing.intake import BAD_PHOTO, DUPLICATE_FOUND, FILE_ANYWAY, SKIP_DUPLICATES, SKIP_PROBLEMS

        for f in findings:
            click.echo(f"{'重复' if f.kind == DUPLICATE_FOUND else '照片有错误'}  {f.path}：{f.reason}", err=True)
        kinds = {f.kind for f in findings}
        choices = []
        if DUPLICATE_FOUND in kinds:
            choices.append(("跳过重复", SKIP_DUPLICATES))
        if BAD_PHOTO in kinds:
            choices.append(("跳过有问题的文件", SKIP_PROBLEMS))
        choices.append(("仍然归档", FILE_ANYWAY))
        menu = "  ".join(f"{i} {label}" for i, (label, _a) in enumerate(choices, 1)) + "  0 取消"
        click.echo(f"以上 {len(findings)} 个文件需要您决定：{menu}", err=True)
        # Enter never files a photo the check found errors in: then the default skips the problems
        default = next(i for i, (_l, a) in enumerate(choices, 1) if a is SKIP_PROBLEMS) if BAD_PHOTO in kinds else 1
        n = click.prompt("请选择", type=click.IntRange(0, len(choices)), default=default, err=True)
        return None if n == 0 else choices[n - 1][1]


def _questions(batch: bool):  # noqa: ANN202
    """Questions are asked on a terminal only; a batch or a script settles them by flags (skip)."""
    import sys

    return None if batch or not sys.stdin.isatty() else _Prompt()


def _report(ctx: click.Context, arch, result, *, as_json: bool, explicit_skip: bool = False,  # noqa: ANN001
            attached: bool = False) -> None:
    """Print what was filed, then every file not filed with its reason; exit 1 when any was not."""
    from ..filing.intake import BAD_PHOTO, DUPLICATE_FOUND, FILED
    from ..photos.records import list_photos

    views = result.records
    if as_json:
        emit_json([v.to_json() for v in views])
    else:
        for v in views:
            note = "（形成日期取自文件修改时间，请核对）" if v.date_source == "mtime" and not attached else ""
            _print_filed(v, note=note)
            for n in v.notes:  # a link followed, a name partly unreadable
                click.echo(f"提示：{n}", err=True)
    new_ids = [f.id for v in views for f in v.files]
    for p in list_photos(arch, file_ids=new_ids) if new_ids and any(o.status == FILED for o in result.outcomes) else []:
        for w in p.warnings:
            click.echo(f"提示：{w}", err=True)
    if not attached:
        _print_problems(arch, views, extract=True)
    missed = result.not_filed
    if len(result.outcomes) == 1 and missed:  # one file: one sentence, as any other error
        click.echo(f"错误：{missed[0].reason}", err=True)
    elif missed:
        click.echo("以下文件未归档：", err=True)
        for o in missed:
            click.echo(f"  {o.line()}", err=True)
    if missed and ctx.obj and ctx.obj.get("debug"):  # the technical detail, when asked for
        import traceback

        for o in missed:
            if o.error is not None:
                click.echo("".join(traceback.format_exception(o.error)), err=True)
    if missed:
        kinds = {o.kind for o in missed}
        if DUPLICATE_FOUND in kinds and not explicit_skip:
            click.echo("如确需重复归档，请加 --allow-duplicate。", err=True)
        if BAD_PHOTO in kinds:
            click.echo("照片有错误，不能作为证据；确需归档请加 --force。", err=True)
    if not result.outcomes:
        click.echo("没有可归档的文件。" + result.skipped_text(), err=True)
        ctx.exit(1)
    if len(result.outcomes) > 1 or result.skipped:
        click.echo(result.summary(), err=bool(as_json or missed))
    ctx.exit(1 if result.refused_any(duplicates_count=not explicit_skip) else 0)


@click.command("attach")
@click.argument("archive_no")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--allow-duplicate", is_flag=True, help="内容重复的文件也追加（不询问）")
@click.option("--skip-duplicates", is_flag=True, help="跳过内容重复的文件（不询问）")
@click.option("--force", is_flag=True, help="照片检查有错误时仍然追加（不询问）")
@click.option("--skip-bad", is_flag=True, help="跳过检查有错误的照片（不询问）")
@click.option("--batch", is_flag=True, help="批处理：不询问")
@click.pass_context
def attach_cmd(ctx: click.Context, archive_no: str, files: tuple[Path, ...], allow_duplicate: bool,
               skip_duplicates: bool, force: bool, skip_bad: bool, batch: bool) -> None:
    """给已有记录追加文件（如会议纪要的签到表、照片）。照片同样先经检查；有一个不能追加则都不追加（选择跳过的重复文件除外）。"""
    from ..filing.intake import attach

    arch = open_archive(ctx)
    result = attach(arch, archive_no, files, questions=_questions(batch),
                    policy=_policy(allow_duplicate, skip_duplicates, force, skip_bad), progress=_progress())
    _report(ctx, arch, result, as_json=False, explicit_skip=skip_duplicates, attached=True)


@click.command("ls")
@record_filters
@click.option("--limit", type=int, help="最多显示条数（默认全部）")
@click.option("--xlsx", "xlsx_path", type=click.Path(dir_okay=False, path_type=Path),
              help="把列出的记录导出为归档文件目录（Excel）")
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def ls_cmd(ctx: click.Context, limit: int | None, xlsx_path: Path | None, as_json: bool, **filters) -> None:  # noqa: ANN003
    """列出记录（可按目录、年度、评分项、标签、题名或全文检索筛选）。"""
    from .. import textfmt
    from ..selection import count_records, select_records

    arch = open_archive(ctx, read_only=True)
    query = query_from(**filters)
    if xlsx_path:
        from ..export import write_list

        views = select_records(arch, query)
        write_list(arch, views, xlsx_path)
        click.echo(f"已导出归档文件目录：{xlsx_path}（{query.describe()}，共 {len(views)} 件）")
        return
    views = select_records(arch, query, limit=limit)
    if as_json:
        out = []
        for v in views:
            d = v.to_json()
            d["files"] = [{"path": f.path, "sha256": f.sha256, "size": f.size, "kind": f.kind} for f in v.files]
            out.append(d)
        emit_json(out)
        return
    if not views:
        click.echo("（没有符合条件的记录）")
        return
    rows = [(v.archive_no, v.date.isoformat() if v.date else "", v.title, len(v.files)) for v in views]
    click.echo(textfmt.table(("档号", "日期", "题名", "文件"), rows, (None, None, 50, None)))
    total = count_records(arch, query) if limit and len(views) >= limit else len(views)
    if total > len(views):
        click.echo(f"共 {total} 件，显示前 {len(views)} 件。去掉 --limit 查看全部。")
    else:
        click.echo(f"共 {total} 件。")


@click.command("show")
@click.argument("archive_no")
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def show_cmd(ctx: click.Context, archive_no: str, as_json: bool) -> None:
    """显示一件记录的全部信息、文件和修改历史。"""
    from .. import audit, textfmt
    from ..derive import DATE_SOURCES
    from ..filing import get_record

    from ..indexing import file_problems

    arch = open_archive(ctx, read_only=True)
    v = get_record(arch, archive_no)
    with arch.session() as s:
        history = audit.read(s, record_id=v.id, archive_no=v.archive_no, limit=None)
    history.sort(key=lambda h: h.id)
    problems = {p.file_id: p for p in file_problems(arch, [v.id]).get(v.id, ())}
    if as_json:
        d = v.to_json()
        d["history"] = [h.to_json() for h in history]
        d["unreadable"] = [{"path": p.path, "status": p.status, "reason": p.reason} for p in problems.values()]
        emit_json(d)
        return
    entry = arch.catalogue.entry(v.code)
    fields = [
        ("档号", v.archive_no + ("（在回收站中）" if v.trashed else "")),
        ("目录", f"{entry.code} {entry.title}"),
        ("题名", v.title),
        ("文号", v.doc_no),
        ("责任者", v.responsible),
        ("形成日期", (v.date.isoformat() if v.date else "") + (f"（来源：{DATE_SOURCES.get(v.date_source, v.date_source)}）" if v.date_source else "")),
        ("年度", v.year),
        ("保管期限", v.retention),
        ("页数", v.pages if v.pages is not None else ""),
        ("密级", v.secrecy),
        ("归档日期", f"{v.filed_at:%Y-%m-%d %H:%M}"),
        ("标签", "、".join(v.tags)),
        ("评分项目", "、".join(f"第{i}项" for i in v.items)),
        ("备注", v.remarks),
        ("原档号", "、".join(v.former_archive_nos)),
    ]
    for k, val in fields:
        if val not in ("", None):
            click.echo(f"{textfmt.pad(k, 10)}{val}")
    click.echo("文件：")
    for f in v.files:
        click.echo(f"  {f.path}")
        click.echo(f"      原文件名：{f.original_name}　大小：{textfmt.human_size(f.size)}　类型：{f.kind}")
        click.echo(f"      SHA-256：{f.sha256}")
        for n in f.notes:
            click.echo(f"      注意：{n}")
        if f.id in problems:
            click.echo(f"      注意：{problems[f.id].reason}正文无法检索。")
    click.echo("历史：")
    for h in history:
        click.echo(f"  {h.at:%Y-%m-%d %H:%M}  {h.who}  {h.action_label}  {h.archive_no}")
        for line in audit.render(h, arch.standards):
            click.echo(f"      {line}")


@click.command("edit")
@click.argument("archive_nos", nargs=-1, required=True)
@click.option("--code", help="改归到另一个目录（文件随之移动，档号更新，原档号保留在历史中）")
@click.option("--title")
@click.option("--date", "when", callback=parse_date_option)
@click.option("--year", type=int)
@click.option("--doc-no")
@click.option("--responsible")
@click.option("--retention")
@click.option("--pages", type=int)
@click.option("--secrecy")
@click.option("--remarks")
@click.option("--tag", "tags", multiple=True, help="设置标签（替换原有标签），可多次使用")
@click.option("--add-tag", "add_tags", multiple=True, help="增加标签（保留原有标签），可多次使用")
@click.option("--remove-tag", "remove_tags", multiple=True, help="去掉标签，可多次使用")
@click.option("--clear-tags", is_flag=True)
@click.option("--item", "items", multiple=True, type=int, help="设置关联评分项目（替换原有），可多次使用")
@click.option("--add-item", "add_items", multiple=True, type=int, help="增加关联评分项目，可多次使用")
@click.option("--remove-item", "remove_items", multiple=True, type=int, help="取消关联评分项目，可多次使用")
@click.option("--clear-items", is_flag=True)
@click.pass_context
def edit_cmd(ctx: click.Context, archive_nos: tuple[str, ...], code, title, when, year, doc_no, responsible,  # noqa: ANN001
             retention, pages, secrecy, remarks, tags, add_tags, remove_tags, clear_tags, items, add_items, remove_items,
             clear_items) -> None:
    """修改记录。改目录、年度或保管期限即为改档：文件移动，档号更新。

    给出多个档号时批量修改目录、年度、标签和评分项（可用 jiaarchive undo 一次撤销）。
    """
    from ..bulk import BulkChange, edit_records
    from ..filing import edit_record, get_record

    arch = open_archive(ctx)
    views = list(dict.fromkeys(get_record(arch, n) for n in archive_nos))
    lists = BulkChange(set_tags=tags if (tags or clear_tags) else None, add_tags=add_tags, remove_tags=remove_tags,
                       set_items=items if (items or clear_items) else None, add_items=add_items,
                       remove_items=remove_items)
    if len(views) > 1:
        single = {"--title": title, "--date": when, "--doc-no": doc_no, "--responsible": responsible,
                  "--retention": retention, "--pages": pages, "--secrecy": secrecy, "--remarks": remarks}
        given = [k for k, v in single.items() if v is not None]
        if given:
            raise click.UsageError(f"批量修改只能改目录、年度、标签和评分项；{'、'.join(given)} 请逐件修改。")
        change = replace(lists, code=code, year=year)
        if change.empty:
            raise click.UsageError("没有要修改的内容。请用 --code、--year、--add-tag 等选项指定。")
        outcome = edit_records(arch, [v.id for v in views], change, progress=_progress())
        former = {v.id: v.archive_no for v in views}
        for after in outcome.changed:
            moved = f"（原档号 {former[after.id]}）" if after.archive_no != former[after.id] else ""
            click.echo(f"已修改  {after.archive_no}{moved}")
        for number, reason in outcome.failed:
            click.echo(f"未修改  {number}：{reason}", err=True)
        click.echo(outcome.summary("修改") + ("可用 jiaarchive undo 撤销这次批量修改。" if outcome.changed else ""))
        ctx.exit(1 if outcome.failed else 0)
    [view] = views
    changes = {k: v for k, v in dict(code=code, title=title, date=when, year=year, doc_no=doc_no, responsible=responsible,
                                     retention=retention, pages=pages, secrecy=secrecy, remarks=remarks).items() if v is not None}
    changes.update(lists.for_record(view))
    if not changes:
        raise click.UsageError("没有要修改的内容。请用 --title、--date、--code 等选项指定。")
    v = edit_record(arch, view.id, **changes)
    click.echo(f"已修改  {v.archive_no}" + (f"（原档号 {view.archive_no}）" if v.archive_no != view.archive_no else ""))
    for f in v.files:
        click.echo(f"    → {f.path}")


@click.command("rm")
@click.argument("archive_nos", nargs=-1, required=True)
@click.option("--yes", "-y", is_flag=True, help="不再询问，直接删除")
@click.pass_context
def rm_cmd(ctx: click.Context, archive_nos: tuple[str, ...], yes: bool) -> None:
    """删除记录：文件移入“回收站”文件夹，可用 restore 或 undo 恢复。"""
    from ..bulk import trash_records
    from ..filing import get_record

    arch = open_archive(ctx)
    views = list(dict.fromkeys(get_record(arch, n) for n in archive_nos))
    if not yes:
        for v in views:
            click.echo(f"  {v.archive_no}  {v.title}（{len(v.files)} 个文件）")
        if not click.confirm("确定删除以上记录吗？文件将移入回收站，可恢复", default=False):
            click.echo("已取消，未作任何改动。")
            ctx.exit(1)
    outcome = trash_records(arch, [v.id for v in views], progress=_progress())
    for t in outcome.changed:
        click.echo(f"已删除  {t.archive_no}（文件已移入回收站，可用 jiaarchive restore {t.archive_no} 恢复）")
    for number, reason in outcome.failed:
        click.echo(f"未删除  {number}：{reason}", err=True)
    ctx.exit(1 if outcome.failed else 0)


@click.command("restore")
@click.argument("archive_nos", nargs=-1, required=True)
@click.pass_context
def restore_cmd(ctx: click.Context, archive_nos: tuple[str, ...]) -> None:
    """从回收站恢复记录和文件。"""
    from ..filing import restore_record

    arch = open_archive(ctx)
    for n in archive_nos:
        v = restore_record(arch, n)
        click.echo(f"已恢复  {v.archive_no}")
        for f in v.files:
            click.echo(f"    → {f.path}")


@click.command("export")
@click.argument("archive_nos", nargs=-1)
@record_filters
@click.option("--zip", "zip_path", type=click.Path(dir_okay=False, path_type=Path),
              help="把记录的文件连同归档文件目录打成一个压缩包（.zip）")
@click.option("--xlsx", "xlsx_path", type=click.Path(dir_okay=False, path_type=Path),
              help="导出归档文件目录（Excel，.xlsx）")
@click.option("--bundle", "bundle_path", type=click.Path(dir_okay=False, path_type=Path),
              help="导出可校验的数据包（BagIt，.zip）：文件、校验值、记录元数据与历史、简况、评分和迎检报告，"
                   "可用 jiaarchive import 导入另一个档案或市工会的审核工作区")
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def export_cmd(ctx: click.Context, archive_nos: tuple[str, ...], zip_path: Path | None, xlsx_path: Path | None,
               bundle_path: Path | None, as_json: bool, **filters) -> None:  # noqa: ANN003
    """导出一组记录给检查组或同事：文件压缩包（内含归档文件目录）和/或归档文件目录 Excel。

    \b
    记录可用档号指定，或用 --code、--year、--item、--tag、--text、--search 筛选（不指定时为全部档案）。
    例：jiaarchive export --code B-1 --year 2021 --zip 职代会2021.zip
        jiaarchive export -q 安全生产月 --xlsx 安全生产月目录.xlsx
        jiaarchive export --bundle 本单位申报材料.zip
    """
    from ..export import write_list, write_zip
    from ..selection import select_records

    if not zip_path and not xlsx_path and not bundle_path:
        raise click.UsageError("请用 --zip、--xlsx 或 --bundle 指定导出的文件。")
    arch = open_archive(ctx, read_only=True)
    query = query_from(archive_nos, **filters)
    views = select_records(arch, query)
    if not views:
        click.echo("（没有符合条件的记录，未导出）")
        ctx.exit(1)
    out: dict = {"records": len(views), "selection": query.describe()}
    if xlsx_path:
        out["xlsx"] = str(write_list(arch, views, xlsx_path))
    if zip_path:
        summary = write_zip(arch, views, zip_path, described=query.describe(), progress=_progress())
        out.update(zip=str(summary.path), files=summary.files, missing=list(summary.missing))
    if bundle_path:
        from ..bundles.make import write_bundle

        made = write_bundle(arch, views, bundle_path, described=query.describe(), progress=_progress())
        out.update(bundle=str(made.path), files=made.files, bytes=made.bytes)
    if as_json:
        emit_json(out)
        return
    if xlsx_path:
        click.echo(f"已导出归档文件目录：{xlsx_path}（{query.describe()}，共 {len(views)} 件）")
    if zip_path:
        click.echo(f"已导出压缩包：{zip_path}（{len(views)} 件记录，{summary.files} 个文件，内含归档文件目录）")
        for m in summary.missing:
            click.echo(f"提示：文件缺失，未能导出：{m}", err=True)
    if bundle_path:
        click.echo(f"已导出数据包：{bundle_path}（{len(views)} 件记录，{made.files} 个文件，含校验值、元数据与历史、"
                   "简况、评分和迎检报告）")


@click.command("import")
@click.argument("bundle", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def import_cmd(ctx: click.Context, bundle: Path, as_json: bool) -> None:
    """导入数据包（jiaarchive export --bundle 导出的 .zip）：先核对全部校验值，再把记录连同档号和
    修改历史载入本档案。已有的相同记录跳过，冲突的记录列出而不覆盖；重复导入不会重复登记。"""
    from ..bundles.load import import_bundle

    arch = open_archive(ctx)
    report = import_bundle(arch, bundle, progress=_progress())
    if as_json:
        emit_json(report.to_json())
    else:
        for line in report.lines():
            click.echo(line)
    ctx.exit(1 if report.conflicts else 0)


@click.command("undo")
@click.option("--yes", "-y", is_flag=True, help="不再询问，直接撤销")
@click.option("--dry-run", is_flag=True, help="只显示将撤销的改动，不执行")
@click.pass_context
def undo_cmd(ctx: click.Context, yes: bool, dry_run: bool) -> None:
    """撤销本人最近一次改动（归档、修改、删除、恢复；批量改动一次撤销）。再次运行撤销更早的一次。"""
    from ..undo import NothingToUndo, last_step, undo

    arch = open_archive(ctx)
    step = last_step(arch)
    if step is None:
        raise NothingToUndo("没有可以撤销的改动（只能撤销本人的归档、修改、删除和恢复）。")
    click.echo(f"将撤销：{step.describe()}")
    for e in step.entries[:10]:
        if len(step.entries) > 1:
            click.echo(f"    {e.archive_no}")
    if dry_run:
        return
    if not yes and not click.confirm("确定撤销吗？", default=False):
        click.echo("已取消，未作任何改动。")
        ctx.exit(1)
    for v in undo(arch, step, progress=_progress()):
        where = "（在回收站中，可用 jiaarchive restore 恢复）" if v.trashed else ""
        click.echo(f"已撤销  {v.archive_no}  {v.title}{where}")


COMMANDS = [import_cmd, add_cmd, attach_cmd, ls_cmd, show_cmd, edit_cmd, rm_cmd, restore_cmd, export_cmd, undo_cmd]
