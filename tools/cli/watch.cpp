// gdos watch --order N [--order M ...] | --orders-file FILE: polls orders until each reaches a
// final status, a deadline passes, or the run must stop; prints what changed (a line per change,
// or JSON Lines) and a summary. The progress model and the diff are <gdos/progress.hpp>, the
// retry policy <gdos/retry.hpp>; this file schedules and prints.
//
// Scheduling: one request at a time. An order is polled again `--interval` after its previous
// request started; a failed request is retried after the policy's backoff delay (exponential,
// with jitter; a fixed --seed makes it reproducible) until its retries are used up; two
// requests, whatever their orders, start at least 1 / --max-rate apart. The call runs on a
// worker thread so that Ctrl-C, SIGTERM and the deadline act at once even while a slow server
// holds a request.
#include "watch.hpp"

#include "call.hpp"
#include "command.hpp"
#include "exit_codes.hpp"
#include "json_writer.hpp"
#include "numbers.hpp"
#include "options.hpp"
#include "output.hpp"
#include "password.hpp"

#include <gdos/gdos.hpp>

#include <fcntl.h>
#include <fmt/core.h>
#include <pthread.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

namespace gdos_cli {
namespace {

using clock = std::chrono::steady_clock;
using ms = std::chrono::milliseconds;

// ---- what is followed ---------------------------------------------------------------------------

enum class outcome { watching, succeeded, failed, replaced, error, deadline, interrupted, stopped };

std::string_view to_string(outcome o) {
  switch (o) {
    case outcome::watching:
      return "watching";
    case outcome::succeeded:
      return "succeeded";
    case outcome::failed:
      return "failed";
    case outcome::replaced:
      return "replaced";
    case outcome::error:
      return "error";
    case outcome::deadline:
      return "deadline";
    case outcome::interrupted:
      return "interrupted";
    case outcome::stopped:
      return "stopped";
  }
  return "watching";
}

struct watched {
  std::int64_t number = 0;
  std::optional<std::int64_t> replaces{};  // the order this one replaced, when found that way
  std::optional<gdos::reply> last{};       // the previous reply: what the next one is diffed with
  outcome state = outcome::watching;
  clock::time_point next_due{};
  std::uint32_t failures = 0;  // in a row
  std::size_t polls = 0;       // requests made for it
  std::size_t changes = 0;
  std::optional<gdos::call_error> error{};  // the last failure
};

// ---- the call, on a worker thread; signals on another -------------------------------------------

// What the main thread waits for: a result, a signal, or a time.
struct events {
  std::mutex m;
  std::condition_variable cv;
  int signal = 0;  // SIGINT or SIGTERM once received
  std::optional<gdos::request> job;
  std::optional<gdos::result<gdos::reply, gdos::call_error>> result;
  bool quit = false;
};

void call_worker(events& ev, const call_settings& settings) {
  caller call(settings);
  for (;;) {
    gdos::request req;
    {
      std::unique_lock lock(ev.m);
      ev.cv.wait(lock, [&ev] { return ev.quit || ev.job; });
      if (ev.quit) return;
      req = *ev.job;
      ev.job.reset();
    }
    auto r = call(req);
    {
      std::lock_guard lock(ev.m);
      ev.result.emplace(std::move(r));
    }
    ev.cv.notify_all();
  }
}

// SIGUSR1 (sent by the run itself, to this thread alone) only ends the wait.
void signal_waiter(events& ev, sigset_t set) {
  int sig = 0;
  if (sigwait(&set, &sig) != 0 || sig == SIGUSR1) return;
  {
    std::lock_guard lock(ev.m);
    ev.signal = sig;
  }
  ev.cv.notify_all();
}

// ---- output -------------------------------------------------------------------------------------

// The time now in UTC, ISO 8601 with milliseconds.
std::string utc_now() {
  const auto now = std::chrono::system_clock::now();
  const std::time_t secs = std::chrono::system_clock::to_time_t(now);
  const auto millis = std::chrono::duration_cast<ms>(now.time_since_epoch()).count() % 1000;
  std::tm tm{};
  gmtime_r(&secs, &tm);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z", tm.tm_year + 1900, tm.tm_mon + 1,
                     tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, millis);
}

class printer {
 public:
  printer(bool json, clock::time_point start) : json_(json), start_(start) {}

  [[nodiscard]] bool json() const { return json_; }

  // A human line: local time, then the text (printable already).
  void line(std::string_view text) const {
    const std::time_t now = std::time(nullptr);
    std::tm tm{};
    localtime_r(&now, &tm);
    std::string out = fmt::format("{:02}:{:02}:{:02} {}\n", tm.tm_hour, tm.tm_min, tm.tm_sec, text);
    std::fwrite(out.data(), 1, out.size(), stdout);
    std::fflush(stdout);
  }

