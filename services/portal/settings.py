"""Portal settings (env prefix INNOPORTAL_PORTAL_): where it listens and where the services answer."""

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from innoportal.settings import ServiceSettings

UPSTREAMS = ("wishes", "solutions", "matcher", "notifier", "trials")


class PortalSettings(ServiceSettings):
    """The portal's port and the base URLs of the services whose APIs it reads and writes."""

    model_config = SettingsConfigDict(env_prefix="INNOPORTAL_PORTAL_", extra="ignore")

    name: str = "portal"
    port: int = 8100
    wishes_url: str = Field("http://127.0.0.1:8101", description="The wishes API.")
    solutions_url: str = Field("http://127.0.0.1:8102", description="The solutions API.")
    matcher_url: str = Field("http://127.0.0.1:8103", description="The matcher API.")
    notifier_url: str = Field("http://127.0.0.1:8104", description="The notifier API.")
    trials_url: str = Field("http://127.0.0.1:8105", description="The trials API.")
    upstream_timeout: float = Field(5.0, gt=0, le=60, description="Seconds a service may take to answer.")
    upstream_connect_timeout: float = Field(1.0, gt=0, le=30, description="Seconds to connect.")
    upstream_connections: int = Field(20, ge=1, le=500, description="Pooled connections per service.")
    page_size: int = Field(20, ge=5, le=100, description="Items on one page of a list.")
    home_seconds: float = Field(
        5.0, ge=0, le=300, description="The home page's figures are counted at most this often.")
    sign_in_links_per_address: int = Field(
        5, ge=1, le=10_000, description="Sign-in links one address may ask for in 15 minutes.")
    sign_in_links_per_client: int = Field(
        20, ge=1, le=100_000, description="Sign-in links one client (IP) may ask for in 15 minutes.")

    def upstream_urls(self) -> dict[str, str]:
        """Each service's base URL."""
        return {name: getattr(self, f"{name}_url").rstrip("/") for name in UPSTREAMS}
