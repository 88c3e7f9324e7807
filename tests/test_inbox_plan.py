"""The XLSX plan round trip, `inbox apply` with every outcome, `--accept-above`, and the queue file."""

from __future__ import annotations

import json
import zipfile
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from jiaarchive import filing
from jiaarchive.cli import main
from jiaarchive.inbox import Staging, propose_pile
from jiaarchive.inbox import queue as queue_mod
from jiaarchive.inbox.apply import FILE, NOT_FILED, SKIP, Decision, apply_decisions
from jiaarchive.inbox.plan import COLUMNS, read_plan, write_plan

from .helpers import make_docx, make_jpeg, make_text

@pytest.fixture
def arch(company_archive):  # noqa: ANN001, ANN201
    return company_archive


def _pile(root: Path) -> Path:
    make_docx(root / "2021职代会" / "文档1.docx", "关于召开第三届职工代表大会的通知\n各代表团：\n工会\n2021年3月2日")
    make_text(root / "新建文件夹" / "安全.txt", "2021年“安全生产月”活动方案\n开展安全知识竞赛。\n2021年5月25日")
    make_text(root / "新建文件夹" / "预算.txt", "2021年工会经费收支预算表\n会费收入\n2021年1月20日")
    make_text(root / "杂" / "说明.txt", "说明\n一些文字\n")  # nothing to go on
    (root / "杂" / "空.docx").write_bytes(b"")
    with zipfile.ZipFile(root / "微信文件.zip", "w") as zf:
        zf.writestr("送温暖/慰问名单.txt", "春节慰问困难职工名单\n张三 2000元\n".encode())
    return root


def _plan(arch, root: Path, path: Path) -> Path:  # noqa: ANN001
    with Staging() as staging:
        pile = propose_pile(arch, root, staging)
    return write_plan(pile, path, arch)


def _rows(path: Path) -> tuple[list[str], dict[str, list]]:
    ws = load_workbook(path)["归档计划"]
    rows = list(ws.iter_rows(values_only=True))
    header = list(rows[0])
    return header, {r[header.index("文件")]: list(r) for r in rows[1:]}


def test_plan_has_chinese_headers_drop_downs_help_and_hidden_columns(arch, tmp_path: Path) -> None:
    path = _plan(arch, _pile(tmp_path / "堆"), tmp_path / "计划.xlsx")
    wb = load_workbook(path)
    assert wb.sheetnames == ["归档计划", "目录", "说明"]
    ws = wb["归档计划"]
    assert [c.value for c in ws[1]] == [h for _k, h, _w in COLUMNS]
    formulas = {dv.formula1 for dv in ws.data_validations.dataValidation}
    assert '"归档,不归档,跳过"' in formulas and "='目录'!$A$2:$A$33" in formulas
    assert [r[0].value for r in wb["目录"].iter_rows(min_row=2)][:3] == ["A-1", "A-2", "A-3"]
    help_text = "\n".join(str(c.value) for row in wb["说明"].iter_rows() for c in row if c.value)
    assert "jiaarchive inbox apply" in help_text and str((tmp_path / "堆").resolve()) in help_text
    assert ws.column_dimensions["N"].hidden and ws.column_dimensions["P"].hidden
    _header, rows = _rows(path)
    assert rows["2021职代会/文档1.docx"][2:6] == ["归档", "B-1", "关于召开第三届职工代表大会的通知", rows["2021职代会/文档1.docx"][5]]
    assert rows["杂/空.docx"][2] == "不归档" and rows["杂/说明.txt"][2] == "跳过"
    assert "微信文件.zip!送温暖/慰问名单.txt" in rows


