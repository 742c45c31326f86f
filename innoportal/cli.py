"""The `innoportal` command: tokens, serving one service, `up`, AsyncAPI docs, migrations, parked
messages."""

import argparse
import asyncio
import logging
import sys
from datetime import timedelta


def cmd_token_issue(args: argparse.Namespace) -> int:
    """Print a bearer token, alone on its last line."""
    from innoportal.auth import issue_token
    from innoportal.settings import common_settings

    try:
        token = issue_token(common_settings().resolved_secret(), role=args.role, org=args.org,
                            ttl=timedelta(days=args.days))
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"# bearer token for role={args.role} org={args.org}, valid {args.days} days",
          file=sys.stderr)
    print(token)
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    """Run one service's HTTP API and bus consumers until interrupted."""
    import uvicorn

    from innoportal.redact import RedactSecrets
    from innoportal.services import SERVICES, create_app

    import os

    from innoportal.settings import common_settings

    info = SERVICES[args.service]
    prefix = f"INNOPORTAL_{args.service.upper()}_"
    port = args.port or int(os.environ.get(prefix + "PORT", info.port))
    host = args.host or os.environ.get(prefix + "HOST", "127.0.0.1")
    level = (args.log_level or common_settings().log_level).lower()
    _observe(args.service, level)  # before the app: its runtime takes the tracer provider
    app = create_app(args.service)
    from innoportal.cli_ops import prepare_or_refuse

    # Migrated before serving (INNOPORTAL_MIGRATE=0: checked), so a failure is one clear line.
    if not prepare_or_refuse(app.state.runtime):
        return 1
    # log_config=None: uvicorn's lines go through our structlog handler (innoportal.logs).
    config = uvicorn.Config(app, host=host, port=port, log_level=level, log_config=None,
                            timeout_graceful_shutdown=10)
    # After Config has set up uvicorn's loggers: links carry tokens in their query strings, in
    # the requests a service answers and in those the portal makes of the others.
    for name in ("uvicorn.access", "httpx"):
        logging.getLogger(name).addFilter(RedactSecrets())
    logging.getLogger("httpx").setLevel(logging.WARNING)  # a line per call to a service is noise
    server = uvicorn.Server(config)
    server.run()
    return 0 if server.started else 1  # a startup that failed is no success


def _observe(service: str, level: str) -> None:
    """Structured logs (the signing key never printed) and, when configured, traces."""
    from innoportal.logs import configure_logging
    from innoportal.settings import common_settings
    from innoportal.tracing import configure_tracing

    common = common_settings()
    try:
        secrets = [common.resolved_secret()]
    except (ValueError, OSError):  # said clearly when the service starts
        secrets = [common.secret_key]
    configure_logging(service, level, common.log_format, secrets=secrets)
    configure_tracing(service, common.otlp_endpoint)


def cmd_up(args: argparse.Namespace) -> int:
    """Start NATS, the mail catcher and every service; Ctrl-C stops them all."""
    from innoportal.up import run_up

    return run_up(only=args.only)


def cmd_asyncapi(args: argparse.Namespace) -> int:
    """Write (or check) each service's AsyncAPI document."""
    from pathlib import Path

    from innoportal.services import SERVICES, asyncapi_json

    stale = []
    for name in args.services or list(SERVICES):
        path = Path("services") / name / "asyncapi.json"
        doc = asyncapi_json(name)
        if args.check:
            if not path.exists() or path.read_text() != doc:
                stale.append(str(path))
        else:
            path.write_text(doc)
            print(f"wrote {path}")
    if stale:
        print("stale AsyncAPI documents (run `innoportal asyncapi`): " + ", ".join(stale),
              file=sys.stderr)
        return 1
    return 0


def cmd_mailcatcher(args: argparse.Namespace) -> int:
    """Run the local SMTP mail catcher that keeps every message as a .eml file."""
    from innoportal.mailcatcher import serve_forever

    asyncio.run(serve_forever(args.host, args.port, args.dir))
    return 0


def cmd_parked_list(args: argparse.Namespace) -> int:
    """List messages parked after repeated failure, with their reasons."""
    from innoportal.parked import list_parked
    from innoportal.settings import common_settings

    rows = asyncio.run(list_parked(args.nats_url or common_settings().nats_url))
    if not rows:
        print("no parked messages")
    for row in rows:
        print(f"{row['seq']:>6}  {row['time']}  {row['consumer']}  {row['subject']}  "
              f"attempts={row['attempts']}  {row['reason']}")
    return 0


def cmd_admin_add(args: argparse.Namespace) -> int:
    """Make EMAIL an EMSD administrator of the portal (the first one is made here)."""
    from innoportal.migrate import MigrationError
    from innoportal.services import service_module

    try:
        print(asyncio.run(service_module("portal", "admin").add_administrator(args.email, args.org)))
    except MigrationError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0


