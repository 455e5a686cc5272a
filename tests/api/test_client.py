"""The integrators' client, as the README shows it: a bare Python, no Django, no Celery.

Operator friction (issue 10): the README's snippet imported ``cashloan.api.client``, whose
package imports Celery, so it failed outside the project's virtualenv and checkout root.
"""

import re
import subprocess
import sys

import pytest
from django.core.management import CommandError, call_command

from tests.processes import ROOT

pytestmark = pytest.mark.django_db(transaction=True)  # a live server answers from another thread

PRODUCTS = "/openCommonApi/getLoanProductList"


def bare_python(*args: str, cwd=ROOT) -> subprocess.CompletedProcess:
    """``-S``: no site-packages at all, so nothing but the standard library can be imported."""
    return subprocess.run([sys.executable, "-S", *args], cwd=cwd, capture_output=True, text=True, timeout=60)


def readme_block(language: str, containing: str) -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(rf"```{language}\n(.*?)```", text, flags=re.S)
    return next(block for block in blocks if containing in block)


def test_the_readme_python_snippet_runs_with_a_bare_python_from_a_copy(live_server, tmp_path):
    for name in ("client.py", "signing.py"):  # "copy client.py and signing.py into one directory"
        (tmp_path / name).write_bytes((ROOT / "cashloan" / "api" / name).read_bytes())
    snippet = readme_block("python", "SignedApiClient").replace("http://127.0.0.1:8000", live_server.url)
    snippet = snippet.replace('"cashloan/api"', repr(str(tmp_path)))
    check = "\nassert not {'django', 'celery', 'cashloan'} & set(sys.modules), sorted(sys.modules)\n"
    result = bare_python("-c", snippet + check, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["0000", "[]", "True"]


def test_the_readme_python_snippet_runs_from_the_checkout(live_server):
    snippet = readme_block("python", "SignedApiClient").replace("http://127.0.0.1:8000", live_server.url)
    result = bare_python("-c", snippet)
    assert result.returncode == 0, result.stderr


def test_the_client_runs_as_a_file(live_server):
    command = readme_block("sh", "cashloan/api/client.py").split("python3 ", 1)[1].split()
    command = [live_server.url if part == "http://127.0.0.1:8000" else part.strip("'") for part in command]
    result = bare_python(*command)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("HTTP 200\n") and result.stdout.rstrip().endswith("response signature verifies")


def test_call_api_prints_the_envelope_and_refuses_a_non_object(live_server, capsys):
    call_command("call_api", PRODUCTS, "{}", base_url=live_server.url)
    out = capsys.readouterr().out
    assert '"responseCode": "0000"' in out and "response signature verifies" in out
    with pytest.raises(CommandError, match="must be a JSON object"):
        call_command("call_api", PRODUCTS, "[1]", base_url=live_server.url)
