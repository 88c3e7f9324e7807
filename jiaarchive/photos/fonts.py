"""Finding a real Simplified-Chinese font for captions and sheets (简体中文字体).

Order: an explicit override (setting), ``$JIAARCHIVE_FONT``, fontconfig (``fc-list :lang=zh-cn``),
then well-known paths on Windows and macOS. A .ttc/.otc collection holds several faces (Noto
Sans CJK has JP, KR, SC, TC, HK); the SC face is picked by reading each face's family name.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from PIL import ImageFont

from jiaarchive.photos.errors import FontNotFound

FONT_ENV = "JIAARCHIVE_FONT"

INSTALL_ADVICE = (
    "未找到简体中文字体，无法生成照片说明；请安装思源/Noto 中文字体"
    "（Debian/Ubuntu：sudo apt install fonts-noto-cjk；Fedora：sudo dnf install google-noto-sans-cjk-fonts；"
    "Windows 自带微软雅黑），或在设置中指定字体文件路径。"
)

# Families known to be Simplified Chinese, and markers of SC faces inside CJK families.
_SC_FAMILIES = (
    "noto sans cjk sc", "noto serif cjk sc", "source han sans sc", "source han serif sc",
    "source han sans cn", "wenquanyi", "droid sans fallback", "microsoft yahei", "simhei",
    "simsun", "nsimsun", "dengxian", "pingfang sc", "heiti sc", "songti sc", "stheiti",
    "ar pl", "fangsong", "kaiti",
)
_NON_SC_MARKERS = (" jp", " kr", " tc", " hk", "japanese", "korean")

# Where to look when there is no fontconfig (Windows, macOS without it): (path, preferred index).
_KNOWN_PATHS = (
    r"C:\Windows\Fonts\msyh.ttc",
    r"C:\Windows\Fonts\msyh.ttf",
    r"C:\Windows\Fonts\simhei.ttf",
    r"C:\Windows\Fonts\simsun.ttc",
    "/System/Library/Fonts/PingFang.ttc",
    "/System/Library/Fonts/STHeiti Medium.ttc",
    "/Library/Fonts/Arial Unicode.ttf",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
)


@dataclass(frozen=True)
class FontChoice:
    """A font file and the face inside it (``index`` matters for .ttc collections)."""

    path: Path
    index: int = 0
    family: str = ""

    def truetype(self, size: int) -> ImageFont.FreeTypeFont:
        return ImageFont.truetype(str(self.path), size=size, index=self.index)


def _score(family: str, style: str) -> int:
    fam = family.lower()
    score = 0
    if any(s in fam for s in _SC_FAMILIES) or " sc" in fam or " cn" in fam or "hans" in fam or " gb" in fam:
        score += 10
    if any(m in fam for m in _NON_SC_MARKERS):
        score -= 10
    if "mono" in fam:
        score -= 2
    if "sans" in fam or "hei" in fam:
        score += 1
    st = style.lower()
    if st in ("regular", "book", "normal", "medium"):
        score += 3
    elif "bold" in st or "black" in st or "heavy" in st:
        score -= 1
    elif "light" in st or "thin" in st:
        score -= 2
    return score


def _faces(path: Path) -> list[tuple[int, str, str]]:
    """(index, family, style) of each face in a font file; empty when Pillow cannot read it."""
    faces = []
    for index in range(32):
        try:
            family, style = ImageFont.truetype(str(path), size=12, index=index).getname()
        except OSError:
            break
        faces.append((index, family or "", style or ""))
    return faces


def _best_face(path: Path) -> FontChoice | None:
    faces = _faces(path)
    if not faces:
        return None
    index, family, style = max(faces, key=lambda f: _score(f[1], f[2]))
    return FontChoice(path, index, family)


def _from_fontconfig() -> FontChoice | None:
    fc_list = shutil.which("fc-list")
    if not fc_list:
        return None
    try:
        out = subprocess.run(
            [fc_list, ":lang=zh-cn", "--format", "%{file}\t%{index}\t%{family[0]}\t%{style[0]}\n"],
            capture_output=True, text=True, timeout=20, check=False,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    best: tuple[int, str, FontChoice] | None = None
    for line in out.splitlines():
        parts = line.split("\t")
        if len(parts) != 4 or not parts[0]:
            continue
        file, index, family, style = parts
        if not file.lower().endswith((".ttf", ".ttc", ".otf", ".otc")):
            continue
        choice = FontChoice(Path(file), int(index or 0), family)
        key = (_score(family, style), file)  # file name as a stable tie-breaker
        if best is None or key > best[:2]:
            best = (key[0], key[1], choice)
    return best[2] if best and best[0] > 0 else None


@lru_cache(maxsize=8)
def _find(override: str | None, env: str | None) -> FontChoice:
    for given in (override, env):
        if not given:
            continue
        path = Path(given).expanduser()
        choice = _best_face(path) if path.is_file() else None
        if choice is None:
            raise FontNotFound(f"指定的字体文件“{given}”不存在或无法读取，请检查设置中的字体路径。")
        return choice
    choice = _from_fontconfig()
    if choice is not None:
        return choice
    for known in _KNOWN_PATHS:
        path = Path(known)
        if path.is_file():
            choice = _best_face(path)
            if choice is not None:
                return choice
    raise FontNotFound(INSTALL_ADVICE)


def find_cjk_font(override: str | None = None) -> FontChoice:
    """The Simplified-Chinese font to use; ``override`` is a font file path from the settings.

    Raises ``FontNotFound`` (a JiaError) with installation advice when there is none.
    """
    return _find(override, os.environ.get(FONT_ENV))
