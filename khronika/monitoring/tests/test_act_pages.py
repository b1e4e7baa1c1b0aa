"""Staff pages of what an event holds: its acts on the event's page (sealed names closed until opened with
a purpose), recording, editing and deleting an act, perpetrators, sources and interventions, who may do
which, and what another group sees.

The assertions read data, statuses, addresses and element ids, never the words of the interface, so they
hold in every language (the suite runs in Russian)."""

from __future__ import annotations

import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from khronika.core import crypto
from khronika.core.models import AuditEntry, ChangeLogEntry
from khronika.monitoring import services
from khronika.monitoring.models import Act, Individual, Information, Intervention, Involvement
from khronika.monitoring.services import links
from khronika.testing.factories import PersonFactory
from khronika.testing.keys import opened
from khronika.testing.second_factor import verified_login

pytestmark = pytest.mark.django_db

NAME = "Канарейкина Анна"
CASE = "5-1234/2011"
GROUP = {"type": "administrative-detention", "victim_group": "участники схода", "victim_count": "39"}


def url(name, **kwargs):
    return reverse(f"monitoring:{name}", kwargs=kwargs)


def detail_url(event):
    return url("event_detail", event_id=event.pk)


def text(response):
    return response.content.decode()


def log_count():
    return ChangeLogEntry.objects.count()


def row_of(page, element_id):
    return page.split(f'id="{element_id}"')[1].split("</tr>")[0]


def form_data(form):
    """What a browser sends back for a form as the page rendered it."""
    data = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        data[name] = "" if value is None else value
    return data


@pytest.fixture
def monitor(make_user, org_a):
    return make_user("monitor", org_a)


@pytest.fixture
def client_a(client, monitor):
    verified_login(client, monitor)
    return client


@pytest.fixture
def rally(monitor):
    return services.event_create(
        actor=monitor,
        values={"title": "Задержания на Триумфальной", "started": "2011-12-04", "type": "rally"},
    )


@pytest.fixture
def group_act(monitor, rally):
    return services.act_add(actor=monitor, event_id=rally.pk, values=GROUP)


@pytest.fixture
def named_act(monitor, rally):
    return services.act_add(
        actor=monitor,
        event_id=rally.pk,
        values={
            "type": "administrative-detention",
            "victim_name": NAME,
            "victim_birth_year": "1990",
            "case_number": CASE,
            "started": "2011-12-04",
            "time": "14:30",
            "police_station": "ОВД Тверской",
            "consequences": ["fine-imposed"],
            "end_status": "released-with-protocol",
        },
    )


# --- The acts on the event's page -------------------------------------------------------------------------


def test_the_event_page_lists_its_acts_with_totals_perpetrators_and_changes_for_writers(
    client_a, monitor, rally, group_act, named_act
):
    link = links.involvement_add(
        actor=monitor, act_id=named_act.pk, values={"perpetrator": "ОМОН", "degree": "carried-out"}
    )
    response = client_a.get(detail_url(rally))
    assert response.status_code == 200
    page = text(response)
    assert page.count('class="act"') == 2
    totals = page.split('id="act-totals"')[1].split("</p>")[0]
    assert '<span class="total-acts">2</span>' in totals and '<span class="total-victims">40</span>' in totals
    group_row, named_row = row_of(page, f"act-{group_act.pk}"), row_of(page, f"act-{named_act.pk}")
    assert 'class="victim-group"' in group_row and "39" in group_row and "участники схода" in group_row
    assert "ОВД Тверской" in named_row and "2011-12-04 14:30" in named_row
    assert f'id="involvement-{link.pk}"' in named_row and "ОМОН" in named_row
    for name in ("act_edit", "act_delete", "involvement_add"):
        assert url(name, act_id=named_act.pk) in named_row
    assert url("involvement_remove", involvement_id=link.pk) in named_row
    assert url("act_create", event_id=rally.pk) in page and url("detainees", event_id=rally.pk) in page
    assert 'id="sources"' in page and 'id="interventions"' in page  # empty, but the writer may add


