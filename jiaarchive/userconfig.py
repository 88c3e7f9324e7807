"""This computer's settings for the person using it (per computer, never inside an archive).

Kept in the user's configuration folder (``platformdirs``: ``~/.config/jiaarchive`` on Linux,
``%APPDATA%\\jiaarchive`` on Windows; ``$JIAARCHIVE_CONFIG_DIR`` overrides it) as
``config.toml``:

* ``[user] name``: the clerk's name, recorded in every audit entry (操作人);
* ``[files] last_folder``: where the file picker opened last;
* ``[tui] theme``: the colour theme chosen in the TUI;
* ``[[searches]]``: saved searches (常用检索), each a name, the query and its filters;
* ``[[databases]]``: archives whose records live on a shared PostgreSQL server, each the
  archive folder, its id and the database address without password (the password is kept in
  the user's PostgreSQL password file, pgpass, where libpq looks for it).

An archive that arrives on a USB stick is not trusted, so nothing here is read from or written to
an archive; and a broken or unreadable file is treated as empty rather than stopping the program.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import BadValue

FILE_NAME = "config.toml"
MAX_NAME = 40
MAX_SEARCHES = 100


def config_dir() -> Path:
    env = os.environ.get("JIAARCHIVE_CONFIG_DIR")
    if env:
        return Path(env).expanduser()
    from platformdirs import user_config_dir

    return Path(user_config_dir("jiaarchive", appauthor=False))


def _path() -> Path:
    return config_dir() / FILE_NAME


def load() -> dict[str, Any]:
    """The whole settings file as a dict ({} when missing or unreadable)."""
    try:
        return tomllib.loads(_path().read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return {}


def save(data: dict[str, Any]) -> Path:
    """Write the settings file atomically (temp file, fsync, rename)."""
    import tomli_w

    path = _path()
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + f".{os.getpid()}.tmp")
    text = "# 建家档案：本机设置（操作人姓名、常用检索等）。可用记事本修改，保存为 UTF-8。\n" + tomli_w.dumps(data)
    with open(tmp, "w", encoding="utf-8", newline="\n") as fh:
        fh.write(text)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)
    return path


def _section(data: dict[str, Any], name: str) -> dict[str, Any]:
    value = data.get(name)
    return value if isinstance(value, dict) else {}


def get(section: str, key: str, default: str = "") -> str:
    value = _section(load(), section).get(key)
    return value if isinstance(value, str) else default


def put(section: str, key: str, value: str) -> None:
    data = load()
    data[section] = {**_section(data, section), key: value}
    save(data)


# ---------------------------------------------------------------- who is acting (操作人)


def check_name(name: str) -> str:
    n = " ".join(name.split())
    if not n:
        raise BadValue("姓名不能为空。")
    if len(n) > MAX_NAME or any(ord(ch) < 32 for ch in name):
        raise BadValue(f"姓名“{n[:MAX_NAME]}…”无效（最多 {MAX_NAME} 字，不能含控制字符）。")
    return n


def set_user_name(name: str) -> Path:
    """Remember the clerk's name on this computer; returns the settings file written."""
    data = load()
    data["user"] = {**_section(data, "user"), "name": check_name(name)}
    return save(data)


def user_name() -> str:
    """The name set on this computer ('' when none)."""
    name = get("user", "name")
    try:
        return check_name(name) if name else ""
    except BadValue:
        return ""


def os_full_name() -> str:
    """The account's full name from the operating system ('' when it has none)."""
    if os.name == "nt":  # pragma: no cover - Windows only
        try:
            import ctypes

            size = ctypes.c_ulong(0)
            get_name = ctypes.windll.secur32.GetUserNameExW  # type: ignore[attr-defined]
            name_display = 3
            get_name(name_display, None, ctypes.byref(size))
            buf = ctypes.create_unicode_buffer(size.value)
            if get_name(name_display, buf, ctypes.byref(size)):
                return buf.value.strip()
        except Exception:  # noqa: BLE001 - no display name on this machine
            return ""
        return ""
    try:
        import pwd

        gecos = pwd.getpwuid(os.getuid()).pw_gecos
    except (ImportError, KeyError, OSError):
        return ""
    return gecos.split(",", 1)[0].strip()


# ---------------------------------------------------------------- saved searches (常用检索)


@dataclass(frozen=True)
class SavedSearch:
    """A search a clerk or inspector keeps: the typed query and the filters beside it."""

    name: str
    query: str
    volume: str = ""  # 卷 letter
    year: int | None = None

    def to_toml(self) -> dict[str, Any]:
        out: dict[str, Any] = {"name": self.name, "query": self.query}
        if self.volume:
            out["volume"] = self.volume
        if self.year:
            out["year"] = self.year
        return out


def saved_searches() -> list[SavedSearch]:
    out = []
    for row in load().get("searches", []) or []:
        if not isinstance(row, dict) or not isinstance(row.get("query"), str) or not row["query"].strip():
            continue
        year = row.get("year")
        out.append(SavedSearch(
            name=str(row.get("name") or row["query"])[:60], query=row["query"],
            volume=str(row.get("volume") or "")[:2], year=year if isinstance(year, int) else None,
        ))
    return out[:MAX_SEARCHES]


