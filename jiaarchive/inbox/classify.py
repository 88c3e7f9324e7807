"""Which catalogue entry a file belongs to (建议目录), with a confidence and the reasons.

Evidence, in order of trust (each source's weight below):

* the folders the file sits in: a catalogue code (``B-1``, ``B-1 职代会制度…``) or the
  table's words (``2021职代会``, ``安全生产月``), the nearest folder counting most;
* its title (the document's heading or properties) and its file name, when it says
  something: the table's words;
* its text: the table's words, as a distribution over the entries whose total grows
  only slowly with the length of the document (a long report names everything);
* records already filed (``similar``: hits of the search index for the document's words);
* what the standards say each entry is about (``profile``: the document compared with every
  entry's title, note and linked scoresheet items, see ``profiles``), a second opinion that
  ranks every entry and so gives the second and third proposals a meaning;
* the other files of its folder (``neighbours``), for files with little evidence of their own
  (photos called ``IMG_1234.jpg``).

Scores add up per entry; the confidence of an entry is its share of a softmax over the
scores, damped when the evidence is thin, so a proposal resting on one weak word never looks
certain.  Every proposal carries its reasons in Chinese (``文件夹名“职代会” → B-1``).
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from .keywords import KeywordTable, Word, normalize
from .profiles import Similarity
from .titles import GENERIC_FOLDERS

# How much each source counts (a word's weight is multiplied by these).
FOLDER_WEIGHTS = (2.5, 1.8, 1.2)  # nearest folder, its parent, anything further out
CODE_IN_NAME = 12.0  # a folder or file name that starts with a catalogue code
TITLE_WEIGHT = 3.0
NAME_WEIGHT = 2.0
PIECE_WEIGHT = 0.5  # a piece of a word (竞赛 of 劳动竞赛), in names and titles only
BODY_MAX = 9.0  # the most the text can add, spread over the entries it speaks for
BODY_GROWTH = 2.2
SIMILAR_MAX = 5.0
PROFILE_MAX = 4.0  # the entry whose standards text is nearest; the others in proportion
PROFILE_TOP = 5  # entries the profile comparison may speak for
PROFILE_FULL = 0.25  # a cosine at which the comparison counts fully (below: in proportion)
PROFILE_DAMP = 8.0  # the more the file's own words say, the less the second opinion counts
NEIGHBOUR_MAX = 4.0
PRIOR_MAX = 1.5
PRIOR_FIRST = 0.15  # the pile's most common entry for such files must be this common to be proposed at all
PRIOR_OTHERS = 0.06
SAME_DAY_MAX = 4.0
# Turning scores into confidences (tuned on the first labelled pile, see bench/inbox_bench.py).
SOFTMAX_BETA = 0.45
STRENGTH_SCALE = 7.0
TOP = 3

_CODE = re.compile(r"^\s*([A-Fa-f])\s*[-－—_]\s*(\d{1,2})(?:\s*[-－—_]\s*(\d{1,2}))?(?![0-9])")
_CODE_NODASH = re.compile(r"^\s*([A-Fa-f])(\d{1,2})(?=[\s._、．]|$)")


@dataclass(frozen=True)
class CodeProposal:
    """One proposed entry: ``code``, ``confidence`` in 0 … 1, and why."""

    code: str
    confidence: float
    reasons: tuple[str, ...]

    def to_json(self) -> dict:
        return {"code": self.code, "confidence": round(self.confidence, 3), "reasons": list(self.reasons)}


@dataclass(frozen=True)
class SimilarRecord:
    """A filed record the search index found for the document's words."""

    code: str
    archive_no: str
    title: str
    score: float


@dataclass(frozen=True)
class Evidence:
    folders: tuple[str, ...] = ()
    name: str = ""  # the file name's stem, when it describes the file (else '')
    title: str = ""
    title_label: str = "题名"  # where the title came from, for the reasons
    text: str = ""
    text_label: str = "正文"  # where the text came from, for the reasons (照片中的文字)
    similar: tuple[SimilarRecord, ...] = ()
    profile: Similarity | None = None


@dataclass
class Scores:
    """Per entry: the score and its reasons (most important first)."""

    points: dict[str, float] = field(default_factory=lambda: defaultdict(float))
    reasons: dict[str, list[tuple[float, str]]] = field(default_factory=lambda: defaultdict(list))

    def add(self, code: str, points: float, reason: str) -> None:
        if points <= 0:
            return
        self.points[code] += points
        self.reasons[code].append((points, reason))

    @property
    def top_points(self) -> float:
        return max(self.points.values(), default=0.0)

    def distribution(self) -> dict[str, float]:
        """Each entry's share of the total score (for the neighbours of this file)."""
        total = sum(self.points.values())
        return {c: p / total for c, p in self.points.items()} if total else {}


