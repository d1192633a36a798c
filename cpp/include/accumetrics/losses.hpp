// Weighted sums of a per-sample loss of predictions mu against targets y, per output
// column and slice: Tweedie deviances (power 0: squared error, 1: Poisson, 2: Gamma,
// p <= 0 or p >= 1 otherwise) and pinball (quantile) losses. Besides the sum of w and
// of w * loss, each output keeps what the loss of a constant prediction (the weighted
// mean of y) needs: the sums of w * y, w * f(y) (the part of the deviance that depends
// on y alone) and of w * (y - origin) and w * (y - origin)^2, origin the first y seen.
//
// Blocks of values are summed in float64, block totals with compensated summation, as
// in moments.hpp. A value outside the loss's domain (a non-positive prediction of a
// Poisson deviance, say) makes the update change nothing and report where it was.
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

enum LossStat : int {
    loss_weight,
    loss_sum,
    loss_true,
    loss_own,
    loss_centered_true,
    loss_centered_true_squared,
    num_loss_stats
};

enum class LossKind : int { tweedie = 0, pinball = 1 };

namespace detail {

inline double xlogy(double x, double y) { return x == 0.0 ? 0.0 : x * std::log(y); }

struct SquaredError {
    bool valid(double, double) const { return true; }
    double loss(double y, double mu) const { return (y - mu) * (y - mu); }
    double own(double) const { return 0.0; }
};

struct PoissonDeviance {
    bool valid(double y, double mu) const { return y >= 0.0 && mu > 0.0; }
    double loss(double y, double mu) const { return 2 * (xlogy(y, y / mu) - y + mu); }
    double own(double y) const { return xlogy(y, y); }
};

struct GammaDeviance {
    bool valid(double y, double mu) const { return y > 0.0 && mu > 0.0; }
    double loss(double y, double mu) const { return 2 * (std::log(mu / y) + y / mu - 1); }
    double own(double y) const { return std::log(y); }
};

struct PowerDeviance {
    double p;
    bool valid(double y, double mu) const {
        if (p < 0) return mu > 0.0;
        if (p < 2) return y >= 0.0 && mu > 0.0;
        return y > 0.0 && mu > 0.0;
    }
    double loss(double y, double mu) const {
        return 2 * (own(y) / ((1 - p) * (2 - p)) - y * std::pow(mu, 1 - p) / (1 - p) + std::pow(mu, 2 - p) / (2 - p));
    }
    double own(double y) const { return std::pow(y > 0.0 ? y : 0.0, 2 - p); }
};

struct Pinball {
    double alpha;
    bool valid(double, double) const { return true; }
    double loss(double y, double mu) const {
        const double d = y - mu;
        return d >= 0.0 ? alpha * d : (alpha - 1) * d;
    }
    double own(double) const { return 0.0; }
};

// Sums of rows [begin, end) of one output, values at x[i * stride], weights at w[i].
// Returns the first row outside the loss's domain, or -1.
template <class Loss, class Y, class M, class W>
ACCUMETRICS_KERNEL index_t sum_loss_block(const Loss& f, const Y* y, const M* mu, const W* w, index_t stride, index_t begin, index_t end,
                       double origin, double* out) {
    double s[num_loss_stats] = {};
    for (index_t i = begin; i < end; ++i) {
        const double yv = static_cast<double>(y[i * stride]), mv = static_cast<double>(mu[i * stride]);
        double wv = 1.0;
        if constexpr (!std::is_void_v<W>) wv = static_cast<double>(w[i]);
        if (!f.valid(yv, mv)) return i;
        const double c = yv - origin;
        s[loss_weight] += wv;
        s[loss_sum] += wv * f.loss(yv, mv);
        s[loss_true] += wv * yv;
        s[loss_own] += wv * f.own(yv);
        s[loss_centered_true] += wv * c;
        s[loss_centered_true_squared] += wv * c * c;
    }
    std::copy_n(s, int(num_loss_stats), out);
    return -1;
}

}  // namespace detail

// sums()[(slice * outputs + output) * num_loss_stats + s], s a LossStat.
class LossSums : public CenteredSums<num_loss_stats> {
public:
    LossSums(LossKind kind, double parameter, index_t num_outputs = 1, index_t num_slices = 1)
        : CenteredSums(num_outputs, num_slices), kind_(kind), parameter_(parameter) {
        if (kind == LossKind::tweedie && parameter > 0 && parameter < 1)
            throw std::invalid_argument("a Tweedie power must be <= 0 or >= 1");
        if (kind == LossKind::pinball && !(parameter >= 0 && parameter <= 1))
            throw std::invalid_argument("a pinball loss needs alpha in [0, 1]");
    }

    LossKind kind() const { return kind_; }
    double parameter() const { return parameter_; }

