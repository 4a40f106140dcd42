"""Logging: one configuration, a request id on every line and in the response, and no
e-mail addresses in the log even when a message would carry one."""

import logging

from flask import current_app

from portal import passwords


def test_every_response_has_a_request_id_and_the_log_lines_carry_it(app, client, caplog):
    caplog.set_level(logging.INFO)

    @app.route("/logregel")
    def line():
        current_app.logger.info("een regel over ouder@voorbeeld.nl")
        return "ok"

    line.portal_public = True
    r = client.get("/logregel")
    rid = r.headers["X-Request-ID"]
    assert len(rid) == 16
    record = next(rec for rec in caplog.records if "een regel" in rec.getMessage())
    assert record.request_id == rid
    assert "ouder@voorbeeld.nl" not in record.getMessage()
    assert "<e-mailadres>" in record.getMessage()
    assert client.get("/logregel").headers["X-Request-ID"] != rid
    # Without a trusted proxy a client cannot choose its own id.
    assert (
        client.get("/logregel", headers={"X-Request-ID": "zelfgekozen"}).headers["X-Request-ID"]
        != "zelfgekozen"
    )


def test_handlers_are_added_once(app):
    from portal import create_app

    before = len(logging.getLogger().handlers)
    create_app(app.config.copy())
    assert len(logging.getLogger().handlers) == before


def test_production_password_parameters():
    # RFC 9106, second recommendation: 3 passes over 64 MiB with 4 lanes.
    p = passwords.PRODUCTION
    assert (p.time_cost, p.memory_cost, p.parallelism) == (3, 64 * 1024, 4)
