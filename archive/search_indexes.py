"""Haystack discovers indexes in <app>/search_indexes.py; ours live in archive/search/."""

from archive.search.search_indexes import ArticleIndex

__all__ = ["ArticleIndex"]
