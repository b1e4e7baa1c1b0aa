"""Staff pages of monitoring: the event list and its filters, recording, editing and deleting an event
through the services, chains between events, who sees and writes what, and the vocabularies.

The assertions read data, statuses, addresses and element ids, never the words of the interface, so they
hold in every language (the suite runs in Russian)."""

from __future__ import annotations

import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from khronika.core.models import ChangeLogEntry
from khronika.directory.templatetags.directory_tags import local_name
from khronika.monitoring import services
from khronika.monitoring.models import Event, EventRelation, Term, Vocabulary
from khronika.testing.second_factor import verified_login

pytestmark = pytest.mark.django_db

LIST = reverse("monitoring:event_list")
CREATE = reverse("monitoring:event_create")
RALLY = {
    "title": "Задержания на акции 6 мая",
    "description": "Более 400 задержанных.\nМногих отпустили ночью.",
    "started": "2012-05-06",
    "region": "RU-MOW",
    "place": "Болотная площадь",
    "latitude": "55.7424",
    "longitude": "37.6133",
    "type": "rally",
    "projects": ["assemblies-and-detentions"],
    "violation_status": "corroborated",
    "monitoring_status": "being-documented",
}


def url(name, **kwargs):
    return reverse(f"monitoring:{name}", kwargs=kwargs)


def detail_url(event):
    return url("event_detail", event_id=event.pk)


def text(response):
    return response.content.decode()


def log_count():
    return ChangeLogEntry.objects.count()


def sign_in(client, user):
    verified_login(client, user)
    return client


@pytest.fixture
def monitor(make_user, org_a):
    return make_user("monitor", org_a)


@pytest.fixture
def client_a(client, monitor):
    return sign_in(client, monitor)


@pytest.fixture
def rally(monitor):
    return services.event_create(actor=monitor, values=RALLY)


@pytest.fixture
def picket(monitor):
    return services.event_create(
        actor=monitor,
        values={"title": "Одиночный пикет в Перми", "started": "2013", "region": "RU-PER", "type": "picket"},
    )


def form_data(form):
    """What a browser sends back for a form as the page rendered it: its initial values (a textarea's line
    breaks as ``\\r\\n``, as browsers send them)."""
    data = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if value is None:
            value = ""
        data[name] = value.replace("\n", "\r\n") if isinstance(value, str) else value
    return data


# --- The list -------------------------------------------------------------------------------------------


def test_the_list_shows_each_event_with_its_date_region_type_projects_and_tier(client_a, rally, picket):
    response = client_a.get(LIST)
    assert response.status_code == 200
    page = text(response)
    assert page.count('class="event"') == 2
    assert f'href="{detail_url(rally)}"' in page and f'href="{detail_url(picket)}"' in page
    row = page.split(f'id="event-{rally.pk}"')[1].split("</tr>")[0]
    assert "2012-05-06" in row and 'class="tier tier-internal"' in row
    rally_terms = [rally.region, rally.event_type, *(link.project for link in rally.project_links.all())]
    assert all(local_name(term) in row for term in rally_terms)
    assert "2013" in page.split(f'id="event-{picket.pk}"')[1].split("</tr>")[0]  # a year, shown as a year


def test_the_list_links_to_itself_in_the_navigation(client_a):
    assert f'href="{LIST}" aria-current="page"' in text(client_a.get(LIST))


@pytest.mark.parametrize(
    ("filters", "shown"),
    [
        ({"region": "RU-MOW"}, "rally"),
        ({"region": "RU-PER"}, "picket"),
        ({"district": "volga"}, "picket"),
        ({"type": "public-assembly"}, "both"),  # a type finds its sub-types
        ({"type": "rally"}, "rally"),
        ({"project": "assemblies-and-detentions"}, "rally"),
        ({"violation_status": "corroborated"}, "rally"),
        ({"since": "2013"}, "picket"),
        ({"until": "2012-05"}, "rally"),
    ],
)
def test_the_list_filters_by_each_filter(client_a, rally, picket, filters, shown):
    response = client_a.get(LIST, filters)
    assert response.status_code == 200
    page = text(response)
    assert (f'id="event-{rally.pk}"' in page) == (shown in ("rally", "both"))
    assert (f'id="event-{picket.pk}"' in page) == (shown in ("picket", "both"))


