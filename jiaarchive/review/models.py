"""The review workspace's own schema in PostgreSQL (separate from a unit archive's schema).

``review_units``   one row per unit: what its accepted bundle said (bag-info, coverage report JSON),
                   where its unpacked archive lives in the workspace folder
``review_docs``    one row per record of every unit: the filter columns, the normalised text and
                   ``tokens``, the same analyzer's tokens (``search.analyzer``) as a ``text[]``
                   with a GIN index: the cross-unit search index
``review_scores``  the inspection group's 评定分, keyed by unit name, so a re-imported bundle
                   keeps them
``review_meta``    the schema version

The tables are made with ``metadata.create_all`` and versioned by ``review_meta`` (one row);
they never share a database schema with a unit archive's Alembic tables.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, BigInteger, ForeignKey, Index, Integer, String, Text
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

SCHEMA_VERSION = 1


class ReviewBase(DeclarativeBase):
    pass


class ReviewMeta(ReviewBase):
    __tablename__ = "review_meta"

    key: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[str] = mapped_column(Text, default="")


class ReviewUnit(ReviewBase):
    __tablename__ = "review_units"

    id: Mapped[int] = mapped_column(primary_key=True)
    unit: Mapped[str] = mapped_column(String(200), unique=True)  # 单位（工会）名称: the unit's key
    unit_type: Mapped[str] = mapped_column(String(40), index=True)
    level: Mapped[str] = mapped_column(String(20))
    application_year: Mapped[int | None]
    folder: Mapped[str] = mapped_column(String(300))  # under DIR/units/
    bundle_name: Mapped[str] = mapped_column(String(300))
    bundle_sha256: Mapped[str] = mapped_column(String(64))
    exported_by: Mapped[str] = mapped_column(String(100), default="")
    exported_at: Mapped[str] = mapped_column(String(40), default="")
    imported_at: Mapped[datetime]
    records: Mapped[int] = mapped_column(Integer, default=0)
    files: Mapped[int] = mapped_column(Integer, default=0)
    coverage: Mapped[dict] = mapped_column(JSON().with_variant(JSONB(), "postgresql"))


class ReviewDoc(ReviewBase):
    __tablename__ = "review_docs"
    __table_args__ = (
        Index("ix_review_docs_tokens", "tokens", postgresql_using="gin"),
        Index("ix_review_docs_items", "items", postgresql_using="gin"),
        Index("ix_review_docs_idkeys", "idkeys", postgresql_using="gin"),
        Index("ix_review_docs_unit_code_year", "unit_id", "code", "year"),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("review_units.id", ondelete="CASCADE"))
    record_id: Mapped[int]  # the record's id in the unit's archive in the workspace
    archive_no: Mapped[str] = mapped_column(String(80))
    former: Mapped[str] = mapped_column(Text, default="")  # former 档号, space separated
    code: Mapped[str] = mapped_column(String(20))
    volume: Mapped[str] = mapped_column(String(4))
    year: Mapped[int | None]
    doc_date: Mapped[str] = mapped_column(String(10), default="")
    title: Mapped[str] = mapped_column(String(300))
    doc_no: Mapped[str] = mapped_column(String(120), default="")
    tags: Mapped[list[str]] = mapped_column(ARRAY(Text), default=list)
    items: Mapped[list[int]] = mapped_column(ARRAY(Integer), default=list)
    kinds: Mapped[list[str]] = mapped_column(ARRAY(Text), default=list)
    idkeys: Mapped[list[str]] = mapped_column(ARRAY(Text), default=list)  # analyzer.id_parts of 档号s and code
    docnokeys: Mapped[list[str]] = mapped_column(ARRAY(Text), default=list)  # analyzer.id_parts of 文号
    trashed: Mapped[bool] = mapped_column(default=False)
    norm_title: Mapped[str] = mapped_column(Text)  # analyzer.normalize(title)
    norm_meta: Mapped[str] = mapped_column(Text)  # normalised 文号, 责任者, tags, remarks
    norm_text: Mapped[str] = mapped_column(Text)  # normalised title + meta + body
    tokens: Mapped[list[str]] = mapped_column(ARRAY(Text))  # analyzer tokens of norm_text, distinct
    body: Mapped[str] = mapped_column(Text, default="")  # for snippets


class ReviewScore(ReviewBase):
    """评定分 the inspection group entered in the review (not in the unit's bundle)."""

    __tablename__ = "review_scores"

    unit: Mapped[str] = mapped_column(String(200), primary_key=True)
    sheet_id: Mapped[str] = mapped_column(String(60), primary_key=True)
    item_no: Mapped[int] = mapped_column(primary_key=True)
    score: Mapped[float]
    remark: Mapped[str] = mapped_column(Text, default="")
    who: Mapped[str] = mapped_column(String(100), default="")
    at: Mapped[datetime]
