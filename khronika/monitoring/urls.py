from django.urls import path

from khronika.monitoring import views, views_acts, views_documents, views_statistics

app_name = "monitoring"

urlpatterns = [
    path("events/", views.event_list, name="event_list"),
    path("events/new/", views.event_create, name="event_create"),
    path("events/<uuid:event_id>/", views.event_detail, name="event_detail"),
    path("events/<uuid:event_id>/edit/", views.event_edit, name="event_edit"),
    path("events/<uuid:event_id>/delete/", views.event_delete, name="event_delete"),
    path("events/<uuid:event_id>/relations/new/", views.event_relate, name="event_relate"),
    path("event-relations/<uuid:relation_id>/remove/", views.event_unrelate, name="event_unrelate"),
    path("events/<uuid:event_id>/acts/new/", views_acts.act_create, name="act_create"),
    path("acts/<uuid:act_id>/edit/", views_acts.act_edit, name="act_edit"),
    path("acts/<uuid:act_id>/delete/", views_acts.act_delete, name="act_delete"),
    path("acts/<uuid:act_id>/involvements/new/", views_acts.involvement_add, name="involvement_add"),
    path(
        "involvements/<uuid:involvement_id>/remove/", views_acts.involvement_remove, name="involvement_remove"
    ),
    path("events/<uuid:event_id>/information/new/", views_acts.information_add, name="information_add"),
    path(
        "information/<uuid:information_id>/remove/", views_acts.information_remove, name="information_remove"
    ),
    path("events/<uuid:event_id>/interventions/new/", views_acts.intervention_add, name="intervention_add"),
    path(
        "interventions/<uuid:intervention_id>/edit/", views_acts.intervention_edit, name="intervention_edit"
    ),
    path(
        "interventions/<uuid:intervention_id>/remove/",
        views_acts.intervention_remove,
        name="intervention_remove",
    ),
    path("events/<uuid:event_id>/detainees/", views_acts.detainees, name="detainees"),
    path("events/<uuid:event_id>/documents/new/", views_documents.document_upload, name="event_document_add"),
    path("cases/<uuid:case_id>/documents/new/", views_documents.document_upload, name="case_document_add"),
    path("documents/<uuid:document_id>/", views_documents.document_download, name="document_download"),
    path("documents/<uuid:document_id>/delete/", views_documents.document_delete, name="document_delete"),
    path("statistics/", views_statistics.statistics_page, name="statistics"),
    path("statistics/csv/", views_statistics.statistics_csv, name="statistics_csv"),
    path("vocabularies/", views.vocabulary_list, name="vocabulary_list"),
    path("projects/new/", views.project_create, name="project_create"),
    path("vocabularies/<slug:code>/", views.vocabulary_detail, name="vocabulary_detail"),
]
