"""Office documents: docx, xlsx, xlsb, pptx, ODF, RTF, xls and old Word (办公文档).

OOXML and ODF are read straight from their XML (no python-docx/openpyxl object model):
it is several times faster and it reaches what python-docx misses (text boxes, headers,
footers, footnotes, endnotes, comments).  Old Word files go through ``antiword`` with
``catdoc`` as the fallback (see ``doc_to_text``).  Every function raises on unreadable
input; the worker turns exceptions into an ``Extraction`` status.
"""

from __future__ import annotations

import re
import shutil
import struct
import subprocess
import zipfile
from pathlib import Path
from xml.etree import ElementTree as ET

from jiaarchive.extract.text import tidy

# A zip member larger than this (uncompressed) is refused: zip bombs stop here, not in RAM.
MAX_MEMBER_BYTES = 256 * 1024 * 1024


class Encrypted(Exception):
    """The file needs a password."""


class NoConverter(Exception):
    """No external program is installed for this format."""


class Unsupported(Exception):
    """The format is recognised but its text cannot be read by this system."""


class TooLarge(Exception):
    """A member or the whole document exceeds the limits."""


def _read_member(zf: zipfile.ZipFile, name: str) -> bytes:
    info = zf.getinfo(name)
    if info.file_size > MAX_MEMBER_BYTES:
        raise TooLarge(name)
    return zf.read(info)


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


# ------------------------------------------------------------------------- docx

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_SKIP_W = {W + "instrText", W + "delText", W + "delInstrText", MC_FALLBACK}


def _word_part_text(xml: bytes) -> str:
    """Text of one WordprocessingML part, paragraphs on lines, table cells tab-separated."""
    root = ET.fromstring(xml)
    out: list[str] = []

    def walk(el: ET.Element) -> None:
        tag = el.tag
        if tag in _SKIP_W:
            return
        if tag == W + "t":
            if el.text:
                out.append(el.text)
            return
        if tag == W + "tab":
            out.append("\t")
        elif tag in (W + "br", W + "cr"):
            out.append("\n")
        elif tag == W + "sym":
            out.append(" ")
        for child in el:
            walk(child)
        if tag == W + "p":
            out.append("\n")
        elif tag == W + "tc":
            out.append("\t")

    walk(root)
    return "".join(out)


def _main_part(zf: zipfile.ZipFile, names: set[str], default: str) -> str:
    """The officeDocument part named in _rels/.rels (a few producers use another name)."""
    if "_rels/.rels" in names:
        try:
            root = ET.fromstring(_read_member(zf, "_rels/.rels"))
            for rel in root:
                if rel.get("Type", "").endswith("/officeDocument"):
                    target = rel.get("Target", "").lstrip("/")
                    if target in names:
                        return target
        except ET.ParseError:
            pass
    return default


def docx_to_text(path: Path) -> str:
    with zipfile.ZipFile(path) as zf:
        names = set(zf.namelist())
        main = _main_part(zf, names, "word/document.xml")
        if main not in names:
            raise ValueError("docx without a main document part")
        folder = main.rsplit("/", 1)[0] + "/" if "/" in main else ""
        parts = [main]

        def numbered(prefix: str) -> list[str]:
            found = [n for n in names if re.fullmatch(re.escape(folder + prefix) + r"\d*\.xml", n)]
            return sorted(found, key=lambda n: int(re.sub(r"\D", "", n.rsplit("/", 1)[-1]) or 0))

        parts += numbered("header") + numbered("footer")
        parts += [folder + p for p in ("footnotes.xml", "endnotes.xml", "comments.xml") if folder + p in names]
        texts = []
        for part in parts:
            text = _word_part_text(_read_member(zf, part)).strip()
            if text:
                texts.append(text)
    return tidy("\n\n".join(texts))


# ------------------------------------------------------------------------- xlsx

S = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"


def _rels(zf: zipfile.ZipFile, names: set[str], part: str) -> dict[str, str]:
    folder, _, base = part.rpartition("/")
    rels_name = f"{folder}/_rels/{base}.rels" if folder else f"_rels/{base}.rels"
    if rels_name not in names:
        return {}
    out = {}
    for rel in ET.fromstring(_read_member(zf, rels_name)):
        target = rel.get("Target", "")
        if target.startswith("/"):
            target = target[1:]
        elif folder:
            target = _normpath(f"{folder}/{target}")
        out[rel.get("Id", "")] = target
    return out


