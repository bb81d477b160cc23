"""The API's endpoints: thin views over the selectors (what a client may
read) and one write, through the awards services."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import exceptions, generics, status
from rest_framework.pagination import CursorPagination
from rest_framework.response import Response

from api import selectors
from api.authentication import ClientRateThrottle, ClientTokenAuthentication, IsClient
from api.models import ApiClient
from api.serializers import (
    AgencySerializer,
    AwardRecordInSerializer,
    AwardRecordSerializer,
    BlocSerializer,
    BlocYearSerializer,
    DecisionSerializer,
    FilterSerializer,
    PollResultSerializer,
    ProposalSerializer,
    RankingSerializer,
)
from api.services import api_call_record
from awards.importers import history
from awards.models import AwardType
from awards.services import award_record_receive
from blocs.selectors.organisation import agencies_active_in_year
from blocs.selectors.ranking import rankings_for
from emulation.excel import convert_values


class Pages(CursorPagination):
    """Cursor pagination in the order rows were created: a sync that follows
    ``next`` never skips or repeats a row while others are added."""

    ordering = "id"
    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 500


class ClientView(generics.GenericAPIView):
    """Token authentication, the client's rate limit, and a log line per call."""

    authentication_classes = [ClientTokenAuthentication]
    permission_classes = [IsClient]
    throttle_classes = [ClientRateThrottle]
    pagination_class = Pages

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        try:
            client = request.auth
        except exceptions.APIException:
            client = None
        api_call_record(
            client=client if isinstance(client, ApiClient) else None,
            method=request.method,
            path=request.get_full_path(),
            status=response.status_code,
        )
        response["Cache-Control"] = "no-store"
        return response


def _parameters(names):
    types = {"province": str, "year": int, "bloc": str, "updated_since": str}
    fields = FilterSerializer().fields
    return [
        OpenApiParameter(name, types[name], description=str(fields[name].help_text))
        for name in names
    ]


class FilteredList(ClientView, generics.ListAPIView):
    """A list narrowed by the filters that apply to it: ``filters`` maps a
    query parameter to a lookup path or to a function (queryset, value)."""

    filters: dict = {}

    def get_queryset(self):
        params = FilterSerializer(data=self.request.query_params)
        if not params.is_valid():
            raise exceptions.ValidationError(params.errors)
        queryset = self.queryset_for(self.request.auth)
        for name, value in params.validated_data.items():
            how = self.filters.get(name)
            if how is None:
                continue
            if callable(how):
                queryset = how(queryset, value)
            elif isinstance(how, tuple):  # updated_since over several timestamps
                condition = Q()
                for path in how:
                    condition |= Q(**{f"{path}__gte": value})
                queryset = queryset.filter(condition)
            else:
                lookup = f"{how}__gte" if name == "updated_since" else how
                queryset = queryset.filter(**{lookup: value})
        return queryset

    def queryset_for(self, client):
        raise NotImplementedError


def listing(names, summary):
    return extend_schema_view(get=extend_schema(summary=summary, parameters=_parameters(names)))


AGENCY_FILTERS = {
    "province": "province__code",
    "year": lambda qs, year: qs.filter(pk__in=agencies_active_in_year(year).values("pk")),
    "updated_since": "updated_at",
}


@listing(AGENCY_FILTERS, "Agencies, with their predecessors and successors")
class AgencyList(FilteredList):
    serializer_class = AgencySerializer
    filters = AGENCY_FILTERS

    def queryset_for(self, client):
        return selectors.agencies_for(client)


BLOC_FILTERS = {"province": "province__code", "bloc": "code", "updated_since": "updated_at"}


@listing(BLOC_FILTERS, "Emulation blocs and clusters")
class BlocList(FilteredList):
    serializer_class = BlocSerializer
    filters = BLOC_FILTERS

    def queryset_for(self, client):
        return selectors.blocs_for(client)


def bloc_year_filters(path: str, updated_since) -> dict:
    """The filters of a list whose rows belong to a bloc-year (reached by
    ``path``, empty for bloc-years themselves)."""
    prefix = f"{path}__" if path else ""
    return {
        "province": f"{prefix}bloc__province__code",
        "year": f"{prefix}year__year",
        "bloc": f"{prefix}bloc__code",
        "updated_since": updated_since,
    }


BLOC_YEAR_FILTERS = bloc_year_filters("", "updated_at")


