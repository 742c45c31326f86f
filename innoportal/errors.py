"""The one field error of every service, framework-free so a domain may raise it.

A domain rule raises `FieldError` naming each wrong field; the HTTP layer
(innoportal.http) answers it with `status` (422 unless said otherwise) in the one error shape,
and the portal puts each message beside its field.
"""


class FieldError(Exception):
    """Bad input: one or more (field, message) pairs, answered with `status`."""

    status = 422

    def __init__(self, errors: list[tuple[str, str]] | str, message: str = "",
                 status: int | None = None):
        if isinstance(errors, str):
            errors = [(errors, message)]
        self.errors = list(errors)
        if status is not None:
            self.status = status
        super().__init__("; ".join(f"{f}: {m}" for f, m in self.errors))

    @property
    def fields(self) -> list[str]:
        """The wrong fields, in the order they were found."""
        return [f for f, _ in self.errors]
