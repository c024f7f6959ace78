"""The text tools of the command line: `readout annotate` and `readout match` read JSON lines
(or one plain text) and write one JSON line per document; `readout outbox` shows and
re-queues the alerts that wait, retry or failed."""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Iterator, Sequence
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import TextIO

from bot.config import Config
from bot.errors import ReadoutError
from bot.extract import Gazetteer
from bot.history import days_back, sparkline, surname
from bot.models import DeliveryStatus, Meeting, Person, Report
from bot.reports import RawDocument

_OUTBOX_SHOWN = 200


def annotate(file: str, out: TextIO) -> int:
    from bot.annotate import record
    from bot.extract import extract
    from bot.knowledge import load_gazetteer

    gazetteer = load_gazetteer()
    failures = 0
    for doc_id, report, _ in _read_documents(file, "annotate"):
        if report is None:
            failures += 1
            continue
        out.write(json.dumps(record(doc_id, extract(report, gazetteer)), ensure_ascii=False))
        out.write("\n")
    return 1 if failures else 0


def match(file: str, queries: Sequence[str], out: TextIO, err: TextIO = sys.stderr) -> int:
    """Which documents match which queries. A JSON line may carry its own expectations,
    `should_match` and `should_not_match` (as readouts-world-dev does): each line then says
    which of them `missed` or `fired_wrongly`, and a tally ends the run on stderr."""
    from bot.errors import QueryError
    from bot.extract import extract
    from bot.knowledge import load_gazetteer
    from bot.match import document, evaluate, matched_terms
    from bot.query import Node, parse

    gazetteer = load_gazetteer()
    parsed = [(q, parse(q, gazetteer)) for q in queries]  # a QueryError says what is wrong
    cache: dict[str, Node | None] = {}

    def expected(query: str) -> Node | None:
        if query not in cache:
            try:
                cache[query] = parse(query, gazetteer)
            except QueryError as exc:
                print(f"readout match: {query!r} is not a query: {exc}", file=err)
                cache[query] = None
        return cache[query]

    failures = 0
    tally = {"should_match": [0, 0], "should_not_match": [0, 0]}
    for doc_id, report, wanted in _read_documents(file, "match"):
        if report is None:
            failures += 1
            continue
        doc = document(report, extract(report, gazetteer))
        hits = {q: matched_terms(node, doc) for q, node in parsed if evaluate(node, doc)}
        line: dict[str, object] = {"id": doc_id, "matches": list(hits), "matched_terms": hits}
        for key, fires, label in (
            ("should_match", False, "missed"),
            ("should_not_match", True, "fired_wrongly"),
        ):
            if key not in wanted:
                continue
            wrong = []
            for query in wanted[key]:
                node = expected(query)
                fired = node is not None and evaluate(node, doc)
                tally[key][0] += fired
                tally[key][1] += 1
                if fired is fires:
                    wrong.append(query)
            line[label] = wrong
        out.write(json.dumps(line, ensure_ascii=False) + "\n")
    for key, (count, total) in tally.items():
        if total:
            print(f"readout match: {key}: {count} of {total} fired", file=err)
    return 1 if failures else 0


def _read_documents(
    file: str, command: str
) -> Iterator[tuple[object, Report | None, dict[str, list[str]]]]:
    """JSON lines `{"id", "title"?, "body", "home_country"?, "published_at"?}` or one
    plain text, parsed, with the line's `should_match` / `should_not_match` lists if any;
    a bad line yields (line number, None, {}) after saying why on stderr."""
    from tqdm import tqdm

    from bot.reports import parse_report

    now = datetime.now(UTC)
    try:
        stream = sys.stdin if file == "-" else open(file, encoding="utf-8")  # noqa: SIM115
    except OSError as exc:  # a folder, a missing file, no permission: one line, no traceback
        raise ReadoutError(f"cannot read {file}: {exc.strerror or exc}") from exc
    try:
        first = stream.readline()
        if not first.lstrip().startswith("{"):
            text = first + stream.read()
            yield file, parse_report(RawDocument(text, source=file), now=now), {}
            return
        lines = tqdm(
            _chain(first, stream),
            desc=command,
            unit="doc",
            file=sys.stderr,
            disable=None,
            mininterval=1.0,
        )
        for number, line in enumerate(lines, 1):
            if not line.strip():
                continue
            try:
                doc = json.loads(line)
                body = doc["body"]
                if not isinstance(body, str):
                    raise TypeError("body must be a string")
                published = _published(doc.get("published_at", doc.get("published")))
            except (json.JSONDecodeError, KeyError, TypeError, ValueError) as exc:
                print(f"readout {command}: line {number}: skipped ({exc})", file=sys.stderr)
                yield number, None, {}
                continue
            raw = RawDocument(
                body,
                source=str(doc.get("id", number)),
                title=doc.get("title"),
                home_country=doc.get("home_country"),
                published_at=published,
            )
            wanted = {
                key: [str(q) for q in doc[key]]
                for key in ("should_match", "should_not_match")
                if isinstance(doc.get(key), list)
            }
            yield doc.get("id", number), parse_report(raw, now=now), wanted
    finally:
        if stream is not sys.stdin:
            stream.close()


