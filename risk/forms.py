"""The rule form: only the chosen kind's parameters, each explained in Chinese, and a reason."""

from __future__ import annotations

from django import forms

from .kinds import Outcome, Param, ParamError, PrefixesParam, RuleKind
from .models import RiskRule

PARAM_PREFIX = "param_"


def param_field(param: Param, initial=None) -> forms.Field:
    if isinstance(param, PrefixesParam):
        return forms.CharField(
            label=param.label, help_text=param.help_text, max_length=500,
            initial=param.show(initial) if initial else None,
        )
    return forms.IntegerField(
        label=param.label, help_text=param.help_text, min_value=param.minimum, max_value=param.maximum,
        initial=initial if initial is not None else param.default,
    )


class RuleForm(forms.ModelForm):
    """Built per kind by :func:`rule_form_for`; ``kind`` is fixed (a new kind is a new rule)."""

    kind: RuleKind
    reason = forms.CharField(label="修改原因", max_length=200, help_text="必填，记入操作日志")

    class Meta:
        model = RiskRule
        fields = ["name", "outcome", "enabled", "order"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        params = self.instance.params if self.instance.pk else {}
        for param in self.kind.params:
            self.fields[PARAM_PREFIX + param.name] = param_field(param, params.get(param.name))
        outcomes = [(value, label) for value, label in Outcome.CHOICES if value in self.kind.outcomes]
        self.fields["outcome"].choices = outcomes
        if len(outcomes) == 1:
            self.fields["outcome"].initial = outcomes[0][0]
        # The reason last, after the parameters.
        self.fields["reason"] = self.fields.pop("reason")

    def clean(self):
        cleaned = super().clean()
        raw = {p.name: cleaned.get(PARAM_PREFIX + p.name) for p in self.kind.params}
        if any(self.has_error(PARAM_PREFIX + p.name) for p in self.kind.params):
            return cleaned
        try:
            cleaned["params"] = self.kind.clean_params(raw)
        except ParamError as error:
            for name, message in error.errors.items():
                field = PARAM_PREFIX + name
                self.add_error(field if field in self.fields else None, message)
            return cleaned
        # The model's own clean (run next by the ModelForm) validates the same values.
        self.instance.kind = self.kind.code
        self.instance.params = cleaned["params"]
        return cleaned

    def _post_clean(self):
        # The model's clean checks the same parameters again, and would name fields that are
        # not on this form: once the kind's checks have failed there is nothing to add.
        if not self._errors:
            super()._post_clean()

    def rule_values(self) -> dict:
        data = self.cleaned_data
        return {
            "name": data["name"], "kind": self.kind.code, "params": data["params"], "outcome": data["outcome"],
            "enabled": data["enabled"], "order": data["order"],
        }


def rule_form_for(kind: RuleKind) -> type[RuleForm]:
    return type(f"{type(kind).__name__}RuleForm", (RuleForm,), {"kind": kind})
