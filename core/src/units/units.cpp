#include "units/units.h"

#include <cctype>
#include <cmath>

#include "common/text.h"

namespace numen::units {

// ---- dimensions ------------------------------------------------------------------------------------------------

Dimension Dimension::of(Base b, double exponent) {
  Dimension d;
  d.e[b] = exponent;
  return d;
}

bool Dimension::dimensionless() const {
  for (double x : e)
    if (std::abs(x) > 1e-9) return false;
  return true;
}

Dimension Dimension::operator*(const Dimension& o) const {
  Dimension d;
  for (int i = 0; i < kBaseCount; ++i) d.e[i] = e[i] + o.e[i];
  return d;
}

Dimension Dimension::operator/(const Dimension& o) const {
  Dimension d;
  for (int i = 0; i < kBaseCount; ++i) d.e[i] = e[i] - o.e[i];
  return d;
}

Dimension Dimension::pow(double p) const {
  Dimension d;
  for (int i = 0; i < kBaseCount; ++i) d.e[i] = e[i] * p;
  return d;
}

bool Dimension::operator==(const Dimension& o) const {
  for (int i = 0; i < kBaseCount; ++i)
    if (std::abs(e[i] - o.e[i]) > 1e-9) return false;
  return true;
}

namespace {

// Exponents in the order m, kg, s, A, K, mol, cd.
using Exps = std::array<double, kBaseCount>;
constexpr Exps kOne{}, kM{1}, kKg{0, 1}, kS{0, 0, 1}, kA{0, 0, 0, 1}, kK{0, 0, 0, 0, 1}, kMol{0, 0, 0, 0, 0, 1},
    kCd{0, 0, 0, 0, 0, 0, 1}, kPerS{0, 0, -1}, kN{1, 1, -2}, kPa{-1, 1, -2}, kJ{2, 1, -2}, kW{2, 1, -3}, kC{0, 0, 1, 1},
    kV{2, 1, -3, -1}, kF{-2, -1, 4, 2}, kOhm{2, 1, -3, -2}, kSiemens{-2, -1, 3, 2}, kWb{2, 1, -2, -1}, kT{0, 1, -2, -1},
    kH{2, 1, -2, -2}, kM2{2}, kM3{3}, kMps{1, 0, -1}, kMps2{1, 0, -2};

struct Row {
  const char* symbol;
  const char* name;
  double scale;
  Exps dim;
  bool prefixes = false;
  double angle = 0.0;
  bool cycles = false;
  double offset = 0.0;
};

constexpr double kPi = 3.14159265358979323846;
constexpr double kLbf = 4.4482216152605;  // NIST SP 811 B.8: pound-force, exact by definition of lb and g_n
constexpr double kInch = 0.0254;

// The one table of units. Factors: SI definitions, and NIST SP 811 (2008) appendix B.8/B.9 for the others.
const std::vector<Row>& rows() {
  static const std::vector<Row> r = {
      // SI base units (the kilogram through the gram, so that prefixes apply to g)
      {"m", "metre", 1, kM, true},
      {"g", "gram", 1e-3, kKg, true},
      {"s", "second", 1, kS, true},
      {"A", "ampere", 1, kA, true},
      {"K", "kelvin", 1, kK, true},
      {"mol", "mole", 1, kMol, true},
      {"cd", "candela", 1, kCd, true},
      // SI derived units with special names
      {"rad", "radian", 1, kOne, true, 1},
      {"sr", "steradian", 1, kOne, false, 2},
      {"Hz", "hertz (cycles per second)", 1, kPerS, true, 0, true},
      {"N", "newton", 1, kN, true},
      {"Pa", "pascal", 1, kPa, true},
      {"J", "joule", 1, kJ, true},
      {"W", "watt", 1, kW, true},
      {"C", "coulomb", 1, kC, true},
      {"V", "volt", 1, kV, true},
      {"F", "farad", 1, kF, true},
      {"Ohm", "ohm", 1, kOhm, true},
      {"Ω", "ohm", 1, kOhm, true},
      {"S", "siemens", 1, kSiemens, true},
      {"Wb", "weber", 1, kWb, true},
      {"T", "tesla", 1, kT, true},
      {"H", "henry", 1, kH, true},
      {"degC", "degree Celsius", 1, kK, false, 0, false, 273.15},
      {"°C", "degree Celsius", 1, kK, false, 0, false, 273.15},
      // accepted for use with the SI
      {"min", "minute", 60, kS},
      {"h", "hour", 3600, kS},
      {"d", "day", 86400, kS},
      {"yr", "year (Julian, 365.25 d)", 31557600, kS},
      {"L", "litre", 1e-3, kM3, true},
      {"l", "litre", 1e-3, kM3, true},
      {"t", "tonne", 1e3, kKg},
      {"bar", "bar", 1e5, kPa, true},
      {"deg", "degree (angle)", kPi / 180, kOne, false, 1},
      {"rev", "revolution", 2 * kPi, kOne, false, 1},
      {"rpm", "revolutions per minute", 2 * kPi / 60, kPerS, false, 1},
      {"eV", "electronvolt", 1.602176634e-19, kJ, true},
      {"Wh", "watt hour", 3600, kJ, true},
      {"%", "percent", 1e-2, kOne},
      {"ppm", "parts per million", 1e-6, kOne},
      // other units engineers write (NIST SP 811 B.8)
      {"in", "inch", kInch, kM},
      {"ft", "foot", 0.3048, kM},
      {"yd", "yard", 0.9144, kM},
      {"mi", "mile (statute)", 1609.344, kM},
      {"nmi", "nautical mile", 1852, kM},
      {"lb", "pound (avoirdupois)", 0.45359237, kKg},
      {"lbf", "pound-force", kLbf, kN},
      {"kgf", "kilogram-force", 9.80665, kN},
      {"psi", "pound-force per square inch", kLbf / (kInch * kInch), kPa},
      {"atm", "standard atmosphere", 101325, kPa},
      {"Torr", "torr", 101325.0 / 760.0, kPa},
      {"mmHg", "millimetre of mercury (conventional)", 133.322387415, kPa},
      {"gal", "gallon (US)", 3.785411784e-3, kM3},
      {"mph", "mile per hour", 0.44704, kMps},
      {"kn", "knot", 1852.0 / 3600.0, kMps},
      {"gn", "standard acceleration of gravity", 9.80665, kMps2},
      {"cal", "calorie (thermochemical)", 4.184, kJ, true},
      {"BTU", "British thermal unit (IT)", 1055.05585262, kJ},
      {"hp", "horsepower (550 ft*lbf/s)", 745.69987158227022, kW},
      {"degF", "degree Fahrenheit", 5.0 / 9.0, kK, false, 0, false, 459.67 * 5.0 / 9.0},
      {"degR", "degree Rankine", 5.0 / 9.0, kK},
  };
  return r;
}

const Row* find_row(std::string_view s) {
  for (const Row& r : rows())
    if (s == r.symbol) return &r;
  return nullptr;
}

// ---- names of dimensions -------------------------------------------------------------------------------------

struct Named {
  Exps dim;
  const char* si;  // "" when the dimension has no special unit name
  const char* quantity;
};

const std::vector<Named>& named() {
  static const std::vector<Named> n = {
      {kOne, "1", "dimensionless"},
      {kM, "m", "length"},
      {kKg, "kg", "mass"},
      {kS, "s", "time"},
      {kA, "A", "current"},
      {kK, "K", "temperature"},
      {kMol, "mol", "amount of substance"},
      {kCd, "cd", "luminous intensity"},
      {kPerS, "", "rate or frequency"},
      {kN, "N", "force"},
      {kPa, "Pa", "pressure or stress"},
      {kJ, "J", "energy or torque"},
      {kW, "W", "power"},
      {kC, "C", "charge"},
      {kV, "V", "voltage"},
      {kF, "F", "capacitance"},
      {kOhm, "Ohm", "resistance"},
      {kSiemens, "S", "conductance"},
      {kWb, "Wb", "magnetic flux"},
      {kT, "T", "magnetic flux density"},
      {kH, "H", "inductance"},
      {kM2, "", "area"},
      {kM3, "", "volume"},
      {kMps, "", "velocity"},
      {kMps2, "", "acceleration"},
      {{0, 0, -2}, "", "angular acceleration or squared rate"},
      {{1, 0, -3}, "", "jerk"},
      {{0, 1, -2}, "", "stiffness (force per length)"},
      {{0, 1, -1}, "", "damping (force per velocity) or mass flow"},
      {{1, 1, -1}, "", "momentum"},
      {{-1, 1, -1}, "", "dynamic viscosity"},
      {{2, 1, 0}, "", "moment of inertia"},
      {{-3, 1, 0}, "", "density"},
      {{3, 0, -1}, "", "volume flow"},
      {{2, 0, -2}, "", "specific energy"},
      {{2, 0, -2, 0, -1}, "", "specific heat or gas constant"},
      {{2, 1, -2, 0, -1}, "", "heat capacity or entropy"},
      {{2, 1, -3, 0, -1}, "", "thermal conductance"},
      {{-2, -1, 3, 0, 1}, "", "thermal resistance"},
      {{1, 1, -3, 0, -1}, "", "thermal conductivity"},
      {{-4, 1, -1}, "", "hydraulic resistance (pressure per volume flow)"},
      {{4, -1, 2}, "", "hydraulic capacitance (volume per pressure)"},
      {{0, 0, 0, 0, 1}, "K", "temperature"},
  };
  return n;
}

const Named* find_named(const Dimension& d) {
  for (const Named& n : named())
    if (Dimension{n.dim} == d) return &n;
  return nullptr;
}

std::string exponent_text(double x) {
  if (std::abs(x - std::round(x)) < 1e-9) return std::to_string(static_cast<long long>(std::llround(x)));
  return text::format_number(std::round(x * 1e6) / 1e6);
}

// ---- the parser ------------------------------------------------------------------------------------------------

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_name_start(char c) {
  const auto u = static_cast<unsigned char>(c);
  return std::isalpha(u) || c == '_' || u >= 0x80;
}
bool is_name_char(char c) { return is_name_start(c) || is_digit(c); }

constexpr const char* kHelp =
    "a unit is names like `m`, `kN/m`, `kg*m/s^2`, `1/s`, `J/(kg*K)` or `%` "
    "(`numen units` lists them)";

Unit multiply(const Unit& a, const Unit& b, double sign) {
  Unit u;
  u.dim = sign > 0 ? a.dim * b.dim : a.dim / b.dim;
  u.scale = sign > 0 ? a.scale * b.scale : a.scale / b.scale;
  u.angle = a.angle + sign * b.angle;
  u.cycles = a.cycles || b.cycles;
  return u;
}

Unit power(const Unit& a, double p) {
  Unit u;
  u.dim = a.dim.pow(p);
  u.scale = std::pow(a.scale, p);
  u.angle = a.angle * p;
  u.cycles = a.cycles;
  return u;
}

Unit from_row(const Row& r, double prefix) {
  Unit u;
  u.dim = Dimension{r.dim};
  u.scale = r.scale * prefix;
  u.angle = r.angle;
  u.cycles = r.cycles;
  u.offset = r.offset;
  return u;
}

// A name that is two units run together ("Nm", "kWs") reads as their product to a person; say how to write it.
std::string run_together_hint(const std::string& name) {
  for (std::size_t cut = 1; cut < name.size(); ++cut) {
    const std::string a = name.substr(0, cut), b = name.substr(cut);
    auto known = [](const std::string& s) {
      if (find_row(s)) return true;
      for (const auto& [p, f] : prefixes()) {
        const std::size_t n = std::char_traits<char>::length(p);
        if (s.size() > n && s.compare(0, n, p) == 0) {
          const Row* r = find_row(s.substr(n));
          if (r && r->prefixes) return true;
        }
      }
      return false;
    };
    if (known(a) && known(b)) return " (did you mean `" + a + "*" + b + "`?)";
  }
  return {};
}

class Parser {
 public:
  Parser(std::string_view text, std::size_t start) : s_(text), i_(start) {}

