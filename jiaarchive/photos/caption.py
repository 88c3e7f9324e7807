"""Captioned copies and A4 photo sheets for the paper binder (照片说明、照片档案页).

``caption_image`` writes a copy of a photo with a white strip below it holding the date and
description; ``photo_sheet`` lays the photos of an entry out on A4 pages (2–4 per page, each with
its caption) and saves them as one PDF. Both honour the EXIF orientation and draw text with a
real Simplified-Chinese font (see fonts.py). Pages are rendered by Pillow as images, so the PDF
needs no embedded font and prints the same everywhere (its text is not selectable).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont, ImageOps, UnidentifiedImageError

from jiaarchive.errors import BadValue
from jiaarchive.photos.errors import NotAPhoto, PhotoDamaged
from jiaarchive.photos.fonts import FontChoice, find_cjk_font
from jiaarchive.photos.formats import ALLOWED_FORMATS, MAX_PIXELS
from jiaarchive.photos.inspect import open_oriented

__all__ = ["FontChoice", "caption_image", "find_cjk_font", "photo_sheet", "wrap_text"]

A4_MM = (210, 297)
MARGIN_MM = 15
SHEET_DPI = 200
CAPTION_LINES_MAX = 3


def wrap_text(text: str, font: ImageFont.FreeTypeFont, width: float) -> list[str]:
    """Break text into lines no wider than ``width`` pixels (CJK breaks anywhere, Latin at spaces)."""
    lines: list[str] = []
    for paragraph in text.splitlines() or [""]:
        line = ""
        for ch in paragraph:
            trial = line + ch
            if font.getlength(trial) <= width or not line:
                line = trial
                continue
            cut = line.rfind(" ")
            if ch != " " and cut > 0 and line[cut + 1 :].isascii():  # keep a Latin word whole
                lines.append(line[:cut])
                line = line[cut + 1 :] + ch
            else:
                lines.append(line.rstrip())
                line = ch.lstrip()
        lines.append(line)
    return lines


def _font(font: FontChoice | str | None, size: int) -> ImageFont.FreeTypeFont:
    choice = font if isinstance(font, FontChoice) else find_cjk_font(font)
    return choice.truetype(size)


def _save_atomic(im: Image.Image, dst: Path, **params) -> None:
    tmp = dst.with_name(f".{dst.name}.jia-tmp-{os.getpid()}")
    fmt = {".png": "PNG", ".webp": "WEBP", ".pdf": "PDF"}.get(dst.suffix.lower(), "JPEG")
    try:
        im.save(tmp, format=fmt, **params)
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, dst)
    finally:
        if tmp.exists():
            tmp.unlink()


def caption_image(
    src: Path | str,
    dst: Path | str,
    text_lines: list[str],
    font: FontChoice | str | None = None,
) -> None:
    """Write ``dst``: the photo, upright, with a strip below carrying ``text_lines``.

    ``font`` is a FontChoice, a font file path, or None for ``find_cjk_font()``. The output format
    follows ``dst``'s extension (JPEG quality 92 by default; .png and .webp also work). The capture
    metadata (EXIF) is carried over with the orientation reset, since the pixels are now upright.
    """
    src, dst = Path(src), Path(dst)
    if dst.suffix.lower() not in (".jpg", ".jpeg", ".png", ".webp"):
        raise BadValue(f"说明照片“{dst.name}”只能保存为 .jpg、.png 或 .webp 文件。")
    photo = open_oriented(src)
    exif = photo.getexif()
    rgb = photo.convert("RGB")
    photo.close()
    width = rgb.width
    size = max(14, round(width / 40))
    face = _font(font, size)
    pad = max(8, size // 2)
    lines: list[str] = []
    for text in text_lines:
        lines.extend(wrap_text(text, face, width - 2 * pad))
    line_h = round(size * 1.35)
    strip_h = 2 * pad + line_h * max(1, len(lines))
    out = Image.new("RGB", (width, rgb.height + strip_h), "white")
    out.paste(rgb, (0, 0))
    draw = ImageDraw.Draw(out)
    draw.line([(0, rgb.height), (width, rgb.height)], fill=(160, 160, 160), width=max(1, size // 12))
    y = rgb.height + pad
    for line in lines:
        draw.text((pad, y), line, font=face, fill="black")
        y += line_h
    params: dict = {}
    if dst.suffix.lower() not in (".png", ".webp"):
        params["quality"] = 92
    if exif:
        exif.pop(0x0112, None)
        params["exif"] = exif.tobytes()
    _save_atomic(out, dst, **params)


def _open_for_sheet(path: Path, box: tuple[int, int]) -> Image.Image:
    """The photo, upright, as RGB no larger than needed for ``box`` (JPEG decoded at reduced size)."""
    try:
        im = Image.open(path)
    except (OSError, UnidentifiedImageError, ValueError, SyntaxError, Image.DecompressionBombError) as exc:
        raise NotAPhoto(f"照片“{path.name}”不是可识别的图片文件，无法排入照片页。") from exc
    with im:
        if im.format not in ALLOWED_FORMATS or im.width * im.height > MAX_PIXELS:
            raise NotAPhoto(f"照片“{path.name}”的格式或尺寸不在允许范围内，无法排入照片页。")
        orientation = im.getexif().get(0x0112, 1)
        target = box if orientation not in (5, 6, 7, 8) else (box[1], box[0])
        if im.format in ("JPEG", "MPO"):
            im.draft("RGB", target)
        try:
            im.load()
            upright = ImageOps.exif_transpose(im)
        except OSError as exc:
            raise PhotoDamaged(f"照片“{path.name}”图像数据损坏或不完整，无法排入照片页。") from exc
    upright = upright.convert("RGB")
    upright.thumbnail(box, Image.Resampling.LANCZOS)
    return upright


def _grid(per_page: int) -> tuple[int, int]:
    return {2: (1, 2), 3: (1, 3), 4: (2, 2)}[per_page]


def photo_sheet(
    items: Sequence[tuple[Path | str, str]],
    dst_pdf: Path | str,
    *,
    title: str,
    per_page: int = 4,
    dpi: int = SHEET_DPI,
    font: FontChoice | str | None = None,
) -> int:
    """Lay out (photo, caption) pairs on A4 portrait pages and save a PDF; returns pages written.

    ``per_page`` is 2 (stacked), 3 (stacked) or 4 (2×2). Each page carries ``title`` and
    "第 n/N 页" at the top; each photo is scaled to its cell, upright, with its caption below.
    """
    if not items:
        raise BadValue("没有照片，无法生成照片页。")
    if per_page not in (2, 3, 4):
        raise BadValue(f"每页照片数只能是 2、3 或 4，不能是 {per_page}。")
    dst_pdf = Path(dst_pdf)
    px = lambda mm: round(mm * dpi / 25.4)  # noqa: E731 - tiny local unit conversion
    page_w, page_h = px(A4_MM[0]), px(A4_MM[1])
    margin = px(MARGIN_MM)
    title_font = _font(font, px(6))
    cap_size = px(3.6)
    cap_font = _font(font, cap_size)
    cap_line = round(cap_size * 1.4)
    gap = px(6)
    head_h = px(12)

    cols, rows = _grid(per_page)
    cell_w = (page_w - 2 * margin - (cols - 1) * gap) // cols
    cell_h = (page_h - 2 * margin - head_h - (rows - 1) * gap) // rows
    cap_h = cap_line * CAPTION_LINES_MAX + px(2)
    photo_box = (cell_w, cell_h - cap_h)

    chunks = [items[i : i + per_page] for i in range(0, len(items), per_page)]
    pages: list[Image.Image] = []
    for number, chunk in enumerate(chunks, start=1):
        page = Image.new("RGB", (page_w, page_h), "white")
        draw = ImageDraw.Draw(page)
        draw.text((margin, margin), title, font=title_font, fill="black")
        mark = f"第 {number}/{len(chunks)} 页"
        draw.text((page_w - margin - title_font.getlength(mark), margin), mark, font=title_font, fill="black")
        rule_y = margin + head_h - px(3)
        draw.line([(margin, rule_y), (page_w - margin, rule_y)], fill="black", width=2)
        for slot, (path, caption) in enumerate(chunk):
            col, row = slot % cols, slot // cols
            x0 = margin + col * (cell_w + gap)
            y0 = margin + head_h + row * (cell_h + gap)
            photo = _open_for_sheet(Path(path), photo_box)
            px0 = x0 + (cell_w - photo.width) // 2
            py0 = y0 + (photo_box[1] - photo.height) // 2
            page.paste(photo, (px0, py0))
            draw.rectangle([px0 - 1, py0 - 1, px0 + photo.width, py0 + photo.height], outline=(120, 120, 120))
            lines = wrap_text(caption, cap_font, cell_w)
            if len(lines) > CAPTION_LINES_MAX:
                lines = lines[:CAPTION_LINES_MAX]
                lines[-1] = lines[-1][:-1] + "…"
            y = y0 + photo_box[1] + px(2)
            for line in lines:
                draw.text((x0, y), line, font=cap_font, fill="black")
                y += cap_line
        pages.append(page)

    dst_pdf.parent.mkdir(parents=True, exist_ok=True)
    _save_atomic(
        pages[0], dst_pdf, save_all=True, append_images=pages[1:], resolution=float(dpi), title=title, quality=88
    )
    return len(pages)
