"""A workspace's layout of published articles: ``[publish] layout`` and ``source_root``."""

from __future__ import annotations

from translate.layout import Layout, default_source_root, layout_settings
from translate.workspace.config import WorkspaceConfig


def workspace_layout(config: WorkspaceConfig) -> Layout:
    """Where the workspace's localized articles go (see :mod:`translate.layout`).

    ``source_root`` is relative to the workspace folder; unset, it is the
    folder every source pattern starts in (``content/en`` for
    ``content/en/**/*.md``), or for ``jekyll`` the site's folder (the nearest
    one above with ``_config.yml``).

    Raises:
        ConfigError: an unknown layout or a setting of the wrong type.
    """
    kind, source_root = layout_settings(config.table("publish"), base=config.root, where=config.file or config.root)
    return Layout(kind, source_root if source_root is not None else default_source_root(kind, config.root, config.sources))
