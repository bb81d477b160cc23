from django.urls import path

from blocs.views import accounts, deadlines, organisation
from emulation.urlgroups import grouped

app_name = "blocs"

urlpatterns = [
    path("bloc-years/", organisation.bloc_year_list, name="bloc_year_list"),
    path("bloc-years/<int:pk>/", organisation.bloc_year_detail, name="bloc_year_detail"),
    # The accounts of the province's agencies.
    path("users/", accounts.account_list, name="account_list"),
    path("users/invite/", accounts.account_invite, name="account_invite"),
    path("users/import/", accounts.account_import, name="account_import"),
    path("users/<int:pk>/active/", accounts.account_active, name="account_active"),
    path("users/<int:pk>/role/", accounts.account_role, name="account_role"),
    path(
        "users/<int:pk>/invite-again/", accounts.account_invite_again, name="account_invite_again"
    ),
    path(
        "users/<int:pk>/second-factor/reset/",
        accounts.account_second_factor_reset,
        name="account_second_factor_reset",
    ),
    # Organisation: agencies, blocs, years, bloc-years and memberships.
    path("agencies/", organisation.agency_list, name="agency_list"),
    path("agencies/new/", organisation.agency_create, name="agency_create"),
    path("agencies/export/", organisation.agency_export, name="agency_export"),
    path("agencies/import/", organisation.agency_import, name="agency_import"),
    path("agencies/<int:pk>/", organisation.agency_edit, name="agency_edit"),
    path("agencies/<int:pk>/lineage/", organisation.agency_lineage_add, name="agency_lineage_add"),
    path(
        "agencies/<int:pk>/lineage/<int:link_pk>/remove/",
        organisation.agency_lineage_remove,
        name="agency_lineage_remove",
    ),
    path(
        "provinces/<int:pk>/vocabulary/",
        organisation.province_vocabulary,
        name="province_vocabulary",
    ),
    path("blocs/", organisation.bloc_list, name="bloc_list"),
    path("blocs/new/", organisation.bloc_create, name="bloc_create"),
    path("blocs/<int:pk>/", organisation.bloc_edit, name="bloc_edit"),
    path("years/new/", organisation.year_create, name="year_create"),
    path("years/<int:pk>/", organisation.year_edit, name="year_edit"),
    path("bloc-years/new/", organisation.bloc_year_create, name="bloc_year_create"),
    path(
        "bloc-years/<int:pk>/carry-forward/",
        organisation.bloc_year_carry_forward,
        name="bloc_year_carry_forward",
    ),
    path("bloc-years/<int:pk>/step/", organisation.bloc_year_step, name="bloc_year_step"),
    path("bloc-years/<int:pk>/extensions/", deadlines.deadline_extend, name="deadline_extend"),
    path(
        "bloc-years/<int:pk>/extensions/<int:extension_pk>/withdraw/",
        deadlines.deadline_extension_withdraw,
        name="deadline_extension_withdraw",
    ),
    path(
        "bloc-years/<int:pk>/phases/",
        organisation.bloc_year_phase_history,
        name="bloc_year_phase_history",
    ),
    path("bloc-years/<int:pk>/members/add/", organisation.membership_add, name="membership_add"),
    path(
        "bloc-years/<int:pk>/members/<int:membership_pk>/",
        organisation.membership_update,
        name="membership_update",
    ),
    path(
        "bloc-years/<int:pk>/members/<int:membership_pk>/remove/",
        organisation.membership_remove,
        name="membership_remove",
    ),
    path("memberships/export/", organisation.membership_export, name="membership_export"),
    path("memberships/import/", organisation.membership_import, name="membership_import"),
]

# Scoring tables and self-assessment.
from blocs.views import assessment as assessment_views  # noqa: E402
from blocs.views import exports as export_views  # noqa: E402
from blocs.views import scoring as scoring_views  # noqa: E402