  // A JSON Lines event: begins the object with "event", "time" and "t"; `body` adds the rest.
  template <class F>
  void event(std::string_view name, F&& body) const {
    std::string out;
    json_writer w(out, 0);
    w.begin_object();
    w.member("event", name);
    w.member("time", utc_now());
    w.member("t", seconds_since_start());
    body(w);
    w.end_object();
    out += '\n';
    std::fwrite(out.data(), 1, out.size(), stdout);
    std::fflush(stdout);
  }

  // Seconds from the start of the run to `t`, to the millisecond.
  [[nodiscard]] double seconds_at(clock::time_point t) const {
    return static_cast<double>(std::chrono::duration_cast<ms>(t - start_).count()) / 1000.0;
  }

  [[nodiscard]] double seconds_since_start() const {
    return static_cast<double>(std::chrono::duration_cast<ms>(clock::now() - start_).count()) /
           1000.0;
  }

 private:
  bool json_;
  clock::time_point start_;
};

std::string quoted(const std::optional<gdos::form::encoded_view>& v) {
  return v ? "\"" + text(v) + "\"" : std::string("(absent)");
}

std::string certificate_name(const gdos::order* o, std::uint32_t y) {
  std::string out = fmt::format("certificate {}", y);
  if (o == nullptr) return out;
  if (const gdos::certificate* c = o->find_certificate(y); c != nullptr && c->fqdn)
    out += " " + text(c->fqdn);
  return out;
}

// The order a change is about, for people: the watched one, or its replacement order X.
std::string order_name(std::int64_t watched_number, const gdos::response& r, std::uint32_t x) {
  if (x == 1) return fmt::format("order {}", watched_number);
  const gdos::order* o = r.find_order(x);
  if (o != nullptr && o->number)
    return fmt::format("order {} (replacement {} of {})", *o->number, x, watched_number);
  return fmt::format("order {}: replacement {}", watched_number, x);
}

// One line for a change, for people: which order and certificate, what moved, what to do next.
std::string describe_change(std::int64_t number, const gdos::change& c,
                            const gdos::response& before, const gdos::response& after) {
  const gdos::response& where =
      c.kind == gdos::change_kind::order_removed || c.kind == gdos::change_kind::certificate_removed
          ? before
          : after;
  std::string out = order_name(number, where, c.order);
  if (c.certificate != 0) out += ": " + certificate_name(where.find_order(c.order), c.certificate);
  switch (c.kind) {
    case gdos::change_kind::order_added:
      return out + ": appeared";
    case gdos::change_kind::order_removed:
    case gdos::change_kind::certificate_removed:
      return out + ": no longer in the reply";
    case gdos::change_kind::certificate_added:
      return out + ": appeared";
    case gdos::change_kind::order_number:
      return out + fmt::format(": orderNumber {} -> {}",
                               c.number_before ? std::to_string(*c.number_before) : "(absent)",
                               c.number_after ? std::to_string(*c.number_after) : "(absent)");
    case gdos::change_kind::step: {
      out += fmt::format(": {} {} -> {}", gdos::display_name(c.which_step),
                         c.step_before ? progress_word(c.step_before) : "(absent)",
                         c.step_after ? progress_word(c.step_after) : "(absent)");
      if (c.state_after() == gdos::step_state::pending)
        out += fmt::format("; next: {}", gdos::next_action(c.which_step));
      return out;
    }
    default:
      return out + fmt::format(": {} {} -> {}", gdos::field_name_of(c), quoted(c.text_before),
                               quoted(c.text_after));
  }
}

void progress_json(json_writer& w, std::string_view key, std::optional<gdos::progress_status> s) {
  w.key(key);
  if (!s) {
    w.null();
    return;
  }
  w.begin_object();
  w.member("code", gdos::to_int(*s));
  w.member("text", gdos::to_string(*s));
  w.end_object();
}

void text_json(json_writer& w, std::string_view key,
               const std::optional<gdos::form::encoded_view>& v) {
  w.key(key);
  if (v)
    w.value(utf8_text(v->decode()));
  else
    w.null();
}

void change_json(json_writer& w, std::int64_t number, const gdos::change& c,
                 const gdos::response& before, const gdos::response& after) {
  const gdos::response& where =
      c.kind == gdos::change_kind::order_removed || c.kind == gdos::change_kind::certificate_removed
          ? before
          : after;
  w.member("order", number);
  w.member("kind", gdos::to_string(c.kind));
  w.member("replyOrder", c.order);
  const gdos::order* o = where.find_order(c.order);
  if (c.order != 1 && o != nullptr && o->number) w.member("orderNumber", *o->number);
  if (c.certificate != 0) {
    w.member("certificate", c.certificate);
    if (o != nullptr)
      if (const gdos::certificate* cert = o->find_certificate(c.certificate); cert && cert->fqdn)
        w.member("fqdn", utf8_text(cert->fqdn->decode()));
  }
  if (const std::string_view f = gdos::field_name_of(c); !f.empty()) w.member("field", f);
  switch (c.kind) {
    case gdos::change_kind::order_added:
    case gdos::change_kind::order_removed:
    case gdos::change_kind::certificate_added:
    case gdos::change_kind::certificate_removed:
      return;
    case gdos::change_kind::order_number:
      w.key("before");
      c.number_before ? w.value(*c.number_before) : w.null();
      w.key("after");
      c.number_after ? w.value(*c.number_after) : w.null();
      return;
    case gdos::change_kind::step:
      w.member("step", gdos::to_string(c.which_step));
      progress_json(w, "before", c.step_before);
      progress_json(w, "after", c.step_after);
      if (c.state_after() == gdos::step_state::pending)
        w.member("next", gdos::next_action(c.which_step));
      return;
    default:
      text_json(w, "before", c.text_before);
      text_json(w, "after", c.text_after);
      return;
  }
}

// What is pending in the order's latest reply: one phrase per pending step, for the first poll
// and the summary.
std::vector<std::string> pending_steps(std::int64_t number, const gdos::response& r) {
  std::vector<std::string> out;
  for (const gdos::order& o : r.orders)
    for (const gdos::certificate& c : o.certificates)
      for (const gdos::step s : gdos::all_steps)
        if (gdos::state_of(c, s) == gdos::step_state::pending)
          out.push_back(fmt::format("{}: {}: {} {}; next: {}", order_name(number, r, o.index),
                                    certificate_name(&o, c.index), gdos::display_name(s),
                                    progress_word(gdos::status_of(c, s)), gdos::next_action(s)));
  return out;
}

std::string status_line(const gdos::order* o) {
  if (o == nullptr) return "(not in the reply)";
  std::string out = o->status ? text(o->status) : std::string("(no orderStatus)");
  if (o->status_reason && !o->status_reason->empty()) out += " (" + text(o->status_reason) + ")";
  return out;
}

// ---- the run ------------------------------------------------------------------------------------

class run {
 public:
  run(const watch_options& o, std::string login_name, std::string password,
      std::vector<std::int64_t> numbers)
      : o_(o),
        name_(std::move(login_name)),
        password_(std::move(password)),
        start_(clock::now()),
        out_(o.call.json, start_) {
    // Never reallocated (replacement orders are added up to the same bound): references to
    // elements stay valid while the list grows.
    watched_.reserve(max_watched_orders);
    for (std::int64_t n : numbers) watched_.push_back({.number = n, .next_due = start_});
    // --until texts are successes unless they are failures by default; each list keeps its
    // default when the options give it nothing.
    for (const std::string& s : o.until) (is_default_failed(s) ? failed_ : succeeded_).push_back(s);
    for (const std::string& s : o.until_failed) failed_.push_back(s);
    if (succeeded_.empty())
      succeeded_.assign(gdos::default_succeeded_statuses.begin(),
                        gdos::default_succeeded_statuses.end());
    if (failed_.empty())
      failed_.assign(gdos::default_failed_statuses.begin(), gdos::default_failed_statuses.end());
    for (const std::string& s : succeeded_) succeeded_views_.push_back(s);
    for (const std::string& s : failed_) failed_views_.push_back(s);
    policy_.max_retries = static_cast<std::uint32_t>(o.max_retries);
    policy_.initial_delay = o.retry_delay;
    policy_.max_delay = std::max(o.retry_max_delay, o.retry_delay);
    seed_ = o.seed ? static_cast<std::uint64_t>(*o.seed) : std::random_device{}();
  }

