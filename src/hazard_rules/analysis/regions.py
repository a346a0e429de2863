"""Administrative division codes: roll a record's region up to province, city, county,
township and village, and name the groups from the names the records give.

A record's ``enterprise.region`` is a division code: six digits per GB/T 2260
(``330110``: province ``33``, city ``01``, county ``10``), optionally extended to the
statistical division codes (统计用区划代码) of nine digits for a township (乡镇街道,
``330110101``) or twelve for a village or community (村居, ``330110101201``). Each level's
code is a prefix of the record's code, completed to the GB/T 2260 form at the upper
levels: province ``330000``, city ``330100``, county ``330110``. A level is empty when
the code stops above it (``330100`` has no county) and every level is empty for a code
that is not 6, 9 or 12 digits.

Names come only from the records (no national code table is bundled): a code's name is
the ``enterprise.region_name`` given with exactly that code; a group above the records'
own codes is named after the part that the full names of its records share, cut at an
administrative unit (省 市 区 县 镇 乡 街道 村 社区 ...), when its records lie in two or
more regions one level down (otherwise its name cannot be told from theirs).

>>> levels("330110101201")
{'province': '330000', 'city': '330100', 'county': '330110', 'township': '330110101', \
'village': '330110101201'}
>>> common_name(["浙江省杭州市余杭区青禾镇东溪村", "浙江省杭州市余杭区青禾镇西岭村"])
'浙江省杭州市余杭区青禾镇'
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence

import polars as pl

__all__ = ["LEVELS", "add_levels", "common_name", "level_names", "levels", "split_name"]

#: The levels of a division code, from the top.
LEVELS = ("province", "city", "county", "township", "village")
#: The Chinese name of each level, for tables and charts.
LEVEL_LABELS = {"province": "省", "city": "市", "county": "县（区）", "township": "乡镇（街道）",
                "village": "村（社区）"}
_CODE = re.compile(r"^\d{6}(\d{3}(\d{3})?)?$")
_UNIT = re.compile(r".+?(?:特别行政区|自治区|自治州|自治县|自治旗|地区|街道|苏木|社区|居委会|"
                   r"村委会|嘎查|[省市盟区县旗镇乡村])")


def levels(code: str | None) -> dict[str, str | None]:
    """The code of each level that ``code`` belongs to (``None`` where it stops above).

    >>> levels("330100")["county"] is None, levels("33011")["province"] is None
    (True, True)
    """
    out: dict[str, str | None] = dict.fromkeys(LEVELS)
    if code is None or not _CODE.match(code.strip()):
        return out
    c = code.strip()
    out["province"] = c[:2] + "0000"
    if c[2:4] != "00":
        out["city"] = c[:4] + "00"
    if c[4:6] != "00":
        out["county"] = c[:6]
    if len(c) >= 9 and c[6:9] != "000":
        out["township"] = c[:9]
    if len(c) == 12 and c[9:12] != "000":
        out["village"] = c
    return out


def add_levels(frame: pl.DataFrame, column: str = "region") -> pl.DataFrame:
    """``frame`` with one column per level (:data:`LEVELS`) computed from ``column``.

    >>> add_levels(pl.DataFrame({"region": ["330110101201", "3301", None]})).row(0)
    ('330110101201', '330000', '330100', '330110', '330110101', '330110101201')
    """
    code = pl.col(column).str.strip_chars()
    valid = code.str.contains(r"^\d{6}(\d{3}(\d{3})?)?$").fill_null(False)

    def part(start: int, end: int) -> pl.Expr:
        return code.str.slice(start, end - start)

    n = code.str.len_chars()
    exprs = {
        "province": pl.when(valid).then(part(0, 2) + pl.lit("0000")),
        "city": pl.when(valid & (part(2, 4) != "00")).then(part(0, 4) + pl.lit("00")),
        "county": pl.when(valid & (part(4, 6) != "00")).then(part(0, 6)),
        "township": pl.when(valid & (n >= 9) & (part(6, 9) != "000")).then(part(0, 9)),
        "village": pl.when(valid & (n == 12) & (part(9, 12) != "000")).then(code),
    }
    return frame.with_columns(expr.cast(pl.String).alias(name) for name, expr in exprs.items())


def split_name(name: str) -> list[str]:
    """A full division name cut into its administrative units.

    >>> split_name("浙江省杭州市余杭区青禾镇镇东村")
    ['浙江省', '杭州市', '余杭区', '青禾镇', '镇东村']
    """
    units = _UNIT.findall(name)
    rest = name[sum(len(u) for u in units):]
    if rest:  # a tail with no unit suffix stays with the unit before it
        units = [*units[:-1], units[-1] + rest] if units else [rest]
    return units


def common_name(names: Iterable[str]) -> str | None:
    """The administrative units that all ``names`` start with, or ``None``.

    >>> common_name(["广东省东莞市虎门镇", "广东省东莞市长安镇"])
    '广东省东莞市'
    >>> common_name(["浙江省杭州市", "江苏省苏州市"]) is None
    True
    """
    split = [split_name(n) for n in names]
    if not split:
        return None
    shared: list[str] = []
    for parts in zip(*split, strict=False):
        if any(p != parts[0] for p in parts):
            break
        shared.append(parts[0])
    return "".join(shared) or None


def level_names(records: pl.DataFrame, level: str) -> dict[str, str]:
    """The names of the ``level`` codes of ``records`` (a frame with ``region``,
    ``region_name`` and the level columns of :func:`add_levels`), where they can be told.

    >>> frame = add_levels(pl.DataFrame({
    ...     "region": ["330110101201", "330110101202"],
    ...     "region_name": ["浙江省杭州市余杭区青禾镇东溪村", "浙江省杭州市余杭区青禾镇西岭村"]}))
    >>> level_names(frame, "township"), level_names(frame, "county")
    ({'330110101': '浙江省杭州市余杭区青禾镇'}, {})
    """
    if level not in LEVELS:
        raise ValueError(f"unknown region level {level!r}; use one of {', '.join(LEVELS)}")
    below = LEVELS[LEVELS.index(level) + 1:]
    child = pl.coalesce([pl.col(c) for c in below]) if below else pl.lit(None, pl.String)
    rows = (records.filter(pl.col(level).is_not_null() & pl.col("region_name").is_not_null())
            .select(pl.col(level).alias("code"), pl.col("region").str.strip_chars(),
                    pl.col("region_name"), child.alias("child"))
            .sort(["code", "region", "region_name"]))
    out: dict[str, str] = {}
    for (code,), group in rows.group_by(["code"], maintain_order=True):
        exact = group.filter(pl.col("region") == code)["region_name"].to_list()
        if exact:
            out[str(code)] = _most_common(exact)
        elif group["child"].n_unique() >= 2:
            found = common_name(group["region_name"].unique().sort().to_list())
            if found is not None:
                out[str(code)] = found
    return out


def _most_common(names: Sequence[str]) -> str:
    counts = Counter(names)
    return min(counts, key=lambda n: (-counts[n], n))


def short_labels(names: Sequence[str]) -> list[str]:
    """Names without the units that all of them share (for chart labels).

    >>> short_labels(["浙江省杭州市余杭区青禾镇东溪村", "浙江省杭州市余杭区青禾镇西岭村"])
    ['东溪村', '西岭村']
    """
    if len(names) < 2:
        return list(names)
    shared = common_name(names) or ""
    return [n[len(shared):] or n for n in names]
