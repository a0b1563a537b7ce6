"""The web app in a real browser: Playwright driving the system Chromium (the ``browser``
fixture of ``conftest.py``, shared with the report's browser tests).

Set ``FAIRHIRE_SCREENSHOTS=DIR`` to keep the screenshots (the docs' images come from here).
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

pytest.importorskip("starlette")
pytest.importorskip("uvicorn")
pytest.importorskip("playwright.sync_api")

AD = ("We are looking for a rockstar engineer to join our team.\n\n"
      "Requirements:\n- 5+ years of Python\n")


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    import uvicorn

    from fairhire.web import create_app

    config = uvicorn.Config(create_app(), host="127.0.0.1", port=0, log_level="warning",
                            access_log=False)
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not srv.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert srv.started, "the app did not start"
    port = srv.servers[0].sockets[0].getsockname()[1]
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(10)


def _shot(page: object, name: str, tmp_path: Path, *, full_page: bool = True) -> None:
    folder = Path(os.environ.get("FAIRHIRE_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / name), full_page=full_page)
    assert (folder / name).stat().st_size > 5_000


def _upload(page: object, server: str, path: Path) -> None:
    """Open the audit page and upload ``path``; wait for the roles."""
    page.goto(f"{server}/audit")
    page.set_input_files("#file", str(path))
    page.locator("#step-roles").wait_for(state="visible", timeout=20_000)


def _upload_the_sample(page: object, server: str, tmp_path: Path) -> None:
    """Open the audit page, download its sample funnel and upload it; wait for the roles."""
    page.goto(f"{server}/audit")
    with page.expect_download() as download:
        page.get_by_text("Download a sample hiring funnel").click()
    sample = tmp_path / "hiring_funnel.csv"
    download.value.save_as(sample)
    _upload(page, server, sample)


def _no_sideways_scroll(page: object, width: int) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= width


def _show_field(page: object, field: object, name: str, width: int, tmp_path: Path) -> None:
    """No sideways scroll; the field in the middle of the screen, kept as a screenshot."""
    _no_sideways_scroll(page, width)
    field.evaluate("e => e.scrollIntoView({block: 'center'})")
    _shot(page, name, tmp_path, full_page=False)


def _run_until_error(page: object, field: str, timeout: int) -> object:
    """Run the audit and wait for the error the page shows at ``field``; its element."""
    page.locator("#run").click()
    error = page.locator(f"[data-field='{field}']")
    error.wait_for(state="visible", timeout=timeout)
    return error


def _run_and_read(page: object) -> object:
    """Run the audit and wait for the report's executive summary; the report's frame."""
    page.locator("#run").click()
    report = page.frame_locator("#report")
    report.get_by_role("heading", name="Executive summary").wait_for(timeout=60_000)
    return report


@pytest.mark.parametrize("width", [1280, 390])
def test_typing_an_ad_highlights_rockstar_with_its_reason(server, browser, tmp_path, width):
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.goto(f"{server}/scan")
    page.locator("#ad").press_sequentially(AD, delay=2)
    mark = page.locator("#highlights mark", has_text="rockstar")
    mark.wait_for(timeout=10_000)
    item = page.locator("#findings li", has_text="rockstar")
    text = item.inner_text()
    assert "Why:" in text and "source" in text  # visible without hovering
    assert item.locator("button.suggestion").count() >= 1
    assert page.locator("#label-text").inner_text() != "—"
    checks = page.locator("#checks").inner_text()
    assert "Equal-opportunity statement" in checks
    _no_sideways_scroll(page, width)
    _shot(page, f"web-scan-{width}.png", tmp_path)
    item.locator("button.suggestion").first.click()  # apply a suggested rewrite
    page.wait_for_function("!document.querySelector('#ad').value.includes('rockstar')")
    page.close()


@pytest.mark.parametrize("width", [1280, 390])
def test_upload_the_sample_funnel_and_read_the_summary(server, browser, tmp_path, width):
    page = browser.new_page(viewport={"width": width, "height": 900}, accept_downloads=True)
    _upload_the_sample(page, server, tmp_path)
    assert page.locator("select[data-column='sex']").input_value() == "group"
    assert page.locator("select[data-column='hired']").input_value() == "stage"
    report = _run_and_read(page)
    assert "Hiring funnel by sex" in report.locator("body").inner_text()
    _no_sideways_scroll(page, width)
    page.locator("#step-run").evaluate("e => e.scrollIntoView()")
    _shot(page, f"web-audit-{width}.png", tmp_path, full_page=False)
    with page.expect_download() as download:
        page.locator("[data-download='markdown']").click()
    assert download.value.suggested_filename == "audit.md"
    page.close()


def test_a_bad_column_role_shows_the_error_next_to_the_analysis(server, browser, tmp_path):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    csv = tmp_path / "tiny.csv"
    csv.write_text("sex,hired\nF,yes\nM,no\nF,maybe\n", encoding="utf-8")
    _upload(page, server, csv)
    page.locator("select[data-column='hired']").select_option("stage")
    page.locator("input[value='funnel']").check()
    error = _run_until_error(page, "analysis:funnel", 20_000)
    assert "'maybe'" in error.inner_text()
    page.close()


@pytest.mark.parametrize("width", [1280, 390])
def test_labels_typed_as_not_known_leave_the_comparison(server, browser, tmp_path, width):
    """The "not known" field reaches every analysis of the run: a label typed there is counted
    as unknown, as --unknown-label does, and the field fits a phone."""
    page = browser.new_page(viewport={"width": width, "height": 900}, accept_downloads=True)
    _upload_the_sample(page, server, tmp_path)
    field = page.get_by_label("Group labels that mean “not known”")
    field.fill("Non-binary\n")
    _show_field(page, field, f"web-unknown-labels-{width}.png", width, tmp_path)
    report = _run_and_read(page)
    funnel = report.locator("[id$='-adverse-impact'] table").first
    text = funnel.text_content()
    assert "Female" in text and "Male" in text and "Non-binary" not in text
    page.close()


@pytest.mark.parametrize("width", [1280, 390])
def test_the_threshold_and_significance_level_reach_the_report(server, browser, tmp_path, width):
    """The page's two comparison settings run the audit (the report's settings list them) and
    a bad one is shown next to its field; both fit a phone."""
    page = browser.new_page(viewport={"width": width, "height": 900}, accept_downloads=True)
    _upload_the_sample(page, server, tmp_path)
    page.get_by_label("Impact-ratio threshold").fill("9/10")
    field = page.get_by_label("Significance level")
    field.fill("5")
    error = _run_until_error(page, "alpha", 60_000)
    assert "significance level" in error.text_content()
    field.fill("1%")
    _show_field(page, field, f"web-settings-{width}.png", width, tmp_path)
    report = _run_and_read(page)
    text = report.locator("body").text_content()
    assert 'threshold = "9/10"' in text and "alpha = 0.01" in text
    page.close()


@pytest.mark.parametrize("width", [1280, 390])
def test_a_blank_means_no_box_reads_an_export_that_leaves_no_empty(server, browser, tmp_path,
                                                                  width):
    """An export of "Yes" and empty cells is refused with the way out named, and the box reads
    the blanks as no: the report then says how many, in its "Read with care" notes."""
    rows = [("Female" if i % 2 else "Male", "Yes" if i % 3 else "", "Yes" if i % 6 == 1 else "")
            for i in range(240)]
    csv = tmp_path / "ats.csv"
    csv.write_text("sex,screened,hired\n" + "".join(",".join(r) + "\n" for r in rows),
                   encoding="utf-8")
    page = browser.new_page(viewport={"width": width, "height": 900})
    _upload(page, server, csv)
    page.locator("input[value='funnel']").check()
    page.locator("#run").click()
    error = page.locator("p.error:visible").first
    error.wait_for(timeout=20_000)
    assert "no row reads as no" in error.inner_text() and "web app" in error.inner_text()
    box = page.get_by_label("A blank yes/no cell means no")
    box.check()
    _show_field(page, box, f"web-blank-means-no-{width}.png", width, tmp_path)
    report = _run_and_read(page)
    assert "80 blank cells read as no" in report.locator("body").inner_text()
    page.close()


@pytest.mark.parametrize("width", [1280, 390])
def test_open_applications_are_guessed_left_out_and_counted(server, browser, tmp_path, width):
    """An ATS status column is guessed as the application status, its open values fill the
    field, and the run says how many open applications each funnel left out; a misspelt value
    is the page's error next to the field."""
    from test_web_in_process import ats_funnel

    frame = ats_funnel(600)
    csv = tmp_path / "ats.csv"
    frame.to_csv(csv, index=False)
    page = browser.new_page(viewport={"width": width, "height": 900})
    _upload(page, server, csv)
    assert page.locator("select[data-column='Status']").input_value() == "in_process"
    field = page.get_by_label("Status values of applications still open")
    assert field.input_value() == "Active\nOn hold"
    for column in ("race", "age_band"):
        page.locator(f"select[data-column='{column}']").select_option("ignore")
    page.locator("input[value='monitor']").uncheck()
    field.fill("Actve")
    error = _run_until_error(page, "in_process", 20_000)
    assert "has no value ['Actve']" in error.inner_text()
    field.fill("Active\nOn hold")
    _show_field(page, field, f"web-in-process-{width}.png", width, tmp_path)
    _run_and_read(page)
    n_open = int(frame["Status"].isin(["Active", "On hold"]).sum())
    assert f"{n_open:,} applications still in process were left out" in \
        page.locator("#notes").inner_text()
    page.close()


