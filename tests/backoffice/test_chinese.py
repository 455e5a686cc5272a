"""Chinese throughout (issue 15 item 5): every admin page, walked as a superuser over data of
every kind, shows no English admin text and no raw code where a word is expected; permission
names and Django's own strings (its zh-hans catalogue's gaps) are Chinese."""

from __future__ import annotations

import gettext
import re
from datetime import timedelta
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib import admin
from django.contrib.auth.models import Permission
from django.test import RequestFactory
from django.urls import URLPattern, reverse
from django.utils import timezone

from accounts import flags
from accounts.models import AppVersion, Feedback
from messaging.models import CustomerMessage, H5Page, SmsMessage, SystemMessage
from tests.factories import LoanApplicationFactory, UserFactory, disbursed_loan, repayment

from .helpers import customer_with_file, staff_in

pytestmark = pytest.mark.django_db

# Words a Chinese back office legitimately shows: product and format names, and field names staff
# know by their English (the app's platform, the push token).
ALLOWED_WORDS = {"App", "iOS", "CSV", "Excel", "XLSX", "JPG", "PNG", "PDF", "token", "ID", "IRR", "SMS", "H5", "DPD"}
ALLOWED_WORDS |= {"Control", "Command", "Mac"}  # keys named in Django's "按住 Control 键，或者 Mac 上的 Command 键"
WORD = re.compile(r"(?<![\w.@/-])[A-Za-z]{2,}(?![\w@/-])")
FRACTION_RATE = re.compile(r"(?<![\d.])0\.\d{4}(?!\d)")  # a rate as a fraction: 0.3600 (shown as 36%)
REGION_CODES = ("440305", "440300", "440000", "110108", "110100", "110000", "110105")


class VisibleText(HTMLParser):
    """What a person reads: text outside scripts and styles, and the titles, placeholders and
    button captions they see."""

    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "template", "code"):  # code: a command staff may run, as typed
            self._skip += 1
        attributes = dict(attrs)
        for name in ("title", "placeholder", "aria-label", "alt"):
            if attributes.get(name):
                self.parts.append(attributes[name])
        if tag == "input" and attributes.get("type") in ("submit", "button") and attributes.get("value"):
            self.parts.append(attributes["value"])

    def handle_endtag(self, tag):
        if tag in ("script", "style", "template", "code") and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = VisibleText()
    parser.feed(html)
    return "\n".join(part.strip() for part in parser.parts if part.strip())


URL = re.compile(r"https?://\S+")
ID_LIKE = re.compile(r"\d{6}[\d*]{8,}[\dX]")  # an ID or card number (masked or, on the logged page, full)


def english_words(text: str) -> set[str]:
    return {word for word in WORD.findall(URL.sub("", text)) if word not in ALLOWED_WORDS}


@pytest.fixture
def every_kind_of_row():
    """A customer with a file and a history, staff in roles, messages, SMS of each purpose,
    feedback from each source, app versions, pages and operation-log rows."""
    manager = staff_in("风控", username="风控甲")
    customer = customer_with_file()
    customer.devices.update(token="0000-1111-2222")
    today = timezone.localdate()
    loan = disbursed_loan(user=customer, periods=[today - timedelta(days=35)], purpose="15", other_channels="02")
    repayment(loan, "100.00").__class__.objects.update(provider="immediate")
    LoanApplicationFactory(purpose="18", other_channels="03")
    flags.set_flags(customer, by=manager, reason="多头借贷", is_risk=True)
    CustomerMessage.objects.create(user=customer, message_type=99, title="通知", content="您好")
    SystemMessage.objects.create(title="公告", content="内容", publish_at=timezone.now())
    for purpose in ("register", "approved", "overdue", "reminder"):
        SmsMessage.objects.create(mobile=customer.mobile, text="您的验证码是 123456", purpose=purpose)
    for source in ("1", "2"):
        Feedback.objects.create(mobile=customer.mobile, source=source, suggestion="建议", user=customer)
    AppVersion.objects.create(app_type="1", version_code=3, version_name="1.2.0", download_url="https://example.com/a.apk")
    H5Page.objects.create(slug="loan-help", title="还款帮助", body="正文")
    _a_collection_case(loan, today)
    return customer


def _a_collection_case(loan, today):
    """The loan's case (as the daily job opens it, without the books), assigned, with a promise
    and a reassignment."""
    from recovery.assignment import reassign
    from recovery.cases import sync_case
    from recovery.contacts import log_contact
    from recovery.models import CollectionCase, CollectorBuckets

    first, second = staff_in("催收专员", username="催收甲"), staff_in("催收专员", username="催收乙")
    CollectorBuckets.objects.create(collector=first, buckets=["M1", "M2"])
    sync_case(loan, list(loan.periods.all()), today)
    case = CollectionCase.objects.get(loan=loan)
    log_contact(case, case.collector, channel="call", result="promise", promise_date=today, promise_amount=100, note="下午还")
    reassign(case, second if case.collector == first else first, by=staff_in("催收主管", username="主管"), note="调整")


