"""The HTML report looked at in a real browser (Debian's headless Chromium; skipped without it).

At 1280 px the per-item table's 项目 column must keep its text on lines, not one character a line;
printed to PDF the report must be A4 with the item texts readable.  The screenshots are written
next to the report (set JIAARCHIVE_KEEP_SCREENSHOTS=folder to keep them for a look).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from jiaarchive.cli import main

REPO = Path(__file__).resolve().parents[1]
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = [pytest.mark.skipif(CHROMIUM is None, reason="没有安装 chromium（bash setup.sh --test 会安装）"),
              pytest.mark.slow]

# measured in the page after layout: the narrowest 项目 cell of the item table, in CSS px
MEASURE = """<script>
window.addEventListener('load', () => {
  const cells = [...document.querySelectorAll('table.items tbody td:nth-child(2)')];
  document.body.dataset.itemWidth = Math.min(...cells.map(c => c.getBoundingClientRect().width));
  document.body.dataset.items = cells.length;
  document.body.dataset.pageWidth = document.documentElement.scrollWidth;
});
</script>"""


def chromium(*args: str, timeout: int = 120) -> subprocess.CompletedProcess:
    return subprocess.run([CHROMIUM, "--headless=new", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                           "--no-first-run", "--disable-dev-shm-usage", *args],
                          capture_output=True, text=True, timeout=timeout)


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("browser")
    sample = root / "sample_archive"
    shutil.copytree(REPO / "sample_archive", sample)
    html = root / "迎检报告.html"
    res = CliRunner().invoke(main, ["--archive", str(sample), "report", "--html", str(html)])
    assert res.exit_code == 0, res.output
    return html


def _keep(*files: Path) -> None:
    keep = os.environ.get("JIAARCHIVE_KEEP_SCREENSHOTS")
    if keep:
        Path(keep).mkdir(parents=True, exist_ok=True)
        for f in files:
            shutil.copy(f, Path(keep) / f.name)


def test_screenshot_at_1280px_keeps_the_item_column_readable(report: Path, tmp_path: Path) -> None:
    probe = tmp_path / "probe.html"
    probe.write_text(report.read_text(encoding="utf-8").replace("</body>", MEASURE + "</body>"), encoding="utf-8")
    dom = chromium("--window-size=1280,1000", "--virtual-time-budget=3000", "--dump-dom", probe.as_uri()).stdout
    found = dict(re.findall(r'data-(item-width|items|page-width)="([\d.]+)"', dom))
    assert int(found["items"]) == 21
    assert float(found["item-width"]) > 150, found  # one CJK character is ~13 px
    assert float(found["page-width"]) <= 1280  # nothing sticks out sideways
    shot = tmp_path / "report-1280.png"
    chromium("--window-size=1280,2000", f"--screenshot={shot}", report.as_uri())
    from PIL import Image

    with Image.open(shot) as im:
        assert im.size == (1280, 2000)
        # the page is drawn (not blank): many distinct colours in the top part
        assert len(im.convert("RGB").crop((0, 0, 1280, 600)).getcolors(maxcolors=1 << 20)) > 50
    _keep(shot)


def test_prints_on_a4_with_the_item_texts_whole(report: Path, tmp_path: Path) -> None:
    pdf = tmp_path / "report.pdf"
    chromium("--no-pdf-header-footer", f"--print-to-pdf={pdf}", report.as_uri())
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
    assert re.search(r"Page size:\s+59[45]\.\d+ x 84[12]\.\d+ pts \(A4\)", info), info
    pages = int(re.search(r"Pages:\s+(\d+)", info)[1])
    assert 4 <= pages <= 30
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True).stdout
    assert "能否申报" in text and "否决条件" in text and "照片清单" in text
    # an item's text runs along its lines (a column squeezed to one character would break it up)
    assert "有依法选举的工会主席" in text.replace(" ", "")
    longest = max(len(ln.strip()) for ln in text.splitlines() if "工会" in ln)
    assert longest > 20
    if shutil.which("pdftoppm"):
        subprocess.run(["pdftoppm", "-r", "50", "-f", "1", "-l", "1", "-png", str(pdf), str(tmp_path / "a4")], check=True)
        _keep(pdf, *tmp_path.glob("a4*.png"))
