// Exact ranking metrics of binary scores: the distinct-score curve (cumulative
// true and false positives at each distinct score, ties grouped), ROC AUC by the
// trapezoid rule and average precision by the step rule, as scikit-learn defines
// them.
//
// Each score is mapped to an unsigned integer that sorts in the same order as the
// floats (order_key), packed with its label into one 64-bit item, the items are
// sorted by a radix sort (O(N), radix_sort.hpp), and one walk from the top visits
// every distinct score once.
#pragma once

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <limits>
#include <type_traits>
#include <vector>

#include "buffer.hpp"
#include "config.hpp"
#include "parallel.hpp"
#include "radix_sort.hpp"

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

namespace detail {

// Calls f(stride) with a compile-time 1 for contiguous columns, so their loops vectorize.
template <class F>
decltype(auto) with_stride(index_t stride, F&& f) {
    if (stride == 1) return f(std::integral_constant<index_t, 1>{});
    return f(stride);
}

// Bits of the key that pick a bucket: enough for buckets of a few thousand samples,
// at most 16 (a table of 64K entries stays in cache).
inline int bucket_bits(index_t n, int width) {
    int bits = 1;
    while (bits < 16 && (index_t(1) << (bits + 10)) < n) ++bits;
    return std::min(bits, width);
}

// Samples per bucket: a bucket and its scratch stay in the L2 cache while sorted.
template <class Item>
constexpr index_t bucket_target = (index_t(1) << 18) / index_t(sizeof(Item));

// Calls visit(key | high, p, q) for the items of a[begin, end), which share one key.
template <class Item, class Visit>
void visit_group(const Item* a, index_t begin, index_t end, std::uint64_t high, Visit& visit) {
    const std::uint64_t key = (item_key(a[begin]) >> 1) | high;
    if constexpr (std::is_same_v<Item, std::uint64_t>) {
        index_t p = 0;
        for (index_t i = end; i-- > begin;) p += index_t(a[i] & 1);
        visit(key, p, end - begin - p);
    } else {
        double p = 0.0, q = 0.0;
        for (index_t i = end; i-- > begin;) {
            const bool positive = a[i].key & 1;
            p += positive ? a[i].weight : 0.0;
            q += positive ? 0.0 : a[i].weight;
        }
        visit(key, p, q);
    }
}

// Visits the distinct keys of a[0, n), from the top down, and returns the visitor
// (kept local so that its state stays in registers). The items are sorted by
// item_key >> s.sorted_lo; a run that ties on those bits is sorted (with `spare`,
// n items of scratch) when the walk reaches it.
template <class Item, class Visit>
Visit visit_sorted(radix::SortedPrefix<Item> s, Item* spare, index_t n, std::uint64_t high, Visit visit) {
    Item* a = s.data;
    if (s.complete) {
        for (index_t end = n; end > 0;) {
            const std::uint64_t key = item_key(a[end - 1]) >> 1;
            index_t first = end - 1;
            while (first > 0 && (item_key(a[first - 1]) >> 1) == key) --first;
            visit_group(a, first, end, high, visit);
            end = first;
        }
        return visit;
    }
    const int lo = s.sorted_lo;
    for (index_t i = n - 1; i >= 0;) {
        const std::uint64_t prefix = item_key(a[i]) >> lo;
        if (i == 0 || (item_key(a[i - 1]) >> lo) != prefix) {  // the common case: a score of its own
            const std::uint64_t key = (item_key(a[i]) >> 1) | high;
            const bool positive = item_key(a[i]) & 1;
            if constexpr (std::is_same_v<Item, std::uint64_t>)
                visit(key, index_t(positive), index_t(!positive));
            else
                visit(key, positive ? a[i].weight : 0.0, positive ? 0.0 : a[i].weight);
            --i;
            continue;
        }
        index_t begin = i - 1;
        while (begin > 0 && (item_key(a[begin - 1]) >> lo) == prefix) --begin;
        const index_t length = i + 1 - begin;
        const Item* out = radix::sort_run(a + begin, spare + begin, length, 1);
        if (out != a + begin) std::copy(out, out + length, a + begin);
        for (index_t end = i + 1; end > begin;) {
            const std::uint64_t key = item_key(a[end - 1]) >> 1;
            index_t first = end - 1;
            while (first > begin && (item_key(a[first - 1]) >> 1) == key) --first;
            visit_group(a, first, end, high, visit);
            end = first;
        }
        i = begin - 1;
    }
    return visit;
}

}  // namespace detail

