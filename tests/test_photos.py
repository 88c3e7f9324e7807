"""Photo library: checks (errors, warnings, capture time), orientation, HEIC/WebP, lossless labels,
captions and A4 sheets. Generated images are small; real photos come from ../shared/corpus/photos."""

from __future__ import annotations

import io
import json
import random
import struct
import zlib
from datetime import datetime
from pathlib import Path

import piexif
import pytest
from PIL import Image, ImageChops, ImageDraw, ImageFile, ImageStat

from jiaarchive.errors import BadValue, JiaError
from jiaarchive.photos import fonts
from jiaarchive.photos.caption import caption_image, find_cjk_font, photo_sheet
from jiaarchive.photos.errors import FontNotFound, NotAPhoto, PhotoDamaged
from jiaarchive.photos.formats import MAX_PIXELS, bmff_truncation
from jiaarchive.photos.inspect import (
    capture_time,
    check_photo,
    check_photos,
    is_photo,
    open_oriented,
)
from jiaarchive.photos.label import PhotoLabel, label_filename, read_label, sidecar_path, write_label

NOW = datetime(2024, 6, 1, 12, 0)
GOOD_NAME = "2021-05-01 职工运动会开幕式.jpg"


# --- helpers -----------------------------------------------------------------------------------


def noisy(size=(1200, 900), seed=0) -> Image.Image:
    """An RGB image with enough entropy that truncation cuts real scan data."""
    base = Image.linear_gradient("L").rotate(seed * 30).resize(size)
    noise = Image.effect_noise(size, 40)
    return Image.merge("RGB", [ImageChops.add(base, noise, 2), noise, base])


def scene(size=(1200, 900), seed=0) -> Image.Image:
    """A picture with structure (shapes over noise), distinct per seed, like a real scene."""
    rng = random.Random(seed)
    im = noisy(size, seed)
    draw = ImageDraw.Draw(im)
    for _ in range(12):
        x0, y0 = rng.randrange(size[0]), rng.randrange(size[1])
        box = [x0, y0, x0 + rng.randrange(60, 500), y0 + rng.randrange(60, 400)]
        colour = tuple(rng.randrange(256) for _ in range(3))
        (draw.rectangle if rng.random() < 0.5 else draw.ellipse)(box, fill=colour)
    return im


def exif_bytes(dto: str | None = None, modified: str | None = None, orientation: int | None = None) -> bytes:
    zeroth: dict = {piexif.ImageIFD.Make: b"TestCam"}
    sub: dict = {}
    if modified is not None:
        zeroth[piexif.ImageIFD.DateTime] = modified.encode()
    if orientation is not None:
        zeroth[piexif.ImageIFD.Orientation] = orientation
    if dto is not None:
        sub[piexif.ExifIFD.DateTimeOriginal] = dto.encode()
    return piexif.dump({"0th": zeroth, "Exif": sub})


def make_jpeg(path: Path, *, size=(1200, 900), dto: str | None = "2021:05:01 09:30:00", **kw) -> Path:
    im = kw.pop("image", None) or noisy(size)
    params = {"quality": 90}
    exif = kw.pop("exif", None)
    if exif is None and (dto is not None or kw):
        exif = exif_bytes(dto, **kw)
    if exif is not None:
        params["exif"] = exif
    im.save(path, "JPEG", **params)
    return path


def jpeg_scan(data: bytes) -> bytes:
    """The bytes from the first SOS marker to the end: the entropy-coded image data."""
    pos = 2
    while True:
        marker = data[pos + 1]
        if marker == 0xDA:
            return data[pos:]
        pos += 2 + struct.unpack(">H", data[pos + 2 : pos + 4])[0]


def pixels(path: Path) -> bytes:
    with Image.open(path) as im:
        return im.convert("RGB").tobytes()


def png_chunks(data: bytes) -> list[tuple[bytes, bytes]]:
    pos, out = 8, []
    while pos < len(data):
        size = struct.unpack(">I", data[pos : pos + 4])[0]
        out.append((data[pos + 4 : pos + 8], data[pos + 8 : pos + 8 + size]))
        pos += 12 + size
    return out


def riff_chunks(data: bytes) -> dict[bytes, bytes]:
    pos, out = 12, {}
    while pos + 8 <= len(data):
        kind, size = data[pos : pos + 4], struct.unpack("<I", data[pos + 4 : pos + 8])[0]
        out[kind] = data[pos + 8 : pos + 8 + size]
        pos += 8 + size + (size & 1)
    return out


def has(findings, *words) -> bool:
    return any(all(w in f for w in words) for f in findings)


