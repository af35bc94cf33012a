"""費用対価値 against hand-computed cases: the arithmetic is written out in each test."""

from decimal import Decimal
from fractions import Fraction

import pytest

from kyokan.apps.portfolio import costvalue
from kyokan.apps.portfolio.costvalue import Inputs, UnitCosts

UNITS = UnitCosts(hourly_labour_cost=4000, citizen_hour_value=2000, default_useful_life_years=5)


def test_a_counter_reform_by_hand():
    inputs = Inputs(
        initial_cost_yen=6_000_000,
        running_cost_yen=1_200_000,
        useful_life_years=5,
        staff_hours_run=100,
        cases_per_year=12_000,
        citizen_minutes_saved_per_case=30,
        staff_hours_saved=2_000,
        other_benefit_yen=300_000,
    )
    case = costvalue.evaluate(inputs, UNITS)
    # annual cost = 1,200,000 + 6,000,000 / 5 + 100 × 4,000
    #             = 1,200,000 + 1,200,000 + 400,000 = 2,800,000
    assert case.depreciation == 1_200_000
    assert case.staff_run_cost == 400_000
    assert case.annual_cost == 2_800_000
    # citizens' hours = 12,000 × 30 / 60 = 6,000 h; × 2,000 = 12,000,000
    # staff saved = 2,000 × 4,000 = 8,000,000; other = 300,000
    # annual value = 12,000,000 + 8,000,000 + 300,000 = 20,300,000
    assert case.citizen_hours == 6_000
    assert case.citizen_value == 12_000_000
    assert case.staff_saved_value == 8_000_000
    assert case.annual_value == 20_300_000
    # ratio = 20,300,000 / 2,800,000 = 7.25
    assert costvalue.ratio(case.ratio) == Decimal("7.25")
    # payback = 6,000,000 / (20,300,000 − 1,200,000) = 6,000,000 / 19,100,000 = 0.314… → 0.3
    assert case.payback == Fraction(6_000_000, 19_100_000)
    assert costvalue.payback(case.payback) == Decimal("0.3")


def test_a_tool_that_does_not_pay_back():
    inputs = Inputs(
        initial_cost_yen=3_000_000,
        running_cost_yen=900_000,
        useful_life_years=None,  # the municipality's default: 5 years
        cases_per_year=500,
        citizen_minutes_saved_per_case=7,
        staff_hours_saved=50,
    )
    case = costvalue.evaluate(inputs, UNITS)
    # annual cost = 900,000 + 3,000,000 / 5 + 0 = 1,500,000
    assert case.life == 5
    assert case.annual_cost == 1_500_000
    # value = 500 × 7 / 60 h = 58.333… h × 2,000 = 116,666.67 + 50 × 4,000 = 200,000
    #       = 316,666.67 (exactly 950,000 / 3)
    assert case.annual_value == Fraction(950_000, 3)
    assert costvalue.yen(case.annual_value) == 316_667
    # ratio = 316,666.67 / 1,500,000 = 0.2111 → 0.21
    assert costvalue.ratio(case.ratio) == Decimal("0.21")
    # value − running = 316,666.67 − 900,000 < 0: no payback
    assert case.payback is None


def test_an_uneven_division_rounds_half_up_only_when_shown():
    inputs = Inputs(initial_cost_yen=1_000_000, useful_life_years=3)
    case = costvalue.evaluate(inputs, UNITS)
    # 1,000,000 / 3 = 333,333.33…: kept exact, shown as 333,333
    assert case.depreciation == Fraction(1_000_000, 3)
    assert costvalue.yen(case.depreciation) == 333_333
    assert costvalue.yen(Fraction(5, 2)) == 3  # 2.5 → 3 (half up)
    assert case.ratio == 0  # no value at all


def test_no_cost_gives_no_ratio():
    case = costvalue.evaluate(Inputs(staff_hours_saved=10), UNITS)
    assert case.annual_cost == 0 and case.ratio is None


def test_the_range_takes_value_low_and_cost_high_for_the_low_case():
    inputs = Inputs(
        initial_cost_yen=1_000_000, running_cost_yen=100_000, useful_life_years=5,
        cases_per_year=1_000, citizen_minutes_saved_per_case=60,
    )  # fmt: skip
    estimates = {"cases_per_year": (500, 2_000), "running_cost_yen": (50_000, 200_000)}
    w = costvalue.working(inputs, UNITS, estimates)
    # expected: cost = 100,000 + 200,000 = 300,000; value = 1,000 h × 2,000 = 2,000,000
    assert w.expected.annual_cost == 300_000 and w.expected.annual_value == 2_000_000
    # low: cost = 200,000 + 200,000 = 400,000; value = 500 × 2,000 = 1,000,000 → 2.5
    assert w.low.annual_cost == 400_000 and w.low.annual_value == 1_000_000
    assert costvalue.ratio(w.low.ratio) == Decimal("2.50")
    # high: cost = 50,000 + 200,000 = 250,000; value = 2,000 × 2,000 = 4,000,000 → 16
    assert costvalue.ratio(w.high.ratio) == Decimal("16.00")
    # payback low: 1,000,000 / (1,000,000 − 200,000) = 1.25 → 1.3; high: 1e6 / 3.95e6 → 0.3
    assert costvalue.payback(w.low.payback) == Decimal("1.3")
    assert costvalue.payback(w.high.payback) == Decimal("0.3")


def test_a_useful_life_of_zero_is_refused():
    with pytest.raises(ValueError):
        costvalue.evaluate(Inputs(useful_life_years=0), UnitCosts(4000, 2000, 0))
