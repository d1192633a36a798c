// Weighted moments of predictions x and targets y, per output column and slice:
// sums of w, w*x, w*y, w*x^2, w*y^2, w*x*y, w*|x-y| and w*(x-y)^2, and a row count.
// Blocks of values are summed in float64 lanes, and block totals are added with
// compensated summation, so totals do not drift with N or depend on batching.
//
// The first and second moments are kept twice: about zero, and about an origin per
// output (the first y_true seen). Variances and correlations come from the second
// set, so they do not cancel away when the mean is large against the spread.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <stdexcept>
#include <type_traits>
#include <vector>

#include "centered_sums.hpp"
#include "config.hpp"
#include "labels.hpp"
#include "parallel.hpp"
#include "summation.hpp"

namespace accumetrics {

enum Stat : int {
    sum_weight,
    sum_pred,
    sum_true,
    sum_pred_squared,
    sum_true_squared,
    sum_pred_true,
    sum_absolute_error,
    sum_squared_error,
    num_stats,
    // The same first and second moments of x - origin and y - origin.
    centered_pred = num_stats,
    centered_true,
    centered_pred_squared,
    centered_true_squared,
    centered_pred_true,
    num_sums
};

namespace detail {

// One strided column: x[i * stride], y[i * stride], w[i * weight_stride].
// Unit: the values are contiguous (one output, one weight per row), which lets the
// loads vectorize; a run-time stride of 1 would make them element-by-element loads.
template <class X, class Y, class W, bool Unit = false>
struct Column {
    const X* x;
    const Y* y;  // Y = void: y is 0
    const W* w;  // W = void: w is 1
    index_t stride;
    index_t weight_stride;
    double origin;

    void values(index_t i, double& xv, double& yv, double& wv) const {
        const index_t j = Unit ? i : i * stride, k = Unit ? i : i * weight_stride;
        xv = static_cast<double>(x[j]);
        if constexpr (std::is_void_v<Y>) yv = 0.0; else yv = static_cast<double>(y[j]);
        if constexpr (std::is_void_v<W>) wv = 1.0; else wv = static_cast<double>(w[k]);
    }
};

// acc[s] += the contribution of one value to each sum s.
inline void accumulate(double* acc, double x, double y, double w, double origin) {
    const double d = x - y, cx = x - origin, cy = y - origin;
    const double wx = w * x, wy = w * y, wd = w * d, wcx = w * cx, wcy = w * cy;
    acc[sum_weight] += w;
    acc[sum_pred] += wx;
    acc[sum_true] += wy;
    acc[sum_pred_squared] += wx * x;
    acc[sum_true_squared] += wy * y;
    acc[sum_pred_true] += wx * y;
    acc[sum_absolute_error] += w * std::abs(d);
    acc[sum_squared_error] += wd * d;
    acc[centered_pred] += wcx;
    acc[centered_true] += wcy;
    acc[centered_pred_squared] += wcx * cx;
    acc[centered_true_squared] += wcy * cy;
    acc[centered_pred_true] += wcx * cy;
}

// Plain float64 sums of rows [begin, end). The simd reduction lets the compiler
// keep one partial sum per vector lane (a fixed, deterministic order per ISA).
template <class X, class Y, class W, bool Unit>
ACCUMETRICS_KERNEL void sum_block(Column<X, Y, W, Unit> column, index_t begin, index_t end, double* out) {
    double s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0, s8 = 0, s9 = 0, s10 = 0, s11 = 0, s12 = 0;
    const double origin = column.origin;
#pragma omp simd reduction(+ : s0, s1, s2, s3, s4, s5, s6, s7, s8, s9, s10, s11, s12)
    for (index_t i = begin; i < end; ++i) {
        double x, y, w;
        column.values(i, x, y, w);
        const double d = x - y, cx = x - origin, cy = y - origin;
        const double wx = w * x, wy = w * y, wd = w * d, wcx = w * cx, wcy = w * cy;
        s0 += w;
        s1 += wx;
        s2 += wy;
        s3 += wx * x;
        s4 += wy * y;
        s5 += wx * y;
        s6 += w * std::abs(d);
        s7 += wd * d;
        s8 += wcx;
        s9 += wcy;
        s10 += wcx * cx;
        s11 += wcy * cy;
        s12 += wcx * cy;
    }
    const double sums[num_sums] = {s0, s1, s2, s3, s4, s5, s6, s7, s8, s9, s10, s11, s12};
    std::copy_n(sums, int(num_sums), out);
}

// Plain float64 sums of rows [begin, end) into acc[slice * num_sums + s]; rows
// whose slice is out of range go to slot `slices`.
template <class X, class Y, class W>
ACCUMETRICS_KERNEL void sum_block_sliced(Column<X, Y, W> column, const std::int64_t* slice, index_t slices,
                                         index_t begin, index_t end, double* acc) {
    for (index_t i = begin; i < end; ++i) {
        double x, y, w;
        column.values(i, x, y, w);
        accumulate(acc + class_index(slice[i], slices) * num_sums, x, y, w, column.origin);
    }
}

}  // namespace detail

// sums()[(slice * outputs + output) * num_sums + s], s a Stat.
class Moments : public CenteredSums<num_sums> {
public:
    explicit Moments(index_t num_outputs = 1, index_t num_slices = 1) : CenteredSums(num_outputs, num_slices) {}