def test_a_bad_date_shows_the_error_on_its_field_and_the_other_filters_still_apply(client_a, rally, picket):
    response = client_a.get(LIST, {"since": "6 мая", "until": "позавчера", "region": "RU-PER"})
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) == {"since", "until"}
    assert text(response).count('class="field invalid"') == 2
    assert f'id="event-{picket.pk}"' in text(response) and f'id="event-{rally.pk}"' not in text(response)


def test_a_value_that_is_not_offered_is_a_field_error_not_a_failure(client_a, rally):
    response = client_a.get(LIST, {"type": "concert", "region": "RU-XXX"})
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"type", "region"}
    assert "concert" not in text(response).split('id="results"')[1]
    assert f'id="event-{rally.pk}"' in text(response)


def test_no_match_shows_the_empty_state(client_a, rally):
    page = text(client_a.get(LIST, {"region": "RU-PER"}))
    assert 'id="no-events"' in page and 'class="event"' not in page


def test_an_htmx_request_gets_only_the_results(client_a, rally):
    partial = client_a.get(LIST, {"region": "RU-MOW"}, headers={"HX-Request": "true"})
    assert partial.status_code == 200
    assert "<html" not in text(partial) and f'id="event-{rally.pk}"' in text(partial)
    assert "HX-Request" in partial["Vary"]


def test_the_list_pages_by_25_without_a_query_a_row(client_a, monitor, django_assert_max_num_queries):
    for n in range(30):
        services.event_create(
            actor=monitor,
            values={
                "title": f"Событие {n:02d}",
                "started": f"2012-01-{n + 1:02d}",
                "region": "RU-MOW",
                "type": "rally",
                "projects": ["assemblies-and-detentions", "courts"],
            },
        )
    # 8 reads (9 on PostgreSQL, which counts the matches apart): the page's regions and terms are read
    # once each for the whole page; and the session saved on every request.
    with django_assert_max_num_queries(12 if connection.vendor == "sqlite" else 13):
        first = client_a.get(LIST, {"region": "RU-MOW"})
    assert text(first).count('class="event"') == 25
    assert 'href="?region=RU-MOW&amp;page=2"' in text(first)
    second = text(client_a.get(LIST, {"region": "RU-MOW", "page": "2"}))
    assert second.count('class="event"') == 5


def test_another_groups_internal_event_is_not_listed_but_a_shared_one_is(client, make_user, org_b, rally):
    sign_in(client, make_user("coordinator", org_b))
    shared = services.event_create(
        actor=make_user("monitor", org_b), values={"title": "x", "tier": "network"}
    )
    page = text(client.get(LIST))
    assert f'id="event-{rally.pk}"' not in page and rally.title not in page
    assert f'id="event-{shared.pk}"' in page


# --- Recording an event -------------------------------------------------------------------------------------


def test_a_monitor_records_an_event_through_the_form(client_a, monitor):
    before = log_count()
    response = client_a.post(CREATE, {**RALLY, "tier": "internal"})
    event = Event.objects.get(title=RALLY["title"])
    assert response.status_code == 302 and response.url == detail_url(event)
    assert (event.steward_id, event.tier, event.region.code, event.event_type.code) == (
        monitor.organisation_id,
        "internal",
        "RU-MOW",
        "rally",
    )
    assert [link.project.code for link in event.project_links.all()] == ["assemblies-and-detentions"]
    assert event.description == RALLY["description"]
    assert log_count() == before + 1
    assert client_a.get(response.url).status_code == 200