@pytest.mark.parametrize("width", [1280, 390])
def test_a_reference_group_and_minimum_group_size_reach_the_report(server, browser, tmp_path,
                                                                   width):
    """Each group column offers its values as the reference group (the rule first); the
    minimum group size is checked as --min-n is; a label the analysis cannot use is the
    library's error at its column's field; the report names the reference. Both fit a phone."""
    page = browser.new_page(viewport={"width": width, "height": 900}, accept_downloads=True)
    _upload_the_sample(page, server, tmp_path)
    choice = page.get_by_label("Compare sex with")
    options = choice.locator("option").all_text_contents()
    assert options[0].startswith("(default: highest rate") and "Female" in options
    size = page.get_by_label("Minimum group size (min_n)")
    size.fill("2.5")
    error = _run_until_error(page, "min_n", 60_000)
    assert "minimum group size" in error.text_content()
    size.fill("10")
    choice.select_option("Non-binary")  # then typed as "not known": no rows left to compare
    page.get_by_label("Group labels that mean “not known”").fill("Non-binary")
    error = _run_until_error(page, "reference:sex", 60_000)
    assert "reference='Non-binary'" in error.text_content()
    page.get_by_label("Group labels that mean “not known”").fill("")
    choice.select_option("Female")
    page.get_by_label("Compare race with").select_option("White")
    _show_field(page, page.locator("#references"), f"web-reference-{width}.png", width, tmp_path)
    report = _run_and_read(page)
    text = report.locator("body").text_content()
    assert 'reference = "Female"' in text and "min_n = 10" in text
    assert 'reference = "White"' in text
    # a column taken from the group role loses its choice; one given it gets one, a text
    # field when it has too many values to list
    page.locator("select[data-column='race']").select_option("ignore")
    assert page.get_by_label("Compare race with").count() == 0
    page.locator("select[data-column='applicant_id']").select_option("group")
    assert page.get_by_label("Compare applicant_id with").evaluate("e => e.tagName") == "INPUT"
    page.close()


def test_a_reference_label_with_markup_stays_text(server, browser, tmp_path):
    """A group label with markup and quotes is an option's text, not markup, and runs as the
    reference the report names."""
    label = '<img src=x onerror="document.title=1"> "O\'Brien"'
    rows = [(label if i % 2 else "Other", "yes" if i % 3 else "no") for i in range(120)]
    csv = tmp_path / "nasty.csv"
    csv.write_text("sex,hired\n" + "".join(f'"{g.replace(chr(34), 2 * chr(34))}",{h}\n'
                                           for g, h in rows), encoding="utf-8")
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    _upload(page, server, csv)
    choice = page.get_by_label("Compare sex with")
    assert label in choice.locator("option").all_text_contents()
    assert page.locator("#references img").count() == 0
    choice.select_option(label)
    page.locator("input[value='funnel']").check()
    report = _run_and_read(page)
    assert label in report.locator("body").text_content()
    assert report.locator("img[src=x]").count() == 0 and page.title() != "1"
    page.close()
