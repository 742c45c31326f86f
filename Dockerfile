# One image for every InnoPortal service and the portal; the command chooses which:
#   docker build -t innoportal .
#   docker run innoportal innoportal serve wishes --host 0.0.0.0
# deploy/compose.yaml runs the whole system with it. Not built or run by the test suite (no
# Docker engine where it runs); tests/unit/deploy/test_containers.py checks this file.

FROM python:3.11-slim-bookworm AS build
WORKDIR /src
COPY pyproject.toml README.md ./
COPY contracts contracts
COPY innoportal innoportal
COPY services services
RUN python -m venv /opt/innoportal/.venv \
 && /opt/innoportal/.venv/bin/pip install --no-cache-dir --upgrade pip \
 && /opt/innoportal/.venv/bin/pip install --no-cache-dir .

FROM python:3.11-slim-bookworm
# The services run as this unprivileged user; they write only /var/lib/innoportal.
RUN groupadd --system --gid 10001 innoportal \
 && useradd --system --uid 10001 --gid innoportal --home-dir /var/lib/innoportal \
            --create-home --shell /usr/sbin/nologin innoportal
COPY --from=build /opt/innoportal/.venv /opt/innoportal/.venv
COPY deploy/compose/healthcheck.py /opt/innoportal/healthcheck.py
ENV PATH=/opt/innoportal/.venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    INNOPORTAL_DATA_DIR=/var/lib/innoportal \
    INNOPORTAL_LOG_FORMAT=json
WORKDIR /var/lib/innoportal
VOLUME /var/lib/innoportal
USER innoportal:innoportal
EXPOSE 8100 8101 8102 8103 8104 8105
# GET /healthz of the service PID 1 serves (its port from --port or INNOPORTAL_<NAME>_PORT).
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 \
    CMD ["python", "/opt/innoportal/healthcheck.py"]
# SIGTERM stops a service gracefully (requests finish, the relay and consumers stop).
STOPSIGNAL SIGTERM
CMD ["innoportal", "serve", "portal", "--host", "0.0.0.0"]
