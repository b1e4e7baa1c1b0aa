"""The request form of the public site: shown for a group whose desk takes requests, it turns what a
visitor sends into a sealed request on that desk; a program filling in the hidden field is answered as a
person would be and nothing is stored; a visitor over the hourly limit is told to wait and keeps what they
typed; no response sets a cookie, and the page keeps the public site's Content-Security-Policy.

The assertions read data, statuses, addresses and element ids, never the words of the interface."""

from __future__ import annotations

import uuid
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from khronika.cases import services
from khronika.cases.models import Intake, RequestLimit
from khronika.core import crypto
from khronika.core.models import ChangeLogEntry
from khronika.monitoring.models import Individual
from khronika.testing.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

NAME = "Аноним Тайный"
CONTACT = "signal: @need-help-now"
REQUEST = {
    "summary": "Обыск у соседей, боюсь, что придут и ко мне.",
    "contact": CONTACT,
    "name": NAME,
    "region": "RU-MOW",
    "website": "",
}


@pytest.fixture
def group(make_user):
    group = OrganisationFactory(is_public=True)
    group.coordinator = make_user("coordinator", group)
    return group


@pytest.fixture
def desk(group):
    return services.help_desk_set(
        actor=group.coordinator, values={"accepts_public_requests": True, "public_note": "Отвечаем за сутки."}
    )


def form_url(organisation_id, lang="ru"):
    return f"{reverse('public:organisation_request', args=[organisation_id])}?lang={lang}"


def sent_url(organisation_id):
    return reverse("public:organisation_request_sent", args=[organisation_id])


def detail_url(organisation_id):
    return f"{reverse('public:organisation_detail', args=[organisation_id])}?lang=ru"


def text(response):
    return response.content.decode()


def assert_no_cookie(*responses):
    for response in responses:
        assert not response.cookies, response.cookies
        assert "Set-Cookie" not in response.headers


def test_the_form_is_offered_only_when_the_groups_desk_takes_requests(client, group):
    closed_page, closed_form = client.get(detail_url(group.id)), client.get(form_url(group.id))
    assert closed_page.status_code == 200 and 'id="ask-for-help"' not in text(closed_page)
    assert closed_form.status_code == 404

    services.help_desk_set(
        actor=group.coordinator, values={"accepts_public_requests": True, "public_note": "Note"}
    )
    page, form = client.get(detail_url(group.id)), client.get(form_url(group.id, "en"))

    assert f'id="ask-for-help" href="{form_url(group.id)}"' in text(page)
    assert form.status_code == 200 and 'id="request-form"' in text(form) and 'id="desk-note"' in text(form)
    action = urlsplit(text(form).split('id="request-form"')[0].rsplit("action=", 1)[1].split('"')[1])
    assert action.path == reverse("public:organisation_request", args=[group.id])
    assert parse_qs(action.query.replace("&amp;", "&")) == {"lang": ["en"]}
    assert 'name="csrfmiddlewaretoken"' not in text(form)
    assert_no_cookie(closed_page, closed_form, page, form)


@pytest.mark.parametrize("organisation_id", ["not-an-id", str(uuid.uuid4())])
def test_an_unknown_group_has_no_form(client, organisation_id):
    assert client.get(form_url(organisation_id)).status_code == 404
    assert client.post(form_url(organisation_id), REQUEST).status_code == 404
    assert Intake.objects.count() == 0


def test_a_group_not_in_the_public_directory_has_no_form_even_with_its_desk_open(client, group, desk):
    group.is_public = False
    group.save(update_fields=["is_public"])

    assert client.get(form_url(group.id)).status_code == 404
    assert client.post(form_url(group.id), REQUEST).status_code == 404
    assert Intake.objects.count() == 0