def cmd_decisions_export(args: argparse.Namespace) -> int:
    """Write EMSD's decisions on matches, with their records, for `bench.matching --decisions`."""
    import os
    from pathlib import Path

    from innoportal.services import SERVICES, service_module

    urls = {}
    for name in ("matcher", "wishes", "solutions"):
        default = os.environ.get(f"INNOPORTAL_PORTAL_{name.upper()}_URL",
                                 f"http://127.0.0.1:{SERVICES[name].port}")
        urls[name] = getattr(args, f"{name}_url") or default
    export = service_module("matcher", "export")
    out = Path(args.out) if args.out != "-" else None
    try:
        doc = asyncio.run(export.export_to_file(out, urls))
    except Exception as exc:  # a service down or answering an error: one line, not a trace
        print(f"error: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
    print(f"{len(doc['decisions'])} decisions on {len(doc['wishes'])} wishes, "
          f"{len(doc['solutions'])} solutions" + (f" -> {out}" if out else ""), file=sys.stderr)
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of `innoportal`."""
    from innoportal.auth import ROLES
    from innoportal.services import SERVICES

    parser = argparse.ArgumentParser(prog="innoportal", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    token = sub.add_parser("token", help="bearer tokens").add_subparsers(dest="action",
                                                                         required=True)
    issue = token.add_parser("issue", help="issue a bearer token")
    issue.add_argument("--role", required=True, choices=ROLES)
    issue.add_argument("--org", required=True, help="organisation, e.g. EMSD or HKUST")
    issue.add_argument("--days", type=int, default=90, help="validity in days (default 90)")
    issue.set_defaults(func=cmd_token_issue)

    serve = sub.add_parser("serve", help="run one service")
    serve.add_argument("service", choices=list(SERVICES))
    serve.add_argument("--host", default="", help="default INNOPORTAL_<SERVICE>_HOST or 127.0.0.1")
    serve.add_argument("--port", type=int, default=0, help="default INNOPORTAL_<SERVICE>_PORT")
    serve.add_argument("--log-level", default="", help="default INNOPORTAL_LOG_LEVEL (INFO)")
    serve.set_defaults(func=cmd_serve)

    up = sub.add_parser("up", help="start the whole system (embedded NATS, mail catcher)")
    up.add_argument("--only", nargs="*", choices=list(SERVICES), help="start only these services")
    up.set_defaults(func=cmd_up)

    asyncapi = sub.add_parser("asyncapi", help="write services/*/asyncapi.json")
    asyncapi.add_argument("services", nargs="*", help="services (default: all)")
    asyncapi.add_argument("--check", action="store_true", help="fail if a document is stale")
    asyncapi.set_defaults(func=cmd_asyncapi)

    mail = sub.add_parser("mailcatcher", help="local SMTP server keeping messages as files")
    mail.add_argument("--host", default="127.0.0.1")
    mail.add_argument("--port", type=int, default=8025)
    mail.add_argument("--dir", default="var/mail")
    mail.set_defaults(func=cmd_mailcatcher)

    admin = sub.add_parser("admin", help="portal accounts").add_subparsers(dest="action",
                                                                          required=True)
    add = admin.add_parser("add", help="make EMAIL an EMSD administrator")
    add.add_argument("email")
    add.add_argument("--org", default="EMSD", help="organisation (default EMSD)")
    add.set_defaults(func=cmd_admin_add)

    parked = sub.add_parser("parked", help="messages parked after repeated failure")
    parked_sub = parked.add_subparsers(dest="action", required=True)
    plist = parked_sub.add_parser("list", help="list parked messages and reasons")
    plist.add_argument("--nats-url", default="")
    plist.set_defaults(func=cmd_parked_list)
    decisions = sub.add_parser("decisions", help="EMSD's decisions on matches").add_subparsers(
        dest="action", required=True)
    export = decisions.add_parser(
        "export", help="write the decided matches and their records as JSON "
                       "(format innoportal-decisions/1, for python -m bench.matching --decisions)")
    export.add_argument("--out", default="-", help="file to write (default -: standard output)")
    for name in ("matcher", "wishes", "solutions"):
        export.add_argument(f"--{name}-url", default="",
                            help=f"the {name} API (default INNOPORTAL_PORTAL_{name.upper()}_URL "
                                 "or this machine's port)")
    export.set_defaults(func=cmd_decisions_export)
    from innoportal.cli_ops import add_commands

    add_commands(sub, parked_sub)  # migrate; parked replay and purge
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of the `innoportal` console command."""
    import os

    from innoportal.logs import configure_logging

    args = build_parser().parse_args(argv)
    configure_logging(args.command, os.environ.get("INNOPORTAL_LOG_LEVEL", "INFO"),
                      os.environ.get("INNOPORTAL_LOG_FORMAT", "auto"))
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
