from __future__ import annotations

import datetime

import pytest
from django.db import IntegrityError, connection, transaction
from django.urls import reverse

from guidelines.models import Guideline
from values.models import (
    Commitment,
    CoreValue,
    ImmutableVersionError,
    Section,
    Version,
)

from .helpers import adopt, fill, make_base, make_draft

D = datetime.date


@pytest.fixture
def adopted(org):
    base = make_base(org)
    version = make_draft(base)
    items = fill(version)
    adopt(version, D(2024, 1, 1))
    return version, items


@pytest.mark.django_db
class TestAdoptedVersionIsFixed:
    def test_model_save_of_version(self, adopted):
        version, _ = adopted
        version.title = "Omskriven"
        with pytest.raises(ImmutableVersionError):
            version.save()
        version.refresh_from_db()
        assert version.title == "Vår värdegrund"

    def test_model_save_of_each_kind_of_content(self, adopted):
        _, items = adopted
        for name in ["section", "legal", "dignity", "commitment", "guideline"]:
            item = items[name]
            with pytest.raises(ImmutableVersionError):
                item.save()

    def test_model_delete(self, adopted):
        version, items = adopted
        for name in ["section", "legal", "dignity", "commitment", "guideline"]:
            with pytest.raises(ImmutableVersionError):
                items[name].delete()
        with pytest.raises(ImmutableVersionError):
            version.delete()
        assert Version.objects.filter(pk=version.pk).exists()
        assert CoreValue.objects.filter(version=version).count() == 2

    def test_queryset_update_and_delete(self, adopted):
        version, _ = adopted
        with pytest.raises(ImmutableVersionError):
            Version.objects.filter(pk=version.pk).update(title="x")
        with pytest.raises(ImmutableVersionError):
            Version.objects.filter(pk=version.pk).delete()
        with pytest.raises(ImmutableVersionError):
            Section.objects.filter(version=version).update(body="x")
        with pytest.raises(ImmutableVersionError):
            CoreValue.objects.filter(version=version).delete()
        with pytest.raises(ImmutableVersionError):
            Commitment.objects.filter(value__version=version).update(text="x")
        with pytest.raises(ImmutableVersionError):
            Guideline.objects.filter(version=version).delete()
        assert (
            Section.objects.get(version=version).body == "Varför vi har en värdegrund."
        )

    def test_adding_content_or_links(self, adopted):
        version, items = adopted
        with pytest.raises(ImmutableVersionError):
            Section.objects.create(version=version, title="Ny", body="Ny text")
        with pytest.raises(ImmutableVersionError):
            Section.objects.bulk_create(
                [Section(version=version, key="k", title="t", body="b")]
            )
        # Related managers change links without a savepoint of their own.
        with pytest.raises(ImmutableVersionError), transaction.atomic():
            items["guideline"].related_values.remove(items["integrity"])
        with pytest.raises(ImmutableVersionError), transaction.atomic():
            items["integrity"].guidelines.clear()
        assert items["guideline"].related_values.count() == 2

    @pytest.mark.skipif(
        connection.vendor != "postgresql", reason="database triggers are PostgreSQL's"
    )
    def test_database_refuses_raw_sql(self, adopted):
        version, items = adopted
        statements = [
            ("UPDATE values_version SET title = 'x' WHERE id = %s", version.pk),
            ("DELETE FROM values_version WHERE id = %s", version.pk),
            ("UPDATE values_section SET body = 'x' WHERE version_id = %s", version.pk),
            ("DELETE FROM values_corevalue WHERE version_id = %s", version.pk),
            (
                "UPDATE values_commitment SET text = 'x' WHERE id = %s",
                items["commitment"].pk,
            ),
            ("DELETE FROM guidelines_guideline WHERE version_id = %s", version.pk),
            (
                "DELETE FROM guidelines_guideline_related_values"
                " WHERE guideline_id = %s",
                items["guideline"].pk,
            ),
            (
                "INSERT INTO values_section"
                " (version_id, key, position, revision, title, body)"
                " VALUES (%s, 'new', 0, 1, 't', 'b')",
                version.pk,
            ),
        ]
        for sql, param in statements:
            with (
                pytest.raises(Exception, match="fixed|cannot be"),
                transaction.atomic(),
                connection.cursor() as cursor,
            ):
                cursor.execute(sql, [param])
        version.refresh_from_db()
        assert version.title == "Vår värdegrund"
        assert Guideline.objects.get(version=version).related_values.count() == 2