  int go();

 private:
  static bool is_default_failed(std::string_view s) {
    return std::find(gdos::default_failed_statuses.begin(), gdos::default_failed_statuses.end(),
                     s) != gdos::default_failed_statuses.end();
  }

  void announce();
  // Waits until `t`, a result, or a signal. Returns false when a signal came.
  bool wait_until(clock::time_point t, bool for_result);
  void handle_reply(watched& w, gdos::reply&& r, clock::time_point started);
  void handle_failure(watched& w, const gdos::call_error& e, clock::time_point started);
  void finish(watched& w, outcome how, std::string_view why);
  int summary(std::string_view reason);
  void print_poll(const watched& w, clock::time_point started, std::uint32_t attempt, bool ok,
                  const gdos::call_error* e, const gdos::retry_decision* d);

  const watch_options& o_;
  std::string name_;
  std::string password_;
  clock::time_point start_;
  printer out_;
  std::vector<watched> watched_;
  std::vector<std::string> succeeded_, failed_;
  std::vector<std::string_view> succeeded_views_, failed_views_;
  gdos::retry_policy policy_;
  std::uint64_t seed_ = 0;
  std::size_t requests_ = 0;
  bool fatal_ = false;
  bool abandoned_ = false;  // a call was left running on the worker: leave with _Exit
  events ev_;
};

void run::announce() {
  const auto join = [](const std::vector<std::string>& v) {
    std::string s;
    for (const std::string& t : v) s += (s.empty() ? "" : ", ") + clean(t);
    return s.empty() ? std::string("(none)") : s;
  };
  const double rate = 1e6 / static_cast<double>(o_.spacing.count());
  if (out_.json()) {
    out_.event("start", [&](json_writer& w) {
      w.key("orders");
      w.begin_array();
      for (const watched& x : watched_) w.value(x.number);
      w.end_array();
      w.member("intervalMs", static_cast<std::int64_t>(o_.interval.count()));
      w.member("maxRate", rate);
      if (o_.deadline) w.member("deadlineMs", static_cast<std::int64_t>(o_.deadline->count()));
      w.key("until");
      w.begin_object();
      w.key("succeeded");
      w.begin_array();
      for (const std::string& s : succeeded_) w.value(utf8_text(s));
      w.end_array();
      w.key("failed");
      w.begin_array();
      for (const std::string& s : failed_) w.value(utf8_text(s));
      w.end_array();
      w.end_object();
    });
    return;
  }
  out_.line(fmt::format(
      "gdos watch: {} order{} every {} (at most {:g} request{}/s) until {} (succeeded) or {} "
      "(failed){}",
      watched_.size(), watched_.size() == 1 ? "" : "s", format_duration(o_.interval), rate,
      rate == 1 ? "" : "s", join(succeeded_), join(failed_),
      o_.deadline ? "; deadline in " + format_duration(*o_.deadline) : ""));
}

bool run::wait_until(clock::time_point t, bool for_result) {
  std::unique_lock lock(ev_.m);
  const auto done = [&] { return ev_.signal != 0 || (for_result && ev_.result.has_value()); };
  if (for_result && t == clock::time_point::max()) {
    ev_.cv.wait(lock, done);
  } else {
    ev_.cv.wait_until(lock, t, done);
  }
  return ev_.signal == 0;
}

void run::print_poll(const watched& w, clock::time_point started, std::uint32_t attempt, bool ok,
                     const gdos::call_error* e, const gdos::retry_decision* d) {
  if (!out_.json()) {
    if (ok) return;
    std::string line = fmt::format("order {}: {}: {}", w.number, kind_of(*e), message_of(*e));
    if (d != nullptr && d->retry)
      line += fmt::format("; retrying in {} (retry {} of {})", format_duration(d->delay),
                          w.failures, policy_.max_retries);
    out_.line(line);
    return;
  }
  out_.event("poll", [&](json_writer& w2) {
    w2.member("order", w.number);
    w2.member("attempt", static_cast<std::int64_t>(attempt));
    w2.member("sent", out_.seconds_at(started));
    w2.member("ms", static_cast<std::int64_t>(
                        std::chrono::duration_cast<ms>(clock::now() - started).count()));
    w2.member("ok", ok);
    if (ok) {
      const gdos::order* o = w.last ? w.last->find_order(1) : nullptr;
      if (o != nullptr && o->status) w2.member("status", utf8_text(o->status->decode()));
      return;
    }
    w2.key("error");
    write_error_object(w2, *e);
    w2.member("verdict", gdos::to_string(d->verdict));
    if (d->retry) w2.member("retryInMs", static_cast<std::int64_t>(d->delay.count()));
  });
}

void run::finish(watched& w, outcome how, std::string_view why) {
  w.state = how;
  if (out_.json()) {
    out_.event("done", [&](json_writer& j) {
      j.member("order", w.number);
      j.member("outcome", to_string(how));
      const gdos::order* o = w.last ? w.last->find_order(1) : nullptr;
      if (o != nullptr && o->status) j.member("status", utf8_text(o->status->decode()));
      if (how == outcome::error && w.error) {
        j.key("error");
        write_error_object(j, *w.error);
      }
    });
    return;
  }
  out_.line(fmt::format("order {}: {}", w.number, why));
}

void run::handle_reply(watched& w, gdos::reply&& r, clock::time_point started) {
  const std::uint32_t attempt = w.failures + 1;
  w.failures = 0;
  w.error.reset();
  const gdos::response empty;
  const gdos::response& before = w.last ? w.last->get() : empty;
  const std::vector<gdos::change> changes = w.last ? gdos::diff(*w.last, r) : gdos::diff(r);
  w.changes += changes.size();
  if (out_.json()) {
    for (const gdos::change& c : changes)
      out_.event("change", [&](json_writer& j) { change_json(j, w.number, c, before, r); });
  } else if (!w.last) {
    // The first reply: where the order stands and what is pending, rather than every field.
    out_.line(fmt::format("order {}: {}", w.number, status_line(r.find_order(1))));
    for (const std::string& p : pending_steps(w.number, r)) out_.line(p);
  } else {
    // What appeared is said once, with its status or pending steps, not field by field.
    std::uint32_t added_order = 0;
    std::pair<std::uint32_t, std::uint32_t> added_certificate{0, 0};
    for (const gdos::change& c : changes) {
      if (c.order == added_order && c.kind != gdos::change_kind::order_added) continue;
      if (c.certificate != 0 && std::pair(c.order, c.certificate) == added_certificate) continue;
      if (c.kind == gdos::change_kind::order_added) {
        added_order = c.order;
        out_.line(describe_change(w.number, c, before, r) + ": " +
                  status_line(r.find_order(c.order)));
      } else if (c.kind == gdos::change_kind::certificate_added) {
        added_certificate = {c.order, c.certificate};
        out_.line(describe_change(w.number, c, before, r));
      } else {
        out_.line(describe_change(w.number, c, before, r));
        continue;
      }
      // Its pending steps, with what to do next.
      const gdos::order* o = r.find_order(c.order);
      for (const gdos::certificate& cert : o->certificates) {
        if (c.certificate != 0 && cert.index != c.certificate) continue;
        for (const gdos::step st : gdos::all_steps)
          if (gdos::state_of(cert, st) == gdos::step_state::pending)
            out_.line(fmt::format("{}: {}: {} {}; next: {}", order_name(w.number, r, c.order),
                                  certificate_name(o, cert.index), gdos::display_name(st),
                                  progress_word(gdos::status_of(cert, st)), gdos::next_action(st)));
      }
    }
  }
  w.last = std::move(r);
  print_poll(w, started, attempt, true, nullptr, nullptr);
  w.next_due = started + o_.interval;
  const gdos::reply& cur = *w.last;
  const gdos::order* o = cur.find_order(1);
  if (const auto warning = missing_order_warning(cur, w.number)) {
    // errorCode 0 without the order asked for: keep asking, and say so.
    if (out_.json())
      out_.event("warning", [&](json_writer& j) {
        j.member("order", w.number);
        j.member("message", utf8_text(*warning));
      });
    else
      out_.line(fmt::format("order {}: warning: {}", w.number, clean(*warning)));
    return;
  }
  const gdos::final_statuses until(succeeded_views_, failed_views_);
  switch (o != nullptr ? until.classify(*o) : gdos::final_kind::not_final) {
    case gdos::final_kind::succeeded:
      finish(w, outcome::succeeded, fmt::format("{}: done (succeeded)", status_line(o)));
      return;
    case gdos::final_kind::failed:
      finish(w, outcome::failed, fmt::format("{}: done (failed)", status_line(o)));
      return;
    case gdos::final_kind::not_final:
      break;
  }
  // Replacement orders (queryType 2) mean the order was replaced: follow what replaced it.
  bool replaced = false;
  for (const gdos::order& x : cur.orders) {
    if (x.index < 2 || !x.number) continue;
    replaced = true;
    const std::int64_t n = *x.number;
    if (std::any_of(watched_.begin(), watched_.end(),
                    [n](const watched& y) { return y.number == n; }))
      continue;
    if (watched_.size() >= max_watched_orders) {
      out_.line(fmt::format("order {}: its replacement order {} is not followed: {} orders already",
                            w.number, n, max_watched_orders));
      continue;
    }
    watched_.push_back({.number = n, .replaces = w.number, .next_due = clock::now()});
    if (out_.json())
      out_.event("follow", [&](json_writer& j) {
        j.member("order", n);
        j.member("replaces", w.number);
      });
    else
      out_.line(fmt::format("order {}: following its replacement, order {}", w.number, n));
  }
  if (replaced) finish(w, outcome::replaced, fmt::format("{}: replaced (done)", status_line(o)));
}

void run::handle_failure(watched& w, const gdos::call_error& e, clock::time_point started) {
  ++w.failures;
  w.error = e;
  const gdos::retry_decision d = gdos::decide_retry(
      e, w.failures, gdos::splitmix64(seed_, static_cast<std::uint64_t>(w.number)), policy_);
  print_poll(w, started, w.failures, false, &e, &d);
  if (d.verdict == gdos::retry_verdict::fatal) {
    fatal_ = true;
    finish(w, outcome::error, "stopping every order: the server refuses this account");
    return;
  }
  if (d.retry) {
    w.next_due = clock::now() + d.delay;
    return;
  }
  finish(w, outcome::error,
         d.verdict == gdos::retry_verdict::retry
             ? fmt::format("given up after {} failed attempts", w.failures)
             : std::string("given up: this error does not go away by asking again"));
}

int run::go() {
  announce();
  // Signals: blocked here (and so in the threads started below), taken by sigwait in one.
  sigset_t set;
  sigset_t old_mask;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGUSR1);
  pthread_sigmask(SIG_BLOCK, &set, &old_mask);
  std::thread signals(signal_waiter, std::ref(ev_), set);
  std::thread worker(call_worker, std::ref(ev_), std::cref(o_.call));

