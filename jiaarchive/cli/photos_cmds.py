"""Photo commands: photos check, label, caption, sheet, problems."""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path

import click

from . import emit_json, open_archive


def _parse_time(text: str) -> datetime:
    """Capture times as clerks type them: 2021-05-01, 2021-05-01 09:30, 2021/5/1 9:30."""
    from ..errors import BadValue
    from ..photos import meta

    when = meta.parse_exif_datetime(text.strip())
    if when is None:
        raise BadValue(f"拍摄时间“{text}”无法识别，请写成 2021-05-01 或 2021-05-01 09:30 的形式。")
    return when


def _interactive() -> bool:
    return sys.stdin.isatty()


@click.group("photos")
def photos_group() -> None:
    """照片：检查、著录说明（拍摄时间、事由）、说明照片、A4 照片页。"""


@photos_group.command("check")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出每张照片的检查结果")
@click.option("--workers", type=int, default=None, help="并行检查的进程数（默认按 CPU 核数）")
@click.pass_context
def check_cmd(ctx: click.Context, paths: tuple[Path, ...], as_json: bool, workers: int | None) -> None:
    """检查照片能否作为证据。不给路径时检查档案中的全部照片。有错误时退出码非零。"""
    from ..photos import records
    from ..photos.inspect import default_workers

    n = workers or default_workers()
    if paths:
        from ..errors import ArchiveNotFound
        from ..photos.inspect import check_photos

        try:
            arch = open_archive(ctx, read_only=True)
        except ArchiveNotFound:  # checking photos before there is an archive: no duplicates to compare
            reports = check_photos(list(paths), workers=n)
        else:
            reports = records.check_files(arch, list(paths), workers=n)
    else:
        arch = open_archive(ctx)
        reports = records.check_archive_photos(arch, workers=n)
    if as_json:
        emit_json([r.to_json() for r in reports])
    else:
        for r in reports:
            mark = "✗" if r.errors else ("!" if r.warnings else "✓")
            when = f"{r.taken_at:%Y-%m-%d %H:%M}（{records.source_label(r.taken_at_source)}）" if r.taken_at else "无拍摄时间"
            size = f"{r.width}×{r.height}" if r.width else ""
            click.echo(f"{mark} {r.path}  {r.format or ''} {size}  {when}")
            for e in r.errors:
                click.echo(f"    错误：{e}")
            for w in r.warnings:
                click.echo(f"    提示：{w}")
        bad = sum(1 for r in reports if r.errors)
        warned = sum(1 for r in reports if r.warnings and not r.errors)
        click.echo(f"共检查 {len(reports)} 张照片：{bad} 张有错误，{warned} 张有提示。")
    if any(r.errors for r in reports):
        ctx.exit(1)


@photos_group.command("label")
@click.argument("ref")
@click.option("--subject", help="事由（内容说明）")
@click.option("--time", "when", help="拍摄时间，如 2021-05-01 09:30（只知日期时写 2021-05-01）")
@click.option("--time-from-record", is_flag=True, help="用记录的形成日期作为拍摄日期")
@click.option("--place", help="地点")
@click.option("--people", help="人物（用顿号分隔）")
@click.option("--photographer", help="摄影者")
@click.option("--no-rename", is_flag=True, help="只写入说明，不按“日期 内容说明”重命名")
@click.pass_context
def label_cmd(ctx: click.Context, ref: str, subject: str | None, when: str | None, time_from_record: bool,
              place: str | None, people: str | None, photographer: str | None, no_rename: bool) -> None:
    """著录照片说明：写入照片元数据（像素不变），并按“YYYY-MM-DD 内容说明”命名。REF 为档号或照片路径。"""
    from ..errors import BadValue
    from ..photos import records
    from ..photos.label import PhotoLabel

    arch = open_archive(ctx)
    ids = records.resolve(arch, ref)
    if len(ids) > 1 and (subject or when):
        names = "、".join(p.path for p in records.list_photos(arch, file_ids=ids))
        raise BadValue(f"“{ref}”有 {len(ids)} 张照片（{names}），请用照片路径指定其中一张。")
    for fid in ids:
        [info] = records.list_photos(arch, file_ids=[fid])
        taken = _parse_time(when) if when else info.taken_at
        if time_from_record:
            candidate = records.time_from_record(arch, fid)
            if _interactive() and not click.confirm(f"用记录的形成日期 {candidate:%Y-%m-%d} 作为“{info.name}”的拍摄日期吗？", default=True):
                click.echo("已取消。")
                ctx.exit(1)
            taken = candidate
        text = subject if subject is not None else info.subject
        if _interactive():
            click.echo(f"照片：{info.path}")
            if not text:
                text = click.prompt("事由（内容说明）", type=str)
            if taken is None or (info.taken_at_source not in ("exif", "record") and when is None and not time_from_record):
                default = f"{taken:%Y-%m-%d %H:%M}" if taken else None
                taken = _parse_time(click.prompt("拍摄时间（YYYY-MM-DD HH:MM）", default=default, type=str))
        if not text:
            raise BadValue(f"照片“{info.name}”缺少事由，请用 --subject 填写。")
        label = PhotoLabel(
            taken_at=taken,
            subject=text,
            place=place if place is not None else info.place or None,
            people=people if people is not None else info.people or None,
            photographer=photographer if photographer is not None else info.photographer or None,
        )
        records.label_photo(arch, fid, label, apply_name=not no_rename)
        [after] = records.list_photos(arch, file_ids=[fid])
        click.echo(f"已著录  {after.archive_no}  {after.label.description()}")
        click.echo(f"    → {after.path}")
        if after.original_sha256:
            click.echo(f"    原件 SHA-256：{after.original_sha256}（已保存在 .jiaarchive/versions）")


