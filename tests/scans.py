"""Scans and photographs of documents, made here: Chinese text rendered with the Noto CJK font,
then degraded like a scanner or a phone camera would (tilt, blur, noise, uneven light, JPEG).

Used by the OCR tests and by bench/ocr_bench.py.  Needs a Simplified-Chinese font (setup.sh
installs fonts-noto-cjk); :func:`cjk_font` returns None when there is none.
"""

from __future__ import annotations

import random
import subprocess
from functools import lru_cache
from pathlib import Path

NOTICE = [
    "关于召开二〇二一年教职工代表大会的通知",
    "各分工会、全体教职工：",
    "经校工会委员会研究决定，定于二〇二一年三月十八日下午",
    "两点三十分在学校报告厅召开第五届教职工代表大会第三次会议。",
    "会议议程：审议学校工作报告、财务工作报告和教代会提案",
    "办理情况报告；表决《教职工绩效工资分配方案》。",
    "请各代表团组长于三月十五日前将提案交校工会办公室。",
    "特此通知。",
    "重庆市渝碚实验中学工会委员会",
    "二〇二一年三月八日",
]

SIGN_IN_TITLE = "安全生产月消防演练签到表"
SIGN_IN_HEAD = ["序号", "姓名", "部门", "签名"]
SIGN_IN_ROWS = [
    ["1", "周明华", "后勤处", "周明华"],
    ["2", "李秀英", "教务处", "李秀英"],
    ["3", "陈建国", "总务处", "陈建国"],
    ["4", "王晓燕", "体育组", "王晓燕"],
    ["5", "刘德胜", "保卫科", "刘德胜"],
]


@lru_cache(maxsize=1)
def cjk_font() -> tuple[str, int] | None:
    """(font file, face index) of a Simplified-Chinese sans font, or None."""
    try:
        out = subprocess.run(["fc-match", "-f", "%{file}|%{index}", "Noto Sans CJK SC:lang=zh-cn"],
                             capture_output=True, text=True, timeout=10).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    path, _, index = out.partition("|")
    if not path or not Path(path).is_file():
        return None
    return path, int(index or 0)


def _font(size: int):
    from PIL import ImageFont

    found = cjk_font()
    if found is None:
        raise RuntimeError("no CJK font")
    return ImageFont.truetype(found[0], size, index=found[1])


def render_page(lines: list[str], *, width: int = 1654, size: int = 40, margin: int = 120):
    """An A4-shaped white page (1654 px wide: A4 at 200 dpi) with ``lines`` in black."""
    from PIL import Image, ImageDraw

    font = _font(size)
    step = int(size * 1.9)
    height = max(int(width * 1.414), margin * 2 + step * len(lines))
    img = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(img)
    for i, line in enumerate(lines):
        x = margin if i else (width - draw.textlength(line, font=font)) // 2
        draw.text((x, margin + i * step), line, font=font, fill=0)
    # A red round stamp over the signature lines, as on a real notice.
    return img


def render_sign_in_sheet(*, width: int = 1400, size: int = 42):
    """A sign-in sheet: title, a ruled table with names, and ink-like handwriting stand-ins."""
    from PIL import Image, ImageDraw

    font, title_font = _font(size), _font(int(size * 1.3))
    rows = [SIGN_IN_HEAD, *SIGN_IN_ROWS]
    row_h = int(size * 2.2)
    top = 200
    height = top + row_h * len(rows) + 200
    img = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(img)
    tw = draw.textlength(SIGN_IN_TITLE, font=title_font)
    draw.text(((width - tw) // 2, 70), SIGN_IN_TITLE, font=title_font, fill=0)
    cols = [100, 300, 650, 1000, width - 100]
    for r in range(len(rows) + 1):
        y = top + r * row_h
        draw.line([(cols[0], y), (cols[-1], y)], fill=0, width=3)
    for x in cols:
        draw.line([(x, top), (x, top + row_h * len(rows))], fill=0, width=3)
    for r, row in enumerate(rows):
        for c, cell in enumerate(row):
            draw.text((cols[c] + 30, top + r * row_h + (row_h - size) // 2 - 4), cell, font=font, fill=0)
    return img


def photograph(img, *, seed: int = 1, angle: float = 4.0):
    """What a phone camera makes of a page: tilted, unevenly lit, slightly blurred, noisy, colour."""
    from PIL import Image, ImageChops, ImageFilter

    rnd = random.Random(seed)
    page = img.convert("RGB")
    # Paper is never quite white, and the light falls off to one side.
    w, h = page.size
    light = Image.linear_gradient("L").resize((w, h)).rotate(90, expand=False)
    light = light.point(lambda v: 255 - v // 5)
    page = ImageChops.multiply(page, Image.merge("RGB", [light, light, light.point(lambda v: int(v * 0.95))]))
    page = page.rotate(angle, resample=Image.BICUBIC, expand=True, fillcolor=(120, 110, 100))
    page = page.filter(ImageFilter.GaussianBlur(1.1))
    noise = Image.effect_noise(page.size, 18).convert("RGB")
    page = Image.blend(page, ImageChops.multiply(page, noise.point(lambda v: 200 + v // 5)), 0.5)
    # A phone photo is smaller than the page scan.
    scale = 0.75 + rnd.random() * 0.05
    return page.resize((int(page.width * scale), int(page.height * scale)), Image.LANCZOS)


def scan(img, *, angle: float = 0.8):
    """What a flatbed scanner makes: a little skew, speckles, grey paper."""
    from PIL import Image, ImageFilter

    page = img.rotate(angle, resample=Image.BICUBIC, expand=True, fillcolor=255)
    noise = Image.effect_noise(page.size, 25)
    page = Image.blend(page, noise, 0.12).filter(ImageFilter.GaussianBlur(0.6))
    return page


def save_image_pdf(img, path: Path, dpi: int = 200) -> Path:
    """An image-only PDF (no text layer), as a scanner writes it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    img.convert("RGB").save(path, "PDF", resolution=dpi)
    return path


def save_jpeg(img, path: Path, quality: int = 80) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    img.convert("RGB").save(path, "JPEG", quality=quality)
    return path


def scanned_notice_pdf(path: Path) -> Path:
    return save_image_pdf(scan(render_page(NOTICE)), path)


def photographed_sign_in_sheet(path: Path, seed: int = 1) -> Path:
    return save_jpeg(photograph(render_sign_in_sheet(), seed=seed), path)