def png_with_header_size(path: Path, width: int, height: int) -> Path:
    """A tiny PNG whose IHDR claims width x height (valid CRC, bogus data)."""
    buf = io.BytesIO()
    Image.new("L", (8, 8)).save(buf, "PNG")
    data = bytearray(buf.getvalue())
    ihdr = bytearray(data[16:29])
    ihdr[0:8] = struct.pack(">II", width, height)
    data[16:29] = ihdr
    data[29:33] = struct.pack(">I", zlib.crc32(b"IHDR" + bytes(ihdr)))
    path.write_bytes(bytes(data))
    return path


# --- errors ------------------------------------------------------------------------------------


def test_good_photo_has_no_findings_and_json_shape(tmp_path):
    path = make_jpeg(tmp_path / GOOD_NAME)
    rep = check_photo(path, now=NOW)
    assert rep.ok and rep.errors == () and rep.warnings == ()
    assert rep.taken_at == datetime(2021, 5, 1, 9, 30) and rep.taken_at_source == "exif"
    assert (rep.width, rep.height, rep.format) == (1200, 900, "JPEG")
    assert len(rep.sha256) == 64
    doc = json.loads(json.dumps(rep.to_json(), ensure_ascii=False))
    assert set(doc) >= {"path", "ok", "errors", "warnings", "taken_at", "taken_at_source", "width", "height", "format"}
    assert doc["taken_at"] == "2021-05-01 09:30"


def test_zero_bytes_is_error(tmp_path):
    path = tmp_path / "空.jpg"
    path.write_bytes(b"")
    rep = check_photo(path, now=NOW)
    assert not rep.ok and has(rep.errors, "空.jpg", "0 字节")


def test_not_an_image_is_error(tmp_path):
    path = tmp_path / "说明.jpg"
    path.write_text("这不是图片", encoding="utf-8")
    rep = check_photo(path, now=NOW)
    assert not rep.ok and has(rep.errors, "说明.jpg", "不是")
    assert not is_photo(path)


@pytest.mark.parametrize("fmt, ext", [("GIF", ".gif"), ("BMP", ".bmp"), ("TIFF", ".tif")])
def test_format_outside_allow_list_is_error(tmp_path, fmt, ext):
    path = tmp_path / f"2021-05-01 活动{ext}"
    noisy((900, 900)).save(path, fmt)
    rep = check_photo(path, now=NOW)
    assert not rep.ok and has(rep.errors, path.name, fmt, "不在允许")


def test_decompression_bomb_is_refused_before_decoding(tmp_path):
    over = png_with_header_size(tmp_path / "bomb.png", 20000, 15000)  # 300 MP: over our limit
    rep = check_photo(over, now=NOW)
    assert not rep.ok and has(rep.errors, "bomb.png", "解压炸弹")
    huge = png_with_header_size(tmp_path / "huge.png", 40000, 40000)  # Pillow's own bomb error
    rep = check_photo(huge, now=NOW)
    assert not rep.ok and has(rep.errors, "huge.png", "解压炸弹")
    with pytest.raises(PhotoDamaged):
        open_oriented(over)


def test_pixel_limit_admits_200_megapixel_phone_photos(tmp_path):
    assert MAX_PIXELS >= 200_000_000
    assert Image.MAX_IMAGE_PIXELS == MAX_PIXELS
    phone = png_with_header_size(tmp_path / "200mp.png", 16320, 12240)
    with Image.open(phone) as im:  # Pillow's own check must not fire below our limit
        assert im.size == (16320, 12240)


@pytest.mark.parametrize("global_flag, progressive", [(False, False), (True, False), (False, True)])
def test_truncated_jpeg_is_error_even_with_draft_decode(tmp_path, monkeypatch, global_flag, progressive):
    monkeypatch.setattr(ImageFile, "LOAD_TRUNCATED_IMAGES", global_flag)
    full_path = tmp_path / "full.jpg"
    noisy((1600, 1200)).save(full_path, "JPEG", quality=90, progressive=progressive, exif=exif_bytes("2021:05:01 09:30:00"))
    full = full_path.read_bytes()
    assert check_photo(full_path, now=NOW).ok
    assert len(full) > 500_000
    path = tmp_path / GOOD_NAME
    path.write_bytes(full[: int(len(full) * 0.6)])
    rep = check_photo(path, now=NOW)
    assert not rep.ok and has(rep.errors, GOOD_NAME, "截断")
    assert rep.taken_at == datetime(2021, 5, 1, 9, 30)  # metadata still readable
    assert ImageFile.LOAD_TRUNCATED_IMAGES is global_flag  # restored
    # A cut just before EOI (only the last scan bytes missing) is caught as well.
    path.write_bytes(full[:-200])
    assert not check_photo(path, now=NOW).ok


