// The integration driver: everything around the steppers. Saving through dense output, tstops, periodic updates,
// state events located by root finding on the interpolant, progress and cancellation, and failure reports.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <exception>
#include <limits>

#include "common/text.h"
#include "solve/dae_init.h"
#include "solve/saved_series.h"
#include "solve/stepper.h"

namespace numen {

using detail::Integration;
using detail::Stepper;

const char* to_string(SolveStatus status) {
  switch (status) {
    case SolveStatus::Success: return "success";
    case SolveStatus::Terminated: return "terminated";
    case SolveStatus::MaxStepsReached: return "max_steps";
    case SolveStatus::StepSizeTooSmall: return "step_size_underflow";
    case SolveStatus::NonFinite: return "non_finite";
    case SolveStatus::NewtonFailure: return "newton_failure";
    case SolveStatus::InitFailure: return "init_failure";
    case SolveStatus::Cancelled: return "cancelled";
    case SolveStatus::EventAccumulation: return "event_accumulation";
    case SolveStatus::Unreliable: return "unreliable";
  }
  return "?";
}

namespace {

class Driver {
 public:
  static constexpr int kEventSamples = 7;  ///< interior points per step where event functions are checked

  Driver(OdeProblem& problem, const SolveOptions& options, const SolveControl& control, Solution& sol)
      : problem_(problem), opt_(options), control_(control), sol_(sol), n_(problem.size()),
        states_(static_cast<std::size_t>(n_)), outputs_(static_cast<std::size_t>(problem.output_count())) {}

  void run(const MethodInfo& method, const std::vector<double>& x0) {
    Integration ig(problem_, opt_, sol_.stats);
    ig.switches = &sol_.method_switches;
    std::unique_ptr<Stepper> stepper = detail::make_stepper(method, ig);
    if (!stepper) throw Error("options", SourcePos{}, "method `" + method.name + "` is not available in this build");
    sol_.method = stepper->name();
    dae_ = ig.has_mass();
    if (opt_.dense) dense_ = std::make_shared<DenseOutput>(n_);
    poly_.resize(static_cast<std::size_t>(n_) * 16);
    x_scratch_.resize(static_cast<std::size_t>(n_));
    y_scratch_.resize(static_cast<std::size_t>(problem_.output_count()));
    if (!every_step()) reserve_saves(save_count() + 1);  // one more: a solve that ends early saves where it ends
    setup_periodic();

    std::vector<double> x = x0;
    double t = opt_.t0;
    fire_periodic(t, x);  // updates due at t0 (offset 0) act before the first save
    if (dae_ && !detail::initialize_algebraic(ig, t, x.data())) {
      sol_.status = ig.failure;
      sol_.message = ig.failure_message;
      save_initial(t, x);
      finish();
      sol_.method = stepper->name();
      return;
    }
    stepper->reset(t, x.data());
    n_events_ = problem_.event_count();
    g_prev_.resize(static_cast<std::size_t>(n_events_));
    g_new_.resize(static_cast<std::size_t>(n_events_));
    just_fired_.assign(static_cast<std::size_t>(n_events_), 0);
    on_surface_.assign(static_cast<std::size_t>(n_events_), 0);
    fire_times_.assign(static_cast<std::size_t>(n_events_), {});
    if (n_events_) problem_.event_functions(t, x.data(), g_prev_.data());
    mark_on_surface();
    save_initial(t, x);

    double last_report = t;
    while (t < opt_.t1) {
      double t_limit = next_limit(t);
      if (stepper->lands_on_saves() && next_save_ < save_count() && save_time(next_save_) > t)
        t_limit = std::min(t_limit, save_time(next_save_));
      if (!stepper->step(t_limit)) {
        sol_.status = ig.failure;
        sol_.message = ig.failure_message;
        break;
      }
      ++sol_.stats.accepted_steps;
      poly_ready_ = false;
      const double tp = stepper->t_prev(), tn = stepper->t();
      const std::vector<double>& xn = stepper->x();
      for (int i = 0; i < n_; ++i) {
        if (!std::isfinite(xn[static_cast<std::size_t>(i)])) {
          std::string what = ig.describe_non_finite(tn, xn.data());
          sol_.status = SolveStatus::NonFinite;
          sol_.message = what.empty() ? "the solution became NaN or Inf at t = " + text::format_number(tn) : what;
          break;
        }
      }
      if (sol_.status != SolveStatus::Success) break;

      if (n_events_ && handle_events(*stepper, tp, tn, t, x)) {
        if (sol_.status != SolveStatus::Success) break;  // terminated, or events accumulating
        if (dae_ && !detail::initialize_algebraic(ig, t, x.data())) {
          sol_.status = ig.failure;
          sol_.message = ig.failure_message;
          break;
        }
        stepper->reset(t, x.data());  // restarted at the event time; progress and max_steps below still apply
      } else if (!finish_step(*stepper, ig, tp, tn, t, x)) {
        break;
      }
      if (control_.on_progress && t - last_report >= control_.report_interval) {
        last_report = t;
        if (!control_.on_progress(t)) {
          sol_.status = SolveStatus::Cancelled;
          sol_.message = "cancelled at t = " + text::format_number(t);
          break;
        }
      }
      if (sol_.stats.accepted_steps >= opt_.max_steps && t < opt_.t1) {
        sol_.status = SolveStatus::MaxStepsReached;
        sol_.message = "max_steps (" + std::to_string(opt_.max_steps) + ") reached at t = " + text::format_number(t) +
                       " of " + text::format_number(opt_.t1) + "; raise max_steps, loosen the tolerances" +
                       (method.stiff || method.family == MethodFamily::Auto
                            ? std::string()
                            : ", or try a stiff method (Rodas5P, BDF) if the problem is stiff");
        break;
      }
    }
    finish();
    sol_.method = stepper->name();  // Auto names every method it used
  }

