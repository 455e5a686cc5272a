"""Admin actions and forms that change objects, one way for every back-office page (CONTRACT §11).

Every ``ModelAdmin`` of the project mixes in :class:`StaffAdminMixin`:

- a malformed ``_selected_action`` (not an id of the model) answers with a message on the
  changelist, never a 500, whatever the action (Django's ``delete_selected`` included);
- a change made through the admin form (or the changelist's editable columns) is logged with
  each changed field's before → after, not only its name.

Every action that changes objects is written with :func:`staff_action`: it calls a service for
each selected object, and writes that object's operation-log row (who, what, before → after of
the named fields, the reason) in the same transaction as the change, so the change shows in
操作日志 and on the object's history page. An action that needs a reason or a confirmation
names a form: the action then answers with a page carrying the selected ids as
``_selected_action`` that posts back to the same changelist with the same ``action`` and
``post=yes`` (like Django's delete confirmation); the change runs once the form is valid::

    class LoanApplicationAdmin(StaffAdminMixin, admin.ModelAdmin):
        @staff_action(description="拒绝所选借款", verb="拒绝", unit="笔", permissions=["review"],
                      fields=["status"], form=ReasonForm, refusals=(LifecycleError,))
        def reject_applications(self, request, loan, form):
            return lifecycle.reject(loan, request.user, form.reason_text())

The decorated function changes one object through a service and returns it as changed (or
``None``: the object is then read again). A refusal (an exception in ``refusals``) leaves that
object unchanged and unlogged, and is reported to the user with the others' results. A refusal
whose class sets ``keeps_record = True`` (a failed payout) keeps what the service wrote to
record it: the object's transaction is committed, with no operation-log row.

A form class may name its own ``template`` and add to the page with
``page_context(objects, request)`` (the disbursement's confirmation lists amounts and a total).
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Sequence
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.models import LogEntry
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.template.response import TemplateResponse

from .oplog import describe, log_change

FORM_TEMPLATE = "admin/staff_action_form.html"
HIDDEN_VALUE = "（已修改，不显示）"


class ReasonForm(forms.Form):
    """The reason an action needs (CONTRACT §11: reject, flags, taking a product on or off sale…)."""

    reason = forms.CharField(label="原因", max_length=200, widget=forms.Textarea(attrs={"rows": 3, "cols": 60}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].error_messages["required"] = "请填写原因"  # a subclass may relabel the field

    def reason_text(self) -> str:
        """What the operation log records as the reason."""
        return self.cleaned_data["reason"]


class ConfirmForm(forms.Form):
    """A confirmation without a reason: the page lists the objects, the user confirms."""

    def reason_text(self) -> str:
        return ""


def staff_action(
    *,
    description: str,
    verb: str,
    unit: str = "项",
    permissions: Sequence[str] | None = None,
    fields: Sequence[str | tuple[str, str]] = (),
    form: type[forms.Form] | None = None,
    refusals: tuple[type[Exception], ...] = (ValidationError,),
) -> Callable:
    """Make ``change(modeladmin, request, obj, form)`` an admin action over the selected objects.

    ``verb`` names what was done (审核通过, 上架) in the messages and the log; ``fields`` are
    the model fields whose before → after the log shows; ``form`` (a :class:`ReasonForm` or
    :class:`ConfirmForm` subclass) is asked for first.
    """

    def decorator(change: Callable) -> Callable:
        @functools.wraps(change)
        def action(modeladmin, request, queryset):
            bound = None
            if form is not None:
                bound = form(request.POST) if request.POST.get("post") == "yes" else form()
                if not bound.is_bound or not bound.is_valid():
                    return _form_page(modeladmin, request, queryset, bound, description, change.__name__)
            done, refused = [], []
            for obj in queryset.order_by("pk"):
                try:
                    done.append(_change_one(modeladmin, request, obj, bound, change, verb, fields))
                except refusals as error:
                    refused.append(f"{obj}：{_refusal_text(error)}")
            _report(modeladmin, request, verb, unit, done, refused)
            return None

        return admin.action(description=description, permissions=permissions)(action)

    return decorator


def _change_one(modeladmin, request, obj, bound, change, verb: str, fields: Sequence):
    before = field_values(obj, fields)
    kept = None
    with transaction.atomic():
        try:
            changed = change(modeladmin, request, obj, bound)
        except Exception as error:
            if not getattr(error, "keeps_record", False):
                raise
            kept = error  # raised after the commit, so the record of the refusal stays
        else:
            if changed is None:
                changed = type(obj)._default_manager.get(pk=obj.pk)
            after = field_values(changed, fields)
            reason = bound.reason_text() if bound is not None else ""
            changes = {label: (before[label], after[label]) for label in after}
            log_change(request.user, changed, changes=changes, reason=reason, verb=verb)
    if kept is not None:
        raise kept
    return changed


def field_values(obj: models.Model, names: Sequence[str | tuple[str, str]]) -> dict[str, Any]:
    """``{label: value as shown}`` of the named fields (choices by their label, related objects
    by their name); a field is named alone (its verbose name is the label) or as ``(name, label)``."""
    values = {}
    for entry in names:
        name, label = entry if isinstance(entry, tuple) else (entry, None)
        field = obj._meta.get_field(name)
        value = getattr(obj, field.name if field.many_to_one else field.attname)  # a related object by its name
        if field.choices:
            value = dict(field.flatchoices).get(value, value)
        values[label or str(field.verbose_name)] = value
    return values


def _refusal_text(error: Exception) -> str:
    if isinstance(error, ValidationError):
        return "；".join(error.messages)
    return getattr(error, "reason", None) or str(error)


def _report(modeladmin, request, verb: str, unit: str, done: list, refused: list[str]) -> None:
    if done:
        names = "、".join(str(obj) for obj in done)
        modeladmin.message_user(request, f"已{verb} {len(done)} {unit}：{names}", messages.SUCCESS)
    for text in refused:
        modeladmin.message_user(request, f"未能{verb}：{text}", messages.WARNING)


def _form_page(modeladmin, request, queryset, bound, title: str, action_name: str) -> TemplateResponse:
    opts = modeladmin.model._meta
    objects = list(queryset.order_by("pk"))
    extra = bound.page_context(objects, request) if hasattr(bound, "page_context") else {}
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": title,
        "opts": opts,
        "app_label": opts.app_label,
        "objects": objects,
        "form": bound,
        "action": action_name,
        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        **extra,
    }
    return TemplateResponse(request, getattr(bound, "template", FORM_TEMPLATE), context)


class StaffAdminMixin:
    """Mixed into every ModelAdmin of the project (``tests/test_admin_actions.py`` checks it)."""

    # Fields whose values never go to the log (a password hash is not for anyone's eyes).
    log_hidden_fields: Sequence[str] = ("password",)

    def get_changelist_instance(self, request):
        """Odd filters answer like any invalid one (Django's redirect to ``?e=1``), not with a 500:
        a value with a NUL character (PostgreSQL refuses the string), the date hierarchy's last
        day or month of year 9999 (Django computes the day after it)."""
        if any("\x00" in key or "\x00" in value for key, values in request.GET.lists() for value in values):
            raise IncorrectLookupParameters("NUL in the query string")
        try:
            return super().get_changelist_instance(request)
        except OverflowError:
            raise IncorrectLookupParameters("a date past year 9999") from None

    def response_action(self, request, queryset):
        if not self._selected_ids_are_valid(request):
            self.message_user(request, "所选对象无效，请在列表中重新勾选后再操作。", messages.ERROR)
            return None
        return super().response_action(request, queryset)

    def _selected_ids_are_valid(self, request) -> bool:
        pk_field = self.model._meta.pk
        for value in request.POST.getlist(helpers.ACTION_CHECKBOX_NAME):
            try:
                pk_field.run_validators(pk_field.to_python(value))
            except (ValidationError, ValueError, TypeError, OverflowError):
                return False
        return True

    def construct_change_message(self, request, form, formsets, add=False):
        default = super().construct_change_message(request, form, formsets, add)
        if add:
            return default
        changes = {
            str(form.fields[name].label or name): self._logged_pair(form, name)
            for name in form.changed_data
            if name in form.fields
        }
        inline_parts = [entry for entry in default if "object" in next(iter(entry.values()), {})]
        texts = [describe(changes)]
        if inline_parts:
            texts.append(LogEntry(change_message=json.dumps(inline_parts)).get_change_message())
        text = "；".join(part for part in texts if part)
        return text or default

    def _logged_pair(self, form, name: str) -> tuple[Any, Any]:
        if name in self.log_hidden_fields:
            return ("", HIDDEN_VALUE)
        field = form.fields[name]
        before = form.get_initial_for_field(field, name)
        after = form.cleaned_data.get(name)
        return (_field_text(field, before), _field_text(field, after))


def _field_text(field: forms.Field, value: Any) -> Any:
    """A form value as staff read it: a choice by its label, a related object by its name."""
    if isinstance(field, forms.ModelMultipleChoiceField):
        objects = value if value is not None else []
        if not isinstance(objects, models.QuerySet):
            objects = [obj if isinstance(obj, models.Model) else field.queryset.filter(pk=obj).first() for obj in objects]
        return "、".join(sorted(str(obj) for obj in objects if obj is not None))
    if isinstance(field, forms.ModelChoiceField):
        if value is None or isinstance(value, models.Model):
            return value
        return field.queryset.filter(pk=value).first()
    if isinstance(field, forms.ChoiceField):
        return dict(_flat_choices(field.choices)).get(value, dict(_flat_choices(field.choices)).get(str(value), value))
    return value


def _flat_choices(choices) -> list[tuple[Any, Any]]:
    flat = []
    for key, label in choices:
        if isinstance(label, (list, tuple)):
            flat.extend(label)
        else:
            flat.append((key, label))
    return flat