def test_corrupt_image_data_is_error(tmp_path):
    buf = io.BytesIO()
    noisy((300, 300)).save(buf, "PNG")
    data = bytearray(buf.getvalue())
    chunks = png_chunks(bytes(data))
    idat_at = bytes(data).index(b"IDAT")
    data[idat_at + 4 : idat_at + 40] = b"\x00" * 36  # zlib stream destroyed
    path = tmp_path / "2021-05-01 坏图.png"
    path.write_bytes(bytes(data))
    assert any(k == b"IDAT" for k, _ in chunks)
    rep = check_photo(path, now=NOW)
    assert not rep.ok and has(rep.errors, "坏图.png")


def test_corrupt_jpeg_header_is_error(tmp_path):
    data = bytearray(make_jpeg(tmp_path / "x.jpg").read_bytes())
    sof = data.index(b"\xff\xc0")
    data[sof + 2 : sof + 4] = b"\x00\x01"  # SOF length 1: impossible
    path = tmp_path / GOOD_NAME
    path.write_bytes(bytes(data))
    rep = check_photo(path, now=NOW)
    assert not rep.ok and rep.errors


def heic_bytes(size=(256, 192), dto: str | None = "2021:05:01 09:30:00") -> bytes:
    buf = io.BytesIO()
    params = {"quality": 80}
    if dto:
        params["exif"] = exif_bytes(dto)
    noisy(size).save(buf, format="HEIF", **params)
    return buf.getvalue()


def test_heic_is_read_and_truncated_heic_is_error(tmp_path):
    data = heic_bytes()
    good = tmp_path / "2021-05-01 职工之家揭牌.heic"
    good.write_bytes(data)
    rep = check_photo(good, now=NOW)
    assert rep.ok, rep.errors
    assert (rep.format, rep.width, rep.height, rep.taken_at_source) == ("HEIF", 256, 192, "exif")
    assert bmff_truncation(data) is None
    cut = tmp_path / "2021-05-01 截断.heic"
    cut.write_bytes(data[: int(len(data) * 0.6)])
    assert bmff_truncation(cut.read_bytes()) is not None
    rep = check_photo(cut, now=NOW)
    assert not rep.ok and has(rep.errors, "截断.heic", "截断")
    assert open_oriented(good).size == (256, 192)


def test_webp_is_read(tmp_path):
    path = tmp_path / "2021-05-01 读书角.webp"
    noisy((1000, 750)).save(path, "WEBP", quality=80, exif=exif_bytes("2021:05:01 10:00:00"))
    rep = check_photo(path, now=NOW)
    assert rep.ok and rep.warnings == ()
    assert (rep.format, rep.taken_at) == ("WEBP", datetime(2021, 5, 1, 10, 0))


# --- warnings ----------------------------------------------------------------------------------


def test_no_exif_gives_no_time_warning(tmp_path):
    path = make_jpeg(tmp_path / "职工运动会开幕式.jpg", dto=None)
    rep = check_photo(path, now=NOW)
    assert rep.ok and rep.taken_at is None and rep.taken_at_source is None
    assert has(rep.warnings, "职工运动会开幕式.jpg", "没有拍摄时间")
    # The date in the archive-style name is used, but flagged as coming from the name only.
    named = make_jpeg(tmp_path / "2021-05-01 09.30 运动会.jpg", dto=None)
    assert capture_time(named) == (datetime(2021, 5, 1, 9, 30), "filename")


@pytest.mark.parametrize(
    "dto",
    ["0000:00:00 00:00:00", "    :  :     :  :  ", "", "2021:02:30 10:00:00", "1970:01:01 00:00:00", "garbage"],
)
def test_invalid_exif_time_is_warning(tmp_path, dto):
    path = make_jpeg(tmp_path / "IMG_1.jpg", dto=dto)
    rep = check_photo(path, now=NOW)
    assert rep.ok and rep.taken_at is None
    assert has(rep.warnings, "IMG_1.jpg", "拍摄时间", "无效")


def test_future_time_is_warning(tmp_path):
    path = make_jpeg(tmp_path / "职工运动会开幕式.jpg", dto="2030:01:01 08:00:00")
    rep = check_photo(path, now=NOW)
    assert rep.taken_at is None and has(rep.warnings, "晚于当前时间")


