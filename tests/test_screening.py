"""Screening-model audits: selection statistics from the engine, error rates via MetricFrame."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import recall_score, roc_auc_score

import fairhire as fh
from fairhire.datasets.assessment import make_assessment_scores
from fairhire.errors import InputTypeError, InvalidParameterError, InvalidValueError


@pytest.fixture
def model_data():
    rng = np.random.default_rng(42)
    n = 1_500
    sex = pd.Series(rng.choice(["Female", "Male"], n), name="sex")
    race = pd.Series(rng.choice(["White", "Black", "Asian"], n, p=[0.6, 0.25, 0.15]), name="race")
    y_true = rng.random(n) < 0.4
    scores = 0.45 * y_true + rng.normal(0, 0.3, n) - 0.12 * (race == "Black").to_numpy()
    return sex, race, y_true, scores


def test_selection_table_matches_the_engine(model_data):
    sex, _race, _y_true, scores = model_data
    pred = scores >= 0.5
    audit = fh.audit_screening_model(pred, sensitive_features=sex)
    counts = pd.DataFrame({"sex": sex, "sel": pred}).groupby("sex")["sel"].agg(["size", "sum"])
    ref = fh.adverse_impact_from_counts(
        counts.reset_index(), group="sex", applicants="size", selected="sum"
    ).table
    got = audit.table
    assert got["feature"].unique().tolist() == ["sex"]
    assert got["group"].tolist() == ref["group"].tolist()
    for col in ("applicants", "selected", "impact_ratio", "p_value_fisher", "z"):
        assert got[col].tolist() == pytest.approx(ref[col].tolist(), nan_ok=True)
    assert audit.error_rates is None and audit.fairness is None


def test_threshold_on_scores_includes_ties(model_data):
    sex, _race, _y_true, scores = model_data
    s = np.round(scores, 1)
    audit = fh.audit_screening_model(s, sensitive_features=sex, score_threshold=0.5)
    assert audit.table["selected"].sum() == int((s >= 0.5).sum())
    assert audit.threshold == audit.score_threshold == 0.5


def test_error_rates_against_sklearn(model_data):
    sex, race, y_true, scores = model_data
    audit = fh.audit_screening_model(
        scores,
        sensitive_features=pd.concat([sex, race], axis=1),
        y_true=y_true,
        score_threshold=0.5,
    )
    assert audit.features == ("sex", "race", "sex × race")
    er = audit.error_rates
    pred = scores >= 0.5
    for group in ("White", "Black", "Asian"):
        row = er.loc[(er["feature"] == "race") & (er["group"] == group)].iloc[0]
        m = (race == group).to_numpy()
        assert row.true_positive_rate == pytest.approx(recall_score(y_true[m], pred[m]))
        fpr = (pred[m] & ~y_true[m]).sum() / (~y_true[m]).sum()
        assert row.false_positive_rate == pytest.approx(fpr)
        assert row.auc == pytest.approx(roc_auc_score(y_true[m], scores[m]))
        assert row.qualified == int(y_true[m].sum())
    inter = er.loc[er["feature"] == "sex × race"]
    assert len(inter) == 6 and inter["applicants"].sum() == len(sex)
    fair = audit.fairness.set_index("feature")
    tpr = er.loc[er["feature"] == "race", "true_positive_rate"]
    assert fair.loc["race", "equal_opportunity_difference"] == pytest.approx(tpr.max() - tpr.min())
    assert audit.to_frame().shape[0] == len(audit.table)


def test_with_a_scikit_learn_model():
    df = make_assessment_scores(3_000, random_state=9).dropna()
    X = df[["score"]].to_numpy()
    model = LogisticRegression().fit(X, df["qualified"])
    audit = fh.audit_screening_model(
        model.predict(X), sensitive_features=df[["race"]], y_true=df["qualified"], min_share=0.02
    )
    black = audit.table.set_index("group").loc["Black or African American"]
    assert black.impact_ratio < 0.8 and black.adverse_impact  # the score gap shows through
    assert audit.error_rates is not None


def test_group_thresholds_are_refused(model_data):
    sex, _race, _y_true, scores = model_data
    for bad in ({"Female": 0.4, "Male": 0.5}, [0.4, 0.5], np.array([0.4, 0.5])):
        with pytest.raises(InvalidParameterError, match="1991"):
            fh.audit_screening_model(scores, sensitive_features=sex, score_threshold=bad)


def test_bad_inputs(model_data):
    sex, _race, y_true, scores = model_data
    with pytest.raises(InvalidValueError, match="threshold="):
        fh.audit_screening_model(scores, sensitive_features=sex)  # scores without threshold
    with pytest.raises(InvalidParameterError, match="rows"):
        fh.audit_screening_model(scores[:-1], sensitive_features=sex, score_threshold=0.5)
    with pytest.raises(InvalidParameterError, match="y_true"):
        fh.audit_screening_model(
            scores, sensitive_features=sex, y_true=y_true[:-1], score_threshold=0.5
        )
    with pytest.raises(InputTypeError, match="predict_proba"):
        fh.audit_screening_model(np.c_[1 - scores, scores], sensitive_features=sex)
    # a blank score is counted and left out, with a warning (the shared rule), as is ±inf
    with_nan = scores.copy()
    with_nan[3], with_nan[4] = np.nan, np.inf
    audit = fh.audit_screening_model(with_nan, sensitive_features=sex, score_threshold=0.5)
    assert audit.rows.excluded == {"missing score (y_pred)": 1, "infinite score (y_pred)": 1}
    assert audit.table["applicants"].sum() == len(scores) - 2
    assert any("missing score (y_pred)" in w for w in audit.warnings)
    with pytest.raises(InvalidValueError, match="must hold numbers"):
        fh.audit_screening_model(["a", "b"] * 750, sensitive_features=sex, score_threshold=0.5)
    labels = np.where(scores > 0.5, "advance", "reject")
    with pytest.raises(InvalidValueError, match="pos_label"):
        fh.audit_screening_model(labels, sensitive_features=sex)
    ok = fh.audit_screening_model(labels, sensitive_features=sex, pos_label="advance")
    assert ok.table["selected"].sum() == int((scores > 0.5).sum())
    yt = y_true.astype(object)
    yt[0] = None
    audit = fh.audit_screening_model(scores > 0.5, sensitive_features=sex, y_true=yt)
    assert audit.rows.excluded == {"missing outcome (y_true)": 1}
    assert audit.error_rates["applicants"].sum() == len(scores) - 1
    with pytest.raises(InvalidParameterError, match="threshold"):
        fh.audit_screening_model(scores, sensitive_features=sex, score_threshold="high")


def test_missing_sensitive_values_are_counted(model_data):
    sex, _race, y_true, scores = model_data
    sex = sex.copy()
    sex.iloc[:10] = None
    audit = fh.audit_screening_model(scores > 0.5, sensitive_features=sex, y_true=y_true)
    assert audit.unknown.set_index("feature").loc["sex", "applicants"] == 10
    assert audit.table["applicants"].sum() == len(sex) - 10
    assert audit.error_rates["applicants"].sum() == len(sex) - 10


def test_inputs_as_dict_and_array(model_data):
    sex, race, _y_true, scores = model_data
    a = fh.audit_screening_model(list(scores > 0.5), sensitive_features={"sex": sex.to_numpy()})
    b = fh.audit_screening_model(scores > 0.5, sensitive_features=sex.to_numpy())
    assert a.table["selected"].tolist() == b.table["selected"].tolist()
    assert b.features == ("sensitive_feature",)
    c = fh.audit_screening_model(
        (scores > 0.5).astype(int),
        sensitive_features=pd.concat([sex, race], axis=1),
        intersectional=False,
    )
    assert c.features == ("sex", "race")


def test_pandas_inputs_in_different_orders_are_refused():
    """Values are paired by position; a Series in another order used to pair one person's
    prediction with another's group, silently (selection rates 0.30/0.61 read as 0.47/0.44)."""
    rng = np.random.default_rng(2)
    sex = pd.Series(rng.choice(["Female", "Male"], 600))
    pred = pd.Series((rng.random(600) < np.where(sex == "Female", 0.3, 0.6)).astype(int))
    shuffled = sex.sample(frac=1, random_state=1)
    with pytest.raises(InvalidValueError, match=r"y_pred and sensitive_features .* another "
                       r"order.*sensitive_features\.loc\[y_pred\.index\]"):
        fh.audit_screening_model(pred, sensitive_features=shuffled)
    with pytest.raises(InvalidValueError, match=r"y_pred and y_true .* different labels"):
        fh.audit_screening_model(pred, sensitive_features=sex, y_true=pred.set_axis(pred.index + 1))
    aligned = fh.audit_screening_model(pred, sensitive_features=shuffled.loc[pred.index])
    plain = fh.audit_screening_model(pred.to_numpy(), sensitive_features=sex.to_numpy())
    pd.testing.assert_frame_equal(aligned.table, plain.table)
    # a model's numpy output beside a test split's shuffled Series is paired by position
    split = fh.audit_screening_model(pred.to_numpy(), sensitive_features=shuffled)
    assert split.rows.used == 600


