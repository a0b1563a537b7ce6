"""Scan many job ads into one table (one row per ad), optionally in worker processes.

Each row comes from the same per-ad analysis as :func:`fairhire.scan_job_description`
(:func:`fairhire.language.scan.analyse`), without building a result object per ad. A PySpark
DataFrame is scanned on the executors (:mod:`fairhire.language.spark`).
"""

from __future__ import annotations

import math
import os
import sys
from collections.abc import Iterable, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import Any, NamedTuple

import pandas as pd

from .._results import RowAccount
from ..errors import InputTypeError, InvalidParameterError, missing_column_error, preview
from .checks import CHECK_FIELDS, check_values, compile_for_checks
from .context import Layout
from .letters import plain_letters
from .lexicon import Lexicon
from .markup import check_html, read_ad
from .matcher import CompiledLexicon, Scanned
from .result import SEVERITY_RANK
from .scan import _LOWER, check_context, gender_label, resolve_lexicon, short_repr
from .tokens import lower_same_length

__all__ = ["scan_job_descriptions"]

_PROGRESS_THRESHOLD = 2000  # batches larger than this show a progress bar on a terminal


_CHECK_COLUMNS = [
    "salary_range", "salary_stated", "salary_min", "salary_max", "salary_currency",
    "salary_period", "eeo_statement", "accommodation_statement", "n_requirements", "n_preferred",
    "max_years_experience", "degree_required", "degree_level", "degree_alternative",
]
# where the columns sit in check_values' tuple (every check but salary_text)
_SALARY_TEXT = CHECK_FIELDS.index("salary_text")
_ACCOMMODATION = CHECK_FIELDS.index("accommodation_statement")
assert [f for f in CHECK_FIELDS if f != "salary_text"] == _CHECK_COLUMNS


class _Plan(NamedTuple):
    """What a row needs to know about a lexicon entry, looked up once per lexicon and case."""

    category: int
    context_sensitive: bool  # and context is on: findings in titles etc. are not scored
    rank: int  # severity rank (lowered where the ad has an accommodation statement)
    words: int  # the list its text goes to: 0 masculine, 1 feminine, 2 other
    suffix: str  # " [category]" after the matched text in other_findings ("" otherwise)


def _plan(comp: CompiledLexicon, accommodated: bool,
          use_context: bool) -> tuple[tuple[Any, ...], ...]:
    """The entries' plans for an ad with or without an accommodation statement, context on
    or off (four tables per lexicon: the row then takes no branch on either per finding)."""
    found = _PLANS.get(id(comp))
    if found is None or found[0] is not comp:
        names = comp.category_names
        tables = {}
        for acc in (False, True):
            for ctx in (False, True):
                # stored as plain tuples: the row unpacks one per finding, and unpacking a
                # NamedTuple goes through its iterator (about 3x slower in CPython 3.11)
                tables[acc, ctx] = tuple(
                    tuple(_Plan(m.category, ctx and m.context_sensitive,
                                SEVERITY_RANK[_LOWER[m.severity]
                                              if acc and m.accommodation_sensitive
                                              else m.severity],
                                _WORD_LIST[m.role], "" if m.role else f" [{names[m.category]}]"))
                    for m in comp.meta
                )
        if len(_PLANS) >= 64:
            _PLANS.clear()
        found = _PLANS[id(comp)] = (comp, tables)
    return found[1][accommodated, use_context]


_WORD_LIST = {1: 0, 2: 1, 0: 2}  # role (1 masculine, 2 feminine, 0 other) -> list
_PLANS: dict[int, tuple[CompiledLexicon, dict[tuple[bool, bool], tuple[tuple[Any, ...], ...]]]] = {}


#: ads taken through each step of a row together (see :func:`_rows`)
_STAGE = 16


