"""`jiaarchive inbox`: propose where a pile of files goes, write and apply a filing plan."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import click

from . import emit_json, open_archive


class _InboxGroup(click.Group):
    """``inbox PATH`` lists proposals; ``inbox apply PLAN.xlsx`` files a plan.

    A first argument that is not a subcommand is the pile (write ``./apply`` for a folder
    that happens to be called apply).
    """

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in ("-h", "--help"):
            args = ["propose", *args]
        return super().parse_args(ctx, args)

    def format_usage(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        formatter.write_usage(ctx.command_path, "文件夹或压缩包 [选项]  |  apply 计划.xlsx [选项]")

    def list_commands(self, ctx: click.Context) -> list[str]:
        return ["propose", "apply"]

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        propose = self.commands["propose"]
        records = [r for r in (p.get_help_record(ctx) for p in propose.get_params(ctx) if isinstance(p, click.Option)) if r]
        with formatter.section("列出建议时的选项"):
            formatter.write_dl(records)
        self.format_commands(ctx, formatter)


@click.group("inbox", cls=_InboxGroup)
def inbox_group() -> None:
    """收件箱：一次整理一堆文件（文件夹或 .zip）。

    \b
    jiaarchive inbox 文件夹              列出每个文件的建议：目录（前三个及把握）、题名、形成日期、评分项、提示
    jiaarchive inbox 文件夹 --plan 计划.xlsx   写成归档计划，在 Excel / WPS 中核对修改
    jiaarchive inbox apply 计划.xlsx      按计划归档，逐个报告结果（有未能归档的文件时退出码为 1）
    jiaarchive inbox 文件夹 --accept-above 0.9 直接归档把握不低于 0.9 的文件，其余只列出
    """


class _Progress:
    """n / N, the current file and the time left on stderr: one updating line on a terminal,
    a line per tenth when asked for (``--progress``) without one."""

    def __init__(self, enabled: bool | None) -> None:
        self.tty = sys.stderr.isatty()
        self.enabled = self.tty if enabled is None else enabled
        self._last: tuple[str, int] = ("", -1)

    def __call__(self, step) -> None:  # noqa: ANN001
        from ..inbox.progress import bar

        if not self.enabled:
            return
        if self.tty:
            click.echo("\r" + bar(step)[:100].ljust(100), nl=False, err=True)
            return
        tenth = step.done * 10 // max(step.total, 1)
        if (step.phase, tenth) != self._last:
            self._last = (step.phase, tenth)
            click.echo(bar(step), err=True)

    def done(self) -> None:
        if self.enabled and self.tty:
            click.echo("\r" + " " * 100 + "\r", nl=False, err=True)


@inbox_group.command("propose", hidden=True)
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出")
@click.option("--plan", "plan_path", type=click.Path(path_type=Path), help="把建议写成归档计划（.xlsx），在 Excel / WPS 中核对")
@click.option("--accept-above", type=click.FloatRange(0, 1), help="直接归档把握不低于此值的文件（如 0.9），其余只列出")
@click.option("--force", is_flag=True, help="与 --accept-above 同用：照片检查有错误时仍然归档")
@click.option("--progress/--no-progress", default=None, help="显示进度（默认：在终端中显示）")
@click.pass_context
def propose_cmd(ctx: click.Context, path: Path, as_json: bool, plan_path: Path | None, accept_above: float | None,
                force: bool, progress: bool | None) -> None:
    """列出文件夹或压缩包中每个文件的归档建议。"""
    from ..errors import UnreadableFile
    from ..inbox import Staging, propose_pile
    from ..inbox.plan import write_plan

    if not path.exists():
        raise UnreadableFile(f"找不到“{path}”。请检查路径是否正确。")
    arch = open_archive(ctx, read_only=accept_above is None)
    if plan_path is not None:
        from ..inbox.walk import within

        if within(plan_path, arch.root):  # said before the work: verify would list it as unregistered
            raise UnreadableFile(f"归档计划“{plan_path}”不能保存在档案文件夹中（会被当作未登记的文件），"
                                 f"请保存到档案以外，如 ~/桌面/{plan_path.name}。")
    shown = _Progress(progress)
    t0 = time.monotonic()
    with Staging() as staging:
        pile = propose_pile(arch, path, staging, report=shown)
    shown.done()
    seconds = time.monotonic() - t0
    outcomes = []
    if accept_above is not None:
        from ..inbox.apply import apply_decisions, decision_for

        from .progress import CtrlC

        decisions = [decision_for(f) for f in pile.files]
        with CtrlC() as stop:  # Ctrl-C: the file in hand is finished, the rest reported as 未处理
            outcomes = apply_decisions(arch, path, decisions, accept_above=accept_above, force=force, report=shown,
                                       cancelled=stop)
        shown.done()
    if plan_path is not None:
        write_plan(pile, plan_path, arch)
    if as_json:
        data = pile.to_json()
        if outcomes:
            data["outcomes"] = [o.to_json() for o in outcomes]
        emit_json(data)
    else:
        _print_pile(pile, outcomes, seconds)
        if plan_path is not None:
            click.echo(f"归档计划已写入：{plan_path}（核对后运行 jiaarchive inbox apply {plan_path}）")
    if any(o.status == "refused" for o in outcomes) or (accept_above is not None and stop.pressed):
        ctx.exit(1)


def _print_pile(pile, outcomes, seconds: float) -> None:  # noqa: ANN001
    from ..inbox.titles import SOURCES

    by_rel = {o.rel: o for o in outcomes}
    for f in pile.files:
        click.echo(f"{f.rel}    （{f.kind}）")
        if f.proposals:
            first = f.proposals[0]
            others = "  ".join(f"{p.code} {p.confidence:.2f}" for p in f.proposals[1:])
            click.echo(f"    目录  {first.code} {first.confidence:.2f}" + (f"    其次 {others}" if others else ""))
            for r in first.reasons[:3]:
                click.echo(f"          · {r}")
        elif f.fileable:
            click.echo("    目录  （没有线索，请人工选择）")
        if f.title:
            click.echo(f"    题名  {f.title}（{SOURCES.get(f.title_source, '')}）")
        if f.date:
            click.echo(f"    日期  {f.date.isoformat()}（{f.date_source}）")
        if f.items:
            click.echo(f"    评分项  第{'、'.join(map(str, f.items))}项（按目录对应）")
        for note in f.notes:
            click.echo(f"    ⚠ {note}")
        o = by_rel.get(f.rel)
        if o is not None:
            click.echo(f"    → {o.label}" + (f"：{o.message}" if o.message else ""))
    n = len(pile.files)
    sure = sum(1 for f in pile.files if f.proposals and f.confidence >= 0.9)
    flagged = sum(1 for f in pile.files if f.flags)
    click.echo(f"共 {n} 个文件（{seconds:.1f} 秒）：把握不低于 0.9 的 {sure} 个，有提示的 {flagged} 个。{pile.skipped_text}")
    for note in pile.notes:
        click.echo(f"注意：{note}")
    if outcomes:
        from ..inbox.apply import summary

        click.echo("归档结果：" + summary(outcomes) + "。")


@inbox_group.command("apply")
@click.argument("plan", type=click.Path(path_type=Path))
@click.option("--accept-above", type=click.FloatRange(0, 1), help="只归档把握不低于此值的行，以及改过目录的行")
@click.option("--source", type=click.Path(path_type=Path), help="文件所在的文件夹或压缩包（计划生成后移动过时指定）")
@click.option("--force", is_flag=True, help="照片检查有错误时仍然归档")
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出")
@click.option("--progress/--no-progress", default=None, help="显示进度（默认：在终端中显示）")
@click.pass_context
def apply_cmd(ctx: click.Context, plan: Path, accept_above: float | None, source: Path | None, force: bool,
              as_json: bool, progress: bool | None) -> None:
    """按归档计划（.xlsx）归档，逐个报告：已归档（档号）、重复（已有档号）、未能归档（原因）。"""
    from ..errors import BadValue
    from ..inbox.apply import apply_decisions, summary
    from ..inbox.plan import read_plan

    arch = open_archive(ctx)
    p = read_plan(plan)
    where = source or p.source
    if where is None:
        raise BadValue(f"计划“{plan.name}”中没有记录文件所在的位置，请用 --source 指定文件夹或压缩包。")
    if not where.exists():
        raise BadValue(f"计划中的文件位置“{where}”不存在（U 盘换了盘符？），请用 --source 指定文件夹或压缩包的新位置。")
    from .progress import CtrlC

    shown = _Progress(progress)
    with CtrlC() as stop:  # Ctrl-C: the file in hand is finished, the rest reported as 未处理
        outcomes = apply_decisions(arch, where, p.decisions, accept_above=accept_above, force=force, report=shown,
                                   cancelled=stop)
    shown.done()
    if as_json:
        emit_json({"source": str(where), "outcomes": [o.to_json() for o in outcomes]})
    else:
        for o in outcomes:
            click.echo(f"{o.label:<6} {o.rel}" + (f"  {o.message}" if o.message else ""))
        click.echo(summary(outcomes) + "。")
    if any(o.status == "refused" for o in outcomes) or stop.pressed:
        ctx.exit(1)


COMMANDS = [inbox_group]
