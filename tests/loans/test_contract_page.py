"""The loan contract page (``/open/loanContract/<id>``, linked from §26 and §28; CONTRACT §9)."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from tests.factories import LoanFactory, UserFactory, disbursed_loan
from tests.messaging.helpers import assert_self_contained

pytestmark = pytest.mark.django_db


class TestLoanContract:
    @pytest.fixture
    def borrower(self):
        return UserFactory(mobile="13812345678", real_name="王豆豆")

    @pytest.fixture
    def loan(self, borrower):
        return disbursed_loan(user=borrower, code="L2025000009", annualized_cost_rate=Decimal("1.6542"))

    def test_borrower_sees_the_contract(self, client, borrower, loan, settings):
        settings.LENDER_NAME = "测试小贷公司"
        client.force_login(borrower)
        response = client.get(f"/open/loanContract/{loan.id}")
        assert response.status_code == 200
        html = response.content.decode()
        for text in ("测试小贷公司", "王豆豆", "138****5678", "L2025000009", "1000.00", "36.00%", "165.42%",
                     "100.00", "54.00%", "一次性还本付息", "新现金贷"):
            assert text in html, text
        assert "13812345678" not in html
        period = loan.periods.get()
        assert period.due_date.isoformat() in html and "预览" not in html
        assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
        assert_self_contained(html)

    def test_lender_name_default(self, client, borrower, loan):
        client.force_login(borrower)
        assert "示例小额贷款有限公司" in client.get(f"/open/loanContract/{loan.id}").content.decode()

    def test_bearer_session_works(self, api, client, borrower, loan):
        assert api.login("13812345678", "secret123").ok
        response = client.get(f"/open/loanContract/{loan.id}", HTTP_AUTHORIZATION=f"Bearer {api.session_id}")
        assert response.status_code == 200

    def test_undisbursed_loan_shows_a_preview_schedule(self, client, borrower):
        loan = LoanFactory(user=borrower, term_count=3, term_unit=2, repay_term_count=1, repay_term_unit=2, repay_type=3,
                           interest_rate=Decimal("0.1200"), apply_amount=Decimal("3000.00"), reply_amount=Decimal("3000.00"),
                           service_fee=Decimal("0.00"))
        client.force_login(borrower)
        html = client.get(f"/open/loanContract/{loan.id}").content.decode()
        assert "预览" in html and "等额本息" in html
        # 3 000 at 1 % a month over 3 months: 1 020.07 a month (the last period takes the rounding)
        body = html.split("<tbody>")[1].split("</tbody>")[0]
        assert body.count("<tr>") == 3 and "1020.07" in body and "3000.00" in html
        today = timezone.localdate()
        assert f"{today.year}-" in html

    def test_stranger_gets_404(self, client, loan):
        client.force_login(UserFactory())
        assert client.get(f"/open/loanContract/{loan.id}").status_code == 404

    def test_anonymous_gets_404(self, client, loan):
        assert client.get(f"/open/loanContract/{loan.id}").status_code == 404

    def test_unknown_loan_gets_404_even_for_staff(self, client):
        client.force_login(UserFactory(is_staff=True, is_superuser=True))
        assert client.get("/open/loanContract/00000000-0000-0000-0000-000000000000").status_code == 404

    @pytest.mark.parametrize("group", ["信贷专员", None])
    def test_staff_with_a_loan_permission_sees_any_contract(self, client, loan, group):
        staff = UserFactory(is_staff=True, is_superuser=group is None)
        if group:
            staff.groups.add(Group.objects.get(name=group))
        client.force_login(staff)
        assert client.get(f"/open/loanContract/{loan.id}").status_code == 200

    @pytest.mark.parametrize("group", ["运营", None])
    def test_staff_without_a_loan_permission_get_404(self, client, loan, group):
        """Issue 10 item 6: an operator (or bare staff) read any contract; only the borrower and
        staff with a loan permission may."""
        staff = UserFactory(is_staff=True)
        if group:
            staff.groups.add(Group.objects.get(name=group))
        client.force_login(staff)
        assert client.get(f"/open/loanContract/{loan.id}").status_code == 404

    def test_inactive_borrower_gets_404(self, client, borrower, loan):
        client.force_login(borrower)
        borrower.is_active = False
        borrower.save()
        assert client.get(f"/open/loanContract/{loan.id}").status_code == 404

    def test_not_a_uuid_is_404(self, client, borrower):
        client.force_login(borrower)
        assert client.get("/open/loanContract/123").status_code == 404
