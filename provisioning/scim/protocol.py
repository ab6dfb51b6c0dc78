"""The SCIM service's plumbing: the bearer token, the replies and the errors.

Every request names its organisation by its token alone; a reply that is an
error is a SCIM Error message (RFC 7644 §3.12), never a page.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt
from pydantic import ValidationError
from scim2_models import (
    Context,
    Error,
    InvalidSyntaxException,
    InvalidValueException,
    NotImplementedException,
    SCIMException,
    ScimPolicy,
    UnauthorizedException,
)

from organisations.models import Organisation
from provisioning.models import ScimToken

CONTENT_TYPE = "application/scim+json"

# How far a request may depart from the RFC's strict reading, as the
# directories we serve send them (scim2-models names each case):
# - attributes we do not keep (Entra ID sends title, phone numbers, roles and
#   more) are dropped, and a PATCH of one changes nothing;
# - a PATCH remove may name what it removes in `value` (Entra ID's members);
# - a PATCH to `emails[type eq "work"].value` adds that entry when missing.
POLICY = ScimPolicy(
    unknown=ScimPolicy.Unknown.ignore,
    remove_value_as_filter=ScimPolicy.RemoveValue.apply,
    unmatched_path_filter=ScimPolicy.UnmatchedPathFilter.create,
)
MAX_COUNT = 200


class ScimRequest(HttpRequest):
    scim_token: ScimToken
    organisation: Organisation


ScimView = Callable[..., HttpResponse]


class MethodNotAllowed(SCIMException):
    status = 405
    _default_detail = "This method is not allowed on this endpoint."


class NotFound(SCIMException):
    status = 404
    _default_detail = "There is no such endpoint."


def reply(payload: dict[str, Any], status: int = 200, **headers: str) -> HttpResponse:
    response = HttpResponse(
        json.dumps(payload, ensure_ascii=False, default=str),
        status=status,
        content_type=CONTENT_TYPE,
    )
    for name, value in headers.items():
        response[name] = value
    return response


def error(exc: SCIMException) -> HttpResponse:
    message: Error = exc.to_error()
    response = reply(
        message.model_dump(scim_ctx=Context.RESOURCE_QUERY_RESPONSE), exc.status
    )
    if exc.status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="scim"'
    return response


def body(request: HttpRequest) -> dict[str, Any]:
    try:
        payload = json.loads(request.body or b"null")
    except (ValueError, UnicodeDecodeError):
        raise InvalidSyntaxException(detail="The body is not JSON.") from None
    if not isinstance(payload, dict):
        raise InvalidSyntaxException(detail="The body is not a JSON object.")
    return payload


def patch_body(request: HttpRequest) -> dict[str, Any]:
    """A PATCH body, its operations' null sub-attributes left out.

    Entra ID removes a group member with `{"$ref": null, "value": "<id>"}`;
    a null there means "not given", and is not compared with the member's
    own reference.
    """
    payload = body(request)
    for operation in payload.get("Operations") or []:
        if isinstance(operation, dict) and isinstance(operation.get("value"), list):
            operation["value"] = [
                {k: v for k, v in item.items() if v is not None}
                if isinstance(item, dict)
                else item
                for item in operation["value"]
            ]
    return payload


def validated[T](model: type[T], payload: dict[str, Any], context: Context) -> T:
    try:
        return model.model_validate(payload, scim_ctx=context)  # type: ignore[attr-defined, no-any-return]
    except ValidationError as exc:
        raise _from_validation(exc) from None


def _from_validation(exc: ValidationError) -> SCIMException:
    for problem in exc.errors():
        # scim2-models raises its own exceptions inside validation.
        cause = (problem.get("ctx") or {}).get("error")
        if isinstance(cause, SCIMException):
            return cause
    if not exc.errors():
        return InvalidValueException(detail="The body is not valid.")
    first = exc.errors()[0]
    where = ".".join(str(part) for part in first["loc"])
    return InvalidValueException(detail=f"{where}: {first['msg']}")


def _token(request: HttpRequest) -> ScimToken | None:
    header = request.headers.get("Authorization", "")
    scheme, _, secret = header.partition(" ")
    if scheme.lower() != "bearer" or not secret.strip():
        return None
    return ScimToken.objects.authenticate(secret.strip())


def endpoint(*methods: str) -> Callable[[ScimView], ScimView]:
    """A SCIM endpoint: bearer token in, SCIM errors out, no CSRF cookie.

    The CSRF check guards forms a browser posts with a session; a SCIM client
    sends no cookie and proves itself with the token on every request.
    """
    allowed = {*methods, "HEAD"} if "GET" in methods else set(methods)
    return functools.partial(_endpoint, allowed=allowed)


def _endpoint(view: ScimView, allowed: set[str]) -> ScimView:
    # CSRF exempt: nothing here reads the session; the bearer token checked
    # below is the only credential, and a browser's cookies cannot supply it.
    @csrf_exempt
    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        token = _token(request)
        if token is None:
            return error(
                UnauthorizedException(detail="A valid bearer token is required.")
            )
        token.used()
        if request.method not in allowed:
            response = error(MethodNotAllowed())
            response["Allow"] = ", ".join(sorted(allowed))
            return response
        scim_request: ScimRequest = request  # type: ignore[assignment]
        scim_request.scim_token = token
        scim_request.organisation = token.organisation
        try:
            with POLICY, transaction.atomic():
                return view(scim_request, *args, **kwargs)
        except SCIMException as exc:
            return error(exc)

    return wrapper


@endpoint("POST")
def search_everything(request: ScimRequest) -> HttpResponse:
    # RFC 7644 §3.4.3 lets a service search one resource type at a time.
    raise NotImplementedException(
        detail="Search Users and Groups each at their own endpoint."
    )


@endpoint("GET", "POST", "PUT", "PATCH", "DELETE")
def not_found(request: ScimRequest, rest: str) -> HttpResponse:
    raise NotFound(detail=f"There is no endpoint {rest}.")


def page(request: HttpRequest) -> tuple[int, int]:
    """startIndex (from 1) and count of a list request (RFC 7644 §3.4.2.4)."""

    def number(name: str, default: int) -> int:
        try:
            return int(request.GET.get(name, default))
        except ValueError:
            raise InvalidValueException(detail=f"{name} must be a number.") from None

    start = max(number("startIndex", 1), 1)
    count = min(max(number("count", 100), 0), MAX_COUNT)
    return start, count
