#!/usr/bin/env python3
"""Checks one `gdos watch --json` run against what the mock saw (tests/e2e_watch.sh).

    check_watch.py EVENTS MOCK_LOG --exit N [--requests N] [--interval-ms MS] [--rate R]
                   [--seed S --retry-delay-ms MS [--retry-max-delay-ms MS] [--jitter 50]]
                   [--check PYTHON]...

EVENTS is the JSON Lines gdos printed; MOCK_LOG the mock's stderr with each line prefixed by
the time it arrived (`SECONDS.MICROS line`). Always checked:
- the last line is the summary, and its exitStatus is N;
- the requests gdos counted (summary.requests), the poll events it printed and the requests the
  mock logged are the same number (N again with --requests), but for --in-flight requests
  interrupted before their reply;
- no order was polled faster than the interval: between two requests for one order, at least
  --interval-ms after a request that succeeded, at least the announced retryInMs after one that
  failed (to the millisecond gdos prints);
- the same, server side, from the order each request's mock log line names (`order=N`): each
  order's requests reached the mock as requests for that order, as many as gdos reports, and
  two of them arrived at least half that gap apart, less the earlier request's duration (the
  log times are stamped when a line is read, after the reply: half the gap is the slack for
  that on a loaded machine, still far above a client that ignored the interval);
- the rate limit held: requests start at least 1/R apart (client side), and the mock never saw
  more than R + 1 requests in any one-second window (server side);
- with --seed: every retry delay is exactly gdos::backoff_delay (exponential, doubling, jitter
  drawn from splitmix64), recomputed here independently.
Each --check is Python run with `events`, `summary`, `polls` (poll events), `changes` (change
events), `done` (order -> done event), `outcome` (order -> summary outcome) and `by_order`
(order -> its poll events) in scope; it must not raise.
"""
import argparse
import json
import re
import sys

MASK = (1 << 64) - 1


def splitmix64(seed, n):
    z = (seed + n * 0x9E3779B97F4A7C15) & MASK
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
    return z ^ (z >> 31)


