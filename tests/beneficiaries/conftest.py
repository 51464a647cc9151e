from types import SimpleNamespace

import pytest

from tests.factories import FamilyFactory, PersonFactory


@pytest.fixture
def families(personas, samarkand, tashkent):
    """own: in the Samarkand caseworker's caseload; colleague: Samarkand, another
    caseworker's; far: a Tashkent family (out of the Samarkand caseworker's scope)."""
    own = FamilyFactory(branch=samarkand, caseworker=personas.caseworker, consent_date="2024-03-01")
    colleague = FamilyFactory(branch=samarkand, caseworker=None)
    far = FamilyFactory(branch=tashkent, caseworker=personas.caseworker_tashkent)
    PersonFactory(family=own, full_name="Rahimova Feruza", pinfl="31234567890123")
    PersonFactory(family=far, full_name="Nazarova Lola")
    return SimpleNamespace(own=own, colleague=colleague, far=far)