def code_in_name(name: str, codes: Sequence[str]) -> str:
    """The catalogue code a folder or file name starts with (``B-1``, ``b－1``, ``E2 …``), or ''."""
    m = _CODE.match(name) or _CODE_NODASH.match(name)
    if not m:
        return ""
    code = f"{m.group(1).upper()}-{int(m.group(2))}"
    if len(m.groups()) > 2 and m.group(3):
        sub = f"{code}-{int(m.group(3))}"
        if sub in codes:
            return sub
    return code if code in codes else ""


def _words_once(table: KeywordTable, text: str, *, names: bool) -> list[Word]:
    """Distinct table words in ``text`` (names-only words only when ``names``)."""
    seen: dict[str, Word] = {}
    for w in table.find(text):
        if names or not w.names_only:
            seen.setdefault(w.text, w)
    return list(seen.values())


def _add_words(scores: Scores, words: Iterable[Word], factor: float, where: str) -> None:
    by_code: dict[str, list[tuple[float, str]]] = defaultdict(list)
    for w in words:
        for code, weight in w.weights:
            by_code[code].append((weight, w.text))
    for code, hits in by_code.items():
        hits.sort(reverse=True)
        shown = "、".join(f"“{t}”" for _, t in hits[:3])
        scores.add(code, factor * sum(wt for wt, _ in hits), f"{where}中的{shown} → {code}")


def score(ev: Evidence, table: KeywordTable) -> Scores:
    """The scores of every entry for one file (neighbours not yet counted)."""
    s = Scores()
    codes = table.codes
    # folders, nearest first
    for depth, folder in enumerate(reversed(ev.folders)):
        factor = FOLDER_WEIGHTS[min(depth, len(FOLDER_WEIGHTS) - 1)]
        code = code_in_name(folder, codes)
        if code:
            s.add(code, CODE_IN_NAME * factor / FOLDER_WEIGHTS[0], f"文件夹名“{folder}”是目录编号 → {code}")
            continue
        words = _words_once(table, folder, names=True)
        if len(words) == 1 and normalize(words[0].text) == normalize(folder.strip()):
            for c, wt in words[0].weights:
                s.add(c, factor * wt, f"文件夹名“{folder}” → {c}")
        else:
            _add_words(s, words, factor, f"文件夹名“{folder}”")
            if not GENERIC_FOLDERS.match(folder.strip()):
                _add_pieces(s, table, folder, factor, f"文件夹名“{folder}”")
    # the file's own name and title
    if ev.name:
        code = code_in_name(ev.name, codes)
        if code:
            s.add(code, CODE_IN_NAME, f"文件名“{ev.name}”以目录编号开头 → {code}")
    title_key = normalize(re.sub(r"\s+", "", ev.title))
    if ev.name and normalize(re.sub(r"\s+", "", ev.name)) != title_key:
        _add_words(s, _words_once(table, ev.name, names=True), NAME_WEIGHT, f"文件名“{ev.name}”")
        _add_pieces(s, table, ev.name, NAME_WEIGHT, f"文件名“{ev.name}”")
    if ev.title:
        where = f"{ev.title_label}“{_short(ev.title)}”"
        _add_words(s, _words_once(table, ev.title, names=True), TITLE_WEIGHT, where)
        _add_pieces(s, table, ev.title, TITLE_WEIGHT, where)
    # the text
    if ev.text:
        _add_body(s, table, ev.text, ev.title, ev.text_label)
    # records already filed
    if ev.similar:
        _add_similar(s, ev.similar)
    if ev.profile is not None:
        _add_profile(s, ev.profile)
    return s


def _add_profile(s: Scores, sim: Similarity) -> None:
    ranked = sim.ranked()[:PROFILE_TOP]
    if not ranked or ranked[0][1] <= 0:
        return
    best = ranked[0][1]
    strength = min(1.0, best / PROFILE_FULL) / (1 + s.top_points / PROFILE_DAMP)
    for code, v in ranked:
        shown = "、".join(f"“{w}”" for w in sim.words.get(code, ()))
        s.add(code, PROFILE_MAX * strength * (v / best) ** 2, f"与目录条目和评分项的说明相近（{shown}） → {code}")


def _add_pieces(s: Scores, table: KeywordTable, text: str, factor: float, where: str) -> None:
    """Pieces of the table's words in the parts of ``text`` no whole word covers."""
    by_code: dict[str, list[tuple[float, str]]] = defaultdict(list)
    for pair, weights in table.find_pieces(text):
        for code, weight in weights:
            by_code[code].append((weight, pair))
    for code, hits in by_code.items():
        hits.sort(reverse=True)
        shown = "、".join(f"“{t}”" for _, t in hits[:3])
        s.add(code, factor * PIECE_WEIGHT * sum(wt for wt, _ in hits), f"{where}中的{shown}（近似关键词） → {code}")


