"""Ticks: intervals on a grid every scheduler shares, cron read by croniter, shared jitter."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from crawler.sites import Site
from crawler.ticks import BadSchedule, Schedule, jitter_of

T0 = datetime(2027, 1, 15, 8, 0, tzinfo=UTC).timestamp()


def test_interval_ticks_are_multiples_of_the_interval_since_the_epoch():
    every = Schedule(every_s=900)
    assert every.tick_at_or_before(T0 + 10) == T0
    assert every.tick_at_or_before(T0 + 899.9) == T0
    assert every.tick_at_or_before(T0 + 900) == T0 + 900
    assert every.tick_after(T0) == T0 + 900
    assert every.period_near(T0) == 900


def test_cron_ticks_are_utc_times_the_expression_names():
    office = Schedule(every_s=3600, cron="0 9,17 * * *")
    nine = T0 + 3600
    assert office.tick_at_or_before(nine) == nine  # an exact match is that tick
    assert office.tick_at_or_before(nine + 60) == nine
    assert office.tick_at_or_before(nine - 1) == nine - 3600 * 16  # 17:00 the day before
    assert office.tick_after(nine) == nine + 8 * 3600
    assert office.period_near(nine + 8 * 3600) == 16 * 3600
    assert Schedule(every_s=1, cron="@hourly").tick_after(T0) == T0 + 3600


@pytest.mark.parametrize(
    ("cron", "why"),
    [
        ("every day", "expected five fields"),
        ("*/5 * * * * *", "expected five fields"),  # croniter's seconds field
        ("61 * * * *", "not a valid"),
        ("0 0 31 2 *", "never comes due"),
    ],
)
def test_a_bad_cron_expression_is_refused_with_the_reason(cron, why):
    with pytest.raises(BadSchedule, match=why):
        Schedule(every_s=60, cron=cron)


def test_a_site_declaration_is_checked_for_its_schedule():
    assert Site(name="a", home="http://a.example/", cron="*/15 6-23 * * *").schedule().cron
    with pytest.raises(ValueError, match="never comes due"):
        Site(name="a", home="http://a.example/", cron="0 0 30 2 *")
    with pytest.raises(ValueError, match="more than 0 minutes"):
        Site(name="a", home="http://a.example/", every_minutes=0)


def test_jitter_is_shared_bounded_and_spread():
    draws = [jitter_of(f"site{i}", T0, 900, 120) for i in range(200)]
    assert all(0 <= d < 90 for d in draws)  # a tenth of 15 minutes, under the 120 s cap
    assert max(draws) > 60 and min(draws) < 30  # spread, not bunched
    assert jitter_of("site1", T0, 900, 120) == draws[1]  # every scheduler draws the same
    assert jitter_of("site1", T0 + 900, 900, 120) != draws[1]  # a new draw each tick
    assert all(jitter_of(f"s{i}", T0, 86_400, 120) < 120 for i in range(50))  # the cap
    assert jitter_of("site1", T0, 900, 0) == 0
