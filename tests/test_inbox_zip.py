"""Zips nobody here made: every hazard refused with a Chinese sentence, the rest still read.

The hostile zips are built here, byte by byte where ``zipfile`` would refuse to write them.
"""

from __future__ import annotations

import random
import stat
import struct
import zipfile
import zlib
from pathlib import Path

import pytest

from jiaarchive.inbox.walk import Staging, open_location, walk
from jiaarchive.inbox.zipsafe import SafeZip, ZipLimits, ZipRefused, archive_encoding, member_name

SMALL = ZipLimits(max_member_bytes=200_000, max_total_bytes=300_000, max_ratio=50, ratio_floor=4096, max_members=50,
                  max_depth=2)


class _RawName(zipfile.ZipInfo):
    """A member whose name bytes are written as given, without the UTF-8 flag."""

    raw: bytes = b""

    def _encodeFilenameFlags(self):  # noqa: N802
        return self.raw, self.flag_bits & ~0x800


def _raw_member(zf: zipfile.ZipFile, raw: bytes, data: bytes, extra: bytes = b"") -> None:
    info = _RawName(raw.decode("cp437"), date_time=(2021, 5, 12, 9, 30, 0))
    info.raw = raw
    info.extra = extra
    info.compress_type = zipfile.ZIP_DEFLATED
    zf.writestr(info, data)


