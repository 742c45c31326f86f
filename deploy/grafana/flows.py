"""Dashboard rows for what the services do: the notifier's emails, the matcher's and trials' flow.

Metric names are those of services/notifier/metrics.py (NotifierMetrics, in the notifier's
registry), services/matcher/metrics.py (DecisionMetrics: EMSD's decisions on matches),
innoportal/metrics.py and faststream.prometheus. Otherwise the matcher's and trials' rows read
the kernel's and FastStream's metrics, filtered to them.
"""

from panels import RED_AT_1, Layout, colour, right_axis, row, stat, target, timeseries

N = 'job="innoportal", service="notifier"'
M = 'job="innoportal", service="matcher"'
T = 'job="innoportal", service="trials"'
PENDING = f'sum(innoportal_notifier_emails{{{N}, state="pending"}})'
MATCHES = "innoportal_matcher_matches"  # by status, from the matcher's database
ACCEPTED = f'sum({MATCHES}{{{M}, status="accepted"}})'
# Shares: no value (not 0%) while the denominator is 0.
SHARE_PUBLISHED = f"{ACCEPTED} / (sum({MATCHES}{{{M}}}) > 0)"
SHARE_DECIDED = f'{ACCEPTED} / (sum({MATCHES}{{{M}, status=~"accepted|rejected"}}) > 0)'
SENT_RATE = f"sum(rate(innoportal_notifier_emails_sent_total{{{N}}}[15m]))"


def _rate(metric: str, sel: str = N, by: str = "") -> str:
    group = f" by ({by})" if by else ""
    return f"sum{group} (rate({metric}{{{sel}}}[$__rate_interval]))"


def _last_24h(metric: str) -> str:
    return f"sum(increase({metric}{{{N}}}[24h])) or vector(0)"


