from django.urls import path

from khronika.cases import views

app_name = "cases"

urlpatterns = [
    path("intakes/", views.intake_list, name="intake_list"),
    path("intakes/new/", views.intake_create, name="intake_create"),
    path("intakes/<uuid:intake_id>/", views.intake_detail, name="intake_detail"),
    path("intakes/<uuid:intake_id>/edit/", views.intake_edit, name="intake_edit"),
    path("intakes/<uuid:intake_id>/close/", views.intake_close, name="intake_close"),
    path("cases/", views.case_list, name="case_list"),
    path("cases/new/", views.case_create, name="case_create"),
    path("cases/<uuid:case_id>/", views.case_detail, name="case_detail"),
    path("cases/<uuid:case_id>/edit/", views.case_edit, name="case_edit"),
    path("cases/<uuid:case_id>/status/", views.case_status, name="case_status"),
    path("cases/<uuid:case_id>/tasks/new/", views.task_add, name="task_add"),
    path("cases/<uuid:case_id>/notes/new/", views.note_add, name="note_add"),
    path("cases/<uuid:case_id>/referrals/new/", views.referral_create, name="referral_create"),
    path("cases/<uuid:case_id>/event/new/", views.case_event_create, name="case_event_create"),
    path("cases/<uuid:case_id>/event/link/", views.case_event_link, name="case_event_link"),
    path("tasks/<uuid:task_id>/done/", views.task_done, name="task_done"),
    path("referrals/", views.referral_list, name="referral_list"),
    path("referrals/<uuid:referral_id>/answer/", views.referral_answer, name="referral_answer"),
    path("desk/", views.help_desk, name="help_desk"),
]
