"""One error hierarchy for the whole platform, mapped to HTTP in one place (``web.errors``).

These deliberately do not subclass ``ValueError``: litestar's own ``ValidationException`` and
``NotFoundException`` do, and a broad ``except ValueError`` would mix ours with theirs.
"""

from __future__ import annotations

from collections.abc import Mapping


class GiamsatError(Exception):
    """Base of every error the platform raises on purpose."""

    status_code = 400
    code = "error"

    def __init__(
        self, message: str, *, field: str | None = None, params: Mapping[str, object] | None = None
    ) -> None:
        """``message`` is English (a message id of the catalogue when it is one), with
        ``%(name)s`` placeholders filled from ``params``; pages and the API show it in the
        reader's language (``giamsat.web.errors``)."""
        self.template = message
        self.params = dict(params or {})
        self.message = message % self.params if self.params else message
        super().__init__(self.message)
        self.field = field


class ConfigurationError(GiamsatError):
    code = "configuration"


class InvalidQuery(GiamsatError):
    """A query parameter a page's own links never carry (a page number below 1, an unknown
    order): a 400, as litestar answers a value outside a parameter's bounds."""

    code = "invalid_request"


class InvalidInput(GiamsatError):
    status_code = 422
    code = "invalid_input"


class NotFound(GiamsatError):
    status_code = 404
    code = "not_found"


class Conflict(GiamsatError):
    status_code = 409
    code = "conflict"


class NotAuthenticated(GiamsatError):
    status_code = 401
    code = "not_authenticated"


class PermissionDenied(GiamsatError):
    status_code = 403
    code = "permission_denied"


class TooManyRequests(GiamsatError):
    """Over a limit; ``retry_after`` (seconds) is sent as the ``Retry-After`` header."""

    status_code = 429
    code = "too_many_requests"

    def __init__(
        self,
        message: str,
        *,
        field: str | None = None,
        params: Mapping[str, object] | None = None,
        retry_after: int = 60,
    ) -> None:
        super().__init__(message, field=field, params=params)
        self.retry_after = max(1, retry_after)


class SecondFactorRequired(PermissionDenied):
    """The second factor must be checked again (or set up) before this is shown."""

    code = "second_factor_required"