    // Adds `rows` rows of `outputs` values each (row-major). `y` may be null (then 0),
    // `weight` may be null (then 1) and holds one value per row, or one per value
    // when weight_per_value; `slice` may be null, otherwise rows with a slice out of
    // range are discarded. With `refuse_non_finite`, an update whose sums come out
    // NaN or infinite (a value that is, or a square that overflows) changes nothing
    // and returns false.
    template <class X, class Y, class W>
    bool add(const X* x, const Y* y, const W* weight, const std::int64_t* slice, index_t rows,
             bool weight_per_value = false, bool refuse_non_finite = false) {
        if (y) return with_weight(x, y, weight, slice, rows, weight_per_value, refuse_non_finite);
        return with_weight<X, void, W>(x, nullptr, weight, slice, rows, weight_per_value, refuse_non_finite);
    }

    void merge(const Moments& other) {
        if (outputs_ != other.outputs_ || slices_ != other.slices_)
            throw std::invalid_argument("cannot merge moments of different shapes");
        add_sums(other, move_origin);
    }

private:
    // Centered sums about c into sums about c - by: x - (c - by) = (x - c) + by.
    static void move_origin(CompensatedSum* s, double by) {
        if (by == 0.0) return;
        const CompensatedSum w = s[sum_weight], x = s[centered_pred], y = s[centered_true];
        const double square = by * by, square_error = std::fma(by, by, -square);
        auto add_square = [&](CompensatedSum& to) {
            to.add_product(square, w);
            to.add_product(square_error, w);
        };
        s[centered_pred].add_product(by, w);
        s[centered_true].add_product(by, w);
        s[centered_pred_squared].add_product(2 * by, x);
        add_square(s[centered_pred_squared]);
        s[centered_true_squared].add_product(2 * by, y);
        add_square(s[centered_true_squared]);
        s[centered_pred_true].add_product(by, x);
        s[centered_pred_true].add_product(by, y);
        add_square(s[centered_pred_true]);
    }

    template <class X, class Y, class W>
    bool with_weight(const X* x, const Y* y, const W* weight, const std::int64_t* slice, index_t rows,
                     bool weight_per_value, bool refuse_non_finite) {
        if (weight) return add_columns<X, Y, W>(x, y, weight, slice, rows, weight_per_value, refuse_non_finite);
        return add_columns<X, Y, void>(x, y, nullptr, slice, rows, false, refuse_non_finite);
    }

    template <class X, class Y, class W>
    bool add_columns(const X* x, const Y* y, const W* weight, const std::int64_t* slice, index_t rows,
                     bool weight_per_value, bool refuse_non_finite) {
        constexpr index_t block = 1024;
        const bool had_origin = has_origin_;
        if (!has_origin_ && rows > 0) {
            for (index_t k = 0; k < outputs_; ++k) {
                double first = 0.0;
                if constexpr (!std::is_void_v<Y>) first = static_cast<double>(y[k]);
                origins_[k] = std::isfinite(first) ? first : 0.0;
            }
            has_origin_ = true;
        }
        const int threads = plan_threads(rows * outputs_, slice ? slices_ * outputs_ * num_sums : 0);
        std::vector<std::vector<CompensatedSum>> partial(threads, std::vector<CompensatedSum>(sums_.size()));
        std::vector<std::vector<std::int64_t>> partial_counts(threads, std::vector<std::int64_t>(slices_ + 1, 0));

        parallel_chunks(rows, threads, [&](index_t begin, index_t end, int t) {
            std::vector<CompensatedSum>& total = partial[t];
            for (index_t k = 0; k < outputs_; ++k) {
                detail::Column<X, Y, W> column{x + k, nullptr, nullptr, outputs_, 1, origins_[k]};
                if constexpr (!std::is_void_v<Y>) column.y = y + k;
                if constexpr (!std::is_void_v<W>) {
                    column.w = weight_per_value ? weight + k : weight;
                    column.weight_stride = weight_per_value ? outputs_ : 1;
                }
                if (!slice) {
                    double out[num_sums];
                    const detail::Column<X, Y, W, true> contiguous{column.x, column.y, column.w, 1, 1, column.origin};
                    for (index_t b = begin; b < end; b += block) {
                        if (outputs_ == 1)
                            detail::sum_block(contiguous, b, std::min(end, b + block), out);
                        else
                            detail::sum_block(column, b, std::min(end, b + block), out);
                        for (int s = 0; s < num_sums; ++s) total[k * num_sums + s].add(out[s]);
                    }
                    continue;
                }
                // One plain partial sum per slice over a chunk, then compensated totals.
                const index_t chunk = std::max<index_t>(4096, 8 * slices_);
                std::vector<double> acc((slices_ + 1) * num_sums);
                for (index_t b = begin; b < end; b += chunk) {
                    std::fill(acc.begin(), acc.end(), 0.0);
                    detail::sum_block_sliced(column, slice, slices_, b, std::min(end, b + chunk), acc.data());
                    for (index_t s = 0; s < slices_; ++s)
                        for (int j = 0; j < num_sums; ++j)
                            total[(s * outputs_ + k) * num_sums + j].add(acc[s * num_sums + j]);
                }
            }
            count_rows(partial_counts[t], slice, begin, end);
        });
        if (refuse_non_finite)
            for (const auto& sums : partial)
                for (const CompensatedSum& s : sums)
                    if (!std::isfinite(s.sum) || !std::isfinite(s.error)) {
                        if (!had_origin) {
                            std::fill(origins_.begin(), origins_.end(), 0.0);
                            has_origin_ = false;
                        }
                        return false;
                    }
        add_partials(partial, partial_counts);
        return true;
    }
};

}  // namespace accumetrics
