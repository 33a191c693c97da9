"""Quality checks on translations: small named functions gathered in a registry.

A check looks at one ``(source, target, lang)`` pair and returns the
:class:`Failure` s it finds (usually none or one). Checks are registered with
:func:`register` under a short name that also names them on the command line,
in ``translate check`` reports and in the provenance records of machine
output; :func:`run_checks` runs them all. The checks live in
:mod:`translate.checks.standard` (numbers, links, markup, untranslated text,
loops, length, sentence ends), :mod:`translate.checks.typography` (brackets,
quotes, white space, line breaks, start punctuation, doubled words, pure
punctuation) and :mod:`translate.checks.placeables` (format placeholders,
acronyms), imported on first use.

A translator silences one check on one entry with a gettext flag, as in
Weblate: ``#, ignore-numbers`` (a translation that converts "5 miles" to
"8 km"), or, where GNU msgmerge would drop the flag, with a translator
comment starting with it (``# ignore-numbers: 5 miles is 8 km``). :func:`ignored_checks` reads those flags; Weblate's and pofilter's
names of the same checks are understood too (``ignore-end-stop``,
``ignore-same``). A silenced failure is still found and reported as
suppressed, but it neither fails ``translate check`` nor keeps the
translation from being published.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from importlib import import_module

#: The flag prefix that silences a check on one entry (``#, ignore-numbers``).
IGNORE_PREFIX = "ignore-"

#: Names of checks that only Weblate runs: ``ignore-`` flags for them are left for Weblate, not reported.
WEBLATE_ONLY = frozenset(
    """angularjs-format bbcode c-sharp-format double-space es-format i18next-interpolation inconsistent java-format
    java-messageformat javascript-format kashida long-untranslated max-length max-size md-reflink md-syntax
    multiple-failures optional-plural perl-format php-format plurals punctuation-spacing qt-format qt-plural-format
    regex ruby-format safe-html same-plurals translated unnamed-format xml-invalid zero-width-space ellipsis""".split()
)


class Severity(StrEnum):
    """How bad a failure is: errors make ``translate check`` exit non-zero."""

    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Failure:
    """One problem a check found.

    Attributes:
        check: the check's registered name (``numbers``).
        severity: error or warning.
        message: a short explanation for the translator.
    """

    check: str
    severity: Severity
    message: str


CheckFunction = Callable[[str, str, str], str | None]


@dataclass(frozen=True)
class Check:
    """A registered check.

    Attributes:
        name: short name, one word (``numbers``, ``end-punctuation``).
        severity: the severity of its failures.
        function: ``(source, target, lang) -> message or None``.
        aliases: Weblate's and pofilter's names for the same check, also
            understood in ``ignore-`` flags (``end-stop``, ``endpunc``).
    """

    name: str
    severity: Severity
    function: CheckFunction
    aliases: tuple[str, ...] = ()

    def __call__(self, source: str, target: str, lang: str) -> Failure | None:
        message = self.function(source, target, lang)
        return None if message is None else Failure(self.name, self.severity, message)


_REGISTRY: dict[str, Check] = {}
_MODULES = ("translate.checks.standard", "translate.checks.typography", "translate.checks.placeables")


def register(name: str, severity: Severity, *, aliases: Iterable[str] = ()) -> Callable[[CheckFunction], CheckFunction]:
    """Decorator: register ``function`` as the check ``name`` (``aliases``: other tools' names for it)."""

    def decorate(function: CheckFunction) -> CheckFunction:
        _REGISTRY[name] = Check(name, severity, function, tuple(aliases))
        return function

    return decorate


def checks() -> dict[str, Check]:
    """All registered checks by name, in registration order."""
    for module in _MODULES:
        import_module(module)  # registers its checks, in this order
    return dict(_REGISTRY)


#: Checks that run over whole catalogs rather than one pair (their failures can be silenced too).
CATALOG_CHECKS = ("glossary",)


@lru_cache(maxsize=1)
def _names() -> dict[str, str]:
    """Every name a flag may use (check names and aliases) -> the check's name."""
    names = {name: name for name in CATALOG_CHECKS}
    for name, check in checks().items():
        names[name] = name
        for alias in check.aliases:
            names.setdefault(alias, name)
    return names


_COMMENT_FLAGS = re.compile(r"\s*(ignore-[\w-]+(?:\s*,\s*ignore-[\w-]+)*)")


def ignore_flags(flags: Iterable[str], comment: str = "") -> tuple[str, ...]:
    """The ``ignore-`` flags of an entry: its gettext flags, and translator-comment lines that start with them.

    GNU msgmerge keeps only the flags the template has, so a translator whose
    tools run it can write the same words as a translator comment, which every
    merge keeps: ``# ignore-numbers: 5 miles is 8 km``.
    """
    found = [flag.strip() for flag in flags if flag.strip().startswith(IGNORE_PREFIX)]
    for line in comment.splitlines():
        match = _COMMENT_FLAGS.match(line)
        if match:
            found.extend(word.strip() for word in match.group(1).split(","))
    return tuple(dict.fromkeys(found))


def ignored_checks(flags: Iterable[str], comment: str = "") -> frozenset[str]:
    """The checks that an entry's ``ignore-<check>`` flags silence, by registered name.

    ``ignore-numbers`` and Weblate's ``ignore-end-stop`` (for ``end-punctuation``)
    both work, as flags or at the start of a translator-comment line (see
    :func:`ignore_flags`); flags naming no check are left out (see
    :func:`unknown_ignore_flags`).
    """
    names = _names()
    found = (names.get(flag.removeprefix(IGNORE_PREFIX)) for flag in ignore_flags(flags, comment))
    return frozenset(name for name in found if name is not None)


def unknown_ignore_flags(flags: Iterable[str], comment: str = "") -> tuple[str, ...]:
    """``ignore-`` flags that name no check of ours nor one of Weblate's (a typo silences nothing)."""
    names = _names()
    return tuple(flag for flag in ignore_flags(flags, comment) if flag.removeprefix(IGNORE_PREFIX) not in names and flag.removeprefix(IGNORE_PREFIX) not in WEBLATE_ONLY)


def run_checks(source: str, target: str, lang: str, *, only: Iterable[str] | None = None, skip: Iterable[str] = ()) -> tuple[Failure, ...]:
    """Run the registered checks on one translation.

    Args:
        source: the English text (msgid).
        target: its translation (msgstr).
        lang: the target language (BCP-47 or gettext code: ``km``).
        only: run only these checks (default: all).
        skip: leave these checks out.

    Returns:
        The failures, in registration order. An empty target yields only the
        ``empty`` failure (nothing else can be judged).
    """
    registry = checks()
    names = list(registry) if only is None else [name for name in only if name in registry]
    skipped = set(skip)
    found = []
    for name in names:
        if name in skipped:
            continue
        failure = registry[name](source, target, lang)
        if failure is not None:
            found.append(failure)
            if name == "empty":
                break
    return tuple(found)


def split_ignored(failures: Iterable[Failure], ignored: Iterable[str]) -> tuple[tuple[Failure, ...], tuple[Failure, ...]]:
    """Failures as ``(kept, suppressed)``: those of the ``ignored`` checks are suppressed."""
    silenced = frozenset(ignored)
    found = tuple(failures)
    return tuple(f for f in found if f.check not in silenced), tuple(f for f in found if f.check in silenced)


@lru_cache(maxsize=1 << 17)
def all_failures(source: str, target: str, lang: str) -> tuple[Failure, ...]:
    """:func:`run_checks` with every check, cached: machine output is checked when it is written
    (:mod:`translate.mt.pretranslate`) and again, for the error-level checks, when it is published."""
    return run_checks(source, target, lang)


def error_failures(source: str, target: str, lang: str, ignored: frozenset[str] = frozenset()) -> tuple[Failure, ...]:
    """The error-level failures of one translation (what keeps it from being published).

    Args:
        ignored: checks the entry's ``ignore-`` flags silence (:func:`ignored_checks`).

    Cached (:func:`all_failures`): a translation is checked once per process, however many editions
    of its article are published, and not again after its machine text was checked when written.
    """
    if "empty" in ignored:  # an empty target then goes through the other checks too
        names = [name for name, check in checks().items() if check.severity is Severity.ERROR and name not in ignored]
        return run_checks(source, target, lang, only=names)
    return tuple(f for f in all_failures(source, target, lang) if f.severity is Severity.ERROR and f.check not in ignored)