def test_a_sealed_name_and_case_number_show_only_once_opened_with_a_purpose(client_a, rally, named_act):
    closed = text(client_a.get(detail_url(rally)))
    assert NAME not in closed and CASE not in closed
    row = row_of(closed, f"act-{named_act.pk}")
    assert row.count('class="sealed"') == 2 and 'href="?purpose=verify#act-' in row
    audited = AuditEntry.objects.filter(action__endswith=".open").count()

    opened_page = text(client_a.get(detail_url(rally), {"purpose": "verify"}))
    row = row_of(opened_page, f"act-{named_act.pk}")
    assert NAME in row and CASE in row and "1990" in row and 'class="sealed"' not in row
    assert AuditEntry.objects.filter(action__endswith=".open").count() > audited


def test_a_role_without_protected_reading_sees_no_name_and_no_way_to_open_one(
    client, make_user, org_a, rally, named_act
):
    verified_login(client, make_user("editor", org_a))
    for query in ({}, {"purpose": "verify"}):
        page = text(client.get(detail_url(rally), query))
        row = row_of(page, f"act-{named_act.pk}")
        assert NAME not in page and CASE not in page
        assert 'class="sealed"' not in row and "purpose=" not in row
        assert url("detainees", event_id=rally.pk) not in page  # only roles that name enter lists of names
        assert url("act_edit", act_id=named_act.pk) in row  # but the editor writes the act


def test_a_viewer_reads_the_acts_without_the_changes_and_sections_without_rows_are_left_out(
    client, make_user, org_a, rally, group_act
):
    verified_login(client, make_user("viewer", org_a))
    page = text(client.get(detail_url(rally)))
    assert f'id="act-{group_act.pk}"' in page
    assert (
        url("act_create", event_id=rally.pk) not in page and url("act_edit", act_id=group_act.pk) not in page
    )
    assert 'id="sources"' not in page and 'id="interventions"' not in page
    for name in ("act_edit", "act_delete", "involvement_add"):
        assert client.get(url(name, act_id=group_act.pk)).status_code == 403
    for name in ("act_create", "information_add", "intervention_add"):
        assert client.get(url(name, event_id=rally.pk)).status_code == 403


def test_the_event_page_costs_the_same_queries_however_many_acts_and_links_it_holds(client_a, monitor, rally):
    small = services.event_create(actor=monitor, values={"title": "Пикет", "type": "picket"})
    services.act_add(actor=monitor, event_id=small.pk, values=GROUP)

    def fill(event, count):
        for n in range(count):
            act = services.act_add(
                actor=monitor,
                event_id=event.pk,
                values={
                    "type": "torture",
                    "victim_name": f"Имя {n}",
                    "consequences": ["injury", "fine-imposed"],
                },
            )
            links.involvement_add(
                actor=monitor, act_id=act.pk, values={"perpetrator": "ОМОН", "degree": "ordered"}
            )
            links.information_add(
                actor=monitor, event_id=event.pk, values={"source_kind": "media", "reliability": "high"}
            )
            links.intervention_add(
                actor=monitor, event_id=event.pk, values={"type": "appeal", "status": "planned"}
            )

    fill(small, 1)
    fill(rally, 6)

    def queries(event):
        with CaptureQueriesContext(connection) as captured:
            assert client_a.get(detail_url(event)).status_code == 200
        return len(captured.captured_queries)

    assert queries(rally) == queries(small)


# --- Recording an act ---------------------------------------------------------------------------------------


