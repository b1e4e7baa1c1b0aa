"""The staff pages of the case desk. Each view parses its input, calls the selector or the service the
API calls for the same operation, and renders; a service's refusal lands on the form that sent the
values. Another group's case, request or task is not found (404); a colleague of another role is
refused (403), as the desk's policies say."""

from khronika.cases.views.cases import case_create, case_detail, case_edit, case_list
from khronika.cases.views.home import home
from khronika.cases.views.intakes import (
    intake_close,
    intake_create,
    intake_detail,
    intake_edit,
    intake_list,
)
from khronika.cases.views.referrals import help_desk, referral_answer, referral_create, referral_list
from khronika.cases.views.work import (
    case_event_create,
    case_event_link,
    case_status,
    note_add,
    task_add,
    task_done,
)

__all__ = [
    "case_create",
    "case_detail",
    "case_edit",
    "case_event_create",
    "case_event_link",
    "case_list",
    "case_status",
    "help_desk",
    "home",
    "intake_close",
    "intake_create",
    "intake_detail",
    "intake_edit",
    "intake_list",
    "note_add",
    "referral_answer",
    "referral_create",
    "referral_list",
    "task_add",
    "task_done",
]