@photos_group.command("caption")
@click.argument("ref")
@click.option("-o", "--output", type=click.Path(path_type=Path), help="输出文件（.jpg/.png/.webp，默认在当前文件夹）")
@click.pass_context
def caption_cmd(ctx: click.Context, ref: str, output: Path | None) -> None:
    """生成带说明文字的照片副本（档案中的照片不变）。REF 为档号或照片路径。"""
    from ..photos import records

    arch = open_archive(ctx, read_only=True)
    ids = records.resolve(arch, ref)
    for i, fid in enumerate(ids):
        [info] = records.list_photos(arch, file_ids=[fid])
        dst = output or Path(f"{Path(info.name).stem}（说明）.jpg")
        if output and len(ids) > 1:
            dst = output.with_name(f"{output.stem}-{i + 1}{output.suffix}")
        records.caption_photo(arch, fid, dst)
        click.echo(f"已生成说明照片：{dst}")


@photos_group.command("sheet")
@click.argument("code")
@click.option("--year", type=int, help="年度（默认全部年度）")
@click.option("-o", "--output", type=click.Path(path_type=Path), help="输出 PDF（默认“<目录> <年度> 照片.pdf”）")
@click.option("--per-page", type=click.Choice(["2", "3", "4"]), default="4", help="每页照片数")
@click.pass_context
def sheet_cmd(ctx: click.Context, code: str, year: int | None, output: Path | None, per_page: str) -> None:
    """把一个目录条目（及年度）的照片排成带说明的 A4 照片页（PDF），供打印装订。"""
    from ..photos import records

    arch = open_archive(ctx, read_only=True)
    dst = output or Path(f"{code.upper()}{' ' + str(year) if year else ''} 照片.pdf")
    pages = records.sheet_for_entry(arch, code, year, dst, per_page=int(per_page), progress=lambda m: click.echo(m, err=True))
    click.echo(f"已生成照片页：{dst}（{pages} 页）")


@photos_group.command("problems")
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def problems_cmd(ctx: click.Context, as_json: bool) -> None:
    """列出档案中有错误或提示的照片（照片问题）。"""
    from ..photos import records

    arch = open_archive(ctx)
    rows = records.photo_problems(arch)
    if as_json:
        emit_json([p.to_json() for p in rows])
        return
    if not rows:
        click.echo("档案中的照片都没有问题。")
        return
    for p in rows:
        click.echo(f"{'✗' if p.errors else '!'} {p.archive_no}  {p.path}")
        for e in p.errors:
            click.echo(f"    错误：{e}")
        for w in p.warnings:
            click.echo(f"    提示：{w}")
    click.echo(f"共 {len(rows)} 张照片需要处理。用 jiaarchive photos label <档号或路径> 补充说明。")


COMMANDS = [photos_group]
