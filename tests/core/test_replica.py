"""Read-only pages read from the replica; writes and other pages use the primary.

The replica is a test mirror of the default database, reached through a second
connection: each connection's queries show where the router sent them. Data
must be committed for the second connection to see it, so these tests run in
transactions of their own.
"""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.db import DEFAULT_DB_ALIAS, connections, router
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from audit.models import AuditEvent
from core.replica import REPLICA, ReplicaRouter
from guidelines.models import Guideline
from tests.dilemmas.helpers import make_dilemma
from tests.factories import make_member, sign_in
from tests.insights.helpers import add_session, export_url, insights_url, make_town
from values.models import Version

pytestmark = pytest.mark.django_db(
    transaction=True, databases=[DEFAULT_DB_ALIAS, REPLICA]
)


@pytest.fixture(scope="module", autouse=True)
def replica_alias(django_db_setup):
    """A `replica` alias mirroring the test database, as settings.py makes it."""
    primary = connections[DEFAULT_DB_ALIAS].settings_dict
    connections.settings[REPLICA] = {
        **primary,
        "TEST": {**primary["TEST"], "MIRROR": DEFAULT_DB_ALIAS},
    }
    yield
    connections[REPLICA].close()
    del connections[REPLICA]
    del connections.settings[REPLICA]


@pytest.fixture(autouse=True)
def routed(settings):
    settings.DATABASE_ROUTERS = ["core.replica.ReplicaRouter"]
    settings.MIDDLEWARE = [*settings.MIDDLEWARE, "core.replica.ReplicaMiddleware"]


@pytest.fixture
def town(org):
    town = make_town(org)
    add_session(town, town.children_group, datetime.date(2024, 3, 5))
    return town


class Queries:
    """The SQL each connection ran inside the block."""

    def __enter__(self):
        self._primary = CaptureQueriesContext(connections[DEFAULT_DB_ALIAS])
        self._replica = CaptureQueriesContext(connections[REPLICA])
        self._primary.__enter__()
        self._replica.__enter__()
        return self

    def __exit__(self, *exc):
        self._replica.__exit__(*exc)
        self._primary.__exit__(*exc)

    @property
    def primary(self) -> str:
        return "\n".join(q["sql"] for q in self._primary.captured_queries)

    @property
    def replica(self) -> str:
        return "\n".join(q["sql"] for q in self._replica.captured_queries)


def in_force_url(org) -> str:
    return reverse("values:in_force", kwargs={"org": org.slug, "base": "vardegrund"})


def versions_url(org) -> str:
    """A page of the value base that is not kept whole (organisations.pagecache)."""
    return reverse(
        "values:version_list", kwargs={"org": org.slug, "base": "vardegrund"}
    )


def test_the_value_base_is_read_from_the_replica(client, town):
    sign_in(client, town.people[0])

    with Queries() as queries:
        response = client.get(versions_url(town.org))

    assert response.status_code == 200
    assert '"values_version"' in queries.replica
    assert "values_" not in queries.primary
    # Who is signed in, and their membership, come from the primary.
    assert '"django_session"' in queries.primary
    assert '"organisations_membership"' in queries.primary
    assert "django_session" not in queries.replica
    assert "organisations_membership" not in queries.replica


def test_a_page_kept_for_everyone_is_made_from_the_primary(client, town):
    """A lagging replica would have it kept, stale, under the new generation."""
    sign_in(client, town.people[0])

    with Queries() as queries:
        response = client.get(in_force_url(town.org))
    assert response.status_code == 200
    assert "Människors lika värde" in response.text
    assert '"values_corevalue"' in queries.primary
    assert "values_" not in queries.replica

    with Queries() as queries:
        again = client.get(in_force_url(town.org))
    assert "Människors lika värde" in again.text
    assert "values_" not in queries.primary + queries.replica


def test_guidelines_and_insights_are_read_from_the_replica(client, town):
    sign_in(client, town.people[0])
    key = Guideline.objects.filter(version__value_base__organisation=town.org)[0].key
    with Queries() as queries:
        guidelines = client.get(
            reverse(
                "guidelines:history",
                kwargs={"org": "norrby", "base": "vardegrund", "key": key},
            )
        )
    assert guidelines.status_code == 200
    assert '"guidelines_guideline"' in queries.replica
    assert "guidelines_guideline" not in queries.primary


def main(page: str) -> str:
    return page.split("<main", 1)[1].split("</main>", 1)[0]


# Without a cache shared by every process, nothing is kept by stamp.
UNSHARED = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}


def test_insights_are_read_from_the_replica_when_nothing_is_kept(
    client, town, settings
):
    settings.CACHES = UNSHARED
    sign_in(client, town.manager)
    with Queries() as queries:
        insights = client.get(insights_url(town.org))
    assert insights.status_code == 200
    assert '"reflections_reflection"' in queries.replica
    assert "reflections_reflection" not in queries.primary


def test_kept_insights_figures_are_made_from_the_primary(client, town):
    """Figures kept for others under the organisation's stamp are gathered
    from the primary: from a lagging replica they would be kept under the
    stamp of a write they do not show. Once kept, neither is asked."""
    sign_in(client, town.manager)
    with Queries() as queries:
        first = client.get(insights_url(town.org))
    assert first.status_code == 200
    assert '"reflections_reflection"' in queries.primary
    assert "reflections_reflection" not in queries.replica

    with Queries() as queries:
        again = client.get(insights_url(town.org))
    assert main(again.text) == main(first.text)
    assert "reflections_reflection" not in queries.primary + queries.replica


