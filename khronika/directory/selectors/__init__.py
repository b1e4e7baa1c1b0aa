"""Directory reads. Everything not public passes through here with the reader, and comes back as a
projection holding only the fields that reader may see.

One module per subject; this package gathers them so callers write ``selectors.organisation_get``.
"""

from khronika.directory.selectors.networking import (
    PROXIMITY_DISTRICT,
    PROXIMITY_NEIGHBOUR,
    PROXIMITY_SAME_REGION,
    CoverageGaps,
    coverage_gaps,
    organisations_near,
    organisations_similar,
)
from khronika.directory.selectors.organisations import (
    OrganisationFilters,
    change_history,
    new_record_write_ceiling,
    organisation_find,
    organisation_get,
    organisation_history,
    organisation_list,
    organisation_list_page,
    organisation_rows,
    organisation_suggestions,
    public_organisation_list,
    public_organisation_page,
    staff_organisation_page,
)
from khronika.directory.selectors.pages import (
    organisation_page,
)
from khronika.directory.selectors.persons import (
    person_get,
    person_list,
    person_list_page,
    person_rows,
)
from khronika.directory.selectors.reference import (
    area_codes_with_descendants,
    areas,
    regions,
)

__all__ = [
    "PROXIMITY_DISTRICT",
    "PROXIMITY_NEIGHBOUR",
    "PROXIMITY_SAME_REGION",
    "CoverageGaps",
    "OrganisationFilters",
    "area_codes_with_descendants",
    "areas",
    "change_history",
    "coverage_gaps",
    "new_record_write_ceiling",
    "organisation_find",
    "organisation_get",
    "organisation_history",
    "organisation_list",
    "organisation_list_page",
    "organisation_page",
    "organisation_rows",
    "organisation_suggestions",
    "organisations_near",
    "organisations_similar",
    "person_get",
    "person_list",
    "person_list_page",
    "person_rows",
    "public_organisation_list",
    "public_organisation_page",
    "regions",
    "staff_organisation_page",
]
