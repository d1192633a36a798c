// Thread count and a chunked parallel loop with one private buffer per thread.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <vector>

#include "config.hpp"

#ifdef _OPENMP
#include <omp.h>
#endif

namespace accumetrics {

inline int hardware_threads() {
#ifdef _OPENMP
    return omp_get_num_procs();
#else
    return 1;
#endif
}

inline std::atomic<int>& num_threads_setting() {
    static std::atomic<int> threads{[] {
        const char* env = std::getenv("ACCUMETRICS_NUM_THREADS");
        int n = env ? std::atoi(env) : 0;
        return n > 0 ? n : hardware_threads();
    }()};
    return threads;
}

inline int get_num_threads() { return num_threads_setting().load(); }

inline void set_num_threads(int n) { num_threads_setting().store(n > 0 ? n : hardware_threads()); }

// Below this many samples per thread, spawning threads costs more than it saves.
constexpr index_t min_samples_per_thread = 1 << 16;

// How many threads to use for n samples when each extra thread needs a private
// buffer of `buffer_cells` cells that must be zeroed and merged.
inline int plan_threads(index_t n, index_t buffer_cells) {
    index_t per_thread = std::max(min_samples_per_thread, 4 * buffer_cells);
    index_t useful = n / per_thread;
    return static_cast<int>(std::max<index_t>(1, std::min<index_t>(get_num_threads(), useful)));
}

// Splits [0, n) into `threads` contiguous chunks, calls body(begin, end, t) for each,
// in parallel where OpenMP is available. Chunk t always gets the same range for the
// same (n, threads), so merging the per-thread results in order is deterministic.
// Start of chunk t when [0, n) is split into `threads` chunks.
inline index_t chunk_begin(index_t n, int threads, int t) { return n * t / threads; }

template <class Body>
void parallel_chunks(index_t n, int threads, Body&& body) {
    auto range = [n, threads](int t) { return chunk_begin(n, threads, t); };
    if (threads <= 1) {
        body(index_t{0}, n, 0);
        return;
    }
#ifdef _OPENMP
#pragma omp parallel for num_threads(threads) schedule(static, 1)
#endif
    for (int t = 0; t < threads; ++t) body(range(t), range(t + 1), t);
}

}  // namespace accumetrics
