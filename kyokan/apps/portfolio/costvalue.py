"""費用対価値 (cost against value), exactly as DESIGN.md defines it, with its working.

- annual cost  = running cost + initial cost ÷ useful life + staff hours to run × hourly
  labour cost
- annual value = cases × minutes saved ÷ 60 × value of a citizen hour
  + staff hours saved × hourly labour cost + other quantified benefits
- ratio        = annual value ÷ annual cost
- payback      = initial cost ÷ (annual value − running cost), only when that is positive

The unit costs (hourly labour cost, value of a citizen hour, default useful life) are the
municipality's settings. The arithmetic is exact (fractions); yen are rounded half up to
whole yen only for display and files, the ratio to two decimals and payback to one.

An uncertain input may carry a low and a high estimate: the range of the ratio runs from
(value with every value input low) ÷ (cost with every cost input high) to the opposite, and
payback likewise from its worst to its best case.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

COST_INPUTS = ("initial_cost_yen", "running_cost_yen", "staff_hours_run")
VALUE_INPUTS = (
    "cases_per_year",
    "citizen_minutes_saved_per_case",
    "staff_hours_saved",
    "other_benefit_yen",
)
INPUTS = (*COST_INPUTS, *VALUE_INPUTS)


@dataclass(frozen=True)
class UnitCosts:
    hourly_labour_cost: int
    citizen_hour_value: int
    default_useful_life_years: int


@dataclass(frozen=True)
class Inputs:
    initial_cost_yen: int = 0
    running_cost_yen: int = 0
    useful_life_years: int | None = None
    staff_hours_run: int = 0
    cases_per_year: int = 0
    citizen_minutes_saved_per_case: int = 0
    staff_hours_saved: int = 0
    other_benefit_yen: int = 0
    # Citizen minutes per year saved by other modules' records (portfolio.contributions).
    contributed_citizen_minutes: int = 0

    @classmethod
    def of(cls, initiative) -> Inputs:
        return cls(
            **{name: getattr(initiative, name) or 0 for name in INPUTS},
            useful_life_years=initiative.useful_life_years,
            contributed_citizen_minutes=getattr(initiative, "contributed_citizen_minutes", 0) or 0,
        )


@dataclass(frozen=True)
class Case:
    """One evaluation: every intermediate as an exact fraction."""

    life: int
    depreciation: Fraction  # initial ÷ life
    staff_run_cost: Fraction  # staff hours to run × hourly labour cost
    annual_cost: Fraction
    citizen_hours: Fraction  # cases × minutes ÷ 60
    citizen_value: Fraction  # citizen hours × value of a citizen hour
    staff_saved_value: Fraction  # staff hours saved × hourly labour cost
    other: Fraction
    annual_value: Fraction
    net_for_payback: Fraction  # annual value − running cost
    ratio: Fraction | None
    payback: Fraction | None


def evaluate(inputs: Inputs, units: UnitCosts) -> Case:
    life = inputs.useful_life_years or units.default_useful_life_years
    if life < 1:
        raise ValueError("useful life must be at least one year")
    hourly = Fraction(units.hourly_labour_cost)
    depreciation = Fraction(inputs.initial_cost_yen, life)
    staff_run_cost = inputs.staff_hours_run * hourly
    annual_cost = inputs.running_cost_yen + depreciation + staff_run_cost
    citizen_hours = Fraction(
        inputs.cases_per_year * inputs.citizen_minutes_saved_per_case
        + inputs.contributed_citizen_minutes,
        60,
    )
    citizen_value = citizen_hours * units.citizen_hour_value
    staff_saved_value = inputs.staff_hours_saved * hourly
    other = Fraction(inputs.other_benefit_yen)
    annual_value = citizen_value + staff_saved_value + other
    net = annual_value - inputs.running_cost_yen
    return Case(
        life=life,
        depreciation=depreciation,
        staff_run_cost=staff_run_cost,
        annual_cost=annual_cost,
        citizen_hours=citizen_hours,
        citizen_value=citizen_value,
        staff_saved_value=staff_saved_value,
        other=other,
        annual_value=annual_value,
        net_for_payback=net,
        ratio=annual_value / annual_cost if annual_cost > 0 else None,
        payback=Fraction(inputs.initial_cost_yen) / net if net > 0 else None,
    )


@dataclass(frozen=True)
class Working:
    """The expected case, and the low and high cases when any input has an estimate."""

    inputs: Inputs
    units: UnitCosts
    expected: Case
    low: Case | None = None  # the worst case: value inputs low, cost inputs high
    high: Case | None = None  # the best case: value inputs high, cost inputs low
    estimates: dict[str, tuple[int, int]] = field(default_factory=dict)

    @property
    def has_range(self) -> bool:
        return self.low is not None


def working(inputs: Inputs, units: UnitCosts, estimates: dict[str, tuple[int, int]] | None = None):
    """The working of one initiative; ``estimates`` maps an input to its (low, high)."""
    estimates = {k: v for k, v in (estimates or {}).items() if k in INPUTS}
    expected = evaluate(inputs, units)
    if not estimates:
        return Working(inputs=inputs, units=units, expected=expected)

    def variant(best: bool) -> Inputs:
        values = {name: getattr(inputs, name) for name in INPUTS}
        for name, (low, high) in estimates.items():
            favourable_high = name in VALUE_INPUTS
            values[name] = high if favourable_high == best else low
        return Inputs(
            **values,
            useful_life_years=inputs.useful_life_years,
            contributed_citizen_minutes=inputs.contributed_citizen_minutes,
        )

    return Working(
        inputs=inputs,
        units=units,
        expected=expected,
        low=evaluate(variant(best=False), units),
        high=evaluate(variant(best=True), units),
        estimates=estimates,
    )


# --- rounding for display and files --------------------------------------------------------


def yen(value: Fraction) -> int:
    """Whole yen, rounded half up (exact: integer arithmetic on the fraction)."""
    q, r = divmod(value.numerator, value.denominator)
    return q + (1 if 2 * r >= value.denominator else 0)


def decimal(value: Fraction | None, places: int) -> Decimal | None:
    if value is None:
        return None
    quantum = Decimal(1).scaleb(-places)
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(
        quantum, rounding=ROUND_HALF_UP
    )


def ratio(value: Fraction | None) -> Decimal | None:
    return decimal(value, 2)


def payback(value: Fraction | None) -> Decimal | None:
    return decimal(value, 1)