def test_round_trip_apply_and_every_outcome(arch, tmp_path: Path) -> None:
    """The clerk corrects the plan in Excel: one code changed, one row set aside, one bad date,
    one scoresheet item; `inbox apply` files the rest, says what happened to each, exits 1."""
    root = _pile(tmp_path / "堆")
    path = _plan(arch, root, tmp_path / "计划.xlsx")
    wb = load_workbook(path)
    ws = wb["归档计划"]
    header = [c.value for c in ws[1]]
    col = {h: header.index(h) + 1 for h in header}
    for r in range(2, ws.max_row + 1):
        rel = ws.cell(r, col["文件"]).value
        if rel == "新建文件夹/预算.txt":
            ws.cell(r, col["目录"], "F-5 工会财务管理、经审活动资料")  # chosen from the drop-down with its name
            ws.cell(r, col["评分项"], "5、第6项")
            ws.cell(r, col["题名"], "2021年工会经费预算")
        elif rel == "新建文件夹/安全.txt":
            ws.cell(r, col["形成日期"], "2021-13-45")
        elif rel == "杂/说明.txt":
            ws.cell(r, col["处理"], "不归档")
    wb.save(path)
    plan = read_plan(path)
    assert plan.source == (tmp_path / "堆").resolve()
    by = {d.rel: d for d in plan.decisions}
    budget = by["新建文件夹/预算.txt"]
    assert (budget.code, budget.items, budget.title, budget.chosen_by_clerk) == ("F-5", (5, 6), "2021年工会经费预算", False)
    assert by["新建文件夹/安全.txt"].problem.startswith("第 ")
    assert by["杂/说明.txt"].action == NOT_FILED

    r = CliRunner().invoke(main, ["--archive", str(arch.root), "inbox", "apply", str(path), "--json"])
    assert r.exit_code == 1, r.output  # one row refused
    outcomes = {o["path"]: o for o in json.loads(r.stdout)["outcomes"]}
    assert outcomes["2021职代会/文档1.docx"]["status"] == "filed"
    assert outcomes["新建文件夹/预算.txt"]["status"] == "filed"
    assert outcomes["微信文件.zip!送温暖/慰问名单.txt"]["status"] == "filed"
    assert outcomes["新建文件夹/安全.txt"]["status"] == "refused" and "2021-13-45" in outcomes["新建文件夹/安全.txt"]["message"]
    assert outcomes["杂/说明.txt"]["status"] == "not_filed" and outcomes["杂/空.docx"]["status"] == "not_filed"
    records = {v.title: v for v in filing.list_records(arch)}
    assert records["2021年工会经费预算"].code == "F-5" and records["2021年工会经费预算"].items == (5, 6)
    assert records["关于召开第三届职工代表大会的通知"].date == date(2021, 3, 2)
    assert (root / "微信文件.zip").exists() and (root / "新建文件夹" / "预算.txt").exists()  # copied, never moved

    again = CliRunner().invoke(main, ["--archive", str(arch.root), "inbox", "apply", str(path)])
    assert "重复，未归档" in again.output and records["2021年工会经费预算"].archive_no in again.output
    assert len(filing.list_records(arch)) == 3


def test_accept_above_files_only_confident_rows_and_the_clerks_own_choices(arch, tmp_path: Path) -> None:
    root = tmp_path / "堆"
    make_text(root / "2021职代会" / "a.txt", "关于召开职工代表大会的通知\n职代会提案\n2021年3月2日")
    make_text(root / "b.txt", "说明\n一些文字\n")
    decisions = [Decision(("2021职代会/a.txt",), FILE, "B-1", confidence=0.97, proposed_code="B-1"),
                 Decision(("b.txt",), FILE, "F-6", confidence=0.2, proposed_code="F-6"),
                 Decision(("b.txt",), FILE, "D-1", confidence=0.2, proposed_code="F-6")]
    outcomes = apply_decisions(arch, root, decisions, accept_above=0.9)
    assert [o.status for o in outcomes] == ["filed", "left", "filed"]
    assert "低于 0.90" in outcomes[1].message


def test_batch_outcomes_refusals_do_not_stop_the_run(arch, tmp_path: Path) -> None:
    root = tmp_path / "堆"
    make_text(root / "ok.txt", "关于送温暖的通知\n")
    (root / "坏照片.jpg").write_bytes(b"\xff\xd8\xff\xe0 this is no photo")
    make_jpeg(root / "好照片.jpg")
    decisions = [Decision(("ok.txt",), FILE, "C-4"), Decision(("不存在.txt",), FILE, "C-4"),
                 Decision(("坏照片.jpg",), FILE, "D-5"), Decision(("ok.txt",), FILE, "Z-9"),
                 Decision(("../etc/passwd",), FILE, "C-4"), Decision(("好照片.jpg",), FILE, "D-5"),
                 Decision(("ok.txt",), SKIP), Decision(("ok.txt",), FILE, "")]
    outcomes = apply_decisions(arch, root, decisions)
    assert [o.status for o in outcomes] == ["filed", "refused", "refused", "refused", "refused", "filed", "skip", "refused"]
    assert "找不到" in outcomes[1].message and "--force" in outcomes[2].message
    assert "Z-9" in outcomes[3].message and "“..”" in outcomes[4].message and "目录编号" in outcomes[7].message


