import pytest

from wellbeing import selectors


@pytest.fixture
def stable_work(monkeypatch):
    """Stands in for the enterprises app's answer: the ids added to the returned set are
    the families with stable work."""
    families: set[int] = set()
    real = selectors.families_with_stable_work

    def answer(family_ids):
        return {pk for pk in family_ids if pk in families} | real(family_ids)

    monkeypatch.setattr(selectors, "families_with_stable_work", answer)
    return families