def _normpath(p: str) -> str:
    parts: list[str] = []
    for seg in p.split("/"):
        if seg == "..":
            if parts:
                parts.pop()
        elif seg and seg != ".":
            parts.append(seg)
    return "/".join(parts)


def _si_text(si: ET.Element) -> str:
    # Plain <t> or rich-text runs <r><t>; phonetic hints (<rPh>) are skipped.
    parts = []
    for child in si:
        if child.tag == S + "t":
            parts.append(child.text or "")
        elif child.tag == S + "r":
            parts.extend(t.text or "" for t in child.iter(S + "t"))
    return "".join(parts)


def xlsx_to_text(path: Path) -> str:
    with zipfile.ZipFile(path) as zf:
        names = set(zf.namelist())
        wb_part = _main_part(zf, names, "xl/workbook.xml")
        if wb_part not in names:
            raise ValueError("xlsx without a workbook part")
        rels = _rels(zf, names, wb_part)
        shared: list[str] = []
        for rid_target in rels.values():
            if rid_target.endswith("sharedStrings.xml") and rid_target in names:
                for _ev, el in ET.iterparse(_open_member(zf, rid_target)):
                    if el.tag == S + "si":
                        shared.append(_si_text(el))
                        el.clear()
        wb = ET.fromstring(_read_member(zf, wb_part))
        sheets = wb.find(S + "sheets")
        texts = []
        for sheet in sheets if sheets is not None else []:
            name = sheet.get("name", "")
            target = rels.get(sheet.get(R_ID, ""), "")
            lines = [name]
            if target in names:
                lines.extend(_sheet_rows(zf, target, shared))
            texts.append("\n".join(lines))
    return tidy("\n\n".join(texts))


def _open_member(zf: zipfile.ZipFile, name: str):
    if zf.getinfo(name).file_size > MAX_MEMBER_BYTES:
        raise TooLarge(name)
    return zf.open(name)


def _sheet_rows(zf: zipfile.ZipFile, part: str, shared: list[str]) -> list[str]:
    rows: list[str] = []
    cells: list[str] = []
    for _ev, el in ET.iterparse(_open_member(zf, part)):
        tag = el.tag
        if tag == S + "c":
            ctype = el.get("t")
            value = ""
            if ctype == "inlineStr":
                value = "".join(t.text or "" for t in el.iter(S + "t"))
            else:
                v = el.find(S + "v")
                if v is not None and v.text is not None:
                    value = v.text
                    if ctype == "s":
                        try:
                            value = shared[int(value)]
                        except (ValueError, IndexError):
                            value = ""
                    elif ctype == "b":
                        value = "TRUE" if value == "1" else "FALSE"
            if value.strip():
                cells.append(value.strip())
            el.clear()
        elif tag == S + "row":
            if cells:
                rows.append("\t".join(cells))
            cells = []
            el.clear()
    if cells:
        rows.append("\t".join(cells))
    return rows


# ------------------------------------------------------------------------- xlsb


def _xlsb_records(data: bytes):
    pos, n = 0, len(data)
    while pos < n:
        rtype = 0
        for i in range(2):
            if pos >= n:
                return
            b = data[pos]
            pos += 1
            rtype |= (b & 0x7F) << (7 * i)
            if not b & 0x80:
                break
        size = 0
        for i in range(4):
            if pos >= n:
                return
            b = data[pos]
            pos += 1
            size |= (b & 0x7F) << (7 * i)
            if not b & 0x80:
                break
        yield rtype, data[pos : pos + size]
        pos += size


def _xl_wide(data: bytes, pos: int) -> tuple[str, int]:
    count = struct.unpack_from("<I", data, pos)[0]
    if count == 0xFFFFFFFF:
        return "", pos + 4
    end = pos + 4 + 2 * count
    return data[pos + 4 : end].decode("utf-16-le", "replace"), end


def xlsb_to_text(path: Path) -> str:
    """Sheet names and shared strings of a binary workbook (numbers are not read)."""
    with zipfile.ZipFile(path) as zf:
        names = set(zf.namelist())
        texts = []
        if "xl/workbook.bin" in names:
            for rtype, body in _xlsb_records(_read_member(zf, "xl/workbook.bin")):
                if rtype == 156 and len(body) >= 12:  # BrtBundleSh
                    _rel, pos = _xl_wide(body, 8)
                    name, _ = _xl_wide(body, pos)
                    texts.append(name)
        if "xl/sharedStrings.bin" in names:
            for rtype, body in _xlsb_records(_read_member(zf, "xl/sharedStrings.bin")):
                if rtype == 19 and len(body) >= 5:  # BrtSSTItem
                    s, _ = _xl_wide(body, 1)
                    texts.append(s)
    return tidy("\n".join(texts))