def _rows(values: Sequence[Any], comp: CompiledLexicon, use_context: bool,
          html: bool | None = None) -> list[tuple[Any, ...]]:
    """The output rows of these values (ad texts, or anything else: an error row), in order.

    Each row is :func:`_row`'s, but the ads go through the steps :data:`_STAGE` at a time:
    every ad of a stage is lower-cased, then matched, then laid out, then checked, and then
    the rows are gathered. A step's code and tables (the automaton's, the expressions') then
    stay in the processor's caches for the whole stage instead of being pushed out by the
    other steps at every ad: about 10% less CPU time per ad on the synthetic 500-word ads
    (measured side by side: stages of 8 to 64 ads all gain, 16 the most; 500 ads at once
    gain less, their texts and matches no longer fit).
    """
    out: list[tuple[Any, ...]] = []
    for start in range(0, len(values), _STAGE):
        stage = values[start : start + _STAGE]
        read = [read_ad(t, html) for t in stage if isinstance(t, str)]
        texts = [plain_letters(t)[0] for t, _ in read]
        lows = [lower_same_length(t) for t in texts]
        found = [comp.find(low) for low in lows]
        layouts = [Layout(low, f.words, f.marks) for low, f in zip(lows, found, strict=True)]
        checks = [check_values(t, low, x, f.words, f.numbers, f.marks)
                  for t, low, x, f in zip(texts, lows, layouts, found, strict=True)]
        rows = iter(_gather(texts, found, layouts, checks, comp, use_context,
                            [as_html for _, as_html in read]))
        out.extend(next(rows) if isinstance(t, str) else _error_row(t, comp) for t in stage)
    return out


def _row(text: Any, comp: CompiledLexicon, use_context: bool) -> tuple[Any, ...]:
    """One output row, in the order of :func:`_columns`.

    The same matches, context rules, checks and counts as
    :func:`fairhire.language.scan.analyse` (which :func:`fairhire.scan_job_description`
    uses), gathered straight into the row's values.
    """
    return _rows([text], comp, use_context)[0]


def _error_row(value: Any, comp: CompiledLexicon) -> tuple[Any, ...]:
    width = 2 * len(comp.category_names) + 9 + len(_CHECK_COLUMNS)
    return (None,) * width + (_row_error(value),)


def _gather(texts: list[str], found: list[Scanned], layouts: list[Layout],
            checks: list[tuple[Any, ...]], comp: CompiledLexicon, use_context: bool,
            html: list[bool]) -> list[tuple[Any, ...]]:
    """The rows of a stage's ads from their matches, layouts and checks (what every row
    looks up about the lexicon is looked up once per stage)."""
    plans = (_plan(comp, False, use_context), _plan(comp, True, use_context))
    n_cats = len(comp.category_names)
    gender = comp.gender
    labels = comp.lexicon.labels
    zeros = [0.0] * n_cats
    rows = []
    for text, scanned, layout, values, as_html in zip(texts, found, layouts, checks, html,
                                                      strict=True):
        plan = plans[1 if values[_ACCOMMODATION] else 0]
        plain_until = layout.plain_until
        until = 0  # running text (no context) from the last place asked to here: the
        # matches come in order, so most findings are not asked about one by one
        counts = [0] * n_cats
        worst = -1
        unscored = 0
        lists: tuple[list[str], list[str], list[str]] = ([], [], [])  # masc., fem., other
        for s, e, entries in scanned.matches:
            for i in entries:
                cat, sensitive, rank, which, suffix = plan[i]
                if sensitive and s >= until:
                    until = plain_until(s)
                    if until < 0:
                        unscored += 1
                        until = 0
                        continue
                if rank > worst:
                    worst = rank
                counts[cat] += 1
                lists[which].append(text[s:e] + suffix)
        masc_words, fem_words, other = lists
        words = scanned.word_count
        label = None
        if gender is not None:
            label = gender_label(counts[gender[0]], counts[gender[1]], words, labels)
        density = [100.0 * c / words for c in counts] if words else zeros
        rows.append((
            label,
            words,
            *counts,
            *density,
            sum(counts),  # every scored finding counts once, in its category
            unscored,
            _SEVERITY_NAMES[worst] if worst >= 0 else None,
            "; ".join(masc_words),
            "; ".join(fem_words),
            "; ".join(other),
            *values[:_SALARY_TEXT],
            *values[_SALARY_TEXT + 1 :],
            as_html,
            None,
        ))
    return rows


_SEVERITY_NAMES = {v: k for k, v in SEVERITY_RANK.items()}


def _row_error(value: Any) -> str:
    if value is None or value is pd.NA or value is pd.NaT:
        return "missing value"
    if isinstance(value, float) and math.isnan(value):
        return "missing value (NaN)"
    if isinstance(value, bytes | bytearray):
        return "not text (bytes): decode it first, e.g. value.decode('utf-8')"
    return f"not text ({type(value).__name__}: {short_repr(value)})"


# worker state for n_jobs > 1 (one per worker process)
_WORKER: tuple[CompiledLexicon, bool, bool | None] | None = None


def _init_worker(lex: Lexicon, use_context: bool, html: bool | None) -> None:
    global _WORKER
    _WORKER = (compile_for_checks(lex), use_context, html)