  // No deadline: the end of time (a wait until it is a wait for the event alone).
  const clock::time_point deadline = o_.deadline ? start_ + *o_.deadline : clock::time_point::max();
  std::optional<clock::time_point> last_request;
  std::string reason;
  bool interrupted = false;
  bool deadline_hit = false;
  for (;;) {
    if (fatal_) break;
    watched* next = nullptr;
    for (watched& w : watched_)
      if (w.state == outcome::watching && (next == nullptr || w.next_due < next->next_due))
        next = &w;
    if (next == nullptr) break;
    clock::time_point at = next->next_due;
    if (last_request) at = std::max(at, *last_request + o_.spacing);
    if (at >= deadline) {
      interrupted = !wait_until(deadline, false);
      deadline_hit = !interrupted;
      break;
    }
    if (!wait_until(at, false)) {
      interrupted = true;
      break;
    }
    const gdos::request req =
        make_request(request_options{.order = next->number,
                                     .query_type = o_.request.query_type,
                                     .show_validity_period = o_.request.show_validity_period},
                     name_, password_);
    const clock::time_point started = clock::now();
    last_request = started;
    ++requests_;
    ++next->polls;
    {
      std::lock_guard lock(ev_.m);
      ev_.job = req;
    }
    ev_.cv.notify_all();
    // The call ends, a signal comes, or the deadline passes: whichever is first.
    const bool no_signal = wait_until(deadline, true);
    std::optional<gdos::result<gdos::reply, gdos::call_error>> result;
    {
      std::lock_guard lock(ev_.m);
      result = std::move(ev_.result);
      ev_.result.reset();
    }
    if (!result) {
      abandoned_ = true;
      interrupted = !no_signal;
      deadline_hit = no_signal;
      break;
    }
    if (*result)
      handle_reply(*next, std::move(**result), started);
    else
      handle_failure(*next, result->error(), started);
  }

