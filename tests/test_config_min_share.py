"""min_share in an audit config is read as --min-share is on the command line: one rule
(fairhire.workflow.options.read_share), so "2%" works in both."""

from __future__ import annotations

import json

import pytest

import fairhire as fh
from fairhire.cli import build_parser, load_config, main

CONFIG = ('[data.a]\ndataset = "make_hiring_funnel"\noptions = {{ n_applicants = 800 }}\n'
          '[[analysis]]\ntype = "adverse_impact"\ndata = "a"\ngroup = "race"\n'
          'stages = ["hired"]\nmin_share = {share}\n')


@pytest.mark.parametrize(("written", "read"), [('"2%"', 0.02), ('" 2 % "', 0.02),
                                               ('"0.02"', 0.02), ("0.02", 0.02),
                                               ('"none"', None)])
def test_config_reads_min_share_as_the_flag_does(tmp_path, written, read):
    cfg = tmp_path / "a.toml"
    cfg.write_text(CONFIG.format(share=written))
    assert load_config(cfg)["analysis"][0]["min_share"] == read
    flag = written.strip('"')
    args = build_parser().parse_args(["impact", "x.csv", "--group", "race", "--stages", "hired",
                                      "--min-share", flag])
    assert args.min_share == read


def test_config_min_share_text_refused_with_the_flags_words(tmp_path):
    cfg = tmp_path / "a.toml"
    cfg.write_text(CONFIG.format(share='"x"'))
    with pytest.raises(fh.FairhireError, match=r"min_share='x' must be a number in \[0, 1\)"):
        load_config(cfg)
    cfg.write_text(CONFIG.format(share='"200%"'))
    with pytest.raises(fh.FairhireError, match=r"min_share=2\.0 must be"):
        load_config(cfg)


def test_audit_with_min_share_percent_same_report(tmp_path):
    out = {}
    for name, share in (("percent", '"2%"'), ("number", "0.02")):
        cfg = tmp_path / f"{name}.toml"
        cfg.write_text(CONFIG.format(share=share))
        assert main(["audit", str(cfg), "--out", str(tmp_path / name)]) == 0
        report = json.loads((tmp_path / name / "audit.json").read_text(encoding="utf-8"))
        del report["report"]["generated_at"]  # the one thing that may differ: the clock
        out[name] = report
    assert out["percent"] == out["number"]
    assert "below the min share setting, 0.02" in json.dumps(out["percent"])


def test_config_reads_ll144_old_name_as_its_hidden_flag_does(tmp_path):
    cfg = tmp_path / "a.toml"
    cfg.write_text('[data.a]\ndataset = "make_hiring_funnel"\n[[analysis]]\ntype = "ll144"\n'
                   'data = "a"\nsex = "sex"\nrace = "race"\nselected = "hired"\n'
                   'exclude_under = "2%"\n')
    assert load_config(cfg)["analysis"][0]["exclude_under"] == 0.02
