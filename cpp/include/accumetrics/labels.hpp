// Branch-free label decoding shared by the kernels: an invalid label maps to an
// out-of-range index, which the kernels route to a discard cell, so bad input in
// an update that ignores it can never write outside the table.
#pragma once

#include <cstdint>
#include <type_traits>

#include "config.hpp"

namespace accumetrics::detail {

// The index of a label in [0, limit), or `limit` when it lies outside.
template <class T>
inline index_t class_index(T v, index_t limit) {
    if constexpr (std::is_floating_point_v<T>) {
        bool ok = v >= T(0) && v < T(limit);
        return ok ? static_cast<index_t>(v) : limit;
    } else {
        auto u = static_cast<std::uint64_t>(static_cast<std::int64_t>(v));
        return u < static_cast<std::uint64_t>(limit) ? static_cast<index_t>(u) : limit;
    }
}

// 0 or 1 for a binary label, 2 for anything else.
template <class T>
inline index_t binary_label(T v) {
    if constexpr (std::is_floating_point_v<T>) {
        const bool one = v == T(1), zero = v == T(0);
        return index_t(one) + 2 * index_t(!(one | zero));
    } else {
        return class_index(v, 2);
    }
}

}  // namespace accumetrics::detail
