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
