// Poisson bootstrap of a stream of rows, on top of any engine with slices.
//
// Each row appears in replicate b of B a Poisson(1) number of times k(seed, i, b),
// where i is the row's position in the stream. k comes from a counter-based
// generator (a hash of seed, position and replicate), so the replicates do not
// depend on how the stream was split into batches or threads, and a stream fed in
// pieces, each started at its own position, merges into exactly the state of one
// pass. Pieces fed from the same position with the same seed draw the same k:
// give them distinct seeds or positions before merging.
//
// The replicates live in the engine's slice dimension: replicate b of slice s is
// engine slice b * S + s. Rows are repeated k times rather than weighted by k, so
// unweighted counts stay exact int64 and every engine sees ordinary rows.
#pragma once

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <stdexcept>
#include <vector>

#include "config.hpp"
#include "confusion.hpp"
#include "coverage.hpp"
#include "labels.hpp"
#include "moments.hpp"
#include "parallel.hpp"
#include "thresholds.hpp"

namespace accumetrics {

namespace detail {

// SplitMix64's output function: a bijection of 64-bit words with full avalanche.
inline std::uint64_t mix64(std::uint64_t z) {
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

// P(K <= k) * 2^32 for K ~ Poisson(1), k = 0..11; P(K > 12) is below 2^-32.
struct PoissonTable {
    static constexpr int size = 12;
    std::array<std::uint64_t, size> cdf{};
    constexpr PoissonTable() {
        double p = 0.36787944117144233;  // e^-1
        double c = 0.0;
        for (int k = 0; k < size; ++k) {
            c += p;
            cdf[k] = static_cast<std::uint64_t>(c * 4294967296.0);
            p /= double(k + 1);
        }
    }
};

inline constexpr PoissonTable poisson_table{};

// Poisson(1) from 32 uniform bits, by inversion (without branches: k is too
// random for a branch predictor).
inline int poisson_one(std::uint32_t u) {
    int k = 0;
    for (int j = 0; j < PoissonTable::size; ++j) k += std::uint64_t(u) >= poisson_table.cdf[j];
    return k;
}

}  // namespace detail

// Poisson(1) counts keyed by (seed, position, replicate): one 64-bit hash per row
// and per pair of replicates (32 bits each).
class PoissonStream {
public:
    explicit PoissonStream(std::uint64_t seed) : key_(detail::mix64(seed ^ 0x6a09e667f3bcc909ULL)) {}

    std::uint64_t row_key(index_t position) const {
        return detail::mix64(key_ + static_cast<std::uint64_t>(position) * 0x9e3779b97f4a7c15ULL);
    }

    // k for replicates [0, replicates) of the row with this key.
    void draw(std::uint64_t row, index_t replicates, std::uint8_t* k) const {
        for (index_t b = 0; b < replicates; b += 2) {
            const std::uint64_t h = detail::mix64(row + static_cast<std::uint64_t>(b / 2 + 1) * 0xd1b54a32d192ed03ULL);
            k[b] = static_cast<std::uint8_t>(detail::poisson_one(static_cast<std::uint32_t>(h)));
            if (b + 1 < replicates) k[b + 1] = static_cast<std::uint8_t>(detail::poisson_one(static_cast<std::uint32_t>(h >> 32)));
        }
    }

