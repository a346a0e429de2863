"""Division codes: levels by prefix, names from the records."""

from __future__ import annotations

import polars as pl
import pytest

from hazard_rules.analysis.regions import (
    add_levels,
    common_name,
    level_names,
    levels,
    short_labels,
    split_name,
)

CODES = ["330110", "330100", "330000", "110101", "441900", "330110101",
         "330110101201", "330110101000", "3301101", "33011A", "", None, " 330110 "]


@pytest.mark.parametrize("code", CODES)
def test_frame_levels_equal_the_scalar_function(code: str | None) -> None:
    row = add_levels(pl.DataFrame({"region": [code]}, schema={"region": pl.String})).row(
        0, named=True)
    assert {k: row[k] for k in levels(code)} == levels(code)


def test_levels_by_prefix() -> None:
    assert levels("330110") == {"province": "330000", "city": "330100", "county": "330110",
                                "township": None, "village": None}
    assert levels("330100")["city"] == "330100" and levels("330100")["county"] is None
    assert levels("330000") == {"province": "330000", "city": None, "county": None,
                                "township": None, "village": None}
    # 东莞市 has no counties: its towns lie directly under the city
    assert levels("441900003") == {"province": "440000", "city": "441900", "county": None,
                                   "township": "441900003", "village": None}
    assert levels("330110101000")["township"] == "330110101"
    assert levels("330110101000")["village"] is None
    assert set(levels("33011A").values()) == {None}
    assert set(levels("3301101").values()) == {None}


def test_split_and_common_names() -> None:
    assert split_name("内蒙古自治区锡林郭勒盟锡林浩特市") == [
        "内蒙古自治区", "锡林郭勒盟", "锡林浩特市"]
    assert split_name("浙江省杭州市余杭区青禾镇镇东村") == ["浙江省", "杭州市", "余杭区", "青禾镇",
                                                          "镇东村"]
    assert split_name("北京市朝阳区") == ["北京市", "朝阳区"]
    assert common_name(["浙江省杭州市余杭区青禾镇东溪村", "浙江省杭州市余杭区青禾镇东山村"]) == \
        "浙江省杭州市余杭区青禾镇"
    assert common_name(["浙江省杭州市余杭区青禾镇镇东村", "浙江省杭州市余杭区青禾镇镇西村"]) == \
        "浙江省杭州市余杭区青禾镇"
    assert common_name([]) is None
    assert short_labels(["浙江省杭州市余杭区青禾镇东溪村", "浙江省杭州市余杭区青禾镇西岭村"]) == \
        ["东溪村", "西岭村"]
    assert short_labels(["只有一个"]) == ["只有一个"]


def _records(rows: list[tuple[str, str | None]]) -> pl.DataFrame:
    return add_levels(pl.DataFrame(rows, schema={"region": pl.String, "region_name": pl.String},
                                   orient="row"))


def test_names_exact_shared_or_unknown() -> None:
    frame = _records([
        ("330110101201", "浙江省杭州市余杭区甲镇东溪村"),
        ("330110101202", "浙江省杭州市余杭区甲镇西岭村"),
        ("330110102201", "浙江省杭州市余杭区乙镇南塘村"),
        ("330110", "浙江省杭州市余杭区"),
        ("330110102202", None),
    ])
    assert level_names(frame, "village") == {"330110101201": "浙江省杭州市余杭区甲镇东溪村",
                                             "330110101202": "浙江省杭州市余杭区甲镇西岭村",
                                             "330110102201": "浙江省杭州市余杭区乙镇南塘村"}
    # 甲镇 has two villages: their shared name; 乙镇 one named village: cannot be told
    assert level_names(frame, "township") == {"330110101": "浙江省杭州市余杭区甲镇"}
    assert level_names(frame, "county") == {"330110": "浙江省杭州市余杭区"}  # given exactly
    assert level_names(frame, "city") == {}  # one county below it: not told
    with pytest.raises(ValueError, match="unknown region level"):
        level_names(frame, "street")


def test_the_most_common_name_of_a_code_wins() -> None:
    frame = _records([("330110", "余杭区"), ("330110", "浙江省杭州市余杭区"),
                      ("330110", "浙江省杭州市余杭区")])
    assert level_names(frame, "county") == {"330110": "浙江省杭州市余杭区"}
