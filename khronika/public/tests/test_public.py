"""The public directory: anyone reads the public fields of public organisations, and nothing else;
no cookie, no third-party request, the language kept in every link."""

from __future__ import annotations

import datetime as dt
import uuid
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from khronika.directory import selectors
from khronika.directory.demo import demo_network_create
from khronika.directory.models import (
    ContactPoint,
    Designation,
    Organisation,
    OrganisationKind,
    OrganisationStatus,
    Person,
    Position,
    PracticeNote,
    Region,
    Relationship,
)
from khronika.testing.factories import (
    ContactPointFactory,
    OrganisationFactory,
    PersonFactory,
    PracticeNoteFactory,
)

pytestmark = pytest.mark.django_db

CANARIES = (
    "CANARY-INTERNAL-NOTES",
    "CANARY-NETWORK-CONTACT",
    "CANARY-INTERNAL-CONTACT",
    "CANARY-PROTECTED-CONTACT",
    "CANARY-WHO-TO-ASK",
    "CANARY-NETWORK-NOTE",
    "CANARY-INTERNAL-NOTE",
    "CANARY-PERSON",
    "CANARY-STEWARD",
    "CANARY-HIDDEN-PARTNER",
    "CANARY-RELATIONSHIP-NOTE",
)


@pytest.fixture
def published():
    """A public organisation carrying values of every tier, with a canary in each non-public one."""
    steward = OrganisationFactory(name_ru="CANARY-STEWARD", name_en="CANARY-STEWARD")
    org = OrganisationFactory(
        name_ru="Правозащитный центр «Перекрёсток»",
        name_en="Human Rights Centre Perekryostok",
        description="Помогаем задержанным на акциях.",
        internal_notes="CANARY-INTERNAL-NOTES",
        is_public=True,
        steward=steward,
        home_region=Region.objects.get(code="RU-TVE"),
        founded_on=dt.date(1996, 3, 1),
        founded_precision="month",
        website="https://perekryostok.example.org",
        areas=["protest-detentions"],
    )
    ContactPointFactory(organisation=org, kind="email", value="desk@perekryostok.example.org", tier="public")
    ContactPointFactory(organisation=org, kind="phone", value="CANARY-NETWORK-CONTACT", tier="network")
    ContactPointFactory(organisation=org, kind="phone", value="CANARY-INTERNAL-CONTACT", tier="internal")
    ContactPointFactory(
        organisation=org, kind="messenger", value="CANARY-PROTECTED-CONTACT", tier="protected"
    )
    PracticeNoteFactory(
        organisation=org,
        title="Жалобы после задержаний",
        summary="Подали сорок жалоб.",
        tier="public",
        who_to_ask="CANARY-WHO-TO-ASK",
    )
    PracticeNoteFactory(organisation=org, title="CANARY-NETWORK-NOTE", tier="network")
    PracticeNoteFactory(organisation=org, title="CANARY-INTERNAL-NOTE", tier="internal")
    person = PersonFactory(name_ru="CANARY-PERSON", name_en="CANARY-PERSON", steward=steward)
    Position.objects.create(person=person, organisation=org, title="CANARY-PERSON", version=1)
    partner = OrganisationFactory(name_ru="CANARY-HIDDEN-PARTNER", name_en="CANARY-HIDDEN-PARTNER")
    Relationship.objects.create(
        source=org, target=partner, kind="partner", note="CANARY-RELATIONSHIP-NOTE", version=1
    )
    Designation.objects.create(
        organisation=org,
        kind="foreign_agent",
        listed_on=dt.date(2022, 5, 20),
        legal_basis="Федеральный закон № 121-ФЗ",
        version=1,
    )
    return org


def detail_url(org_id, lang=""):
    url = reverse("public:organisation_detail", args=[org_id])
    return f"{url}?lang={lang}" if lang else url


LIST_URL = reverse("public:organisation_list")


def test_an_anonymous_visitor_sees_the_public_fields_of_a_public_organisation(client, published):
    response = client.get(detail_url(published.id, "ru"))

    assert response.status_code == 200
    html = response.content.decode()
    assert "Правозащитный центр «Перекрёсток»" in html
    assert "Помогаем задержанным на акциях." in html
    assert "desk@perekryostok.example.org" in html
    assert "Жалобы после задержаний" in html
    assert "Федеральный закон № 121-ФЗ" in html
    assert "1996-03" in html
    assert "Тверская область" in html


def test_the_list_shows_public_organisations_only(client, published):
    OrganisationFactory(name_ru="Закрытая группа", is_public=False)

    html = client.get(LIST_URL).content.decode()

    assert "Правозащитный центр «Перекрёсток»" in html
    assert "Закрытая группа" not in html


def test_an_organisation_not_marked_public_is_not_found(client):
    hidden = OrganisationFactory(name_ru="Закрытая группа", is_public=False)

    response = client.get(detail_url(hidden.id))

    assert response.status_code == 404
    assert "Закрытая группа" not in response.content.decode()


