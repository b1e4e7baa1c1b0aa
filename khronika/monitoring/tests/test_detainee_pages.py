"""The bulk entry page of a mass detention: a pasted list is checked line by line (errors, repeats, people
already on record) without writing anything, then recorded as one act per line, the event's group
shrinking by as many; only roles that name victims see the page.

The assertions read data, statuses, addresses and element ids, never the words of the interface."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from khronika.core.models import ChangeLogEntry
from khronika.monitoring import services
from khronika.monitoring.models import Act, Individual
from khronika.testing.second_factor import verified_login

pytestmark = pytest.mark.django_db

PASTED = """Иванов Иван Сергеевич	ОВД Тверской	14:30
Петрова Анна; ОВД Басманный

Sidorov Petr, ОВД Арбат, 15.05
"""


def entry_url(event):
    return reverse("monitoring:detainees", kwargs={"event_id": event.pk})


def detail_url(event):
    return reverse("monitoring:event_detail", kwargs={"event_id": event.pk})


def text(response):
    return response.content.decode()


def row_of(page, element_id):
    return page.split(f'id="{element_id}"')[1].split("</tr>")[0]


def written():
    """How much is on record: acts, individuals and change-log entries."""
    return (
        Act.objects.filter(deleted_at__isnull=True).count(),
        Individual.objects.count(),
        ChangeLogEntry.objects.count(),
    )


@pytest.fixture
def monitor(make_user, org_a):
    return make_user("monitor", org_a)


@pytest.fixture
def client_a(client, monitor):
    verified_login(client, monitor)
    return client


@pytest.fixture
def rally(monitor):
    event = services.event_create(
        actor=monitor, values={"title": "Сход", "type": "rally", "started": "2012-05-06"}
    )
    services.act_add(
        actor=monitor,
        event_id=event.pk,
        values={"type": "administrative-detention", "victim_group": "участники", "victim_count": "39"},
    )
    return event


def group_count(event):
    return Act.objects.get(event=event, victim_kind="group", deleted_at__isnull=True).victim_count


def test_the_page_offers_a_list_and_the_type_of_act_detention_by_default(client_a, rally):
    response = client_a.get(entry_url(rally))
    assert response.status_code == 200
    page = text(response)
    assert 'name="text"' in page and 'name="step" value="check"' in page
    assert 'value="administrative-detention" selected' in page
    assert 'id="detainee-lines"' not in page
    assert entry_url(rally) in text(client_a.get(detail_url(rally)))


def test_a_check_shows_each_line_read_its_errors_and_repeats_and_writes_nothing(client_a, rally):
    before = written()
    pasted = PASTED + "; ОВД Арбат\nиванов иван сергеевич; ОВД Тверской\nПетров; 25:61\n"
    response = client_a.post(entry_url(rally), {"text": pasted, "act_type": "administrative-detention"})
    assert response.status_code == 200
    page = text(response)
    assert page.count('class="detainee"') == 4 and page.count('class="detainee invalid"') == 2
    first = row_of(page, "line-1")
    assert "Иванов Иван Сергеевич" in first and "ОВД Тверской" in first and "14:30" in first
    assert "15:05" in row_of(page, "line-4") and "ОВД Арбат" in row_of(page, "line-4")
    assert 'class="errorlist line-errors"' in row_of(page, "line-5")
    assert 'class="errorlist line-errors"' in row_of(page, "line-7")
    assert 'class="repeat"' in row_of(page, "line-6") and 'class="repeat"' not in first
    assert 'id="line-errors"' in page and 'id="detainees-record"' not in page
    assert written() == before


def test_a_list_that_reads_is_offered_for_recording_and_an_empty_one_is_a_field_error(client_a, rally):
    checked = client_a.post(entry_url(rally), {"text": PASTED, "act_type": "administrative-detention"})
    assert checked.status_code == 200 and 'id="detainees-record"' in text(checked)
    assert 'id="line-errors"' not in text(checked)
    empty = client_a.post(entry_url(rally), {"text": " \n ", "act_type": "administrative-detention"})
    assert empty.status_code == 422 and "text" in empty.context["form"].errors


def test_recording_writes_one_act_per_line_and_the_group_shrinks_by_as_many(client_a, rally):
    before = written()
    response = client_a.post(
        entry_url(rally),
        {"text": PASTED, "act_type": "administrative-detention", "step": "record"},
        follow=True,
    )
    assert response.redirect_chain[-1] == (f"{detail_url(rally)}#acts", 302)
    named = Act.objects.filter(event=rally, victim_kind="person", deleted_at__isnull=True)
    assert named.count() == 3 and Individual.objects.count() == before[1] + 3
    assert sorted(named.values_list("police_station", flat=True)) == [
        "ОВД Арбат",
        "ОВД Басманный",
        "ОВД Тверской",
    ]
    assert {act.act_type.code for act in named} == {"administrative-detention"}
    assert group_count(rally) == 36
    message = " ".join(str(m) for m in response.context["messages"])
    assert {"3", "39", "36"} <= set(re.findall(r"\d+", message))
    totals = text(response).split('id="act-totals"')[1].split("</p>")[0]
    assert '<span class="total-victims">39</span>' in totals  # the total stays right


def test_a_line_that_does_not_read_writes_nothing_and_is_named(client_a, rally):
    before = written()
    response = client_a.post(
        entry_url(rally),
        {
            "text": "Иванов; ОВД Тверской\n; ОВД Арбат",
            "act_type": "administrative-detention",
            "step": "record",
        },
    )
    assert response.status_code == 422
    assert 'class="errorlist line-errors"' in row_of(text(response), "line-2")
    assert 'class="errorlist line-errors"' not in row_of(text(response), "line-1")
    assert written() == before and group_count(rally) == 39


def test_a_name_on_record_is_suggested_with_a_keyring_and_a_choice_reuses_the_individual(
    client_a, monitor, rally
):
    services.act_add(
        actor=monitor, event_id=rally.pk, values={"type": "torture", "victim_name": "Сидоров Пётр"}
    )
    known = Individual.objects.get()
    response = client_a.post(entry_url(rally), {"text": PASTED, "act_type": "administrative-detention"})
    page = text(response)
    assert 'id="no-suggestions"' not in page
    assert f'name="match-4" value="{known.pk}"' in row_of(page, "line-4")
    assert 'name="match-1"' not in row_of(page, "line-1")  # nobody like him on record
    assert "Сидоров Пётр" in row_of(page, "line-4")

    response = client_a.post(
        entry_url(rally),
        {"text": PASTED, "act_type": "administrative-detention", "step": "record", "match-4": str(known.pk)},
    )
    assert response.status_code == 302
    assert Act.objects.filter(victim=known).count() == 2 and Individual.objects.count() == 3


def test_without_a_keyring_there_are_no_suggestions_and_the_page_says_why(client, monitor, rally):
    services.act_add(
        actor=monitor, event_id=rally.pk, values={"type": "torture", "victim_name": "Сидоров Пётр"}
    )
    verified_login(client, monitor, password="not the password")  # signed in, the keyring not unlocked
    response = client.post(entry_url(rally), {"text": PASTED, "act_type": "administrative-detention"})
    assert response.status_code == 200
    page = text(response)
    assert 'id="no-suggestions"' in page and 'name="match-4"' not in page and "Сидоров Пётр" not in page


@pytest.mark.parametrize("role", ["viewer", "editor", "member"])
def test_roles_that_do_not_name_victims_get_403_and_write_nothing(client, make_user, org_a, rally, role):
    verified_login(client, make_user(role, org_a))
    assert entry_url(rally) not in text(client.get(detail_url(rally)))
    before = written()
    assert client.get(entry_url(rally)).status_code == 403
    for step in ("check", "record"):
        data = {"text": PASTED, "act_type": "administrative-detention", "step": step}
        assert client.post(entry_url(rally), data).status_code == 403
    assert written() == before


def test_another_groups_internal_event_is_a_404(client, make_user, org_b, rally):
    verified_login(client, make_user("coordinator", org_b))
    before = written()
    assert client.get(entry_url(rally)).status_code == 404
    data = {"text": PASTED, "act_type": "administrative-detention", "step": "record"}
    assert client.post(entry_url(rally), data).status_code == 404
    assert written() == before
