"""The city union's review workspace on a real PostgreSQL server (issue 14): init, import, status,
search, 评定分, re-import — through the library and the CLI."""

from __future__ import annotations

import json
import shutil
import zipfile
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from jiaarchive.archive import init_archive
from jiaarchive.bundles.make import write_bundle
from jiaarchive.cli import main
from jiaarchive.filing import Draft, file_document
from jiaarchive.selection import RecordQuery, select_records

from .helpers import make_text

pytestmark = pytest.mark.usefixtures("pg_server")

UNITS = [
    ("重庆市甲中学工会", "事业单位", [("B-1", "关于召开第四届教职工代表大会的通知", "职工代表大会 审议 工会经费 第十二条"),
                                   ("C-1", "困难职工慰问名单", "困难职工 慰问 送温暖 工會經費")]),
    ("重庆市乙医院工会", "事业单位", [("B-1", "职代会决议", "职代会 决议 劳动合同"),
                                   ("E-1", "安全生产月活动", "安全生产 隐患排查 第12条")]),
    ("重庆市丙机关工会", "机关单位", [("C-1", "送温暖活动总结", "送温暖 困难职工 帮扶")]),
]


def _make_bundle(tmp_path: Path, unit: str, unit_type: str, records, name: str | None = None) -> Path:  # noqa: ANN001
    root = tmp_path / "src" / unit
    shutil.rmtree(root, ignore_errors=True)
    arch = init_archive(root, unit=unit, unit_type=unit_type)
    try:
        for i, (code, title, text) in enumerate(records):
            file_document(arch, [make_text(tmp_path / "in" / unit / f"{i}-{code}.txt", f"{title}\n{text}")],
                          Draft(code=code, title=title, date=date(2021, 3, 1 + i)))
        out = tmp_path / "bundles" / (name or f"{unit}.zip")
        write_bundle(arch, select_records(arch, RecordQuery()), out)
        return out
    finally:
        arch.close()


@pytest.fixture
def bundles(tmp_path: Path) -> list[Path]:
    return [_make_bundle(tmp_path, u, t, recs) for u, t, recs in UNITS]


def _cli(url: str, *args: str):  # noqa: ANN202
    res = CliRunner().invoke(main, ["review", "--db", url, *args])
    return res


def test_review_end_to_end(tmp_path: Path, pg_url: str, bundles: list[Path]) -> None:
    ws = tmp_path / "ws"
    res = CliRunner().invoke(main, ["review", "init", str(ws), "--db", pg_url])
    assert res.exit_code == 0, res.output
    res = _cli(pg_url, "--dir", str(ws), "import", *map(str, bundles), "--json")
    assert res.exit_code == 0, res.output
    got = json.loads(res.stdout)
    assert [r["records"] for r in got] == [2, 2, 1] and not any(r["error"] for r in got)
    # each unit kept apart: its own archive in the workspace
    assert len([p for p in (ws / "units").iterdir() if not p.name.startswith(".")]) == 3

    res = _cli(pg_url, "--dir", str(ws), "status", "--json", "--xlsx", str(tmp_path / "s.xlsx"), "--html", str(tmp_path / "s.html"))
    assert res.exit_code == 0, res.output
    rows = json.loads(res.stdout)
    assert [r["rank"] for r in rows] == [1, 2, 3]
    assert {r["unit"] for r in rows} == {u for u, _t, _r in UNITS}
    for r in rows:
        assert r["veto"] in ("通过", "否决", "未知") and r["threshold"] == 80
        if r["unit_type"] == "事业单位":
            assert r["missing_items"], json.dumps(r, ensure_ascii=False)  # two records cannot cover the scoresheet
        assert r["materials_missing"]
    assert (tmp_path / "s.xlsx").stat().st_size > 0
    html = (tmp_path / "s.html").read_text(encoding="utf-8")
    assert "重庆市甲中学工会" in html and "<table>" in html

    # search: same language and Chinese analysis, filters by unit, type, code, year, item
    def search(*args: str) -> dict:
        r = _cli(pg_url, "--dir", str(ws), "search", *args, "--json")
        assert r.exit_code == 0, r.output
        return json.loads(r.stdout)

    assert search("送温暖")["units"] == 2
    assert search("工会经费")["total"] == 2  # 工會經費 (繁体) found by 简体
    assert search("职代会")["total"] == 2  # synonym: 职工代表大会
    twelve = search("第12条")
    assert twelve["total"] == 2  # 第十二条 and 第12条
    assert search("送温暖", "--type", "机关单位")["units"] == 1
    assert search("送温暖", "--unit", "甲中学")["hits"][0]["unit"] == "重庆市甲中学工会"
    assert search("职工", "--code", "B-1")["total"] == 1
    assert search("职工", "--code", "C")["total"] == 2
    assert search("安全生产", "--year", "2020")["total"] == 0
    assert search("困难职工 -名单")["total"] == 1
    assert search("\"职代会决议\"")["total"] == 1

    # 评定分 by the inspection group: kept in the workspace, counted in the status
    res = _cli(pg_url, "--dir", str(ws), "score", "重庆市甲中学工会", "1", "3")
    assert res.exit_code == 0, res.output
    res = _cli(pg_url, "--dir", str(ws), "score", "重庆市甲中学工会", "1", "999")
    assert res.exit_code != 0 and "无效" in res.output
    rows = {r["unit"]: r for r in json.loads(_cli(pg_url, "--dir", str(ws), "status", "--json").stdout)}
    assert rows["重庆市甲中学工会"]["inspector_total"] == 3