  Unit unit(std::string* normalized) {
    skip();
    const std::size_t start = i_;
    Unit u;
    bool lone_affine = false;
    if (i_ < s_.size() && is_digit(s_[i_])) {
      ++i_;
      skip();
      if (s_[start] == '1' && i_ == s_.size()) {
        if (normalized) *normalized = "1";
        return u;
      }
      if (s_[start] != '1' || !at('/'))
        throw UnitError(static_cast<int>(start),
                        "a unit cannot start with a number other than `1` or `1/` (as in "
                        "`1/s`), and a value is one expression followed by its unit; " +
                            std::string(kHelp));
      ++i_;
      out_ += "1/";
      u = multiply(u, product(0), -1);
    } else {
      u = product(0, &lone_affine);
    }
    skip();
    if (i_ < s_.size()) {
      const char c = s_[i_];
      std::string msg = "unexpected `" + std::string(1, c) + "` in the unit; " + kHelp;
      if (is_name_start(c) || is_digit(c))
        msg = "unexpected `" + word(i_) +
              "` in the unit: units are joined by `*` or `/`, and a value is one "
              "expression followed by its unit; " +
              kHelp;
      throw UnitError(static_cast<int>(i_), msg);
    }
    if (!lone_affine) u.offset = 0.0;  // degC inside a compound unit is a difference
    if (normalized) *normalized = out_;
    return u;
  }