  if (!abandoned_) {
    {
      std::lock_guard lock(ev_.m);
      ev_.quit = true;
    }
    ev_.cv.notify_all();
    worker.join();
    // The signal thread ends (it may have ended already on a signal), then signals are as
    // they were: the caller (gdos demo) goes on with its own.
    pthread_kill(signals.native_handle(), SIGUSR1);
    signals.join();
    pthread_sigmask(SIG_SETMASK, &old_mask, nullptr);
  } else {
    worker.detach();
    signals.detach();
  }
  if (interrupted) {
    const int sig = ev_.signal;
    if (out_.json())
      out_.event("interrupted", [&](json_writer& j) {
        j.member("signal", sig == SIGTERM ? "SIGTERM" : "SIGINT");
      });
    else
      out_.line(fmt::format("gdos watch: interrupted ({})", sig == SIGTERM ? "SIGTERM" : "SIGINT"));
    for (watched& w : watched_)
      if (w.state == outcome::watching) w.state = outcome::interrupted;
  }
  if (deadline_hit) {
    if (out_.json())
      out_.event("deadline", [](json_writer&) {});
    else
      out_.line("gdos watch: deadline reached");
    for (watched& w : watched_)
      if (w.state == outcome::watching)
        finish(w, outcome::deadline,
               fmt::format("{}: not final at the deadline",
                           status_line(w.last ? w.last->find_order(1) : nullptr)));
  }
  if (fatal_)
    for (watched& w : watched_)
      if (w.state == outcome::watching) w.state = outcome::stopped;

