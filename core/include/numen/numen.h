#pragma once
// Everything a client of the Numen core needs: compile a model, solve it, read the solution.
#include "numen/characterize.h"
#include "numen/diagnostic.h"
#include "numen/json.h"
#include "numen/methods.h"
#include "numen/model.h"
#include "numen/options.h"
#include "numen/problem.h"
#include "numen/solve.h"
#include "numen/version.h"
