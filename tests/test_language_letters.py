"""Invisible characters and PDF ligatures inside words do not hide coded words.

A soft hyphen (a word processor's or CMS's optional hyphen), a zero-width space left by a web
editor, or a ligature from text copied out of a PDF split a word for the matcher: before,
"ambi\u00adtious", "compe\u00adtitive" and "con\ufb01dent" were not found at all, in a single
scan, in a batch and on the web page. The findings still point into the text as written.
"""

from __future__ import annotations

import pandas as pd
import pytest

import fairhire as fh

PLAIN = "We want a self-confident, competitive and ambitious engineer who is supportive."
VARIANTS = {
    "soft hyphens": "We want a self-con\u00adfident, compe\u00adtitive and ambi\u00adtious "
                    "engineer who is sup\u00adportive.",
    "zero-width spaces": "We want a self-con\u200bfident, compet\u200bitive and ambi\u200btious "
                         "engineer who is support\u200bive.",
    "PDF ligatures": "We want a self-con\ufb01dent, competitive and ambitious engineer who "
                     "is supportive.",
    "byte-order mark": "\ufeffWe want a self-confident, competitive and ambitious engineer "
                       "who is supportive.",
}


def _coded(scan):
    return [(f.category, f.rule) for f in scan.findings]


@pytest.mark.parametrize("name", sorted(VARIANTS))
def test_a_split_word_is_found_where_it_is_written(name):
    text = VARIANTS[name]
    plain, read = fh.scan_job_description(PLAIN), fh.scan_job_description(text)
    assert _coded(read) == _coded(plain)
    assert read.text == text and read.label == plain.label
    for f in read.findings:  # the offsets are the text's: the page marks them in place
        assert text[f.start:f.end] == f.term


def test_the_batch_reads_them_as_the_single_scan_does():
    texts = [PLAIN, *VARIANTS.values()]
    table = fh.scan_job_descriptions(pd.Series(texts))
    table = table.to_frame() if hasattr(table, "to_frame") else table
    counts = table[["label", "masculine_count", "feminine_count"]]
    assert (counts == counts.iloc[0]).all().all(), counts
