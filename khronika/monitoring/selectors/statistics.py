"""Statistics of acts: how many acts and how many victims, by type of act, region, month, project or
type of event, over the events the reader may see.

Approximate dates are counted honestly. An act without a date of its own takes its event's. A date known
to the day or the month counts in its month; a date known only to the year counts in that year under
"month unknown", never in January; an unknown date counts under "date unknown". Every figure of a table
sums to its totals, except by project, where an event counted in two projects counts in both.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
from dataclasses import dataclass, field
from typing import Any

from django.core.cache import cache
from django.db.models import Count, Max, Q, QuerySet, Sum
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from khronika.core.dates import DatePrecision, latest_day, parse_approximate
from khronika.core.errors import ValidationFailed
from khronika.core.models import ChangeLogEntry
from khronika.directory.models import Region
from khronika.monitoring import policies
from khronika.monitoring.models import Act, EventProject, Involvement, Term
from khronika.monitoring.selectors.events import EVENT_FILTERS, term_filter_with_descendants

DIMENSIONS = {
    "act_type": gettext_lazy("type of act"),
    "act_category": gettext_lazy("category of act"),
    "region": gettext_lazy("region"),
    "month": gettext_lazy("month"),
    "year": gettext_lazy("year"),
    "project": gettext_lazy("monitoring project"),
    "event_type": gettext_lazy("type of event"),
    "perpetrator_type": gettext_lazy("type of perpetrator"),
}
STAT_FILTERS = (*EVENT_FILTERS, "act_type")
UNKNOWN = "unknown"


@dataclass
class StatRow:
    key: str
    label: str
    acts: int = 0
    victims: int = 0


@dataclass
class StatTable:
    by: str
    rows: list[StatRow] = field(default_factory=list)
    acts: int = 0
    victims: int = 0
    # By month: how many acts are dated only to a year, and how many not at all (also in ``rows``).
    year_only: int = 0
    undated: int = 0
    index: dict[str, StatRow] = field(default_factory=dict, repr=False, compare=False)

    @property
    def dimension_label(self) -> str:
        return str(DIMENSIONS[self.by])

    def as_dict(self) -> dict[str, Any]:
        return {
            "by": self.by,
            "acts": self.acts,
            "victims": self.victims,
            "year_only": self.year_only,
            "undated": self.undated,
            "rows": [row.__dict__ for row in self.rows],
        }

    def as_csv(self) -> str:
        """The table as CSV (key, label, acts, victims), its totals as the last line."""
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow([self.by, "label", "acts", "victims"])
        for row in self.rows:
            writer.writerow([row.key, row.label, row.acts, row.victims])
        writer.writerow(["total", _("total"), self.acts, self.victims])
        return out.getvalue()


def statistics(*, actor: Any, by: str, filters: dict[str, str] | None = None) -> StatTable:
    """The counts of the reader's visible acts by ``by`` (one of ``DIMENSIONS``), after ``filters`` (the
    event list's, and ``act_type`` with its sub-types).

    The reader's acts are counted in parts (``policies.act_visibility_parts``): those every reader of
    their kind sees (published; shared with the network) and their own group's internal ones. The shared
    part is kept in the cache until the change log moves, so that a dashboard does not count a million
    acts for each reader; the own part, small, is counted each time."""
    if by not in DIMENSIONS:
        raise ValidationFailed(
            fields={"by": [_("Count by one of: %(known)s.") % {"known": ", ".join(DIMENSIONS)}]}
        )
    filters = {name: value.strip() for name, value in (filters or {}).items() if value and value.strip()}
    acts = _acts(filters)
    tables = []
    for part, visible, shared in policies.act_visibility_parts(actor):
        if shared:
            key = _cache_key(by, filters, part)
            table = cache.get(key)
            if table is None:
                table = _table(by, acts.filter(visible))
                cache.set(key, table, CACHE_SECONDS)
        else:
            table = _table(by, acts.filter(visible))
        tables.append(table)
    return _merged(by, tables)


CACHE_SECONDS = 3600


def _cache_key(by: str, filters: dict[str, str], part: str) -> str:
    """A key that changes with every change of any record (the change log's last number) and with the
    language of the labels."""
    last = ChangeLogEntry.objects.aggregate(last=Max("seq"))["last"] or 0
    text = repr((by, sorted(filters.items()), part, get_language(), last))
    return "khronika:statistics:" + hashlib.sha256(text.encode()).hexdigest()


def _table(by: str, acts: QuerySet[Act]) -> StatTable:
    table = StatTable(by=by)
    totals = acts.aggregate(acts=Count("id"), victims=Sum("victim_count"))
    table.acts, table.victims = totals["acts"] or 0, totals["victims"] or 0
    if by in ("month", "year"):
        _by_date(acts, table)
    elif by == "project":
        _by_terms(acts, table, "event__project_links__project")
    elif by == "event_type":
        _by_terms(acts, table, "event_type")
    elif by == "act_type":
        _by_terms(acts, table, "act_type")
    elif by == "act_category":
        _by_category(acts, table)
    elif by == "perpetrator_type":
        _by_perpetrator_type(acts, table)
    else:
        _by_region(acts, table)
    return table


def _merged(by: str, tables: list[StatTable]) -> StatTable:
    merged = StatTable(by=by)
    for table in tables:
        merged.acts += table.acts
        merged.victims += table.victims
        merged.year_only += table.year_only
        merged.undated += table.undated
        for row in table.rows:
            _add(merged, row.key, row.label, row.acts, row.victims)
    if by in ("month", "year"):
        # Months in order, a year's "month unknown" after its months, the undated last.
        merged.rows.sort(key=lambda r: (r.key == UNKNOWN, r.key[:4], len(r.key) == 4, r.key))
    else:
        merged.rows.sort(key=lambda r: (r.key == UNKNOWN, -r.acts, r.label))
    return merged


def _acts(filters: dict[str, str]) -> QuerySet[Act]:
    """The live acts narrowed by ``filters`` (the reader's part is applied by ``statistics``). Everything
    but the project and the statuses is read from the act itself (``acts_follow_event`` copies it from
    the event), so that the counts are one scan of one table."""
    unknown = sorted(set(filters) - set(STAT_FILTERS))
    if unknown:
        raise ValidationFailed(fields={name: [_("Unknown filter.")] for name in unknown})
    acts = Act.objects.filter(deleted_at__isnull=True)
    if "region" in filters:
        region = Region.objects.filter(code=filters["region"]).first()
        if region is None:
            raise ValidationFailed(
                fields={"region": [_("No region with the code %(code)s.") % {"code": filters["region"]}]}
            )
        acts = acts.filter(counted_region_id=region.pk)
    if "district" in filters:
        acts = acts.filter(
            counted_region_id__in=list(
                Region.objects.filter(federal_district=filters["district"]).values_list("pk", flat=True)
            )
        )
    if "type" in filters:
        types = term_filter_with_descendants("event-types", filters["type"], "type")
        acts = acts.filter(event_type_id__in=[t.pk for t in types])
    if "act_type" in filters:
        types = term_filter_with_descendants("act-types", filters["act_type"], "act_type")
        acts = acts.filter(act_type_id__in=[t.pk for t in types])
    if "project" in filters:
        project = term_filter_with_descendants("monitoring-projects", filters["project"], "project")[0]
        acts = acts.filter(event_id__in=EventProject.objects.filter(project=project).values("event_id"))
    for name, vocabulary in (
        ("monitoring_status", "monitoring-statuses"),
        ("violation_status", "violation-statuses"),
    ):
        if name in filters:
            term = term_filter_with_descendants(vocabulary, filters[name], name)[0]
            acts = acts.filter(**{f"event__{name}": term})
    if "since" in filters:
        since, _precision = parse_approximate(filters["since"], field="since")
        if since is not None:
            acts = acts.filter(_may_end_from(since))
    if "until" in filters:
        until, precision = parse_approximate(filters["until"], field="until")
        acts = acts.filter(counted_on__lte=latest_day(until, precision))
    return acts


def _may_end_from(since: dt.date) -> Q:
    """Acts whose counted date may be on ``since`` or later: a month-precision date in the month of
    ``since`` counts, as a year-precision date in its year does (``latest_day`` over the column)."""
    month, year = since.replace(day=1), since.replace(month=1, day=1)
    return (
        Q(counted_precision=DatePrecision.DAY, counted_on__gte=since)
        | Q(counted_precision=DatePrecision.MONTH, counted_on__gte=month)
        | Q(counted_precision__in=[DatePrecision.YEAR, DatePrecision.ESTIMATE], counted_on__gte=year)
    )


def _counted(queryset: QuerySet[Any], *keys: str) -> list[dict[str, Any]]:
    return list(
        queryset.values(*keys).annotate(n=Count("id"), v=Sum("victim_count")).order_by(*keys)  # type: ignore[arg-type]
    )


def _add(table: StatTable, key: str, label: str, acts: int, victims: int) -> None:
    found = table.index.get(key)
    if found is None:
        found = table.index[key] = StatRow(key=key, label=label)
        table.rows.append(found)
    found.acts += acts
    found.victims += victims


def _by_terms(acts: QuerySet[Act], table: StatTable, path: str) -> None:
    counted = _counted(acts, path)
    terms = Term.objects.in_bulk([row[path] for row in counted if row[path] is not None])
    for row in counted:
        term = terms.get(row[path])
        key, label = (term.code, term.name) if term else (UNKNOWN, _("not given"))
        _add(table, key, label, row["n"], row["v"] or 0)


def _by_perpetrator_type(acts: QuerySet[Act], table: StatTable) -> None:
    """An act counts once under each type of perpetrator involved in it (so rows may sum to more than
    the total), and under "not given" when no perpetrator is recorded."""
    pairs = (
        Involvement.objects.filter(act__in=acts.values("pk"), deleted_at__isnull=True)
        .values_list("perpetrator_type", "act_id", "act__victim_count")
        .distinct()
    )
    counted: dict[Any, list[int]] = {}
    for kind, _act_id, victims in pairs:
        totals = counted.setdefault(kind, [0, 0])
        totals[0] += 1
        totals[1] += victims
    terms = Term.objects.in_bulk([kind for kind in counted if kind is not None])
    for kind, (n, v) in counted.items():
        term = terms.get(kind)
        key, label = (term.code, term.name) if term else (UNKNOWN, _("not given"))
        _add(table, key, label, n, v)
    involved = Involvement.objects.filter(deleted_at__isnull=True).values("act_id")
    rest = acts.exclude(pk__in=involved).aggregate(n=Count("id"), v=Sum("victim_count"))
    if rest["n"]:
        _add(table, UNKNOWN, _("not given"), rest["n"], rest["v"] or 0)


def _by_category(acts: QuerySet[Act], table: StatTable) -> None:
    counted = _counted(acts, "act_type")
    every = {t.pk: t for t in Term.objects.filter(vocabulary__code="act-types")}
    for row in counted:
        top = every[row["act_type"]]
        while top.parent_id is not None:
            top = every[top.parent_id]
        _add(table, top.code, top.name, row["n"], row["v"] or 0)


def _by_region(acts: QuerySet[Act], table: StatTable) -> None:
    counted = _counted(acts, "counted_region")
    regions = Region.objects.in_bulk([row["counted_region"] for row in counted if row["counted_region"]])
    for row in counted:
        region = regions.get(row["counted_region"])
        key, label = (region.code, region.name_ru) if region else (UNKNOWN, _("region not given"))
        _add(table, key, label, row["n"], row["v"] or 0)


def _by_date(acts: QuerySet[Act], table: StatTable) -> None:
    """By month (or year): the date an act counts under (its own, or else its event's), at the precision
    it is known to. Grouped by the day in the database (a few thousand days at most) and by month here:
    truncating a date in SQLite is a function called once per row."""
    for row in _counted(acts, "counted_on", "counted_precision"):
        month: dt.date | None = row["counted_on"]
        precision = row["counted_precision"]
        if month is None or precision == DatePrecision.UNKNOWN:
            table.undated += row["n"]
            _add(table, UNKNOWN, _("date unknown"), row["n"], row["v"] or 0)
        elif table.by == "year" or precision in (DatePrecision.YEAR, DatePrecision.ESTIMATE):
            if table.by == "month":
                table.year_only += row["n"]
                label = _("%(year)d, month unknown") % {"year": month.year}
            else:
                label = str(month.year)
            _add(table, str(month.year), label, row["n"], row["v"] or 0)
        else:
            _add(table, f"{month:%Y-%m}", f"{month:%Y-%m}", row["n"], row["v"] or 0)
