// Multiclass confusion matrix: S slices x C true classes x C predicted classes.
// Rows are true classes, columns predicted classes (the sklearn and Keras layout).
#pragma once

#include <cstdint>
#include <stdexcept>
#include <type_traits>

#include "config.hpp"
#include "count_table.hpp"
#include "labels.hpp"

namespace accumetrics {

namespace detail {

// Adds samples [begin, end) to `counts` (and to `sums` when not null; W = void
// means weight 1). Samples whose label or slice is out of range go to the discard
// cell at index `cells`.
template <class T, class P, class W>
ACCUMETRICS_KERNEL void fill_confusion(const T* y_true, const P* y_pred, const W* weight,
                                       const std::int64_t* slice, index_t begin, index_t end,
                                       index_t classes, index_t slices, std::int64_t* counts,
                                       double* sums) {
    const index_t square = classes * classes;
    const index_t cells = square * slices;
    for (index_t i = begin; i < end; ++i) {
        index_t t = class_index(y_true[i], classes);
        index_t p = class_index(y_pred[i], classes);
        index_t cell = t * classes + p;
        if (slice) cell += class_index(slice[i], slices) * square;
        cell = (t < classes && p < classes && cell < cells) ? cell : cells;
        counts[cell] += 1;
        if constexpr (std::is_void_v<W>) {
            if (sums) sums[cell] += 1.0;
        } else {
            sums[cell] += static_cast<double>(weight[i]);
        }
    }
}

}  // namespace detail

class ConfusionMatrix {
public:
    ConfusionMatrix(index_t num_classes, index_t num_slices = 1)
        : classes_(checked(num_classes)), slices_(checked(num_slices)), table_(classes_ * classes_ * slices_) {}

    index_t num_classes() const { return classes_; }
    index_t num_slices() const { return slices_; }
    CountTable& table() { return table_; }
    const CountTable& table() const { return table_; }

    // Adds n samples; `weight` and `slice` may be null. Labels or slices out of
    // range are discarded: callers that must reject them check first (checks.hpp).
    template <class T, class P, class W>
    void add(const T* y_true, const P* y_pred, const W* weight, const std::int64_t* slice, index_t n) {
        table_.fill(n, n, weight != nullptr, [&](index_t begin, index_t end, std::int64_t* counts, double* sums) {
            if (weight)
                detail::fill_confusion(y_true, y_pred, weight, slice, begin, end, classes_, slices_, counts, sums);
            else
                detail::fill_confusion<T, P, void>(y_true, y_pred, nullptr, slice, begin, end, classes_, slices_, counts, sums);
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
