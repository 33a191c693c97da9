"""Which models a commercial newsroom may use, and a one-line refusal for the others.

A workspace or command with ``commercial = true`` (``--commercial``) never
loads a model whose license forbids commercial use: :func:`check_commercial`
refuses it before anything is downloaded or loaded, naming the license and
the best model of models.lock that is permitted (see
:mod:`translate.mt.recommend`).

A locked model's license is in models.lock. A local folder (``--model
./dir``) states its license in its model card, the YAML front matter of
``README.md`` (``license: apache-2.0``) as Hugging Face model cards do; a
folder without one has an unknown license and is refused in commercial mode.
"""

from __future__ import annotations

import re
from pathlib import Path

from translate.errors import ConfigError

#: Licenses that permit commercial use of model weights, as SPDX writes them.
_PERMISSIVE_SPDX = ("MIT", "Apache-2.0", "BSD-2-Clause", "BSD-3-Clause", "ISC", "CC0-1.0", "CC-BY-4.0",
                    "CC-BY-SA-4.0", "MPL-2.0", "Unlicense")
#: The same, lowercase (model cards write ``apache-2.0``); licenses are compared without case.
PERMISSIVE = frozenset(name.lower() for name in _PERMISSIVE_SPDX)
_SPELLING = {name.lower(): name for name in _PERMISSIVE_SPDX}
_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?)\r?\n---[ \t]*(?:\r?\n|\Z)", re.DOTALL)
_LICENSE_LINE = re.compile(r"""^license:[ \t]*["']?([A-Za-z0-9.+_-]+)["']?[ \t]*(?:#.*)?$""", re.MULTILINE)


class LicenseError(ConfigError):
    """A commercial workspace or command asked for a model whose license does not permit commercial use."""


def permits_commercial(license_: str) -> bool | None:
    """Whether a license permits commercial use: True, False (``*-NC-*``), or None when unknown."""
    key = license_.strip().lower()
    if key in PERMISSIVE:
        return True
    if re.search(r"(^|-)nc(-|$)", key) or "noncommercial" in key or "non-commercial" in key:
        return False
    return None


def spdx(license_: str) -> str:
    """A license id as SPDX writes it (``apache-2.0`` -> ``Apache-2.0``, ``cc-by-nc-4.0`` -> ``CC-BY-NC-4.0``)."""
    key = license_.strip().lower()
    if key in _SPELLING:
        return _SPELLING[key]
    return license_.strip().upper() if key.startswith("cc") else license_.strip()


def card_license(folder: Path) -> str | None:
    """The ``license:`` of a model folder's card (front matter of ``README.md``), or None."""
    try:
        text = (Path(folder) / "README.md").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    front = _FRONT_MATTER.match(text)
    found = _LICENSE_LINE.search(front.group(1)) if front else None
    return spdx(found.group(1)) if found else None


def check_commercial(name: str, license_: str, commercial_use: bool | None, *, suggestion: str | None,
                     local: bool = False) -> None:
    """Refuse a model for commercial use unless its license permits it.

    Args:
        name: the model's name (or folder).
        license_: its license (``unknown`` when none is known).
        commercial_use: from models.lock or the model card; None when unknown.
        suggestion: the best permitted locked model, described for the hint
            (``m2m100-1.2b (MIT)``), or None when models.lock has none.
        local: the model is a local folder (the hint says how to state its license).

    Raises:
        LicenseError: the license forbids commercial use, or is unknown.
    """
    if commercial_use is True:
        return
    instead = (f"use {suggestion}, the default for commercial use (translate models recommend --commercial)" if suggestion
               else "models.lock has no model that permits commercial use")
    if commercial_use is False:
        reason = f"is licensed {license_}, which does not permit commercial use"
    else:
        reason = "has no known license, so it cannot be used commercially"
        if local:
            instead += f"; or, if its weights' license permits it, state it in {name}/README.md (front matter: license: apache-2.0)"
    raise LicenseError(
        f"model {name} {reason}, and commercial use is on (commercial = true, or --commercial)",
        hint=f"{instead}; or turn it off with --no-commercial for non-commercial work",
    )
