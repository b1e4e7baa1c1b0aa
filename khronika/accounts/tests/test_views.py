"""Sign in, sign out and the interface language."""

import pytest
from django.urls import reverse

from khronika.accounts.forms import SIGN_IN_FAILED
from khronika.testing.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db

LOGIN = reverse("accounts:login")
LOGOUT = reverse("accounts:logout")
LANGUAGE = reverse("accounts:language")
DIRECTORY = reverse("directory:organisation_list")


def text(response):
    return response.content.decode()


def test_an_anonymous_visitor_is_sent_to_sign_in(client):
    response = client.get(DIRECTORY)
    assert response.status_code == 302
    assert response.url == f"{LOGIN}?next={DIRECTORY}"
    page = client.get(LOGIN)
    assert page.status_code == 200
    assert 'name="username"' in text(page) and 'name="password"' in text(page)
    assert DIRECTORY not in text(page)  # no navigation for anonymous visitors


def test_a_user_signs_in_and_out(client, make_user):
    user = make_user("editor", username="anna")
    response = client.post(LOGIN, {"username": "anna", "password": TEST_PASSWORD, "next": DIRECTORY})
    assert response.status_code == 302 and response.url == DIRECTORY
    assert client.get(DIRECTORY).status_code == 200
    assert client.get(LOGOUT).status_code == 405  # signing out takes a POST
    assert client.post(LOGOUT).status_code == 302
    assert client.get(DIRECTORY).status_code == 302
    assert user.pk  # the account is untouched


def test_a_wrong_password_and_an_unknown_user_get_the_same_message(client, make_user):
    make_user("editor", username="anna")
    wrong_password = client.post(LOGIN, {"username": "anna", "password": "not the password at all"})
    unknown_user = client.post(LOGIN, {"username": "nobody-here", "password": "not the password at all"})
    assert wrong_password.status_code == unknown_user.status_code == 200
    message = str(SIGN_IN_FAILED)
    assert message in text(wrong_password) and message in text(unknown_user)
    assert "nobody-here" not in text(unknown_user).replace('value="nobody-here"', "")


def test_a_disabled_account_gets_the_same_message(client, make_user):
    make_user("editor", username="gone", is_active=False)
    response = client.post(LOGIN, {"username": "gone", "password": TEST_PASSWORD})
    assert response.status_code == 200 and str(SIGN_IN_FAILED) in text(response)


def test_the_language_switch_changes_the_page_language_and_is_kept_on_the_account(client, make_user):
    user = make_user("editor")
    client.force_login(user)
    response = client.post(LANGUAGE, {"language": "ru", "next": DIRECTORY})
    assert response.status_code == 302 and response.url == DIRECTORY
    russian = text(client.get(DIRECTORY))
    assert '<html lang="ru">' in russian and "Организации" in russian and "Кто работает рядом" in russian
    client.post(LANGUAGE, {"language": "en", "next": DIRECTORY})
    english = text(client.get(DIRECTORY))
    assert '<html lang="en">' in english and "Organisations" in english and "Who works near" in english
    user.refresh_from_db()
    assert user.language == "en"


def test_the_chosen_language_follows_the_user_to_the_next_session(client, make_user):
    user = make_user("editor", username="anna")
    client.force_login(user)
    client.post(LANGUAGE, {"language": "en", "next": DIRECTORY})
    client.post(LOGOUT)
    client.post(LOGIN, {"username": "anna", "password": TEST_PASSWORD}, headers={"Accept-Language": "ru"})
    assert "Who works near" in text(client.get(DIRECTORY))


def test_the_language_switch_works_before_signing_in_and_never_redirects_off_site(client):
    response = client.post(LANGUAGE, {"language": "ru", "next": "https://elsewhere.example/"})
    assert response.status_code == 302 and response.url.startswith("/")
    assert "Войти" in text(client.get(LOGIN))


def test_an_unknown_language_is_refused(client, make_user):
    user = make_user("editor")
    client.force_login(user)
    response = client.post(LANGUAGE, {"language": "xx", "next": DIRECTORY}, headers={"Accept-Language": "en"})
    assert response.status_code == 422
    assert "Choose one of the offered languages." in text(response) and "xx" not in text(response)
    user.refresh_from_db()
    assert user.language == ""