 private:
  /// The end of an accepted step without an event: saving, periodic updates and tstops (restarting the stepper
  /// after them). Returns false when the solve must stop (a DAE that cannot be made consistent).
  bool finish_step(Stepper& stepper, detail::Integration& ig, double tp, double tn, double& t, std::vector<double>& x) {
    save_through(stepper, tp, tn, tn);
    t = tn;
    x = stepper.x();
    if (opt_.dense) append_dense(stepper, tp, tn);
    if (every_step()) save_point(t, x.data());
    bool restart = false;
    if (fire_periodic(t, x)) {
      restart = true;
      if (every_step()) save_point(t, x.data());
    }
    restart = restart || is_tstop(t);
    if (restart && t < opt_.t1) {
      if (dae_ && !detail::initialize_algebraic(ig, t, x.data())) {
        sol_.status = ig.failure;
        sol_.message = ig.failure_message;
        return false;
      }
      stepper.reset(t, x.data());
      if (n_events_) problem_.event_functions(t, x.data(), g_prev_.data());
      mark_on_surface();
    } else if (n_events_) {
      g_prev_ = g_new_;
    }
    return true;
  }

  bool every_step() const { return opt_.n_save_points == 0 && opt_.dtsave <= 0 && opt_.t_eval.empty(); }

  // ---- saving --------------------------------------------------------------------------------------------------
  std::size_t save_count() const {
    if (opt_.n_save_points > 0) return static_cast<std::size_t>(opt_.n_save_points);
    if (opt_.dtsave > 0)
      return static_cast<std::size_t>(std::floor((opt_.t1 - opt_.t0) / opt_.dtsave * (1 + 1e-12))) + 1;
    return opt_.t_eval.size();
  }
  double save_time(std::size_t k) const {
    if (opt_.n_save_points > 0) {
      if (k + 1 == static_cast<std::size_t>(opt_.n_save_points)) return opt_.t1;
      return opt_.t0 + (opt_.t1 - opt_.t0) * static_cast<double>(k) / (opt_.n_save_points - 1);
    }
    if (opt_.dtsave > 0) return std::min(opt_.t1, opt_.t0 + static_cast<double>(k) * opt_.dtsave);
    return opt_.t_eval[k];
  }

