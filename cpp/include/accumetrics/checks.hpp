// Input checks run before any state is touched, so a rejected update changes nothing.
// Each returns the index of the first offending element, or -1 when all are valid.
#pragma once

#include <cmath>
#include <limits>
#include <type_traits>

#include "config.hpp"

namespace accumetrics {

namespace detail {

// Scans in blocks with a branch-free reduction (vectorizes), and only looks for
// the exact index inside the first block that failed.
template <class T, class Bad>
index_t first_bad(const T* x, index_t n, Bad bad) {
    constexpr index_t block = 1024;
    for (index_t start = 0; start < n; start += block) {
        index_t end = std::min(n, start + block);
        bool any = false;
        for (index_t i = start; i < end; ++i) any |= bad(x[i]);
        if (any)
            for (index_t i = start; i < end; ++i)
                if (bad(x[i])) return i;
    }
    return -1;
}

}  // namespace detail

// Labels must lie in [0, limit).
template <class T>
ACCUMETRICS_KERNEL index_t first_label_out_of_range(const T* x, index_t n, index_t limit) {
    if constexpr (std::is_floating_point_v<T>) {
        if (limit == 2) return detail::first_bad(x, n, [](T v) { return !((v == T(0)) | (v == T(1))); });
        return detail::first_bad(x, n, [limit](T v) {
            return !((v >= T(0)) & (v < T(limit)) & (v == std::trunc(v)));
        });
    } else {
        return detail::first_bad(x, n, [limit](T v) { return static_cast<std::uint64_t>(v) >= static_cast<std::uint64_t>(limit); });
    }
}

// Scores must be finite (no NaN, no infinity).
template <class T>
ACCUMETRICS_KERNEL index_t first_non_finite(const T* x, index_t n) {
    return detail::first_bad(x, n, [](T v) { return !(std::abs(v) <= std::numeric_limits<T>::max()); });
}

// Weights must be finite; negative weights are valid wherever sums of weights are
// (confusion counts, threshold counts, moments). Rankings need them non-negative too.
template <class T>
ACCUMETRICS_KERNEL index_t first_negative_or_non_finite(const T* x, index_t n) {
    return detail::first_bad(x, n, [](T v) { return !((v >= T(0)) & (v <= std::numeric_limits<T>::max())); });
}

}  // namespace accumetrics
