from functools import partial

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "客户与账户"

    def ready(self):
        from messaging.code_messages import register_issuer

        from .services.sms_codes import SMS_PURPOSES, code_message

        # A code SMS sent again (staff resend, re-queue) carries a fresh code (CONTRACT §11).
        for flow, purpose in SMS_PURPOSES.items():
            register_issuer(purpose, partial(code_message, flow))

        # Every save or delete of a user (or of its Customer/Staff proxies) disowns its cached
        # snapshot (accounts.snapshots); queryset writes do it in accounts.models.UserQuerySet.
        from django.apps import apps
        from django.db.models.signals import post_delete, post_save

        from .models import User
        from .snapshots import bump_versions

        def user_changed(sender, instance, **kwargs):
            bump_versions([instance.pk])

        for model in apps.get_models():
            if issubclass(model, User):
                post_save.connect(user_changed, sender=model, weak=False, dispatch_uid=f"user-version-save-{model.__name__}")
                post_delete.connect(user_changed, sender=model, weak=False, dispatch_uid=f"user-version-delete-{model.__name__}")