urlpatterns += [
    path("scoring-tables/", scoring_views.table_list, name="scoring_table_list"),
    path("scoring-tables/new/", scoring_views.table_create, name="scoring_table_create"),
    path("scoring-tables/import/", scoring_views.table_import, name="scoring_table_import"),
    path("scoring-tables/<int:pk>/", scoring_views.table_detail, name="scoring_table_detail"),
    path("scoring-tables/<int:pk>/copy/", scoring_views.table_copy, name="scoring_table_copy"),
    path(
        "scoring-tables/<int:pk>/export/", scoring_views.table_export, name="scoring_table_export"
    ),
    path("scoring-tables/<int:pk>/groups/new/", scoring_views.group_create, name="group_create"),
    path("scoring-groups/<int:pk>/", scoring_views.group_edit, name="group_edit"),
    path("scoring-groups/<int:pk>/delete/", scoring_views.group_delete, name="group_delete"),
    path(
        "scoring-groups/<int:pk>/criteria/new/",
        scoring_views.criterion_create,
        name="criterion_create",
    ),
    path("criteria/<int:pk>/", scoring_views.criterion_edit, name="criterion_edit"),
    path("criteria/<int:pk>/delete/", scoring_views.criterion_delete, name="criterion_delete"),
    path(
        "bloc-years/<int:pk>/assessments/",
        assessment_views.assessment_overview,
        name="assessment_overview",
    ),
    path(
        "bloc-years/<int:pk>/assessments/progress.xlsx",
        export_views.assessment_progress_export,
        name="assessment_progress_export",
    ),
    path(
        "bloc-years/<int:pk>/assessments/scores.xlsx",
        export_views.criterion_scores_export,
        name="criterion_scores_export",
    ),
    path(
        "bloc-years/<int:pk>/assessments/open/",
        assessment_views.self_assessment_open,
        name="self_assessment_open",
    ),
    path(
        "bloc-years/<int:pk>/my-assessment/",
        assessment_views.my_assessment,
        name="my_assessment",
    ),
    path("assessments/<int:pk>/", assessment_views.assessment_detail, name="assessment_detail"),
    path("assessments/<int:pk>/print/", assessment_views.assessment_print, name="assessment_print"),
    path(
        "assessments/<int:pk>/report/<str:fmt>/",
        assessment_views.assessment_report_download,
        name="assessment_report_download",
    ),
    path(
        "assessments/<int:pk>/items/<int:criterion_id>/",
        assessment_views.item_save,
        name="item_save",
    ),
    path("assessments/<int:pk>/report/", assessment_views.report_save, name="report_save"),
    path(
        "assessments/<int:pk>/items/<int:criterion_id>/evidence/",
        assessment_views.evidence_upload,
        name="evidence_upload",
    ),
    path(
        "assessments/<int:pk>/evidence/<int:evidence_id>/delete/",
        assessment_views.evidence_delete,
        name="evidence_delete",
    ),
    path(
        "evidence/<int:evidence_id>/", assessment_views.evidence_download, name="evidence_download"
    ),
    path(
        "assessments/<int:pk>/submit/", assessment_views.assessment_submit, name="assessment_submit"
    ),
    path(
        "assessments/<int:pk>/return/", assessment_views.assessment_return, name="assessment_return"
    ),
    path(
        "assessments/<int:pk>/reopen/", assessment_views.assessment_reopen, name="assessment_reopen"
    ),
    path(
        "assessments/<int:pk>/remind/", assessment_views.assessment_remind, name="assessment_remind"
    ),
    path(
        "assessments/<int:pk>/delegate/", assessment_views.delegation_grant, name="delegation_grant"
    ),
    path(
        "assessments/<int:pk>/delegate/remove/",
        assessment_views.delegation_revoke,
        name="delegation_revoke",
    ),
]

# Start of the year: movements, covenant, registrations, mid-year review.
from blocs.views import registration as registration_views  # noqa: E402

