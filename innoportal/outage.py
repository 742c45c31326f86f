"""Whether a failure is the service's own infrastructure being away (its database down, starting
or restarting, a connection lost), as opposed to something wrong with the work itself.

A consumer must not park a message for an outage, however long: the message is fine, and it
would succeed once the database is back. Parking is for messages no retry can cure.
"""

import socket

from sqlalchemy import exc as sa

# SQLSTATE classes of PostgreSQL meaning "the server, not the statement": 08 connection
# exception, 53 insufficient resources, 57P0x operator intervention (shutdown, crash
# recovery, "the database system is not yet accepting connections").
_OUTAGE_SQLSTATES = ("08", "53", "57P")

OUTAGE_TYPES: tuple[type[BaseException], ...] = (
    ConnectionError,  # refused, reset, aborted
    socket.gaierror,  # the database's host name does not resolve (now)
    sa.DisconnectionError,
    sa.InterfaceError,  # the driver's connection is closed or broken
    sa.OperationalError,  # SQLite: locked, cannot open; PostgreSQL: server gone
    sa.TimeoutError,  # no pooled connection came back in time
)


def is_outage(error: BaseException | None) -> bool:
    """True when `error`, or anything it was raised from, says the infrastructure is away."""
    seen: set[int] = set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        if isinstance(error, OUTAGE_TYPES):
            return True
        if isinstance(error, sa.DBAPIError) and error.connection_invalidated:
            return True
        state = getattr(error, "sqlstate", None) or getattr(error, "pgcode", None)
        if isinstance(state, str) and state.startswith(_OUTAGE_SQLSTATES):
            return True
        error = getattr(error, "orig", None) or error.__cause__ or error.__context__
    return False