@pytest.mark.parametrize("organisation_id", [uuid.uuid4(), "not-a-uuid"])
def test_an_unknown_or_malformed_id_is_not_found(client, organisation_id):
    assert client.get(detail_url(organisation_id)).status_code == 404


def test_a_deleted_organisation_is_not_found(client, published):
    published.deleted_at = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
    published.save()

    assert client.get(detail_url(published.id)).status_code == 404
    assert "Перекрёсток" not in client.get(LIST_URL).content.decode()


def test_the_public_projection_holds_no_internal_or_network_field(published):
    card = selectors.organisation_get(actor=None, organisation_id=published.id, public_only=True)

    for name in (
        "internal_notes",
        "steward",
        "steward_id",
        "relationships",
        "people",
        "created_at",
        "version",
    ):
        assert name not in card
    assert [c["value"] for c in card["contacts"]] == ["desk@perekryostok.example.org"]
    assert all("who_to_ask" not in note for note in card["practice_notes"])


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_no_internal_network_or_protected_value_reaches_any_public_page(client, published, lang):
    pages = [
        client.get(f"{LIST_URL}?lang={lang}"),
        client.get(f"{LIST_URL}?lang={lang}&q=Перекрёсток&area=freedom-of-assembly&region=RU-TVE"),
        client.get(detail_url(published.id, lang)),
    ]

    for response in pages:
        assert response.status_code == 200
        html = response.content.decode()
        assert "Перекрёсток" in html or "Perekryostok" in html
        for canary in CANARIES:
            assert canary not in html, canary


def test_an_anonymous_visitor_gets_no_cookie(client, published):
    responses = [
        client.get(LIST_URL),
        client.get(f"{LIST_URL}?lang=en&q=x&kind=ngo&page=2"),
        client.get(detail_url(published.id, "en")),
        client.get(detail_url(uuid.uuid4(), "ru")),
    ]

    for response in responses:
        assert not response.cookies, response.cookies
        assert "Set-Cookie" not in response.headers
    assert not client.cookies


class _Links(HTMLParser):
    """Every src, href and action attribute, with the tag carrying it; and any script or style."""

    def __init__(self) -> None:
        super().__init__()
        self.references: list[tuple[str, str, str]] = []
        self.inline: list[str] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("src", "href", "action"):
                self.references.append((tag, name, value or ""))
            if name == "style" or name.startswith("on"):
                self.inline.append(f"{tag} {name}")
        if tag in ("script", "style", "iframe", "object", "embed"):
            self.inline.append(tag)


def _parse(html: str) -> _Links:
    parser = _Links()
    parser.feed(html)
    return parser


def test_public_pages_reference_no_other_origin_and_load_nothing_inline(client, published):
    for url in (LIST_URL, f"{LIST_URL}?lang=en", detail_url(published.id, "en"), detail_url(uuid.uuid4())):
        response = client.get(url)
        links = _parse(response.content.decode())

        assert links.references
        for tag, name, value in links.references:
            parts = urlsplit(value)
            assert not parts.scheme and not parts.netloc and not value.startswith("//"), (tag, name, value)
        assert links.inline == []
        assert "default-src 'none'" in response.headers["Content-Security-Policy"]


def test_the_stylesheet_imports_nothing():
    import khronika.public

    css = (Path(khronika.public.__file__).parent / "static" / "public" / "public.css").read_text()
    assert "@import" not in css and "url(" not in css and "http" not in css


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_every_link_keeps_the_current_language(client, published, lang):
    OrganisationFactory.create_batch(30, is_public=True)
    other = "en" if lang == "ru" else "ru"

    for url in (f"{LIST_URL}?lang={lang}&kind=human_rights_group", detail_url(published.id, lang)):
        links = _parse(client.get(url).content.decode())
        anchors = [value for tag, _n, value in links.references if tag == "a" and not value.startswith("#")]

        assert anchors
        languages = [parse_qs(urlsplit(value).query).get("lang") for value in anchors]
        assert languages.count([other]) == 1  # the one link that switches the language
        assert all(found == [lang] for found in languages if found != [other]), anchors


def test_the_language_switch_keeps_the_filters(client, published):
    links = _parse(client.get(f"{LIST_URL}?lang=ru&region=RU-TVE&q=центр").content.decode())

    switch = [value for tag, _n, value in links.references if tag == "a" and "lang=en" in value]
    assert len(switch) == 1
    query = parse_qs(urlsplit(switch[0]).query)
    assert query["region"] == ["RU-TVE"] and query["q"] == ["центр"]


