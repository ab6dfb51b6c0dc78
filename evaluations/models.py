"""Anonymous evaluations of reflection sessions, shown only in aggregate.

One Evaluation belongs to one session: one reflection (a dilemma discussed in a
meeting). Those who took part answer it once each. What is stored per answer is
kept apart on purpose:

- a Respondent row says that a person has answered: who and which session,
  never what. It is what enforces one answer per person
  (`evaluations_one_answer_per_person`), and is written at once.
- while the evaluation is open, the answer itself waits as a SealedAnswer:
  encrypted with a key that is not in the database and padded to one length.
  It is written in the same transaction as the Respondent row, so the database
  pairs the two (transaction id, physical position); sealed, that pairing
  says nothing.
- when the evaluation closes, the sealed answers are opened, shuffled and
  written as Answer rows with their Score rows, all in one transaction of
  their own, and the sealed rows are deleted. Every released answer then has
  the same transaction id, their physical order is the shuffled one, and
  their keys are random. Fewer than the organisation's minimum: the sealed
  answers are deleted unread instead.

Results are shown only for a closed evaluation, so reading the page before and
after one more answer tells nothing (docs/evaluations.md: the threat model).
"""

from __future__ import annotations

import datetime
import random
import secrets
import uuid
from collections.abc import Collection
from dataclasses import dataclass
from typing import TYPE_CHECKING, Self, TypedDict
from zoneinfo import ZoneInfo

from django.db import IntegrityError, models, transaction
from django.db.models import Avg, Count, Q
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from lib.queries import count_of
from meetings.models import invitees
from organisations.models import (
    Membership,
    MembershipQuerySet,
    Organisation,
    TenantQuerySet,
)
from reflections.models import Reflection

from .questionnaire import HIGHEST, ITEMS, ITEMS_BY_KEY, LOWEST, SCALE, Domain, Item
from .sealing import COMMENT_MAX, Opened, open_sealed, seal

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

# How long after the session (or its sign-off, if later) answers are taken.
EVALUATION_DAYS = 30


class AlreadyAnswered(Exception):
    """The person has answered this evaluation before."""


class NotOpen(Exception):
    """The evaluation has not opened yet, or has closed."""


class NotAParticipant(Exception):
    """Only those who took part in the session answer its evaluation."""


class RespondentCount(TypedDict):
    """What `EvaluationQuerySet.with_respondent_count` adds to each evaluation."""

    respondent_count: int


class EvaluationQuerySet[M: Evaluation](TenantQuerySet[M]):
    def in_units(self, unit_ids: Collection[int]) -> Self:
        return self.filter(reflection__dilemma__group__unit__in=unit_ids)

    def held_between(self, start: datetime.date, end: datetime.date) -> Self:
        return self.filter(held__gte=start, held__lte=end)

    def with_respondent_count(
        self,
    ) -> EvaluationQuerySet[WithAnnotations[M, RespondentCount]]:
        """How many have answered: one Respondent row each, open or closed."""
        return self.annotate(
            respondent_count=count_of(Respondent.objects.all(), "evaluation")
        )

    def still_open(self) -> Self:
        return self.filter(state=Evaluation.State.OPEN)

    def closed(self) -> Self:
        return self.exclude(state=Evaluation.State.OPEN)

    def reportable(self, minimum: int) -> Self:
        """Closed evaluations with enough answers to be shown, alone or added up.

        Only whole evaluations that reach the minimum go into any sum, so no
        difference between two sums (two periods, two units) is ever smaller
        than one reportable evaluation. An open evaluation has no answers to
        add up yet: they are sealed until it closes.
        """
        return (
            self.filter(state=Evaluation.State.RELEASED)
            .alias(released=count_of(Answer.objects.all(), "evaluation"))
            .filter(released__gte=minimum)
        )

    def due(self, now: datetime.datetime | None = None) -> Self:
        """Open evaluations whose closing time has passed (see closing_time)."""
        cutoff = (now or timezone.now()) - datetime.timedelta(days=EVALUATION_DAYS)
        return self.still_open().filter(
            Q(reflection__signed_off__isnull=True)
            | Q(reflection__signed_off__lte=cutoff),
            reflection__meeting__end__lte=cutoff,
        )


