"""Least squares and logistic regression with the covariances a pay or promotion audit needs.

:func:`fit_ols` is a small, fast OLS on numpy arrays: the normal equations on column-scaled
data through a Cholesky factor, every covariance computed in row chunks, so a million rows and
dozens of columns fit in about a second and HC2/HC3 leverages never build an n×n matrix. It
matches statsmodels' ``OLS(...).fit(cov_type=...)`` to rounding (the tests check this), and
statsmodels remains the reference. It can absorb one high-dimensional categorical (cell fixed
effects) by demeaning, with leverages ``1/n_cell + h̃``, so 200 pay-analysis cells cost no more
than one column. Rank problems raise :class:`~fairhire.errors.InvalidValueError` naming the
collinear columns.

:func:`fit_logit` wraps statsmodels' ``Logit`` with the same naming, error handling and
covariance options, and reports odds ratios.

The code lives in :mod:`fairhire.stats.ols` (OLS), :mod:`fairhire.stats.logit` (logit) and
:mod:`fairhire.stats.design` (input checks, collinearity, demeaning and the chunked
robust-covariance products); this module is the one import path for all of them.

Sources: White (1980) for HC0; MacKinnon & White (1985) for HC1–HC3; Long & Ervin (2000) for
preferring HC3 in small samples; Cameron & Miller (2015) for the cluster-robust small-sample
factor G/(G−1)·(n−1)/(n−k) (statsmodels' and Stata's default).
"""

from __future__ import annotations

from .design import (
    COV_TYPES,
    CollinearityError,
    blas_single_thread,
    collinear_columns,
    demean,
    leverage,
)
from .logit import LogitFit, fit_logit
from .ols import OLSFit, fit_ols

__all__ = [
    "COV_TYPES",
    "CollinearityError",
    "LogitFit",
    "OLSFit",
    "blas_single_thread",
    "collinear_columns",
    "demean",
    "fit_logit",
    "fit_ols",
    "leverage",
]
