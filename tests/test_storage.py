"""Storage on SQLite and on the real PostgreSQL server: schema, reports, chats,
subscriptions and the outbox rows."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import replace
from datetime import date, timedelta
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine, insert, text

from bot.cluster import sides_key
from bot.extract import Gazetteer, extract
from bot.history import Tally
from bot.match import KeyFilter, key_filter
from bot.models import (
    Annotations,
    ChatRef,
    DeliveryMode,
    DeliveryStatus,
    MatchedChat,
    MeetingType,
    NewReport,
    Report,
)
from bot.query import parse
from bot.reports import RawDocument, parse_report
from storage import SqlStore, codec, search, upgrade
from storage.db import current_revision, downgrade
from storage.models import Base, MeetingRow, MeetingSideRow
from tests.conftest import NOW, make_report


def test_migrations_match_the_models(engine: Engine) -> None:
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"include_name": search.include_name})
        diff = compare_metadata(context, Base.metadata)
    assert diff == []
    assert current_revision(engine) == "0014"
    upgrade(engine)  # idempotent
    assert current_revision(engine) == "0014"


def test_each_connection_is_set_up_for_ingestion(engine: Engine) -> None:
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":  # readers do not wait for the writer
            assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        else:  # no plan kept from when the tables were small
            assert conn.execute(text("SHOW plan_cache_mode")).scalar() == "force_custom_plan"


def test_outbox_times_are_written_as_every_other_time(
    engine: Engine, store: SqlStore, seed_report: Report, seed_annotations: Annotations
) -> None:
    # Outbox rows go through the driver; SQLite compares times as text, so they must be
    # written as SQLAlchemy writes the others ("12:00:00.000000", not "12:00:00").
    chat = store.ensure_chat(ChatRef("console", "times"), NOW)
    match = MatchedChat(chat.id, (1,), ("Pakistan",), due_at=NOW)
    store.add_report(seed_report, seed_annotations, [match], NOW)
    with engine.connect() as conn:
        due, created, ingested = conn.execute(
            text(
                "SELECT d.next_attempt_at, d.created_at, r.ingested_at "
                "FROM deliveries d JOIN reports r ON r.id = d.report_id"
            )
        ).one()
    assert due == created == ingested


def test_an_alerts_terms_and_subscriptions_come_back_as_written(
    store: SqlStore, seed_report: Report, seed_annotations: Annotations
) -> None:
    # The outbox row's JSON is put together by hand (the terms encoded once a report).
    one = store.ensure_chat(ChatRef("console", "one"), NOW)
    two = store.ensure_chat(ChatRef("console", "two"), NOW)
    matches = [
        MatchedChat(one.id, (4,), ("Pakistan (side)",)),
        MatchedChat(two.id, (5, 9), ('"SCO" summit', "Россия, Çin")),
    ]
    report_id = store.add_report(seed_report, seed_annotations, matches, NOW)
    assert report_id is not None
    found = {d.chat_id: d for d in store.deliveries_for_report(report_id)}
    assert (found[one.id].matched_terms, found[one.id].subscription_ids) == (
        ("Pakistan (side)",),
        (4,),
    )
    assert (found[two.id].matched_terms, found[two.id].subscription_ids) == (
        ('"SCO" summit', "Россия, Çin"),
        (5, 9),
    )


def test_report_round_trip(
    store: SqlStore, seed_report: Report, seed_annotations: Annotations
) -> None:
    report_id = store.add_report(seed_report, seed_annotations, [], NOW)
    assert report_id is not None
    stored = store.get_report(report_id)
    assert stored is not None
    assert stored.report == replace(seed_report, warnings=())  # warnings are not kept
    assert stored.annotations == seed_annotations
    assert stored.report.published_at.tzinfo is not None
    assert store.has_report(seed_report.content_hash)


def test_same_report_twice_is_stored_once(
    store: SqlStore, seed_report: Report, seed_annotations: Annotations
) -> None:
    chat = store.ensure_chat(ChatRef("console", "a"), NOW)
    first = store.add_report(
        seed_report, seed_annotations, [MatchedChat(chat.id, (1,), ("x",))], NOW
    )
    second = store.add_report(
        seed_report, seed_annotations, [MatchedChat(chat.id, (1,), ("x",))], NOW
    )
    assert first is not None and second is None
    assert store.delivery_counts() == {"pending": 1}


def test_recent_reports_newest_first(store: SqlStore) -> None:
    old = make_report("MOSCOW, 6 April 2024 - Old talks.")
    new = make_report("MOSCOW, 6 April 2025 - New talks.")
    empty = Annotations((), (), (), None)
    store.add_report(new, empty, [], NOW)
    store.add_report(old, empty, [], NOW)
    titles = [s.report.title for s in store.recent_reports(since=None, limit=10)]
    assert titles == ["New talks.", "Old talks."]
    since = store.recent_reports(since=new.published_at - timedelta(days=1), limit=10)
    assert [s.report.title for s in since] == ["New talks."]


SEARCHED = [
    "MOSCOW, 6 April 2025 - Russian Foreign Minister Sergei Lavrov met Indian Foreign "
    "Minister S. Jaishankar for talks on energy and trade.",
    "BEIJING, 2 May 2025 - China and Pakistan signed a nuclear energy deal.",
    "OTTAWA, 5 May 2025 - Canada raised interest rates.",
]


def _search(store: SqlStore, gazetteer: Gazetteer, query: str, **kwargs: Any) -> list[str]:
    condition = key_filter([parse(query, gazetteer)]) if query else None
    found = store.search_reports(condition, limit=kwargs.pop("limit", 10), **kwargs)
    return [s.report.title.split()[0] for s in found]


def test_search_reports_asks_the_index_of_every_stored_report(
    store: SqlStore, gazetteer: Gazetteer
) -> None:
    ids = []
    for written in SEARCHED:
        report = make_report(written)
        ids.append(store.add_report(report, extract(report, gazetteer), [], NOW))
    assert _search(store, gazetteer, "energy") == ["China", "Russian"]  # latest stored first
    assert _search(store, gazetteer, "Canada") == ["Canada"]
    assert _search(store, gazetteer, "energy AND China") == ["China"]
    assert _search(store, gazetteer, "India OR Canada") == ["Canada", "Russian"]
    assert _search(store, gazetteer, "Japan") == []
    assert _search(store, gazetteer, "") == ["Canada", "China", "Russian"]  # no condition
    assert _search(store, gazetteer, "", limit=2) == ["Canada", "China"]
    assert _search(store, gazetteer, "energy", before=ids[1]) == ["Russian"]
    may = make_report(SEARCHED[1]).published_at
    assert _search(store, gazetteer, "energy", since=may) == ["China"]


def test_a_key_only_an_old_report_has_is_found_past_the_latest_reports(store: SqlStore) -> None:
    # PostgreSQL reads the latest reports' keys first (search.RECENT), then its GIN index.
    empty = Annotations((), (), (), None)
    old = NewReport(
        make_report("CANBERRA - Quokkas."), empty, (), NOW, keys=frozenset({"w:quokka"})
    )
    later = [
        NewReport(make_report(f"Oil, day {i}."), empty, (), NOW, keys=frozenset({"w:oil"}))
        for i in range(search.RECENT + 100)
    ]
    [first] = store.add_reports([old])
    store.add_reports(later)
    quokka = KeyFilter("any", frozenset({"w:quokka"}))
    assert [s.id for s in store.search_reports(quokka, limit=5)] == [first]
    either = KeyFilter("any", frozenset({"w:quokka", "w:oil"}))
    assert len(store.search_reports(either, limit=5)) == 5
    assert store.search_reports(KeyFilter("any", frozenset({"w:emu"})), limit=5) == []


def test_the_search_index_is_made_again_from_the_stored_reports(
    engine: Engine, store: SqlStore, gazetteer: Gazetteer
) -> None:
    for written in SEARCHED:
        report = make_report(written)
        store.add_report(report, extract(report, gazetteer), [], NOW)
    with engine.begin() as conn:
        search.clear(conn)
    assert _search(store, gazetteer, "energy") == []
    steps = Steps()
    assert store.reindex_search(steps) == 3
    assert steps.seen == {"search index": [3, 3]}
    assert _search(store, gazetteer, "energy") == ["China", "Russian"]
    assert store.reindex_search() == 3  # again: each report once
    assert _search(store, gazetteer, "energy") == ["China", "Russian"]


def test_reports_stored_before_the_index_are_indexed_by_its_migration(
    engine: Engine, gazetteer: Gazetteer
) -> None:
    downgrade(engine, "0011")  # as a database was before the search index
    report = make_report(SEARCHED[1])
    store = SqlStore(engine)
    with engine.begin() as conn:  # stored as 0011 stored it: no search keys
        conn.execute(
            text(
                "INSERT INTO reports (source, title, body, published_at, date_from_text, "
                "title_in_body, content_hash, annotations_json, ingested_at) VALUES "
                "(:source, :title, :body, :published, :from_text, :in_body, :hash, :json, :now)"
            ),
            {
                "source": report.source,
                "title": report.title,
                "body": report.body,
                "published": report.published_at,
                "from_text": report.date_from_text,
                "in_body": report.title_in_body,
                "hash": report.content_hash,
                "json": codec.dumps(extract(report, gazetteer)),
                "now": NOW,
            },
        )
    steps = Steps()
    upgrade(engine, progress=steps)
    assert _search(store, gazetteer, "Pakistan AND nuclear") == ["China"]
    assert _search(store, gazetteer, "Canada") == []
    assert steps.seen["search index"] == [1, 1]  # its backfill said how far it was


class Steps:
    """A `storage.db.Progress` that records each step's total and what was counted."""

    def __init__(self) -> None:
        self.seen: dict[str, list[int]] = {}

    def __call__(self, label: str, total: int) -> Callable[[int], None]:
        self.seen[label] = [total, 0]

        def advance(done: int) -> None:
            self.seen[label][1] += done

        return advance


