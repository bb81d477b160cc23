from django.urls import path

from blocs.views import organisation

app_name = "blocs"

urlpatterns = [
    path("bloc-years/", organisation.bloc_year_list, name="bloc_year_list"),
    path("bloc-years/<int:pk>/", organisation.bloc_year_detail, name="bloc_year_detail"),
    # Organisation: agencies, blocs, years, bloc-years and memberships (issue 3).
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

# Scoring tables and self-assessment (issue 4).
from blocs.views import assessment as assessment_views  # noqa: E402
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
        "assessments/<int:pk>/delegate/", assessment_views.delegation_grant, name="delegation_grant"
    ),
]
