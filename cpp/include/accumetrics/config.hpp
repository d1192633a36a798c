// Portable attributes shared by the kernels.
#pragma once

#include <cstdint>

// Runtime CPU dispatch: GCC and Clang on x86-64 build each hot kernel three times
// (baseline, AVX2 and AVX-512) and pick one at load time through an ifunc resolver,
// so one binary runs on any x86-64 and uses the widest vectors the CPU has.
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__) && !defined(ACCUMETRICS_NO_DISPATCH) \
    && !defined(__SANITIZE_ADDRESS__)
#define ACCUMETRICS_KERNEL __attribute__((target_clones("avx512f", "avx2", "default")))
#else
#define ACCUMETRICS_KERNEL
#endif

namespace accumetrics {
using index_t = std::int64_t;
}  // namespace accumetrics
