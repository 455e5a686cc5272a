"""The dunning SMS (CONTRACT §13): for a loan with an open case, the text staff wrote for its
bucket replaces the daily overdue notice (``loans.notices`` asks here; registered at start-up)."""

from datetime import date

from cashloan.money import money_str
from loans.models import LoanApplication, RepaymentPeriod

from .cases import open_case, owed
from .models import DunningTemplate


def dunning_text(loan: LoanApplication, periods: list[RepaymentPeriod], today: date) -> str | None:
    """The bucket's text filled in for this loan today; None when the loan has no open case (or
    its bucket no text)."""
    case = open_case(loan.pk)
    if case is None:
        return None
    figures = owed(loan, periods, today)
    template = DunningTemplate.objects.filter(bucket=figures.bucket or case.bucket).first()
    if template is None or not template.text.strip():
        return None
    return render(template.text, name=loan.user.real_name or "客户", amount=money_str(figures.total), dpd=figures.dpd, due_date=figures.oldest_due)


def render(text: str, *, name: str, amount: str, dpd: int, due_date: date | None) -> str:
    due = f"{due_date.year}年{due_date.month}月{due_date.day}日" if due_date else ""
    return text.format_map({"姓名": name, "金额": amount, "逾期天数": dpd, "到期日": due})
