"""Matcher service settings (env prefix INNOPORTAL_MATCHER_)."""

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from innoportal.settings import ServiceSettings


class MatcherSettings(ServiceSettings):
    """Where the matcher listens and stores, and how it matches."""

    model_config = SettingsConfigDict(env_prefix="INNOPORTAL_MATCHER_", extra="ignore")

    name: str = "matcher"
    port: int = 8103
    # bench.matching: precision of published pairs 0.88 on its test split at 0.525 (issue 13).
    threshold: float = Field(0.525, ge=0, le=1, description="Lowest score published as Matched.")
    top_k: int = Field(10, ge=1, le=100, description="Most matches published per new item.")
    snapshot_every: int = Field(500, ge=1, description="Index changes between snapshots.")
    # On the labelled set (bench/matching), 0.10 keeps 95% of the right solutions of a wish and
    # 9% of the wrong ones: a survey shows what might do, EMSD's threshold what should.
    survey_floor: float = Field(0.10, ge=0, le=1,
                                description="Lowest score a market survey lists.")
    # A draft rewritten in the other language scores 0.46 or more against its original there.
    similar_floor: float = Field(0.35, ge=0, le=1,
                                 description="Lowest score shown as a possible duplicate.")
