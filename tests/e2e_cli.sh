#!/usr/bin/env bash
# End-to-end test of the programs over real TLS on 127.0.0.1: `gdos mock` and `gdos-mock` serve,
# `gdos query`, `gdos decode`, `gdos encode`, `gdos demo` and both example programs call them.
# Every command is bounded in time; every output is captured and, at the end, searched for the
# password, which must appear nowhere.
#
#   e2e_cli.sh GDOS GDOS_MOCK EXAMPLE_QUERY_CURL EXAMPLE_QUERY_HTTPLIB
set -euo pipefail

gdos=$1
gdos_mock=$2
example_curl=$3
example_httplib=$4

password='Demo pass&word 42!'            # the built-in fixture's demo account
password_encoded='Demo+pass%26word+42%21'  # as it travels in a body
work=$(mktemp -d "${TMPDIR:-/tmp}/gdos-e2e-XXXXXX")
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

failures=0
n=0
fail() {
  echo "FAIL: $*" >&2
  failures=$((failures + 1))
}

# run NAME EXPECTED_STATUS CMD...: runs CMD (30 s at most), stdout and stderr captured to
# $work/NAME.out and $work/NAME.err, and checks the exit status.
run() {
  local name=$1 expected=$2
  shift 2
  n=$((n + 1))
  local status=0
  timeout 30 "$@" >"$work/$name.out" 2>"$work/$name.err" </dev/null || status=$?
  if [ "$status" -ne "$expected" ]; then
    fail "$name: exit status $status, expected $expected"
    sed 's/^/    /' "$work/$name.out" "$work/$name.err" >&2
  fi
}

# contains NAME STREAM TEXT: the captured stream (out or err) of NAME contains TEXT.
contains() {
  grep -qF -- "$3" "$work/$1.$2" || fail "$1: $2 lacks: $3"
}

# start_mock NAME PROGRAM ARGS...: runs a mock in the background and waits for its URLs.
start_mock() {
  local name=$1
  shift
  "$@" --seconds 120 --ca-out "$work/$name-ca.pem" >"$work/$name.out" 2>"$work/$name.err" &
  pids+=($!)
  for _ in $(seq 100); do
    grep -q '^HTTP URL: ' "$work/$name.out" 2>/dev/null && return 0
    sleep 0.1
  done
  echo "FAIL: $name did not start" >&2
  cat "$work/$name.out" "$work/$name.err" >&2
  exit 1
}
url_of() { sed -n 's/^URL: //p' "$work/$1.out"; }
http_url_of() { sed -n 's/^HTTP URL: //p' "$work/$1.out"; }

# ---- gdos mock + gdos query ---------------------------------------------------------------------

start_mock mock "$gdos" mock --port 0 --http-port 0
url=$(url_of mock)
http_url=$(http_url_of mock)
ca="$work/mock-ca.pem"
case $url in https://127.0.0.1:*/products/!GetDetailedOrderStatus) ;; *) fail "mock URL: $url" ;; esac
grep -q 'BEGIN CERTIFICATE' "$ca" || fail "no CA certificate in $ca"

export GDOS_LOGIN_NAME=demo_reseller
export GDOS_LOGIN_PASSWORD="$password"

run query_ok 0 "$gdos" query --endpoint "$url" --ca-file "$ca" --order 1000005 --query-type 2 \
  --show-validity-period Y
contains query_ok out "errorCode 0 (success), 2 orders"
contains query_ok out "Order 2 (replacement)"
contains query_ok out "1000006"
contains query_ok out "validityPeriodStart"
contains query_ok out "not required"

run query_json 0 "$gdos" query --endpoint "$url" --ca-file "$ca" --certificate-id 5100010 --json
python3 - "$work/query_json.out" <<'EOF' || fail "query --json: unexpected JSON"
import json, sys
r = json.load(open(sys.argv[1]))
o = r["orders"][0]
assert r["errorCode"] == 0 and o["orderNumber"] == 1000008, r
assert o["suggestedOrgDetails"]["Status"] == "Found"
assert len(o["suggestedOrgDetails"]["matches"]) == 2
c = o["certificates"][0]
assert c["ovCallBackStatus"] == {"code": 2, "text": "in progress"}, c
assert c["evClickThroughStatus"]["text"] == "not completed"
EOF

# Both arguments: sent together, answered when the certificate belongs to the order.
run query_both 0 "$gdos" query --endpoint "$url" --ca-file "$ca" --order 1000008 \
  --certificate-id 5100010
