"""The demo archive's content generator (scripts/sample_content.py): valid, deterministic files."""

from __future__ import annotations

import importlib.util
import re
import sys
from datetime import date
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "sample_content.py"
CATALOGUE = {f"{vol}-{n}" for vol, top in zip("ABCDEF", (5, 6, 5, 5, 5, 6))
             for n in range(1, top + 1)}
CJK = re.compile(r"[\u4e00-\u9fff]")


def _load():
    spec = importlib.util.spec_from_file_location("sample_content", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules["sample_content"] = module  # dataclasses look the module up by name
    spec.loader.exec_module(module)
    return module


sc = _load()


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    dst = tmp_path_factory.mktemp("sample")
    return dst, sc.generate(dst)


def test_count_codes_and_dates(generated):
    dst, docs = generated
    assert 80 <= len(docs) <= 150
    for doc in docs:
        assert doc.code in CATALOGUE, doc
        assert date(2019, 1, 1) <= doc.date <= date(2021, 9, 15), doc
        assert doc.title.strip()
        assert doc.responsible.strip()
        assert set(doc.items) <= set(range(1, 22)), doc
    assert {d.date.year for d in docs} == {2019, 2020, 2021}
    assert {d.code[0] for d in docs} == set("ABCDEF")
    assert docs == sorted(docs, key=lambda d: (d.date, d.code, d.title))


def test_files_exist_are_unique_and_small(generated):
    dst, docs = generated
    paths = [d.path for d in docs]
    assert len(set(paths)) == len(paths)
    for p in paths:
        assert p.is_file() and p.stat().st_size > 0
        assert dst in p.parents
    assert sum(p.stat().st_size for p in paths) < 10 * 1024 * 1024
    suffixes = {p.suffix for p in paths}
    assert suffixes == {".docx", ".pdf", ".xlsx", ".txt", ".jpg"}
    # Nothing else was written.
    assert sorted(p for p in dst.rglob("*") if p.is_file()) == sorted(paths)


def test_every_file_opens(generated):
    import docx
    import openpyxl
    import pypdf
    from PIL import Image

    _, docs = generated
    for doc in docs:
        suffix = doc.path.suffix
        if suffix == ".docx":
            text = "\n".join(p.text for p in docx.Document(str(doc.path)).paragraphs)
            assert CJK.search(text), doc.path
        elif suffix == ".xlsx":
            wb = openpyxl.load_workbook(doc.path, read_only=True)
            values = [v for ws in wb for row in ws.iter_rows(values_only=True) for v in row if v]
            wb.close()
            assert any(isinstance(v, str) and CJK.search(v) for v in values), doc.path
        elif suffix == ".pdf":
            reader = pypdf.PdfReader(doc.path)
            assert doc.pages == len(reader.pages)
            assert CJK.search(reader.pages[0].extract_text()), doc.path
            assert reader.metadata.title == doc.title
        elif suffix == ".jpg":
            with Image.open(doc.path) as im:
                im.verify()
            with Image.open(doc.path) as im:
                assert im.format == "JPEG" and max(im.size) <= 1024
            assert 40_000 < doc.path.stat().st_size < 200_000
        else:
            raw = doc.path.read_bytes()
            text = raw.decode("gb18030") if b"\r\n" in raw else raw.decode("utf-8-sig")
            assert CJK.search(text), doc.path


def test_text_files_include_old_gb18030(generated):
    _, docs = generated
    gb = [d for d in docs if d.path.suffix == ".txt" and b"\r\n" in d.path.read_bytes()]
    assert len(gb) >= 2
    for d in gb:
        with pytest.raises(UnicodeDecodeError):
            d.path.read_bytes().decode("utf-8")


def test_photos_with_and_without_exif(generated):
    import piexif
    from PIL import Image

    _, docs = generated
    photos = [d for d in docs if d.path.suffix == ".jpg"]
    assert 25 <= len(photos) <= 35
    with_exif, without = [], []
    for d in photos:
        with Image.open(d.path) as im:
            raw = im.info.get("exif")
        if raw:
            exif = piexif.load(raw)
            taken = exif["Exif"][piexif.ExifIFD.DateTimeOriginal].decode()
            assert taken.startswith(d.date.strftime("%Y:%m:%d")), d.path
            assert exif["0th"][piexif.ImageIFD.Make]
            with_exif.append(d)
        else:
            without.append(d)
    assert len(with_exif) >= 15 and len(without) >= 5
    names = {d.path.name for d in without}
    assert any(n.startswith("mmexport") for n in names)
    assert any(n.startswith("微信图片_") for n in names)
    bare = [d for d in photos if re.fullmatch(r"IMG_\d{4}\.jpg", d.path.name)]
    assert bare and all(d.title == d.path.stem and not d.tags for d in bare)


def test_deliberate_gaps(generated):
    _, docs = generated
    codes = [d.code for d in docs]
    assert "C-3" not in codes and "B-2" not in codes and "B-5" not in codes
    assert codes.count("E-4") == 1
    assert not [d for d in docs if d.code == "B-1" and d.date.year == 2020]
    assert not [d for d in docs if d.date.year == 2020 and "会员代表大会" in d.title]
    assert [d for d in docs if d.date.year == 2019 and "会员代表大会" in d.title]
    assert [d for d in docs if d.date.year == 2021 and "会员代表大会" in d.title]


def test_application_documents_have_required_headings(generated):
    import docx

    _, docs = generated

    def headings(title_part: str) -> list[str]:
        doc = next(d for d in docs if title_part in d.title and d.path.suffix == ".docx")
        assert doc.date.year == 2021 and doc.code in ("F-3", "F-4")
        return [re.sub(r"^[一二三四五六七八]、", "", p.text)
                for p in docx.Document(str(doc.path)).paragraphs
                if p.style.name.startswith("Heading")]

    assert headings("工作汇报") == ["基本情况", "工会工作亮点", "会员评家及满意度测评情况",
                                "否决事项情况说明"]
    assert headings("创建先进职工之家规划") == [
        "指导思想", "创建目标", "创建职工之家领导小组及办公室人员名单", "任务分解", "责任区分",
        "时间要求", "保障措施"]


def test_union_document_numbers_follow_dates(generated):
    _, docs = generated
    numbered = [d for d in docs if d.doc_no and d.doc_no.startswith("渝碚中工")]
    assert len(numbered) >= 20
    by_year: dict[int, list[tuple[date, int]]] = {}
    for d in numbered:
        m = re.fullmatch(r"渝碚中工〔(\d{4})〕(\d+)号", d.doc_no)
        assert m and int(m.group(1)) == d.date.year, d.doc_no
        by_year.setdefault(d.date.year, []).append((d.date, int(m.group(2))))
    for pairs in by_year.values():
        numbers = [n for _, n in sorted(pairs)]
        assert numbers == sorted(numbers) and len(set(numbers)) == len(numbers)
    photos_or_sheets = [d for d in docs if d.path.suffix in (".jpg", ".xlsx")]
    assert all(d.doc_no is None for d in photos_or_sheets)


def test_roster_matches_report(generated):
    import openpyxl

    _, docs = generated
    roster = next(d for d in docs if d.code == "F-2" and d.date.year == 2021)
    ws = openpyxl.load_workbook(roster.path).active
    numbered = [r for r in ws.iter_rows(values_only=True) if isinstance(r[0], int)]
    assert len(numbered) == 158
    assert "教职工160人，会员158人" in ws.cell(row=2, column=1).value


def test_deterministic(generated, tmp_path):
    dst, docs = generated
    again = sc.generate(tmp_path / "again")

    def key(ds, root):
        return [(d.path.relative_to(root), d.code, d.title, d.date, d.doc_no, d.items, d.tags,
                 d.pages) for d in ds]

    assert key(again, tmp_path / "again") == key(docs, dst)
    for a, b in zip(docs, again):
        assert a.path.read_bytes() == b.path.read_bytes(), a.path.name
