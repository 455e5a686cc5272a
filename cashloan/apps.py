from django.apps import AppConfig
from django.db.models.signals import post_migrate


class CashloanConfig(AppConfig):
    name = "cashloan"
    verbose_name = "系统"

    def ready(self):
        from .roles import sync_roles

        # Runs after every app's migrations and after auth has created the permissions.
        post_migrate.connect(sync_roles, dispatch_uid="cashloan.sync_roles")
