"""The permission matrix: every named URL of the site (the admin excepted, it is
superuser-only and tested in tests/emulation/test_admin.py) × every role →
the expected category of answer, on the demo data set.

Roles (columns, in this order): anonymous; the officer of an agency outside
the bloc ("outsider"); the officer of another member agency, not the object's
owner ("peer", sngv); the owner's officer and head (stp); the province's
council staff; the secretariat (the officer of the bloc-year's leading agency);
the superuser. Categories: "login" (redirect to the login page), "ok" (2xx, or
a redirect elsewhere: a POST that succeeded or refused with a message), "403",
"404", "405". A 500 is never expected.

Each URL is requested with its method: GET, or for a POST-only URL a POST with
empty data (and a GET by the secretariat and superuser must then give 405).
Every request is rolled back, so one role's successful POST never changes what
the next sees. A URL missing from EXPECTED fails with its name.
"""

from __future__ import annotations

import os
import time

import pytest
from django.db import transaction
from django.test import Client, override_settings
from django.urls import reverse

from tests.demo import load_demo
from tests.permission_matrix import ROLES, named_urls, request_as
from tests.permission_matrix.targets import TARGETS
from tests.permission_matrix.world import build_world


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """Seed the demo once for the module inside a transaction rolled back at the
    end (so other modules never see it); files go to a temporary MEDIA_ROOT."""
    media = tmp_path_factory.mktemp("perm-media")
    storages = {
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": media},
        },
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    with (
        override_settings(
            MEDIA_ROOT=media,
            STORAGES=storages,
            LANGUAGE_CODE="vi",
            PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        ),
        django_db_blocker.unblock(),
    ):
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            started = time.monotonic()
            load_demo()
            built = build_world()
            print(f"\nThe demo for the permission matrix: {time.monotonic() - started:.1f} s")
            yield built
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture(autouse=True)
def _media_root():
    """The module's MEDIA_ROOT (set by `world`) stays: the demo's files live there."""


def url_of(name, w):
    year, kwargs = TARGETS[name]
    return year, reverse(name, kwargs=kwargs(w.o))