def notifier_row(lay: Layout) -> list[dict]:
    """Emails by state, what happened to them, fan-outs, subscriptions and SMTP connections."""
    panels = [row(lay, "Notifier: emails")]
    panels.append(stat(lay, "Emails pending", [target(PENDING, "pending", instant=True)],
        description="Queued in the email outbox and not yet sent: due now, or waiting for the "
                    "retry of a 4xx / lost connection (innoportal_notifier_emails, refreshed "
                    "every INNOPORTAL_NOTIFIER_METRICS_REFRESH_SECONDS).",
        thresholds=[{"color": "green", "value": None}, {"color": "orange", "value": 1000}]))
    panels.append(stat(lay, "Emails sending", [
        target(f'sum(innoportal_notifier_emails{{{N}, state="sending"}})', "sending",
               instant=True)],
        description="Claimed by a sender and handed to SMTP. Rows a dead sender held go back to "
                    "pending after the lease (10 min)."))
    panels.append(stat(lay, "Time to send what is pending", [
        target(f"({PENDING} / {SENT_RATE} > 0) or {PENDING} * 0", "drain", instant=True)],
        unit="s", description="Pending emails divided by the send rate of the last 15 minutes; "
                              "infinite when emails wait and none was sent. Alert above 1 hour "
                              "for 30 minutes (InnoPortalEmailsPilingUp).",
        thresholds=[{"color": "green", "value": None}, {"color": "orange", "value": 600},
                    {"color": "red", "value": 3600}]))
    panels.append(stat(lay, "Sent, last 24 h", [
        target(_last_24h("innoportal_notifier_emails_sent_total"), "sent", instant=True)]))
    panels.append(stat(lay, "Failed for good, last 24 h", [
        target(_last_24h("innoportal_notifier_emails_failed_total"), "failed", instant=True)],
        description="Hard bounces (5xx to RCPT: the address is suppressed), other 5xx, emails "
                    "that could not be composed, and 4xx still failing after "
                    "INNOPORTAL_NOTIFIER_SEND_MAX_ATTEMPTS.", thresholds=RED_AT_1))
    panels.append(stat(lay, "Suppressed, last 24 h", [
        target(_last_24h("innoportal_notifier_emails_suppressed_total"), "suppressed",
               instant=True)],
        description="Not sent on purpose: address unsubscribed or hard-bounced before, or the "
                    "subscription ended while the email waited."))
    lay.newline()
    panels.append(timeseries(lay, "Notifier: emails waiting", [
        target(PENDING, "pending"),
        target(f'sum(innoportal_notifier_emails{{{N}, state="sending"}})', "sending", "B"),
        target(f'sum(innoportal_notifier_fanouts_open{{{N}}})', "fan-outs under way", "C")],
        description="The email outbox's pending and sending rows, and fan-outs still queueing "
                    "emails to subscribers (a fan-out goes in chunks of "
                    "INNOPORTAL_NOTIFIER_FANOUT_CHUNK). The metrics have no age of the oldest "
                    "pending email; the drain time above stands in for it.",
        overrides=[right_axis("fan-outs under way", "short")]))
    panels.append(timeseries(lay, "Notifier: what happens to emails, per second", [
        target(_rate("innoportal_notifier_emails_sent_total"), "sent"),
        target(_rate("innoportal_notifier_emails_failed_total"), "failed", "B"),
        target(_rate("innoportal_notifier_emails_suppressed_total"), "suppressed", "C"),
        target(_rate("innoportal_notifier_email_retries_total"), "retried (4xx, connection)",
               "D"),
        target(_rate("innoportal_notifier_emails_recovered_total"), "recovered from a dead "
               "sender", "E")],
        unit="ops", description="Counters since the notifier started: sent (SMTP accepted), "
                                "failed for good, suppressed, transient failures rescheduled, "
                                "and rows taken back from a sender that died.",
        overrides=[colour("^failed$", "red"), colour("^retried", "orange"),
                   colour("^sent$", "green"), colour("^suppressed$", "text")]))
    panels.append(timeseries(lay, "Notifier: delivery log by state", [
        target(f"sum by (state) (innoportal_notifier_emails{{{N}}})", "{{state}}")],
        description="Every row of email_outbox (which is the delivery log) by state; sent, "
                    "failed and suppressed rows stay.",
        overrides=[colour("^failed$", "red"), colour("^pending$", "orange")]))
    lay.newline()
    panels.append(timeseries(lay, "Notifier: sent/s by kind", [
        target(_rate("innoportal_notifier_emails_sent_total", by="kind"), "{{kind}}")],
        unit="ops", stack=True,
        description="confirmation, wish_alert, digest, match_found, match_decided, "
                    "trial_completed, trial_terminated."))
    panels.append(timeseries(lay, "Notifier: failures by kind, and share failed", [
        target(f"sum by (kind) (increase(innoportal_notifier_emails_failed_total{{{N}}}"
               f"[$__rate_interval]))", "{{kind}}"),
        target(f"{_rate('innoportal_notifier_emails_failed_total')} / "
               f"({_rate('innoportal_notifier_emails_sent_total')} + "
               f"{_rate('innoportal_notifier_emails_failed_total')})", "share failed", "B")],
        description="Emails failed for good per interval, by kind (a kind failing alone: its "
                    "template, InnoPortalEmailKindFailing), and failed / (sent + failed). "
                    "InnoPortalEmailsFailing alerts above 5% over 15 minutes.",
        overrides=[right_axis("share failed", "percentunit"), colour("^share failed$", "red")]))
    panels.append(timeseries(lay, "Notifier: subscriptions by status and SMTP connections", [
        target(f"sum by (status) (innoportal_notifier_subscriptions{{{N}}})", "{{status}}"),
        target(f"sum(increase(innoportal_notifier_smtp_connections_opened{{{N}}}"
               f"[$__rate_interval]))", "SMTP connections opened", "B")],
        description="Subscriptions: pending (not confirmed), confirmed, unsubscribed, replaced. "
                    "SMTP connections opened per interval: the pool reuses connections, so "
                    "many opens mean the server keeps closing them.",
        overrides=[right_axis("SMTP connections opened", "short")]))
    lay.newline()
    return panels


