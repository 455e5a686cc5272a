"""The dunning texts of each bucket until staff edit them (CONTRACT §13)."""

from django.db import migrations

TEXTS = {
    "M1": "{姓名}您好，您的借款已逾期{逾期天数}天（最早一期{到期日}到期），当前应还{金额}元，请尽快在App内还款，以免影响您的信用记录。",
    "M2": "{姓名}您好，您的借款已逾期{逾期天数}天，应还{金额}元（含罚息）。请于今日在App内还款；如有困难，请联系客服协商还款安排。",
    "M3": "{姓名}您好，您的借款已逾期{逾期天数}天，应还{金额}元。逾期将持续产生罚息并记入信用记录，请尽快在App内还款。",
    "M4+": "{姓名}您好，您的借款已严重逾期{逾期天数}天，应还{金额}元。请立即在App内还款，或联系客服协商。",
}


def add_templates(apps, schema_editor):
    DunningTemplate = apps.get_model("recovery", "DunningTemplate")
    for bucket, text in TEXTS.items():
        DunningTemplate.objects.get_or_create(bucket=bucket, defaults={"text": text})


class Migration(migrations.Migration):
    dependencies = [("recovery", "0001_initial")]

    operations = [migrations.RunPython(add_templates, migrations.RunPython.noop)]
