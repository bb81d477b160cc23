from django.urls import path

from awards.views import eligibility as eligibility_views
from awards.views import facts as facts_views
from awards.views import leading as leading_views
from awards.views import meeting as meeting_views
from awards.views import rules as rules_views
from awards.views import voting as voting_views
from emulation.urlgroups import grouped

app_name = "awards"

urlpatterns: list = [
    path(
        "bloc-years/<int:pk>/eligibility/",
        eligibility_views.eligibility_matrix,
        name="eligibility",
    ),
    path(
        "bloc-years/<int:pk>/leading/",
        leading_views.leading_choice,
        name="leading_choice",
    ),
    path("bloc-years/<int:pk>/facts/", facts_views.facts_grid, name="facts_grid"),
    path(
        "bloc-years/<int:pk>/facts/disqualifications/",
        facts_views.disqualification_create,
        name="disqualification_create",
    ),
    path(
        "bloc-years/<int:pk>/facts/disqualifications/<int:item>/close/",
        facts_views.disqualification_end,
        name="disqualification_end",
    ),
    path("bloc-years/<int:pk>/facts/import/", facts_views.facts_import, name="facts_import"),
    path("awards/history/import/", facts_views.history_import, name="history_import"),
    path("awards/rules/", rules_views.rule_set_list, name="rule_set_list"),
    path("awards/rules/<int:pk>/", rules_views.rule_set_detail, name="rule_set_detail"),
    path("awards/rules/<int:pk>/copy/", rules_views.rule_set_copy_view, name="rule_set_copy"),
    path("awards/rules/<int:pk>/<slug:code>/", rules_views.award_rule_edit, name="award_rule_edit"),
    # The year-end conference
    path("bloc-years/<int:pk>/meeting/", meeting_views.meeting_start, name="meeting_start"),
    path("meetings/<int:pk>/", meeting_views.meeting_detail, name="meeting_detail"),
    path("meetings/<int:pk>/edit/", meeting_views.meeting_edit, name="meeting_edit"),
    path(
        "meetings/<int:pk>/attendance/<int:membership_pk>/",
        meeting_views.attendance_edit,
        name="attendance_edit",
    ),
    path(
        "meetings/<int:pk>/attendance/<int:membership_pk>/authorisation/",
        meeting_views.attendance_authorisation,
        name="attendance_authorisation",
    ),
    path("meetings/<int:pk>/counters/", meeting_views.counter_add, name="counter_add"),
    path(
        "meetings/<int:pk>/counters/<int:counter_pk>/remove/",
        meeting_views.counter_remove,
        name="counter_remove",
    ),
    path("meetings/<int:pk>/polls/", meeting_views.poll_add, name="poll_add"),
    path("meetings/<int:pk>/leadership/", meeting_views.next_leadership, name="next_leadership"),
    path("meetings/<int:pk>/screen/", meeting_views.meeting_screen, name="meeting_screen"),
    path(
        "meetings/<int:pk>/screen/live/",
        meeting_views.meeting_screen_live,
        name="meeting_screen_live",
    ),
    path("polls/<int:pk>/", voting_views.poll_detail, name="poll_detail"),
    path("polls/<int:pk>/progress/", voting_views.poll_progress, name="poll_progress"),
    path("polls/<int:pk>/settings/", voting_views.poll_settings, name="poll_settings"),
    path("polls/<int:pk>/candidates/", voting_views.candidate_add, name="candidate_add"),
    path(
        "polls/<int:pk>/candidates/<int:candidate_pk>/remove/",
        voting_views.candidate_remove,
        name="candidate_remove",
    ),
    path("polls/<int:pk>/open/", voting_views.poll_open, name="poll_open"),
    path("polls/<int:pk>/close/", voting_views.poll_close, name="poll_close"),
    path("polls/<int:pk>/publish/", voting_views.poll_publish, name="poll_publish"),
    path("polls/<int:pk>/cancel/", voting_views.poll_cancel, name="poll_cancel"),
    path("polls/<int:pk>/runoff/", voting_views.poll_runoff, name="poll_runoff"),
    path("polls/<int:pk>/vote/", voting_views.poll_vote, name="poll_vote"),
    path("polls/<int:pk>/count/", voting_views.paper_count, name="paper_count"),
    path(
        "polls/<int:pk>/results/<int:result_pk>/override/",
        voting_views.result_override,
        name="result_override",
    ),
    path("polls/<int:pk>/receipts/", voting_views.poll_receipts, name="poll_receipts"),
    path("polls/<int:pk>/ballots/", voting_views.poll_ballots, name="poll_ballots"),
]

