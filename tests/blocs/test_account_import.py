"""Excel import of agencies' users: every row's error in the preview, nothing
written unless the whole file is valid; every row then gets an invitation."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from blocs.importers import accounts as account_importer
from blocs.selectors import agencies_visible_to
from emulation.models import AuditEvent, User
from tests.blocs.test_import_organisation import xlsx
from tests.factories import AgencyFactory

pytestmark = pytest.mark.django_db

HEADER = ["Họ và tên", "Thư điện tử", "Mã cơ quan", "Vai trò"]
SITE = "http://testserver/"


def test_import_invites_every_row(cast, mailoutbox, django_capture_on_commit_callbacks):
    data = xlsx(
        HEADER,
        [
            ["Phạm Văn An", "an@example.vn", "mem", "Cán bộ thi đua"],
            ["Đỗ Thị Bình", "Binh@Example.vn", "LEAD", "Thủ trưởng"],
        ],
    )
    with django_capture_on_commit_callbacks(execute=True):
        result = account_importer.run(
            data, actor=cast.council, agencies=agencies_visible_to(cast.council), site_url=SITE
        )

    assert result.ok and result.written == 2
    binh = User.objects.get(email="binh@example.vn")
    assert (binh.agency, binh.agency_role, binh.invitation_pending) == (
        cast.leader.agency,
        "head",
        True,
    )
    assert sorted(m.to[0] for m in mailoutbox) == ["an@example.vn", "binh@example.vn"]
    assert AuditEvent.objects.filter(action="user.invite").count() == 2


def test_import_with_a_bad_row_writes_nothing_and_says_why(cast, mailoutbox):
    far = AgencyFactory(province=cast.other_council.province, code="xa")
    cast.officer.email = "mem@example.vn"
    cast.officer.save()
    before = User.objects.count()
    data = xlsx(
        HEADER,
        [
            ["Tốt", "tot@example.vn", "mem", "Cán bộ thi đua"],
            ["Sai thư", "khong-phai-thu", "mem", "Cán bộ thi đua"],
            ["Trùng", "tot@example.vn", "mem", "Thủ trưởng"],
            ["Đã có", "mem@example.vn", "mem", "Thủ trưởng"],
            ["Tỉnh khác", "xa@example.vn", far.code, "Thủ trưởng"],
            ["Vai trò lạ", "la@example.vn", "mem", "Giám đốc"],
        ],
    )
    result = account_importer.run(
        data, actor=cast.council, agencies=agencies_visible_to(cast.council), site_url=SITE
    )

    assert not result.ok
    assert User.objects.count() == before and mailoutbox == []
    errors = {row.number: " ".join(row.errors) for row in result.rows}
    assert errors[2] == ""
    assert "không phải là địa chỉ thư điện tử" in errors[3]
    assert "xuất hiện hai lần" in errors[4]
    assert "Đã có tài khoản" in errors[5]
    assert "Không có cơ quan mã" in errors[6]
    assert errors[7]


def test_import_page_previews_then_confirms(
    cast, login, mailoutbox, django_capture_on_commit_callbacks
):
    client = login(cast.council)
    data = xlsx(HEADER, [["Phạm Văn An", "an@example.vn", "mem", "Cán bộ thi đua"]])
    upload = SimpleUploadedFile("users.xlsx", data)
    preview = client.post(reverse("blocs:account_import"), {"file": upload})
    assert preview.status_code == 200
    assert "an@example.vn" in preview.content.decode()
    assert not User.objects.filter(email="an@example.vn").exists()

    token = preview.context["token"]
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(reverse("blocs:account_import"), {"token": token})
    assert done.status_code == 302
    assert User.objects.get(email="an@example.vn").invitation_pending
    assert len(mailoutbox) == 1


def test_import_page_is_for_council_staff(cast, login):
    assert login(cast.head).get(reverse("blocs:account_import")).status_code == 403
    assert login(cast.council).get(reverse("blocs:account_import")).status_code == 200
    assert login(cast.council).put(reverse("blocs:account_import")).status_code == 405
