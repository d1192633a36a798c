// The stream positions a resampled state has seen, as sorted disjoint ranges
// [begin, end), so that a merge can refuse to count a position twice.
#pragma once

#include <algorithm>
#include <utility>
#include <vector>

#include "config.hpp"

namespace accumetrics {

class Coverage {
public:
    using Range = std::pair<index_t, index_t>;

    const std::vector<Range>& ranges() const { return ranges_; }

    void add(index_t begin, index_t end) {
        if (begin < end) insert({begin, end});
    }

    // Whether a position lies in both.
    bool overlaps(const Coverage& other) const {
        auto a = ranges_.begin(), b = other.ranges_.begin();
        while (a != ranges_.end() && b != other.ranges_.end()) {
            if (a->first < b->second && b->first < a->second) return true;
            if (a->second <= b->second) ++a; else ++b;
        }
        return false;
    }

    void merge(const Coverage& other) {
        for (const Range& r : other.ranges_) insert(r);
    }

    void clear() { ranges_.clear(); }

private:
    // Inserts and joins ranges that touch, keeping the list sorted and disjoint.
    void insert(Range r) {
        auto at = std::lower_bound(ranges_.begin(), ranges_.end(), r);
        at = ranges_.insert(at, r);
        if (at != ranges_.begin() && std::prev(at)->second >= at->first) --at;
        auto last = std::next(at);
        while (last != ranges_.end() && last->first <= at->second) {
            at->second = std::max(at->second, last->second);
            ++last;
        }
        ranges_.erase(std::next(at), last);
    }

    std::vector<Range> ranges_;
};

}  // namespace accumetrics
