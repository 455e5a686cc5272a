from django.contrib.auth.models import AbstractUser
from django.db import models


class User(AbstractUser):
    """A login: app customers sign in with their mobile (``username`` = mobile); staff too."""

    mobile = models.CharField("手机号", max_length=11, unique=True, null=True, blank=True)

    class Meta:
        verbose_name = "用户"
        verbose_name_plural = "用户"

    def __str__(self) -> str:
        return self.mobile or self.username
