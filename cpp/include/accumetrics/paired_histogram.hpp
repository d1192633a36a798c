// A bounded, mergeable joint histogram of two models' scores on the same binary
// samples, for DeLong's variances and covariance of their ROC AUCs.
//
// A cell is the pair of the samples' score bins, a bin being, as in ScoreHistogram,
// the order key of the float32 score with the lowest `shift` bits dropped; positives
// and negatives keep their own cells. The histogram starts with one bin per float32
// value and drops one more bit of both scores whenever it would hold more than
// `max_cells` cells.
//
// DeLong, DeLong and Clarke-Pearson (1988): with V10(i) the share of negatives a
// positive i outranks (ties 1/2) and V01(j) the share of positives that outrank a
// negative j, a model's AUC is the mean of either, and the covariance of two models'
// AUCs is S10/P + S01/N, S10 and S01 the sample covariances of the two models'
// V10 over the positives and of their V01 over the negatives. Both follow from the
// cells: a sample's V10 or V01 depends only on its bin, through the other class's
// marginal histogram. Weights count as repetitions. Samples whose scores share a
// bin count as tied, which at one bin per float32 value is exact for float32 scores.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <stdexcept>
#include <vector>

#include "config.hpp"
#include "radix_sort.hpp"
#include "ranking.hpp"

namespace accumetrics {

struct DeLong {
    double positives = 0.0;
    double negatives = 0.0;
    double roc_auc_a = 0.0;
    double roc_auc_b = 0.0;
    double var_a = 0.0;
    double var_b = 0.0;
    double cov = 0.0;
};

class PairedHistogram {
public:
    explicit PairedHistogram(index_t max_cells = index_t(1) << 20) : max_cells_(max_cells) {
        if (max_cells < 2) throw std::invalid_argument("max_cells must be at least 2");
    }

    index_t max_cells() const { return max_cells_; }
    int shift() const { return shift_; }
    index_t num_cells() const { return index_t(pos_.keys.size() + neg_.keys.size()); }

    // Adds n samples: label (nonzero = positive), the two models' scores, weight (W = void: 1).
    template <class L, class S, class W>
    void add(const L* label, const S* a, const S* b, const W* weight, index_t n) {
        for (index_t i = 0; i < n; ++i) {
            const double w = detail::weight_of(weight, i);
            if (w == 0.0) continue;
            const std::uint64_t key = (std::uint64_t(order_key(static_cast<float>(a[i]))) << 32) |
                                      order_key(static_cast<float>(b[i]));
            pending_.push_back({key, label[i] != L(0) ? w : -w});
            if (index_t(pending_.size()) >= std::max<index_t>(index_t(1) << 16, num_cells())) flush();
        }
    }

    void flush() {
        if (pending_.empty()) return;
        Cells pos, neg;
        for (const auto& item : pending_) {
            Cells& to = std::signbit(item.weight) ? neg : pos;
            to.keys.push_back(coarse(item.key, shift_));
            to.weights.push_back(std::abs(item.weight));
        }
        pending_.clear();
        absorb(pos, neg);
    }

    void merge(const PairedHistogram& other) {
        if (max_cells_ != other.max_cells_)
            throw std::invalid_argument("cannot merge paired histograms with different max_cells");
        PairedHistogram theirs(other);
        theirs.flush();
        flush();
        const int shift = std::max(shift_, theirs.shift_);
        coarsen_to(shift);
        theirs.coarsen_to(shift);
        absorb(theirs.pos_, theirs.neg_);
    }

    void reset() { *this = PairedHistogram(max_cells_); }

    // The cells of one class, (bin of a) << 32 | (bin of b) sorted, and their weights; call flush() first.
    const std::vector<std::uint64_t>& keys(bool positive) const { return (positive ? pos_ : neg_).keys; }
    const std::vector<double>& weights(bool positive) const { return (positive ? pos_ : neg_).weights; }

    // Restores a state read from shift(), keys() and weights().
    void restore(int shift, std::vector<std::uint64_t> pos_keys, std::vector<double> pos_weights,
                 std::vector<std::uint64_t> neg_keys, std::vector<double> neg_weights) {
        const auto valid = [](const std::vector<std::uint64_t>& k, const std::vector<double>& w) {
            return k.size() == w.size() && std::is_sorted(k.begin(), k.end()) &&
                   std::adjacent_find(k.begin(), k.end()) == k.end();
        };
        if (shift < 0 || shift > 32 || !valid(pos_keys, pos_weights) || !valid(neg_keys, neg_weights) ||
            index_t(pos_keys.size() + neg_keys.size()) > max_cells_)
            throw std::invalid_argument("not a valid paired histogram state");
        shift_ = shift;
        pos_ = {std::move(pos_keys), std::move(pos_weights)};
        neg_ = {std::move(neg_keys), std::move(neg_weights)};
        pending_.clear();
    }

    // Call flush() first.
    DeLong delong() const {
        DeLong r;
        const Marginal neg_a(neg_, true), neg_b(neg_, false), pos_a(pos_, true), pos_b(pos_, false);
        const double P = pos_a.total, N = neg_a.total;
        r.positives = P;
        r.negatives = N;
        const double nan = std::numeric_limits<double>::quiet_NaN();
        if (!(P > 0.0 && N > 0.0)) {
            r.roc_auc_a = r.roc_auc_b = r.var_a = r.var_b = r.cov = nan;
            return r;
        }
        // V10 of a positive: negative weight below its bin plus half of its bin's, over N; V01 of a negative:
        // positive weight above its bin plus half of its bin's, over P.
        const Moments10 s10 = moments(pos_, neg_a, neg_b, N, false);
        const Moments10 s01 = moments(neg_, pos_a, pos_b, P, true);
        r.roc_auc_a = s10.mean_a;
        r.roc_auc_b = s10.mean_b;
        r.var_a = s10.cov_aa / P + s01.cov_aa / N;
        r.var_b = s10.cov_bb / P + s01.cov_bb / N;
        r.cov = s10.cov_ab / P + s01.cov_ab / N;
        return r;
    }

private:
    struct Cells {
        std::vector<std::uint64_t> keys;  // (bin of a) << 32 | (bin of b), sorted
        std::vector<double> weights;
    };

