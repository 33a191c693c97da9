"""Exchange formats: XLIFF 2.0 and 1.2 for catalogs, TMX 1.4 for the translation memory.

Catalogs go out as XLIFF for translators who work in a CAT tool (memoQ,
Trados, OmegaT, Okapi, Translate Toolkit) and come back through the same
safe update as every other catalog write; the memory goes out and comes in
as TMX. See docs/exchange.md.
"""