def test_a_monitor_records_a_group_act_through_the_form(client_a, rally):
    before = log_count()
    response = client_a.post(
        url("act_create", event_id=rally.pk),
        {
            **GROUP,
            "started": "2011-12-04",
            "time": "14:30",
            "method": "beating-with-truncheon",
            "consequences": ["injury", "fine-imposed"],
            "detention_place": "police-station",
            "police_station": "ОВД Тверской",
            "statements_signed": "no",
            "notes": "Отпустили\r\nночью",
        },
    )
    act = Act.objects.get(event=rally)
    assert response.status_code == 302 and response.url == f"{detail_url(rally)}#act-{act.pk}"
    assert (act.victim_kind, act.victim_count, act.victim_group) == ("group", 39, "участники схода")
    assert (act.act_type.code, act.method.code, act.detention_place.code) == (
        "administrative-detention",
        "beating-with-truncheon",
        "police-station",
    )
    assert sorted(link.consequence.code for link in act.consequence_links.all()) == ["fine-imposed", "injury"]
    assert (act.started_time.hour, act.statements_signed, act.notes) == (14, False, "Отпустили\nночью")
    assert log_count() == before + 1


def test_the_form_offers_the_vocabularies_and_the_name_inputs_to_a_role_that_names(client_a, rally):
    response = client_a.get(url("act_create", event_id=rally.pk))
    assert response.status_code == 200
    form = response.context["form"]
    assert "administrative-detention" in dict(form.fields["type"].choices)
    assert "injury" in dict(form.fields["consequences"].choices)
    assert "released-with-protocol" in dict(form.fields["end_status"].choices)
    assert "police-station" in dict(form.fields["detention_place"].choices)
    assert "beating-with-truncheon" in dict(form.fields["method"].choices)
    page = text(response)
    assert 'name="victim_name"' in page and 'name="case_number"' in page
    assert page.count('<fieldset class="group">') == 7


def test_a_named_act_is_recorded_sealed(client_a, monitor, rally):
    response = client_a.post(
        url("act_create", event_id=rally.pk),
        {
            "type": "administrative-detention",
            "victim_name": NAME,
            "victim_birth_year": "1990",
            "case_number": CASE,
        },
    )
    assert response.status_code == 302
    act = Act.objects.get(event=rally)
    assert crypto.is_sealed(Act.objects.values_list("case_number", flat=True).get(pk=act.pk))
    assert opened(Individual.objects.get(pk=act.victim_id), monitor)["name"] == NAME


def test_a_role_without_protected_reading_gets_no_name_input_and_cannot_post_a_name(
    client, make_user, org_a, rally
):
    verified_login(client, make_user("editor", org_a))
    page = text(client.get(url("act_create", event_id=rally.pk)))
    assert (
        'name="victim_name"' not in page and 'name="case_number"' not in page and 'name="victim"' not in page
    )
    before = (Act.objects.count(), Individual.objects.count(), log_count())
    for named in ({"victim_name": NAME}, {"case_number": CASE}):
        response = client.post(url("act_create", event_id=rally.pk), {"type": "torture", **named})
        assert response.status_code in (403, 422)
        assert NAME not in text(response) and CASE not in text(response)
    assert (Act.objects.count(), Individual.objects.count(), log_count()) == before
    group = client.post(url("act_create", event_id=rally.pk), GROUP)
    assert group.status_code == 302 and Act.objects.count() == 1


def test_bad_input_shows_the_field_errors_keeps_the_input_and_writes_nothing(client_a, rally):
    before = (Act.objects.count(), log_count())
    response = client_a.post(
        url("act_create", event_id=rally.pk),
        {"type": "administrative-detention", "time": "25:99", "started": "позавчера", "place": "Пушкинская"},
    )
    assert response.status_code == 422
    assert {"time", "started"} <= set(response.context["form"].errors)
    assert 'value="Пушкинская"' in text(response)
    missing = client_a.post(url("act_create", event_id=rally.pk), {"place": "Пушкинская"})
    assert missing.status_code == 422 and "type" in missing.context["form"].errors
    assert (Act.objects.count(), log_count()) == before


# --- Editing and deleting -----------------------------------------------------------------------------------


