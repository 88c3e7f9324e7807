"""Opening a bundle nobody here made: unpack it safely, verify every checksum, read what it says.

Nothing in a bundle is trusted.  The zip is read with the inbox's ``zipsafe`` rules (zip slip,
absolute names, links, bombs, encrypted or damaged members, GBK names): any refused member
refuses the whole bundle, since a bag with a member left out cannot verify.  The bag is then
validated with ``bagit`` (every payload file against ``manifest-sha256.txt``, the tag files
against ``tagmanifest-sha256.txt``, Payload-Oxum, no file missing or added), and the records'
metadata is checked against the manifest (each file's SHA-256 and path).  Only then does
anything read the payload.  A failure is one Chinese sentence naming the file.
"""

from __future__ import annotations

import errno
import json
import logging
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import metalog
from ..errors import BundleDamaged
from ..inbox.zipsafe import SafeZip, ZipLimits, ZipRefused
from . import BUNDLE_JSON, FORMAT, METADATA, TEXTS

# a bundle is one unit's whole evidence: larger than a clerk's zip of office files may be
LIMITS = ZipLimits(max_member_bytes=2 * 1024 ** 3, max_total_bytes=64 * 1024 ** 3, max_members=500_000)


@dataclass
class OpenedBundle:
    """A verified bundle unpacked in a temporary folder (``close`` removes it)."""

    source: Path
    bag_dir: Path
    info: dict[str, Any]  # bundle.json
    bag_info: dict[str, str]
    payload: dict[str, str]  # path under data/ → sha256
    state: metalog.LogState = field(repr=False)
    _tmp: Path | None = field(default=None, repr=False)

    @property
    def data(self) -> Path:
        return self.bag_dir / "data"

    @property
    def unit(self) -> str:
        return str(self.info.get("unit", ""))

    def texts(self) -> dict[str, dict[str, Any]]:
        """archive_no → the record's searchable text, as the unit's own index read it."""
        out: dict[str, dict[str, Any]] = {}
        path = self.data / TEXTS
        if not path.is_file():
            return out
        with open(path, encoding="utf-8") as fh:
            for raw in fh:
                try:
                    row = json.loads(raw)
                except ValueError:
                    continue
                if isinstance(row, dict) and isinstance(row.get("archive_no"), str):
                    out[row["archive_no"]] = row
        return out

    def close(self) -> None:
        if self._tmp is not None:
            shutil.rmtree(self._tmp, ignore_errors=True)
            self._tmp = None

    def __enter__(self) -> "OpenedBundle":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _unpack(path: Path, into: Path) -> None:
    with SafeZip(path, limits=LIMITS) as zf:
        members = zf.members()
        for m in members:
            if not m.ok:
                raise BundleDamaged(f"{m.refusal.rstrip('。')}；数据包不完整或不安全，未导入。")
        for m in members:
            dst = into / m.name
            try:
                if not dst.resolve().is_relative_to(into.resolve()):  # zipsafe has refused such names already
                    raise BundleDamaged(f"数据包“{path.name}”中的文件“{m.name}”会解压到数据包以外的位置，未导入。")
                if dst.exists():
                    raise FileExistsError(m.name)
                dst.parent.mkdir(parents=True, exist_ok=True)
            except (FileExistsError, NotADirectoryError):
                raise BundleDamaged(f"数据包“{path.name}”中的“{m.name}”与另一个成员冲突（文件与文件夹同名），未导入。") from None
            except OSError as exc:
                if exc.errno != errno.ENAMETOOLONG:
                    raise
                raise BundleDamaged(f"数据包“{path.name}”中的文件“{m.name[:120]}…”名称过长，无法解压，未导入。") from None
            zf.extract(m, dst)


def _bag_root(into: Path, name: str) -> Path:
    if (into / "bagit.txt").is_file():
        return into
    subs = [p for p in into.iterdir()]
    if len(subs) == 1 and subs[0].is_dir() and (subs[0] / "bagit.txt").is_file():
        return subs[0]
    raise BundleDamaged(f"“{name}”不是数据包：其中没有 bagit.txt（BagIt 数据包的标志文件）。")


