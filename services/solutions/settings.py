"""Solutions service settings (env prefix INNOPORTAL_SOLUTIONS_)."""

from pydantic_settings import SettingsConfigDict

from innoportal.settings import ServiceSettings


class SolutionsSettings(ServiceSettings):
    """Where the solutions service listens and stores."""

    model_config = SettingsConfigDict(env_prefix="INNOPORTAL_SOLUTIONS_", extra="ignore")

    name: str = "solutions"
    port: int = 8102
