"""Entry points whose options ``implemented_by`` checks keep their public face.

The public function only declares the signature and the docstring; these tests pin what a
user sees: every argument in the signature, Python's own TypeError for a call that does not
fit it, and the shared InvalidParameterError for a bad option.
"""

from __future__ import annotations

import inspect

import pytest

import fairhire as fh
from fairhire.errors import InvalidParameterError

ENTRY_POINTS = {
    fh.adverse_impact: {"data", "group", "stages", "threshold", "unknown_labels"},
    fh.adverse_impact_from_counts: {"counts", "group", "applicants", "selected", "min_n"},
    fh.cutoff_analysis: {"data", "score", "group", "cutoffs", "threshold", "criterion"},
    fh.pay_gap: {"data", "pay", "group", "min_n", "min_group_size"},
    fh.oaxaca_blinder: {"data", "outcome", "features", "coefficients", "reference"},
}


@pytest.mark.parametrize("function", list(ENTRY_POINTS), ids=lambda f: f.__name__)
def test_signature_and_docs_show_every_argument(function):
    names = set(inspect.signature(function).parameters)
    assert ENTRY_POINTS[function] <= names
    assert "options" not in names and "opts" not in names and "search" not in names
    assert "Examples" in (function.__doc__ or "")


@pytest.mark.parametrize("function", list(ENTRY_POINTS), ids=lambda f: f.__name__)
def test_a_misspelt_argument_is_pythons_own_error(function):
    with pytest.raises(TypeError, match=rf"^{function.__name__}\(\) got an unexpected keyword"):
        function({"x": [1]}, grop="sex")


def test_a_bad_option_names_the_parameter():
    data = {"sex": ["F", "M"], "hired": [True, False]}
    with pytest.raises(InvalidParameterError, match="alpha"):
        fh.adverse_impact(data, group="sex", stages=["hired"], alpha="0.05")
    with pytest.raises(InvalidParameterError, match="max_cutoffs"):
        fh.cutoff_analysis({"s": [1.0], "g": ["a"]}, score="s", group="g", max_cutoffs=1)