def test_an_edit_saves_only_what_changed_and_keeps_a_sealed_case_number_it_did_not_open(
    client_a, monitor, named_act
):
    edit = url("act_edit", act_id=named_act.pk)
    page = client_a.get(edit)
    assert page.status_code == 200 and CASE not in text(page) and NAME not in text(page)
    before = log_count()
    response = client_a.post(edit, {**form_data(page.context["form"]), "police_station": "ОВД Арбат"})
    assert response.status_code == 302 and response.url.endswith(f"#act-{named_act.pk}")
    named_act.refresh_from_db()
    assert (named_act.police_station, named_act.version) == ("ОВД Арбат", 2)
    assert ChangeLogEntry.objects.latest("seq").changed_fields == ["police_station"]
    assert log_count() == before + 1
    assert opened(named_act, monitor)["case_number"] == CASE


def test_an_edit_opened_with_a_purpose_shows_the_case_number_and_may_clear_it(client_a, monitor, named_act):
    edit = url("act_edit", act_id=named_act.pk)
    page = client_a.get(edit, {"purpose": "verify"})
    assert CASE in text(page) and NAME in text(page)
    data = {**form_data(page.context["form"]), "case_number": ""}
    assert client_a.post(f"{edit}?purpose=verify", data).status_code == 302
    named_act.refresh_from_db()
    assert opened(named_act, monitor).get("case_number", "") == ""


def test_a_form_sent_back_unchanged_changes_nothing(client_a, named_act):
    edit = url("act_edit", act_id=named_act.pk)
    before = log_count()
    assert client_a.post(edit, form_data(client_a.get(edit).context["form"])).status_code == 302
    named_act.refresh_from_db()
    assert named_act.version == 1 and log_count() == before


def test_a_stale_edit_shows_the_conflict_keeps_the_input_and_overwrites_nothing(client_a, monitor, group_act):
    edit = url("act_edit", act_id=group_act.pk)
    seen = form_data(client_a.get(edit).context["form"])
    services.act_update(actor=monitor, act_id=group_act.pk, values={"place": "Манежная"})
    before = log_count()
    response = client_a.post(edit, {**seen, "victim_count": "45", "place": "Моя правка"})
    assert response.status_code == 409 and response.context["conflict"] is not None
    assert 'value="Моя правка"' in text(response)
    group_act.refresh_from_db()
    assert (group_act.victim_count, group_act.place) == (39, "Манежная") and log_count() == before


def test_delete_asks_first_then_deletes_and_goes_back_to_the_event(client_a, rally, group_act):
    delete = url("act_delete", act_id=group_act.pk)
    confirm = client_a.get(delete)
    assert confirm.status_code == 200 and 'name="version"' in text(confirm)
    assert Act.objects.get(pk=group_act.pk).deleted_at is None
    response = client_a.post(delete, {"version": 1})
    assert response.status_code == 302 and response.url.startswith(detail_url(rally))
    assert Act.objects.get(pk=group_act.pk).deleted_at is not None
    assert f'id="act-{group_act.pk}"' not in text(client_a.get(detail_url(rally)))
    assert client_a.get(url("act_edit", act_id=group_act.pk)).status_code == 404


def test_a_stale_delete_shows_the_conflict_and_deletes_nothing(client_a, monitor, group_act):
    services.act_update(actor=monitor, act_id=group_act.pk, values={"place": "Манежная"})
    response = client_a.post(url("act_delete", act_id=group_act.pk), {"version": 1})
    assert response.status_code == 409 and response.context["conflict"] is not None
    assert Act.objects.get(pk=group_act.pk).deleted_at is None


# --- Another group ---------------------------------------------------------------------------------------


def every_page(event, act, intervention):
    return [
        *(
            url(name, event_id=event.pk)
            for name in ("act_create", "information_add", "intervention_add", "detainees")
        ),
        *(url(name, act_id=act.pk) for name in ("act_edit", "act_delete", "involvement_add")),
        url("intervention_edit", intervention_id=intervention.pk),
    ]


def test_another_groups_internal_event_is_a_404_on_every_page_of_its_acts(
    client, make_user, org_b, monitor, rally, named_act
):
    intervention = links.intervention_add(
        actor=monitor, event_id=rally.pk, values={"type": "appeal", "status": "planned"}
    )
    verified_login(client, make_user("coordinator", org_b))
    before = log_count()
    for page in every_page(rally, named_act, intervention):
        for method in (client.get, client.post):
            response = method(page, {"type": "torture", "text": "Иванов", "version": "1"})
            assert response.status_code == 404, (page, method)
            assert rally.title not in text(response) and "ОВД Тверской" not in text(response)
    assert log_count() == before


