from __future__ import annotations

from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from organisations.access import OrgRequest, member_required

from .glossary import TERMS
from .guides import BY_KEY, GUIDES
from .models import Dismissal


@require_GET
@member_required()
def index(request: OrgRequest) -> HttpResponse:
    return render(request, "guidance/index.html", {"guides": GUIDES})


@require_GET
@member_required()
def glossary(request: OrgRequest) -> HttpResponse:
    return render(
        request,
        "guidance/glossary.html",
        {
            "core_terms": [t for t in TERMS if t.core],
            "method_terms": [t for t in TERMS if not t.core],
        },
    )


@require_GET
@member_required()
def method_guide(request: OrgRequest, key: str) -> HttpResponse:
    guide = BY_KEY.get(key)
    if guide is None:
        raise Http404
    return render(request, "guidance/method_guide.html", {"guide": guide})


@require_POST
@member_required()
def dismiss(request: OrgRequest) -> HttpResponse:
    # Always the member's own membership: the form names nobody.
    Dismissal.objects.get_or_create(membership=request.membership)
    return redirect("organisations:dashboard", org=request.organisation.slug)
