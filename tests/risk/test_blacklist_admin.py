"""The risk manager keeps the blacklist in the admin (CONTRACT §11, §15): adds an entry (an ID
number typed in clear, kept as its digest), removes entries with a reason, imports a CSV; each
change in the operation log; finance and loan officers do not see it."""

from datetime import date

import pytest
from django.contrib.admin.models import LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile

from cashloan.crypto import keyed_digest
from risk.models import BlacklistEntry
from tests.accounts.helpers import GOOD_ID, OTHER_ID
from tests.backoffice.helpers import staff_in
from tests.backoffice.test_chinese import english_words, visible_text

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/risk/blacklistentry/"


@pytest.fixture
def manager(client):
    user = staff_in("风控")
    client.force_login(user)
    return user


def test_the_risk_manager_adds_an_id_number(client, manager):
    reply = client.post(CHANGELIST + "add/", {"kind": "id_number", "raw": GOOD_ID, "reason": "法院失信名单", "expires_on": ""})
    assert reply.status_code == 302, reply.content.decode()[:2000]
    entry = BlacklistEntry.objects.get()
    assert (entry.value, entry.created_by, entry.reason) == (keyed_digest("id_number", GOOD_ID), manager, "法院失信名单")
    page = client.get(CHANGELIST).content.decode()
    assert GOOD_ID not in page and entry.shown in page and "生效中" in page
    assert client.get(CHANGELIST, {"q": GOOD_ID}).context["cl"].result_count == 1  # found by its digest
    log = LogEntry.objects.get()
    assert (log.user, "加入黑名单" in log.change_message, "法院失信名单" in log.change_message) == (manager, True, True)
    for url in (CHANGELIST, CHANGELIST + "add/", f"{CHANGELIST}{entry.pk}/change/", CHANGELIST + "import/", "/admin/risk/blacklisthit/"):
        reply = client.get(url)
        assert reply.status_code == 200, url
        assert english_words(visible_text(reply.content.decode())) == set(), url


def test_a_bad_id_number_is_refused_on_the_form(client, manager):
    reply = client.post(CHANGELIST + "add/", {"kind": "id_number", "raw": "110101199003071230", "reason": "x"})
    assert reply.status_code == 200 and "身份证号格式或校验位不正确" in reply.content.decode()
    assert not BlacklistEntry.objects.exists()


def test_removing_entries_needs_a_reason_and_is_logged(client, manager):
    entry = BlacklistEntry.objects.create(kind="mobile", value="13812345678", shown="13812345678", reason="中介")
    action = {"action": "remove_entries", "_selected_action": [entry.pk]}
    assert "原因" in client.post(CHANGELIST, action).content.decode()
    client.post(CHANGELIST, {**action, "post": "yes", "reason": "核实为误报"})
    entry.refresh_from_db()
    assert entry.removed_by == manager and entry.removed_at is not None
    assert "核实为误报" in LogEntry.objects.get().change_message
    assert client.post(CHANGELIST + f"{entry.pk}/delete/").status_code == 403  # never deleted


def test_a_csv_is_imported_all_or_nothing(client, manager):
    good = f"类型,值,原因,有效期至\n身份证号,{GOOD_ID},失信,2030-01-01\n手机号,13812345678,中介,\n".encode()
    reply = client.post(CHANGELIST + "import/", {"file": SimpleUploadedFile("list.csv", good, "text/csv")})
    assert reply.status_code == 302
    assert sorted(BlacklistEntry.objects.values_list("kind", "expires_on")) == [("id_number", date(2030, 1, 1)), ("mobile", None)]
    bad = f"类型,值,原因,有效期至\n身份证号,{OTHER_ID},失信,\n手机号,123,中介,\n".encode()
    page = client.post(CHANGELIST + "import/", {"file": SimpleUploadedFile("list.csv", bad, "text/csv")}).content.decode()
    assert "第 3 行：手机号格式不正确" in page
    assert BlacklistEntry.objects.count() == 2  # the good line of the bad file was not imported either
    assert LogEntry.objects.count() == 2


@pytest.mark.parametrize("role", ["财务", "信贷专员", "运营"])
def test_other_roles_do_not_see_the_blacklist(client, role):
    client.force_login(staff_in(role))
    assert client.get(CHANGELIST).status_code == 403
    assert client.get(CHANGELIST + "import/").status_code == 403