 private:
  bool at(char c) const { return i_ < s_.size() && s_[i_] == c; }
  void skip() {
    while (i_ < s_.size() && is_space(s_[i_])) ++i_;
  }
  std::string word(std::size_t from) const {
    std::size_t j = from;
    while (j < s_.size() && (is_name_char(s_[j]) || s_[j] == '.')) ++j;
    return std::string(s_.substr(from, std::max<std::size_t>(j - from, 1)));
  }

  // lone_affine: set when the product is one name with no exponent (the only place an offset applies).
  Unit product(int depth, bool* lone_affine = nullptr) {
    Unit u = factor(depth, lone_affine);
    for (;;) {
      skip();
      if (!at('*') && !at('/')) return u;
      if (lone_affine) *lone_affine = false;
      const char op = s_[i_++];
      out_ += op;
      u = multiply(u, factor(depth), op == '*' ? 1 : -1);
    }
  }

  Unit name(std::size_t start, const std::string& n) {
    if (const Row* r = find_row(n)) return from_row(*r, 1.0);
    for (const auto& [p, f] : prefixes()) {
      const std::size_t len = std::char_traits<char>::length(p);
      if (n.size() <= len || n.compare(0, len, p) != 0) continue;
      const Row* r = find_row(n.substr(len));
      if (!r) continue;
      if (!r->prefixes)
        throw UnitError(static_cast<int>(start), "`" + n.substr(len) + "` (" + r->name +
                                                     ") takes no SI prefix; write the value in `" + r->symbol + "`");
      return from_row(*r, f);
    }
    if (n == "pi" || n == "e")
      throw UnitError(static_cast<int>(start),
                      "`" + n + "` is a constant, not a unit; a product needs `*` (`2*" + n + "`)");
    if (n.size() > 1 && (n[0] == 'e' || n[0] == 'E') && n.find_first_not_of("0123456789", 1) == std::string::npos)
      throw UnitError(static_cast<int>(start),
                      "`" + n + "` is not a unit; write an exponent without a space (`2" + n + "`)");
    // The likeliest slips first: a wrong case ("pa", "KN"), then two units run together ("Nm"), then a typo.
    std::vector<std::string> candidates = symbols();
    for (const char* p : {"k", "m", "M", "µ", "G"})
      for (const Row& r : rows())
        if (r.prefixes) candidates.push_back(std::string(p) + r.symbol);
    std::string hint;
    for (const std::string& c : candidates)  // a wrong first letter's case: KN for kN, pa for Pa
      if (hint.empty() && text::iequals(c, n) && c.compare(1, std::string::npos, n, 1, std::string::npos) == 0)
        hint = " (did you mean `" + c + "`?)";
    for (const std::string& c : candidates)
      if (hint.empty() && text::iequals(c, n)) hint = " (did you mean `" + c + "`?)";
    if (hint.empty()) hint = run_together_hint(n);
    if (hint.empty()) hint = text::did_you_mean(n, candidates);
    throw UnitError(static_cast<int>(start), "unknown unit `" + n + "`" + hint + "; " + kHelp);
  }