    // k of one replicate for rows at positions [position, position + n).
    void column(index_t position, index_t n, index_t replicate, std::uint8_t* k) const {
        const std::uint64_t pair = static_cast<std::uint64_t>(replicate / 2 + 1) * 0xd1b54a32d192ed03ULL;
        const int shift = replicate % 2 ? 32 : 0;
        for (index_t i = 0; i < n; ++i) {
            const std::uint64_t h = detail::mix64(row_key(position + i) + pair);
            k[i] = static_cast<std::uint8_t>(detail::poisson_one(static_cast<std::uint32_t>(h >> shift)));
        }
    }

private:
    std::uint64_t key_;
};

namespace detail {

// The engines' add() under one signature: rows of `width` values, `second` may be
// null where the engine allows it, `w` and `s` may be null.
template <class A, class B, class W>
void add_rows(ConfusionMatrix& e, const A* y_true, const B* y_pred, const W* w, const std::int64_t* s, index_t rows, bool) {
    e.add(y_true, y_pred, w, s, rows);
}
template <class A, class B, class W>
void add_rows(ThresholdCounts& e, const A* y_true, const B* score, const W* w, const std::int64_t* s, index_t rows,
              bool weight_per_value) {
    e.add(y_true, score, w, s, rows, weight_per_value);
}
template <class A, class B, class W>
void add_rows(Moments& e, const A* x, const B* y, const W* w, const std::int64_t* s, index_t rows, bool weight_per_value) {
    e.add(x, y, w, s, rows, weight_per_value);
}

inline index_t row_width(const ConfusionMatrix&) { return 1; }
inline index_t row_width(const ThresholdCounts& e) { return e.num_labels(); }
inline index_t row_width(const Moments& e) { return e.num_outputs(); }

// The size of an engine's state, which each extra thread of an update copies.
inline index_t state_cells(const ConfusionMatrix& e) { return e.table().cells(); }
inline index_t state_cells(const ThresholdCounts& e) { return e.table().cells(); }
inline index_t state_cells(const Moments& e) { return index_t(e.sums().size()); }

// An engine of the same configuration, empty, with `slices` slices.
inline ConfusionMatrix with_slices(const ConfusionMatrix& e, index_t slices) { return ConfusionMatrix(e.num_classes(), slices); }
inline ThresholdCounts with_slices(const ThresholdCounts& e, index_t slices) {
    return ThresholdCounts(e.thresholds(), e.num_labels(), slices);
}
inline Moments with_slices(const Moments& e, index_t slices) { return Moments(e.num_outputs(), slices); }

// Engines that fix a state on their first rows (the origin of Moments' centered
// sums) get it from the update's first row, before the rows are spread over
// threads, so that every thread's engine shares it and merges exactly.
template <class Engine, class A, class B>
void share_first_state(Engine&, std::vector<Engine>&, const A*, const B*) {}
template <class A, class B>
void share_first_state(Moments& main, std::vector<Moments>& extra, const A*, const B* y) {
    if (!main.has_origin()) {
        std::vector<double> origins(std::size_t(main.num_outputs()), 0.0);
        for (std::size_t k = 0; y && k < origins.size(); ++k)
            origins[k] = std::isfinite(double(y[k])) ? double(y[k]) : 0.0;
        main.set_origins(std::move(origins), true);
    }
    for (Moments& e : extra) e.set_origins(main.origins(), true);
}

inline void copy_slices(const CountTable& from, index_t first, index_t per_slice, CountTable& to) {
    std::copy_n(from.counts() + first * per_slice, to.cells(), to.counts());
    if (!from.weighted()) return;
    to.enable_weights();
    std::copy_n(from.sums() + first * per_slice, to.cells(), to.sums());
}

}  // namespace detail

// Slices [first, first + count) of an engine, as an engine of `count` slices.
inline ConfusionMatrix take_slices(const ConfusionMatrix& e, index_t first, index_t count) {
    ConfusionMatrix out = detail::with_slices(e, count);
    detail::copy_slices(e.table(), first, e.num_classes() * e.num_classes(), out.table());
    return out;
}
inline ThresholdCounts take_slices(const ThresholdCounts& e, index_t first, index_t count) {
    ThresholdCounts out = detail::with_slices(e, count);
    detail::copy_slices(e.table(), first, e.num_labels() * (e.num_thresholds() + 1) * 2, out.table());
    return out;
}
inline Moments take_slices(const Moments& e, index_t first, index_t count) {
    Moments out = detail::with_slices(e, count);
    out.set_origins(e.origins(), e.has_origin());
    const index_t stats = e.num_outputs() * num_sums;
    std::copy_n(e.sums().begin() + first * stats, count * stats, out.sums().begin());
    std::copy_n(e.counts().begin() + first, count, out.counts().begin());
    return out;
}

template <class Engine>
class Bootstrap {
public:
    // `engine` gives the configuration (its slices are the user's slices S); the
    // state holds B * S slices.
    Bootstrap(const Engine& engine, index_t replicates, std::uint64_t seed, index_t position = 0)
        : replicates_(checked(replicates)), slices_(engine.num_slices()), seed_(seed), stream_(seed),
          start_(position), position_(position), engine_(detail::with_slices(engine, replicates_ * slices_)) {}

    // Restores a state read back from engine(), position(), start() and covered().
    static Bootstrap restore(Engine state, index_t replicates, std::uint64_t seed, index_t start, index_t position,
                             const std::vector<Coverage::Range>& covered) {
        const index_t slices = state.num_slices() / checked(replicates);
        if (slices * replicates != state.num_slices())
            throw std::invalid_argument("the state's slices are not a multiple of the number of replicates");
        Bootstrap b(std::move(state), replicates, slices, seed, start, position);
        for (const auto& r : covered) b.covered_.add(r.first, r.second);
        return b;
    }

    index_t num_replicates() const { return replicates_; }
    index_t num_slices() const { return slices_; }
    std::uint64_t seed() const { return seed_; }
    // The stream position of the next row, and where reset() returns to.
    index_t position() const { return position_; }
    index_t start() const { return start_; }
    // The next row is at `position`; reset() returns here.
    void seek(index_t position) { start_ = position_ = position; }
    // The stream positions whose rows the state holds.
    const std::vector<Coverage::Range>& covered() const { return covered_.ranges(); }
    const Engine& engine() const { return engine_; }
    Engine& engine() { return engine_; }
    Engine replicate(index_t b) const { return take_slices(engine_, b * slices_, slices_); }

