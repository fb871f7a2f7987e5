"""MediaWiki's error answers: HTTP 200 with {"error": {"code", "info"}} (unless told otherwise)."""

from __future__ import annotations

from typing import Any


class ApiError(Exception):
    def __init__(
        self, code: str, info: str, *, status: int = 200, data: dict[str, Any] | None = None
    ) -> None:
        super().__init__(info)
        self.code = code
        self.info = info
        self.status = status
        #: More members of the error object (`blockinfo` for a blocked person).
        self.data = data or {}


def missing_param(name: str) -> ApiError:
    return ApiError("missingparam", f'The "{name}" parameter must be set.')


def bad_value(name: str, value: str) -> ApiError:
    return ApiError("badvalue", f'Unrecognized value for parameter "{name}": {value}.')


def bad_integer(name: str, value: str) -> ApiError:
    return ApiError("badinteger", f'Invalid value "{value}" for integer parameter "{name}".')


def bad_timestamp(name: str, value: str) -> ApiError:
    return ApiError("badtimestamp", f'Invalid value "{value}" for timestamp parameter "{name}".')


def param_mix(*names: str) -> ApiError:
    listed = ", ".join(f'"{name}"' for name in names)
    return ApiError("invalidparammix", f"The parameters {listed} can not be used together.")


def one_of(*names: str) -> ApiError:
    listed = ", ".join(f'"{name}"' for name in names)
    return ApiError("missingparam", f"One of the parameters {listed} is required.")
