from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from api import views

app_name = "api"

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    path("agencies/", views.AgencyList.as_view(), name="agencies"),
    path("blocs/", views.BlocList.as_view(), name="blocs"),
    path("bloc-years/", views.BlocYearList.as_view(), name="bloc_years"),
    path("rankings/", views.RankingList.as_view(), name="rankings"),
    path("poll-results/", views.PollResultList.as_view(), name="poll_results"),
    path("proposals/", views.ProposalList.as_view(), name="proposals"),
    path("decisions/", views.DecisionList.as_view(), name="decisions"),
    path("award-records/", views.AwardRecordList.as_view(), name="award_records"),
]
