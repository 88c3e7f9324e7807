"""SQLAlchemy 2 typed models.

Terms (DA/T 22-2015 归档文件整理规则): ``Record`` = 件, ``archive_no`` = 档号, ``seq`` = 件号,
``retention`` = 保管期限, ``doc_no`` = 文号, ``responsible`` = 责任者, ``doc_date`` = 形成日期,
``filed_at`` = 归档日期, ``secrecy`` = 密级, ``remarks`` = 备注.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


class Base(DeclarativeBase):
    pass


ACTIVE = "active"
TRASHED = "trashed"


class Record(Base):
    __tablename__ = "records"
    __table_args__ = (UniqueConstraint("code", "year", "seq", name="uq_records_code_year_seq"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    archive_no: Mapped[str] = mapped_column(String(80), unique=True)
    code: Mapped[str] = mapped_column(String(20), index=True)
    year: Mapped[int] = mapped_column(index=True)
    seq: Mapped[int]
    retention: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(300))
    doc_no: Mapped[str] = mapped_column(String(120), default="")
    responsible: Mapped[str] = mapped_column(String(200), default="")
    doc_date: Mapped[date | None]
    date_source: Mapped[str] = mapped_column(String(20), default="")
    filed_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    pages: Mapped[int | None]
    secrecy: Mapped[str] = mapped_column(String(20), default="")
    remarks: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(10), default=ACTIVE, index=True)
    trashed_at: Mapped[datetime | None]

    files: Mapped[list["File"]] = relationship(
        back_populates="record", order_by="File.position", cascade="all, delete-orphan"
    )
    tags: Mapped[list["RecordTag"]] = relationship(cascade="all, delete-orphan", order_by="RecordTag.tag")
    items: Mapped[list["RecordItem"]] = relationship(
        cascade="all, delete-orphan", order_by="(RecordItem.sheet_id, RecordItem.item_no)"
    )
    numbers: Mapped[list["ArchiveNumber"]] = relationship(order_by="ArchiveNumber.assigned_at")


class File(Base):
    __tablename__ = "files"

    id: Mapped[int] = mapped_column(primary_key=True)
    record_id: Mapped[int] = mapped_column(ForeignKey("records.id"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    path: Mapped[str] = mapped_column(String(400), unique=True)  # relative, '/' separated
    home_path: Mapped[str] = mapped_column(String(400), default="")  # where it lives when not trashed
    original_name: Mapped[str] = mapped_column(String(400))
    original_path: Mapped[str] = mapped_column(Text)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    size: Mapped[int]
    kind: Mapped[str] = mapped_column(String(20))
    mime: Mapped[str] = mapped_column(String(100), default="")
    filed_at: Mapped[datetime]
    status: Mapped[str] = mapped_column(String(10), default=ACTIVE)
    # the clerk filed a symbolic link: where it pointed (the content of that file was copied)
    link_target: Mapped[str] = mapped_column(Text, default="")

    record: Mapped[Record] = relationship(back_populates="files")


class RecordTag(Base):
    __tablename__ = "record_tags"

    record_id: Mapped[int] = mapped_column(ForeignKey("records.id"), primary_key=True)
    tag: Mapped[str] = mapped_column(String(60), primary_key=True, index=True)


class RecordItem(Base):
    """An explicit link from a record to a scoresheet item it supports."""

    __tablename__ = "record_items"

    record_id: Mapped[int] = mapped_column(ForeignKey("records.id"), primary_key=True)
    sheet_id: Mapped[str] = mapped_column(String(60), primary_key=True)
    item_no: Mapped[int] = mapped_column(primary_key=True)


class ArchiveNumber(Base):
    """Every 档号 ever issued; never reused, so a number stays unique and stable."""

    __tablename__ = "archive_numbers"
    __table_args__ = (Index("ix_archive_numbers_code_year", "code", "year"),)

    archive_no: Mapped[str] = mapped_column(String(80), primary_key=True)
    record_id: Mapped[int] = mapped_column(ForeignKey("records.id"), index=True)
    code: Mapped[str] = mapped_column(String(20))
    year: Mapped[int]
    seq: Mapped[int]
    assigned_at: Mapped[datetime]
    current: Mapped[bool] = mapped_column(default=True)


class AuditEntry(Base):
    """Append-only log of every change: who, when, what, before and after (JSON)."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(index=True)
    who: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(40))
    archive_no: Mapped[str] = mapped_column(String(80), default="", index=True)
    record_id: Mapped[int | None]
    before: Mapped[str] = mapped_column(Text, default="")
    after: Mapped[str] = mapped_column(Text, default="")
    detail: Mapped[str] = mapped_column(Text, default="")
    # changes made together (a bulk edit or delete) share a batch id, so one undo takes them back
    batch: Mapped[str] = mapped_column(String(40), default="", server_default="", index=True)
    # the id of the entry this change undid (撤销), so it is not offered for undo again
    undoes: Mapped[int | None] = mapped_column(index=True)
    # the change (storage.Change id) this entry belongs to: recovery asks whether it committed
    change: Mapped[str] = mapped_column(String(40), default="", index=True)


