"""Round-robin assignment, by bucket when asked, and the lead's reassignment (CONTRACT §13)."""

from collections import Counter

import pytest
from django.contrib.admin.models import LogEntry

from recovery.models import Assignment, CollectionCase, CollectorBuckets
from tests.recovery.helpers import collector, lead, open_case_of, run_job, seed_loan

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/recovery/collectioncase/"


def assignees(loans) -> list[str]:
    return [open_case_of(loan).collector.username for loan in loans]


class TestRoundRobin:
    def test_new_cases_go_round_robin_in_turn(self):
        a, b, c = collector("a"), collector("b"), collector("c")
        loans = [seed_loan() for _ in range(7)]
        run_job(1)
        assert sorted(Counter(assignees(loans)).values()) == [2, 2, 3]
        # in loan-id order, the job's order, the turn goes a, b, c, a, ...
        by_id = sorted(loans, key=lambda loan: loan.pk)
        assert assignees(by_id) == ["a", "b", "c", "a", "b", "c", "a"]
        assert {a, b, c}

    def test_the_round_continues_on_the_next_day_and_skips_inactive_collectors(self):
        collector("a")
        collector("b")
        first = seed_loan()
        run_job(1)
        assert assignees([first]) == ["a"]
        collector("c", is_active=False)
        later = [seed_loan() for _ in range(3)]
        run_job(2)
        assert sorted(assignees(later)) == ["a", "b", "b"]  # after a: b, then a, then b

    def test_without_collectors_the_case_waits_unassigned_and_is_assigned_the_next_day(self):
        loan = seed_loan()
        run_job(1)
        assert open_case_of(loan).collector is None
        collector("a")
        run_job(2)
        assert open_case_of(loan).collector.username == "a"

    def test_by_bucket_each_bucket_has_its_round(self, settings):
        settings.COLLECTION_ASSIGN_BY_BUCKET = True
        early, late = collector("early"), collector("late")
        CollectorBuckets.objects.create(collector=early, buckets=["M1"])
        CollectorBuckets.objects.create(collector=late, buckets=["M2", "M3"])
        loan = seed_loan()
        run_job(30)
        assert assignees([loan]) == ["early"]
        run_job(31)  # M2: early does not work it, the M2 round takes it
        case = open_case_of(loan)
        assert case.collector == late
        assert list(case.assignments.order_by("pk").values_list("collector__username", "bucket")) == [("early", "M1"), ("late", "M2")]


class TestReassignment:
    def test_the_lead_reassigns_many_with_a_note_and_every_assignment_is_kept(self, client):
        a, b = collector("a"), collector("b")
        loans = [seed_loan() for _ in range(2)]
        run_job(3)
        cases = [open_case_of(loan) for loan in loans]
        boss = lead()
        client.force_login(boss)
        response = client.post(
            CHANGELIST,
            {"action": "reassign_cases", "_selected_action": [c.pk for c in cases], "post": "yes", "collector": b.pk, "note": "a 休假"},
        )
        assert response.status_code == 302
        assert set(CollectionCase.objects.values_list("collector__username", flat=True)) == {"b"}
        moved = Assignment.objects.filter(assigned_by=boss)
        assert list(moved.values_list("previous__username", "collector__username", "note")) == [("a", "b", "a 休假")]
        assert Assignment.objects.count() == 3  # two automatic, one by the lead (the other was b's already)
        moved_case = next(case for case in cases if case.collector == a)
        log = LogEntry.objects.get(object_id=str(moved_case.pk))
        assert log.change_message == "调案。催收员：a → b。原因：a 休假"

    def test_a_collector_cannot_reassign(self, client):
        a, b = collector("a"), collector("b")
        loan = seed_loan()
        run_job(3)
        client.force_login(a)
        case = open_case_of(loan)
        client.post(CHANGELIST, {"action": "reassign_cases", "_selected_action": [case.pk], "post": "yes", "collector": b.pk})
        assert open_case_of(loan).collector == a

    def test_by_bucket_a_case_goes_only_to_a_collector_of_its_bucket(self, client, settings):
        """Given to a collector who does not work its bucket, the next night's job would take it
        back without a word: the lead is told instead."""
        settings.COLLECTION_ASSIGN_BY_BUCKET = True
        early, late = collector("early"), collector("late")
        CollectorBuckets.objects.create(collector=early, buckets=["M1"])
        CollectorBuckets.objects.create(collector=late, buckets=["M2", "M3"])
        loan = seed_loan()
        run_job(31)
        case = open_case_of(loan)
        assert case.collector == late
        client.force_login(lead())
        response = client.post(
            CHANGELIST, {"action": "reassign_cases", "_selected_action": [case.pk], "post": "yes", "collector": early.pk}, follow=True
        )
        assert "early 不负责 M2 账龄" in response.content.decode()
        assert open_case_of(loan).collector == late

    def test_only_an_active_collector_may_be_given_a_case(self, client):
        a = collector("a")
        outsider = lead("other-lead")
        loan = seed_loan()
        run_job(3)
        client.force_login(lead())
        case = open_case_of(loan)
        response = client.post(CHANGELIST, {"action": "reassign_cases", "_selected_action": [case.pk], "post": "yes", "collector": outsider.pk})
        assert response.status_code == 200  # the form again, with its error
        assert open_case_of(loan).collector == a