  int status = exit_watch_succeeded;
  if (fatal_) {
    status = exit_watch_fatal;
    reason = "the server refused the account (errorCode -16): every order stopped";
  } else if (interrupted) {
    status = ev_.signal == SIGTERM ? exit_watch_sigterm : exit_watch_sigint;
    reason = "interrupted";
  } else if (std::any_of(watched_.begin(), watched_.end(),
                         [](const watched& w) { return w.state == outcome::error; })) {
    status = exit_watch_error;
    reason = "some orders could not be followed";
  } else if (deadline_hit) {
    status = exit_watch_deadline;
    reason = "the deadline passed before every order was final";
  } else if (std::any_of(watched_.begin(), watched_.end(),
                         [](const watched& w) { return w.state == outcome::failed; })) {
    status = exit_watch_failed;
    reason = "some orders ended failed";
  } else {
    reason = "every order succeeded";
  }
  summary(reason);
  if (out_.json()) {
    out_.event("summary", [&](json_writer& j) {
      j.member("exitStatus", status);
      j.member("reason", reason);
      j.member("requests", static_cast<std::int64_t>(requests_));
      j.key("orders");
      j.begin_array();
      for (const watched& w : watched_) {
        j.begin_object();
        j.member("order", w.number);
        if (w.replaces) j.member("replaces", *w.replaces);
        j.member("outcome", to_string(w.state));
        const gdos::order* o = w.last ? w.last->find_order(1) : nullptr;
        if (o != nullptr && o->status) j.member("status", utf8_text(o->status->decode()));
        j.member("polls", static_cast<std::int64_t>(w.polls));
        j.member("changes", static_cast<std::int64_t>(w.changes));
        if (w.error && w.state == outcome::error) {
          j.key("error");
          write_error_object(j, *w.error);
        }
        if (w.last && w.state != outcome::succeeded && w.state != outcome::replaced &&
            w.state != outcome::failed) {
          j.key("pending");
          j.begin_array();
          for (const gdos::order& x : w.last->orders)
            for (const gdos::certificate& c : x.certificates)
              for (const gdos::step s : gdos::all_steps)
                if (gdos::state_of(c, s) == gdos::step_state::pending) {
                  j.begin_object();
                  j.member("replyOrder", x.index);
                  j.member("certificate", c.index);
                  if (c.fqdn) j.member("fqdn", utf8_text(c.fqdn->decode()));
                  j.member("step", gdos::to_string(s));
                  j.member("next", gdos::next_action(s));
                  j.end_object();
                }
          j.end_array();
        }
        j.end_object();
      }
      j.end_array();
    });
  } else {
    out_.line(fmt::format("gdos watch: exit status {}: {}", status, reason));
  }
  std::fflush(stdout);
  std::fflush(stderr);
  // A call still running on the worker: end here, without running destructors under it.
  if (abandoned_) std::_Exit(status);
  return status;
}