def test_another_groups_shared_event_shows_its_acts_but_not_its_sources_and_changes_nothing(
    client, make_user, org_b, monitor, rally, named_act
):
    links.information_add(
        actor=monitor,
        event_id=rally.pk,
        values={"source_kind": "media", "reliability": "high", "title": "Статья"},
    )
    intervention = links.intervention_add(
        actor=monitor, event_id=rally.pk, values={"type": "appeal", "status": "planned", "notes": "Жалоба"}
    )
    services.event_update(actor=monitor, event_id=rally.pk, values={"tier": "network"})
    verified_login(client, make_user("coordinator", org_b))
    page = text(client.get(detail_url(rally)))
    assert f'id="act-{named_act.pk}"' in page and NAME not in page
    assert 'id="sources"' not in page and "Статья" not in page and "Жалоба" not in page
    assert url("act_edit", act_id=named_act.pk) not in page
    for path in every_page(rally, named_act, intervention):
        assert client.get(path).status_code == 403, path


def test_an_unknown_act_is_a_404(client_a):
    assert client_a.get(url("act_edit", act_id=uuid.uuid4())).status_code == 404


# --- Perpetrators -----------------------------------------------------------------------------------------


def test_a_perpetrator_is_added_by_description_or_directory_record_and_removed(
    client_a, org_a, rally, group_act
):
    add = url("involvement_add", act_id=group_act.pk)
    assert client_a.get(add).status_code == 200
    response = client_a.post(
        add, {"perpetrator": "ОМОН без знаков различия", "degree": "carried-out", "perpetrator_type": "omon"}
    )
    assert response.status_code == 302 and response.url.endswith(f"#act-{group_act.pk}")
    link = Involvement.objects.get(act=group_act)
    assert (link.degree.code, link.perpetrator_type.code, link.tier) == ("carried-out", "omon", "internal")
    officer = PersonFactory(steward=org_a)
    assert client_a.post(add, {"perpetrator_person": str(officer.pk), "degree": "ordered"}).status_code == 302
    by_person = Involvement.objects.get(perpetrator_person=officer)
    page = text(client_a.get(detail_url(rally)))
    assert f'id="involvement-{link.pk}"' in page and officer.name_ru in page
    assert reverse("directory:person_detail", args=[officer.pk]) in page

    assert client_a.get(url("involvement_remove", involvement_id=link.pk)).status_code == 405
    removed = client_a.post(url("involvement_remove", involvement_id=link.pk))
    assert removed.status_code == 302 and removed.url.startswith(detail_url(rally))
    link.refresh_from_db()
    assert link.deleted_at is not None and by_person.deleted_at is None
    assert f'id="involvement-{link.pk}"' not in text(client_a.get(detail_url(rally)))


def test_a_perpetrator_without_a_name_or_with_an_unknown_record_is_a_field_error(client_a, group_act):
    add = url("involvement_add", act_id=group_act.pk)
    before = log_count()
    nobody = client_a.post(add, {"degree": "carried-out"})
    assert nobody.status_code == 422 and "perpetrator" in nobody.context["form"].errors
    unknown = client_a.post(add, {"perpetrator_person": str(uuid.uuid4()), "degree": "carried-out"})
    assert unknown.status_code == 422 and list(unknown.context["form"].errors) == ["perpetrator_person"]
    no_degree = client_a.post(add, {"perpetrator": "ОМОН"})
    assert no_degree.status_code == 422 and "degree" in no_degree.context["form"].errors
    assert log_count() == before and not Involvement.objects.exists()


# --- Sources -----------------------------------------------------------------------------------------------


