from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import Evaluation


@admin.register(Evaluation)
class EvaluationAdmin(admin.ModelAdmin):
    """How many answered, never what or who: answers and respondents stay out."""

    list_display = ["held", "organisation", "state", "answer_count"]
    list_filter = ["organisation", "state"]
    fields = ["organisation", "held", "state", "answer_count"]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).with_answer_count()

    @admin.display(description=_("answers"), ordering="answer_count")
    def answer_count(self, obj: Evaluation) -> int:
        return obj.answer_count

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
