"""The inbox on a realistic labelled pile (bench/inbox_pile.py): a regression guard, not the measurement.

A third of the tuning pile's documents (docx, pdf, scans, xlsx, txt in UTF-8 and GB18030,
photos with and without EXIF, a GBK zip, messy folders): every file is listed and most
proposals are right.  The measured figures on unseen piles are printed by bench/inbox_bench.py.
"""

from __future__ import annotations

import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[1] / "bench"


def test_a_labelled_pile_is_listed_whole_and_mostly_right(tmp_path: Path) -> None:
    sys.path.insert(0, str(BENCH))
    try:
        import inbox_pile
        import pile_tune
    finally:
        sys.path.remove(str(BENCH))
    from jiaarchive.archive import init_archive
    from jiaarchive.inbox import Staging, propose_pile

    docs = pile_tune.docs(2021)[::3]
    labels = inbox_pile.write_pile(tmp_path / "堆", docs, pile_tune.LAYOUT, seed=5)
    with init_archive(tmp_path / "档案", unit=pile_tune.UNIT, unit_type="公有制企业") as arch, Staging() as staging:
        pile = propose_pile(arch, tmp_path / "堆", staging)
    by = {f.rel: f for f in pile.files}
    assert set(by) == {lab.rel for lab in labels}
    top3 = sum(lab.code in [p.code for p in by[lab.rel].proposals] for lab in labels)
    titled = [lab for lab in labels if not lab.fmt.startswith(("jpg", "scan"))]
    titles = sum(by[lab.rel].title.replace(" ", "") == lab.title.replace(" ", "") for lab in titled)
    assert top3 >= 0.85 * len(labels), [(lab.rel, lab.code, by[lab.rel].code) for lab in labels]
    assert titles >= 0.85 * len(titled)
    assert pile.skipped["system"] == 2  # Thumbs.db and desktop.ini
