"""题名 of a document as a clerk would write it: from the document, never from a camera name.

In order:

1. the document's own heading (``heading``): the first title-like line of its text after the
   red head (``……工会文件``), the 文号 line, rules and page marks, with a title that wraps
   onto a second line joined (``关于开展2021年“安全生产月”`` + ``活动的通知``) and an issue
   line kept (``工会简报`` + ``2021年第3期`` → ``工会简报（2021年第3期）``);
2. the title in the document's properties, unless a program put it there by default;
3. the file name, when it says something in Chinese: not ``IMG_1234``, ``微信图片_…``,
   ``新建 Microsoft Word 文档``, ``扫描全能王 …`` or a pinyin name such as ``gonghui_jiyao``;
4. for a photo, the folder it sits in (``2021职工运动会`` → ``2021年职工运动会照片``).

Nothing found gives ''.  Every title is made safe for a file name (``derive.clean_title``).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from ..derive import clean_title, is_meaningless_name, is_placeholder_title, title_from_name
from .dates import PAGE_MARK

MAX_TITLE = 60  # a heading longer than this is a sentence, not a title

SOURCES = {"heading": "正文标题", "properties": "文档属性", "filename": "文件名", "folder": "文件夹名",
           "banner": "照片中的文字"}

_CJK = re.compile(r"[\u4e00-\u9fff]")
_RED_HEAD = re.compile(r"^.{2,40}文件$")
_MASTHEAD = re.compile(r"^.{0,30}(简报|通讯|快报|动态|信息|周报|月报)$")
_DOC_NO = re.compile(r"[〔\[［(（【]\s*(19|20)\d{2}\s*[〕\]］)）】]\s*第?\s*\d+\s*号")
_RULE = re.compile(r"^[\s━─—\-_=＝*＊·•~～]+$")
_SKIP_LINE = re.compile(r"^(签发人|签发|密级|紧急程度|特急|加急|平急|机密|秘密|内部|★|抄送|主送|附件\s*\d*\s*[:：]?$|附\s*件$)")
_ISSUE = re.compile(r"^[（(]?\s*((19|20)\d{2}\s*年?\s*)?第\s*[0-9一二三四五六七八九十]+\s*期\s*(（?总第\s*\d+\s*期）?)?[）)]?$")
_ENDS_TITLE = re.compile(
    r"(通知|通报|方案|纪要|总结|报告|请示|批复|决定|决议|意见|办法|规定|制度|细则|规则|章程|名单|名册|一览表|"
    r"汇总表|统计表|登记表|明细表|签到表|评分表|测评表|申请表|审批表|台账|台帐|记录|计划|规划|要点|简报|公告|公示|"
    r"倡议书|讲话|发言|协议|合同|证书|情况|安排|预算|决算|议程|须知|承诺书|责任书|清单|报表|回执|小结|守则|"
    r"标准|选票|提案|汇报|事迹|材料|汇编|协议书|函|表)$"
)
_SALUTATION = re.compile(r"[:：]$")
_KV_LABEL = re.compile(r"^\s*(会议)?(时间|地点|主持人?|参加人员|参会人员|出席|列席|缺席|记录人?|议题|主题|日期|单位|部门|"
                       r"姓名|填表人|审核人|制表人|联系人|电话|申请人|被申请人|甲方|乙方|调解人|检查人|巡查人|走访人|受理日期)\s*$")
# a line naming the issuing body above a 文号 (重庆市教科文卫体工会委员会), not a title
_ORGAN = re.compile(r"(委员会|工会|公司|集团|厂|学校|中学|小学|大学|学院|医院|局|厅|办公室|中心|政府)$")
_SENTENCE_END = re.compile(r"[。；;，,！!？?]$")
_NUMBERED = re.compile(r"^\s*([0-9]{1,3}|[一二三四五六七八九十]{1,3})\s*[.、．\-_]\s*|^\s*[（(]\s*\d{1,3}\s*[）)]\s*")
_YEAR_THEN_CJK = re.compile(r"^((?:19|20)\d{2})(?!年|\d)(?=[\u4e00-\u9fff])")
_CODE_PREFIX = re.compile(r"^[A-Fa-f]\s*[-－—_]?\s*\d{1,2}(\s*[-－—_]\s*\d{1,2})?[\s._、．]*")
# names that say nothing about a document (scanner apps, "new document", copies)
_EMPTY_NAMES = re.compile(
    r"^(新建.*(文档|文件|工作表|演示文稿|文件夹).*|文档\d*|工作簿\d*|未命名.*|无标题.*|扫描全能王.*|camscanner.*|scan.*|"
    r"扫描件?\d*|图片\d*|照片\d*|附件\d*|qq图片.*|screenshot.*|截屏.*|doc\d*|document\d*|新建文件夹.*|资料\d*|文件\d*|"
    r"image\d*|tmp.*|temp.*)$",
    re.I,
)
# folders that tell nothing about what is in them
GENERIC_FOLDERS = re.compile(
    r"^(新建文件夹.*|新文件夹.*|微信文件|wechat files|filerecv|file ?recv|qq文件|下载|downloads?|桌面|desktop|文档|documents?|"
    r"我的文档|资料|工会资料|材料|文件|附件|扫描件?|图片|照片|相片|photos?|pictures?|images?|dcim|camera|100andro|"
    r"100apple|u盘|u盘备份|备份|新建|其他|其它|杂项|整理|待整理|未整理|归档|台账|台帐|建家|建家资料|建家台账|工会|"
    r"(手机|微信|相机|qq)(照片|图片|相册)|相册|桌面文件|打印版扫描|扫描版|拷贝|复制|最终版|定稿|"
    r"\d{4}(年|年度)?|\d{4}[-.]\d{1,2}|[a-z0-9_\- ]+)$",
    re.I,
)


@dataclass(frozen=True)
class Title:
    text: str
    source: str  # a key of SOURCES, or '' when nothing was found

    @property
    def reason(self) -> str:
        return f"题名取自{SOURCES[self.source]}" if self.source else "未找到题名"


def _title_like(line: str) -> bool:
    n = len(line.replace(" ", ""))
    if n < 4 or n > MAX_TITLE or not _CJK.search(line):
        return False
    if _SALUTATION.search(line) or _SENTENCE_END.search(line):
        return False
    colon = re.search(r"[：:]", line)
    if colon and (_KV_LABEL.match(line[: colon.start()]) or colon.start() <= 4):
        return False  # 时间：…, 地点：…, 参加人员：… (a 工会信息：… news title keeps its colon)
    if re.search(r"[。；;！!？?]", line[:-1]):
        return False  # a sentence, or several
    tokens = line.split()
    if len(tokens) >= 3 and max(len(t) for t in tokens) <= 8:
        return False  # a table row: 序号 姓名 部门 …
    return True


def _skippable(line: str) -> bool:
    return bool(
        _RULE.match(line) or PAGE_MARK.match(line) or _SKIP_LINE.match(line)
        or (_DOC_NO.search(line) and len(line) <= 30)
        or (_RED_HEAD.match(line) and "关于" not in line and len(line) <= 30)
        or not _CJK.search(line)
    )


def heading(text: str, *, spreadsheet: bool = False) -> str:
    """The document's title read from its text, or ''."""
    lines = [re.sub(r"\s+", " ", ln).strip() for ln in text[:20_000].splitlines()]
    lines = [ln for ln in lines if ln][:40]
    if spreadsheet and len(lines) >= 2 and len(lines[0]) <= 15 and _title_like(lines[1]) and not _ENDS_TITLE.search(lines[0]):
        lines = lines[1:]  # the sheet's name comes before its title row
    numbered = next((i for i, ln in enumerate(lines[:6]) if _DOC_NO.search(ln) and len(ln) <= 30), -1)
    if numbered >= 0:
        lines = lines[numbered + 1 :]  # the red head and the 文号 come before the title
    for i, line in enumerate(lines[:25]):
        if _MASTHEAD.match(line) and any(_ISSUE.match(x) for x in lines[i + 1 : i + 3]):
            issue = next(x for x in lines[i + 1 : i + 3] if _ISSUE.match(x))
            return f"{line}（{issue.strip('（）() ')}）"
        if _skippable(line):
            continue
        if _ORGAN.search(line) and "关于" not in line and i + 1 < len(lines) and _title_like(lines[i + 1]):
            continue  # the issuing body's name on its own line
        if not _title_like(line):
            if _SALUTATION.search(line) or _SENTENCE_END.search(line) or len(line) > MAX_TITLE:
                return ""  # the body has started: no heading
            continue
        title = line
        for nxt in lines[i + 1 : i + 3]:
            if _ISSUE.match(nxt):  # 工会简报 + 2021年第2期
                title = f"{title}（{nxt.strip('（）() ')}）"
                break
            # a title wrapped onto a second line ends with what it is (…活动的通知); a body line does not
            if _ENDS_TITLE.search(title) or not _title_like(nxt) or not _ENDS_TITLE.search(nxt):
                break
            if len(title) + len(nxt) > MAX_TITLE or _skippable(nxt):
                break
            title += nxt
        return re.sub(r"(?<=[\u4e00-\u9fff])\s+(?=[\u4e00-\u9fff])", "", title)
    return ""