def test_modification_time_only_is_warning(tmp_path):
    path = make_jpeg(tmp_path / GOOD_NAME, dto=None, modified="2021:05:02 18:00:00")
    rep = check_photo(path, now=NOW)
    assert (rep.taken_at, rep.taken_at_source) == (datetime(2021, 5, 2, 18, 0), "exif")
    assert has(rep.warnings, "修改时间")


def test_xmp_time_only_is_warning(tmp_path):
    xmp = (
        '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        '<rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmp:CreateDate="2021-05-01T09:30:00+08:00"/>'
        "</rdf:RDF></x:xmpmeta>"
    ).encode()
    path = tmp_path / GOOD_NAME
    noisy().save(path, "JPEG", quality=90, xmp=xmp)
    rep = check_photo(path, now=NOW)
    assert (rep.taken_at, rep.taken_at_source) == (datetime(2021, 5, 1, 9, 30), "xmp")
    assert has(rep.warnings, "XMP")


@pytest.mark.parametrize(
    "name, expected",
    [
        ("mmexport1531734742000.jpg", datetime(2018, 7, 16, 17, 52, 22)),
        ("微信图片_20210501093012.jpg", datetime(2021, 5, 1, 9, 30, 12)),
    ],
)
def test_wechat_name_time_is_save_time_warning(tmp_path, name, expected):
    path = make_jpeg(tmp_path / name, dto=None)
    rep = check_photo(path, now=NOW)
    assert (rep.taken_at, rep.taken_at_source) == (expected, "filename")
    assert has(rep.warnings, name, "文件名", "保存")


def test_extension_mismatch_is_warning(tmp_path):
    path = tmp_path / GOOD_NAME
    noisy((1000, 800)).save(path, "PNG")
    rep = check_photo(path, now=NOW)
    assert rep.ok and rep.format == "PNG"
    assert has(rep.warnings, GOOD_NAME, "扩展名", ".png")
    assert is_photo(path)


def test_corrupt_exif_is_warning(tmp_path):
    bad = b"Exif\x00\x00II*\x00\x08\x00\x00\x00\x02\x00\x0f\x01\x02\x00\xff\xff\x00\x00\xf0\xff\xff\x7f"
    path = make_jpeg(tmp_path / GOOD_NAME, exif=bad)
    rep = check_photo(path, now=NOW)
    assert rep.ok and has(rep.warnings, "EXIF", "损坏")


def test_small_image_is_warning(tmp_path):
    path = make_jpeg(tmp_path / GOOD_NAME, size=(120, 90))
    rep = check_photo(path, now=NOW)
    assert rep.ok and has(rep.warnings, "尺寸过小", "120×90")


def test_duplicates_are_warnings(tmp_path):
    a = make_jpeg(tmp_path / "2021-05-01 甲组.jpg")
    b = tmp_path / "2021-05-01 乙组.jpg"
    b.write_bytes(a.read_bytes())
    first, second = check_photos([a, b], now=NOW)
    assert first.warnings == () and has(second.warnings, "乙组.jpg", "甲组.jpg", "重复")
    rep = check_photo(a, now=NOW, known_hashes={first.sha256: "C-2021-0001 甲组照片.jpg"})
    assert has(rep.warnings, "C-2021-0001 甲组照片.jpg", "重复")
    assert check_photo(a, now=NOW, known_hashes={first.sha256: str(a)}).warnings == ()


def test_near_duplicate_copy_is_warning(tmp_path):
    """A WeChat-style copy (upright pixels, downscaled, re-encoded, EXIF gone) of a rotated original."""
    upright = scene(seed=2)
    original = tmp_path / "2021-05-01 原图.jpg"
    upright.transpose(Image.Transpose.ROTATE_90).save(
        original, "JPEG", quality=92, exif=exif_bytes("2021:05:01 09:30:00", orientation=6)
    )
    copy = tmp_path / "mmexport1620000000000.jpg"
    upright.resize((800, 600)).save(copy, "JPEG", quality=70)
    other = make_jpeg(tmp_path / "2021-05-01 另一张.jpg", image=scene(seed=5))
    reports = check_photos([original, copy, other], now=NOW)
    assert has(reports[1].warnings, "mmexport1620000000000.jpg", "原图.jpg", "画面几乎相同")
    assert not has(reports[2].warnings, "画面几乎相同")


@pytest.mark.parametrize(
    "name, words",
    [
        ("IMG_1234.jpg", ("既没有日期也没有内容说明",)),
        ("职工运动会开幕式.jpg", ("缺少日期",)),
        ("2021-05-01.jpg", ("缺少内容说明",)),
        ("IMG_20210501_093012.jpg", ("缺少内容说明",)),
    ],
)
def test_name_lacking_date_or_description_is_warning(tmp_path, name, words):
    rep = check_photo(make_jpeg(tmp_path / name), now=NOW)
    assert has(rep.warnings, name, *words)