int run::summary(std::string_view) {
  if (out_.json()) return 0;
  out_.line(fmt::format("gdos watch: summary after {:.1f} s, {} request{}",
                        out_.seconds_since_start(), requests_, requests_ == 1 ? "" : "s"));
  for (const watched& w : watched_) {
    const gdos::order* o = w.last ? w.last->find_order(1) : nullptr;
    std::string line = fmt::format("  order {:<10} {:<11} {}", w.number, to_string(w.state),
                                   w.last ? status_line(o) : std::string());
    if (w.replaces) line += fmt::format(" (replaces {})", *w.replaces);
    if (w.state == outcome::error && w.error)
      line += fmt::format("{}{}: {}", w.last ? ": " : "", kind_of(*w.error), message_of(*w.error));
    out_.line(line);
    if (w.last && w.state != outcome::succeeded && w.state != outcome::replaced &&
        w.state != outcome::failed)
      for (const std::string& p : pending_steps(w.number, *w.last)) out_.line("    " + p);
  }
  return 0;
}

// ---- options ------------------------------------------------------------------------------------

// The order numbers of --orders-file: one per line, `#` starts a comment, blank lines skipped.
// Bounded: max_orders_file bytes. Returns an error sentence, or empty.
std::string read_orders_file(const std::string& path, std::vector<std::int64_t>& out) {
  const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY);
  if (fd < 0) return fmt::format("cannot open {}: {}", path, std::strerror(errno));
  std::string text(max_orders_file + 1, '\0');
  std::size_t n = 0;
  while (n < text.size()) {
    const ssize_t got = read(fd, text.data() + n, text.size() - n);
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) break;
    n += static_cast<std::size_t>(got);
  }
  close(fd);
  if (n > max_orders_file) return fmt::format("{} is larger than {} bytes", path, max_orders_file);
  text.resize(n);
  std::size_t line_no = 0;
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t end = text.find('\n', pos);
    if (end == std::string::npos) end = text.size();
    ++line_no;
    std::string line = text.substr(pos, end - pos);
    pos = end + 1;
    if (const std::size_t hash = line.find('#'); hash != std::string::npos) line.resize(hash);
    const std::size_t b = line.find_first_not_of(" \t\r");
    if (b == std::string::npos) continue;
    line = line.substr(b, line.find_last_not_of(" \t\r") - b + 1);
    try {
      out.push_back(checked_integer(fmt::format("{}:{}", path, line_no), line, 1, INT64_MAX));
    } catch (const CLI::ValidationError& e) {
      return e.what();
    }
    if (out.size() > max_watched_orders)
      return fmt::format("more than {} orders (at {}:{})", max_watched_orders, path, line_no);
  }
  return {};
}