def from_name(stem: str) -> str:
    """A title from a file name that describes its content, or ''."""
    if is_meaningless_name(stem) or not _CJK.search(stem):
        return ""
    t = title_from_name(stem)
    t = _NUMBERED.sub("", _CODE_PREFIX.sub("", t)).strip(" -_.")
    t = re.sub(r"[（(]\s*\d+\s*[）)]$", "", t).strip()  # "通知(1)": a second download
    if not t or _EMPTY_NAMES.match(t) or not _CJK.search(t) or is_placeholder_title(t):
        return ""
    return _YEAR_THEN_CJK.sub(r"\1年", t)


def from_folder(folders: tuple[str, ...], describes: Callable[[str], bool] = lambda _t: True) -> str:
    """A photo's title from the nearest folder that names an event, or ''.

    ``describes`` tells a folder that names an activity (it holds one of the keyword table's
    words) from one named after a person (``何小琳``): short names must pass it.
    """
    for name in reversed(folders):
        t = _NUMBERED.sub("", _CODE_PREFIX.sub("", name)).strip(" -_.")
        if not t or GENERIC_FOLDERS.match(t) or not _CJK.search(t) or _EMPTY_NAMES.match(t):
            continue
        if len(_CJK.findall(t)) < 5 and not describes(t):
            continue
        t = _YEAR_THEN_CJK.sub(r"\1年", t)
        return t if t.endswith(("照片", "图片", "相片", "剪影", "掠影")) else f"{t}照片"
    return ""


