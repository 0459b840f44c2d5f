"""Changelist filters of the back office."""

from __future__ import annotations

import datetime as dt
import re

from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.db.models import Max, Min

UNDATED = "undated"
_DECADE = re.compile(r"^([0-9]{3})0s$")
_YEAR = re.compile(r"^[0-9]{4}$")


class DocumentDateFilter(admin.SimpleListFilter):
    """By decade ("1960s"), then by year within the chosen decade ("1965"), or undated.

    Reads the derived date_earliest (indexed), never the EDTF string: a document dated
    1964/1965 counts in 1964. Choices cost one aggregate query.
    """

    title = "date"
    parameter_name = "date"

    def lookups(self, request, model_admin):
        bounds = model_admin.model.objects.aggregate(
            first=Min("date_earliest"), last=Max("date_earliest")
        )
        choices = []
        if bounds["first"] is not None:
            chosen_decade = self._decade_of_value()
            for decade in range(bounds["first"].year // 10 * 10, bounds["last"].year + 1, 10):
                choices.append((f"{decade}s", f"{decade}s"))
                if decade == chosen_decade:
                    # Drill down: the years of the chosen decade, indented under it.
                    choices += [(str(year), f"\u2003{year}") for year in range(decade, decade + 10)]
        choices.append((UNDATED, "Undated"))
        return choices

    def _decade_of_value(self) -> int | None:
        value = self.value() or ""
        if match := _DECADE.match(value):
            return int(match.group(1)) * 10
        if _YEAR.match(value):
            return int(value) // 10 * 10
        return None

    def queryset(self, request, queryset):
        value = self.value()
        if not value:
            return queryset
        if value == UNDATED:
            return queryset.filter(date_earliest__isnull=True)
        if match := _DECADE.match(value):
            first, years = int(match.group(1)) * 10, 10
        elif _YEAR.match(value):
            first, years = int(value), 1
        else:
            # The admin answers this with its "invalid filter" redirect (?e=1), not a 500.
            raise IncorrectLookupParameters(f"{value!r} is not a decade, a year or 'undated'.")
        if first < 1 or first + years - 1 > 9999:
            raise IncorrectLookupParameters(f"{value!r} is outside the calendar we store.")
        return queryset.filter(
            date_earliest__gte=dt.date(first, 1, 1),
            date_earliest__lte=dt.date(first + years - 1, 12, 31),
        )
