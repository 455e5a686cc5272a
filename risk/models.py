"""Risk rules (CONTRACT §12), edited by the risk manager (风控) in the admin."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from .engine import RuleSpec
from .kinds import Outcome, ParamError, kind_choices, kind_of


class RiskRule(models.Model):
    """One rule: a kind from :mod:`risk.kinds`, its parameters, and the outcome when it fires.

    Rules are never deleted (the decisions stored on applications name them): a rule no
    longer wanted is disabled. Every change is in the operation log with its reason.
    """

    name = models.CharField("规则名称", max_length=100)
    kind = models.CharField("规则类型", max_length=40, choices=kind_choices)
    params = models.JSONField("参数", default=dict, blank=True)
    outcome = models.CharField("触发后", max_length=10, choices=Outcome.CHOICES)
    enabled = models.BooleanField("启用", default=True, db_index=True)
    order = models.PositiveIntegerField("顺序", default=100, help_text="数字小的先执行（只影响显示和记录的顺序，不影响结果）")
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="最近修改人"
    )
    changed_at = models.DateTimeField("最近修改时间", auto_now=True)
    change_reason = models.CharField("最近修改原因", max_length=200, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "风控规则"
        verbose_name_plural = "风控规则"
        ordering = ["order", "id"]
        permissions = [("dry_run_riskrule", "试运行风控规则")]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        try:
            kind = kind_of(self.kind)
        except LookupError as error:
            raise ValidationError({"kind": str(error)}) from None
        if self.outcome not in kind.outcomes:
            allowed = "、".join(Outcome.LABELS[o] for o in sorted(kind.outcomes))
            raise ValidationError({"outcome": f"此类规则只能选择：{allowed}"})
        try:
            self.params = kind.clean_params(self.params or {})
        except ParamError as error:
            raise ValidationError({"params": list(error.errors.values())}) from None

    def spec(self) -> RuleSpec:
        return RuleSpec(self.pk, self.name, self.kind, dict(self.params), self.outcome)

    @property
    def kind_label(self) -> str:
        try:
            return kind_of(self.kind).label
        except LookupError:
            return self.kind


class BlacklistEntry(models.Model):
    """One listed identity (CONTRACT §15): an ID number (its keyed digest only), a mobile or a
    device token. An entry is never deleted: removing it stamps ``removed_at``, so the list of
    who was listed, when and why stays readable. Matching is in :mod:`risk.blacklist`."""

    class Kind(models.TextChoices):
        ID_NUMBER = "id_number", "身份证号"
        MOBILE = "mobile", "手机号"
        DEVICE = "device", "设备 token"

    kind = models.CharField("类型", max_length=10, choices=Kind.choices)
    value = models.CharField("匹配值", max_length=255, help_text="身份证号只存其密钥摘要，不存明文")
    shown = models.CharField("显示为", max_length=255, help_text="身份证号只显示前 3 位与后 4 位")
    reason = models.CharField("原因", max_length=200)
    expires_on = models.DateField("有效期至", null=True, blank=True, help_text="含当日；留空为长期有效")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="添加人"
    )
    created_at = models.DateTimeField("添加时间", auto_now_add=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="移除人"
    )
    removed_at = models.DateTimeField("移除时间", null=True, blank=True)

    class Meta:
        verbose_name = "黑名单"
        verbose_name_plural = "黑名单（身份证号、手机号、设备）"
        ordering = ["-created_at", "-id"]
        permissions = [("import_blacklistentry", "导入黑名单（CSV）")]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "value"], condition=models.Q(removed_at__isnull=True), name="one_listed_entry_per_identity",
                violation_error_message="该身份已在黑名单中",
            )
        ]
        indexes = [models.Index(fields=["value"], name="risk_blacklist_value")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.shown}"


class BlacklistHit(models.Model):
    """A listed identity seen at registration, login or application (what the risk manager reads)."""

    class Event(models.TextChoices):
        REGISTRATION = "registration", "注册"
        LOGIN = "login", "登录"
        APPLICATION = "application", "借款申请（已拒绝）"

    entry = models.ForeignKey(BlacklistEntry, on_delete=models.PROTECT, related_name="hits", verbose_name="黑名单")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name="客户")
    event = models.CharField("场景", max_length=20, choices=Event.choices)
    at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        verbose_name = "黑名单命中记录"
        verbose_name_plural = "黑名单命中记录"
        ordering = ["-at", "-id"]