# ------------------------------------------------------------------------- pptx

A_T = "{http://schemas.openxmlformats.org/drawingml/2006/main}t"
A_P = "{http://schemas.openxmlformats.org/drawingml/2006/main}p"


def _drawing_text(xml: bytes) -> str:
    root = ET.fromstring(xml)
    paras = []
    for p in root.iter(A_P):
        text = "".join(t.text or "" for t in p.iter(A_T))
        if text.strip():
            paras.append(text)
    return "\n".join(paras)


def pptx_to_text(path: Path) -> str:
    with zipfile.ZipFile(path) as zf:
        names = set(zf.namelist())

        def ordered(prefix: str) -> list[str]:
            found = [n for n in names if re.fullmatch(re.escape(prefix) + r"\d+\.xml", n)]
            return sorted(found, key=lambda n: int(re.sub(r"\D", "", n.rsplit("/", 1)[-1])))

        texts = [_drawing_text(_read_member(zf, n)) for n in ordered("ppt/slides/slide")]
        texts += [_drawing_text(_read_member(zf, n)) for n in ordered("ppt/notesSlides/notesSlide")]
    return tidy("\n\n".join(t for t in texts if t))


# ------------------------------------------------------------------------- ODF

TEXT_NS = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
_ODF_BLOCKS = {TEXT_NS + "p", TEXT_NS + "h"}


def odf_to_text(path: Path) -> str:
    with zipfile.ZipFile(path) as zf:
        root = ET.fromstring(_read_member(zf, "content.xml"))
    out: list[str] = []

    def walk(el: ET.Element) -> None:
        tag = el.tag
        if el.text:
            out.append(el.text)
        if tag == TEXT_NS + "s":
            out.append(" " * int(el.get(TEXT_NS + "c", "1") or 1))
        elif tag == TEXT_NS + "tab":
            out.append("\t")
        elif tag == TEXT_NS + "line-break":
            out.append("\n")
        for child in el:
            walk(child)
            if child.tail:
                out.append(child.tail)
        if tag in _ODF_BLOCKS:
            out.append("\n")

    body = root.find("{urn:oasis:names:tc:opendocument:xmlns:office:1.0}body")
    walk(body if body is not None else root)
    return tidy("".join(out))


# ------------------------------------------------------------------------- RTF

