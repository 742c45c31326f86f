"""What the matcher's routes share: its state, and how an id arrives in a query."""

from typing import Annotated

from fastapi import Depends, Query, Request

from services.matcher.state import MatcherState

# Ids are printable ASCII (see is_record_id); anything else names no match and must not reach the
# database (PostgreSQL refuses NUL in text): 422 naming the parameter.
IdQuery = Annotated[str | None, Query(max_length=40, pattern=r"^[ -~]*$")]


def _state(request: Request) -> MatcherState:
    return request.app.state.runtime.state


StateDep = Annotated[MatcherState, Depends(_state)]
