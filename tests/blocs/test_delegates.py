"""An agency's head names and removes the people who may submit its
self-assessment; only for its own agency."""

from __future__ import annotations

import pytest
from django.urls import reverse

from blocs.models import AssessmentDelegation
from blocs.services import delegation_grant
from emulation.enums import AgencyRole
from emulation.models import AuditEvent
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_the_head_removes_a_delegate(cast, window, login):
    delegation_grant(actor=cast.head, assessment=window.assessment, delegate=cast.officer)
    client = login(cast.head)
    page = client.get(reverse("blocs:assessment_detail", args=[window.assessment.pk]))
    assert reverse("blocs:delegation_revoke", args=[window.assessment.pk]) in page.content.decode()

    response = client.post(
        reverse("blocs:delegation_revoke", args=[window.assessment.pk]),
        {"delegate": cast.officer.pk},
    )

    assert response.status_code == 302
    assert not AssessmentDelegation.objects.exists()
    assert not cast.officer.has_perm("blocs.submit_assessment", window.assessment)
    assert AuditEvent.objects.filter(action="assessment.delegate_revoke").count() == 1


def test_only_the_own_head_manages_delegates(cast, window, login):
    delegation_grant(actor=cast.head, assessment=window.assessment, delegate=cast.officer)
    url = reverse("blocs:delegation_revoke", args=[window.assessment.pk])
    data = {"delegate": cast.officer.pk}

    assert login(cast.officer).post(url, data).status_code == 403
    assert login(cast.secretariat_head).post(url, data).status_code == 403
    assert login(cast.outsider).post(url, data).status_code == 404
    assert login(cast.head).get(url).status_code == 405
    assert AssessmentDelegation.objects.count() == 1


def test_a_head_cannot_name_a_delegate_of_another_agency(cast, window, login):
    url = reverse("blocs:delegation_grant", args=[window.assessment.pk])
    login(cast.head).post(url, {"delegate": cast.secretariat.pk})
    assert not AssessmentDelegation.objects.exists()


def test_removing_someone_not_delegated_changes_nothing(cast, window, login):
    other = UserFactory(agency=cast.member.agency, agency_role=AgencyRole.OFFICER)
    delegation_grant(actor=cast.head, assessment=window.assessment, delegate=cast.officer)
    response = login(cast.head).post(
        reverse("blocs:delegation_revoke", args=[window.assessment.pk]), {"delegate": other.pk}
    )
    assert response.status_code == 302
    assert AssessmentDelegation.objects.count() == 1