def test_other_pages_read_from_the_primary(client, town):
    dilemma = make_dilemma(town.children_group, town.people[0], title="Nyckeln")
    sign_in(client, town.people[0])

    with Queries() as queries:
        response = client.get(
            reverse(
                "dilemmas:detail",
                kwargs={"org": "norrby", "dilemma_uuid": dilemma.uuid},
            )
        )
        dashboard = client.get(reverse("home"), follow=True)

    assert response.status_code == 200
    assert "Nyckeln" in response.text
    assert dashboard.status_code == 200
    assert queries.replica == ""
    assert '"dilemmas_dilemma"' in queries.primary
    assert '"reflections_reflection"' in queries.primary


def test_writes_go_to_the_primary_even_from_a_replica_page(client, town, settings):
    # Exporting a table is a read-only page that writes an audit row.
    settings.CACHES = UNSHARED
    sign_in(client, town.manager)
    before = AuditEvent.objects.count()

    with Queries() as queries:
        response = client.get(export_url(town.org, "meetings"))

    assert response.status_code == 200
    assert '"meetings_meeting"' in queries.replica
    assert "meetings_meeting" not in queries.primary
    assert 'INSERT INTO "audit_auditevent"' in queries.primary
    assert "INSERT" not in queries.replica
    assert AuditEvent.objects.count() == before + 1


def test_after_a_write_the_person_reads_from_the_primary_for_a_while(
    client, town, settings
):
    settings.REPLICA_STICKY_SECONDS = 10
    editor = make_member(town.org, "editor", email="redaktor@norrby.example")
    sign_in(client, editor)
    url = versions_url(town.org)

    with time_machine.travel("2026-03-02 10:00:00 +0000", tick=False):
        with Queries() as queries:
            started = client.post(
                reverse(
                    "values:draft_start", kwargs={"org": "norrby", "base": "vardegrund"}
                )
            )
        assert started.status_code == 302
        assert queries.replica == ""
        assert 'INSERT INTO "values_version"' in queries.primary
        cookie = started.cookies["read-primary"]
        assert cookie["max-age"] == 10
        assert cookie["httponly"]

        with Queries() as queries:
            assert client.get(url).status_code == 200
        assert queries.replica == ""
        assert '"values_version"' in queries.primary

    # Once the window has passed, the replica serves the page again.
    with (
        time_machine.travel("2026-03-02 10:00:11 +0000", tick=False),
        Queries() as queries,
    ):
        assert client.get(url).status_code == 200
    assert '"values_version"' in queries.replica
    assert "values_version" not in queries.primary
    assert Version.objects.filter(value_base__slug="vardegrund").count() == 2


def test_with_secure_cookies_the_mark_is_a_host_cookie(client, town, settings):
    settings.SESSION_COOKIE_SECURE = True
    editor = make_member(town.org, "editor", email="redaktor@norrby.example")
    sign_in(client, editor)

    response = client.post(
        reverse("values:draft_start", kwargs={"org": "norrby", "base": "vardegrund"}),
        secure=True,
    )

    assert "read-primary" not in response.cookies
    cookie = response.cookies["__Host-read-primary"]
    assert cookie["secure"]
    assert cookie["path"] == "/"
    assert not cookie["domain"]
    with Queries() as queries:
        assert client.get(in_force_url(town.org), secure=True).status_code == 200
    assert queries.replica == ""


def test_a_cookie_that_holds_no_time_is_ignored(client, town):
    sign_in(client, town.people[0])
    client.cookies["read-primary"] = "soon"
    with Queries() as queries:
        assert client.get(versions_url(town.org)).status_code == 200
    assert '"values_version"' in queries.replica


def test_the_next_request_and_code_outside_requests_use_the_primary(client, town):
    sign_in(client, town.people[0])
    client.get(in_force_url(town.org))

    with Queries() as queries:
        assert Version.objects.filter(value_base__slug="vardegrund").exists()
    assert queries.replica == ""
    assert '"values_version"' in queries.primary


def test_on_a_replica_page_identity_access_and_the_task_queue_stay_primary():
    from django.contrib.sessions.models import Session
    from django_tasks_db.models import DBTaskResult

    from core.replica import _reads_from_replica
    from organisations.models import Membership

    replica_router = ReplicaRouter()
    token = _reads_from_replica.set(True)
    try:
        assert replica_router.db_for_read(Version) == REPLICA
        assert replica_router.db_for_write(Version) == DEFAULT_DB_ALIAS
        for model in (Session, Membership, DBTaskResult, get_user_model()):
            assert replica_router.db_for_read(model) == DEFAULT_DB_ALIAS
    finally:
        _reads_from_replica.reset(token)
    assert replica_router.db_for_read(Version) == DEFAULT_DB_ALIAS


def test_migrations_run_on_the_primary_alone_and_relations_span_both():
    replica_router = ReplicaRouter()
    assert replica_router.allow_migrate(DEFAULT_DB_ALIAS, "values") is True
    assert replica_router.allow_migrate(REPLICA, "values") is False
    assert router.allow_migrate(REPLICA, "audit") is False

    from_primary, from_replica = Version(), Version()
    from_primary._state.db, from_replica._state.db = DEFAULT_DB_ALIAS, REPLICA
    assert replica_router.allow_relation(from_primary, from_replica) is True
    other = Version()
    other._state.db = "archive"
    assert replica_router.allow_relation(from_primary, other) is None
