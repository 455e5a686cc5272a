"""Querysets compiled to SQL once per process, then run with other values.

Building and compiling an ORM query with joins costs 1–1.7 ms of Python on the 2-core
benchmark machine, more than PostgreSQL takes to run it; the hot reads of every logged-in
screen (the repayment list, the user centre) would spend most of their time there. A
:class:`PreparedQuery` calls its ``build`` function once with a placeholder for each parameter,
keeps the SQL, where the placeholders landed among its parameters and the result's converters,
and afterwards only puts the new values in their places. The queryset stays the one source of
the query; only ``values_list`` querysets are supported (rows are tuples).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import date
from typing import Any

from django.db import connections
from django.db.models import Field, QuerySet

_PLACEHOLDERS = {int: -7_777_777_001, date: date(1111, 11, 11), str: "\x00placeholder\x00"}


class PreparedQuery:
    """``build(**params)`` → a ``values_list`` queryset; ``params`` names each parameter's type
    and the model field its value is compared with (how the value is prepared for the database)."""

    def __init__(self, build: Callable[..., QuerySet], **params: tuple[type, Field]):
        self._build = build
        self._params = params
        self._compiled: dict[str, tuple] = {}  # by database alias
        self._lock = threading.Lock()

    def rows(self, *, limit: int | None = None, offset: int = 0, using: str = "default", **values: Any) -> list[tuple]:
        sql, template, positions, compiler, converters = self._compile(using)
        params = list(template)
        connection = connections[using]
        for name, indexes in positions.items():
            prepared = self._params[name][1].get_db_prep_value(values[name], connection)
            for index in indexes:
                params[index] = prepared
        if limit is not None:
            sql, params = f"{sql} LIMIT %s OFFSET %s", [*params, limit, offset]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        if converters:
            rows = [tuple(row) for row in compiler.apply_converters(rows, converters)]
        return rows

    def _compile(self, using: str) -> tuple:
        compiled = self._compiled.get(using)
        if compiled is None:
            with self._lock:
                compiled = self._compiled.get(using) or self._compile_now(using)
                self._compiled[using] = compiled
        return compiled

    def _compile_now(self, using: str) -> tuple:
        connection = connections[using]
        placeholders = {name: _PLACEHOLDERS[kind] for name, (kind, _) in self._params.items()}
        queryset = self._build(**placeholders)
        compiler = queryset.query.get_compiler(using=using)
        sql, params = compiler.as_sql()
        positions = {}
        for name, (kind, field) in self._params.items():
            prepared = field.get_db_prep_value(placeholders[name], connection)
            positions[name] = [index for index, param in enumerate(params) if type(param) is type(prepared) and param == prepared]
        fields = [select[0] for select in compiler.select[0 : compiler.col_count]]
        return sql, tuple(params), positions, compiler, compiler.get_converters(fields)
