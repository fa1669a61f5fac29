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
here=$(cd "$(dirname "$0")" && pwd)
schema="$here/../docs/gdos-cli.schema.json"
# Bounds of the timing and memory checks; AddressSanitizer (the asan preset) makes gdos about
# five times slower and doubles its footprint.
time_bound_ms=5000
rss_bound_kib=40000
if grep -qa __asan_init "$gdos"; then
  time_bound_ms=20000
  rss_bound_kib=100000
fi

password='Demo pass&word 42!'            # the built-in fixture's demo account
password_encoded='Demo+pass%26word+42%21'  # as it travels in a body
work=$(mktemp -d "${TMPDIR:-/tmp}/gdos-e2e-XXXXXX")
pids=()     # the mocks, stopped with SIGTERM at the end
helpers=()  # other servers, killed at exit
cleanup() {
  for pid in "${pids[@]}" "${helpers[@]}"; do kill "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

failures=0
n=0
json_outputs=()  # stdout of every command run with --json: checked against the schema at the end
fail() {
  echo "FAIL: $*" >&2
  failures=$((failures + 1))
}

# run NAME EXPECTED_STATUS CMD...: runs CMD (30 s at most), stdin from $stdin (default
# /dev/null), stdout and stderr captured to $work/NAME.out and $work/NAME.err, and checks the exit
# status.
run() {
  local name=$1 expected=$2
  shift 2
  n=$((n + 1))
  local status=0 a
  for a in "$@"; do [ "$a" = --json ] && json_outputs+=("$work/$name.out"); done
  timeout 30 "$@" >"$work/$name.out" 2>"$work/$name.err" <"${stdin:-/dev/null}" || status=$?
  if [ "$status" -ne "$expected" ]; then
    fail "$name: exit status $status, expected $expected"
    sed 's/^/    /' "$work/$name.out" "$work/$name.err" >&2
  fi
}

# contains NAME STREAM TEXT: the captured stream (out or err) of NAME contains TEXT.
contains() {
  grep -qF -- "$3" "$work/$1.$2" || fail "$1: $2 lacks: $3"
}
# lacks NAME STREAM TEXT: ... and does not contain TEXT.
lacks() {
  if grep -qF -- "$3" "$work/$1.$2"; then fail "$1: $2 contains: $3"; fi
}
# json NAME PYTHON: the Python statements, with `d` the JSON document NAME printed, must run
# without an assertion failing. Collected, and run in one Python process at the end.
json() {
  printf '%s\t%s\n' "$1" "$2" >>"$work/json_checks"
}
# millis: a clock in milliseconds, for the timing checks.
millis() { date +%s%3N; }

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
assert c["ovCallBackStatus"] == {"code": 2, "text": "in_progress"}, c
assert c["evClickThroughStatus"]["text"] == "not_completed"
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
# Sent when asked for, and the mock's plain port answers -1.
run plain_http_allowed 1 "$gdos" query --endpoint "$http_url" --order 1000002 --allow-plain-http
contains plain_http_allowed err "errorCode -1: Request was not made over https!"

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
contains decode_html err "gdos: malformed_reply: HTML page"
run decode_missing 2 "$gdos" decode "$work/no-such-file"

run encode_masked 0 "$gdos" encode --order 1000002 --show-validity-period Y
contains encode_masked out \
  "loginName=demo_reseller&loginPassword=***&orderNumber=1000002&queryType=1&showValidityPeriod=Y&responseFormat=1"
# responseFormat: Sectigo documents 1 (url-encoded) and 2 (JSON) for this call, not 0.
run encode_json 0 "$gdos" encode --order 1000002 --response-format 2
contains encode_json out "&responseFormat=2"
run encode_format_0 2 "$gdos" encode --order 1000002 --response-format 0
run encode_file 0 "$gdos" encode --certificate-id 5100010 --query-type 2 -o "$work/body.bin"
contains encode_file out "loginPassword=***"
[ "$(stat -c %a "$work/body.bin")" = 600 ] || fail "encode -o: file mode is not 600"
grep -qF "loginPassword=$password_encoded&certificateID=5100010&queryType=2" "$work/body.bin" ||
  fail "encode -o: body lacks the encoded password and fields"
rm -f "$work/body.bin"  # the one file allowed to hold the password

# ---- issue #11: numbers are decimal, with real ranges ----------------------------------------------

run num_leading_zeros 0 "$gdos" encode --order 01234567 --certificate-id 0005100010 --query-type 02
contains num_leading_zeros out "orderNumber=1234567&certificateID=5100010&queryType=2&"
i=0
for bad in 0x10 0o17 017x -5 +5 1e3 " 12" 1.0 ""; do
  i=$((i + 1))
  run "num_bad_$i" 2 "$gdos" encode --order "$bad"
  contains "num_bad_$i" err "--order: "
  contains "num_bad_$i" err "expected a decimal integer from 1 to 9223372036854775807"
done
run num_overflow 2 "$gdos" encode --order 99999999999999999999
contains num_overflow err "'99999999999999999999' is too large"
run num_cert_range 2 "$gdos" encode --certificate-id 10000000000000000
contains num_cert_range err "out of range; expected a decimal integer from 1 to 9999999999999999"
run num_cert_hex 2 "$gdos" encode --certificate-id 0x10
run num_query_type 2 "$gdos" encode --order 1 --query-type 3
contains num_query_type err "from 0 to 2"
run timeout_zero 2 "$gdos" query --order 1 --timeout 0
contains timeout_zero err "expected a duration from 100ms to 1h"
run timeout_huge 2 "$gdos" query --order 1 --timeout 9223372036854776
run timeout_digits 2 "$gdos" query --order 1 --timeout "$(printf '9%.0s' $(seq 300))"
[ "$(wc -c <"$work/timeout_digits.err")" -lt 400 ] || fail "timeout_digits: a message of $(wc -c <"$work/timeout_digits.err") bytes"
run max_body_zero 2 "$gdos" decode --max-body-size 0 "$work/reply.txt"
# The trial's case: a zero-padded order number is that order, not octal 262145.
run query_zero_padded 0 "$gdos" query --endpoint "$url" --ca-file "$ca" --order 01000001 --query-type 0
contains query_zero_padded out "1000001"

# ---- issue #11: password sources ---------------------------------------------------------------------

nopw=(env -u GDOS_LOGIN_PASSWORD)
pwfile="$work/password.txt"
printf '%s\n' "$password" >"$pwfile"
chmod 600 "$pwfile"
run pw_file 0 "${nopw[@]}" "$gdos" query --endpoint "$url" --ca-file "$ca" --order 1000001 \
  --query-type 0 --password-file "$pwfile"
contains pw_file out "1000001"
chmod 640 "$pwfile"
run pw_file_open 2 "${nopw[@]}" "$gdos" query --endpoint "$url" --ca-file "$ca" --order 1000001 \
  --password-file "$pwfile"
contains pw_file_open err "permissions 0640 for password file"
contains pw_file_open err "too open"
chmod 600 "$pwfile"
ln -s "$pwfile" "$work/password-link"
run pw_file_link 2 "${nopw[@]}" "$gdos" query --endpoint "$url" --ca-file "$ca" --order 1000001 \
  --password-file "$work/password-link"
contains pw_file_link err "is a symbolic link"
mkfifo "$work/password-fifo"
run pw_file_fifo 2 "${nopw[@]}" "$gdos" query --endpoint "$url" --order 1 \
  --password-file "$work/password-fifo"
contains pw_file_fifo err "not a regular file"
printf 'one\ntwo\n' >"$work/password-2lines"
chmod 600 "$work/password-2lines"
run pw_file_lines 2 "${nopw[@]}" "$gdos" query --endpoint "$url" --order 1 \
  --password-file "$work/password-2lines"
contains pw_file_lines err "more than one line"
head -c 5000 /dev/zero | tr '\0' x >"$work/password-big"
chmod 600 "$work/password-big"
run pw_file_big 2 "${nopw[@]}" "$gdos" query --endpoint "$url" --order 1 \
  --password-file "$work/password-big"
contains pw_file_big err "more than 1024 bytes"
if [ "$(id -u)" = 0 ]; then
  cp "$pwfile" "$work/password-other" && chown 65534 "$work/password-other"
  run pw_file_owner 2 "${nopw[@]}" "$gdos" query --endpoint "$url" --order 1 \
    --password-file "$work/password-other"
  contains pw_file_owner err "belongs to another user"
fi
stdin=$pwfile run pw_stdin 0 "${nopw[@]}" "$gdos" query --endpoint "$url" --ca-file "$ca" \
  --order 1000001 --query-type 0 --password-stdin
contains pw_stdin out "1000001"
run pw_stdin_empty 2 "${nopw[@]}" "$gdos" query --endpoint "$url" --order 1 --password-stdin
contains pw_stdin_empty err "standard input is empty"
run pw_both 2 "$gdos" query --order 1 --password-stdin --password-file "$pwfile"
contains pw_both err "excludes"

# A canned-reply server (plain HTTP, so --allow-plain-http) for what the mock never sends.
replies="$work/replies"
mkdir -p "$replies"
python3 "$here/cli/reply_server.py" "$replies" "$work/reply_server.port" 60 \
  2>"$work/reply_server.log" &
helpers+=($!)
for _ in $(seq 100); do [ -s "$work/reply_server.port" ] && break; sleep 0.1; done
rurl="http://127.0.0.1:$(cat "$work/reply_server.port")"

# GDOS_LOGIN_PASSWORD leaves the environment once read, and the process cannot dump core. While
# gdos waits for a slow reply: /proc/PID/environ lacks it, the core limit is 0, and the process is
# not dumpable (its /proc files then belong to root, whoever runs it: checked by running gdos as
# nobody when the test runs as root).
n=$((n + 1))
as_nobody=()
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null; then
  as_nobody=(setpriv --reuid=65534 --regid=65534 --clear-groups)
fi
"${as_nobody[@]}" "$gdos" query --endpoint "$rurl/hold/5" --allow-plain-http --timeout 1500ms --order 1 \
  >"$work/pw_env.out" 2>"$work/pw_env.err" </dev/null &
pw_pid=$!
for _ in $(seq 100); do grep -q 'POST /hold/5' "$work/reply_server.log" && break; sleep 0.05; done
grep -q 'POST /hold/5 (loginPassword received)' "$work/reply_server.log" || fail "pw_env: no request"
if [ -r "/proc/$pw_pid/environ" ] && tr '\0' '\n' <"/proc/$pw_pid/environ" >"$work/pw_env.environ" 2>/dev/null; then
  grep -q 'GDOS_LOGIN_PASSWORD=' "$work/pw_env.environ" && fail "pw_env: GDOS_LOGIN_PASSWORD still in /proc/PID/environ"
  grep -qF "${password:0:8}" "$work/pw_env.environ" && fail "pw_env: the password is in /proc/PID/environ"
  grep -q 'GDOS_LOGIN_NAME=demo_reseller' "$work/pw_env.environ" || fail "pw_env: environ not read"
  rm -f "$work/pw_env.environ"
fi
grep -Eq '^Max core file size +0 +0 ' "/proc/$pw_pid/limits" || fail "pw_env: core dumps not off"
if [ "$(id -u)" != 0 ] || [ ${#as_nobody[@]} -gt 0 ]; then
  [ "$(stat -c %u "/proc/$pw_pid/environ")" = 0 ] || fail "pw_env: the process is dumpable"
else
  echo "e2e_cli: setpriv not found: the not-dumpable check needs a non-root gdos" >&2
fi
wait "$pw_pid" || true

# ---- issue #11: encode -o writes a new private file, refuses symlinks, - is stdout ----------------------

echo old >"$work/existing.txt"
chmod 644 "$work/existing.txt"
run encode_existing 0 "$gdos" encode --order 1000002 -o "$work/existing.txt"
[ "$(stat -c %a "$work/existing.txt")" = 600 ] || fail "encode_existing: mode $(stat -c %a "$work/existing.txt")"
grep -qF "loginPassword=$password_encoded" "$work/existing.txt" || fail "encode_existing: no body"
ls "$work"/existing.txt.* >/dev/null 2>&1 && fail "encode_existing: a temporary file was left"
rm -f "$work/existing.txt"
echo target >"$work/target.txt"
ln -s "$work/target.txt" "$work/link.txt"
run encode_link 2 "$gdos" encode --order 1000002 -o "$work/link.txt"
contains encode_link err "symbolic link"
[ "$(cat "$work/target.txt")" = target ] || fail "encode_link: the link's target was written"
run encode_stdout 0 "$gdos" encode --order 1000002 -o -
[ "$(cat "$work/encode_stdout.out")" = "loginName=demo_reseller&loginPassword=$password_encoded&orderNumber=1000002&queryType=1&responseFormat=1" ] ||
  fail "encode_stdout: stdout is not the body"
[ -e "$work/-" ] && fail "encode_stdout: created a file named -"
rm -f "$work/encode_stdout.out"  # it holds the password, as asked

# ---- issue #11: --json prints one JSON document, also on failure -------------------------------------

run json_api_error 1 "$gdos" query --endpoint "$url" --ca-file "$ca" --order 4242 --json
json json_api_error 'e=d["error"]; assert e["step"]=="api_error" and e["errorCode"]==-4 and "\x27orderNumber\x27" in e["errorMessage"], e'
run json_untrusted 3 "$gdos" query --endpoint "$url" --order 1000002 --json
json json_untrusted 'e=d["error"]; assert e["step"]=="transport" and e["transport"]=="tls_verification", e'
run json_usage 2 "$gdos" query --json --order abc
json json_usage 'assert d["error"]["step"]=="usage" and "--order" in d["error"]["message"], d'
run json_no_order 2 "$gdos" query --json
json json_no_order 'assert d["error"]["step"]=="usage", d'
run json_decode_html 3 "$gdos" decode "$work/html.txt" --json
json json_decode_html 'e=d["error"]; assert e["step"]=="malformed_reply" and e["offset"]==0, e'
run json_decode_error 1 "$gdos" decode "$work/error.txt" --json
json json_decode_error 'e=d["error"]; assert e["step"]=="api_error" and e["errorCode"]==-16 and e["errorMessage"]=="Permission denied!", e'
run json_decode_missing 2 "$gdos" decode "$work/no-such-file" --json
json json_decode_missing 'assert d["error"]["step"]=="input", d'
run json_replacement 0 "$gdos" query --endpoint "$url" --ca-file "$ca" --order 1000005 \
  --query-type 2 --json
json json_replacement 'o=d["orders"]; assert [x["replacement"] for x in o]==[False, True], o'
# Control bytes and C1 controls kept as JSON escapes; bytes that are not UTF-8 as U+FFFD.
printf 'errorCode=0&1_orderNumber=7&1_orderStatus=Is%%1Bsued%%C2%%9B%%FF&1_x%%07=%%00\n' >"$work/ctl.txt"
run json_control 0 "$gdos" decode "$work/ctl.txt" --json
contains json_control out '"Is\u001bsued\u009b'
json json_control 'o=d["orders"][0]; assert o["orderStatus"]=="Is\x1bsued\x9b\ufffd" and o["unknownFields"]=={"x\x07": "\x00"}, o'
run table_control 0 "$gdos" decode "$work/ctl.txt"
contains table_control out "Is?sued?"
# Lenient: a value that is not its field's type is shown with that field, not as a second
# field of the same name; names that differ only in non-UTF-8 bytes keep all their values.
printf 'errorCode=0&1_orderNumber=x1&1_1_dcvStatus=2&1_1_dcvStatus=abc&1_1_%%FF=a&1_1_%%FE=b\n' >"$work/dup.txt"
run json_lenient 0 "$gdos" decode "$work/dup.txt" --lenient --json
json json_lenient 'o=d["orders"][0]; c=o["certificates"][0]; assert o["orderNumber"]=={"unparsed": ["x1"]}, o; assert c["dcvStatus"]=={"code": 2, "text": "in_progress", "unparsed": ["abc"]}, c; assert c["unknownFields"]=={"\ufffd": ["a", "b"]}, c'

# ---- issue #11: output is near-linear (4 MiB replies in well under the 5 s bound) ------------------

# The probe's adversarial bodies: 99,990 unknown names with an escaped common prefix (3.8 MB),
# and unknown fields of three levels interleaved (1.1 MB).
python3 -c "import sys; sys.stdout.write('errorCode=0' + ''.join('&' + '%41' * 10 + str(99990 - i) + '=1' for i in range(99990)))" >"$replies/names.body"
python3 -c "import sys; sys.stdout.write('errorCode=0&1_1_zz=1' + ''.join('&%d_%d_FQDN=a' % (x, y) for x in range(1, 51) for y in range(1, 1001)) + ''.join('&u%d=1' % i for i in range(49000)))" >"$replies/levels.body"
for body in names levels; do
  for mode in table json; do
    flag=()
    [ "$mode" = json ] && flag=(--json)
    start=$(millis)
    run "big_${body}_$mode" 0 "$gdos" decode "$replies/$body.body" "${flag[@]}"
    took=$(($(millis) - start))
    echo "e2e_cli: decode $body.body ($mode): $took ms"
    [ "$took" -lt "$time_bound_ms" ] || fail "big_${body}_$mode: $took ms"
  done
done
grep -c '^AAAAAAAAAA' "$work/big_names_table.out" | grep -qx 99990 || fail "big_names_table: not every field printed"
start=$(millis)
run big_names_query 0 "$gdos" query --endpoint "$rurl/names" --allow-plain-http --order 1 --json
took=$(($(millis) - start))
echo "e2e_cli: query of names.body (json): $took ms"
[ "$took" -lt "$time_bound_ms" ] || fail "big_names_query: $took ms"
json big_names_query 'assert len(d["unknownFields"])==99990'

# ---- issue #11: decode reads at most --max-body-size + 1 bytes -----------------------------------------

head -c 200 /dev/zero | tr '\0' a | sed 's/^/errorCode=0\&x=/' >"$work/body200.txt"
run decode_max_small 3 "$gdos" decode --max-body-size 100 "$work/body200.txt"
contains decode_max_small err "larger than --max-body-size (100 bytes)"
run decode_max_ok 0 "$gdos" decode --max-body-size 1000 "$work/body200.txt"
n=$((n + 1))
python3 - "$gdos" "$rss_bound_kib" <<'EOF' || fail "decode of 64 MiB on stdin: read more than it may"
# 64 MiB offered on a pipe: gdos must stop after 4 MiB + 1 (the pipe then breaks) and stay small.
import resource, subprocess, sys
p = subprocess.Popen([sys.argv[1], "decode"], stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
                     stderr=subprocess.PIPE)
sent, chunk = 0, b"a" * (1 << 20)
try:
    for _ in range(64):
        p.stdin.write(chunk)
        sent += len(chunk)
    p.stdin.close()
except BrokenPipeError:
    pass
err, rc = p.stderr.read().decode(), p.wait()
rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print("e2e_cli: decode of 64 MiB offered: %d MiB taken, rc %d, max RSS %d KiB" % (sent >> 20, rc, rss))
assert rc == 3 and "larger than --max-body-size (4194304 bytes)" in err, (rc, err)
assert sent < 16 << 20, sent
assert rss < int(sys.argv[2]), rss
EOF
# On a terminal with nothing piped in, decode says what it waits for.
if command -v script >/dev/null; then
  n=$((n + 1))
  mkfifo "$work/typed_body"
  (
    timeout 30 script -qec "'$gdos' decode" /dev/null <"$work/typed_body" >"$work/decode_tty.out" 2>&1
    echo $? >"$work/decode_tty.status"
  ) &
  exec 3>"$work/typed_body"
  for _ in $(seq 100); do
    grep -q 'reading a reply body from the terminal' "$work/decode_tty.out" 2>/dev/null && break
    sleep 0.1
  done
  printf 'errorCode=0&1_orderNumber=77\n\004' >&3
  exec 3>&-
  wait $!
  [ "$(cat "$work/decode_tty.status")" = 0 ] || fail "decode_tty: exit status $(cat "$work/decode_tty.status")"
  contains decode_tty out "end it with Ctrl-D"
  contains decode_tty out "orderNumber                    77"
fi

# ---- issue #11: messages ---------------------------------------------------------------------------------

run invalid_request 2 "$gdos" query --endpoint "$url" --ca-file "$ca" --order 1 \
  --login-name "$(printf 'n%.0s' $(seq 65))"
contains invalid_request err "gdos: invalid_request: loginName: too long"
lacks invalid_request err "invalid request:"
# query and decode print an API error the same way.
printf 'errorCode=-16&errorMessage=Permission+denied%%21\n' >"$work/denied.txt"
run decode_denied 1 "$gdos" decode "$work/denied.txt"
cmp -s "$work/decode_denied.err" "$work/wrong_password.err" ||
  fail "decode and query print -16 differently: $(cat "$work/decode_denied.err") / $(cat "$work/wrong_password.err")"
run unknown_subcommand 2 "$gdos" frobnicate
contains unknown_subcommand err "unknown subcommand 'frobnicate'"
run encode_no_login 2 env -u GDOS_LOGIN_NAME "$gdos" encode --order 1234567
contains encode_no_login err "use --login-name or set GDOS_LOGIN_NAME"

# ---- issue #11: conveniences ------------------------------------------------------------------------------

run env_defaults 0 env GDOS_ENDPOINT="$url" GDOS_CA_FILE="$ca" "$gdos" query --order 1000001 \
  --query-type 0
contains env_defaults out "1000001"
# --proxy, and libcurl's https_proxy variable when there is none: both tunnel with CONNECT.
python3 "$here/cli/connect_proxy.py" "$work/proxy.port" 60 2>"$work/proxy.log" &
helpers+=($!)
for _ in $(seq 100); do [ -s "$work/proxy.port" ] && break; sleep 0.1; done
proxy="http://127.0.0.1:$(cat "$work/proxy.port")"
mock_port=${url#https://127.0.0.1:}
mock_port=${mock_port%%/*}
run proxy_option 0 "$gdos" query --endpoint "$url" --ca-file "$ca" --order 1000001 --query-type 0 \
  --proxy "$proxy"
contains proxy_option out "1000001"
[ "$(grep -c "^CONNECT 127.0.0.1:$mock_port\$" "$work/proxy.log")" = 1 ] || fail "proxy_option: no CONNECT"
run proxy_env 0 env https_proxy="$proxy" "$gdos" query --endpoint "$url" --ca-file "$ca" \
  --order 1000001 --query-type 0
[ "$(grep -c "^CONNECT 127.0.0.1:$mock_port\$" "$work/proxy.log")" = 2 ] || fail "proxy_env: https_proxy not used"
run proxy_no_proxy 0 env https_proxy="$proxy" no_proxy=127.0.0.1 "$gdos" query --endpoint "$url" \
  --ca-file "$ca" --order 1000001 --query-type 0
[ "$(grep -c "^CONNECT" "$work/proxy.log")" = 2 ] || fail "proxy_no_proxy: no_proxy not honoured"

printf 'errorCode=0&1_orderNumber=8&1_orderStatus=Issued' >"$replies/other_order.body"
run missing_order 0 "$gdos" query --endpoint "$rurl/other_order" --allow-plain-http --order 7
contains missing_order err "gdos: warning: the reply (errorCode 0) does not hold order 7"
run missing_order_json 0 "$gdos" query --endpoint "$rurl/other_order" --allow-plain-http --order 7 --json
json missing_order_json 'assert "does not hold order 7" in d["warnings"][0], d'

# ---- issue #11: a legacy newline-delimited reply behind text/plain is reported as decode does ----------

printf -- '-16\nPermission denied!\n' >"$replies/legacy.body"
echo text/plain >"$replies/legacy.type"
run legacy_query 3 "$gdos" query --endpoint "$rurl/legacy" --allow-plain-http --order 1
run legacy_decode 3 "$gdos" decode "$replies/legacy.body"
contains legacy_decode err 'gdos: malformed_reply: '
contains legacy_decode err 'errorCode -16, "Permission denied!"'
cmp -s "$work/legacy_query.err" "$work/legacy_decode.err" ||
  fail "legacy reply: query says $(cat "$work/legacy_query.err"), decode says $(cat "$work/legacy_decode.err")"
run legacy_query_json 3 "$gdos" query --endpoint "$rurl/legacy" --allow-plain-http --order 1 --json
json legacy_query_json 'e=d["error"]; assert e["step"]=="malformed_reply" and e["errorCode"]==-16 and e["contentType"]=="text/plain", e'

# ---- issue #13: a JSON reply (what responseFormat=2 gets back) is named, with what to ask instead -----

printf '{"errorCode":0,"orders":[]}' >"$replies/json.body"
echo 'application/json; charset=UTF-8' >"$replies/json.type"
# Not recognisable by its body, but sent as application/json: the type says what it is.
printf '[1]' >"$replies/json_type_only.body"
echo application/json >"$replies/json_type_only.type"
for r in json json_type_only; do
  run "json_reply_query_$r" 3 "$gdos" query --endpoint "$rurl/$r" --allow-plain-http --order 1
  contains "json_reply_query_$r" err 'gdos: malformed_reply: JSON body (the reply to responseFormat=2)'
  contains "json_reply_query_$r" err 'ask for responseFormat=1'
  run "json_reply_query_${r}_json" 3 "$gdos" query --endpoint "$rurl/$r" --allow-plain-http --order 1 --json
  json "json_reply_query_${r}_json" 'e=d["error"]; assert e["step"]=="malformed_reply" and e["parse"]=="json_body" and e["contentType"].startswith("application/json"), e'
done
run json_reply_decode 3 "$gdos" decode "$replies/json.body"
contains json_reply_decode err 'gdos: malformed_reply: JSON body (the reply to responseFormat=2)'
contains json_reply_decode err 'ask for responseFormat=1'
cmp -s "$work/json_reply_query_json.err" "$work/json_reply_decode.err" ||
  fail "JSON reply: query says $(cat "$work/json_reply_query_json.err"), decode says $(cat "$work/json_reply_decode.err")"
run json_reply_decode_json 3 "$gdos" decode "$replies/json.body" --json
json json_reply_decode_json 'e=d["error"]; assert e["step"]=="malformed_reply" and e["parse"]=="json_body" and e["offset"]==0, e'

# ---- issue #11: HTTPS only unless --allow-plain-http ------------------------------------------------------

run plain_refused 2 "$gdos" query --endpoint "$rurl/other_order" --order 8
contains plain_refused err "gdos: insecure_url: refused to send the password to a URL that is not https"
run plain_refused_json 2 "$gdos" query --endpoint "HTTP://127.0.0.1:9/x" --order 8 --json
json plain_refused_json 'assert d["error"]["step"]=="insecure_url", d'
[ "$(grep -c 'POST /other_order' "$work/reply_server.log")" = 2 ] ||
  fail "plain_refused: the refused query reached the server"

# ---- the demo ---------------------------------------------------------------------------------------

run demo 0 "$gdos" demo
contains demo out "every outcome as expected; mock stopped."
contains demo out "Example Widgets & Co. Ltd"
# The demo's watch: order 1000009 along its timeline to Issued.
contains demo out 'order 1000009: certificate 1 watch.example.com: DCV not completed -> in progress; next: complete domain control validation'
contains demo out 'order 1000009: orderStatus "Pending" -> "Issued"'
contains demo out "gdos watch: exit status 0: every order succeeded"
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
# gdos query refused the plain-HTTP endpoint before sending, but for the one --allow-plain-http
# call; the examples sent on purpose.
[ "$(grep -cF "http POST" "$work/mock.err")" = 1 ] || fail "plain_http: $(grep -cF "http POST" "$work/mock.err") requests over http, expected 1"
contains gdos_mock err "http POST /products/!GetDetailedOrderStatus -> 200 errorCode=-1"
contains gdos_mock err "errorCode=-16"

# ---- the JSON checks collected by json(), then every JSON output against the schema ------------------

n=$((n + 1))
python3 - "$work" <<'EOF' || fail "JSON checks failed"
import json, sys
failed = 0
for line in open(sys.argv[1] + "/json_checks"):
    name, code = line.rstrip("\n").split("\t", 1)
    try:
        d = json.load(open("%s/%s.out" % (sys.argv[1], name)))
        exec(code, {"d": d})
    except Exception as e:
        print("FAIL: %s: JSON check failed: %s: %r" % (name, code, e), file=sys.stderr)
        failed += 1
sys.exit(1 if failed else 0)
EOF

# ---- every JSON output matches docs/gdos-cli.schema.json ------------------------------------------------

n=$((n + 1))
python3 "$here/cli/check_json.py" "$schema" "$work/decode_stdin.out" "${json_outputs[@]}" ||
  fail "JSON output does not match $schema"

# ---- the password appears in no output ---------------------------------------------------------------

leaks=$(grep -lF -e "$password" -e "$password_encoded" -e 'Wrong pass' -e 'Wrong+pass' \
  "$work"/*.out "$work"/*.err || true)
[ -z "$leaks" ] || fail "the password appears in: $leaks"

echo "e2e_cli: $n commands, $failures failures"
[ "$failures" -eq 0 ]