# Who may do what. Columns: anonymous, outsider (an agency outside the bloc),
# peer (another member, sngv), officer and head of the owner (stp), council
# staff of the province, council staff of another province (council2), the
# bloc-year's secretariat, the superuser.
#
# Read as policy, a few patterns:
# - an agency's own drafts (self-assessment, evidence, registration, progress)
#   are seen by its own staff, the secretariat and the council, never by a peer
#   or an outsider (404); only its own staff change them (others 403);
# - bloc-level pages are for the bloc's members, the council and the superuser;
#   outsiders and other provinces get 404 (the bloc-year does not exist for them);
# - the running of the year (review, conference, polls, documents, proposal) is
#   the secretariat's; the council's are the province set-up, facts, rules,
#   receiving proposals and decisions;
# - the superuser administers, but casts no ballot, counts no paper ballots and
#   runs no conference (403), and, having no province, launches no movement and
#   imports no province's award history (403);
# - GET-only pages answer 405 to any POST (even anonymous: the method is checked
#   before the login);
# - the API's data answers only a client's token, never a session: 401 to every
#   role (its clients, scopes and methods are tested in tests/api/); its schema
#   and docs hold no data and are open to all.
EXPECTED = {
    "api:agencies": {
        "GET": "401   401   401   401   401   401   401   401   401",
        "POST": "401   401   401   401   401   401   401   401   401",
    },
    "api:award_records": {
        "GET": "401   401   401   401   401   401   401   401   401",
        "POST": "401   401   401   401   401   401   401   401   401",
    },
    "api:bloc_years": {
        "GET": "401   401   401   401   401   401   401   401   401",
        "POST": "401   401   401   401   401   401   401   401   401",
    },
    "api:blocs": {
        "GET": "401   401   401   401   401   401   401   401   401",
        "POST": "401   401   401   401   401   401   401   401   401",
    },
    "api:decisions": {
        "GET": "401   401   401   401   401   401   401   401   401",
        "POST": "401   401   401   401   401   401   401   401   401",
    },
    "api:poll_results": {
        "GET": "401   401   401   401   401   401   401   401   401",
        "POST": "401   401   401   401   401   401   401   401   401",
    },
    "api:proposals": {
        "GET": "401   401   401   401   401   401   401   401   401",
        "POST": "401   401   401   401   401   401   401   401   401",
    },
    "api:rankings": {
        "GET": "401   401   401   401   401   401   401   401   401",
        "POST": "401   401   401   401   401   401   401   401   401",
    },
    "api:docs": {
        "GET": "ok    ok    ok    ok    ok    ok    ok    ok    ok",
        "POST": "405   405   405   405   405   405   405   405   405",
    },
    "api:schema": {
        "GET": "ok    ok    ok    ok    ok    ok    ok    ok    ok",
        "POST": "405   405   405   405   405   405   405   405   405",
    },
    "awards:agency_profile": {
        "GET": "login 404   404   ok    ok    ok    404   404   ok",
    },
    "awards:attendance_authorisation": {
        "GET": "login 404   403   403   403   403   404   ok    403",
    },
    "awards:attendance_edit": {
        "GET": "login 404   403   403   403   403   404   ok    403",
        "POST": "login 404   403   403   403   403   404   ok    403",
    },
    "awards:award_rule_edit": {
        "GET": "login 403   403   403   403   403   403   403   ok",
        "POST": "login 403   403   403   403   403   403   403   ok",
    },
    "awards:candidate_add": {
        "POST": "login 404   403   403   403   403   404   ok    403",
    },
    "awards:candidate_remove": {
        "POST": "login 404   403   403   403   403   404   ok    403",
    },
    "awards:council_dashboard": {
        "GET": "login 403   403   403   403   ok    ok    403   ok",
    },
    "awards:council_inbox": {
        "GET": "login 403   403   403   403   ok    ok    403   ok",
    },
    "awards:council_statistics_export": {
        "GET": "login 403   403   403   403   ok    ok    403   ok",
    },
    "awards:council_numbers": {
        "GET": "login 403   403   403   403   ok    ok    403   ok",
    },
    "awards:government_flag": {
        "GET": "login 403   403   403   403   ok    ok    403   ok",
        "POST": "login 403   403   403   403   ok    ok    403   ok",
    },
    "awards:what_if": {
        "GET": "login 403   403   403   403   ok    ok    403   ok",
        "POST": "login 403   403   403   403   ok    ok    403   ok",
    },
    "awards:counter_add": {
        "POST": "login 404   403   403   403   403   404   ok    403",
    },
    "awards:counter_remove": {
        "POST": "login 404   403   403   403   403   404   ok    403",
    },
    "awards:decision_create": {
        "POST": "login 404   403   403   403   ok    404   403   ok",
    },
    "awards:decision_scan": {
        "GET": "login 404   ok    ok    ok    ok    404   ok    ok",
    },
    "awards:decision_scan_upload": {
        "POST": "login 404   403   403   403   ok    404   403   ok",
    },
    "awards:disqualification_create": {
        "POST": "login 404   403   403   403   ok    404   403   ok",
    },
    "awards:disqualification_end": {
        "POST": "login 404   403   403   403   ok    404   403   ok",
    },
    "awards:document_draft_download": {
        "GET": "login 404   403   403   403   403   404   ok    ok",
    },
    "awards:document_issue": {
        "POST": "login 404   403   403   403   403   404   ok    ok",
    },
    "awards:document_list": {
        "GET": "login 404   ok    ok    ok    ok    404   ok    ok",
    },
    "awards:dossier_export_start": {
        "POST": "login 404   403   403   403   403   404   ok    ok",
    },
    "awards:dossier_export_detail": {
        "GET": "login 404   ok    ok    ok    ok    404   ok    ok",
    },
    "awards:dossier_export_download": {
        "GET": "login 404   ok    ok    ok    ok    404   ok    ok",
    },
    "awards:document_preview": {
        "GET": "login 404   403   403   403   403   404   ok    ok",
    },
    "awards:eligibility": {
        "GET": "login 404   ok    ok    ok    ok    404   ok    ok",
    },
    "awards:leading_choice": {
        "POST": "login 404   403   403   403   403   404   ok    403",
    },
    "awards:facts_grid": {
        "GET": "login 404   403   403   403   ok    404   403   ok",
        "POST": "login 404   403   403   403   ok    404   403   ok",
    },
    "awards:facts_import": {
        "GET": "login 404   403   403   403   ok    404   403   ok",
        "POST": "login 404   403   403   403   ok    404   403   ok",
    },
    "awards:history_import": {
        "GET": "login 403   403   403   403   ok    ok    403   403",
        "POST": "login 403   403   403   403   ok    ok    403   403",
    },
    "awards:meeting_detail": {
        "GET": "login 404   ok    ok    ok    ok    404   ok    ok",
    },
    "awards:meeting_edit": {
        "GET": "login 404   403   403   403   403   404   ok    403",
        "POST": "login 404   403   403   403   403   404   ok    403",
    },
    "awards:meeting_screen": {
        "GET": "login 404   403   403   403   403   404   ok    403",
    },
    "awards:meeting_screen_live": {
        "GET": "login 404   403   403   403   403   404   ok    403",
    },
    "awards:meeting_start": {
        "GET": "login 404   ok    ok    ok    ok    404   ok    ok",
        "POST": "login 404   ok    ok    ok    ok    404   ok    ok",
    },
    "awards:narrative_edit": {
        "GET": "login 404   403   403   403   403   404   ok    ok",
        "POST": "login 404   403   403   403   403   404   ok    ok",
    },
    "awards:next_leadership": {
        "GET": "login 404   403   403   403   403   404   ok    403",
        "POST": "login 404   403   403   403   403   404   ok    403",
    },
    "awards:paper_count": {
        "GET": "login 404   404   404   403   403   404   403   403",
        "POST": "login 404   404   404   403   403   404   403   403",
    },
    "awards:poll_add": {
        "POST": "login 404   403   403   403   403   404   ok    403",
    },
    "awards:poll_cancel": {
        "POST": "login 404   403   403   403   403   404   ok    403",
    },
    "awards:poll_close": {
        "POST": "login 404   403   403   403   403   404   ok    403",
    },
    "awards:poll_ballots": {
        "GET": "login 404   403   403   403   403   404   ok    403",
    },
    "awards:poll_detail": {
        "GET": "login 404   ok    ok    ok    ok    404   ok    ok",
    },
    "awards:poll_open": {
        "POST": "login 404   403   403   403   403   404   ok    403",
    },
    "awards:poll_progress": {
        "GET": "login 404   ok    ok    ok    ok    404   ok    ok",
    },
    "awards:poll_publish": {
        "POST": "login 404   403   403   403   403   404   ok    403",
    },
    "awards:poll_receipts": {
        "GET": "login 404   403   403   403   403   404   403   403",
    },
    "awards:poll_runoff": {
        "POST": "login 404   403   403   403   403   404   ok    403",
    },
    "awards:poll_settings": {
        "POST": "login 404   403   403   403   403   404   ok    403",
    },
    "awards:poll_vote": {
        "GET": "login 404   403   403   ok    403   404   403   403",
        "POST": "login 404   403   403   ok    403   404   403   403",
    },
    "awards:proposal_approve": {
        "POST": "login 404   403   403   403   ok    404   403   ok",
    },
    "awards:proposal_detail": {
        "GET": "login 404   ok    ok    ok    ok    404   ok    ok",
    },
    "awards:proposal_edit": {
        "POST": "login 404   403   403   403   403   404   ok    403",
    },
    "awards:proposal_item_remove": {
        "POST": "login 404   403   403   403   403   404   ok    403",
    },
    "awards:proposal_receive": {
        "POST": "login 404   403   403   403   ok    404   403   ok",
    },
    "awards:proposal_refresh": {
        "POST": "login 404   403   403   403   403   404   ok    403",
    },
    "awards:proposal_return": {
        "POST": "login 404   403   403   403   ok    404   403   ok",
    },
    "awards:proposal_start": {
        "GET": "login 404   ok    ok    ok    ok    404   ok    ok",
        "POST": "login 404   403   403   403   403   404   ok    403",
    },
    "awards:proposal_submit": {
        "POST": "login 404   403   403   403   403   404   ok    403",
    },
    "awards:public_results": {
        "GET": "ok    ok    ok    ok    ok    ok    ok    ok    ok",
    },
    "awards:result_override": {
        "POST": "login 404   403   403   403   403   404   ok    403",
    },
    "awards:results_publication_toggle": {
        "POST": "login 403   403   403   403   ok    ok    403   ok",
    },
    "awards:rule_set_copy": {
        "GET": "login 403   403   403   403   ok    ok    403   ok",
        "POST": "login 403   403   403   403   ok    ok    403   ok",
    },
    "awards:rule_set_detail": {
        "GET": "login 403   403   403   403   ok    ok    403   ok",
    },
    "awards:rule_set_list": {
        "GET": "login 403   403   403   403   ok    ok    403   ok",
    },
    "blocs:agency_create": {
        "GET": "login 403   403   403   403   ok    ok    403   ok",
        "POST": "login 403   403   403   403   ok    ok    403   ok",
    },
    "blocs:agency_edit": {
        "GET": "login 403   403   403   403   ok    404   403   ok",
        "POST": "login 403   403   403   403   ok    404   403   ok",
    },
    "blocs:agency_export": {
        "GET": "login 403   403   403   403   ok    ok    403   ok",
    },
    "blocs:agency_import": {
        "GET": "login 403   403   403   403   ok    ok    403   ok",
        "POST": "login 403   403   403   403   ok    ok    403   ok",
    },
    "blocs:agency_lineage_add": {
        "POST": "login 403   403   403   403   ok    404   403   ok",
    },
    "blocs:agency_lineage_remove": {
        "POST": "login 403   403   403   403   ok    404   403   ok",
    },
    "blocs:agency_list": {
        "GET": "login 403   403   403   403   ok    ok    403   ok",
    },
    "blocs:assessment_detail": {
        "GET": "login 404   404   ok    ok    ok    404   ok    ok",
    },
    "blocs:assessment_overview": {
        "GET": "login 404   403   403   403   ok    404   ok    ok",
    },
    "blocs:assessment_progress_export": {
        "GET": "login 404   403   403   403   ok    404   ok    ok",
    },
    "blocs:assessment_print": {
        "GET": "login 404   404   ok    ok    ok    404   ok    ok",
    },
    "blocs:assessment_report_download": {
        "GET": "login 404   404   ok    ok    ok    404   ok    ok",
    },
    "blocs:assessment_reopen": {
        "POST": "login 404   404   403   403   403   404   ok    403",
    },
    "blocs:assessment_remind": {
        "POST": "login 404   404   403   403   403   404   ok    403",
    },
    "blocs:assessment_return": {
        "POST": "login 404   404   403   403   403   404   ok    403",
    },
    "blocs:assessment_submit": {
        "POST": "login 404   404   403   ok    403   404   403   403",
    },
    "blocs:bloc_create": {
        "GET": "login 403   403   403   403   ok    ok    403   ok",
        "POST": "login 403   403   403   403   ok    ok    403   ok",
    },
    "blocs:bloc_edit": {
        "GET": "login 403   403   403   403   ok    404   403   ok",
        "POST": "login 403   403   403   403   ok    404   403   ok",
    },
    "blocs:province_vocabulary": {
        "GET": "login 403   403   403   403   ok    404   403   ok",
        "POST": "login 403   403   403   403   ok    404   403   ok",
    },
    "blocs:bloc_list": {
        "GET": "login 403   403   403   403   ok    ok    403   ok",
    },
    "blocs:bloc_year_carry_forward": {
        "GET": "login 404   403   403   403   ok    404   ok    ok",
        "POST": "login 404   403   403   403   ok    404   ok    ok",
    },
    "blocs:bloc_year_step": {
        "POST": "login 404   403   403   403   ok    404   ok    ok",
    },
    "blocs:deadline_extend": {
        "POST": "login 404   403   403   403   ok    404   403   ok",
    },
    "blocs:deadline_extension_withdraw": {
        "POST": "login 404   403   403   403   ok    404   403   ok",
    },
    "blocs:bloc_year_create": {
        "GET": "login 403   403   403   403   ok    ok    403   ok",
        "POST": "login 403   403   403   403   ok    ok    403   ok",
    },
    "blocs:bloc_year_detail": {
        "GET": "login 404   ok    ok    ok    ok    404   ok    ok",
    },
    "blocs:bloc_year_phase_history": {
        "GET": "login 404   ok    ok    ok    ok    404   ok    ok",
    },
    "blocs:bloc_year_list": {
        "GET": "login ok    ok    ok    ok    ok    ok    ok    ok",
    },
    "blocs:bloc_year_movement_drop": {
        "POST": "login 404   403   403   403   403   404   ok    403",
    },
    "blocs:bloc_year_movement_take_up": {
        "POST": "login 404   403   403   403   403   404   ok    403",
    },
    "blocs:bloc_year_movements": {
        "GET": "login 404   ok    ok    ok    ok    404   ok    ok",
    },
    "blocs:covenant_detail": {
        "GET": "login 404   ok    ok    ok    ok    404   ok    ok",
    },
    "blocs:covenant_edit": {
        "GET": "login 404   403   403   403   403   404   ok    403",
        "POST": "login 404   403   403   403   403   404   ok    403",
    },
    "blocs:covenant_issue": {
        "POST": "login 404   403   403   403   403   404   ok    403",
    },
    "blocs:covenant_preview": {
        "GET": "login 404   ok    ok    ok    ok    404   ok    ok",
    },
    "blocs:covenant_scan": {
        "GET": "login 404   ok    ok    ok    ok    404   ok    ok",
    },
    "blocs:covenant_sign": {
        "POST": "login 404   403   403   403   403   404   ok    403",
    },
    "blocs:criterion_create": {
        "GET": "login 403   403   403   403   ok    404   403   ok",
        "POST": "login 403   403   403   403   ok    404   403   ok",
    },
    "blocs:criterion_delete": {
        "POST": "login 403   403   403   403   ok    404   403   ok",
    },
    "blocs:criterion_edit": {
        "GET": "login 403   403   403   403   ok    404   403   ok",
        "POST": "login 403   403   403   403   ok    404   403   ok",
    },
    "blocs:delegation_grant": {
        "POST": "login 404   404   403   ok    403   404   403   403",
    },
    "blocs:delegation_revoke": {
        "POST": "login 404   404   403   ok    403   404   403   403",
    },
    "blocs:account_list": {
        "GET": "login 403   403   403   403   ok    ok    403   ok",
    },
    "blocs:account_invite": {
        "GET": "login 403   403   403   403   ok    ok    403   ok",
        "POST": "login 403   403   403   403   ok    ok    403   ok",
    },
    "blocs:account_import": {
        "GET": "login 403   403   403   403   ok    ok    403   ok",
        "POST": "login 403   403   403   403   ok    ok    403   ok",
    },
    "blocs:account_active": {
        "POST": "login 403   403   403   403   ok    404   403   ok",
    },
    "blocs:account_role": {
        "POST": "login 403   403   403   403   ok    404   403   ok",
    },
    "blocs:account_invite_again": {
        "POST": "login 403   403   403   403   ok    404   403   ok",
    },
    "blocs:account_second_factor_reset": {
        "POST": "login 403   403   403   403   ok    404   403   ok",
    },
    "blocs:dispute_create": {
        "GET": "login 404   404   403   403   403   404   403   403",
        "POST": "login 404   404   403   403   403   404   403   403",
    },
    "blocs:dispute_evidence": {
        "GET": "login 404   404   ok    ok    ok    404   ok    ok",
    },
    "blocs:dispute_resolve": {
        "POST": "login 404   404   403   403   403   404   ok    403",
    },
    "blocs:evidence_delete": {
        "POST": "login 404   404   ok    ok    403   404   403   403",
    },
    "blocs:evidence_download": {
        "GET": "login 404   404   ok    ok    ok    404   ok    ok",
    },
    "blocs:evidence_upload": {
        "POST": "login 404   404   ok    ok    403   404   403   403",
    },
    "blocs:group_create": {
        "POST": "login 403   403   403   403   ok    404   403   ok",
    },
    "blocs:group_delete": {
        "POST": "login 403   403   403   403   ok    404   403   ok",
    },
    "blocs:group_edit": {
        "GET": "login 403   403   403   403   ok    404   403   ok",
        "POST": "login 403   403   403   403   ok    404   403   ok",
    },
    "blocs:item_save": {
        "POST": "login 404   404   ok    ok    403   404   403   403",
    },
    "blocs:membership_add": {
        "POST": "login 404   403   403   403   ok    404   ok    ok",
    },
    "blocs:membership_export": {
        "GET": "login 403   403   403   403   ok    ok    403   ok",
    },
    "blocs:membership_import": {
        "GET": "login 403   403   403   403   ok    ok    403   ok",
        "POST": "login 403   403   403   403   ok    ok    403   ok",
    },
    "blocs:membership_remove": {
        "POST": "login 404   403   403   403   ok    404   ok    ok",
    },
    "blocs:membership_update": {
        "POST": "login 404   403   403   403   ok    404   ok    ok",
    },
    "blocs:movement_create": {
        "GET": "login 403   403   403   403   ok    ok    403   403",
        "POST": "login 403   403   403   403   ok    ok    403   403",
    },
    "blocs:movement_document": {
        "GET": "login ok    ok    ok    ok    ok    404   ok    ok",
    },
    "blocs:movement_edit": {
        "GET": "login 403   403   403   403   ok    404   403   ok",
        "POST": "login 403   403   403   403   ok    404   403   ok",
    },
    "blocs:movement_list": {
        "GET": "login ok    ok    ok    ok    ok    ok    ok    ok",
    },
    "blocs:my_assessment": {
        "GET": "login 404   ok    ok    ok    ok    404   ok    ok",
    },
    "blocs:my_registration": {
        "GET": "login 404   ok    ok    ok    ok    404   ok    ok",
    },
    "blocs:progress_report": {
        "GET": "login 404   404   ok    ok    403   404   403   403",
        "POST": "login 404   404   ok    ok    403   404   403   403",
    },
    "blocs:progress_summary": {
        "GET": "login 404   403   403   403   ok    404   ok    ok",
    },
    "blocs:criterion_scores_export": {
        "GET": "login 404   403   403   403   ok    404   ok    ok",
    },
    "blocs:ranking": {
        "GET": "login 404   ok    ok    ok    ok    404   ok    ok",
    },
    "blocs:ranking_export": {
        "GET": "login 404   ok    ok    ok    ok    404   ok    ok",
    },
    "blocs:ranking_publish": {
        "POST": "login 404   403   403   403   403   404   ok    403",
    },
    "blocs:registration_award_types": {
        "POST": "login 404   404   ok    ok    403   404   403   403",
    },
    "blocs:registration_detail": {
        "GET": "login 404   404   ok    ok    ok    404   ok    ok",
    },
    "blocs:registration_overview": {
        "GET": "login 404   403   403   403   ok    404   ok    ok",
    },
    "blocs:registration_remind": {
        "POST": "login 404   403   403   403   403   404   ok    403",
    },
    "blocs:registration_reopen": {
        "POST": "login 404   404   403   403   403   404   ok    403",
    },
    "blocs:registration_submit": {
        "POST": "login 404   404   403   ok    403   404   403   403",
    },
    "blocs:registration_target_add": {
        "POST": "login 404   404   ok    ok    403   404   403   403",
    },
    "blocs:registration_target_remove": {
        "POST": "login 404   404   ok    ok    403   404   403   403",
    },
    "blocs:report_save": {
        "POST": "login 404   404   ok    ok    403   404   403   403",
    },
    "blocs:review_reopen": {
        "POST": "login 404   404   403   403   ok    404   ok    ok",
    },
    "blocs:review_assessment": {
        "GET": "login 404   404   ok    ok    ok    404   ok    ok",
        "POST": "login 404   404   403   403   403   404   403   403",
    },
    "blocs:review_assignment_change": {
        "POST": "login 404   403   403   403   403   404   ok    403",
    },
    "blocs:review_assignment_generate": {
        "POST": "login 404   403   403   403   403   404   ok    403",
    },
    "blocs:review_evidence": {
        "GET": "login 404   404   ok    ok    ok    404   ok    ok",
    },
    "blocs:review_lock": {
        "POST": "login 404   403   403   403   403   404   ok    403",
    },
    "blocs:review_overview": {
        "GET": "login 404   ok    ok    ok    ok    404   ok    ok",
    },
    "blocs:review_release": {
        "POST": "login 404   403   403   403   403   404   ok    403",
    },
    "blocs:review_settings": {
        "POST": "login 404   403   403   403   403   404   ok    403",
    },
    "blocs:review_start": {
        "POST": "login 404   403   403   403   403   404   ok    403",
    },
    "blocs:review_unlock": {
        "POST": "login 404   403   403   403   ok    404   403   ok",
    },
    "blocs:scoring_table_copy": {
        "POST": "login 403   403   403   403   ok    404   403   ok",
    },
    "blocs:scoring_table_create": {
        "POST": "login 403   403   403   403   ok    ok    403   ok",
    },
    "blocs:scoring_table_detail": {
        "GET": "login 403   403   403   403   ok    404   403   ok",
    },
    "blocs:scoring_table_export": {
        "GET": "login 403   403   403   403   ok    404   403   ok",
    },
    "blocs:scoring_table_import": {
        "GET": "login 403   403   403   403   ok    ok    403   ok",
        "POST": "login 403   403   403   403   ok    ok    403   ok",
    },
    "blocs:scoring_table_list": {
        "GET": "login 403   403   403   403   ok    ok    403   ok",
    },
    "blocs:self_assessment_open": {
        "POST": "login 404   403   403   403   ok    404   ok    ok",
    },
    "blocs:year_create": {
        "GET": "login 403   403   403   403   ok    ok    403   ok",
        "POST": "login 403   403   403   403   ok    ok    403   ok",
    },
    "blocs:year_edit": {
        "GET": "login 403   403   403   403   ok    404   403   ok",
        "POST": "login 403   403   403   403   ok    404   403   ok",
    },
    "documents:issued_document_detail": {
        "GET": "login 404   ok    ok    ok    ok    404   ok    ok",
    },
    "documents:issued_document_download": {
        "GET": "login 404   ok    ok    ok    ok    404   ok    ok",
    },
    "healthz": {
        "GET": "ok    ok    ok    ok    ok    ok    ok    ok    ok",
    },
    "home": {
        "GET": "login ok    ok    ok    ok    ok    ok    ok    ok",
    },
    "login": {
        "GET": "ok    ok    ok    ok    ok    ok    ok    ok    ok",
        "POST": "ok    ok    ok    ok    ok    ok    ok    ok    ok",
    },
    "logout": {
        "POST": "login login login login login login login login login",
    },
    "login_locks": {
        "GET": "login 403   403   403   403   ok    ok    403   ok",
    },
    "login_lock_lift": {
        "POST": "login 403   403   403   403   ok    ok    403   ok",
    },
    "notification_list": {
        "GET": "login ok    ok    ok    ok    ok    ok    ok    ok",
    },
    "notification_open": {
        "POST": "login 404   404   ok    404   404   404   404   404",
    },
    "notification_read_all": {
        "POST": "login ok    ok    ok    ok    ok    ok    ok    ok",
    },
    "email_choices": {
        "GET": "login ok    ok    ok    ok    ok    ok    ok    ok",
        "POST": "login ok    ok    ok    ok    ok    ok    ok    ok",
    },
    "password_change": {
        "GET": "login ok    ok    ok    ok    ok    ok    ok    ok",
        "POST": "login ok    ok    ok    ok    ok    ok    ok    ok",
    },
    "password_change_done": {
        "GET": "login ok    ok    ok    ok    ok    ok    ok    ok",
    },
    "password_reset": {
        "GET": "ok    ok    ok    ok    ok    ok    ok    ok    ok",
        "POST": "ok    ok    ok    ok    ok    ok    ok    ok    ok",
    },
    "password_reset_done": {
        "GET": "ok    ok    ok    ok    ok    ok    ok    ok    ok",
    },
    "password_reset_confirm": {
        "GET": "ok    ok    ok    ok    ok    ok    ok    ok    ok",
        "POST": "ok    ok    ok    ok    ok    ok    ok    ok    ok",
    },
    "password_reset_complete": {
        "GET": "ok    ok    ok    ok    ok    ok    ok    ok    ok",
    },
    "invitation_accept": {
        "GET": "404   404   404   404   404   404   404   404   404",
        "POST": "404   404   404   404   404   404   404   404   404",
    },
    "two_factor_login": {
        "GET": "login ok    ok    ok    ok    ok    ok    ok    ok",
        "POST": "login ok    ok    ok    ok    ok    ok    ok    ok",
    },
    "two_factor_enrol": {
        "GET": "login ok    ok    ok    ok    ok    ok    ok    ok",
        "POST": "login ok    ok    ok    ok    ok    ok    ok    ok",
    },
    "two_factor_recovery_codes": {
        "GET": "login 404   404   404   404   404   404   404   404",
    },
    "two_factor_recovery_codes_done": {
        "POST": "login ok    ok    ok    ok    ok    ok    ok    ok",
    },
}


