"""Write dashboards/innoportal.json, the InnoPortal Grafana dashboard (run after editing this file).

    .venv/bin/python deploy/grafana/build_dashboard.py

An overview row, the notifier's emails, the matcher's and trials' flow (flows.py), then one row
per service (repeated over the $service variable) with its HTTP, records, outbox, consumer, bus
and FastStream panels. Metric names are those of innoportal/metrics.py, services/*/metrics.py and
faststream.prometheus; `service` is the label set in prometheus.yml. Panel builders: panels.py.
"""

import json
from pathlib import Path

from flows import matcher_trials_row, notifier_row
from panels import (CONNECTED, DS, NONE, RED_AT_0, RED_AT_1, UP_DOWN, Layout, stat, target,
                    timeseries)

OUT = Path(__file__).parent / "dashboards" / "innoportal.json"
SVC = 'job="innoportal", service="$service"'
PROBES = "/readyz|/healthz|/metrics"
# innoportal_http_responses_total: every route's status classes exist from 0 at start, so the
# first request (or the first 4xx) of a route is an increase rate() sees.
RESPONSES = "innoportal_http_responses_total"
ALL_API = (f'sum by (service) (rate({RESPONSES}{{job="innoportal", '
           f'route!~"{PROBES}"}}[$__rate_interval]))')


def overview(lay: Layout) -> list[dict]:
    """The always-visible row: every service's state at a glance."""
    panels = [{"id": lay.id(), "type": "row", "title": "Overview", "collapsed": False,
               "gridPos": lay.place(24, 1), "panels": []}]
    panels.append(timeseries(lay, "Scrape up, by service", [
        target('min by (service) (up{job="innoportal"})', "{{service}}")],
        description="1 while Prometheus can scrape the service's /metrics.", w=6, h=6))
    panels.append(timeseries(lay, "Ready (/readyz probe), by service", [
        target('min by (service) (probe_success{job="innoportal-ready"})', "{{service}}")],
        description="1 while GET /readyz answers 200 ready (database and NATS checks pass); "
                    "from the blackbox exporter job innoportal-ready.", w=6, h=6))
    panels.append(timeseries(lay, "NATS connected, by service", [
        target('min by (service) (innoportal_bus_connected{job="innoportal"})', "{{service}}")],
        description="innoportal_bus_connected: 1 while connected to NATS with subscribers "
                    "started (refreshed at each /readyz).", w=6, h=6))
    panels.append(stat(lay, "Parked since services started", [
        target('sum(innoportal_consumer_messages_total{job="innoportal", outcome="parked"}) '
               'or vector(0)', "parked", instant=True)],
        description="Messages given up after INNOPORTAL_MAX_ATTEMPTS or a permanent error, "
                    "counted since each service process started. They stay in the "
                    "INNOPORTAL_PARKED stream: `innoportal parked list`.",
        w=3, h=6, thresholds=RED_AT_1))
    panels.append(stat(lay, "Oldest unpublished event", [
        target('max(innoportal_outbox_oldest_unpublished_age_seconds{job="innoportal"})',
               "age", instant=True)],
        unit="s", description="Across all services; alert at 5 minutes.", w=3, h=6,
        thresholds=[{"color": "green", "value": None}, {"color": "orange", "value": 60},
                    {"color": "red", "value": 300}]))
    lay.newline()
    panels.append(timeseries(lay, "API requests/s, by service", [target(ALL_API, "{{service}}")],
        unit="reqps", w=8, h=7))
    panels.append(timeseries(lay, "API 5xx ratio, by service", [
        target(f'sum by (service) (rate({RESPONSES}{{job="innoportal", status_class="5xx", '
               f'route!~"{PROBES}"}}[$__rate_interval])) / {ALL_API}', "{{service}}")],
        unit="percentunit", description="Alert above 5% for 10 minutes.", w=8, h=7))
    panels.append(timeseries(lay, "Events consumed/s, by service and outcome", [
        target('sum by (service, outcome) (rate(innoportal_consumer_messages_total'
               '{job="innoportal"}[$__rate_interval]))', "{{service}} {{outcome}}")],
        unit="ops", w=8, h=7))
    lay.newline()
    return panels


