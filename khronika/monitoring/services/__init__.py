"""Writes of the monitoring app. Each service checks its policy, validates, saves and logs the change once;
every error names its field and writes nothing. One module per subject; callers write
``services.event_create``."""

from khronika.monitoring.services.acts import ACT_FIELDS, act_add, act_delete, act_update
from khronika.monitoring.services.events import (
    EVENT_FIELDS,
    OPEN_VOCABULARIES,
    event_create,
    event_delete,
    event_relate,
    event_unrelate,
    event_update,
    project_create,
)

__all__ = [
    "ACT_FIELDS",
    "EVENT_FIELDS",
    "OPEN_VOCABULARIES",
    "act_add",
    "act_delete",
    "act_update",
    "event_create",
    "event_delete",
    "event_relate",
    "event_unrelate",
    "event_update",
    "project_create",
]
