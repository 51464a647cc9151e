"""common.tables_speed replaces a private helper of django-tables2 (see its docstring):
these tests fail when an upgrade moves the helper or stops calling it."""

from pathlib import Path

import django_tables2
from django_tables2 import utils

from common import tables_speed


class Sample:
    def render(self, value, record):
        return value

    def render_everything(self, **kwargs):
        return kwargs


def plain(value):
    return value


def test_the_cached_signature_is_installed_and_agrees_with_django_tables2():
    assert utils.signature is tables_speed.cached_signature
    sample = Sample()
    for fn in (sample.render, sample.render_everything, plain, Sample.render, lambda x: x):
        assert tables_speed.cached_signature(fn) == tables_speed._original(fn)
        assert tables_speed.cached_signature(fn) == tables_speed._original(fn)  # cached
    assert utils.call_with_appropriate(sample.render, {"value": 1, "record": 2, "x": 3}) == 1
    assert utils.call_with_appropriate(sample.render, {"value": 1}) is None


def test_call_with_appropriate_still_asks_the_replaced_helper(monkeypatch):
    asked = []

    def spy(fn):
        asked.append(fn)
        return tables_speed.cached_signature(fn)

    monkeypatch.setattr(utils, "signature", spy)
    assert utils.call_with_appropriate(plain, {"value": 3}) == 3
    assert asked == [plain]


def test_django_tables2_is_the_pinned_version():
    requirements = (Path(__file__).resolve().parents[2] / "requirements.txt").read_text()
    assert f"django-tables2=={django_tables2.__version__}" in requirements.splitlines()
