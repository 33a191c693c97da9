"""Review labels: one line telling readers how much of a translation people reviewed.

Templates are per language and take ``{reviewed}`` and ``{total}`` (digits
written as the language writes them). They can be overridden in
``translate.toml``::

    [labels.km]
    partial = "ការបកប្រែដោយម៉ាស៊ីន — បានពិនិត្យ {reviewed}/{total}"
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from translate.errors import ConfigError
from translate.languages import Language
from translate.metadata import localize_digits
from translate.safety import UnsafeMarkup, refuse_markup

#: ``reviewed``: every sentence reviewed; ``partial``: some or none.
DEFAULT_LABELS: dict[str, dict[str, str]] = {
    "en": {
        "reviewed": "Reviewed translation — all {total} sentences reviewed",
        "partial": "Machine translation — {reviewed} of {total} sentences reviewed",
    },
    "km": {
        "reviewed": "ការបកប្រែបានពិនិត្យរួច — ប្រយោគទាំង {total} បានពិនិត្យ",
        "partial": "ការបកប្រែដោយម៉ាស៊ីន — បានពិនិត្យ {reviewed} ក្នុងចំណោម {total} ប្រយោគ",
    },
}


def label_templates(lang: Language, overrides: Mapping[str, str] | None = None) -> dict[str, str]:
    """The templates for a language: defaults (English when none), then ``overrides``."""
    base = lang.code.split("-")[0]
    templates = dict(DEFAULT_LABELS.get(lang.code) or DEFAULT_LABELS.get(base) or DEFAULT_LABELS["en"])
    templates.update(overrides or {})
    return templates


def review_label(
    lang: Language,
    reviewed: int,
    total: int,
    overrides: Mapping[str, str] | None = None,
    *,
    khmer_digits: bool | None = None,
) -> str:
    """The label for ``reviewed`` of ``total`` sentences, e.g. ``Machine translation — 12 of 30 sentences reviewed``.

    Raises:
        ConfigError: an overriding template names an unknown field.
    """
    templates = label_templates(lang, overrides)
    template = templates["reviewed" if total and reviewed >= total else "partial"]
    digits = {"reviewed": localize_digits(str(reviewed), lang, khmer_digits), "total": localize_digits(str(total), lang, khmer_digits)}
    try:
        return template.format(**digits)
    except (KeyError, IndexError, ValueError) as error:
        raise ConfigError(f"label template {template!r} is invalid: {error}", hint="use only {reviewed} and {total}") from error


def read_label_overrides(lang: Language, config: Path | None = None) -> dict[str, str]:
    """``[labels.<lang>]`` of ``translate.toml``: ``reviewed`` and ``partial`` templates.

    Raises:
        ConfigError: the table holds something other than strings.
    """
    from translate.config import read_config_table

    table = read_config_table("labels", config)
    value = table.get(lang.code) or table.get(lang.code.split("-")[0]) or {}
    if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
        raise ConfigError(f"[labels.{lang.code}] must map reviewed/partial to strings", path=config or "translate.toml")
    unknown = set(value) - {"reviewed", "partial"}
    if unknown:
        raise ConfigError(f"[labels.{lang.code}] has unknown keys {sorted(unknown)}", path=config or "translate.toml", hint="use reviewed and partial")
    check_plain(lang, value, config or "translate.toml")
    return dict(value)


def check_plain(lang: Language, templates: Mapping[str, str], path: str | Path) -> None:
    """Refuse label templates holding markup: labels go into pages and front matter as plain text.

    Raises:
        ConfigError: a template holds a tag, a template tag or a link.
    """
    for key, template in templates.items():
        try:
            refuse_markup("", template)
        except UnsafeMarkup as error:
            raise ConfigError(f"[labels.{lang.code}] {key} holds markup: {error.markup[:60]!r}", path=path, hint="write labels as plain text") from error
