#!/usr/bin/env bash
# End-to-end test of `gdos watch` against gdos-mock's scenarios, over real TLS on 127.0.0.1:
# orders moving along timelines, injected faults and retries, the deadline, -16 stopping the run,
# Ctrl-C, the rate limit, --orders-file and usage errors. Each run gets a fresh mock (the
# timelines count from its start) and is checked for its events, exit status and request count
# (tests/cli/check_watch.py: no order polled faster than the interval, the rate held, the
# requests the mock saw). Intervals are 100-300 ms so the whole test takes about 15 s.
#
#   e2e_watch.sh GDOS GDOS_MOCK
set -euo pipefail

gdos=$1
gdos_mock=$2
here=$(cd "$(dirname "$0")" && pwd)
schema="$here/../docs/gdos-cli.schema.json"
check="$here/cli/check_watch.py"

password='Demo pass&word 42!'  # the built-in fixture's demo account
work=$(mktemp -d "${TMPDIR:-/tmp}/gdos-watch-XXXXXX")
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

failures=0
n=0
jsonl=()  # every --json output, checked against the schema at the end
fail() {
  echo "FAIL: $*" >&2
  failures=$((failures + 1))
}

export GDOS_LOGIN_NAME=demo_reseller
export GDOS_LOGIN_PASSWORD="$password"

# start_mock NAME [MOCK OPTIONS...]: a fresh mock; its log lines, stamped with their arrival
# time, go to $work/NAME.log. Sets $url and $ca.
start_mock() {
  local name=$1
  shift
  "$gdos_mock" --port 0 --http-port -1 --seconds 60 --ca-out "$work/$name-ca.pem" \
    --url-file "$work/$name.url" "$@" >"$work/$name.mock.out" \
    2> >(while IFS= read -r line; do printf '%s %s\n' "$EPOCHREALTIME" "$line"; done \
      >"$work/$name.log") &
  pids+=($!)
  for _ in $(seq 100); do
    [ -s "$work/$name.url" ] && break
    sleep 0.05
  done
  [ -s "$work/$name.url" ] || { echo "FAIL: mock $name did not start" >&2; cat "$work/$name.mock.out" >&2; exit 1; }
  url=$(cat "$work/$name.url")
  ca="$work/$name-ca.pem"
}
# stop_mock: stops the last mock and waits for its log to be complete.
stop_mock() {
  local pid=${pids[-1]}
  kill -TERM "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  sleep 0.05
}

# watch NAME EXPECTED_STATUS ARGS...: gdos watch against the current mock (30 s at most).
watch() {
  local name=$1 expected=$2
  shift 2
  n=$((n + 1))
  local status=0 a
  for a in "$@"; do [ "$a" = --json ] && jsonl+=("$work/$name.out"); done
  timeout 30 "$gdos" watch --endpoint "$url" --ca-file "$ca" "$@" >"$work/$name.out" \
    2>"$work/$name.err" </dev/null || status=$?
  if [ "$status" -ne "$expected" ]; then
    fail "$name: exit status $status, expected $expected"
    sed 's/^/    /' "$work/$name.out" "$work/$name.err" | tail -n 40 >&2
  fi
}
# verify NAME CHECK_WATCH_ARGS...: check_watch.py on the run NAME and the current mock's log.
verify() {
  local name=$1
  shift
  n=$((n + 1))
  python3 "$check" "$work/$name.out" "$work/$mock_name.log" "$@" || fail "$name: see above"
}
contains() {
  grep -qF -- "$3" "$work/$1.$2" || fail "$1: $2 lacks: $3"
}

# ---- several orders along their timelines (the built-in scenario orders) ------------------------
# 1000010 moves by count (DCV in progress, completed, issued after 1, 2, 3 replies): 4 requests;
# 1000011 is rejected after 2 replies: 3 requests; 1000005 was replaced by 1000006 (queryType 2):
# one request each, the replacement followed. Exit 4: one order ended failed.

mock_name=timelines
start_mock "$mock_name"
watch timelines 4 --order 1000010 --order 1000011 --order 1000005 --interval 300ms \
  --max-rate 20 --json
