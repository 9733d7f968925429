from tests.ingest.conftest import gunma, import_file  # noqa: F401 - the same upload path
