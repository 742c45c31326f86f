"""Matcher service settings (env prefix INNOPORTAL_MATCHER_)."""

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from innoportal.settings import ServiceSettings


class MatcherSettings(ServiceSettings):
    """Where the matcher listens and stores, and how it matches."""

    model_config = SettingsConfigDict(env_prefix="INNOPORTAL_MATCHER_", extra="ignore")

    name: str = "matcher"
    port: int = 8103
    threshold: float = Field(0.40, ge=0, le=1, description="Lowest score published as Matched.")
    top_k: int = Field(10, ge=1, le=100, description="Most matches published per new item.")
    snapshot_every: int = Field(500, ge=1, description="Index changes between snapshots.")
