"""The coverage report as one self-contained HTML file: no network, printable on A4.

Lays out a ``coverage.assess.Report`` only (no counting here): the veto verdict first, totals,
a heat map of records per volume and year, per-item bars, the items with their gaps, materials,
warnings and deadlines.  Charts are inline SVG.
"""

from __future__ import annotations

import os
from html import escape
from pathlib import Path

from ..coverage.assess import MISSING, PASS, SUFFICIENT, UNKNOWN, VETO, WEAK, ItemAssessment, Report

COLOURS = {SUFFICIENT: "#2e7d32", WEAK: "#f9a825", MISSING: "#c62828", PASS: "#2e7d32", VETO: "#c62828", UNKNOWN: "#757575"}
MAX_EVIDENCE_SHOWN = 12

CSS = """
@page { size: A4; margin: 15mm 12mm; }
body { font-family: "Noto Sans CJK SC", "Microsoft YaHei", "PingFang SC", sans-serif; font-size: 10.5pt; color: #222; margin: 0 auto; max-width: 190mm; }
h1 { font-size: 16pt; margin: 0 0 4px; } h2 { font-size: 12.5pt; border-bottom: 2px solid #444; padding-bottom: 2px; margin-top: 18px; }
.meta { color: #555; margin-bottom: 8px; }
table { border-collapse: collapse; width: 100%; margin: 6px 0; }
th, td { border: 1px solid #999; padding: 3px 5px; vertical-align: top; text-align: left; }
th { background: #eee; }
td.n { text-align: right; white-space: nowrap; }
.badge { display: inline-block; padding: 0 6px; border-radius: 3px; color: #fff; font-weight: bold; white-space: nowrap; }
.verdict { font-size: 13pt; padding: 6px 10px; border: 2px solid; margin: 8px 0; }
.small { font-size: 9pt; color: #555; }
ul.gaps { margin: 2px 0 0 16px; padding: 0; } ul.gaps li { color: #8a1c1c; }
tr { page-break-inside: avoid; }
.chart { page-break-inside: avoid; }
@media print { a { color: inherit; text-decoration: none; } }
"""


def _badge(text: str) -> str:
    return f'<span class="badge" style="background:{COLOURS.get(text, "#555")}">{escape(text)}</span>'


def _num(x: float | None) -> str:
    return "—" if x is None else f"{x:g}"


def _heatmap(r: Report) -> str:
    cell_w, cell_h, left, top = 64, 22, 150, 24
    rows = r.heatmap
    peak = max([max(c) for _, _, c in rows if c] + [1])
    w = left + cell_w * len(r.years) + 10
    h = top + cell_h * len(rows) + 6
    out = [f'<svg class="chart" width="{w}" height="{h}" viewBox="0 0 {w} {h}" role="img" aria-label="各卷各年度记录数">']
    for j, y in enumerate(r.years):
        out.append(f'<text x="{left + j * cell_w + cell_w / 2}" y="16" font-size="11" text-anchor="middle">{y}</text>')
    for i, (letter, title, counts) in enumerate(rows):
        yy = top + i * cell_h
        out.append(f'<text x="4" y="{yy + 15}" font-size="11">{escape(letter)} {escape(title[:9])}</text>')
        for j, n in enumerate(counts):
            shade = 0.0 if n == 0 else 0.2 + 0.8 * n / peak
            fill = "#fdecea" if n == 0 else f"rgba(46,125,50,{shade:.2f})"
            x = left + j * cell_w
            out.append(f'<rect x="{x}" y="{yy}" width="{cell_w - 2}" height="{cell_h - 2}" fill="{fill}" stroke="#ccc"/>')
            colour = "#fff" if shade > 0.6 else "#222"
            out.append(f'<text x="{x + cell_w / 2 - 1}" y="{yy + 15}" font-size="11" text-anchor="middle" fill="{colour}">{n}</text>')
    out.append("</svg>")
    return "".join(out)


