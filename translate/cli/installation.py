"""Is the ``translate`` package the one this command belongs to?

Translate Toolkit's import package is also named ``translate``. Installed into
the same environment after this project, it overwrites ``translate/__init__.py``
(and uninstalling it afterwards removes that file), so the command would run
with someone else's package: ``translate --version`` printed a module's repr.
The check costs one attribute lookup on a module that is already imported.
"""

from __future__ import annotations

from importlib import metadata
from pathlib import Path

#: Must equal ``translate.DISTRIBUTION``.
DISTRIBUTION = "newsroom-translate"
#: Exit status when the installation is broken.
EXIT_BROKEN_INSTALL = 5


def _installed(name: str) -> str | None:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None


def foreign_package() -> str | None:
    """One line saying what replaced this project's ``translate`` package and how to fix it; ``None`` when it is ours."""
    import translate

    if getattr(translate, "DISTRIBUTION", None) == DISTRIBUTION:
        return None
    origin = getattr(translate, "__file__", None)
    folder = Path(origin).parent if origin else Path(next(iter(getattr(translate, "__path__", [])), "?"))
    toolkit = _installed("translate-toolkit")
    culprit = (
        f"Translate Toolkit {toolkit} (also a package named translate) was installed into the same environment and replaced it"
        if toolkit
        else "another package named translate was installed into the same environment (and removed) over it"
    )
    return (
        f"the Python package in {folder} is not {DISTRIBUTION}'s: {culprit}. "
        f"Keep the two apart (pipx install {DISTRIBUTION}; pipx install translate-toolkit; or one virtual environment each), "
        f"and repair this one with: pip uninstall -y translate-toolkit; pip install --force-reinstall --no-deps {DISTRIBUTION}"
    )
