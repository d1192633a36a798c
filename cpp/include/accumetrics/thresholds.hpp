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

#include "config.hpp"
#include "count_table.hpp"
#include "labels.hpp"

namespace accumetrics {

namespace detail {

struct Bucketing {
    const double* padded;  // -inf, t_0, ..., t_{T-1}, +inf
    index_t count;         // T
    bool even;             // thresholds lie within a quarter step of an even grid
    double origin;
    double inverse_step;

    // Number of thresholds strictly below s.
    index_t operator()(double s) const {
        if (even) {
            // Arithmetic guess, exact to within one bucket, then one comparison each way.
            double q = std::ceil((s - origin) * inverse_step);
            q = q > 0.0 ? q : 0.0;
            q = q < double(count) ? q : double(count);
            index_t b = static_cast<index_t>(q);
            b -= !(padded[b] < s);
            b += padded[b + 1] < s;
            return b;
        }
        // Branch-free binary search over t_0..t_{T-1}.
        const double* base = padded + 1;
        index_t n = count;
        while (n > 1) {
            index_t half = n / 2;
            base = base[half - 1] < s ? base + half : base;
            n -= half;
        }
        return (base - (padded + 1)) + (*base < s);
    }
};

// Histogram layout: ((slice * L + label) * (T + 1) + bucket) * 2 + y, and one
// discard cell at index `cells` for samples with an invalid label or slice.
template <class T, class S, class W>
ACCUMETRICS_KERNEL void fill_thresholds(const T* y_true, const S* score, const W* weight,
                                        const std::int64_t* slice, index_t row_begin, index_t row_end,
                                        index_t labels, index_t slices, bool weight_per_value, Bucketing bucket,
                                        std::int64_t* counts, double* sums) {
    const index_t per_label = (bucket.count + 1) * 2;
    const index_t per_slice = per_label * labels;
    const index_t cells = per_slice * slices;
    for (index_t row = row_begin; row < row_end; ++row) {
        index_t base = 0;
        if (slice) base = class_index(slice[row], slices) * per_slice;
        for (index_t l = 0; l < labels; ++l) {
            index_t i = row * labels + l;
            index_t y = binary_label(y_true[i]);
            index_t b = bucket(static_cast<double>(score[i]));
            index_t cell = base + l * per_label + b * 2 + y;
            cell = (y < 2 && cell < cells) ? cell : cells;
            counts[cell] += 1;
            if constexpr (std::is_void_v<W>) {
                if (sums) sums[cell] += 1.0;
            } else {
                sums[cell] += static_cast<double>(weight[weight_per_value ? i : row]);
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
          table_(slices_ * labels_ * (num_thresholds() + 1) * 2) {
        padded_.push_back(-std::numeric_limits<double>::infinity());
        padded_.insert(padded_.end(), thresholds_.begin(), thresholds_.end());
        padded_.push_back(std::numeric_limits<double>::infinity());
        bucketing_ = make_bucketing();
    }
    ThresholdCounts(const ThresholdCounts& other)
        : thresholds_(other.thresholds_), padded_(other.padded_), labels_(other.labels_),
          slices_(other.slices_), table_(other.table_), bucketing_(make_bucketing()) {}
    ThresholdCounts& operator=(const ThresholdCounts&) = delete;

    const std::vector<double>& thresholds() const { return thresholds_; }
    index_t num_thresholds() const { return static_cast<index_t>(thresholds_.size()); }
    index_t num_labels() const { return labels_; }
    index_t num_slices() const { return slices_; }
    bool evenly_spaced() const { return bucketing_.even; }
    // Histogram: S x L x (T + 1) buckets x 2 (negative, positive).
    CountTable& table() { return table_; }
    const CountTable& table() const { return table_; }

    // Adds `rows` samples of L labels each: y_true and score are rows x L, row-major;
    // slice has one entry per row, weight one per row or (weight_per_value) one per
    // score; both may be null. Scores must be finite (checks.hpp); invalid labels
    // and slices are discarded.
    template <class T, class S, class W>
    void add(const T* y_true, const S* score, const W* weight, const std::int64_t* slice, index_t rows,
             bool weight_per_value = false) {
        const detail::Bucketing bucket = bucketing_;
        table_.fill(rows, rows * labels_, weight != nullptr,
                    [&](index_t begin, index_t end, std::int64_t* counts, double* sums) {
                        if (weight)
                            detail::fill_thresholds(y_true, score, weight, slice, begin, end, labels_, slices_, weight_per_value, bucket, counts, sums);
                        else
                            detail::fill_thresholds<T, S, void>(y_true, score, nullptr, slice, begin, end, labels_, slices_, weight_per_value, bucket, counts, sums);
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

    detail::Bucketing make_bucketing() const {
        const index_t n = num_thresholds();
        detail::Bucketing b{padded_.data(), n, false, thresholds_.front(), 0.0};
        if (n < 3) return b;
        const double step = (thresholds_.back() - thresholds_.front()) / double(n - 1);
        bool even = true;
        for (index_t k = 0; k < n && even; ++k)
            even = std::abs(thresholds_[k] - (b.origin + double(k) * step)) <= 0.25 * step;
        b.even = even;
        b.inverse_step = 1.0 / step;
        return b;
    }

    std::vector<double> thresholds_;
    std::vector<double> padded_;  // -inf, thresholds, +inf
    index_t labels_;
    index_t slices_;
    CountTable table_;
    detail::Bucketing bucketing_;
};

}  // namespace accumetrics