# Proposals to the council, decisions, the council's view, profiles.
from awards.views import council as council_views  # noqa: E402
from awards.views import profile as profile_views  # noqa: E402
from awards.views import proposal as proposal_views  # noqa: E402
from awards.views import public as public_views  # noqa: E402
from awards.views import what_if as what_if_views  # noqa: E402

urlpatterns += [
    path("bloc-years/<int:pk>/proposal/", proposal_views.proposal_start, name="proposal_start"),
    path("proposals/<int:pk>/", proposal_views.proposal_detail, name="proposal_detail"),
    path("proposals/<int:pk>/edit/", proposal_views.proposal_edit, name="proposal_edit"),
    path(
        "proposals/<int:pk>/refresh/",
        proposal_views.proposal_refresh_view,
        name="proposal_refresh",
    ),
    path(
        "proposals/<int:pk>/items/<int:item_pk>/remove/",
        proposal_views.proposal_item_remove_view,
        name="proposal_item_remove",
    ),
    path("proposals/<int:pk>/submit/", proposal_views.proposal_submit_view, name="proposal_submit"),
    path(
        "proposals/<int:pk>/receive/",
        proposal_views.proposal_receive_view,
        name="proposal_receive",
    ),
    path("proposals/<int:pk>/return/", proposal_views.proposal_return_view, name="proposal_return"),
    path(
        "proposals/<int:pk>/approve/",
        proposal_views.proposal_approve_view,
        name="proposal_approve",
    ),
    path("proposals/<int:pk>/decision/", proposal_views.decision_create, name="decision_create"),
    path("proposals/<int:pk>/decision/scan/", proposal_views.decision_scan, name="decision_scan"),
    path(
        "proposals/<int:pk>/decision/scan/upload/",
        proposal_views.decision_scan_upload,
        name="decision_scan_upload",
    ),
    path("council/proposals/", council_views.council_inbox, name="council_inbox"),
    path("council/", council_views.council_dashboard_view, name="council_dashboard"),
    path(
        "council/statistics.xlsx",
        council_views.council_statistics_export,
        name="council_statistics_export",
    ),
    path(
        "council/public/",
        council_views.results_publication_toggle,
        name="results_publication_toggle",
    ),
    path(
        "council/government-flag/",
        council_views.government_flag_view,
        name="government_flag",
    ),
    path("council/what-if/", what_if_views.what_if_view, name="what_if"),
    path("council/numbers/", what_if_views.council_numbers_view, name="council_numbers"),
    path("agencies/<int:pk>/profile/", profile_views.agency_profile_view, name="agency_profile"),
    path(
        "public/results/<slug:province>/<int:year>/",
        public_views.public_results_view,
        name="public_results",
    ),
]

# Documents of the bloc-year's dossier.
from django.urls import path  # noqa: E402

from awards.views import documents as document_views  # noqa: E402

urlpatterns += [
    path("bloc-years/<int:pk>/documents/", document_views.document_list, name="document_list"),
    path(
        "bloc-years/<int:pk>/documents/narratives/",
        document_views.narrative_edit,
        name="narrative_edit",
    ),
    path(
        "bloc-years/<int:pk>/documents/dossier/",
        document_views.dossier_export_start,
        name="dossier_export_start",
    ),
    path(
        "bloc-years/<int:pk>/documents/dossier/<int:export_pk>/",
        document_views.dossier_export_detail,
        name="dossier_export_detail",
    ),
    path(
        "bloc-years/<int:pk>/documents/dossier/<int:export_pk>/<str:fmt>/",
        document_views.dossier_export_download,
        name="dossier_export_download",
    ),
    path(
        "bloc-years/<int:pk>/documents/<slug:slug>/",
        document_views.document_preview,
        name="document_preview",
    ),
    path(
        "bloc-years/<int:pk>/documents/<slug:slug>/draft/<str:fmt>/",
        document_views.document_draft_download,
        name="document_draft_download",
    ),
    path(
        "bloc-years/<int:pk>/documents/<slug:slug>/issue/",
        document_views.document_issue_view,
        name="document_issue",
    ),
]

# One include() per first segment: a path is resolved against its own group only.
urlpatterns = grouped(urlpatterns)
