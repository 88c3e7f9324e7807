"""Application materials (申报材料): the work report and plan with their required parts, the photos
named as the notice asks, and the registration form filled from the profile.
"""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import or_, select

from ..archive import Archive
from ..db.models import ACTIVE, File, Record
from ..extract.sniff import IMAGE_KINDS
from ..standards import Material
from . import profile as profile_mod
from .model import FormCheck, FormFieldCheck, MaterialCheck, PartCheck, PhotoCheck, PhotoEntry, PhotoIssue
from .rules import CoverageRules

PHOTOS_KEY = "photos"
MAX_ISSUES = 30
_HEADING_PREFIX = re.compile(r"^[\s#*]*(?:[（(]?[一二三四五六七八九十\d]+[）)、.．]\s*)?")


def latest_materials(archive: Archive, grade: str) -> dict[str, Material]:
    """Each material of ``grade`` as the most recent document states it (2021 notice over 2019)."""
    std = archive.standards
    dated = {d.doc_no: d.date or date.min for d in std.documents}
    latest: dict[str, Material] = {}
    for m in std.materials_for(grade):
        if m.key not in latest or dated.get(m.doc_no, date.min) > dated.get(latest[m.key].doc_no, date.min):
            latest[m.key] = m
    return latest


def _text_parts(sha: str, path: Path, parts: tuple[str, ...], cache: dict[str, Any]) -> dict[str, str]:
    key = f"{sha}:{'|'.join(parts)}"
    if key in cache:
        return cache[key]
    from ..extract import extract

    ex = extract(path)
    found: dict[str, str] = {}
    lines = [_HEADING_PREFIX.sub("", ln).strip() for ln in ex.text.splitlines()]
    for p in parts:
        if any(p in ln and len(ln) <= len(p) + 14 for ln in lines):
            found[p] = "标题"
        elif p in ex.text:
            found[p] = "正文"
        else:
            found[p] = ""
    cache[key] = found
    return found


def check_materials(archive: Archive, cov: CoverageRules, grade: str) -> tuple[MaterialCheck, ...]:
    latest = latest_materials(archive, grade)
    cache_path = archive.data_dir / "coverage_cache.json"
    try:
        cache = json.loads(cache_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        cache = {}
    before = len(cache)
    out = []
    for key, m in sorted(latest.items(), key=lambda kv: kv[1].no):
        if key == PHOTOS_KEY:
            continue  # checked photo by photo, see check_photos
        words = cov.material_titles.get(key, (m.name,))
        with archive.session() as s:
            rows = s.execute(
                select(Record.id, Record.archive_no)
                .where(Record.status == ACTIVE, or_(*[Record.title.contains(w) for w in words]))
                .order_by(Record.year.desc(), Record.doc_date.desc(), Record.id.desc())
                .limit(3)
            ).all()
            files = {
                rid: list(s.execute(select(File.path, File.sha256, File.kind).where(File.record_id == rid, File.status == ACTIVE)
                                    .order_by(File.position)).all())
                for rid, _ in rows
            }
        best: dict[str, str] = {p: "" for p in m.parts}
        for rid, _no in rows:
            for path, sha, kind in files[rid]:
                if kind in IMAGE_KINDS:
                    continue
                try:
                    found = _text_parts(sha, archive.root / path, m.parts, cache)
                except OSError:
                    continue
                for p, how in found.items():
                    if how == "标题" or (how and not best[p]):
                        best[p] = how
        parts = tuple(PartCheck(p, best[p]) for p in m.parts)
        numbers = tuple(n for _, n in rows)
        if not rows:
            missing = (f"没有找到{m.name}（题名含“{'”或“'.join(words)}”的记录）",)
            summary = "未找到"
        else:
            missing = tuple(f"{m.name}缺少“{p.part}”部分" if not p.found else f"{m.name}的“{p.part}”只在正文中出现，没有单独的标题"
                            for p in parts if p.found != "标题")
            summary = "、".join(numbers) + ("；必备内容齐全" if not missing else f"；{len(missing)} 处缺漏")
        out.append(MaterialCheck(m.key, m.name, m.printed, m.source, numbers, parts, missing, m.note, summary))
    if len(cache) != before and not archive.read_only:
        try:
            cache_path.write_text(json.dumps(cache, ensure_ascii=False), encoding="utf-8")
        except OSError:
            pass  # a cache only
    return tuple(out)


def check_photos(archive: Archive, grade: str, years: tuple[int, int]) -> PhotoCheck:
    """The evidence photos of the window: how many, how many named as the notice asks, each listed."""
    from ..photos.records import naming_check

    material = latest_materials(archive, grade).get(PHOTOS_KEY)
    named = naming_check(archive, years)
    photos = tuple(PhotoEntry(p.archive_no, p.path, p.name, p.ok, p.problems) for p in named)
    bad = [p for p in photos if not p.ok]
    ok = len(photos) - len(bad)
    span = f"{years[0]}–{years[1]} 年度"
    what = material.name if material else "照片"
    missing: list[str] = []
    if not photos:
        summary = f"检查窗口（{span}）内没有照片"
        printed = f"（{material.printed}）" if material else ""
        missing.append(f"检查窗口（{span}）内没有任何照片：申报须报送{what}{printed}")
    else:
        summary = f"{len(photos)} 张，{ok} 张命名含时间和内容说明，{len(bad)} 张不合要求"
        if bad:
            missing.append(f"{len(bad)} 张照片的文件名不合要求（见照片清单），可用 jiaarchive photos label 补写时间和内容说明")
    issues = tuple(PhotoIssue(p.archive_no, p.path, "；".join(p.problems)) for p in bad[:MAX_ISSUES])
    return PhotoCheck(len(photos), ok, issues, len(bad), photos, summary, tuple(missing),
                      material.printed if material else "", material.source if material else "", what)


def check_form(archive: Archive, cov: CoverageRules, prof: profile_mod.Profile, grade: str) -> FormCheck | None:
    forms = [f for f in archive.standards.forms_for(archive.level) if f.grade == grade] or list(
        archive.standards.forms_for(archive.level))
    if not forms:
        return None
    form = forms[0]
    fields = []
    seen = set()
    for fld in form.fields:
        if fld.label in seen:
            continue
        seen.add(fld.label)
        key = cov.form_fields.get(fld.label, "")
        if key == "manual" or fld.kind == "opinion":
            fields.append(FormFieldCheck(fld.label, "manual", "", "手填"))
            continue
        if key == "unit_name":
            fields.append(FormFieldCheck(fld.label, key, archive.settings.unit, "已填"))
            continue
        f = profile_mod.BY_KEY.get(key)
        value = prof.get(key) if f else None
        if f is None or value in (None, ""):
            fields.append(FormFieldCheck(fld.label, key, "", "未填"))
        else:
            fields.append(FormFieldCheck(fld.label, key, profile_mod.show_value(f, value), "已填"))
    note = form.note if form.source_incomplete else ""
    check = FormCheck(form.id, form.title, tuple(fields), note)
    manual = [f.label for f in fields if f.status == "手填"]
    if check.missing:
        summary = f"简况中未填：{'、'.join(check.missing)}（可用 jiaarchive profile set 补填）"
    else:
        summary = "可由简况填写的栏目已填齐"
    if manual:
        summary += f"；须手填：{'、'.join(manual)}"
    return FormCheck(form.id, form.title, tuple(fields), note, summary)
