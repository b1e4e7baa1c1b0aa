from django.urls import path

from khronika.monitoring import views

app_name = "monitoring"

urlpatterns = [
    path("events/", views.event_list, name="event_list"),
    path("events/new/", views.event_create, name="event_create"),
    path("events/<uuid:event_id>/", views.event_detail, name="event_detail"),
    path("events/<uuid:event_id>/edit/", views.event_edit, name="event_edit"),
    path("events/<uuid:event_id>/delete/", views.event_delete, name="event_delete"),
    path("events/<uuid:event_id>/relations/new/", views.event_relate, name="event_relate"),
    path("event-relations/<uuid:relation_id>/remove/", views.event_unrelate, name="event_unrelate"),
    path("vocabularies/", views.vocabulary_list, name="vocabulary_list"),
    path("vocabularies/<slug:code>/", views.vocabulary_detail, name="vocabulary_detail"),
]