def _row(text: str) -> dict[str, str]:
    cells = text.split()
    assert len(cells) == len(ROLES), f"a matrix row needs {len(ROLES)} cells: {text!r}"
    return dict(zip(ROLES, cells, strict=True))


def test_every_url_is_in_the_matrix():
    """A new URL fails here, named, until someone decides who may use it."""
    urls = set(named_urls())
    missing = sorted(urls - set(EXPECTED))
    assert not missing, f"URLs the permission matrix does not list: {missing}"
    stale = sorted(set(EXPECTED) - urls)
    assert not stale, f"The permission matrix lists URLs that no longer exist: {stale}"
    assert set(EXPECTED) == set(TARGETS)
    cases = sum(len(methods) for methods in EXPECTED.values()) * len(ROLES)
    get_405 = sum(
        list(_row(m["POST"]).values()).count("ok") for m in EXPECTED.values() if set(m) == {"POST"}
    )
    print(
        f"\npermission matrix: {len(EXPECTED)} URLs, {cases} URL x role cases, {get_405} GET->405"
    )


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_permission_matrix(name, world, client):
    year, url = url_of(name, world)
    wrong = []
    for method, text in EXPECTED[name].items():
        for role, expected in _row(text).items():
            outcome = request_as(client, world.user(year, role), method, url)
            wrong.extend(f"{method} as {role}: {p}" for p in outcome.header_problems)
            if outcome.category != expected:
                wrong.append(
                    f"{method} as {role}: expected {expected}, got {outcome.category} "
                    f"{outcome.detail}".rstrip()
                )
            if method == "POST" and set(EXPECTED[name]) == {"POST"} and expected == "ok":
                # POST-only: the people who may POST get 405 on GET.
                got = request_as(client, world.user(year, role), "GET", url)
                if got.category != "405":
                    wrong.append(f"GET as {role} (POST only): expected 405, got {got.category}")
    assert not wrong, f"{name} ({url}):\n  " + "\n  ".join(wrong)


