"""Demo data for a first run (``manage.py loaddemo``); idempotent."""

from django.utils import timezone

from .h5_texts import DEFAULT_PAGES
from .models import H5Page, SystemMessage, SystemMessageType

WELCOME_TITLE = "欢迎使用现金贷"


def load(stdout) -> None:
    """Create this app's demo rows if they are missing: one system message and the H5 texts."""
    _, created = SystemMessage.objects.get_or_create(
        title=WELCOME_TITLE,
        defaults={
            "message_type": SystemMessageType.NOTICE,
            "content": "欢迎使用现金贷！完成实名、银行卡、手机和个人信息四项认证后即可申请借款，请按时还款，珍惜个人信用。",
            "publish_at": timezone.now(),
        },
    )
    if created:
        stdout.write("system message: " + WELCOME_TITLE)
    for slug, (title, body) in DEFAULT_PAGES.items():
        _, created = H5Page.objects.get_or_create(slug=slug, defaults={"title": title, "body": body})
        if created:
            stdout.write(f"H5 page: {title} ({slug})")
