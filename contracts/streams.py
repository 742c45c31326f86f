"""JetStream stream definitions, declared identically by every service."""

from faststream.nats import JStream, StorageType

STREAM_NAME = "INNOPORTAL"
STREAM_SUBJECTS = ["innoportal.>"]

# The outbox relay retries a publish at most OUTBOX_MAX_BACKOFF (30 s) after the last try, and a
# restarted relay republishes at once; one hour of dedup covers that horizon with a wide margin,
# so a publish whose ack was lost is never stored twice.
DUPLICATE_WINDOW_SECONDS = 3600.0
OUTBOX_MAX_BACKOFF_SECONDS = 30.0

STREAM = JStream(
    name=STREAM_NAME,
    description="InnoPortal domain events",
    subjects=list(STREAM_SUBJECTS),
    storage=StorageType.FILE,
    duplicate_window=DUPLICATE_WINDOW_SECONDS,
    max_age=365 * 24 * 3600.0,
    # Declared by the kernel at start (innoportal.bus.ensure_streams) with exactly this config,
    # not by FastStream, which would merge in each subscriber's subjects.
    declare=False,
)

# Messages that kept failing are parked here with their reason, for an operator to inspect
# (`innoportal parked list`) and replay; kept out of innoportal.> so no consumer sees them again.
PARKED_STREAM_NAME = "INNOPORTAL_PARKED"
# The default of INNOPORTAL_PARKED_KEEP_DAYS, which the kernel applies when it ensures the stream.
PARKED_MAX_AGE_DAYS = 30.0
PARKED_SUBJECT_PREFIX = "parked"
PARKED_STREAM = JStream(
    name=PARKED_STREAM_NAME,
    description="InnoPortal messages parked after repeated failure",
    subjects=[f"{PARKED_SUBJECT_PREFIX}.>"],
    storage=StorageType.FILE,
    duplicate_window=DUPLICATE_WINDOW_SECONDS,
    max_age=PARKED_MAX_AGE_DAYS * 24 * 3600.0,
    declare=False,
)