def matcher_trials_row(lay: Layout) -> list[dict]:
    """Matches found and decided; trials' records, lifecycle events and report latency."""
    panels = [row(lay, "Matcher and trials")]
    panels.append(timeseries(lay, "Matcher: matches found and decided", [
        target(f'sum by (destination) (increase(faststream_published_messages_total{{{M}, '
               f'status="success"}}[$__rate_interval]))', "{{destination}}")],
        description="Events the matcher published per interval: innoportal.match.found (a "
                    "wish and a solution scored above the threshold) and "
                    "innoportal.match.decided (EMSD accepted or rejected)."))
    panels.append(timeseries(lay, "Matcher: accept / reject requests", [
        target(f'sum by (route, status_class) (increase(innoportal_http_responses_total{{{M}, '
               f'route=~"/v1/matches/.+/(accept|reject)"}}[$__rate_interval]))',
               "{{route}} {{status_class}}")],
        description="Decisions on matches per interval, by answer class (4xx: refused, e.g. "
                    "409 already decided); every series from 0 at start, so the first accept "
                    "counts."))
    panels.append(timeseries(lay, "Matcher: p99 time to index and rank an event", [
        target(f'histogram_quantile(0.99, sum by (handler, le) (rate('
               f'faststream_received_processed_messages_duration_seconds_bucket{{{M}}}'
               f'[$__rate_interval])))', "{{handler}}")],
        unit="s", description="A wish or solution is scored against the whole in-memory index: "
                              "this grows with it."))
    lay.newline()
    panels.append(stat(lay, "Matcher: share of published matches accepted", [
        target(SHARE_PUBLISHED, "accepted", instant=True)],
        unit="percentunit", w=4, h=8, no_value="no matches yet",
        description="Accepted matches / every match ever published (pending ones included), "
                    "from the matcher's database (innoportal_matcher_matches by status). "
                    "bench.matching --decisions measures the matcher on these decisions."))
    panels.append(timeseries(lay, "Matcher: published matches by status, and share accepted", [
        target(f"sum by (status) ({MATCHES}{{{M}}})", "{{status}}"),
        target(SHARE_PUBLISHED, "share of published accepted", "B"),
        target(SHARE_DECIDED, "share of decided accepted", "C")],
        w=10, description="Every published match by status now (pending: EMSD has not decided), "
                          "and the shares accepted: of all published, and of those decided.",
        overrides=[right_axis("share of published accepted", "percentunit"),
                   right_axis("share of decided accepted", "percentunit"),
                   colour("^rejected$", "red"), colour("^accepted$", "green")]))
    panels.append(timeseries(lay, "Matcher: decided matches by reason", [
        target("sum by (decision, reason) (innoportal_matcher_decided_matches"
               f"{{{M}}})", "{{decision}}: {{reason}}")],
        w=10, stack=True,
        description="Accepted matches, and rejected ones by the kind of their free-text reason "
                    "(English or Chinese keywords, services/matcher/domain/decisions.py): duplicate, "
                    "compliance, not_ready, cost, not_relevant (the matcher was wrong), other. "
                    "Every series from 0 at start.",
        overrides=[colour("not_relevant$", "red"), colour("^accepted", "green")]))
    lay.newline()
    panels.append(timeseries(lay, "Trials: records created by kind", [
        target(f"sum by (kind) (increase(innoportal_records_created_total{{{T}}}"
               f"[$__rate_interval]))", "{{kind}}")],
        stack=True, description="venue, trial, measurement, report, per interval."))
    panels.append(timeseries(lay, "Trials: started, completed, terminated", [
        target(f'sum by (destination) (increase(faststream_published_messages_total{{{T}, '
               f'status="success"}}[$__rate_interval]))', "{{destination}}")],
        description="Trial lifecycle events published per interval.",
        overrides=[colour("terminated$", "red"), colour("completed$", "green")]))
    panels.append(timeseries(lay, "Trials: p99 report latency", [
        target(f'histogram_quantile(0.99, sum by (method, route, le) (rate('
               f'innoportal_http_request_duration_seconds_bucket{{{T}, '
               f'route=~"/v1/trials/.+/report.*"}}[$__rate_interval])))', "{{method}} {{route}}")],
        unit="s", description="HTML, JSON and PDF reports (a PDF not stored is rendered on "
                              "request) and corrections."))
    lay.newline()
    return panels
