"""translate: publish English news articles in Khmer and other languages."""

from __future__ import annotations

__version__ = "0.1.0"
