// Bucketing scores against sorted thresholds: bucket = number of thresholds strictly
// below the score. Four strategies, chosen once per threshold set, all exact:
//   linear  - a few thresholds: count the comparisons;
//   even    - an evenly spaced grid: arithmetic, with the rare scores near a grid value
//             settled by comparing;
//   lookup  - any other spread: a table over an even grid of cells gives each cell's
//             first bucket and the one threshold inside it, if any (two table reads and
//             one comparison a score);
//   search  - thresholds too clustered for the table: a branch-free binary search run
//             one level at a time across a block of scores.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

#include "config.hpp"

namespace accumetrics::detail {

struct Bucketing {
    enum class Kind { linear, even, lookup, search };
    static constexpr index_t max_linear = 4;
    static constexpr double grid_tolerance = 1e-3;

    Kind kind = Kind::search;
    const double* padded = nullptr;  // -inf, t_0, ..., t_{T-1}, +inf
    index_t count = 0;               // T
    double origin = 0.0;
    double inverse_step = 0.0;
    // lookup: cell c of a score is clamp(floor((score - origin) * inverse_step), -1, cells) + 1,
    // a non-decreasing function of the score; so are the thresholds' cells, and every
    // threshold in an earlier cell is below the score, every one in a later cell above.
    index_t cells = 0;
    const std::int32_t* first = nullptr;  // thresholds in earlier cells; sign bit: two or more in this one
    const double* cut = nullptr;          // the cell's one threshold, +inf when it has none

    template <class S>
    void operator()(const S* scores, index_t n, std::int32_t* buckets) const {
        switch (kind) {
            case Kind::linear: return by_comparison(scores, n, buckets);
            case Kind::even: return by_grid(scores, n, buckets);
            case Kind::lookup: return by_table(scores, n, buckets);
            case Kind::search: return by_search(scores, n, buckets);
        }
    }

    index_t cell_of(double score) const {
        double q = (score - origin) * inverse_step;
        q = q > -1.0 ? q : -1.0;  // also sends NaN to -1
        q = q < double(cells) ? q : double(cells);
        return static_cast<index_t>(std::floor(q)) + 1;
    }

private:
    template <class S>
    void by_comparison(const S* scores, index_t n, std::int32_t* buckets) const {
        const double* t = padded + 1;
        for (index_t j = 0; j < n; ++j) buckets[j] = 0;
        for (index_t k = 0; k < count; ++k)
            for (index_t j = 0; j < n; ++j) buckets[j] += t[k] < double(scores[j]);
    }

    template <class S>
    void by_grid(const S* scores, index_t n, std::int32_t* buckets) const {
        // On the grid the bucket is ceil(q). The thresholds are off the grid by less
        // than `near` steps, so ceil(q) is exact unless q is that close to a whole
        // number; those rare scores are settled by comparing with the thresholds.
        const double top = double(count), near = 2 * grid_tolerance;
        for (index_t j = 0; j < n; ++j) {
            double q = (double(scores[j]) - origin) * inverse_step;
            q = q > -1.0 ? q : -1.0;
            q = q < top + 1.0 ? q : top + 1.0;
            const double g = std::ceil(q);
            const bool on_grid = (g - q < near) | (g - q > 1.0 - near);
            const double b = g > 0.0 ? (g < top ? g : top) : 0.0;
            // The sign bit marks a score to settle exactly.
            buckets[j] = static_cast<std::int32_t>(b) | static_cast<std::int32_t>(std::uint32_t(on_grid) << 31);
        }
        for (index_t j = 0; j < n; ++j)
            if (buckets[j] < 0) {
                const double s = double(scores[j]);
                std::int32_t b = buckets[j] & 0x7fffffff;
                b -= !(padded[b] < s);
                b += padded[b + 1] < s;
                buckets[j] = b;
            }
    }

    template <class S>
    void by_table(const S* scores, index_t n, std::int32_t* __restrict buckets) const {
        const double last = double(cells);
        const std::int32_t* __restrict first = this->first;
        const double* __restrict cut = this->cut;
        for (index_t j = 0; j < n; ++j) {
            const double s = double(scores[j]);
            double q = (s - origin) * inverse_step;
            q = q > -1.0 ? q : -1.0;
            q = q < last ? q : last;
            const std::int32_t c = static_cast<std::int32_t>(std::floor(q)) + 1;  // int32: vectorizes without AVX512DQ
            buckets[j] = first[c] + (cut[c] < s);
        }
        for (index_t j = 0; j < n; ++j)
            if (buckets[j] < 0) {  // a cell holding several thresholds
                const double s = double(scores[j]);
                std::int32_t b = first[cell_of(s)] & 0x7fffffff;
                while (b < count && padded[b + 1] < s) ++b;
                buckets[j] = b;
            }
    }

