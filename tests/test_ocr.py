"""Text recognition (文字识别) of scans and photos made here: a scanned notice (an image-only
PDF) and a photographed sign-in sheet are found by the words on them, from the CLI and the
TUI search screen; pages wait at filing and are read later, under the worker's limits."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from jiaarchive import filing, indexing
from jiaarchive.cli import main
from jiaarchive.extract import ocr as ocr_mod
from jiaarchive.extract import recognise_many
from jiaarchive.filing import Draft
from jiaarchive.tui import make_app

from . import scans
from .test_tui import run_async
from .test_tui_search import marked, open_search

needs_ocr = pytest.mark.skipif(not ocr_mod.available() or scans.cjk_font() is None,
                               reason="rapidocr/onnxruntime or a CJK font not installed")


@pytest.fixture(scope="module")
def made(tmp_path_factory) -> dict[str, Path]:
    if scans.cjk_font() is None:
        pytest.skip("no CJK font")
    d = tmp_path_factory.mktemp("scans")
    return {"notice": scans.scanned_notice_pdf(d / "教代会通知扫描件.pdf"),
            "sheet": scans.photographed_sign_in_sheet(d / "IMG_20210601_093012.jpg")}


def _cli(root: Path, *args: str):
    return CliRunner().invoke(main, ["--archive", str(root), *args])


@needs_ocr
def test_a_scanned_notice_and_a_photographed_sign_in_sheet_are_found_by_their_words(tmp_path, made):
    root = tmp_path / "档案"
    CliRunner().invoke(main, ["init", str(root), "--unit", "测试学校工会", "--type", "事业单位"])
    assert _cli(root, "add", str(made["notice"]), "--code", "B-1", "--title", "关于召开教代会的通知",
                "--date", "2021-03-08").exit_code == 0
    assert _cli(root, "add", str(made["sheet"]), "--code", "E-1", "--title", "消防演练", "--date",
                "2021-06-01", "--force").exit_code == 0
    status = _cli(root, "index", "status").output
    assert "2 页等待识别" in status and "无文字层" in status
    assert "没有找到" in _cli(root, "search", "绩效工资分配方案").output  # filing did not wait for OCR
    res = _cli(root, "index", "ocr")
    assert res.exit_code == 0 and "已识别 2 页" in res.output
    res = _cli(root, "search", "绩效工资分配方案")
    assert "共找到 1 件" in res.output and "［文字识别］" in res.output and "【绩效工资分配方案】" in res.output
    res = _cli(root, "search", "王晓燕", "保卫科")
    assert "共找到 1 件" in res.output and "消防演练" in res.output
    hit = json.loads(_cli(root, "search", "二〇二一年", "教职工代表大会", "--json").stdout)["hits"][0]
    assert hit["ocr"] is True and hit["title"] == "关于召开教代会的通知"
    status = _cli(root, "index", "status").output
    assert "2 个文件共 2 页的文字由文字识别读出" in status and "0 页等待识别" in status
    assert "无文字层" not in status  # a scan that OCR read is not "unreadable" any more
    # A rebuild keeps what OCR read (cached by content) and queues nothing again.
    assert _cli(root, "index", "rebuild").exit_code == 0
    assert "共找到 1 件" in _cli(root, "search", "刘德胜").output
    assert "0 页等待识别" in _cli(root, "index", "status").output


@needs_ocr
@run_async
async def test_the_tui_search_screen_marks_ocr_hits(new_archive, made, fixed_clock) -> None:
    def fill(arch):
        filing.file_document(arch, [made["sheet"]], Draft(code="E-1", title="消防演练签到", date=date(2021, 6, 1)),
                             )
        indexing.run_ocr(arch)

    app = make_app(new_archive(fill))
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_search(pilot, "陈建国")
        assert [h.title for h in screen.hits] == ["消防演练签到"] and screen.hits[0].ocr
        prompt = screen.hit_list.get_option_at_index(0).prompt
        assert "［文字识别］" in prompt.plain and marked(prompt) == ["陈建国", "陈建国"]
        assert "命中（文字识别）" in str(screen.query_one("#hit-passage").render())


@needs_ocr
def test_filing_starts_recognition_in_the_background(tmp_path, made):
    root = tmp_path / "档案"
    CliRunner().invoke(main, ["init", str(root), "--unit", "测试学校工会", "--type", "事业单位"])
    env = {**os.environ, "JIAARCHIVE_BACKGROUND_OCR": "1"}
    t0 = time.monotonic()
    add = subprocess.run([sys.executable, "-m", "jiaarchive", "--archive", str(root), "add", str(made["sheet"]),
                          "--code", "E-1", "--title", "签到表", "--date", "2021-06-01", "--force"],
                         capture_output=True, text=True, env=env, timeout=120)
    assert add.returncode == 0, add.stderr
    filed = time.monotonic() - t0
    from jiaarchive.archive import open_archive
    from jiaarchive.search.index import _filelock

    with open_archive(root, read_only=True) as arch:
        lock_dir = indexing.index_dir(arch)
        for _ in range(600):  # the background process reads the page, re-indexes, and stops
            lk = _filelock(lock_dir, indexing.OCR_LOCK)
            if indexing.ocr_state(arch).waiting == 0 and lk.acquire(blocking=False):
                lk.release()
                break
            time.sleep(0.1)
        else:
            pytest.fail("background recognition did not finish")
    out = subprocess.run([sys.executable, "-m", "jiaarchive", "--archive", str(root), "search", "总务处"],
                         capture_output=True, text=True, timeout=120).stdout
    assert "共找到 1 件" in out and "［文字识别］" in out
    assert filed < 30  # filing itself did not wait for recognition


@needs_ocr
def test_a_page_over_the_time_limit_is_reported_not_hung(made):
    got = dict(recognise_many([(made["sheet"], "jpeg", 0)], timeout=0.05))
    rec = got[(made["sheet"], 0)]
    assert rec.status == "timeout" and "文字识别超过" in rec.reason and not rec.text


def test_without_the_engine_status_says_so_and_ocr_refuses(tmp_path, monkeypatch):
    monkeypatch.setattr(ocr_mod, "available", lambda: False)
    root = tmp_path / "档案"
    CliRunner().invoke(main, ["init", str(root), "--unit", "测试学校工会", "--type", "事业单位"])
    from .helpers import make_jpeg

    _cli(root, "add", str(make_jpeg(tmp_path / "现场.jpg")), "--code", "D-5", "--title", "现场", "--force")
    status = _cli(root, "index", "status").output
    assert "1 页等待识别" in status and "未安装文字识别" in status
    res = _cli(root, "index", "ocr")
    assert res.exit_code == 1 and "未安装文字识别" in res.output
    got = dict(recognise_many([(tmp_path / "现场.jpg", "jpeg", 0)]))
    assert next(iter(got.values())).status == "unsupported"
