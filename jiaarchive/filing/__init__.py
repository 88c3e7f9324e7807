"""Filing (归档): the one way records and files are written, and the one intake run every face uses.

* ``records``: the writer — ``file_document``, ``attach_files``, ``edit_record``,
  ``trash_record``, ``restore_record``, ``rewrite_file`` (a photo's label) — and the reading
  side (``get_record``, ``list_records`` …).  Nothing else writes ``File`` rows or moves
  archive files.
* ``intake``: the interface-agnostic workflow (as beets' importer): paths in (files, folders
  walked recursively, zips), each checked (a regular, readable, non-empty file; photo checks;
  duplicates by SHA-256), the questions that need a person asked through a small protocol
  (``intake.Questions``), filed, one ``Outcome`` per file out.  ``jiaarchive add``/``attach``,
  the TUI's form, the inbox and the sample-archive build all run it.

``intake`` sits above ``photos.records`` (it runs the photo checks), which sits above
``records``; so this package's own namespace only re-exports ``records`` — import the
workflow as ``from jiaarchive.filing import intake``.
"""

from __future__ import annotations

from .records import (
    EDITABLE,
    FIELD_LABELS,
    MAX_TITLE,
    SECRECY_LEVELS,
    Draft,
    FileView,
    RecordView,
    Rewrite,
    _check_items,  # noqa: F401 - bulk checks a change's items and tags before it starts
    _check_tags,  # noqa: F401
    active_file,
    attach_files,
    check_date,
    check_title,
    count_records,
    counts,
    edit_record,
    file_document,
    get_record,
    list_records,
    mark_for_index,
    parse_date,
    reindex,
    restore_record,
    rewrite_file,
    tag_counts,
    trash_record,
)

__all__ = [
    "EDITABLE", "FIELD_LABELS", "MAX_TITLE", "SECRECY_LEVELS", "Draft", "FileView", "RecordView", "Rewrite",
    "active_file", "attach_files", "check_date", "check_title", "count_records", "counts", "edit_record", "file_document",
    "get_record", "list_records", "mark_for_index", "parse_date", "reindex", "restore_record",
    "rewrite_file", "tag_counts", "trash_record",
]
