"""Scan job ads held in a PySpark DataFrame, on the executors (``mapInPandas``).

Each partition's texts are scanned with :func:`fairhire.scan_job_description` in the Python
workers and come back as a Spark DataFrame of findings: one row per flagged span, next to the
columns you keep (an ad id, say). Nothing is collected to the driver; write the result to a
table or aggregate it in Spark.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any

import pandas as pd

from ..errors import InputTypeError, InvalidParameterError, missing_column_error

__all__ = ["FINDING_COLUMNS", "scan_spark"]

#: Finding fields in the output, in order (the DESIGN contract's ``Finding`` fields).
FINDING_COLUMNS = ("category", "term", "start", "end", "severity", "suggestion", "source", "rule")


def _is_spark_frame(obj: Any) -> bool:
    module = type(obj).__module__
    return module.startswith("pyspark.sql") and type(obj).__name__ == "DataFrame"


def _scan_partition(
    batches: Iterable[pd.DataFrame],
    *,
    column: str,
    keep: Sequence[str],
    lexicon: Any,
    categories: Sequence[str] | None,
    context: bool | None,
    html: bool | None = None,
) -> Iterator[pd.DataFrame]:
    """The function Spark runs per partition (also called directly in tests)."""
    from .scan import scan_job_description

    out_columns = [*keep, *FINDING_COLUMNS, "error"]
    for batch in batches:
        records: list[dict[str, Any]] = []
        kept = batch[list(keep)].to_dict("records") if keep else [{}] * len(batch)
        for ident, text in zip(kept, batch[column].tolist(), strict=True):
            if not isinstance(text, str):
                # Unscannable rows stay in the output, flagged, so none disappears silently.
                reason = "missing value" if text is None or pd.isna(text) else "not text"
                records.append({**ident, **dict.fromkeys(FINDING_COLUMNS), "error": reason})
                continue
            scan = scan_job_description(
                text, lexicon=lexicon, categories=categories, context=context, html=html
            )
            for f in scan.findings:
                records.append(
                    {
                        **ident,
                        **{name: getattr(f, name) for name in FINDING_COLUMNS},
                        "error": None,
                    }
                )
        frame = pd.DataFrame.from_records(records, columns=out_columns)
        for name in ("start", "end"):
            frame[name] = frame[name].astype("Int64")
        for name in (*(c for c in FINDING_COLUMNS if c not in {"start", "end"}), "error"):
            frame[name] = frame[name].astype(object)
        yield frame


def scan_spark(
    df: Any,
    column: str,
    *,
    lexicon: Any = "default",
    categories: Iterable[str] | None = None,
    context: bool | None = None,
    keep: str | Sequence[str] | None = None,
    html: bool | None = None,
) -> Any:
    """Scan a text column of a PySpark DataFrame; returns a (lazy) Spark DataFrame of findings.

    The scanning runs in Spark's Python workers through ``DataFrame.mapInPandas``: each
    partition is scanned with :func:`fairhire.scan_job_description`, so the results are the
    same findings, with the same character offsets, as scanning each text locally. The
    workers need fairhire installed (and ``pyarrow``, which ``mapInPandas`` uses).

    Parameters
    ----------
    df : pyspark.sql.DataFrame
        One row per job ad; never modified.
    column : str
        The column holding the ad text.
    lexicon, categories, context, html
        As in :func:`fairhire.scan_job_description` (an ad read as HTML has its offsets in
        the text it shows, :func:`fairhire.language.markup.html_text`). A loaded ``Lexicon``
        is shipped to the workers with the function (it must pickle); a name or path is
        loaded on each worker.
    keep : str or list of str, optional
        Columns copied onto each finding row (default: every column except the text), e.g.
        ``keep="ad_id"``.

    Returns
    -------
    pyspark.sql.DataFrame
        The ``keep`` columns, then ``category``, ``term``, ``start``, ``end``, ``severity``,
        ``suggestion``, ``source``, ``rule`` (one row per scored finding; ``text[start:end]``
        is ``term``) and ``error``: None, or why an ad could not be scanned ("missing value",
        "not text"). Such an ad gets one row with empty finding columns, so no ad is lost
        silently; ads without findings have no rows. Nothing runs until you act on the result
        (``count()``, ``write``, ``toPandas()`` ...).

    Raises
    ------
    InputTypeError
        ``df`` is not a PySpark DataFrame.
    ColumnError
        ``column`` or a ``keep`` column is missing.
    InvalidParameterError
        ``column`` is not a string column, or ``keep`` names the text column.

    Examples
    --------
    Needs a Spark session (skipped here; ``tests/test_backends_spark.py`` runs it)::

        from fairhire.language.spark import scan_spark
        findings = scan_spark(ads, "description", keep="ad_id")
        findings.groupBy("category").count().show()
    """
    if not _is_spark_frame(df):
        raise InputTypeError(
            "scan_spark() takes a PySpark DataFrame; got "
            f"{type(df).__module__}.{type(df).__name__}. For pandas, polars, DuckDB or lists "
            "of texts use fairhire.scan_job_descriptions()."
        )
    from pyspark.sql import types as T

    if not isinstance(column, str):
        raise InvalidParameterError(f"column= must be one column name; got {column!r}.")
    names = list(df.columns)
    if column not in names:
        raise missing_column_error([column], names, argument="column")
    if keep is None:
        keep_cols = [c for c in names if c != column]
    else:
        keep_cols = [keep] if isinstance(keep, str) else list(keep)
        missing = [c for c in keep_cols if c not in names]
        if missing:
            raise missing_column_error(missing, names, argument="keep")
        if column in keep_cols:
            raise InvalidParameterError(
                f"keep= lists the text column {column!r}; findings already carry the matched "
                "term and its offsets. Keep an id column instead."
            )
    clash = [c for c in keep_cols if c in (*FINDING_COLUMNS, "error")]
    if clash:
        raise InvalidParameterError(
            f"keep= columns {clash} clash with the findings' own columns; rename them first."
        )
    fields = {f.name: f for f in df.schema.fields}
    if not isinstance(fields[column].dataType, T.StringType):
        raise InvalidParameterError(
            f"column {column!r} has Spark type {fields[column].dataType.simpleString()}; it "
            "must hold the ad text (string). Cast it or pick the text column."
        )
    cats = None
    if categories is not None:
        cats = [categories] if isinstance(categories, str) else list(categories)
    # A bad lexicon, category or context fails here, on the driver, with the scanner's own
    # message, rather than as a traceback from a Python worker once a Spark job runs.
    from .scan import scan_job_description

    scan_job_description("", lexicon=lexicon, categories=cats, context=context, html=html)
    schema = T.StructType(
        [fields[c] for c in keep_cols]
        + [
            T.StructField(name, T.LongType() if name in {"start", "end"} else T.StringType())
            for name in FINDING_COLUMNS
        ]
        + [T.StructField("error", T.StringType())]
    )
    text_only = df.select(*keep_cols, column)

    def scan(batches: Iterable[pd.DataFrame]) -> Iterator[pd.DataFrame]:
        return _scan_partition(batches, column=column, keep=keep_cols, lexicon=lexicon,
                               categories=cats, context=context, html=html)

    return text_only.mapInPandas(scan, schema=schema)
