"""The container's health check: GET /healthz of the service this container serves.

    python healthcheck.py [SERVICE]

The service is the argument, else the one PID 1 serves (`innoportal serve NAME [--port N]`); its
port is --port, else INNOPORTAL_<NAME>_PORT, else the service's own (8100..8105). Exit 0 when it
answers 200, 1 otherwise. Standard library only: it runs in the image beside the service.
"""

import os
import sys
import urllib.request
from pathlib import Path

PORTS = {"portal": 8100, "wishes": 8101, "solutions": 8102, "matcher": 8103, "notifier": 8104,
         "trials": 8105}


def served(cmdline: list[str]) -> tuple[str, str]:
    """(service, port) of an `innoportal serve` command line ("" when it says none)."""
    service = cmdline[cmdline.index("serve") + 1] if "serve" in cmdline[:-1] else ""
    port = cmdline[cmdline.index("--port") + 1] if "--port" in cmdline[:-1] else ""
    return service, port


def main(argv: list[str]) -> int:
    cmdline = Path("/proc/1/cmdline").read_bytes().decode(errors="replace").split("\0") \
        if Path("/proc/1/cmdline").exists() else []
    service, port = served(cmdline)
    service = argv[0] if argv else service
    if service not in PORTS:
        print(f"healthcheck: no InnoPortal service to check ({service!r})", file=sys.stderr)
        return 1
    port = port if not argv and port else os.environ.get(
        f"INNOPORTAL_{service.upper()}_PORT", str(PORTS[service]))
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=3) as answer:
            return 0 if answer.status == 200 else 1
    except OSError as exc:
        print(f"healthcheck: {service} on port {port}: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