def _work(chunk: list[Any]) -> list[tuple[Any, ...]]:
    assert _WORKER is not None
    return _rows(chunk, *_WORKER)


def _as_texts(texts: Any, column: str | None) -> tuple[list[Any], pd.Index]:
    if isinstance(texts, str):
        raise InputTypeError(
            "scan_job_descriptions() takes many ads (a list, a Series, or a DataFrame with "
            "column=); got a single str. Use scan_job_description() for one ad, or wrap it in "
            "a list."
        )
    if isinstance(texts, pd.DataFrame):
        if column is None:
            raise InvalidParameterError(
                "texts= is a DataFrame: pass column= with the name of the column that holds "
                f"the ad text. Columns: {preview(list(texts.columns), limit=12)}."
            )
        if column not in texts.columns:
            raise missing_column_error([column], [str(c) for c in texts.columns], argument="column")
        return texts[column].tolist(), texts.index
    if isinstance(texts, pd.Series):
        if column is not None:
            raise InvalidParameterError("column= is only used when texts= is a DataFrame.")
        return texts.tolist(), texts.index
    module = type(texts).__module__
    if module.startswith("polars") and type(texts).__name__ == "Series":
        if column is not None:
            raise InvalidParameterError("column= is only used when texts= is a DataFrame.")
        values = texts.to_list()
        return values, pd.RangeIndex(len(values))
    if column is not None:
        from .._frames import require_columns, to_narwhals

        frame = to_narwhals(texts, argument="texts")
        require_columns(frame, column=column)
        selected = frame.select(column)
        if hasattr(selected, "collect"):
            selected = selected.collect()
        values = selected.get_column(column).to_list()
        return values, pd.RangeIndex(len(values))
    if isinstance(texts, Mapping):
        return list(texts.values()), pd.Index(list(texts.keys()))
    if module.startswith(("polars", "pyarrow", "duckdb")) or hasattr(texts, "__dataframe__"):
        raise InvalidParameterError(
            "texts= is a data frame: pass column= with the name of the column that holds the ad "
            "text."
        )
    try:
        values = list(texts)
    except TypeError as exc:
        raise InputTypeError(
            "scan_job_descriptions() takes a list of ad texts, a pandas/polars Series, a mapping "
            f"of id -> text, or a DataFrame with column=; got {type(texts).__name__}."
        ) from exc
    return values, pd.RangeIndex(len(values))


def _progress_bar(total: int, progress: bool | None) -> Any:
    show = progress if progress is not None else (
        total > _PROGRESS_THRESHOLD and sys.stderr is not None and sys.stderr.isatty()
    )
    if not show:
        return None
    from tqdm.auto import tqdm

    return tqdm(total=total, desc="Scanning job ads", unit="ad", leave=False)


