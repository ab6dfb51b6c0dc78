"""What the service says about itself (RFC 7644 §4), described by scim2-models."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.urls import reverse
from scim2_models import (
    Context,
    ListResponse,
    Meta,
    NotFoundException,
    ResourceType,
    Schema,
    ScimProvider,
    ServiceProviderConfig,
)
from scim2_models.resources.service_provider_config import (
    AuthenticationScheme,
    Bulk,
    ChangePassword,
    ETag,
    Filter,
    Patch,
    Sort,
)

from .groups import DirectoryGroup
from .protocol import MAX_COUNT, POLICY, ScimRequest, endpoint, reply
from .users import Department, Member, ScimUser

CONFIG = ServiceProviderConfig(
    patch=Patch(supported=True),
    bulk=Bulk(supported=False, max_operations=0, max_payload_size=0),
    filter=Filter(supported=True, max_results=MAX_COUNT),
    change_password=ChangePassword(supported=False),
    sort=Sort(supported=False),
    etag=ETag(supported=False),
    authentication_schemes=[
        AuthenticationScheme(
            type=AuthenticationScheme.Type.oauthbearertoken,
            name="Bearer token",
            description="A token an administrator creates in the settings.",
            primary=True,
        )
    ],
)

PROVIDER = ScimProvider(
    models=[Member, Department, DirectoryGroup],
    resource_types=[
        ResourceType.from_resource(ScimUser),
        ResourceType.from_resource(DirectoryGroup),
    ],
    config=CONFIG,
    policy=POLICY,
)


def _url(request: ScimRequest, name: str, **kwargs: str) -> str:
    return request.build_absolute_uri(reverse(f"scim:{name}", kwargs=kwargs or None))


def _dump(item: Any) -> dict[str, Any]:
    dumped: dict[str, Any] = item.model_dump(scim_ctx=Context.RESOURCE_QUERY_RESPONSE)
    return dumped


def _listed(model: type[Any], items: list[Any]) -> HttpResponse:
    message = ListResponse[model](  # type: ignore[valid-type]
        total_results=len(items),
        start_index=1,
        items_per_page=len(items),
        resources=items,
    )
    return reply(message.model_dump(scim_ctx=Context.SEARCH_RESPONSE))


@endpoint("GET")
def service_provider_config(request: ScimRequest) -> HttpResponse:
    config = CONFIG.model_copy(
        update={
            "meta": Meta(
                resource_type="ServiceProviderConfig",
                location=_url(request, "service_provider_config"),
            )
        }
    )
    return reply(_dump(config))


def _resource_types(request: ScimRequest) -> list[ResourceType]:
    return [
        rt.model_copy(
            update={
                "meta": Meta(
                    resource_type="ResourceType",
                    location=_url(request, "resource_type", resource_id=str(rt.id)),
                )
            }
        )
        for rt in PROVIDER.resource_types
    ]


def _schemas(request: ScimRequest) -> list[Schema]:
    return [
        schema.model_copy(
            update={
                "meta": Meta(
                    resource_type="Schema",
                    location=_url(request, "schema", resource_id=str(schema.id)),
                )
            }
        )
        for schema in PROVIDER.schemas
    ]


@endpoint("GET")
def resource_types(request: ScimRequest) -> HttpResponse:
    return _listed(ResourceType, _resource_types(request))


@endpoint("GET")
def resource_type(request: ScimRequest, resource_id: str) -> HttpResponse:
    for item in _resource_types(request):
        if item.id == resource_id:
            return reply(_dump(item))
    raise NotFoundException(detail=f"No resource type {resource_id}.")


@endpoint("GET")
def schemas(request: ScimRequest) -> HttpResponse:
    return _listed(Schema, _schemas(request))


@endpoint("GET")
def schema(request: ScimRequest, resource_id: str) -> HttpResponse:
    for item in _schemas(request):
        if item.id == resource_id:
            return reply(_dump(item))
    raise NotFoundException(detail=f"No schema {resource_id}.")
