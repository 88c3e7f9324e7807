"""Labelled piles for measuring the inbox: a clerk's messy folders, with the right answers.

A pile is what a clerk is handed before an application: Word files, PDFs (some of them scans
without a text layer), Excel sheets, text files (some in GB18030) and phone photos (some
with EXIF, some WeChat forwards without), in folders named anyhow (``新建文件夹``,
``2021职代会``, ``微信文件``), with camera, pinyin and ``新建 Microsoft Word 文档`` names,
document properties that are right, empty or left over from an old template, and a zip
written by a Chinese Windows tool (GBK names, no UTF-8 flag) with folders inside.

Each content module (``pile_tune.py``, ``pile_unseen.py``) describes its unit's documents as
``Doc`` values (entry code, title, date, text blocks, sheets or a photo scene, topic) and a
``Layout`` (how its clerk names folders); ``write_pile`` turns them into files, choosing
formats, folders and names with a seeded random generator, and returns one ``Label`` per file
(where it is, the right code, title and date).

The file writers (docx, pdf, xlsx, txt, drawn jpg with EXIF) are the sample archive's
(``scripts/sample_content.py``); the content here is not.
"""

from __future__ import annotations

import importlib.util
import random
import shutil
import sys
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
_SPEC = importlib.util.spec_from_file_location("sample_content", REPO / "scripts" / "sample_content.py")
sc = importlib.util.module_from_spec(_SPEC)  # type: ignore[arg-type]
sys.modules.setdefault("sample_content", sc)
_SPEC.loader.exec_module(sc)  # type: ignore[union-attr]

Block = tuple[str, object]
Sheet = sc.Sheet
Scene = sc.Scene
PHONES = (sc.HUAWEI, sc.XIAOMI, sc.IPHONE, sc.OPPO)


@dataclass(frozen=True)
class Doc:
    """One document (or photo) of the pile and what it should be filed as."""

    code: str
    title: str
    date: date
    topic: str  # which of the layout's topic folders it may sit in
    blocks: tuple[Block, ...] = ()  # text documents
    sheets: tuple[object, ...] = ()  # spreadsheets (sample_content.Sheet)
    scene: object | None = None  # photos (sample_content.Scene)
    author: str = ""
    short: str = ""  # what a clerk types as the file name (职代会通知)

    @property
    def kind(self) -> str:
        return "photo" if self.scene is not None else ("table" if self.sheets else "text")


class Docs(list):
    """The docs of a content module, added one call each (``add``), with the unit as default author."""

    def __init__(self, author: str) -> None:
        super().__init__()
        self.author = author

    def add(self, code: str, title: str, when: date, topic: str, *, blocks=(), sheets=(), scene=None, short: str = "",
            author: str = "") -> None:
        self.append(Doc(code, title, when, topic, tuple(blocks), tuple(sheets), scene, author or self.author, short))


@dataclass(frozen=True)
class Label:
    rel: str  # as the inbox writes it (zip members as a.zip!b/c.docx)
    code: str
    title: str
    date: date
    fmt: str  # docx, pdf, scan, xlsx, txt, jpg, jpg-noexif


@dataclass
class Layout:
    """How one clerk names things: folders per topic, catch-all folders, zips, pinyin names."""

    topics: dict[str, tuple[str, ...]]  # topic -> folder names (nested with '/')
    generic: tuple[str, ...]  # 新建文件夹, 微信文件 …
    zips: tuple[str, ...] = ()  # where a zip of loose files is put, e.g. '微信文件/2020年资料.zip'
    pinyin: dict[str, str] = field(default_factory=dict)  # short name -> pinyin file name
    stale_titles: tuple[str, ...] = ()  # left in document properties by old templates
    p_topic: float = 0.45
    p_generic: float = 0.35
    p_zip: float = 0.1


# ---------------------------------------------------------------- shapes of documents