urlpatterns += [
    path("movements/", registration_views.movement_list, name="movement_list"),
    path("movements/new/", registration_views.movement_create, name="movement_create"),
    path("movements/<int:pk>/", registration_views.movement_edit, name="movement_edit"),
    path(
        "movements/<int:pk>/document/",
        registration_views.movement_document,
        name="movement_document",
    ),
    path(
        "bloc-years/<int:pk>/movements/",
        registration_views.bloc_year_movements,
        name="bloc_year_movements",
    ),
    path(
        "bloc-years/<int:pk>/movements/take-up/",
        registration_views.bloc_year_movement_take_up,
        name="bloc_year_movement_take_up",
    ),
    path(
        "bloc-years/<int:pk>/movements/<int:link_pk>/drop/",
        registration_views.bloc_year_movement_drop,
        name="bloc_year_movement_drop",
    ),
    path(
        "bloc-years/<int:pk>/covenant/", registration_views.covenant_detail, name="covenant_detail"
    ),
    path(
        "bloc-years/<int:pk>/covenant/edit/", registration_views.covenant_edit, name="covenant_edit"
    ),
    path(
        "bloc-years/<int:pk>/covenant/preview.<str:fmt>",
        registration_views.covenant_preview,
        name="covenant_preview",
    ),
    path(
        "bloc-years/<int:pk>/covenant/issue/",
        registration_views.covenant_issue,
        name="covenant_issue",
    ),
    path(
        "bloc-years/<int:pk>/covenant/sign/", registration_views.covenant_sign, name="covenant_sign"
    ),
    path(
        "bloc-years/<int:pk>/covenant/scan/", registration_views.covenant_scan, name="covenant_scan"
    ),
    path(
        "bloc-years/<int:pk>/my-registration/",
        registration_views.my_registration,
        name="my_registration",
    ),
    path(
        "bloc-years/<int:pk>/registrations/",
        registration_views.registration_overview,
        name="registration_overview",
    ),
    path(
        "bloc-years/<int:pk>/registrations/remind/",
        registration_views.registration_remind,
        name="registration_remind",
    ),
    path(
        "bloc-years/<int:pk>/mid-year/",
        registration_views.progress_summary,
        name="progress_summary",
    ),
    path(
        "registrations/<int:pk>/",
        registration_views.registration_detail,
        name="registration_detail",
    ),
    path(
        "registrations/<int:pk>/targets/add/",
        registration_views.registration_target_add,
        name="registration_target_add",
    ),
    path(
        "registrations/<int:pk>/targets/<int:target_pk>/remove/",
        registration_views.registration_target_remove,
        name="registration_target_remove",
    ),
    path(
        "registrations/<int:pk>/titles/",
        registration_views.registration_award_types,
        name="registration_award_types",
    ),
    path(
        "registrations/<int:pk>/submit/",
        registration_views.registration_submit,
        name="registration_submit",
    ),
    path(
        "registrations/<int:pk>/reopen/",
        registration_views.registration_reopen,
        name="registration_reopen",
    ),
    path(
        "registrations/<int:pk>/progress/<str:period>/",
        registration_views.progress_report,
        name="progress_report",
    ),
]

# Review, disputes and ranking.
from blocs.views import ranking as ranking_views  # noqa: E402
from blocs.views import review as review_views  # noqa: E402

urlpatterns += [
    path("bloc-years/<int:pk>/review/", review_views.review_overview, name="review_overview"),
    path(
        "bloc-years/<int:pk>/review/settings/",
        review_views.review_settings,
        name="review_settings",
    ),
    path(
        "bloc-years/<int:pk>/review/assignment/",
        review_views.review_assignment_generate,
        name="review_assignment_generate",
    ),
    path(
        "bloc-years/<int:pk>/review/assignment/<int:assignment_pk>/",
        review_views.review_assignment_change,
        name="review_assignment_change",
    ),
    path("bloc-years/<int:pk>/review/start/", review_views.review_start, name="review_start"),
    path("bloc-years/<int:pk>/review/release/", review_views.review_release, name="review_release"),
    path("bloc-years/<int:pk>/review/lock/", review_views.review_lock, name="review_lock"),
    path("bloc-years/<int:pk>/review/unlock/", review_views.review_unlock, name="review_unlock"),
    path(
        "bloc-years/<int:pk>/ranking/publish/",
        review_views.ranking_publish,
        name="ranking_publish",
    ),
    path("bloc-years/<int:pk>/ranking/", ranking_views.ranking_page, name="ranking"),
    path(
        "bloc-years/<int:pk>/ranking/export/", ranking_views.ranking_export, name="ranking_export"
    ),
    path("reviews/<int:pk>/", review_views.review_assessment, name="review_assessment"),
    path("reviews/<int:pk>/reopen/", review_views.review_reopen, name="review_reopen"),
    path(
        "reviews/<int:pk>/dispute/<int:criterion_pk>/",
        review_views.dispute_create,
        name="dispute_create",
    ),
    path("disputes/<int:pk>/resolve/", review_views.dispute_resolve, name="dispute_resolve"),
    path("reviews/evidence/<int:pk>/", review_views.review_evidence, name="review_evidence"),
    path("disputes/evidence/<int:pk>/", review_views.dispute_evidence, name="dispute_evidence"),
]

# One include() per first segment: a path is resolved against its own group only.
urlpatterns = grouped(urlpatterns)
