// A bounded, mergeable histogram of binary scores for streaming ROC AUC and
// average precision, with a certified bound on the distance to the exact values.
//
// A score's bin is the order key of its float32 value with the lowest `shift` bits
// dropped. The histogram starts exact (shift 0: one bin per float32 value) and only
// coarsens, one bit at a time, when it would hold more than `max_bins` bins, so its
// memory is bounded and its resolution is the finest that fits. Bins are kept as a
// sorted sparse list: (bin, positive weight, negative weight).
//
// Error bounds (P, N: total positive and negative weight; per bin b: p, q its
// positive and negative weight, TP, FP the weights in higher bins):
// - ROC AUC. Pairs in different bins are ordered as in the exact computation; a
//   (positive, negative) pair inside one bin counts 1/2 where exact counts 0, 1/2
//   or 1. So |binned - exact| <= sum_b p q / (2 P N).
// - Average precision. Exact AP = sum over positive samples of w/P times the
//   precision at their score. Inside bin b that precision is (TP + a)/(TP + a + FP + c)
//   with a in (0, p] (at least 1 without weights) and c in [0, q]: it lies between
//   lo = (TP + a_min)/(TP + a_min + FP + q) and hi = (TP + p)/(TP + p + FP). The
//   binned value uses B = (TP + p)/(TP + p + FP + q), also in [lo, hi], so bin b is
//   off by at most p/P * max(hi - B, B - lo). Bins without positives add no error.
// Both bounds are 0 while every bin holds a single score value: at shift 0 when
// all scores were float32 values (float16 and bfloat16 scores always are).
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <stdexcept>
#include <vector>

#include "config.hpp"
#include "ranking.hpp"

namespace accumetrics {

struct BinnedRanking {
    double positives = 0.0;
    double negatives = 0.0;
    double roc_auc = 0.0;
    double roc_auc_bound = 0.0;
    double average_precision = 0.0;
    double average_precision_bound = 0.0;
};

// ROC AUC, average precision and their bounds from bins visited from the highest
// score down; a bin that holds a single score value (`exact`) adds no error.
class BinWalk {
public:
    explicit BinWalk(bool weighted) : first_step_(weighted ? 0.0 : 1.0) {}

    struct Error {
        double roc_auc;            // times 2 P N
        double average_precision;  // times P
    };

    // The bin's error terms, as if it were not exact.
    Error add(double p, double q, bool exact) {
        const double tp_before = tp_, fp_before = fp_;
        tp_ += p;
        fp_ += q;
        area_ += q * (tp_before + tp_);
        Error e{p * q, 0.0};
        if (p > 0.0) {
            const double binned = tp_ / (tp_ + fp_);
            ap_ += p * binned;
            const double a = std::min(p, first_step_);
            const double lo_den = tp_before + a + fp_;
            const double lo = lo_den > 0.0 ? (tp_before + a) / lo_den : 0.0;
            const double hi = tp_ / (tp_ + fp_before);
            e.average_precision = p * std::max(hi - binned, binned - lo);
        }
        if (!exact) {
            same_bin_ += e.roc_auc;
            ap_error_ += e.average_precision;
        }
        return e;
    }

    double positives() const { return tp_; }
    double negatives() const { return fp_; }

    BinnedRanking result() const {
        BinnedRanking r;
        r.positives = tp_;
        r.negatives = fp_;
        const double nan = std::numeric_limits<double>::quiet_NaN();
        const bool both = tp_ > 0.0 && fp_ > 0.0;
        r.roc_auc = both ? area_ / (2.0 * tp_ * fp_) : nan;
        r.roc_auc_bound = both ? same_bin_ / (2.0 * tp_ * fp_) : nan;
        r.average_precision = tp_ > 0.0 ? std::max(0.0, ap_ / tp_) : 0.0;
        r.average_precision_bound = tp_ > 0.0 ? ap_error_ / tp_ : 0.0;
        return r;
    }

private:
    double first_step_;
    double tp_ = 0.0, fp_ = 0.0, area_ = 0.0, ap_ = 0.0, same_bin_ = 0.0, ap_error_ = 0.0;
};

class ScoreHistogram {
public:
    explicit ScoreHistogram(index_t max_bins = index_t(1) << 20) : max_bins_(max_bins) {
        if (max_bins < 2) throw std::invalid_argument("max_bins must be at least 2");
    }

    index_t max_bins() const { return max_bins_; }
    int shift() const { return shift_; }
    // True while each bin holds one score value (results are exact).
    bool exact() const { return shift_ == 0 && lossless_; }
    bool weighted() const { return weighted_; }

    // Bins in increasing score order; call flush() first to include pending samples.
    const std::vector<std::uint32_t>& bins() const { return bins_; }
    const std::vector<double>& positives() const { return pos_; }
    const std::vector<double>& negatives() const { return neg_; }

