"""newsetl: nightly news ingestion (Arabic first, then English) into PostgreSQL."""

__version__ = "0.1.0"
