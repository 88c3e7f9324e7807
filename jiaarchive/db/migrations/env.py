"""Alembic environment: run against the connection handed over by jiaarchive.db.session."""

from __future__ import annotations

from alembic import context

from jiaarchive.db.models import Base

config = context.config
connection = config.attributes.get("connection")
if connection is None:  # `alembic` CLI use by maintainers: build an engine from the URL
    from sqlalchemy import create_engine

    engine = create_engine(config.get_main_option("sqlalchemy.url"))
    with engine.begin() as conn:
        context.configure(connection=conn, target_metadata=Base.metadata, render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()
else:
    context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()
