"""The staff home page: for the desk's case workers, their reminders (tasks due, new requests, referrals
to answer); for everyone, the way to the directory and the events."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from khronika.cases import pages, selectors
from khronika.cases.views.common import overdue_first
from khronika.directory.views.common import user_of


def home(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    desk = pages.works_the_desk(user)
    context = {"desk": desk, "referrals": selectors.referrals_received(actor=user)}
    if desk:
        context |= {
            "tasks": overdue_first(selectors.my_tasks(actor=user)),
            "intakes": pages.new_intakes(actor=user),
        }
    return render(request, "cases/home.html", context)
