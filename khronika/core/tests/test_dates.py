import datetime as dt

import pytest

from khronika.core.dates import DatePrecision, format_approximate, parse_approximate
from khronika.core.errors import ValidationFailed


@pytest.mark.parametrize(
    ("text", "value", "precision", "shown"),
    [
        ("2011-12-10", dt.date(2011, 12, 10), DatePrecision.DAY, "2011-12-10"),
        ("2011-12", dt.date(2011, 12, 1), DatePrecision.MONTH, "2011-12"),
        ("1976", dt.date(1976, 1, 1), DatePrecision.YEAR, "1976"),
        ("~1989", dt.date(1989, 1, 1), DatePrecision.ESTIMATE, "~1989"),
        ("", None, DatePrecision.UNKNOWN, ""),
    ],
)
def test_an_approximate_date_keeps_its_precision_and_shows_no_invented_day(text, value, precision, shown):
    parsed = parse_approximate(text, field="founded")
    assert parsed == (value, precision)
    assert format_approximate(*parsed) == shown


@pytest.mark.parametrize("text", ["2011-13", "2011-02-30", "10.12.2011", "soon"])
def test_a_date_that_cannot_be_read_names_the_field_and_the_accepted_forms(text):
    with pytest.raises(ValidationFailed) as caught:
        parse_approximate(text, field="founded")
    assert "2011-12-10" in caught.value.fields["founded"][0]