def test_plan_that_was_moved_or_lost_its_hidden_columns(arch, tmp_path: Path) -> None:
    """The pile moved (another drive letter): --source; the hidden columns were lost in a copy:
    the shown path is used; a hand-written ../ location is refused."""
    root = _pile(tmp_path / "堆")
    path = _plan(arch, root, tmp_path / "计划.xlsx")
    moved = root.rename(tmp_path / "U盘")
    wb = load_workbook(path)
    ws = wb["归档计划"]
    ws.delete_cols(14, 3)
    ws.cell(2, 2, "../档案/jiaarchive.toml")
    wb.save(path)
    r = CliRunner().invoke(main, ["--archive", str(arch.root), "inbox", "apply", str(path)])
    assert r.exit_code == 1 and "--source" in r.output
    r = CliRunner().invoke(main, ["--archive", str(arch.root), "inbox", "apply", str(path), "--source", str(moved), "--json"])
    outcomes = json.loads(r.stdout)["outcomes"]
    assert outcomes[0]["status"] == "refused" and "“..”" in outcomes[0]["message"]
    assert sum(o["status"] == "filed" for o in outcomes) == 3  # 安全、预算 and the zip member


def test_not_a_plan_is_a_clear_error(arch, tmp_path: Path) -> None:
    bad = tmp_path / "随便.xlsx"
    bad.write_bytes(b"not a workbook")
    r = CliRunner().invoke(main, ["--archive", str(arch.root), "inbox", "apply", str(bad)])
    assert r.exit_code == 1 and "无法打开" in r.output
    from openpyxl import Workbook

    Workbook().save(bad)
    r = CliRunner().invoke(main, ["--archive", str(arch.root), "inbox", "apply", str(bad)])
    assert "没有“归档计划”工作表" in r.output


def test_queue_round_trip_and_untrusted_contents(arch, tmp_path: Path) -> None:
    root = _pile(tmp_path / "堆")
    with Staging() as staging:
        pile = propose_pile(arch, root, staging)
    q = queue_mod.Queue.from_pile(pile)
    q.replace(0, state=queue_mod.SKIPPED, code="F-6", title="改过的题名", date=date(2021, 1, 2))
    queue_mod.save(arch, q)
    back = queue_mod.load(arch)
    assert back is not None and back.source == root.resolve()
    assert [e.rel for e in back.entries] == [e.rel for e in q.entries]
    assert (back.entries[0].state, back.entries[0].code, back.entries[0].title, back.entries[0].date) == \
        (queue_mod.SKIPPED, "F-6", "改过的题名", date(2021, 1, 2))
    assert back.entries[0].proposal.proposals == q.entries[0].proposal.proposals

    path = queue_mod.path_for(arch)
    data = json.loads(path.read_text(encoding="utf-8"))
    data["entries"][0]["code"] = "Z-9"  # not a code of this archive: dropped, the entry stays
    data["entries"][1]["state"] = "hacked"  # an unknown state: the entry is left out
    data["entries"][2]["proposal"]["location"] = [{"x": 1}]
    data["entries"][3]["title"] = "标题\u0000\u0007带控制符"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    back = queue_mod.load(arch)
    assert len(back.entries) == len(q.entries) - 2 and any("2 项" in n for n in back.notes)
    assert back.entries[0].code == ""
    assert "\u0000" not in back.entries[1].title
    path.write_text("[1, 2", encoding="utf-8")
    with pytest.raises(queue_mod.QueueDamaged):
        queue_mod.load(arch)


def test_inbox_accept_above_from_the_command_line(arch, tmp_path: Path) -> None:
    """`inbox PATH --accept-above 0.9` files the confident proposals, lists the rest, refuses nothing good."""
    root = _pile(tmp_path / "堆")
    r = CliRunner().invoke(main, ["--archive", str(arch.root), "inbox", str(root), "--accept-above", "0.9", "--json"])
    assert r.exit_code == 1, r.output  # the 0-byte file is refused with its reason
    outcomes = {o["path"]: o for o in json.loads(r.stdout)["outcomes"]}
    assert outcomes["2021职代会/文档1.docx"]["status"] == "filed"
    assert outcomes["杂/说明.txt"]["status"] == "left"
    assert outcomes["杂/空.docx"]["status"] == "refused" and "0 字节" in outcomes["杂/空.docx"]["message"]
    assert {v.code for v in filing.list_records(arch)} >= {"B-1", "E-2", "F-5", "C-4"}


