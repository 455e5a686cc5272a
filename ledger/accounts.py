"""The chart of accounts and the kinds of events the books record (CONTRACT §14).

Standard library and Django's enum helpers only: the posting rules and the data migration
import it.
"""

from django.db.models import TextChoices


class Account(TextChoices):
    BANK = "1002", "银行存款"
    INTEREST_RECEIVABLE = "1132", "应收利息"
    FEES_RECEIVABLE = "1133", "应收费用"
    PENALTY_RECEIVABLE = "1134", "应收罚息"
    PRINCIPAL = "1303", "贷款本金"
    INTEREST_INCOME = "6011", "利息收入"
    FEE_INCOME = "6021", "手续费收入"
    PENALTY_INCOME = "6031", "罚息收入"
    RECOVERIES = "6301", "营业外收入"
    WRITE_OFF_LOSS = "6701", "信用减值损失"


# In code order: every report lists every account, zero included.
ACCOUNT_CODES: tuple[str, ...] = tuple(sorted(Account.values))

# What a loan still carries on the balance sheet; a write-off moves these to 6701.
RECEIVABLE_ACCOUNTS: tuple[str, ...] = (
    Account.PRINCIPAL,
    Account.INTEREST_RECEIVABLE,
    Account.FEES_RECEIVABLE,
    Account.PENALTY_RECEIVABLE,
)


class EntryKind(TextChoices):
    DISBURSEMENT = "disbursement", "放款"
    RECOGNITION = "recognition", "利息费用确认"
    PENALTY = "penalty", "罚息计提"
    REPAYMENT = "repayment", "还款"
    WAIVER = "waiver", "减免"
    WRITE_OFF = "write_off", "核销"
    RECOVERY = "recovery", "核销后收回"
    REVERSAL = "reversal", "冲正"


class ActorKind(TextChoices):
    STAFF = "staff", "职员"
    CUSTOMER = "customer", "客户"
    SYSTEM = "system", "系统任务"
