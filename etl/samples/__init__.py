"""Bundled sample site: Arabic and English feeds with their article pages (see build.py)."""
