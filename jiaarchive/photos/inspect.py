"""Checking photos as evidence: can the image be decoded, when was it taken, what should the clerk fix.

``check_photo`` reads a file once (hash, header, metadata, a reduced-size decode) and returns a
``PhotoReport`` whose errors mean "cannot serve as evidence" and whose warnings mean "usable, but
act". Every finding is one Chinese sentence naming the file.
"""

from __future__ import annotations

import hashlib
import io
import multiprocessing
import os
import sys
import threading
import warnings
from collections.abc import Iterable, Mapping
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, replace
from datetime import datetime
from functools import partial
from pathlib import Path

from PIL import Image, ImageFile, ImageOps, UnidentifiedImageError

from jiaarchive.photos import meta
from jiaarchive.progress import Reporter, Tracker
from jiaarchive.photos.errors import NotAPhoto, PhotoDamaged
from jiaarchive.photos.formats import (
    ALLOWED_FORMATS,
    EXTENSION_FORMATS,
    MAX_PIXELS,
    bmff_truncation,
    display_format,
    sniff,
)

# A photo whose longer side is below this many pixels is too small to print legibly in a binder
# (an A4 half-page at 150 dpi is ~1200 px wide); thumbnails and chat previews fall below it.
MIN_LONG_SIDE = 800

# JPEGs are decoded at 1/8 scale: libjpeg still entropy-decodes every byte of the scan data,
# so truncation and corrupt Huffman data are caught at a fraction of the cost of a full decode.
DRAFT_SCALE = 8

TIME_SOURCES = ("exif", "xmp", "filename", "record")

_PREFERRED_EXT = {"JPEG": "jpg", "MPO": "jpg", "PNG": "png", "WEBP": "webp", "HEIF": "heic"}


@dataclass(frozen=True)
class PhotoReport:
    """The result of checking one photo (照片检查结果).

    ``width`` and ``height`` are as displayed, i.e. after the EXIF orientation is applied.
    ``ok`` is False when there is any error; warnings never make a photo not ok.
    """

    path: Path
    ok: bool
    errors: tuple[str, ...]
    warnings: tuple[str, ...]
    taken_at: datetime | None
    taken_at_source: str | None
    width: int | None
    height: int | None
    format: str | None
    sha256: str | None
    dhash: str | None = None  # 64-bit difference hash of the upright picture, for near-duplicates

    def to_json(self) -> dict:
        """A JSON-serialisable dict in the documented shape (taken_at as ``YYYY-MM-DD HH:MM``)."""
        return {
            "path": str(self.path),
            "ok": self.ok,
            "errors": list(self.errors),
            "warnings": list(self.warnings),
            "taken_at": self.taken_at.strftime("%Y-%m-%d %H:%M") if self.taken_at else None,
            "taken_at_source": self.taken_at_source,
            "width": self.width,
            "height": self.height,
            "format": self.format,
            "sha256": self.sha256,
            "dhash": self.dhash,
        }


# --- capture time ----------------------------------------------------------------------------


@dataclass(frozen=True)
class _TimeFinding:
    when: datetime | None
    source: str | None
    warnings: tuple[str, ...]


def _exif_dates(im: Image.Image) -> tuple[meta.ExifDates, bool]:
    """EXIF dates and orientation, and whether the EXIF block could not be parsed."""
    raw = im.info.get("exif")
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            exif = im.getexif()
            sub = exif.get_ifd(meta.TAG_EXIF_IFD) if meta.TAG_EXIF_IFD in exif else {}
            dates = meta.ExifDates(
                original=sub.get(meta.TAG_DATETIME_ORIGINAL),
                digitized=sub.get(meta.TAG_DATETIME_DIGITIZED),
                modified=exif.get(meta.TAG_DATETIME),
                orientation=exif.get(meta.TAG_ORIENTATION),
            )
    except Exception:  # Pillow raises many types on broken IFDs
        return meta.ExifDates(), True
    # Pillow skips what it cannot read and says so with a UserWarning ("Corrupt EXIF data", ...).
    corrupt = any(issubclass(w.category, UserWarning) for w in caught)
    if raw:
        import piexif  # stricter than Pillow: catches broken IFD offsets and types

        try:
            piexif.load(bytes(raw))
        except Exception:
            corrupt = True
    return dates, corrupt