def test_a_request_becomes_a_sealed_intake_and_the_thanks_repeat_nothing_sent(client, group, desk):
    response = client.post(form_url(group.id), REQUEST, REMOTE_ADDR="203.0.113.5")

    assert response.status_code == 302 and urlsplit(response["Location"]).path == sent_url(group.id)
    intake = Intake.objects.get()
    assert (intake.steward_id, intake.channel, intake.status, intake.region.code, intake.language) == (
        group.id,
        "web_form",
        "new",
        "RU-MOW",
        "ru",
    )
    assert crypto.is_sealed(Intake.objects.values_list("contact", flat=True).get())
    assert crypto.is_sealed(Individual.objects.values_list("name", flat=True).get(pk=intake.caller_id))
    thanks = client.get(response["Location"])
    assert thanks.status_code == 200 and 'id="request-sent"' in text(thanks)
    for typed in (NAME, CONTACT, REQUEST["summary"]):
        assert typed not in text(thanks) and typed not in response["Location"]
    assert_no_cookie(response, thanks)
    assert not client.cookies


def test_a_filled_trap_is_answered_as_a_success_and_stores_nothing(client, group, desk):
    def stored():
        return [model.objects.count() for model in (Intake, Individual, RequestLimit, ChangeLogEntry)]

    person = client.post(form_url(group.id), REQUEST, REMOTE_ADDR="203.0.113.6")
    before = stored()

    program = client.post(
        form_url(group.id), {**REQUEST, "website": "https://spam.example"}, REMOTE_ADDR="203.0.113.7"
    )

    assert (program.status_code, program["Location"]) == (person.status_code, person["Location"])
    assert stored() == before
    assert_no_cookie(program)


def test_a_visitor_over_the_hourly_limit_is_told_to_wait_and_keeps_what_was_typed(client, group, desk):
    for _number in range(services.PUBLIC_LIMIT_PER_VISITOR):
        assert client.post(form_url(group.id), REQUEST, REMOTE_ADDR="198.51.100.1").status_code == 302

    refused = client.post(form_url(group.id), REQUEST, REMOTE_ADDR="198.51.100.1")

    assert refused.status_code == 429 and 'id="request-limited"' in text(refused)
    assert f'value="{CONTACT}"' in text(refused) and REQUEST["summary"] in text(refused)
    assert Intake.objects.count() == services.PUBLIC_LIMIT_PER_VISITOR
    assert "no-store" in refused["Cache-Control"]
    # Another visitor is not held back by the first one's requests.
    assert client.post(form_url(group.id), REQUEST, REMOTE_ADDR="198.51.100.2").status_code == 302
    assert_no_cookie(refused)


def test_errors_show_on_the_form_with_what_was_typed_and_nothing_is_stored(client, group, desk):
    response = client.post(
        form_url(group.id), {**REQUEST, "contact": "", "region": "XX-NOWHERE", "summary": "x" * 5001}
    )

    assert response.status_code == 200
    page = text(response)
    assert page.count('class="error" role="alert"') == 3  # contact, region, summary
    assert f'value="{NAME}"' in page and "XX-NOWHERE" not in page
    assert Intake.objects.count() == 0 and RequestLimit.objects.count() == 0
    assert "no-store" in response["Cache-Control"]
    assert_no_cookie(response)


def test_the_form_keeps_the_public_sites_policy_and_loads_nothing_inline(client, group, desk):
    for response in (
        client.get(form_url(group.id)),
        client.post(form_url(group.id), {**REQUEST, "contact": ""}),
    ):
        policy = response["Content-Security-Policy"]
        assert "default-src 'none'" in policy and "script-src" not in policy and "connect-src" not in policy
        assert "'unsafe-inline'" not in policy and "nonce-" not in policy
        page = text(response)
        assert "<script" not in page and "<style" not in page and " style=" not in page
        # The trap is hidden from people and kept out of the keyboard's way.
        trap = page.split('class="request-trap"')[1].split("</div>")[0]
        assert " hidden" in trap and 'name="website"' in trap and 'tabindex="-1"' in trap


def test_a_desk_closed_meanwhile_takes_nothing(client, group, desk):
    form = client.get(form_url(group.id))
    services.help_desk_set(actor=group.coordinator, values={"accepts_public_requests": False})

    response = client.post(form_url(group.id), REQUEST)

    assert form.status_code == 200 and response.status_code == 404
    assert Intake.objects.count() == 0
