from django.urls import path

from khronika.accounts import views, views_access, views_lockdown, views_second_factor

app_name = "accounts"
urlpatterns = [
    path("login/", views.sign_in, name="login"),
    path("logout/", views.sign_out, name="logout"),
    path("language/", views.language_switch, name="language"),
    path("me/", views.account, name="account"),
    path("me/password/", views.password_change, name="password_change"),
    path("lockdown/", views_lockdown.lockdown_page, name="lockdown"),
    path("lockdown/<uuid:lockdown_id>/confirm/", views_lockdown.lockdown_confirm, name="lockdown_confirm"),
    path("lockdown/<uuid:lockdown_id>/cancel/", views_lockdown.lockdown_cancel, name="lockdown_cancel"),
    path("me/sign-out-everywhere/", views.sessions_end, name="sessions_end"),
    path("second-factor/", views_second_factor.overview, name="second_factor"),
    path("second-factor/verify/", views_second_factor.verify, name="second_factor_verify"),
    path("second-factor/enrol/", views_second_factor.enrol, name="second_factor_enrol"),
    path(
        "second-factor/recovery-codes/",
        views_second_factor.recovery_codes,
        name="second_factor_recovery_codes",
    ),
    path("second-factor/remove/", views_second_factor.remove, name="second_factor_remove"),
    path("access/<str:entity>/<uuid:entity_id>/", views_access.access, name="access"),
    path(
        "access/<str:entity>/<uuid:entity_id>/revoke/<uuid:user_id>/",
        views_access.access_revoke,
        name="access_revoke",
    ),
]
