"""Every service with bearer-protected writes declares the bearer scheme in OpenAPI, so /docs can
send a token: its writes require it, and the reads that show more to a token holder offer it."""

import pytest

from innoportal.services import create_app

# (service, write operation, reads taking an optional token)
SERVICES_WITH_TOKENS = [
    ("wishes", ("post", "/v1/wishes"), ["/v1/wishes", "/v1/wishes/{wish_id}"]),
    ("solutions", ("post", "/v1/solutions"), ["/v1/solutions", "/v1/solutions/{solution_id}"]),
    ("matcher", ("post", "/v1/matches/{match_id}/accept"),
     ["/v1/matches", "/v1/matches/{match_id}"]),
    ("trials", ("post", "/v1/trials"), []),
]


@pytest.fixture(autouse=True)
def _data_in_tmp(tmp_path, monkeypatch):
    # Building a runtime names a SQLite file under the data dir: keep it out of the repository.
    monkeypatch.setenv("INNOPORTAL_DATA_DIR", str(tmp_path))


def bearer_schemes(doc: dict) -> list[str]:
    schemes = doc.get("components", {}).get("securitySchemes", {})
    return [name for name, s in schemes.items()
            if s.get("type") == "http" and s.get("scheme", "").lower() == "bearer"]


@pytest.mark.parametrize("name, write, reads", SERVICES_WITH_TOKENS,
                         ids=[s[0] for s in SERVICES_WITH_TOKENS])
def test_openapi_declares_a_bearer_scheme_that_writes_use(name, write, reads):
    doc = create_app(name).openapi()
    [scheme] = bearer_schemes(doc)
    assert doc["components"]["securitySchemes"][scheme].get("bearerFormat") == "JWT"
    method, path = write
    assert {scheme: []} in doc["paths"][path][method]["security"], (name, path)
    for read in reads:
        assert {scheme: []} in doc["paths"][read]["get"]["security"], (name, read)
    # Health and metrics stay open and say so.
    assert "security" not in doc["paths"]["/healthz"]["get"]
