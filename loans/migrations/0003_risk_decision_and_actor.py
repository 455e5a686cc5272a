"""The risk decision on the application (CONTRACT §12) and the actor of a status change (§11).

Existing status changes: a staff user named means staff; none means the customer (which is
what a missing user meant until now)."""

from django.conf import settings
from django.db import migrations, models


def staff_where_a_user_is_named(apps, schema_editor):
    StatusChange = apps.get_model("loans", "StatusChange")
    StatusChange.objects.filter(changed_by__isnull=False).update(actor="staff")


class Migration(migrations.Migration):

    dependencies = [
        ('loans', '0002_review_permission'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='loanapplication',
            name='device_token',
            field=models.CharField(blank=True, max_length=255, verbose_name='申请设备 token'),
        ),
        migrations.AddField(
            model_name='loanapplication',
            name='risk_facts',
            field=models.JSONField(blank=True, null=True, verbose_name='风控决策依据'),
        ),
        migrations.AddField(
            model_name='loanapplication',
            name='risk_hits',
            field=models.JSONField(blank=True, default=list, verbose_name='触发的风控规则'),
        ),
        migrations.AddField(
            model_name='loanapplication',
            name='risk_outcome',
            field=models.CharField(blank=True, choices=[('reject', '拒绝'), ('review', '转人工审核'), ('approve', '自动通过')], max_length=10, verbose_name='风控决策'),
        ),
        migrations.AddField(
            model_name='statuschange',
            name='actor',
            field=models.CharField(choices=[('staff', '员工'), ('customer', '客户'), ('system', '系统')], default='customer', max_length=10, verbose_name='操作方'),
            preserve_default=False,
        ),
        migrations.RunPython(staff_where_a_user_is_named, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name='loanapplication',
            index=models.Index(fields=['applied_at'], name='loans_loana_applied_8624f7_idx'),
        ),
        migrations.AddIndex(
            model_name='loanapplication',
            index=models.Index(fields=['device_token', 'applied_at'], name='loans_loana_device__0c6be7_idx'),
        ),
        migrations.AddConstraint(
            model_name='statuschange',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('actor', 'staff'), ('changed_by__isnull', False)), models.Q(models.Q(('actor', 'staff'), _negated=True), ('changed_by__isnull', True)), _connector='OR'), name='status_change_staff_names_the_user', violation_error_message='员工操作须记录操作人，客户和系统的操作不记录员工'),
        ),
    ]
