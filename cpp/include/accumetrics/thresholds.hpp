// Binary and multilabel confusion counts at T thresholds, for L labels and S slices.
//
// Each score is bucketed once: bucket b = number of thresholds strictly below the
// score, so the score counts as positive at threshold k exactly when k < b (the
// strict `score > threshold` rule). A histogram of (bucket, label) pairs is the
// whole state; TP/FP/TN/FN at every threshold are suffix sums of it, read in O(T).
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <stdexcept>
#include <type_traits>
#include <vector>

#include "bucketing.hpp"
#include "config.hpp"
#include "count_table.hpp"
#include "labels.hpp"

namespace accumetrics {

namespace detail {

// Histogram layout: ((slice * L + label) * (T + 1) + bucket) * 2 + y, and one
// discard cell at index `cells` for samples with an invalid label or slice.
// Cells are computed a block at a time in loops free of branches (they vectorize,
// and random labels cost no mispredictions), then counted in a tight scatter loop.
template <class T, class S, class W>
ACCUMETRICS_KERNEL void fill_thresholds(const T* y_true, const S* score, const W* weight,
                                        const std::int64_t* slice, index_t row_begin, index_t row_end,
                                        index_t labels, index_t slices, bool weight_per_value, Bucketing bucket,
                                        std::int64_t* counts, double* sums, std::int64_t step) {
    constexpr index_t block = 512, small_table = 8;
    const index_t per_label = (bucket.count + 1) * 2;
    const index_t per_slice = per_label * labels;
    const index_t cells = per_slice * slices;
    std::int32_t buckets[block];
    index_t cell[block];
    const index_t begin = row_begin * labels, end = row_end * labels;
    for (index_t start = begin; start < end; start += block) {
        const index_t n = std::min(block, end - start);
        bucket(score + start, n, buckets);
        const T* y = y_true + start;
        const S* x = score + start;
        constexpr double largest = std::numeric_limits<S>::max();
        if (labels == 1 && !slice && cells <= small_table && !sums) {
            // Few cells: counted in registers, where a scatter would chain each increment
            // to the last through memory.
            std::int32_t hits[small_table + 1] = {};
            for (index_t j = 0; j < n; ++j) {
                const std::int32_t label = std::int32_t(binary_label(y[j]));
                const bool finite = std::abs(double(x[j])) <= largest;
                const std::int32_t c = (label < 2) & finite ? buckets[j] * 2 + label : std::int32_t(cells);
                for (std::int32_t k = 0; k <= small_table; ++k) hits[k] += c == k;
            }
            for (index_t k = 0; k <= cells; ++k) counts[k] += step * hits[k];
            continue;
        }
        if (labels == 1 && !slice) {
            for (index_t j = 0; j < n; ++j) {
                const index_t label = binary_label(y[j]);
                const bool finite = std::abs(double(x[j])) <= largest;
                cell[j] = (label < 2) & finite ? index_t(buckets[j]) * 2 + label : cells;
            }
        } else {
            for (index_t j = 0; j < n; ++j) {
                const index_t i = start + j, row = i / labels, l = i - row * labels;
                const index_t label = binary_label(y[j]);
                const bool finite = std::abs(double(x[j])) <= largest;
                const index_t s = slice ? class_index(slice[row], slices) : 0;
                const index_t c = s * per_slice + l * per_label + index_t(buckets[j]) * 2 + label;
                cell[j] = (label < 2) & finite & (s < slices) ? c : cells;
            }
        }
        for (index_t j = 0; j < n; ++j) counts[cell[j]] += step;
        if constexpr (std::is_void_v<W>) {
            if (sums)
                for (index_t j = 0; j < n; ++j) sums[cell[j]] += 1.0;
        } else {
            for (index_t j = 0; j < n; ++j) {
                const index_t i = start + j;
                sums[cell[j]] += static_cast<double>(weight[weight_per_value ? i : i / labels]);
            }
        }
    }
}

}  // namespace detail

class ThresholdCounts {
public:
    // `thresholds` must be finite and strictly increasing.
    ThresholdCounts(std::vector<double> thresholds, index_t num_labels = 1, index_t num_slices = 1)
        : thresholds_(checked(std::move(thresholds))),
          labels_(positive(num_labels)),
          slices_(positive(num_slices)),
          table_(slices_ * labels_ * (num_thresholds() + 1) * 2),
          plan_(thresholds_) {}
    ThresholdCounts(const ThresholdCounts& other) = default;
    ThresholdCounts& operator=(const ThresholdCounts&) = delete;

    const std::vector<double>& thresholds() const { return thresholds_; }
    index_t num_thresholds() const { return static_cast<index_t>(thresholds_.size()); }
    index_t num_labels() const { return labels_; }
    index_t num_slices() const { return slices_; }
    bool evenly_spaced() const { return plan_.evenly_spaced(); }
    // How scores are bucketed: "linear", "even", "lookup" or "search" (see bucketing.hpp).
    const char* bucketing() const { return plan_.strategy(); }
    // Histogram: S x L x (T + 1) buckets x 2 (negative, positive).
    CountTable& table() { return table_; }
    const CountTable& table() const { return table_; }

    // Adds `rows` samples of L labels each: y_true and score are rows x L, row-major;
    // slice has one entry per row, weight one per row or (weight_per_value) one per
    // score; both may be null. Values with an invalid label, slice or a score that is
    // not finite are skipped and counted in the return value; with `undo_rejects`
    // (see CountTable::fill) an update with such values changes nothing.
    template <class T, class S, class W>
    index_t add(const T* y_true, const S* score, const W* weight, const std::int64_t* slice, index_t rows,
                bool weight_per_value = false, bool undo_rejects = false) {
        const detail::Bucketing bucket = plan_.bucketing();
        return table_.fill(rows, rows * labels_, weight != nullptr, undo_rejects,
                    [&](index_t begin, index_t end, std::int64_t* counts, double* sums, std::int64_t step) {
                        if (weight)
                            detail::fill_thresholds(y_true, score, weight, slice, begin, end, labels_, slices_, weight_per_value, bucket, counts, sums, step);
                        else
                            detail::fill_thresholds<T, S, void>(y_true, score, nullptr, slice, begin, end, labels_, slices_, weight_per_value, bucket, counts, sums, step);
                    });
    }

    void merge(const ThresholdCounts& other) {
        if (thresholds_ != other.thresholds_ || labels_ != other.labels_ || slices_ != other.slices_)
            throw std::invalid_argument("cannot merge threshold counts with different thresholds or shapes");
        table_.merge(other.table_);
    }

    void reset() { table_.reset(); }

private:
    static std::vector<double> checked(std::vector<double> t) {
        if (t.empty()) throw std::invalid_argument("at least one threshold is needed");
        for (std::size_t k = 0; k < t.size(); ++k) {
            if (!std::isfinite(t[k])) throw std::invalid_argument("thresholds must be finite");
            if (k && !(t[k - 1] < t[k])) throw std::invalid_argument("thresholds must be strictly increasing");
        }
        return t;
    }
    static index_t positive(index_t n) {
        if (n <= 0) throw std::invalid_argument("num_labels and num_slices must be positive");
        return n;
    }

    std::vector<double> thresholds_;
    index_t labels_;
    index_t slices_;
    CountTable table_;
    detail::BucketingPlan plan_;
};

}  // namespace accumetrics