  /// Room for `planned` saves, taken before the first step: a trajectory that cannot fit in memory is said at once,
  /// and plainly, rather than after minutes of solving as an internal error.
  void reserve_saves(std::size_t planned) {
    try {
      sol_.t.reserve(planned);
      states_.reserve(planned);
      outputs_.reserve(planned);
    } catch (const std::exception&) {  // std::bad_alloc, or std::length_error from t's reserve
      const std::size_t values = static_cast<std::size_t>(n_) + y_scratch_.size() + 1;  // states, outputs and t
      const double gib = static_cast<double>(planned) * static_cast<double>(values) * sizeof(double) / (1 << 30);
      throw Error("options", SourcePos{},
                  "saving " + std::to_string(planned - 1) + " points of " + std::to_string(values) +
                      " values each (t, the states and the outputs) needs " + text::format_number(std::ceil(gib)) +
                      " GiB, more memory than there is; save fewer points (n_save_points, dtsave or t_eval)");
    }
  }

  void save_point(double t, const double* x) {
    sol_.t.push_back(t);
    states_.push(x);
    if (!y_scratch_.empty()) {
      problem_.outputs(t, x, y_scratch_.data());
      outputs_.push(y_scratch_.data());
    }
  }

  void save_initial(double t, const std::vector<double>& x) {
    if (every_step()) {
      save_point(t, x.data());
      return;
    }
    while (next_save_ < save_count() && save_time(next_save_) <= t) save_point(save_time(next_save_++), x.data());
  }

  const double* poly(Stepper& stepper) {
    if (!poly_ready_) {
      const std::size_t need = static_cast<std::size_t>(stepper.dense_degree() + 1) * static_cast<std::size_t>(n_);
      if (poly_.size() < need) poly_.resize(need);
      stepper.dense_coefficients(poly_.data());
      poly_ready_ = true;
    }
    return poly_.data();
  }

  void interpolate(Stepper& stepper, double t, double* out) {
    const double tp = stepper.t_prev(), h = stepper.t() - tp;
    const double theta = h > 0 ? (t - tp) / h : 1.0;
    const double* c = poly(stepper);
    const int deg = stepper.dense_degree();
    const std::size_t n = static_cast<std::size_t>(n_);
    for (std::size_t i = 0; i < n; ++i) {
      double v = c[static_cast<std::size_t>(deg) * n + i];
      for (int k = deg - 1; k >= 0; --k) v = v * theta + c[static_cast<std::size_t>(k) * n + i];
      out[i] = v;
    }
  }

  /// Saves the grid points in (tp, t_until] of the last step.
  void save_through(Stepper& stepper, double tp, double tn, double t_until) {
    if (every_step()) return;
    while (next_save_ < save_count()) {
      const double ts = save_time(next_save_);
      if (ts > t_until) break;
      if (ts == tn) {
        save_point(ts, stepper.x().data());
      } else {
        interpolate(stepper, std::max(ts, tp), x_scratch_.data());
        save_point(ts, x_scratch_.data());
      }
      ++next_save_;
    }
  }

  void append_dense(Stepper& stepper, double tp, double t_stop) {
    dense_->append(tp, stepper.t() - tp, t_stop, stepper.dense_degree(), poly(stepper));
  }

  // ---- periodic updates and tstops -------------------------------------------------------------------------------
  void setup_periodic() {
    const int np = problem_.periodic_count();
    periodic_index_.assign(static_cast<std::size_t>(np), 0);
    // Sorted once, then walked with a cursor: a sampled input can bring tens of thousands of tstops.
    tstops_ = opt_.tstops;
    std::sort(tstops_.begin(), tstops_.end());
    next_tstop_ = 0;
  }
  /// The first tstop after t (the cursor only moves forward, as t does).
  double next_tstop(double t) {
    while (next_tstop_ < tstops_.size() && tstops_[next_tstop_] <= t) ++next_tstop_;
    return next_tstop_ < tstops_.size() ? tstops_[next_tstop_] : std::numeric_limits<double>::infinity();
  }
  bool is_tstop(double t) const { return std::binary_search(tstops_.begin(), tstops_.end(), t); }
  double periodic_time(int k, long i) const {
    return opt_.t0 + problem_.periodic_offset(k) + static_cast<double>(i) * problem_.periodic_period(k);
  }
  double next_limit(double t) {
    double limit = opt_.t1;
    for (int k = 0; k < problem_.periodic_count(); ++k) {
      const double tk = periodic_time(k, periodic_index_[static_cast<std::size_t>(k)]);
      if (tk > t) limit = std::min(limit, tk);
    }
    return std::min(limit, next_tstop(t));
  }
  /// Applies every periodic update due at t, in declaration order. Returns whether any fired.
  bool fire_periodic(double t, std::vector<double>& x) {
    bool fired = false;
    for (int k = 0; k < problem_.periodic_count(); ++k) {
      long& i = periodic_index_[static_cast<std::size_t>(k)];
      while (periodic_time(k, i) < t) ++i;  // skips times before t0 (negative offsets)
      if (periodic_time(k, i) == t && t <= opt_.t1) {
        problem_.apply_periodic(k, t, x.data());
        ++sol_.stats.periodic_updates;
        ++i;
        fired = true;
      }
    }
    return fired;
  }