@pytest.mark.django_db
class TestAdoption:
    def test_adopting_supersedes_previous_in_one_step(self, adopted):
        first, _ = adopted
        draft = first.start_next_draft(author=None)
        assert draft.number == 2
        assert draft.values.count() == 2
        assert set(draft.values.values_list("key", flat=True)) == {
            "dignity",
            "integrity",
        }
        assert draft.guidelines.get().related_values.count() == 2
        adopt(draft, D(2025, 1, 1))
        first.refresh_from_db()
        assert first.status == Version.Status.SUPERSEDED
        assert first.effective_until == D(2025, 1, 1)
        assert draft.status == Version.Status.ADOPTED

    def test_effective_date_must_follow_current(self, adopted):
        first, _ = adopted
        draft = first.start_next_draft(author=None)
        with pytest.raises(ValueError):
            adopt(draft, D(2024, 1, 1))
        draft.refresh_from_db()
        first.refresh_from_db()
        assert draft.is_draft
        assert first.status == Version.Status.ADOPTED

    def test_one_draft_at_a_time(self, adopted):
        first, _ = adopted
        first.start_next_draft(author=None)
        with pytest.raises(IntegrityError), transaction.atomic():
            first.start_next_draft(author=None)

    def test_overlapping_periods_refused_by_database(self, org):
        base = make_base(org)
        one = make_draft(base, 1)
        adopt(one, D(2024, 1, 1))
        with pytest.raises(IntegrityError), transaction.atomic():
            Version.objects.create(
                value_base=base,
                number=2,
                title="Parallell",
                status=Version.Status.SUPERSEDED,
                adopted_on=D(2023, 1, 1),
                adopted_by="Nämnden",
                effective_from=D(2023, 6, 1),
                effective_until=D(2024, 6, 1),
            )

    def test_draft_content_can_change(self, org):
        version = make_draft(make_base(org))
        items = fill(version)
        value = items["dignity"]
        value.title = "Lika värde"
        value.save()
        value.refresh_from_db()
        assert value.title == "Lika värde"
        assert value.revision == 2
        items["section"].delete()
        assert not version.sections.exists()


@pytest.mark.django_db
class TestAdmin:
    @pytest.fixture
    def superuser(self, client):
        from tests.factories import make_user, sign_in_with_two_factors

        user = make_user("root@drift.example", is_superuser=True, is_staff=True)
        sign_in_with_two_factors(client, user)
        return user

    def test_change_and_delete_refused(self, client, superuser, adopted):
        version, items = adopted
        change = reverse("admin:values_version_change", args=[version.pk])
        response = client.post(change, {"title": "Ändrad", "number": 1})
        assert response.status_code == 403
        delete = reverse("admin:values_version_delete", args=[version.pk])
        assert client.post(delete, {"post": "yes"}).status_code == 403
        value_change = reverse(
            "admin:values_corevalue_change", args=[items["dignity"].pk]
        )
        response = client.post(value_change, {"title": "x", "key": "dignity"})
        assert response.status_code == 403
        guideline_delete = reverse(
            "admin:guidelines_guideline_delete", args=[items["guideline"].pk]
        )
        assert client.post(guideline_delete, {"post": "yes"}).status_code == 403
        version.refresh_from_db()
        assert version.title == "Vår värdegrund"
        assert Guideline.objects.filter(pk=items["guideline"].pk).exists()

    def test_view_allowed(self, client, superuser, adopted):
        version, _ = adopted
        response = client.get(reverse("admin:values_version_change", args=[version.pk]))
        assert response.status_code == 200
        assert "Vår värdegrund" in response.text
