"""Text extraction: type sniffing, decoding, every format, broken files and the sandbox."""

from __future__ import annotations

import io
import shutil
import zipfile
from datetime import date
from pathlib import Path

import pytest

from jiaarchive.extract import DocProps, Extraction, doc_properties, extract, extract_many, sniff
from jiaarchive.extract.text import decode_text, recover_gbk_mojibake, repair_cjk_spacing

NOT_OK = {"empty", "no_text_layer", "encrypted", "unsupported", "corrupt", "timeout", "too_large", "error"}


# ------------------------------------------------------------------ generated files


def _docx(path: Path, body_xml: str, extra: dict[str, str] | None = None) -> Path:
    """A minimal but valid docx whose body is ``body_xml`` (WordprocessingML)."""
    ns = (
        'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
        'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
        'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
        'xmlns:v="urn:schemas-microsoft-com:vml" '
        'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
        'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"'
    )
    parts = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.wordprocessingml.document.main+xml"/></Types>'
        ),
        "_rels/.rels": (
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
            'relationships/officeDocument" Target="word/document.xml"/></Relationships>'
        ),
        "word/document.xml": f'<?xml version="1.0" encoding="UTF-8"?><w:document {ns}><w:body>{body_xml}</w:body></w:document>',
    }
    for name, xml in (extra or {}).items():
        parts[name] = f'<?xml version="1.0" encoding="UTF-8"?>{xml.replace("NS", ns)}'
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, xml in parts.items():
            zf.writestr(name, xml)
    return path


def _p(text: str) -> str:
    return f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>"


TEXTBOX_BODY = (
    _p("正文第一段")
    + "<w:p><w:r><mc:AlternateContent><mc:Choice Requires=\"wps\"><w:drawing><wp:anchor><a:graphic>"
    "<a:graphicData><wps:wsp><wps:txbx><w:txbxContent>"
    + _p("文本框里的职工之家")
    + "</w:txbxContent></wps:txbx></wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing></mc:Choice>"
    "<mc:Fallback><w:pict><v:shape><v:textbox><w:txbxContent>"
    + _p("文本框里的职工之家")
    + "</w:txbxContent></v:textbox></v:shape></w:pict></mc:Fallback></mc:AlternateContent></w:r></w:p>"
    + "<w:tbl><w:tr><w:tc>" + _p("表格甲") + "</w:tc><w:tc>" + _p("表格乙") + "</w:tc></w:tr></w:tbl>"
    + "<w:p><w:r><w:instrText> HYPERLINK \"http://x\" </w:instrText></w:r><w:r><w:t>链接文字</w:t></w:r></w:p>"
)


@pytest.fixture
def textbox_docx(tmp_path: Path) -> Path:
    return _docx(
        tmp_path / "文本框.docx",
        TEXTBOX_BODY,
        {
            "word/header1.xml": "<w:hdr NS>" + _p("页眉工会") + "</w:hdr>",
            "word/footer1.xml": "<w:ftr NS>" + _p("页脚第1页") + "</w:ftr>",
            "word/footnotes.xml": "<w:footnotes NS><w:footnote w:id=\"1\">" + _p("脚注内容") + "</w:footnote></w:footnotes>",
        },
    )


def test_docx_text_boxes_headers_footnotes(textbox_docx: Path) -> None:
    result = extract(textbox_docx)
    assert result.status == "ok" and result.kind == "docx" and result.reason == ""
    text = result.text
    for expected in ("正文第一段", "文本框里的职工之家", "表格甲", "表格乙", "链接文字", "页眉工会", "页脚第1页", "脚注内容"):
        assert expected in text
    assert text.count("文本框里的职工之家") == 1  # the VML fallback copy is not read twice
    assert "HYPERLINK" not in text  # field codes are not text


def test_python_docx_misses_the_text_box(textbox_docx: Path) -> None:
    """Why the XML is read directly: python-docx's paragraphs do not reach text boxes."""
    import docx

    paragraphs = "\n".join(p.text for p in docx.Document(str(textbox_docx)).paragraphs)
    assert "正文第一段" in paragraphs
    assert "文本框里的职工之家" not in paragraphs
    assert "文本框里的职工之家" in extract(textbox_docx).text


def test_doc_named_file_that_is_docx(tmp_path: Path) -> None:
    path = _docx(tmp_path / "通知.doc", _p("其实是 docx"))
    assert sniff(path).kind == "docx"
    assert extract(path).text == "其实是 docx"


