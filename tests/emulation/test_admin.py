import pytest


@pytest.mark.parametrize(
    "who", ["secretariat", "officer", "head", "outsider", "council", "other_council"]
)
def test_admin_is_closed_to_everyone_but_superusers(cast, login, who):
    response = login(getattr(cast, who)).get("/admin/")

    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_admin_is_open_to_superusers_in_vietnamese(cast, login):
    response = login(cast.admin).get("/admin/")

    assert response.status_code == 200
    assert "Quản trị" in response.content.decode()


def test_admin_pages_of_every_model_open(cast, login):
    client = login(cast.admin)
    for url in (
        "/admin/emulation/user/",
        "/admin/blocs/agency/",
        "/admin/blocs/bloc/",
        "/admin/blocs/blocyear/",
        f"/admin/blocs/blocyear/{cast.bloc_year.pk}/change/",
        "/admin/blocs/emulationyear/",
        "/admin/blocs/agencylineage/",
        "/admin/blocs/province/",
    ):
        assert client.get(url).status_code == 200, url