def test_reimport_replaces_only_after_it_verifies(tmp_path: Path, pg_url: str) -> None:
    from jiaarchive.review.search import search
    from jiaarchive.review.status import ranked, set_score
    from jiaarchive.review.workspace import import_bundles, init_workspace

    unit, t, recs = UNITS[0]
    first = _make_bundle(tmp_path, unit, t, recs[:1], name="v1.zip")
    with init_workspace(tmp_path / "ws", pg_url) as ws:
        [r] = import_bundles(ws, [first])
        assert r.records == 1 and not r.replaced
        set_score(ws, unit, 1, 2.0, "好", "检查组")
        # a tampered second bundle leaves the first in place
        bad = tmp_path / "bad.zip"
        shutil.copyfile(first, bad)
        with zipfile.ZipFile(bad, "a") as zf:
            zf.writestr("data/B 民主之家/多出来的.txt", "x")
        [r] = import_bundles(ws, [bad])
        assert r.error and "多出来的.txt" in r.error
        assert search(ws, "教职工代表大会").total == 1
        folders = sorted(p.name for p in (tmp_path / "ws" / "units").iterdir())
        # a good new version replaces it: docs switched, old folder gone, 评定分 kept
        second = _make_bundle(tmp_path, unit, t, recs, name="v2.zip")
        [r] = import_bundles(ws, [second])
        assert r.replaced and r.records == 2
        assert search(ws, "困难职工").total == 1
        now = sorted(p.name for p in (tmp_path / "ws" / "units").iterdir())
        assert len(now) == 1 and now != folders
        [row] = ranked(ws)
        assert row.records == 2 and row.inspector_total == 2.0
        # the same bundle again changes nothing
        [r] = import_bundles(ws, [second])
        assert not r.error and r.records == 2


def test_review_search_matches_a_units_own_search(tmp_path: Path, pg_url: str) -> None:
    """The cross-unit search and the unit's own Whoosh search give the same totals on one unit."""
    from jiaarchive import indexing
    from jiaarchive.review.search import search
    from jiaarchive.review.workspace import import_bundles, init_workspace

    unit, t, _r = UNITS[0]
    recs = [("B-1", f"第{i}次职代会决议", f"第{i}次会议 工会经费 第十二条 劳动合同 送温暖 A-{i}") for i in range(1, 6)]
    recs += [("C-1", "困难职工慰问", "困难職工 慰问 第12条"), ("A-1", "技能竞赛", "劳动竞赛 技术革新 2021年")]
    b = _make_bundle(tmp_path, unit, t, recs)
    with init_workspace(tmp_path / "ws", pg_url) as ws:
        import_bundles(ws, [b])
        folder = next(p for p in (tmp_path / "ws" / "units").iterdir())
        with ws.open_unit(folder.name, read_only=False) as arch:
            indexing.rebuild(arch)
            idx = indexing.open_index(arch)
            for q in ("职代会", "工会经费", "第12条", "困难职工", "\"劳动合同\"", "送温暖 -困难", "A-1", "code:B",
                      "竞赛 OR 慰问", "2021", "title:决议", "年"):
                assert search(ws, q, limit=50).total == idx.search(q, limit=50).total, q