  Unit factor(int depth, bool* lone_affine = nullptr) {
    skip();
    if (depth > 20) throw UnitError(static_cast<int>(i_), "the unit is nested too deeply");
    Unit u;
    if (at('(')) {
      if (lone_affine) *lone_affine = false;
      ++i_;
      out_ += '(';
      u = product(depth + 1);
      skip();
      if (!at(')')) throw UnitError(static_cast<int>(i_), "missing `)` in the unit");
      ++i_;
      out_ += ')';
    } else if (at('%')) {
      if (lone_affine) *lone_affine = false;
      ++i_;
      out_ += '%';
      u = from_row(*find_row("%"), 1.0);
    } else if (i_ < s_.size() && is_name_start(s_[i_])) {
      const std::size_t start = i_;
      while (i_ < s_.size() && is_name_char(s_[i_])) ++i_;
      const std::string n(s_.substr(start, i_ - start));
      u = name(start, n);
      if (lone_affine) *lone_affine = u.offset != 0.0;
      out_ += n;
    } else if (i_ == s_.size()) {
      throw UnitError(static_cast<int>(i_), std::string("the unit ends too early; ") + kHelp);
    } else {
      const char c = s_[i_];
      throw UnitError(static_cast<int>(i_),
                      "expected a unit name, found `" + (is_digit(c) ? word(i_) : std::string(1, c)) + "`; " + kHelp);
    }
    if (at('^')) {
      if (lone_affine) *lone_affine = false;
      ++i_;
      const std::size_t start = i_;
      if (at('-')) ++i_;
      if (!(i_ < s_.size() && is_digit(s_[i_])))
        throw UnitError(static_cast<int>(start), "expected a number after `^` in the unit, as in `m^2` or `s^-1`");
      while (i_ < s_.size() && is_digit(s_[i_])) ++i_;
      if (at('.') && i_ + 1 < s_.size() && is_digit(s_[i_ + 1])) {
        ++i_;
        while (i_ < s_.size() && is_digit(s_[i_])) ++i_;
      }
      const std::string exponent(s_.substr(start, i_ - start));
      out_ += '^';
      out_ += exponent;
      u = power(u, std::stod(exponent));
    }
    return u;
  }

