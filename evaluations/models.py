"""Anonymous evaluations of reflection sessions, shown only in aggregate.

One Evaluation belongs to one session: one reflection (a dilemma discussed in a
meeting). Those who took part answer it once each. Two things are stored per
answer, and they are kept apart on purpose:

- a Respondent row says that a person has answered: who and which session,
  never what and never when. It is what enforces one answer per person
  (`evaluations_one_answer_per_person`).
- an Answer row, with its Score rows, says what was answered: the session and
  the scores, and an optional comment; never who, and never when.

Nothing joins the two. Neither has a timestamp (an answer's only date is the
session's, on the Evaluation) or a key that grows with time: both use random
uuid4 keys, so neither table can be put in the order people answered and
lined up with the other. Results are shown only once at least the
organisation's `evaluation_minimum` have answered, and then only as counts and
means (see docs/evaluations.md for what this does and does not protect
against).
"""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.db import IntegrityError, models, transaction
from django.db.models import Avg, Count, Q
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from meetings.models import invitees
from organisations.models import Membership, Organisation, TenantQuerySet
from reflections.models import Reflection

from .questionnaire import HIGHEST, ITEMS, ITEMS_BY_KEY, LOWEST, SCALE, Domain, Item

# How long after the session (or its sign-off, if later) answers are taken.
EVALUATION_DAYS = 30


class AlreadyAnswered(Exception):
    """The person has answered this evaluation before."""


class NotOpen(Exception):
    """The evaluation has not opened yet, or has closed."""


class NotAParticipant(Exception):
    """Only those who took part in the session answer its evaluation."""


class EvaluationQuerySet(TenantQuerySet):
    def in_units(self, unit_ids: set[int]):
        return self.filter(reflection__dilemma__group__unit__in=unit_ids)

    def held_between(self, start: datetime.date, end: datetime.date):
        return self.filter(held__gte=start, held__lte=end)

    def with_answer_count(self):
        return self.annotate(answer_count=Count("answers"))

    def reportable(self, minimum: int):
        """Evaluations with enough answers to be shown, alone or added up.

        Only whole evaluations that reach the minimum go into any sum, so no
        difference between two sums (two periods, two units) is ever smaller
        than one reportable evaluation.
        """
        return self.with_answer_count().filter(answer_count__gte=minimum)


class Evaluation(models.Model):
    """The questionnaire after one session."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="+"
    )
    reflection = models.OneToOneField(
        Reflection, on_delete=models.CASCADE, related_name="evaluation"
    )
    # The session's date in the organisation's time zone: the only date any
    # of its answers carries. No "created": the row is made by the first
    # answer, and would say when that came in.
    held = models.DateField(_("session held on"))

    objects = EvaluationQuerySet.as_manager()

    class Meta:
        ordering = ["-held", "pk"]
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")

    def __str__(self) -> str:
        return f"{self.reflection.meeting} ({self.held:%Y-%m-%d})"

    @classmethod
    def for_reflection(cls, reflection: Reflection) -> Evaluation:
        """The reflection's evaluation; unsaved until someone answers it."""
        existing = cls.objects.filter(reflection=reflection).first()
        if existing is not None:
            existing.reflection = reflection
            return existing
        return cls(
            organisation_id=reflection.organisation_id,
            reflection=reflection,
            held=session_date(reflection),
        )

    @property
    def minimum(self) -> int:
        return self.reflection.organisation.evaluation_minimum

    @property
    def opens(self) -> datetime.datetime:
        """When the session is over: the meeting has ended or it was signed off."""
        meeting_end = self.reflection.meeting.end
        signed_off = self.reflection.signed_off
        return min(meeting_end, signed_off) if signed_off else meeting_end

    @property
    def closes(self) -> datetime.datetime:
        meeting_end = self.reflection.meeting.end
        signed_off = self.reflection.signed_off or meeting_end
        return max(meeting_end, signed_off) + datetime.timedelta(days=EVALUATION_DAYS)

    def is_open(self, now: datetime.datetime | None = None) -> bool:
        now = now or timezone.now()
        return self.opens <= now < self.closes

    def participants(self):
        """Who took part: those recorded as present, else the group's people."""
        meeting = self.reflection.meeting
        if meeting.attended_count is not None:
            return Membership.objects.filter(
                attendances__meeting=meeting, is_active=True
            )
        return Membership.objects.filter(
            pk__in=[m.pk for m in invitees(self.reflection.dilemma.group)]
        )

    def takes_part(self, membership: Membership) -> bool:
        return self.participants().filter(pk=membership.pk).exists()

    def answered_by(self, membership: Membership) -> bool:
        if self.pk is None:
            return False
        return self.respondents.filter(membership=membership).exists()

    def answer_count(self) -> int:
        if self.pk is None:
            return 0
        return self.answers.count()

    def shortfall(self, count: int) -> int:
        """How many more answers are needed before results are shown."""
        return max(self.minimum - count, 0)

    @transaction.atomic
    def record_answer(
        self, membership: Membership, *, scores: dict[str, int], comment: str = ""
    ) -> None:
        """Store one person's answer: that they answered, and apart, what."""
        if set(scores) != set(ITEMS_BY_KEY) or not all(
            LOWEST <= value <= HIGHEST for value in scores.values()
        ):
            raise ValueError("Every item needs a score on the scale.")
        if not self.is_open():
            raise NotOpen
        if not self.takes_part(membership):
            raise NotAParticipant
        if self.pk is None:
            saved, _created = Evaluation.objects.get_or_create(
                reflection=self.reflection,
                defaults={"organisation_id": self.organisation_id, "held": self.held},
            )
            self.pk, self.held = saved.pk, saved.held
        try:
            with transaction.atomic():
                Respondent.objects.create(evaluation=self, membership=membership)
        except IntegrityError:
            raise AlreadyAnswered from None
        answer = Answer.objects.create(evaluation=self, comment=comment.strip())
        Score.objects.bulk_create(
            Score(
                answer=answer,
                item=key,
                domain=ITEMS_BY_KEY[key].domain,
                value=value,
            )
            for key, value in scores.items()
        )

    def results(self) -> Results | None:
        """Counts and means, or None while fewer than the minimum have answered."""
        count = self.answer_count()
        if count < self.minimum:
            return None
        by_item = {
            row["item"]: row
            for row in Score.objects.filter(answer__evaluation=self)
            .values("item")
            .annotate(
                mean=Avg("value"),
                **{
                    f"step_{value}": Count("value", filter=Q(value=value))
                    for value, _label in SCALE
                },
            )
            .order_by()
        }
        items = [
            ItemResult(
                item=item,
                mean=by_item[item.key]["mean"],
                counts=[by_item[item.key][f"step_{value}"] for value, _ in SCALE],
            )
            for item in ITEMS
            if item.key in by_item
        ]
        domains = {
            row["domain"]: row["mean"]
            for row in Score.objects.filter(answer__evaluation=self)
            .values("domain")
            .annotate(mean=Avg("value"))
            .order_by()
        }
        # Erased with the case texts: a comment may speak of the case.
        comments = (
            []
            if self.reflection.erased
            else list(
                self.answers.exclude(comment="")
                .order_by("pk")
                .values_list("comment", flat=True)
            )
        )
        return Results(
            answers=count,
            items=items,
            domains=[
                DomainResult(domain, label, domains[domain])
                for domain, label in Domain.choices
                if domain in domains
            ],
            comments=comments,
        )