  // ---- state events --------------------------------------------------------------------------------------------
  static bool crosses(Crossing c, double before, double after) {
    const bool rising = before < 0 && after >= 0;
    const bool falling = before > 0 && after <= 0;
    return c == Crossing::Rising ? rising : c == Crossing::Falling ? falling : (rising || falling);
  }

  double event_value(Stepper& stepper, int k, double t) {
    interpolate(stepper, t, x_scratch_.data());
    problem_.event_functions(t, x_scratch_.data(), g_scratch_.data());
    return g_scratch_[static_cast<std::size_t>(k)];
  }

  /// Illinois (modified regula falsi) on g_k over the step's interpolant; returns the end of the final bracket on
  /// the far side of the crossing, so that restarting there does not see the same crossing again.
  double locate(Stepper& stepper, int k, double a, double ga, double b, double gb) {
    int side = 0;
    for (int it = 0; it < 100; ++it) {
      if (b - a <= 4 * std::numeric_limits<double>::epsilon() * std::max(std::fabs(a), std::fabs(b)) + 1e-300) break;
      double m = (a * gb - b * ga) / (gb - ga);
      if (!(m > a && m < b)) m = 0.5 * (a + b);
      const double gm = event_value(stepper, k, m);
      if (gm == 0.0) return m;
      if ((gm < 0) == (gb < 0) || (gb == 0.0 && gm != 0 && (gm < 0) != (ga < 0))) {
        b = m;
        gb = gm;
        if (side == -1) ga *= 0.5;
        side = -1;
      } else {
        a = m;
        ga = gm;
        if (side == 1) gb *= 0.5;
        side = 1;
      }
    }
    return b;
  }

  /// Where, just after event k fired at the step's start tp, its function is first looked at; sets g there. The
  /// state the event left sits on the surface (or a rounding error past it), so g at tp says nothing of where it
  /// goes next. The look starts a millionth into the step and moves back toward tp, sixteenfold at a time, while g
  /// is still past the surface: a step may span many of the next, ever shorter flights of a bouncing ball, so the
  /// gap must not be tied to the step alone. Past the surface even a few ulps after tp means the event's action
  /// did not take the state off it (see the callers).
  double look_after_event(Stepper& stepper, int k, double tp, double tn, double* g) {
    const double floor = 64 * std::numeric_limits<double>::epsilon() * std::max(1.0, std::fabs(tp));
    double gap = std::min(tn - tp, std::max(1e-6 * (tn - tp), floor));
    for (;;) {
      const double a = tp + gap;
      *g = a >= tn ? g_new_[static_cast<std::size_t>(k)] : event_value(stepper, k, a);
      if (!past_surface(problem_.event_crossing(k), *g) || gap <= floor) return a;
      gap = std::max(floor, gap / 16);
    }
  }

  /// A directional event function that is exactly 0 where the integration (re)starts, not because it just fired
  /// (a ball that starts on the floor): whether it now moves into its region is only seen a little later.
  void mark_on_surface() {
    for (std::size_t k = 0; k < static_cast<std::size_t>(n_events_); ++k)
      on_surface_[k] = g_prev_[k] == 0.0 && problem_.event_crossing(static_cast<int>(k)) != Crossing::Either;
  }

  /// True when g is on the side a crossing of this direction leads to (so the event could not fire again).
  static bool past_surface(Crossing c, double g) {
    return c == Crossing::Falling ? g <= 0 : c == Crossing::Rising ? g >= 0 : false;
  }

