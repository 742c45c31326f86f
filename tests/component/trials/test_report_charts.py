"""GET /v1/trials/{id}/report/charts/{kpi}.svg: one KPI's chart as an image, in either language."""

import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta

from ..conftest import bearer, error_fields
from .conftest import KPIS, accept_match

EMSD = bearer("emsd", "EMSD")
PROVIDER = bearer("provider", "HKUST")
HOUR, DAY = timedelta(hours=1), timedelta(days=1)
SVG = "{http://www.w3.org/2000/svg}"
ODD_KPI = {"name": 'Noise <script>alert(1)</script> & "dB"', "unit": "dB(A) <b>",
           "baseline": 70, "target": 60, "direction": "decrease"}


async def completed_trial(svc, match_id: str, kpis=KPIS, readings=(("Energy saved", 14),)) -> str:
    """A trial of `kpis` that ran, took `readings` and completed: its report is version 1."""
    await accept_match(svc, match_id)
    now = datetime.now(UTC)
    opened = await svc.client.post("/v1/trials", headers=EMSD, json={
        "match_id": match_id, "venue_id": "v-emsd-hq", "planned_start": (now - HOUR).isoformat(),
        "planned_end": (now + DAY).isoformat(), "kpis": list(kpis)})
    assert opened.status_code == 201, opened.text
    trial_id = opened.json()["id"]
    assert (await svc.client.post(f"/v1/trials/{trial_id}/start", headers=EMSD)).status_code == 200
    for kpi, value in readings:
        answer = await svc.client.post(f"/v1/trials/{trial_id}/measurements", headers=PROVIDER,
                                       json={"kpi": kpi, "value": value})
        assert answer.status_code == 201, answer.text
    done = await svc.client.post(f"/v1/trials/{trial_id}/complete", headers=EMSD,
                                 json={"summary": "Done."})
    assert done.status_code == 200, done.text
    return trial_id


def texts_of(svg: str) -> tuple[str, list[str]]:
    """The chart's accessible name and every text it draws (parsing proves it well-formed XML)."""
    root = ET.fromstring(svg.encode())
    assert root.tag == SVG + "svg" and root.get("role") == "img"
    title = root.find(SVG + "title")
    assert title is not None and title.text == root.get("aria-label")
    return title.text, [t.text or "" for t in root.iter(SVG + "text")]


async def test_each_kpi_chart_is_an_svg_image_labelled_in_the_asked_language(api):
    trial_id = await completed_trial(api, "m-1")
    base = f"/v1/trials/{trial_id}/report/charts"

    english = await api.client.get(f"{base}/1.svg", params={"lang": "en"})
    assert english.status_code == 200, english.text
    assert english.headers["content-type"] == "image/svg+xml"
    assert "default-src 'none'" in english.headers["content-security-policy"]
    assert english.headers["x-report-version"] == "1"
    name, drawn = texts_of(english.text)
    assert name == "Energy saved (kWh/day): Target 12, Measured result 14"
    assert {"Time (HKT)", "Baseline 0", "Target 12", "Result 14", "kWh/day"} <= set(drawn)
    assert not any("目標" in t or "基線" in t or "時間" in t for t in [name, *drawn])

    chinese = await api.client.get(f"{base}/1.svg", params={"lang": "zh-HK"})
    assert chinese.status_code == 200 and chinese.headers["content-type"] == "image/svg+xml"
    name, drawn = texts_of(chinese.text)
    assert name == "Energy saved（kWh/day）：目標 12，量度結果 14"
    assert {"時間（香港時間）", "基線 0", "目標 12", "結果 14"} <= set(drawn)
    assert not any(word in t for t in drawn for word in ("Target", "Baseline", "Time", "Result"))
    assert 'xml:lang="zh-HK"' in chinese.text or ET.fromstring(chinese.content).get(
        "{http://www.w3.org/XML/1998/namespace}lang") == "zh-HK"
    assert english.headers["etag"] != chinese.headers["etag"]

    # The second KPI has no readings: the chart says so, in the asked language.
    _, drawn = texts_of((await api.client.get(f"{base}/2.svg", params={"lang": "zh-HK"})).text)
    assert "沒有量度數據" in drawn and "目標 2" in drawn
    # Without a language, the labels are bilingual, as in the service's own HTML report.
    _, drawn = texts_of((await api.client.get(f"{base}/1.svg")).text)
    assert "Time (HKT) / 時間（香港時間）" in drawn and "Target 目標 12" in drawn


async def test_a_named_version_is_immutable_and_the_latest_is_revalidated(api):
    trial_id = await completed_trial(api, "m-1")
    latest = await api.client.get(f"/v1/trials/{trial_id}/report/charts/1.svg")
    assert latest.headers["cache-control"] == "no-cache"
    named = await api.client.get(f"/v1/trials/{trial_id}/report/charts/1.svg",
                                 params={"version": 1, "lang": "en"})
    assert named.status_code == 200 and "immutable" in named.headers["cache-control"]


async def test_user_text_in_a_chart_is_escaped(api):
    trial_id = await completed_trial(api, "m-1", kpis=[ODD_KPI], readings=((ODD_KPI["name"], 58),))
    chart = await api.client.get(f"/v1/trials/{trial_id}/report/charts/1.svg",
                                 params={"lang": "en"})
    assert chart.status_code == 200 and "<script" not in chart.text and "<b>" not in chart.text
    name, drawn = texts_of(chart.text)
    assert name.startswith(ODD_KPI["name"]) and ODD_KPI["unit"] in drawn


async def test_unknown_trial_version_kpi_or_language_is_refused_naming_the_field(api):
    trial_id = await completed_trial(api, "m-1")
    base = f"/v1/trials/{trial_id}/report/charts"
    for path, params, status, field in (
        ("/v1/trials/t-nope/report/charts/1.svg", {}, 404, "trial_id"),
        ("/v1/trials/not%20an%20id/report/charts/1.svg", {}, 404, "trial_id"),
        (f"{base}/1.svg", {"version": 2}, 404, "version"),
        (f"{base}/1.svg", {"version": 0}, 422, "version"),
        (f"{base}/3.svg", {}, 404, "kpi"),
        (f"{base}/0.svg", {}, 404, "kpi"),
        (f"{base}/01x.svg", {}, 404, "kpi"),
        (f"{base}/99999999999999999999.svg", {}, 404, "kpi"),
        (f"{base}/1.svg", {"lang": "fr"}, 422, "lang"),
    ):
        answer = await api.client.get(path, params=params)
        assert answer.status_code == status, (path, params, answer.text)
        assert error_fields(answer) == [field], (path, params, answer.text)


async def test_a_trial_without_a_report_has_no_chart(api):
    await accept_match(api, "m-2")
    now = datetime.now(UTC)
    opened = await api.client.post("/v1/trials", headers=EMSD, json={
        "match_id": "m-2", "venue_id": "v-emsd-hq", "planned_start": (now + DAY).isoformat(),
        "planned_end": (now + 2 * DAY).isoformat(), "kpis": KPIS})
    answer = await api.client.get(f"/v1/trials/{opened.json()['id']}/report/charts/1.svg")
    assert answer.status_code == 404 and error_fields(answer) == ["report"]
