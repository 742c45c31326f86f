"""Each service's committed AsyncAPI document is the one FastStream generates from its code."""

import difflib
import json
from pathlib import Path

import pytest

from contracts import EVENT_TYPES, SolutionSubmitted, WishPosted
from innoportal.services import SERVICES, asyncapi_json

ROOT = Path(__file__).resolve().parents[3]
KNOWN_SUBJECTS = {cls.SUBJECT for cls in EVENT_TYPES}


@pytest.fixture(autouse=True)
def _data_in_tmp(tmp_path, monkeypatch):
    # Building a runtime names a SQLite file under the data dir: keep it out of the repository.
    monkeypatch.setenv("INNOPORTAL_DATA_DIR", str(tmp_path))


def committed(name: str) -> str:
    path = ROOT / "services" / name / "asyncapi.json"
    assert path.exists(), f"{path} is missing: run `innoportal asyncapi`"
    return path.read_text(encoding="utf-8")


@pytest.mark.parametrize("name", list(SERVICES))
def test_committed_asyncapi_document_is_current(name):
    generated = asyncapi_json(name)
    current = committed(name)
    if current != generated:
        diff = "".join(difflib.unified_diff(
            current.splitlines(keepends=True), generated.splitlines(keepends=True),
            f"services/{name}/asyncapi.json (committed)", "generated", n=1))
        pytest.fail(f"services/{name}/asyncapi.json is stale: run `innoportal asyncapi` "
                    f"and commit the result.\n{diff[:3000]}")


@pytest.mark.parametrize("name", list(SERVICES))
def test_document_is_asyncapi_3_naming_only_contract_subjects(name):
    doc = json.loads(committed(name))
    assert doc["asyncapi"] == "3.0.0"
    assert doc["info"]["title"] == f"InnoPortal {name}"
    assert doc["servers"]["development"]["host"] == "127.0.0.1:4250"
    for channel, spec in doc.get("channels", {}).items():
        assert spec["address"] in KNOWN_SUBJECTS, f"{name}: channel {channel} is not in contracts"


def test_generation_does_not_depend_on_the_environment(monkeypatch):
    monkeypatch.setenv("INNOPORTAL_NATS_URL", "nats://elsewhere.example:4222")
    assert asyncapi_json("wishes") == committed("wishes")


def _published(doc: dict, subject: str) -> dict:
    """The payload schema of the message the service sends on `subject`."""
    channels = [key for key, spec in doc["channels"].items() if spec["address"] == subject]
    sends = [op for op in doc["operations"].values()
             if op["action"] == "send" and op["channel"]["$ref"].split("/")[-1] in channels]
    assert len(sends) == 1, f"expected one send operation on {subject}, got {sends}"
    channel = doc["channels"][sends[0]["channel"]["$ref"].split("/")[-1]]
    message_ref = next(iter(channel["messages"].values()))["$ref"].split("/")[-1]
    payload_ref = doc["components"]["messages"][message_ref]["payload"]["$ref"]
    return doc["components"]["schemas"][payload_ref.split("/")[-1]]


def test_wishes_document_names_wish_posted_with_its_contract():
    doc = json.loads(committed("wishes"))
    schema = _published(doc, "innoportal.wish.posted")
    assert schema["title"] == "WishPosted"
    assert set(schema["properties"]) == set(WishPosted.model_json_schema()["properties"])
    assert {"event_id", "occurred_at", "schema_version", "wish"} <= set(schema["properties"])
    assert schema["properties"]["wish"]["$ref"].endswith("/WishRecord")
    assert "升降機" in json.dumps(doc["components"]["schemas"]["WishRecord"], ensure_ascii=False)


def test_solutions_document_names_solution_submitted_with_its_contract():
    doc = json.loads(committed("solutions"))
    schema = _published(doc, "innoportal.solution.submitted")
    assert schema["title"] == "SolutionSubmitted"
    assert set(schema["properties"]) == set(SolutionSubmitted.model_json_schema()["properties"])
