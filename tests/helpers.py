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


def make_pdf(path: Path, pages: list[str], *, password: str | None = None) -> Path:
    """A PDF with one page per text (Chinese drawn with the CID font reportlab ships)."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    path.parent.mkdir(parents=True, exist_ok=True)
    c = canvas.Canvas(str(path))
    for text in pages:
        c.setFont("STSong-Light", 14)
        c.drawString(72, 720, text)
        c.showPage()
    c.save()
    if password:
        from pypdf import PdfReader, PdfWriter

        writer = PdfWriter(clone_from=PdfReader(str(path)))
        writer.encrypt(password)
        with open(path, "wb") as fh:
            writer.write(fh)
    return path


def make_xlsx(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


def make_ofd(path: Path, pages: list[str]) -> Path:
    """A minimal OFD (GB/T 33190): OFD.xml → Document.xml → one Content.xml per page."""
    import zipfile

    ns = 'xmlns:ofd="http://www.ofdspec.org/2016"'
    page_refs = "".join(f'<ofd:Page ID="{i + 10}" BaseLoc="Pages/Page_{i}/Content.xml"/>' for i in range(len(pages)))
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("OFD.xml", f'<ofd:OFD {ns} Version="1.0"><ofd:DocBody><ofd:DocRoot>Doc_0/Document.xml'
                               '</ofd:DocRoot></ofd:DocBody></ofd:OFD>')
        zf.writestr("Doc_0/Document.xml", f'<ofd:Document {ns}><ofd:Pages>{page_refs}</ofd:Pages></ofd:Document>')
        for i, text in enumerate(pages):
            zf.writestr(f"Doc_0/Pages/Page_{i}/Content.xml",
                        f'<ofd:Page {ns}><ofd:Content><ofd:Layer ID="1"><ofd:TextObject ID="2" Boundary="0 0 100 10" '
                        f'Font="1" Size="5"><ofd:TextCode X="0" Y="5">{text}</ofd:TextCode></ofd:TextObject>'
                        '</ofd:Layer></ofd:Content></ofd:Page>')
    return path


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


async def wait_workers(app, workers=None) -> None:
    """Wait for the app's workers (or the given ones) to end.

    A worker cancelled meanwhile (an exclusive worker replaced by a newer one, as a busy
    machine makes likely) has ended too; Textual's ``wait_for_complete`` raises for it.
    """
    from textual.worker import WorkerCancelled

    for worker in list(app.workers if workers is None else workers):
        try:
            await worker.wait()
        except WorkerCancelled:
            pass