def test_the_form_offers_the_vocabularies_and_the_regions(client_a):
    response = client_a.get(CREATE)
    assert response.status_code == 200
    form = response.context["form"]
    assert ("rally" in dict(form.fields["type"].choices)) and (
        "courts" in dict(form.fields["projects"].choices)
    )
    assert 'name="region"' in text(response) and 'value="RU-PER"' in text(response)


def test_bad_input_shows_the_services_field_errors_and_writes_nothing(client_a):
    before = (Event.objects.count(), log_count())
    response = client_a.post(
        CREATE,
        {"title": "Пикет", "started": "6 мая", "latitude": "91", "longitude": "10", "tier": "internal"},
    )
    assert response.status_code == 422
    assert {"started", "latitude"} <= set(response.context["form"].errors)
    assert (Event.objects.count(), log_count()) == before


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_viewer_gets_no_create_link_and_403_on_the_form(client, make_user, org_a, method):
    sign_in(client, make_user("viewer", org_a))
    assert 'id="event-create"' not in text(client.get(LIST))
    before = (Event.objects.count(), log_count())
    response = getattr(client, method)(CREATE, {"title": "Не будет", "tier": "internal"})
    assert response.status_code == 403
    assert (Event.objects.count(), log_count()) == before


def test_a_lawyer_may_not_publish_the_error_is_on_the_choice_and_nothing_is_written(client, make_user, org_a):
    sign_in(client, make_user("lawyer", org_a))
    before = (Event.objects.count(), log_count())
    response = client.post(CREATE, {"title": "Суд над пикетчиком", "tier": "public"})
    assert response.status_code == 422
    assert list(response.context["form"].errors) == ["tier"]
    assert 'value="Суд над пикетчиком"' in text(response)  # the input is kept
    assert (Event.objects.count(), log_count()) == before
    recorded = client.post(CREATE, {"title": "Суд над пикетчиком", "tier": "network"})
    assert recorded.status_code == 302


def test_a_monitor_publishes(client_a):
    assert client_a.post(CREATE, {"title": "Опубликовано", "tier": "public"}).status_code == 302
    assert Event.objects.get(title="Опубликовано").tier == "public"


# --- The detail -------------------------------------------------------------------------------------------


def test_the_detail_shows_every_field_and_offers_changes_to_writers(client_a, rally):
    response = client_a.get(detail_url(rally))
    assert response.status_code == 200
    page = text(response)
    for value in (RALLY["title"], RALLY["place"], "2012-05-06", "55.74240", "37.61330", "Многих отпустили"):
        assert value in page
    for term in (rally.region, rally.event_type, rally.violation_status, rally.monitoring_status):
        assert local_name(term) in page
    assert 'id="event-edit"' in page and 'id="event-delete"' in page and 'id="event-relate"' in page
    assert reverse("directory:organisation_detail", args=[rally.steward_id]) in page


def test_a_viewer_reads_the_event_without_the_changes(client, make_user, org_a, rally):
    sign_in(client, make_user("viewer", org_a))
    page = text(client.get(detail_url(rally)))
    assert RALLY["title"] in page
    assert (
        'id="event-edit"' not in page and 'id="event-delete"' not in page and 'id="event-relate"' not in page
    )
    for name in ("event_edit", "event_delete", "event_relate"):
        assert client.get(url(name, event_id=rally.pk)).status_code == 403


def test_another_groups_internal_event_is_a_404_everywhere_without_its_values(
    client, make_user, org_b, rally
):
    sign_in(client, make_user("coordinator", org_b))
    for name in ("event_detail", "event_edit", "event_delete", "event_relate"):
        for method in (client.get, client.post):
            response = method(url(name, event_id=rally.pk))
            assert response.status_code == 404, (name, method)
            assert RALLY["title"] not in text(response) and RALLY["place"] not in text(response)
    assert not Event.objects.get(pk=rally.pk).deleted_at