    // One model's bins of one class, sorted, with the weight below each.
    struct Marginal {
        std::vector<std::uint32_t> bins;
        std::vector<double> below, at;
        double total = 0.0;

        Marginal(const Cells& cells, bool first) {
            std::vector<Weighted<std::uint64_t>> items(cells.keys.size()), scratch(cells.keys.size());
            for (std::size_t i = 0; i < items.size(); ++i)
                items[i] = {first ? cells.keys[i] >> 32 : cells.keys[i] & 0xffffffffu, cells.weights[i]};
            const auto* sorted = first ? items.data() : radix_sort(items.data(), scratch.data(), index_t(items.size()));
            for (std::size_t i = 0; i < items.size(); ++i) {
                const auto bin = std::uint32_t(sorted[i].key);
                if (bins.empty() || bins.back() != bin) {
                    bins.push_back(bin);
                    below.push_back(total);
                    at.push_back(0.0);
                }
                at.back() += sorted[i].weight;
                total += sorted[i].weight;
            }
        }

        // (weight below, weight at) the bin, which must be present or absent alike.
        std::pair<double, double> find(std::uint32_t bin) const {
            const auto it = std::lower_bound(bins.begin(), bins.end(), bin);
            const std::size_t k = std::size_t(it - bins.begin());
            if (it != bins.end() && *it == bin) return {below[k], at[k]};
            return {k < below.size() ? below[k] : total, 0.0};
        }
    };

    struct Moments10 {
        double mean_a = 0.0, mean_b = 0.0, cov_aa = 0.0, cov_bb = 0.0, cov_ab = 0.0;
    };

    // Means and sample covariances of the two models' placement values over `cells`, against the other
    // class's marginals; `above` counts the other class above the bin (V01) instead of below (V10).
    static Moments10 moments(const Cells& cells, const Marginal& other_a, const Marginal& other_b, double other_total,
                             bool above) {
        const auto placement = [&](const Marginal& m, std::uint32_t bin) {
            const auto [below, at] = m.find(bin);
            return ((above ? other_total - below - at : below) + 0.5 * at) / other_total;
        };
        std::vector<double> va(cells.keys.size()), vb(cells.keys.size());
        double total = 0.0, sa = 0.0, sb = 0.0;
        for (std::size_t i = 0; i < cells.keys.size(); ++i) {
            va[i] = placement(other_a, std::uint32_t(cells.keys[i] >> 32));
            vb[i] = placement(other_b, std::uint32_t(cells.keys[i] & 0xffffffffu));
            const double w = cells.weights[i];
            total += w;
            sa += w * va[i];
            sb += w * vb[i];
        }
        Moments10 m;
        m.mean_a = sa / total;
        m.mean_b = sb / total;
        for (std::size_t i = 0; i < cells.keys.size(); ++i) {
            const double w = cells.weights[i], da = va[i] - m.mean_a, db = vb[i] - m.mean_b;
            m.cov_aa += w * da * da;
            m.cov_bb += w * db * db;
            m.cov_ab += w * da * db;
        }
        const double dof = total - 1.0;
        if (dof > 0.0) {
            m.cov_aa /= dof;
            m.cov_bb /= dof;
            m.cov_ab /= dof;
        } else {
            m.cov_aa = m.cov_bb = m.cov_ab = 0.0;
        }
        return m;
    }

    static std::uint64_t coarse(std::uint64_t key, int shift) {
        if (shift == 0) return key;
        if (shift >= 32) return 0;
        return ((key >> 32) >> shift) << 32 | ((key & 0xffffffffu) >> shift);
    }

    // Sorts `cells` and sums cells with the same key.
    static void combine(Cells& cells) {
        std::vector<Weighted<std::uint64_t>> items(cells.keys.size()), scratch(cells.keys.size());
        for (std::size_t i = 0; i < items.size(); ++i) items[i] = {cells.keys[i], cells.weights[i]};
        const auto* sorted = radix_sort(items.data(), scratch.data(), index_t(items.size()));
        cells.keys.clear();
        cells.weights.clear();
        for (std::size_t i = 0; i < items.size(); ++i) {
            if (cells.keys.empty() || cells.keys.back() != sorted[i].key) {
                cells.keys.push_back(sorted[i].key);
                cells.weights.push_back(0.0);
            }
            cells.weights.back() += sorted[i].weight;
        }
    }

    void absorb(const Cells& pos, const Cells& neg) {
        for (auto [mine, theirs] : {std::pair<Cells*, const Cells*>{&pos_, &pos}, {&neg_, &neg}}) {
            mine->keys.insert(mine->keys.end(), theirs->keys.begin(), theirs->keys.end());
            mine->weights.insert(mine->weights.end(), theirs->weights.begin(), theirs->weights.end());
            combine(*mine);
        }
        while (num_cells() > max_cells_) coarsen_to(shift_ + 1);
    }

    void coarsen_to(int shift) {
        if (shift <= shift_) return;
        for (Cells* cells : {&pos_, &neg_}) {
            for (auto& key : cells->keys) key = coarse(key, shift - shift_);
            combine(*cells);
        }
        shift_ = shift;
    }

    index_t max_cells_;
    int shift_ = 0;
    Cells pos_, neg_;
    std::vector<Weighted<std::uint64_t>> pending_;
};

}  // namespace accumetrics
