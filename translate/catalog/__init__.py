"""Gettext catalogs: templates from articles, msgmerge-style updates, safe storage."""
