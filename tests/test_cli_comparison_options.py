"""`fairhire impact` and `fairhire promotion` take the comparison options every other rate
comparison of the command line takes (``--threshold``, ``--alternative``, ``--adjust``,
``--alpha``, ``--confidence``; promotion also ``--min-n``): the library and audit configs had
them, `fairhire retention`, `layoff` and `monitor` had them, these two commands did not."""

from __future__ import annotations

import json
from fractions import Fraction

import pandas as pd
import pytest

import fairhire as fh
from fairhire.cli import main

OPTIONS = ["--threshold", "9/10", "--alternative", "less", "--adjust", "bh", "--alpha", "1%",
           "--confidence", "0.9"]
AS_LIBRARY = {"threshold": 0.9, "alternative": "less", "adjust": "fdr_bh", "alpha": 0.01,
              "confidence": 0.9}


def _section(tmp_path, args: list[str]) -> dict:
    out = tmp_path / "r"
    assert main([*args, "--report", str(out), "--format", "json"]) == 0
    return json.loads((out / "audit.json").read_text(encoding="utf-8"))["sections"][0]


def _same(section: dict, result) -> None:
    page = pd.DataFrame(section["result"]["table"])
    expected = pd.DataFrame(json.loads(json.dumps(result.to_dict(), default=str))["table"])
    pd.testing.assert_frame_equal(page, expected)
    assert section["fingerprint"] == result.fingerprint


@pytest.mark.parametrize("options", [OPTIONS, []])
def test_impact_takes_the_comparison_options(tmp_path, options):
    frame = fh.datasets.make_hiring_funnel(1_500, random_state=4)
    path = tmp_path / "funnel.csv"
    frame.to_csv(path, index=False)
    stages = ["screened", "interviewed", "offered", "hired"]
    section = _section(tmp_path, ["impact", str(path), "--group", "race", "--stages", *stages,
                                  *options])
    kwargs = AS_LIBRARY if options else {}
    expected = fh.adverse_impact(pd.read_csv(path), group="race", stages=stages, **kwargs)
    _same(section, expected)
    params = {k: section["params"][k] for k in kwargs}
    if options:  # "9/10" is kept exact, as the library keeps it
        assert float(Fraction(params.pop("threshold"))) == kwargs["threshold"]
        assert params == {k: v for k, v in kwargs.items() if k != "threshold"}


@pytest.mark.parametrize("options", [[*OPTIONS, "--min-n", "10"], []])
def test_promotion_takes_the_comparison_options(tmp_path, options):
    frame = fh.datasets.make_workforce(800, random_state=2)
    path = tmp_path / "staff.csv"
    frame.to_csv(path, index=False)
    section = _section(tmp_path, ["promotion", str(path), "--group", "race", "--promoted",
                                  "promoted", "--level", "level", *options])
    kwargs = {**AS_LIBRARY, "min_n": 10} if options else {}
    expected = fh.promotion_disparity(pd.read_csv(path), group="race", promoted="promoted",
                                      level="level", **kwargs)
    _same(section, expected)
    assert section["params"]["min_n"] == kwargs.get("min_n", 30)
