#pragma once
// Units: the text of a unit ("kN/m", "J/(kg*K)", "bar", "degC") read into a dimension over the seven SI base
// quantities and a scale to SI, from one table (units.cpp) checked against NIST SP 811 by tests/units/units_test.cpp.
// The lowest stage but common: the value reader, the compiler's dimension check, the plans and the CLI's
// `numen units` all read units here, natively and in WebAssembly alike.
//
// Grammar (also in core/include/numen/model.h and the README):
//   UNIT    := "1" | "%" | [ "1" "/" ] PRODUCT        PRODUCT := FACTOR { ("*" | "/") FACTOR }
//   FACTOR  := ( NAME | "(" PRODUCT ")" ) [ "^" [-] DIGITS [ "." DIGITS ] ]
// A NAME is a unit of the table, or an SI prefix (Q R Y Z E P T G M k h da d c m u µ n p f a z y r q) and a unit
// that takes prefixes ("kN", "mbar", "kWh", "µm"). A name the table holds as it is wins ("min" is a minute, "cd" a
// candela, "nmi" a nautical mile).
//
// Conventions, chosen to catch real mistakes without crying wolf:
// - Plane angle is dimensionless (as in SI): rad/s and 1/s are one dimension, so `omega * t` may be a sine's
//   argument. But 1 Hz is one cycle per second, not one radian per second: converting a value between a unit that
//   counts angle (rad, deg, rev, rpm) and one that counts cycles (Hz) is refused, since the factor 2*pi is not the
//   unit's to decide.
// - Temperatures: degC and degF alone are absolute (20 degC is 293.15 K); inside a compound unit (degC/W, J/degC)
//   they are differences (1 degC/W is 1 K/W).
#include <array>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace numen::units {

enum Base { Length, Mass, Time, Current, Temperature, Amount, Luminosity, kBaseCount };

/// Exponents of the SI base quantities. Powers may be fractional (sqrt(m^2) is m; sqrt(m) is m^0.5).
struct Dimension {
  std::array<double, kBaseCount> e{};

  static Dimension of(Base b, double exponent = 1.0);
  bool dimensionless() const;
  Dimension operator*(const Dimension& o) const;
  Dimension operator/(const Dimension& o) const;
  Dimension pow(double p) const;
  bool operator==(const Dimension& o) const;
  bool operator!=(const Dimension& o) const { return !(*this == o); }
};

/// A unit: SI value = value * scale + offset.
struct Unit {
  Dimension dim;
  double scale = 1.0;
  double offset = 0.0;  ///< non-zero only for a lone degC or degF
  double angle = 0.0;   ///< exponent of plane angle (rad, deg, rev, rpm): dimensionless, kept for conversions
  bool cycles = false;  ///< counts cycles (Hz)
  bool coherent() const { return scale == 1.0 && offset == 0.0; }
};

/// A problem in a unit's text at a byte offset into it.
struct UnitError : std::runtime_error {
  UnitError(int offset, const std::string& message) : std::runtime_error(message), offset(offset) {}
  int offset;
};

/// The unit spelled by text[start..]: the whole rest must be a unit. `normalized`, when given, receives it without
/// spaces ("kg * m" -> "kg*m"). Throws UnitError (offsets into text), for an unknown name with a suggestion.
Unit parse(std::string_view text, std::size_t start = 0, std::string* normalized = nullptr);

/// The model's coherent system: SI, with time counted in `time_unit` (s unless a model says otherwise).
struct System {
  double time_scale = 1.0;  ///< seconds per time unit
};
/// The factor and offset from `unit` into the coherent system: internal = value * factor + offset.
double internal_factor(const Unit& unit, const System& system);

/// Why a value in `from` cannot be given for a field in `to` (another dimension, or angle against cycles), with
/// both in the user's terms and in SI base units; empty when it can.
std::string conversion_problem(const Unit& from, std::string_view from_text, const Unit& to, std::string_view to_text);

/// SI base units of a dimension, as a quotient: "kg/(m*s^2)", "m/s", "1".
std::string base_units(const Dimension& d);
/// The named SI unit of a dimension when there is one ("N", "Pa", "J"), else base_units().
std::string si_name(const Dimension& d);
/// "force", "pressure", "stiffness", ...; empty when the dimension has no common name.
std::string quantity_name(const Dimension& d);
/// "a force", "an area": the quantity with its article.
std::string a_quantity(const std::string& quantity);
/// "N (kg*m/s^2)": the named unit and its base units, or the base units alone.
std::string describe(const Dimension& d);

/// One row of the unit table, for `numen units`, the README and the editor's completion.
struct UnitInfo {
  const char* symbol;
  const char* name;
  double scale;          ///< in SI units of its dimension
  bool prefixes;         ///< takes SI prefixes
  std::string si;        ///< base_units() of its dimension
  std::string quantity;  ///< quantity_name() of its dimension
};
std::vector<UnitInfo> table();
/// The SI prefixes: (symbol, factor).
const std::vector<std::pair<const char*, double>>& prefixes();
/// Every unit symbol of the table (for "did you mean" and completion).
std::vector<std::string> symbols();

}  // namespace numen::units
