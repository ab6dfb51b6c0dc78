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
from collections.abc import Mapping
from typing import Any

from django import forms


class DatePartsWidget(forms.MultiWidget):
    template_name = "core/widgets/date_parts.html"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        numeric = {"inputmode": "numeric", "autocomplete": "off"}
        super().__init__(
            [
                forms.TextInput(attrs={**numeric, "size": 2, "maxlength": 2}),
                forms.TextInput(attrs={**numeric, "size": 2, "maxlength": 2}),
                forms.TextInput(attrs={**numeric, "size": 4, "maxlength": 4}),
            ],
            attrs,
        )

    def decompress(self, value: object) -> list[object]:
        if isinstance(value, str):
            typed = value
            try:
                value = datetime.date.fromisoformat(typed)
            except ValueError:
                # Not a date: give back what was typed, for the person to correct.
                parts = typed.split("-", 2)
                if len(parts) == 3:
                    year, month, day = parts
                    return [day, month, year]
                return [None, None, None]
        if isinstance(value, datetime.date):
            return [value.day, value.month, value.year]
        return [None, None, None]

    # The parts are joined into one ISO date for a plain DateField, where
    # MultiWidget hands a list to a MultiValueField.
    def value_from_datadict(  # type: ignore[override]
        self, data: Mapping[str, Any], files: object, name: str
    ) -> str | None:
        whole: str | None = data.get(name)
        if whole:
            return whole
        day, month, year = (
            (data.get(f"{name}_{index}") or "").strip() for index in range(3)
        )
        if not (day or month or year):
            return None
        # Whatever was typed goes to the date field, which says what is wrong.
        return f"{year}-{month}-{day}"

    def value_omitted_from_data(
        self, data: Mapping[str, Any], files: object, name: str
    ) -> bool:
        return name not in data and all(
            f"{name}_{index}" not in data for index in range(3)
        )


class TimeTextInput(forms.TextInput):
    """A time typed as 13:30 or 13.30, in the 24-hour clock everywhere."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(
            {"inputmode": "numeric", "size": 5, "maxlength": 5, **(attrs or {})}
        )

    def format_value(self, value: object) -> str | None:
        if isinstance(value, datetime.time):
            return value.strftime("%H:%M")
        shown: str | None = super().format_value(value)
        return shown


TIME_INPUT_FORMATS = ["%H:%M", "%H.%M", "%H:%M:%S"]