def _xmp_rdf(im: Image.Image, path: Path):
    """The photo's XMP; a HEIC's sidecar ``<name>.xmp`` (written by label.py) takes precedence."""
    sidecar = path.with_name(path.name + ".xmp")
    if im.format == "HEIF" and sidecar.is_file():
        rdf = meta.parse_xmp(sidecar.read_text("utf-8", "replace"))
        if rdf is not None:
            return rdf
    raw = im.info.get("xmp") or im.info.get("XML:com.adobe.xmp")
    return meta.parse_xmp(meta.xmp_text(raw))


def _find_time(name: str, dates: meta.ExifDates, rdf, now: datetime, *, has_exif: bool = False) -> _TimeFinding:
    """Choose the capture time and say where it came from, with the warnings that implies."""
    found: list[str] = []
    q = f"“{name}”"

    def fmt(dt: datetime) -> str:
        # a name with a date only gives midnight: show the date alone rather than a false 00:00
        return dt.strftime("%Y-%m-%d") if (dt.hour, dt.minute, dt.second) == (0, 0, 0) else dt.strftime("%Y-%m-%d %H:%M")

    recorded = meta.xmp_property(rdf, "jia:TimeSource") == "record"
    for raw in (dates.original, dates.digitized):
        if raw is None:
            continue
        dt = meta.parse_exif_datetime(raw)
        if dt is not None and meta.plausible(dt, now):
            return _TimeFinding(dt, "record" if recorded else "exif", tuple(found))
        if dt is not None and dt > now:
            found.append(f"照片{q}的 EXIF 拍摄时间 {fmt(dt)} 晚于当前时间，相机时钟可能有误，请核实拍摄日期。")
        else:
            shown = str(raw).replace("\x00", "").strip() or "空白"
            found.append(f"照片{q}的 EXIF 拍摄时间“{shown}”无效，没有可信的拍摄时间，请核实拍摄日期。")
        break  # one finding about the EXIF capture fields is enough

    jia_time = meta.parse_exif_datetime(meta.xmp_property(rdf, "jia:TakenAt"))
    if jia_time is not None and meta.plausible(jia_time, now):
        return _TimeFinding(jia_time, "record", tuple(found))

    xmp_time = meta.xmp_capture_time(rdf)
    if xmp_time is not None and meta.plausible(xmp_time, now):
        found.append(f"照片{q}的拍摄时间（{fmt(xmp_time)}）仅来自 XMP 元数据，没有 EXIF 拍摄时间，请核实。")
        return _TimeFinding(xmp_time, "xmp", tuple(found))

    modified = meta.parse_exif_datetime(dates.modified)
    if modified is not None and meta.plausible(modified, now):
        found.append(
            f"照片{q}只有 EXIF 修改时间（{fmt(modified)}），没有拍摄时间，修改时间可能是编辑或转存的时间，请核实拍摄日期。"
        )
        return _TimeFinding(modified, "exif", tuple(found))

    from_name = meta.filename_time(name)
    if from_name is not None and meta.plausible(from_name.when, now):
        if from_name.save_time:
            found.append(
                f"照片{q}的时间（{fmt(from_name.when)}）仅来自文件名，这是微信等保存图片的时间而非拍摄时间，请核实拍摄日期。"
            )
        else:
            found.append(f"照片{q}的时间（{fmt(from_name.when)}）仅来自文件名，没有拍摄时间元数据，请核实拍摄日期。")
        return _TimeFinding(from_name.when, "filename", tuple(found))

    if not found and has_exif:
        found.append(f"照片{q}的 EXIF 中没有拍摄时间，请在登记时注明拍摄日期。")
    elif not found:
        found.append(f"照片{q}没有拍摄时间（无 EXIF 信息，微信等转发会去除），请在登记时注明拍摄日期。")
    return _TimeFinding(None, None, tuple(found))


def capture_time(path: Path | str, *, now: datetime | None = None) -> tuple[datetime | None, str | None]:
    """(capture time, source) from EXIF, XMP or the file name, without decoding pixels.

    The source is one of ``"exif"``, ``"xmp"``, ``"filename"``, ``"record"`` (written by
    jiaarchive's labelling) or None. Files that cannot be opened give (None, None).
    """
    path = Path(path)
    try:
        with Image.open(path) as im:
            dates, _ = _exif_dates(im)
            rdf = _xmp_rdf(im, path)
            has_exif = bool(im.info.get("exif"))
    except (OSError, UnidentifiedImageError, ValueError, SyntaxError, Image.DecompressionBombError):
        dates, rdf, has_exif = meta.ExifDates(), None, False
    found = _find_time(path.name, dates, rdf, now or datetime.now(), has_exif=has_exif)
    return found.when, found.source


