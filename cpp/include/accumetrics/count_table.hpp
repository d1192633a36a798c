// The storage behind every confusion-style accumulator: a table of int64 counts,
// plus float64 sums of weights once a weighted update arrives, plus one trailing
// discard cell that absorbs samples an update chose to ignore.
#pragma once

#include <algorithm>
#include <cstdint>
#include <stdexcept>
#include <vector>

#include "config.hpp"
#include "parallel.hpp"

namespace accumetrics {

class CountTable {
public:
    explicit CountTable(index_t cells) : cells_(cells), counts_(std::size_t(cells) + 1, 0) {}

    index_t cells() const { return cells_; }
    bool weighted() const { return !sums_.empty(); }

    const std::int64_t* counts() const { return counts_.data(); }
    std::int64_t* counts() { return counts_.data(); }
    // Null until the first weighted update; from then on, sums of weights per cell
    // (unweighted samples count with weight 1).
    const double* sums() const { return weighted() ? sums_.data() : nullptr; }
    double* sums() { return weighted() ? sums_.data() : nullptr; }

    void enable_weights() {
        if (weighted()) return;
        sums_.resize(counts_.size());
        std::transform(counts_.begin(), counts_.end(), sums_.begin(), [](std::int64_t c) { return double(c); });
    }

    // Runs fill(begin, end, counts, sums, step) over [0, rows) in contiguous chunks, one
    // per thread: the first into this table, the others into private tables that are
    // added in thread order. Kernels add `step` (+1) to each sample's cell and send the
    // samples they reject to the discard cell; `samples` (rows times values per row)
    // decides how many threads pay off. Returns the number of rejected samples.
    //
    // With `undo_rejects` (only for unweighted updates of an unweighted table, where
    // integer counts make undoing exact), an update that rejected any sample is taken
    // back entirely: the first chunk is filled again with step -1.
    template <class Fill>
    index_t fill(index_t rows, index_t samples, bool weighted_update, bool undo_rejects, Fill&& fill) {
        if (weighted_update) enable_weights();
        if (undo_rejects && weighted()) throw std::logic_error("only integer counts can be undone");
        const index_t table = cells_ + 1;
        const int threads = plan_threads(samples, table);
        std::vector<std::int64_t> extra_counts(std::size_t(threads - 1) * table, 0);
        std::vector<double> extra_sums(weighted() ? extra_counts.size() : 0, 0.0);
        parallel_chunks(rows, threads, [&](index_t begin, index_t end, int t) {
            std::int64_t* c = t == 0 ? counts_.data() : extra_counts.data() + (t - 1) * table;
            double* s = !weighted() ? nullptr : t == 0 ? sums_.data() : extra_sums.data() + (t - 1) * table;
            fill(begin, end, c, s, std::int64_t{1});
        });
        index_t rejected = counts_.back();
        for (int t = 1; t < threads; ++t) rejected += extra_counts[(t - 1) * table + cells_];
        if (undo_rejects && rejected) {
            fill(index_t{0}, chunk_begin(rows, threads, 1), counts_.data(), nullptr, std::int64_t{-1});
            return rejected;
        }
        for (int t = 1; t < threads; ++t) {
            const std::int64_t* c = extra_counts.data() + (t - 1) * table;
            for (index_t i = 0; i < cells_; ++i) counts_[i] += c[i];
            if (!weighted()) continue;
            const double* s = extra_sums.data() + (t - 1) * table;
            for (index_t i = 0; i < cells_; ++i) sums_[i] += s[i];
        }
        counts_.back() = 0;
        if (weighted()) sums_.back() = 0.0;
        return rejected;
    }

    void merge(const CountTable& other) {
        if (cells_ != other.cells_) throw std::invalid_argument("cannot merge tables of different sizes");
        if (other.weighted()) enable_weights();
        for (index_t i = 0; i < cells_; ++i) counts_[i] += other.counts_[i];
        if (weighted())
            for (index_t i = 0; i < cells_; ++i) sums_[i] += other.weighted() ? other.sums_[i] : double(other.counts_[i]);
    }

    void reset() {
        std::fill(counts_.begin(), counts_.end(), 0);
        sums_.clear();
        sums_.shrink_to_fit();
    }

private:
    index_t cells_;
    std::vector<std::int64_t> counts_;
    std::vector<double> sums_;
};

}  // namespace accumetrics
