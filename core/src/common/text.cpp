#include "common/text.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace numen::text {

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i]))) return false;
  return true;
}

int edit_distance(std::string_view a_in, std::string_view b_in) {
  const std::string a = lower(a_in), b = lower(b_in);
  const std::size_t n = a.size(), m = b.size();
  std::vector<std::vector<int>> d(n + 1, std::vector<int>(m + 1));
  for (std::size_t i = 0; i <= n; ++i) d[i][0] = static_cast<int>(i);
  for (std::size_t j = 0; j <= m; ++j) d[0][j] = static_cast<int>(j);
  for (std::size_t i = 1; i <= n; ++i) {
    for (std::size_t j = 1; j <= m; ++j) {
      const int cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[n][m];
}

std::string closest(std::string_view word, const std::vector<std::string>& candidates) {
  if (word.empty() || word.size() > 200) return {};
  std::string best;
  int best_distance = 1 << 30;
  for (const std::string& c : candidates) {
    if (c.size() > 200) continue;
    const int d = edit_distance(word, c);
    if (d < best_distance) {
      best_distance = d;
      best = c;
    }
  }
  // Allow roughly one typo per three characters, at least one: "velocty" -> "velocity", but "x" is not "k".
  const int allowed = std::max<int>(1, static_cast<int>(word.size()) / 3);
  if (best.empty() || best_distance > allowed || best_distance >= static_cast<int>(std::max(word.size(), best.size())))
    return {};
  return best;
}

std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates) {
  const std::string c = closest(word, candidates);
  return c.empty() ? std::string() : " (did you mean `" + c + "`?)";
}

std::string quoted_list(const std::vector<std::string>& items, std::size_t limit) {
  std::string out;
  for (std::size_t i = 0; i < items.size() && i < limit; ++i) {
    if (i) out += ", ";
    out += "`" + items[i] + "`";
  }
  if (items.size() > limit) out += ", ... (" + std::to_string(items.size() - limit) + " more)";
  if (items.empty()) out = "(none)";
  return out;
}

namespace {

#if defined(__cpp_lib_to_chars) && __cpp_lib_to_chars >= 201611L
// format_number's text from std::to_chars's shortest digits, ten times faster than the search below (a CSV file is
// many numbers). The search's result is %.Pg for the first precision P that reads back, P from 15 (normal) or 1
// (subnormal): the shortest digits, which to_chars gives (the closest decimal of that length, as %g's rounding is),
// laid out as %g lays out P digits: fixed notation when -4 <= exponent < P, else d.ddde+XX; no trailing zeros.
// Where the standard library has no floating-point to_chars (emscripten's), the search runs; a test holds the two
// equal.
std::string format_shortest(double value) {
  char sci[40];
  char* const end = std::to_chars(sci, sci + sizeof sci - 1, value, std::chars_format::scientific).ptr;
  *end = '\0';  // to_chars does not terminate; atoi below reads to the end
  const char* p = sci;
  std::string out;
  if (*p == '-') out += *p++;
  std::string digits;
  for (; p < end && *p != 'e'; ++p)
    if (*p != '.') digits += *p;
  const int exponent = std::atoi(p + 1);  // to_chars writes e+XX or e-XX
  const int length = static_cast<int>(digits.size());
  const int precision = std::isnormal(value) ? std::max(15, length) : length;
  if (exponent >= -4 && exponent < precision) {
    if (exponent < 0) {
      out += "0.";
      out.append(static_cast<std::size_t>(-exponent - 1), '0');
      out += digits;
    } else if (length <= exponent + 1) {
      out += digits;
      out.append(static_cast<std::size_t>(exponent + 1 - length), '0');
    } else {
      out.append(digits, 0, static_cast<std::size_t>(exponent + 1));
      out += '.';
      out.append(digits, static_cast<std::size_t>(exponent + 1), std::string::npos);
    }
    return out;
  }
  out += digits[0];
  if (length > 1) out += '.' + digits.substr(1);
  char tail[16];
  std::snprintf(tail, sizeof tail, "e%c%02d", exponent < 0 ? '-' : '+', std::abs(exponent));
  return out + tail;
}
#endif

}  // namespace

std::string format_number_by_search(double value) {
  if (std::isnan(value)) return "nan";
  if (std::isinf(value)) return value > 0 ? "inf" : "-inf";
  char buf[40];
  // The shortest %g precision that reads back. A normal double has at most one decimal of 15 or fewer significant
  // digits that reads back to it (such decimals are 1e-15 apart relative, doubles 2.2e-16), and %.15g writes it
  // without trailing zeros, as a shorter precision would: so the search starts at 15, 4 times fewer tries per
  // number (CSV files are many numbers). Subnormals have fewer digits of precision and are searched from 1.
  for (int precision = std::isnormal(value) ? 15 : 1; precision <= 17; ++precision) {
    std::snprintf(buf, sizeof buf, "%.*g", precision, value);
    if (std::strtod(buf, nullptr) == value) break;
  }
  // %g writes 20 as "2e+01"; whole numbers of up to 15 digits read better written out.
  if (std::strchr(buf, 'e') && value == std::floor(value) && std::abs(value) < 1e15)
    std::snprintf(buf, sizeof buf, "%.0f", value);
  return buf;
}

std::string format_number(double value) {
#if defined(__cpp_lib_to_chars) && __cpp_lib_to_chars >= 201611L
  // A whole number below 1e15 never reaches the search's "%.0f": it has at most 15 digits, so %.15g writes it fixed.
  if (std::isfinite(value)) return format_shortest(value);
#endif
  return format_number_by_search(value);
}

std::string sibling_path(std::string_view from_file, std::string_view relative) {
  if (!relative.empty() && relative.front() == '/') return std::string(relative);
  const auto slash = from_file.rfind('/');
  std::string joined = slash == std::string_view::npos
                           ? std::string(relative)
                           : std::string(from_file.substr(0, slash + 1)) + std::string(relative);
  const bool absolute = !joined.empty() && joined.front() == '/';
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (start <= joined.size()) {
    std::size_t end = joined.find('/', start);
    if (end == std::string::npos) end = joined.size();
    const std::string part = joined.substr(start, end - start);
    if (part == "..") {
      if (!parts.empty() && parts.back() != "..") parts.pop_back();
      else if (!absolute) parts.push_back(part);
    } else if (!part.empty() && part != ".") {
      parts.push_back(part);
    }
    start = end + 1;
  }
  std::string out = absolute ? "/" : "";
  for (std::size_t i = 0; i < parts.size(); ++i) out += (i ? "/" : "") + parts[i];
  return out.empty() ? "." : out;
}

std::string relative_path(std::string_view base, std::string_view path) {
  if (path.empty() || path.front() == '/' || base.empty() || base == ".") return std::string(path);
  auto split = [](std::string_view s) {
    std::vector<std::string> parts;
    std::size_t start = 0;
    while (start <= s.size()) {
      std::size_t end = s.find('/', start);
      if (end == std::string_view::npos) end = s.size();
      if (end > start) parts.emplace_back(s.substr(start, end - start));
      start = end + 1;
    }
    return parts;
  };
  const std::vector<std::string> b = split(base), p = split(path);
  std::size_t common = 0;
  while (common < b.size() && common < p.size() && b[common] == p[common] && b[common] != "..") ++common;
  std::string out;
  for (std::size_t i = common; i < b.size(); ++i) out += "../";
  for (std::size_t i = common; i < p.size(); ++i) out += p[i] + (i + 1 < p.size() ? "/" : "");
  return out.empty() ? "." : out;
}

std::string fnv1a64(std::string_view bytes) {
  std::uint64_t h = 1469598103934665603ULL;
  for (unsigned char c : bytes) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  return buf;
}

}  // namespace numen::text