def backoff_delay(initial, max_delay, jitter, failures, seed):
    ceiling = min(max_delay, initial * 2 ** (failures - 1))
    span = ceiling * jitter // 100
    if span == 0:
        return ceiling
    return ceiling - splitmix64(seed, failures) % (span + 1)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("events")
    ap.add_argument("mock_log")
    ap.add_argument("--exit", type=int, required=True)
    ap.add_argument("--requests", type=int)
    ap.add_argument("--interval-ms", type=int)
    ap.add_argument("--rate", type=float)
    ap.add_argument("--seed", type=int)
    ap.add_argument("--retry-delay-ms", type=int)
    ap.add_argument("--retry-max-delay-ms", type=int, default=300000)
    ap.add_argument("--jitter", type=int, default=50)
    ap.add_argument("--in-flight", type=int, default=0,
                    help="requests made but never answered (interrupted): counted by gdos, "
                         "without a poll event, logged by the mock or not")
    ap.add_argument("--check", action="append", default=[])
    a = ap.parse_args()

    problems = []

    def expect(ok, what):
        if not ok:
            problems.append(what)

    events = [json.loads(l) for l in open(a.events) if l.strip()]
    summary = events[-1] if events else {}
    expect(summary.get("event") == "summary", "the last line is not the summary")
    expect(summary.get("exitStatus") == a.exit,
           "summary exitStatus %s, expected %d" % (summary.get("exitStatus"), a.exit))
    polls = [e for e in events if e["event"] == "poll"]
    changes = [e for e in events if e["event"] == "change"]
    done = {e["order"]: e for e in events if e["event"] == "done"}
    outcome = {o["order"]: o["outcome"] for o in summary.get("orders", [])}
    by_order = {}
    for p in polls:
        by_order.setdefault(p["order"], []).append(p)

    mock = []
    mock_by_order = {}  # order -> times of the mock's log lines that name it
    for line in open(a.mock_log):
        stamp, _, text = line.partition(" ")
        if " https " in text and text.startswith("gdos-mock: #"):
            mock.append(float(stamp))
            named = re.search(r" order=(\d+)(?: certificateID=\d+)?$", text.rstrip("\n"))
            expect(named is not None, "a mock log line names no order: %r" % text.rstrip("\n"))
            if named:
                mock_by_order.setdefault(int(named.group(1)), []).append(float(stamp))
    expect(summary.get("requests") == len(polls) + a.in_flight and
           len(polls) <= len(mock) <= len(polls) + a.in_flight,
           "requests: %d poll events, summary says %s, the mock logged %d (%d in flight)" %
           (len(polls), summary.get("requests"), len(mock), a.in_flight))
    if a.requests is not None:
        expect(len(mock) == a.requests, "the mock logged %d requests, expected %d" %
               (len(mock), a.requests))

    # 1 ms of slack: gdos prints times rounded down to the millisecond.
    for order, ps in by_order.items():
        for before, after in zip(ps, ps[1:]):
            gap = (after["sent"] - before["sent"]) * 1000
            if before["ok"]:
                if a.interval_ms is not None:
                    expect(gap >= a.interval_ms - 1, "order %d polled %.0f ms after a success "
                           "(interval %d ms)" % (order, gap, a.interval_ms))
            elif "retryInMs" in before:
                expect(gap >= before["retryInMs"] - 1, "order %d retried %.0f ms after a failure, "
                       "announced %d ms" % (order, gap, before["retryInMs"]))
    # Server side: the mock's log, order by order.
    expect(set(mock_by_order) <= set(by_order),
           "the mock logged requests for orders gdos did not poll: %s" %
           sorted(set(mock_by_order) - set(by_order)))
    for order, ps in by_order.items():
        seen = mock_by_order.get(order, [])
        expect(len(ps) <= len(seen) <= len(ps) + a.in_flight,
               "order %d: %d poll events, the mock logged %d requests for it" %
               (order, len(ps), len(seen)))
        for before, t0, t1 in zip(ps, seen, seen[1:]):
            if before["ok"]:
                required = a.interval_ms
            else:
                required = before.get("retryInMs")
            if required is None:
                continue
            gap = (t1 - t0) * 1000
            expect(gap >= required / 2 - before.get("ms", 0),
                   "order %d: the mock saw two requests %.0f ms apart (gap %d ms, the earlier "
                   "took %d ms)" % (order, gap, required, before.get("ms", 0)))
    if a.rate:
        spacing = 1000 / a.rate
        sent = sorted(p["sent"] for p in polls)
        for x, y in zip(sent, sent[1:]):
            expect((y - x) * 1000 >= spacing - 1,
                   "two requests %.0f ms apart (rate %g/s)" % ((y - x) * 1000, a.rate))
        most = max((sum(1 for t in mock if s <= t < s + 1) for s in mock), default=0)
        expect(most <= int(a.rate) + 1, "the mock saw %d requests within one second (rate %g/s)" %
               (most, a.rate))
    if a.seed is not None:
        for order, ps in by_order.items():
            order_seed = splitmix64(a.seed, order)
            for p in ps:
                if p["ok"] or "retryInMs" not in p:
                    continue
                want = backoff_delay(a.retry_delay_ms, a.retry_max_delay_ms, a.jitter, p["attempt"],
                                     order_seed)
                expect(p["retryInMs"] == want, "order %d attempt %d: retry in %d ms, the policy "
                       "says %d" % (order, p["attempt"], p["retryInMs"], want))

    scope = dict(events=events, summary=summary, polls=polls, changes=changes, done=done,
                 outcome=outcome, by_order=by_order)
    for check in a.check:
        try:
            exec(check, dict(scope))
        except Exception as e:  # noqa: BLE001 - any failure of the check is reported
            problems.append("check failed: %s: %r" % (check, e))

    for p in problems:
        print("check_watch: %s: %s" % (a.events, p), file=sys.stderr)
    print("check_watch: %s: %d requests, %d events, %d problems" %
          (a.events, len(mock), len(events), len(problems)))
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