    // Adds rows at positions [position(), position() + rows), with the arguments of
    // the engine's add. Rows with a slice out of range stay out of range in every
    // replicate.
    template <class A, class B, class W>
    void add(const A* first, const B* second, const W* weight, const std::int64_t* slice, index_t rows,
             bool weight_per_value = false) {
        const index_t width = detail::row_width(engine_);
        const int threads = plan_threads(rows * width * replicates_, detail::state_cells(engine_));
        std::vector<Engine> extra;
        for (int t = 1; t < threads; ++t) extra.push_back(detail::with_slices(engine_, replicates_ * slices_));
        if (rows > 0) detail::share_first_state(engine_, extra, first, second);
        parallel_chunks(rows, threads, [&](index_t begin, index_t end, int t) {
            expand(t == 0 ? engine_ : extra[t - 1], first, second, weight, slice, begin, end, width, weight_per_value);
        });
        for (Engine& e : extra) engine_.merge(e);
        covered_.add(position_, position_ + rows);
        position_ += rows;
    }

    void merge(const Bootstrap& other) {
        if (replicates_ != other.replicates_ || slices_ != other.slices_)
            throw std::invalid_argument("cannot merge bootstraps with different numbers of replicates or slices");
        // Replicates of different seeds, or two copies of one stream position, would
        // not be a resample of the merged stream.
        if (seed_ != other.seed_)
            throw std::invalid_argument("cannot merge bootstraps with different seeds: their replicates draw different counts");
        if (covered_.overlaps(other.covered_))
            throw std::invalid_argument(
                "cannot merge bootstraps that both hold rows at the same stream positions; feed each piece from "
                "its own offset");
        engine_.merge(other.engine_);
        covered_.merge(other.covered_);
        position_ = std::max(position_, other.position_);
    }

    void reset() {
        engine_.reset();
        covered_.clear();
        position_ = start_;
    }

private:
    Bootstrap(Engine state, index_t replicates, index_t slices, std::uint64_t seed, index_t start, index_t position)
        : replicates_(replicates), slices_(slices), seed_(seed), stream_(seed), start_(start), position_(position),
          engine_(std::move(state)) {}

    static index_t checked(index_t b) {
        if (b <= 0) throw std::invalid_argument("the number of replicates must be positive");
        return b;
    }

    // Repeats rows [begin, end) into buffers some 64K values at a time (few enough
    // that the engine stays on one thread) and adds them to `engine`.
    template <class A, class B, class W>
    void expand(Engine& engine, const A* first, const B* second, const W* weight, const std::int64_t* slice,
                index_t begin, index_t end, index_t width, bool weight_per_value) const {
        constexpr index_t target = 1 << 16;
        const index_t block = std::max<index_t>(1, target / (width * replicates_));
        const index_t per_row = weight_per_value ? width : 1;
        std::vector<A> a;
        std::vector<B> b;
        std::vector<W> w;
        std::vector<std::int64_t> s;
        std::vector<std::uint8_t> k(replicates_);
        std::vector<std::int64_t> picks(replicates_ * detail::PoissonTable::size + 1), again(replicates_ + 1);
        auto repeat = [](auto& buffer, const auto* row, index_t values, index_t times) {
            const std::size_t at = buffer.size();
            buffer.resize(at + std::size_t(values * times));
            auto* out = buffer.data() + at;
            if (values == 1)
                std::fill_n(out, times, *row);
            else
                for (index_t j = 0; j < times; ++j)
                    for (index_t c = 0; c < values; ++c) out[j * values + c] = row[c];
        };
        for (index_t start = begin; start < end; start += block) {
            const index_t stop = std::min(end, start + block);
            a.clear();
            b.clear();
            w.clear();
            s.clear();
            for (index_t i = start; i < stop; ++i) {
                stream_.draw(stream_.row_key(position_ + i), replicates_, k.data());
                int top = 0;
                for (index_t r = 0; r < replicates_; ++r) top = std::max<int>(top, k[r]);
                // The replicate of each copy: r appears k[r] times. Branch-free compaction
                // over all replicates for the first copy, then over those with k >= 2.
                index_t n = 0, repeated = 0;
                for (index_t r = 0; r < replicates_; ++r) {
                    picks[n] = r;
                    n += k[r] >= 1;
                    again[repeated] = r;
                    repeated += k[r] >= 2;
                }
                for (int copy = 2; copy <= top; ++copy)
                    for (index_t j = 0; j < repeated; ++j) {
                        picks[n] = again[j];
                        n += k[again[j]] >= copy;
                    }
                const index_t user = slice ? detail::class_index(slice[i], slices_) : 0;
                const std::size_t at = s.size();
                s.resize(at + std::size_t(n));
                for (index_t j = 0; j < n; ++j) s[at + j] = user < slices_ ? picks[j] * slices_ + user : -1;
                repeat(a, first + i * width, width, n);
                if (second) repeat(b, second + i * width, width, n);
                if (weight) repeat(w, weight + i * per_row, per_row, n);
            }
            if (s.empty()) continue;
            detail::add_rows(engine, a.data(), second ? b.data() : nullptr, weight ? w.data() : nullptr, s.data(),
                             static_cast<index_t>(s.size()), weight_per_value);
        }
    }

    index_t replicates_;
    index_t slices_;
    std::uint64_t seed_;
    PoissonStream stream_;
    index_t start_;
    index_t position_;
    Coverage covered_;
    Engine engine_;
};

}  // namespace accumetrics
