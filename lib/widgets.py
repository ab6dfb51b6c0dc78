"""Form widgets that read the same in every browser, whatever its locale.

`<input type="date">` shows its date in the browser's own format (03/12/2026
in an English-American browser, 2026-03-12 in a Swedish one) and some browsers
show no picker at all. `DatePartsWidget` asks for day, month and year in three
labelled boxes, as the public-sector design systems do (GOV.UK's date input).
A plain ISO date posted under the field's own name (links, scripts, tests) is
read as well.
"""

from __future__ import annotations

import datetime

from django import forms


class DatePartsWidget(forms.MultiWidget):
    template_name = "core/widgets/date_parts.html"

    def __init__(self, attrs=None):
        numeric = {"inputmode": "numeric", "autocomplete": "off"}
        super().__init__(
            [
                forms.TextInput(attrs={**numeric, "size": 2, "maxlength": 2}),
                forms.TextInput(attrs={**numeric, "size": 2, "maxlength": 2}),
                forms.TextInput(attrs={**numeric, "size": 4, "maxlength": 4}),
            ],
            attrs,
        )

    def decompress(self, value):
        if isinstance(value, str):
            try:
                value = datetime.date.fromisoformat(value)
            except ValueError:
                # Not a date: give back what was typed, for the person to correct.
                parts = value.split("-", 2)
                if len(parts) == 3:
                    year, month, day = parts
                    return [day, month, year]
                return [None, None, None]
        if isinstance(value, datetime.date):
            return [value.day, value.month, value.year]
        return [None, None, None]

    def value_from_datadict(self, data, files, name):
        if data.get(name):
            return data[name]
        day, month, year = (
            (data.get(f"{name}_{index}") or "").strip() for index in range(3)
        )
        if not (day or month or year):
            return None
        # Whatever was typed goes to the date field, which says what is wrong.
        return f"{year}-{month}-{day}"

    def value_omitted_from_data(self, data, files, name):
        return name not in data and all(
            f"{name}_{index}" not in data for index in range(3)
        )


class TimeTextInput(forms.TextInput):
    """A time typed as 13:30 or 13.30, in the 24-hour clock everywhere."""

    def __init__(self, attrs=None):
        super().__init__(
            {"inputmode": "numeric", "size": 5, "maxlength": 5, **(attrs or {})}
        )

    def format_value(self, value):
        if isinstance(value, datetime.time):
            return value.strftime("%H:%M")
        return super().format_value(value)


TIME_INPUT_FORMATS = ["%H:%M", "%H.%M", "%H:%M:%S"]