def _bars(items: tuple[ItemAssessment, ...]) -> str:
    """Per item: a bar of its points coloured by status, the suggested part filled."""
    if not items:
        return ""
    scale, left, row = 22, 44, 15
    peak = max(it.points or 1 for it in items)
    w = left + scale * peak + 140
    h = row * len(items) + 4
    out = [f'<svg class="chart" width="{w}" height="{h}" viewBox="0 0 {w} {h}" role="img" aria-label="各项状态与建议分">']
    for i, it in enumerate(items):
        y = i * row + 2
        pts = it.points or 0
        colour = COLOURS[it.status]
        out.append(f'<text x="{left - 4}" y="{y + 11}" font-size="10" text-anchor="end">{it.no}</text>')
        out.append(f'<rect x="{left}" y="{y}" width="{pts * scale}" height="{row - 3}" fill="none" stroke="{colour}"/>')
        out.append(f'<rect x="{left}" y="{y}" width="{(it.suggested or 0) * scale}" height="{row - 3}" fill="{colour}" opacity="0.75"/>')
        out.append(f'<text x="{left + pts * scale + 4}" y="{y + 11}" font-size="10">{escape(it.status)} {_num(it.suggested)}/{pts}</text>')
    out.append("</svg>")
    return "".join(out)


def _evidence(it: ItemAssessment) -> str:
    shown = ", ".join(escape(n) for n in it.evidence[:MAX_EVIDENCE_SHOWN])
    more = f" 等共 {len(it.evidence)} 件" if len(it.evidence) > MAX_EVIDENCE_SHOWN else ""
    return f'<div class="small">{shown}{more}</div>' if it.evidence else ""


def _items_table(r: Report, items: tuple[ItemAssessment, ...], scored: bool) -> str:
    head = "".join(f"<th>{y}</th>" for y in r.years)
    cols = "<th>单项分</th><th>建议分</th><th>自查分</th><th>评定分</th>" if scored else ""
    out = [f"<table><tr><th>项</th><th>项目</th><th>创建内容 / 证据 / 缺口</th><th>状态</th>{head}{cols}</tr>"]
    for it in items:
        years = "".join(f'<td class="n">{y.records}<br><span class="small">{y.photos}图</span></td>' for y in it.per_year)
        gaps = "".join(f"<li>{escape(m)}</li>" for m in it.missing)
        gaps = f'<ul class="gaps">{gaps}</ul>' if gaps else ""
        links = "；".join(f"{escape(lk.code)} {escape(lk.reason)}" for lk in it.links)
        score_cells = ""
        if scored:
            s, i = it.self_score, it.inspector_score
            srem = f'<div class="small">{escape(s.remark)}</div>' if s and s.remark else ""
            irem = f'<div class="small">{escape(i.remark)}（{escape(i.who)}）</div>' if i else ""
            score_cells = (f'<td class="n">{it.points}</td><td class="n">{_num(it.suggested)}</td>'
                           f'<td class="n">{_num(s.score if s else None)}{srem}</td><td class="n">{_num(i.score if i else None)}{irem}</td>')
        out.append(
            f"<tr><td class='n'>{escape(str(it.no))}</td><td>{escape(it.group)}<br>{escape(it.subgroup)}</td>"
            f"<td>{escape(it.text)}<div class='small'>对应：{links or '（无）'}</div>{_evidence(it)}{gaps}</td>"
            f"<td>{_badge(it.status)}</td>{years}{score_cells}</tr>"
        )
    out.append("</table>")
    return "".join(out)


