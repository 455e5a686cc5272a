"""A customer's personal information in words (choices by their labels, regions by their names),
for every page that shows it: the customer page and the loan officer's review sheet."""

from accounts.regions import address_text


def personal_rows(info) -> list[tuple[str, str]]:
    if info is None:
        return []
    return [
        ("学历", info.get_education_display()),
        ("婚姻状况", info.get_marital_status_display()),
        ("户籍", address_text(info.registry_city or info.registry_province, info.registry_detail)),
        ("现居住地", address_text(info.house_county or info.house_city or info.house_province, info.house_detail)),
        ("居住时长", info.get_residence_length_display()),
        ("行业", info.get_industry_type_display()),
        ("单位名称", info.company_name),
        ("职位", info.position),
        ("单位地址", address_text(info.work_county or info.work_city or info.work_province, info.work_detail)),
        ("工作时长", info.get_working_hours_display()),
        ("月收入", f"{info.month_income:,.2f} 元"),
        ("工资发放日", f"每月 {info.payroll_day} 日"),
    ]
