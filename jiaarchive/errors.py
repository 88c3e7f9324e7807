"""Errors a user can cause, each carrying one Chinese sentence for the edge to show.

One exception type per failure; the CLI and the TUI print ``str(exc)`` and nothing else
(tracebacks only with ``--debug``).
"""

from __future__ import annotations


class JiaError(Exception):
    """Base class: ``str(exc)`` is a complete Chinese sentence a clerk can act on."""

    exit_code = 1


class ArchiveNotFound(JiaError):
    """No archive here, in a parent folder, in --archive or in $JIAARCHIVE."""


class ArchiveExists(JiaError):
    """`init` on a folder that already holds an archive."""


class UnknownCode(JiaError):
    """A catalogue code that the catalogue does not have."""


class CodeNotApplicable(JiaError):
    """A catalogue code left out for this unit type or level."""


class UnreadableFile(JiaError):
    """A path that is missing, a folder, unreadable or empty."""


class DuplicateFile(JiaError):
    """A file whose SHA-256 is already in the archive."""

    def __init__(self, message: str, existing_archive_no: str) -> None:
        super().__init__(message)
        self.existing_archive_no = existing_archive_no


class BadValue(JiaError):
    """A title, date, tag or other field value that cannot be accepted."""


class RecordNotFound(JiaError):
    """No record with that 档号 (or id)."""


class CatalogInvalid(JiaError):
    """The standards data in catalog/ cannot be loaded."""


class IndexDamaged(JiaError):
    """The search index cannot be opened; `jiaarchive index rebuild` fixes it."""


class NotEnoughSpace(JiaError):
    """A rebuild of the search index would not fit on the disk: says how much it needs."""


class ReadOnly(JiaError):
    """A change attempted in an archive opened read-only (inspector mode)."""


class AmbiguousNumber(RecordNotFound):
    """A shortened 档号 that fits several records."""
