"""The whole demo: the network, the centre's monitoring and its case desk, built once, all or nothing."""

from __future__ import annotations

import pytest

from khronika.cases import selectors
from khronika.cases.demo import demo_node_create
from khronika.cases.models import Case, HelpDesk, Intake
from khronika.core import crypto
from khronika.core.errors import Conflict
from khronika.directory.demo import DEMO_MARK
from khronika.monitoring import selectors as monitoring_selectors
from khronika.monitoring.models import Act, Event, Individual

pytestmark = pytest.mark.django_db


def test_the_demo_shows_every_part_of_the_work_with_made_up_names():
    network = demo_node_create(seed=3, organisations=40)

    counts = network.counts
    assert counts["events"] == Event.objects.count() and counts["acts"] == Act.objects.count()
    assert {"public", "network", "internal"} == set(Event.objects.values_list("tier", flat=True))
    assert all(d.endswith(DEMO_MARK) for d in Event.objects.values_list("description", flat=True))
    assert Individual.objects.exists() and all(
        crypto.is_sealed(name) for name in Individual.objects.values_list("name", flat=True)
    )
    assert counts["cases"] == Case.objects.count() == 3 and Intake.objects.count() == counts["intakes"]
    assert HelpDesk.objects.get().accepts_public_requests
    lawyer = Case.objects.first().lawyer
    assert any(task["overdue"] for task in selectors.my_tasks(actor=lawyer))
    table = monitoring_selectors.statistics(actor=lawyer, by="region")
    assert table.acts == Act.objects.filter(deleted_at__isnull=True).count()

    with pytest.raises(Conflict):
        demo_node_create(seed=3, organisations=40)
    assert Event.objects.count() == counts["events"]