def test_another_groups_shared_event_is_read_but_not_changed(client, make_user, org_b, monitor):
    shared = services.event_create(actor=monitor, values={"title": "Общее событие", "tier": "network"})
    sign_in(client, make_user("coordinator", org_b))
    page = text(client.get(detail_url(shared)))
    assert "Общее событие" in page and 'id="event-edit"' not in page
    assert client.get(url("event_edit", event_id=shared.pk)).status_code == 403
    assert client.post(url("event_delete", event_id=shared.pk), {"version": 1}).status_code == 403


def test_an_unknown_event_is_a_404(client_a):
    assert client_a.get(url("event_detail", event_id=uuid.uuid4())).status_code == 404


# --- Editing ---------------------------------------------------------------------------------------------


def test_an_edit_saves_only_what_changed(client_a, rally):
    form = client_a.get(url("event_edit", event_id=rally.pk)).context["form"]
    before = log_count()
    response = client_a.post(url("event_edit", event_id=rally.pk), {**form_data(form), "place": "Манежная"})
    assert response.status_code == 302 and response.url == detail_url(rally)
    rally.refresh_from_db()
    assert (rally.place, rally.version) == ("Манежная", 2)
    assert log_count() == before + 1
    assert ChangeLogEntry.objects.latest("seq").changed_fields == ["place"]


def test_a_form_sent_back_unchanged_changes_nothing(client_a, rally):
    form = client_a.get(url("event_edit", event_id=rally.pk)).context["form"]
    before = log_count()
    response = client_a.post(url("event_edit", event_id=rally.pk), form_data(form))
    assert response.status_code == 302
    rally.refresh_from_db()
    assert rally.version == 1 and rally.description == RALLY["description"]
    assert log_count() == before


def test_a_stale_edit_shows_the_conflict_keeps_the_input_and_overwrites_nothing(client_a, monitor, rally):
    seen = form_data(client_a.get(url("event_edit", event_id=rally.pk)).context["form"])
    services.event_update(actor=monitor, event_id=rally.pk, values={"place": "Манежная"})
    before = log_count()
    response = client_a.post(url("event_edit", event_id=rally.pk), {**seen, "title": "Моя правка"})
    assert response.status_code == 409
    assert response.context["conflict"] is not None and 'role="alert"' in text(response)
    assert 'value="Моя правка"' in text(response)
    assert log_count() == before
    rally.refresh_from_db()
    assert (rally.title, rally.place) == (RALLY["title"], "Манежная")


def test_a_lawyer_edits_a_published_event_without_touching_its_tier(client, make_user, org_a, monitor):
    published = services.event_create(actor=monitor, values={"title": "Опубликовано", "tier": "public"})
    client = sign_in(client, make_user("lawyer", org_a))
    form = client.get(url("event_edit", event_id=published.pk)).context["form"]
    response = client.post(url("event_edit", event_id=published.pk), {**form_data(form), "place": "Суд"})
    assert response.status_code == 302
    published.refresh_from_db()
    assert (published.place, published.tier) == ("Суд", "public")


def test_a_retired_term_stays_offered_to_the_event_that_uses_it(client_a, rally):
    Term.objects.filter(vocabulary__code="event-types", code="rally").update(retired=True)
    form = client_a.get(url("event_edit", event_id=rally.pk)).context["form"]
    assert "rally" in dict(form.fields["type"].choices)
    assert "rally" not in dict(client_a.get(CREATE).context["form"].fields["type"].choices)
    assert client_a.post(url("event_edit", event_id=rally.pk), form_data(form)).status_code == 302
    rally.refresh_from_db()
    assert rally.event_type.code == "rally" and rally.version == 1


# --- Deleting -----------------------------------------------------------------------------------------------


