"""For every named URL: which bloc-year it concerns (whose leader is the
"secretariat" role) and its arguments, from real demo objects."""

from __future__ import annotations


def _by(year):
    return lambda o: {"pk": o["by"][year].pk}


def _sa(year):
    return lambda o: {"pk": o["sa"][year].pk}


def _item(year):
    return lambda o: {"pk": o["sa"][year].pk, "criterion_id": o["evidence"][year].item.criterion_id}


NONE = lambda o: {}  # noqa: E731

# name -> (year of the bloc-year concerned, kwargs builder)
TARGETS = {
    # site
    "home": (2023, NONE),
    "healthz": (2023, NONE),
    "login": (2023, NONE),
    "logout": (2023, NONE),
    "login_locks": (2023, NONE),
    "login_lock_lift": (2023, NONE),
    "password_change": (2023, NONE),
    "password_change_done": (2023, NONE),
    "notification_list": (2023, NONE),
    "notification_open": (2023, lambda o: {"pk": o["notification"].pk}),
    "notification_read_all": (2023, NONE),
    "email_choices": (2023, NONE),
    "documents:issued_document_download": (
        2023,
        lambda o: {"pk": o["issued"].pk, "fmt": "pdf"},
    ),
    # organisation
    "blocs:bloc_year_list": (2023, NONE),
    "blocs:bloc_year_detail": (2023, _by(2023)),
    "blocs:agency_list": (2023, NONE),
    "blocs:agency_create": (2023, NONE),
    "blocs:agency_export": (2023, NONE),
    "blocs:agency_import": (2023, NONE),
    "blocs:agency_edit": (2023, lambda o: {"pk": o["stp"].pk}),
    "blocs:agency_lineage_add": (2023, lambda o: {"pk": o["lineage"].successor_id}),
    "blocs:agency_lineage_remove": (
        2023,
        lambda o: {"pk": o["lineage"].successor_id, "link_pk": o["lineage"].pk},
    ),
    "blocs:bloc_list": (2023, NONE),
    "blocs:bloc_create": (2023, NONE),
    "blocs:bloc_edit": (2023, lambda o: {"pk": o["bloc"].pk}),
    "blocs:year_create": (2023, NONE),
    "blocs:year_edit": (2023, lambda o: {"pk": o["year"].pk}),
    "blocs:bloc_year_create": (2023, NONE),
    "blocs:bloc_year_carry_forward": (2023, _by(2023)),
    "blocs:bloc_year_step": (2023, _by(2023)),
    "blocs:deadline_extend": (2023, _by(2023)),
    "blocs:deadline_extension_withdraw": (
        2025,
        lambda o: {"pk": o["by"][2025].pk, "extension_pk": o["extension"].pk},
    ),
    "blocs:bloc_year_phase_history": (2023, _by(2023)),
    "blocs:membership_add": (2023, _by(2023)),
    "blocs:membership_update": (
        2023,
        lambda o: {"pk": o["by"][2023].pk, "membership_pk": o["m"][2023].pk},
    ),
    "blocs:membership_remove": (
        2023,
        lambda o: {"pk": o["by"][2023].pk, "membership_pk": o["m"][2023].pk},
    ),
    "blocs:membership_export": (2023, NONE),
    "blocs:membership_import": (2023, NONE),
    # scoring tables
    "blocs:scoring_table_list": (2023, NONE),
    "blocs:scoring_table_create": (2023, NONE),
    "blocs:scoring_table_import": (2023, NONE),
    "blocs:scoring_table_detail": (2023, lambda o: {"pk": o["table"].pk}),
    "blocs:scoring_table_copy": (2023, lambda o: {"pk": o["table"].pk}),
    "blocs:scoring_table_export": (2023, lambda o: {"pk": o["table"].pk}),
    "blocs:group_create": (2023, lambda o: {"pk": o["table"].pk}),
    "blocs:group_edit": (2023, lambda o: {"pk": o["group"].pk}),
    "blocs:group_delete": (2023, lambda o: {"pk": o["group"].pk}),
    "blocs:criterion_create": (2023, lambda o: {"pk": o["group"].pk}),
    "blocs:criterion_edit": (2023, lambda o: {"pk": o["criterion"].pk}),
    "blocs:criterion_delete": (2023, lambda o: {"pk": o["criterion"].pk}),
    # self-assessment (2024: the open window)
    "blocs:assessment_overview": (2024, _by(2024)),
    "blocs:self_assessment_open": (2024, _by(2024)),
    "blocs:my_assessment": (2024, _by(2024)),
    "blocs:assessment_detail": (2024, _sa(2024)),
    "blocs:assessment_print": (2024, _sa(2024)),
    "blocs:item_save": (2024, _item(2024)),
    "blocs:report_save": (2024, _sa(2024)),
    "blocs:evidence_upload": (2024, _item(2024)),
    "blocs:evidence_delete": (
        2024,
        lambda o: {"pk": o["sa"][2024].pk, "evidence_id": o["evidence"][2024].pk},
    ),
    "blocs:evidence_download": (2024, lambda o: {"evidence_id": o["evidence"][2024].pk}),
    "blocs:assessment_submit": (2024, _sa(2024)),
    "blocs:assessment_return": (2024, _sa(2024)),
    "blocs:assessment_reopen": (2024, _sa(2024)),
    "blocs:assessment_remind": (2024, _sa(2024)),
    "blocs:delegation_grant": (2024, _sa(2024)),
    # start of the year
    "blocs:movement_list": (2023, NONE),
    "blocs:movement_create": (2023, NONE),
    "blocs:movement_edit": (2023, lambda o: {"pk": o["movement"].pk}),
    "blocs:movement_document": (2023, lambda o: {"pk": o["movement"].pk}),
    "blocs:bloc_year_movements": (2023, _by(2023)),
    "blocs:bloc_year_movement_take_up": (2023, _by(2023)),
    "blocs:bloc_year_movement_drop": (
        2023,
        lambda o: {"pk": o["by"][2023].pk, "link_pk": o["by_movement"].pk},
    ),
    "blocs:covenant_detail": (2023, _by(2023)),
    "blocs:covenant_edit": (2023, _by(2023)),
    "blocs:covenant_preview": (2023, lambda o: {"pk": o["by"][2023].pk, "fmt": "docx"}),
    "blocs:covenant_issue": (2023, _by(2023)),
    "blocs:covenant_sign": (2023, _by(2023)),
    "blocs:covenant_scan": (2023, _by(2023)),
    "blocs:my_registration": (2024, _by(2024)),
    "blocs:registration_overview": (2024, _by(2024)),
    "blocs:registration_remind": (2024, _by(2024)),
    "blocs:progress_summary": (2024, _by(2024)),
    "blocs:registration_detail": (2024, lambda o: {"pk": o["reg"][2024].pk}),
    "blocs:registration_target_add": (2024, lambda o: {"pk": o["reg"][2024].pk}),
    "blocs:registration_target_remove": (
        2024,
        lambda o: {"pk": o["reg"][2024].pk, "target_pk": o["target"][2024].pk},
    ),
    "blocs:registration_award_types": (2024, lambda o: {"pk": o["reg"][2024].pk}),
    "blocs:registration_submit": (2024, lambda o: {"pk": o["reg"][2024].pk}),
    "blocs:registration_reopen": (2024, lambda o: {"pk": o["reg"][2024].pk}),
    "blocs:progress_report": (2024, lambda o: {"pk": o["reg"][2024].pk, "period": "mid_year"}),
    # review, disputes, ranking (2023)
    "blocs:review_overview": (2023, _by(2023)),
    "blocs:review_settings": (2023, _by(2023)),
    "blocs:review_assignment_generate": (2023, _by(2023)),
    "blocs:review_assignment_change": (
        2023,
        lambda o: {"pk": o["by"][2023].pk, "assignment_pk": o["assignment"].pk},
    ),
    "blocs:review_start": (2023, _by(2023)),
    "blocs:review_release": (2023, _by(2023)),
    "blocs:review_lock": (2023, _by(2023)),
    "blocs:review_unlock": (2023, _by(2023)),
    "blocs:ranking_publish": (2023, _by(2023)),
    "blocs:ranking": (2023, _by(2023)),
    "blocs:ranking_export": (2023, _by(2023)),
    "blocs:review_assessment": (2023, _sa(2023)),
    "blocs:review_reopen": (2023, _sa(2023)),
    "blocs:dispute_create": (
        2023,
        lambda o: {"pk": o["sa"][2023].pk, "criterion_pk": o["dispute"].item.criterion_id},
    ),
    "blocs:dispute_resolve": (2023, lambda o: {"pk": o["dispute"].pk}),
    "blocs:review_evidence": (2023, lambda o: {"pk": o["evidence"][2023].pk}),
    "blocs:dispute_evidence": (2023, lambda o: {"pk": o["dispute_evidence"].pk}),
    # eligibility, facts, rules
    "awards:eligibility": (2023, _by(2023)),
    "awards:leading_choice": (2023, _by(2023)),
    "awards:facts_grid": (2023, _by(2023)),
    "awards:disqualification_create": (2023, _by(2023)),
    "awards:disqualification_end": (
        2023,
        lambda o: {"pk": o["by"][2023].pk, "item": o["disqualification"].pk},
    ),
    "awards:facts_import": (2023, _by(2023)),
    "awards:history_import": (2023, NONE),
    "awards:rule_set_list": (2023, NONE),
    "awards:rule_set_detail": (2023, lambda o: {"pk": o["rule_set"].pk}),
    "awards:rule_set_copy": (2023, lambda o: {"pk": o["rule_set"].pk}),
    "awards:award_rule_edit": (
        2023,
        lambda o: {"pk": o["rule_set"].pk, "code": o["award_type"].code},
    ),
    # conference and voting (2023)
    "awards:meeting_start": (2023, _by(2023)),
    "awards:meeting_detail": (2023, lambda o: {"pk": o["meeting"].pk}),
    "awards:meeting_edit": (2023, lambda o: {"pk": o["meeting"].pk}),
    "awards:attendance_edit": (
        2023,
        lambda o: {"pk": o["meeting"].pk, "membership_pk": o["m"][2023].pk},
    ),
    "awards:attendance_authorisation": (
        2023,
        lambda o: {"pk": o["meeting"].pk, "membership_pk": o["proxy_m"].pk},
    ),
    "awards:counter_add": (2023, lambda o: {"pk": o["meeting"].pk}),
    "awards:counter_remove": (
        2023,
        lambda o: {"pk": o["meeting"].pk, "counter_pk": o["counter"].pk},
    ),
    "awards:poll_add": (2023, lambda o: {"pk": o["meeting"].pk}),
    "awards:next_leadership": (2023, lambda o: {"pk": o["meeting"].pk}),
    "awards:meeting_screen": (2023, lambda o: {"pk": o["meeting"].pk}),
    "awards:meeting_screen_live": (2023, lambda o: {"pk": o["meeting"].pk}),
    "awards:poll_detail": (2023, lambda o: {"pk": o["poll"].pk}),
    "awards:poll_progress": (2023, lambda o: {"pk": o["poll"].pk}),
    "awards:poll_settings": (2023, lambda o: {"pk": o["poll"].pk}),
    "awards:candidate_add": (2023, lambda o: {"pk": o["poll"].pk}),
    "awards:candidate_remove": (
        2023,
        lambda o: {"pk": o["poll"].pk, "candidate_pk": o["candidate"].pk},
    ),
    "awards:poll_open": (2023, lambda o: {"pk": o["poll"].pk}),
    "awards:poll_close": (2023, lambda o: {"pk": o["poll"].pk}),
    "awards:poll_publish": (2023, lambda o: {"pk": o["poll"].pk}),
    "awards:poll_cancel": (2023, lambda o: {"pk": o["poll"].pk}),
    "awards:poll_runoff": (2023, lambda o: {"pk": o["poll"].pk}),
    "awards:poll_vote": (2023, lambda o: {"pk": o["poll"].pk}),
    "awards:paper_count": (2023, lambda o: {"pk": o["poll"].pk}),
    "awards:result_override": (
        2022,
        lambda o: {"pk": o["result"].poll_id, "result_pk": o["result"].pk},
    ),
    "awards:poll_receipts": (2023, lambda o: {"pk": o["poll"].pk}),
    # proposals and decisions (the demo's proposal is 2022's, decided)
    "awards:proposal_start": (2023, _by(2023)),
    "awards:proposal_detail": (2022, lambda o: {"pk": o["proposal"].pk}),
    "awards:proposal_edit": (2022, lambda o: {"pk": o["proposal"].pk}),
    "awards:proposal_refresh": (2022, lambda o: {"pk": o["proposal"].pk}),
    "awards:proposal_item_remove": (
        2022,
        lambda o: {"pk": o["proposal"].pk, "item_pk": o["proposal_item"].pk},
    ),
    "awards:proposal_submit": (2022, lambda o: {"pk": o["proposal"].pk}),
    "awards:proposal_receive": (2022, lambda o: {"pk": o["proposal"].pk}),
    "awards:proposal_return": (2022, lambda o: {"pk": o["proposal"].pk}),
    "awards:proposal_approve": (2022, lambda o: {"pk": o["proposal"].pk}),
    "awards:decision_create": (2022, lambda o: {"pk": o["proposal"].pk}),
    "awards:decision_scan": (2022, lambda o: {"pk": o["proposal"].pk}),
    "awards:council_inbox": (2023, NONE),
    "awards:council_dashboard": (2023, NONE),
    "awards:council_statistics_export": (2023, NONE),
    "awards:what_if": (2023, NONE),
    "awards:council_numbers": (2023, NONE),
    "awards:results_publication_toggle": (2023, NONE),
    "awards:agency_profile": (2023, lambda o: {"pk": o["stp"].pk}),
    "awards:public_results": (2023, lambda o: {"province": "demo", "year": 2022}),
    # the dossier's documents (2023)
    "awards:document_list": (2023, _by(2023)),
    "awards:narrative_edit": (2023, _by(2023)),
    "awards:document_preview": (2023, lambda o: {"pk": o["by"][2023].pk, "slug": "score_summary"}),
    "awards:document_draft_download": (
        2023,
        lambda o: {"pk": o["by"][2023].pk, "slug": "score_summary", "fmt": "docx"},
    ),
    "awards:document_issue": (2023, lambda o: {"pk": o["by"][2023].pk, "slug": "score_summary"}),
}
