"""The committed sample archive, used as a clerk would use it (on a copy, so nothing changes)."""

from __future__ import annotations

import json
import shutil
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner

from jiaarchive.cli import main

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    dst = tmp_path_factory.mktemp("s") / "sample_archive"
    shutil.copytree(REPO / "sample_archive", dst)
    return dst


def cli(sample: Path, *args: str):
    return CliRunner().invoke(main, ["--archive", str(sample), *args])


def test_sample_has_realistic_spread(sample: Path) -> None:
    res = cli(sample, "ls", "--json")
    assert res.exit_code == 0, res.output
    records = json.loads(res.stdout)
    assert 80 <= len(records) <= 150
    volumes = Counter(r["code"][0] for r in records)
    assert set(volumes) == set("ABCDEF")
    years = Counter(r["year"] for r in records)
    assert set(years) == {2019, 2020, 2021}
    kinds = Counter(f["kind"] for r in records for f in r["files"])
    assert {"docx", "pdf", "xlsx", "jpeg", "text"} <= set(kinds)
    # real gaps for the reports to show
    assert not any(r["code"] == "C-3" for r in records)
    assert not any(r["code"] == "B-1" and r["year"] == 2020 for r in records)


def test_sample_verifies_and_prints_catalogue(sample: Path, tmp_path: Path) -> None:
    res = cli(sample, "verify")
    assert res.exit_code == 0, res.output
    res = cli(sample, "catalogue", "--code", "B-1", "--year", "2021")
    assert "归档文件目录" in res.output and "教职工代表大会" in res.output
    res = cli(sample, "catalogue", "--xlsx", str(tmp_path / "目录.xlsx"))
    assert res.exit_code == 0 and (tmp_path / "目录.xlsx").stat().st_size > 5000


def test_sample_empty_folders_come_back_after_clone(sample: Path) -> None:
    # git does not keep empty folders; opening the archive restores the entry folders
    empty = sample / "C 温暖之家" / "C-3 劳动争议调解有关资料"
    if empty.exists():
        shutil.rmtree(empty)
    assert cli(sample, "verify").exit_code == 0
    assert empty.is_dir()


def test_sample_file_a_new_document(sample: Path, tmp_path: Path) -> None:
    src = tmp_path / "2021-09-01 工会小组长会议纪要.txt"
    src.write_text("会议纪要：布置新学期工会工作。", encoding="utf-8")
    res = cli(sample, "add", str(src), "--code", "F-6")
    assert res.exit_code == 0, res.output
    assert "F-6·2021-" in res.output


def test_sample_report_shows_the_gaps_the_readme_lists(sample: Path) -> None:
    """The README's 示例档案 section says what `jiaarchive report` shows; hold it to that."""
    res = cli(sample, "report", "--json")
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert data["verdict"] == "通过" and data["veto_summary"] == "7 项否决条件均未触及。"
    weak = {i["no"]: i for i in data["items"] if i["status"] != "充分"}
    assert set(weak) == {8, 11, 14, 16}
    for no in (14, 16):
        assert "2020 年无会员（代表）大会记录" in weak[no]["missing"]
    for gap in ("B-1 职代会制度成套文件及落实情况资料（2020 年）", "C-3 劳动争议调解有关资料（2019、2020 年）",
                "E-4 职工代表安全巡视检查有关资料（2020 年）", "D-3 职工科学文化教育、自学成才情况资料（2019、2020 年）"):
        assert gap in data["entries_summary"]
    photos = data["photos"]
    assert photos["summary"] == "29 张，27 张命名含时间和内容说明，2 张不合要求"
    assert photos["summary"] in readme
    assert sorted(i["path"].rsplit(" ", 1)[-1] for i in photos["issues"]) == ["IMG_0871.jpg", "IMG_1234.jpg"]
    assert data["form"]["missing"] == ["经营方式", "工会专职干部数", "分工会数", "邮政编码"]
    line = data["totals"]["lines"][0]
    assert (line["value"], line["out_of"]) == (98, 105) and "98 / 105（折合100分制 93.3 分）" in readme
    text = cli(sample, "report").output
    assert "2021年度职工之家（小家）创建申报时间：2021-04-01 至 2021-09-15" in text