def test_check_photos_with_two_workers_matches_one(tmp_path):
    paths = [make_jpeg(tmp_path / f"2021-05-0{i} 活动{i}.jpg", size=(900, 700)) for i in range(1, 4)]
    paths.append(tmp_path / "missing.jpg")
    one = check_photos(paths, workers=1, now=NOW)
    two = check_photos(paths, workers=2, now=NOW)
    assert one == two
    assert [r.ok for r in one] == [True, True, True, False]


# --- orientation -------------------------------------------------------------------------------

RED, BLUE, GREEN = (230, 20, 20), (20, 20, 230), (20, 200, 20)


def displayed() -> Image.Image:
    """What the viewer must see: 96x64, red block top-left, green block bottom-right."""
    im = Image.new("RGB", (96, 64), BLUE)
    im.paste(RED, (0, 0, 32, 32))
    im.paste(GREEN, (64, 32, 96, 64))
    return im


# How a camera stores the displayed image for each EXIF orientation (the inverse of the display
# transform in the EXIF 2.3 table, written out here rather than taken from Pillow).
STORE = {
    1: lambda im: im,
    2: lambda im: im.transpose(Image.Transpose.FLIP_LEFT_RIGHT),
    3: lambda im: im.transpose(Image.Transpose.ROTATE_180),
    4: lambda im: im.transpose(Image.Transpose.FLIP_TOP_BOTTOM),
    5: lambda im: im.transpose(Image.Transpose.TRANSPOSE),
    6: lambda im: im.transpose(Image.Transpose.ROTATE_90),  # displayed by turning 90° clockwise
    7: lambda im: im.transpose(Image.Transpose.TRANSVERSE),
    8: lambda im: im.transpose(Image.Transpose.ROTATE_270),
}


def near(a, b, tol=40) -> bool:
    return all(abs(x - y) <= tol for x, y in zip(a, b))


@pytest.mark.parametrize("orientation", range(1, 9))
def test_every_exif_orientation_is_honoured(tmp_path, orientation):
    path = tmp_path / f"2021-05-01 方向{orientation}.jpg"
    STORE[orientation](displayed()).save(path, "JPEG", quality=95, exif=exif_bytes("2021:05:01 09:30:00", orientation=orientation))
    im = open_oriented(path)
    assert im.size == (96, 64)
    assert near(im.getpixel((8, 8)), RED) and near(im.getpixel((88, 56)), GREEN)
    rep = check_photo(path, now=NOW)
    assert (rep.width, rep.height) == (96, 64)
    out = tmp_path / f"captioned{orientation}.jpg"
    caption_image(path, out, ["2021-05-01 方向测试"])
    with Image.open(out) as cap:
        assert cap.width == 96 and cap.height > 64
        assert near(cap.getpixel((8, 8)), RED) and near(cap.getpixel((88, 56)), GREEN)
        assert cap.getexif().get(0x0112) in (None, 1)


# --- labels ------------------------------------------------------------------------------------

LABEL = PhotoLabel(datetime(2021, 5, 1, 9, 30), "职工运动会开幕式", "厂区体育场", "张三、李四", "王五")


def test_label_jpeg_is_lossless_and_readable_by_windows_fields(tmp_path):
    (tmp_path / "one").mkdir()
    path = make_jpeg(tmp_path / "one" / "IMG_0001.jpg", dto=None, modified="2021:05:03 08:00:00")
    before = path.read_bytes()
    write_label(path, LABEL)
    after = path.read_bytes()
    assert jpeg_scan(after) == jpeg_scan(before)  # entropy-coded data byte-identical
    assert pixels(path) == Image.open(io.BytesIO(before)).convert("RGB").tobytes()
    assert read_label(path) == LABEL
    exif = piexif.load(after)
    xp = lambda tag: bytes(exif["0th"][tag]).decode("utf-16-le").rstrip("\x00")  # noqa: E731
    assert xp(0x9C9B) == "职工运动会开幕式"  # XPTitle: Windows 标题
    assert xp(0x9C9F) == "职工运动会开幕式"  # XPSubject: 主题
    assert "厂区体育场" in xp(0x9C9C) and "张三" in xp(0x9C9C)  # XPComment: 备注
    assert xp(0x9C9D) == "王五"  # XPAuthor: 作者
    assert exif["Exif"][piexif.ExifIFD.UserComment].startswith(b"UNICODE\x00")
    assert piexif.helper.UserComment.load(exif["Exif"][piexif.ExifIFD.UserComment]).startswith("2021-05-01 09:30")
    assert exif["Exif"][piexif.ExifIFD.DateTimeOriginal] == b"2021:05:01 09:30:00"
    assert exif["0th"][piexif.ImageIFD.DateTime] == b"2021:05:03 08:00:00"  # other tags kept
    assert after.count(b"http://ns.adobe.com/xap/1.0/\x00") == 1
    xmp = Image.open(path).info["xmp"].decode("utf-8")
    assert "职工运动会开幕式" in xmp and "dc:title" in xmp and "dc:description" in xmp
    # The label's time counts as the record's, not the camera's, and silences the no-time warning.
    rep = check_photo(path, now=NOW)
    assert (rep.taken_at, rep.taken_at_source) == (datetime(2021, 5, 1, 9, 30), "record")
    assert not has(rep.warnings, "拍摄时间")
    assert [p.name for p in (tmp_path / "one").iterdir()] == ["IMG_0001.jpg"]  # no temporary left behind