def test_delete_asks_first_then_deletes_and_goes_to_the_list(client_a, rally):
    confirm = client_a.get(url("event_delete", event_id=rally.pk))
    assert confirm.status_code == 200 and 'name="version"' in text(confirm)
    assert Event.objects.get(pk=rally.pk).deleted_at is None
    response = client_a.post(url("event_delete", event_id=rally.pk), {"version": rally.version})
    assert response.status_code == 302 and response.url == LIST
    assert Event.objects.get(pk=rally.pk).deleted_at is not None
    assert client_a.get(detail_url(rally)).status_code == 404


def test_a_stale_delete_shows_the_conflict_and_deletes_nothing(client_a, monitor, rally):
    services.event_update(actor=monitor, event_id=rally.pk, values={"place": "Манежная"})
    response = client_a.post(url("event_delete", event_id=rally.pk), {"version": 1})
    assert response.status_code == 409 and response.context["conflict"] is not None
    assert Event.objects.get(pk=rally.pk).deleted_at is None


# --- Chains between events ----------------------------------------------------------------------------------


def test_events_are_linked_shown_on_both_pages_and_unlinked(client_a, rally, picket):
    response = client_a.post(
        url("event_relate", event_id=rally.pk), {"relation": "precedes", "other_event": str(picket.pk)}
    )
    assert response.status_code == 302 and response.url == detail_url(rally)
    link = EventRelation.objects.get(source=rally, target=picket)
    assert link.relation.code == "precedes"
    for event in (rally, picket):
        page = text(client_a.get(detail_url(event)))
        assert f'id="relation-{link.pk}"' in page and local_name(link.relation) in page
        assert url("event_unrelate", relation_id=link.pk) in page
    removed = client_a.post(url("event_unrelate", relation_id=link.pk), {"back": str(picket.pk)})
    assert removed.status_code == 302 and removed.url == detail_url(picket)
    link.refresh_from_db()
    assert link.deleted_at is not None
    assert f'id="relation-{link.pk}"' not in text(client_a.get(detail_url(rally)))


def test_the_detail_costs_the_same_queries_however_many_links_it_has(client_a, monitor, rally, picket):
    def queries(event):
        with CaptureQueriesContext(connection) as captured:
            assert client_a.get(detail_url(event)).status_code == 200
        return len(captured.captured_queries)

    services.event_relate(actor=monitor, event_id=picket.pk, relation="follows", other_event_id=rally.pk)
    for n in range(5):
        other = services.event_create(actor=monitor, values={"title": f"Суд {n}", "region": "RU-PER"})
        services.event_relate(actor=monitor, event_id=rally.pk, relation="causes", other_event_id=other.pk)
    assert queries(rally) == queries(picket)


def test_removing_a_link_is_a_post(client_a, monitor, rally, picket):
    link = services.event_relate(
        actor=monitor, event_id=rally.pk, relation="causes", other_event_id=picket.pk
    )
    assert client_a.get(url("event_unrelate", relation_id=link.pk)).status_code == 405
    link.refresh_from_db()
    assert link.deleted_at is None


@pytest.mark.parametrize("other", ["unknown", "another group's internal event", "itself", "not an id"])
def test_a_link_to_an_event_one_may_not_see_or_to_itself_is_a_field_error(
    client_a, make_user, org_b, rally, other
):
    hidden = services.event_create(actor=make_user("monitor", org_b), values={"title": "Чужое"})
    other_id = {
        "unknown": str(uuid.uuid4()),
        "another group's internal event": str(hidden.pk),
        "itself": str(rally.pk),
        "not an id": "Чужое",
    }[other]
    before = log_count()
    response = client_a.post(
        url("event_relate", event_id=rally.pk), {"relation": "causes", "other_event": other_id}
    )
    assert response.status_code == 422
    assert list(response.context["form"].errors) == ["other_event"]
    assert "Чужое" not in text(response).split("<main")[1].replace('value="Чужое"', "")
    assert log_count() == before and not EventRelation.objects.exists()


