"""Context lookup (job title, section header, EEO statement) is a binary search: linear overall.

No timing here (speed belongs in benchmarks/bench_scan.py): the tests compare the answers with
a brute-force definition and count how many EEO regions each lookup reads.
"""

from __future__ import annotations

from itertools import pairwise

from hypothesis import given, settings
from hypothesis import strategies as st

import fairhire as fh
from fairhire.language.context import Layout
from fairhire.language.tokens import lower_same_length

PARAGRAPH = (
    "We are an equal opportunity employer and a supportive, collaborative, committed team. "
    "All qualified applicants will receive consideration without regard to race, sex, age, "
    "national origin or protected veteran status; we lead with trust and understanding.\n\n"
    "Leadership:\n- Lead a supportive team.\n\n"
)


class _Counting(list):
    """A list that counts how often its items are read."""

    reads = 0

    def __getitem__(self, i):
        type(self).reads += 1
        return super().__getitem__(i)

    def __iter__(self):
        type(self).reads += len(self)
        return super().__iter__()


def _brute_force(layout: Layout, pos: int) -> bool:
    return any(s <= pos < e for s, e in layout.eeo_regions())


def test_context_of_matches_brute_force_on_eeo_dense_text():
    text = "Team Lead\n\n" + PARAGRAPH * 300
    low = lower_same_length(text)
    layout = Layout(low)
    regions = layout.eeo_regions()
    assert len(regions) >= 300
    assert regions == sorted(regions)
    assert all(e <= s2 for (_, e), (s2, _) in pairwise(regions))
    for pos in range(0, len(low), 7):
        assert layout.in_eeo(pos) == _brute_force(layout, pos)
    _check_plain_until(layout, len(low))
    scan = fh.scan_job_description(text)
    where = {f.context for f in scan.suppressed}
    assert where == {"EEO statement", "section header"}
    assert not any(_brute_force(layout, f.start) for f in scan.findings)


def test_each_lookup_reads_one_region():
    text = PARAGRAPH * 2000
    layout = Layout(lower_same_length(text))
    layout.eeo_regions()
    layout._eeo = _Counting(layout._eeo)
    _Counting.reads = 0
    calls = 0
    for pos in range(0, len(text), 13):
        layout.context_of(pos)
        calls += 1
    assert len(layout._eeo) >= 2000
    assert _Counting.reads <= calls  # a scan over the regions would read ~2000 per call


# -- the regex layout pass against the old line-by-line pass ----------------------------------

_LINES = ["Requirements:", "## Skills", "**What you'll need**", "Nice to have:", "About you",
          "- Python", "* SQL", "1. Lead a team", "iii. Three", "a) item", "12) twelve", "•x",
          "Job title: Lead", "Responsibilities: lead the team.", "Short line", "", " ", "\t",
          "A much longer line of running text that is clearly a sentence and not a header.",
          "x" * 120 + ":", "Salary: $50k - $60k", "**Bold**", "__Under__:", "# Title", "1.",
          "a.", "ab)", "  - indented", "Preferred qualifications", "Experience", "\r", "–dash"]


def _same_layout(text: str) -> None:
    from fairhire.language._reference_layout import ReferenceLayout

    low = lower_same_length(text)
    new, old = Layout(low), ReferenceLayout(low)
    assert new.requirements() == old.requirements(), text
    assert new.title_span() == old.title_span(), text
    for pos in range(len(low)):
        assert new.line_kind(pos) == old.line_kind(pos), (text, pos)
        assert new.context_of(pos) == old.context_of(pos), (text, pos)
    _check_plain_until(new, len(low))


def _check_plain_until(layout: Layout, size: int) -> None:
    """plain_until(pos) is -1 exactly where context_of is not None, and otherwise ends the
    stretch no later than the next position that has a context."""
    next_context = [size] * (size + 1)
    for pos in range(size - 1, -1, -1):
        here = layout.context_of(pos) is not None
        next_context[pos] = pos if here else next_context[pos + 1]
    for pos in range(size):
        until = layout.plain_until(pos)
        if next_context[pos] == pos:
            assert until == -1, pos
        else:
            assert pos < until <= next_context[pos], (pos, until)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(_LINES), st.sampled_from(["\n", "\n\n", " \n", "\r\n"])),
                max_size=25).map(lambda pairs: "".join(a + b for a, b in pairs)))
def test_layout_agrees_with_the_line_by_line_pass(text):
    _same_layout(text)


def test_layout_agrees_on_varied_ads():
    from test_language_table_equivalence import layout_ads

    for text in [*layout_ads(300, seed=7), *fh.datasets.load_job_ads().text]:
        _same_layout(text)
