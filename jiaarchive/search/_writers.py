"""Whoosh writers for a rebuild whose temporary files stay small.

Whoosh sorts a segment's postings externally: every posting of every document goes into
a *run* file (one ``marshal.dump`` per posting, uncompressed), and the runs are merged
into the segment only when the writer finishes.  A rebuild therefore held the postings of
the whole archive on disk twice over: on the 20,000-record bench archive about 4.4 GB of
runs for a 360 MB index (at 3,000 records: 646 MB of temporary files for a 64 MB index).

Here the runs are written in blocks of :data:`BLOCK` postings, each block one
``marshal.dumps`` of the list, zlib-compressed at level 1: postings sorted by field and
token compress well (they repeat the field name and share token prefixes), and one C
call per block instead of one per posting costs less time than it saves in writing.
The sub-processes of Whoosh's ``MpWriter`` build their writers from a module global;
:class:`MpPackedWriter` starts sub-processes that swap in :class:`PackedSegmentWriter`
(in the forked child only).
"""

from __future__ import annotations

import marshal
import zlib

from whoosh.multiproc import MpWriter, SubWriterTask
from whoosh.writing import PostingPool, SegmentWriter

BLOCK = 20_000  # postings per compressed block of a run
LEVEL = 1
_LEN = 4


class PackedPostingPool(PostingPool):
    """A posting pool whose run files are zlib-compressed blocks of marshalled postings."""

    def _write_run(self, f, items):
        batch: list = []
        append = batch.append
        try:
            for item in items:
                append(item)
                if len(batch) >= BLOCK:
                    _write_block(f, batch)
                    batch.clear()
            if batch:
                _write_block(f, batch)
        finally:
            f.close()

    def _read_run(self, path):
        f = self._open_run(path)
        try:
            while True:
                head = f.read(_LEN)
                if len(head) < _LEN:
                    return
                n = int.from_bytes(head, "little")
                yield from marshal.loads(zlib.decompress(f.read(n)))
        finally:
            f.close()
            self._remove_run(path)


def _write_block(f, batch: list) -> None:
    data = zlib.compress(marshal.dumps(batch), LEVEL)
    f.write(len(data).to_bytes(_LEN, "little"))
    f.write(data)


def _pack(writer, limitmb: int) -> None:
    """Give a freshly made writer a packed pool (it has added nothing yet)."""
    writer.pool = PackedPostingPool(writer._tempstorage, writer.newsegment, limitmb=limitmb)


class PackedSegmentWriter(SegmentWriter):
    def __init__(self, ix, *args, **kwargs):
        super().__init__(ix, *args, **kwargs)
        _pack(self, kwargs.get("limitmb", 128))


class _PackedSubWriter(SubWriterTask):
    def run(self):
        import whoosh.multiproc as mp

        mp.SegmentWriter = PackedSegmentWriter  # (this forked child only)
        super().run()


class MpPackedWriter(MpWriter):
    """Whoosh's multi-process writer with packed runs in its sub-processes (and itself)."""

    def __init__(self, ix, *args, **kwargs):
        super().__init__(ix, *args, **kwargs)
        _pack(self, kwargs.get("limitmb", 128))

    def _new_task(self):
        task = _PackedSubWriter(self.storage, self.indexname, self.jobqueue, self.resultqueue,
                                self.subargs, self.multisegment)
        self.tasks.append(task)
        task.start()
        return task