_RTF_TOKEN = re.compile(rb"\\([a-zA-Z]{1,32})(-?\d{1,10})? ?|\\'([0-9a-fA-F]{2})|\\([^a-zA-Z])|([{}])|[\r\n]+|(.)", re.DOTALL)
_RTF_SKIP_DEST = frozenset(
    b"""aftncn aftnsep aftnsepc annotation atnauthor atndate atnicn atnid atnparent atnref atntime
    atrfend atrfstart author background bkmkend bkmkstart blipuid buptim category colorschememapping
    colortbl comment company creatim datafield datastore defchp defpap do doccomm docvar dptxbxtext
    ebcend ebcstart factoidname falt fchars ffdeftext ffentrymcr ffexitmcr ffformat ffhelptext ffl
    ffname ffstattext field file filetbl fldinst fldtype fname fontemb fontfile fonttbl footnote
    formfield ftncn ftnsep ftnsepc g generator gridtbl header headerf headerl headerr hl hlfr hlinkbase
    hlloc hlsrc hsv htmltag info keycode keywords latentstyles lchars levelnumbers leveltext lfolevel
    linkval list listlevel listname listoverride listoverridetable listpicture liststylename listtable
    listtext lsdlockedexcept macc maccPr mailmerge maln malnScr manager margPr mbar mbarPr mbaseJc
    mbegChr mborderBox mborderBoxPr mbox mboxPr mchr mcount mctrlPr md mdeg mdegHide mden mdiff mdPr
    me mendChr meqArr meqArrPr mf mfName mfPr mfunc mfuncPr mgroupChr mgroupChrPr mgrow mhideBot
    mhideLeft mhideRight mhideTop mhtmltag mlim mlimloc mlimlow mlimlowPr mlimupp mlimuppPr mm mmaddfieldname
    mmath mmathPict mmathPr mmaxdist mmc mmcJc mmconnectstr mmconnectstrdata mmcPr mmcs mmdatasource
    mmheadersource mmmailsubject mmodso mmodsofilter mmodsofldmpdata mmodsomappedname mmodsoname
    mmodsorecipdata mmodsosort mmodsosrc mmodsotable mmodsoudl mmodsoudldata mmodsouniquetag mmPr mmquery
    mmr mnary mnaryPr mnoBreak mnum mobjDist moMath moMathPara moMathParaPr mopEmu mphant mphantPr
    mplcHide mpos mr mrad mradPr mrPr msepChr mshow mshp msPre msPrePr msSub msSubPr msSubSup msSubSupPr
    msSup msSupPr mstrikeBLTR mstrikeH mstrikeTLBR mstrikeV msub msubHide msup msupHide mtransp mtype
    mvertJc mvfmf mvfml mvtof mvtol mzeroAsc mzeroDesc mzeroWid nesttableprops nextfile nonesttables
    objalias objclass objdata object objname objsect objtime oldcprops oldpprops oldsprops oldtprops
    oleclsid operator panose password passwordhash pgp pgptbl picprop pict pn pnseclvl pntext pntxta
    pntxtb printim private propname protend protstart protusertbl pxe result revtbl revtim rsidtbl rxe
    shp shpgrp shpinst shppict shprslt shptxt sn sp staticval stylesheet subject sv svb tc template
    themedata title txe ud upr userprops wgrffmtfilter windowcaption writereservation writereservhash
    xe xform xmlattrname xmlattrvalue xmlclose xmlname xmlnstbl xmlopen""".split()
)
_RTF_SPECIAL = {
    b"par": "\n", b"sect": "\n\n", b"page": "\n\n", b"line": "\n", b"tab": "\t", b"cell": "\t",
    b"row": "\n", b"emdash": "\u2014", b"endash": "\u2013", b"emspace": "\u2003", b"enspace": "\u2002",
    b"qmspace": "\u2005", b"bullet": "\u2022", b"lquote": "\u2018", b"rquote": "\u2019",
    b"ldblquote": "\u201c", b"rdblquote": "\u201d",
}
_RTF_CHARSET_CODEPAGE = {128: "cp932", 129: "cp949", 134: "gb18030", 136: "cp950", 222: "cp874", 238: "cp1250", 204: "cp1251"}


def rtf_to_text(data: bytes) -> str:
    """Plain text of an RTF document: groups, destinations, \\'hh bytes and \\uN handled."""
    codepage = "cp1252"
    m = re.search(rb"\\ansicpg(\d+)", data[:4096])
    if m:
        codepage = "gb18030" if m.group(1) == b"936" else f"cp{int(m.group(1))}"
    try:
        "".encode(codepage)
    except LookupError:
        codepage = "cp1252"
    stack: list[tuple[int, bool]] = []
    ucskip = 1
    ignorable = False
    skip_count = 0
    out: list[str] = []
    pending = bytearray()

    def flush() -> None:
        if pending:
            out.append(bytes(pending).decode(codepage, "replace"))
            pending.clear()

    for match in _RTF_TOKEN.finditer(data):
        word, arg, hexbyte, char, brace, tchar = match.groups()
        if brace:
            flush()
            skip_count = 0
            if brace == b"{":
                stack.append((ucskip, ignorable))
            elif stack:
                ucskip, ignorable = stack.pop()
        elif char:
            skip_count = 0
            if char == b"~":
                if not ignorable:
                    flush()
                    out.append("\u00a0")
            elif char in b"{}\\":
                if not ignorable:
                    flush()
                    out.append(char.decode())
            elif char == b"*":
                ignorable = True
            elif char in b"\r\n" and not ignorable:
                flush()
                out.append("\n")
        elif word:
            flush()
            skip_count = 0
            if word in _RTF_SKIP_DEST:
                ignorable = True
            elif ignorable:
                pass
            elif word in _RTF_SPECIAL:
                out.append(_RTF_SPECIAL[word])
            elif word == b"uc":
                ucskip = int(arg or 1)
            elif word == b"u":
                code = int(arg or 0)
                if code < 0:
                    code += 0x10000
                out.append(chr(code) if code < 0x110000 else "\ufffd")
                skip_count = ucskip
        elif hexbyte:
            if skip_count > 0:
                skip_count -= 1
            elif not ignorable:
                pending.append(int(hexbyte, 16))
        elif tchar:
            if skip_count > 0:
                skip_count -= 1
            elif not ignorable:
                flush()
                out.append(tchar.decode(codepage, "replace"))
    flush()
    return tidy("".join(out))


