"""Command line: parse arguments, call the core, print text or --json.  Nothing else lives here.

Imports of the core happen inside commands so that ``jiaarchive --help`` and quick commands
start fast.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

import click

from .zh import install as _install_chinese_messages

_install_chinese_messages()

CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


class JiaGroup(click.Group):
    """Turns user errors into one Chinese sentence; tracebacks only with --debug.

    Failures of the machine rather than of the input (disk full, no permission, write-protected
    media, a damaged database) become their sentence too (``errors.explain``).
    """

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.exceptions.Abort, click.ClickException):
            raise
        except BrokenPipeError:
            # output piped into `head` and the like: stop quietly, as other commands do
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            ctx.exit(0)
        except Exception as exc:  # noqa: BLE001 - the edge of the program
            from ..errors import explain

            if ctx.obj and ctx.obj.get("debug"):
                raise
            opened = (ctx.obj or {}).get("opened")
            error = explain(exc, opened.root if opened is not None else None)
            if error is not None:
                click.echo(f"错误：{error}", err=True)
                ctx.exit(error.exit_code)
            click.echo(f"内部错误：{type(exc).__name__}: {exc}。请加 --debug 重试并把输出发给维护人员。", err=True)
            ctx.exit(2)


def emit_json(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))


def open_archive(ctx: click.Context, *, read_only: bool = False):  # noqa: ANN201
    """Open the archive for a command; what the open has to say (read-only media, recovery, an
    index behind) goes to stderr, once, and again anything said later, when the command ends."""
    from ..archive import open_archive as _open

    arch = _open(ctx.obj.get("archive"), read_only=read_only, database_url=ctx.obj.get("db"))
    ctx.obj["opened"] = arch
    say_notices(arch)

    def close() -> None:
        say_notices(arch)
        arch.close()

    ctx.call_on_close(close)
    return arch


def say_notices(arch) -> None:  # noqa: ANN001
    while arch.notices:
        click.echo(f"提示：{arch.notices.pop(0)}", err=True)


def parse_date_option(_ctx: click.Context, _param: click.Parameter, value: str | None):  # noqa: ANN201
    if value is None:
        return None
    from ..errors import BadValue
    from ..filing import parse_date

    try:
        return parse_date(value)
    except BadValue as exc:
        raise click.BadParameter(str(exc)) from None


def parse_year_range(value: str | None) -> int | tuple[int, int] | None:
    if not value:
        return None
    from ..errors import BadValue

    try:
        if ".." in value:
            a, b = value.split("..", 1)
            return (int(a), int(b))
        return int(value)
    except ValueError:
        raise BadValue(f"年度“{value}”无效，请写成 2021 或 2020..2021。") from None


@click.group(cls=JiaGroup, context_settings=CONTEXT_SETTINGS, invoke_without_command=True)
@click.option("--archive", "archive_path", type=click.Path(file_okay=False, path_type=Path), help="档案文件夹（默认：当前文件夹或其上级，或环境变量 JIAARCHIVE）")
@click.option("--db", "database_url", metavar="URL", help="数据库地址（共享数据库，如 PostgreSQL；也可用环境变量 JIAARCHIVE_DB）。默认用档案内的数据库")
@click.option("--debug", is_flag=True, help="出错时显示详细的技术信息")
@click.option("--user", help="操作人姓名，记入修改日志（默认：本机设置的姓名，见 jiaarchive user）")
@click.version_option(package_name="jiaarchive", message="jiaarchive %(version)s", help="显示版本号")
@click.pass_context
def main(ctx: click.Context, archive_path: Path | None, database_url: str | None, debug: bool, user: str | None) -> None:
    """建家（职工之家）台账档案系统。不带命令时，在档案文件夹中打开图形界面（TUI）。"""
    # audit imports the ORM, which `search` may not need: import it only for --user, and
    # otherwise reset a name an earlier call in this process set (the tests' CliRunner).
    if user is not None:
        from ..audit import act_as
        from ..userconfig import check_name

        act_as(check_name(user))
    elif "jiaarchive.audit" in sys.modules:
        sys.modules["jiaarchive.audit"].act_as(None)
    ctx.ensure_object(dict)
    ctx.obj["archive"] = archive_path
    ctx.obj["db"] = database_url
    ctx.obj["debug"] = debug
    if ctx.invoked_subcommand is None:
        from ..errors import ArchiveNotFound
        from ..settings import find_root

        try:
            root = find_root(archive_path)
        except ArchiveNotFound:
            click.echo(ctx.get_help())
            return
        from ..tui import run

        run(root, database_url=database_url)


def _register() -> None:
    from . import archive_cmds, catalog_cmds, inbox_cmds, photos_cmds, records_cmds, report_cmds, review_cmds, search_cmds

    for mod in (archive_cmds, catalog_cmds, records_cmds, inbox_cmds, search_cmds, photos_cmds, report_cmds, review_cmds):
        for cmd in mod.COMMANDS:
            main.add_command(cmd)
    from .zh import localise

    localise(main)


_register()