def test_xlsx_generated(tmp_path: Path) -> None:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "会员名册"
    ws.append(["姓名", "部门", "年龄"])
    ws.append(["张三", "工会办公室", 35])
    wb.create_sheet("活动记录").append(["2023年职工运动会"])
    wb.properties.title = "会员名册标题"
    path = tmp_path / "名册.xlsx"
    wb.save(path)
    result = extract(path)
    assert result.status == "ok" and result.kind == "xlsx"
    for expected in ("会员名册", "活动记录", "姓名", "张三", "工会办公室", "35", "2023年职工运动会"):
        assert expected in result.text
    props = doc_properties(path)
    assert props.title == "会员名册标题"
    assert props.created is not None


def test_text_decodings_generated(tmp_path: Path) -> None:
    text = "中华全国总工会关于加强职工之家建设的意见，职工代表大会。\n" * 20
    cases = {
        "utf8.txt": (text.encode("utf-8"), "utf-8"),
        "gbk.txt": (text.encode("gb18030"), "gb18030"),
        "utf16.txt": (b"\xff\xfe" + text.encode("utf-16-le"), "utf-16le"),
        "big5.txt": ("中華全國總工會關於加強職工之家建設的意見。\n".encode("big5") * 20, "cp950"),
    }
    for name, (data, encoding) in cases.items():
        path = tmp_path / name
        path.write_bytes(data)
        result = extract(path)
        assert result.status == "ok", name
        assert result.encoding == encoding, name
        assert "職工之家" in result.text or "职工之家" in result.text, name


def test_big5_is_not_taken_for_gb18030() -> None:
    data = "維基大典者，網路為礎；集天下知、四海言、眾人志，書百科焉。".encode("big5")
    data.decode("gb18030")  # decodes without error: the trap
    text, encoding = decode_text(data)
    assert encoding in ("cp950", "big5hkscs") and "維基大典" in text


def test_html_by_declared_charset(tmp_path: Path) -> None:
    page = (
        '<html><head><meta http-equiv=Content-Type content="text/html; charset=x-cp20936">'
        "<title>企业简况</title><style>p {font-family:宋体}</style></head>"
        "<body><p>工会<b>活动</b>记录</p><script>var x='不显示';</script></body></html>"
    )
    path = tmp_path / "page.pdf"  # wrong extension on purpose
    path.write_bytes(page.encode("gbk"))
    result = extract(path)
    assert result.kind == "html" and result.status == "ok"
    assert result.encoding == "gb18030"
    assert "企业简况" in result.text and "工会活动记录" in result.text
    assert "不显示" not in result.text and "font-family" not in result.text and "<" not in result.text


def test_rtf_generated(tmp_path: Path) -> None:
    path = tmp_path / "a.rtf"
    path.write_bytes(rb"{\rtf1\ansi\ansicpg936{\fonttbl{\f0 \'cb\'ce\'cc\'e5;}}\f0 \'d6\'b0\'b9\'a4\'d6\'ae\'bc\'d2\par \u24037?\u20250?}")
    result = extract(path)
    assert result.status == "ok" and result.kind == "rtf"
    assert result.text.split() == ["职工之家", "工会"]


def test_ofd_generated(tmp_path: Path) -> None:
    path = tmp_path / "公文.ofd"
    ns = 'xmlns:ofd="http://www.ofdspec.org/2016"'
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("OFD.xml", f"<ofd:OFD {ns}><ofd:DocBody><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>")
        zf.writestr(
            "Doc_0/Document.xml",
            f'<ofd:Document {ns}><ofd:Pages><ofd:Page ID="1" BaseLoc="Pages/Page_0/Content.xml"/></ofd:Pages></ofd:Document>',
        )
        zf.writestr(
            "Doc_0/Pages/Page_0/Content.xml",
            f'<ofd:Page {ns}><ofd:Content><ofd:Layer><ofd:TextObject Boundary="10 20 30 5"><ofd:TextCode X="0" Y="3">'
            "关于建设职工之家的通知</ofd:TextCode></ofd:TextObject></ofd:Layer></ofd:Content></ofd:Page>",
        )
    assert sniff(path).kind == "ofd"
    result = extract(path)
    assert result.status == "ok" and result.text == "关于建设职工之家的通知"