def test_label_keeps_camera_time_and_is_repeatable(tmp_path):
    path = make_jpeg(tmp_path / "IMG_0002.jpg", dto="2021:05:01 09:31:07")
    scan = jpeg_scan(path.read_bytes())
    write_label(path, LABEL)
    write_label(path, PhotoLabel(LABEL.taken_at, "开幕式入场", None, None, None))
    data = path.read_bytes()
    assert jpeg_scan(data) == scan
    assert data.count(b"Exif\x00\x00") == 1 and data.count(b"http://ns.adobe.com/xap/1.0/\x00") == 1
    assert piexif.load(data)["Exif"][piexif.ExifIFD.DateTimeOriginal] == b"2021:05:01 09:31:07"
    assert capture_time(path) == (datetime(2021, 5, 1, 9, 31, 7), "exif")
    got = read_label(path)
    assert got.subject == "开幕式入场" and got.place is None


def test_label_merges_into_existing_xmp(tmp_path):
    xmp = (
        '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        '<rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmp:CreatorTool="Camera 1.0"/>'
        "</rdf:RDF></x:xmpmeta>"
    ).encode()
    path = tmp_path / "a.jpg"
    noisy((400, 300)).save(path, "JPEG", quality=90, xmp=xmp)
    write_label(path, LABEL)
    text = Image.open(path).info["xmp"].decode()
    assert "Camera 1.0" in text and "职工运动会开幕式" in text


def test_label_png_keeps_idat(tmp_path):
    path = tmp_path / "a.png"
    noisy((300, 200)).save(path, "PNG")
    before = path.read_bytes()
    write_label(path, LABEL)
    after = path.read_bytes()
    idat = lambda d: [p for k, p in png_chunks(d) if k == b"IDAT"]  # noqa: E731
    assert idat(after) == idat(before)
    assert pixels(path) == Image.open(io.BytesIO(before)).convert("RGB").tobytes()
    assert read_label(path) == LABEL
    assert capture_time(path)[1] == "record"


@pytest.mark.parametrize("lossless", [False, True])
def test_label_webp_keeps_bitstream(tmp_path, lossless):
    path = tmp_path / "a.webp"
    noisy((300, 200)).save(path, "WEBP", lossless=lossless, quality=80)
    before = path.read_bytes()
    kind = b"VP8L" if lossless else b"VP8 "
    write_label(path, LABEL)
    after = path.read_bytes()
    assert riff_chunks(after)[kind] == riff_chunks(before)[kind]
    assert b"VP8X" in riff_chunks(after) and b"EXIF" in riff_chunks(after) and b"XMP " in riff_chunks(after)
    with Image.open(path) as im:
        assert im.size == (300, 200)
        assert im.getexif()[0x9C9B].decode("utf-16-le").rstrip("\x00") == "职工运动会开幕式"
    assert pixels(path) == Image.open(io.BytesIO(before)).convert("RGB").tobytes()
    assert read_label(path) == LABEL


def test_label_heic_goes_to_sidecar(tmp_path):
    path = tmp_path / "IMG_0003.heic"
    path.write_bytes(heic_bytes(dto=None))
    before = path.read_bytes()
    write_label(path, LABEL)
    assert path.read_bytes() == before
    assert sidecar_path(path).is_file()
    assert read_label(path) == LABEL
    rep = check_photo(path, now=NOW)
    assert (rep.taken_at, rep.taken_at_source) == (LABEL.taken_at, "record")


