"""Classify a Spark DataFrame of inspection records with the columnar backend.

The rulesets are loaded and checked once, on the driver, and broadcast to the
executors (as their checked model, whose conditions are already typed IR); each
Python worker builds its column-wise classifier from them once and reuses it. Records
reach the workers as Arrow batches through ``mapInArrow`` and come back as the
columns of :meth:`hazard_rules.Engine.classify_frame`, with a declared schema
(:data:`VERDICT_SCHEMA`), so the semantics are those of the local engine: bad rows
are rows with errors (status ``error``), never a failed job.

The input has one row per record, like a frame for ``classify_frame``: columns
``record_id``, ``inspected_on`` (a date or ``YYYY-MM-DD`` text), ``enterprise``
(a struct) or ``enterprise.<field>`` columns, and the facts as a ``facts`` struct, as
namespace structs (``dust``, ``common``, ...) or as dotted columns.

Needs the ``spark`` extra (``pip install 'hazard-rules[spark]'``) and hazard-rules
installed on the executors.

>>> from pyspark.sql import SparkSession              # doctest: +SKIP
>>> spark = SparkSession.builder.master("local[2]").getOrCreate()  # doctest: +SKIP
>>> verdicts, findings = classify_spark(spark.read.parquet("records.parquet"),
...                                     findings=True)  # doctest: +SKIP
>>> verdicts.groupBy("status").count().show()       # doctest: +SKIP
"""

from __future__ import annotations

import hashlib
import pickle
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any, Literal, overload

if TYPE_CHECKING:
    import pyarrow as pa  # type: ignore[import-untyped]
    from pyspark.sql import DataFrame

    from hazard_rules.engine import Engine, Missing
    from hazard_rules.model import Rulesets

__all__ = ["FINDINGS_SCHEMA", "VERDICT_SCHEMA", "classify_spark"]

#: The schema of the verdicts DataFrame (Spark DDL). ``row`` is the value of the
#: ``row_column`` of the input, or Spark's ``monotonically_increasing_id()`` (unique,
#: not consecutive).
VERDICT_SCHEMA = (
    "row bigint, record_id string, inspected_on date, status string, "
    "editions array<string>, fired array<string>, undetermined array<string>, "
    "unassessed array<string>, "
    "errors array<struct<code:string,field:string,message:string,blocking:boolean>>"
)
#: The schema of the findings DataFrame: one row per record and fired clause.
FINDINGS_SCHEMA = ("row bigint, record_id string, inspected_on date, rule_id string, "
                   "standard string, edition string, article string")
_ROW = "__hazard_rules_row"
# Spark reads a dot in a column name as struct access; dotted fact columns travel
# under this stand-in and get their dots back on the worker
_DOT = "__hazard_rules_dot__"

# per Python worker: the engines built from broadcast rulesets, by their digest
_ENGINES: dict[tuple[str, str], Engine] = {}


def _engine(digest: str, payload: Callable[[], bytes], missing: Missing) -> Engine:
    engine = _ENGINES.get((digest, missing))
    if engine is None:
        from hazard_rules.engine import Engine

        # the driver pickled these checked rulesets itself: not input from strangers
        engine = Engine(pickle.loads(payload()), missing=missing)
        _ENGINES[(digest, missing)] = engine
    return engine


def _arrow_schema(large: bool) -> pa.Schema:
    import pyarrow as pa

    text = pa.large_string() if large else pa.string()

    def strings() -> pa.DataType:
        return pa.large_list(text) if large else pa.list_(text)

    error = pa.struct([("code", text), ("field", text), ("message", text),
                       ("blocking", pa.bool_())])
    return pa.schema([
        ("row", pa.int64()), ("record_id", text), ("inspected_on", pa.date32()),
        ("status", text), ("editions", strings()), ("fired", strings()),
        ("undetermined", strings()), ("unassessed", strings()),
        ("errors", pa.large_list(error) if large else pa.list_(error)),
    ])


