"""Target languages: BCP-47 codes, gettext names and locale data from Babel."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from translate.errors import ConfigError

#: Languages whose writing puts no space between sentences.
_NO_SPACE_BETWEEN_SENTENCES = frozenset({"zh", "ja", "th", "lo", "my", "bo"})


@dataclass(frozen=True)
class Language:
    """A target language.

    Attributes:
        code: BCP-47 tag as users write it and as HTML ``lang`` wants it (``km``, ``pt-BR``).
        gettext: the gettext / POSIX name used for folders and the ``Language`` header (``pt_BR``).
        english_name: the language's name in English (``Khmer``).
        native_name: the language's name in itself (``ខ្មែរ``).
        plural_forms: the ``Plural-Forms`` header value.
        sentence_joiner: what goes between two translated sentences.
    """

    code: str
    gettext: str
    english_name: str
    native_name: str
    plural_forms: str
    sentence_joiner: str


@lru_cache(maxsize=None)
def language(code: str) -> Language:
    """Look up a language by BCP-47 tag (``km``) or gettext name (``km_KH``).

    Raises:
        ConfigError: Babel knows no such locale.
    """
    from babel import Locale, UnknownLocaleError
    from babel.messages.plurals import get_plural

    tag = code.strip().replace("_", "-")
    try:
        locale = Locale.parse(tag, sep="-")
    except (UnknownLocaleError, ValueError) as error:
        raise ConfigError(f"unknown language code {code!r}", hint="use a BCP-47 tag such as km, th, vi, pt-BR") from error
    gettext = str(locale)
    return Language(
        code=gettext.replace("_", "-"),
        gettext=gettext,
        english_name=locale.english_name or gettext,
        native_name=locale.display_name or gettext,
        plural_forms=get_plural(locale).plural_forms,
        sentence_joiner="" if locale.language in _NO_SPACE_BETWEEN_SENTENCES else " ",
    )


def parse_languages(value: str) -> tuple[Language, ...]:
    """Parse a comma-separated list such as ``km,th`` into languages, without duplicates."""
    seen: dict[str, Language] = {}
    for part in value.split(","):
        if part.strip():
            lang = language(part)
            seen.setdefault(lang.gettext, lang)
    if not seen:
        raise ConfigError("no target language given", hint="pass --to km (or several: --to km,th)")
    return tuple(seen.values())


def language_tag(code: str) -> str:
    """A language code in the form site values are looked up by: ``pt_BR`` -> ``pt-br``."""
    return code.strip().replace("_", "-").lower()


@lru_cache(maxsize=64)
def name_like(written: str, code: str) -> str | None:
    """The English name of ``code`` written like ``written``, if that is a language's English name.

    ``name_like("english", "km")`` is ``"khmer"``, ``name_like("English",
    "km")`` is ``"Khmer"``; ``name_like("en", "km")`` is ``None`` (a code, not
    a name). Names come from Babel's English locale data.
    """
    from babel import Locale

    stripped = written.strip()
    if len(stripped) < 3 or not stripped.replace(" ", "").isalpha():
        return None
    names = Locale("en").languages
    if stripped.casefold() not in {name.casefold() for name in names.values()}:
        return None
    base = language_tag(code).split("-")[0]
    target = names.get(base)
    if target is None:
        return None
    if stripped.islower():
        return target.lower()
    if stripped.isupper():
        return target.upper()
    return target