def test_chats_are_unique_per_platform_id(store: SqlStore) -> None:
    a = store.ensure_chat(ChatRef("telegram", "42", "Team"), NOW)
    b = store.ensure_chat(ChatRef("telegram", "42", "Team renamed"), NOW)
    c = store.ensure_chat(ChatRef("slack", "42"), NOW)
    assert a.id == b.id != c.id
    got = store.get_chat(a.id)
    assert got is not None and got.title == "Team renamed"


def test_chats_are_read_together(store: SqlStore) -> None:
    # A report reaching a thousand chats reads them in one call (in chunks the database
    # accepts), missing ids left out.
    ids = [store.ensure_chat(ChatRef("telegram", str(n)), NOW).id for n in range(1000)]
    found = store.get_chats([*ids, 999_999])
    assert sorted(found) == sorted(ids)
    assert found[ids[7]].external_id == "7"
    assert store.get_chats([]) == {}
    # What scheduling reads comes back as the single read gives it: mode, zone, quiet
    # hours and a pause (an aware UTC time).
    store.set_delivery_mode(ids[3], DeliveryMode.DAILY, NOW)
    store.set_timezone(ids[3], "Asia/Karachi")
    store.set_quiet(ids[3], "22:00-07:00", NOW, NOW)
    store.pause_chat(ids[3], NOW + timedelta(hours=2))
    chat = store.get_chats([ids[3]])[ids[3]]
    assert chat == store.get_chat(ids[3])
    assert (chat.delivery_mode, chat.timezone, chat.quiet) == (
        DeliveryMode.DAILY,
        "Asia/Karachi",
        "22:00-07:00",
    )
    assert chat.muted_until == NOW + timedelta(hours=2)
    assert chat.muted_until.tzinfo is not None