stop_mock
verify timelines --exit 4 --requests 9 --interval-ms 300 --rate 20 \
  --check 'assert outcome == {1000010: "succeeded", 1000011: "failed", 1000005: "replaced", 1000006: "succeeded"}, outcome' \
  --check 'assert [len(by_order[o]) for o in (1000010, 1000011, 1000005, 1000006)] == [4, 3, 1, 1]' \
  --check 'dcv = [(c["before"]["text"], c["after"]["text"], c.get("next")) for c in changes if c["order"] == 1000010 and c.get("step") == "dcv" and c["before"]]; assert dcv == [("not_completed", "in_progress", "complete domain control validation"), ("in_progress", "completed", None)], dcv' \
  --check 'st = [(c["before"], c["after"]) for c in changes if c["kind"] == "order_status" and c["before"]]; assert ("Pending", "Issued") in st and ("Pending", "Rejected") in st, st' \
  --check 'assert [(e["order"], e["replaces"]) for e in events if e["event"] == "follow"] == [(1000006, 1000005)]' \
  --check 'assert done[1000011]["status"] == "Rejected" and done[1000010]["status"] == "Issued"'

# The same for people: one line per change, naming the certificate, the step and what to do.
mock_name=timelines_text
start_mock "$mock_name"
watch timelines_text 4 --order 1000010 --order 1000011 --order 1000005 --interval 300ms \
  --max-rate 20
stop_mock
contains timelines_text out "order 1000010: certificate 1 steps.example.com: DCV not completed; next: complete domain control validation"
contains timelines_text out "order 1000010: certificate 1 steps.example.com: DCV not completed -> in progress; next: complete domain control validation"
contains timelines_text out "order 1000010: certificate 1 steps.example.com: DCV in progress -> completed"
contains timelines_text out 'order 1000010: orderStatus "Pending" -> "Issued"'
contains timelines_text out "order 1000011: Rejected (Domain control validation failed): done (failed)"
contains timelines_text out "order 1000005: following its replacement, order 1000006"
contains timelines_text out "gdos watch: summary after"
contains timelines_text out "9 requests"
contains timelines_text out "gdos watch: exit status 4: some orders ended failed"

# A replacement that appears while the order is followed: said once, with what it still needs.
cat >"$work/replaced.json" <<'JSON'
{"accounts": [{"loginName": "demo_reseller", "loginPassword": "Demo pass&word 42!"}],
 "orders": [{"orderNumber": 11, "orderStatus": "Pending", "certificates": [{"FQDN": "a.example", "dcvStatus": 0}],
             "timeline": [{"after": {"requests": 1}, "orderStatus": "Replaced", "replacedBy": [12]}]},
            {"orderNumber": 12, "orderStatus": "Pending",
             "certificates": [{"FQDN": "a.example", "dcvStatus": 2, "ovCallBackStatus": 0}],
             "timeline": [{"after": {"requests": 2}, "orderStatus": "Issued",
                           "certificates": [{"dcvStatus": 1, "ovCallBackStatus": 1}]}]}]}
JSON
mock_name=replaced
start_mock "$mock_name" --fixture "$work/replaced.json"
watch replaced 0 --order 11 --interval 200ms --max-rate 20
stop_mock
contains replaced out 'order 11: orderStatus "Pending" -> "Replaced"'
contains replaced out "order 12 (replacement 2 of 11): appeared: Pending"
contains replaced out "order 12 (replacement 2 of 11): certificate 1 a.example: OV callback not completed; next: answer the organization validation callback"
contains replaced out "order 11: following its replacement, order 12"
contains replaced out "order 12: certificate 1 a.example: OV callback not completed -> completed"
contains replaced out "order 12         succeeded   Issued (replaces 11)"
grep -q "replacement 2 of 11): .*(absent) ->" "$work/replaced.out" &&
  fail "replaced: the new order was reported field by field"

# ---- injected faults: retried per the policy; a permanent error does not stop the others -----------
# 1000014's first five requests get HTTP 503, -42, -14, a dropped connection and a 1 s delay (then
# Pending); Issued from its second successful reply: 6 requests. 4242 is not in the fixture: -4
# once, given up. With --seed 7 every retry delay is known in advance (check_watch recomputes it).