def render(r: Report) -> str:
    t = r.totals
    parts = [
        "<!DOCTYPE html><html lang='zh-CN'><head><meta charset='utf-8'>",
        f"<title>{escape(r.unit)} 迎检报告 {r.as_of.isoformat()}</title><style>{CSS}</style></head><body>",
        f"<h1>{escape(r.unit)} 建家迎检报告</h1>",
        f"<div class='meta'>{escape(r.unit_type)}·{escape(r.level)}，申报{escape(r.grade)}；截至 {r.as_of.isoformat()}；"
        f"检查窗口 {r.window[0].isoformat()} 至 {r.window[1].isoformat()}（{r.years[0]}–{r.years[-1]} 年度）</div>",
        f"<div class='verdict' style='border-color:{COLOURS[r.veto_verdict]}'>否决条件：{_badge(r.veto_verdict)} "
        + ("有一项否决，评分无效。" if r.veto_verdict == VETO else "存在无法判断的条件，请补充简况。" if r.veto_verdict == UNKNOWN else "七项均未触及。")
        + "</div>",
        "<h2>一、否决条件</h2><table><tr><th>条</th><th>否决条件（原文）</th><th>结论</th><th>依据</th></tr>",
    ]
    for v in r.vetoes:
        parts.append(f"<tr><td class='n'>{v.no}</td><td>{escape(v.text)}</td><td>{_badge(v.verdict)}</td><td>{escape(v.reason)}</td></tr>")
    parts.append("</table>")
    parts.append(f"<div class='small'>入会率由{escape(r.membership_decided_by)}决定；满意度：{escape(r.satisfaction_rule)}。</div>")
    parts.append("<h2>二、得分</h2>")
    if r.sheet_id is None:
        parts.append(f"<p>{escape(r.sheet_note)}</p>")
    else:
        def line(name: str, total: float | None, extra: str = "") -> str:
            ok = t.passes(total)
            mark = "" if ok is None else (" ✔ 达到" if ok else " ✘ 未达到")
            return f"<tr><td>{name}</td><td class='n'>{_num(total)}</td><td>{mark}{extra}</td></tr>"

        parts.append(f"<p>{escape(r.sheet_note)}；门槛 {_num(t.threshold)} 分（{escape(t.threshold_source)}）。"
                     f"各项单项分之和 {t.points_sum} 分，表中合计 {t.stated_total} 分。</p>")
        parts.append("<table><tr><th>合计</th><th>分数</th><th>对照门槛</th></tr>")
        parts.append(line("建议分（程序推算）", t.suggested, "　" + escape(r.suggestion_note)))
        parts.append(line("自查分", t.self_total, f"　已录 {t.self_entered}/{t.items} 项"))
        parts.append(line("评定分", t.inspector_total, f"　已录 {t.inspector_entered}/{t.items} 项"))
        parts.append("</table>")
        if r.veto_verdict == VETO:
            parts.append("<p><b>因存在否决条件，以上分数不能作为申报依据。</b></p>")
    counts = r.status_counts()
    parts.append("<h2>三、材料覆盖</h2>")
    parts.append("<p>" + "，".join(f"{_badge(k)} {v} 项" for k, v in counts.items()) + "。</p>")
    parts.append("<div class='small'>" + "；".join(f"{escape(s)}：{escape(e)}" for s, e in r.status_rules) + "</div>")
    if len(r.due_years) < len(r.years):
        parts.append(f"<div class='small'>{r.years[-1]} 年尚未过半（逐年要求截至日之前），当年没有材料不算缺口。</div>")
    parts.append("<h3>各卷各年度记录数</h3>" + _heatmap(r))
    if r.items:
        parts.append("<h3>各项状态与建议分（框为单项分，实心为建议分）</h3>" + _bars(r.items))
        parts.append("<h2>四、逐项对照</h2>" + _items_table(r, r.items, True))
    if r.standard_items and (r.sheet_id is None or r.grade != "先进"):
        parts.append(f"<h2>{escape(r.standard_title)}（五家）</h2>" + _items_table(r, r.standard_items, False))
    parts.append("<h2>五、申报材料</h2><table><tr><th>材料</th><th>找到的记录</th><th>必备内容</th></tr>")
    for m in r.materials:
        ps = "、".join(f"{escape(p.part)}{'✔' if p.found == '标题' else '（仅正文）' if p.found else '✘'}" for p in m.parts)
        gaps = "".join(f"<li>{escape(x)}</li>" for x in m.missing)
        parts.append(f"<tr><td>{escape(m.name)}<div class='small'>{escape(m.source)}</div></td><td>{escape('、'.join(m.records) or '未找到')}</td>"
                     f"<td>{ps}<ul class='gaps'>{gaps}</ul></td></tr>")
    p = r.photos
    bad = "".join(f"<li>{escape(i.archive_no)} {escape(i.path.rsplit('/', 1)[-1])}：{escape(i.problem)}</li>" for i in p.issues)
    more = f"<li>……共 {p.issue_count} 张</li>" if p.issue_count > len(p.issues) else ""
    parts.append(f"<tr><td>照片命名</td><td>{p.total} 张，{p.ok} 张合格</td><td><ul class='gaps'>{bad}{more}</ul></td></tr>")
    if r.form:
        miss = "、".join(r.form.missing) or "无"
        parts.append(f"<tr><td>{escape(r.form.title)}</td><td>简况中未填：{escape(miss)}</td><td class='small'>{escape(r.form.incomplete_note)}</td></tr>")
    parts.append("</table>")
    if r.warnings:
        parts.append("<h2>六、数据质量提示</h2><ul>" + "".join(f"<li>{escape(w.text)}</li>" for w in r.warnings) + "</ul>")
    if r.deadlines:
        parts.append("<h2>七、时间</h2><ul>" + "".join(f"<li>{escape(d.text)}</li>" for d in r.deadlines) + "</ul>")
    parts.append("<p class='small'>本报告由 jiaarchive 生成。</p></body></html>")
    return "".join(parts)


def write_html(r: Report, path: Path) -> Path:
    path = Path(path)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(render(r), encoding="utf-8")
    os.replace(tmp, path)
    return path
