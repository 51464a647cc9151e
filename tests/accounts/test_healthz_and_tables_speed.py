import pytest
from django_tables2 import utils

from accounts import tables_speed


@pytest.mark.django_db
def test_healthz_answers_ok_to_a_visitor_without_a_query(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/accounts/healthz")
    assert response.status_code == 200
    assert response.content == b"ok"


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