    template <class S>
    void by_search(const S* scores, index_t n, std::int32_t* buckets) const {
        const double* t = padded + 1;
        for (index_t j = 0; j < n; ++j) buckets[j] = 0;
        for (index_t width = count; width > 1;) {
            const std::int32_t half = static_cast<std::int32_t>(width / 2);
            for (index_t j = 0; j < n; ++j) buckets[j] += (t[buckets[j] + half - 1] < double(scores[j])) ? half : 0;
            width -= half;
        }
        for (index_t j = 0; j < n; ++j) buckets[j] += t[buckets[j]] < double(scores[j]);
    }
};

// Owns the tables a Bucketing points into; `thresholds` are finite and strictly increasing.
class BucketingPlan {
public:
    explicit BucketingPlan(const std::vector<double>& thresholds) {
        padded_.push_back(-std::numeric_limits<double>::infinity());
        padded_.insert(padded_.end(), thresholds.begin(), thresholds.end());
        padded_.push_back(std::numeric_limits<double>::infinity());
        const index_t n = static_cast<index_t>(thresholds.size());
        b_.padded = padded_.data();
        b_.count = n;
        b_.origin = thresholds.front();
        if (n <= Bucketing::max_linear) {
            b_.kind = Bucketing::Kind::linear;
        } else if (evenly_spaced(thresholds)) {
            b_.kind = Bucketing::Kind::even;
        } else if (build_table(thresholds)) {
            b_.kind = Bucketing::Kind::lookup;
        } else {
            b_.kind = Bucketing::Kind::search;
        }
    }
    BucketingPlan(const BucketingPlan& other) : BucketingPlan(other.thresholds()) {}
    BucketingPlan& operator=(const BucketingPlan&) = delete;

    const Bucketing& bucketing() const { return b_; }
    bool evenly_spaced() const { return b_.kind == Bucketing::Kind::even; }
    const char* strategy() const {
        switch (b_.kind) {
            case Bucketing::Kind::linear: return "linear";
            case Bucketing::Kind::even: return "even";
            case Bucketing::Kind::lookup: return "lookup";
            case Bucketing::Kind::search: return "search";
        }
        return "";
    }

private:
    std::vector<double> thresholds() const { return {padded_.begin() + 1, padded_.end() - 1}; }

    bool evenly_spaced(const std::vector<double>& t) {
        const index_t n = static_cast<index_t>(t.size());
        const double step = (t.back() - t.front()) / double(n - 1);
        b_.inverse_step = 1.0 / step;
        // Checked with the very arithmetic the kernel applies to scores: grid points
        // computed as origin + k * step round onto thresholds that lie far off the grid
        // when the step is a few ulps, and 1 / step can overflow.
        if (!std::isfinite(b_.inverse_step)) return false;
        for (index_t k = 0; k < n; ++k)
            if (std::abs((t[k] - b_.origin) * b_.inverse_step - double(k)) > Bucketing::grid_tolerance) return false;
        return true;
    }

    // False when too many thresholds would share a cell (they cluster), or the span overflows.
    bool build_table(const std::vector<double>& t) {
        const index_t n = static_cast<index_t>(t.size());
        const index_t cells = std::min<index_t>(std::max<index_t>(32 * n, 1024), index_t(1) << 16);
        b_.cells = cells;
        b_.inverse_step = double(cells) / (t.back() - t.front());
        if (!std::isfinite(b_.inverse_step) || !(b_.inverse_step > 0.0)) return false;
        first_.assign(cells + 2, 0);
        cut_.assign(cells + 2, std::numeric_limits<double>::infinity());
        std::vector<std::int32_t> inside(cells + 2, 0);
        for (index_t k = 0; k < n; ++k) ++inside[b_.cell_of(t[k])];
        index_t below = 0, crowded = 0;
        for (index_t c = 0; c < cells + 2; ++c) {
            first_[c] = static_cast<std::int32_t>(below);
            if (inside[c] == 1) cut_[c] = t[below];
            if (inside[c] > 1) {
                first_[c] |= std::int32_t(std::uint32_t(1) << 31);
                crowded += inside[c];
            }
            below += inside[c];
        }
        b_.first = first_.data();
        b_.cut = cut_.data();
        return crowded * 8 <= n;
    }

    std::vector<double> padded_;
    std::vector<std::int32_t> first_;
    std::vector<double> cut_;
    Bucketing b_;
};

}  // namespace accumetrics::detail