# ------------------------------------------------------------------------- xls


def xls_to_text(path: Path) -> str:
    import xlrd

    try:
        book = xlrd.open_workbook(str(path), on_demand=True, formatting_info=False, logfile=_NullLog())
    except xlrd.biffh.XLRDError as exc:
        if "encrypted" in str(exc).lower():
            raise Encrypted(str(exc)) from exc
        raise
    texts = []
    try:
        for index in range(book.nsheets):
            sheet = book.sheet_by_index(index)
            lines = [sheet.name]
            for r in range(sheet.nrows):
                cells = []
                for value in sheet.row_values(r):
                    if isinstance(value, float) and value.is_integer():
                        value = int(value)
                    text = str(value).strip()
                    if text:
                        cells.append(text)
                if cells:
                    lines.append("\t".join(cells))
            texts.append("\n".join(lines))
            book.unload_sheet(index)
    finally:
        book.release_resources()
    return tidy("\n\n".join(texts))


class _NullLog:
    def write(self, _s: str) -> None:
        pass


# ------------------------------------------------------------------------- old Word (.doc) and .ppt

_PIPE_ONLY = re.compile(r"^[|\s]*$")
DOC_TIMEOUT = 20.0


def _run(cmd: list[str], timeout: float) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, capture_output=True, timeout=timeout, check=False, stdin=subprocess.DEVNULL)


def doc_to_text(path: Path, timeout: float = DOC_TIMEOUT) -> tuple[str, str]:
    """Text of an old Word file; returns (text, converter used).

    antiword first: on the corpus it keeps tables and reads all 69 Han characters of the
    Traditional Chinese test file (catdoc: 39, plus field codes and stray bytes).  catdoc
    second: it reads Word 6 and Word 95 files that antiword refuses.
    """
    antiword = shutil.which("antiword")
    catdoc = shutil.which("catdoc")
    if not antiword and not catdoc:
        raise NoConverter("antiword/catdoc")
    errors = []
    if antiword:
        proc = _run([antiword, "-m", "UTF-8.txt", "-w", "0", str(path)], timeout)
        err = proc.stderr.decode("utf-8", "replace")
        if "ncrypt" in err:
            raise Encrypted(err.strip())
        if proc.returncode == 0:
            text = _clean_doc_text(proc.stdout.decode("utf-8", "replace"))
            if text:
                return text, "antiword"
            if not catdoc:
                return "", "antiword"
        errors.append(err.strip())
    if catdoc:
        proc = _run([catdoc, "-d", "utf-8", "-w", str(path)], timeout)
        err = proc.stderr.decode("utf-8", "replace")
        if "ncrypt" in err:
            raise Encrypted(err.strip())
        if proc.returncode == 0:
            return _clean_doc_text(proc.stdout.decode("utf-8", "replace")), "catdoc"
        errors.append(err.strip() or f"catdoc exit {proc.returncode}")
    raise ValueError("; ".join(e for e in errors if e) or "old Word file not readable")


def _clean_doc_text(text: str) -> str:
    lines = []
    for line in text.split("\n"):
        if _PIPE_ONLY.match(line):
            lines.append("")
            continue
        line = line.replace("[pic]", " ").replace("\ufffd", "")
        if line.startswith("|") or line.rstrip().endswith("|"):
            line = " ".join(cell.strip() for cell in line.strip().strip("|").split("|"))
        lines.append(line)
    return tidy("\n".join(lines))


def ppt_to_text(path: Path, timeout: float = DOC_TIMEOUT) -> str:
    catppt = shutil.which("catppt")
    if not catppt:
        raise NoConverter("catppt")
    proc = _run([catppt, "-d", "utf-8", str(path)], timeout)
    if proc.returncode != 0:
        err = proc.stderr.decode("utf-8", "replace")
        if "ncrypt" in err:
            raise Encrypted(err)
        raise ValueError(err or f"catppt exit {proc.returncode}")
    return tidy(proc.stdout.decode("utf-8", "replace"))
