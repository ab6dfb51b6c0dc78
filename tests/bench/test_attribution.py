"""The profile's attribution of time: SQL, ORM Python, templates and the rest.

No timing here: the first tests run functions whose files lie, by name, in the
driver, the ORM and the template engine and advance a clock of their own, so
that every category's time is known exactly; the last runs a small real view
(one query, one template) and only checks that each part is seen.
"""

from __future__ import annotations

import pytest
from django.http import HttpResponse
from django.template import engines
from django.test import RequestFactory

from bench.attribution import Attribution, category_of, corrected
from tests.factories import make_org


class Clock:
    """Time that passes only when the code under test says so."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now

    def tick(self, amount: float) -> None:
        self.now += amount


SOURCES = {
    "/venv/site-packages/psycopg/fake_cursor.py": """
def execute():
    tick(7)

def execute_and_fail():
    tick(8)
    raise ValueError("refused")
""",
    "/venv/site-packages/django/db/models/fake_query.py": """
def rows():
    tick(4)
    execute()
    for number in range(2):
        tick(5)
        yield number

def failing_query():
    tick(6)
    execute_and_fail()
""",
    "/venv/site-packages/django/template/fake_base.py": """
def render():
    tick(2)
    for row in rows():
        tick(3)
        format_row(row)
    try:
        failing_query()
    except ValueError:
        tick(1)
""",
    "/app/fake_views.py": """
def format_row(row):
    tick(10)

def view():
    tick(1)
    render()
    tick(1)
""",
}


@pytest.fixture
def fake():
    """The four files as one namespace, and the clock they advance."""
    clock = Clock()
    namespace: dict = {"tick": clock.tick}
    for path, source in SOURCES.items():
        exec(compile(source, path, "exec"), namespace)
    return namespace, clock


def test_each_moment_counts_to_the_innermost_of_driver_orm_and_template(fake):
    namespace, clock = fake
    with Attribution(clock=clock) as attribution:
        namespace["view"]()
    assert attribution.seconds == {
        # The view before and after rendering.
        "rest": 2,
        # The template, its loop over two rows, the row formatting it calls
        # (which lies elsewhere) and the refusal it catches.
        "template": 2 + 2 * (3 + 10) + 1,
        # The query, resumed for each row it yields, and the one that fails.
        "orm": 4 + 2 * 5 + 6,
        # The driver, once returning and once raising.
        "sql": 7 + 8,
    }
    assert sum(attribution.shares().values()) == pytest.approx(1)
    assert attribution.shares()["sql"] == pytest.approx(15 / 66)
    # Reports: into and out of render; rows started, yielding, resumed,
    # yielding, resumed and finished; into and out of each of the two
    # executes and of failing_query.
    assert sum(attribution.events.values()) == 2 + 6 + 2 * 2 + 2
    # Half of each report into the driver and out of it is the driver's.
    assert attribution.events["sql"] == 2


def test_a_second_run_counts_the_same_and_outside_the_block_nothing(fake):
    namespace, clock = fake
    for _ in range(2):
        with Attribution(clock=clock) as attribution:
            namespace["view"]()
        namespace["view"]()
        assert attribution.total() == 66
        assert attribution.seconds["sql"] == 15


def test_a_function_that_began_before_the_block_counts_to_the_rest(fake):
    namespace, clock = fake
    rows = namespace["rows"]()
    assert next(rows) == 0
    # Resumed inside the block, the generator is the ORM again until it yields.
    with Attribution(clock=clock) as attribution:
        assert next(rows) == 1
        clock.tick(9)
    assert attribution.seconds == {"sql": 0, "orm": 5, "template": 0, "rest": 9}
    # Two reports, the resumption and the yield: each half on either side.
    assert attribution.events == {"sql": 0, "orm": 1, "template": 0, "rest": 1}
    assert corrected(attribution.seconds, attribution.events, 0.5) == {
        "sql": 0,
        "orm": 4.5,
        "template": 0,
        "rest": 8.5,
    }


def test_the_places_by_path():
    assert category_of("/x/lib/python3.13/site-packages/psycopg/cursor.py") == "sql"
    assert category_of("/x/site-packages/django/db/models/sql/compiler.py") == "orm"
    assert category_of("/x/site-packages/django/template/base.py") == "template"
    assert category_of("/x/site-packages/django/templatetags/i18n.py") == "template"
    assert category_of("/x/site-packages/django/db/backends/utils.py") is None
    assert category_of("/work/etikrum/organisations/views.py") is None


TEMPLATE = """<ul>{% for org in orgs %}<li>{{ org.name|upper }} {{ org.slug }}</li>
{% endfor %}</ul>"""


def a_small_view(request):
    from organisations.models import Organisation

    # The queryset is evaluated while the template renders, as lazy ones are.
    orgs = Organisation.objects.filter(slug__startswith="n").order_by("slug")
    template = engines["django"].from_string(TEMPLATE)
    return HttpResponse(template.render({"orgs": orgs}, request))


@pytest.mark.django_db
def test_a_view_with_a_query_and_a_template_shows_each_part():
    make_org("norrby", name="Norrby kommun")
    make_org("nacka", name="Nacka kommun")
    request = RequestFactory().get("/")
    a_small_view(request)  # The first run imports and compiles.
    with Attribution() as attribution:
        response = a_small_view(request)
    assert "NORRBY KOMMUN" in response.content.decode()
    shares = attribution.shares()
    assert all(shares[c] > 0 for c in ("sql", "orm", "template", "rest")), shares
    assert sum(shares.values()) == pytest.approx(1)
