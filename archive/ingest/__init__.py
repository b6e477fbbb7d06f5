"""Ingest: raw files in, articles out.

Every module here is pure (no Django imports) except ``pipeline``, whose save step is the
only code that touches the database.
"""
