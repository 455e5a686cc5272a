"""Messages still work for the admin although their storage is built lazily."""

import pytest

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.api.urls")]


def test_message_survives_to_next_request(client):
    client.get("/test/add-message")
    assert client.get("/test/read-messages").json() == {"messages": ["saved-ok"]}
    assert client.get("/test/read-messages").json() == {"messages": []}


def test_api_request_sets_no_message_cookie(client):
    response = client.get("/test/read-messages")
    assert "messages" not in response.cookies