_BANNER_JUNK = re.compile(r"[A-Za-z_|\\/<>{}=+*#@$%^&]")


def banner(seen: str) -> str:
    """The line of a photo's recognised text that reads like a banner: the longest line of
    mostly Chinese (6 to 40 characters, little that OCR garbles into Latin letters and signs)."""
    best = ""
    for line in seen.splitlines():
        line = line.strip()
        cjk = len(_CJK.findall(line))
        if 6 <= len(line) <= 40 and cjk >= 5 and cjk / len(line) >= 0.6 and len(_BANNER_JUNK.findall(line)) <= 1:
            if len(line) > len(best):
                best = line
    return best


def propose_title(*, text: str, properties_title: str | None, stem: str, folders: tuple[str, ...],
                  is_photo: bool, spreadsheet: bool = False, describes: Callable[[str], bool] = lambda _t: True,
                  seen: str = "") -> Title:
    """The title a clerk would keep for this file (see the module docstring).  ``seen``: text
    recognised in a photo (a banner names its event better than the folder it sits in)."""
    if text:
        h = heading(text, spreadsheet=spreadsheet)
        if h:
            return Title(clean_title(h), "heading")
    if properties_title and not is_placeholder_title(properties_title) and _CJK.search(properties_title):
        t = properties_title.strip()
        # PDF printers and converters put the file's name there: it is a name, not a title
        as_name = t == stem or t.lower().endswith((".doc", ".docx", ".pdf", ".xls", ".xlsx", ".wps"))
        if len(t) <= 120 and not as_name:
            return Title(clean_title(t), "properties")
    named = from_name(stem)
    if named:
        return Title(clean_title(named), "filename")
    if is_photo:
        shown = banner(seen)
        if shown:
            return Title(clean_title(shown), "banner")
        folder = from_folder(folders, describes)
        if folder:
            return Title(clean_title(folder), "folder")
    return Title("", "")
