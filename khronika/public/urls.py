from django.urls import path

from khronika.public import views

app_name = "public"
urlpatterns = [
    path("", views.organisation_list, name="organisation_list"),
    path("search/", views.search, name="search"),
    # A str, not a uuid converter: a malformed id gets this site's own 404 page, not the staff one.
    path("organisations/<str:organisation_id>/", views.organisation_detail, name="organisation_detail"),
    path(
        "organisations/<str:organisation_id>/request/",
        views.organisation_request,
        name="organisation_request",
    ),
    path(
        "organisations/<str:organisation_id>/request/sent/",
        views.organisation_request_sent,
        name="organisation_request_sent",
    ),
]