def _short(text: str, n: int = 24) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def _add_body(s: Scores, table: KeywordTable, text: str, title: str, label: str = "正文") -> None:
    body = text[:30_000]
    if title:
        body = body.replace(title, "", 1)
    counts = Counter(w.text for w in table.find(body) if not w.names_only)
    if not counts:
        return
    raw: dict[str, float] = defaultdict(float)
    top: dict[str, list[tuple[float, str]]] = defaultdict(list)
    for text_, n in counts.items():
        w = table.words[normalize(text_)]
        for code, weight in w.weights:
            v = weight * (1 + math.log(n))
            raw[code] += v
            top[code].append((v, f"“{text_}”{n}次" if n > 1 else f"“{text_}”"))
    total = sum(raw.values())
    budget = min(BODY_MAX, BODY_GROWTH * math.log1p(total))
    for code, v in raw.items():
        shown = "、".join(t for _, t in sorted(top[code], reverse=True)[:3])
        s.add(code, budget * v / total, f"{label}中{shown} → {code}")


def _add_similar(s: Scores, similar: Sequence[SimilarRecord]) -> None:
    best = max(h.score for h in similar) or 1.0
    per: dict[str, float] = defaultdict(float)
    examples: dict[str, list[SimilarRecord]] = defaultdict(list)
    for h in similar:
        per[h.code] += h.score / best
        examples[h.code].append(h)
    total = sum(per.values())
    strength = min(1.0, len(similar) / 5)
    for code, v in per.items():
        first = examples[code][0]
        more = f"等 {len(examples[code])} 件" if len(examples[code]) > 1 else ""
        s.add(code, SIMILAR_MAX * strength * v / total,
              f"与已归档的 {first.archive_no}《{_short(first.title, 20)}》{more}相似 → {code}")


def add_neighbours(s: Scores, shares: Mapping[str, float], count: int, folder: str, *, generic: bool = False) -> None:
    """Count what the other ``count`` files of ``folder`` were proposed as (their average shares).

    A catch-all folder (``新建文件夹``, ``微信文件``) holds anything: its files say less about
    each other, and only an entry most of them share counts.
    """
    if not shares or count < 1:
        return
    # thin evidence of one's own: neighbours matter; a well-evidenced file keeps its own reading
    weight = NEIGHBOUR_MAX * min(1.0, count / 3) * (1.0 if s.top_points < 6 else 0.4) * (0.5 if generic else 1.0)
    where = f"文件夹“{folder}”中" if folder else "同一位置"
    for code, share in sorted(shares.items(), key=lambda kv: -kv[1])[:3]:
        if share >= (0.5 if generic else 0.3):
            s.add(code, weight * share, f"{where}其他 {count} 个文件多归入 {code}")


def add_same_day(s: Scores, shares: Mapping[str, float], count: int, day: str) -> None:
    """A photo with little evidence of its own, taken on a day that ``count`` documents of the
    pile were made on or name (the notice of an event, its minutes, its news item): what they
    were proposed as."""
    if not shares or count < 1:
        return
    weight = SAME_DAY_MAX * min(1.0, (count + 1) / 3)
    for code, share in sorted(shares.items(), key=lambda kv: -kv[1])[:3]:
        if share >= 0.25:
            s.add(code, weight * share, f"拍摄日期 {day} 与本批 {count} 个文件所载日期相同，它们多归入 {code}")


def add_pile_prior(s: Scores, shares: Mapping[str, float], count: int, what: str) -> None:
    """For a file with no evidence at all: what most other ``what`` (照片) of the pile were
    proposed as, weakly (the confidence stays low and says so)."""
    ranked = sorted(shares.items(), key=lambda kv: (-kv[1], kv[0]))[:3]
    if not ranked or ranked[0][1] < PRIOR_FIRST:
        return
    for code, share in ranked:  # the runners-up too: the clerk picks among the pile's usual entries
        if share >= PRIOR_OTHERS:
            s.add(code, PRIOR_MAX * share, f"没有其他线索；本批其他{what}（{count} 个）多归入 {code}")


def rank(s: Scores, k: int = TOP) -> list[CodeProposal]:
    """The ``k`` best entries with confidences (none when there is no evidence at all)."""
    if not s.points:
        return []
    top = s.top_points
    m = max(s.points.values())
    exps = {c: math.exp(SOFTMAX_BETA * (p - m)) for c, p in s.points.items()}
    z = sum(exps.values())
    strength = 1 - math.exp(-top / STRENGTH_SCALE)
    ordered = sorted(s.points, key=lambda c: (-s.points[c], c))[:k]
    out = []
    for c in ordered:
        reasons = tuple(r for _, r in sorted(s.reasons[c], key=lambda x: -x[0])[:4])
        out.append(CodeProposal(c, round(exps[c] / z * strength, 3), reasons))
    return out