def test_result_api(model_data):
    _sex, race, y_true, scores = model_data
    audit = fh.audit_screening_model(
        scores, sensitive_features=race, y_true=y_true, score_threshold=0.5
    )
    json.dumps(audit.to_dict())
    assert "one threshold for everyone" in audit.summary()
    heads = audit.headlines()
    assert heads and heads[0].severity >= heads[-1].severity
    assert any("Black" in h.text for h in heads)
    assert "ScreeningModelAudit" in repr(audit)
    assert len(audit.flagged) >= 1


def test_threshold_is_renamed_score_threshold(model_data):
    sex, _race, _y_true, scores = model_data
    new = fh.audit_screening_model(scores, sensitive_features=sex, score_threshold=0.5)
    with pytest.warns(FutureWarning, match="score_threshold"):
        old = fh.audit_screening_model(scores, sensitive_features=sex, threshold=0.5)
    pd.testing.assert_frame_equal(old.table, new.table)
    with pytest.raises(InvalidParameterError, match="both"):
        fh.audit_screening_model(scores, sensitive_features=sex, threshold=0.5, score_threshold=0.4)


def test_error_rates_equal_fairlearn_metricframe(model_data):
    # fairhire's own confusion counts against fairlearn's MetricFrame (the cross-check)
    from fairlearn.metrics import (
        MetricFrame,
        false_negative_rate,
        false_positive_rate,
        selection_rate,
        true_positive_rate,
    )

    sex, race, y_true, scores = model_data
    pred = scores >= 0.5
    sf = pd.concat([sex, race], axis=1)
    audit = fh.audit_screening_model(pred, sensitive_features=sf, y_true=y_true)
    metrics = {
        "true_positive_rate": true_positive_rate,
        "false_positive_rate": false_positive_rate,
        "false_negative_rate": false_negative_rate,
        "selection_rate": selection_rate,
    }
    for feature, features in (("sex", sex), ("race", race), ("sex × race", sf)):
        mf = MetricFrame(metrics=metrics, y_true=y_true, y_pred=pred, sensitive_features=features)
        by_group = mf.by_group.reset_index()
        cols = [c for c in by_group.columns if c not in metrics]
        by_group.index = [
            " × ".join(str(v) for v in row)
            for row in by_group[cols].itertuples(index=False, name=None)
        ]
        ours = audit.error_rates.loc[audit.error_rates["feature"] == feature].set_index("group")
        for metric in metrics:
            np.testing.assert_allclose(
                ours[metric].to_numpy(), by_group.loc[ours.index, metric].to_numpy(), rtol=1e-12
            )