contains query_both out "1000008"
run query_both_mismatch 1 "$gdos" query --endpoint "$url" --ca-file "$ca" --order 1000005 \
  --certificate-id 5100010
contains query_both_mismatch err "errorCode -4: The value of the 'certificateID' argument is invalid!"

run query_status_only 0 "$gdos" query --endpoint "$url" --ca-file "$ca" --order 1000003 \
  --query-type 0
contains query_status_only out "Rejected"
grep -q "Certificate" "$work/query_status_only.out" && fail "queryType 0 printed certificates"

GDOS_LOGIN_PASSWORD='Wrong pass&word 42!' run wrong_password 1 "$gdos" query \
  --endpoint "$url" --ca-file "$ca" --order 1000002
contains wrong_password err "api_error: errorCode -16: Permission denied!"

# Refused before anything is sent: the library's insecure_url, a usage error for the CLI.
run plain_http 2 "$gdos" query --endpoint "$http_url" --order 1000002
contains plain_http err "insecure_url"

run unknown_order 1 "$gdos" query --endpoint "$url" --ca-file "$ca" --order 4242
contains unknown_order err "errorCode -4: The value of the 'orderNumber' argument is invalid!"

run untrusted 3 "$gdos" query --endpoint "$url" --order 1000002
contains untrusted err "transport/tls_verification"

run no_order 2 "$gdos" query --endpoint "$url" --ca-file "$ca"
contains no_order err "--order N or --certificate-id N"

# No password in the environment and no terminal to ask on (setsid: no controlling tty).
env -u GDOS_LOGIN_PASSWORD setsid -w "$gdos" query --endpoint "$url" --ca-file "$ca" \
  --order 1000002 >"$work/no_password.out" 2>"$work/no_password.err" </dev/null &&
  fail "no_password: succeeded"
contains no_password err "no password"

# The prompt: on a terminal (a pseudo-terminal from script(1)), without GDOS_LOGIN_PASSWORD, gdos
# asks for the password with echo off. The password is typed only once the prompt is there
# (the prompt flushes earlier input, as getpass does), and must not come back in the output.
if command -v script >/dev/null; then
  n=$((n + 1))
  mkfifo "$work/typed"
  (
    status=0
    env -u GDOS_LOGIN_PASSWORD timeout 30 script -qec \
      "'$gdos' query --endpoint '$url' --ca-file '$ca' --order 1000001 --query-type 0" \
      /dev/null <"$work/typed" >"$work/prompt.out" 2>&1 || status=$?
    echo "$status" >"$work/prompt.status"
  ) &
  exec 3>"$work/typed"
  for _ in $(seq 100); do
    grep -q 'loginPassword: ' "$work/prompt.out" 2>/dev/null && break
    sleep 0.1
  done
  printf '%s\n' "$password" >&3
  exec 3>&-
  wait $!
  [ "$(cat "$work/prompt.status")" = 0 ] || fail "prompt: exit status $(cat "$work/prompt.status")"
  contains prompt out "loginPassword: "
  contains prompt out "Awaiting domain control validation"
else
  echo "e2e_cli: script(1) not found, the password prompt is not tested" >&2
fi

run bad_query_type 2 "$gdos" query --order 1 --query-type 7
contains bad_query_type err "--query-type"

# A fixture whose extra field would come back as a known one is refused at start, with its path.
cat >"$work/bad_fixture.json" <<'JSON'
{"accounts": [{"loginName": "a", "loginPassword": "b"}],
 "orders": [{"orderNumber": 1, "orderStatus": "Issued",
             "certificates": [{"FQDN": "a.example", "extra": {"slId": "1", "dcvStatus": "2"}}]}]}
JSON
run bad_fixture 3 "$gdos_mock" --port 0 --http-port 0 --seconds 1 --fixture "$work/bad_fixture.json"
contains bad_fixture err '$.orders[0].certificates[0].extra.dcvStatus: unknown field named like a known field of its level'

# ---- the example programs against gdos-mock -----------------------------------------------------

start_mock gdos_mock "$gdos_mock" --port 0 --http-port 0
url2=$(url_of gdos_mock)
http_url2=$(http_url_of gdos_mock)
ca2="$work/gdos_mock-ca.pem"
cmp -s "$ca" "$ca2" && fail "two mocks share a CA"

