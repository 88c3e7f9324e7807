"""Progress of long work (归档、检查照片、导出、批量修改…): one small protocol for every face.

A job in the core reports ``Progress`` events to a callback (a ``Reporter``); a ``Tracker``
makes them: it counts items done out of a total, remembers the item being worked on, and
estimates the time left from the pace so far.  The core never knows who listens: the CLI draws
the events as one line on stderr (``jiaarchive.cli.progress``), the TUI as a bar and a sentence
posted from its worker thread (``jiaarchive.tui.progress``), tests collect them in a list.

    def export(records, progress: Reporter | None = None):
        track = Tracker("正在导出", len(records), progress)
        for r in records:
            track.start(r.archive_no)   # the item being worked on now
            ...
            track.advance()            # one more item done
        track.finish()

Faces show a job only once it has run ``SHOW_AFTER`` seconds, so quick work stays quiet.
A reporter may be called from any thread; it must not block.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

SHOW_AFTER = 1.0  # seconds: shorter jobs are not worth a progress line
ESTIMATE_AFTER = 0.5  # seconds of work before a time-left estimate is trusted


@dataclass(frozen=True)
class Progress:
    """Where a job stands: ``done`` of ``total`` items, working on ``item``."""

    what: str  # the job, in Chinese: "正在归档"
    done: int
    total: int | None  # None while unknown
    item: str = ""  # the item being worked on now (a file name, a 档号)
    elapsed: float = 0.0  # seconds since the job started
    remaining: float | None = None  # estimated seconds left, once there is a pace to go by
    finished: bool = False

    @property
    def fraction(self) -> float | None:
        if not self.total:
            return None
        return min(1.0, self.done / self.total)

    def counter(self) -> str:
        """``3/10``: the item being worked on (or, between items, the items done) of the total."""
        n = self.done + 1 if self.item and not self.finished else self.done
        if self.total is not None:
            return f"{min(n, self.total)}/{self.total}"
        return str(n)

    def describe(self) -> str:
        """One Chinese sentence: ``正在归档 3/10：会议纪要.docx，约剩 12 秒``."""
        if self.finished:
            return f"{self.what}：已完成 {self.counter()}，用时 {duration(self.elapsed)}。"
        text = f"{self.what} {self.counter()}"
        if self.item:
            text += f"：{self.item}"
        if self.remaining is not None:
            text += f"，约剩 {duration(self.remaining)}"
        return text


Reporter = Callable[[Progress], None]


def duration(seconds: float) -> str:
    """Seconds as a person says them: ``12 秒``, ``3 分 5 秒``, ``1 小时 4 分``."""
    s = max(0, int(round(seconds)))
    if s < 60:
        return f"{max(s, 1)} 秒"
    m, s = divmod(s, 60)
    if m < 60:
        return f"{m} 分 {s} 秒" if s and m < 10 else f"{m} 分钟"
    h, m = divmod(m, 60)
    return f"{h} 小时 {m} 分" if m else f"{h} 小时"


class Tracker:
    """Counts a job's items and reports each step to ``report`` (which may be None).

    ``start(item)`` says which item is being worked on, ``advance()`` that one more is done,
    ``finish()`` that the job ended.  The time left is the average time per item so far times
    the items left; it is given once ``ESTIMATE_AFTER`` seconds of work have passed.
    """

    def __init__(self, what: str, total: int | None, report: Reporter | None = None, *,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.what = what
        self.total = total
        self.done = 0
        self.item = ""
        self._report = report
        self._clock = clock
        self._started = clock()

    def _emit(self, *, finished: bool = False) -> None:
        if self._report is None:
            return
        elapsed = self._clock() - self._started
        remaining = None
        if not finished and self.total is not None and 0 < self.done < self.total and elapsed >= ESTIMATE_AFTER:
            remaining = elapsed / self.done * (self.total - self.done)
        self._report(Progress(self.what, self.done, self.total, self.item, elapsed, remaining, finished))

    def start(self, item: str = "") -> None:
        self.item = item
        self._emit()

    def advance(self, n: int = 1) -> None:
        self.done += n
        self.item = ""
        self._emit()

    def finish(self) -> None:
        self.item = ""
        self._emit(finished=True)


def counting(what: str, report: Reporter | None, *,
             clock: Callable[[], float] = time.monotonic) -> Callable[[int, int | None], None]:
    """Adapt a ``(done, total)`` callback (index building) to ``Progress`` events with a time left."""
    tracker = Tracker(what, None, report, clock=clock)

    def step(done: int, total: int | None) -> None:
        tracker.total = total
        tracker.done = done
        if total is not None and done >= total:
            tracker.finish()
        else:
            tracker._emit()

    return step


def throttled(report: Reporter, interval: float = 0.1, *,
              clock: Callable[[], float] = time.monotonic) -> Reporter:
    """``report`` called at most every ``interval`` seconds, but always for a new item or the end."""
    last = {"at": -interval, "item": None}

    def step(p: Progress) -> None:
        now = clock()
        if p.finished or p.item != last["item"] or now - last["at"] >= interval:
            last["at"], last["item"] = now, p.item
            report(p)

    return step


__all__ = ["Progress", "Reporter", "Tracker", "counting", "duration", "throttled", "SHOW_AFTER"]
