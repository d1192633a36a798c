// Stable radix sort of items by a 64-bit unsigned key (an integer, or a key with
// a double carried along), in O(N) for the keys of float scores.
//
// Only the bits in which the keys differ are sorted on, at most three digits of up
// to 11 bits (33 bits) per pass over the data, with the counts of all digits taken
// in one pass. Keys that differ in more bits than that (floats of full precision)
// are sorted by their leading 33 differing bits; items that tie on those are then
// sorted among themselves by the bits below: by insertion where few, by the same
// sort where many. For N far below 2^33 such ties are rare and short, so a float64
// score costs three scatter passes instead of eight.
#pragma once

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <vector>

#include "config.hpp"

namespace accumetrics {

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

namespace radix {

constexpr int max_digits = 3;
constexpr index_t insertion_limit = 32;

inline int highest_bit(std::uint64_t x) { return 63 - __builtin_clzll(x); }
inline int lowest_bit(std::uint64_t x) { return __builtin_ctzll(x); }

// The bits in which the keys of data[0, n) differ.
template <class Item>
std::uint64_t differing_bits(const Item* data, index_t n) {
    std::uint64_t any = 0, all = ~std::uint64_t(0);
    for (index_t i = 0; i < n; ++i) {
        const std::uint64_t k = item_key(data[i]);
        any |= k;
        all &= k;
    }
    return any ^ all;
}

template <class Item>
void insertion_sort(Item* data, index_t n, int lo) {
    for (index_t i = 1; i < n; ++i) {
        const Item x = data[i];
        const std::uint64_t k = item_key(x) >> lo;
        index_t j = i;
        for (; j > 0 && (item_key(data[j - 1]) >> lo) > k; --j) data[j] = data[j - 1];
        data[j] = x;
    }
}

template <class Item>
Item* sort_bits(Item* data, Item* buffer, index_t n, int lo, std::uint64_t differing);

// Sorts data[0, n) stably by item_key >> lo; with few items by insertion, else by
// radix (data or buffer holds the result). Runs from a previous sort on higher bits.
template <class Item>
Item* sort_run(Item* data, Item* buffer, index_t n, int lo) {
    if (n <= insertion_limit) {
        insertion_sort(data, n, lo);
        return data;
    }
    return sort_bits(data, buffer, n, lo, differing_bits(data, n));
}

// Sorts each run of data[0, n) that ties on the key bits from `sorted_lo` up by the
// bits [lo, sorted_lo) below, in place.
template <class Item>
void sort_tied_runs(Item* data, Item* buffer, index_t n, int lo, int sorted_lo) {
    for (index_t begin = 0; begin < n;) {
        const std::uint64_t prefix = item_key(data[begin]) >> sorted_lo;
        index_t end = begin + 1;
        while (end < n && (item_key(data[end]) >> sorted_lo) == prefix) ++end;
        if (end - begin > 1) {
            const Item* out = sort_run(data + begin, buffer + begin, end - begin, lo);
            if (out != data + begin) std::copy(out, out + (end - begin), data + begin);
        }
        begin = end;
    }
}

// Where a sort by the leading bits left the items: sorted by item_key >> sorted_lo,
// which is the whole order when `complete`.
template <class Item>
struct SortedPrefix {
    Item* data;
    int sorted_lo;
    bool complete;
};

// Sorts data[0, n) stably by the leading bits of item_key >> lo that the keys
// differ in: all of them when that takes no more passes than sorting enough bits to
// leave few ties (about one item in a hundred among random keys), else those. Uses
// `buffer` of n items; `differing` holds (at least) the bits in which the keys differ.
template <class Item>
ACCUMETRICS_KERNEL SortedPrefix<Item> sort_leading_bits(Item* data, Item* buffer, index_t n, int lo,
                                                        std::uint64_t differing) {
    differing &= ~std::uint64_t(0) << lo;
    if (n < 2 || differing == 0) return {data, lo, true};
    const int hi = highest_bit(differing);
    const int width = hi - lowest_bit(differing) + 1;
    const int max_bits = n >= (index_t(1) << 14) ? 11 : 8;
    const int enough = highest_bit(std::uint64_t(n)) + 8;  // bits that leave few ties
    int digits = std::min(max_digits, (std::min(width, enough) + max_bits - 1) / max_bits);
    const bool complete = (width + max_bits - 1) / max_bits <= digits;
    const int sorted_bits = complete ? width : std::min(enough, digits * max_bits);
    const int bits = (sorted_bits + digits - 1) / digits;
    const int sorted_lo = std::max(lo, hi + 1 - digits * bits);
    const std::uint64_t mask = (std::uint64_t(1) << bits) - 1;

    std::vector<index_t> count(std::size_t(digits) << bits, 0);
    index_t* c[max_digits];
    int shift[max_digits];
    for (int d = 0; d < digits; ++d) {
        c[d] = count.data() + (std::size_t(d) << bits);
        shift[d] = sorted_lo + d * bits;
    }
    if (digits == 1) {
        for (index_t i = 0; i < n; ++i) ++c[0][(item_key(data[i]) >> shift[0]) & mask];
    } else if (digits == 2) {
        for (index_t i = 0; i < n; ++i) {
            const std::uint64_t k = item_key(data[i]);
            ++c[0][(k >> shift[0]) & mask];
            ++c[1][(k >> shift[1]) & mask];
        }
    } else {
        for (index_t i = 0; i < n; ++i) {
            const std::uint64_t k = item_key(data[i]);
            ++c[0][(k >> shift[0]) & mask];
            ++c[1][(k >> shift[1]) & mask];
            ++c[2][(k >> shift[2]) & mask];
        }
    }
    Item* from = data;
    Item* to = buffer;
    const std::uint64_t first = item_key(data[0]);
    for (int d = 0; d < digits; ++d) {
        index_t* offset = c[d];
        const int s = shift[d];
        if (offset[(first >> s) & mask] == n) continue;  // one value: nothing to move
        index_t sum = 0;
        for (std::uint64_t b = 0; b <= mask; ++b) {
            const index_t k = offset[b];
            offset[b] = sum;
            sum += k;
        }
        for (index_t i = 0; i < n; ++i) {
            const Item item = from[i];
            to[offset[(item_key(item) >> s) & mask]++] = item;
        }
        std::swap(from, to);
    }
    return {from, complete ? lo : sorted_lo, complete || sorted_lo <= lowest_bit(differing)};
}

// Sorts data[0, n) stably by item_key >> lo, with `buffer` of n items as scratch.
// `differing` holds (at least) the bits in which the keys differ. Returns where the
// sorted items are: data or buffer.
template <class Item>
Item* sort_bits(Item* data, Item* buffer, index_t n, int lo, std::uint64_t differing) {
    if (n <= insertion_limit) {
        insertion_sort(data, n, lo);
        return data;
    }
    const SortedPrefix<Item> s = sort_leading_bits(data, buffer, n, lo, differing);
    if (!s.complete) sort_tied_runs(s.data, s.data == data ? buffer : data, n, lo, s.sorted_lo);
    return s.data;
}

}  // namespace radix

// Sorts data[0, n) ascending by item_key, stably, with `buffer` of n items as
// scratch. Returns where the sorted items are (data or buffer).
template <class Item>
Item* radix_sort(Item* data, Item* buffer, index_t n) {
    return radix::sort_bits(data, buffer, n, 0, radix::differing_bits(data, n));
}

}  // namespace accumetrics