def test_zero_denominator_rates_are_nan_with_a_warning():
    # group B has no qualified candidates: its true-positive rate is undefined (fairlearn: 0)
    from fairlearn.metrics import MetricFrame, true_positive_rate

    group = np.array(["A"] * 60 + ["B"] * 40)
    y_true = np.r_[np.arange(60) % 2 == 0, np.zeros(40, dtype=bool)]
    pred = np.r_[np.arange(60) % 3 == 0, np.arange(40) % 4 == 0]
    audit = fh.audit_screening_model(
        pred, sensitive_features=pd.Series(group, name="g"), y_true=y_true
    )
    er = audit.error_rates.set_index("group")
    assert np.isnan(er.loc["B", "true_positive_rate"])
    assert np.isnan(er.loc["B", "false_negative_rate"])
    assert er.loc["B", "false_positive_rate"] == pytest.approx(10 / 40)
    assert any("NaN" in w and "fairlearn" in w and "B (g)" in w for w in audit.warnings)
    mf = MetricFrame(
        metrics=true_positive_rate, y_true=y_true, y_pred=pred, sensitive_features=group
    )
    assert mf.by_group["B"] == 0.0  # fairlearn reports 0 where the rate is undefined
    assert er.loc["A", "true_positive_rate"] == pytest.approx(mf.by_group["A"])


