from django.apps import AppConfig


class CashloanConfig(AppConfig):
    name = "cashloan"
    verbose_name = "系统"
