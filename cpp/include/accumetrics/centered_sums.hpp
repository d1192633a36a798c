// The state of Moments and LossSums: `Stats` compensated sums per slice and output,
// some of them about an origin per output (the first y seen), and a row count per
// slice. Each class moves its own centered sums to another origin (`move_origin`).
#pragma once

#include <algorithm>
#include <cstdint>
#include <stdexcept>
#include <vector>

#include "config.hpp"
#include "labels.hpp"
#include "summation.hpp"

namespace accumetrics {

template <int Stats>
class CenteredSums {
public:
    CenteredSums(index_t num_outputs, index_t num_slices)
        : outputs_(positive(num_outputs)), slices_(positive(num_slices)),
          sums_(std::size_t(slices_ * outputs_ * Stats)), counts_(std::size_t(slices_), 0),
          origins_(std::size_t(outputs_), 0.0) {}

    index_t num_outputs() const { return outputs_; }
    index_t num_slices() const { return slices_; }
    // sums()[(slice * outputs + output) * Stats + s].
    const std::vector<CompensatedSum>& sums() const { return sums_; }
    std::vector<CompensatedSum>& sums() { return sums_; }
    // Rows seen per slice.
    const std::vector<std::int64_t>& counts() const { return counts_; }
    std::vector<std::int64_t>& counts() { return counts_; }
    // Origin of each output's centered sums; zero until the first non-empty update.
    const std::vector<double>& origins() const { return origins_; }
    bool has_origin() const { return has_origin_; }
    void set_origins(std::vector<double> origins, bool has_origin) {
        if (origins.size() != origins_.size()) throw std::invalid_argument("one origin per output is needed");
        origins_ = std::move(origins);
        has_origin_ = has_origin;
    }

    void reset() {
        std::fill(sums_.begin(), sums_.end(), CompensatedSum{});
        std::fill(counts_.begin(), counts_.end(), 0);
        std::fill(origins_.begin(), origins_.end(), 0.0);
        has_origin_ = false;
    }

protected:
    // Adds `other`'s sums, of the same shape, their centered ones moved to this origin.
    void add_sums(const CenteredSums& other, void (*move_origin)(CompensatedSum*, double)) {
        if (!other.has_origin_) return;
        if (!has_origin_) set_origins(other.origins_, true);
        for (std::size_t i = 0; i < sums_.size(); i += Stats) {
            CompensatedSum theirs[Stats];
            std::copy_n(&other.sums_[i], Stats, theirs);
            const index_t k = index_t(i / Stats) % outputs_;
            move_origin(theirs, other.origins_[k] - origins_[k]);
            for (int s = 0; s < Stats; ++s) sums_[i + s].add(theirs[s]);
        }
        for (std::size_t i = 0; i < counts_.size(); ++i) counts_[i] += other.counts_[i];
    }

    // Counts rows [begin, end) into counts[slice] (slot num_slices: a slice out of range).
    void count_rows(std::vector<std::int64_t>& counts, const std::int64_t* slice, index_t begin, index_t end) const {
        if (!slice)
            counts[0] += end - begin;
        else
            for (index_t i = begin; i < end; ++i) counts[detail::class_index(slice[i], slices_)] += 1;
    }

    // Adds each thread's partial sums and counts (of num_slices + 1 slots).
    void add_partials(const std::vector<std::vector<CompensatedSum>>& partial,
                      const std::vector<std::vector<std::int64_t>>& partial_counts) {
        for (std::size_t t = 0; t < partial.size(); ++t) {
            for (std::size_t i = 0; i < sums_.size(); ++i) sums_[i].add(partial[t][i]);
            for (index_t s = 0; s < slices_; ++s) counts_[s] += partial_counts[t][s];
        }
    }

    index_t outputs_;
    index_t slices_;
    std::vector<CompensatedSum> sums_;
    std::vector<std::int64_t> counts_;
    std::vector<double> origins_;
    bool has_origin_ = false;

private:
    static index_t positive(index_t n) {
        if (n <= 0) throw std::invalid_argument("num_outputs and num_slices must be positive");
        return n;
    }
};

}  // namespace accumetrics
