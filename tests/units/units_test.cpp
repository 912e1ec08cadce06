// The unit table against published conversion factors, the grammar, and the rules for temperatures and angles.
#include "units/units.h"

#include <gtest/gtest.h>

#include <cmath>

namespace numen::units {
namespace {

constexpr double kPi = 3.14159265358979323846;

// NIST Special Publication 811 (2008 edition), appendix B.8 "Factors for units listed alphabetically", transcribed:
// (unit as numen spells it, factor to SI as printed there, the SI unit). NIST prints seven significant digits for
// inexact factors, so they are compared to 5e-7 relative; exact ones (in, ft, lb, ...) must match to the last bit
// but for rounding of the product (1e-15).
struct Published {
  const char* unit;
  double factor;
  const char* si;
  bool exact;
};
const Published kNist811[] = {
    {"in", 2.54e-2, "m", true},
    {"ft", 3.048e-1, "m", true},
    {"yd", 9.144e-1, "m", true},
    {"mi", 1.609344e3, "m", true},
    {"nmi", 1.852e3, "m", true},
    {"lb", 4.5359237e-1, "kg", true},
    {"lbf", 4.448222e0, "N", false},
    {"kgf", 9.80665e0, "N", true},
    {"psi", 6.894757e3, "Pa", false},
    {"atm", 1.01325e5, "Pa", true},
    {"bar", 1.0e5, "Pa", true},
    {"Torr", 1.333224e2, "Pa", false},
    {"mmHg", 1.333224e2, "Pa", false},
    {"gal", 3.785412e-3, "m^3", false},
    {"L", 1.0e-3, "m^3", true},
    {"cal", 4.184e0, "J", true},
    {"BTU", 1.055056e3, "J", false},
    {"kWh", 3.6e6, "J", true},
    {"eV", 1.602176e-19, "J", false},
    {"hp", 7.456999e2, "W", false},
    {"mph", 4.4704e-1, "m/s", true},
    {"kn", 5.144444e-1, "m/s", false},
    {"gn", 9.80665e0, "m/s^2", true},
    {"deg", 1.745329e-2, "rad", false},
    {"rev", 6.283185e0, "rad", false},
    {"rpm", 1.047198e-1, "rad/s", false},
    {"min", 6.0e1, "s", true},
    {"h", 3.6e3, "s", true},
    {"d", 8.64e4, "s", true},
    {"t", 1.0e3, "kg", true},
    {"degR", 5.555556e-1, "K", false},
    // Not in SP 811's list: the Julian year of astronomy (IAU), 365.25 days exactly.
    {"yr", 3.15576e7, "s", true},
};

TEST(Units, EveryPublishedFactorMatchesTheTable) {
  for (const Published& p : kNist811) {
    const Unit u = parse(p.unit);
    const Unit si = parse(p.si);
    EXPECT_EQ(u.dim, si.dim) << p.unit << " is not in " << p.si;
    const double factor = u.scale / si.scale;
    EXPECT_NEAR(factor, p.factor, (p.exact ? 1e-15 : 5e-7) * p.factor) << p.unit;
  }
}

TEST(Units, DerivedUnitsAreTheProductsOfTheirBaseUnits) {
  EXPECT_EQ(parse("N").dim, parse("kg*m/s^2").dim);
  EXPECT_EQ(parse("Pa").dim, parse("N/m^2").dim);
  EXPECT_EQ(parse("J").dim, parse("N*m").dim);
  EXPECT_EQ(parse("W").dim, parse("J/s").dim);
  EXPECT_EQ(parse("V").dim, parse("W/A").dim);
  EXPECT_EQ(parse("Ohm").dim, parse("V/A").dim);
  EXPECT_EQ(parse("Ω").dim, parse("Ohm").dim);
  EXPECT_EQ(parse("F").dim, parse("C/V").dim);
  EXPECT_EQ(parse("H").dim, parse("Wb/A").dim);
  EXPECT_EQ(parse("T").dim, parse("Wb/m^2").dim);
  EXPECT_EQ(parse("S").dim, parse("1/Ohm").dim);
  EXPECT_EQ(parse("Hz").dim, parse("1/s").dim);
  EXPECT_EQ(parse("psi").dim, parse("lbf/in^2").dim);
  EXPECT_DOUBLE_EQ(parse("psi").scale, parse("lbf/in^2").scale);
  // Every row says its SI unit, and says it right.
  for (const UnitInfo& row : table()) EXPECT_EQ(row.si, base_units(parse(row.symbol).dim)) << row.symbol;
}

TEST(Units, PrefixesScaleUnitsThatTakeThem) {
  EXPECT_DOUBLE_EQ(parse("kN/m").scale, 1e3);
  EXPECT_DOUBLE_EQ(parse("N/mm").scale, 1e3);
  EXPECT_DOUBLE_EQ(parse("mbar").scale, 1e2);
  EXPECT_DOUBLE_EQ(parse("µm").scale, 1e-6);
  EXPECT_DOUBLE_EQ(parse("μm").scale, 1e-6);  // Greek mu as well as the micro sign
  EXPECT_DOUBLE_EQ(parse("um").scale, 1e-6);
  EXPECT_DOUBLE_EQ(parse("mL").scale, 1e-6);
  EXPECT_DOUBLE_EQ(parse("dam").scale, 10);
  EXPECT_DOUBLE_EQ(parse("kg").scale, 1);
  EXPECT_DOUBLE_EQ(parse("mg").scale, 1e-6);
  EXPECT_DOUBLE_EQ(parse("GPa").scale, 1e9);
  EXPECT_DOUBLE_EQ(parse("ms").scale, 1e-3);
  EXPECT_NEAR(parse("km/h").scale, 1 / 3.6, 1e-16);
  // A name the table holds as it is wins over prefix + unit.
  EXPECT_DOUBLE_EQ(parse("min").scale, 60);               // not milli-inch
  EXPECT_EQ(parse("cd").dim, Dimension::of(Luminosity));  // not centi-day
  EXPECT_DOUBLE_EQ(parse("nmi").scale, 1852);             // not nano-mile
}

TEST(Units, TheGrammarReadsProductsQuotientsPowersAndParentheses) {
  std::string text;
  EXPECT_EQ(parse("J / (kg * K)", 0, &text).dim, parse("m^2/(s^2*K)").dim);
  EXPECT_EQ(text, "J/(kg*K)");
  EXPECT_EQ(parse("1/s").dim, Dimension::of(Time, -1));
  EXPECT_EQ(parse("s^-1").dim, Dimension::of(Time, -1));
  EXPECT_EQ(parse("m^0.5").dim, Dimension::of(Length, 0.5));
  EXPECT_EQ(parse("1").dim, Dimension{});
  EXPECT_DOUBLE_EQ(parse("%").scale, 0.01);
  EXPECT_DOUBLE_EQ(parse("kg*m^2").scale, 1);
  EXPECT_DOUBLE_EQ(parse("(km/h)^2").scale, 1 / (3.6 * 3.6));
}

TEST(Units, TemperaturesAreAbsoluteAloneAndDifferencesInCompounds) {
  const Unit c = parse("degC"), f = parse("degF"), deg = parse("°C");
  EXPECT_DOUBLE_EQ(20 * c.scale + c.offset, 293.15);
  EXPECT_DOUBLE_EQ(deg.offset, c.offset);
  EXPECT_NEAR(212 * f.scale + f.offset, 373.15, 1e-12);                    // water boils
  EXPECT_NEAR(-40 * f.scale + f.offset, -40 * c.scale + c.offset, 1e-12);  // where the scales meet
  EXPECT_EQ(parse("degC/W").offset, 0.0);
  EXPECT_EQ(parse("J/degC").offset, 0.0);
  EXPECT_EQ(parse("degC^1").offset, 0.0);
  EXPECT_EQ(parse("degC/W").dim, parse("K/W").dim);
}

TEST(Units, AnglesAreDimensionlessButNotConvertedToCycles) {
  EXPECT_EQ(parse("rad/s").dim, parse("Hz").dim);
  EXPECT_TRUE(conversion_problem(parse("rpm"), "rpm", parse("rad/s"), "rad/s").empty());
  EXPECT_NEAR(3000 * parse("rpm").scale, 3000 * 2 * kPi / 60, 1e-12);
  EXPECT_TRUE(conversion_problem(parse("deg"), "deg", parse("rad"), "rad").empty());
  EXPECT_TRUE(conversion_problem(parse("rad/s"), "rad/s", parse("1/s"), "1/s").empty());
  const std::string rpm_hz = conversion_problem(parse("rpm"), "rpm", parse("Hz"), "Hz");
  EXPECT_NE(rpm_hz.find("2*pi"), std::string::npos) << rpm_hz;
  EXPECT_FALSE(conversion_problem(parse("Hz"), "Hz", parse("rad/s"), "rad/s").empty());
  EXPECT_TRUE(conversion_problem(parse("kHz"), "kHz", parse("1/s"), "1/s").empty());
}

TEST(Units, AnotherDimensionIsRefusedWithBothUnitsAndAFix) {
  const std::string p = conversion_problem(parse("N*m"), "N*m", parse("N/m"), "N/m");
  EXPECT_NE(p.find("energy or torque"), std::string::npos) << p;
  EXPECT_NE(p.find("stiffness"), std::string::npos) << p;
  EXPECT_NE(p.find("did you mean `N/m`?"), std::string::npos) << p;
  EXPECT_NE(conversion_problem(parse("kg"), "kg", parse("N"), "N").find("kg*m/s^2"), std::string::npos);
}

int error_offset(const char* text, std::string* message) {
  try {
    parse(text);
  } catch (const UnitError& e) {
    *message = e.what();
    return e.offset;
  }
  ADD_FAILURE() << "no error for " << text;
  return -1;
}

TEST(Units, UnknownNamesAreErrorsAtTheirPlaceWithASuggestion) {
  std::string m;
  EXPECT_EQ(error_offset("kg/pa", &m), 3);
  EXPECT_NE(m.find("did you mean `Pa`?"), std::string::npos) << m;
  EXPECT_EQ(error_offset("Nm", &m), 0);
  EXPECT_NE(m.find("did you mean `N*m`?"), std::string::npos) << m;
  EXPECT_EQ(error_offset("KN", &m), 0);
  EXPECT_NE(m.find("did you mean `kN`?"), std::string::npos) << m;
  EXPECT_EQ(error_offset("m/secs", &m), 2);
  EXPECT_NE(m.find("unknown unit `secs`"), std::string::npos) << m;
  EXPECT_EQ(error_offset("kmin", &m), 0);
  EXPECT_NE(m.find("takes no SI prefix"), std::string::npos) << m;
  EXPECT_EQ(error_offset("m^", &m), 2);
  EXPECT_EQ(error_offset("(m", &m), 2);
  EXPECT_EQ(error_offset("2/s", &m), 0);
  EXPECT_EQ(error_offset("m s", &m), 2);
}

TEST(Units, DimensionsAreNamedForMessages) {
  EXPECT_EQ(si_name(parse("kg*m/s^2").dim), "N");
  EXPECT_EQ(base_units(parse("Pa").dim), "kg/(m*s^2)");
  EXPECT_EQ(base_units(parse("m/s").dim), "m/s");
  EXPECT_EQ(quantity_name(parse("N/m").dim), "stiffness (force per length)");
  EXPECT_EQ(base_units(Dimension{}), "1");
}

}  // namespace
}  // namespace numen::units
