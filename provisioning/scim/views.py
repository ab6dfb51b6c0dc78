"""The SCIM 2.0 endpoints (RFC 7644) under /scim/v2/, one organisation per token."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.http import HttpResponse
from scim2_models import (
    Context,
    InvalidFilterException,
    ListResponse,
    NotFoundException,
    NotImplementedException,
    PatchOp,
    ResponseParameters,
    SCIMException,
    ScimFilter,
    SearchRequest,
)
from scim2_models.path import AttrPath, CompareOperator, Comparison

from provisioning.models import ScimIdentity

from . import users
from .protocol import (
    MAX_COUNT,
    ScimRequest,
    body,
    endpoint,
    page,
    patch_body,
    reply,
    validated,
)

ScimUser = users.ScimUser

# Filters a database query answers; any other valid filter is matched by
# scim2-models on each of the organisation's resources.
USER_FIELDS = {
    "username": "user_name__iexact",
    "externalid": "external_id",
    "id": "membership__uuid",
    "emails.value": "membership__user__email__iexact",
    "emails": "membership__user__email__iexact",
}


def _identities(request: ScimRequest) -> QuerySet[ScimIdentity]:
    return (
        ScimIdentity.objects.for_organisation(request.organisation)
        .select_related("membership__user")
        .order_by("created", "pk")
    )


def _identity(request: ScimRequest, resource_id: str) -> ScimIdentity:
    key = _uuid(resource_id)
    found = _identities(request).filter(membership__uuid=key).first() if key else None
    if found is None:
        raise NotFoundException(detail=f"No user {resource_id}.")
    return found


def _uuid(resource_id: str) -> str | None:
    import uuid

    try:
        return str(uuid.UUID(resource_id))
    except ValueError:
        return None


def _simple(expression: ScimFilter[Any], fields: dict[str, str]) -> Q | None:
    node = expression.ast
    if not isinstance(node, Comparison) or node.op != CompareOperator.eq:
        return None
    path: AttrPath = node.attr_path
    key = path.attr.casefold() + (
        f".{path.sub_attr.casefold()}" if path.sub_attr else ""
    )
    lookup = fields.get(key)
    if lookup is None or not isinstance(node.value, str):
        return None
    if lookup.endswith("uuid"):
        value = _uuid(node.value)
        return Q(pk__in=[]) if value is None else Q(**{lookup: value})
    return Q(**{lookup: node.value})


class Query:
    """What a list asks for: by query parameters, or a POSTed SearchRequest."""

    def __init__(self, request: ScimRequest, model: type[Any]) -> None:
        if request.method == "POST":
            search = validated(
                SearchRequest[model],  # type: ignore[valid-type]
                body(request),
                Context.SEARCH_REQUEST,
            )
            self.filter = str(search.filter or "")
            self.start = max(search.start_index or 1, 1)
            self.count = min(
                max(search.count if search.count is not None else 100, 0), MAX_COUNT
            )
            self.parameters: ResponseParameters[Any] = search
        else:
            self.filter = request.GET.get("filter", "").strip()
            self.start, self.count = page(request)
            self.parameters = parameters(request, model)


def parameters(request: ScimRequest, model: type[Any]) -> ResponseParameters[Any]:
    """The attributes and excludedAttributes a request names (RFC 7644 §3.9)."""
    given = {
        key: request.GET[key]
        for key in ("attributes", "excludedAttributes")
        if request.GET.get(key)
    }
    return validated(ResponseParameters[model], given, Context.SEARCH_REQUEST)  # type: ignore[valid-type]


def list_of(
    request: ScimRequest,
    rows: QuerySet[Any],
    model: type[Any],
    fields: dict[str, str],
    render: Any,
) -> HttpResponse:
    query = Query(request, model)
    start, count = query.start, query.count
    if query.filter:
        try:
            expression = ScimFilter[model](query.filter)  # type: ignore[valid-type]
        except SCIMException:
            raise InvalidFilterException(detail="The filter cannot be read.") from None
        simple = _simple(expression, fields)
        if simple is None:
            matching = [
                r for r in (render(request, row) for row in rows) if expression.match(r)
            ]
            total = len(matching)
            return _listed(query, model, matching[start - 1 : start - 1 + count], total)
        rows = rows.filter(simple)
    total = rows.count()
    chosen = list(rows[start - 1 : start - 1 + count]) if count else []
    return _listed(query, model, [render(request, row) for row in chosen], total)


def _listed(
    query: Query, model: type[Any], resources: list[Any], total: int
) -> HttpResponse:
    message = ListResponse[model](  # type: ignore[valid-type]
        total_results=total,
        start_index=query.start,
        items_per_page=len(resources),
        resources=resources or None,
    )
    return reply(
        message.model_dump(
            scim_ctx=Context.SEARCH_RESPONSE, response_parameters=query.parameters
        )
    )


def one(request: ScimRequest, resource: Any, status: int = 200) -> HttpResponse:
    """One resource in a reply, with its address and version in the headers."""
    context = (
        Context.RESOURCE_CREATION_RESPONSE
        if status == 201
        else Context.RESOURCE_QUERY_RESPONSE
    )
    assert resource.meta is not None
    return reply(
        resource.model_dump(
            scim_ctx=context, response_parameters=parameters(request, type(resource))
        ),
        status,
        Location=str(resource.meta.location),
        ETag=str(resource.meta.version),
    )


def _user_reply(
    request: ScimRequest, identity: ScimIdentity, status: int = 200
) -> HttpResponse:
    identity.refresh_from_db()
    return one(request, users.as_resource(request, identity), status)


@endpoint("GET", "POST")
def user_list(request: ScimRequest) -> HttpResponse:
    if request.method == "POST":
        resource = validated(ScimUser, body(request), Context.RESOURCE_CREATION_REQUEST)
        identity = users.create(request, resource)
        return _user_reply(request, identity, 201)
    if request.method not in ("GET", "HEAD"):
        raise NotImplementedException(detail="Not supported here.")
    return list_of(
        request, _identities(request), ScimUser, USER_FIELDS, users.as_resource
    )


@endpoint("POST")
def user_search(request: ScimRequest) -> HttpResponse:
    return list_of(
        request, _identities(request), ScimUser, USER_FIELDS, users.as_resource
    )


@endpoint("GET", "PUT", "PATCH", "DELETE")
def user(request: ScimRequest, resource_id: str) -> HttpResponse:
    identity = _identity(request, resource_id)
    if request.method in ("GET", "HEAD"):
        return _user_reply(request, identity)
    if request.method == "PUT":
        resource = validated(
            ScimUser, body(request), Context.RESOURCE_REPLACEMENT_REQUEST
        )
        users.update(request, identity, resource)
        return _user_reply(request, identity)
    if request.method == "PATCH":
        patch = validated(
            PatchOp[ScimUser], patch_body(request), Context.RESOURCE_PATCH_REQUEST
        )
        resource = users.as_resource(request, identity)
        if patch.patch(resource):
            users.update(request, identity, resource)
        return _user_reply(request, identity)
    if request.method == "DELETE":
        users.remove(request, identity)
        return HttpResponse(status=204)
    raise NotImplementedException(detail="Not supported here.")
