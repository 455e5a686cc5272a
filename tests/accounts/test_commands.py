"""``manage.py encrypt_password``: the ciphertext the app would send (CONTRACT §6)."""

from io import StringIO

from django.core.management import call_command

from accounts.crypto import decrypt_password


def test_encrypt_password_prints_what_the_server_decrypts(settings):
    settings.APP_KEY = "12345678"
    out = StringIO()
    call_command("encrypt_password", "zhongkeborun", stdout=out)
    assert out.getvalue().strip() == "t9xLwn19WXS+d7OVW9ocKw=="  # the seed's §15 sample
    assert decrypt_password(out.getvalue().strip()) == "zhongkeborun"
