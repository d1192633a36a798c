// A second pass over the samples of a ScoreHistogram that counts again, one bin per
// distinct score value, the samples of the bins its error bounds come from.
//
// The bins with the largest terms in the ROC AUC and average precision bounds are
// chosen until what the others add to each bound is at most `target`. Rounding to
// float32 is monotone, so the distinct values of a chosen bin are a contiguous run in
// score order; walking the histogram with each chosen bin replaced by its run gives
// the same values as before where nothing was chosen, and exact ones where every bin
// with an error term was. Memory: one entry per distinct value in the chosen bins, at
// most `max_values`; past that the refinement gives up and result() is the
// histogram's own.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <numeric>
#include <vector>

#include "radix_sort.hpp"
#include "ranking.hpp"
#include "score_histogram.hpp"

namespace accumetrics {

class HistogramRefinement {
public:
    // `histogram` must be flushed.
    HistogramRefinement(const ScoreHistogram& histogram, double target, index_t max_values)
        : bins_(histogram.bins()), pos_(histogram.positives()), neg_(histogram.negatives()),
          shift_(histogram.shift()), weighted_(histogram.weighted()), exact_(histogram.exact()),
          max_values_(max_values) {
        if (exact_ || bins_.empty()) return;
        BinWalk walk(weighted_);
        std::vector<BinWalk::Error> errors(bins_.size());
        for (std::size_t k = bins_.size(); k-- > 0;) errors[k] = walk.add(pos_[k], neg_[k], false);
        const double pairs = 2.0 * walk.positives() * walk.negatives(), positives = walk.positives();
        const auto auc_term = [&](std::size_t k) { return pairs > 0.0 ? errors[k].roc_auc / pairs : 0.0; };
        const auto ap_term = [&](std::size_t k) {
            return positives > 0.0 ? errors[k].average_precision / positives : 0.0;
        };
        double auc_left = 0.0, ap_left = 0.0;
        for (std::size_t k = 0; k < bins_.size(); ++k) {
            auc_left += auc_term(k);
            ap_left += ap_term(k);
        }
        std::vector<std::size_t> order(bins_.size());
        std::iota(order.begin(), order.end(), std::size_t(0));
        std::sort(order.begin(), order.end(), [&](std::size_t i, std::size_t j) {
            return std::max(auc_term(i), ap_term(i)) > std::max(auc_term(j), ap_term(j));
        });
        for (std::size_t k : order) {
            if (auc_left <= target && ap_left <= target) break;
            if (auc_term(k) == 0.0 && ap_term(k) == 0.0) break;
            chosen_.push_back(bins_[k]);
            auc_left -= auc_term(k);
            ap_left -= ap_term(k);
        }
        std::sort(chosen_.begin(), chosen_.end());
    }

    index_t chosen_bins() const { return index_t(chosen_.size()); }
    index_t values() const { return index_t(keys_.size() + pending_.size()); }
    // False once the chosen bins held more than max_values distinct values.
    bool complete() const { return !overflow_; }

    // The samples of the histogram's pass, again: label (nonzero = positive), score, weight (W = void: 1).
    template <class L, class S, class W>
    void add(const L* label, const S* score, const W* weight, index_t n) {
        if (chosen_.empty() || overflow_) return;
        for (index_t i = 0; i < n; ++i) {
            const double w = detail::weight_of(weight, i);
            if (w == 0.0) continue;
            const double x = static_cast<double>(score[i]);
            if (!std::binary_search(chosen_.begin(), chosen_.end(), bin_of(x))) continue;
            pending_.push_back({order_key(x), label[i] != L(0) ? w : -w});
            if (index_t(pending_.size()) >= std::max<index_t>(index_t(1) << 16, index_t(keys_.size()))) flush();
            if (overflow_) return;
        }
    }

    BinnedRanking result() {
        flush();
        BinWalk walk(weighted_);
        std::size_t c = chosen_.size(), v = keys_.size();
        const bool refined = !overflow_;
        for (std::size_t k = bins_.size(); k-- > 0;) {
            if (refined && c > 0 && chosen_[c - 1] == bins_[k]) {
                --c;
                while (v > 0 && bin_of(from_order_key<double>(keys_[v - 1])) == bins_[k]) {
                    --v;
                    walk.add(value_pos_[v], value_neg_[v], true);
                }
            } else {
                walk.add(pos_[k], neg_[k], exact_);
            }
        }
        return walk.result();
    }

private:
    std::uint32_t bin_of(double x) const {
        const std::uint32_t key = order_key(static_cast<float>(x));
        return shift_ >= 32 ? 0u : key >> shift_;
    }

    // Pending samples carry their label in the weight's sign (zero weights are skipped), so that one
    // 64-bit key sorts them.
    void flush() {
        if (pending_.empty() || overflow_) return;
        std::vector<Weighted<std::uint64_t>> scratch(pending_.size());
        const auto* sorted = radix_sort(pending_.data(), scratch.data(), index_t(pending_.size()));
        std::vector<std::uint64_t> keys;
        std::vector<double> pos, neg;
        std::size_t i = 0, j = 0;
        const std::size_t n = pending_.size();
        while (i < keys_.size() || j < n) {
            const bool mine = j == n || (i < keys_.size() && keys_[i] <= sorted[j].key);
            const std::uint64_t key = mine ? keys_[i] : sorted[j].key;
            if (keys.empty() || keys.back() != key) {
                keys.push_back(key);
                pos.push_back(0.0);
                neg.push_back(0.0);
            }
            if (mine) {
                pos.back() += value_pos_[i];
                neg.back() += value_neg_[i];
                ++i;
            } else {
                const double w = sorted[j].weight;
                (std::signbit(w) ? neg.back() : pos.back()) += std::abs(w);
                ++j;
            }
        }
        pending_.clear();
        if (index_t(keys.size()) > max_values_) {
            overflow_ = true;
            keys_.clear();
            value_pos_.clear();
            value_neg_.clear();
            pending_.shrink_to_fit();
            return;
        }
        keys_ = std::move(keys);
        value_pos_ = std::move(pos);
        value_neg_ = std::move(neg);
    }

    std::vector<std::uint32_t> bins_;
    std::vector<double> pos_, neg_;
    int shift_;
    bool weighted_, exact_;
    index_t max_values_;
    bool overflow_ = false;
    std::vector<std::uint32_t> chosen_;
    std::vector<Weighted<std::uint64_t>> pending_;
    std::vector<std::uint64_t> keys_;
    std::vector<double> value_pos_, value_neg_;
};

}  // namespace accumetrics
