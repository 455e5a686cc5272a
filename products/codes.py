"""Response codes of the quote and the application (seed §22.4 / §23.4, CONTRACT §8).

They live with the catalogue because each names a product rule: ``products.rules`` reports a
broken limit by its code, and ``loans.quotes`` raises it.
"""

AMOUNT_FORMAT = "20004000"
AMOUNT_NOT_ALLOWED = "20004001"
RATE_FORMAT = "20004002"
RATE_NOT_ALLOWED = "20004003"
TERM_FORMAT = "20004004"
TERM_NOT_ALLOWED = "20004005"
TERM_UNIT_FORMAT = "20004006"
TERM_UNIT_NOT_ALLOWED = "20004007"
INTERVAL_FORMAT = "20004008"
INTERVAL_NOT_ALLOWED = "20004009"
INTERVAL_UNIT_FORMAT = "20004010"
INTERVAL_UNIT_NOT_ALLOWED = "20004011"
DAY_INTERVAL_ON_MONTH_TERM = "20004012"
REPAY_TYPE_FORMAT = "20004013"
REPAY_TYPE_NOT_ALLOWED = "20004014"
ANNUITY_ON_DAY_TERM = "20004015"
COST_ABOVE_CAP = "20004016"  # CONTRACT §4, §12: the annualised cost is above ANNUAL_COST_CAP

MESSAGES = {
    AMOUNT_FORMAT: "借贷金额格式错误",
    AMOUNT_NOT_ALLOWED: "借贷金额不在允许范围内",
    RATE_FORMAT: "年化利率格式错误",
    RATE_NOT_ALLOWED: "年化利率不在允许范围内",
    TERM_FORMAT: "借贷期限格式错误",
    TERM_NOT_ALLOWED: "借贷期限不在允许范围内",
    TERM_UNIT_FORMAT: "借贷期限单位错误",
    TERM_UNIT_NOT_ALLOWED: "借贷期限单位不在允许范围内",
    INTERVAL_FORMAT: "还款间隔格式错误",
    INTERVAL_NOT_ALLOWED: "还款间隔不在允许范围内",
    INTERVAL_UNIT_FORMAT: "还款间隔单位错误",
    INTERVAL_UNIT_NOT_ALLOWED: "还款间隔单位不在允许范围内",
    DAY_INTERVAL_ON_MONTH_TERM: "借贷期限单位选择月，还款间隔单位不支持选择日",
    REPAY_TYPE_FORMAT: "还款方式错误",
    REPAY_TYPE_NOT_ALLOWED: "还款方式不在允许范围内",
    ANNUITY_ON_DAY_TERM: "借贷期限单位选择日，还款方式不支持选择等额本息",
    COST_ABOVE_CAP: "年化综合成本超过上限，请调整借款金额、期限或还款方式",
}