// Calls visit(key, positive_weight, negative_weight) for each distinct score of
// rows [0, n) of a column, from the highest down, and returns the visitor: key is the order_key of the
// score, the weights are the sums over the samples with that score (index_t counts
// without weights), summed in the order of a stable sort walked backwards. The
// column is label[i * stride] (nonzero: positive), score[i * stride] and weight[i]
// (one weight per row; W = void for none). Samples of weight 0 are dropped, as they
// would only add thresholds at which nothing changes. Scores must not be NaN.
//
// The leading bits in which the keys differ split the samples into buckets of
// contiguous score ranges, sized to stay in cache; each sample becomes one 64-bit
// item (the key shifted up, the label in bit 0) in its bucket, and the buckets are
// sorted and walked one at a time from the top. When those leading bits are all
// the bits in which the keys differ, the counts per bucket are the answer, and
// nothing is sorted.
template <class L, class S, class W, class Visit>
Visit for_each_distinct(const L* label, const S* score, const W* weight, index_t n, index_t stride, Visit visit) {
    using K = key_of_t<S>;
    constexpr bool weighted = !std::is_void_v<W>;
    constexpr int top = 8 * sizeof(K) - 1;
    using Item = std::conditional_t<weighted, Weighted<std::uint64_t>, std::uint64_t>;
    using Sum = std::conditional_t<weighted, double, index_t>;

    K any = 0, all = ~K(0);
    index_t kept = n;
    detail::with_stride(stride, [&](auto step) {
        for (index_t i = 0; i < n; ++i) {
            const K k = order_key(score[i * step]);
            any |= k;
            all &= k;
            if constexpr (weighted) kept -= weight[i] == W(0);
        }
    });
    if (kept == 0) return visit;
    const K differing = any ^ all;
    const int hi = differing ? radix::highest_bit(differing) : 0;
    const int width = differing ? hi - radix::lowest_bit(differing) + 1 : 1;
    const int bits = detail::bucket_bits(kept, width);
    const int shift = hi + 1 - bits;
    const std::uint64_t mask = (std::uint64_t(1) << bits) - 1;
    const std::size_t fields = std::size_t(1) << bits;
    const auto field_of = [&](K k) { return std::size_t((k >> shift) & mask); };
    const auto keep = [&](index_t i) {
        if constexpr (weighted)
            return weight[i] != W(0);
        else
            return true;
    };

    if (bits == width) {  // a field is one key: count, in reverse order as a walk of the sorted items would
        std::vector<Sum> pos(fields, Sum(0)), other(fields, Sum(0));  // other: negatives, or all without weights
        detail::with_stride(stride, [&](auto step) {
            for (index_t i = n - 1; i >= 0; --i) {
                const std::size_t f = field_of(order_key(score[i * step]));
                const bool positive = label[i * step] != L(0);
                if constexpr (weighted) {
                    const double w = static_cast<double>(weight[i]);
                    pos[f] += positive ? w : 0.0;
                    other[f] += positive ? 0.0 : w;
                } else {
                    pos[f] += positive;
                    ++other[f];
                }
            }
        });
        const K fixed = all & ~K(mask << shift);
        for (std::size_t f = fields; f-- > 0;) {
            if (pos[f] > Sum(0) || other[f] > Sum(0))
                visit(std::uint64_t(fixed | K(f << shift)), pos[f], weighted ? other[f] : other[f] - pos[f]);
        }
        return visit;
    }

    // Buckets: runs of fields holding about bucket_target samples; a 64-bit key's top
    // bit (left out of the items) is the same throughout a bucket.
    std::vector<index_t> count(fields, 0);
    detail::with_stride(stride, [&](auto step) {
        for (index_t i = 0; i < n; ++i) count[field_of(order_key(score[i * step]))] += keep(i);
    });
    const bool split_sign = sizeof(K) == 8 && hi == top;
    std::vector<std::uint32_t> bucket_of(fields);
    std::vector<index_t> start{0};
    std::vector<std::uint64_t> high{0};
    std::vector<std::size_t> first{0}, last{0};  // the first and last field of a bucket that hold samples
    index_t in_bucket = 0;
    for (std::size_t f = 0; f < fields; ++f) {
        if (in_bucket > 0 && (in_bucket + count[f] > detail::bucket_target<Item> || (split_sign && f == fields / 2))) {
            start.push_back(start.back() + in_bucket);
            high.push_back(0);
            first.push_back(f);
            last.push_back(f);
            in_bucket = 0;
        }
        bucket_of[f] = std::uint32_t(start.size() - 1);
        if (count[f] == 0) continue;
        if (in_bucket == 0) first.back() = f;
        last.back() = f;
        in_bucket += count[f];
        const bool upper = split_sign ? f >= fields / 2 : (all >> top) != 0;
        if (sizeof(K) == 8 && upper) high.back() = std::uint64_t(1) << 63;
    }
    start.push_back(start.back() + in_bucket);
    const std::size_t buckets = start.size() - 1;

    Buffer<Item> items{std::size_t(kept)};
    std::vector<index_t> next(start.begin(), start.end() - 1);
    detail::with_stride(stride, [&](auto step) {
        for (index_t i = 0; i < n; ++i) {
            if (!keep(i)) continue;
            const K k = order_key(score[i * step]);
            const std::uint64_t key = (std::uint64_t(k) << 1) | std::uint64_t(label[i * step] != L(0));
            Item item;
            if constexpr (weighted)
                item = Item{key, static_cast<double>(weight[i])};
            else
                item = key;
            items[std::size_t(next[bucket_of[field_of(k)]]++)] = item;
        }
    });

    // Within a bucket the keys differ below the field and in the field bits that differ
    // between its first and last field (in the items: one bit up).
    const std::uint64_t below = shift + 1 >= 64 ? ~std::uint64_t(0) : (std::uint64_t(1) << (shift + 1)) - 1;
    const std::uint64_t differing_below = (std::uint64_t(differing) << 1) & below;
    const auto differing_in = [&](std::size_t b) {
        const std::uint64_t fields_differ = first[b] == last[b] ? 0 : (std::uint64_t(2) << radix::highest_bit(first[b] ^ last[b])) - 1;
        return shift + 1 >= 64 ? differing_below
                               : differing_below | ((fields_differ << (shift + 1)) & (std::uint64_t(differing) << 1));
    };
    index_t largest = 0;
    for (std::size_t b = 0; b < buckets; ++b) largest = std::max(largest, start[b + 1] - start[b]);
    Buffer<Item> scratch{std::size_t(largest)};
    for (std::size_t b = buckets; b-- > 0;) {
        Item* data = items.get() + start[b];
        const index_t size = start[b + 1] - start[b];
        const auto sorted = radix::sort_leading_bits(data, scratch.get(), size, 1, differing_in(b));
        visit = detail::visit_sorted(sorted, sorted.data == data ? scratch.get() : data, size, high[b], std::move(visit));
    }
    return visit;
}

