// Portable attributes shared by the kernels.
#pragma once

#include <cstdint>

// Runtime CPU dispatch: GCC on x86-64 builds each hot kernel three times (baseline,
// AVX2 and AVX-512) and picks one at load time through an ifunc resolver, so one
// binary runs on any x86-64 and uses the widest vectors the CPU has.
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__) && !defined(ACCUMETRICS_NO_DISPATCH) \
    && !defined(__SANITIZE_ADDRESS__)
#define ACCUMETRICS_DISPATCH 1
#define ACCUMETRICS_KERNEL __attribute__((target_clones("avx512f", "avx2", "default")))
#else
#define ACCUMETRICS_KERNEL
#endif

namespace accumetrics {
using index_t = std::int64_t;

// The clone the resolvers chose: "avx512f", "avx2" or "baseline".
inline const char* kernel_isa() {
#ifdef ACCUMETRICS_DISPATCH
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx512f")) return "avx512f";
    if (__builtin_cpu_supports("avx2")) return "avx2";
#endif
    return "baseline";
}
}  // namespace accumetrics