  /// Where event k's last three firings say its firings end, summing the geometric series of their gaps; infinity
  /// when the gaps do not shrink.
  double accumulation_time(std::size_t k) const {
    const std::vector<double>& f = fire_times_[k];
    if (f.size() < 3) return std::numeric_limits<double>::infinity();
    const std::size_t n = f.size();
    const double d2 = f[n - 2] - f[n - 3], d3 = f[n - 1] - f[n - 2];
    if (!(d2 > 0 && d3 < d2)) return std::numeric_limits<double>::infinity();
    const double r = d3 / d2;
    return f[n - 1] + d3 * r / (1 - r);
  }

  /// Whether event k's last firings close in geometrically on a time inside the span, the last gap no longer than
  /// `resolvable`: a finite accumulation point (a ball whose bounces shrink by its restitution). Each of the last
  /// two gaps must be under 0.9 of the one before, so rounding jitter in periodic firings (gaps of 1 +- 1e-12)
  /// never counts. Needs four firings.
  bool accumulating(std::size_t k, double resolvable) const {
    const std::vector<double>& f = fire_times_[k];
    if (f.size() < 4) return false;
    const std::size_t n = f.size();
    const double d1 = f[n - 3] - f[n - 4], d2 = f[n - 2] - f[n - 3], d3 = f[n - 1] - f[n - 2];
    return d2 < 0.9 * d1 && d3 < 0.9 * d2 && d3 <= resolvable && accumulation_time(k) <= opt_.t1;
  }

  /// Stops the solve at t with a report that names the event and estimates the accumulation time from the last
  /// intervals (a geometric series).
  void report_accumulation(std::size_t k, double t) {
    const std::vector<double>& f = fire_times_[k];
    const double t_limit = std::isfinite(accumulation_time(k)) ? accumulation_time(k) : t;
    long count = 0;
    for (const EventRecord& e : sol_.events) count += e.index == static_cast<int>(k);
    sol_.status = SolveStatus::EventAccumulation;
    auto digits = [](double v) {  // a message is read, not parsed: 7 significant digits
      char buf[32];
      std::snprintf(buf, sizeof buf, "%.7g", v);
      return std::string(buf);
    };
    sol_.message = "events accumulate at t = " + digits(t_limit) +
                   " (Zeno behaviour): " + problem_.event_name(static_cast<int>(k)) + " fired " +
                   std::to_string(count) + " times, the last ones " +
                   digits(f.size() >= 2 ? f.back() - f[f.size() - 2] : 0.0) +
                   " apart, and cannot be followed past that time. The solution ends at t = " + digits(t) +
                   "; give the model a rule for what happens then (for example a second event that holds the body "
                   "at rest once its speed is small), or end the time span before it";
  }