def _zip(path: Path, members: dict[str, bytes]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return path


def _by_name(path: Path, limits: ZipLimits = SMALL) -> dict[str, object]:
    with SafeZip(path, limits=limits) as zf:
        return {m.name: m for m in zf.members()}


def test_gbk_names_without_the_utf8_flag_decode_as_chinese(tmp_path: Path) -> None:
    path = tmp_path / "资料.zip"
    with zipfile.ZipFile(path, "w") as zf:
        _raw_member(zf, "2021职代会/关于召开职代会的通知.docx".encode("gbk"), b"x" * 10)
        _raw_member(zf, "微信文件/照片.jpg".encode("gbk"), b"y" * 10)
        _raw_member(zf, b"readme.txt", b"plain")
    infos = zipfile.ZipFile(path).infolist()
    assert infos[0].filename != "2021职代会/关于召开职代会的通知.docx"  # what zipfile alone shows (CP437 mojibake)
    assert archive_encoding(infos) == "gb18030"
    assert set(_by_name(path)) == {"2021职代会/关于召开职代会的通知.docx", "微信文件/照片.jpg", "readme.txt"}


def test_utf8_names_without_the_flag_and_the_unicode_path_field(tmp_path: Path) -> None:
    path = tmp_path / "mac.zip"
    wanted = "送温暖/慰问名单.xlsx"
    legacy = "wenjian.xlsx".encode()
    field = struct.pack("<B", 1) + struct.pack("<I", zlib.crc32(legacy)) + wanted.encode()
    with zipfile.ZipFile(path, "w") as zf:
        _raw_member(zf, "安全月/方案.docx".encode("utf-8"), b"a")  # a tool that writes UTF-8 but no flag
        _raw_member(zf, legacy, b"b", extra=struct.pack("<HH", 0x7075, len(field)) + field)
    infos = zipfile.ZipFile(path).infolist()
    assert member_name(infos[0], archive_encoding(infos)) == "安全月/方案.docx"
    assert member_name(infos[1], archive_encoding(infos)) == wanted


@pytest.mark.parametrize("name, hazard", [
    ("../../etc/passwd", "zip_slip"),
    ("docs/../../outside.txt", "zip_slip"),
    ("..\\..\\windows\\evil.txt", "zip_slip"),
    ("/etc/cron.d/evil", "absolute"),
    ("C:\\Windows\\evil.txt", "absolute"),
    ("\\\\server\\share\\evil.txt", "absolute"),
])
def test_escaping_names_are_refused_and_nothing_is_written_outside(tmp_path: Path, name: str, hazard: str) -> None:
    path = tmp_path / "pile" / "hostile.zip"
    path.parent.mkdir(parents=True)
    with zipfile.ZipFile(path, "w") as zf:
        _raw_member(zf, name.encode(), b"evil")  # zipfile itself would clean such a name up
        zf.writestr("good/通知.txt", "关于开展活动的通知".encode())
    with Staging() as staging:
        result = walk(tmp_path / "pile", staging, limits=SMALL)
        staged = list(staging.root.rglob("*"))
    refused = [it for it in result.items if it.hazard]
    assert [it.hazard for it in refused] == [hazard]
    assert "压缩包“hostile.zip”" in refused[0].refusal and "未解压" in refused[0].refusal
    good = [it for it in result.items if not it.hazard]
    assert [it.rel for it in good] == ["hostile.zip!good/通知.txt"]  # the rest is still read
    assert not (tmp_path / "etc").exists() and not (tmp_path / "outside.txt").exists()
    assert all(p.is_relative_to(staging.root) for p in staged)


def test_symlink_members_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "links.zip"
    with zipfile.ZipFile(path, "w") as zf:
        info = zipfile.ZipInfo("link-to-passwd")
        info.create_system = 3
        info.external_attr = (stat.S_IFLNK | 0o777) << 16
        zf.writestr(info, "/etc/passwd")
        zf.writestr("ok.txt", b"fine")
    members = _by_name(path)
    assert members["link-to-passwd"].hazard == "link"
    assert "符号链接" in members["link-to-passwd"].refusal
    assert members["ok.txt"].ok


def test_encrypted_members_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "secret.zip"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("gongzi.xlsx", b"\x00" * 64)
        zf.writestr("公开.txt", "厂务公开".encode())
    # zipfile cannot write an encrypted member: set the flag readers go by, in both headers
    data = bytearray(path.read_bytes())
    struct.pack_into("<H", data, 6, 0x1)  # the first local header
    central = data.find(b"PK\x01\x02")
    struct.pack_into("<H", data, central + 8, 0x1)
    path.write_bytes(bytes(data))
    members = _by_name(path)
    assert members["gongzi.xlsx"].hazard == "encrypted"
    assert "需要密码" in members["gongzi.xlsx"].refusal
    assert members["公开.txt"].ok


def test_bombs_by_ratio_total_and_count_are_refused(tmp_path: Path) -> None:
    path = _zip(tmp_path / "bomb.zip", {
        "zeros.bin": b"\0" * 150_000,  # ratio far above 50
        "a.txt": random.Random(1).randbytes(120_000),  # incompressible, under the member limit
        "b.txt": random.Random(2).randbytes(120_000),
        "c.txt": random.Random(3).randbytes(120_000),  # the total passes 300 kB here
    })
    members = _by_name(path)
    assert members["zeros.bin"].hazard == "bomb" and "压缩比" in members["zeros.bin"].refusal
    assert members["a.txt"].ok and members["b.txt"].ok
    assert members["c.txt"].hazard == "bomb" and "总大小" in members["c.txt"].refusal
    many = _zip(tmp_path / "many.zip", {f"f{i}.txt": b"x" for i in range(60)})
    assert sum(m.hazard == "too_many" for m in _by_name(many).values()) == 10


def test_a_member_that_expands_beyond_its_declared_size_is_stopped(tmp_path: Path) -> None:
    path = _zip(tmp_path / "liar.zip", {"a.txt": b"A" * 3000, "b.txt": b"ok"})
    data = bytearray(path.read_bytes())
    central = data.rfind(b"PK\x01\x02", 0, data.rfind(b"PK\x01\x02"))  # a.txt's central directory entry
    struct.pack_into("<I", data, central + 24, 10)  # declare 10 bytes uncompressed
    path.write_bytes(bytes(data))
    with Staging() as staging, SafeZip(path, limits=SMALL) as zf:
        m = next(m for m in zf.members() if m.name == "a.txt")
        dst = staging.new_file(m.basename)
        with pytest.raises(ZipRefused) as err:
            zf.extract(m, dst)
        assert err.value.hazard in ("bomb", "corrupt")
        assert not dst.exists()


def test_nested_zips_in_folders_and_zips_are_walked_with_bang_paths(tmp_path: Path) -> None:
    inner = _zip(tmp_path / "build" / "inner.zip", {"送温暖/名单.txt": "困难职工名单".encode()})
    deepest = _zip(tmp_path / "build" / "d3.zip", {"x.txt": b"x"})
    d2 = _zip(tmp_path / "build" / "d2.zip", {"d3.zip": deepest.read_bytes()})
    _zip(tmp_path / "pile" / "微信文件" / "资料.zip", {"2021/inner.zip": inner.read_bytes(), "d2.zip": d2.read_bytes(),
                                                    "__MACOSX/._x": b"junk", "Thumbs.db": b"junk"})
    (tmp_path / "pile" / "坏.zip").write_bytes(b"PK\x03\x04 not really a zip")
    with Staging() as staging:
        result = walk(tmp_path / "pile", staging, limits=SMALL)
        rels = {it.rel: it for it in result.items}
        member = rels["微信文件/资料.zip!2021/inner.zip!送温暖/名单.txt"]
        assert member.location == ("微信文件/资料.zip", "2021/inner.zip", "送温暖/名单.txt")
        assert member.folders == ("微信文件", "资料", "2021", "inner", "送温暖")
        assert member.path.read_text(encoding="utf-8") == "困难职工名单"
        # the same member found again from its location (as the plan and the queue do)
        again = open_location(tmp_path / "pile", member.location, staging)
        assert again.read_bytes() == member.path.read_bytes()
    assert rels["微信文件/资料.zip!d2.zip!d3.zip"].hazard == "too_deep"
    assert rels["坏.zip"].hazard == "corrupt" and "已损坏" in rels["坏.zip"].refusal
    assert result.skipped == {"system": 2}  # __MACOSX/ and Thumbs.db inside the zip


def test_folder_walk_skips_and_counts_junk(tmp_path: Path) -> None:
    root = tmp_path / "pile"
    (root / ".git").mkdir(parents=True)
    (root / ".git" / "config").write_text("x")
    (root / "Thumbs.db").write_bytes(b"x")
    (root / "desktop.ini").write_bytes(b"x")
    (root / "~$通知.docx").write_bytes(b"x")
    (root / "通知.docx").write_bytes(b"x")
    (root / "link.docx").symlink_to(root / "通知.docx")
    with Staging() as staging:
        result = walk(root, staging)
    assert [it.rel for it in result.items] == ["通知.docx"]
    assert result.skipped == {"hidden": 1, "system": 2, "lock": 1, "link": 1}
    assert "隐藏文件 1 个" in result.skipped_text()


def test_locations_from_plans_cannot_leave_the_pile(tmp_path: Path) -> None:
    from jiaarchive.errors import UnreadableFile

    (tmp_path / "pile").mkdir()
    (tmp_path / "secret.txt").write_text("s")
    with Staging() as staging:
        for bad in (("../secret.txt",), ("/etc/passwd",), ("a/../../secret.txt",), ("C:/x",)):
            with pytest.raises(UnreadableFile):
                open_location(tmp_path / "pile", bad, staging)