def test_unit_archives_keep_their_own_database_whatever_jiaarchive_db_says(tmp_path: Path, pg_url: str,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """A reviewer whose computer is connected to a unit's shared database ($JIAARCHIVE_DB) must not
    load other units' records into it: each unit's archive in the workspace keeps its own SQLite."""
    from jiaarchive.review.workspace import import_bundles, init_workspace

    unit, t, recs = UNITS[1]
    b = _make_bundle(tmp_path, unit, t, recs)
    monkeypatch.setenv("JIAARCHIVE_DB", pg_url)
    with init_workspace(tmp_path / "ws", pg_url) as ws:
        [r] = import_bundles(ws, [b])
        assert not r.error and r.records == 2
        folder = next(p for p in (tmp_path / "ws" / "units").iterdir())
        assert (folder / ".jiaarchive" / "archive.db").is_file()
        with ws.open_unit(folder.name) as arch:
            assert arch.database_url.startswith("sqlite:///") and len(select_records(arch, RecordQuery())) == 2
    # the shared database got no archive tables
    from sqlalchemy import create_engine, inspect

    eng = create_engine(pg_url)
    try:
        assert "records" not in inspect(eng).get_table_names()
    finally:
        eng.dispose()


def test_review_needs_postgresql(tmp_path: Path) -> None:
    res = CliRunner().invoke(main, ["review", "init", str(tmp_path / "ws"), "--db", "sqlite:///x.db"])
    assert res.exit_code != 0 and "PostgreSQL" in res.output
    res = CliRunner().invoke(main, ["review", "--dir", str(tmp_path), "status"])
    assert res.exit_code != 0 and "不是审核工作区" in res.output


async def _settle(pilot) -> None:  # noqa: ANN001
    app = pilot.app
    for _ in range(20):
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        if not any(w.is_running for w in app.workers):
            return


def test_tui_units_screen_drills_into_a_unit_and_takes_scores(tmp_path: Path, pg_url: str, bundles: list[Path]) -> None:
    import asyncio

    from textual.widgets import DataTable, Input

    from jiaarchive.review.status import ranked
    from jiaarchive.review.workspace import import_bundles, init_workspace
    from jiaarchive.tui.review import ReviewApp, ReviewDashboardScreen, UnitsScreen

    ws = init_workspace(tmp_path / "ws", pg_url)
    try:
        import_bundles(ws, bundles)
        app = ReviewApp(ws)
        asyncio.run(_drive(app))
        first, dash = app.first, app.dash
        if dash.report.sheet_id:
            row = next(r for r in ranked(ws) if r.unit == first.unit)
            assert row.inspector_total == 1.0
    finally:
        ws.close()


async def _drive(app) -> None:  # noqa: ANN001
    from textual.widgets import DataTable, Input

    from jiaarchive.tui.review import ReviewDashboardScreen, UnitsScreen

    if True:
        async with app.run_test(size=(140, 40)) as pilot:
            await _settle(pilot)
            screen = app.screen
            assert isinstance(screen, UnitsScreen)
            table = screen.query_one(DataTable)
            assert table.row_count == 3
            i = next(k for k, r in enumerate(screen.rows) if r.unit_type == "事业单位")
            table.move_cursor(row=i)
            await pilot.pause()
            first = screen.rows[i]
            await pilot.press("enter")
            await _settle(pilot)
            dash = app.screen
            assert isinstance(dash, ReviewDashboardScreen), getattr(dash, "message", dash)
            assert dash.report is not None
            assert dash.report.unit == first.unit and dash.archive.read_only
            # the unit cannot be changed from here
            assert dash.check_action("edit_profile", ()) is False and dash.check_action("not_applicable", ()) is False
            assert dash.report.sheet_id
            if True:
                await pilot.press("s")
                await pilot.pause()
                app.screen.query_one("#score-value", Input).value = "1"
                await pilot.press("enter")
                await _settle(pilot)
                assert dash.review_scores == {int((dash.report.items or dash.report.standard_items)[0].no): 1.0}
            await pilot.press("escape")
            await _settle(pilot)
            assert isinstance(app.screen, UnitsScreen)
            app.first, app.dash = first, dash
            # cross-unit search from the units screen, and into the unit of a hit
            from jiaarchive.tui.review import ReviewSearchScreen

            await pilot.press("slash")
            await pilot.pause()
            app.screen.query_one(Input).value = "送温暖"
            await pilot.press("enter")
            await _settle(pilot)
            found = app.screen
            assert isinstance(found, ReviewSearchScreen)
            assert {h.unit for h in found.hits} == {"重庆市甲中学工会", "重庆市丙机关工会"}
            await pilot.press("enter")
            await _settle(pilot)
            assert isinstance(app.screen, ReviewDashboardScreen) and app.screen.unit == found.hits[0].unit


def _with_bundle_json(bundle: Path, out: Path, **changes) -> Path:  # noqa: ANN003
    """``bundle`` with its bundle.json changed and sealed again (a bundle made by someone else)."""
    import bagit

    work = out.with_suffix("")
    shutil.unpack_archive(bundle, work, "zip")
    p = work / "data" / "jiaarchive" / "bundle.json"
    p.write_text(json.dumps({**json.loads(p.read_text(encoding="utf-8")), **changes}, ensure_ascii=False), encoding="utf-8")
    bagit.Bag(str(work)).save(manifests=True)
    with zipfile.ZipFile(out, "w") as zf:
        for f in sorted(work.rglob("*")):
            if f.is_file():
                zf.write(f, f.relative_to(work).as_posix())
    return out


def test_hostile_bundle_facts_are_said_and_the_batch_goes_on(tmp_path: Path, pg_url: str, bundles: list[Path]) -> None:
    """A re-sealed bundle whose bundle.json says what no column holds (a 300-character unit name, a file
    count that is not a number) is refused with a Chinese sentence, leaves nothing behind in the
    workspace folder, and the other bundles of the same command are imported."""
    long_name = _with_bundle_json(bundles[0], tmp_path / "long.zip", unit="长" * 300)
    bad_count = _with_bundle_json(bundles[1], tmp_path / "count.zip", files="很多", application_year=10 ** 30)
    ws = tmp_path / "ws"
    assert _cli(pg_url, "init", str(ws), "--db", pg_url).exit_code == 0
    res = _cli(pg_url, "--dir", str(ws), "import", str(long_name), str(bad_count), str(bundles[2]), "--json")
    assert res.exit_code == 1, res.output
    assert "内部错误" not in res.output
    got = {r["bundle"]: r for r in json.loads(res.stdout)}
    assert "long.zip" in got["long.zip"]["error"] or "单位名称" in got["long.zip"]["error"]
    assert not got["count.zip"]["error"] and got["count.zip"]["records"] == 2
    assert not got[bundles[2].name]["error"]
    assert len(list((ws / "units").iterdir())) == 2 and len(list((ws / "bundles").iterdir())) == 2
    rows = json.loads(_cli(pg_url, "--dir", str(ws), "status", "--json").stdout)
    assert len(rows) == 2


def test_review_search_and_score_refuse_impossible_numbers(tmp_path: Path, pg_url: str, bundles: list[Path]) -> None:
    ws = tmp_path / "ws"
    assert _cli(pg_url, "init", str(ws), "--db", pg_url).exit_code == 0
    assert _cli(pg_url, "--dir", str(ws), "import", str(bundles[0])).exit_code == 0
    for args in (("工会", "--item", "99999999999"), ("工会 item:99999999999",)):
        res = _cli(pg_url, "--dir", str(ws), "search", *args)
        assert res.exit_code == 0 and "内部错误" not in res.output and "共 0 件" in res.output, res.output
    for bad in ("nan", "inf"):
        res = _cli(pg_url, "--dir", str(ws), "score", "重庆市甲中学工会", "1", bad)
        assert res.exit_code != 0 and "无效" in res.output, res.output
    rows = json.loads(_cli(pg_url, "--dir", str(ws), "status", "--json").stdout)
    assert rows[0]["inspector_total"] is None


def test_status_into_a_read_only_folder_names_the_file(tmp_path: Path, pg_url: str, bundles: list[Path]) -> None:
    """--xlsx / --html where nothing can be written: one Chinese sentence naming the file the clerk
    gave, not the temporary name beside it."""
    from .test_readonly import _protect

    ws = tmp_path / "ws"
    assert _cli(pg_url, "init", str(ws), "--db", pg_url).exit_code == 0
    assert _cli(pg_url, "--dir", str(ws), "import", str(bundles[0])).exit_code == 0
    (tmp_path / "空").mkdir()
    where = tmp_path / "只读"
    undo = _protect(tmp_path / "空", where)
    if undo is None:
        pytest.skip("这台机器上无法做只读挂载，root 用户也不受 chmod 限制")
    try:
        for opt, name in (("--xlsx", "排名.xlsx"), ("--html", "排名.html")):
            res = _cli(pg_url, "--dir", str(ws), "status", opt, str(where / name))
            assert res.exit_code == 1 and f"“{where / name}”" in res.output and "只读" in res.output, res.output
            assert ".tmp" not in res.output and "Read-only" not in res.output
    finally:
        undo()


def test_a_bundles_claimed_coverage_is_not_what_ranks_it(tmp_path: Path, pg_url: str, bundles: list[Path]) -> None:
    """A re-sealed bundle (checksums made again) whose coverage.json claims a perfect, passing unit in
    odd shapes (totals as text, items without numbers): the review ranks the unit on the assessment it
    computes from the unit's evidence, the same as for the bundle as exported; status, its XLSX and
    HTML, and 评定分 entry work for every unit."""
    import bagit

    ws = tmp_path / "ws"
    assert _cli(pg_url, "init", str(ws), "--db", pg_url).exit_code == 0
    assert _cli(pg_url, "--dir", str(ws), "import", str(bundles[0]), str(bundles[1])).exit_code == 0
    honest = {r["unit"]: r for r in json.loads(_cli(pg_url, "--dir", str(ws), "status", "--json").stdout)}

    work = tmp_path / "odd"
    shutil.unpack_archive(bundles[0], work, "zip")
    p = work / "data" / "jiaarchive" / "coverage.json"
    cov = json.loads(p.read_text(encoding="utf-8"))
    cov["totals"] = {"self": "九十", "self_entered": 3, "threshold": [80]}
    cov["items"] = [{"name": "没有序号"}, "不是项目", {"no": 1, "name": "第一项", "points": "五", "status": "充分"}]
    cov["materials"], cov["deadlines"], cov["sheet"] = "无", [{"name": "截止", "date": 20210101}], ["x"]
    cov["vetoes"] = {"verdict": "通过", "summary": "全部通过"}
    p.write_text(json.dumps(cov, ensure_ascii=False), encoding="utf-8")
    bagit.Bag(str(work)).save(manifests=True)
    odd = tmp_path / "odd.zip"
    with zipfile.ZipFile(odd, "w") as zf:
        for f in sorted(work.rglob("*")):
            if f.is_file():
                zf.write(f, f.relative_to(work).as_posix())
    assert _cli(pg_url, "--dir", str(ws), "import", str(odd)).exit_code == 0
    res = _cli(pg_url, "--dir", str(ws), "status", "--xlsx", str(tmp_path / "r.xlsx"), "--html", str(tmp_path / "r.html"))
    assert res.exit_code == 0 and "内部错误" not in res.output, res.output
    rows = {r["unit"]: r for r in json.loads(_cli(pg_url, "--dir", str(ws), "status", "--json").stdout)}
    unit = "重庆市甲中学工会"
    assert len(rows) == 2 and rows[unit]["missing_items"] and "1.第一项" not in rows[unit]["missing_items"]
    for key in ("veto", "self_total", "missing_items", "weak_items", "materials_missing"):
        assert rows[unit][key] == honest[unit][key], key
    res = _cli(pg_url, "--dir", str(ws), "score", "重庆市甲中学工会", "1", "3")
    assert res.exit_code == 0, res.output