  /// Checks the last step for event crossings: at its end and at interior points of its interpolant, so that a
  /// function that crosses zero and comes back within one step (a ball's whole flight) is not missed. A function
  /// that fired at the step's start is looked at from just after it (look_after_event): its value on the surface says
  /// nothing of where it goes next, and the side it leaves to is what its next crossing starts from. If a crossing
  /// occurred, handles the earliest (and any simultaneous ones), restarts the stepper there and returns true.
  bool handle_events(Stepper& stepper, double tp, double tn, double& t, std::vector<double>& x) {
    const std::size_t ne = static_cast<std::size_t>(n_events_);
    g_scratch_.resize(ne);
    problem_.event_functions(tn, stepper.x().data(), g_new_.data());
    std::vector<double> g_a = g_prev_, g_b(ne), a_k(ne, tp);
    const double resolvable = 1e-9 * std::max(opt_.t1 - opt_.t0, std::fabs(tp));
    std::vector<double> roots(ne, std::numeric_limits<double>::infinity());
    double t_event = std::numeric_limits<double>::infinity();
    // Functions on their surface at the step's start, having just fired or not, are looked at from just after it.
    for (std::size_t k = 0; k < ne; ++k) {
      if (!just_fired_[k] && !on_surface_[k]) continue;
      const bool fired_here = just_fired_[k];
      just_fired_[k] = on_surface_[k] = 0;
      const Crossing c = problem_.event_crossing(static_cast<int>(k));
      double g = 0.0;
      const double a = look_after_event(stepper, static_cast<int>(k), tp, tn, &g);
      if (!past_surface(c, g)) {
        a_k[k] = a;
        g_a[k] = g;
      } else if (!fired_here) {  // it went into its region straight from the surface: a crossing at the start
        const double before =
            c == Crossing::Falling ? std::numeric_limits<double>::min() : -std::numeric_limits<double>::min();
        roots[k] = locate(stepper, static_cast<int>(k), tp, before, a, g);
        t_event = std::min(t_event, roots[k]);
      } else if (accumulating(k, std::numeric_limits<double>::infinity())) {
        // Still past the surface right after the event moved the state, and the firings were closing in: the
        // crossings have run together. (Past the surface alone is an event whose action leaves its condition true,
        // such as `when: x > 1` counting; its next firing needs the opposite crossing first, as usual.)
        report_accumulation(k, tp);
        if (!every_step()) save_point(tp, x.data());  // the saved series ends where the solution is vouched for
        return true;
      } else {
        a_k[k] = a;
        g_a[k] = g;
      }
    }
    for (int m = 1; m <= kEventSamples + 1 && !std::isfinite(t_event); ++m) {
      const double b = m == kEventSamples + 1 ? tn : tp + (tn - tp) * m / (kEventSamples + 1);
      if (m == kEventSamples + 1) g_b = g_new_;
      else {
        interpolate(stepper, b, x_scratch_.data());
        problem_.event_functions(b, x_scratch_.data(), g_b.data());
      }
      for (std::size_t k = 0; k < ne; ++k) {
        if (b <= a_k[k]) continue;  // this function is looked at from later in the step
        if (crosses(problem_.event_crossing(static_cast<int>(k)), g_a[k], g_b[k])) {
          const double r = locate(stepper, static_cast<int>(k), a_k[k], g_a[k], b, g_b[k]);
          roots[k] = r;
          t_event = std::min(t_event, r);
        }
        g_a[k] = g_b[k];
        a_k[k] = b;
      }
    }
    if (!std::isfinite(t_event)) return false;

    save_through(stepper, tp, tn, t_event);
    if (opt_.dense) append_dense(stepper, tp, t_event);
    if (t_event == tn) x = stepper.x();
    else {
      interpolate(stepper, t_event, x_scratch_.data());
      x.assign(x_scratch_.begin(), x_scratch_.end());
    }
    t = t_event;
    if (every_step()) save_point(t, x.data());
    const double tol = 64 * std::numeric_limits<double>::epsilon() * std::max(1.0, std::fabs(t_event));
    bool terminate = false;
    std::vector<char> fired(ne, 0);
    for (std::size_t k = 0; k < ne; ++k) {
      if (!(roots[k] <= t_event + tol)) continue;
      terminate = problem_.apply_event(static_cast<int>(k), t, x.data()) || terminate;
      fired[k] = 1;
      just_fired_[k] = 1;
      std::vector<double>& times = fire_times_[k];
      if (times.size() == 4) times.erase(times.begin());
      times.push_back(t);
      ++sol_.stats.events;
      sol_.events.push_back(EventRecord{t, static_cast<int>(k)});
    }
    if (every_step()) save_point(t, x.data());
    if (terminate) {
      sol_.status = SolveStatus::Terminated;
      sol_.message = "stopped by an event at t = " + text::format_number(t);
      if (!every_step()) save_point(t, x.data());  // the saved series ends at the event
      return true;
    }
    for (std::size_t k = 0; k < ne; ++k) {
      if (fired[k] && accumulating(k, resolvable)) {
        report_accumulation(k, t);
        if (!every_step()) save_point(t, x.data());
        return true;
      }
    }
    problem_.event_functions(t, x.data(), g_prev_.data());
    return true;
  }

  void finish() {
    sol_.x = states_.release();
    sol_.y = outputs_.release();
    sol_.dense = dense_;
  }