def test_subscriptions(store: SqlStore) -> None:
    chat = store.ensure_chat(ChatRef("console", "a"), NOW)
    sub, created = store.add_subscription(chat.id, "Pakistan", '{"t":"entity"}', NOW)
    again, created_again = store.add_subscription(chat.id, "pakistan", '{"t":"entity"}', NOW)
    assert created and not created_again and again.id == sub.id
    assert [s.query for s in store.list_subscriptions(chat.id)] == ["Pakistan"]
    assert store.set_paused(chat.id, sub.id, True)
    assert store.active_subscriptions() == []
    assert store.set_paused(chat.id, sub.id, False)
    assert [s.id for s in store.active_subscriptions()] == [sub.id]
    other = store.ensure_chat(ChatRef("console", "b"), NOW)
    assert not store.remove_subscription(other.id, sub.id)  # not that chat's
    assert store.remove_subscription(chat.id, sub.id)
    assert store.list_subscriptions(chat.id) == []


def _queued(store: SqlStore, n_chats: int = 1) -> list[int]:
    chats = [store.ensure_chat(ChatRef("console", str(i)), NOW) for i in range(n_chats)]
    report = make_report("MOSCOW, 6 April 2025 - Talks.")
    report_id = store.add_report(
        report,
        Annotations((), (), (), None),
        [MatchedChat(c.id, (1,), ("Russia",)) for c in chats],
        NOW,
    )
    assert report_id is not None
    return [c.id for c in chats]


