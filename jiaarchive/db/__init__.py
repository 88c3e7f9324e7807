"""Database: typed SQLAlchemy 2 models and the Alembic migrations that create and upgrade them."""
