import pytest

from beneficiaries.employment import register_employment_signal, unregister_employment_signal


@pytest.fixture
def stable_work():
    """A fake employment signal, as the enterprises app would register: the ids added to
    the returned set are the families with stable work."""
    families: set[int] = set()

    def signal(family_ids):
        return {pk for pk in family_ids if pk in families}

    register_employment_signal(signal)
    yield families
    unregister_employment_signal(signal)
