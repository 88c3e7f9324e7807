"""The city union's review workspace (审核工作区): many units' bundles, one PostgreSQL database.

A workspace is a folder and a database::

    DIR/review.toml                      what the workspace is and which database it uses
    DIR/units/<单位>-<sha>/              each accepted bundle unpacked as a read-only unit archive
                                         (files in their catalogue folders, its own SQLite
                                         database, metadata log and index): the unit's dashboard
                                         and own search open it as they open any archive
    DIR/bundles/<单位>-<sha>.zip         the accepted bundle itself, kept as received

and the ``review_*`` tables in PostgreSQL (``models.py``).  Each unit is kept apart: its records
and its bundle's coverage report are its own rows, keyed by the unit.  ``import_bundles`` verifies
a bundle completely (``bundles.check``) and unpacks it into a new folder before touching the
unit's previous one; the database switches to the new folder in one transaction (its docs are
replaced, the inspection group's 评定分 stay) and only then is the previous folder removed.  A
bundle that does not verify, or a crash on the way, leaves the unit as it was.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tomllib
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, delete, insert, select, text
from sqlalchemy.orm import Session

from ..errors import BadValue, JiaError
from .models import SCHEMA_VERSION, ReviewBase, ReviewDoc, ReviewMeta, ReviewUnit

SETTINGS = "review.toml"
UNITS = "units"
BUNDLES = "bundles"
FORMAT = "jiaarchive-review/1"
ENV_DB = "JIAARCHIVE_REVIEW_DB"
# A unit's archive in the workspace always uses its own SQLite file, named relative to its folder
# (so the folder can be renamed or the workspace moved), never $JIAARCHIVE_DB (a unit's shared
# database on this computer, which must not receive other units' records).
UNIT_DB = "sqlite:///.jiaarchive/archive.db"


class NotAWorkspace(JiaError):
    """A folder that is not a review workspace."""


def engine_url(url: str) -> str:
    """``postgresql://`` as SQLAlchemy needs it with the psycopg (3) driver."""
    url = url.strip()
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def _check_url(url: str) -> str:
    if not url.startswith(("postgresql", "postgres://")):
        raise BadValue(f"审核工作区需要 PostgreSQL 数据库（--db postgresql://用户@主机/库名），“{url[:60]}”不是。")
    return engine_url(url)


@dataclass
class Workspace:
    root: Path
    url: str
    engine: Engine = field(repr=False)

    @contextmanager
    def session(self) -> Iterator[Session]:
        with Session(self.engine) as s:
            yield s

    def open_unit(self, folder: str, *, read_only: bool = True):  # noqa: ANN201 - an Archive
        """A unit's archive in the workspace (its own SQLite database, whatever $JIAARCHIVE_DB says)."""
        from ..archive import open_archive

        return open_archive(self.unit_dir(folder), read_only=read_only, database_url=UNIT_DB)

    def unit_dir(self, folder: str) -> Path:
        path = (self.root / UNITS / folder)
        if not path.resolve().is_relative_to((self.root / UNITS).resolve()) or "/" in folder or folder in ("", ".", ".."):
            raise BadValue(f"工作区数据库中的单位文件夹“{folder[:80]}”无效。")
        return path

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> "Workspace":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _make_engine(url: str) -> Engine:
    from sqlalchemy import create_engine

    return create_engine(url, future=True, pool_pre_ping=True)


def init_workspace(path: Path, database_url: str) -> Workspace:
    """Create a workspace folder and its tables (an existing workspace of this database is reused)."""
    import tomli_w

    root = Path(path).expanduser().resolve()
    if (root / SETTINGS).exists():
        raise BadValue(f"“{root}”已经是审核工作区。")
    if root.exists() and not root.is_dir():
        raise BadValue(f"“{root}”是一个文件，不能在这里建立审核工作区。")
    url = _check_url(database_url)
    engine = _make_engine(url)
    _create_schema(engine)
    root.mkdir(parents=True, exist_ok=True)
    (root / UNITS).mkdir(exist_ok=True)
    (root / BUNDLES).mkdir(exist_ok=True)
    stored = "" if os.environ.get(ENV_DB) == database_url else database_url
    (root / SETTINGS).write_text(tomli_w.dumps({"format": FORMAT, "database_url": stored,
                                                "created": datetime.now().isoformat(timespec="seconds")}), encoding="utf-8")
    return Workspace(root, url, engine)


def _create_schema(engine: Engine) -> None:
    from sqlalchemy.exc import OperationalError

    try:
        with engine.begin() as conn:
            conn.execute(text("SELECT pg_advisory_xact_lock(hashtext('jiaarchive-review-schema'))"))
            ReviewBase.metadata.create_all(conn)
            have = conn.execute(select(ReviewMeta.value).where(ReviewMeta.key == "schema")).scalar()
            if have is None:
                conn.execute(insert(ReviewMeta), [{"key": "schema", "value": str(SCHEMA_VERSION)}])
            elif int(have) > SCHEMA_VERSION:
                raise BadValue(f"审核工作区的数据库由更新版本的程序建立（结构版本 {have}），请升级 jiaarchive。")
    except OperationalError as exc:
        raise BadValue(f"无法连接审核工作区的数据库：{str(exc.orig).strip().splitlines()[0][:200]}") from None


