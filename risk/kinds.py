"""The kinds of risk rule (CONTRACT §12): what a rule checks, with which parameters.

A kind is one class here, decorated with :func:`register`: its code (stored on the rule), its
Chinese name and explanation, its parameters (each with a Chinese label and help text, which
the admin form shows), the outcomes it may lead to, and :meth:`RuleKind.check`, a pure
function of the parameters and the application's :class:`~risk.facts.Facts` that says whether
the rule fires and what values it saw. Nothing else needs to change to add a kind.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, ClassVar

from accounts.regions import code_with_name

from .facts import DEVICE_WINDOW_DAYS, Facts


class Outcome:
    REJECT = "reject"
    REVIEW = "review"
    APPROVE = "approve"

    CHOICES = [(REJECT, "拒绝"), (REVIEW, "转人工审核"), (APPROVE, "自动通过")]
    LABELS = dict(CHOICES)


SIGNALS = frozenset({Outcome.REJECT, Outcome.REVIEW})  # what a warning sign may lead to


class ParamError(ValueError):
    """Parameters that do not fit the kind; ``errors`` maps a parameter name ("" = several) to a message."""

    def __init__(self, errors: dict[str, str]):
        self.errors = errors
        super().__init__("；".join(errors.values()))


# --- parameters --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Param:
    """A whole number between ``minimum`` and ``maximum``."""

    name: str
    label: str
    help_text: str
    minimum: int = 0
    maximum: int = 1_000_000
    default: Any = None

    def parse(self, value) -> Any:
        if isinstance(value, bool) or not isinstance(value, (int, str)):
            raise ValueError("须为整数")
        text = str(value).strip()
        if not re.fullmatch(r"\d{1,9}", text):
            raise ValueError("须为不小于 0 的整数")
        number = int(text)
        if not self.minimum <= number <= self.maximum:
            raise ValueError(f"须在 {self.minimum} 至 {self.maximum} 之间")
        return number

    def show(self, value) -> str:
        return str(value)


@dataclass(frozen=True)
class PrefixesParam(Param):
    """A list of ID-number area prefixes: 2 to 6 digits each (``"65, 5401"``)."""

    def parse(self, value) -> list[str]:
        items = value if isinstance(value, list) else str(value or "").replace("，", ",").split(",")
        prefixes = []
        for item in items:
            text = str(item).strip()
            if not re.fullmatch(r"\d{2,6}", text):
                raise ValueError(f"“{text}”不是 2 至 6 位数字的地区代码前缀")
            if text not in prefixes:
                prefixes.append(text)
        if not prefixes:
            raise ValueError("至少填写一个地区代码前缀")
        return prefixes

    def show(self, value) -> str:
        return "、".join(code_with_name(prefix) for prefix in value)


# --- the kinds ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Finding:
    fired: bool
    seen: dict  # the values the rule looked at (JSON-ready)


class RuleKind:
    code: ClassVar[str]
    label: ClassVar[str]
    description: ClassVar[str]
    params: ClassVar[tuple[Param, ...]] = ()
    outcomes: ClassVar[frozenset[str]] = SIGNALS

    def clean_params(self, raw: Mapping) -> dict:
        """Each parameter parsed and bounded, then the kind's own cross-checks; ParamError otherwise."""
        errors, cleaned = {}, {}
        unknown = set(raw) - {param.name for param in self.params}
        if unknown:
            errors[""] = f"未知参数：{', '.join(sorted(unknown))}"
        for param in self.params:
            if param.name not in raw or raw[param.name] in (None, ""):
                errors[param.name] = f"{param.label}：必须填写"
                continue
            try:
                cleaned[param.name] = param.parse(raw[param.name])
            except ValueError as error:
                errors[param.name] = f"{param.label}：{error}"
        if not errors:
            errors.update(self.cross_check(cleaned))
        if errors:
            raise ParamError(errors)
        return cleaned

    def cross_check(self, params: dict) -> dict[str, str]:
        return {}

    def check(self, params: Mapping, facts: Facts) -> Finding:
        raise NotImplementedError

    def summary(self, params: Mapping) -> str:
        """The rule in words, for lists: ``年龄下限 18，年龄上限 60``."""
        return "，".join(f"{p.label} {p.show(params[p.name])}" for p in self.params if p.name in params)