def cn_date(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


_CN_DIGITS = "〇一二三四五六七八九"


def cn_numeral_date(d: date) -> str:
    def small(n: int) -> str:
        if n < 10:
            return _CN_DIGITS[n]
        tens, ones = divmod(n, 10)
        return ("" if tens == 1 else _CN_DIGITS[tens]) + "十" + (_CN_DIGITS[ones] if ones else "")

    return "".join(_CN_DIGITS[int(c)] for c in str(d.year)) + f"年{small(d.month)}月{small(d.day)}日"


def notice(title: str, paras: Sequence[str], issuer: str, d: date, *, head: str = "", docno: str = "",
           to: str = "", numeral_date: bool = False, sections: Sequence[tuple[str, Sequence[str]]] = ()) -> tuple[Block, ...]:
    """A 通知 / 决定 / 请示 / 意见: optional red head and 文号, title, 主送, body, 落款."""
    out: list[Block] = []
    if head:
        out.append(("redhead", head))
    if docno:
        out.append(("docno", docno))
    out.append(("title", title))
    if to:
        out.append(("to", to))
    out += [("p", p) for p in paras]
    for h, ps in sections:
        out.append(("h", h))
        out += [("p", p) for p in ps]
    out.append(("sign", [issuer, cn_numeral_date(d) if numeral_date else cn_date(d)]))
    return tuple(out)


def minutes(title: str, d: date, place: str, host: str, present: str, items: Sequence[str], *, recorder: str = "",
            clock: str = "上午9:00") -> tuple[Block, ...]:
    """A 会议纪要 / 会议记录."""
    out: list[Block] = [("title", title), ("kv", [("时间", f"{cn_date(d)}{clock}"), ("地点", place), ("主持", host),
                                                   ("参加人员", present)] + ([("记录", recorder)] if recorder else []))]
    out.append(("p", "会议议定事项如下："))
    out += [("p", f"{_CN_DIGITS[i] if i < 10 else i}、{x}") for i, x in enumerate(items, 1)]
    return tuple(out)


def report(title: str, paras: Sequence[str], issuer: str, d: date, *, sections: Sequence[tuple[str, Sequence[str]]] = (),
           subtitle: str = "") -> tuple[Block, ...]:
    """A 总结 / 报告 / 方案 / 制度: title, optional sections with headings, 落款."""
    out: list[Block] = [("title", title)]
    if subtitle:
        out.append(("subtitle", subtitle))
    out += [("p", p) for p in paras]
    for h, ps in sections:
        out.append(("h", h))
        out += [("p", p) for p in ps]
    out.append(("sign", [issuer, cn_date(d)]))
    return tuple(out)


def record(title: str, fields: Sequence[tuple[str, str]], paras: Sequence[str]) -> tuple[Block, ...]:
    """A 记录 / 登记 / 协议 kept as labelled lines and a few paragraphs."""
    return (("title", title), ("kv", list(fields)), *[("p", p) for p in paras])


def table(title: str, header: Sequence[str], rows: Sequence[Sequence[object]], *, name: str = "Sheet1",
          before: Sequence[str] = (), after: Sequence[str] = ()) -> tuple[object, ...]:
    return (Sheet(name=name, title=title, header=tuple(header), rows=tuple(tuple(r) for r in rows),
                  before=tuple(before), after=tuple(after)),)


# ---------------------------------------------------------------- writing a pile


class _GbkInfo(zipfile.ZipInfo):
    """A member name stored as GBK bytes without the UTF-8 flag, as Chinese Windows tools write it."""

    def _encodeFilenameFlags(self):  # noqa: N802 - zipfile's own name
        return self.filename.encode("gbk"), self.flag_bits & ~0x800


def zip_gbk(folder: Path, dst: Path) -> list[str]:
    """Zip ``folder``'s files under their relative names written in GBK; return the names."""
    names = []
    with zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zf:
        for p in sorted(folder.rglob("*")):
            if p.is_file():
                rel = p.relative_to(folder).as_posix()
                info = _GbkInfo(rel, date_time=(2021, 6, 1, 10, 0, 0))
                info.compress_type = zipfile.ZIP_DEFLATED
                zf.writestr(info, p.read_bytes())
                names.append(rel)
    return names


_MEANINGLESS_DOC = ("新建 Microsoft Word 文档", "新建 DOCX 文档", "文档1", "文档2", "Doc1", "新建 Microsoft Excel 工作表",
                    "工作簿1")
_SCAN_NAMES = ("扫描全能王 {d:%Y-%m-%d} {h:02d}.{m:02d}", "CamScanner {d:%m-%d-%Y} {h:02d}.{m:02d}", "Scan_{n:04d}",
               "扫描件{n}", "img{n:03d}")
_PHOTO_NAMES = ("IMG_{d:%Y%m%d}_{h:02d}{m:02d}{s:02d}", "IMG_{n:04d}", "DSC_{n:04d}", "微信图片_{d:%Y%m%d}{h:02d}{m:02d}{s:02d}",
                "mmexport{ms}", "P{d:%m%d}{n:04d}")


def _unique(path: Path) -> Path:
    if not path.exists():
        return path
    stem, suffix = path.stem, path.suffix
    for i in range(1, 100):
        alt = path.with_name(f"{stem}({i}){suffix}")
        if not alt.exists():
            return alt
    raise RuntimeError(path)


class PileWriter:
    """Writes the docs of one pile into ``dst`` following ``layout``, seeded by ``seed``."""

    def __init__(self, dst: Path, layout: Layout, seed: int, *, scan_share: float = 0.06, photo_size=(800, 600)) -> None:
        self.dst = dst
        self.layout = layout
        self.rng = random.Random(seed)
        self.seed = seed
        self.scan_share = scan_share
        self.photo_size = photo_size
        self.labels: list[Label] = []
        self._zipped: dict[str, Path] = {}  # zip rel -> staging folder
        self._font = None
        self._n = 0

    # -- choices
    def _folder(self, doc: Doc) -> str:
        lay, r = self.layout, self.rng.random()
        if r < lay.p_topic and lay.topics.get(doc.topic):
            return self.rng.choice(lay.topics[doc.topic])
        if r < lay.p_topic + lay.p_generic and lay.generic:
            return self.rng.choice(lay.generic)
        if r < lay.p_topic + lay.p_generic + lay.p_zip and lay.zips:
            z = self.rng.choice(lay.zips)
            inner = self.rng.choice(("", "", *lay.topics.get(doc.topic, ())[:1]))
            return f"{z}!{inner}".rstrip("/")
        return ""

    def _fmt(self, doc: Doc) -> str:
        r = self.rng.random()
        if doc.kind == "photo":
            return "jpg" if r < 0.65 else "jpg-noexif"
        if doc.kind == "table":
            return "xlsx" if r < 0.85 else "pdf"
        if r < self.scan_share:
            return "scan"
        return "docx" if r < 0.5 else ("pdf" if r < 0.75 else "txt")

    def _name(self, doc: Doc, fmt: str) -> str:
        r, d, rng = self.rng.random(), doc.date, self.rng
        self._n += 1
        h, m, s = rng.randint(8, 18), rng.randint(0, 59), rng.randint(0, 59)
        if fmt.startswith("jpg"):
            if r < 0.55 or not doc.short:
                pat = rng.choice(_PHOTO_NAMES)
                ms = int(datetime(d.year, d.month, d.day, h, m, s).timestamp() * 1000) + rng.randint(0, 999)
                return pat.format(d=d, h=h, m=m, s=s, n=rng.randint(1, 9999), ms=ms)
            return doc.short if r < 0.85 else f"{d:%Y%m%d}{doc.short}"
        if fmt == "scan" and r < 0.7:
            return rng.choice(_SCAN_NAMES).format(d=d, h=h, m=m, n=rng.randint(1, 300))
        if r < 0.32:
            return doc.title
        if r < 0.46:
            return f"{d:%Y%m%d}{doc.short or doc.title}" if rng.random() < 0.5 else f"{d.isoformat()} {doc.short or doc.title}"
        if r < 0.62 and doc.short:
            return doc.short
        if r < 0.74:
            return rng.choice(_MEANINGLESS_DOC) + (f" ({rng.randint(2, 9)})" if rng.random() < 0.4 else "")
        if r < 0.84 and doc.short in self.layout.pinyin:
            return self.layout.pinyin[doc.short]
        if r < 0.92:
            return f"{doc.short or doc.title} - 副本" if rng.random() < 0.5 else f"{doc.short or doc.title}(1)"
        return f"{rng.randint(1, 9)}.{doc.short or doc.title}"

    def _props_title(self, doc: Doc) -> str:
        r = self.rng.random()
        if r < 0.5:
            return doc.title
        if r < 0.7:
            return ""
        if r < 0.85 and self.layout.stale_titles:
            return self.rng.choice(self.layout.stale_titles)
        return self.rng.choice(("Microsoft Word - 文档1", "标题", "1"))

    # -- writing
    def add(self, doc: Doc) -> None:
        fmt = self._fmt(doc)
        folder = self._folder(doc)
        ext = {"docx": ".docx", "pdf": ".pdf", "scan": ".pdf", "xlsx": ".xlsx", "txt": ".txt"}.get(fmt, ".jpg")
        name = self._name(doc, fmt) + ext
        zip_rel, _, inner = folder.partition("!")
        if "!" in folder:
            base = self._zipped.setdefault(zip_rel, self.dst / ".zipstaging" / zip_rel)
            path = _unique(base / inner / name)
        else:
            path = _unique(self.dst / folder / name)
        path.parent.mkdir(parents=True, exist_ok=True)
        self._write(doc, fmt, path)
        if "!" in folder:
            rel = f"{zip_rel}!{path.relative_to(self._zipped[zip_rel]).as_posix()}"
        else:
            rel = path.relative_to(self.dst).as_posix()
        self.labels.append(Label(rel, doc.code, doc.title, doc.date, fmt))

    def _write(self, doc: Doc, fmt: str, path: Path) -> None:
        author = doc.author or "工会"
        if fmt == "docx":
            sc._write_docx(path, doc.blocks, title=self._props_title(doc), author=author, d=doc.date, header=None, footer=True)
        elif fmt == "pdf" and doc.sheets:
            blocks: list[Block] = [("title", doc.sheets[0].title)]
            blocks += [("note", x) for x in doc.sheets[0].before]
            blocks.append(("table", (doc.sheets[0].header, doc.sheets[0].rows)))
            blocks += [("note", x) for x in doc.sheets[0].after]
            sc._write_pdf(path, blocks, title=self._props_title(doc), author=author, d=doc.date)
        elif fmt == "pdf":
            sc._write_pdf(path, doc.blocks, title=self._props_title(doc) if self.rng.random() < 0.6 else "", author=author,
                          d=doc.date)
        elif fmt == "scan":
            self._scan(doc, path)
        elif fmt == "xlsx":
            sc._write_xlsx(path, doc.sheets, title=self._props_title(doc), author=author, d=doc.date)
        elif fmt == "txt":
            text = sc._render_txt(doc.blocks)
            enc = "gb18030" if self.rng.random() < 0.4 else "utf-8"
            path.write_bytes(text.replace("\n", "\r\n").encode(enc))
        else:
            self._photo(doc, fmt, path)

    def _font_spec(self):
        if self._font is None:
            self._font = sc._cjk_font_spec()
        return self._font

    def _scan(self, doc: Doc, path: Path) -> None:
        """A scanned page: the document drawn as a picture, saved as a PDF without a text layer."""
        from PIL import Image, ImageDraw, ImageFont

        img = Image.new("L", (900, 1270), 246)
        draw = ImageDraw.Draw(img)
        spec = self._font_spec()
        big = ImageFont.truetype(spec[0], 34, index=spec[1])
        small = ImageFont.truetype(spec[0], 22, index=spec[1])
        draw.text((450, 120), doc.title[:24], font=big, fill=20, anchor="mm")
        y = 200
        for kind, payload in doc.blocks:
            if kind == "p" and y < 1150:
                text = str(payload)
                for i in range(0, min(len(text), 160), 34):
                    draw.text((90, y), text[i : i + 34], font=small, fill=30)
                    y += 34
        img.save(path, "PDF", resolution=110)

    def _photo(self, doc: Doc, fmt: str, path: Path) -> None:
        scene = doc.scene
        seed = self.seed + len(self.labels) * 7919
        img = sc._draw_scene(Scene(scene.kind, scene.banner, scene.people, self.photo_size, scene.palette), seed,
                             self._font_spec())
        kwargs: dict = {"quality": 80}
        if fmt == "jpg":
            taken = datetime(doc.date.year, doc.date.month, doc.date.day, self.rng.randint(8, 17), self.rng.randint(0, 59))
            kwargs["exif"] = sc._exif_bytes(self.rng.choice(PHONES), taken, img.size, random.Random(seed))
        img.save(path, "JPEG", **kwargs)

    def finish(self) -> list[Label]:
        """Write the zips (GBK names) and junk files a real pile has; return the labels."""
        for zip_rel, staging in self._zipped.items():
            dst = self.dst / zip_rel
            dst.parent.mkdir(parents=True, exist_ok=True)
            zip_gbk(staging, dst)
        shutil.rmtree(self.dst / ".zipstaging", ignore_errors=True)
        for junk in ("Thumbs.db", "desktop.ini"):
            (self.dst / junk).write_bytes(b"\0" * 64)
        for folder in {Path(lab.rel.split("!")[0]).parent for lab in self.labels}:
            if self.rng.random() < 0.3 and (self.dst / folder).is_dir():
                (self.dst / folder / "~$临时文件.docx").write_bytes(b"lock")
        return self.labels


def write_pile(dst: Path, docs: Sequence[Doc], layout: Layout, seed: int, **kwargs) -> list[Label]:
    """Write ``docs`` as a messy pile in ``dst`` (emptied first); return the labels in file order."""
    shutil.rmtree(dst, ignore_errors=True)
    dst.mkdir(parents=True)
    w = PileWriter(dst, layout, seed, **kwargs)
    order = list(docs)
    random.Random(seed).shuffle(order)
    for doc in order:
        w.add(doc)
    return sorted(w.finish(), key=lambda lab: lab.rel)


def spread(d: date, n: int, rng: random.Random, days: int = 20) -> list[date]:
    """``n`` dates within ``days`` after ``d`` (photos of one event over an afternoon or two)."""
    return [d + timedelta(days=rng.randint(0, max(0, days))) for _ in range(n)]