int run_watch(const watch_options& o) {
  const bool json = o.call.json;
  constexpr auto line = json_layout::line;
  const std::string name = login_name_of(o.request);
  if (name.empty()) return report_usage(no_login_name, json, "usage", line);
  std::vector<std::int64_t> numbers = o.orders;
  if (!o.orders_file.empty())
    if (const std::string error = read_orders_file(o.orders_file, numbers); !error.empty())
      return report_usage(error, json, "input", line);
  // The same order twice is followed once.
  std::vector<std::int64_t> unique;
  for (std::int64_t n : numbers)
    if (std::find(unique.begin(), unique.end(), n) == unique.end()) unique.push_back(n);
  if (unique.empty())
    return report_usage("say which orders: --order N (repeatable) or --orders-file FILE", json,
                        "usage", line);
  if (unique.size() > max_watched_orders)
    return report_usage(fmt::format("more than {} orders", max_watched_orders), json, "usage",
                        line);
  if (auto e = insecure_endpoint(o.call)) return report(*e, json, line);
  std::string error;
  auto password = read_password(o.call.password, error);
  if (!password) return report_usage(error, json, "usage", line);
  return watch_orders(o, name, std::move(*password), std::move(unique));
}

}  // namespace

int watch_orders(const watch_options& o, std::string login_name, std::string password,
                 std::vector<std::int64_t> orders) {
  run r(o, std::move(login_name), std::move(password), std::move(orders));
  return r.go();
}

command watch_command(CLI::App& gdos) {
  auto o = std::make_shared<watch_options>();
  auto* cmd = gdos.add_subcommand(
      "watch", "Poll orders until they are issued, rejected or stuck, and say what changed");
  add_integer_list(*cmd, "--order", o->orders, 1, INT64_MAX, "orderNumber to follow (repeatable)");
  cmd->add_option("--orders-file", o->orders_file,
                  "Follow the orderNumbers in this file: one per line, # comments (at most 256 "
                  "orders, 64 KiB)");
  add_duration(*cmd, "--interval", o->interval, ms(100), std::chrono::hours(24),
               "Time between two polls of one order");
  add_rate(*cmd, "--max-rate", o->spacing,
           "Most requests per second, all orders together (default 1)");
  cmd->add_option("--until", o->until,
                  "orderStatus that ends the wait (repeatable): a success, unless it is Rejected, "
                  "Revoked, Expired or Cancelled. Default: Issued, Valid (and the failures)")
      ->expected(1)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  cmd->add_option("--until-failed", o->until_failed,
                  "orderStatus that ends the wait as a failure (repeatable). Default: Rejected, "
                  "Revoked, Expired, Cancelled")
      ->expected(1)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  add_duration(*cmd, "--deadline", o->deadline, ms(100), std::chrono::hours(24 * 30),
               "Stop following orders that are not final after this long (default: none)");
  add_integer(*cmd, "--max-retries", o->max_retries, 0, 100,
              "Retries of one failed request (transport failures, HTTP 5xx, -14, -42) before "
              "the order is given up");
  add_duration(*cmd, "--retry-delay", o->retry_delay, ms(10), std::chrono::hours(1),
               "Delay before the first retry; doubled at each (with jitter)");
  add_duration(*cmd, "--retry-max-delay", o->retry_max_delay, ms(10), std::chrono::hours(24),
               "Longest delay between two retries");
  add_integer(*cmd, "--seed", o->seed, 0, INT64_MAX,
              "Seed of the retry jitter (default: random), for reproducible runs");
  add_request_options(*cmd, o->request, false);
  add_call_options(*cmd, o->call);
  return {cmd, [o] { return run_watch(*o); }};
}

}  // namespace gdos_cli