class BelowThreshold(RuleKind):
    """Fires when the fact named ``fact`` is below the kind's one parameter."""

    fact: ClassVar[str]

    def check(self, params, facts):
        value = getattr(facts, self.fact)
        return Finding(value < params[self.params[0].name], {self.fact: value})


class AboveThreshold(BelowThreshold):
    """Fires when the fact named ``fact`` is above the kind's one parameter."""

    def check(self, params, facts):
        value = getattr(facts, self.fact)
        return Finding(value > params[self.params[0].name], {self.fact: value})


REGISTRY: dict[str, RuleKind] = {}


def register(kind_class: type[RuleKind]) -> type[RuleKind]:
    REGISTRY[kind_class.code] = kind_class()
    return kind_class


def kind_of(code: str) -> RuleKind:
    try:
        return REGISTRY[code]
    except KeyError:
        raise LookupError(f"未知的规则类型“{code}”") from None


def kind_choices() -> list[tuple[str, str]]:
    return [(code, kind.label) for code, kind in REGISTRY.items()]


def kind_label(code: str) -> str:
    kind = REGISTRY.get(code)
    return kind.label if kind else code


# What the rules saw, in words (the keys of ``Finding.seen``).
REGION_KEYS = ("id_region", "prefix")  # region codes, shown with the place they name
SEEN_LABELS = {
    "age": "年龄",
    "id_region": "身份证地区代码",  # shown with the place (REGION_KEYS)
    "prefix": "命中前缀",
    "account_age_days": "注册天数",
    "contacts": "紧急联系人",
    "phonebook_entries": "通讯录条数",
    "device_token": "设备 token",
    "applications": "设备申请笔数",
    "days": "统计天数",
    "device_customers": "设备客户数",
    "worst_days_past_due": "历史最长逾期天数",
    "amount": "借款金额",
    "credit_limit": "授信额度",
    "clean_loans": "按时结清笔数",
    "paid_off_loans": "已结清笔数",
}


def seen_text(seen: Mapping, error: str = "") -> str:
    """``年龄 61；…`` (or the error of a rule that raised)."""
    if error:
        return f"规则出错：{error}"
    return "；".join(f"{SEEN_LABELS.get(key, key)} {_seen_value(key, value)}" for key, value in seen.items())


def _seen_value(key: str, value) -> str:
    if value is None:
        return "（无）"
    if key in REGION_KEYS:
        return code_with_name(str(value))
    return str(value)


@register
class AgeRange(RuleKind):
    code = "age_range"
    label = "年龄超出范围"
    description = "按身份证号中的出生日期计算申请当日的周岁年龄，小于下限或大于上限时触发。"
    params = (
        Param("min_age", "年龄下限", "周岁；小于此年龄时触发", 0, 150, 18),
        Param("max_age", "年龄上限", "周岁；大于此年龄时触发（等于上限不触发）", 0, 150, 60),
    )

    def cross_check(self, params):
        if params["min_age"] > params["max_age"]:
            return {"max_age": "年龄上限：不能小于年龄下限"}
        return {}

    def check(self, params, facts):
        if facts.age is None:
            raise ValueError("无法从身份证号得出年龄（缺少实名认证信息）")
        return Finding(not params["min_age"] <= facts.age <= params["max_age"], {"age": facts.age})


@register
class IdRegion(RuleKind):
    code = "id_region"
    label = "身份证地区拒绝"
    description = "身份证号的前几位（地区代码）以所列任一前缀开头时触发，例如 65 表示新疆全境，5401 表示拉萨市。"
    params = (PrefixesParam("prefixes", "地区代码前缀", "2 至 6 位数字，多个用逗号分隔，例如：65, 5401"),)

    def check(self, params, facts):
        if not facts.id_region:
            raise ValueError("缺少身份证号（未实名认证）")
        matched = next((prefix for prefix in params["prefixes"] if facts.id_region.startswith(prefix)), None)
        return Finding(matched is not None, {"id_region": facts.id_region, "prefix": matched})