    // Adds `rows` rows of `outputs` values (row-major); `weight` may be null (then 1),
    // one per row; `slice` may be null, otherwise rows of a slice out of range are
    // discarded. Returns -1, or the index of the first value (row * outputs + output)
    // outside the loss's domain; the state is then unchanged.
    template <class Y, class M, class W>
    index_t add(const Y* y, const M* mu, const W* weight, const std::int64_t* slice, index_t rows) {
        if (!weight) return add_loss<Y, M, void>(y, mu, nullptr, slice, rows);
        return add_loss(y, mu, weight, slice, rows);
    }

    void merge(const LossSums& other) {
        if (kind_ != other.kind_ || parameter_ != other.parameter_ || outputs_ != other.outputs_ ||
            slices_ != other.slices_)
            throw std::invalid_argument("cannot merge loss sums of different losses or shapes");
        add_sums(other, move_origin);
    }

private:
    template <class Y, class M, class W>
    index_t add_loss(const Y* y, const M* mu, const W* weight, const std::int64_t* slice, index_t rows) {
        if (kind_ == LossKind::pinball) return add_with(detail::Pinball{parameter_}, y, mu, weight, slice, rows);
        if (parameter_ == 0) return add_with(detail::SquaredError{}, y, mu, weight, slice, rows);
        if (parameter_ == 1) return add_with(detail::PoissonDeviance{}, y, mu, weight, slice, rows);
        if (parameter_ == 2) return add_with(detail::GammaDeviance{}, y, mu, weight, slice, rows);
        return add_with(detail::PowerDeviance{parameter_}, y, mu, weight, slice, rows);
    }

    // Centered sums about c into sums about c - by: y - (c - by) = (y - c) + by.
    static void move_origin(CompensatedSum* s, double by) {
        if (by == 0.0) return;
        const CompensatedSum w = s[loss_weight], c = s[loss_centered_true];
        s[loss_centered_true_squared].add_product(2 * by, c);
        const double square = by * by;
        s[loss_centered_true_squared].add_product(square, w);
        s[loss_centered_true_squared].add_product(std::fma(by, by, -square), w);
        s[loss_centered_true].add_product(by, w);
    }

    template <class Loss, class Y, class M, class W>
    index_t add_with(const Loss& f, const Y* y, const M* mu, const W* weight, const std::int64_t* slice, index_t rows) {
        constexpr index_t block = 1024;
        std::vector<double> origins = origins_;
        if (!has_origin_ && rows > 0)
            for (index_t k = 0; k < outputs_; ++k) {
                const double first = static_cast<double>(y[k]);
                origins[k] = std::isfinite(first) ? first : 0.0;
            }
        const int threads = plan_threads(rows * outputs_, slice ? slices_ * outputs_ * num_loss_stats : 0);
        std::vector<std::vector<CompensatedSum>> partial(threads, std::vector<CompensatedSum>(sums_.size()));
        std::vector<std::vector<std::int64_t>> partial_counts(threads, std::vector<std::int64_t>(slices_ + 1, 0));
        std::vector<index_t> bad(threads, -1);

        parallel_chunks(rows, threads, [&](index_t begin, index_t end, int t) {
            std::vector<CompensatedSum>& total = partial[t];
            double out[num_loss_stats];
            for (index_t k = 0; k < outputs_ && bad[t] < 0; ++k) {
                if (!slice) {
                    for (index_t b = begin; b < end; b += block) {
                        const index_t at = detail::sum_loss_block(f, y + k, mu + k, weight, outputs_, b,
                                                                  std::min(end, b + block), origins[k], out);
                        if (at >= 0) {
                            bad[t] = at * outputs_ + k;
                            return;
                        }
                        for (int s = 0; s < num_loss_stats; ++s) total[k * num_loss_stats + s].add(out[s]);
                    }
                    continue;
                }
                for (index_t i = begin; i < end; ++i) {
                    const index_t s = detail::class_index(slice[i], slices_);
                    const index_t at = detail::sum_loss_block(f, y + k, mu + k, weight, outputs_, i, i + 1,
                                                              origins[k], out);
                    if (at >= 0) {
                        bad[t] = at * outputs_ + k;
                        return;
                    }
                    if (s == slices_) continue;
                    for (int j = 0; j < num_loss_stats; ++j) total[(s * outputs_ + k) * num_loss_stats + j].add(out[j]);
                }
            }
            count_rows(partial_counts[t], slice, begin, end);
        });
        for (index_t b : bad)
            if (b >= 0) return b;
        if (rows > 0 && !has_origin_) set_origins(std::move(origins), true);
        add_partials(partial, partial_counts);
        return -1;
    }

    LossKind kind_;
    double parameter_;
};

}  // namespace accumetrics
