"""Builders for the trials domain tests: parties, plans and trials at fixed times."""

from datetime import UTC, datetime, timedelta

from services.trials.domain import EMSD_HQ, Actor, MatchFacts, Party, Trial, make_plan

T0 = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)  # 09:00 HKT
EMSD = Actor("EMSD", "emsd")
PROVIDER = Actor("HKUST", "provider")
OTHER_PROVIDER = Actor("Rival Robotics Ltd", "provider")
DEPARTMENT = Actor("Architectural Services Department", "department")


def kpis() -> list[dict]:
    return [
        {
            "name": "Energy saved",
            "unit": "kWh/day",
            "baseline": 0,
            "target": 12,
            "direction": "increase",
        },
        {
            "name": "Fault rate 故障率",
            "unit": "%",
            "baseline": 5,
            "target": 2,
            "direction": "decrease",
        },
    ]


def match() -> MatchFacts:
    return MatchFacts(
        "m-1",
        Party(
            "wish", "w-1", "Lift fault prediction", "升降機故障預測", "w@asd.gov.hk", DEPARTMENT.org
        ),
        Party(
            "solution", "s-1", "AI lift monitoring", "人工智能升降機監測", "s@ust.hk", PROVIDER.org
        ),
    )


def plan(**overrides):
    args = {
        "venue_id": EMSD_HQ.id,
        "planned_start": T0,
        "planned_end": T0 + timedelta(days=30),
        "kpis": kpis(),
    }
    args.update(overrides)
    return make_plan(**args)


def planned_trial(**overrides) -> Trial:
    return Trial.open(match=match(), plan=plan(**overrides), by=EMSD, at=T0 - timedelta(days=7))


def running_trial(**overrides) -> Trial:
    trial = planned_trial(**overrides)
    trial.start(by=EMSD, at=T0)
    return trial


def completed_with_report(summary: str = "Energy target met; 故障率未達標。"):
    """A completed trial with readings on the first KPI only, and its sealed report."""
    from services.trials.domain import EMSD_HQ
    from services.trials.report import build_report

    trial = running_trial()
    now = T0 + timedelta(days=29)
    measurements = [
        trial.check_measurement(
            by=PROVIDER if i % 2 else EMSD,
            kpi="Energy saved",
            value=v,
            measured_at=T0 + timedelta(days=i + 1),
            now=now,
        )
        for i, v in enumerate([11.0, 12.5, 14.0, 13.5])
    ]
    trial.amend(
        by=EMSD, at=T0 + timedelta(days=2), reason="Extend", planned_end=T0 + timedelta(days=31)
    )
    trial.complete(by=EMSD, at=now, summary=summary, measurements=measurements)
    doc = build_report(trial, EMSD_HQ, measurements, published_at=now + timedelta(hours=1))
    return trial, measurements, doc
