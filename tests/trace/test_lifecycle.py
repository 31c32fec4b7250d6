"""The lifecycle model flags what it does not expect, and records it all the same."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from einvoice_gov.trace import Event, Ledger, lifecycle, open_store

SHA = "cd" * 32
TODAY = date(2026, 10, 1)


def _log(url: str, events: list[tuple[str, str, dict[str, Any]]]) -> None:
    with open_store(url) as store:
        store.append([Event.new(inv, t, f) for inv, t, f in events])


def _codes(url: str, invoice: str, **kw: Any) -> list[str]:
    with open_store(url) as store:
        fl = lifecycle.flow(store, invoice, today=TODAY, **kw)
    assert fl is not None
    return [a.code for a in fl.anomalies]


def issued(inv: str, day: str = "2026-09-01", **extra: Any) -> tuple[str, str, dict[str, Any]]:
    return (inv, "issued", {"sha256": SHA, "verdict": "valid", "date": day, **extra})


def status(inv: str, code: str, **extra: Any) -> tuple[str, str, dict[str, Any]]:
    return (inv, "status", {"code": code, **extra})


PAID = {"amounts": [{"amount": "1200.00", "vat_rate": "20.00", "currency": "EUR"}]}


def test_nominal_flow_has_no_anomaly(store_url: str) -> None:
    _log(
        store_url,
        [
            issued("F1"),
            ("F1", "transmitted", {"platform": "PA-E", "message_id": "m1"}),
            status("F1", "200"),
            status("F1", "202"),
            status("F1", "205"),
            status("F1", "212", **PAID),
            ("F1", "archived", {"object": SHA}),
        ],
    )
    assert _codes(store_url, "F1") == []
    with open_store(store_url) as store:
        fl = lifecycle.flows(store, today=TODAY)["F1"]
    assert fl.direction == "sale" and fl.last_status == "212"
    assert all([fl.issued, fl.transmitted, fl.deposited, fl.accepted, fl.paid, fl.archived])
    assert fl.rejected is None and fl.refused is None
    assert [s.code for s in fl.statuses] == ["200", "202", "205", "212"]
    assert fl.as_dict()["last_status"] == "212"


def test_payment_before_any_deposit(store_url: str) -> None:
    _log(store_url, [issued("F1"), status("F1", "212", **PAID), status("F1", "200")])
    codes = _codes(store_url, "F1")
    assert "TRACE-PAID-BEFORE-DEPOSIT" in codes
    with open_store(store_url) as store:  # recorded all the same
        assert [e.data["code"] for e in store.entries() if e.type == "status"] == ["212", "200"]


def test_issued_but_not_deposited_after_n_days(store_url: str) -> None:
    _log(store_url, [issued("F1", "2026-09-20"), issued("F2", "2026-09-29")])
    assert "TRACE-NOT-DEPOSITED" in _codes(store_url, "F1", deposit_days=7)
    assert "TRACE-NOT-DEPOSITED" not in _codes(store_url, "F2", deposit_days=7)
    assert "TRACE-NOT-DEPOSITED" not in _codes(store_url, "F1", deposit_days=30)


@pytest.mark.parametrize("closing", ["210", "213"])
def test_rejected_or_refused_and_not_reissued(store_url: str, closing: str) -> None:
    _log(store_url, [issued("F1"), status("F1", "200"), status("F1", closing, reasons=["DOUBLON"])])
    assert "TRACE-REJECTED-NOT-REISSUED" in _codes(store_url, "F1")


def test_reissue_under_the_same_number_or_a_replacement_clears_it(store_url: str) -> None:
    _log(
        store_url,
        [
            issued("F1"),
            status("F1", "213", reasons=["REJ_SEMAN"]),
            issued("F1"),  # corrected and re-issued under the same number
            issued("F2"),
            status("F2", "210", reasons=["TX_TVA_ERR"]),
            issued("F2-R", replaces="F2"),  # a new invoice replacing it
        ],
    )
    assert "TRACE-REJECTED-NOT-REISSUED" not in _codes(store_url, "F1")
    assert "TRACE-REJECTED-NOT-REISSUED" not in _codes(store_url, "F2")
    with open_store(store_url) as store:
        all_codes = [a.code for a in lifecycle.analyse(store, today=TODAY)]
    assert "TRACE-REJECTED-NOT-REISSUED" not in all_codes


def test_status_for_an_unknown_invoice(store_url: str) -> None:
    _log(store_url, [status("F9", "200")])
    assert _codes(store_url, "F9") == ["TRACE-UNKNOWN-INVOICE"]


def test_missing_reason_missing_amount_unknown_code_and_odd_transitions(store_url: str) -> None:
    _log(
        store_url,
        [
            issued("F1"),
            status("F1", "200"),
            status("F1", "209"),
            status("F1", "207"),
            status("F1", "299"),
            status("F1", "212"),
            status("F1", "210", reasons=["TX_TVA_ERR"]),
            status("F1", "211"),
        ],
    )
    codes = _codes(store_url, "F1")
    for expected in (
        "TRACE-UNEXPECTED-TRANSITION",
        "TRACE-REASON-MISSING",
        "TRACE-UNKNOWN-STATUS",
        "TRACE-AMOUNT-MISSING",
        "TRACE-STATUS-AFTER-CLOSE",
        "TRACE-REJECTED-NOT-REISSUED",
    ):
        assert expected in codes, expected


def test_purchase_invoices_are_not_expected_to_be_deposited_by_us(store_url: str) -> None:
    _log(store_url, [("A-77", "received", {"sha256": SHA}), status("A-77", "202")])
    with open_store(store_url) as store:
        fl = lifecycle.flow(store, "A-77", today=date(2026, 1, 1))
    assert fl is not None and fl.direction == "purchase" and fl.anomalies == []


def test_anomaly_messages_in_both_languages(store_url: str) -> None:
    _log(store_url, [issued("F1", verdict="invalid")])
    with open_store(store_url) as store:
        (a, *_rest) = lifecycle.analyse(store, today=TODAY)
    assert a.code == "TRACE-ISSUED-INVALID" and a.severity == "error" and a.seq == 0
    assert a.message("fr") != a.message("en") and "validation" in a.message("fr")
    assert lifecycle.status_label("212", "fr") == "Encaissée"
    assert {"200", "210", "212", "213"} == lifecycle.MANDATORY


def test_flow_of_an_invoice_without_entries_is_none(store_url: str) -> None:
    with open_store(store_url) as store:
        Ledger(store).record("F1", "note", {"text": "x"})
        assert lifecycle.flow(store, "F404") is None