for example in curl httplib; do
  program=$example_curl
  [ "$example" = httplib ] && program=$example_httplib
  run "example_${example}_ok" 0 "$program" 1000005 "$url2" "$ca2"
  contains "example_${example}_ok" out "order 1000005: Replaced"
  contains "example_${example}_ok" out "order 1000006: Issued"
  contains "example_${example}_ok" out "certificate 1: api.example.com, Valid"
  GDOS_LOGIN_PASSWORD=nope run "example_${example}_denied" 1 "$program" 1000005 "$url2" "$ca2"
  contains "example_${example}_denied" err "error (api_error): errorCode -16: Permission denied!"
  run "example_${example}_http" 1 "$program" --allow-plain-http 1000005 "$http_url2"
  contains "example_${example}_http" err "errorCode -1"
  run "example_${example}_http_refused" 1 "$program" 1000005 "$http_url2"
  contains "example_${example}_http_refused" err "error (insecure_url)"
  run "example_${example}_untrusted" 1 "$program" 1000005 "$url2" "$work/mock-ca.pem"
  contains "example_${example}_untrusted" err "error (transport)"
done

# ---- decode and encode -----------------------------------------------------------------------------

printf 'errorCode=0&1_orderNumber=7&1_orderStatus=Issued&1_1_FQDN=www.example.com&1_1_dcvStatus=2\n' \
  >"$work/reply.txt"
run decode_file 0 "$gdos" decode "$work/reply.txt"
contains decode_file out "www.example.com"
contains decode_file out "in progress"
n=$((n + 1))
"$gdos" decode --json <"$work/reply.txt" >"$work/decode_stdin.out" 2>"$work/decode_stdin.err" ||
  fail "decode from stdin"
python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); assert r["orders"][0]["certificates"][0]["dcvStatus"]["code"] == 2' \
  "$work/decode_stdin.out" || fail "decode --json from stdin"
printf 'errorCode=-16&errorMessage=Permission+denied%%21' >"$work/error.txt"
run decode_error 1 "$gdos" decode "$work/error.txt"
contains decode_error err "errorCode -16: Permission denied!"
printf '<html><body>502 Bad Gateway</body></html>' >"$work/html.txt"
run decode_html 3 "$gdos" decode "$work/html.txt"
contains decode_html err "malformed reply: HTML page"
run decode_missing 2 "$gdos" decode "$work/no-such-file"

run encode_masked 0 "$gdos" encode --order 1000002 --show-validity-period Y
contains encode_masked out \
  "loginName=demo_reseller&loginPassword=***&orderNumber=1000002&queryType=1&showValidityPeriod=Y&responseFormat=1"
run encode_file 0 "$gdos" encode --certificate-id 5100010 --query-type 2 -o "$work/body.bin"
contains encode_file out "loginPassword=***"
[ "$(stat -c %a "$work/body.bin")" = 600 ] || fail "encode -o: file mode is not 600"
grep -qF "loginPassword=$password_encoded&certificateID=5100010&queryType=2" "$work/body.bin" ||
  fail "encode -o: body lacks the encoded password and fields"
rm -f "$work/body.bin"  # the one file allowed to hold the password

# ---- the demo ---------------------------------------------------------------------------------------

run demo 0 "$gdos" demo
contains demo out "every outcome as expected; mock stopped."
contains demo out "Example Widgets & Co. Ltd"
contains demo err "errorCode -16: Permission denied!"

# ---- the mocks stop cleanly on SIGTERM and logged every request ---------------------------------------

for pid in "${pids[@]}"; do
  kill -TERM "$pid"
  status=0
  wait "$pid" || status=$?
  [ "$status" -eq 0 ] || fail "mock (pid $pid) exited with status $status after SIGTERM"
done
pids=()
contains mock err "(SIGTERM)"
contains mock err "https POST /products/!GetDetailedOrderStatus -> 200 errorCode=0"
contains mock err "https POST /products/!GetDetailedOrderStatus -> 200 errorCode=-16"
# gdos query refused the plain-HTTP endpoint before sending; the examples sent on purpose.
grep -qF "http POST" "$work/mock.err" && fail "plain_http: gdos query sent the request over http"
contains gdos_mock err "http POST /products/!GetDetailedOrderStatus -> 200 errorCode=-1"
contains gdos_mock err "errorCode=-16"

# ---- the password appears in no output ---------------------------------------------------------------

leaks=$(grep -lF -e "$password" -e "$password_encoded" -e 'Wrong pass' -e 'Wrong+pass' \
  "$work"/*.out "$work"/*.err || true)
[ -z "$leaks" ] || fail "the password appears in: $leaks"

echo "e2e_cli: $n commands, $failures failures"
[ "$failures" -eq 0 ]