    // Adds n samples: label (nonzero = positive), score, and weight (W = void: 1).
    // Scores must not be NaN; weights must be finite and non-negative.
    template <class L, class S, class W>
    void add(const L* label, const S* score, const W* weight, index_t n) {
        if constexpr (!std::is_void_v<W>) weighted_ = true;
        for (index_t i = 0; i < n; ++i) {
            const double w = detail::weight_of(weight, i);
            if (w == 0.0) continue;
            const float f = static_cast<float>(score[i]);
            if constexpr (sizeof(S) > sizeof(float)) lossless_ &= static_cast<S>(f) == score[i];
            pending_.push_back({(std::uint64_t(order_key(f)) << 1) | std::uint64_t(label[i] != L(0)), w});
            if (index_t(pending_.size()) >= pending_limit()) flush();
        }
    }

    // Moves the pending samples into the bins.
    void flush() {
        if (pending_.empty()) return;
        std::vector<Weighted<std::uint64_t>> scratch(pending_.size());
        const auto* sorted = radix_sort(pending_.data(), scratch.data(), index_t(pending_.size()));
        std::vector<std::uint32_t> bins;
        std::vector<double> pos, neg;
        for (std::size_t i = 0; i < pending_.size(); ++i) {
            const std::uint32_t bin = std::uint32_t(sorted[i].key >> 1) >> shift_;
            if (bins.empty() || bins.back() != bin) {
                bins.push_back(bin);
                pos.push_back(0.0);
                neg.push_back(0.0);
            }
            ((sorted[i].key & 1) ? pos : neg).back() += sorted[i].weight;
        }
        pending_.clear();
        absorb(bins, pos, neg);
    }

    void merge(const ScoreHistogram& other) {
        if (max_bins_ != other.max_bins_) throw std::invalid_argument("cannot merge histograms with different max_bins");
        ScoreHistogram theirs(other);
        theirs.flush();
        flush();
        const int shift = std::max(shift_, theirs.shift_);
        coarsen_to(shift);
        theirs.coarsen_to(shift);
        lossless_ = lossless_ && theirs.lossless_;
        weighted_ = weighted_ || theirs.weighted_;
        absorb(theirs.bins_, theirs.pos_, theirs.neg_);
    }

    void reset() {
        *this = ScoreHistogram(max_bins_);
    }

    // Restores a state read from bins(), positives(), negatives() and the flags.
    void restore(int shift, bool lossless, bool weighted, std::vector<std::uint32_t> bins, std::vector<double> pos,
                 std::vector<double> neg) {
        if (shift < 0 || shift > 32 || bins.size() != pos.size() || bins.size() != neg.size() ||
            index_t(bins.size()) > max_bins_ || !std::is_sorted(bins.begin(), bins.end()))
            throw std::invalid_argument("not a valid score histogram state");
        shift_ = shift;
        lossless_ = lossless;
        weighted_ = weighted;
        bins_ = std::move(bins);
        pos_ = std::move(pos);
        neg_ = std::move(neg);
        pending_.clear();
    }

    // Call flush() first.
    BinnedRanking result() const {
        BinWalk walk(weighted_);
        for (std::size_t k = bins_.size(); k-- > 0;) walk.add(pos_[k], neg_[k], exact());
        return walk.result();
    }

private:
    index_t pending_limit() const { return std::max<index_t>(index_t(1) << 16, index_t(bins_.size())); }

    // Merges sorted bins at the current shift into the state, then coarsens while
    // there are more than max_bins bins.
    void absorb(const std::vector<std::uint32_t>& bins, const std::vector<double>& pos, const std::vector<double>& neg) {
        std::vector<std::uint32_t> b;
        std::vector<double> p, q;
        b.reserve(bins_.size() + bins.size());
        p.reserve(b.capacity());
        q.reserve(b.capacity());
        std::size_t i = 0, j = 0;
        while (i < bins_.size() || j < bins.size()) {
            const bool mine = j == bins.size() || (i < bins_.size() && bins_[i] <= bins[j]);
            const std::uint32_t bin = mine ? bins_[i] : bins[j];
            if (b.empty() || b.back() != bin) {
                b.push_back(bin);
                p.push_back(0.0);
                q.push_back(0.0);
            }
            p.back() += mine ? pos_[i] : pos[j];
            q.back() += mine ? neg_[i] : neg[j];
            ++(mine ? i : j);
        }
        bins_ = std::move(b);
        pos_ = std::move(p);
        neg_ = std::move(q);
        while (index_t(bins_.size()) > max_bins_) coarsen_to(shift_ + 1);
    }

    void coarsen_to(int shift) {
        if (shift <= shift_) return;
        const int by = shift - shift_;
        std::size_t out = 0;
        for (std::size_t k = 0; k < bins_.size(); ++k) {
            const std::uint32_t bin = by >= 32 ? 0 : bins_[k] >> by;
            if (out > 0 && bins_[out - 1] == bin) {
                pos_[out - 1] += pos_[k];
                neg_[out - 1] += neg_[k];
            } else {
                bins_[out] = bin;
                pos_[out] = pos_[k];
                neg_[out] = neg_[k];
                ++out;
            }
        }
        bins_.resize(out);
        pos_.resize(out);
        neg_.resize(out);
        shift_ = shift;
    }

    index_t max_bins_;
    int shift_ = 0;
    bool lossless_ = true;
    bool weighted_ = false;
    std::vector<std::uint32_t> bins_;
    std::vector<double> pos_, neg_;
    std::vector<Weighted<std::uint64_t>> pending_;
};

}  // namespace accumetrics
