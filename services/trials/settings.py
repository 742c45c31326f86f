"""Trials service settings (env prefix INNOPORTAL_TRIALS_)."""

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from innoportal.settings import ServiceSettings


class TrialsSettings(ServiceSettings):
    """Where the trials service listens and stores, and where its reports are published."""

    model_config = SettingsConfigDict(env_prefix="INNOPORTAL_TRIALS_", extra="ignore")

    name: str = "trials"
    port: int = 8105
    public_url: str = Field(
        "http://127.0.0.1:8105",
        description="Public base URL of this service; report links (report_url) start with it.",
    )
    report_pdf: bool = Field(True, description="Also render and keep a PDF of every report.")
    max_batch_body_bytes: int = Field(
        1024 * 1024, ge=1024,
        description="Body limit of POST /v1/trials/{id}/measurements/batch (up to 1000 readings); "
        "every other request keeps max_body_bytes.",
    )

    def report_url_template(self) -> str:
        """The report link with {trial_id} and {version} placeholders (for TrialCompleted)."""
        base = self.public_url.rstrip("/").replace("{", "{{").replace("}", "}}")
        return base + "/v1/trials/{trial_id}/report?version={version}"
