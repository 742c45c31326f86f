"""Upcasters: functions that lift an old event payload one schema version up."""

from collections.abc import Callable
from typing import Any

Payload = dict[str, Any]
_UPCASTERS: dict[tuple[str, int], Callable[[Payload], Payload]] = {}


def register_upcaster(event_type: str, from_version: int) -> Callable:
    """Register fn(payload) -> payload lifting `event_type` from `from_version` to the next."""

    def decorator(fn: Callable[[Payload], Payload]) -> Callable[[Payload], Payload]:
        _UPCASTERS[(event_type, from_version)] = fn
        return fn

    return decorator


def upcast(event_type: str, data: Payload, current: int) -> Payload:
    """Apply registered upcasters until the payload reaches `current`."""
    data = dict(data)
    version = int(data.get("schema_version", 1) or 1)
    while version < current and (fn := _UPCASTERS.get((event_type, version))):
        data = fn(data)
        version += 1
        data["schema_version"] = version
    return data