def session_date(reflection: Reflection) -> datetime.date:
    tz = ZoneInfo(reflection.organisation.time_zone)
    return timezone.localtime(reflection.meeting.start, tz).date()


@dataclass(frozen=True)
class ItemResult:
    item: Item
    mean: float
    counts: list[int]


@dataclass(frozen=True)
class DomainResult:
    domain: str
    label: Promise
    mean: float


@dataclass(frozen=True)
class Results:
    answers: int
    items: list[ItemResult]
    domains: list[DomainResult]
    comments: list[str]


class Respondent(models.Model):
    """That a person has answered an evaluation: never what, never when."""

    # A random key and no timestamp: these rows cannot be put in the order
    # people answered, and so cannot be lined up with the answers.
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    evaluation = models.ForeignKey(
        Evaluation, on_delete=models.CASCADE, related_name="respondents"
    )
    membership = models.ForeignKey(
        Membership, on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        ordering = ["evaluation", "membership"]
        verbose_name = _("respondent")
        verbose_name_plural = _("respondents")
        constraints = [
            models.UniqueConstraint(
                fields=["evaluation", "membership"],
                name="evaluations_one_answer_per_person",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.membership} · {self.evaluation}"


class Answer(models.Model):
    """One person's answer to one evaluation, with nothing that leads to them.

    No person, no time and no sequence: the key is a random uuid4 (never a
    time-ordered uuid), there is no created column, and the session's date on
    the evaluation is the only date an answer has. Listed by key, the answers
    of a session come in no particular order.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    evaluation = models.ForeignKey(
        Evaluation, on_delete=models.CASCADE, related_name="answers"
    )
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        ordering = ["evaluation", "id"]
        verbose_name = _("evaluation answer")
        verbose_name_plural = _("evaluation answers")

    def __str__(self) -> str:
        return str(self.id)


class Score(models.Model):
    """One item of an answer on the four-step scale."""

    # No surrogate key at all: an answer scores each item once.
    pk = models.CompositePrimaryKey("answer_id", "item")
    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="scores")
    item = models.CharField(_("item"), max_length=40)
    # Fixed when the answer is given, so sums per domain need no list of items.
    domain = models.CharField(_("domain"), max_length=20, choices=Domain.choices)
    value = models.PositiveSmallIntegerField(_("score"))

    class Meta:
        ordering = ["answer", "item"]
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [
            models.CheckConstraint(
                condition=Q(value__gte=LOWEST, value__lte=HIGHEST),
                name="evaluations_score_on_the_scale",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item}: {self.value}"
