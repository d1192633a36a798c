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
#include <cmath>
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
    using SignedK = std::make_signed_t<K>;
    constexpr K sign = K(1) << (8 * sizeof(K) - 1);
    x = x + F(0);  // -0 -> +0
    K bits;
    std::memcpy(&bits, &x, sizeof(K));
    return bits ^ (K(SignedK(bits) >> (8 * sizeof(K) - 1)) | sign);  // negative: all bits flipped, else the sign
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

// The order keys of a column's scores at a glance: the bits in which they differ
// (any ^ all), how many samples have nonzero weight, and whether the scores and
// weights are all finite (weights may be negative, as in scikit-learn), and whether
// any weight is negative.
template <class K>
struct KeyRange {
    K any = 0;
    K all = ~K(0);
    index_t kept = 0;
    bool valid = true;
    bool negative = false;
    K differing() const { return any ^ all; }
};

namespace detail {

// Calls f(stride) with a compile-time 1 for contiguous columns, so their loops vectorize.
template <class F>
decltype(auto) with_stride(index_t stride, F&& f) {
    if (stride == 1) return f(std::integral_constant<index_t, 1>{});
    return f(stride);
}

template <class W>
inline bool keep(const W* weight, index_t i) {
    if constexpr (std::is_void_v<W>)
        return true;
    else
        return weight[i] != W(0);
}

// The weight of sample i: 1 without weights (W = void).
template <class W>
inline double weight_of(const W* weight, index_t i) {
    if constexpr (std::is_void_v<W>)
        return 1.0;
    else
        return static_cast<double>(weight[i]);
}

template <class S, class W, class Step>
ACCUMETRICS_KERNEL KeyRange<key_of_t<S>> key_range(const S* score, const W* weight, index_t n, Step step) {
    using K = key_of_t<S>;
    K any = 0, all = ~K(0), bad = 0, negative = 0;
    index_t kept = n;
    for (index_t i = 0; i < n; ++i) {
        const S x = score[i * step];
        const K k = order_key(x);
        any |= k;
        all &= k;
        bad |= !(std::abs(x) <= std::numeric_limits<S>::max());
        if constexpr (!std::is_void_v<W>) {
            const W w = weight[i];
            kept -= w == W(0);
            bad |= !(std::abs(w) <= std::numeric_limits<W>::max());
            negative |= w < W(0);
        }
    }
    return {any, all, kept, bad == 0, negative != 0};
}

// The leading `bits` bits in which the keys differ, from bit `shift` up: the field
// of a key, which picks its bucket.
struct Fields {
    int shift;
    int bits;
    std::uint64_t mask;
    std::size_t size() const { return std::size_t(1) << bits; }
    template <class K>
    std::size_t of(K key) const { return std::size_t((key >> shift) & mask); }
};

// Enough field bits for buckets of a few thousand samples, at most 16 (a table of
// 64K entries stays in cache).
inline Fields fields_for(index_t n, int hi, int width) {
    int bits = 1;
    while (bits < 16 && (index_t(1) << (bits + 10)) < n) ++bits;
    bits = std::min(bits, width);
    return {hi + 1 - bits, bits, (std::uint64_t(1) << bits) - 1};
}

// Samples per bucket: a bucket and its scratch stay in the L2 cache while sorted.
template <class Item>
constexpr index_t bucket_target = (index_t(1) << 18) / index_t(sizeof(Item));

template <class S, class W, class Step>
ACCUMETRICS_KERNEL void count_fields(const S* score, const W* weight, index_t n, Step step, Fields f,
                                     index_t* count) {
    for (index_t i = 0; i < n; ++i) count[f.of(order_key(score[i * step]))] += keep(weight, i);
}

// Per field, the weight of positives and of all samples (unweighted: counts),
// summed from the last row back, the order in which a walk of stably sorted items
// meets them.
template <class L, class S, class W, class Step, class Sum>
ACCUMETRICS_KERNEL void sum_fields(const L* label, const S* score, const W* weight, index_t n, Step step, Fields f,
                                   Sum* pos, Sum* neg) {
    for (index_t i = n - 1; i >= 0; --i) {
        const std::size_t k = f.of(order_key(score[i * step]));
        const bool positive = label[i * step] != L(0);
        if constexpr (std::is_void_v<W>) {
            pos[k] += positive;
            neg[k] += !positive;
        } else {
            const double w = static_cast<double>(weight[i]);
            pos[k] += positive ? w : 0.0;
            neg[k] += positive ? 0.0 : w;
        }
    }
}

// Writes each kept sample as an item (order key shifted up, label in bit 0, weight)
// at next[bucket]++.
template <class L, class S, class W, class Step, class Item>
ACCUMETRICS_KERNEL void scatter_items(const L* label, const S* score, const W* weight, index_t n, Step step,
                                      Fields f, const std::uint32_t* bucket_of, index_t* next, Item* items) {
    for (index_t i = 0; i < n; ++i) {
        if (!keep(weight, i)) continue;
        const auto k = order_key(score[i * step]);
        const std::uint64_t key = (std::uint64_t(k) << 1) | std::uint64_t(label[i * step] != L(0));
        Item item;
        if constexpr (std::is_void_v<W>)
            item = key;
        else
            item = Item{key, static_cast<double>(weight[i])};
        items[next[bucket_of[f.of(k)]]++] = item;
    }
}

// Buckets: runs of fields holding about bucket_target samples each. A 64-bit key's
// top bit, which items leave out, is the same throughout a bucket: `high` per bucket.
struct Buckets {
    std::vector<std::uint32_t> of_field;
    std::vector<index_t> start;                // start[b], ..., start[b + 1]: bucket b
    std::vector<std::uint64_t> high;
    std::vector<std::size_t> first, last;      // the first and last field holding samples
    std::size_t size() const { return high.size(); }
};

inline Buckets plan_buckets(const index_t* count, Fields f, index_t target, bool split_sign, bool upper) {
    Buckets b;
    b.of_field.resize(f.size());
    b.start = {0};
    b.high = {0};
    b.first = b.last = {0};
    index_t in_bucket = 0;
    for (std::size_t k = 0; k < f.size(); ++k) {
        if (in_bucket > 0 && (in_bucket + count[k] > target || (split_sign && k == f.size() / 2))) {
            b.start.push_back(b.start.back() + in_bucket);
            b.high.push_back(0);
            b.first.push_back(k);
            b.last.push_back(k);
            in_bucket = 0;
        }
        b.of_field[k] = std::uint32_t(b.high.size() - 1);
        if (count[k] == 0) continue;
        if (in_bucket == 0) b.first.back() = k;
        b.last.back() = k;
        in_bucket += count[k];
        if (split_sign ? k >= f.size() / 2 : upper) b.high.back() = std::uint64_t(1) << 63;
    }
    b.start.push_back(b.start.back() + in_bucket);
    return b;
}

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

template <class S, class W>
KeyRange<key_of_t<S>> key_range(const S* score, const W* weight, index_t n, index_t stride = 1) {
    return detail::with_stride(stride, [&](auto step) { return detail::key_range(score, weight, n, step); });
}

// Calls visit(key, positive_weight, negative_weight) for each distinct score of
// rows [0, n) of a column, from the highest down, and returns the visitor: key is
// the order_key of the score, the weights are the sums over the samples with that
// score (index_t counts without weights), summed in the order of a stable sort
// walked backwards. The column is label[i * stride] (nonzero: positive),
// score[i * stride] and weight[i] (one weight per row; W = void for none); `range`
// is its key_range, which must be valid. Samples of weight 0 are dropped, as they
// would only add thresholds at which nothing changes.
//
// The leading bits in which the keys differ split the samples into buckets of
// contiguous score ranges, sized to stay in cache; each sample becomes one 64-bit
// item (the key shifted up, the label in bit 0) in its bucket, and the buckets are
// sorted and walked one at a time from the top. When those leading bits are all
// the bits in which the keys differ, the sums per field are the answer, and
// nothing is sorted.
template <class L, class S, class W, class Visit>
Visit for_each_distinct(const L* label, const S* score, const W* weight, index_t n, index_t stride,
                        const KeyRange<key_of_t<S>>& range, Visit visit) {
    using K = key_of_t<S>;
    constexpr bool weighted = !std::is_void_v<W>;
    constexpr int top = 8 * sizeof(K) - 1;
    using Item = std::conditional_t<weighted, Weighted<std::uint64_t>, std::uint64_t>;
    if (range.kept == 0) return visit;
    const K differing = range.differing();
    const int hi = differing ? radix::highest_bit(differing) : 0;
    const int width = differing ? hi - radix::lowest_bit(differing) + 1 : 1;
    const detail::Fields f = detail::fields_for(range.kept, hi, width);

    if (f.bits == width) {  // a field is one key
        using Sum = std::conditional_t<weighted, double, index_t>;
        std::vector<Sum> pos(f.size(), Sum(0)), neg(f.size(), Sum(0));
        detail::with_stride(stride, [&](auto step) {
            detail::sum_fields(label, score, weight, n, step, f, pos.data(), neg.data());
        });
        // A score is there when its weights add up to more than 0; with negative weights, which may cancel,
        // when it has a sample of nonzero weight.
        std::vector<index_t> kept;
        if (range.negative) {
            kept.assign(f.size(), 0);
            detail::with_stride(stride, [&](auto step) { detail::count_fields(score, weight, n, step, f, kept.data()); });
        }
        const K fixed = range.all & ~K(f.mask << f.shift);
        for (std::size_t k = f.size(); k-- > 0;)
            if (range.negative ? kept[k] > 0 : pos[k] > Sum(0) || neg[k] > Sum(0))
                visit(std::uint64_t(fixed | K(k << f.shift)), pos[k], neg[k]);
        return visit;
    }

    std::vector<index_t> count(f.size(), 0);
    detail::with_stride(stride, [&](auto step) { detail::count_fields(score, weight, n, step, f, count.data()); });
    const detail::Buckets b = detail::plan_buckets(count.data(), f, detail::bucket_target<Item>,
                                                   sizeof(K) == 8 && hi == top, sizeof(K) == 8 && (range.all >> top));
    Buffer<Item> items{std::size_t(range.kept)};
    std::vector<index_t> next(b.start.begin(), b.start.end() - 1);
    detail::with_stride(stride, [&](auto step) {
        detail::scatter_items(label, score, weight, n, step, f, b.of_field.data(), next.data(), items.get());
    });

    // Within a bucket the keys differ below the field and in the field bits that differ
    // between its first and last field (in the items: one bit up).
    const std::uint64_t item_differing = std::uint64_t(differing) << 1;
    const int item_shift = f.shift + 1;
    const std::uint64_t below = item_shift >= 64 ? ~std::uint64_t(0) : (std::uint64_t(1) << item_shift) - 1;
    index_t largest = 0;
    for (std::size_t k = 0; k < b.size(); ++k) largest = std::max(largest, b.start[k + 1] - b.start[k]);
    Buffer<Item> scratch{std::size_t(largest)};
    for (std::size_t k = b.size(); k-- > 0;) {
        const std::size_t across = b.first[k] ^ b.last[k];
        std::uint64_t bits = item_differing & below;
        if (across && item_shift < 64)
            bits |= item_differing & (((std::uint64_t(2) << radix::highest_bit(across)) - 1) << item_shift);
        Item* data = items.get() + b.start[k];
        const index_t size = b.start[k + 1] - b.start[k];
        const auto sorted = radix::sort_leading_bits(data, scratch.get(), size, 1, bits);
        visit = detail::visit_sorted(sorted, sorted.data == data ? scratch.get() : data, size, b.high[k], std::move(visit));
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
template <bool with_precision>
struct CountedSums {
    index_t tp = 0, fp = 0;
    std::int64_t twice_area = 0;
    double ap = 0.0;
    void operator()(std::uint64_t, index_t p, index_t q) {
        twice_area += q * (2 * tp + p);
        tp += p;
        fp += q;
        if constexpr (with_precision) ap += double(p) * (double(tp) / double(tp + fp));
    }
};

struct WeightedSums {
    double tp = 0.0, fp = 0.0, twice_area = 0.0, ap = 0.0;
    double top_precision = 0.0;  // at the highest score: scikit-learn's AP where the positives weigh 0 in all
    bool top = true;
    template <class C>
    void operator()(std::uint64_t, C count_p, C count_q) {
        const double p = double(count_p), q = double(count_q);
        const double tp_before = tp;
        tp += p;
        fp += q;
        twice_area += q * (tp_before + tp);
        // As scikit-learn: a negative weight's recall step counts too; precision is 0 where nothing is predicted.
        if (p != 0.0 && tp + fp != 0.0) ap += p * (tp / (tp + fp));
        if (top) {
            top = false;
            top_precision = tp + fp != 0.0 ? tp / (tp + fp) : 0.0;
        }
    }
};

}  // namespace detail

// ROC AUC (the trapezoid rule) and average precision (the step rule; NaN unless
// `with_precision`, which costs a division per distinct score). `range`: the
// column's key_range, which must be valid.
template <class L, class S, class W>
RankingSummary ranking_summary(const L* label, const S* score, const W* weight, index_t n, index_t stride,
                               const KeyRange<key_of_t<S>>& range, bool with_precision = true) {
    detail::WeightedSums sums;
    if (std::is_void_v<W> && n < (index_t(1) << 32)) {
        const auto counted = [&](auto visitor) {
            const auto c = for_each_distinct(label, score, weight, n, stride, range, visitor);
            return detail::WeightedSums{double(c.tp), double(c.fp), double(c.twice_area), c.ap};
        };
        sums = with_precision ? counted(detail::CountedSums<true>{}) : counted(detail::CountedSums<false>{});
    } else {
        sums = for_each_distinct(label, score, weight, n, stride, range, detail::WeightedSums{});
    }
    const double tp = sums.tp, fp = sums.fp, nan = std::numeric_limits<double>::quiet_NaN();
    RankingSummary r;
    r.positives = tp;
    r.negatives = fp;
    r.roc_auc = (tp > 0.0 && fp > 0.0) ? sums.twice_area / (2.0 * tp * fp) : nan;
    // Without positive weight scikit-learn's recall is 1 at every score: one step, at the highest.
    r.average_precision = !with_precision ? nan : std::max(0.0, tp != 0.0 ? sums.ap / tp : sums.top_precision);
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
RankingCurve ranking_curve(const L* label, const S* score, const W* weight, index_t n, index_t stride,
                           const KeyRange<key_of_t<S>>& range) {
    return for_each_distinct(label, score, weight, n, stride, range, detail::CurvePoints<S>{}).curve;
}

// The same for scores and weights known to be valid.
template <class L, class S, class W>
RankingSummary ranking_summary(const L* label, const S* score, const W* weight, index_t n, index_t stride = 1) {
    return ranking_summary(label, score, weight, n, stride, key_range(score, weight, n, stride));
}

template <class L, class S, class W>
RankingCurve ranking_curve(const L* label, const S* score, const W* weight, index_t n, index_t stride = 1) {
    return ranking_curve(label, score, weight, n, stride, key_range(score, weight, n, stride));
}

}  // namespace accumetrics
