// The state of Moments and LossSums (CenteredSums) as numpy arrays, for results and
// pickling: counts per slice, every sum as (total, compensation), the origins.
#pragma once

#include <algorithm>
#include <vector>

#include <accumetrics/centered_sums.hpp>

#include "arrays.hpp"

namespace accumetrics::python {

template <int Stats>
py::array_t<std::int64_t> counts(const CenteredSums<Stats>& m) {
    return py::array_t<std::int64_t>(static_cast<py::ssize_t>(m.counts().size()), m.counts().data());
}

// Shape (slices, outputs, Stats, 2): restores the sums exactly.
template <int Stats>
py::array_t<double> exact_state(const CenteredSums<Stats>& m) {
    py::array_t<double> out(std::vector<py::ssize_t>{m.num_slices(), m.num_outputs(), Stats, 2});
    double* o = out.mutable_data();
    for (const CompensatedSum& s : m.sums()) {
        *o++ = s.sum;
        *o++ = s.error;
    }
    return out;
}

template <int Stats>
py::array_t<double> origins(const CenteredSums<Stats>& m) {
    return py::array_t<double>(static_cast<py::ssize_t>(m.origins().size()), m.origins().data());
}

// Restores counts, exact_state, origins and has_origin from state[first] on.
template <int Stats>
void restore_sums(CenteredSums<Stats>& m, const py::tuple& state, std::size_t first) {
    auto c = state[first].cast<py::array_t<std::int64_t, py::array::c_style | py::array::forcecast>>();
    auto s = state[first + 1].cast<py::array_t<double, py::array::c_style | py::array::forcecast>>();
    auto& sums = m.sums();
    if (std::size_t(c.size()) != m.counts().size() || std::size_t(s.size()) != 2 * sums.size())
        throw py::value_error("state does not match the accumulator's shape");
    std::copy_n(c.data(), c.size(), m.counts().data());
    for (std::size_t i = 0; i < sums.size(); ++i) sums[i] = CompensatedSum{s.data()[2 * i], s.data()[2 * i + 1]};
    auto o = state[first + 2].cast<py::array_t<double, py::array::c_style | py::array::forcecast>>();
    m.set_origins(std::vector<double>(o.data(), o.data() + o.size()), state[first + 3].cast<bool>());
}

}  // namespace accumetrics::python
