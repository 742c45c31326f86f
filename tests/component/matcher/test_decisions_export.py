"""`innoportal decisions export` over the three services' public APIs, and `bench.matching
--decisions` measuring the matcher on what it wrote."""

import json
import subprocess
import sys
from pathlib import Path

from innoportal.cli import build_parser
from services.matcher.adapters.public_apis import PublicApis
from services.matcher.service.export import FORMAT, export_decisions
from services.solutions.bootstrap import bootstrap as solutions_bootstrap
from services.solutions.bootstrap import create_app as solutions_app
from services.solutions.settings import SolutionsSettings
from services.wishes.bootstrap import bootstrap as wishes_bootstrap
from services.wishes.bootstrap import create_app as wishes_app
from services.wishes.settings import WishesSettings

from ..conftest import bearer, sqlite_url
from .conftest import seed

ROOT = Path(__file__).resolve().parents[3]
EMSD = bearer("emsd", "EMSD")
WISHES = {
    "lift": {"title_en": "Predicting passenger lift breakdowns",
             "description_en": "Predict faults of passenger lifts before passengers are trapped, "
                               "from controller data and sensors.",
             "categories": ["building-services"], "contact_email": "lifts@housing.gov.hk"},
    "carpark": {"title_zh": "多層停車場空置車位偵測",
                "description_zh": "司機在停車場兜圈尋找車位；在入口顯示空置車位數目。",
                "categories": ["smart-mobility"], "contact_email": "parking@td.gov.hk"},
}
SOLUTIONS = {
    "lift": {"title_zh": "人工智能升降機故障預測平台",
             "description_zh": "分析升降機控制器的運行數據，以機器學習預測故障，"
                               "在乘客被困前安排維修。",
             "categories": ["building-services"], "contact_email": "lab@hkust.hk", "trl": 7},
    "hoist": {"title_en": "Hoisting robot for curtain wall installation",
              "description_en": "A tracked robot lifts and positions heavy glass panels on "
                                "building sites.",
              "categories": ["construction-tech"], "contact_email": "sales@robolift.hk",
              "trl": 6},
    "carpark": {"title_en": "Car park vacancy sensing and guidance",
                "description_en": "Ultrasonic sensors over each parking space detect vacant "
                                  "spaces; displays at the entrance guide drivers.",
                "categories": ["smart-mobility"], "contact_email": "hello@parksense.hk", "trl": 8},
}


async def test_the_export_holds_each_decision_and_its_records_and_the_bench_reads_it(
        matcher, serve, tmp_path):
    async with serve(wishes_bootstrap, wishes_app, WishesSettings(),
                     sqlite_url(tmp_path, "wishes")) as wishes, \
            serve(solutions_bootstrap, solutions_app, SolutionsSettings(),
                  sqlite_url(tmp_path, "solutions")) as solutions:
        w, s = {}, {}
        for key, body in WISHES.items():
            answer = await wishes.client.post("/v1/wishes", json=body,
                                              headers=bearer("department", "HD"))
            assert answer.status_code == 201, answer.text
            w[key] = answer.json()["id"]
        for key, body in SOLUTIONS.items():
            answer = await solutions.client.post("/v1/solutions", json=body,
                                                 headers=bearer("provider", f"P-{key}"))
            assert answer.status_code == 201, answer.text
            s[key] = answer.json()["id"]
        m = {pair: await seed(matcher, w[pair[0]], s[pair[1]], score) for pair, score in (
            (("lift", "lift"), 0.81), (("lift", "hoist"), 0.52), (("carpark", "carpark"), 0.74),
            (("carpark", "hoist"), 0.41))}
        decide = matcher.client.post
        assert (await decide(f"/v1/matches/{m['lift', 'lift']}/accept",
                             headers=EMSD)).status_code == 200
        assert (await decide(f"/v1/matches/{m['lift', 'hoist']}/reject", headers=EMSD,
                             json={"reason": "Not relevant: a hoisting robot"})).status_code == 200
        assert (await decide(f"/v1/matches/{m['carpark', 'carpark']}/reject", headers=EMSD,
                             json={"reason": "預算不足"})).status_code == 200

        doc = await export_decisions(PublicApis(matcher.client, wishes.client, solutions.client))

    text = json.dumps(doc, ensure_ascii=False)
    assert doc["format"] == FORMAT and "contact_email" not in text and "@" not in text
    assert [(d["match_id"], d["decision"], d["reason_kind"], d["score"])
            for d in doc["decisions"]] == [
        (m["lift", "lift"], "accepted", "none", 0.81),
        (m["lift", "hoist"], "rejected", "not_relevant", 0.52),
        (m["carpark", "carpark"], "rejected", "cost", 0.74)]  # the pending pair is left out
    assert doc["decisions"][2]["reason"] == "預算不足"
    assert sorted(r["id"] for r in doc["wishes"]) == sorted(w.values())
    assert sorted(r["id"] for r in doc["solutions"]) == sorted(s.values())
    lift = next(r for r in doc["wishes"] if r["id"] == w["lift"])
    assert lift == {"id": w["lift"], **{k: v for k, v in WISHES["lift"].items()
                                        if k != "contact_email"},
                    "title_zh": None, "description_zh": None, "status": "open"}

    path = tmp_path / "decisions.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), "utf-8")
    done = subprocess.run([sys.executable, "-m", "bench.matching", "--decisions", str(path)],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert ("decisions: 3 (1 accepted; rejected: duplicate 0, compliance 0, not_ready 0, cost 1, "
            "not_relevant 1, other 0) on 2 wishes; 3 solutions ranked") in out
    # The Chinese lift platform outranks the hoisting robot for the English lift wish, and the
    # matcher would publish the accepted pair, not the rejected-as-not-relevant one.
    assert ("matcher: an accepted solution outscores a rejected-as-not-relevant one of the same "
            "wish in 1 of 1 pairs (100%)") in out
    assert "precision 1.00, recall of the accepted 1.00" in out
    assert ("accepted share by the score EMSD was shown: 0.5-0.6 0/1, 0.7-0.8 0/1, "
            "0.8-0.9 1/1") in out


def test_the_command_line_takes_the_services_and_a_file():
    args = build_parser().parse_args(["decisions", "export", "--out", "d.json",
                                      "--matcher-url", "http://m:8103"])
    assert (args.out, args.matcher_url, args.wishes_url) == ("d.json", "http://m:8103", "")
