"""What the command line and the web app share: files, option text, the audit config and its run.

A person who audits without writing Python gives fairhire an export (CSV, Parquet, Excel), some
options as text (flags, config values, form fields) and, for a whole audit, a config file.
Both interfaces read them the same way, so the same file gives the same groups and numbers
whichever one reads it:

- :mod:`~fairhire.workflow.reading` reads an export (separators, encodings, ``sep=`` lines,
  repeated headers, trailing separators), with :mod:`~fairhire.workflow.numbers` for numbers
  and missing markers saved as text and :mod:`~fairhire.workflow.documents` for job ads in
  Word (.docx);
- :mod:`~fairhire.workflow.blanks` reads the blank cells of yes/no columns as no when the
  person auditing says so (``--blank-means-no``, ``blank_means_no = true``, the web app's box);
- :mod:`~fairhire.workflow.options` turns option text into values checked by the library's own
  rules (:mod:`fairhire._core.params`) and calls an analysis with them;
- :mod:`~fairhire.workflow.config` reads and checks an audit config (TOML), and
  :mod:`~fairhire.workflow.runner` runs it into a report;
- :mod:`~fairhire.workflow.errors` holds the one error of both interfaces
  (:class:`~fairhire.workflow.errors.CLIError`) and writes library messages with the
  command's flags.

It sits above the analyses and the report layer and below :mod:`fairhire.cli` and
:mod:`fairhire.web`, which only parse their input and print or serve what it returns.
"""
