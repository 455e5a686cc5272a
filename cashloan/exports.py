"""Streamed exports of back-office tables: CSV through a streaming response, Excel written by
openpyxl in write-only mode (rows go to disk one by one, never all in memory) and streamed
from a temporary file. :class:`ChangelistExportMixin` puts both on an admin changelist
(``bench/export_memory.py`` measures 100,000 rows)."""

import csv
import tempfile
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from urllib.parse import quote, unquote_plus

from django.contrib.admin.options import IncorrectLookupParameters
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, StreamingHttpResponse
from django.urls import path
from django.utils import timezone
from openpyxl import Workbook

from .oplog import log_staff_action

FORMATS = ("csv", "xlsx")


class _Echo:
    """A file-like object whose ``write`` hands the line back (Django's streaming CSV recipe)."""

    def write(self, value: str) -> str:
        return value


def _attachment(response, filename: str):
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


def csv_response(filename: str, header: Sequence[str], rows: Iterable[Sequence]) -> StreamingHttpResponse:
    """UTF-8 with a byte-order mark, so Excel opens the Chinese headers right."""
    writer = csv.writer(_Echo())

    def lines():
        yield "\ufeff" + writer.writerow(header)
        for row in rows:
            yield writer.writerow(row)

    return _attachment(StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8"), f"{filename}.csv")


def xlsx_response(filename: str, header: Sequence[str], rows: Iterable[Sequence], sheet: str = "Sheet1") -> FileResponse:
    workbook = Workbook(write_only=True)
    worksheet = workbook.create_sheet(sheet[:31])
    worksheet.append(list(header))
    for row in rows:
        worksheet.append(list(row))
    spool = tempfile.TemporaryFile()
    workbook.save(spool)
    spool.seek(0)
    response = FileResponse(spool, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    return _attachment(response, f"{filename}.xlsx")


def export_response(fmt: str, filename: str, header: Sequence[str], rows: Iterable[Sequence]):
    if fmt == "xlsx":
        return xlsx_response(filename, header, rows)
    return csv_response(filename, header, rows)


# --- A changelist's rows as a file --------------------------------------------------------------

EXPORT_CHUNK = 2000  # rows read from the database at a time


def cell(value: Any) -> Any:
    """A value as a spreadsheet cell: local date-times without zone, 是/否, empty for None."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M:%S") if timezone.is_aware(value) else value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (int, Decimal, str)):
        return value
    return str(value)


class ChangelistExportMixin:
    """导出 CSV / 导出 Excel on a changelist: the rows it shows with its filters, search and
    ordering (all pages), streamed; only for staff who may read the list; each export one row of
    the operation log naming the filters.

    ``export_columns`` lists ``(header, what)``: ``what`` names a method of the admin (called
    with the object, like a ``list_display`` column) or an attribute of the object. Mask
    personal numbers in the columns (CONTRACT §11): an export is read far from the back office.
    """

    export_columns: Sequence[tuple[str, str]] = ()
    export_name: str = ""
    change_list_template = "admin/export_change_list.html"

    def get_urls(self):
        name = f"{self.opts.app_label}_{self.opts.model_name}_export"
        return [path("export/<str:fmt>/", self.admin_site.admin_view(self.export_view), name=name), *super().get_urls()]

    def has_export_permission(self, request) -> bool:
        return self.has_view_permission(request)

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "can_export": self.has_export_permission(request),
            "export_url_name": f"admin:{self.opts.app_label}_{self.opts.model_name}_export",
        }
        return super().changelist_view(request, extra_context)

    def export_queryset(self, request):
        """What the changelist shows for this request's filters, search and ordering."""
        return self.get_changelist_instance(request).get_queryset(request)

    def export_view(self, request, fmt: str):
        if fmt not in FORMATS:
            raise Http404
        if not self.has_export_permission(request):
            raise PermissionDenied
        try:
            queryset = self.export_queryset(request)
        except IncorrectLookupParameters:
            raise Http404("筛选条件无效") from None
        getters = [self._export_getter(what) for _, what in self.export_columns]
        rows = ([cell(get(obj)) for get in getters] for obj in queryset.iterator(chunk_size=EXPORT_CHUNK))
        name = self.export_name or str(self.opts.verbose_name_plural)
        filters = request.GET.urlencode()
        log_staff_action(
            request.user, f"导出{name}（{fmt.upper()}）" + (f"，筛选条件：{unquote_plus(filters)}" if filters else "，全部"), model=self.model
        )
        header = [header for header, _ in self.export_columns]
        return export_response(fmt, f"{name}-{timezone.localdate().isoformat()}", header, rows)

    def _export_getter(self, what: str):
        method = getattr(self, what, None)
        if callable(method):
            return method
        return lambda obj: getattr(obj, what)
