"""What the collections pages say to the people using them (the fixes of the browser walk,
checked without a browser): the dashboard's cases, whose list it is, the 403 of another's case,
the reassignment form, names on the case page, the reports' empty tables and links, whether the
collectors' buckets are used."""

from datetime import timedelta

import pytest

from recovery import selectors
from tests.recovery.book import a_book

pytestmark = pytest.mark.django_db

CASES = "/admin/recovery/collectioncase/"


@pytest.fixture
def book():
    return a_book()


def page(client, user, url, **params) -> str:
    client.force_login(user)
    response = client.get(url, params)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


class TestDashboard:
    def test_a_collector_lands_on_their_cases(self, client, book):
        html = page(client, book.collectors["zhangsan"], "/admin/")
        assert 'id="cases-panel"' in html and "我的在催案件" in html and "¥3,141.30" in html
        assert f'href="{CASES}?broken_promise__exact=1"' in html and f'href="{CASES}?bucket=M4%2B"' in html
        assert 'class="range"' not in html  # nothing on the page reads a date range

    def test_the_lead_sees_every_case_and_no_range_that_changes_nothing(self, client, book):
        html = page(client, book.lead, "/admin/")
        assert "在催案件（全部催收员）" in html and f'href="{CASES}?collector=none"' in html
        assert 'id="bucket-panel"' in html and 'class="range"' not in html

    def test_the_workload_counts(self, book):
        mine = selectors.workload(book.collectors["zhangsan"], book.today)
        assert (mine.cases, str(mine.due), mine.broken, mine.promised_today, mine.unassigned) == (4, "3141.30", 1, 0, 0)
        assert [(bucket, count) for bucket, count, _ in mine.by_bucket] == [("M1", 3), ("M2", 1), ("M3", 0), ("M4+", 0)]
        everyone = selectors.workload(book.lead, book.today)
        assert (everyone.cases, everyone.broken) == (7, 2)
        assert selectors.workload(book.collectors["wangwu"], book.today + timedelta(days=2)).promised_today == 0
        assert selectors.workload(book.collectors["zhangsan"], book.today + timedelta(days=2)).promised_today == 1


class TestLists:
    def test_the_title_says_whose_cases(self, client, book):
        assert "<h1>我的催收案件</h1>" in page(client, book.collectors["zhangsan"], CASES)
        assert "<h1>全部催收案件</h1>" in page(client, book.lead, CASES)

    def test_promises_due_today_and_pending(self, client, book):
        client.force_login(book.collectors["zhangsan"])
        assert list(client.get(CASES, {"promise": "pending"}).context["cl"].result_list) == [book.case("钱二")]
        assert list(client.get(CASES, {"promise": "today"}).context["cl"].result_list) == []


class TestAnothersCase:
    def test_the_403_says_why_and_leads_back(self, client, book):
        client.force_login(book.collectors["zhangsan"])
        for url in (f"{CASES}{book.case('周五').pk}/change/", f"{CASES}{book.case('周五').pk}/history/"):
            response = client.get(url)
            html = response.content.decode()
            assert response.status_code == 403
            assert "没有分给您" in html and "请联系催收主管调案" in html and f'href="{CASES}"' in html and "返回我的案件" in html


class TestReassignForm:
    def test_lists_who_holds_each_case_and_preselects_no_one(self, client, book):
        client.force_login(book.lead)
        chosen = [book.case("赵一").pk, book.case("周五").pk]
        html = client.post(CASES, {"action": "reassign_cases", "_selected_action": chosen}).content.decode()
        assert 'id="reassign-cases"' in html and "张三（zhangsan）" in html and "李四（lisi）" in html
        assert '<option value="" selected>请选择催收员</option>' in html
        response = client.post(CASES, {"action": "reassign_cases", "_selected_action": chosen, "post": "yes", "collector": ""})
        assert "该字段是必填项" in response.content.decode()
        assert book.case("赵一").collector.username == "zhangsan"


class TestCasePage:
    def test_people_by_name(self, client, book):
        from recovery.assignment import reassign

        reassign(book.case("吴六"), book.collectors["wangwu"], by=book.lead, note="调整")
        html = page(client, book.collectors["wangwu"], f"{CASES}{book.case('吴六').pk}/change/")
        contacts = html[html.index('id="contacts"'):html.index('id="assignments"')]
        assignments = html[html.index('id="assignments"'):]
        assert "<td>李四</td>" in contacts and "lisi" not in contacts
        assert "<td>boss</td>" in assignments and "<td>李四</td>" in assignments and "<td>王五</td>" in assignments


class TestReports:
    def test_empty_tables_say_so_and_todays_rows_lead_to_the_cases(self, client, book):
        html = page(client, book.lead, "/admin/recovery/collectionreport/", start=book.today.isoformat())
        assert "这段时间没有催收回款" in html
        zhang = book.collectors["zhangsan"].pk
        assert f'href="{CASES}?collector={zhang}"' in html
        earlier = page(client, book.lead, "/admin/recovery/collectionreport/", on=(book.today - timedelta(days=400)).isoformat())
        assert "这一天日终没有在催案件" in earlier and f"?collector={zhang}" not in earlier


class TestCollectorBuckets:
    def test_the_list_says_whether_the_buckets_are_used(self, client, book, settings):
        settings.COLLECTION_ASSIGN_BY_BUCKET = False
        assert "这里的设置暂不生效" in page(client, book.lead, "/admin/recovery/collectorbuckets/")
        settings.COLLECTION_ASSIGN_BY_BUCKET = True
        assert "已开启按账龄分案" in page(client, book.lead, "/admin/recovery/collectorbuckets/")
