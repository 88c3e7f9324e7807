"""The floors of jiaarchive: no module imports one above its own floor.

Every module of the package is parsed with ``ast`` and every import it makes — at the top or
inside a function (a lazy import is still a dependency), but not under ``if TYPE_CHECKING:``
(annotations only) — is checked against the table below: a module may import modules on its
own floor or below, never above.  A module the table does not place fails the test too, so a
new module is placed on purpose.  This replaces the hand-picked lists of modules that must not
import ``textual`` or ``click``: the faces are the top floor, and third-party UI libraries may
only be imported there (``UI_LIBRARIES``).
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "jiaarchive"

# Lowest first.  A name is a module or a package (then every module in it, unless a longer
# name places one elsewhere).
FLOORS: list[tuple[str, tuple[str, ...]]] = [
    ("foundations: no archive, no database, no files written", (
        "jiaarchive", "jiaarchive.errors", "jiaarchive.progress", "jiaarchive.terms", "jiaarchive.textfmt",
        "jiaarchive.locks", "jiaarchive.standards", "jiaarchive.coverage.fields", "jiaarchive.db.models",
        "jiaarchive.db", "jiaarchive.extract", "jiaarchive.search", "jiaarchive.photos.errors",
        "jiaarchive.photos.formats", "jiaarchive.photos.meta", "jiaarchive.photos.inspect", "jiaarchive.photos.label",
        "jiaarchive.photos.caption", "jiaarchive.photos.fonts", "jiaarchive.photos", "jiaarchive.inbox.zipsafe",
        "jiaarchive.inbox.progress", "jiaarchive.coverage",
    )),
    ("files on disk", ("jiaarchive.storage", "jiaarchive.db.session", "jiaarchive.db.migrations")),
    ("settings and what files say", (
        "jiaarchive.settings", "jiaarchive.userconfig", "jiaarchive.derive", "jiaarchive.inbox.walk",
        "jiaarchive.numbers", "jiaarchive.opener", "jiaarchive.search.fastpath",
    )),
    ("services an opened archive uses (handed the archive, never importing it)", (
        "jiaarchive.audit", "jiaarchive.metalog", "jiaarchive.backups", "jiaarchive.indexing",
    )),
    ("the opened archive", ("jiaarchive.archive",)),
    ("the one writer of records and files", ("jiaarchive.filing", "jiaarchive.filing.records")),
    ("what reads and changes records through the writer", (
        "jiaarchive.photos.records", "jiaarchive.bulk", "jiaarchive.undo", "jiaarchive.selection",
        "jiaarchive.fixity", "jiaarchive.repair", "jiaarchive.export", "jiaarchive.coverage.profile",
        "jiaarchive.coverage.assess", "jiaarchive.coverage.evidence", "jiaarchive.coverage.items",
        "jiaarchive.coverage.materials", "jiaarchive.coverage.honours", "jiaarchive.coverage.schedule",
        "jiaarchive.coverage.vetoes", "jiaarchive.coverage.checks", "jiaarchive.coverage.measure",
        "jiaarchive.coverage.model", "jiaarchive.coverage.rules", "jiaarchive.coverage.scores",
        "jiaarchive.reports",
    )),
    ("the intake run", ("jiaarchive.filing.intake",)),
    ("the inbox", ("jiaarchive.inbox",)),
    ("bundles: an archive's evidence packed, verified, loaded", ("jiaarchive.bundles",)),
    ("the city union's review of many units' bundles", ("jiaarchive.review",)),
    ("faces", ("jiaarchive.cli", "jiaarchive.tui", "jiaarchive.__main__")),
]
UI_LIBRARIES = ("textual", "click", "rich")
FACES = ("jiaarchive.cli", "jiaarchive.tui", "jiaarchive.__main__")


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def floor_of(module: str) -> int | None:
    best: tuple[int, int] | None = None  # (length of the matching name, floor)
    for n, (_what, names) in enumerate(FLOORS):
        for name in names:
            # the package itself is placed, not everything in it: a new module must be placed
            if module == name or (name != "jiaarchive" and module.startswith(name + ".")):
                if best is None or len(name) > best[0]:
                    best = (len(name), n)
    return None if best is None else best[1]


def imports(path: Path, modules: set[str], me: str | None = None) -> list[tuple[int, str]]:
    """(line, module) of every import in ``path`` (module ``me``), outside ``if TYPE_CHECKING:``."""
    me = me or module_name(path)
    package = me if path.name == "__init__.py" else me.rpartition(".")[0]
    out: list[tuple[int, str]] = []

    def visit(node: ast.AST) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and "TYPE_CHECKING" in ast.unparse(child.test):
                for orelse in child.orelse:
                    visit(orelse)
                continue
            if isinstance(child, ast.Import):
                out.extend((child.lineno, a.name) for a in child.names)
            elif isinstance(child, ast.ImportFrom):
                if child.level:
                    base = package.split(".")[: len(package.split(".")) - (child.level - 1)]
                    source = ".".join(base + ([child.module] if child.module else []))
                else:
                    source = child.module or ""
                for a in child.names:  # `from . import audit` imports the module jiaarchive.audit
                    sub = f"{source}.{a.name}"
                    out.append((child.lineno, sub if sub in modules else source))
            visit(child)

    visit(ast.parse(path.read_text(encoding="utf-8")))
    return out


def test_no_module_imports_one_above_its_floor() -> None:
    files = sorted(p for p in PACKAGE.rglob("*.py") if "migrations" not in p.parts or p.name == "__init__.py")
    modules = {module_name(p) for p in PACKAGE.rglob("*.py")}
    unplaced = [m for m in map(module_name, files) if floor_of(m) is None]
    assert not unplaced, f"modules without a floor (add them to FLOORS): {unplaced}"
    upward = []
    for path in files:
        me = module_name(path)
        mine = floor_of(me)
        for line, target in imports(path, modules):
            top = target.split(".")[0]
            if top in UI_LIBRARIES and not me.startswith(FACES):
                upward.append(f"{me}:{line} imports {target} (a user interface library; only faces may)")
            if top != "jiaarchive":
                continue
            theirs = floor_of(target)
            if theirs is not None and theirs > mine:
                upward.append(f"{me}:{line} ({FLOORS[mine][0]}) imports {target} ({FLOORS[theirs][0]})")
    assert not upward, "imports above their floor:\n" + "\n".join(dict.fromkeys(upward))


def test_the_check_finds_an_upward_import(tmp_path: Path) -> None:
    """The check can fail: a lazy import of the TUI inside a function of ``storage`` is found and
    is above its floor, while one under ``if TYPE_CHECKING:`` is not counted."""
    modules = {module_name(p) for p in PACKAGE.rglob("*.py")}
    fake = tmp_path / "storage.py"
    fake.write_text("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from .archive import Archive\n"
                    "def _x():\n    from .tui import app\n    return app\n", encoding="utf-8")
    found = [t for _line, t in imports(fake, modules, "jiaarchive.storage")]
    assert found == ["typing", "jiaarchive.tui.app"]
    assert floor_of("jiaarchive.tui.app") > floor_of("jiaarchive.storage")
    assert floor_of("jiaarchive.indexing") < floor_of("jiaarchive.archive")  # no cycle between the two