class Evaluation(models.Model):
    """The questionnaire after one session."""

    class State(models.TextChoices):
        OPEN = "open", _("open")
        # Closed, its answers written out in one shuffled batch.
        RELEASED = "released", _("closed, results shown")
        # Closed with fewer than the minimum: its answers deleted unread.
        TOO_FEW = "too_few", _("closed with too few answers")

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
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.OPEN
    )

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
        existing: Evaluation | None = cls.objects.filter(reflection=reflection).first()
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
        return closing_time(self.reflection)

    def is_open(self, now: datetime.datetime | None = None) -> bool:
        now = now or timezone.now()
        return self.state == self.State.OPEN and self.opens <= now < self.closes

    def is_closed(self, now: datetime.datetime | None = None) -> bool:
        """Closed early, or past its closing time (if not yet released)."""
        return self.state != self.State.OPEN or (now or timezone.now()) >= self.closes

    @property
    def is_released(self) -> bool:
        return self.state == self.State.RELEASED

    def participants(self) -> MembershipQuerySet:
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
        """How many have answered (whether or not their answers are out yet)."""
        if self.pk is None:
            return 0
        return self.respondents.count()

    def can_close(self, now: datetime.datetime | None = None) -> bool:
        """Whether those who lead the group may close it now.

        Once enough have answered, or once its time is up (the closing run
        would then do it anyway).
        """
        if self.pk is None or self.state != self.State.OPEN:
            return False
        return self.is_closed(now) or self.answer_count() >= self.minimum

    def record_answer(
        self, membership: Membership, *, scores: dict[str, int], comment: str = ""
    ) -> None:
        """Store one person's answer: that they answered, and, sealed, what."""
        comment = comment.strip()
        if set(scores) != set(ITEMS_BY_KEY) or not all(
            LOWEST <= value <= HIGHEST for value in scores.values()
        ):
            raise ValueError("Every item needs a score on the scale.")
        if len(comment) > COMMENT_MAX:
            raise ValueError("The comment is too long.")
        if not self.is_open():
            raise NotOpen
        if not self.takes_part(membership):
            raise NotAParticipant
        with transaction.atomic():
            if self.pk is None:
                saved, _created = Evaluation.objects.get_or_create(
                    reflection=self.reflection,
                    defaults={
                        "organisation_id": self.organisation_id,
                        "held": self.held,
                    },
                )
                self.pk, self.held = saved.pk, saved.held
            # Closing takes the same lock: no answer can be sealed after the
            # answers were released, and be left behind.
            self.state = (
                Evaluation.objects.select_for_update()
                .values_list("state", flat=True)
                .get(pk=self.pk)
            )
            if not self.is_open():
                raise NotOpen
            try:
                with transaction.atomic():
                    Respondent.objects.create(evaluation=self, membership=membership)
            except IntegrityError:
                raise AlreadyAnswered from None
            SealedAnswer.objects.create(
                evaluation=self,
                sealed=seal(self.pk, scores=scores, comment=comment),
            )

    def close(self, *, rng: random.Random | None = None) -> str:
        """Close now: release the answers in one shuffled batch, or discard them.

        Its own transaction (durable: never part of one that wrote a
        Respondent row), so every released row carries the same transaction
        id and nothing else. With fewer sealed answers than the minimum they
        are deleted unread: released, the one or two answers of a small
        session would be as good as signed. `rng` is for tests, which need
        to know the order; otherwise the shuffle is the system's.
        Returns the new state.
        """
        if self.pk is None:
            raise ValueError("Nobody has answered: there is nothing to close.")
        with transaction.atomic(durable=True):
            locked: Evaluation = (
                Evaluation.objects.select_for_update(of=("self",))
                .select_related("reflection__organisation")
                .get(pk=self.pk)
            )
            if locked.state != self.State.OPEN:
                self.state = locked.state
                return locked.state
            sealed = list(locked.sealed_answers.all())
            if len(sealed) < locked.minimum:
                state = self.State.TOO_FEW
            else:
                locked._release(
                    [open_sealed(locked.pk, row.sealed) for row in sealed],
                    rng or secrets.SystemRandom(),
                )
                state = self.State.RELEASED
            SealedAnswer.objects.filter(pk__in=[row.pk for row in sealed]).delete()
            locked.state = state
            locked.save(update_fields=["state"])
        self.state = state
        return state

    def _release(self, opened: list[Opened], rng: random.Random) -> None:
        # Sorted by content first, so the order owes nothing to how the sealed
        # rows happened to be read; then shuffled. One INSERT per table lays
        # the rows down in that order.
        opened = sorted(opened, key=Opened.canonical)
        rng.shuffle(opened)
        erased = self.reflection.erased
        answers = [
            # A comment may speak of the case: gone if its texts were erased.
            Answer(evaluation=self, comment="" if erased else answer.comment)
            for answer in opened
        ]
        Answer.objects.bulk_create(answers)
        Score.objects.bulk_create(
            Score(
                answer=row,
                item=key,
                domain=ITEMS_BY_KEY[key].domain,
                value=value,
            )
            for row, answer in zip(answers, opened, strict=True)
            for key, value in sorted(answer.scores.items())
            # An item withdrawn while the evaluation was open is not counted.
            if key in ITEMS_BY_KEY
        )

    def results(self) -> Results | None:
        """Counts and means of a closed evaluation with at least the minimum."""
        if not self.is_released:
            return None
        count = self.answers.count()
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
                # reason: the step counts are annotated under names made in a
                # loop (above), which the checker cannot follow.
                counts=[by_item[item.key][f"step_{value}"] for value, _ in SCALE],  # type: ignore[literal-required]
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


