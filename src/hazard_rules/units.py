"""Units of measure used by fact catalogs and condition literals.

Each unit belongs to a dimension and has an exact factor to that dimension's
base unit, so ``30 kPa`` can be compared with a fact recorded in MPa. Counting
units (persons, pieces) are dimensionless labels: a bare number compares with them.

>>> convert(30, "kPa", "MPa")
0.03
>>> UNITS["%"].dimension
'ratio'
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

__all__ = ["UNITS", "Unit", "convert", "factor"]


@dataclass(frozen=True)
class Unit:
    """A unit symbol, its dimension, and its exact factor to the base unit."""

    symbol: str
    dimension: str
    factor: Fraction
    zh: str
    en: str

    @property
    def is_count(self) -> bool:
        """Counting units label a number; bare numbers may be compared with them."""
        return self.dimension.startswith("count")


def _u(symbol: str, dimension: str, factor: str | int, zh: str, en: str) -> Unit:
    return Unit(symbol, dimension, Fraction(factor), zh, en)


_TABLE = [
    _u("Pa", "pressure", 1, "帕", "pascal"),
    _u("kPa", "pressure", 1000, "千帕", "kilopascal"),
    _u("MPa", "pressure", 1_000_000, "兆帕", "megapascal"),
    _u("mm", "length", "1/1000", "毫米", "millimetre"),
    _u("cm", "length", "1/100", "厘米", "centimetre"),
    _u("m", "length", 1, "米", "metre"),
    _u("km", "length", 1000, "千米", "kilometre"),
    _u("m2", "area", 1, "平方米", "square metre"),
    _u("L", "volume", "1/1000", "升", "litre"),
    _u("m3", "volume", 1, "立方米", "cubic metre"),
    _u("g", "mass", "1/1000", "克", "gram"),
    _u("kg", "mass", 1, "千克", "kilogram"),
    _u("t", "mass", 1000, "吨", "tonne"),
    _u("s", "time", 1, "秒", "second"),
    _u("min", "time", 60, "分钟", "minute"),
    _u("h", "time", 3600, "小时", "hour"),
    _u("d", "time", 86400, "天", "day"),
    _u("degC", "temperature", 1, "摄氏度", "degree Celsius"),
    _u("V", "voltage", 1, "伏", "volt"),
    _u("kV", "voltage", 1000, "千伏", "kilovolt"),
    _u("kW", "power", 1000, "千瓦", "kilowatt"),
    _u("MW", "power", 1_000_000, "兆瓦", "megawatt"),
    _u("m_per_s", "speed", 1, "米每秒", "metre per second"),
    _u("km_per_h", "speed", "5/18", "千米每小时", "kilometre per hour"),
    _u("ppm", "concentration", 1, "ppm", "parts per million"),
    _u("mg_per_m3", "mass_concentration", 1, "毫克每立方米", "milligram per cubic metre"),
    _u("kN_per_m2", "pressure", 1000, "千牛每平方米", "kilonewton per square metre"),
    _u("kN", "force", 1000, "千牛", "kilonewton"),
    _u("N", "force", 1, "牛", "newton"),
    _u("deg", "angle", 1, "度", "degree of angle"),
    _u("A", "current", 1, "安", "ampere"),
    _u("mA", "current", "1/1000", "毫安", "milliampere"),
    _u("ohm", "resistance", 1, "欧", "ohm"),
    _u("Mohm", "resistance", 1_000_000, "兆欧", "megaohm"),
    _u("Hz", "frequency", 1, "赫兹", "hertz"),
    _u("m3_per_s", "volume_flow", 1, "立方米每秒", "cubic metre per second"),
    _u("m3_per_min", "volume_flow", "1/60", "立方米每分钟", "cubic metre per minute"),
    _u("m3_per_h", "volume_flow", "1/3600", "立方米每小时", "cubic metre per hour"),
    _u("L_per_min", "volume_flow", "1/60000", "升每分钟", "litre per minute"),
    _u("t_per_a", "annual_output", 1, "吨每年", "tonne per year"),
    _u("kt_per_a", "annual_output", 1000, "千吨每年", "kilotonne per year"),
    _u("Mt_per_a", "annual_output", 1_000_000, "百万吨每年", "megatonne per year"),
    _u("t_per_month", "monthly_output", 1, "吨每月", "tonne per month"),
    _u("t_per_d", "daily_output", 1, "吨每天", "tonne per day"),
    _u("mm_per_s", "speed", "1/1000", "毫米每秒", "millimetre per second"),
    _u("%", "ratio", "1/100", "%", "percent"),
    _u("pct_lel", "flammable_ratio", 1, "%LEL", "percent of lower explosive limit"),
    _u("persons", "count:persons", 1, "人", "persons"),
    _u("pcs", "count:pieces", 1, "个/台", "pieces"),
    _u("times", "count:times", 1, "次", "times"),
    _u("vehicles", "count:vehicles", 1, "辆", "vehicles"),
    _u("floors", "count:floors", 1, "层", "floors (storeys)"),
]

#: Every known unit, by symbol.
UNITS: dict[str, Unit] = {u.symbol: u for u in _TABLE}


def factor(from_unit: str, to_unit: str) -> Fraction:
    """The exact factor that turns a value in ``from_unit`` into ``to_unit``."""
    a, b = UNITS[from_unit], UNITS[to_unit]
    if a.dimension != b.dimension:
        raise ValueError(f"cannot convert {from_unit} ({a.dimension}) to {to_unit} ({b.dimension})")
    return a.factor / b.factor


def convert(value: int | float, from_unit: str, to_unit: str) -> float:
    """Convert ``value`` between units of one dimension, rounding once at the end."""
    return float(Fraction(value) * factor(from_unit, to_unit))