def test_lang_en_gives_english_labels_and_lang_ru_russian_ones(client, published):
    english = client.get(detail_url(published.id, "en")).content.decode()
    russian = client.get(detail_url(published.id, "ru")).content.decode()

    assert '<html lang="en">' in english and '<html lang="ru">' in russian
    assert "Public directory" in english and "Areas of work" in english
    assert "Открытый справочник" in russian and "Направления работы" in russian
    assert "Открытый справочник" not in english
    assert "Tver Oblast" in english and "Тверская область" in russian
    english_list = client.get(f"{LIST_URL}?lang=en").content.decode()
    assert "Human Rights Centre Perekryostok" in english_list


def _names(client, query: str) -> set[str]:
    response = client.get(f"{LIST_URL}?lang=ru&{query}")
    assert response.status_code == 200
    return {row["name_ru"] for row in response.context["organisations"]}


@pytest.fixture
def directory():
    tver, perm = Region.objects.get(code="RU-TVE"), Region.objects.get(code="RU-PER")
    OrganisationFactory(
        name_ru="Тверской мемориальный клуб", is_public=True, home_region=tver, areas=["historical-memory"]
    )
    OrganisationFactory(
        name_ru="Пермский фонд",
        kind=OrganisationKind.NGO,
        is_public=True,
        home_region=perm,
        areas=["protest-detentions"],
        status=OrganisationStatus.DORMANT,
    )
    OrganisationFactory(
        name_ru="Белорусская инициатива",
        kind=OrganisationKind.INITIATIVE,
        is_public=True,
        home_region=Region.objects.get(code="BY"),
        regions=["RU-PER"],
        areas=["legal-aid"],
    )
    OrganisationFactory(name_ru="Скрытый тверской фонд", is_public=False, home_region=tver)


def test_filters_narrow_the_list(client, directory):
    assert _names(client, "") == {"Тверской мемориальный клуб", "Пермский фонд", "Белорусская инициатива"}
    assert _names(client, "q=фонд") == {"Пермский фонд"}
    assert _names(client, "region=RU-TVE") == {"Тверской мемориальный клуб"}
    assert _names(client, "region=RU-PER") == {"Пермский фонд", "Белорусская инициатива"}
    assert _names(client, "district=volga") == {"Пермский фонд", "Белорусская инициатива"}
    # an area finds the organisations working on it or on an area below it
    assert _names(client, "area=freedom-of-assembly") == {"Пермский фонд"}
    assert _names(client, "kind=initiative") == {"Белорусская инициатива"}
    assert _names(client, "status=dormant") == {"Пермский фонд"}
    assert _names(client, "region=RU-PER&kind=ngo") == {"Пермский фонд"}


def test_an_invalid_filter_filters_nothing_and_is_not_echoed_in_the_error(client, directory):
    response = client.get(f"{LIST_URL}?lang=en&region=CANARY-TYPED&kind=ngo")

    assert {row["name_ru"] for row in response.context["organisations"]} == {"Пермский фонд"}
    html = response.content.decode()
    assert "Choose one of the listed options." in html
    assert "CANARY-TYPED" not in html


def test_the_list_is_paginated_25_a_page_in_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    OrganisationFactory.create_batch(30, is_public=True, areas=["legal-aid", "hotline"])

    with django_assert_max_num_queries(6):
        first = client.get(f"{LIST_URL}?lang=en")
    second = client.get(f"{LIST_URL}?lang=en&page=2")

    assert len(first.context["organisations"]) == 25
    assert len(second.context["organisations"]) == 5
    assert "Page 1 of 2" in first.content.decode()
    first_ids = {row["id"] for row in first.context["organisations"]}
    assert first_ids.isdisjoint({row["id"] for row in second.context["organisations"]})


def test_a_post_to_a_public_page_writes_nothing_and_is_refused(client, published):
    response = client.post(LIST_URL, {"q": "x"})

    assert response.status_code in (403, 405)
    assert not response.cookies


def test_no_value_above_public_of_the_demo_network_reaches_a_public_page(client):
    demo_network_create(seed=5, organisations=40)
    public_values = set(ContactPoint.objects.filter(tier="public").values_list("value", flat=True))
    hidden = set(ContactPoint.objects.exclude(tier="public").values_list("value", flat=True)) - public_values
    hidden |= set(Organisation.objects.exclude(internal_notes="").values_list("internal_notes", flat=True))
    hidden |= set(PracticeNote.objects.exclude(who_to_ask="").values_list("who_to_ask", flat=True))
    hidden |= set(Person.objects.values_list("name_ru", flat=True))
    hidden |= set(Organisation.objects.filter(is_public=False).values_list("name_ru", flat=True))
    public_ids = list(Organisation.objects.filter(is_public=True).values_list("id", flat=True))
    assert hidden and public_ids

    pages = [client.get(f"{LIST_URL}?lang=ru&page={n}") for n in (1, 2)]
    pages += [client.get(detail_url(org_id, "ru")) for org_id in public_ids]

    for response in pages:
        assert response.status_code == 200
        html = response.content.decode()
        leaked = [value for value in hidden if value in html]
        assert not leaked, leaked
