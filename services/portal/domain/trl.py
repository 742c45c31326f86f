"""Technology readiness levels: the 1-to-9 scale a solution is placed on, in the reader's words."""

from services.portal.domain.language import Language
from services.portal.domain.texts import translate

LEVELS = tuple(range(1, 10))
LOWEST, HIGHEST = LEVELS[0], LEVELS[-1]


def meaning(level: int, language: Language) -> str:
    """What `level` means, such as "system complete and qualified" (empty off the scale)."""
    return translate(f"trl.{level}", language) if level in LEVELS else ""


def described(level: int, language: Language) -> str:
    """A level with its meaning: "TRL 8: system complete and qualified"."""
    if level not in LEVELS:
        return translate("trl.short", language, level=level)
    return translate("trl.level", language, level=level, meaning=meaning(level, language))


def at_least_options(language: Language) -> list[tuple[str, str]]:
    """The TRL filter's choices as (value, label): "TRL 5 or higher", 1 to 9."""
    return [(str(level), translate("trl.at_least", language, level=level)) for level in LEVELS]
