#include "numen/problem.h"

namespace numen {

SparsityPattern SparsityPattern::dense(int n) {
  SparsityPattern p;
  p.n = n;
  p.col_start.resize(static_cast<std::size_t>(n) + 1);
  for (int j = 0; j <= n; ++j) p.col_start[static_cast<std::size_t>(j)] = j * n;
  p.row_index.reserve(static_cast<std::size_t>(n) * static_cast<std::size_t>(n));
  for (int j = 0; j < n; ++j)
    for (int i = 0; i < n; ++i) p.row_index.push_back(i);
  return p;
}

}  // namespace numen