def test_a_source_is_added_shown_and_removed(client_a, rally, group_act):
    add = url("information_add", event_id=rally.pk)
    form = client_a.get(add).context["form"]
    assert str(group_act.pk) in dict(form.fields["act"].choices)
    response = client_a.post(
        add,
        {
            "source_kind": "media",
            "title": "Репортаж",
            "url": "https://example.org/report",
            "reliability": "high",
            "source_type": "news-outlet",
            "dated": "2011-12-05",
            "act": str(group_act.pk),
        },
    )
    assert response.status_code == 302 and response.url.endswith("#sources")
    record = Information.objects.get(event=rally)
    assert (record.reliability.code, record.act_id, record.source_title) == ("high", group_act.pk, "Репортаж")
    page = text(client_a.get(detail_url(rally)))
    assert f'id="source-{record.pk}"' in page and "https://example.org/report" in page
    removed = client_a.post(url("information_remove", information_id=record.pk))
    assert removed.status_code == 302
    record.refresh_from_db()
    assert record.deleted_at is not None


def test_a_source_who_is_a_person_is_sealed_and_shown_only_opened(client_a, rally):
    response = client_a.post(
        url("information_add", event_id=rally.pk),
        {"source_kind": "person", "source_name": "Свидетель Петров", "reliability": "usually-reliable"},
    )
    assert response.status_code == 302
    record = Information.objects.get(event=rally)
    assert "Свидетель Петров" not in text(client_a.get(detail_url(rally)))
    assert f'href="?purpose=verify#source-{record.pk}"' in text(client_a.get(detail_url(rally)))
    assert "Свидетель Петров" in text(client_a.get(detail_url(rally), {"purpose": "verify"}))


def test_a_source_without_reliability_is_a_field_error_and_a_non_namer_cannot_name_one(
    client_a, client, make_user, org_a, rally
):
    response = client_a.post(url("information_add", event_id=rally.pk), {"source_kind": "media"})
    assert response.status_code == 422 and "reliability" in response.context["form"].errors
    verified_login(client, make_user("editor", org_a))
    assert 'name="source_name"' not in text(client.get(url("information_add", event_id=rally.pk)))
    named = client.post(
        url("information_add", event_id=rally.pk),
        {"source_kind": "person", "source_name": "Петров", "reliability": "high"},
    )
    assert named.status_code in (403, 422)
    assert not Information.objects.exists() and not Individual.objects.exists()


# --- Interventions -----------------------------------------------------------------------------------------


def test_an_intervention_is_recorded_edited_and_removed(client_a, org_a, rally):
    response = client_a.post(
        url("intervention_add", event_id=rally.pk),
        {"type": "complaint-to-prosecutor", "status": "planned", "parties_requested": "Прокуратура"},
    )
    assert response.status_code == 302 and response.url.endswith("#interventions")
    record = Intervention.objects.get(event=rally)
    assert (record.by_organisation_id, record.intervention_type.code) == (org_a.pk, "complaint-to-prosecutor")
    page = text(client_a.get(detail_url(rally)))
    assert f'id="intervention-{record.pk}"' in page and "Прокуратура" in page
    edit = url("intervention_edit", intervention_id=record.pk)
    assert edit in page

    seen = form_data(client_a.get(edit).context["form"])
    assert client_a.post(edit, {**seen, "status": "awaiting-response"}).status_code == 302
    record.refresh_from_db()
    assert (record.status.code, record.version, record.parties_requested) == (
        "awaiting-response",
        2,
        "Прокуратура",
    )
    stale = client_a.post(edit, {**seen, "status": "completed"})
    assert stale.status_code == 409 and stale.context["conflict"] is not None
    record.refresh_from_db()
    assert record.status.code == "awaiting-response"

    assert client_a.post(url("intervention_remove", intervention_id=record.pk)).status_code == 302
    record.refresh_from_db()
    assert record.deleted_at is not None


def test_an_intervention_without_type_or_status_is_a_field_error(client_a, rally):
    response = client_a.post(url("intervention_add", event_id=rally.pk), {"dated": "2012"})
    assert response.status_code == 422
    assert {"type", "status"} <= set(response.context["form"].errors)
    assert not Intervention.objects.exists()
