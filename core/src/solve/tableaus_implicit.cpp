// Rosenbrock, ESDIRK, Radau IIA and symplectic coefficients. Sources are cited at each method.
#include "solve/tableaus.h"

#include <cmath>
#include <cstddef>

namespace numen::detail {
namespace {

// Published coefficients, laid out in the rows and columns of their tables: clang-format leaves them as written.
// clang-format off
// Writes value v at (i, j) of an n x n row-major matrix.
void set(std::vector<double>& m, int n, int i, int j, double v) { m[static_cast<std::size_t>(i * n + j)] = v; }

// G. Steinebach, "Construction of Rosenbrock-Wanner method Rodas5P and numerical benchmarks within the Julia
// Differential Equations package", BIT Numerical Mathematics 63 (2023) 27. Coefficients in Hairer's transformed
// form as published there (and as tabulated in OrdinaryDiffEq.jl). Stiffly accurate: b is the last row of a with
// a 1 appended, and the error estimate is the last stage k_8. Dense output of order 4 with three rows H.
RosenbrockTableau rodas5p() {
  constexpr int n = 8;
  RosenbrockTableau t;
  t.name = "Rodas5P";
  t.stages = n;
  t.embedded_order = 4;
  t.gamma = 0.21193756319429014;
  t.a.assign(n * n, 0.0);
  t.C.assign(n * n, 0.0);
  auto A = [&t](int i, int j, double v) { set(t.a, n, i, j, v); };
  auto C = [&t](int i, int j, double v) { set(t.C, n, i, j, v); };
  A(1, 0, 3.0);
  A(2, 0, 2.849394379747939);
  A(2, 1, 0.45842242204463923);
  A(3, 0, -6.954028509809101);
  A(3, 1, 2.489845061869568);
  A(3, 2, -10.358996098473584);
  A(4, 0, 2.8029986275628964);
  A(4, 1, 0.5072464736228206);
  A(4, 2, -0.3988312541770524);
  A(4, 3, -0.04721187230404641);
  const double a6[5] = {-7.502846399306121, 2.561846144803919, -11.627539656261098, -0.18268767659942256,
                        0.030198172008377946};
  for (int i = 5; i < n; ++i)  // rows 6, 7 and 8 share their first five entries
    for (int j = 0; j < 5; ++j) A(i, j, a6[j]);
  A(6, 5, 1.0);
  A(7, 5, 1.0);
  A(7, 6, 1.0);

  C(1, 0, -14.155112264123755);
  C(2, 0, -17.97296035885952);
  C(2, 1, -2.859693295451294);
  C(3, 0, 147.12150275711716);
  C(3, 1, -1.41221402718213);
  C(3, 2, 71.68940251302358);
  C(4, 0, 165.43517024871676);
  C(4, 1, -0.4592823456491126);
  C(4, 2, 42.90938336958603);
  C(4, 3, -5.961986721573306);
  C(5, 0, 24.854864614690072);
  C(5, 1, -3.0009227002832186);
  C(5, 2, 47.4931110020768);
  C(5, 3, 5.5814197821558125);
  C(5, 4, -0.6610691825249471);
  C(6, 0, 30.91273214028599);
  C(6, 1, -3.1208243349937974);
  C(6, 2, 77.79954646070892);
  C(6, 3, 34.28646028294783);
  C(6, 4, -19.097331116725623);
  C(6, 5, -28.087943162872662);
  C(7, 0, 37.80277123390563);
  C(7, 1, -3.2571969029072276);
  C(7, 2, 112.26918849496327);
  C(7, 3, 66.9347231244047);
  C(7, 4, -40.06618937091002);
  C(7, 5, -54.66780262877968);
  C(7, 6, -9.48861652309627);

  t.c = {0.0, 0.6358126895828704, 0.4095798393397535, 0.9769306725060716, 0.4288403609558664, 1.0, 1.0, 1.0};
  t.d = {0.21193756319429014, -0.42387512638858027, -0.3384627126235924, 1.8046452872882734, 2.325825639765069,
         0.0, 0.0, 0.0};
  t.b.assign(t.a.begin() + (n - 1) * n, t.a.end());
  t.b[n - 1] = 1.0;
  t.btilde.assign(n, 0.0);
  t.btilde[n - 1] = 1.0;
  t.dense_rows = 3;
  t.H = {
      25.948786856663858, -2.5579724845846235, 10.433815404888879, -2.3679251022685204,  // K_0
      0.524948541321073, 1.1241088310450404, 0.4272876194431874, -0.17202221070155493,
      -9.91568850695171, -0.9689944594115154, 3.0438037242978453, -24.495224566215796,  // K_1
      20.176138334709044, 15.98066361424651, -6.789040303419874, -6.710236069923372,
      11.419903575922262, 2.8879645146136994, 72.92137995996029, 80.12511834622643,  // K_2
      -52.072871366152654, -59.78993625266729, -0.15582684282751913, 4.883087185713722,
  };
  return t;
}

// E. Hairer, G. Wanner, "Solving Ordinary Differential Equations II: Stiff and Differential-Algebraic Problems",
// 2nd ed., Springer (1996), Sect. VI.4, method RODAS (code RODAS, METH = 1), with its dense output (coefficients
// d_ij of the continuous extension). Stiffly accurate: b is the last row of a with a 1 appended, and the error
// estimate is the last stage k_6. Dense output of order 3 with two rows H.
RosenbrockTableau rodas4() {
  constexpr int n = 6;
  RosenbrockTableau t;
  t.name = "Rodas4";
  t.stages = n;
  t.embedded_order = 3;
  t.gamma = 0.25;
  t.a.assign(n * n, 0.0);
  t.C.assign(n * n, 0.0);
  auto A = [&t](int i, int j, double v) { set(t.a, n, i, j, v); };
  auto C = [&t](int i, int j, double v) { set(t.C, n, i, j, v); };
  A(1, 0, 1.544);
  A(2, 0, 0.9466785280815826);
  A(2, 1, 0.2557011698983284);
  A(3, 0, 3.314825187068521);
  A(3, 1, 2.896124015972201);
  A(3, 2, 0.9986419139977817);
  const double a5[4] = {1.221224509226641, 6.019134481288629, 12.53708332932087, -0.687886036105895};
  for (int i = 4; i < n; ++i)  // rows 5 and 6 share their first four entries
    for (int j = 0; j < 4; ++j) A(i, j, a5[j]);
  A(5, 4, 1.0);

  C(1, 0, -5.6688);
  C(2, 0, -2.430093356833875);
  C(2, 1, -0.2063599157091915);
  C(3, 0, -0.1073529058151375);
  C(3, 1, -9.594562251023355);
  C(3, 2, -20.47028614809616);
  C(4, 0, 7.496443313967647);
  C(4, 1, -10.24680431464352);
  C(4, 2, -33.99990352819905);
  C(4, 3, 11.7089089320616);
  C(5, 0, 8.083246795921522);
  C(5, 1, -7.981132988064893);
  C(5, 2, -31.52159432874371);
  C(5, 3, 16.31930543123136);
  C(5, 4, -6.058818238834054);

  t.c = {0.0, 0.386, 0.21, 0.63, 1.0, 1.0};
  t.d = {0.25, -0.1043, 0.1035, -0.0362, 0.0, 0.0};
  t.b.assign(t.a.begin() + (n - 1) * n, t.a.end());
  t.b[n - 1] = 1.0;
  t.btilde.assign(n, 0.0);
  t.btilde[n - 1] = 1.0;
  t.dense_rows = 2;
  t.H = {
      10.12623508344586,   -7.487995877610167, -34.80091861555747, -7.992771707568823, 1.025137723295662,  0.0,  // K_0
      -0.6762803392801253, 6.087714651680015,  16.43084320892478,  24.76722511418386,  -6.594389125716872, 0.0,  // K_1
  };
  return t;
}

// M. E. Hosea, L. F. Shampine, "Analysis and implementation of TR-BDF2", Applied Numerical Mathematics 20 (1996)
// 21-37. With gamma = 2 - sqrt(2), d = gamma/2, w = sqrt(2)/4 the step is the ESDIRK
//   c = (0, gamma, 1),  a = [[0, 0, 0], [d, d, 0], [w, w, d]],  b = (w, w, d)  (stiffly accurate),
// (trapezoidal rule to t + gamma h, then BDF2 through t, t + gamma h, t + h). Their third-order companion has
// weights bhat = ((1 - w)/3, (3w + 1)/3, d/3); the error estimate is err = h sum (b_i - bhat_i) f_i (the sign of
// the paper's bhat - b flipped to the b - bhat of every other tableau: a norm does not see it), i.e.
// btilde = ((sqrt(2) - 1)/3, -1/3, (2 - sqrt(2))/3). Hosea & Shampine filter this estimate by (I - d h J)^{-1};
// btilde here is the unfiltered estimate, and the stepper does not apply that filter. No dense polynomial:
// cubic Hermite.
DirkTableau trbdf2() {
  DirkTableau t;
  t.name = "TRBDF2";
  t.stages = 3;
  t.embedded_order = 3;
  t.explicit_first = true;
  t.stiffly_accurate = true;
  constexpr double gamma = 0.58578643762690495;  // 2 - sqrt(2)
  constexpr double d = 0.29289321881345248;      // 1 - sqrt(2)/2
  constexpr double w = 0.35355339059327376;      // sqrt(2)/4
  t.a = {
      0.0, 0.0, 0.0,  //
      d,   d,   0.0,  //
      w,   w,   d,    //
  };
  t.b = {w, w, d};
  t.btilde = {0.13807118745769835, -0.33333333333333333, 0.19526214587563498};
  t.c = {0.0, gamma, 1.0};
  return t;
}

// C. A. Kennedy, M. H. Carpenter, "Additive Runge-Kutta schemes for convection-diffusion-reaction equations",
// Applied Numerical Mathematics 44 (2003) 139-181: ARK4(3)6L[2]SA, implicit (ESDIRK) part, gamma = 1/4. The paper
// gives the coefficients as rationals; btilde = b - bhat reduced exactly. Dense output: the paper's third-order
// continuous extension b_i(theta) = sum_{j=1..3} b*_ij theta^j.
DirkTableau kencarp4() {
  constexpr int n = 6;
  DirkTableau t;
  t.name = "KenCarp4";
  t.stages = n;
  t.embedded_order = 3;
  t.explicit_first = true;
  t.stiffly_accurate = true;
  t.a.assign(n * n, 0.0);
  auto A = [&t](int i, int j, double v) { set(t.a, n, i, j, v); };
  constexpr double g = 1.0 / 4.0;
  A(1, 0, g);
  A(1, 1, g);
  A(2, 0, 8611.0 / 62500.0);
  A(2, 1, -1743.0 / 31250.0);
  A(2, 2, g);
  A(3, 0, 5012029.0 / 34652500.0);
  A(3, 1, -654441.0 / 2922500.0);
  A(3, 2, 174375.0 / 388108.0);
  A(3, 3, g);
  A(4, 0, 15267082809.0 / 155376265600.0);
  A(4, 1, -71443401.0 / 120774400.0);
  A(4, 2, 730878875.0 / 902184768.0);
  A(4, 3, 2285395.0 / 8070912.0);
  A(4, 4, g);
  A(5, 0, 82889.0 / 524892.0);
  A(5, 1, 0.0);
  A(5, 2, 15625.0 / 83664.0);
  A(5, 3, 69875.0 / 102672.0);
  A(5, 4, -2260.0 / 8211.0);
  A(5, 5, g);
  t.b.assign(t.a.begin() + (n - 1) * n, t.a.end());
  // bhat = (4586570599/29645900160, 0, 178811875/945068544, 814220225/1159782912, -3700637/11593932, 61727/225920)
  t.btilde = {31666707.0 / 9881966720.0, 0.0, -256875.0 / 105007616.0, -2768025.0 / 128864768.0,
              169839.0 / 3864644.0, -5247.0 / 225920.0};
  t.c = {0.0, 1.0 / 2.0, 83.0 / 250.0, 31.0 / 50.0, 17.0 / 20.0, 1.0};
  t.dense_degree = 3;
  t.r = {
      6943876665148.0 / 7220017795957.0,   -54480133.0 / 30881146.0, 6818779379841.0 / 7100303317025.0,    // b1
      0.0,                                 0.0,                      0.0,                                  // b2
      7640104374378.0 / 9702883013639.0,   -11436875.0 / 14766696.0, 2173542590792.0 / 12501825683035.0,   // b3
      -20649996744609.0 / 7521556579894.0, 174696575.0 / 18121608.0, -31592104683404.0 / 5083833661969.0,  // b4
      8854892464581.0 / 2390941311638.0,   -12120380.0 / 966161.0,   61146701046299.0 / 7138195549469.0,   // b5
      -11397109935349.0 / 6675773540249.0, 3843.0 / 706.0,           -17219254887155.0 / 4939391667607.0,  // b6
  };
  return t;
}

// Radau IIA, 3 stages, order 5: E. Hairer, G. Wanner, "Solving Ordinary Differential Equations II", 2nd ed.,
// Springer (1996), Sect. IV.5 (c and A of the order-5 Radau IIA method) and Sect. IV.8 with the code RADAU5
// (radau5.f, subroutine RADCOR) for the transformation: T, TI = T^-1 and the eigenvalues of A^-1 (gamma real,
// alpha +- i beta) exactly as RADCOR's constants, and the error estimate's DD1, DD2, DD3 (here e; the 1 / h of
// ESTRAD's HEE = DD / H is applied by the stepper).
RadauTableau radau_iia5() {
  const double s6 = std::sqrt(6.0);
  const double cbrt81 = std::cbrt(81.0), cbrt9 = std::cbrt(9.0);
  RadauTableau t;
  t.name = "RadauIIA5";
  t.c = {(4 - s6) / 10, (4 + s6) / 10, 1.0};
  t.a = {(88 - 7 * s6) / 360,    (296 - 169 * s6) / 1800, (-2 + 3 * s6) / 225,
         (296 + 169 * s6) / 1800, (88 + 7 * s6) / 360,    (-2 - 3 * s6) / 225,
         (16 - s6) / 36,          (16 + s6) / 36,          1.0 / 9};
  // RADCOR: U1 = (6 + 81^(1/3) - 9^(1/3)) / 30 and ALPH +- i BETA are the eigenvalues of A; their inverses are A^-1's.
  const double u1 = (6 + cbrt81 - cbrt9) / 30;
  const double alph = (12 - cbrt81 + cbrt9) / 60, beta = (cbrt81 + cbrt9) * std::sqrt(3.0) / 60;
  const double cno = alph * alph + beta * beta;
  t.gamma = 1 / u1;
  t.alpha = alph / cno;
  t.beta = beta / cno;
  t.T = {9.1232394870892942792e-02, -0.14125529502095420843, -3.0029194105147424492e-02,
         0.24171793270710701896,    0.20412935229379993199,  0.38294211275726193779,
         0.96604818261509293619,    1.0,                     0.0};
  t.TI = {4.3255798900631553510,   0.33919925181580986954, 0.54177053993587487119,
          -4.1787185915519047273,  -0.32768282076106238708, 0.47662355450055045196,
          -0.50287263494578687595, 2.5719269498556054292,  -0.59603920482822492497};
  t.e = {-(13 + 7 * s6) / 3, (-13 + 7 * s6) / 3, -1.0 / 3};
  return t;
}

// Velocity Verlet (Stoermer-Verlet, kick-drift-kick form); order 2. See e.g. E. Hairer, C. Lubich, G. Wanner,
// "Geometric numerical integration", 2nd ed., Springer (2006), Sect. I.3. The second half kick is stage 2's kick.
SymplecticTableau velocity_verlet() {
  SymplecticTableau t;
  t.name = "VelocityVerlet";
  t.kick = {0.5, 0.5};
  t.drift = {1.0, 0.0};
  return t;
}

// R. I. McLachlan, P. Atela, "The accuracy of symplectic integrators", Nonlinearity 5 (1992) 541-562: the
// six-stage fifth-order method for H = T(p) + V(q); coefficients a_i, b_i as tabulated there and in OrdinaryDiffEq.jl
// (McAte5). Their map is p_i = p_{i-1} - b_i h V'(q_{i-1}), q_i = q_{i-1} + a_i h T'(p_i): kick with b_i, then drift
// with a_i, i.e. kick = {b_1..b_6}, drift = {a_1..a_6} in our stages. (OrdinaryDiffEq.jl's generic step applies
// drift(b_i) before kick(a_i); transcribed that way the scheme is only fourth order on the pendulum and third on
// Kepler, fifth only on linear problems. The assignment here is fifth order (checked numerically).)
SymplecticTableau mcate5() {
  SymplecticTableau t;
  t.name = "McAte5";
  t.kick = {0.1193900292875672758, 0.6989273703824752308,  -0.1713123582716007754,  // b_1 .. b_3
            0.401269502251353448,  0.010705081848235984,   -0.0589796254980311632}; // b_4 .. b_6
  t.drift = {0.33983962583911,      -0.088601336903027329, 0.5858564768259621188,    // a_1 .. a_3
             -0.603039356536491888, 0.3235807965546976394, 0.4423637942197494587};   // a_4 .. a_6
  return t;
}

// W. Kahan, R.-C. Li, "Composition constants for raising the orders of unconventional schemes for ordinary
// differential equations", Mathematics of Computation 66 (1997) 1089-1099: the symmetric 9-fold composition of
// order 6 (s9odr6a) of Stoermer-Verlet (drift-kick-drift) with weights w_1..w_5..w_1. Composed, the step is
// drift(w_1/2) kick(w_1) drift((w_1+w_2)/2) kick(w_2) ... kick(w_1) drift(w_1/2); in kick-then-drift stages
// (leading zero kick) this is kick {0, w_1, ..., w_5, ..., w_1}, drift {w_1/2, (w_1+w_2)/2, ..., w_1/2}.
SymplecticTableau kahan_li6() {
  constexpr double w1 = 0.39216144400731413927925056;
  constexpr double w2 = 0.33259913678935943859974864;
  constexpr double w3 = -0.70624617255763935980996482;
  constexpr double w4 = 0.08221359629355080023149045;
  constexpr double w5 = 0.79854399093482996339895035;
  SymplecticTableau t;
  t.name = "KahanLi6";
  t.kick = {0.0, w1, w2, w3, w4, w5, w4, w3, w2, w1};
  t.drift = {w1 / 2,        (w1 + w2) / 2, (w2 + w3) / 2, (w3 + w4) / 2, (w4 + w5) / 2,
             (w5 + w4) / 2, (w4 + w3) / 2, (w3 + w2) / 2, (w2 + w1) / 2, w1 / 2};
  return t;
}

// clang-format on
}  // namespace

const RosenbrockTableau* find_rosenbrock_tableau(std::string_view name) {
  static const std::vector<RosenbrockTableau> all = {rodas5p(), rodas4()};  // add new tableaus here
  for (const RosenbrockTableau& t : all)
    if (t.name == name) return &t;
  return nullptr;
}

const DirkTableau* find_dirk_tableau(std::string_view name) {
  static const std::vector<DirkTableau> all = {trbdf2(), kencarp4()};  // add new tableaus here
  for (const DirkTableau& t : all)
    if (t.name == name) return &t;
  return nullptr;
}

const RadauTableau* find_radau_tableau(std::string_view name) {
  static const std::vector<RadauTableau> all = {radau_iia5()};  // add new tableaus here
  for (const RadauTableau& t : all)
    if (t.name == name) return &t;
  return nullptr;
}

const SymplecticTableau* find_symplectic_tableau(std::string_view name) {
  // add new tableaus here
  static const std::vector<SymplecticTableau> all = {velocity_verlet(), mcate5(), kahan_li6()};
  for (const SymplecticTableau& t : all)
    if (t.name == name) return &t;
  return nullptr;
}

}  // namespace numen::detail