# --- the check -------------------------------------------------------------------------------


def _decode(im: Image.Image, fmt: str, data: bytes) -> str | None:
    """Decode the pixels (reduced size for JPEG); return 'truncated', 'corrupt' or None."""
    if fmt == "HEIF" and bmff_truncation(data) is not None:
        return "truncated"
    saved = ImageFile.LOAD_TRUNCATED_IMAGES
    ImageFile.LOAD_TRUNCATED_IMAGES = False  # never let a global setting hide truncation
    try:
        if fmt in ("JPEG", "MPO"):
            # Grey output skips colour conversion; the entropy decoding still reads every byte.
            im.draft("L", (max(1, im.width // DRAFT_SCALE), max(1, im.height // DRAFT_SCALE)))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            im.load()
    except OSError as exc:
        return "truncated" if "truncated" in str(exc) else "corrupt"
    except Exception:  # decoders raise SyntaxError, ValueError, struct.error ... on garbage
        return "corrupt"
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = saved
    return None


_TRANSPOSE = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}
# Two photos whose difference hashes differ in at most this many of 64 bits show the same picture
# (a WeChat re-encode of an original, a resized copy); burst shots of one scene usually differ more.
NEAR_DUPLICATE_BITS = 3


def _dhash(im: Image.Image, orientation: int | None) -> str | None:
    """Difference hash of the decoded (for JPEG: draft-size) image, upright; None for flat images."""
    small = im.convert("L")
    small.thumbnail((72, 64), Image.Resampling.BOX)
    if orientation in _TRANSPOSE:
        small = small.transpose(_TRANSPOSE[orientation])
    small = small.resize((9, 8), Image.Resampling.BOX)
    lo, hi = small.getextrema()
    if hi - lo < 8:  # blank or nearly uniform: every such image would "match"
        return None
    px = small.tobytes()
    bits = 0
    for y in range(8):
        for x in range(8):
            bits = (bits << 1) | (px[y * 9 + x] > px[y * 9 + x + 1])
    if not 8 <= bits.bit_count() <= 56:  # a smooth gradient (sky, wall): too little to compare
        return None
    return f"{bits:016x}"


def _name_warnings(name: str) -> list[str]:
    has_date = meta.name_has_date(name)
    has_desc = meta.name_has_description(name)
    q = f"“{name}”"
    if not has_date and not has_desc:
        return [f"照片{q}的文件名既没有日期也没有内容说明，建议按“YYYY-MM-DD 内容说明”命名。"]
    if not has_date:
        return [f"照片{q}的文件名缺少日期，建议按“YYYY-MM-DD 内容说明”命名。"]
    if not has_desc:
        return [f"照片{q}的文件名缺少内容说明，建议按“YYYY-MM-DD 内容说明”命名。"]
    return []


def check_photo(
    path: Path | str,
    *,
    now: datetime | None = None,
    known_hashes: Mapping[str, str] | None = None,
) -> PhotoReport:
    """Check one photo as evidence (see the module docstring).

    ``known_hashes`` maps SHA-256 hex digests of photos already held (in the archive or earlier in
    a batch) to a name to show; a match other than the photo itself is a duplicate warning.
    """
    path = Path(path)
    now = now or datetime.now()
    name = path.name
    q = f"“{name}”"
    errors: list[str] = []
    warns: list[str] = []

    def report(**kw) -> PhotoReport:
        fields = dict(
            taken_at=None, taken_at_source=None, width=None, height=None, format=None, sha256=None, dhash=None
        )
        fields.update(kw)
        return PhotoReport(path, not errors, tuple(errors), tuple(warns), **fields)

    try:
        data = path.read_bytes()
    except OSError:
        errors.append(f"照片{q}不存在或无法读取。")
        return report()
    if not data:
        errors.append(f"照片{q}是空文件（0 字节），不能作为证据。")
        return report()
    digest = hashlib.sha256(data).hexdigest()

    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            im = Image.open(io.BytesIO(data))
        # The pixel limit is checked below; other warnings at open come from a broken EXIF block.
        open_warned = any(
            issubclass(w.category, UserWarning) and not issubclass(w.category, Image.DecompressionBombWarning)
            for w in caught
        )
    except Image.DecompressionBombError:
        errors.append(f"照片{q}的像素数超过 {MAX_PIXELS // 1_000_000} 百万像素的上限，疑为解压炸弹，已拒绝解码。")
        return report(sha256=digest, format=sniff(data[:64]))
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
        kind = sniff(data[:64])
        if kind is None:
            errors.append(f"照片{q}不是可识别的图片文件，不能作为证据。")
        else:
            errors.append(f"照片{q}的文件头已损坏，无法作为 {kind} 图片打开，请重新获取原图。")
        return report(sha256=digest, format=kind)

    with im:
        fmt = im.format or ""
        shown_fmt = display_format(fmt)
        if fmt not in ALLOWED_FORMATS:
            errors.append(f"照片{q}是 {fmt} 格式，不在允许的照片格式（JPEG、PNG、WebP、HEIC）之内，请转换后再登记。")
            return report(sha256=digest, format=shown_fmt, width=im.width, height=im.height)
        width, height = im.size
        if width * height > MAX_PIXELS:
            errors.append(
                f"照片{q}声称有 {width}×{height} 像素，超过 {MAX_PIXELS // 1_000_000} 百万像素的上限，疑为解压炸弹，已拒绝解码。"
            )
            return report(sha256=digest, format=shown_fmt, width=width, height=height)

        # Decode before reading EXIF: Pillow's PNG getexif() loads the image itself (eXIf may
        # follow IDAT) and a failure there would leave nothing for the real decode to report.
        failure = _decode(im, fmt, data)
        dates, exif_corrupt = _exif_dates(im)
        exif_corrupt = (exif_corrupt or open_warned) and failure is None
        rdf = _xmp_rdf(im, path)
        has_exif = bool(im.info.get("exif"))
        if dates.orientation in (5, 6, 7, 8):
            width, height = height, width

        dhash = _dhash(im, dates.orientation) if failure is None else None
        if failure == "truncated":
            errors.append(f"照片{q}文件不完整（被截断），图像无法完整解码，请重新获取原图。")
        elif failure == "corrupt":
            errors.append(f"照片{q}的图像数据已损坏，无法解码，请重新获取原图。")

    timing = _find_time(name, dates, rdf, now, has_exif=has_exif)
    warns.extend(timing.warnings)

    ext = path.suffix.lower()
    if fmt not in EXTENSION_FORMATS.get(ext, frozenset()):
        warns.append(
            f"照片{q}的扩展名“{path.suffix or '无'}”与实际内容（{shown_fmt}）不符，应改为 .{_PREFERRED_EXT[fmt]}。"
        )
    if exif_corrupt:
        warns.append(f"照片{q}的 EXIF 元数据已损坏，部分信息可能无法读取或写入。")
    if max(width, height) < MIN_LONG_SIDE:
        warns.append(f"照片{q}尺寸过小（{width}×{height} 像素），打印后难以辨认，请尽量使用原图。")
    if known_hashes:
        other = known_hashes.get(digest)
        if other is not None and other not in (str(path), name):
            warns.append(f"照片{q}与“{Path(other).name}”内容完全相同，是重复照片。")
    warns.extend(_name_warnings(name))

    return report(
        taken_at=timing.when,
        taken_at_source=timing.source,
        width=width,
        height=height,
        format=shown_fmt,
        sha256=digest,
        dhash=dhash,
    )


def _pool_context():
    """The cheapest safe way to start worker processes from here.

    fork (Linux, only thread running: the CLI) starts instantly with everything imported;
    forkserver when the caller has threads (the TUI checks photos from a worker thread, and
    forking a threaded process can deadlock); spawn elsewhere (Windows, macOS).
    """
    methods = multiprocessing.get_all_start_methods()
    if sys.platform.startswith("linux") and "fork" in methods and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    if "forkserver" in methods:
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(["jiaarchive.photos.inspect"])
        return ctx
    return multiprocessing.get_context("spawn")


def check_photos(
    paths: Iterable[Path | str],
    *,
    workers: int = 1,
    now: datetime | None = None,
    known_hashes: Mapping[str, str] | None = None,
    progress: Reporter | None = None,
) -> list[PhotoReport]:
    """Check many photos, in order; ``workers > 1`` uses a process pool of that size.

    ``progress`` hears of each photo checked (see ``jiaarchive.progress``).

    Besides ``known_hashes``, photos identical to an earlier one in the same batch are reported as
    duplicates of it.
    """
    paths = [Path(p) for p in paths]
    now = now or datetime.now()
    track = Tracker("正在检查照片", len(paths), progress)
    reports: list[PhotoReport] | None = None
    if workers > 1 and len(paths) > 1:
        try:
            with ProcessPoolExecutor(max_workers=min(workers, len(paths)), mp_context=_pool_context()) as pool:
                reports = []
                for p, rep in zip(paths, pool.map(partial(check_photo, now=now), paths, chunksize=1)):
                    track.start(p.name)
                    reports.append(rep)
                    track.advance()
        except BrokenProcessPool:
            # Workers could not start (e.g. a __main__ that cannot be re-imported): check here.
            reports = None
            track = Tracker("正在检查照片", len(paths), progress)
    if reports is None:
        reports = []
        for p in paths:
            track.start(p.name)
            reports.append(check_photo(p, now=now))
            track.advance()
    track.finish()

    held: dict[str, str] = dict(known_hashes or {})
    out: list[PhotoReport] = []
    for rep in reports:
        if rep.sha256 is not None:
            other = held.get(rep.sha256)
            if other is not None and other not in (str(rep.path), rep.path.name):
                note = f"照片“{rep.path.name}”与“{Path(other).name}”内容完全相同，是重复照片。"
                rep = replace(rep, warnings=rep.warnings + (note,))
            held.setdefault(rep.sha256, str(rep.path))
        out.append(rep)
    return _near_duplicates(out)


def _near_duplicates(reports: list[PhotoReport]) -> list[PhotoReport]:
    """Warn about photos showing the same picture as an earlier one without being byte-identical."""
    seen: list[tuple[int, str, PhotoReport]] = []
    out = []
    for rep in reports:
        if rep.dhash is not None:
            value = int(rep.dhash, 16)
            for other_value, other_sha, other in seen:
                if other_sha != rep.sha256 and (value ^ other_value).bit_count() <= NEAR_DUPLICATE_BITS:
                    note = (
                        f"照片“{rep.path.name}”与“{other.path.name}”画面几乎相同，"
                        "可能是同一张照片的转发或压缩副本，请只保留原图。"
                    )
                    rep = replace(rep, warnings=rep.warnings + (note,))
                    break
            seen.append((value, rep.sha256 or "", rep))
        out.append(rep)
    return out


# --- content sniffing and display --------------------------------------------------------------


def is_photo(path: Path | str) -> bool:
    """True when the file's content (not its name) is a photo in an allowed format."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(64)
    except OSError:
        return False
    return sniff(head) is not None


def open_oriented(path: Path | str) -> Image.Image:
    """Open a photo (JPEG, PNG, WebP, HEIC) with its EXIF orientation applied, pixels loaded.

    Raises ``NotAPhoto`` when it cannot be opened and ``PhotoDamaged`` when it cannot be decoded.
    """
    path = Path(path)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)  # checked below
            im = Image.open(path)
    except Image.DecompressionBombError as exc:
        raise PhotoDamaged(f"照片“{path.name}”像素数超过上限，疑为解压炸弹，已拒绝打开。") from exc
    except (OSError, UnidentifiedImageError, ValueError, SyntaxError) as exc:
        raise NotAPhoto(f"照片“{path.name}”不是可识别的图片文件，无法打开。") from exc
    try:
        if im.format not in ALLOWED_FORMATS:
            raise NotAPhoto(f"照片“{path.name}”是 {im.format} 格式，不在允许的照片格式之内。")
        if im.width * im.height > MAX_PIXELS:
            raise PhotoDamaged(f"照片“{path.name}”像素数超过上限，疑为解压炸弹，已拒绝打开。")
        im.load()
        # pillow-heif has already applied irot/imir and reset the EXIF orientation to 1, so this
        # is a no-op for HEIC and the one place the eight EXIF orientations are honoured otherwise.
        oriented = ImageOps.exif_transpose(im)
    except OSError as exc:
        im.close()
        raise PhotoDamaged(f"照片“{path.name}”图像数据损坏或不完整，无法解码。") from exc
    if oriented is not im:
        im.close()
    return oriented


def default_workers() -> int:
    """The number of processes worth using for a batch check on this machine."""
    return max(1, os.cpu_count() or 1)
