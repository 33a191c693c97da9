"""Which locked model to translate English into Khmer with: the best one the license and the hardware allow.

The ranking uses only what models.lock records: the license (a commercial
newsroom may use only models whose license permits it), the size in
parameters (on a CPU, models up to :data:`CPU_MAX_PARAMETERS` run at a usable
speed as CTranslate2 int8, about one byte per parameter), and the published
FLORES-200 English->Khmer chrF++ score (:data:`REFERENCE`). Scores in another
metric or on another test set are not comparable and count as unknown; a
model with no comparable score is ranked after every model that has one and
is reported as such, never guessed.
"""

from __future__ import annotations

from dataclasses import dataclass

from translate.mt.licensing import LicenseError
from translate.mt.lockfile import LockedModel, ModelLock, Quality

#: Devices a recommendation is for.
DEVICES = ("cpu", "gpu")
#: The largest model recommended for a CPU: about 1.5 GB as CTranslate2 int8.
CPU_MAX_PARAMETERS = 1.5e9
#: What a score must measure to be compared: chrF++ on FLORES-200 devtest, English -> Khmer.
REFERENCE = Quality("chrF++", "flores200-devtest", "eng_Latn-khm_Khmr", 0.0, "")


@dataclass(frozen=True)
class Option:
    """A locked model with the one-line reason it is (or is not) chosen."""

    model: LockedModel
    reason: str


@dataclass(frozen=True)
class Recommendation:
    """The model to use and the alternatives, best first.

    Attributes:
        device: ``cpu`` or ``gpu``.
        commercial: whether only commercially usable models were allowed.
        choice: the recommended model and why; None when no model qualifies.
        alternatives: the other models that qualify, best first.
        excluded: models that do not qualify here (license, size, not pinned), with why.
    """

    device: str
    commercial: bool
    choice: Option | None
    alternatives: tuple[Option, ...]
    excluded: tuple[Option, ...]


def khmer_score(model: LockedModel) -> float | None:
    """The model's published score comparable with :data:`REFERENCE`, or None."""
    quality = model.quality
    return quality.score if quality is not None and quality.comparable(REFERENCE) else None


def _facts(model: LockedModel, device: str) -> str:
    """Score, size and license in a few words."""
    score = khmer_score(model)
    parts = [f"chrF++ {score:.1f}" if score is not None else "no published FLORES-200 eng-khm chrF++ (measure it: translate eval)"]
    count = model.parameter_count
    if count is not None:
        if device == "cpu":
            parts.append(f"{model.parameters} parameters, about {count / 1e9:.1f} GB as CTranslate2 int8")
        else:
            parts.append(f"{model.parameters} parameters, about {2 * count / 1e9:.1f} GB in GPU memory (16-bit)")
    use = "commercial use allowed" if model.commercial_use else "non-commercial use only"
    parts.append(f"{model.license}, {use}")
    return "; ".join(parts)


def _exclusion(model: LockedModel, *, commercial: bool, device: str) -> str | None:
    """Why a model does not qualify, or None when it does."""
    if not model.revision:
        return "not pinned to a revision yet, so it cannot be pulled"
    if commercial and not model.commercial_use:
        return f"licensed {model.license}: not for commercial use"
    count = model.parameter_count
    if device == "cpu" and count is not None and count > CPU_MAX_PARAMETERS:
        return f"{model.parameters} parameters: too slow on a CPU (use --gpu)"
    return None


def _rank(model: LockedModel) -> tuple[bool, float, float]:
    score = khmer_score(model)
    return (score is None, -(score or 0.0), model.parameter_count or 0.0)


def recommend(lock: ModelLock, *, commercial: bool, device: str = "cpu") -> Recommendation:
    """Rank the locked models for English->Khmer on ``device``, allowing only permitted licenses when ``commercial``.

    The best comparable published score wins; among equal scores (or none) the
    smaller model. On a CPU only models up to :data:`CPU_MAX_PARAMETERS` qualify.

    Raises:
        ValueError: ``device`` is not one of :data:`DEVICES`.
    """
    if device not in DEVICES:
        raise ValueError(f"device must be one of {', '.join(DEVICES)}, not {device!r}")
    qualified: list[LockedModel] = []
    excluded: list[Option] = []
    for model in lock.models:
        reason = _exclusion(model, commercial=commercial, device=device)
        if reason is None:
            qualified.append(model)
        else:
            excluded.append(Option(model, reason))
    qualified.sort(key=_rank)
    if not qualified:
        return Recommendation(device, commercial, None, (), tuple(excluded))
    best, rest = qualified[0], qualified[1:]
    where = "on a CPU" if device == "cpu" else "on a GPU"
    allowed = "of the models whose license permits commercial use" if commercial else "of all locked models"
    if khmer_score(best) is not None:
        why = f"best published English->Khmer quality {where} {allowed}"
    else:
        why = f"no published score {where} {allowed}; the smallest is chosen"
    choice = Option(best, f"{why} ({_facts(best, device)})")
    return Recommendation(device, commercial, choice, tuple(Option(m, _facts(m, device)) for m in rest), tuple(excluded))


def commercial_default(lock: ModelLock) -> LockedModel:
    """The model a commercial workspace uses when none is named.

    The lock's default when its license permits commercial use, else the CPU
    recommendation among the permitted models (the GPU one when no permitted
    model suits a CPU).

    Raises:
        LicenseError: models.lock has no pinned model that permits commercial use.
    """
    default = next((m for m in lock.models if m.default), None)
    if default is not None and default.commercial_use and default.revision:
        return default
    for device in DEVICES:
        found = recommend(lock, commercial=True, device=device).choice
        if found is not None:
            return found.model
    raise LicenseError("models.lock has no pinned model whose license permits commercial use", path=lock.path,
                       hint="lock one (MIT or Apache-2.0, such as M2M100 or MADLAD-400), or pass --no-commercial")


def describe(model: LockedModel) -> str:
    """A model as a hint names it: ``m2m100-1.2b (MIT, chrF++ 19.7)``."""
    score = khmer_score(model)
    return f"{model.name} ({model.license}" + (f", chrF++ {score:.1f})" if score is not None else ")")
