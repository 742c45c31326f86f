"""Asking several services at once, so one page waits for the slowest answer, not their sum."""

import asyncio
from collections.abc import Awaitable, Mapping
from typing import Any

from services.portal.adapters.upstream import ServiceDown


async def settle(calls: Mapping[str, Awaitable[Any]]) -> tuple[dict[str, Any], list[str]]:
    """Each call's answer (None for a service that is down) and the services that were down."""
    names = list(calls)
    answers = await asyncio.gather(*calls.values(), return_exceptions=True)
    results: dict[str, Any] = {}
    down: list[str] = []
    for name, answer in zip(names, answers, strict=True):
        if isinstance(answer, ServiceDown):
            results[name] = None
            if answer.service not in down:
                down.append(answer.service)
        elif isinstance(answer, BaseException):
            raise answer
        else:
            results[name] = answer
    return results, down


async def together(*calls: Awaitable[Any]) -> list[Any]:
    """Every answer, in order; the first failure (ServiceDown, NotFound...) is raised."""
    return list(await asyncio.gather(*calls))