def test_messy_predictions_and_labels():
    # yes/no predictions with blanks, and sensitive labels with case/space variants
    pred = pd.Series(["yes", "No", " Y", None, "n", "", "yes", "no"] * 25)
    sex = pd.Series(
        ["Female", "female ", "Male", "MALE", "Male", "Female", None, "Male"] * 25, name="sex"
    )
    audit = fh.audit_screening_model(pred, sensitive_features=sex)
    assert audit.rows.excluded == {"missing outcome (y_pred)": 50, "missing group": 25}
    assert set(audit.table["group"]) == {"Female", "Male"}
    assert any("merged" in w for w in audit.warnings)


def test_score_text_errors_name_the_values_and_the_conversion_as_cutoff_analysis_does():
    """score_threshold= with scores as "85%" said only "needs numeric scores ... found [...]";
    it now gives the shared number rule's error: the text that is not a number with its row
    counts, or how to convert numbers written as text."""
    groups = pd.DataFrame({"sex": ["F", "M"] * 40})
    pct = pd.Series(["85%", "60%", "72%", "91%"] * 20)
    with pytest.raises(InvalidValueError, match=r"percent sign.*str.rstrip\('%'\)"):
        fh.audit_screening_model(pct, sensitive_features=groups, score_threshold=70)
    pending = pd.Series(["0.85", "0.6", "pending", None] * 20)
    with pytest.raises(InvalidValueError, match=r"'pending' \(20 rows\)"):
        fh.audit_screening_model(pending, sensitive_features=groups, score_threshold=0.7)


def test_small_group_sizes_are_withheld_in_every_format():
    """A group of 3 beside groups of 90, 200 and 7, with 300 individuals in the headline. The
    screening audit did not list applicants and selected among its counts: the JSON printed
    the group's 3 applicants and 2 selected outright, and the tables withheld the 3 but showed
    the 7 beside the total of 300, which gave the 3 back."""
    rng = np.random.default_rng(2)
    race = ["White"] * 200 + ["Black"] * 90 + ["Other"] * 7 + ["Tiny"] * 3
    audit = fh.audit_screening_model(rng.random(300), sensitive_features=pd.DataFrame(
        {"race": race}), score_threshold=0.5, y_true=rng.random(300) < 0.5)
    report = fh.Report(title="t", generated_at="2026-01-01T00:00:00+00:00", min_cell=5)
    report.add(audit)
    result = json.loads(report.render_json())["sections"][0]["result"]
    for name in ("table", "error_rates"):
        rows = {r["group"]: r for r in result[name]}
        assert rows["Tiny"]["applicants"] is None and rows["Other"]["applicants"] is None
    assert rows["White"]["applicants"] == 200
    assert {r["group"]: r["selected"] for r in result["table"]}["Tiny"] is None
    md = report.render_markdown()
    assert "**300** individuals" in md and "| Other | 7 |" not in md
    assert "| race | Other | 7 |" not in md


def test_a_third_label_among_pass_and_fail_is_named_with_its_rows():
    # a vendor export's "Pending" beside Pass/Fail: the error said only "found 3 distinct
    # values" (e3dc064); it now lists each label with its rows and says what to do


    status = pd.Series(["Pass"] * 50 + ["Fail"] * 40 + ["Pending"] * 3)
    race = pd.DataFrame({"Race": ["A", "B"] * 46 + ["A"]})
    with pytest.raises(fh.errors.InvalidValueError) as err:
        fh.audit_screening_model(status, sensitive_features=race, pos_label="Pass")
    message = str(err.value)
    assert "'Pending' (3 rows)" in message and "'Pass' (50 rows)" in message
    assert "blank them" in message
    blanked = status.where(status != "Pending")
    result = fh.audit_screening_model(blanked, sensitive_features=race, pos_label="Pass")
    assert result.rows.excluded == {"missing outcome (y_pred)": 3}
