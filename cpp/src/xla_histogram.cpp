// The core's threshold histogram as an XLA custom call (JAX's foreign function interface): a jitted step
// counts a batch in one pass over its scores, inside XLA, with no host callback.
#include <accumetrics/thresholds.hpp>

#include <pybind11/pybind11.h>

#include <cmath>
#include <cstdint>
#include <memory>
#include <vector>

#include "xla/ffi/api/ffi.h"

namespace accumetrics::xla_kernels {

namespace ffi = xla::ffi;

// Core objects (each with its bucketing plan) made once per thread and grid, reused by every call.
static ThresholdCounts& counter_for(ffi::Span<const double> thresholds, index_t labels) {
    thread_local std::vector<std::unique_ptr<ThresholdCounts>> made;
    for (auto& c : made)
        if (c->num_labels() == labels && c->thresholds().size() == thresholds.size() &&
            std::equal(thresholds.begin(), thresholds.end(), c->thresholds().begin()))
            return *c;
    made.push_back(std::make_unique<ThresholdCounts>(std::vector<double>(thresholds.begin(), thresholds.end()), labels));
    return *made.back();
}

template <class F>
static bool all_finite(const F* x, std::size_t n) {
    bool finite = true;
    for (std::size_t i = 0; i < n; ++i) finite &= std::isfinite(x[i]);
    return finite;
}

// y_true read as a boolean, as Keras reads it: non-zero is positive.
template <class T>
static const std::uint8_t* nonzero(const T* y, std::size_t n) {
    thread_local std::vector<std::uint8_t> positive;
    positive.resize(n);
    for (std::size_t i = 0; i < n; ++i) positive[i] = y[i] != T(0);
    return positive.data();
}

template <class Visit>
static ffi::Error with_floats(const ffi::AnyBuffer& b, const char* name, Visit&& visit) {
    switch (b.element_type()) {
        case ffi::DataType::F32: return visit(b.typed_data<float>());
        case ffi::DataType::F64: return visit(b.typed_data<double>());
        default: return ffi::Error::InvalidArgument(std::string(name) + " must be float32 or float64");
    }
}

// y_true (the shape of y_score: bool, float32 or float64, read as y_true != 0), y_score (N x labels,
// float32/float64), weight (the shape of y_score, or empty when unweighted) -> histogram (labels, T + 1, 2)
// in float32/float64, and (scores finite, weights finite).
static ffi::Error threshold_histogram(ffi::AnyBuffer y_true, ffi::AnyBuffer y_score, ffi::AnyBuffer weight,
                                      ffi::Span<const double> thresholds, std::int64_t labels, bool weighted,
                                      ffi::Result<ffi::AnyBuffer> histogram, ffi::Result<ffi::Buffer<ffi::PRED>> finite) {
    const std::size_t values = y_score.element_count();
    if (y_true.element_count() != values || (weighted && weight.element_count() != values) || labels < 1 ||
        values % std::size_t(labels) != 0)
        return ffi::Error::InvalidArgument("y_true, y_score and sample_weight must hold rows of num_labels values");
    ThresholdCounts& counter = counter_for(thresholds, labels);
    if (histogram->element_count() != std::size_t(counter.table().cells()) || finite->element_count() != 2)
        return ffi::Error::InvalidArgument("the histogram's shape does not match the thresholds");
    const std::uint8_t* y;
    switch (y_true.element_type()) {
        case ffi::DataType::PRED: y = nonzero(y_true.typed_data<bool>(), values); break;
        case ffi::DataType::F32: y = nonzero(y_true.typed_data<float>(), values); break;
        case ffi::DataType::F64: y = nonzero(y_true.typed_data<double>(), values); break;
        default: return ffi::Error::InvalidArgument("y_true must be bool, float32 or float64");
    }
    const index_t rows = index_t(values / std::size_t(labels));
    bool weights_finite = true;
    index_t rejected = 0;
    counter.reset();
    ffi::Error error = with_floats(y_score, "y_score", [&](auto score) {
        if (!weighted) {
            rejected = counter.add(y, score, static_cast<const float*>(nullptr), nullptr, rows);
            return ffi::Error::Success();
        }
        return with_floats(weight, "sample_weight", [&](auto w) {
            weights_finite = all_finite(w, values);
            rejected = counter.add(y, score, w, nullptr, rows, true);
            return ffi::Error::Success();
        });
    });
    if (error.failure()) return error;
    const CountTable& table = counter.table();
    const index_t cells = table.cells();
    auto write = [&](auto* out) {
        using Out = std::remove_pointer_t<decltype(out)>;
        if (table.weighted())
            for (index_t i = 0; i < cells; ++i) out[i] = Out(table.sums()[i]);
        else
            for (index_t i = 0; i < cells; ++i) out[i] = Out(table.counts()[i]);
        return ffi::Error::Success();
    };
    error = with_floats(*histogram, "the histogram", [&](auto out) { return write(out); });
    if (error.failure()) return error;
    finite->typed_data()[0] = rejected == 0;
    finite->typed_data()[1] = weights_finite;
    return ffi::Error::Success();
}

XLA_FFI_DEFINE_HANDLER_SYMBOL(ThresholdHistogram, threshold_histogram,
                              ffi::Ffi::Bind()
                                  .Arg<ffi::AnyBuffer>()
                                  .Arg<ffi::AnyBuffer>()
                                  .Arg<ffi::AnyBuffer>()
                                  .Attr<ffi::Span<const double>>("thresholds")
                                  .Attr<std::int64_t>("num_labels")
                                  .Attr<bool>("weighted")
                                  .Ret<ffi::AnyBuffer>()
                                  .Ret<ffi::Buffer<ffi::PRED>>());

}  // namespace accumetrics::xla_kernels

PYBIND11_MODULE(_xla, m) {
    m.doc() = "The core's counting as XLA custom calls, for jax.ffi";
    m.def("handlers", [] {
        pybind11::dict out;
        out["accumetrics_threshold_histogram"] =
            pybind11::capsule(reinterpret_cast<void*>(&accumetrics::xla_kernels::ThresholdHistogram));
        return out;
    });
}
