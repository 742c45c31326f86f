"""Every series whose labels are known at start exists at 0 before the first request or event,
so the first one of a kind is an increase rate() sees (issue 12): routes and status classes,
record kinds, consumers and outcomes, FastStream's handlers and destinations."""

import pytest

from innoportal.settings import CommonSettings
from innoportal.testing.harness import running
from services.trials.bootstrap import bootstrap, create_app
from services.trials.settings import TrialsSettings

from .conftest import UNUSED_NATS


@pytest.fixture
def trials_runtime(tmp_path):
    common = CommonSettings(nats_url=UNUSED_NATS, data_dir=tmp_path)
    return bootstrap(TrialsSettings(database_url=f"sqlite+aiosqlite:///{tmp_path}/t.db"),
                     common=common)


async def test_every_known_series_is_there_at_zero_before_anything_happens(trials_runtime):
    app = create_app(trials_runtime)
    async with running(trials_runtime, app, bus=False) as client:
        text = (await client.get("/metrics")).text
    for sample in (
        'innoportal_http_responses_total{method="GET",route="/v1/trials/{trial_id}/report",'
        'status_class="2xx"} 0.0',
        'innoportal_http_responses_total{method="POST",route="/v1/trials",status_class="4xx"} 0.0',
        'innoportal_http_request_duration_seconds_count{method="GET",'
        'route="/v1/trials/{trial_id}/report"} 0.0',
        'innoportal_records_created_total{kind="report"} 0.0',
        'innoportal_consumer_messages_total{consumer="trials-match-decided",outcome="parked"} 0.0',
        'faststream_received_processed_messages_total{app_name="trials",broker="nats",'
        'handler="innoportal.match.decided",status="error"} 0.0',
        'faststream_published_messages_total{app_name="trials",broker="nats",'
        'destination="innoportal.trial.completed",status="success"} 0.0',
    ):
        assert sample in text, sample