def service_row(lay: Layout) -> list[dict]:
    """The panels of one service; Grafana repeats the row for every selected $service."""
    panels = [{"id": lay.id(), "type": "row", "title": "$service", "collapsed": False,
               "repeat": "service", "gridPos": lay.place(24, 1), "panels": []}]
    # HTTP
    panels.append(timeseries(lay, "$service: requests/s by route", [
        target(f'sum by (method, route) (rate({RESPONSES}{{{SVC}, '
               f'route!~"{PROBES}"}}[$__rate_interval])) > 0', "{{method}} {{route}}")],
        unit="reqps", no_value=NONE,
        description="innoportal_http_responses_total, by route template: the routes asked "
                    "in the interval (none: no API request)."))
    panels.append(timeseries(lay, "$service: p99 latency by route", [
        target(f'histogram_quantile(0.99, sum by (method, route, le) (rate('
               f'innoportal_http_request_duration_seconds_bucket{{{SVC}, route!~"{PROBES}"}}'
               f'[$__rate_interval])))', "{{method}} {{route}}")],
        unit="s", description="innoportal_http_request_duration_seconds; alert above 1 s."))
    panels.append(timeseries(lay, "$service: 4xx and 5xx/s", [
        target(f'sum by (status_class) (rate({RESPONSES}{{{SVC}, status_class=~"4xx|5xx", '
               f'route!~"{PROBES}"}}[$__rate_interval]))', "{{status_class}}")],
        unit="reqps",
        description="4xx: bad input or auth (the caller's problem); 5xx: ours. "
                    "/readyz 503s are left out. By class, each from 0 at start; the exact "
                    "codes are in innoportal_http_requests_total{status} (a code's first "
                    "answer starts its series).",
        overrides=[{"matcher": {"id": "byRegexp", "options": "5.."},
                    "properties": [{"id": "color", "value": {"mode": "fixed",
                                                             "fixedColor": "red"}}]}]))
    # Records and outbox
    panels.append(timeseries(lay, "$service: records created", [
        target(f'sum by (kind) (increase(innoportal_records_created_total{{{SVC}}}'
               f'[$__rate_interval]))', "{{kind}}")], no_value=NONE,
        description="innoportal_records_created_total by kind (wish, solution, venue, trial, "
                    "measurement, report), per interval; none for a service that makes no "
                    "records of its own (portal, matcher, notifier)."))
    panels.append(timeseries(lay, "$service: outbox backlog and oldest age", [
        target(f'sum(innoportal_outbox_backlog{{{SVC}}})', "backlog (events)"),
        target(f'max(innoportal_outbox_oldest_unpublished_age_seconds{{{SVC}}})',
               "oldest age (s)", "B"),
        target(f'sum(rate(innoportal_outbox_published_total{{{SVC}}}[$__rate_interval]))',
               "published/s", "C")],
        description="Events committed with their record but not yet on JetStream. Age above "
                    "5 minutes alerts.",
        overrides=[{"matcher": {"id": "byName", "options": "oldest age (s)"},
                    "properties": [{"id": "unit", "value": "s"},
                                   {"id": "custom.axisPlacement", "value": "right"}]}]))
    panels.append(timeseries(lay, "$service: consumer outcomes/s", [
        target(f'sum by (consumer, outcome) (rate(innoportal_consumer_messages_total{{{SVC}}}'
               f'[$__rate_interval]))', "{{consumer}} {{outcome}}")],
        unit="ops", no_value=NONE,
        description="ok: handled; duplicate: seen before, skipped; retried: failed, "
                    "redelivered later; parked: given up (INNOPORTAL_PARKED). None for a "
                    "service that consumes nothing (portal).",
        overrides=[{"matcher": {"id": "byRegexp", "options": ".* parked"},
                    "properties": [{"id": "color", "value": {"mode": "fixed",
                                                             "fixedColor": "red"}}]},
                   {"matcher": {"id": "byRegexp", "options": ".* retried"},
                    "properties": [{"id": "color", "value": {"mode": "fixed",
                                                             "fixedColor": "orange"}}]}]))
    # Bus state
    panels.append(stat(lay, "$service: NATS", [
        target(f'min(innoportal_bus_connected{{{SVC}}})', "", instant=True)],
        mappings=CONNECTED, thresholds=RED_AT_0, w=4, h=8))
    panels.append(stat(lay, "$service: ready", [
        target('min(probe_success{job="innoportal-ready", service="$service"})', "",
               instant=True)],
        mappings=UP_DOWN, thresholds=RED_AT_0, w=4, h=8))
    # FastStream's own metrics (NatsPrometheusMiddleware, app_name = service).
    panels.append(timeseries(lay, "$service: FastStream received/s by handler and status", [
        target(f'sum by (handler, status) (rate(faststream_received_processed_messages_total'
               f'{{{SVC}}}[$__rate_interval]))', "{{handler}} {{status}}")],
        unit="ops", no_value=NONE,
        description="faststream_received_processed_messages_total (none: the service "
                    "subscribes to nothing)."))
    panels.append(timeseries(lay, "$service: FastStream handler p99 duration", [
        target(f'histogram_quantile(0.99, sum by (handler, le) (rate('
               f'faststream_received_processed_messages_duration_seconds_bucket{{{SVC}}}'
               f'[$__rate_interval])))', "{{handler}}")],
        unit="s", no_value=NONE,
        description="faststream_received_processed_messages_duration_seconds."))
    panels.append(timeseries(lay, "$service: FastStream in process", [
        target(f'sum by (handler) (faststream_received_messages_in_process{{{SVC}}})',
               "{{handler}}")], no_value=NONE, w=4,
        description="faststream_received_messages_in_process."))
    panels.append(timeseries(lay, "$service: FastStream handler exceptions/s", [
        target(f'sum by (handler, exception_type) (rate('
               f'faststream_received_processed_messages_exceptions_total{{{SVC}}}'
               f'[$__rate_interval]))', "{{handler}} {{exception_type}}")],
        unit="ops", no_value=NONE, w=4,
        description="faststream_received_processed_messages_exceptions_total: handlers that "
                    "raised (each is retried or parked by the consume policy); none when all "
                    "is well."))
    panels.append(timeseries(lay, "$service: FastStream received size", [
        target(f'sum by (handler) (rate(faststream_received_messages_size_bytes_sum{{{SVC}}}'
               f'[$__rate_interval])) / sum by (handler) (rate('
               f'faststream_received_messages_size_bytes_count{{{SVC}}}[$__rate_interval]))',
               "mean {{handler}}")],
        unit="bytes", no_value=NONE, description="faststream_received_messages_size_bytes."))
    panels.append(timeseries(lay, "$service: FastStream published/s by destination and status", [
        target(f'sum by (destination, status) (rate(faststream_published_messages_total{{{SVC}}}'
               f'[$__rate_interval]))', "{{destination}} {{status}}")],
        unit="ops", no_value=NONE,
        description="faststream_published_messages_total (the outbox relay's publishes; "
                    "status error while NATS is away; none: the service publishes nothing).",
        overrides=[{"matcher": {"id": "byRegexp", "options": ".* error"},
                    "properties": [{"id": "color", "value": {"mode": "fixed",
                                                             "fixedColor": "red"}}]}]))
    panels.append(timeseries(lay, "$service: FastStream publish p99 duration", [
        target(f'histogram_quantile(0.99, sum by (destination, le) (rate('
               f'faststream_published_messages_duration_seconds_bucket{{{SVC}}}'
               f'[$__rate_interval])))', "{{destination}}")],
        unit="s", no_value=NONE,
        description="faststream_published_messages_duration_seconds (to the JetStream ack)."))
    panels.append(timeseries(lay, "$service: FastStream publish exceptions/s", [
        target(f'sum by (destination, exception_type) (rate('
               f'faststream_published_messages_exceptions_total{{{SVC}}}[$__rate_interval]))',
               "{{destination}} {{exception_type}}")],
        unit="ops", no_value=NONE,
        description="faststream_published_messages_exceptions_total: none when all is well."))
    lay.newline()
    return panels