def test_photo_text_generated(tmp_path: Path) -> None:
    from PIL import Image

    path = tmp_path / "职工之家揭牌.jpg"
    img = Image.new("RGB", (8, 8), "red")
    exif = Image.Exif()
    exif[0x010E] = "Opening ceremony"
    exif[0x9C9B] = "揭牌仪式".encode("utf-16-le") + b"\x00\x00"
    img.save(path, exif=exif)
    ft = sniff(path)
    assert ft.kind == "jpeg" and ft.is_image
    result = extract(path)
    assert result.status == "ok"
    assert result.text.split("\n") == ["职工之家揭牌", "Opening ceremony", "揭牌仪式"]


def test_empty_unknown_and_zip(tmp_path: Path) -> None:
    empty = tmp_path / "空.docx"
    empty.write_bytes(b"")
    result = extract(empty)
    assert result.status == "empty" and result.kind == "empty" and "空.docx" in result.reason
    binary = tmp_path / "x.bin"
    binary.write_bytes(bytes(range(256)) * 10)
    assert extract(binary).status == "unsupported"
    archive = tmp_path / "a.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("a.txt", "x")
    assert sniff(archive).kind == "zip"
    assert extract(archive).status == "unsupported"


def test_truncated_zip_is_corrupt_not_fatal(tmp_path: Path, textbox_docx: Path) -> None:
    data = textbox_docx.read_bytes()
    broken = tmp_path / "半个.docx"
    broken.write_bytes(data[: len(data) // 2])
    assert sniff(broken).kind == "docx"
    result = extract(broken)
    assert result.status == "corrupt" and "半个.docx" in result.reason and result.text == ""


def test_pdf_generated_cjk_and_props(tmp_path: Path) -> None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    path = tmp_path / "报告.pdf"
    c = canvas.Canvas(str(path))
    c.setTitle("建家报告")
    c.setFont("STSong-Light", 14)
    c.drawString(72, 720, "职工之家建设情况报告")
    c.showPage()
    c.save()
    props = doc_properties(path)
    assert props.title == "建家报告" and props.pages == 1 and props.created is not None
    result = extract(path)
    assert result.status == "ok" and result.kind == "pdf"
    assert "职工之家建设情况报告" in result.text.replace(" ", "")


def test_pdf_without_text_is_no_text_layer(tmp_path: Path) -> None:
    from PIL import Image

    path = tmp_path / "扫描件.pdf"
    Image.new("RGB", (200, 100), "white").save(path, "PDF")
    result = extract(path)
    assert result.status == "no_text_layer"
    assert "无文字层" in result.reason and "扫描件.pdf" in result.reason


def test_cjk_spacing_repair() -> None:
    assert repair_cjk_spacing("开 票 通 知 单") == "开票通知单"
    assert repair_cjk_spacing("中 华 人 民 共 和 国 劳动法 x") == "中华人民共和国劳动法 x"
    # a real space between two words stays
    assert repair_cjk_spacing("坚持社会主义 增强文化自信") == "坚持社会主义 增强文化自信"


def test_gbk_mojibake_recovery() -> None:
    assert recover_gbk_mojibake("È« ÊÀ ½ç") == "全 世 界"
    assert recover_gbk_mojibake("plain English text") is None


def test_timeout_kills_a_hung_extraction(tmp_path: Path) -> None:
    big = _docx(tmp_path / "巨大.docx", _p("职工之家 " * 20) * 150_000)
    result = extract(big, timeout=0.3)
    assert result.status == "timeout"
    assert "巨大.docx" in result.reason and "0.3" in result.reason
    # the killed worker was replaced: the next file extracts normally
    small = _docx(tmp_path / "小.docx", _p("恢复正常"))
    assert extract(small).text == "恢复正常"


def test_memory_limit(tmp_path: Path) -> None:
    big = _docx(tmp_path / "占内存.docx", _p("职工之家 " * 50) * 60_000)
    result = extract(big, memory_mb=64, timeout=60)
    assert result.status == "too_large"
    assert "64 MB" in result.reason
    assert extract(_docx(tmp_path / "小.docx", _p("好了"))).text == "好了"


def test_extract_many_generated(tmp_path: Path, textbox_docx: Path) -> None:
    paths = []
    for i in range(6):
        p = tmp_path / f"t{i}.txt"
        p.write_text(f"第{i}号文件", encoding="utf-8")
        paths.append(p)
    paths.append(textbox_docx)
    paths.append(tmp_path / "不存在.docx")
    results = dict(extract_many(paths, workers=2))
    assert set(results) == set(paths)
    assert results[paths[3]].text == "第3号文件"
    assert "文本框里的职工之家" in results[textbox_docx].text
    assert results[tmp_path / "不存在.docx"].status == "error"


def test_sniff_never_raises_on_garbage(tmp_path: Path) -> None:
    cases = {
        "cfb.doc": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\xff" * 600,
        "zip.docx": b"PK\x03\x04" + b"\x00" * 40,
        "pdf.pdf": b"%PDF-1.7\n%%EOF",
        "heic.heic": b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic",
    }
    for name, data in cases.items():
        p = tmp_path / name
        p.write_bytes(data)
        ft = sniff(p)
        assert ft.kind in ("doc", "docx", "pdf", "heic", "unknown", "zip"), name
        assert isinstance(doc_properties(p), DocProps)
        assert isinstance(extract(p), Extraction)
    assert sniff(tmp_path / "heic.heic").kind == "heic"


def test_sniff_missing_file_raises_oserror(tmp_path: Path) -> None:
    with pytest.raises(OSError):
        sniff(tmp_path / "nope.pdf")


# ------------------------------------------------------------------ the real corpus


@pytest.fixture(scope="module")
def corpus_results() -> dict[str, Extraction]:
    corpus = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"
    if not corpus.is_dir():
        pytest.skip("../shared/corpus 不存在")
    files = [p for p in sorted(corpus.rglob("*")) if p.is_file() and p.suffix not in (".tsv",) and p.name != "README.md"]
    return {str(p.relative_to(corpus)): e for p, e in extract_many(files, workers=2, timeout=30)}


SNIFF_EXPECTED = {
    "hostile/actually_html_not_pdf.pdf": "html",
    "hostile/empty_zero_bytes.docx": "empty",
    "office/poi_truncated62886.docx": "docx",
    "office/poi_protected_agile_default_pw.docx": "docx",
    "office/poi_ShortLastBlock.wps": "wps-works",
    "office/xlrd_biff4_no_format_no_window2.xls": "xls",
    "office/xlrd_sample.xlsb": "xlsb",
    "office/poi_SampleSS.ods": "ods",
    "office/textract_raw_text.odt": "odt",
    "office/textract_raw_text.pptx": "pptx",
    "office/textract_raw_text.rtf": "rtf",
    "office/ofd/发票示例.ofd": "ofd",
    "photos/derived__png_content_named.jpg": "png",
    "photos/ianare__heic__IMG_5195.HEIC": "heic",
    "photos/mei__webp__Photo_1_.webp": "webp",
    "images/pydocx_72dpi.tiff": "tiff",
    "images/pydocx_sonic.gif": "gif",
    "docs_cn/xhf_jianli_gongsi_jianjie_gbk.html": "html",
    "docs_cn/gonghuifa_2021.md": "text",
}


def test_sniff_corpus(corpus_dir: Path) -> None:
    for rel, kind in SNIFF_EXPECTED.items():
        assert sniff(corpus_dir / rel).kind == kind, rel
    encrypted = [
        "office/poi_password_password_cryptoapi.doc",
        "office/poi_protected_passtika.xlsx",
        "office/poi_extenxls_pwd123.xlsx",
        "office/poi_protected_agile_default_pw.docx",
        "office/calamine_pass_protected.xlsx",
        "pdf/pdfjs_issue6010_1_user_pw_abc.pdf",
    ]
    for rel in encrypted:
        assert sniff(corpus_dir / rel).encrypted, rel
    assert not sniff(corpus_dir / "pdf/pdfjs_issue7665_empty_user_pw.pdf").encrypted
    assert not sniff(corpus_dir / "office/poi_Word6.doc").encrypted


def test_doc_properties_corpus(corpus_dir: Path) -> None:
    props = doc_properties(corpus_dir / "office/poi_stress009_cjk_ssd_design.docx")
    assert props.title == "NANDrive 微型固态硬盘设计方案"
    assert props.created == date(2009, 4, 26)
    assert doc_properties(corpus_dir / "pdf/pypdf_026_latex_multicolumn.pdf").pages == 3
    assert doc_properties(corpus_dir / "pdf/pdfjs_issue15590_no_startxref.pdf") == DocProps()
    assert doc_properties(corpus_dir / "hostile/empty_zero_bytes.docx") == DocProps()


def test_every_corpus_file_gets_a_status(corpus_results: dict[str, Extraction]) -> None:
    for rel, result in corpus_results.items():
        assert result.status in NOT_OK | {"ok"}, rel
        if result.status == "ok":
            assert result.text.strip() and result.reason == "", rel
        else:
            assert result.reason and Path(rel).name in result.reason, rel
        assert result.status not in ("timeout", "error"), (rel, result.detail)


EXPECTED_STATUS = {
    # broken
    "office/poi_truncated62886.docx": "corrupt",
    "hostile/empty_zero_bytes.docx": "empty",
    "hostile/truncated_half_cjk.pdf": "corrupt",
    "pdf/pdfjs_issue15590_no_startxref.pdf": "corrupt",
    "pdf/pdfjs_bug1020226_truncated_stream.pdf": "corrupt",
    "office/xlrd_corrupted_error.xls": "corrupt",
    # encrypted
    "pdf/pdfjs_issue6010_1_user_pw_abc.pdf": "encrypted",
    "pdf/pdfjs_issue21579_user_pw_nonascii.pdf": "encrypted",
    "pdf/pypdf_005_libreoffice_writer_password.pdf": "encrypted",
    "pdf/pdfminer_aes256_r6_user_pw.pdf": "encrypted",
    "pdf/pdfminer_rc4_40_user_pw.pdf": "encrypted",
    "office/poi_password_password_cryptoapi.doc": "encrypted",
    "office/poi_protected_passtika.xlsx": "encrypted",
    "office/poi_extenxls_pwd123.xlsx": "encrypted",
    "office/poi_protected_agile_default_pw.docx": "encrypted",
    "office/calamine_pass_protected.xlsx": "encrypted",
    # image-only
    "pdf/pypdf_007_imagemagick_images_no_text.pdf": "no_text_layer",
    "pdf/textract_ocr_text_scanned.pdf": "no_text_layer",
    # not read
    "office/poi_ShortLastBlock.wps": "unsupported",
    "office/poi_empty.doc": "empty",
}


def test_corpus_statuses(corpus_results: dict[str, Extraction]) -> None:
    wrong = {rel: corpus_results[rel].status for rel, want in EXPECTED_STATUS.items() if corpus_results[rel].status != want}
    assert wrong == {}
    assert "已加密" in corpus_results["pdf/pdfjs_issue6010_1_user_pw_abc.pdf"].reason
    assert "无文字层" in corpus_results["pdf/pypdf_007_imagemagick_images_no_text.pdf"].reason


def test_fuzzed_and_hostile_pdfs_do_not_hang(corpus_results: dict[str, Extraction]) -> None:
    for rel in (
        "pdf/pdfjs_poppler_742_0_fuzzed.pdf",
        "pdf/pdfjs_poppler_90_0_fuzzed.pdf",
        "pdf/pdfjs_PDFBOX_3148_2_fuzzed.pdf",
        "pdf/pdfminer_zen_of_python_corrupted.pdf",
    ):
        assert corpus_results[rel].status in {"ok", "corrupt", "no_text_layer", "empty"}, rel
    evil = corpus_results["pdf/pdfminer_issue1113_evil_xobjects.pdf"]
    assert evil.status == "ok" and "Hello world" in evil.text
    assert "Beautiful is better than ugly" in corpus_results["pdf/pdfminer_zen_of_python_corrupted.pdf"].text


def test_oom_xls_does_not_exhaust_memory(corpus_dir: Path) -> None:
    result = extract(corpus_dir / "office/calamine_OOM_alloc.xls", memory_mb=256, timeout=20)
    assert result.status in {"ok", "corrupt", "too_large"}


def test_encodings_corpus(corpus_dir: Path, corpus_results: dict[str, Extraction]) -> None:
    md = (corpus_dir / "docs_cn/nvzhigong_laodong_baohu_tebie_guiding_2012.md").read_text(encoding="utf-8")
    gb = corpus_results["hostile/nvzhigong_laodong_baohu_gb18030.txt"]
    assert gb.encoding == "gb18030" and gb.text == md
    big5 = corpus_results["docs_cn/chardet_big5_wenyan_weiji.txt"]
    assert big5.encoding in ("cp950", "big5hkscs") and "維基大典" in big5.text
    utf16 = corpus_results["hostile/nianxiujia_utf16le_bom.txt"]
    assert utf16.encoding == "utf-16le" and "带薪年休假" in utf16.text
    html = corpus_results["docs_cn/xhf_jianli_gongsi_jianjie_gbk.html"]
    assert html.kind == "html" and html.encoding == "gb18030"
    assert "河南新恒丰建设监理有限公司" in html.text and "<" not in html.text and "font-family" not in html.text
    fake_pdf = corpus_results["hostile/actually_html_not_pdf.pdf"]
    assert fake_pdf.kind == "html" and fake_pdf.status == "ok" and "<" not in fake_pdf.text


EXPECTED_TEXT = {
    "pdf/pdfjs_issue13316_cjk_invoice_notice.pdf": "开票通知单",
    "pdf/pdfjs_issue2128r_cjk_essay_title.pdf": "浅谈校长的魅力",
    "pdf/pdfjs_issue3521_gbk_euc_h_cmap.pdf": "我们都是黑体字",
    "pdf/pdfjs_XiaoBiaoSong_no_tounicode.pdf": "关于红军作战的原则",
    "pdf/pdfjs_SimFang_variant_no_tounicode.pdf": "全世界无产者",
    "pdf/pdfjs_issue19360_cjk_slogan_large.pdf": "坚持社会主义核心价值体系",
    "pdf/pdfjs_issue7665_empty_user_pw.pdf": "Issue 7665",
    "pdf/pdfminer_kampo_japanese_gazette.pdf": "金曜日",
    "office/poi_stress009_cjk_ssd_design.docx": "微型固态硬盘设计方案",
    "office/poi_HeaderFooterUnicode.docx": "€",
    "office/pydocx_hdr_header_footer.docx": "section with header",
    "office/poi_stress020_cjk_bank_statistics.xlsx": "2019年泰州市7月份银行业金融机构存贷款情况",
    "office/poi_61287_cjk_balance_sheet.xls": "资产负债表",
    "office/poi_bug69021_cjk_test_steps.xls": "动作",
    "office/poi_12843_2_trad_chinese_quiz.xls": "量詞",
    "office/poi_chinese_provinces.xls": "安徽省",
    "office/xlrd_biff4_no_format_no_window2.xls": "DOG & CAT",
    "office/xhf_fujianyi_cjk.doc": "公平 独立 诚信 科学",
    "office/xhf_fujianer_cjk_form.doc": "姓名",
    "office/xhf_fujiansan_cjk_cover_pages.doc": "河南新恒丰建设监理有限公司",
    "office/poi_TestChineseProperties.doc": "加泰隆",
    "office/poi_Word6.doc": "The quick brown fox",
    "office/poi_Word95.doc": "Paragraph 2",
    "office/textract_raw_text.doc": "I love word documents",
    "office/textract_raw_text.rtf": "I love word documents",
    "office/textract_raw_text.odt": "OppenOffice Writer",
    "office/poi_SampleSS.ods": "Test spreadsheet",
    "office/textract_raw_text.pptx": "I love PowerPoint",
    "office/ofd/发票示例.ofd": "北京市海淀区颐和园西路一亩园11号",
    "office/ofd/helloworld.ofd": "你好呀，OFD Reader&Writer！",
    "office/ofd/拿来主义_page6.ofd": "拿来主义",
    "images/pydocx_court_exif.jpg": "basilica",
    "photos/ianare__jpg__long_description.jpg": "Operation Mountain Viper",
    "photos/ianare__heic__IMG_5195.HEIC": "ianare__heic__IMG_5195",
}


def test_corpus_texts(corpus_results: dict[str, Extraction]) -> None:
    missing = {rel: corpus_results[rel].text[:80] for rel, want in EXPECTED_TEXT.items() if want not in corpus_results[rel].text}
    assert missing == {}
    assert "开 票" not in corpus_results["pdf/pdfjs_issue13316_cjk_invoice_notice.pdf"].text


def test_doc_converter_fallback(corpus_dir: Path) -> None:
    """antiword reads Word 97+; Word 6/95 files it refuses go to catdoc."""
    if not (shutil.which("antiword") and shutil.which("catdoc")):
        pytest.skip("antiword/catdoc 未安装")
    from jiaarchive.extract.office import doc_to_text

    assert doc_to_text(corpus_dir / "office/xhf_fujiansan_cjk_cover_pages.doc")[1] == "antiword"
    assert doc_to_text(corpus_dir / "office/poi_Word95.doc")[1] == "catdoc"


def test_gbk_html_via_bytes_io() -> None:
    """decode_text on bytes alone, without a file: GB18030 survives the strict chain."""
    data = io.BytesIO("工会经费收支情况".encode("gbk")).getvalue()
    assert decode_text(data) == ("工会经费收支情况", "gb18030")