def closing_time(reflection: Reflection) -> datetime.datetime:
    """When a session's evaluation takes no more answers, unless closed before."""
    meeting_end = reflection.meeting.end
    signed_off = reflection.signed_off or meeting_end
    return max(meeting_end, signed_off) + datetime.timedelta(days=EVALUATION_DAYS)


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
    """That a person has answered an evaluation: never what."""

    # A random key and no timestamp. The database still knows roughly when
    # each row was written (its transaction id); that is why the answer
    # written with it is sealed, and released later in a shuffled batch.
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


class SealedAnswer(models.Model):
    """One answer, sealed until its evaluation closes.

    Written in the same transaction as its Respondent row, so whoever reads
    the database can pair the two by transaction id or physical position:
    that is why it holds nothing readable. Its content is encrypted with a
    key kept out of the database (evaluations/sealing.py) and padded to one
    length, so that neither the content nor the size of a sealed answer can
    be matched with an answer released later. No time, a random key, and the
    evaluation only because closing must find it.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    evaluation = models.ForeignKey(
        Evaluation, on_delete=models.CASCADE, related_name="sealed_answers"
    )
    sealed = models.BinaryField(_("sealed answer"))

    class Meta:
        ordering = ["evaluation", "id"]
        verbose_name = _("sealed answer")
        verbose_name_plural = _("sealed answers")

    def __str__(self) -> str:
        return str(self.id)


class Answer(models.Model):
    """One person's answer to a closed evaluation, with nothing that leads to them.

    No person, no time and no sequence: the key is a random uuid4 (never a
    time-ordered uuid), there is no created column, and the session's date on
    the evaluation is the only date an answer has. All the answers of an
    evaluation are written together when it closes, in one transaction, in a
    shuffled order (Evaluation.close).
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