def dashboard() -> dict:
    """The whole dashboard document."""
    lay = Layout()
    panels = overview(lay) + notifier_row(lay) + matcher_trials_row(lay) + service_row(lay)
    return {
        "uid": "innoportal-services",
        "title": "InnoPortal services",
        "description": "HTTP, records, outbox, consumers, NATS and FastStream metrics of the portal "
                       "and the five InnoPortal services, the notifier's emails, matches and "
                       "trials (built by deploy/grafana/build_dashboard.py).",
        "tags": ["innoportal"],
        "timezone": "browser",
        "editable": True,
        "graphTooltip": 1,
        "refresh": "30s",
        "schemaVersion": 39,
        "version": 1,
        "time": {"from": "now-6h", "to": "now"},
        "timepicker": {},
        "links": [],
        "annotations": {"list": [{
            "builtIn": 1, "datasource": {"type": "grafana", "uid": "-- Grafana --"},
            "enable": True, "hide": True, "iconColor": "rgba(0, 211, 255, 1)",
            "name": "Annotations & Alerts", "type": "dashboard"}]},
        "templating": {"list": [
            {"name": "datasource", "label": "Prometheus", "type": "datasource",
             "query": "prometheus", "current": {}, "hide": 0, "refresh": 1, "regex": "",
             "options": [], "includeAll": False, "multi": False},
            {"name": "service", "label": "Service", "type": "query", "datasource": DS,
             "definition": 'label_values(innoportal_service_info{job="innoportal"}, service)',
             "query": {"query": 'label_values(innoportal_service_info{job="innoportal"}, service)',
                       "refId": "PrometheusVariableQueryEditor-VariableQuery"},
             "refresh": 2, "includeAll": True, "multi": True, "sort": 0,
             "current": {"selected": True, "text": ["All"], "value": ["$__all"]},
             "options": [], "hide": 0, "regex": ""},
        ]},
        "panels": panels,
    }


def main() -> None:
    """Write the dashboard JSON."""
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(dashboard(), indent=2, ensure_ascii=False) + "\n")
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