def _validate(bag_dir: Path, name: str) -> "Any":
    import bagit

    # bagit logs in English (with our temporary folder's name): what matters becomes a sentence here
    logging.getLogger("bagit").setLevel(logging.CRITICAL)
    try:
        bag = bagit.Bag(str(bag_dir))
    except (bagit.BagError, UnicodeError, ValueError) as exc:
        raise BundleDamaged(_structure(exc, name)) from None
    if "sha256" not in bag.algorithms:
        raise BundleDamaged(f"数据包“{name}”缺少 manifest-sha256.txt（SHA-256 校验值清单），未导入。")
    if not (bag_dir / "tagmanifest-sha256.txt").is_file():
        raise BundleDamaged(f"数据包“{name}”缺少 tagmanifest-sha256.txt，bag-info.txt 等说明文件无法核对，未导入。")
    try:
        bag.validate(processes=1)
    except bagit.BagValidationError as exc:
        if not getattr(exc, "details", None):  # Payload-Oxum: the sizes differ; find which file
            culprit = _find_culprit(bag, bag_dir, name)
            if culprit:
                raise BundleDamaged(culprit) from None
        raise BundleDamaged(_explain(exc, name)) from None
    except (bagit.BagError, UnicodeError, ValueError) as exc:
        raise BundleDamaged(_structure(exc, name)) from None
    return bag


_BAGIT_WORDS = (  # what bagit says (in English) → what it means
    ("is unsafe", "清单列出了数据包以外的路径"),
    ("Unsupported bag version", "BagIt 版本不受支持"),
    ("Unsupported encoding", "说明文件的字符编码不受支持"),
    ("bagit.txt", "bagit.txt 缺失或不完整"),
    ("fetch.txt", "fetch.txt 无效"),
    ("Payload-Oxum", "bag-info.txt 中的 Payload-Oxum 无效"),
    ("manifest", "校验值清单无法读取"),
)


def _structure(exc: BaseException, name: str) -> str:
    """A bag whose tag files bagit cannot read, in one Chinese sentence (no English, no temporary path)."""
    text = str(exc)
    if isinstance(exc, UnicodeError):
        return f"数据包“{name}”的说明文件或清单不是 UTF-8 文本，无法读取，未导入。"
    unsafe = re.search(r'Path "(.*?)" in manifest', text)
    if unsafe:
        return f"数据包“{name}”的校验值清单列出了数据包以外的路径“{unsafe.group(1)[:200]}”，不安全，未导入。"
    why = next((zh for en, zh in _BAGIT_WORDS if en in text), "说明文件或清单无法读取")
    return f"数据包“{name}”不是有效的 BagIt 数据包（{why}），未导入。"


def _explain(exc: "Any", name: str) -> str:
    import bagit

    details = list(getattr(exc, "details", None) or [])
    more = f"（另有 {len(details) - 1} 处问题）" if len(details) > 1 else ""
    if not details:
        return _structure(exc, name).replace("不是有效的 BagIt 数据包", "校验未通过")
    d = details[0]
    if isinstance(d, bagit.ChecksumMismatch):
        return (f"数据包“{name}”中的文件“{d.path}”校验值不符（应为 {str(d.expected)[:12]}…，实为 {str(d.found)[:12]}…），"
                f"数据包已损坏或被改动，未导入{more}。")
    if isinstance(d, bagit.FileMissing):
        return f"数据包“{name}”缺少清单中列出的文件“{d.path}”，数据包不完整，未导入{more}。"
    if isinstance(d, bagit.UnexpectedFile):
        return f"数据包“{name}”中的文件“{d.path}”不在校验值清单中（可能是后来放进去的），未导入{more}。"
    return f"数据包“{name}”校验未通过（{d}），未导入{more}。"