def test_a_pile_holding_the_archive_never_files_the_archive_into_itself(arch, tmp_path: Path) -> None:
    """Review 11: ``inbox ..`` from inside the archive proposed (and --accept-above filed) the
    archive's own files, e.g. its settings file; now they are skipped and counted, and a plan row
    pointing at one is refused."""
    pile = arch.root.parent
    make_text(pile / "收件" / "通知.txt", "关于召开职工代表大会的通知\n2021年3月2日")
    with Staging() as staging:
        found = propose_pile(arch, pile, staging)
    assert [f.rel for f in found.files] == ["收件/通知.txt"], [f.rel for f in found.files]
    assert "档案自身的文件" in found.skipped_text
    own = next(arch.root.glob("*.toml")).relative_to(pile).as_posix()
    [out] = apply_decisions(arch, pile, [Decision((own,), FILE, "B-1")])
    assert out.status == "refused" and "档案自身的文件" in out.message
    assert filing.list_records(arch) == []


def test_inbox_apply_ctrl_c_finishes_the_file_in_hand_and_reports_every_row(arch, tmp_path: Path,
                                                                            monkeypatch) -> None:
    """Review 11: Ctrl-C during ``inbox apply`` printed only 已取消。 after filing some rows."""
    import os
    import signal

    from jiaarchive.inbox import apply as apply_mod

    root = tmp_path / "堆"
    for n in "一二三":
        make_text(root / f"{n}.txt", f"工会第{n}次会议纪要")
    plan = tmp_path / "计划.xlsx"
    with Staging() as staging:
        pile = propose_pile(arch, root, staging)
    write_plan(pile, plan, arch)
    wb = load_workbook(plan)
    ws = wb["归档计划"]
    header = [c.value for c in ws[1]]
    for row in ws.iter_rows(min_row=2):
        row[header.index("处理")].value = "归档"
        row[header.index("目录")].value = "F-6"
    wb.save(plan)
    real = apply_mod.file_one

    def pressed_during_the_first(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        if not getattr(pressed_during_the_first, "done", False):
            pressed_during_the_first.done = True
            os.kill(os.getpid(), signal.SIGINT)
        return real(*args, **kwargs)

    monkeypatch.setattr(apply_mod, "file_one", pressed_during_the_first)
    res = CliRunner().invoke(main, ["--archive", str(arch.root), "inbox", "apply", str(plan), "--no-progress"])
    assert res.exit_code == 1, res.output
    assert "已归档 1 个，未处理 2 个" in res.output, res.output
    assert len(filing.list_records(arch)) == 1


def test_a_plan_is_not_written_into_the_archive_folder(arch, tmp_path: Path) -> None:
    """Review 11: run from inside the archive (where the CLI finds it), ``--plan 计划.xlsx`` wrote
    the plan into the archive and ``jiaarchive verify`` then failed on an unregistered file."""
    root = _pile(tmp_path / "堆")
    res = CliRunner().invoke(main, ["--archive", str(arch.root), "inbox", str(root), "--plan",
                                    str(arch.root / "计划.xlsx"), "--no-progress"])
    assert res.exit_code != 0 and "不能保存在档案文件夹中" in res.output, res.output
    assert not (arch.root / "计划.xlsx").exists()
    assert CliRunner().invoke(main, ["--archive", str(arch.root), "verify"]).exit_code == 0


def test_inbox_accept_above_ctrl_c_reports_every_file(arch, tmp_path: Path, monkeypatch) -> None:
    """Review 11: the same for ``inbox PATH --accept-above``."""
    import os
    import signal

    from jiaarchive.inbox import apply as apply_mod

    root = tmp_path / "堆"
    for n in "一二三":
        make_text(root / "2021职代会" / f"{n}.txt", f"第三届职工代表大会第{n}次会议决议")
    real = apply_mod.file_one
    pressed = []

    def pressed_during_the_first(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        if not pressed:
            pressed.append(1)
            os.kill(os.getpid(), signal.SIGINT)
        return real(*args, **kwargs)

    monkeypatch.setattr(apply_mod, "file_one", pressed_during_the_first)
    res = CliRunner().invoke(main, ["--archive", str(arch.root), "inbox", str(root), "--accept-above", "0",
                                    "--no-progress"])
    assert res.exit_code == 1, res.output
    assert "已归档 1 个，未处理 2 个" in res.output, res.output
    assert len(filing.list_records(arch)) == 1
