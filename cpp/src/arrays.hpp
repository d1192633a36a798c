// Typed, zero-copy access to numpy arrays, and the errors raised for bad values.
// The Python layer hands over C-contiguous arrays of the native dtypes below;
// everything else is converted there.
#pragma once

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>

#include <cstdint>
#include <mutex>
#include <sstream>
#include <string>
#include <utility>

#include <accumetrics/checks.hpp>

namespace accumetrics::python {

namespace py = pybind11;

template <class T>
bool holds(const py::array& a) {
    return py::isinstance<py::array_t<T>>(a) || (std::is_same_v<T, std::uint8_t> && a.dtype().kind() == 'b');
}

inline void require_contiguous(const py::array& a, const char* name) {
    if (!(a.flags() & py::array::c_style))
        throw py::value_error(std::string(name) + " must be C-contiguous");
}

inline std::string dtype_name(const py::array& a) { return py::str(a.dtype()).cast<std::string>(); }

// Calls f(static_cast<const T*>(data)) for T the element type of an integer label array.
template <class F>
decltype(auto) visit_integer(const py::array& a, const char* name, F&& f) {
    require_contiguous(a, name);
    if (holds<std::uint8_t>(a)) return f(static_cast<const std::uint8_t*>(a.data()));
    if (holds<std::int32_t>(a)) return f(static_cast<const std::int32_t*>(a.data()));
    if (holds<std::int64_t>(a)) return f(static_cast<const std::int64_t*>(a.data()));
    throw py::type_error(std::string(name) + ": unsupported dtype " + dtype_name(a) + " (expected bool, uint8, int32 or int64)");
}

template <class F>
decltype(auto) visit_float(const py::array& a, const char* name, F&& f) {
    require_contiguous(a, name);
    if (holds<float>(a)) return f(static_cast<const float*>(a.data()));
    if (holds<double>(a)) return f(static_cast<const double*>(a.data()));
    throw py::type_error(std::string(name) + ": unsupported dtype " + dtype_name(a) + " (expected float32 or float64)");
}

// Binary labels: integers or floats holding 0 and 1.
template <class F>
decltype(auto) visit_binary(const py::array& a, const char* name, F&& f) {
    if (a.dtype().kind() == 'f') return visit_float(a, name, std::forward<F>(f));
    return visit_integer(a, name, std::forward<F>(f));
}

// Calls f(pointer) with a typed pointer to the weights, or with a null
// `const void*` when there are none.
template <class F>
decltype(auto) visit_weights(const py::object& w, F&& f) {
    if (w.is_none()) return f(static_cast<const void*>(nullptr));
    return visit_float(w.cast<py::array>(), "sample_weight", std::forward<F>(f));
}

// None, or one weight per sample.
inline void check_weight_count(const py::object& sample_weight, index_t n) {
    if (!sample_weight.is_none() && sample_weight.cast<py::array>().size() != n)
        throw py::value_error("sample_weight must have one value per sample");
}

// The element type of a pointer that visit_weights passes: void when there are no weights.
template <class P>
using weight_t = std::conditional_t<std::is_void_v<std::remove_cv_t<std::remove_pointer_t<P>>>, void,
                                    std::remove_cv_t<std::remove_pointer_t<P>>>;

inline const std::int64_t* slice_pointer(const py::object& s) {
    if (s.is_none()) return nullptr;
    auto a = s.cast<py::array>();
    require_contiguous(a, "slice_ids");
    if (!holds<std::int64_t>(a)) throw py::type_error("slice_ids must be int64");
    return static_cast<const std::int64_t*>(a.data());
}

template <class T>
std::string element(const T* data, index_t i) {
    std::ostringstream out;
    if constexpr (sizeof(T) == 1)
        out << int(data[i]);
    else
        out << data[i];
    return out.str();
}

// The check_* functions raise ValueError naming the first bad element. They touch
// no Python object, so they may run with the GIL released.

template <class T>
void check_range(const T* data, index_t n, index_t limit, const char* name, const std::string& what, const char* hint) {
    const index_t bad = first_label_out_of_range(data, n, limit);
    if (bad >= 0)
        throw py::value_error(std::string(name) + "[" + std::to_string(bad) + "] = " + element(data, bad) + " is " +
                              what + hint);
}

template <class T>
void check_finite(const T* data, index_t n, const char* name) {
    const index_t bad = first_non_finite(data, n);
    if (bad >= 0)
        throw py::value_error(std::string(name) + "[" + std::to_string(bad) + "] = " + element(data, bad) +
                              ": values must be finite (no NaN or infinity)");
}

// Weights may be negative (as in sklearn and Keras), but not NaN or infinite.
template <class T>
void check_weights(const T* data, index_t n) {
    if constexpr (!std::is_void_v<T>) {
        const index_t bad = first_non_finite(data, n);
        if (bad >= 0)
            throw py::value_error("sample_weight[" + std::to_string(bad) + "] = " + element(data, bad) +
                                  ": weights must be finite (no NaN or infinity)");
    }
}

// For results that are defined for non-negative weights only; `why` says which.
template <class T>
void check_non_negative_weights(const T* data, index_t n, const char* why) {
    if constexpr (!std::is_void_v<T>) {
        const index_t bad = first_negative_or_non_finite(data, n);
        if (bad >= 0)
            throw py::value_error("sample_weight[" + std::to_string(bad) + "] = " + element(data, bad) +
                                  ": weights must be finite and non-negative " + why);
    }
}

// A null pointer of the element type `decltype(w)` points to, or float when it is void.
template <class P>
using pointee_or_float = std::conditional_t<std::is_void_v<std::remove_cv_t<std::remove_pointer_t<P>>>, float,
                                            std::remove_cv_t<std::remove_pointer_t<P>>>;

template <class P>
const pointee_or_float<P>* typed(P p) {
    return static_cast<const pointee_or_float<P>*>(p);
}

// An accumulator of the core with the lock that makes concurrent updates safe.
template <class Core>
struct Guarded {
    template <class... Args, class = std::enable_if_t<std::is_constructible_v<Core, Args&&...>>>
    explicit Guarded(Args&&... args) : core(std::forward<Args>(args)...) {}
    Guarded(const Guarded& other) : core(other.locked_copy()) {}

    Core locked_copy() const {
        std::lock_guard<std::mutex> lock(mutex);
        return core;
    }

    // f(core) under the lock: reads the state without copying all of it first.
    template <class F>
    decltype(auto) read(F&& f) const {
        std::lock_guard<std::mutex> lock(mutex);
        return f(core);
    }

    // f(core) under the lock, with the GIL released: a result that takes long, and may flush the core first.
    template <class F>
    decltype(auto) compute(F&& f) {
        py::gil_scoped_release release;
        std::lock_guard<std::mutex> lock(mutex);
        return f(core);
    }

    void merge(const Guarded& other) {
        Core theirs = other.locked_copy();  // also covers merging with itself
        std::lock_guard<std::mutex> lock(mutex);
        core.merge(theirs);
    }

    Core core;
    mutable std::mutex mutex;
};

}  // namespace accumetrics::python