def save_search(search: SavedSearch) -> list[SavedSearch]:
    """Add (or replace, by name) a saved search; returns the new list."""
    name = " ".join(search.name.split())
    if not name or not search.query.strip():
        raise BadValue("常用检索的名称和检索词都不能为空。")
    if len(name) > 60:
        raise BadValue(f"名称“{name[:20]}…”过长（最多 60 字）。")
    search = SavedSearch(name, search.query.strip(), search.volume, search.year)
    kept = [s for s in saved_searches() if s.name != name]
    if len(kept) >= MAX_SEARCHES:
        raise BadValue(f"常用检索最多 {MAX_SEARCHES} 条，请先删除不用的。")
    items = kept + [search]
    data = load()
    data["searches"] = [s.to_toml() for s in items]
    save(data)
    return items


def delete_search(name: str) -> list[SavedSearch]:
    kept = [s for s in saved_searches() if s.name != name]
    data = load()
    data["searches"] = [s.to_toml() for s in kept]
    save(data)
    return kept


# ---------------------------------------------------------------- shared databases (共享数据库)


@dataclass(frozen=True)
class RememberedDatabase:
    """This computer's note that the archive in ``folder`` keeps its records in ``url``."""

    folder: str
    archive_id: str
    url: str  # without password


def _folder_key(root: Path) -> str:
    return os.path.normcase(str(Path(root).expanduser().resolve()))


def remembered_databases() -> list[RememberedDatabase]:
    out = []
    for row in load().get("databases", []) or []:
        if isinstance(row, dict) and all(isinstance(row.get(k), str) and row.get(k) for k in ("folder", "url")):
            out.append(RememberedDatabase(row["folder"], str(row.get("id") or ""), row["url"]))
    return out


def database_for(root: Path) -> RememberedDatabase | None:
    """The shared database remembered for the archive folder ``root`` (None when none)."""
    key = _folder_key(root)
    return next((d for d in remembered_databases() if _folder_key(Path(d.folder)) == key), None)


def remember_database(root: Path, archive_id: str, url: str) -> Path:
    """Remember (or replace) the database of the archive folder ``root``; a password in ``url``
    goes to the pgpass file instead.  Returns the settings file written."""
    bare, password = split_password(url)
    if password is not None:
        save_password(url)
    key = _folder_key(root)
    kept = [d for d in remembered_databases() if _folder_key(Path(d.folder)) != key]
    kept.append(RememberedDatabase(key, archive_id, bare))
    data = load()
    data["databases"] = [{"folder": d.folder, "id": d.archive_id, "url": d.url} for d in kept]
    return save(data)


def forget_database(root: Path) -> bool:
    key = _folder_key(root)
    rows = remembered_databases()
    kept = [d for d in rows if _folder_key(Path(d.folder)) != key]
    if len(kept) == len(rows):
        return False
    data = load()
    data["databases"] = [{"folder": d.folder, "id": d.archive_id, "url": d.url} for d in kept]
    save(data)
    return True


def split_password(url: str) -> tuple[str, str | None]:
    """(the URL without its password, the password or None)."""
    from sqlalchemy.engine import make_url

    u = make_url(url)
    if u.password is None:
        return url, None
    return u.set(password=None).render_as_string(hide_password=False), str(u.password)


def pgpass_path() -> Path:
    """Where libpq looks for passwords: $PGPASSFILE, else ~/.pgpass (%APPDATA%\\postgresql\\pgpass.conf on Windows)."""
    env = os.environ.get("PGPASSFILE")
    if env:
        return Path(env).expanduser()
    if os.name == "nt":  # pragma: no cover - Windows only
        return Path(os.environ.get("APPDATA", Path.home())) / "postgresql" / "pgpass.conf"
    return Path.home() / ".pgpass"


def _pgpass_field(value: str) -> str:
    return value.replace("\\", "\\\\").replace(":", "\\:")


def save_password(url: str) -> Path:
    """Put the password of ``url`` in the pgpass file (readable by this user only), replacing the
    line of the same server, port, database and user."""
    from sqlalchemy.engine import make_url

    u = make_url(url)
    host = u.host or u.query.get("host") or "localhost"
    if isinstance(host, tuple):
        host = host[0]
    fields = [host, str(u.port or u.query.get("port") or 5432), u.database or "*", u.username or "*"]
    prefix = ":".join(_pgpass_field(f) for f in fields) + ":"
    path = pgpass_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        lines = [ln for ln in path.read_text(encoding="utf-8").splitlines() if not ln.startswith(prefix)]
    except (OSError, UnicodeDecodeError):
        lines = []
    lines.append(prefix + _pgpass_field(str(u.password)))
    tmp = path.with_name(path.name + f".{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
        fh.write("\n".join(lines) + "\n")
        fh.flush()
        os.fsync(fh.fileno())
    os.chmod(tmp, 0o600)  # libpq ignores a password file others can read
    os.replace(tmp, path)
    return path
