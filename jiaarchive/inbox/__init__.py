"""The inbox (收件箱): a clerk's pile of files proposed, reviewed and filed in one sitting.

``propose_pile`` (``propose.py``) turns a folder or a zip into one ``FileProposal`` per file:
the catalogue entries it probably belongs to (top three with a confidence and the reasons),
its title and date, the scoresheet items the entry proves, and flags (duplicate, already
filed, unreadable or encrypted, image-only PDF, photo without a date, not a document).

The modules, each usable on its own:

* ``walk`` folders and zips → files (junk skipped and counted); ``zipsafe`` safe zip reading;
* ``titles``, ``dates``: a document's title and date; ``keywords``, ``classify``: the entry;
* ``plan``: the proposals as an XLSX a clerk corrects in Excel or WPS, read back;
* ``queue``: the TUI's queue, kept in the archive so that it can be left and resumed;
* ``apply``: filing what a plan or the queue says, one outcome per file;
* ``progress``: n / N, the current file and the time left.

Nothing here imports a user interface; the CLI (``jiaarchive inbox``) and the TUI's inbox
screen only call these.
"""

from __future__ import annotations

from .propose import FLAGS, FileProposal, Pile, propose_pile
from .walk import Staging

__all__ = ["FLAGS", "FileProposal", "Pile", "Staging", "propose_pile"]
