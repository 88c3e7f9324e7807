"""The city union's review of many units: review init, import, status, search, score, tui."""

from __future__ import annotations

from pathlib import Path

import click

from . import emit_json


def _ws(ctx: click.Context, path: Path | None):  # noqa: ANN202
    from ..review.workspace import open_workspace

    ws = open_workspace(path or ctx.obj.get("review_dir"), ctx.obj.get("review_db"))
    ctx.call_on_close(ws.close)
    return ws


@click.group("review")
@click.option("--dir", "review_dir", type=click.Path(file_okay=False, path_type=Path), help="审核工作区文件夹（默认当前文件夹）")
@click.option("--db", "review_db", metavar="URL", help="审核工作区的 PostgreSQL 地址（默认取工作区设置或环境变量 JIAARCHIVE_REVIEW_DB）")
@click.pass_context
def review_group(ctx: click.Context, review_dir: Path | None, review_db: str | None) -> None:
    """市教科文卫体工会审核各单位的申报：导入各单位的数据包、排名、跨单位检索、录入评定分。"""
    ctx.ensure_object(dict)
    ctx.obj["review_dir"] = review_dir
    ctx.obj["review_db"] = review_db


@review_group.command("init")
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--db", "database_url", required=True, metavar="URL", help="PostgreSQL 地址，如 postgresql://user@host/jiareview")
def review_init(path: Path, database_url: str) -> None:
    """建立审核工作区：文件夹 PATH 存放各单位的数据包，数据库存放排名与检索索引。"""
    from ..review.workspace import init_workspace

    ws = init_workspace(path, database_url)
    ws.close()
    click.echo(f"已建立审核工作区：{ws.root}")


@review_group.command("import")
@click.argument("bundles", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def review_import(ctx: click.Context, bundles: tuple[Path, ...], as_json: bool) -> None:
    """导入各单位的数据包（可一次多个）。每个单位分开保存；同一单位再次导入时，新数据包核对无误后才替换旧的。"""
    from ..review.workspace import import_bundles

    ws = _ws(ctx, None)
    results = import_bundles(ws, bundles)
    if as_json:
        emit_json([r.to_json() for r in results])
    else:
        for r in results:
            if r.error:
                click.echo(f"未导入  {r.bundle}：{r.error}", err=True)
            else:
                click.echo(f"{'已替换' if r.replaced else '已导入'}  {r.unit}：{r.records} 件记录（{r.bundle}）")
                for c in r.conflicts:
                    click.echo(f"    冲突：{c}", err=True)
    ctx.exit(1 if any(r.error for r in results) else 0)


@review_group.command("status")
@click.option("--type", "unit_type", help="只看某类单位")
@click.option("--xlsx", "xlsx_path", type=click.Path(dir_okay=False, path_type=Path), help="写出排名表（Excel）")
@click.option("--html", "html_path", type=click.Path(dir_okay=False, path_type=Path), help="写出排名表（HTML，可打印）")
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def review_status(ctx: click.Context, unit_type: str | None, xlsx_path: Path | None, html_path: Path | None, as_json: bool) -> None:
    """各单位排名：否决条件、自查分与评定分（对照 80 分）、缺失和薄弱项、缺少的申报材料、时间节点和三年复查。"""
    from ..review import status as st

    ws = _ws(ctx, None)
    rows = st.ranked(ws, unit_type=unit_type)
    if xlsx_path:
        st.write_xlsx(rows, xlsx_path)
    if html_path:
        st.write_html(rows, html_path)
    if as_json:
        emit_json([r.to_json() for r in rows])
        return
    if not rows:
        click.echo("（工作区中还没有单位，请用 jiaarchive review import 导入数据包）")
    for r in rows:
        click.echo(f"{r.rank:>3}. {r.unit}（{r.unit_type}，{r.level}）  否决条件：{r.veto}  自查分 {st._num(r.self_total)}  "
                   f"评定分 {st._num(r.inspector_total)} / {st._num(r.threshold)}  缺失 {len(r.missing_items)} 项  "
                   f"薄弱 {len(r.weak_items)} 项  {r.records} 件记录")
        if r.materials_missing:
            click.echo(f"     缺少材料：{'；'.join(r.materials_missing)}")
        due = st.due_text(r)
        if due:
            click.echo(f"     时间：{due}")
        rein = st.reinspection_text(r)
        if rein:
            click.echo(f"     三年复查：{rein}")
    for p in (xlsx_path, html_path):
        if p:
            click.echo(f"已写出 {p}")


@review_group.command("search")
@click.argument("query", nargs=-1, required=True)
@click.option("--unit", help="只查某个单位（名称中包含的文字）")
@click.option("--type", "unit_type", help="只查某类单位")
@click.option("--code", help="目录编号（A-1）或卷（A）")
@click.option("--item", type=int, help="评分项目序号")
@click.option("--year", help="年度，如 2021 或 2019..2021")
@click.option("--limit", default=20, show_default=True)
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def review_search(ctx: click.Context, query: tuple[str, ...], unit: str | None, unit_type: str | None, code: str | None,
                  item: int | None, year: str | None, limit: int, as_json: bool) -> None:
    """跨单位全文检索（与单位自己的检索相同的查询语言和中文分析）。"""
    from ..review.search import search

    from . import parse_year_range

    ws = _ws(ctx, None)
    res = search(ws, " ".join(query), unit=unit, unit_type=unit_type, code=code, item=item, years=parse_year_range(year),
                 limit=limit)
    if as_json:
        emit_json(res.to_json())
        return
    click.echo(f"共 {res.total} 件（{res.units} 个单位）：{res.described}")
    for h in res.hits:
        d = h.date or "（无日期）"
        click.echo(f"{h.unit}  {h.archive_no}  {d}  {h.title}")
        if h.snippet:
            click.echo(f"    {h.snippet}")


@review_group.command("score")
@click.argument("unit")
@click.argument("item", type=int)
@click.argument("score", type=float, required=False)
@click.option("--clear", is_flag=True, help="清除该项的评定分")
@click.option("--remark", default="", help="评语")
@click.pass_context
def review_score(ctx: click.Context, unit: str, item: int, score: float | None, clear: bool, remark: str) -> None:
    """检查组录入评定分：review score 单位名称 项目序号 分数 [--remark 评语]。"""
    from ..audit import current_user
    from ..errors import BadValue
    from ..review.status import set_score

    if score is None and not clear:
        raise BadValue("请给出分数，或用 --clear 清除。")
    set_score(_ws(ctx, None), unit, item, None if clear else score, remark, current_user())
    click.echo(f"{unit} 第{item}项评定分：{'已清除' if clear else f'{score:g} 分'}")


@review_group.command("tui")
@click.argument("path", required=False, type=click.Path(file_okay=False, path_type=Path))
@click.pass_context
def review_tui(ctx: click.Context, path: Path | None) -> None:
    """打开审核工作区的单位列表界面（可进入某单位的迎检看板，只读，录入评定分）。"""
    from ..tui.review import run

    ws = _ws(ctx, path)
    run(ws)


COMMANDS = [review_group]