def test_the_same_link_twice_is_refused_on_the_form(client_a, monitor, rally, picket):
    services.event_relate(actor=monitor, event_id=rally.pk, relation="causes", other_event_id=picket.pk)
    response = client_a.post(
        url("event_relate", event_id=rally.pk), {"relation": "causes", "other_event": str(picket.pk)}
    )
    assert response.status_code == 422 and response.context["form"].non_field_errors()
    assert EventRelation.objects.count() == 1


def test_a_link_to_an_event_of_another_group_shows_only_if_the_reader_sees_it(
    client, make_user, org_b, monitor, rally
):
    monitor_b = make_user("monitor", org_b)
    shared_b = services.event_create(actor=monitor_b, values={"title": "Событие Б", "tier": "network"})
    services.event_relate(actor=monitor, event_id=rally.pk, relation="causes", other_event_id=shared_b.pk)
    services.event_update(actor=monitor, event_id=rally.pk, values={"tier": "network"})
    sign_in(client, monitor_b)
    # B sees A's event (shared now) and its link to B's own event, but may not remove it: A wrote it.
    page = text(client.get(detail_url(shared_b)))
    assert RALLY["title"] in page and 'id="event-relations"' in page
    link = EventRelation.objects.get()
    assert url("event_unrelate", relation_id=link.pk) not in page
    assert client.post(url("event_unrelate", relation_id=link.pk)).status_code == 403


# --- Vocabularies ------------------------------------------------------------------------------------------


def test_the_vocabulary_list_names_every_vocabulary_with_its_term_count(client_a):
    response = client_a.get(url("vocabulary_list"))
    assert response.status_code == 200
    page = text(response)
    types = Term.objects.filter(vocabulary__code="event-types", retired=False).count()
    row = page.split('id="vocabulary-event-types"')[1].split("</tr>")[0]
    assert url("vocabulary_detail", code="event-types") in row and f'class="term-count">{types}<' in row
    assert page.count('class="vocabulary"') == Vocabulary.objects.count() > 20


def test_a_vocabulary_page_lists_its_terms_indented_and_retired_ones_only_when_asked(client_a):
    Term.objects.filter(vocabulary__code="event-types", code="march").update(retired=True)
    page = text(client_a.get(url("vocabulary_detail", code="event-types")))
    assert 'id="term-rally"' in page and 'class="term depth-1" id="term-rally"' in page
    assert 'class="term depth-0" id="term-public-assembly"' in page
    assert 'class="term depth-2" id="term-single-person-picket"' in page
    assert 'id="term-march"' not in page
    with_retired = text(client_a.get(url("vocabulary_detail", code="event-types"), {"retired": "1"}))
    row = with_retired.split('id="term-march"')[1].split("</tr>")[0]
    assert 'class="term depth-1 retired"' in with_retired and "<del>" in row


def test_an_unknown_vocabulary_is_a_404(client_a):
    assert client_a.get(url("vocabulary_detail", code="no-such-list")).status_code == 404


def test_a_coordinator_adds_a_project_from_the_projects_page(client, make_user, org_a):
    from khronika.monitoring.models import Term
    from khronika.testing.second_factor import verified_login

    coordinator = make_user("coordinator", org_a)
    verified_login(client, coordinator)
    page = reverse("monitoring:vocabulary_detail", args=["monitoring-projects"])
    assert 'id="project-form"' in client.get(page).content.decode()
    sent = client.post(reverse("monitoring:project_create"), {"name_ru": "Дело о репостах"})
    assert sent.status_code == 302 and Term.objects.filter(name_ru="Дело о репостах", added_by=org_a).exists()
    again = client.post(reverse("monitoring:project_create"), {"name_ru": "дело о репостах"}, follow=True)
    assert Term.objects.filter(name_ru__iexact="Дело о репостах").count() == 1 and again.status_code == 200