  OdeProblem& problem_;
  const SolveOptions& opt_;
  const SolveControl& control_;
  Solution& sol_;
  int n_;
  detail::SavedSeries states_, outputs_;
  std::vector<double> x_scratch_, y_scratch_, poly_;
  bool poly_ready_ = false;
  std::size_t next_save_ = 0;
  std::vector<long> periodic_index_;
  std::vector<double> tstops_;
  std::size_t next_tstop_ = 0;
  int n_events_ = 0;
  std::vector<double> g_prev_, g_new_, g_scratch_;
  std::vector<char> just_fired_;                 ///< fired at the start of the coming step
  std::vector<char> on_surface_;                 ///< exactly on its surface at a (re)start, without having fired
  std::vector<std::vector<double>> fire_times_;  ///< each event's last four firing times
  std::shared_ptr<DenseOutput> dense_;
  bool dae_ = false;
};

}  // namespace

Solution solve(OdeProblem& problem, const std::vector<double>& x0, const SolveOptions& options,
               const SolveControl& control) {
  const int n = problem.size();
  validate(options, n);
  if (static_cast<int>(x0.size()) != n)
    throw Error("options", SourcePos{},
                "the initial state has " + std::to_string(x0.size()) + " values but the problem has " +
                    std::to_string(n) + " states");
  const MethodInfo& method = *find_method(options.method);
  const std::vector<std::uint8_t> mask = problem.differential_mask();
  const bool dae = std::find(mask.begin(), mask.end(), 0) != mask.end() || problem.mass_pattern();
  if (dae && !method.mass_matrix) {
    std::string capable;
    for (const MethodInfo& m : methods())
      if (m.mass_matrix) capable += (capable.empty() ? "" : ", ") + m.name;
    throw Error("options", SourcePos{},
                "method `" + method.name + "` cannot solve a model " +
                    (problem.mass_pattern() ? "with der() inside its equations (a mass matrix)"
                                            : "with algebraic variables (a DAE)") +
                    "; use one of: " + (capable.empty() ? "(none built)" : capable));
  }
  if (problem.mass_pattern() && problem.mass_varies() && method.family != MethodFamily::BDF &&
      method.family != MethodFamily::Auto)
    throw Error("options", SourcePos{},
                "method `" + method.name +
                    "` cannot solve a model whose mass matrix "
                    "changes with the state or time (a coefficient of der() that is not a "
                    "parameter); use BDF, which evaluates it at every Newton iteration");
  if (method.second_order && problem.second_order_pairs().empty())
    throw Error("options", SourcePos{},
                "method `" + method.name +
                    "` needs a separable second-order model "
                    "(position' = velocity, velocity' depending on positions only); use Tsit5, "
                    "or Vern7 for tight tolerances");
  Solution sol;
  sol.n_states = n;
  sol.n_outputs = problem.output_count();
  const auto start = std::chrono::steady_clock::now();
  problem.reset();
  Driver(problem, options, control, sol).run(method, x0);
  sol.stats.wall_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  return sol;
}

// ---- DenseOutput and Solution ------------------------------------------------------------------------------------

double DenseOutput::t_begin() const { return segments_.empty() ? 0.0 : segments_.front().t0; }
double DenseOutput::t_end() const { return segments_.empty() ? 0.0 : segments_.back().t_stop; }

void DenseOutput::append(double t0, double h, double t_stop, int degree, const double* c) {
  segments_.push_back(Segment{t0, h, t_stop, degree, coefficients_.size()});
  coefficients_.insert(coefficients_.end(), c, c + static_cast<std::size_t>(degree + 1) * static_cast<std::size_t>(n_));
}

void DenseOutput::evaluate(double t, double* x) const {
  if (segments_.empty()) return;
  auto it =
      std::upper_bound(segments_.begin(), segments_.end(), t, [](double v, const Segment& s) { return v < s.t_stop; });
  if (it == segments_.end()) --it;
  // Prefer the later segment at a shared boundary only if t is inside it (post-event values start there).
  const Segment& s = *it;
  const double theta = s.h > 0 ? (t - s.t0) / s.h : 0.0;
  const std::size_t n = static_cast<std::size_t>(n_);
  const double* c = coefficients_.data() + s.offset;
  for (std::size_t i = 0; i < n; ++i) {
    double v = c[static_cast<std::size_t>(s.degree) * n + i];
    for (int k = s.degree - 1; k >= 0; --k) v = v * theta + c[static_cast<std::size_t>(k) * n + i];
    x[i] = v;
  }
}

std::vector<double> Solution::interpolate(double t) const {
  if (!dense || dense->empty())
    throw Error("options", SourcePos{}, "this solution kept no dense output; solve with `dense: true`");
  std::vector<double> out(static_cast<std::size_t>(n_states));
  dense->evaluate(t, out.data());
  return out;
}

}  // namespace numen
