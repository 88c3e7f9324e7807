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
@click.option("--db", "database_url", default="",
              help="共享数据库地址，如 postgresql://用户名@服务器/数据库名（也可用环境变量 JIAARCHIVE_DB）；默认用档案内的 SQLite")
@click.pass_context
def init_cmd(ctx: click.Context, path: Path, unit: str, unit_type: str, level: str, database_url: str) -> None:
    """建立新档案：按 A–F 目录建好文件夹、数据库和设置文件。"""
    from ..archive import init_archive

    arch = init_archive(path, unit=unit, unit_type=unit_type, level=level, database_url=database_url or ctx.obj.get("db") or "")
    with arch:
        if arch.shared:
            click.echo(shared_notice(arch), err=True)
        entries = arch.entries()
        left_out = [e for e in arch.catalogue.entries() if e not in entries]
        click.echo(f"已建立档案：{arch.root}")
        click.echo(f"单位：{unit}（{unit_type}，{level}），共 {len(entries)} 个目录。")
        for e in left_out:
            click.echo(f"  未设 {e.code} {e.title}：{e.basis}")


def shared_notice(arch) -> str:  # noqa: ANN001
    from ..settings import shown_url

    return (f"提示：本档案的记录保存在共享数据库 {shown_url(arch.database_url)}，文件保存在档案文件夹中。"
            "本机已记住这个数据库（密码只存在本机的 PostgreSQL 密码文件中，不写入档案文件夹），以后直接打开档案即可。"
            f"其他电脑第一次使用时，请运行：jiaarchive connect “{arch.root}” --db 数据库地址")


@click.command("connect")
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--db", "database_url", default="", help="共享数据库地址，如 postgresql://用户名:密码@服务器/数据库名")
@click.option("--forget", is_flag=True, help="本机不再记住这个档案的共享数据库")
@click.pass_context
def connect_cmd(ctx: click.Context, path: Path, database_url: str, forget: bool) -> None:
    """让本机使用已建在共享数据库（PostgreSQL）上的档案：核对数据库确属本档案后，本机记住它的地址。"""
    from .. import userconfig
    from ..errors import BadValue
    from ..settings import find_root

    if forget:
        root = find_root(path)
        said = "本机已不再记住" if userconfig.forget_database(root) else "本机本来就没有记住"
        click.echo(f"{said}“{root}”的共享数据库。")
        return
    url = database_url or ctx.obj.get("db") or ""
    if not url:
        import os

        url = os.environ.get("JIAARCHIVE_DB", "")
    if not url:
        raise BadValue("请用 --db 给出共享数据库地址，如 jiaarchive connect 档案文件夹 --db postgresql://用户名@服务器/数据库名。")
    from ..archive import connect_archive
    from ..filing import count_records
    from ..settings import shown_url

    with connect_archive(path, url) as arch:
        from . import say_notices

        say_notices(arch)
        click.echo(f"已连接：档案“{arch.root}”（{arch.settings.unit}）的记录在共享数据库 {shown_url(arch.database_url)}，"
                   f"共 {count_records(arch)} 件。")
        click.echo("本机已记住这个数据库，以后直接打开档案即可（密码只保存在本机的 PostgreSQL 密码文件中，不写入档案文件夹）。")


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
@click.option("--bundle", "bundle", type=click.Path(dir_okay=False, path_type=Path),
              help="只核对一个数据包（校验值、清单、元数据），不导入")
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出")
@click.pass_context
def verify_cmd(ctx: click.Context, bundle: Path | None, as_json: bool) -> None:
    """核对全部文件：缺失、被修改、未登记的文件（有问题时返回非零）。加 --bundle 时核对一个数据包。"""
    from ..fixity import KIND_LABELS, verify

    if bundle is not None:
        from ..bundles.check import open_bundle

        with open_bundle(bundle) as b:
            facts = {"bundle": str(bundle), "ok": True, "unit": b.unit, "unit_type": b.info.get("unit_type"),
                     "level": b.info.get("level"), "application_year": b.info.get("application_year"),
                     "records": len(b.state.records), "files": len(b.payload),
                     "exported_by": b.info.get("exported_by"), "exported_at": b.info.get("exported_at")}
        if as_json:
            emit_json(facts)
        else:
            click.echo(f"数据包“{bundle.name}”完好：{facts['unit']}（{facts['unit_type']}，{facts['level']}），"
                       f"{facts['records']} 件记录，已核对 {facts['files']} 个文件的校验值；"
                       f"{facts['exported_by']} 于 {facts['exported_at']} 导出。")
        return

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
@click.option("--record", "archive_no", help="只看某件记录的日志（档号，可写简写）")
@click.option("--limit", default=50, show_default=True, help="最多显示条数")
@click.option("--page", default=1, show_default=True, help="第几页（每页 --limit 条，从最近的开始）")
@click.option("--all", "show_all", is_flag=True, help="显示全部日志")
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def log_cmd(ctx: click.Context, archive_no: str | None, limit: int, page: int, show_all: bool, as_json: bool) -> None:
    """查看修改日志（谁、何时、改了什么），最近的在前。"""
    from .. import audit
    from ..errors import BadValue
    from ..filing import get_record

    if limit < 1 or page < 1:
        raise BadValue("--limit 和 --page 应为正整数。")
    arch = open_archive(ctx, read_only=True)
    record = get_record(arch, archive_no) if archive_no else None
    where = {"record_id": record.id, "archive_no": record.archive_no} if record else {}
    with arch.session() as s:
        total = audit.count(s, **where)
        offset = 0 if show_all else (page - 1) * limit
        entries = audit.read(s, limit=None if show_all else limit, offset=offset, **where)
    if as_json:
        emit_json([e.to_json() for e in entries])
        return
    if not entries:
        click.echo("（没有日志）" if not total else f"（共 {total} 条日志，第 {page} 页没有内容）")
        return
    for e in entries:
        click.echo(audit.head(e))
        for line in audit.render(e, arch.standards):
            click.echo(f"    {line}")
    shown = f"第 {offset + 1}–{offset + len(entries)} 条" if len(entries) < total else "全部"
    what = f"记录 {record.archive_no} 的" if record else ""
    text = f"{what}日志共 {total} 条，显示{shown}（最近的在前）。"
    if offset + len(entries) < total:
        text += f"更早的用 --page {page + 1} 查看，全部用 --all。"
    click.echo(text)


@click.command("user")
@click.argument("name", required=False)
def user_cmd(name: str | None) -> None:
    """显示或设置本机的操作人姓名（记入每条修改日志）。例：jiaarchive user 张三"""
    from .. import audit, userconfig

    if name:
        path = userconfig.set_user_name(name)
        click.echo(f"已设置本机操作人：{userconfig.user_name()}（保存在 {path}）")
        return
    click.echo(f"操作人：{audit.current_user()}（来自{audit.user_source()}）")
    if not userconfig.user_name():
        click.echo("可用 jiaarchive user 姓名 设置本机的操作人，或每次用 --user 姓名 指定。")


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


COMMANDS = [init_cmd, connect_cmd, tui_cmd, verify_cmd, log_cmd, user_cmd, catalogue_cmd, repair_cmd]