class ProfileFact(Base):
    """One fact of the unit profile (单位基本情况), e.g. ``employees`` = 职工总数; value is JSON."""

    __tablename__ = "unit_profile"

    key: Mapped[str] = mapped_column(String(60), primary_key=True)
    value: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime]
    updated_by: Mapped[str] = mapped_column(String(100), default="")


class ItemScore(Base):
    """A score entered for one scoresheet item: the clerk's 自查分 (role ``self``) or the
    inspector's 评定分 (role ``inspector``), with a remark, who and when."""

    __tablename__ = "item_scores"

    sheet_id: Mapped[str] = mapped_column(String(60), primary_key=True)
    item_no: Mapped[int] = mapped_column(primary_key=True)
    role: Mapped[str] = mapped_column(String(20), primary_key=True)
    score: Mapped[float]
    remark: Mapped[str] = mapped_column(Text, default="")
    who: Mapped[str] = mapped_column(String(100), default="")
    at: Mapped[datetime]


class PhotoLabelRow(Base):
    """What the archive knows about one filed photo (照片说明 and check results).

    The label (``taken_at`` 拍摄时间, ``subject`` 事由, ``place`` 地点, ``people`` 人物,
    ``photographer`` 摄影者, as DA/T 50 asks), what the last check found (dimensions, format,
    difference hash for near-duplicates, errors and warnings as JSON lists), and the SHA-256 of
    the photo as received once labelling has changed the archive copy's metadata.
    """

    __tablename__ = "photo_labels"

    file_id: Mapped[int] = mapped_column(ForeignKey("files.id"), primary_key=True)
    taken_at: Mapped[datetime | None]
    taken_at_source: Mapped[str] = mapped_column(String(20), default="")
    subject: Mapped[str] = mapped_column(String(300), default="")
    place: Mapped[str] = mapped_column(String(200), default="")
    people: Mapped[str] = mapped_column(String(300), default="")
    photographer: Mapped[str] = mapped_column(String(100), default="")
    width: Mapped[int | None]
    height: Mapped[int | None]
    format: Mapped[str] = mapped_column(String(10), default="")
    dhash: Mapped[str | None] = mapped_column(String(16), index=True)
    original_sha256: Mapped[str | None] = mapped_column(String(64), index=True)
    errors: Mapped[str] = mapped_column(Text, default="[]")
    warnings: Mapped[str] = mapped_column(Text, default="[]")
    checked_at: Mapped[datetime | None]
    labelled_at: Mapped[datetime | None]


class FileText(Base):
    """Text extracted from a file's content, cached by SHA-256 (derived data for the index).

    ``status`` and ``reason`` say why a file has no readable text (无文字层, 已加密, 已损坏 …);
    the file stays filed either way.
    """

    __tablename__ = "file_texts"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    kind: Mapped[str] = mapped_column(String(20), default="")
    status: Mapped[str] = mapped_column(String(20), index=True)
    reason: Mapped[str] = mapped_column(Text, default="")
    chars: Mapped[int] = mapped_column(default=0)
    text: Mapped[bytes] = mapped_column(LargeBinary, default=b"")  # zlib-compressed UTF-8
    extractor: Mapped[str] = mapped_column(String(20), default="")


class OcrPage(Base):
    """One page of a file's content that has no text layer, and what 文字识别 (OCR) read on it.

    Keyed by the content's SHA-256 like ``FileText``, so a file filed twice is read once.
    ``status`` is ``waiting`` until the background recognition reaches it, then ``ok``,
    ``empty`` or why not (``timeout``, ``too_large``, ``error``, ``unsupported``);
    ``text`` is zlib-compressed UTF-8 as in ``FileText``.
    """

    __tablename__ = "ocr_pages"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    page: Mapped[int] = mapped_column(primary_key=True)  # 0-based; 0 for a photo
    status: Mapped[str] = mapped_column(String(20), index=True, default="waiting")
    reason: Mapped[str] = mapped_column(Text, default="")
    text: Mapped[bytes] = mapped_column(LargeBinary, default=b"")
    seconds: Mapped[float] = mapped_column(default=0.0)
    engine: Mapped[str] = mapped_column(String(40), default="")


class ArchiveInfo(Base):
    """Facts about the archive kept in its own database: ``archive_id`` (the id of the settings
    file), so that a shared database is never used with another archive's folder."""

    __tablename__ = "archive_info"

    key: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[str] = mapped_column(String(200))
