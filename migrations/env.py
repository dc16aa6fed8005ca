"""Alembic environment: metadata from studyapp.models; never calls app code."""

from __future__ import annotations

import os

from alembic import context
from sqlalchemy import create_engine

from studyapp.db import UTCDateTime
from studyapp.models import Base

config = context.config
target_metadata = Base.metadata


def render_item(type_: str, obj: object, autogen_context: object) -> str | bool:
    """Write UTCDateTime as a plain DateTime(timezone=True): migrations import no app code."""
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False


def _engine():  # type: ignore[no-untyped-def]
    engine = config.attributes.get("engine")
    if engine is not None:
        return engine
    url = os.environ.get("STUDYAPP_DATABASE_URL") or "sqlite:///instance/studyapp.db"
    return create_engine(url)


def run_migrations_offline() -> None:
    url = os.environ.get("STUDYAPP_DATABASE_URL") or "sqlite:///instance/studyapp.db"
    context.configure(url=url, target_metadata=target_metadata, literal_binds=True,
                      render_as_batch=url.startswith("sqlite"), compare_type=True)  # fmt: skip
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    engine = _engine()
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=connection.dialect.name == "sqlite",
            compare_type=True,
            render_item=render_item,
        )
        with context.begin_transaction():
            context.run_migrations()
        connection.commit()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
