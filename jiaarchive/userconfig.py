"""This computer's settings for the person using it (per computer, never inside an archive).

Kept in the user's configuration folder (``platformdirs``: ``~/.config/jiaarchive`` on Linux,
``%APPDATA%\\jiaarchive`` on Windows; ``$JIAARCHIVE_CONFIG_DIR`` overrides it) as
``config.toml``:

* ``[user] name``: the clerk's name, recorded in every audit entry (操作人);
* ``[files] last_folder``: where the file picker opened last;
* ``[tui] theme``: the colour theme chosen in the TUI;
* ``[[searches]]``: saved searches (常用检索), each a name, the query and its filters.

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
