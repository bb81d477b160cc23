import datetime

from blocs import services
from blocs.models import Registration
from tests.factories.registration import MovementFactory, RegistrationTargetFactory


def test_start_of_year_admin_pages_open_read_only(cast, login):
    MovementFactory(actor=cast.council, province=cast.province)
    RegistrationTargetFactory(actor=cast.officer, membership=cast.member, indicator="Chỉ tiêu")
    covenant = services.covenant_save(
        actor=cast.secretariat,
        bloc_year=cast.bloc_year,
        signed_on=datetime.date(2023, 2, 20),
        place="An Phú",
        content="Nội dung",
    )
    document = services.covenant_issue_document(actor=cast.secretariat, covenant=covenant)
    registration = Registration.objects.get()
    client = login(cast.admin)

    for url in (
        "/admin/blocs/movement/",
        "/admin/blocs/covenant/",
        "/admin/blocs/registration/",
        f"/admin/blocs/registration/{registration.pk}/change/",
        "/admin/emulation/issueddocument/",
        f"/admin/emulation/issueddocument/{document.pk}/change/",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
    assert client.get("/admin/blocs/movement/add/").status_code == 403
