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
