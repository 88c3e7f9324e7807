"""Decoding plain text, Markdown, CSV and HTML (文本与网页).

Order for undeclared text: BOM (UTF-8/UTF-16/UTF-32), then strict UTF-8, GB18030 and Big5
(cp950, then Big5-HKSCS), then charset-normalizer, then UTF-8 with GBK patches.  A strict
GB18030 decode is accepted only when the result is plausible Chinese: Big5 bytes nearly
always decode as GB18030 without error but give kana, bopomofo, Cyrillic and private-use
characters, which ``plausibility()`` measures.
"""

from __future__ import annotations

import codecs
import html
import re
from html.parser import HTMLParser

# A decoded text is "plausible" when at least this share of its non-ASCII characters are
# CJK ideographs, CJK punctuation or common symbols.
PLAUSIBLE = 0.85


def _is_expected(ch: str) -> bool:
    o = ord(ch)
    return (
        0x4E00 <= o <= 0x9FFF  # CJK unified ideographs
        or 0x3000 <= o <= 0x303F  # CJK symbols and punctuation
        or 0xFF00 <= o <= 0xFFEF  # full-width forms
        or 0x2010 <= o <= 0x206F  # general punctuation (“ ” — …)
        or 0x00A0 <= o <= 0x00FF  # Latin-1 (° × ·)
        or 0x2460 <= o <= 0x24FF  # ① ②
        or 0x2150 <= o <= 0x218F  # Roman numerals
        or 0xFE30 <= o <= 0xFE4F  # CJK compatibility forms (vertical punctuation)
        or 0x2100 <= o <= 0x214F  # ℃ №
    )


def plausibility(text: str) -> float:
    """Share of non-ASCII characters that are expected in Chinese text (1.0 for pure ASCII)."""
    total = good = 0
    for ch in text:
        if ch < "\x80":
            continue
        total += 1
        if _is_expected(ch):
            good += 1
    return 1.0 if total == 0 else good / total


def _gbk_patch(exc: UnicodeDecodeError) -> tuple[str, int]:
    """Error handler for UTF-8 text with GBK islands (a Word page saved with a wrong charset)."""
    data = exc.object
    start = exc.start
    pair = data[start : start + 2]
    if len(pair) == 2 and 0x81 <= pair[0] <= 0xFE:
        try:
            return pair.decode("gb18030"), start + 2
        except UnicodeDecodeError:
            pass
    return "\ufffd", start + 1


codecs.register_error("jiaarchive_gbk_patch", _gbk_patch)