def _published(value: object) -> datetime | None:
    """ "2025-04-06" or an ISO 8601 time: the day relative dates in the text count from."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise TypeError("published_at must be an ISO 8601 date or time")
    when = datetime.fromisoformat(value)
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def _chain(first: str, rest: TextIO) -> Iterator[str]:
    yield first
    yield from rest


SPARK_DAYS = 14  # what `readout sources` and `readout outbox` draw, day by day


def outbox_list(config: Config, out: TextIO) -> int:
    """Counts by status, then every waiting and failed alert, chat by chat, with its error."""
    from bot.app import App

    app = App.create(config)
    try:
        counts = app.store.delivery_counts()
        out.write(
            "alerts: "
            + ", ".join(f"{counts.get(s.value, 0)} {s.value}" for s in DeliveryStatus)
            + "\n"
        )
        today = datetime.now(UTC).date()
        per_day = app.store.deliveries_per_day(today - timedelta(days=SPARK_DAYS - 1))
        for status, label in (("sent", "sent"), ("failed", "failed")):
            days = days_back(per_day.get(status, {}), today, SPARK_DAYS)
            out.write(
                f"{label:>6} a day, last {SPARK_DAYS} days to {today:%d %b}: "
                f"{sparkline(days)} ({sum(days)})\n"
            )
        rows = app.store.outbox_rows(
            (DeliveryStatus.PENDING, DeliveryStatus.FAILED), limit=_OUTBOX_SHOWN
        )
        current = None
        for delivery, chat in rows:
            if chat.id != current:
                current = chat.id
                state = "" if chat.active else f" (retired: {chat.retired_reason or '-'})"
                out.write(f"chat {chat.id}: {chat.platform} {chat.external_id}{state}\n")
            state = delivery.status.value
            if delivery.status is DeliveryStatus.PENDING and delivery.attempts:
                state = f"retrying (attempt {delivery.attempts})"
            when = delivery.next_attempt_at.strftime("%Y-%m-%d %H:%M:%S UTC")
            out.write(f"    alert {delivery.id} for report {delivery.report_id}: {state}")
            if delivery.status is DeliveryStatus.PENDING:
                out.write(f", next try {when}")
            out.write(f"{': ' + delivery.last_error if delivery.last_error else ''}\n")
        if len(rows) == _OUTBOX_SHOWN:
            out.write(f"(the first {_OUTBOX_SHOWN} shown)\n")
        if counts.get(DeliveryStatus.FAILED.value):
            out.write("`readout outbox retry [--chat N] [--since DATE]` re-queues failed alerts.\n")
        return 0
    finally:
        app.close()


def outbox_retry(config: Config, chat_id: int | None, since: str | None, out: TextIO) -> int:
    """Put failed alerts back in the queue, due now (a retired chat's stay failed)."""
    from bot.app import App

    try:
        start = datetime.fromisoformat(since) if since else None
    except ValueError:
        out.write(f"--since {since!r} is not an ISO date or time such as 2026-11-27\n")
        return 2
    if start is not None and start.tzinfo is None:
        start = start.replace(tzinfo=UTC)
    app = App.create(config)
    try:
        count = app.store.requeue_failed(datetime.now(UTC), chat_id=chat_id, since=start)
        out.write(f"{count} failed alert(s) re-queued; the worker sends them at its next drain.\n")
        return 0
    finally:
        app.close()


EXPORT_COLUMNS = (
    "day",
    "sides",
    "side_ids",
    "people",
    "people_sides",
    "roles",
    "level",
    "type",
    "host",
    "place",
    "forum",
    "outcomes",
    "outlet",
    "outlets",
    "url",
    "report_id",
)


def export_meetings(
    config: Config, since: str | None, form: str, query: str | None, out: TextIO
) -> int:
    """The stored meetings, oldest first, as CSV or JSON, for analysis elsewhere."""
    from datetime import date

    from bot.app import App
    from bot.match import document, evaluate
    from bot.query import parse

    start = None
    if since:
        try:
            start = date.fromisoformat(since)
        except ValueError:
            raise ReadoutError(f"--since {since!r} is not a day: write it as 2025-01-01") from None
    app = App.create(config)
    try:
        node = parse(query, app.gazetteer) if query else None
        from tqdm import tqdm

        rows = []
        meetings = list(reversed(app.store.meetings_since(start)))
        bar = tqdm(meetings, desc="export", unit="meeting", file=sys.stderr, disable=None)
        for meeting in bar:  # a bar on a terminal only: stdout is the export
            stored = app.store.get_report(meeting.report_id)
            if stored is None:
                continue
            told = next(
                (
                    m
                    for m in stored.annotations.meetings
                    if m.sides and tuple(dict.fromkeys(s.id for s in m.sides)) == meeting.sides
                ),
                None,
            )
            if node is not None:
                # The query asks of this meeting, not of the report's others: a report of
                # Pakistan-Russia and Pakistan-Turkey talks gives -q Pakistan-Russia one row.
                alone = replace(stored.annotations, meeting=told, other_meetings=())
                if not evaluate(node, document(stored.report, alone)):
                    continue
            people = _in_side_order(told, meeting.sides) if told else []
            cluster = stored.cluster_id or stored.id
            outlets = list(dict.fromkeys(o for _, o, _ in app.store.cluster_sources(cluster)))
            names = [_side(s, app.gazetteer) for s in meeting.sides]
            rows.append(
                {
                    "day": meeting.day.isoformat(),
                    "sides": "; ".join(names),
                    "side_ids": "; ".join(meeting.sides),
                    "people": "; ".join(
                        [surname(p.name, p.country) for p, _ in people] or meeting.people
                    ),
                    "people_sides": "; ".join(
                        _side(s, app.gazetteer) if s else "" for _, s in people
                    ),
                    "roles": "; ".join(p.role or "" for p, _ in people),
                    "level": meeting.level,
                    "type": meeting.type.value,
                    "host": _side(meeting.host, app.gazetteer) if meeting.host else "",
                    "place": meeting.place or "",
                    "forum": meeting.forum or "",
                    "outcomes": "; ".join(o.label for o in stored.annotations.outcomes),
                    "outlet": meeting.outlet,
                    "outlets": "; ".join(outlets),
                    "url": meeting.url or "",
                    "report_id": meeting.report_id,
                }
            )
        if form == "json":
            out.write(json.dumps(rows, ensure_ascii=False, indent=2) + "\n")
        else:
            writer = csv.DictWriter(out, fieldnames=EXPORT_COLUMNS, lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows)
        return 0
    finally:
        app.close()


def _in_side_order(meeting: Meeting, sides: Sequence[str]) -> list[tuple[Person, str | None]]:
    """The meeting's people, each with the side they are of (None when the text gives
    none), those of the first side first; the order of the text within a side."""
    order = {side: index for index, side in enumerate(sides)}
    people = [(p, _side_of(p)) for p in meeting.participants]
    return sorted(people, key=lambda ps: order.get(ps[1] or "", len(order)))


def _side_of(person: Person) -> str | None:
    if person.country:
        return f"country:{person.country}"
    return f"org:{person.org}" if person.org else None


def _side(entity_id: str, gazetteer: Gazetteer) -> str:
    """ "Pakistan" for country:PK, "United Nations" for org:UN (no flags in a file)."""
    kind, _, code = entity_id.partition(":")
    if kind == "country":
        return gazetteer.country_name(code)
    entity = gazetteer.entity(entity_id)
    return entity.name if entity else code