def _poster(name: str) -> str | None:
    """A role that may POST to the URL (the first "ok" of its POST row)."""
    if "POST" not in EXPECTED[name]:
        return None
    row = _row(EXPECTED[name]["POST"])
    return next((role for role, category in row.items() if category == "ok"), None)


POSTED = sorted(name for name in EXPECTED if _poster(name))


@pytest.mark.django_db
@pytest.mark.parametrize("name", POSTED)
def test_every_post_needs_the_csrf_token(name, world):
    """With CSRF checks on (as in a browser), a POST without the token is
    refused with 403 even from someone who may POST there."""
    year, url = url_of(name, world)
    role = _poster(name)
    client = Client(enforce_csrf_checks=True)
    outcome = request_as(client, world.user(year, role), "POST", url)
    assert outcome.category == "403", f"{name} as {role}: {outcome.category} {outcome.detail}"


@pytest.mark.django_db
def test_last_years_leader_runs_nothing_this_year(world, client):
    """The secretariat goes with the bloc-year: 2023's leader (vpubnd) is a plain
    member in 2024, refused the secretariat's actions (403) and, like any peer,
    not shown another member's draft (404)."""
    former = world.user(2023, "secretariat")
    assert former != world.user(2024, "secretariat")
    expected = {
        "blocs:self_assessment_open": "403",
        "blocs:registration_remind": "403",
        "blocs:registration_overview": "403",
        "blocs:assessment_overview": "403",
        "blocs:assessment_return": "404",
        "blocs:assessment_reopen": "404",
        "blocs:assessment_remind": "404",
        "blocs:registration_reopen": "404",
        "blocs:evidence_download": "404",
    }
    got = {}
    for name in expected:
        year, url = url_of(name, world)
        assert year == 2024
        method = "POST" if set(EXPECTED[name]) == {"POST"} else "GET"
        got[name] = request_as(client, former, method, url).category
    assert got == expected


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name",
    [
        "blocs:agency_list",
        "blocs:bloc_list",
        "blocs:bloc_year_list",
        "blocs:movement_list",
        "blocs:scoring_table_list",
        "awards:council_inbox",
        "awards:council_dashboard",
    ],
)
def test_lists_show_another_province_nothing_of_this_one(name, world, client):
    """Council staff of another province open the lists (ok in the matrix) but
    find nothing of the demo province in them; the province's own staff do."""
    url = reverse(name)
    bloc_name = world.o["bloc"].name
    agency_name = world.o["stp"].name

    client.force_login(world.user(2023, "council2"))
    response = client.get(url)
    assert response.status_code == 200
    text = response.content.decode()
    assert bloc_name not in text and agency_name not in text and "Tỉnh An Phú" not in text

    client.force_login(world.user(2023, "council"))
    text = client.get(url).content.decode()
    if name in ("blocs:agency_list", "blocs:bloc_list", "blocs:bloc_year_list"):
        assert bloc_name in text or agency_name in text


# Regenerate the table's rows (after a deliberate change of who may do what):
# PERM_MATRIX_DISCOVER=/tmp/matrix.txt pytest tests/test_permission_matrix.py -k discover
@pytest.mark.skipif(not os.environ.get("PERM_MATRIX_DISCOVER"), reason="discovery only")
@pytest.mark.django_db
def test_discover(world, client):
    lines = []
    for name in sorted(named_urls()):
        year, url = url_of(name, world)
        for method in ("GET", "POST"):
            row = [request_as(client, world.user(year, r), method, url) for r in ROLES]
            cells = " ".join(f"{o.category:>6}" for o in row)
            details = " | ".join(o.detail for o in row if o.detail)[:300]
            lines.append(f"{name:45} {method:4} {cells}  {details}")
    with open(os.environ["PERM_MATRIX_DISCOVER"], "w") as fh:
        fh.write("\n".join(lines))
