"""Coverage commands: report, profile show/set, score, form."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from . import emit_json, open_archive, parse_date_option

STATUS_MARK = {"充分": "●", "薄弱": "◐", "缺失": "○"}


def _num(x: float | None) -> str:
    return "—" if x is None else f"{x:g}"


def print_report(r) -> None:  # noqa: ANN001
    click.echo(f"{r.unit}（{r.unit_type}·{r.level}）申报{r.grade}  迎检报告  截至 {r.as_of.isoformat()}")
    click.echo(f"检查窗口：{r.window[0].isoformat()} 至 {r.window[1].isoformat()}（{r.years[0]}–{r.years[-1]} 年度）")
    click.echo("")
    click.echo(f"否决条件：{r.veto_verdict}" + ("（有一项否决，评分无效）" if r.veto_verdict == "否决" else ""))
    for v in r.vetoes:
        click.echo(f"  {v.no}. [{v.verdict}] {v.text}")
        click.echo(f"       {v.reason}")
    click.echo("")
    if r.sheet_id is None:
        click.echo(r.sheet_note)
    else:
        t = r.totals
        click.echo(f"评分表：{r.sheet_title}")
        for it in r.items:
            scores = f"自查 {_num(it.self_score.score if it.self_score else None)}  评定 {_num(it.inspector_score.score if it.inspector_score else None)}"
            years = " ".join(f"{y.year}:{y.records}" for y in it.per_year)
            click.echo(f"  {STATUS_MARK[it.status]} {it.no:>2}. {it.status} {it.points:>2}分  建议 {_num(it.suggested)}  {scores}  [{years}]  {it.subgroup}")
            for m in it.missing:
                click.echo(f"        · {m}")
        click.echo("")
        passed = lambda x: "" if x is None else ("，达到" if x >= (t.threshold or 0) else "，未达到")  # noqa: E731
        click.echo(f"合计：建议分 {_num(t.suggested)}{passed(t.suggested)}；自查分 {_num(t.self_total)}（已录 {t.self_entered}/{t.items} 项）{passed(t.self_total)}；"
                   f"评定分 {_num(t.inspector_total)}（已录 {t.inspector_entered}/{t.items} 项）{passed(t.inspector_total)}；门槛 {_num(t.threshold)} 分")
        click.echo(f"  {r.suggestion_note}")
    if r.standard_items and (r.sheet_id is None or r.grade != "先进"):
        click.echo("")
        click.echo(f"{r.standard_title}：")
        for it in r.standard_items:
            click.echo(f"  {STATUS_MARK[it.status]} {it.subgroup} {it.status}  证据 {it.evidence_count} 件")
            for m in it.missing:
                click.echo(f"        · {m}")
    click.echo("")
    click.echo("申报材料：")
    for m in r.materials:
        got = "、".join(m.records) or "未找到"
        click.echo(f"  {m.name}：{got}")
        for x in m.missing:
            click.echo(f"        · {x}")
    p = r.photos
    click.echo(f"  照片：{p.total} 张，{p.ok} 张命名含日期和内容，{p.issue_count} 张不合要求")
    for i in p.issues[:5]:
        click.echo(f"        · {i.archive_no} {i.path.rsplit('/', 1)[-1]}：{i.problem}")
    if r.form:
        miss = "、".join(r.form.missing) or "无"
        click.echo(f"  {r.form.title}：缺 {miss}")
    if r.warnings:
        click.echo("")
        click.echo("数据质量提示：")
        for w in r.warnings:
            click.echo(f"  ! {w.text}")
    if r.deadlines:
        click.echo("")
        click.echo("时间：")
        for d in r.deadlines:
            click.echo(f"  {d.text}")


@click.command("report")
@click.option("--as-of", "as_of", callback=parse_date_option, help="报告日期（默认今天），窗口为此前的几个年度")
@click.option("--years", "window_years", type=int, help="检查窗口的年度数（默认 3）")
@click.option("--json", "as_json", is_flag=True, help="输出 JSON")
@click.option("--html", "html_path", type=click.Path(dir_okay=False, path_type=Path), help="写出 HTML 报告")
@click.option("--xlsx", "xlsx_path", type=click.Path(dir_okay=False, path_type=Path), help="写出评分表 XLSX")
@click.pass_context
def report_cmd(ctx: click.Context, as_of: date | None, window_years: int | None, as_json: bool,
               html_path: Path | None, xlsx_path: Path | None) -> None:
    """迎检报告：评分项目的证据覆盖、缺口、否决条件、申报材料和时间。"""
    from ..coverage.assess import assess

    arch = open_archive(ctx)  # not read-only: opening upgrades the schema; the report changes nothing
    r = assess(arch, as_of, window_years=window_years)
    if html_path:
        from ..reports.coverage_html import write_html

        write_html(r, html_path)
    if xlsx_path:
        from ..reports.coverage_xlsx import write_xlsx

        write_xlsx(r, xlsx_path)
    if as_json:
        emit_json(r.to_json())
        return
    print_report(r)
    for p in (html_path, xlsx_path):
        if p:
            click.echo(f"已写出 {p}")


@click.group("profile")
def profile_group() -> None:
    """单位简况：职工总数、会员总数、换届、评家票数等（否决条件和登记表用）。"""


@profile_group.command("show")
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def profile_show(ctx: click.Context, as_json: bool) -> None:
    """显示单位简况。"""
    from ..coverage import profile

    prof = profile.read(open_archive(ctx, read_only=True))
    if as_json:
        emit_json(prof.to_json())
        return
    for f in profile.FIELDS:
        click.echo(f"  {f.key:<28} {f.label}：{profile.show_value(f, prof.get(f.key))}")
    rate = prof.membership_rate()
    if rate is not None:
        click.echo(f"  入会率：{rate:.1f}%")


@profile_group.command("set")
@click.argument("pairs", nargs=-1, required=True)
@click.pass_context
def profile_set(ctx: click.Context, pairs: tuple[str, ...]) -> None:
    """修改单位简况：KEY=VALUE ...（键可用英文或中文名，值留空表示清除）。"""
    from ..coverage import profile
    from ..errors import BadValue

    changes = {}
    for p in pairs:
        if "=" not in p:
            raise BadValue(f"“{p}”应写成 键=值，如 employees=160。")
        k, v = p.split("=", 1)
        changes[k] = v
    prof = profile.set_facts(open_archive(ctx), changes)
    for k in changes:
        f = profile.field_for(k)
        click.echo(f"已设置 {f.label}：{profile.show_value(f, prof.get(f.key))}")


@click.command("score")
@click.argument("item", type=int)
@click.option("--self", "self_score", type=float, help="自查分")
@click.option("--inspector", "inspector_score", type=float, help="评定分（检查组）")
@click.option("--clear", is_flag=True, help="清除该项的分数（与 --self 或 --inspector 之一连用时只清除那一种）")
@click.option("--remark", help="备注（评语）")
@click.option("--read-only", "read_only", is_flag=True, help="以检查组只读方式打开档案（只能录入评定分）")
@click.pass_context
def score_cmd(ctx: click.Context, item: int, self_score: float | None, inspector_score: float | None, clear: bool,
              remark: str | None, read_only: bool) -> None:
    """录入评分项目的自查分或评定分：score 14 --self 6.5 --remark "2020年无会员代表大会"。"""
    from ..coverage import scores
    from ..errors import BadValue

    if self_score is None and inspector_score is None and not clear:
        raise BadValue("请用 --self 或 --inspector 给出分数，或用 --clear 清除。")
    arch = open_archive(ctx, read_only=read_only)
    todo = []
    if self_score is not None or (clear and inspector_score is None):
        todo.append((scores.SELF, None if clear else self_score))
    if inspector_score is not None or (clear and self_score is None):
        todo.append((scores.INSPECTOR, None if clear else inspector_score))
    for role, value in todo:
        if clear and role == scores.SELF and arch.read_only:
            continue
        got = scores.set_score(arch, item, role, value, remark)
        label = scores.ROLE_LABELS[role]
        click.echo(f"第{item}项{label}：{'已清除' if got is None else f'{got.score:g} 分'}")


@click.command("form")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--as-of", "as_of", callback=parse_date_option, help="填表日期（默认今天）")
@click.pass_context
def form_cmd(ctx: click.Context, path: Path, as_of: date | None) -> None:
    """按单位简况填写申报登记表（DOCX）。"""
    from ..coverage.assess import assess
    from ..reports.form_docx import write_form

    arch = open_archive(ctx)
    r = assess(arch, as_of, check_materials=False)
    missing = write_form(arch, r, path)
    click.echo(f"已写出 {path}")
    if missing:
        click.echo(f"简况中未填、表中留空的栏目：{'、'.join(missing)}（可用 jiaarchive profile set 补填）")


COMMANDS = [report_cmd, profile_group, score_cmd, form_cmd]