def _find_culprit(bag: "Any", bag_dir: Path, name: str) -> str | None:
    """The first payload file that is missing, added or not what the manifest says."""
    import hashlib
    import os

    listed = {rel.replace("\\", "/"): sums.get("sha256") for rel, sums in bag.entries.items() if rel.startswith("data/")}
    for rel, want in sorted(listed.items()):
        full = bag_dir / rel
        if not full.is_file():
            return f"数据包“{name}”缺少清单中列出的文件“{rel}”，数据包不完整，未导入。"
        h = hashlib.sha256()
        with open(full, "rb") as fh:
            while chunk := fh.read(1 << 20):
                h.update(chunk)
        if want and h.hexdigest() != want:
            return f"数据包“{name}”中的文件“{rel}”校验值不符（大小或内容与清单不同），数据包已损坏或被改动，未导入。"
    for dirpath, _dirs, files in os.walk(bag_dir / "data"):
        for f in files:
            rel = (Path(dirpath) / f).relative_to(bag_dir).as_posix()
            if rel not in listed:
                return f"数据包“{name}”中的文件“{rel}”不在校验值清单中（可能是后来放进去的），未导入。"
    return None


def _payload(bag: "Any") -> dict[str, str]:
    out = {}
    for rel, sums in bag.entries.items():
        rel = rel.replace("\\", "/")
        if rel.startswith("data/") and "sha256" in sums:
            out[rel[len("data/"):]] = sums["sha256"]
    return out


def _read_info(data: Path, name: str) -> dict[str, Any]:
    try:
        info = json.loads((data / BUNDLE_JSON).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise BundleDamaged(f"数据包“{name}”缺少或无法读取 {BUNDLE_JSON}，不是本程序导出的数据包，未导入。") from None
    if not isinstance(info, dict) or info.get("format") != FORMAT:
        raise BundleDamaged(f"数据包“{name}”的格式（{str(info.get('format') if isinstance(info, dict) else '')[:40]}）"
                            f"不是本程序能读的 {FORMAT}，未导入。")
    for key in ("unit", "unit_type", "level"):
        if not isinstance(info.get(key), str) or not info[key].strip():
            raise BundleDamaged(f"数据包“{name}”的 {BUNDLE_JSON} 缺少“{key}”，未导入。")
    return info


def _check_metadata(state: metalog.LogState, payload: dict[str, str], name: str) -> None:
    """Every file the records name is in the bag with that checksum; nothing else of the payload is a record's."""
    if state.bad_lines:
        raise BundleDamaged(f"数据包“{name}”的 {METADATA} 有 {state.bad_lines} 行无法读取，未导入。")
    for rec in state.records.values():
        for f in rec.get("files") or ():
            path = f.get("path") if isinstance(f, dict) else None
            if not isinstance(path, str) or path not in payload:
                raise BundleDamaged(f"数据包“{name}”的记录 {str(rec.get('archive_no'))[:80]} 列出的文件“{str(path)[:200]}”"
                                    "不在数据包中，未导入。")
            if payload[path] != f.get("sha256"):
                raise BundleDamaged(f"数据包“{name}”中的文件“{path}”与记录 {str(rec.get('archive_no'))[:80]} "
                                    "登记的校验值不符，未导入。")


def open_bundle(path: Path) -> OpenedBundle:
    """Unpack and verify ``path``; BundleDamaged (or ZipRefused) naming the file when it does not hold."""
    path = Path(path).expanduser()
    name = path.name
    if not path.is_file():
        raise BundleDamaged(f"找不到数据包“{path}”。")
    tmp = Path(tempfile.mkdtemp(prefix="jiaarchive-bundle-"))
    try:
        try:
            _unpack(path, tmp)
        except ZipRefused as exc:  # zipfile's own English words left out: the sentence says it
            said = re.sub(r"（[\x00-\x7f]*）", "", str(exc)).rstrip("。")
            raise BundleDamaged(f"{said}；数据包未导入。") from None
        bag_dir = _bag_root(tmp, name)
        bag = _validate(bag_dir, name)
        payload = _payload(bag)
        data = bag_dir / "data"
        info = _read_info(data, name)
        if not (data / METADATA).is_file():
            raise BundleDamaged(f"数据包“{name}”缺少 {METADATA}（记录的元数据），未导入。")
        state = metalog.read_lines(metalog.lines_of(data / METADATA))
        _check_metadata(state, payload, name)
        bag_info = {k: (v if isinstance(v, str) else "；".join(v)) for k, v in bag.info.items()}
        return OpenedBundle(path, bag_dir, info, bag_info, payload, state, tmp)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