def scan_job_descriptions(
    texts: Any,
    *,
    lexicon: Lexicon | str | os.PathLike[str] | Mapping[str, Any] = "default",
    categories: Iterable[str] | None = None,
    context: bool | None = None,
    n_jobs: int = 1,
    progress: bool | None = None,
    column: str | None = None,
    html: bool | None = None,
) -> pd.DataFrame:
    """Scan many job ads; one row per ad.

    Parameters
    ----------
    texts : list, Series, mapping or DataFrame
        Ad texts: a list (or any iterable) of strings, a pandas or polars Series, a mapping of
        id -> text, or a DataFrame (pandas, polars, pyarrow, DuckDB ...) with ``column=``.
    lexicon, categories, context
        As in :func:`scan_job_description`.
    n_jobs : int, default 1
        Worker processes (``-1``: one per CPU). Batches under 200 ads run in this process.
    progress : bool, optional
        Show a tqdm progress bar. Default: only for batches over 2,000 ads when stderr is a
        terminal.
    column : str, optional
        The text column when ``texts`` is a DataFrame.
    html : bool, optional
        As in :func:`scan_job_description`: by default each ad with two or more block-level
        tags is read as the text it shows; the ``html`` column says which were.

    Returns
    -------
    pandas.DataFrame or pyspark.sql.DataFrame
        For a PySpark DataFrame, the scan runs on the executors and the result is a lazy Spark
        DataFrame of findings, one row per flagged span (see
        :func:`fairhire.language.spark.scan_spark`); ``n_jobs`` and ``progress`` do not apply.
        For everything else, a pandas DataFrame:
        Indexed like the input (a Series' or DataFrame's index, a mapping's keys, else 0..n-1).
        Columns: ``label``, ``word_count``, ``<category>_count`` and
        ``<category>_per_100_words`` for every category, ``n_findings``, ``n_not_scored``,
        ``max_severity``, ``masculine_words``, ``feminine_words``, ``other_findings``, the
        structural checks (``salary_range``, ``salary_stated``, ``salary_min``, ``salary_max``,
        ``salary_currency``, ``salary_period``, ``eeo_statement``, ``accommodation_statement``,
        ``n_requirements``, ``n_preferred``, ``max_years_experience``, ``degree_required``,
        ``degree_level``, ``degree_alternative``), ``html`` (the ad was read as HTML) and
        ``error``: None, or why the row could not
        be scanned (a missing or non-text entry). Such rows are kept, with the other columns
        empty, so no ad disappears silently.

    Examples
    --------
    >>> import fairhire as fh
    >>> table = fh.scan_job_descriptions(
    ...     ["We want a young rockstar.", None, "Collaborative, supportive team."]
    ... )
    >>> table[["label", "age_count", "culture_count", "error"]]
         label  age_count  culture_count          error
    0  neutral        1.0            1.0            NaN
    1      NaN        NaN            NaN  missing value
    2  neutral        0.0            0.0            NaN
    """
    from .spark import _is_spark_frame, scan_spark

    if _is_spark_frame(texts):
        if column is None:
            raise InvalidParameterError(
                "A PySpark DataFrame needs column= naming the ad text column, e.g. "
                "scan_job_descriptions(ads, column='description')."
            )
        return scan_spark(texts, column, lexicon=lexicon, categories=categories, context=context,
                          html=html)
    values, index = _as_texts(texts, column)
    check_context(context)
    check_html(html)
    if not isinstance(n_jobs, int) or isinstance(n_jobs, bool) or n_jobs == 0 or n_jobs < -1:
        raise InvalidParameterError(f"n_jobs= must be a positive integer or -1; got {n_jobs!r}.")
    if progress is not None and not isinstance(progress, bool):
        raise InvalidParameterError(f"progress= must be True, False or None; got {progress!r}.")
    lex = resolve_lexicon(lexicon, categories)
    comp = compile_for_checks(lex)
    use_context = lex.context if context is None else context
    workers = (os.cpu_count() or 1) if n_jobs == -1 else n_jobs
    total = len(values)
    if workers > 1 and total >= 200:
        rows = _parallel(values, lex, use_context, workers, progress, html)
    else:
        bar = _progress_bar(total, progress)
        rows = []
        step = 32 * _STAGE  # progress is shown per step
        for start in range(0, total, step):
            rows.extend(_rows(values[start : start + step], comp, use_context, html))
            if bar is not None:
                bar.update(min(step, total - start))
        if bar is not None:
            bar.close()
    columns = _columns(lex)
    frame = pd.DataFrame.from_records(rows, columns=columns)
    frame.index = index
    errors = int(frame["error"].notna().sum())
    frame.attrs["rows"] = RowAccount(
        total=total, used=total - errors, excluded={"missing or non-text entry": errors}
    ).to_dict()
    return frame


def _columns(lex: Lexicon) -> list[str]:
    names = list(lex.categories)
    return (
        ["label", "word_count"]
        + [f"{n}_count" for n in names]
        + [f"{n}_per_100_words" for n in names]
        + ["n_findings", "n_not_scored", "max_severity", "masculine_words", "feminine_words",
           "other_findings"]
        + _CHECK_COLUMNS
        + ["html", "error"]
    )


def _parallel(
    values: Sequence[Any], lex: Lexicon, use_context: bool, workers: int, progress: bool | None,
    html: bool | None,
) -> list[tuple[Any, ...]]:
    import multiprocessing as mp

    total = len(values)
    chunk = max(100, min(2000, math.ceil(total / (workers * 8))))
    chunks = [list(values[i : i + chunk]) for i in range(0, total, chunk)]
    method = "fork" if "fork" in mp.get_all_start_methods() and sys.platform != "darwin" else None
    ctx = mp.get_context(method)
    rows: list[tuple[Any, ...]] = []
    with ProcessPoolExecutor(
        max_workers=workers, mp_context=ctx, initializer=_init_worker,
        initargs=(lex, use_context, html),
    ) as pool:
        futures = [pool.submit(_work, c) for c in chunks]
        bar = _progress_bar(total, progress)  # created after the workers started
        for fut, c in zip(futures, chunks, strict=True):
            rows.extend(fut.result())
            if bar is not None:
                bar.update(len(c))
        if bar is not None:
            bar.close()
    return rows

