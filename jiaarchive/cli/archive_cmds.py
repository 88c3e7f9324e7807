"""Archive-level commands: init, tui, verify, log, catalogue, repair."""

from __future__ import annotations

from pathlib import Path

import click

from . import emit_json, open_archive


@click.command("init")
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--unit", required=True, help="单位（工会）名称")
@click.option("--type", "unit_type", required=True, help="单位类型：公有制企业、非公有制企业、事业单位、机关单位")
@click.option("--level", default="之家", show_default=True, help="层级：之家 或 小家")
@click.option("--db", "database_url", default="", help="数据库地址（SQLAlchemy URL），默认用档案内的 SQLite")
@click.pass_context
def init_cmd(ctx: click.Context, path: Path, unit: str, unit_type: str, level: str, database_url: str) -> None:
    """建立新档案：按 A–F 目录建好文件夹、数据库和设置文件。"""
    from ..archive import init_archive

    arch = init_archive(path, unit=unit, unit_type=unit_type, level=level, database_url=database_url or ctx.obj.get("db") or "")
    with arch:
        if arch.settings.shared_database:
            click.echo("提示：数据库在档案文件夹之外，设置文件不会记录它的地址；以后每次请用 --db 或环境变量 JIAARCHIVE_DB 指定。", err=True)
        entries = arch.entries()
        left_out = [e for e in arch.catalogue.entries() if e not in entries]
        click.echo(f"已建立档案：{arch.root}")
        click.echo(f"单位：{unit}（{unit_type}，{level}），共 {len(entries)} 个目录。")
        for e in left_out:
            click.echo(f"  未设 {e.code} {e.title}：{e.basis}")


@click.command("tui")
@click.argument("path", required=False, type=click.Path(path_type=Path))
@click.option("--inspector", is_flag=True, help="检查组只读模式：只能查阅、检索、评分，不能改动台账")
@click.pass_context
def tui_cmd(ctx: click.Context, path: Path | None, inspector: bool) -> None:
    """打开图形界面（终端界面）。"""
    from ..settings import find_root
    from ..tui import run

    run(find_root(path or ctx.obj.get("archive")), inspector=inspector, database_url=ctx.obj.get("db"))


@click.command("verify")
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出")
@click.pass_context
def verify_cmd(ctx: click.Context, as_json: bool) -> None:
    """核对全部文件：缺失、被修改、未登记的文件（有问题时返回非零）。"""
    from ..fixity import KIND_LABELS, verify

    arch = open_archive(ctx)
    result = verify(arch)
    if as_json:
        emit_json(result.to_json())
    else:
        for p in result.problems:
            click.echo(f"[{KIND_LABELS[p.kind]}] {p.message}")
        click.echo(f"已核对 {result.checked} 个文件，" + ("全部完好。" if result.ok else f"发现 {len(result.problems)} 个问题。"))
    ctx.exit(0 if result.ok else 1)


@click.command("log")
@click.option("--record", "archive_no", help="只看某个档号的记录")
@click.option("--limit", default=50, show_default=True, help="最多显示条数（0 为全部）")
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def log_cmd(ctx: click.Context, archive_no: str | None, limit: int, as_json: bool) -> None:
    """查看修改日志（谁、何时、改了什么）。"""
    from .. import audit

    arch = open_archive(ctx)
    with arch.session() as s:
        entries = audit.read(s, archive_no=archive_no, limit=limit or None)
    if as_json:
        emit_json([e.to_json() for e in entries])
        return
    if not entries:
        click.echo("（没有日志）")
    for e in entries:
        head = f"{e.at:%Y-%m-%d %H:%M:%S}  {e.who}  {e.action_label}  {e.archive_no}".rstrip()
        click.echo(head)
        if e.detail:
            click.echo(f"    {e.detail}")
        for key, (old, new) in e.changes().items():
            if e.before is None:
                continue
            click.echo(f"    {key}: {old} → {new}")


@click.command("catalogue")
@click.option("--code", help="只导出某个目录（如 A-1）或某卷（如 A）")
@click.option("--year", type=int, help="只导出某个年度")
@click.option("--xlsx", "xlsx_path", type=click.Path(dir_okay=False, path_type=Path), help="导出为 Excel 文件（每个目录、每个年度一页）")
@click.pass_context
def catalogue_cmd(ctx: click.Context, code: str | None, year: int | None, xlsx_path: Path | None) -> None:
    """打印或导出归档文件目录（序号、档号、文号、责任者、题名、日期、页数、备注）。"""
    from ..reports import catalogue

    arch = open_archive(ctx, read_only=True)
    sections = catalogue.build(arch, code=code, year=year)
    if xlsx_path:
        catalogue.to_xlsx(arch, sections, xlsx_path)
        click.echo(f"已导出归档文件目录：{xlsx_path}（{len(sections)} 页）")
    else:
        click.echo(catalogue.to_text(arch, sections), nl=False)


@click.command("repair")
@click.option("--force", is_flag=True, help="数据库看起来完好时也重建（原数据库移到 .jiaarchive/damaged/ 保存）")
@click.pass_context
def repair_cmd(ctx: click.Context, force: bool) -> None:
    """重建丢失或损坏的数据库：由档案文件夹中的纯文本元数据（或自动备份）恢复全部记录、档号和历史。"""
    from ..repair import repair

    report = repair(ctx.obj.get("archive"), database_url=ctx.obj.get("db"), force=force,
                    progress=lambda text: click.echo(text, err=True))
    for line in report.lines():
        click.echo(line)


COMMANDS = [init_cmd, tui_cmd, verify_cmd, log_cmd, catalogue_cmd, repair_cmd]
