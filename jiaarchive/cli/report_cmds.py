"""Coverage commands: report, profile show/set, score, form."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from . import emit_json, open_archive, parse_date_option

STATUS_MARK = {"充分": "●", "薄弱": "◐", "缺失": "○", "不适用": "·"}
MAX_GAPS_SHOWN = 5


def _num(x: float | None) -> str:
    return "—" if x is None else f"{x:g}"


def _items(r, items, scored: bool) -> None:  # noqa: ANN001
    for it in items:
        years = " ".join(f"{y.year}:{y.records}" for y in it.per_year)
        if scored:
            scores = (f"{it.points:>2}分  建议 {_num(it.suggested)}  自查 {_num(it.self_score.score if it.self_score else None)}"
                      f"  评定 {_num(it.inspector_score.score if it.inspector_score else None)}  ")
        else:
            scores = f"证据 {it.evidence_count} 件  "
        no = f"{it.no:>2}." if scored else f"{it.no}"
        click.echo(f"  {STATUS_MARK.get(it.status, '?')} {no} {it.status} {scores}[{years}]  {it.label}")
        if it.not_applicable:
            click.echo(f"        不适用：{it.not_applicable}（原文条件：{it.not_applicable_if}）")
        for m in it.missing:
            click.echo(f"        · {m}")


def print_report(r) -> None:  # noqa: ANN001
    click.echo(f"{r.unit}（{r.unit_type}·{r.level}）申报{r.grade}（{r.application_year} 年度）  迎检报告  截至 {r.as_of.isoformat()}")
    click.echo(f"检查窗口：{r.window[0].isoformat()} 至 {r.window[1].isoformat()}（{r.years[0]}–{r.years[-1]} 年度）")
    for n in r.notes:
        click.echo(f"  说明：{n.text}")
    click.echo("")
    click.echo(f"能否申报：{r.verdict}")
    click.echo(f"否决条件：{r.veto_verdict}  {r.veto_summary}")
    for v in r.vetoes:
        who = f"（{v.subject}）" if v.subject else ""
        click.echo(f"  {v.no}. [{v.verdict}] {v.text}{who}")
        click.echo(f"       {v.reason}")
    if r.prerequisites:
        click.echo(f"申报前提：{r.prerequisite_verdict}  {r.prerequisite_summary}")
        for p in r.prerequisites:
            click.echo(f"  [{p.verdict}] {p.printed}（{p.source}）")
            click.echo(f"       {p.reason}")
    click.echo("")
    if r.sheet_id is None:
        click.echo(r.sheet_note)
    else:
        click.echo(f"评分表：{r.sheet_title}（要点匹配：{r.match_mode}）")
        _items(r, r.items, True)
        click.echo("")
        click.echo("合计：")
        for line in r.totals.lines:
            click.echo(f"  {line.text}")
        click.echo(f"  {r.suggestion_note}")
    if r.standard_items:
        click.echo("")
        click.echo(f"{r.standard_title}：")
        _items(r, r.standard_items, False)
    if r.entries_summary:
        click.echo("")
        click.echo(r.entries_summary)
    click.echo("")
    click.echo("申报材料：")
    for m in r.materials:
        click.echo(f"  {m.name}：{m.summary}")
        for x in m.missing:
            click.echo(f"        · {x}")
    p = r.photos
    click.echo(f"  {p.name}：{p.summary}")
    for x in p.missing:
        click.echo(f"        · {x}")
    for i in p.issues[:MAX_GAPS_SHOWN]:
        click.echo(f"        · {i.archive_no} {i.path.rsplit('/', 1)[-1]}：{i.problem}")
    if p.issue_count > MAX_GAPS_SHOWN:
        click.echo(f"        ……共 {p.issue_count} 张，完整清单见 report --html")
    if r.form:
        click.echo(f"  {r.form.title}：{r.form.summary}")
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
    """显示单位简况（小家另列上级工会的各项）。"""
    from ..coverage import profile

    arch = open_archive(ctx, read_only=True)
    prof = profile.read(arch)
    if as_json:
        emit_json(prof.to_json())
        return
    for f in profile.fields_for(arch.level, arch.standards.xiaojia_level):
        click.echo(f"  {f.key:<34} {f.label}：{profile.show_value(f, prof.get(f.key))}")
    rate = prof.membership_rate()
    if rate is not None:
        click.echo(f"  入会率：{rate:.1f}%")


@profile_group.command("set")
@click.argument("pairs", nargs=-1, required=True)
@click.pass_context
def profile_set(ctx: click.Context, pairs: tuple[str, ...]) -> None:
    """修改单位简况：KEY=VALUE ...（键可用英文或中文名，值留空表示清除）。

    小家的上级工会（基层工会）各项写作 parent.键，如 parent.members=480 parent.funds_committee=是。
    """
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


@profile_group.command("import")
@click.argument("source", type=click.Path(exists=True, path_type=Path))
@click.pass_context
def profile_import(ctx: click.Context, source: Path) -> None:
    """小家：导入上级工会（基层工会）的简况，否决条件按它判断。

    SOURCE 是上级工会的档案文件夹，或其“jiaarchive profile show --json”的输出文件。
    只导入否决条件所需的各项（职工总数、会员总数、换届、经审会、女职委、职代会、评家票数、
    近三年事件……），存为 parent.* 各项；以后可用 profile set parent.… 修改。
    """
    from ..coverage import profile

    _prof, labels = profile.import_parent(open_archive(ctx), source)
    click.echo(f"已导入上级工会简况 {len(labels)} 项：{'、'.join(labels)}")


@click.command("score")
@click.argument("item", type=int)
@click.option("--self", "self_score", type=float, help="自查分")
@click.option("--inspector", "inspector_score", type=float, help="评定分（检查组）")
@click.option("--clear", is_flag=True, help="清除该项的分数（与 --self 或 --inspector 之一连用时只清除那一种）")
@click.option("--remark", help="备注（评语）")
@click.option("--not-applicable", "not_applicable", metavar="理由",
              help="把原文带条件的项目（如职工持股会）标为不适用并写明理由；给空字符串表示恢复适用")
@click.option("--read-only", "read_only", is_flag=True, help="以检查组只读方式打开档案（只能录入评定分）")
@click.pass_context
def score_cmd(ctx: click.Context, item: int, self_score: float | None, inspector_score: float | None, clear: bool,
              remark: str | None, not_applicable: str | None, read_only: bool) -> None:
    """录入评分项目的自查分或评定分：score 14 --self 6.5 --remark "2020年无会员代表大会"。

    原文带条件的项目不适用时：score 18 --not-applicable "本企业未设置内部职工股"。
    """
    from ..coverage import scores
    from ..errors import BadValue

    if self_score is None and inspector_score is None and not clear and not_applicable is None:
        raise BadValue("请用 --self 或 --inspector 给出分数，或用 --clear 清除，或用 --not-applicable 写明不适用的理由。")
    arch = open_archive(ctx, read_only=read_only)
    if not_applicable is not None:
        got = scores.set_not_applicable(arch, item, not_applicable)
        click.echo(f"第{item}项：{'不适用（' + got.remark + '）' if got else '恢复适用'}")
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
