"""Our own 403, 404 and 500 pages, in the visitor's language; the health check."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.template.loader import render_to_string
from django.test import Client
from django.urls import path, reverse
from django.utils import translation

from tests.factories import sign_in
from tests.translations import tr, write_catalogue


def boom(request):
    raise RuntimeError("a bug in a view")


# A URLconf of its own for the 500 page: the real one has no view that fails.
urlpatterns = [path("boom/", boom)]


def template_names(response) -> list[str]:
    return [template.name for template in response.templates]


@pytest.fixture
def catalogues(settings, tmp_path):
    """Swedish and Danish for the error pages, whatever the real catalogues hold."""
    write_catalogue(
        tmp_path,
        "sv",
        {
            "Page not found": "Sidan finns inte",
            "Something went wrong": "Något gick fel",
        },
    )
    write_catalogue(
        tmp_path,
        "da",
        {
            "Page not found": "Siden findes ikke",
            "Something went wrong": "Noget gik galt",
        },
    )
    settings.LOCALE_PATHS = [tmp_path, *settings.LOCALE_PATHS]


@pytest.mark.django_db
def test_404_is_our_page(client):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert template_names(response)[0] == "404.html"
    assert "base.html" in template_names(response)
    assert '<html lang="sv">' in response.text
    assert f"<h1>{tr('sv', 'Page not found')}</h1>" in response.text
    assert f'href="{reverse("home")}"' in response.text
    assert 'id="main"' in response.text


@pytest.mark.django_db
def test_404_inside_another_organisation_is_our_page(client, org, outsider):
    sign_in(client, outsider)

    response = client.get(reverse("organisations:dashboard", args=[org.slug]))

    assert response.status_code == 404
    assert template_names(response)[0] == "404.html"
    # Nothing about the organisation behind the address leaks into the page.
    assert org.name not in response.text
    assert outsider.organisation.name not in response.text


@pytest.mark.django_db
def test_404_is_translated(client, catalogues):
    swedish = client.get("/no-such-page/")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "da"
    danish = client.get("/no-such-page/")

    assert "<h1>Sidan finns inte</h1>" in swedish.text
    assert '<html lang="da">' in danish.text
    assert "<h1>Siden findes ikke</h1>" in danish.text


@pytest.mark.django_db
def test_403_is_our_page(client, staff):
    sign_in(client, staff)

    response = client.get(
        reverse("organisations:member_list", args=[staff.organisation.slug])
    )

    assert response.status_code == 403
    assert template_names(response)[0] == "403.html"
    assert '<html lang="sv">' in response.text
    assert f"<h1>{tr('sv', 'You do not have access to this page')}</h1>" in (
        response.text
    )
    # The person is still signed in and in their organisation: the page says so.
    assert staff.user.get_short_name() in response.text


@pytest.mark.django_db
def test_403_follows_the_language_cookie(client, staff):
    sign_in(client, staff)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "da"

    response = client.get(
        reverse("organisations:member_list", args=[staff.organisation.slug])
    )

    assert response.status_code == 403
    assert '<html lang="da">' in response.text
    assert tr("da", "You do not have access to this page") in response.text


@pytest.mark.django_db
def test_403_follows_the_persons_language(client, staff):
    staff.user.language = "en"
    staff.user.save()
    sign_in(client, staff)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "da"

    response = client.get(
        reverse("organisations:settings", args=[staff.organisation.slug])
    )

    assert response.status_code == 403
    assert '<html lang="en">' in response.text
    assert "You do not have access to this page" in response.text


@pytest.mark.django_db
@pytest.mark.urls(__name__)
@pytest.mark.parametrize(
    ("cookie", "language", "heading"),
    [(None, "sv", "Något gick fel"), ("da", "da", "Noget gik galt")],
)
def test_500_is_our_page(catalogues, cookie, language, heading):
    client = Client(raise_request_exception=False)
    if cookie:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = cookie

    response = client.get("/boom/")

    assert response.status_code == 500
    assert template_names(response) == ["500.html"]
    assert f'<html lang="{language}">' in response.text
    assert f"<h1>{heading}</h1>" in response.text
    assert "a bug in a view" not in response.text
    assert "RuntimeError" not in response.text


def test_500_template_renders_on_its_own():
    # The server error view renders without a request or context processors.
    with translation.override("en"):
        html = render_to_string("500.html")
    assert '<html lang="en">' in html
    assert "<h1>Something went wrong</h1>" in html
    assert "/static/css/app.css" in html


@pytest.mark.django_db
def test_health_check_answers_ok(client):
    response = client.get(reverse("health"))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_health_check_answers_plain_http_behind_the_https_redirect(settings):
    # Load balancers probe the web process directly, without TLS.
    settings.SECURE_SSL_REDIRECT = True
    client = Client()

    response = client.get(reverse("health"))
    page = client.get(reverse("account_login"))

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert page.status_code == 301
    assert page["Location"].startswith("https://")


@pytest.mark.django_db
def test_health_check_refuses_post(client):
    assert client.post(reverse("health")).status_code == 405


@pytest.mark.django_db
def test_an_expired_form_gets_our_403_page(staff):
    client = Client(enforce_csrf_checks=True)
    sign_in(client, staff)

    response = client.post(reverse("set_language"), {"language": "da"})

    assert response.status_code == 403
    assert template_names(response)[0] == "403_csrf.html"
    assert '<html lang="sv">' in response.text
    assert f"<h1>{tr('sv', 'The form has expired')}</h1>" in response.text
    staff.user.refresh_from_db()
    assert staff.user.language == ""


def test_out_of_range_numbers_answer_400(rf):
    from core.middleware import OutOfRangeNumbersMiddleware

    middleware = OutOfRangeNumbersMiddleware(lambda request: None)
    request = rf.post("/o/norrby/groups/new/")
    response = middleware.process_exception(request, OverflowError("too large"))
    assert response.status_code == 400
    assert middleware.process_exception(request, ValueError("other")) is None
