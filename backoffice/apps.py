from django.apps import AppConfig


class BackofficeConfig(AppConfig):
    """The back office's pages that read across apps: the customer list and the customer page,
    the dashboard by role, and the admin's Chinese (permission names, Django's own strings).
    It builds on every other app; none imports it (``tests/test_imports.py``)."""

    name = "backoffice"
    verbose_name = "后台"

    def ready(self):
        from django.db.models.signals import post_migrate

        from .chinese import install, name_permissions_in_chinese

        install()
        post_migrate.connect(name_permissions_in_chinese, dispatch_uid="backoffice.name_permissions_in_chinese")
