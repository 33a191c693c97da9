"""Target languages: BCP-47 codes, gettext names and locale data from Babel."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

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
    """Look up a language by BCP-47 tag (``km``), gettext name (``km_KH``) or ISO 639-2/3 code (``khm``).

    Every spelling of one language gives the same :class:`Language`, so that
    a language has one catalog tree: ``khm``, ``km-KH``, ``km_KH`` and
    ``KM`` are all ``km``. A region is kept only where the language has
    several regional variants (``pt-BR``, ``es-419``, ``en-GB``), and only
    when it was written: a three-letter code adds none (``eng`` is ``en``).

    Raises:
        ConfigError: Babel knows no such locale (the hint names what was
            probably meant: ``kh`` is Cambodia's country code, Khmer is ``km``).
    """
    from babel import Locale, UnknownLocaleError
    from babel.core import parse_locale
    from babel.messages.plurals import get_plural

    tag = code.strip().replace("_", "-")
    try:
        locale = Locale.parse(tag, sep="-")
        written = parse_locale(tag, sep="-")
    except (UnknownLocaleError, ValueError) as error:
        raise ConfigError(f"unknown language code {code!r}", hint=_suggestion(code)) from error
    territory = locale.territory if written[1] and _regional(locale.language) else None
    if (locale.territory, locale.script) != (territory, locale.script if written[2] or territory else None):
        locale = Locale(locale.language, territory=territory, script=locale.script if (written[2] or territory) else None)
    gettext = str(locale)
    return Language(
        code=gettext.replace("_", "-"),
        gettext=gettext,
        english_name=locale.english_name or gettext,
        native_name=locale.display_name or gettext,
        plural_forms=get_plural(locale).plural_forms,
        sentence_joiner="" if locale.language in _NO_SPACE_BETWEEN_SENTENCES else " ",
    )


@lru_cache(maxsize=None)
def _regional(base: str) -> bool:
    """Whether CLDR has several regional variants of a language (``pt_BR``, ``pt_PT``…), not just one (``km_KH``)."""
    from babel.localedata import locale_identifiers

    return sum(1 for name in locale_identifiers() if name.split("_")[0] == base and name != base) > 1


def _suggestion(code: str) -> str:
    """The hint for an unknown language code: the country's language, or the code of a language name."""
    from babel import Locale
    from babel.languages import get_official_languages

    written = code.strip()
    english = Locale("en")
    territory = written.upper()
    if len(written) == 2 and territory in english.territories:
        spoken = get_official_languages(territory)
        if spoken:
            return f"{territory} is the country {english.territories[territory]}; its language is {', '.join(spoken)}"
    names = {name.casefold(): found for found, name in english.languages.items()}
    if written.casefold() in names:
        return f"the code of {written} is {names[written.casefold()]}"
    return "use a BCP-47 tag such as km, th, vi, pt-BR"


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


def other_trees(locales: Path, lang: Language) -> list[Path]:
    """Folders of a catalog tree holding ``lang`` under another name (``locales/km_KH`` for ``km``).

    Older versions, or a hand, may have made them; catalogs there are not
    found under the language's one name.
    """
    if not locales.is_dir():
        return []
    found = []
    for folder in sorted(locales.iterdir()):
        if folder.name == lang.gettext or not (folder / "LC_MESSAGES").is_dir():
            continue
        try:
            if language(folder.name).gettext == lang.gettext:
                found.append(folder)
        except ConfigError:
            continue
    return found


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