def decode_text(data: bytes) -> tuple[str, str]:
    """Decode bytes of a text file; return (text, encoding name)."""
    for bom, enc in (
        (codecs.BOM_UTF32_LE, "utf-32"),
        (codecs.BOM_UTF32_BE, "utf-32"),
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            if enc == "utf-32" and data.startswith(codecs.BOM_UTF16_LE) and len(data) % 4:
                continue  # FF FE 00 00 can begin a UTF-16LE file whose first character is NUL
            try:
                return data.decode(enc), "utf-16le" if enc == "utf-16" and bom == codecs.BOM_UTF16_LE else (
                    "utf-16be" if enc == "utf-16" else enc
                )
            except UnicodeDecodeError:
                return data.decode(enc, "replace"), enc
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    candidates: list[tuple[float, str, str]] = []
    for enc in ("gb18030", "cp950", "big5hkscs"):
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        score = plausibility(text)
        if score >= PLAUSIBLE:
            return text, enc
        candidates.append((score, enc, text))
    guessed = _charset_normalizer_guess(data)
    if guessed is not None:
        return guessed
    if candidates:
        score, enc, text = max(candidates, key=lambda c: c[0])
        if score >= 0.5:
            return text, enc
    return data.decode("utf-8", "jiaarchive_gbk_patch"), "utf-8"


def _charset_normalizer_guess(data: bytes) -> tuple[str, str] | None:
    try:
        from charset_normalizer import from_bytes
    except ImportError:  # pragma: no cover - it is a declared dependency
        return None
    try:
        best = from_bytes(data[:200_000]).best()
    except Exception:
        return None
    if best is None or best.encoding is None:
        return None
    try:
        text = data.decode(best.encoding)
    except (UnicodeDecodeError, LookupError):
        return None
    if plausibility(text) < 0.5 and any(ord(c) > 0x2FF for c in text[:5000]):
        return None
    return text, best.encoding


# ------------------------------------------------------------------------- HTML

_CHARSET_RE = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_:.\-]+)""", re.IGNORECASE)
_CHARSET_ALIASES = {
    "x-cp20936": "gb18030",
    "cp20936": "gb18030",
    "gb2312": "gb18030",
    "gb_2312-80": "gb18030",
    "gbk": "gb18030",
    "x-gbk": "gb18030",
    "cp936": "gb18030",
    "x-euc-cn": "gb18030",
    "euc-cn": "gb18030",
    "hz-gb-2312": "hz",
    "big5": "cp950",
    "x-x-big5": "cp950",
    "unicode": "utf-16",
    "utf-16": "utf-16",
}


def declared_charset(data: bytes) -> str | None:
    """The charset an HTML page declares in a <meta> tag (normalised to a Python codec)."""
    m = _CHARSET_RE.search(data[:8192])
    if not m:
        return None
    label = m.group(1).decode("ascii", "ignore").lower()
    label = _CHARSET_ALIASES.get(label, label)
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def decode_html(data: bytes) -> tuple[str, str]:
    """Decode an HTML page by its BOM, then its declared charset, then like plain text."""
    if data.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return decode_text(data)
    declared = declared_charset(data)
    if declared:
        try:
            return data.decode(declared), declared
        except UnicodeDecodeError:
            if declared == "utf-8":
                # Word pages sometimes declare UTF-8 but keep GBK bytes in places.
                bad = data.decode("utf-8", "replace").count("\ufffd")
                if bad < max(8, len(data) // 200):
                    return data.decode("utf-8", "jiaarchive_gbk_patch"), "utf-8"
    return decode_text(data)


_BLOCK_TAGS = frozenset(
    "p div br tr li h1 h2 h3 h4 h5 h6 table ul ol dl dt dd section article header footer "
    "blockquote pre hr title td th option".split()
)
_SKIP_TAGS = frozenset({"script", "style", "head", "noscript", "template", "xml", "svg"})


class _TextParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0
        self.title: list[str] = []
        self.in_title = False

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag == "title":
            self.in_title = True
        elif tag in _SKIP_TAGS:
            self.skip += 1
        if tag in _BLOCK_TAGS:
            self.parts.append("\n")
        elif tag in ("td", "th"):
            self.parts.append("\t")

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self.in_title = False
            self.parts.append("\n")
        elif tag in _SKIP_TAGS and self.skip:
            self.skip -= 1
        if tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if self.in_title:
            self.title.append(data)
            self.parts.append(data)
        elif not self.skip:
            self.parts.append(data)


_CONDITIONAL_RE = re.compile(r"<!--\[if.*?<!\[endif\]-->", re.DOTALL | re.IGNORECASE)


def html_to_text(markup: str) -> str:
    """Visible text of an HTML page: tags, scripts, styles and Office XML islands removed."""
    markup = _CONDITIONAL_RE.sub(" ", markup)
    parser = _TextParser()
    try:
        parser.feed(markup)
        parser.close()
    except Exception:
        # HTMLParser rarely fails; fall back to a crude tag strip.
        return tidy(html.unescape(re.sub(r"<[^>]*>", " ", markup)))
    return tidy("".join(parser.parts))


_SPACES_RE = re.compile(r"[ \t\u00a0\u3000]+")
_BLANK_LINES_RE = re.compile(r"\n{3,}")


def tidy(text: str) -> str:
    """Normalise whitespace: trim lines, collapse runs of spaces and of blank lines."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
    lines = [_SPACES_RE.sub(" ", line).strip() for line in text.split("\n")]
    return _BLANK_LINES_RE.sub("\n\n", "\n".join(lines)).strip()


_CJK = r"[\u2e80-\u2fff\u3001-\u303f\u3040-\u30ff\u3100-\u312f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]"
_SPACED_RUN_RE = re.compile(rf"{_CJK}(?:[ \u2002\u3000]{_CJK}){{2,}}")
_ONE_SPACE_RE = re.compile(rf"(?<={_CJK})[ \u2002\u3000](?={_CJK})")


def repair_cjk_spacing(text: str) -> str:
    """Join CJK characters that an extractor spaced one by one (``中 华 人 民`` → ``中华人民``).

    Only runs of three or more single characters separated by single spaces are joined, so
    a real space between two words (``坚持社会主义 增强文化自信``) stays.
    """
    return _SPACED_RUN_RE.sub(lambda m: _ONE_SPACE_RE.sub("", m.group(0)), text)


