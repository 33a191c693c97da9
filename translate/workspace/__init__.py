"""A newsroom workspace: many articles in several languages, kept in sync.

``config`` reads the ``[workspace]`` settings (``translate.toml`` or
``[tool.translate]`` of ``pyproject.toml``), ``discover`` finds the articles,
``lock`` keeps two syncs apart, ``state`` remembers what the last sync did,
``sync`` runs extract -> machine translation -> checks -> publish over what
changed, and ``status`` reports progress over the whole workspace.
"""