struct RankingSummary {
    double positives = 0.0;  // total weight of positives
    double negatives = 0.0;
    double roc_auc = 0.0;    // NaN unless both classes have weight
    double average_precision = 0.0;  // 0 without positives
};

namespace detail {

// Twice the ROC area (trapezoids between the points of the distinct-score curve)
// and the sum of recall increase times precision, from the top score down: counts
// without weights in integers (twice the area is exact below 2^32 samples), the
// precision added at every score, as 0 where there are no positives, so that the
// walk has no branch to mispredict.
struct CountedSums {
    index_t tp = 0, fp = 0;
    std::int64_t twice_area = 0;
    double ap = 0.0;
    void operator()(std::uint64_t, index_t p, index_t q) {
        twice_area += q * (2 * tp + p);
        tp += p;
        fp += q;
        ap += double(p) * (double(tp) / double(tp + fp));
    }
};

struct WeightedSums {
    double tp = 0.0, fp = 0.0, twice_area = 0.0, ap = 0.0;
    template <class C>
    void operator()(std::uint64_t, C count_p, C count_q) {
        const double p = double(count_p), q = double(count_q);
        const double tp_before = tp;
        tp += p;
        fp += q;
        twice_area += q * (tp_before + tp);
        if (p > 0.0) ap += p * (tp / (tp + fp));
    }
};

}  // namespace detail

// ROC AUC (the trapezoid rule) and average precision (the step rule).
template <class L, class S, class W>
RankingSummary ranking_summary(const L* label, const S* score, const W* weight, index_t n, index_t stride = 1,
                               bool parallel = false) {
    (void)parallel;
    detail::WeightedSums sums;
    if (std::is_void_v<W> && n < (index_t(1) << 32)) {
        const auto c = for_each_distinct(label, score, weight, n, stride, detail::CountedSums{});
        sums = {double(c.tp), double(c.fp), double(c.twice_area), c.ap};
    } else {
        sums = for_each_distinct(label, score, weight, n, stride, detail::WeightedSums{});
    }
    const double tp = sums.tp, fp = sums.fp;
    RankingSummary r;
    r.positives = tp;
    r.negatives = fp;
    r.roc_auc = (tp > 0.0 && fp > 0.0) ? sums.twice_area / (2.0 * tp * fp) : std::numeric_limits<double>::quiet_NaN();
    r.average_precision = tp > 0.0 ? std::max(0.0, sums.ap / tp) : 0.0;
    return r;
}

// The distinct-score curve: scores decreasing, cumulative weights of positives
// (tps) and negatives (fps) at or above each.
struct RankingCurve {
    std::vector<double> thresholds;
    std::vector<double> tps;
    std::vector<double> fps;
};

namespace detail {

template <class S>
struct CurvePoints {
    RankingCurve curve;
    double tp = 0.0, fp = 0.0;
    template <class C>
    void operator()(std::uint64_t key, C p, C q) {
        tp += double(p);
        fp += double(q);
        curve.thresholds.push_back(static_cast<double>(from_order_key<S>(key_of_t<S>(key))));
        curve.tps.push_back(tp);
        curve.fps.push_back(fp);
    }
};

}  // namespace detail

template <class L, class S, class W>
RankingCurve ranking_curve(const L* label, const S* score, const W* weight, index_t n, index_t stride = 1,
                           bool parallel = false) {
    (void)parallel;
    return for_each_distinct(label, score, weight, n, stride, detail::CurvePoints<S>{}).curve;
}

}  // namespace accumetrics
