"""The admin in Chinese where Django leaves English (issue 15).

Django names the permissions it creates "Can add <model>" whatever the language (the names are
data, written at ``migrate``): after every ``migrate`` they are renamed 可以添加<model> etc. with
the models' Chinese names. Django's own strings that its zh-hans catalogue lacks are translated
in ``locale/`` (``LOCALE_PATHS``); the few it hard-codes are overridden (the search box's icon
in ``templates/admin/search_form.html``, the yes/no icons here).
"""

from __future__ import annotations

from django.apps import apps
from django.contrib.admin.templatetags import admin_list
from django.contrib.auth.models import Permission
from django.db import DEFAULT_DB_ALIAS
from django.templatetags.static import static
from django.utils import translation
from django.utils.html import format_html

ACTIONS = {"add": "添加", "change": "修改", "delete": "删除", "view": "查看"}


def permission_name(action: str, model_name: str) -> str:
    """``("add", "App 版本")`` → ``"可以添加 App 版本"``; ``("view", "客户")`` → ``"可以查看客户"``."""
    joiner = " " if model_name[:1].isascii() else ""
    return f"可以{ACTIONS[action]}{joiner}{model_name}"


def name_permissions_in_chinese(app_config=None, using: str = DEFAULT_DB_ALIAS, **kwargs) -> None:
    """post_migrate handler; runs once, on the last app's turn (every permission exists by then)."""
    if app_config is not None and app_config is not list(apps.get_app_configs())[-1]:
        return
    wanted: dict[tuple[str, str, str], str] = {}
    with translation.override("zh-hans"):
        for model in apps.get_models():
            opts = model._meta
            for action in opts.default_permissions:
                if action in ACTIONS:
                    wanted[(opts.app_label, opts.model_name, f"{action}_{opts.model_name}")] = permission_name(action, str(opts.verbose_name))
    renamed = []
    for permission in Permission.objects.using(using).select_related("content_type"):
        key = (permission.content_type.app_label, permission.content_type.model, permission.codename)
        name = wanted.get(key)
        if name and permission.name != name:
            permission.name = name
            renamed.append(permission)
    Permission.objects.using(using).bulk_update(renamed, ["name"], batch_size=500)


BOOLEAN_WORDS = {True: "是", False: "否", None: "未知"}


def boolean_icon(value):
    """Django's yes/no icon with a Chinese alt text (Django writes the Python value, True/False)."""
    icon = static("admin/img/icon-%s.svg" % {True: "yes", False: "no", None: "unknown"}[value])
    return format_html('<img src="{}" alt="{}">', icon, BOOLEAN_WORDS[value])


def install() -> None:
    """Called once at start (``BackofficeConfig.ready``): the admin's yes/no icons in Chinese.
    Django looks ``_boolean_icon`` up in ``admin_list`` at each call, so replacing it there
    reaches lists, read-only fields and inlines alike (tests/backoffice/test_chinese.py)."""
    admin_list._boolean_icon = boolean_icon
