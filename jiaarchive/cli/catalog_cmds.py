"""`jiaarchive catalog ...`: the official standards as data."""

from __future__ import annotations

import click

from . import emit_json


@click.group("catalog")
def catalog_group() -> None:
    """官方标准数据（目录、评分表、标准、否决条件）。"""


@catalog_group.command("check")
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出")
@click.pass_context
def check_cmd(ctx: click.Context, as_json: bool) -> None:
    """校验 catalog/ 中的标准数据，列出所有不一致之处（包括官方原文本身的不一致）。

    退出码：0 表示数据没有错误（官方原文本身的问题照样列出）；1 表示数据有错误。
    """
    from .. import standards
    from ..coverage import rules

    result = standards.check()
    if result.ok:  # the coverage data and the inbox's keyword table refer to the standards: checked once they load
        from pathlib import Path

        from ..inbox.keywords import check as check_keywords

        folder = Path(result.path)
        loaded = standards.load(folder)
        for where, what in rules.problems(loaded, folder):
            result.problems.append(standards.Problem(where, what, standards.KIND_ERROR))
        for where, message in check_keywords(loaded.catalogue, folder):
            result.problems.append(standards.Problem(where, message))
        result.ok = not result.errors
    if as_json:
        emit_json(result.to_json())
    else:
        click.echo(standards.format_check(result))
    ctx.exit(result.exit_code)


@catalog_group.command("show")
@click.option("--type", "unit_type", help="只显示适用于该单位类型的目录")
@click.option("--level", default="之家", show_default=True)
def show_cmd(unit_type: str | None, level: str) -> None:
    """显示资料台帐参考目录（A–F 卷及各目录）。"""
    from .. import standards

    std = standards.load()
    cat = std.catalogue
    keep = set(cat.applicable(unit_type, level)) if unit_type else None
    click.echo(f"{cat.title}（{cat.doc_no}）")
    for vol in cat.volumes:
        click.echo(vol.folder_name)
        for e in vol.entries:
            mark = "" if keep is None or e in keep else "  （不适用）"
            click.echo(f"  {e.code}  {e.title}{mark}")


COMMANDS = [catalog_group]