mock_name=faults
start_mock "$mock_name"
watch faults 6 --order 1000014 --order 4242 --interval 200ms --max-rate 20 --retry-delay 50ms \
  --seed 7 --json
stop_mock
verify faults --exit 6 --requests 7 --interval-ms 200 --rate 20 --seed 7 --retry-delay-ms 50 \
  --check 'assert outcome == {1000014: "succeeded", 4242: "error"}, outcome' \
  --check 'p = by_order[1000014]; assert [x["ok"] for x in p] == [False] * 4 + [True, True], p' \
  --check 'p = by_order[1000014]; assert [x["attempt"] for x in p] == [1, 2, 3, 4, 5, 1], p' \
  --check 'e = [x["error"] for x in by_order[1000014][:4]]; assert [x["step"] for x in e] == ["http_status", "api_error", "api_error", "transport"] and e[0]["httpStatus"] == 503 and [x.get("errorCode") for x in e[1:3]] == [-42, -14], e' \
  --check 'assert all(x["verdict"] == "retry" and x["retryInMs"] > 0 for x in by_order[1000014][:4])' \
  --check 'assert by_order[1000014][4]["ms"] >= 900, "the slow reply"' \
  --check 'p = by_order[4242]; assert len(p) == 1 and p[0]["verdict"] == "permanent" and "retryInMs" not in p[0] and p[0]["error"]["errorCode"] == -4, p' \
  --check 'assert done[4242]["error"]["errorCode"] == -4'
grep -q 'fault: connection dropped' "$work/faults.log" || fail "faults: the mock dropped no connection"

# Retries used up: -14 on every request of 1000001, two retries allowed: 3 requests, then given up.
cat >"$work/always14.json" <<'JSON'
{"accounts": [{"loginName": "demo_reseller", "loginPassword": "Demo pass&word 42!"}],
 "orders": [{"orderNumber": 1000001, "orderStatus": "Pending",
             "certificates": [{"FQDN": "a.example", "dcvStatus": 0}]}],
 "faults": [{"fault": "errorCode", "errorCode": -14, "every": 1}]}
JSON
mock_name=always14
start_mock "$mock_name" --fixture "$work/always14.json"
watch always14 6 --order 1000001 --interval 100ms --max-rate 50 --retry-delay 20ms \
  --max-retries 2 --seed 1 --json
stop_mock
verify always14 --exit 6 --requests 3 --rate 50 --seed 1 --retry-delay-ms 20 \
  --check 'p = by_order[1000001]; assert [x.get("verdict") for x in p] == ["retry"] * 3 and ["retryInMs" in x for x in p] == [True, True, False], p' \
  --check 'assert outcome == {1000001: "error"}'

# ---- the deadline: 1000009 is issued 3 s after its first reply (DCV in progress at 1 s); the
# deadline is 1.3 s: 7 polls (0, 0.2, ... 1.2 s), the last two seeing DCV in progress.

mock_name=deadline
start_mock "$mock_name"
start=$(date +%s%3N)
watch deadline 5 --order 1000009 --interval 200ms --max-rate 20 --deadline 1300ms --json
took=$(($(date +%s%3N) - start))
stop_mock
[ "$took" -lt 2800 ] || fail "deadline: the run took $took ms for a 1.3 s deadline"
verify deadline --exit 5 --interval-ms 200 --rate 20 \
  --check 'assert outcome == {1000009: "deadline"} and done[1000009]["status"] == "Pending"' \
  --check 'assert 6 <= len(polls) <= 7, len(polls)' \
  --check 'assert [e for e in events if e["event"] == "deadline"]' \
  --check 'assert any(c.get("step") == "dcv" and c["before"] and c["after"]["text"] == "in_progress" for c in changes)' \
  --check 'assert summary["orders"][0]["pending"][0]["next"] == "complete domain control validation"'

# ---- -16 stops everything at once ---------------------------------------------------------------------
# Three pending orders; the 4th request (order 1's second poll) gets -16: no fifth request.

