// The library operations compiled tapes call, as functions of this build (so compiled results match the
// interpreter's bit for bit): one table for both tape compilers, LLVM natively and WebAssembly in the browser.
#include "expr/libm.h"

#include <cmath>

namespace numen::expr {
namespace {

double jit_pow(double a, double b) { return std::pow(a, b); }
double jit_atan2(double a, double b) { return std::atan2(a, b); }
double jit_hypot(double a, double b) { return std::hypot(a, b); }
double jit_exp(double a) { return std::exp(a); }
double jit_log(double a) { return std::log(a); }
double jit_log10(double a) { return std::log10(a); }
double jit_sin(double a) { return std::sin(a); }
double jit_cos(double a) { return std::cos(a); }
double jit_tan(double a) { return std::tan(a); }
double jit_asin(double a) { return std::asin(a); }
double jit_acos(double a) { return std::acos(a); }
double jit_atan(double a) { return std::atan(a); }
double jit_sinh(double a) { return std::sinh(a); }
double jit_cosh(double a) { return std::cosh(a); }
double jit_tanh(double a) { return std::tanh(a); }

}  // namespace

bool is_libm_binary(Op op) { return op == Op::Pow || op == Op::Atan2 || op == Op::Hypot; }

void* libm_function(Op op) {
  using Unary = double (*)(double);
  using Binary = double (*)(double, double);
  auto unary = [](Unary f) { return reinterpret_cast<void*>(f); };
  auto binary = [](Binary f) { return reinterpret_cast<void*>(f); };
  switch (op) {
    case Op::Pow: return binary(jit_pow);
    case Op::Atan2: return binary(jit_atan2);
    case Op::Hypot: return binary(jit_hypot);
    case Op::Exp: return unary(jit_exp);
    case Op::Log: return unary(jit_log);
    case Op::Log10: return unary(jit_log10);
    case Op::Sin: return unary(jit_sin);
    case Op::Cos: return unary(jit_cos);
    case Op::Tan: return unary(jit_tan);
    case Op::Asin: return unary(jit_asin);
    case Op::Acos: return unary(jit_acos);
    case Op::Atan: return unary(jit_atan);
    case Op::Sinh: return unary(jit_sinh);
    case Op::Cosh: return unary(jit_cosh);
    case Op::Tanh: return unary(jit_tanh);
    default: return nullptr;
  }
}

}  // namespace numen::expr