@register
class NewAccount(BelowThreshold):
    code = "account_age"
    label = "注册时间过短"
    description = "从注册到申请不足 N 天时触发（当天注册当天申请为 0 天）。"
    params = (Param("days", "天数 N", "注册天数小于 N 时触发", 1, 3650, 7),)
    fact = "account_age_days"


@register
class FewContacts(BelowThreshold):
    code = "few_contacts"
    label = "紧急联系人过少"
    description = "客户登记的紧急联系人少于 N 个时触发。"
    params = (Param("count", "联系人个数 N", "少于 N 个时触发", 1, 10, 2),)
    fact = "contacts"


@register
class SmallPhonebook(BelowThreshold):
    code = "small_phonebook"
    label = "通讯录过小"
    description = "申请时上传的通讯录少于 N 条时触发。"
    params = (Param("entries", "通讯录条数 N", "少于 N 条时触发", 1, 10000, 20),)
    fact = "phonebook_entries"


@register
class DeviceApplications(RuleKind):
    code = "device_applications"
    label = "同一设备频繁申请"
    description = (
        "同一设备（登录时的设备 token）在最近 D 天内（含申请当天）提交的借款申请超过 N 笔时触发，"
        "本次申请计算在内，不论来自哪个账户。设备未知时不触发。"
    )
    params = (
        Param("applications", "申请笔数 N", "超过 N 笔时触发（等于 N 不触发）", 1, 1000, 3),
        Param("days", "天数 D", "统计最近 D 天，1 表示仅当天", 1, DEVICE_WINDOW_DAYS, 7),
    )

    def check(self, params, facts):
        if not facts.device_token:
            return Finding(False, {"device_token": ""})
        count = sum(1 for days_before in facts.device_application_days if days_before < params["days"])
        return Finding(count > params["applications"], {"applications": count, "days": params["days"]})


@register
class SharedDevice(RuleKind):
    code = "device_customers"
    label = "设备多人共用"
    description = "登录本次申请所用设备（设备 token）的客户超过 N 个时触发，申请人本人计算在内。设备未知时不触发。"
    params = (Param("customers", "客户数 N", "超过 N 个客户时触发（等于 N 不触发）", 1, 1000, 3),)

    def check(self, params, facts):
        if not facts.device_token:
            return Finding(False, {"device_token": ""})
        return Finding(facts.device_customers > params["customers"], {"device_customers": facts.device_customers})


@register
class WorstDaysPastDue(AboveThreshold):
    code = "worst_dpd"
    label = "历史逾期过长"
    description = "客户以往借款中任一期逾期（已还的按还款日、未还的按申请当日计）超过 N 天时触发。"
    params = (Param("days", "逾期天数 N", "超过 N 天时触发（等于 N 不触发）", 0, 3650, 30),)
    fact = "worst_days_past_due"


@register
class AmountShareOfLimit(RuleKind):
    code = "amount_share_of_limit"
    label = "借款金额占授信额度过高"
    description = "借款金额超过客户总授信额度的 N% 时触发；未设额度（不限额）的客户不触发。"
    params = (Param("percent", "百分比 N", "例如 80 表示金额超过额度的 80% 时触发（等于不触发）", 1, 1000, 80),)

    def check(self, params, facts):
        seen = {"amount": str(facts.amount), "credit_limit": None if facts.credit_limit is None else str(facts.credit_limit)}
        if facts.credit_limit is None:
            return Finding(False, seen)
        return Finding(facts.amount * 100 > facts.credit_limit * Decimal(params["percent"]), seen)


@register
class CleanHistory(RuleKind):
    code = "clean_history"
    label = "良好还款记录（自动通过）"
    description = "客户至少有 N 笔已结清的借款，且这些借款的每一期都没有逾期超过 D 天时触发。只能用于自动通过。"
    params = (
        Param("loans", "结清笔数 N", "至少 N 笔（等于 N 即触发）", 1, 100, 2),
        Param("days", "逾期天数 D", "每期逾期不超过 D 天的借款才计入；0 表示从未逾期", 0, 365, 3),
    )
    outcomes = frozenset({Outcome.APPROVE})

    def check(self, params, facts):
        clean = sum(1 for late in facts.paid_off_lateness if late <= params["days"])
        return Finding(clean >= params["loans"], {"clean_loans": clean, "paid_off_loans": len(facts.paid_off_lateness)})
