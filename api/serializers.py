"""What the API answers, field by field (codes, not database ids, name the
agencies, blocs, provinces and awards another system knows)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from awards.models import AwardRecord, Decision, Poll, Proposal, ProposalItem, Result
from blocs.models import Agency, AgencyLineage, Bloc, BlocYear, Membership


class FilterSerializer(serializers.Serializer):
    """The query parameters every list accepts (each list uses those that apply)."""

    province = serializers.SlugField(required=False, help_text=_("Province code."))
    year = serializers.IntegerField(
        required=False, min_value=2000, max_value=2100, help_text=_("Year of achievement.")
    )
    bloc = serializers.SlugField(required=False, help_text=_("Bloc code."))
    updated_since = serializers.DateTimeField(
        required=False,
        help_text=_("Only what changed at or after this moment (ISO 8601), for incremental sync."),
    )


class PredecessorSerializer(serializers.ModelSerializer):
    agency = serializers.CharField(source="predecessor.code")

    class Meta:
        model = AgencyLineage
        fields = ["agency", "kind", "effective_date", "note"]


class SuccessorSerializer(serializers.ModelSerializer):
    agency = serializers.CharField(source="successor.code")

    class Meta:
        model = AgencyLineage
        fields = ["agency", "kind", "effective_date", "note"]


class AgencySerializer(serializers.ModelSerializer):
    province = serializers.CharField(source="province.code")
    predecessors = PredecessorSerializer(source="predecessor_links", many=True)
    successors = SuccessorSerializer(source="successor_links", many=True)

    class Meta:
        model = Agency
        fields = [
            "id",
            "code",
            "name",
            "short_name",
            "province",
            "active_from",
            "active_to",
            "predecessors",
            "successors",
            "updated_at",
        ]


class BlocSerializer(serializers.ModelSerializer):
    province = serializers.CharField(source="province.code")

    class Meta:
        model = Bloc
        fields = ["id", "code", "name", "kind", "is_active", "province", "updated_at"]


class MembershipSerializer(serializers.ModelSerializer):
    agency = serializers.CharField(source="agency.code")
    agency_name = serializers.CharField(source="agency.name")

    class Meta:
        model = Membership
        fields = ["agency", "agency_name", "role", "rotation_order"]


class BlocYearSerializer(serializers.ModelSerializer):
    bloc = serializers.CharField(source="bloc.code")
    province = serializers.CharField(source="bloc.province.code")
    year = serializers.IntegerField(source="year.year")
    memberships = MembershipSerializer(many=True)

    class Meta:
        model = BlocYear
        fields = [
            "id",
            "bloc",
            "province",
            "year",
            "phase",
            "phase_changed_at",
            "memberships",
            "updated_at",
        ]


class RankingRowSerializer(serializers.Serializer):
    agency = serializers.CharField(source="agency.code")
    agency_name = serializers.CharField(source="agency.name")
    rank = serializers.IntegerField()
    shared_rank = serializers.BooleanField()
    total = serializers.DecimalField(max_digits=7, decimal_places=2)
    self_total = serializers.DecimalField(max_digits=7, decimal_places=2, allow_null=True)
    tie_break_score = serializers.DecimalField(max_digits=7, decimal_places=2, allow_null=True)
    deduction = serializers.DecimalField(max_digits=7, decimal_places=2)
    women_percent = serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True)


class RankingSerializer(serializers.ModelSerializer):
    """A bloc-year's published ranking; its rows come from the view's context."""

    bloc_year = serializers.IntegerField(source="pk")
    bloc = serializers.CharField(source="bloc.code")
    province = serializers.CharField(source="bloc.province.code")
    year = serializers.IntegerField(source="year.year")
    rows = serializers.SerializerMethodField()

    class Meta:
        model = BlocYear
        fields = ["bloc_year", "bloc", "province", "year", "phase", "updated_at", "rows"]

    @extend_schema_field(RankingRowSerializer(many=True))
    def get_rows(self, bloc_year):
        rows = self.context["rankings"].get(bloc_year.pk, [])
        return RankingRowSerializer(rows, many=True).data


class ResultSerializer(serializers.ModelSerializer):
    agency = serializers.CharField(source="candidate.membership.agency.code")
    percent = serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True)

    class Meta:
        model = Result
        fields = ["agency", "votes", "base", "percent", "status", "elected", "reason", "position"]


class PollResultSerializer(serializers.ModelSerializer):
    bloc = serializers.CharField(source="meeting.bloc_year.bloc.code")
    province = serializers.CharField(source="meeting.bloc_year.bloc.province.code")
    year = serializers.IntegerField(source="meeting.bloc_year.year.year")
    award_type = serializers.CharField(source="award_type.code", allow_null=True, default=None)
    results = ResultSerializer(many=True)

    class Meta:
        model = Poll
        fields = [
            "id",
            "bloc",
            "province",
            "year",
            "purpose",
            "award_type",
            "round",
            "quota",
            "threshold_percent",
            "threshold_base",
            "members_count",
            "voters_expected",
            "ballots_total",
            "ballots_blank",
            "ballots_invalid",
            "published_at",
            "results",
        ]


class ProposalItemSerializer(serializers.ModelSerializer):
    agency = serializers.CharField(source="agency.code")
    award_type = serializers.CharField(source="award_type.code")

    class Meta:
        model = ProposalItem
        fields = ["agency", "award_type", "votes", "base", "percent", "rank", "score", "decision"]


class ProposalSerializer(serializers.ModelSerializer):
    bloc = serializers.CharField(source="bloc_year.bloc.code")
    province = serializers.CharField(source="bloc_year.bloc.province.code")
    year = serializers.IntegerField(source="bloc_year.year.year")
    items = ProposalItemSerializer(many=True)

    class Meta:
        model = Proposal
        fields = [
            "id",
            "bloc",
            "province",
            "year",
            "state",
            "number",
            "submitted_at",
            "received_at",
            "decided_at",
            "items",
        ]


class DecidedAwardSerializer(serializers.ModelSerializer):
    agency = serializers.CharField(source="agency.code")
    award_type = serializers.CharField(source="award_type.code")

    class Meta:
        model = ProposalItem
        fields = ["agency", "award_type", "prize_amount"]


class DecisionSerializer(serializers.ModelSerializer):
    proposal = serializers.IntegerField(source="proposal_id")
    bloc = serializers.CharField(source="proposal.bloc_year.bloc.code")
    province = serializers.CharField(source="proposal.bloc_year.bloc.province.code")
    year = serializers.IntegerField(source="proposal.bloc_year.year.year")
    awards = DecidedAwardSerializer(source="proposal.approved_items", many=True)

    class Meta:
        model = Decision
        fields = [
            "id",
            "proposal",
            "bloc",
            "province",
            "year",
            "number",
            "date",
            "signer",
            "recorded_at",
            "awards",
        ]


class AwardRecordSerializer(serializers.ModelSerializer):
    agency = serializers.CharField(source="agency.code")
    province = serializers.CharField(source="agency.province.code")
    award_type = serializers.CharField(source="award_type.code")

    class Meta:
        model = AwardRecord
        fields = [
            "id",
            "agency",
            "province",
            "award_type",
            "year",
            "decision_number",
            "decision_date",
            "signer",
            "one_off",
            "source",
            "external_key",
            "updated_at",
        ]


class AwardRecordInSerializer(serializers.Serializer):
    """An award decided outside the application, as another system sends it.
    The fields are those of the Excel import of award history, checked by the
    same rules; ``external_key`` makes the call safe to repeat."""

    external_key = serializers.CharField(
        max_length=100, help_text=_("The sending system's own key for this award.")
    )
    agency = serializers.CharField(help_text=_("Agency code."))
    award_type = serializers.CharField(help_text=_("Award code."))
    year = serializers.IntegerField(help_text=_("Year of achievement."))
    decision_number = serializers.CharField()
    decision_date = serializers.DateField()
    signer = serializers.CharField(required=False, allow_blank=True)
    one_off = serializers.BooleanField(required=False, default=False)
