"""Alembic environment for the newsetl schema (run through `newsetl db upgrade`).

The connection comes from the caller (``config.attributes["connection"]``) so the URL and
its secrets never live in a file.
"""

from alembic import context

connection = context.config.attributes["connection"]
context.configure(connection=connection, version_table="newsetl_alembic_version")
with context.begin_transaction():
    context.run_migrations()