  std::string_view s_;
  std::size_t i_;
  std::string out_;
};

}  // namespace

Unit parse(std::string_view text, std::size_t start, std::string* normalized) {
  return Parser(text, start).unit(normalized);
}

double internal_factor(const Unit& unit, const System& system) {
  return unit.scale / std::pow(system.time_scale, unit.dim.e[Time]);
}

std::string conversion_problem(const Unit& from, std::string_view from_text, const Unit& to, std::string_view to_text) {
  const std::string f(from_text), t(to_text);
  if (from.dim != to.dim) {
    std::string msg = "`" + f + "` is " + describe(from.dim) + ", but the field is in `" + t + "`, " + describe(to.dim);
    // "N*m" for "N/m", and the like: one operator the other way round.
    for (std::size_t i = 0; i < f.size(); ++i) {
      if (f[i] != '*' && f[i] != '/') continue;
      std::string swapped = f;
      swapped[i] = f[i] == '*' ? '/' : '*';
      try {
        if (parse(swapped).dim == to.dim) return msg + " (did you mean `" + swapped + "`?)";
      } catch (const UnitError&) {}
    }
    return msg;
  }
  if (std::abs(from.angle - to.angle) > 1e-9 && (from.cycles || to.cycles))
    return "`" + f + "` and `" + t + "` count " + (from.cycles ? "cycles" : "angle") + " and " +
           (to.cycles ? "cycles" : "angle") +
           ": one cycle is 2*pi rad, so the conversion is ambiguous; give the "
           "value in `" +
           t + "` (a frequency in Hz is an angular velocity in rad/s divided by 2*pi)";
  return {};
}

std::string base_units(const Dimension& d) {
  static const char* names[kBaseCount] = {"m", "kg", "s", "A", "K", "mol", "cd"};
  static const int order[kBaseCount] = {1, 0, 2, 3, 4, 5, 6};  // kg first, as in kg*m/s^2
  std::vector<std::string> num, den;
  for (int k : order) {
    const double x = d.e[k];
    if (std::abs(x) < 1e-9) continue;
    const double a = std::abs(x);
    std::string term = names[k];
    if (std::abs(a - 1) > 1e-9) term += "^" + exponent_text(a);
    (x > 0 ? num : den).push_back(term);
  }
  auto join = [](const std::vector<std::string>& v) {
    std::string s;
    for (const auto& x : v) s += (s.empty() ? "" : "*") + x;
    return s;
  };
  std::string out = num.empty() ? "1" : join(num);
  if (!den.empty()) out += "/" + (den.size() > 1 ? "(" + join(den) + ")" : den[0]);
  return out;
}

std::string si_name(const Dimension& d) {
  const Named* n = find_named(d);
  return n && *n->si ? n->si : base_units(d);
}

std::string quantity_name(const Dimension& d) {
  const Named* n = find_named(d);
  return n ? n->quantity : "";
}

std::string a_quantity(const std::string& q) {
  const bool vowel = !q.empty() && std::string("aeiou").find(q[0]) != std::string::npos;
  return (vowel ? "an " : "a ") + q;
}

std::string describe(const Dimension& d) {
  const std::string name = si_name(d), base = base_units(d), q = quantity_name(d);
  std::string out = name == base ? base : name + " = " + base;
  if (!q.empty() && q != "dimensionless") out = a_quantity(q) + " (" + out + ")";
  else if (q == "dimensionless") out = "dimensionless";
  else out = "in " + out;
  return out;
}

std::vector<UnitInfo> table() {
  std::vector<UnitInfo> out;
  for (const Row& r : rows()) {
    const Dimension d{r.dim};
    out.push_back({r.symbol, r.name, r.scale, r.prefixes, base_units(d), quantity_name(d)});
  }
  return out;
}

const std::vector<std::pair<const char*, double>>& prefixes() {
  // Two-letter prefix first, so "dam" is a decametre; "u" stands for micro where µ cannot be typed.
  static const std::vector<std::pair<const char*, double>> p = {
      {"da", 1e1},  {"Q", 1e30},  {"R", 1e27},  {"Y", 1e24},  {"Z", 1e21}, {"E", 1e18},  {"P", 1e15},
      {"T", 1e12},  {"G", 1e9},   {"M", 1e6},   {"k", 1e3},   {"h", 1e2},  {"d", 1e-1},  {"c", 1e-2},
      {"m", 1e-3},  {"µ", 1e-6},  {"μ", 1e-6},  {"u", 1e-6},  {"n", 1e-9}, {"p", 1e-12}, {"f", 1e-15},
      {"a", 1e-18}, {"z", 1e-21}, {"y", 1e-24}, {"r", 1e-27}, {"q", 1e-30}};
  return p;
}

std::vector<std::string> symbols() {
  std::vector<std::string> out;
  for (const Row& r : rows()) out.push_back(r.symbol);
  return out;
}

}  // namespace numen::units
