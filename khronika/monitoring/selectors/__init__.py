"""Reads of the monitoring app, one module per subject; callers write ``selectors.event_list``."""

from khronika.monitoring.selectors.acts import act_card, event_acts, event_totals
from khronika.monitoring.selectors.events import (
    EVENT_FILTERS,
    event_card,
    event_list,
    event_rows,
)
from khronika.monitoring.selectors.links import event_information, event_interventions
from khronika.monitoring.selectors.reference import (
    TermRow,
    term_resolve,
    vocabularies,
    vocabulary,
    vocabulary_listing,
    vocabulary_summaries,
    vocabulary_summary,
    vocabulary_terms,
)
from khronika.monitoring.selectors.statistics import DIMENSIONS, StatTable, statistics

__all__ = [
    "DIMENSIONS",
    "EVENT_FILTERS",
    "StatTable",
    "TermRow",
    "act_card",
    "event_acts",
    "event_card",
    "event_information",
    "event_interventions",
    "event_list",
    "event_rows",
    "event_totals",
    "statistics",
    "term_resolve",
    "vocabularies",
    "vocabulary",
    "vocabulary_listing",
    "vocabulary_summaries",
    "vocabulary_summary",
    "vocabulary_terms",
]