def test_the_subscription_limit_holds_under_concurrent_subscribes(store: SqlStore) -> None:
    from bot.errors import SubscriptionLimitReached

    chat = store.ensure_chat(ChatRef("console", "crowd"), NOW)
    refused: list[int] = []

    def subscribe(number: int) -> None:
        try:
            store.add_subscription(chat.id, f"q{number}", f'"q{number}"', NOW, limit=5)
        except SubscriptionLimitReached:
            refused.append(number)

    threads = [threading.Thread(target=subscribe, args=(n,)) for n in range(30)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert len(store.list_subscriptions(chat.id)) == 5
    assert len(refused) == 25
    # one of the chat's own queries again is no new subscription: allowed at the limit
    kept = store.list_subscriptions(chat.id)[0]
    assert store.add_subscription(chat.id, kept.query, kept.compiled, NOW, limit=5)[1] is False


def test_claim_takes_a_lease(store: SqlStore) -> None:
    _queued(store)
    claimed = store.claim_due(NOW, limit=10, lease_seconds=60)
    assert len(claimed) == 1 and claimed[0].attempts == 1
    assert claimed[0].matched_terms == ("Russia",)
    assert store.claim_due(NOW, limit=10, lease_seconds=60) == []  # leased
    # a worker that died mid-send: the row is due again once the lease is over
    again = store.claim_due(NOW + timedelta(seconds=61), limit=10, lease_seconds=60)
    assert [d.id for d in again] == [claimed[0].id] and again[0].attempts == 2


def test_only_the_holder_of_a_claim_can_renew_it(store: SqlStore) -> None:
    _queued(store)
    [mine] = store.claim_due(NOW, limit=10, lease_seconds=60, token="a" * 32)
    later = NOW + timedelta(seconds=30)
    assert store.renew_claim([mine.id], "a" * 32, later + timedelta(seconds=60)) == [mine.id]
    assert store.claim_due(NOW + timedelta(seconds=61), limit=10, lease_seconds=60) == []
    # Worker a stalled past its renewed lease; worker b takes the row; a holds it no more.
    taken = store.claim_due(NOW + timedelta(seconds=91), limit=10, lease_seconds=60, token="b" * 32)
    assert [d.id for d in taken] == [mine.id]
    assert store.renew_claim([mine.id], "a" * 32, NOW + timedelta(seconds=200)) == []
    assert store.renew_claim([mine.id], "b" * 32, NOW + timedelta(seconds=200)) == [mine.id]
    store.mark_sent(mine.id, NOW + timedelta(seconds=92))
    assert store.renew_claim([mine.id], "b" * 32, NOW + timedelta(seconds=300)) == []


def test_chats_are_served_round_robin(store: SqlStore) -> None:
    # One chat has a backlog of 30 alerts; another's single alert comes after all of them.
    busy, quiet = (store.ensure_chat(ChatRef("console", n), NOW) for n in ("busy", "quiet"))
    for number in range(30):
        report = make_report(f"MOSCOW, 6 April 2025 - Talks number {number}.")
        store.add_report(
            report, Annotations((), (), (), None), [MatchedChat(busy.id, (1,), ())], NOW
        )
    report = make_report("BEIJING, 6 April 2025 - Other talks.")
    store.add_report(report, Annotations((), (), (), None), [MatchedChat(quiet.id, (2,), ())], NOW)
    # One alert per chat per claim: the busy chat's next one waits for the chat's turn.
    first = store.claim_due(NOW, limit=100, lease_seconds=60, token="a" * 32)
    assert sorted(d.chat_id for d in first) == sorted([busy.id, quiet.id])
    # While a drain holds a chat's alert, no other drain takes that chat's next one...
    assert store.claim_due(NOW, limit=100, lease_seconds=60, token="b" * 32) == []
    # ...until it is settled; then the chat's alerts come in order, one at a time.
    sent = []
    for _ in range(30):
        [mine] = [d for d in first if d.chat_id == busy.id]
        sent.append(mine.report_id)
        store.mark_sent(mine.id, NOW)
        first = store.claim_due(NOW, limit=100, lease_seconds=60, token="b" * 32)
    assert first == [] and sent == sorted(sent) and len(set(sent)) == 30


def test_a_postponed_alert_waits_for_its_turn_without_counting_a_try(store: SqlStore) -> None:
    _queued(store, 1)
    [claimed] = store.claim_due(NOW, limit=10, lease_seconds=60, token="a" * 32)
    store.postpone(claimed.id, NOW + timedelta(seconds=1))
    assert store.claim_due(NOW, limit=10, lease_seconds=60) == []
    [again] = store.claim_due(NOW + timedelta(seconds=1), limit=10, lease_seconds=60)
    assert again.id == claimed.id and again.attempts == 1


def test_turns_are_shared_and_held(store: SqlStore) -> None:
    second = timedelta(seconds=1)
    # Two senders (two workers) to one chat: the second waits one interval after the first.
    assert store.take_turn("t:chat:1", 1.0, "t:bot", 0.1, NOW) == (True, NOW)
    assert store.take_turn("t:chat:1", 1.0, "t:bot", 0.1, NOW) == (True, NOW + second)
    # An alert may decline a turn that far away: nothing is taken.
    assert store.take_turn("t:chat:1", 1.0, "t:bot", 0.1, NOW, defer_beyond=0.5) == (
        False,
        NOW + 2 * second,
    )
    # Another chat shares only the bot's limit.
    ok, at = store.take_turn("t:chat:2", 1.0, "t:bot", 0.1, NOW)
    assert ok and at == NOW + timedelta(seconds=1.1)  # after the bot's last turn
    # A chat's turn alone (a reply books it first, then takes the bot's when it comes).
    assert store.take_turn("t:chat:2", 1.0, None, 0.0, NOW) == (True, NOW + 2.1 * second)
    store.hold_sends("t:chat:3", NOW + 30 * second)  # a retry_after of 30 s
    assert store.take_turn("t:chat:3", 1.0, "t:bot", 0.1, NOW)[1] == NOW + 30 * second
    store.hold_sends("t:chat:3", NOW)  # a hold never shortens a wait
    assert store.take_turn("t:chat:3", 1.0, "t:bot", 0.1, NOW)[1] == NOW + 31 * second
    # A group: 1 s apart and at most 3 in any 10 s; the fourth waits for the first to leave.
    turns = [store.take_turn("t:group", 1.0, None, 0.0, NOW, chat_window=(3, 10.0)) for _ in "abcd"]
    assert [at for _, at in turns] == [NOW, NOW + second, NOW + 2 * second, NOW + 10 * second]
    assert store.take_turn("t:group", 1.0, None, 0.0, NOW, chat_window=(3, 10.0)) == (
        True,
        NOW + 11 * second,
    )


def test_sent_retry_failed(store: SqlStore) -> None:
    _queued(store, 3)
    a, b, c = store.claim_due(NOW, limit=10, lease_seconds=60)
    store.mark_sent(a.id, NOW)
    store.mark_retry(b.id, "rate limited", NOW + timedelta(seconds=5))
    store.mark_failed(c.id, "bad request")
    assert store.delivery_counts() == {"sent": 1, "pending": 1, "failed": 1}
    due = store.claim_due(NOW + timedelta(seconds=6), limit=10, lease_seconds=60)
    assert [d.id for d in due] == [b.id] and due[0].last_error == "rate limited"


def test_retire_chat_cancels_its_pending_deliveries(store: SqlStore) -> None:
    chat_ids = _queued(store, 2)
    assert store.retire_chat(chat_ids[0], "bot was blocked", NOW) == 1
    retired = store.get_chat(chat_ids[0])
    assert retired is not None and not retired.active
    statuses = sorted(d.status for d in store.deliveries_for_report(1))
    assert statuses == [DeliveryStatus.CANCELLED, DeliveryStatus.PENDING]
    # a retired chat's subscriptions are not matched any more
    store.add_subscription(chat_ids[0], "x", "{}", NOW)
    assert store.active_subscriptions() == []


def test_concurrent_workers_never_claim_the_same_row(store: SqlStore) -> None:
    if store.engine.dialect.name != "postgresql":
        pytest.skip("SQLite runs one worker; SKIP LOCKED is a PostgreSQL feature")
    _queued(store, 40)
    claimed: list[list[int]] = []
    lock = threading.Lock()

    def worker() -> None:
        got: list[int] = []
        while batch := store.claim_due(NOW, limit=3, lease_seconds=60):
            got.extend(d.id for d in batch)
        with lock:
            claimed.append(got)

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    all_ids = [i for got in claimed for i in got]
    assert sorted(all_ids) == sorted(set(all_ids)) and len(all_ids) == 40


def test_annotations_stored_before_sides_had_evidence_still_load() -> None:
    import json

    from storage import codec

    old = {
        "mentions": [],
        "people": [{"name": "Sergei Lavrov", "role": None, "country": "RU", "spans": []}],
        "places": [],
        "meeting": {
            "participants": [],
            "place": None,
            "date": "2025-04-06",
            "event": None,
            "type": "call",
            "topics": [],
            "countries": ["RU", "TR"],
        },
    }
    annotations = codec.loads(json.dumps(old))
    assert annotations.meeting is not None
    assert annotations.meeting.countries == ("RU", "TR")
    assert annotations.people[0].evidence is None and annotations.other_meetings == ()
    assert codec.loads(codec.dumps(annotations)) == annotations


def test_a_meeting_is_recorded_once_and_found_by_its_sides(
    store: SqlStore, seed_report: Report, seed_annotations: Annotations
) -> None:
    first = store.add_report(seed_report, seed_annotations, [], NOW)
    assert first is not None
    retold = replace(seed_report, content_hash="another", url="https://dawn.example/1")
    assert store.add_report(retold, seed_annotations, [], NOW, cluster_id=first) is not None
    [meeting] = store.meetings_between("country:PK", "country:RU")
    assert meeting.report_id == first  # the cluster's first report, once
    assert (meeting.day, meeting.kind, meeting.level) == (
        date(2025, 4, 6),
        "third location",
        "officials",
    )
    assert meeting.people == ("Gilani", "Matviyenko") and meeting.place == "Tashkent"
    assert store.meetings_between("country:RU", "country:PK") == [meeting]
    assert store.meetings_between("country:PK", "country:IN") == []
    assert store.counterparts("country:PK", since=date(2025, 4, 7)) == ([], 0)
    assert store.counterparts("country:PK", since=date(2025, 1, 1)) == ([("country:RU", 1)], 1)
    assert store.meeting_tallies("country:RU", "country:PK", since=date(2025, 1, 1)) == [
        Tally(date(2025, 4, 6), MeetingType.THIRD_LOCATION, "officials", 1)
    ]


def test_counterparts_and_tallies_are_counted_by_the_database(
    engine: Engine, store: SqlStore, seed_report: Report, seed_annotations: Annotations
) -> None:
    report_id = store.add_report(seed_report, seed_annotations, [], NOW)  # PK-RU, 6 Apr 2025
    met = [
        (date(2025, 5, 1), "call", "ministers", "country:PK", "country:CN"),
        (date(2025, 5, 1), "call", "ministers", "country:PK", "country:CN"),
        (date(2025, 5, 2), "visit", "leaders", "country:PK", "country:CN"),
        (date(2025, 5, 3), "call", "leaders", "country:IN", "country:RU"),
        (date(2025, 5, 3), "call", "leaders", "country:PK", "country:RU", "org:UN"),
    ]
    with engine.begin() as conn:
        for day, kind, level, *sides in met:
            meeting_id = conn.execute(
                insert(MeetingRow).returning(MeetingRow.id),
                {"report_id": report_id, "day": day, "type": kind, "level": level,
                 "sides": "|".join(sides), "people": ""},
            ).scalar_one()  # fmt: skip
            conn.execute(
                insert(MeetingSideRow),
                [{"meeting_id": meeting_id, "side": s, "day": day} for s in sides],
            )
    ranked, total = store.counterparts("country:PK", since=date(2025, 1, 1))
    assert ranked == [("country:CN", 3), ("country:RU", 2), ("org:UN", 1)] and total == 5
    assert store.counterparts("country:PK", since=date(2025, 1, 1), limit=1)[0] == ranked[:1]
    tallies = store.meeting_tallies("country:PK", "country:CN", since=date(2025, 5, 1))
    assert sorted(tallies, key=lambda t: t.day) == [
        Tally(date(2025, 5, 1), MeetingType.CALL, "ministers", 2),
        Tally(date(2025, 5, 2), MeetingType.VISIT, "leaders", 1),
    ]


def test_the_history_of_reports_stored_before_is_filled_by_the_migration(
    engine: Engine, seed_report: Report, seed_annotations: Annotations
) -> None:
    store = SqlStore(engine)
    store.add_report(seed_report, seed_annotations, [], NOW)
    downgrade(engine, "0008")  # as a database was before history was kept
    upgrade(engine)
    [meeting] = SqlStore(engine).meetings_between("country:PK", "country:RU")
    assert meeting.place == "Tashkent"


def test_cluster_candidates_are_the_reports_of_the_same_sides_in_the_window(
    engine: Engine, seed_report: Report, seed_annotations: Annotations
) -> None:
    store = SqlStore(engine)
    first = store.add_report(seed_report, seed_annotations, [], NOW)
    assert first is not None
    # Another meeting's report, and one of the same sides published before the window.
    other = make_report("The foreign minister of Japan met the foreign minister of Brazil.")
    store.add_report(other, Annotations((), (), (), None), [], NOW)
    key = sides_key(seed_annotations)
    assert key == "country:PK|country:RU"
    since = seed_report.published_at - timedelta(hours=1)
    assert [r.id for r in store.cluster_candidates(key, since=since, limit=10)] == [first]
    later = seed_report.published_at + timedelta(hours=1)
    assert store.cluster_candidates(key, since=later, limit=10) == []
    assert store.cluster_candidates("country:BR|country:JP", since=since, limit=10) == []


def test_the_sides_of_reports_stored_before_are_filled_by_the_migration(
    engine: Engine, seed_report: Report, seed_annotations: Annotations
) -> None:
    store = SqlStore(engine)
    first = store.add_report(seed_report, seed_annotations, [], NOW)
    downgrade(engine, "0009")  # before the sides were a column
    steps = Steps()
    upgrade(engine, progress=steps)
    assert steps.seen["sides of stored reports"] == [1, 1]
    since = seed_report.published_at - timedelta(hours=1)
    found = SqlStore(engine).cluster_candidates("country:PK|country:RU", since=since, limit=5)
    assert [r.id for r in found] == [first]


def test_meetings_stored_on_the_day_their_undated_report_arrived_leave_the_history(
    engine: Engine, gazetteer: Gazetteer, seed_report: Report, seed_annotations: Annotations
) -> None:
    store = SqlStore(engine)
    store.add_report(seed_report, seed_annotations, [], NOW)  # dated: stays
    undated = make_report("Russian Foreign Minister Sergei Lavrov met Pakistan's Ishaq Dar.")
    annotations = extract(undated, gazetteer)
    assert not undated.date_from_text and annotations.meeting is not None
    report_id = store.add_report(undated, annotations, [], NOW)
    downgrade(engine, "0012")
    with engine.begin() as conn:  # as 0012 stored it: on the day the report arrived
        meeting_id = conn.execute(
            text(
                "INSERT INTO meetings (report_id, day, type, level, sides, people) VALUES "
                "(:report, :day, 'meeting', 'ministers', 'country:PK|country:RU', "
                "'Lavrov|Dar') RETURNING id"
            ),
            {"report": report_id, "day": NOW.date()},
        ).scalar_one()
        for side in ("country:PK", "country:RU"):
            conn.execute(
                text("INSERT INTO meeting_sides VALUES (:id, :side, :day)"),
                {"id": meeting_id, "side": side, "day": NOW.date()},
            )
    with engine.connect() as conn:  # as 0012 stored them (the model has later columns)
        assert conn.execute(text("SELECT count(*) FROM meetings")).scalar_one() == 2
    upgrade(engine)
    [kept] = SqlStore(engine).meetings_between("country:PK", "country:RU")
    assert kept.place == "Tashkent" and kept.day == date(2025, 4, 6)


def test_visits_stored_before_hosts_were_kept_get_theirs_from_their_report(
    engine: Engine, gazetteer: Gazetteer
) -> None:
    visit = make_report(
        "BEIJING, May 20, 2025 - Chinese Foreign Minister Wang Yi received Pakistani Foreign "
        "Minister Ishaq Dar in Beijing."
    )
    SqlStore(engine).add_report(visit, extract(visit, gazetteer), [], NOW)
    downgrade(engine, "0013")  # as a database was before meetings.host
    steps = Steps()
    upgrade(engine, progress=steps)
    [meeting] = SqlStore(engine).meetings_between("country:CN", "country:PK")
    assert meeting.host == "country:CN" and meeting.place == "Beijing"
    assert steps.seen["hosts of stored visits"] == [1, 1]


def test_every_stored_report_is_read_again_and_nothing_is_sent_again(
    store: SqlStore, gazetteer: Gazetteer
) -> None:
    """`readout db reread`: a report stored with what an older version read (here: an
    Australian minister read as the African Union's official, and nothing else) gets this
    version's annotations, sides key, meetings and search keys; its alerts stay as they were."""
    text = (
        "Pakistan's Foreign Minister Shah Mahmood Qureshi held talks with Marise Payne in "
        "Islamabad on energy cooperation."
    )
    published = NOW.replace(year=2021)
    report = parse_report(RawDocument(text, source="feed", published_at=published), now=NOW)
    stale = Annotations((), (), (), None)
    chat = store.ensure_chat(ChatRef("telegram", "1"), NOW)
    report_id = store.add_report(report, stale, [MatchedChat(chat.id, (1,), ("energy",))], NOW)
    assert report_id is not None
    assert store.meetings_since() == []
    before = store.delivery_counts()

    steps = Steps()
    assert store.reread(lambda r: extract(r, gazetteer), batch=1, progress=steps) == 1
    assert steps.seen == {"read again": [1, 1], "search index": [1, 1]}
    stored = store.get_report(report_id)
    assert stored is not None and stored.annotations.meeting is not None
    assert {s.id for s in stored.annotations.meeting.sides} == {"country:PK", "country:AU"}
    [meeting] = store.meetings_since()
    assert set(meeting.sides) == {"country:PK", "country:AU"}
    assert store.delivery_counts() == before
    assert store.reread(lambda r: extract(r, gazetteer)) == 1  # again: the same, once
    assert len(store.meetings_since()) == 1


def test_stored_subscriptions_are_read_anew_and_a_refused_one_is_kept(store: SqlStore) -> None:
    """`readout db reread` on subscriptions: a query read otherwise now gets its new form
    and the workers hear of it; one the language refuses now keeps its old form."""
    chat = store.ensure_chat(ChatRef("telegram", "7"), NOW)
    for query, compiled in (
        ("Wang Yi", '{"stale": "wang"}'),
        ("Wong", '{"stale": "wong"}'),
        ("energy", '{"same": 1}'),
    ):
        store.add_subscription(chat.id, query, compiled, NOW)
    version = store.subscriptions_version()

    def compile_query(query: str, compiled: str) -> str | None:
        return {"Wang Yi": '{"new": "wang"}', "energy": '{"same": 1}'}.get(query)

    assert store.recompile_subscriptions(compile_query, batch=2) == (1, 1)
    by_query = {s.query: s.compiled for s in store.list_subscriptions(chat.id)}
    assert by_query == {
        "Wang Yi": '{"new": "wang"}',
        "Wong": '{"stale": "wong"}',
        "energy": '{"same": 1}',
    }
    assert store.subscriptions_version() > version
    assert store.subscription_changes(version) == (store.subscriptions_version(), {chat.id})


def test_reports_and_alerts_are_counted_by_day(store: SqlStore, gazetteer: Gazetteer) -> None:
    """What `readout sources` and `readout outbox` draw: per source and day ingested; sent
    by the day sent, failed by the day made."""
    chat = store.ensure_chat(ChatRef("console", "desk"), NOW)
    for back, told in enumerate(("Pakistan and Russia held talks.", "China and Iran met.")):
        report = make_report(f"MOSCOW - {told}")
        store.add_report(
            report,
            extract(report, gazetteer),
            [MatchedChat(chat.id, (1,), ())],
            NOW - timedelta(days=back),
        )
    first, second = store.deliveries_for_report(1) + store.deliveries_for_report(2)
    store.mark_sent(first.id, NOW)
    store.mark_failed(second.id, "HTTP 403")
    since = NOW.date() - timedelta(days=13)
    assert store.reports_per_day(since) == {
        "test": {NOW.date(): 1, NOW.date() - timedelta(days=1): 1}
    }
    counted = store.deliveries_per_day(since)
    assert counted["sent"] == {NOW.date(): 1}
    assert counted["failed"] == {NOW.date() - timedelta(days=1): 1}
    assert store.reports_per_day(NOW.date() + timedelta(days=1)) == {}
