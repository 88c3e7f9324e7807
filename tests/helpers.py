"""Small generated files and archives for tests."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path


def make_docx(path: Path, text: str, *, title: str | None = None, created: datetime | None = None) -> Path:
    import docx

    d = docx.Document()
    for line in text.splitlines():
        d.add_paragraph(line)
    if title is not None:
        d.core_properties.title = title
    d.core_properties.created = created or datetime(2021, 3, 1, 9, 0)
    path.parent.mkdir(parents=True, exist_ok=True)
    d.save(path)
    return path


def make_text(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode(encoding))
    return path


def make_jpeg(path: Path, *, taken: datetime | None = None, size: tuple[int, int] = (320, 240), color=(200, 80, 60)) -> Path:
    from PIL import Image

    img = Image.new("RGB", size, color)
    for x in range(0, size[0], 7):  # some texture so files differ
        img.putpixel((x, (x * 3) % size[1]), (x % 255, 30, 90))
    path.parent.mkdir(parents=True, exist_ok=True)
    if taken is not None:
        import piexif

        exif = piexif.dump({"0th": {piexif.ImageIFD.Make: b"HUAWEI"}, "Exif": {piexif.ExifIFD.DateTimeOriginal: taken.strftime("%Y:%m:%d %H:%M:%S").encode()}})
        img.save(path, "JPEG", quality=85, exif=exif)
    else:
        img.save(path, "JPEG", quality=85)
    return path


TUI_UNIT = "示例市第一中学工会"  # the unit of the archives the TUI tests make


class Crash(BaseException):
    """A simulated crash: bypasses every except-Exception clean-up, as a power cut would."""


def crash_while_filing(root: Path, src: Path, draft, monkeypatch, point: str, before=None) -> None:  # noqa: ANN001
    """File ``src`` into the archive at ``root`` and crash at step ``point`` (``before()`` runs just
    before the crash), then put the fault hook back."""
    from jiaarchive import filing, storage
    from jiaarchive.archive import open_archive

    def hook(p: str) -> None:
        if p == point:
            if before is not None:
                before()
            raise Crash(p)

    monkeypatch.setattr(storage, "fault_hook", hook)
    a = open_archive(root)
    try:
        filing.file_document(a, [src], draft)
    except Crash:
        pass
    else:
        raise AssertionError(f"no crash at {point}")
    finally:
        a.close()
        monkeypatch.setattr(storage, "fault_hook", None)
