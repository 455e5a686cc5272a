"""docs/API.md, the integrators' document (operator friction, issue 10: the README pointed at a
contract file that is not in the repository)."""

import pytest

from cashloan.api import codes, reference
from tests.processes import ROOT

pytestmark = pytest.mark.django_db


def test_the_endpoint_catalogue_is_current():
    """Regenerate with ``python manage.py api_reference --write`` when an endpoint changes."""
    assert reference.current_catalogue(reference.document_path()) == reference.catalogue()


def test_the_catalogue_names_every_endpoint():
    from tests.api.test_schema import SEED_PATHS

    catalogue = reference.catalogue()
    assert sorted(line[4:] for line in catalogue.splitlines() if line.startswith("### ")) == sorted(SEED_PATHS)


def test_every_protocol_code_is_explained():
    document = reference.document_path().read_text(encoding="utf-8")
    protocol = document[document.index("## 4. Codes"):document.index("## 5.")]
    values = {value for name, value in vars(codes).items() if name.isupper() and isinstance(value, str)}
    assert {value for value in values if f"`{value}`" not in protocol} == set()


def test_the_readme_links_the_integrators_document_not_the_contract():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "(docs/API.md)" in readme and "shared/CONTRACT.md" not in readme