def test_label_rejects_empty_subject_and_non_photos(tmp_path):
    path = make_jpeg(tmp_path / "a.jpg")
    with pytest.raises(BadValue):
        write_label(path, PhotoLabel(None, "  "))
    text = tmp_path / "a.txt"
    text.write_text("x")
    with pytest.raises(NotAPhoto):
        write_label(text, LABEL)
    assert read_label(make_jpeg(tmp_path / "b.jpg")) is None


def test_label_filename():
    assert label_filename(LABEL, ".JPG") == "2021-05-01 09.30 职工运动会开幕式.jpg"
    assert label_filename(PhotoLabel(datetime(2021, 5, 1), "表彰大会"), "heic") == "2021-05-01 表彰大会.heic"
    name = label_filename(PhotoLabel(datetime(2021, 5, 1, 14, 5), '会议: "职代会"/选举\\结果?*<>|'), ".jpg")
    assert not set(name) & set('<>:"/\\|?*')
    long = label_filename(PhotoLabel(datetime(2021, 5, 1, 14, 5), "职工之家" * 40), ".jpeg")
    assert len(long) <= 80 and long.endswith(".jpeg") and long.startswith("2021-05-01 14.05 职工之家")
    with pytest.raises(BadValue):
        label_filename(PhotoLabel(None, "无日期"), ".jpg")
    with pytest.raises(BadValue):
        label_filename(PhotoLabel(datetime(2021, 5, 1), " / "), ".jpg")


# --- fonts, captions, sheets ---------------------------------------------------------------------


@pytest.fixture
def cjk_font():
    fonts._find.cache_clear()
    try:
        return find_cjk_font()
    except FontNotFound:
        pytest.skip("本机没有简体中文字体")
    finally:
        fonts._find.cache_clear()


def test_find_cjk_font_picks_the_sc_face(cjk_font):
    assert cjk_font.path.is_file()
    if cjk_font.path.suffix.lower() in (".ttc", ".otc"):
        family, _ = cjk_font.truetype(12).getname()
        assert "SC" in family or "CN" in family or "Hei" in family or "YaHei" in family
    again = find_cjk_font(str(cjk_font.path))  # an override naming the collection file
    assert again.index == cjk_font.index


def test_missing_font_raises_with_install_advice(monkeypatch, tmp_path):
    fonts._find.cache_clear()
    monkeypatch.setattr(fonts.shutil, "which", lambda name: None)
    monkeypatch.setattr(fonts, "_KNOWN_PATHS", ())
    monkeypatch.delenv(fonts.FONT_ENV, raising=False)
    with pytest.raises(FontNotFound) as info:
        find_cjk_font()
    assert isinstance(info.value, JiaError) and "fonts-noto-cjk" in str(info.value)
    with pytest.raises(FontNotFound):
        find_cjk_font(str(tmp_path / "nope.ttf"))
    fonts._find.cache_clear()


def test_caption_region_is_not_blank(tmp_path, cjk_font):
    src = make_jpeg(tmp_path / "a.jpg", size=(800, 600))
    dst = tmp_path / "a 说明.jpg"
    caption_image(src, dst, ["2021-05-01 09:30 职工运动会开幕式", "地点：厂区体育场；摄影：王五"], cjk_font)
    with Image.open(dst) as out:
        assert out.width == 800 and out.height > 600
        strip = out.convert("L").crop((0, 606, 800, out.height))
        dark = sum(strip.histogram()[:128])
        assert dark > 500  # glyphs drawn
        assert ImageStat.Stat(strip).extrema[0][0] < 60
        assert out.getexif().get_ifd(0x8769).get(0x9003) == "2021:05:01 09:30:00"  # capture time carried
    with pytest.raises(BadValue):
        caption_image(src, tmp_path / "a.heic", ["x"], cjk_font)


def test_photo_sheet_pages_and_a4(tmp_path, cjk_font):
    pypdf = pytest.importorskip("pypdf")
    paths = [make_jpeg(tmp_path / f"p{i}.jpg", size=(640, 480), orientation=6 if i == 0 else 1) for i in range(5)]
    paths.append(tmp_path / "h.heic")
    paths[-1].write_bytes(heic_bytes())
    items = [(p, f"2021-05-01 职工运动会 第{i + 1}张") for i, p in enumerate(paths)]
    pdf = tmp_path / "sheet.pdf"
    assert photo_sheet(items, pdf, title="2021年职工运动会", per_page=4) == 2
    reader = pypdf.PdfReader(pdf)
    assert len(reader.pages) == 2
    box = reader.pages[0].mediabox
    assert abs(float(box.width) - 595.3) < 2 and abs(float(box.height) - 841.9) < 2
    assert photo_sheet(items, tmp_path / "two.pdf", title="t", per_page=2) == 3
    with pytest.raises(BadValue):
        photo_sheet([], tmp_path / "none.pdf", title="t")


