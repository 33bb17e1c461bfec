"""The ScanRepository contract, for every backend."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from dialogs.ports import ScanClosed, StorageError
from dialogs.records import Participation, Scan
from engine.sheet import AnswerSheet
from tests.storage.conftest import Backend

NOW = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)
LATER = NOW + timedelta(hours=1)


async def _org(backend: Backend, key: str = "console:acme") -> int:
    return (await backend.organisations.ensure(key, key)).id


async def _open_scan(backend: Backend, key: str = "console:acme") -> tuple[int, Scan]:
    org = await _org(backend, key)
    return org, await backend.scans.open(org, bank_version=1, now=NOW)


async def test_an_organisation_without_scans_has_no_current_scan_and_no_history(
    backend: Backend,
) -> None:
    org = await _org(backend)

    assert await backend.scans.current(org) is None
    assert await backend.scans.history(org) == []


async def test_the_first_scan_is_an_open_baseline(backend: Backend) -> None:
    org, scan = await _open_scan(backend)

    assert (scan.org_id, scan.number, scan.bank_version, scan.opened_at) == (org, 1, 1, NOW)
    assert scan.is_open
    assert scan.is_baseline
    assert await backend.scans.current(org) == scan


async def test_scans_are_numbered_one_two_three_per_organisation(backend: Backend) -> None:
    acme, globex = await _org(backend, "console:acme"), await _org(backend, "console:globex")
    for _ in range(3):
        for org in (acme, globex):
            scan = await backend.scans.open(org, bank_version=2, now=NOW)
            await backend.scans.close(org, scan.id, now=LATER)

    for org in (acme, globex):
        history = await backend.scans.history(org)
        assert [scan.number for scan in history] == [1, 2, 3]
        assert {scan.org_id for scan in history} == {org}


async def test_opening_a_scan_while_one_is_open_raises_a_storage_error(backend: Backend) -> None:
    org, scan = await _open_scan(backend)

    with pytest.raises(StorageError):
        await backend.scans.open(org, bank_version=1, now=LATER)

    assert await backend.scans.history(org) == [scan]


async def test_opening_a_scan_for_an_unknown_organisation_raises_a_storage_error(
    backend: Backend,
) -> None:
    with pytest.raises(StorageError):
        await backend.scans.open(404, bank_version=1, now=NOW)


async def test_a_closed_scan_is_no_longer_current(backend: Backend) -> None:
    org, scan = await _open_scan(backend)

    closed = await backend.scans.close(org, scan.id, now=LATER)

    assert closed.closed_at == LATER
    assert not closed.is_open
    assert await backend.scans.current(org) is None
    assert await backend.scans.history(org) == [closed]


async def test_closing_a_scan_again_keeps_the_first_closing_time(backend: Backend) -> None:
    org, scan = await _open_scan(backend)
    first = await backend.scans.close(org, scan.id, now=LATER)

    again = await backend.scans.close(org, scan.id, now=LATER + timedelta(days=1))

    assert again == first


async def test_answering_a_question_twice_keeps_the_last_answer(backend: Backend) -> None:
    org, scan = await _open_scan(backend)

    await backend.scans.record_answer(org, scan.id, "alice", "q1", ("a",), now=NOW)
    await backend.scans.record_answer(org, scan.id, "alice", "q1", ("b", "c"), now=LATER)

    assert await backend.scans.sheet(org, scan.id, "alice") == AnswerSheet({"q1": ("b", "c")})
    assert await backend.scans.sheets(org, scan.id, completed_only=False) == [
        AnswerSheet({"q1": ("b", "c")})
    ]


async def test_a_sheet_holds_every_question_answered_including_empty_choices(
    backend: Backend,
) -> None:
    org, scan = await _open_scan(backend)

    await backend.scans.record_answer(org, scan.id, "alice", "q1", ("a",), now=NOW)
    await backend.scans.record_answer(org, scan.id, "alice", "q2", ("dont_know",), now=NOW)
    await backend.scans.record_answer(org, scan.id, "alice", "q3", (), now=NOW)

    assert await backend.scans.sheet(org, scan.id, "alice") == AnswerSheet(
        {"q1": ("a",), "q2": ("dont_know",), "q3": ()}
    )


async def test_a_respondent_without_answers_has_an_empty_sheet(backend: Backend) -> None:
    org, scan = await _open_scan(backend)
    await backend.scans.record_answer(org, scan.id, "alice", "q1", ("a",), now=NOW)

    assert await backend.scans.sheet(org, scan.id, "bob") == AnswerSheet()


async def test_the_first_answer_makes_a_respondent_participate_without_completing(
    backend: Backend,
) -> None:
    org, scan = await _open_scan(backend)

    await backend.scans.record_answer(org, scan.id, "alice", "q1", ("a",), now=NOW)

    assert await backend.scans.participation(org, scan.id) == [Participation("alice", None)]
    assert await backend.scans.sheets(org, scan.id) == []


async def test_a_closed_scan_rejects_answers_and_stores_nothing(backend: Backend) -> None:
    org, scan = await _open_scan(backend)
    await backend.scans.record_answer(org, scan.id, "alice", "q1", ("a",), now=NOW)
    await backend.scans.close(org, scan.id, now=LATER)

    with pytest.raises(ScanClosed):
        await backend.scans.record_answer(org, scan.id, "alice", "q1", ("b",), now=LATER)
    with pytest.raises(ScanClosed):
        await backend.scans.record_answer(org, scan.id, "bob", "q1", ("b",), now=LATER)

    assert await backend.scans.sheet(org, scan.id, "alice") == AnswerSheet({"q1": ("a",)})
    assert await backend.scans.participation(org, scan.id) == [Participation("alice", None)]


async def test_a_closed_scan_rejects_completion(backend: Backend) -> None:
    org, scan = await _open_scan(backend)
    await backend.scans.record_answer(org, scan.id, "alice", "q1", ("a",), now=NOW)
    await backend.scans.close(org, scan.id, now=LATER)

    with pytest.raises(ScanClosed):
        await backend.scans.complete(org, scan.id, "alice", now=LATER)

    assert await backend.scans.participation(org, scan.id) == [Participation("alice", None)]


async def test_completing_twice_keeps_the_first_completion_time(backend: Backend) -> None:
    org, scan = await _open_scan(backend)
    await backend.scans.record_answer(org, scan.id, "alice", "q1", ("a",), now=NOW)

    await backend.scans.complete(org, scan.id, "alice", now=NOW)
    await backend.scans.complete(org, scan.id, "alice", now=LATER)

    assert await backend.scans.participation(org, scan.id) == [Participation("alice", NOW)]


async def test_completing_without_answers_counts_as_an_empty_completed_sheet(
    backend: Backend,
) -> None:
    org, scan = await _open_scan(backend)

    await backend.scans.complete(org, scan.id, "alice", now=NOW)

    assert await backend.scans.participation(org, scan.id) == [Participation("alice", NOW)]
    assert await backend.scans.sheets(org, scan.id) == [AnswerSheet()]


async def test_an_answer_after_completing_replaces_the_earlier_one_and_stays_complete(
    backend: Backend,
) -> None:
    org, scan = await _open_scan(backend)
    await backend.scans.record_answer(org, scan.id, "alice", "q1", ("a",), now=NOW)
    await backend.scans.complete(org, scan.id, "alice", now=NOW)

    await backend.scans.record_answer(org, scan.id, "alice", "q1", ("b",), now=LATER)

    assert await backend.scans.sheets(org, scan.id) == [AnswerSheet({"q1": ("b",)})]
    assert await backend.scans.participation(org, scan.id) == [Participation("alice", NOW)]


async def test_sheets_hold_only_completed_respondents_unless_asked_for_all(
    backend: Backend,
) -> None:
    org, scan = await _open_scan(backend)
    await backend.scans.record_answer(org, scan.id, "alice", "q1", ("a",), now=NOW)
    await backend.scans.record_answer(org, scan.id, "bob", "q1", ("b",), now=NOW)
    await backend.scans.complete(org, scan.id, "alice", now=NOW)

    completed = await backend.scans.sheets(org, scan.id)
    everyone = await backend.scans.sheets(org, scan.id, completed_only=False)

    assert completed == [AnswerSheet({"q1": ("a",)})]
    assert everyone == [AnswerSheet({"q1": ("a",)}), AnswerSheet({"q1": ("b",)})]
    assert all(type(sheet) is AnswerSheet for sheet in everyone)


async def test_the_order_of_sheets_does_not_reveal_who_answered_first(backend: Backend) -> None:
    org = await _org(backend)
    orders = [("zoe", "adam"), ("adam", "zoe")]
    results = []
    for respondents in orders:
        scan = await backend.scans.open(org, bank_version=1, now=NOW)
        for respondent, option in zip(respondents, ("x", "a"), strict=True):
            await backend.scans.record_answer(org, scan.id, respondent, "q1", (option,), now=NOW)
            await backend.scans.complete(org, scan.id, respondent, now=NOW)
        results.append(await backend.scans.sheets(org, scan.id))
        await backend.scans.close(org, scan.id, now=LATER)

    assert results[0] == results[1]


async def test_participation_lists_respondents_by_name_with_their_completion_time(
    backend: Backend,
) -> None:
    org, scan = await _open_scan(backend)
    for respondent in ("carol", "alice", "bob"):
        await backend.scans.record_answer(org, scan.id, respondent, "q1", ("a",), now=NOW)
    await backend.scans.complete(org, scan.id, "bob", now=LATER)

    assert await backend.scans.participation(org, scan.id) == [
        Participation("alice", None),
        Participation("bob", LATER),
        Participation("carol", None),
    ]


async def test_answers_belong_to_one_scan(backend: Backend) -> None:
    org, first = await _open_scan(backend)
    await backend.scans.record_answer(org, first.id, "alice", "q1", ("a",), now=NOW)
    await backend.scans.complete(org, first.id, "alice", now=NOW)
    await backend.scans.close(org, first.id, now=LATER)

    second = await backend.scans.open(org, bank_version=1, now=LATER)

    assert await backend.scans.sheet(org, second.id, "alice") == AnswerSheet()
    assert await backend.scans.sheets(org, second.id, completed_only=False) == []
    assert await backend.scans.participation(org, second.id) == []


async def test_another_organisations_scan_id_reads_nothing(backend: Backend) -> None:
    acme, scan = await _open_scan(backend, "console:acme")
    globex = await _org(backend, "console:globex")
    await backend.scans.record_answer(acme, scan.id, "alice", "q1", ("a",), now=NOW)
    await backend.scans.complete(acme, scan.id, "alice", now=NOW)

    assert await backend.scans.sheet(globex, scan.id, "alice") == AnswerSheet()
    assert await backend.scans.sheets(globex, scan.id, completed_only=False) == []
    assert await backend.scans.participation(globex, scan.id) == []
    assert await backend.scans.current(globex) is None
    assert await backend.scans.history(globex) == []


async def test_another_organisations_scan_id_takes_no_answers_and_cannot_be_closed(
    backend: Backend,
) -> None:
    acme, scan = await _open_scan(backend, "console:acme")
    globex = await _org(backend, "console:globex")
    await backend.scans.record_answer(acme, scan.id, "alice", "q1", ("a",), now=NOW)

    with pytest.raises(StorageError) as answering:
        await backend.scans.record_answer(globex, scan.id, "alice", "q1", ("b",), now=LATER)
    with pytest.raises(StorageError) as completing:
        await backend.scans.complete(globex, scan.id, "alice", now=LATER)
    with pytest.raises(StorageError):
        await backend.scans.close(globex, scan.id, now=LATER)

    assert not isinstance(answering.value, ScanClosed)
    assert not isinstance(completing.value, ScanClosed)
    assert await backend.scans.current(acme) == scan
    assert await backend.scans.sheet(acme, scan.id, "alice") == AnswerSheet({"q1": ("a",)})
    assert await backend.scans.participation(acme, scan.id) == [Participation("alice", None)]


async def test_a_scan_id_that_does_not_exist_takes_no_answers(backend: Backend) -> None:
    org, scan = await _open_scan(backend)

    with pytest.raises(StorageError) as answering:
        await backend.scans.record_answer(org, scan.id + 1000, "alice", "q1", ("a",), now=NOW)

    assert not isinstance(answering.value, ScanClosed)
    assert await backend.scans.participation(org, scan.id) == []


async def test_datetimes_come_back_timezone_aware_in_utc(backend: Backend) -> None:
    amsterdam = timezone(timedelta(hours=2))
    opened = datetime(2025, 6, 2, 11, 30, 15, 123456, tzinfo=amsterdam)
    org = await _org(backend)

    scan = await backend.scans.open(org, bank_version=1, now=opened)
    await backend.scans.complete(org, scan.id, "alice", now=opened + timedelta(minutes=5))
    closed = await backend.scans.close(org, scan.id, now=opened + timedelta(days=1))

    (stored,) = await backend.scans.history(org)
    (participant,) = await backend.scans.participation(org, scan.id)
    moments = [scan.opened_at, stored.opened_at, stored.closed_at, participant.completed_at]
    assert moments == [opened, opened, closed.closed_at, opened + timedelta(minutes=5)]
    assert all(moment is not None and moment.tzinfo == UTC for moment in moments)


async def test_a_naive_datetime_is_refused_with_a_storage_error(backend: Backend) -> None:
    org = await _org(backend)

    with pytest.raises(StorageError):
        await backend.scans.open(org, bank_version=1, now=datetime(2025, 1, 1, 9, 0))  # noqa: DTZ001

    assert await backend.scans.history(org) == []
