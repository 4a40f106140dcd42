"""The benchmark's choice of database (bench/run.py): SQLite by default; on a PostgreSQL server
only databases named bench_<size>, each run's figures between its own database's markers."""

import pytest

from bench import run


def test_sqlite_is_the_default_and_a_server_url_names_no_database():
    assert run.postgres_server("") is None
    assert run.postgres_server("sqlite") is None
    server = run.postgres_server("postgresql://postgres@127.0.0.1:5432/test?pool_size=4")
    # Whatever database the URL names, the run uses its own: bench_<size>, pool options kept.
    assert run.postgres_url(server, run.bench_database_name(1000)) == (
        "postgresql://postgres@127.0.0.1:5432/bench_1000?pool_size=4"
    )
    assert (
        run.postgres_url(server, "postgres", options=False) == "postgresql://postgres@127.0.0.1:5432/postgres"
    )
    with pytest.raises(SystemExit):
        run.postgres_server("mysql://root@127.0.0.1/x")


def test_database_names_are_the_benchmarks_own():
    assert run.bench_database_name(100_000) == "bench_100000"
    with pytest.raises(ValueError):
        run.bench_database_name("1; DROP DATABASE test")


def test_each_database_writes_between_its_own_markers():
    assert run.markers({"database": {"kind": "sqlite"}}) == (run.BEGIN, run.END)
    begin, end = run.markers({"database": {"kind": "postgresql"}})
    assert "postgresql" in begin and "postgresql" in end
    assert begin != run.BEGIN