cat >"$work/denied.json" <<'JSON'
{"accounts": [{"loginName": "demo_reseller", "loginPassword": "Demo pass&word 42!"}],
 "orders": [{"orderNumber": 1, "orderStatus": "Pending", "certificates": [{"FQDN": "a.example", "dcvStatus": 0}]},
            {"orderNumber": 2, "orderStatus": "Pending", "certificates": [{"FQDN": "b.example", "dcvStatus": 2}]},
            {"orderNumber": 3, "orderStatus": "Pending", "certificates": [{"FQDN": "c.example", "ovCallBackStatus": 0}]}],
 "faults": [{"fault": "errorCode", "errorCode": -16, "requests": [4]}]}
JSON
mock_name=denied
start_mock "$mock_name" --fixture "$work/denied.json"
watch denied 7 --order 1 --order 2 --order 3 --interval 100ms --max-rate 50 --json
stop_mock
verify denied --exit 7 --requests 4 --interval-ms 100 --rate 50 \
  --check 'assert outcome == {1: "error", 2: "stopped", 3: "stopped"}, outcome' \
  --check 'p = polls[-1]; assert p["order"] == 1 and p["verdict"] == "fatal" and p["error"]["errorCode"] == -16, p'
# Without a JSON consumer, people read why.
mock_name=denied_text
start_mock "$mock_name" --fixture "$work/denied.json"
watch denied_text 7 --order 1 --order 2 --order 3 --interval 100ms --max-rate 50
stop_mock
contains denied_text out "order 1: api_error: errorCode -16: Permission denied!"
contains denied_text out "stopping every order"
contains denied_text out "order 3: certificate 1 c.example: OV callback not completed; next: answer the organization validation callback"

# ---- Ctrl-C prints the summary so far, also while a request is held by a slow server -----------

cat >"$work/slow.json" <<'JSON'
{"accounts": [{"loginName": "demo_reseller", "loginPassword": "Demo pass&word 42!"}],
 "orders": [{"orderNumber": 1, "orderStatus": "Pending", "certificates": [{"FQDN": "a.example", "dcvStatus": 0}]},
            {"orderNumber": 2, "orderStatus": "Pending", "certificates": [{"FQDN": "b.example", "dcvStatus": 0}]}],
 "faults": [{"fault": "slow", "delaySeconds": 20, "requests": [5]}]}
JSON
for sig in INT TERM; do
  mock_name=interrupt_$sig
  start_mock "$mock_name" --fixture "$work/slow.json"
  n=$((n + 1))
  jsonl+=("$work/$mock_name.out")
  "$gdos" watch --endpoint "$url" --ca-file "$ca" --order 1 --order 2 --interval 100ms \
    --max-rate 50 --json >"$work/$mock_name.out" 2>"$work/$mock_name.err" </dev/null &
  watch_pid=$!
  # The fifth request is held 20 s by the mock: signal gdos while it waits for it.
  for _ in $(seq 200); do
    [ "$(grep -c ' https ' "$work/$mock_name.log" 2>/dev/null)" -ge 4 ] && break
    sleep 0.02
  done
  sleep 0.3
  start=$(date +%s%3N)
  kill -"$sig" "$watch_pid"
  status=0
  wait "$watch_pid" || status=$?
  took=$(($(date +%s%3N) - start))
  stop_mock
  expected=130
  [ "$sig" = TERM ] && expected=143
  [ "$status" = "$expected" ] || fail "$mock_name: exit status $status, expected $expected"
  [ "$took" -lt 1000 ] || fail "$mock_name: $took ms from the signal to the exit"
  # The fifth request was made but never answered.
  verify "$mock_name" --exit "$expected" --interval-ms 100 --rate 50 --in-flight 1 \
    --check 'assert summary["requests"] == 5, summary' \
    --check "assert [e['signal'] for e in events if e['event'] == 'interrupted'] == ['SIG$sig']" \
    --check 'assert outcome == {1: "interrupted", 2: "interrupted"}, outcome'
done

# ---- the rate limit holds across orders ---------------------------------------------------------------
# Eight pending orders polled every 100 ms would be 80 requests a second; --max-rate 10 allows 10.

python3 - "$work/eight.json" <<'EOF'
import json, sys
orders = [{"orderNumber": 100 + i, "orderStatus": "Pending",
           "certificates": [{"FQDN": "o%d.example" % i, "dcvStatus": 0}]} for i in range(8)]
