"""Publish rules: how much must be reviewed before an article goes out.

Read from ``[publish]`` of ``translate.toml`` (``min_reviewed = 0.8``,
``require_reviewed = ["title", "lede"]``) and overridden by command-line flags.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from translate.article import BlockKind
from translate.errors import ConfigError, PublishError
from translate.publish import BlockText, Translated

#: Parts of an article a rule can name.
PARTS = ("title", "lede", "heading", "caption")


@dataclass(frozen=True)
class PublishRules:
    """Conditions a translation must meet to be published.

    Attributes:
        min_reviewed: smallest share of reviewed sentences (0–1), ``None``: no minimum.
        require_reviewed: parts that must be fully reviewed (``title``, ``lede``: the
            first paragraph, ``heading``, ``caption``).
    """

    min_reviewed: float | None = None
    require_reviewed: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.min_reviewed is not None and not 0.0 <= self.min_reviewed <= 1.0:
            raise ConfigError(f"min_reviewed must be between 0 and 1, not {self.min_reviewed}", hint="e.g. --min-reviewed 0.8")
        unknown = [p for p in self.require_reviewed if p not in PARTS]
        if unknown:
            raise ConfigError(f"unknown part(s) to require reviewed: {', '.join(unknown)}", hint=f"choose from {', '.join(PARTS)}")

    @property
    def active(self) -> bool:
        return self.min_reviewed is not None or bool(self.require_reviewed)


def parse_parts(value: str | Iterable[str]) -> tuple[str, ...]:
    """``"title,lede"`` or a list -> ``("title", "lede")``."""
    items = value.split(",") if isinstance(value, str) else list(value)
    return tuple(p.strip().lower() for p in items if p.strip())


def read_rules(config: Path | None = None, *, min_reviewed: float | None = None, require_reviewed: str | None = None) -> PublishRules:
    """Rules from ``[publish]`` of the configuration, then the given overrides.

    Raises:
        ConfigError: a value has the wrong type or names an unknown part.
    """
    from translate.config import read_config_table

    table = read_config_table("publish", config)
    minimum = table.get("min_reviewed")
    if minimum is not None and (isinstance(minimum, bool) or not isinstance(minimum, int | float)):
        raise ConfigError("[publish] min_reviewed must be a number between 0 and 1", path=config or "translate.toml")
    parts_value = table.get("require_reviewed", [])
    if not isinstance(parts_value, str | list):
        raise ConfigError("[publish] require_reviewed must be a list such as [\"title\", \"lede\"]", path=config or "translate.toml")
    parts = parse_parts(parts_value)
    if min_reviewed is not None:
        minimum = min_reviewed
    if require_reviewed is not None:
        parts = parse_parts(require_reviewed)
    return PublishRules(float(minimum) if minimum is not None else None, parts)


def read_switch(key: str, config: Path | None = None, default: bool = False) -> bool:
    """A true/false setting of ``[publish]`` (``label``, ``metadata``).

    Raises:
        ConfigError: the value is not a boolean.
    """
    from translate.config import read_config_table

    value = read_config_table("publish", config).get(key, default)
    if not isinstance(value, bool):
        raise ConfigError(f"[publish] {key} must be true or false", path=config or "translate.toml")
    return value


def _part_blocks(translated: Translated, part: str) -> list[BlockText]:
    blocks = translated.blocks
    if part == "title":
        return [b for b in blocks if b.block.kind is BlockKind.TITLE or (b.block.kind is BlockKind.FRONT_MATTER and b.block.context == "title")]
    if part == "lede":
        return [b for b in blocks if b.block.kind is BlockKind.PARAGRAPH][:1]
    kind = {"heading": BlockKind.HEADING, "caption": BlockKind.CAPTION}[part]
    return [b for b in blocks if b.block.kind is kind]


def check_rules(translated: Translated, rules: PublishRules) -> None:
    """Stop when a translation does not meet the rules.

    Raises:
        PublishError: naming the article, what failed and how to fix it.
    """
    path = translated.article.path
    lang = translated.lang.code
    if rules.min_reviewed is not None and translated.sentences:
        share = translated.reviewed / translated.sentences
        if share + 1e-9 < rules.min_reviewed:
            raise PublishError(
                f"only {translated.reviewed} of {translated.sentences} sentences ({share:.0%}) are reviewed in {lang}, {rules.min_reviewed:.0%} required",
                path=path,
                hint="review more sentences or lower --min-reviewed",
            )
    for part in rules.require_reviewed:
        for block_text in _part_blocks(translated, part):
            if not block_text.reviewed:
                first = block_text.block.text.strip().split("\n")[0][:60]
                raise PublishError(
                    f"the {part} is not reviewed in {lang}: {first!r}",
                    path=path,
                    line=translated.article.line_of(block_text.block.pieces[0].start),
                    hint=f"review it in the catalog or drop {part} from --require-reviewed",
                )