def open_workspace(path: Path | None = None, database_url: str | None = None) -> Workspace:
    """The workspace at ``path`` (or this folder), its database from --db, $JIAARCHIVE_REVIEW_DB or review.toml."""
    root = Path(path or ".").expanduser().resolve()
    try:
        data = tomllib.loads((root / SETTINGS).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise NotAWorkspace(f"“{root}”不是审核工作区（没有 {SETTINGS}）。请先运行 jiaarchive review init。") from None
    except (OSError, ValueError) as exc:
        raise NotAWorkspace(f"审核工作区的设置文件“{root / SETTINGS}”无法读取（{exc}）。") from None
    if data.get("format") != FORMAT:
        raise NotAWorkspace(f"“{root / SETTINGS}”不是本程序的审核工作区设置。")
    url = database_url or os.environ.get(ENV_DB) or str(data.get("database_url") or "")
    if not url:
        raise BadValue(f"请用 --db 或环境变量 {ENV_DB} 给出审核工作区的数据库地址。")
    engine = _make_engine(_check_url(url))
    _create_schema(engine)
    return Workspace(root, engine_url(url), engine)


# ---------------------------------------------------------------- import


@dataclass
class UnitImport:
    bundle: str
    unit: str = ""
    replaced: bool = False
    records: int = 0
    error: str = ""
    conflicts: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {"bundle": self.bundle, "unit": self.unit, "replaced": self.replaced, "records": self.records,
                "error": self.error, "conflicts": self.conflicts}


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()


def import_bundles(ws: Workspace, bundles: Iterable[Path], *, progress: Any = None) -> list[UnitImport]:
    """Load each bundle as its unit's evidence; a bundle that fails is said and the others go on."""
    from ..errors import explain

    out = []
    for path in bundles:
        result = UnitImport(Path(path).name)
        try:
            import_one(ws, Path(path), result, progress=progress)
        except JiaError as exc:
            result.error = str(exc)
        except OSError as exc:
            err = explain(exc, None)
            result.error = str(err) if err is not None else f"{type(exc).__name__}: {exc}"
        out.append(result)
    if any(r.records and not r.error for r in out):
        # fresh statistics for the planner after a batch of units changed (cheap: a sample)
        with ws.engine.begin() as conn:
            conn.execute(text("ANALYZE review_docs"))
    return out


def import_one(ws: Workspace, path: Path, result: UnitImport, *, progress: Any = None) -> None:
    from ..archive import init_archive
    from ..bundles.check import open_bundle
    from ..bundles.load import import_bundle
    from ..storage import safe_name

    sha = _sha256(path)
    with open_bundle(path) as b:  # verified completely before anything else happens
        result.unit = b.unit
        room = ReviewUnit.__table__.c.unit.type.length
        if len(b.unit) > room:
            raise BadValue(f"数据包“{path.name}”的单位名称过长（{len(b.unit)} 字，审核工作区最多 {room} 字），未导入。")
        folder = f"{safe_name(b.unit, 60)}-{sha[:12]}"
        target = ws.root / UNITS / folder
        with ws.session() as s:
            prev = s.scalar(select(ReviewUnit).where(ReviewUnit.unit == b.unit))
            if prev is not None and prev.bundle_sha256 == sha and target.is_dir():
                result.records = prev.records
                return  # the same bundle again: nothing to do
        staging = ws.root / UNITS / f".incoming-{os.getpid()}-{sha[:12]}"
        shutil.rmtree(staging, ignore_errors=True)
        try:
            arch = init_archive(staging, unit=b.unit, unit_type=str(b.info["unit_type"]), level=str(b.info["level"]),
                                database_url=UNIT_DB)
            try:
                report = import_bundle(arch, b, progress=progress)
                result.conflicts = report.conflicts
                docs = _docs(arch, b, report.record_ids)
                coverage = _coverage(arch, b)
            finally:
                arch.close()
            kept = ws.root / BUNDLES / f"{folder}.zip"
            made_kept = not kept.exists()
            if made_kept:
                tmp = kept.with_name(f".{kept.name}.{os.getpid()}.tmp")
                shutil.copyfile(path, tmp)
                os.replace(tmp, kept)
            if target.exists():
                shutil.rmtree(target)
            os.replace(staging, target)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        try:
            old_folder = _switch(ws, b, folder, path.name, sha, docs, coverage)
        except BaseException:
            # the unit stays as it was: what this import put in the folder goes again
            if prev is None or prev.folder != folder:
                shutil.rmtree(target, ignore_errors=True)
                if made_kept:
                    kept.unlink(missing_ok=True)
            raise
    result.replaced = old_folder is not None
    result.records = len(docs)
    if old_folder and old_folder != folder:
        shutil.rmtree(ws.root / UNITS / old_folder, ignore_errors=True)
        (ws.root / BUNDLES / f"{old_folder}.zip").unlink(missing_ok=True)


def _switch(ws: Workspace, b: Any, folder: str, name: str, sha: str, docs: list[dict], cov: dict) -> str | None:
    """One transaction: the unit's row points at the new folder and its docs are replaced."""
    info = b.info
    with ws.engine.begin() as conn:
        conn.execute(text("SELECT pg_advisory_xact_lock(hashtext(:k))"), {"k": "jiaarchive-review-unit:" + b.unit})
        row = conn.execute(select(ReviewUnit.id, ReviewUnit.folder).where(ReviewUnit.unit == b.unit).with_for_update()).first()
        values = dict(unit=b.unit, unit_type=str(info["unit_type"]), level=str(info["level"]),
                      application_year=_int(info.get("application_year")), folder=folder, bundle_name=name,
                      bundle_sha256=sha, exported_by=str(info.get("exported_by", ""))[:100],
                      exported_at=str(info.get("exported_at", ""))[:40], imported_at=datetime.now(),
                      records=len(docs), files=_int(info.get("files")) or 0, coverage=cov)
        if row is None:
            unit_id = conn.execute(insert(ReviewUnit).values(**values).returning(ReviewUnit.id)).scalar_one()
            old = None
        else:
            unit_id, old = row
            conn.execute(ReviewUnit.__table__.update().where(ReviewUnit.id == unit_id).values(**values))
            conn.execute(delete(ReviewDoc).where(ReviewDoc.unit_id == unit_id))
        for i in range(0, len(docs), 1000):
            conn.execute(insert(ReviewDoc), [{**d, "unit_id": unit_id} for d in docs[i:i + 1000]])
    return old


def _int(v: Any) -> int | None:
    """A count or a year from a bundle (not trusted): None unless it is an integer a column holds."""
    try:
        n = int(v)
    except (TypeError, ValueError, OverflowError):
        return None
    return n if -2 ** 31 <= n < 2 ** 31 else None


def _coverage(arch: Any, b: Any) -> dict:
    """The unit's assessment, computed here from what its archive in the workspace holds, on the
    day the bundle was exported (the window of years the unit was judged on).

    The bundle's own ``coverage.json`` is not read: a bundle can be re-sealed with new checksums,
    so a claimed verdict or total would rank a unit on words, not on its evidence.
    """
    from ..coverage.assess import assess

    try:
        as_of = datetime.fromisoformat(str(b.info.get("exported_at", ""))).date()
    except ValueError:
        as_of = None
    return assess(arch, as_of).to_json()


def _docs(arch: Any, b: Any, ids: dict[str, int]) -> list[dict]:
    """The search rows of the unit's records (ids of its archive in the workspace)."""
    from ..search import analyzer as an

    texts = b.texts()
    out = []
    for rec in b.state.records.values():
        no = str(rec.get("archive_no", ""))
        if no not in ids:
            continue
        t = texts.get(no, {})
        body = str(t.get("body", ""))
        title = str(rec.get("title", ""))
        tags = [str(x) for x in rec.get("tags") or ()]
        meta = " ".join(x for x in (str(rec.get("doc_no") or ""), str(rec.get("responsible") or ""), " ".join(tags),
                                    str(rec.get("remarks") or "")) if x)
        norm_title, norm_meta, norm_body = an.normalize(title), an.normalize(meta), an.normalize(body)
        norm_text = "\n".join((norm_title, norm_meta, norm_body))
        code = str(rec.get("code", ""))
        former = [str(n.get("archive_no")) for n in rec.get("numbers") or () if not n.get("current")]
        idkeys = set(an.id_parts(no)) | set(an.id_parts(code))
        for x in former:
            idkeys.update(an.id_parts(x))
        out.append({
            "record_id": ids[no], "archive_no": no, "former": " ".join(former), "code": code,
            "volume": code.split("-")[0], "year": _int(rec.get("year")), "doc_date": str(rec.get("doc_date") or "")[:10],
            "title": title[:300], "doc_no": str(rec.get("doc_no") or "")[:120], "tags": tags,
            "items": sorted({int(i[1]) for i in rec.get("items") or ()}), "kinds": [str(k) for k in t.get("kinds") or ()],
            "idkeys": sorted(idkeys), "docnokeys": an.id_parts(str(rec.get("doc_no") or "")),
            "trashed": rec.get("status") == "trashed", "norm_title": norm_title, "norm_meta": norm_meta,
            "norm_text": norm_text, "tokens": sorted(an.token_counts(norm_text, normalized=True)), "body": body[:20000],
        })
    return out
