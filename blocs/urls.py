from django.urls import path

from blocs.views import organisation

app_name = "blocs"

urlpatterns = [
    path("bloc-years/", organisation.bloc_year_list, name="bloc_year_list"),
    path("bloc-years/<int:pk>/", organisation.bloc_year_detail, name="bloc_year_detail"),
]
