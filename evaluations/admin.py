from __future__ import annotations

from typing import TYPE_CHECKING, cast

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import Evaluation, EvaluationQuerySet

if TYPE_CHECKING:
    from django.db.models import QuerySet
    from django.http import HttpRequest


@admin.register(Evaluation)
class EvaluationAdmin(admin.ModelAdmin[Evaluation]):
    """How many answered, never what or who: answers and respondents stay out."""

    list_display = ["held", "organisation", "state", "answer_count"]
    list_filter = ["organisation", "state"]
    fields = ("organisation", "held", "state", "answer_count")
    readonly_fields = fields

    def get_queryset(self, request: HttpRequest) -> QuerySet[Evaluation]:
        # The model's own manager gives it, so of the model's own QuerySet.
        queryset = cast(EvaluationQuerySet[Evaluation], super().get_queryset(request))
        return queryset.with_respondent_count()

    @admin.display(description=_("answers"), ordering="respondent_count")
    def answer_count(self, obj: Evaluation) -> int:
        # The annotation from get_queryset: one query for the whole list. The
        # admin knows its rows only as evaluations, not as annotated ones.
        count: int = vars(obj)["respondent_count"]
        return count

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(
        self, request: HttpRequest, obj: Evaluation | None = None
    ) -> bool:
        return False

    def has_delete_permission(
        self, request: HttpRequest, obj: Evaluation | None = None
    ) -> bool:
        return False
