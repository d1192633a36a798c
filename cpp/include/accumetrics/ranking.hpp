// Exact ranking metrics of binary scores: the distinct-score curve (cumulative
// true and false positives at each distinct score, ties grouped), ROC AUC by the
// trapezoid rule and average precision by the step rule, as scikit-learn defines
// them.
//
// Scores are mapped to unsigned integers that sort in the same order as the floats
// (order_key), positives and negatives are split into two arrays, each is sorted by
// an LSD radix sort (O(N)), and one merge walk from the top visits every distinct
// score once.
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <limits>
#include <type_traits>
#include <vector>

#include "config.hpp"
#include "parallel.hpp"

namespace accumetrics {

// Unsigned integer of the same width as F whose order is the order of the floats
// (-inf < ... < -0 = +0 < ... < +inf). Both zeros map to the key of +0. NaN must be
// excluded beforehand.
template <class F>
using key_of_t = std::conditional_t<sizeof(F) == 4, std::uint32_t, std::uint64_t>;

template <class F>
inline key_of_t<F> order_key(F x) {
    static_assert(std::is_floating_point_v<F> && (sizeof(F) == 4 || sizeof(F) == 8));
    using K = key_of_t<F>;
    constexpr K sign = K(1) << (8 * sizeof(K) - 1);
    x = x + F(0);  // -0 -> +0
    K bits;
    std::memcpy(&bits, &x, sizeof(K));
    return (bits & sign) ? ~bits : (bits | sign);
}

template <class F>
inline F from_order_key(key_of_t<F> key) {
    using K = key_of_t<F>;
    constexpr K sign = K(1) << (8 * sizeof(K) - 1);
    K bits = (key & sign) ? (key ^ sign) : ~key;
    F x;
    std::memcpy(&x, &bits, sizeof(K));
    return x;
}

// A sort key with a weight carried along.
template <class K>
struct Weighted {
    K key;
    double weight;
};

template <class K>
inline K item_key(K item) { return item; }
template <class K>
inline K item_key(const Weighted<K>& item) { return item.key; }
template <class K>
inline double item_weight(K) { return 1.0; }
template <class K>
inline double item_weight(const Weighted<K>& item) { return item.weight; }

// Sorts data[0, n) ascending by item_key, stably, with `buffer` of n items as
// scratch; 8-bit digits, one counting pass for all digits, and digits on which
// all keys agree are skipped. Returns where the sorted items are (data or buffer).
template <class Item>
ACCUMETRICS_KERNEL Item* radix_sort(Item* data, Item* buffer, index_t n) {
    using K = decltype(item_key(*data));
    constexpr int digit_bits = 8;
    constexpr int radix = 1 << digit_bits;
    constexpr int digits = (8 * sizeof(K) + digit_bits - 1) / digit_bits;
    std::vector<std::array<index_t, radix>> count(digits);
    for (auto& c : count) c.fill(0);
    for (index_t i = 0; i < n; ++i) {
        K key = item_key(data[i]);
        for (int d = 0; d < digits; ++d) ++count[d][(key >> (d * digit_bits)) & (radix - 1)];
    }
    Item* from = data;
    Item* to = buffer;
    for (int d = 0; d < digits; ++d) {
        auto& c = count[d];
        const K probe = n ? item_key(data[0]) : K(0);
        if (c[(probe >> (d * digit_bits)) & (radix - 1)] == n) continue;  // one value: nothing to move
        index_t offset = 0;
        for (int b = 0; b < radix; ++b) {
            index_t k = c[b];
            c[b] = offset;
            offset += k;
        }
        const int shift = d * digit_bits;
        for (index_t i = 0; i < n; ++i) {
            const Item item = from[i];
            to[c[(item_key(item) >> shift) & (radix - 1)]++] = item;
        }
        std::swap(from, to);
    }
    return from;
}

// Positives and negatives of one binary column, each sorted by score ascending.
template <class Item>
struct SortedClasses {
    std::vector<Item> storage;  // positives, then negatives, then scratch
    const Item* pos = nullptr;
    const Item* neg = nullptr;
    index_t num_pos = 0;
    index_t num_neg = 0;
};

// Splits rows [0, n) of a column into sorted positives and negatives. The column is
// label[i * stride], score[i * stride] and weight[i] (one weight per row; W = void
// for none). Labels are nonzero for positives. Samples of weight 0 are dropped, as
// they would only add thresholds at which nothing changes. Scores must not be NaN.
template <class L, class S, class W>
auto sort_classes(const L* label, const S* score, const W* weight, index_t n, index_t stride, bool parallel) {
    using K = key_of_t<S>;
    using Item = std::conditional_t<std::is_void_v<W>, K, Weighted<K>>;
    SortedClasses<Item> out;
    index_t pos = 0, kept = 0;
    for (index_t i = 0; i < n; ++i) {
        bool keep = true;
        if constexpr (!std::is_void_v<W>) keep = weight[i] != W(0);
        kept += keep;
        pos += keep && label[i * stride] != L(0);
    }
    const index_t neg = kept - pos;
    // Branch-free split: each item is written to both sides, and only one side
    // advances (one slot of slack past the end of each side).
    out.storage.resize(std::size_t(2 * kept + 2));
    Item* p = out.storage.data();
    Item* q = p + pos + 1;
    for (index_t i = 0; i < n; ++i) {
        Item item;
        const bool positive = label[i * stride] != L(0);
        bool keep = true;
        if constexpr (std::is_void_v<W>) {
            item = order_key(score[i * stride]);
        } else {
            keep = weight[i] != W(0);
            item = Item{order_key(score[i * stride]), static_cast<double>(weight[i])};
        }
        *p = item;
        *q = item;
        p += keep & positive;
        q += keep & !positive;
    }
    std::copy(out.storage.data() + pos + 1, out.storage.data() + kept + 1, out.storage.data() + pos);
    Item* base = out.storage.data();
    Item* scratch = base + kept;
    Item* sorted[2];
    parallel_chunks(2, parallel ? 2 : 1, [&](index_t begin, index_t end, int) {
        for (index_t c = begin; c < end; ++c) {
            Item* data = c == 0 ? base : base + pos;
            sorted[c] = radix_sort(data, c == 0 ? scratch : scratch + pos, c == 0 ? pos : neg);
        }
    });
    out.pos = sorted[0];
    out.neg = sorted[1];
    out.num_pos = pos;
    out.num_neg = neg;
    return out;
}

// Calls visit(key, positive_weight, negative_weight) for each distinct score, from
// the highest down; the weights are the sums over the samples with that score.
template <class Item, class Visit>
void for_each_distinct(const SortedClasses<Item>& s, Visit&& visit) {
    index_t i = s.num_pos - 1, j = s.num_neg - 1;
    while (i >= 0 || j >= 0) {
        auto key = i >= 0 ? item_key(s.pos[i]) : item_key(s.neg[j]);
        if (j >= 0 && (i < 0 || item_key(s.neg[j]) > key)) key = item_key(s.neg[j]);
        double p = 0.0, q = 0.0;
        for (; i >= 0 && item_key(s.pos[i]) == key; --i) p += item_weight(s.pos[i]);
        for (; j >= 0 && item_key(s.neg[j]) == key; --j) q += item_weight(s.neg[j]);
        visit(key, p, q);
    }
}

struct RankingSummary {
    double positives = 0.0;  // total weight of positives
    double negatives = 0.0;
    double roc_auc = 0.0;    // NaN unless both classes have weight
    double average_precision = 0.0;  // 0 without positives
};

// ROC AUC (trapezoids between the points of the distinct-score curve) and average
// precision (sum over distinct scores of recall increase times precision).
template <class Item>
RankingSummary summarize(const SortedClasses<Item>& s) {
    double tp = 0.0, fp = 0.0, area = 0.0, ap = 0.0;
    for_each_distinct(s, [&](auto, double p, double q) {
        const double tp_before = tp;
        tp += p;
        fp += q;
        area += q * (tp_before + tp);
        if (p > 0.0) ap += p * (tp / (tp + fp));
    });
    RankingSummary r;
    r.positives = tp;
    r.negatives = fp;
    r.roc_auc = (tp > 0.0 && fp > 0.0) ? area / (2.0 * tp * fp) : std::numeric_limits<double>::quiet_NaN();
    r.average_precision = tp > 0.0 ? std::max(0.0, ap / tp) : 0.0;
    return r;
}

template <class L, class S, class W>
RankingSummary ranking_summary(const L* label, const S* score, const W* weight, index_t n, index_t stride = 1,
                               bool parallel = false) {
    return summarize(sort_classes(label, score, weight, n, stride, parallel));
}

// The distinct-score curve: scores decreasing, cumulative weights of positives
// (tps) and negatives (fps) at or above each.
struct RankingCurve {
    std::vector<double> thresholds;
    std::vector<double> tps;
    std::vector<double> fps;
};

template <class L, class S, class W>
RankingCurve ranking_curve(const L* label, const S* score, const W* weight, index_t n, index_t stride = 1,
                           bool parallel = false) {
    auto s = sort_classes(label, score, weight, n, stride, parallel);
    RankingCurve c;
    double tp = 0.0, fp = 0.0;
    for_each_distinct(s, [&](auto key, double p, double q) {
        tp += p;
        fp += q;
        c.thresholds.push_back(static_cast<double>(from_order_key<S>(key)));
        c.tps.push_back(tp);
        c.fps.push_back(fp);
    });
    return c;
}

}  // namespace accumetrics
