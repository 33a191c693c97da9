"""Quality checks on translations: small named functions gathered in a registry.

A check looks at one ``(source, target, lang)`` pair and returns the
:class:`Failure` s it finds (usually none or one). Checks are registered with
:func:`register` under a short name that also names them on the command line,
in ``translate check`` reports and in the provenance records of machine
output; :func:`run_checks` runs them all. The standard checks live in
:mod:`translate.checks.standard`, imported on first use.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache


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
    """

    name: str
    severity: Severity
    function: CheckFunction

    def __call__(self, source: str, target: str, lang: str) -> Failure | None:
        message = self.function(source, target, lang)
        return None if message is None else Failure(self.name, self.severity, message)


_REGISTRY: dict[str, Check] = {}


def register(name: str, severity: Severity) -> Callable[[CheckFunction], CheckFunction]:
    """Decorator: register ``function`` as the check ``name``."""

    def decorate(function: CheckFunction) -> CheckFunction:
        _REGISTRY[name] = Check(name, severity, function)
        return function

    return decorate


def checks() -> dict[str, Check]:
    """All registered checks by name, in registration order."""
    import translate.checks.standard  # noqa: F401  (registers the standard checks)

    return dict(_REGISTRY)


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


@lru_cache(maxsize=1 << 16)
def error_failures(source: str, target: str, lang: str) -> tuple[Failure, ...]:
    """The error-level failures of one translation (what keeps it from being published).

    Cached: a translation is checked once per process, however many editions
    of its article are published.
    """
    names = [name for name, check in checks().items() if check.severity is Severity.ERROR]
    return run_checks(source, target, lang, only=names)