# --- real photos ---------------------------------------------------------------------------------


@pytest.fixture
def photos(corpus_dir) -> Path:
    folder = corpus_dir / "photos"
    if not folder.is_dir():
        pytest.skip("../shared/corpus/photos 不存在")
    return folder


@pytest.mark.corpus
@pytest.mark.parametrize("name", ["derived__iphone6_truncated60.jpg", "derived__iphone13_truncated45.heic"])
def test_corpus_truncated_files_are_errors(photos, name):
    rep = check_photo(photos / name, now=NOW)
    assert not rep.ok and has(rep.errors, name, "截断")


@pytest.mark.corpus
def test_corpus_wechat_and_wrong_extension_and_zero_date(photos):
    rep = check_photo(photos / "derived__mmexport1531734742000.jpg", now=NOW)
    assert rep.ok and rep.taken_at_source == "filename" and rep.taken_at == datetime(2018, 7, 16, 17, 52, 22)
    assert has(rep.warnings, "文件名", "保存")
    rep = check_photo(photos / "derived__png_content_named.jpg", now=NOW)
    assert rep.format == "PNG" and has(rep.warnings, "扩展名")
    rep = check_photo(photos / "mei__jpg__Issue_609.jpg", now=NOW)
    assert has(rep.warnings, "0000:00:00", "无效") and has(rep.warnings, "修改时间")
    rep = check_photo(photos / "mei__jpg__Issue_508.jpg", now=NOW)
    assert has(rep.warnings, "尺寸过小", "1×1")


@pytest.mark.corpus
def test_corpus_real_cameras_give_exif_times(photos):
    for name, when in [
        ("mei__jpg__Oppo_R7_Plus.jpg", datetime(2018, 7, 16, 17, 52, 22)),
        ("ianare__heic__mobile__iphone_13_pro_max.HEIC", datetime(2022, 2, 16, 12, 55, 41)),
        ("mei__webp__Nikon_Coolpix_P7000.webp", datetime(2010, 10, 21, 11, 22, 48)),
    ]:
        assert capture_time(photos / name) == (when, "exif")
    rep = check_photo(photos / "mei__webp__Nikon_Coolpix_P7000.webp", now=NOW)
    assert rep.ok and (rep.width, rep.height) == (2736, 3648)  # orientation 6 honoured


def _diff(a: Image.Image, b: Image.Image) -> float:
    a, b = a.convert("L").resize((64, 48)), b.convert("L").resize((64, 48))
    return ImageStat.Stat(ImageChops.difference(a, b)).mean[0]


@pytest.mark.corpus
@pytest.mark.parametrize(
    "group",
    [
        ["landscape_3", "landscape_6", "landscape_8"],
        ["portrait_2", "portrait_5", "portrait_6", "portrait_7"],
    ],
)
def test_corpus_orientation_files_display_alike(photos, group):
    """Each file stores the same picture differently; upright, they must all look the same."""
    ims = [open_oriented(photos / f"ianare__jpg__orientation__{g}.jpg") for g in group]
    assert len({im.size for im in ims}) == 1
    for other in ims[1:]:
        assert _diff(ims[0], other) < 12
    raw = Image.open(photos / f"ianare__jpg__orientation__{group[1]}.jpg")
    if raw.size == ims[0].size:  # same shape raw: it must at least differ from the upright one
        assert _diff(raw, ims[0]) > 12


@pytest.mark.corpus
def test_corpus_label_real_iphone_jpeg_is_lossless(photos, tmp_path):
    path = tmp_path / "iphone.jpg"
    path.write_bytes((photos / "mei__jpg__Samsung_SM-J327T1.jpg").read_bytes())
    scan = jpeg_scan(path.read_bytes())
    write_label(path, LABEL)
    assert jpeg_scan(path.read_bytes()) == scan
    assert read_label(path).subject == LABEL.subject
    assert capture_time(path) == (datetime(2019, 9, 26, 16, 38), "exif")
    assert open_oriented(path).size == (1932, 2576)


def test_a_year_after_the_date_is_not_a_time_of_day() -> None:
    from jiaarchive.photos.meta import filename_time

    got = filename_time("2019-11-06 2019年教职工趣味运动会.jpg")
    assert got is not None and got.when == datetime(2019, 11, 6)
    assert filename_time("IMG_20210625_163542.jpg").when == datetime(2021, 6, 25, 16, 35, 42)
