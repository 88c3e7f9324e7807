"""Numbers against thresholds, in one place: exact rates, the deciding threshold, score totals.

Rates are exact fractions (members / employees) compared by ``Threshold.met_by``; a number is
shown with as many decimals as it takes not to land on the other side of its threshold (449.8/500
reads 89.96 %, never "90.0 % … 否决"), and the fraction itself is always shown beside it.
Which threshold decides when several documents set one (入会率: the sheet's 98 % and the city
standard's 80 %) is chosen here too, from the archive's setting.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal
from fractions import Fraction

from ..standards import Standards, Threshold
from .model import NOT_REACHED, REACHED, UNDECIDED, RateView, ThresholdView, TotalLine

MAX_DIGITS = 6


def ratio(numerator: int | None, denominator: int | None) -> Fraction | None:
    """numerator / denominator in percent, exactly; None while either is unknown or the base is 0."""
    if numerator is None or not denominator:
        return None
    return Fraction(100 * numerator, denominator)


def _shown(value: Fraction, digits: int, rounding: str = ROUND_HALF_UP) -> str:
    exact = Decimal(value.numerator) / Decimal(value.denominator)
    return str(exact.quantize(Decimal(1).scaleb(-digits), rounding=rounding))


def number_text(value: float | Fraction, thresholds: Iterable[Threshold] = (), digits: int = 1) -> str:
    """``value`` with ``digits`` decimals, or more when fewer would cross one of ``thresholds``.

    Trailing zeros are dropped ("95" not "95.0") unless they are needed to show the value is not
    the threshold itself.
    """
    exact = value if isinstance(value, Fraction) else Fraction(str(value))
    ths = tuple(thresholds)
    for d in range(digits, MAX_DIGITS + 1):
        shown = Fraction(_shown(exact, d))
        if all(t.met_by(shown) == t.met_by(exact) for t in ths):
            text = _shown(exact, d)
            if "." in text and shown == exact:
                text = text.rstrip("0").rstrip(".")
            return text
    # still on the other side after MAX_DIGITS decimals: cut the digits off, never round up
    return _shown(exact, MAX_DIGITS, ROUND_DOWN)


def percent_text(value: Fraction, thresholds: Iterable[Threshold] = ()) -> str:
    return number_text(value, thresholds) + "%"


def thresholds_for(std: Standards, kind: str, grade: str, unit_type: str, level: str, *,
                   sheet_doc_no: str | None, decided_by: str) -> tuple[tuple[Threshold, ...], Threshold | None]:
    """The thresholds of ``kind`` for this scope (deciding one first) and the one that decides.

    When several documents set one, ``decided_by`` ("sheet" or "standard", the archive's
    setting) says whether the scoresheet's document or the other one decides.
    """
    found = std.find_thresholds(kind, grade, unit_type, level)
    sheet = tuple(t for t in found if sheet_doc_no is not None and t.doc_no == sheet_doc_no)
    other = tuple(t for t in found if t not in sheet)
    preferred = (sheet if decided_by == "sheet" else other) or sheet or other
    deciding = preferred[0] if preferred else None
    ordered = ((deciding,) if deciding else ()) + tuple(t for t in sheet + other if t is not deciding)
    return ordered, deciding


def rate_view(name: str, numerator: int, denominator: int, thresholds: tuple[Threshold, ...],
              deciding: Threshold | None) -> RateView:
    """A rate and how it stands against each threshold (``deciding`` gives ``met``)."""
    value = ratio(numerator, denominator)
    assert value is not None
    shown = percent_text(value, thresholds)
    views = tuple(
        ThresholdView(f"{t.name} {t.value:g}{t.unit}", t.value, t.source, t.met_by(value), t is deciding)
        for t in thresholds
    )
    met = deciding.met_by(value) if deciding else None
    return RateView(name, numerator, denominator, float(value), shown, f"{numerator}/{denominator} = {shown}", views, met)


# ---------------------------------------------------------------- score totals


def total_line(role: str, label: str, value: float | None, *, entered: int, items: int, out_of: int,
               printed_total: int, threshold: Threshold | None, inconsistency: str, note: str = "") -> TotalLine:
    """One total against its threshold, as printed and (when the sheet's points do not add up to
    its printed total, or items were set aside) normalised to the printed total.

    When the two readings disagree the verdict is 未定: the official sheet is inconsistent and the
    software does not choose for the inspector.
    """
    ths = (threshold,) if threshold else ()
    entered_text = f"（已录 {entered}/{items} 项）" if role != "suggested" else ""
    normalised: Fraction | None = None
    if value is not None and out_of and out_of != printed_total:
        normalised = Fraction(str(value)) * printed_total / out_of
    verdict = None
    if value is None:
        head = f"{label} —{entered_text}"
    else:
        head = f"{label} {value:g} / {out_of}{entered_text}"
        if normalised is not None:
            head += f"（折合{printed_total}分制 {number_text(normalised, ths)} 分）"
    if value is not None and threshold is not None:
        raw_met = threshold.met_by(value)
        norm_met = threshold.met_by(normalised) if normalised is not None else raw_met
        verdict = REACHED if raw_met and norm_met else NOT_REACHED if not raw_met and not norm_met else UNDECIDED
        if verdict == UNDECIDED:
            head += (f"：按 {out_of} 分计{'达到' if raw_met else '未达到'}、折合{printed_total}分制"
                     f"{'达到' if norm_met else '未达到'} {threshold.value:g} 分，未定，请向上级工会确认以哪个为准")
        else:
            head += f"：{verdict} {threshold.value:g} 分门槛"
    parts = [head]
    if value is not None:  # said where there is a number to read against it
        parts += [x for x in (note, inconsistency) if x]
    return TotalLine(role, label, value, entered, items, out_of, float(normalised) if normalised is not None else None,
                     threshold.value if threshold else None, threshold.source if threshold else "", verdict,
                     "；".join(parts))