def recover_gbk_mojibake(text: str) -> str | None:
    """Recover Chinese from GBK byte codes rendered as single-byte characters.

    PDF fonts without a ToUnicode map make extractors print each GBK byte as a Latin-1 or
    WinAnsi character (``'Ä¿¡¡Â¼'`` is 目　录).  Returns the repaired text, or None when
    the text does not look like that or does not decode to plausible Chinese.
    """
    high = sum(1 for c in text if "\u00a1" <= c <= "\u00fe")
    letters = sum(1 for c in text if not c.isspace())
    if letters == 0 or high / letters < 0.4:
        return None
    out: list[str] = []
    i, n = 0, len(text)
    while i < n:
        lead = _byte_of(text[i])
        if lead is None:
            return None
        if lead < 0x81 or lead == 0xFF:
            out.append(text[i])
            i += 1
            continue
        if i + 1 >= n:
            return None
        trail = 0xAD if text[i + 1] == "-" else _byte_of(text[i + 1])  # WinAnsi shows 0xAD as '-'
        if trail is None:
            return None
        try:
            out.append(bytes((lead, trail)).decode("gb18030"))
        except UnicodeDecodeError:
            return None
        i += 2
    repaired = "".join(out)
    return repaired if plausibility(repaired) >= PLAUSIBLE else None


def _byte_of(ch: str) -> int | None:
    o = ord(ch)
    if o < 0x100:
        return o
    try:
        return ch.encode("cp1252")[0]
    except UnicodeEncodeError:
        return None


# ------------------------------------------------------------------------- Markdown

MARKDOWN_SUFFIXES = (".md", ".markdown")


def _markdown_parser():
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark").enable("table").enable("strikethrough")


def markdown_to_text(source: str) -> str:
    """What a reader of a Markdown file sees: no ``#``, ``**``, ``|``, link targets or
    ``<!-- -->`` comments; headings, paragraphs, list items and table cells on lines."""
    parts: list[str] = []
    for tok in _markdown_parser().parse(source):
        if tok.type == "inline":
            parts.append(_inline_text(tok.children or []))
        elif tok.type in ("fence", "code_block"):
            parts.append(tok.content)
        elif tok.type in ("td_close", "th_close"):
            parts.append("\t")
        elif tok.type.endswith("_close") and tok.block:
            parts.append("\n")
        elif tok.type == "hr":
            parts.append("\n")
        # html_block (comments, raw tags) and front matter say nothing a reader sees
    return tidy("".join(parts))


def _inline_text(children) -> str:
    out = []
    for c in children:
        if c.type in ("text", "code_inline"):
            out.append(c.content)
        elif c.type in ("softbreak", "hardbreak"):
            out.append("\n")
        elif c.type == "image":
            out.append(_inline_text(c.children or []))
        # html_inline, link and emphasis markers: only their text children count
    return "".join(out)


def markdown_title(source: str) -> str | None:
    """The text of the first heading of a Markdown document, if any."""
    tokens = _markdown_parser().parse(source[:200_000])
    for i, tok in enumerate(tokens):
        if tok.type == "heading_open" and i + 1 < len(tokens):
            title = " ".join(_inline_text(tokens[i + 1].children or []).split())
            if title:
                return title
    return None


class _HeadingParser(HTMLParser):
    """The first heading (h1–h6) and the <title> of an HTML page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.heading: list[str] | None = None
        self.title: list[str] | None = None
        self._in: str | None = None
        self.done = False

    def handle_starttag(self, tag: str, attrs) -> None:
        if self.done:
            return
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6") and self.heading is None:
            self._in, self.heading = "heading", []
        elif tag == "title" and self.title is None:
            self._in, self.title = "title", []

    def handle_endtag(self, tag: str) -> None:
        if self._in == "heading" and tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            self._in = None
            self.done = bool("".join(self.heading or []).strip())
            if not self.done:
                self.heading = None
        elif self._in == "title" and tag == "title":
            self._in = None

    def handle_data(self, data: str) -> None:
        if self._in == "heading" and self.heading is not None:
            self.heading.append(data)
        elif self._in == "title" and self.title is not None:
            self.title.append(data)


def html_title(markup: str) -> str | None:
    """The first heading of an HTML page, else its <title>."""
    parser = _HeadingParser()
    try:
        parser.feed(_CONDITIONAL_RE.sub(" ", markup[:500_000]))
    except Exception:  # noqa: BLE001 - a title is a nicety: no title rather than an error
        return None
    for parts in (parser.heading, parser.title):
        title = " ".join("".join(parts or []).split())
        if title:
            return title
    return None
