"""Wishes service settings (env prefix INNOPORTAL_WISHES_)."""

from pydantic_settings import SettingsConfigDict

from innoportal.settings import ServiceSettings


class WishesSettings(ServiceSettings):
    """Where the wishes service listens and stores."""

    model_config = SettingsConfigDict(env_prefix="INNOPORTAL_WISHES_", extra="ignore")

    name: str = "wishes"
    port: int = 8101
