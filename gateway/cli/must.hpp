#pragma once
// For command-line code only: the value of a result, or throw its error for main to print.

#include "common/error.hpp"

namespace sluis::cli {

template <class T>
T must(result<T>&& r) {
  if (!r) throw error_exception(r.error());
  return std::move(*r);
}

inline void must(result<void>&& r) {
  if (!r) throw error_exception(r.error());
}

}  // namespace sluis::cli