json.dump({"accounts": [{"loginName": "demo_reseller", "loginPassword": "Demo pass&word 42!"}],
           "orders": orders}, open(sys.argv[1], "w"))
EOF
mock_name=rate
start_mock "$mock_name" --fixture "$work/eight.json"
watch rate 5 $(printf -- '--order %d ' $(seq 100 107)) --interval 100ms --max-rate 10 \
  --deadline 1500ms --json
stop_mock
verify rate --exit 5 --interval-ms 100 --rate 10 \
  --check 'assert 12 <= len(polls) <= 16, len(polls)' \
  --check 'assert sorted(by_order) == list(range(100, 108)) and all(len(v) >= 1 for v in by_order.values())' \
  --check 'assert set(outcome.values()) == {"deadline"}'

# ---- --orders-file, --until, password sources ---------------------------------------------------------

printf '# orders to follow\n 01000010 \n\n1000011   # the one that gets rejected\n1000010\n' >"$work/orders.txt"
printf '%s\n' "$password" >"$work/password.txt"
chmod 600 "$work/password.txt"
mock_name=orders_file
start_mock "$mock_name"
# --until Pending: the first reply ends the wait (as a success).
watch orders_file 0 --orders-file "$work/orders.txt" --until Pending --json \
  --password-file "$work/password.txt"
verify orders_file --exit 0 --requests 2 \
  --check 'assert events[0]["orders"] == [1000010, 1000011], events[0]' \
  --check 'assert events[0]["until"] == {"succeeded": ["Pending"], "failed": ["Rejected", "Revoked", "Expired", "Cancelled"]}, events[0]'
watch until_failed 4 --order 1000001 --until-failed Pending --json
stop_mock
n=$((n + 1))
python3 -c 'import json,sys; s=[json.loads(l) for l in open(sys.argv[1])][-1]; assert s["orders"][0]["outcome"] == "failed", s' \
  "$work/until_failed.out" || fail "until_failed: not failed"

url=https://127.0.0.1:9/x  # the runs below stop before any request
ca=/dev/null
head -c 70000 /dev/zero | tr '\0' '\n' >"$work/big.txt"
watch orders_file_big 2 --orders-file "$work/big.txt"
contains orders_file_big err "larger than 65536 bytes"
seq 1 257 >"$work/many.txt"
watch orders_file_many 2 --orders-file "$work/many.txt"
contains orders_file_many err "more than 256 orders"
printf '1\n2\n3x\n' >"$work/bad.txt"
watch orders_file_bad 2 --orders-file "$work/bad.txt" --json
contains orders_file_bad err "bad.txt:3: '3x' is not a decimal integer"

# ---- usage errors -------------------------------------------------------------------------------------

watch no_orders 2
contains no_orders err "say which orders"
watch bad_interval 2 --order 1 --interval 0
contains bad_interval err "--interval: '0' is out of range"
watch bad_rate 2 --order 1 --max-rate 0
contains bad_rate err "--max-rate: '0' is not a rate"
watch bad_rate_hex 2 --order 1 --max-rate 0x10
watch bad_order 2 --order 0x10 --json
[ "$(wc -l <"$work/bad_order.out")" = 1 ] || fail "bad_order: the JSON error is not one line"
n=$((n + 1))
"$gdos" watch --order 1 --endpoint http://127.0.0.1:9/x --json >"$work/plain.out" 2>"$work/plain.err" &&
  fail "plain: an http endpoint was accepted"
jsonl+=("$work/plain.out")
contains plain err "insecure_url"

# ---- every JSON line matches the schema -----------------------------------------------------------------

n=$((n + 1))
python3 "$here/cli/check_json.py" "$schema" --lines "${jsonl[@]}" || fail "JSON Lines do not match $schema"

leaks=$(grep -lF -e "$password" -e 'Demo+pass%26word' "$work"/*.out "$work"/*.err "$work"/*.log || true)
[ -z "$leaks" ] || fail "the password appears in: $leaks"

echo "e2e_watch: $n checks, $failures failures"
[ "$failures" -eq 0 ]
