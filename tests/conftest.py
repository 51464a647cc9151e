"""Personas: one user per role, plus an outsider with no role at all."""

from types import SimpleNamespace

import pytest

from accounts.roles import Role
from tests.factories import UserFactory, branch


@pytest.fixture
def samarkand(db):
    return branch("SAM")


@pytest.fixture
def tashkent(db):
    return branch("TAS")


@pytest.fixture
def personas(db, samarkand, tashkent):
    """director, caseworker (Samarkand), caseworker_tashkent, trainer, manager, auditor,
    outsider (signed in, no role)."""
    return SimpleNamespace(
        director=UserFactory(username="p_director", role=Role.PROGRAMME_MANAGER),
        caseworker=UserFactory(username="p_caseworker", role=Role.CASEWORKER, branches=[samarkand]),
        caseworker_tashkent=UserFactory(
            username="p_caseworker_tas", role=Role.CASEWORKER, branches=[tashkent]
        ),
        trainer=UserFactory(username="p_trainer", role=Role.TRAINER),
        manager=UserFactory(username="p_manager", role=Role.ENTERPRISE_MANAGER),
        auditor=UserFactory(username="p_auditor", role=Role.AUDITOR),
        outsider=UserFactory(username="p_outsider"),
    )


@pytest.fixture
def client_for(client):
    """client_for(user) -> the test client signed in as that user."""

    def sign_in(user):
        client.force_login(user)
        return client

    return sign_in


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Real hashing costs ~0.3 s per user; tests create many."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
