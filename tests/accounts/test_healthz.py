import pytest


@pytest.mark.django_db
def test_healthz_answers_ok_to_a_visitor_without_a_query(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/accounts/healthz")
    assert response.status_code == 200
    assert response.content == b"ok"
