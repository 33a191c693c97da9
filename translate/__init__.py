"""translate: publish English news articles in Khmer and other languages."""

from __future__ import annotations

__version__ = "0.1.0"

#: The distribution this package comes from. Translate Toolkit's package is
#: also named ``translate``; the command line checks this marker to tell when
#: that one was installed over this one (:mod:`translate.cli.installation`).
DISTRIBUTION = "newsroom-translate"
