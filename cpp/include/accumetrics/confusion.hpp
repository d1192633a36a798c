// Multiclass confusion matrix: S slices x C true classes x C predicted classes.
// Rows are true classes, columns predicted classes (the sklearn and Keras layout).
#pragma once

#include <algorithm>
#include <cstdint>
#include <stdexcept>
#include <type_traits>

#include "config.hpp"
#include "count_table.hpp"
#include "labels.hpp"

namespace accumetrics {

namespace detail {

// The cells of samples [start, start + n): true class x predicted class (within the
// sample's slice when `slice` is not null), or `discard` for a label or slice out of range.
template <class T, class P>
inline void confusion_cells(const T* y_true, const P* y_pred, const std::int64_t* slice, index_t start, index_t n,
                            index_t classes, index_t slices, index_t discard, index_t* cell) {
    const T* t = y_true + start;
    const P* p = y_pred + start;
    if (!slice) {
        for (index_t j = 0; j < n; ++j) {
            const index_t ti = class_index(t[j], classes), pi = class_index(p[j], classes);
            cell[j] = (ti < classes && pi < classes) ? ti * classes + pi : discard;
        }
    } else {
        const index_t square = classes * classes;
        const std::int64_t* s = slice + start;
        for (index_t j = 0; j < n; ++j) {
            const index_t ti = class_index(t[j], classes), pi = class_index(p[j], classes);
            const index_t si = class_index(s[j], slices);
            cell[j] = (ti < classes && pi < classes && si < slices) ? si * square + ti * classes + pi : discard;
        }
    }
}

constexpr index_t cell_block = 512;

// Adds samples [begin, end) to `counts` (and to `sums` when not null; W = void
// means weight 1). Samples whose label or slice is out of range go to the discard
// cell at index `cells`. Cells are computed a block at a time without branches,
// then counted in a tight scatter loop.
template <class T, class P, class W>
ACCUMETRICS_KERNEL void fill_confusion(const T* y_true, const P* y_pred, const W* weight,
                                       const std::int64_t* slice, index_t begin, index_t end,
                                       index_t classes, index_t slices, std::int64_t* counts,
                                       double* sums, std::int64_t step) {
    const index_t cells = classes * classes * slices;
    index_t cell[cell_block];
    for (index_t start = begin; start < end; start += cell_block) {
        const index_t n = std::min(cell_block, end - start);
        confusion_cells(y_true, y_pred, slice, start, n, classes, slices, cells, cell);
        for (index_t j = 0; j < n; ++j) counts[cell[j]] += step;
        if constexpr (std::is_void_v<W>) {
            if (sums)
                for (index_t j = 0; j < n; ++j) sums[cell[j]] += 1.0;
        } else {
            const W* w = weight + start;
            for (index_t j = 0; j < n; ++j) sums[cell[j]] += static_cast<double>(w[j]);
        }
    }
}

}  // namespace detail

// Exact sums of integer weights per cell of one classes x classes matrix (rows true
// classes), added to `sums` (classes * classes cells); samples with a label out of
// range are skipped. Sums wrap around at the int64 range, as numpy's int64 arithmetic
// (and so sklearn's integer confusion matrix) does.
template <class T, class P>
void add_integer_weights(const T* y_true, const P* y_pred, const std::int64_t* weight, index_t n, index_t classes,
                         std::int64_t* sums) {
    const index_t discard = classes * classes;
    index_t cell[detail::cell_block];
    for (index_t start = 0; start < n; start += detail::cell_block) {
        const index_t m = std::min(detail::cell_block, n - start);
        detail::confusion_cells(y_true, y_pred, static_cast<const std::int64_t*>(nullptr), start, m, classes,
                                index_t{1}, discard, cell);
        for (index_t j = 0; j < m; ++j)
            if (cell[j] != discard)  // unsigned arithmetic: wrapping is defined
                sums[cell[j]] = static_cast<std::int64_t>(static_cast<std::uint64_t>(sums[cell[j]]) +
                                                          static_cast<std::uint64_t>(weight[start + j]));
    }
}

class ConfusionMatrix {
public:
    ConfusionMatrix(index_t num_classes, index_t num_slices = 1)
        : classes_(checked(num_classes)), slices_(checked(num_slices)), table_(classes_ * classes_ * slices_) {}

    index_t num_classes() const { return classes_; }
    index_t num_slices() const { return slices_; }
    CountTable& table() { return table_; }
    const CountTable& table() const { return table_; }

    // Adds n samples; `weight` and `slice` may be null. Samples with a label or
    // slice out of range are skipped, and counted in the return value. With
    // `undo_rejects` (see CountTable::fill) an update with such samples changes
    // nothing; otherwise callers that must refuse them check first (checks.hpp).
    template <class T, class P, class W>
    index_t add(const T* y_true, const P* y_pred, const W* weight, const std::int64_t* slice, index_t n,
                bool undo_rejects = false) {
        return table_.fill(n, n, weight != nullptr, undo_rejects,
                           [&](index_t begin, index_t end, std::int64_t* counts, double* sums, std::int64_t step) {
                               if (weight)
                                   detail::fill_confusion(y_true, y_pred, weight, slice, begin, end, classes_, slices_,
                                                          counts, sums, step);
                               else
                                   detail::fill_confusion<T, P, void>(y_true, y_pred, nullptr, slice, begin, end,
                                                                      classes_, slices_, counts, sums, step);
                           });
    }

    void merge(const ConfusionMatrix& other) {
        if (classes_ != other.classes_ || slices_ != other.slices_)
            throw std::invalid_argument("cannot merge confusion matrices of different shapes");
        table_.merge(other.table_);
    }

    void reset() { table_.reset(); }

private:
    static index_t checked(index_t n) {
        if (n <= 0) throw std::invalid_argument("num_classes and num_slices must be positive");
        return n;
    }

    index_t classes_;
    index_t slices_;
    CountTable table_;
};

}  // namespace accumetrics