def _classifier(digest: str, payload: Callable[[], bytes], missing: Missing,
                large: bool) -> Callable[[Iterator[pa.RecordBatch]], Iterator[pa.RecordBatch]]:
    def classify(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        import polars as pl

        engine = _engine(digest, payload, missing)
        schema = _arrow_schema(large)
        for batch in batches:
            frame = pl.from_arrow(batch)
            assert isinstance(frame, pl.DataFrame)
            frame = frame.rename({c: c.replace(_DOT, ".") for c in frame.columns if _DOT in c})
            rows = frame[_ROW]
            result = engine.classify_frame(frame.drop(_ROW), row_numbers=rows.to_list())
            table = result.verdicts_pl.select(schema.names).to_arrow().cast(schema)
            yield from table.to_batches()

    return classify


@overload
def classify_spark(df: DataFrame, rulesets: Rulesets | None = ..., *,
                   missing: Missing = ..., findings: Literal[False] = ...,
                   row_column: str | None = ...) -> DataFrame: ...


@overload
def classify_spark(df: DataFrame, rulesets: Rulesets | None = ..., *,
                   missing: Missing = ..., findings: Literal[True],
                   row_column: str | None = ...) -> tuple[DataFrame, DataFrame]: ...


def classify_spark(df: DataFrame, rulesets: Rulesets | None = None, *,
                   missing: Missing = "unknown", findings: bool = False,
                   row_column: str | None = None) -> Any:
    """Classify every row of ``df``; returns the verdicts DataFrame (:data:`VERDICT_SCHEMA`),
    or ``(verdicts, findings)`` with ``findings=True`` (:data:`FINDINGS_SCHEMA`).

    ``rulesets`` defaults to the bundled ones; ``missing`` is as for
    :class:`hazard_rules.Engine`. ``row_column`` names an integer column of ``df`` that
    numbers the rows (shown in the ``row`` columns and in messages); without it, rows
    are numbered by ``monotonically_increasing_id()``. The result is lazy, like any
    Spark DataFrame; nothing runs until an action.
    """
    from pyspark.sql import functions as F

    if missing not in ("unknown", "false"):
        raise ValueError(f"missing must be 'unknown' or 'false', not {missing!r}")
    if rulesets is None:
        from hazard_rules.build import load_rulesets

        rulesets = load_rulesets()
    payload = pickle.dumps(rulesets)
    digest = hashlib.sha256(payload).hexdigest()
    spark = df.sparkSession
    shipped = spark.sparkContext.broadcast(payload)
    large = str(spark.conf.get("spark.sql.execution.arrow.useLargeVarTypes")
                ).lower() == "true"
    df = df.toDF(*(c.replace(".", _DOT) for c in df.columns))  # by position: no parsing
    if row_column is not None:
        row_column = row_column.replace(".", _DOT)
        if row_column not in df.columns:
            raise ValueError(f"row_column {row_column!r} is not a column of the DataFrame")
        numbered = df.withColumnRenamed(row_column, _ROW).withColumn(
            _ROW, F.col(_ROW).cast("bigint"))
    else:
        numbered = df.withColumn(_ROW, F.monotonically_increasing_id())
    verdicts = numbered.mapInArrow(
        _classifier(digest, lambda: shipped.value, missing, large), VERDICT_SCHEMA)
    if not findings:
        return verdicts
    rules = spark.createDataFrame(
        [(r.id, ed.standard, ed.id, r.article) for ed in rulesets for r in ed.rules],
        "rule_id string, standard string, edition string, article string")
    # a broadcast join: no shuffle of the verdicts
    found = (verdicts.select("row", "record_id", "inspected_on",
                             F.explode("fired").alias("rule_id"))
             .join(F.broadcast(rules), "rule_id")
             .select("row", "record_id", "inspected_on", "rule_id", "standard", "edition",
                     "article"))
    return verdicts, found