def admin_pages(superuser, rows_exist=True) -> list[str]:
    """Every changelist, an object's change and history pages, add pages where allowed, and each
    admin's own pages (files, exports and JSON aside)."""
    request = RequestFactory().get("/admin/")
    request.user = superuser
    pages = [reverse("admin:index"), reverse("admin:password_change"), reverse("admin:jsi18n")]
    for model, model_admin in admin.site._registry.items():
        opts = model._meta
        if not model_admin.has_view_permission(request):
            continue
        pages.append(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))
        pages.append(reverse("admin:app_list", args=[opts.app_label]))
        if model_admin.has_add_permission(request):
            pages.append(reverse(f"admin:{opts.app_label}_{opts.model_name}_add"))
        first = model_admin.get_queryset(request).order_by("pk").first()
        if first is not None:
            pages.append(reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[first.pk]))
            pages.append(reverse(f"admin:{opts.app_label}_{opts.model_name}_history", args=[first.pk]))
        for pattern in model_admin.get_urls():
            if not isinstance(pattern, URLPattern) or not pattern.name or pattern.name.endswith(
                ("_changelist", "_add", "_change", "_history", "_delete", "_export", "_customers", "_autocomplete")
            ):
                continue
            arguments = list(pattern.pattern.converters)
            if not arguments:
                pages.append(reverse(f"admin:{pattern.name}"))
            elif first is not None and len(arguments) == 1:
                pages.append(reverse(f"admin:{pattern.name}", args=[first.pk]))
    return sorted(set(pages))


def test_every_admin_page_is_in_chinese(client, every_kind_of_row):
    superuser = UserFactory(is_staff=True, is_superuser=True, username="管理员", mobile=None)
    client.force_login(superuser)
    problems = {}
    pages = admin_pages(superuser)
    assert len(pages) > 60
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        if url == reverse("admin:jsi18n"):
            continue
        text = visible_text(response.content.decode())
        found = sorted(english_words(text))
        found += FRACTION_RATE.findall(text)
        found += [code for code in REGION_CODES if code in ID_LIKE.sub("", text)]
        if found:
            problems[url] = found
    assert problems == {}


def test_the_loan_pages_name_the_purpose_and_the_other_channels(admin_client, every_kind_of_row):
    loan = every_kind_of_row.loans.get()
    page = visible_text(admin_client.get(f"/admin/loans/loanapplication/{loan.pk}/change/").content.decode())
    assert "租房" in page and "有，已结清" in page and "36%" in page


def test_the_sms_log_and_feedback_name_their_codes(admin_client, every_kind_of_row):
    sms = visible_text(admin_client.get("/admin/messaging/smsmessage/").content.decode())
    assert {"注册验证码", "审核通过", "逾期提醒", "还款提醒"} <= set(sms.split("\n"))
    feedback = visible_text(admin_client.get("/admin/accounts/feedback/").content.decode())
    assert "安卓 App" in feedback and "iOS App" in feedback


def test_the_english_finder_finds_english():
    """The checks above can fail: an English admin string and raw codes are caught."""
    text = visible_text('<h1>Select 客户 to change</h1><script>var x = "ignored"</script><p>年化利率 0.3600</p><input type="submit" value="Save">')
    assert english_words(text) == {"Select", "to", "change", "Save"}
    assert FRACTION_RATE.findall(text) == ["0.3600"]


def test_permission_names_are_chinese():
    english = list(Permission.objects.filter(name__startswith="Can ").values_list("name", flat=True))
    assert english == []
    assert Permission.objects.get(codename="add_appversion").name == "可以添加 App 版本"
    assert Permission.objects.get(codename="view_customer").name == "可以查看客户"


def test_the_two_box_selector_speaks_chinese(admin_client):
    catalogue = admin_client.get(reverse("admin:jsi18n")).content.decode()
    for translated in ("选中要添加的%s", "移除全部%s"):
        assert translated in catalogue or translated.encode("unicode_escape").decode() in catalogue, translated


def test_the_compiled_catalogues_match_their_sources():
    """locale/*.mo are compiled from the .po beside them (msgfmt): every entry translates."""
    for source in (Path(settings.BASE_DIR) / "locale").rglob("*.po"):
        text = source.read_text(encoding="utf-8")
        with source.with_suffix(".mo").open("rb") as compiled:
            catalogue = gettext.GNUTranslations(compiled)
        for msgid, msgstr in re.findall(r'^msgid "(.+)"\n(?:msgid_plural ".*"\n)?msgstr(?:\[0\])? "(.*)"$', text, flags=re.M):
            assert catalogue.gettext(msgid.replace('\\"', '"')) == msgstr.replace('\\"', '"'), msgid