@listing(BLOC_YEAR_FILTERS, "Bloc-years with their members")
class BlocYearList(FilteredList):
    serializer_class = BlocYearSerializer
    filters = BLOC_YEAR_FILTERS

    def queryset_for(self, client):
        return selectors.bloc_years_for(client)


@listing(BLOC_YEAR_FILTERS, "Published rankings")
class RankingList(FilteredList):
    serializer_class = RankingSerializer
    filters = BLOC_YEAR_FILTERS

    def queryset_for(self, client):
        return selectors.ranked_bloc_years_for(client)

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        serializer = self.get_serializer(
            page, many=True, context={"rankings": rankings_for([b.pk for b in page])}
        )
        return self.get_paginated_response(serializer.data)


POLL_FILTERS = bloc_year_filters("meeting__bloc_year", "published_at")


@listing(POLL_FILTERS, "Published poll results")
class PollResultList(FilteredList):
    serializer_class = PollResultSerializer
    filters = POLL_FILTERS

    def queryset_for(self, client):
        return selectors.published_polls_for(client)


PROPOSAL_FILTERS = bloc_year_filters("bloc_year", ("submitted_at", "received_at", "decided_at"))


@listing(PROPOSAL_FILTERS, "Proposals submitted to the council")
class ProposalList(FilteredList):
    serializer_class = ProposalSerializer
    filters = PROPOSAL_FILTERS

    def queryset_for(self, client):
        return selectors.submitted_proposals_for(client)


DECISION_FILTERS = bloc_year_filters("proposal__bloc_year", "recorded_at")


@listing(DECISION_FILTERS, "The council's decisions, with the awards they grant")
class DecisionList(FilteredList):
    serializer_class = DecisionSerializer
    filters = DECISION_FILTERS

    def queryset_for(self, client):
        return selectors.decisions_for(client)


AWARD_RECORD_FILTERS = {
    "province": "agency__province__code",
    "year": "year",
    "updated_since": "updated_at",
}


@extend_schema_view(
    get=extend_schema(
        summary="Award records (the history eligibility rests on)",
        parameters=_parameters(AWARD_RECORD_FILTERS),
    ),
    post=extend_schema(
        summary="Record an award decided outside the application",
        request=AwardRecordInSerializer,
        responses={200: AwardRecordSerializer, 201: AwardRecordSerializer},
    ),
)
class AwardRecordList(FilteredList):
    serializer_class = AwardRecordSerializer
    filters = AWARD_RECORD_FILTERS

    def queryset_for(self, client):
        return selectors.award_records_for(client)

    def post(self, request, *args, **kwargs):
        """Checked as a row of the Excel import of award history is; the same
        ``external_key`` again returns the first record (200), not a second."""
        data = request.data if isinstance(request.data, dict) else {}
        key = str(data.get("external_key") or "").strip()
        if not key:
            raise exceptions.ValidationError({"external_key": [_("The external key is required.")]})
        if len(key) > 100:
            raise exceptions.ValidationError(
                {"external_key": [_("The external key is longer than 100 characters.")]}
            )
        row = convert_values(data, history.columns())
        known = (
            selectors.award_records_for(request.auth)
            .filter(agency__code=row.values.get("agency"), external_key=key)
            .first()
        )
        if known is None:
            lookups = history.check_rows([row], agencies=selectors.agencies_for(request.auth))
        else:
            # A repeated call: the award is in the history already (its own
            # record); the service compares the rest with what was received.
            lookups = history.HistoryLookups(
                agencies={known.agency.code: known.agency},
                types={
                    t.code: t for t in AwardType.objects.filter(code=row.values.get("award_type"))
                },
            )
            if row.values.get("award_type") not in lookups.types:
                row.errors.append(
                    _("Unknown award code “%(code)s”.") % {"code": row.values.get("award_type")}
                )
        if row.errors:
            return Response({"errors": row.errors}, status=status.HTTP_400_BAD_REQUEST)
        values = history.record_values(row, lookups)
        try:
            record, created = award_record_receive(
                actor=None, sender=request.auth.name, external_key=key, **values
            )
        except ValidationError as error:
            code = status.HTTP_409_CONFLICT if error.code == "conflict" else 400
            return Response({"errors": error.messages}, status=code)
        record = selectors.award_records_for(request.auth).get(pk=record.pk)
        return Response(
            AwardRecordSerializer(record).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )
