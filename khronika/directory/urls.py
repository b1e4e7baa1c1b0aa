from django.urls import path

from khronika.directory import views

app_name = "directory"

urlpatterns = [
    path("", views.organisation_list, name="organisation_list"),
    path("organisations/new/", views.organisation_create, name="organisation_create"),
    path("organisations/suggest/", views.organisation_suggest, name="organisation_suggest"),
    path("organisations/<uuid:organisation_id>/", views.organisation_detail, name="organisation_detail"),
    path("organisations/<uuid:organisation_id>/edit/", views.organisation_edit, name="organisation_edit"),
    path(
        "organisations/<uuid:organisation_id>/delete/", views.organisation_delete, name="organisation_delete"
    ),
    path(
        "organisations/<uuid:organisation_id>/history/",
        views.organisation_history,
        name="organisation_history",
    ),
    path(
        "organisations/<uuid:organisation_id>/contacts/new/",
        views.organisation_contact_add,
        name="organisation_contact_add",
    ),
    path(
        "organisations/<uuid:organisation_id>/designations/new/",
        views.designation_add,
        name="designation_add",
    ),
    path(
        "organisations/<uuid:organisation_id>/relationships/new/",
        views.relationship_add,
        name="relationship_add",
    ),
    path(
        "organisations/<uuid:organisation_id>/notes/new/", views.practice_note_add, name="practice_note_add"
    ),
    path(
        "organisations/<uuid:organisation_id>/designations/<uuid:designation_id>/edit/",
        views.designation_edit,
        name="designation_edit",
    ),
    path(
        "organisations/<uuid:organisation_id>/designations/<uuid:designation_id>/remove/",
        views.designation_remove,
        name="designation_remove",
    ),
    path(
        "organisations/<uuid:organisation_id>/relationships/<uuid:relationship_id>/remove/",
        views.relationship_remove,
        name="relationship_remove",
    ),
    path(
        "organisations/<uuid:organisation_id>/notes/<uuid:note_id>/edit/",
        views.practice_note_edit,
        name="practice_note_edit",
    ),
    path(
        "organisations/<uuid:organisation_id>/notes/<uuid:note_id>/delete/",
        views.practice_note_delete,
        name="practice_note_delete",
    ),
    path("contacts/<uuid:contact_id>/remove/", views.contact_remove, name="contact_remove"),
    path("persons/", views.person_list, name="person_list"),
    path("persons/new/", views.person_create, name="person_create"),
    path("persons/<uuid:person_id>/", views.person_detail, name="person_detail"),
    path("persons/<uuid:person_id>/edit/", views.person_edit, name="person_edit"),
    path("persons/<uuid:person_id>/contacts/new/", views.person_contact_add, name="person_contact_add"),
    path("persons/<uuid:person_id>/positions/new/", views.position_add, name="position_add"),
    path(
        "persons/<uuid:person_id>/positions/<uuid:position_id>/edit/",
        views.position_edit,
        name="position_edit",
    ),
    path(
        "persons/<uuid:person_id>/positions/<uuid:position_id>/remove/",
        views.position_remove,
        name="position_remove",
    ),
    path("near/", views.networking_near, name="networking_near"),
    path("gaps/", views.coverage_gaps, name="coverage_gaps"),
]
