"""Storage: SQLAlchemy 2 models, the repository that implements `bot.ports.Store`, and the
Alembic migrations. The only place with SQL; ORM objects never leave this package."""

from storage.db import connect, upgrade
from storage.repositories import SqlStore

__all__ = ["SqlStore", "connect", "upgrade"]
